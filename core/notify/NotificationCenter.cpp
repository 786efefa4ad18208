#include "notify/NotificationCenter.h"

#include "devlog/DevLogPusher.h"
#include "notify/Notifier.h"
#include "notify/NotifyLog.h"

#include <QDir>

#include <algorithm>

namespace codeworm {

NotificationCenter::NotificationCenter(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config.notifications)
    , m_devlogPath(config.devlogPath())
{
    qRegisterMetaType<Notification>();
    m_llmTimer.setSingleShot(true);
    connect(&m_llmTimer, &QTimer::timeout, this, &NotificationCenter::onLlmDown);
}

void NotificationCenter::addNotifier(Notifier *notifier)
{
    notifier->setParent(this);
    m_notifiers.append(notifier);
}

void NotificationCenter::removeNotifier(Notifier *notifier)
{
    m_notifiers.removeAll(notifier);
    if (notifier && notifier->parent() == this) {
        notifier->setParent(nullptr);
    }
}

QList<Notifier *> NotificationCenter::notifiers() const
{
    QList<Notifier *> list;
    for (const QPointer<Notifier> &notifier : m_notifiers) {
        if (notifier) {
            list.append(notifier);
        }
    }
    return list;
}

void NotificationCenter::setConfig(const Config &config)
{
    m_config = config.notifications;
    m_devlogPath = config.devlogPath();
    if (m_config.failuresInARow <= 0 || m_failuresInARow < m_config.failuresInARow) {
        clear(Notification::Kind::Failures);
    }
    if (!m_config.pushFailures) {
        clear(Notification::Kind::PushFailing);
    }
    if (!m_config.deadman) {
        clear(Notification::Kind::Deadman);
    }
    if (m_config.llmDownMinutes <= 0) {
        m_llmTimer.stop();
        clear(Notification::Kind::LlmUnavailable);
    } else if (m_llmWaitingSince.isValid() && !isRaised(Notification::Kind::LlmUnavailable)) {
        startLlmTimer(); // the new threshold counts from when the wait began
    }
}

void NotificationCenter::setMinuteLength(std::chrono::milliseconds length)
{
    m_minute = length;
}

void NotificationCenter::onCycleFinished(const CycleResult &result)
{
    using Outcome = CycleResult::Outcome;
    if (result.succeeded()) {
        m_failuresInARow = 0;
        clear(Notification::Kind::Failures);
    } else if (result.outcome == Outcome::Failed) {
        ++m_failuresInARow;
        m_lastFailure = result.reason;
        if (m_config.failuresInARow > 0 && m_failuresInARow >= m_config.failuresInARow) {
            raise(Notification::Kind::Failures,
                  tr("CodeWorm: %n cycle(s) failed in a row", nullptr, m_failuresInARow),
                  tr("Last failure: %1").arg(m_lastFailure));
        }
    }
    if (result.outcome != Outcome::Committed || !m_config.onCommit) {
        return;
    }
    Notification notification;
    notification.kind = Notification::Kind::Commit;
    notification.urgency = Notification::Urgency::Low;
    // A summary document has no symbol: its file names it.
    notification.summary = result.symbol.isEmpty() ? result.documentPath : result.symbol;
    notification.body =
        tr("%1 in %2\ncommit %3").arg(result.docType, result.repo, result.commitId.left(7));
    if (!result.documentPath.isEmpty()) {
        notification.openPath = QDir(m_devlogPath).absoluteFilePath(result.documentPath);
    }
    show(notification);
}

void NotificationCenter::onLlmWaiting(bool waiting, const QString &llm)
{
    m_llm = llm;
    if (!waiting) {
        m_llmWaitingSince.invalidate();
        m_llmTimer.stop();
        clear(Notification::Kind::LlmUnavailable);
        return;
    }
    if (m_llmWaitingSince.isValid()) {
        return; // still the same wait
    }
    m_llmWaitingSince.start();
    if (m_config.llmDownMinutes > 0) {
        startLlmTimer();
    }
}

void NotificationCenter::startLlmTimer()
{
    const auto threshold = m_minute * m_config.llmDownMinutes;
    const auto waited = std::chrono::milliseconds(m_llmWaitingSince.elapsed());
    m_llmTimer.start(std::max(std::chrono::milliseconds(0), threshold - waited));
}

void NotificationCenter::onLlmDown()
{
    raise(Notification::Kind::LlmUnavailable,
          tr("CodeWorm: the LLM has been unavailable for %n minute(s)", nullptr,
             m_config.llmDownMinutes),
          m_llm.isEmpty() ? tr("Documents wait until it answers again.")
                          : tr("%1\nDocuments wait until it answers again.").arg(m_llm));
}

void NotificationCenter::onPushFinished(const PushReport &report)
{
    using O = PushReport::Outcome;
    switch (report.outcome) {
    case O::Offline:
    case O::AuthFailed:
    case O::Rejected:
    case O::Blocked:
    case O::Failed:
        if (m_config.pushFailures) {
            raise(Notification::Kind::PushFailing, tr("CodeWorm: pushing the DevLog fails"),
                  report.message);
        }
        break;
    case O::NoRemote:
    case O::UpToDate:
    case O::Pushed:
        clear(Notification::Kind::PushFailing);
        break;
    case O::Cancelled:
        break;
    }
}

void NotificationCenter::onDeadmanRaised(const QString &message)
{
    if (m_config.deadman) {
        raise(Notification::Kind::Deadman, tr("CodeWorm has not documented anything"), message);
    }
}

void NotificationCenter::onDeadmanCleared()
{
    clear(Notification::Kind::Deadman);
}

void NotificationCenter::raise(Notification::Kind kind, const QString &summary, const QString &body)
{
    if (m_raised.contains(kind)) {
        return;
    }
    m_raised.insert(kind);
    Notification notification;
    notification.kind = kind;
    notification.summary = summary;
    notification.body = body;
    notification.urgency = Notification::Urgency::Critical;
    notification.iconName = QStringLiteral("dialog-warning");
    show(notification);
}

void NotificationCenter::clear(Notification::Kind kind)
{
    if (!m_raised.remove(kind)) {
        return;
    }
    qCInfo(lcNotify).noquote() << "alert cleared:" << Notification::eventId(kind);
    for (Notifier *notifier : notifiers()) {
        notifier->withdraw(kind);
    }
}

void NotificationCenter::show(const Notification &notification)
{
    for (Notifier *notifier : notifiers()) {
        notifier->notify(notification);
    }
    emit notified(notification);
}

} // namespace codeworm
