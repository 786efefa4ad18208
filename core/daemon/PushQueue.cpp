#include "daemon/PushQueue.h"

#include "generate/DevLogIndex.h"

#include <QLoggingCategory>
#include <QtConcurrent>

#include <chrono>
#include <cmath>
#include <vector>

Q_LOGGING_CATEGORY(lcPushQueue, "codeworm.push")

namespace codeworm {

namespace {

// How often a running push is checked for silence.
constexpr int watchIntervalMs = 1000;

std::unique_ptr<QThreadPool> newPool()
{
    auto pool = std::make_unique<QThreadPool>();
    pool->setMaxThreadCount(1);
    return pool;
}

// A pool whose thread waits on a remote that no longer answers: waiting for it would never
// end, and it holds only copies and its own flags. It stays reachable, and alive, until the
// process ends it.
void leaveBehind(std::unique_ptr<QThreadPool> pool)
{
    if (!pool || pool->activeThreadCount() == 0) {
        return;
    }
    static std::vector<std::unique_ptr<QThreadPool>> *const leftBehind =
        new std::vector<std::unique_ptr<QThreadPool>>; // NOLINT: never freed, on purpose
    leftBehind->push_back(std::move(pool));
}

} // namespace

PushQueue::PushQueue(const DevLogConfig &config, const QString &devlogPath, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_path(devlogPath)
    , m_pool(newPool())
{
    qRegisterMetaType<PushReport>();
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &PushQueue::run);
    m_watch.setInterval(watchIntervalMs);
    connect(&m_watch, &QTimer::timeout, this, &PushQueue::watch);
}

PushQueue::~PushQueue()
{
    m_cancel->store(true);
    leaveBehind(std::move(m_stuck));
    m_pool->waitForDone();
}

void PushQueue::abandon()
{
    if (m_running) {
        giveUp();
        m_again = false;
    }
}

void PushQueue::giveUp()
{
    m_watch.stop();
    ++m_generation;
    m_running = false;
    // Should it ever hear from the remote again, it stops at once; later pushes get new flags.
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_activity = std::make_shared<std::atomic<qint64>>(0);
    leaveBehind(std::move(m_stuck));
    m_stuck = std::exchange(m_pool, newPool());
}

void PushQueue::watch()
{
    if (!m_running || m_config.pushTimeoutS <= 0) {
        m_watch.stop();
        return;
    }
    const qint64 silentMs = DevLogPusher::activityNow() - m_activity->load();
    if (silentMs < qint64(m_config.pushTimeoutS * 1000)) {
        return;
    }
    PushReport report;
    report.outcome = PushReport::Outcome::Offline;
    report.url = DevLogPusher::displayUrl(m_config.remote);
    report.message =
        QStringLiteral("the DevLog remote %1 has not answered for %2 s (a dropped connection?); "
                       "the push is given up on")
            .arg(report.url)
            .arg(silentMs / 1000);
    giveUp();
    onFinished(report);
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
    if (m_stuck && m_stuck->activeThreadCount() > 0) {
        // One thread at most waits on a dead connection: the next try comes when it is gone.
        const double seconds = m_config.pushRetryS > 0 ? m_config.pushRetryS : 60.0;
        m_nextRetry = QDateTime::currentDateTime().addMSecs(qint64(seconds * 1000));
        m_retry.start(std::chrono::milliseconds(qint64(seconds * 1000)));
        qCInfo(lcPushQueue).noquote()
            << QStringLiteral(
                   "an earlier push still waits on the DevLog remote; trying again in %1 s")
                   .arg(seconds);
        return;
    }
    m_stuck.reset();
    m_retry.stop();
    m_nextRetry = {};
    m_running = true;
    m_again = false;
    emit started();
    m_activity->store(DevLogPusher::activityNow());
    const quint64 generation = ++m_generation;
    QtConcurrent::run(m_pool.get(), [config = m_config, path = m_path, cancel = m_cancel,
                                     activity = m_activity] {
        DevLogPusher pusher(config, path);
        pusher.setCancelFlag(cancel);
        pusher.setActivityClock(activity);
        pusher.setReadmeBuilder(&PushQueue::rebuildReadme);
        return pusher.push();
    }).then(this, [this, generation](const PushReport &report) {
        if (generation == m_generation && m_running) {
            onFinished(report);
        }
    });
    if (m_config.pushTimeoutS > 0) {
        m_watch.start();
    }
}

void PushQueue::onFinished(const PushReport &report)
{
    m_watch.stop();
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
