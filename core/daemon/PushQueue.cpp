#include "daemon/PushQueue.h"

#include "generate/DevLogIndex.h"

#include <QLoggingCategory>
#include <QtConcurrent>

#include <chrono>
#include <cmath>
#include <vector>

Q_LOGGING_CATEGORY(lcPushQueue, "codeworm.push")

namespace codeworm {

PushQueue::PushQueue(const DevLogConfig &config, const QString &devlogPath, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_path(devlogPath)
{
    qRegisterMetaType<PushReport>();
    m_pool->setMaxThreadCount(1);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &PushQueue::run);
}

PushQueue::~PushQueue()
{
    m_cancel->store(true);
    if (m_abandoned) {
        // Waiting would never end; the thread holds only copies and the shared cancel flag.
        // The pool stays reachable, and alive, until the process ends it.
        static std::vector<std::unique_ptr<QThreadPool>> *const leftBehind =
            new std::vector<std::unique_ptr<QThreadPool>>; // NOLINT: never freed, on purpose
        leftBehind->push_back(std::move(m_pool));
        return;
    }
    m_pool->waitForDone();
}

void PushQueue::abandon()
{
    if (!m_running) {
        return;
    }
    m_abandoned = true;
    m_running = false;
    m_again = false;
}

QByteArray PushQueue::rebuildReadme(const QByteArray &readme,
                                    const QList<DevLogDocument> &documents)
{
    QList<DevLogIndex::Entry> entries;
    entries.reserve(documents.size());
    for (const DevLogDocument &d : documents) {
        entries.append({d.repo, d.docType, d.title, d.path, d.when});
    }
    // Every document of the history is listed, so the entries are their own counts.
    return DevLogIndex::merge(QString::fromUtf8(readme), DevLogIndex::section(entries, {}))
        .toUtf8();
}

void PushQueue::setConfig(const DevLogConfig &config, const QString &devlogPath)
{
    const bool remoteChanged = config.remote != m_config.remote;
    m_config = config;
    m_path = devlogPath;
    if (remoteChanged) {
        m_failures = 0;
        m_retry.stop();
        m_nextRetry = {};
        if (enabled()) {
            trigger();
        }
    }
}

void PushQueue::trigger()
{
    if (m_stopped || !enabled()) {
        return;
    }
    if (m_running) {
        m_again = true;
        return;
    }
    run();
}

void PushQueue::stop(bool cancelRunning)
{
    m_stopped = true;
    m_retry.stop();
    m_nextRetry = {};
    m_again = false;
    if (cancelRunning) {
        m_cancel->store(true);
    }
}

void PushQueue::run()
{
    if (m_stopped || m_running || !enabled()) {
        return;
    }
    m_retry.stop();
    m_nextRetry = {};
    m_running = true;
    m_again = false;
    emit started();
    QtConcurrent::run(m_pool.get(), [config = m_config, path = m_path, cancel = m_cancel] {
        DevLogPusher pusher(config, path);
        pusher.setCancelFlag(cancel);
        pusher.setReadmeBuilder(&PushQueue::rebuildReadme);
        return pusher.push();
    }).then(this, [this](const PushReport &report) { onFinished(report); });
}

void PushQueue::onFinished(const PushReport &report)
{
    if (m_abandoned) {
        return; // given up on: the stop went on without it
    }
    m_running = false;
    m_last = report;
    using O = PushReport::Outcome;
    switch (report.outcome) {
    case O::Pushed:
        qCInfo(lcPushQueue).noquote() << report.message;
        break;
    case O::NoRemote:
    case O::UpToDate:
        qCDebug(lcPushQueue).noquote() << report.message;
        break;
    case O::Cancelled:
        qCInfo(lcPushQueue).noquote()
            << QStringLiteral("push cancelled; %1 wait for the next start").arg(report.waiting);
        break;
    default:
        break;
    }
    if (report.succeeded() || report.outcome == O::Cancelled) {
        if (m_failures > 0 && report.succeeded()) {
            qCInfo(lcPushQueue) << "the DevLog's remote is in step again";
        }
        m_failures = report.succeeded() ? 0 : m_failures;
        emit finished(report);
        if (m_again && !m_stopped) {
            run();
        }
        return;
    }

    ++m_failures;
    const QString waiting = report.waiting == 1 ? QStringLiteral("1 commit waits")
                            : report.waiting > 1
                                ? QStringLiteral("%1 commits wait").arg(report.waiting)
                                : QStringLiteral("the commits wait");
    if (report.configError) {
        // Trying again cannot help until the configuration or the repository changes: the
        // next commit or a reload tries again.
        qCWarning(lcPushQueue).noquote()
            << QStringLiteral("%1; %2 until that is fixed").arg(report.message, waiting);
    } else if (!m_stopped) {
        const double first = m_config.pushRetryS > 0 ? m_config.pushRetryS : 60.0;
        const double seconds = std::min(std::max(first, m_config.pushRetryMaxS),
                                        first * std::pow(2.0, std::min(m_failures - 1, 30)));
        const auto wait = std::chrono::milliseconds(qint64(seconds * 1000));
        m_nextRetry = QDateTime::currentDateTime().addMSecs(wait.count());
        m_retry.start(wait);
        const QString line =
            QStringLiteral("%1; %2 for the next cycle or the retry in %3 s")
                .arg(report.message, waiting, QString::number(seconds, 'g', seconds < 10 ? 2 : 6));
        // Once a streak is announced, the retries need no more than an info line each.
        if (m_failures == 1) {
            qCWarning(lcPushQueue).noquote() << line;
        } else {
            qCInfo(lcPushQueue).noquote() << line;
        }
    }
    emit finished(report);
    if (m_again && !m_stopped) {
        run();
    }
}

} // namespace codeworm
