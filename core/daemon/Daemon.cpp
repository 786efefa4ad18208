#include "daemon/Daemon.h"

#include "analysis/SymbolIndex.h"
#include "daemon/CrashRecovery.h"
#include "daemon/CycleRunner.h"
#include "daemon/LaptopManners.h"
#include "daemon/LocalOllama.h"
#include "daemon/PushQueue.h"
#include "llm/LlmFactory.h"
#include "notify/NotificationCenter.h"
#include "schedule/DayPlanner.h"
#include "schedule/DeadmanSwitch.h"
#include "schedule/Scheduler.h"
#include "state/StateStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSaveFile>

#ifdef __GLIBC__
#include <malloc.h>
#endif

Q_LOGGING_CATEGORY(lcDaemon, "codeworm.daemon")

namespace codeworm {

QString DaemonStatus::stateText() const
{
    switch (state) {
    case State::Idle:
        return QObject::tr("Idle");
    case State::Working:
        return QObject::tr("Working");
    case State::Paused:
        return QObject::tr("Paused");
    case State::WaitingForLlm:
        return QObject::tr("Waiting for the LLM");
    case State::Error:
        break;
    }
    return QObject::tr("Error");
}

Daemon::Daemon(const Config &config, Options options, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_options(options)
    , m_network(new QNetworkAccessManager(this))
    , m_llm(makeClient())
    , m_scheduler(new Scheduler(config.schedule, this))
    , m_localOllama(new LocalOllama(config, this))
    , m_push(new PushQueue(config.devlog, config.devlogPath(), this))
    , m_deadman(new DeadmanSwitch(config.schedule, 0, config.daemon.deadmanMinutes, this))
    , m_manners(new LaptopManners(config.laptop, config.schedule.zone(), this))
{
    qRegisterMetaType<CycleResult>();
    qRegisterMetaType<DaemonStatus>();
    m_status.llm = m_llm->describe();
    connectClient();
    m_llmRetry.setSingleShot(true);
    connect(&m_llmRetry, &QTimer::timeout, this, &Daemon::waitForLlm);
    connect(m_localOllama, &LocalOllama::starting, this, [this] {
        // Ask the new server soon rather than after the backoff (a check in flight sees
        // isStarting() when it fails).
        if (!m_stopping && m_llmRetry.isActive()) {
            m_llmRetry.start(std::chrono::seconds(1));
        }
    });
    connect(m_localOllama, &LocalOllama::stopped, this, &Daemon::finishStopping);
    connect(m_push, &PushQueue::finished, this, &Daemon::onPushFinished);
    connect(m_scheduler, &Scheduler::due, this, &Daemon::onPlannedRunDue);
    m_backoff.setSingleShot(true);
    connect(&m_backoff, &QTimer::timeout, this, [this] {
        m_status.waiting.clear();
        startCycle(m_deferredOrigin);
    });
    connect(m_manners, &LaptopManners::waiting, this, [this](const QString &reason) {
        m_status.waiting = tr("the planned run waits: %1").arg(reason);
        qCInfo(lcDaemon).noquote() << m_status.waiting;
        updateHeldBack();
        announce();
    });
    connect(m_manners, &LaptopManners::allowed, this, [this] {
        if (!m_status.waiting.isEmpty() && !m_backoff.isActive()) {
            m_status.waiting.clear();
            announce();
        }
        updateHeldBack();
        if (!m_paused) {
            startCycle(Origin::Planned);
        }
    });
    connect(m_deadman, &DeadmanSwitch::raised, this, [this](const QString &message) {
        m_status.alert = message;
        announce();
        emit alertRaised(message);
    });
    connect(m_deadman, &DeadmanSwitch::cleared, this, [this] {
        m_status.alert.clear();
        announce();
        emit alertCleared();
    });
    connect(m_scheduler, &Scheduler::nextRunChanged, this, [this](const QDateTime &next) {
        m_status.nextRun = next;
        announce();
    });
}

Daemon::~Daemon()
{
    if (m_cycle) {
        m_cycle->cancel();
    }
}

std::unique_ptr<LlmClient> Daemon::makeClient()
{
    return LlmFactory::create(m_config, m_network);
}

Status Daemon::open()
{
    const QString stateDir = m_config.stateDir();
    if (!QDir().mkpath(stateDir)) {
        return Status::failure(
            QStringLiteral("cannot create the state directory %1").arg(stateDir));
    }
    m_state = std::make_unique<StateStore>(m_config.databasePath());
    if (Status opened = m_state->open(); !opened) {
        QString detail;
        switch (StateStore::diagnose(m_config.databasePath(), &detail)) {
        case StateStore::FileHealth::Locked:
            return Status::failure(
                QStringLiteral("%1 (another program holds the state database: is another "
                               "CodeWorm running with the same data_dir?)")
                    .arg(opened.error()));
        case StateStore::FileHealth::Corrupt: {
            // The DevLog holds every document: the state can be made again from it.
            m_state.reset();
            const Result<CrashRecovery::Rebuild> rebuilt =
                CrashRecovery::rebuildState(m_config, QStringLiteral("corrupt"));
            if (!rebuilt) {
                return Status::failure(
                    QStringLiteral("%1; rebuilding it from the DevLog failed: %2")
                        .arg(opened.error(), rebuilt.error()));
            }
            qCWarning(lcDaemon).noquote()
                << QStringLiteral("the state database %1 was damaged (%2): kept as %3 and rebuilt "
                                  "from the DevLog (%4 documents)")
                       .arg(m_config.databasePath(), detail, rebuilt->keptAs)
                       .arg(rebuilt->documents);
            m_state = std::make_unique<StateStore>(m_config.databasePath());
            if (Status reopened = m_state->open(); !reopened) {
                return reopened;
            }
            break;
        }
        case StateStore::FileHealth::Sound:
        case StateStore::FileHealth::Other:
            return opened;
        }
    }
    // Before any cycle: what a crash left between writing, committing and recording.
    if (!m_options.dryRun) {
        const Result<CrashRecovery::Report> recovered = CrashRecovery::run(m_config, *m_state);
        if (!recovered) {
            return Status::failure(
                QStringLiteral("recovering the DevLog and state: %1").arg(recovered.error()));
        }
        if (!recovered->undone.isEmpty()) {
            qCWarning(lcDaemon).noquote()
                << QStringLiteral("undid the unfinished write of an interrupted cycle: %1")
                       .arg(recovered->undone.join(QStringLiteral(", ")));
        }
        if (recovered->rowsAdded > 0) {
            qCWarning(lcDaemon).noquote()
                << QStringLiteral("recorded %1 document(s) committed before an interruption")
                       .arg(recovered->rowsAdded);
        }
    }
    m_scheduler->setSeed(Scheduler::persistedSeed(stateDir));
    m_deadman->setSchedule(m_config.schedule, m_scheduler->seed(), m_config.daemon.deadmanMinutes);
    if (const Result<CycleTotals> totals = m_state->cycleTotals(); totals) {
        // The backoff and the dead-man's switch go on from before a restart.
        m_consecutiveFailures = int(totals->consecutiveFailures);
        m_lastFailureAt = totals->lastFailure;
        if (totals->lastSuccess.isValid()) {
            m_deadman->noteSuccess(totals->lastSuccess);
        }
    } else {
        qCWarning(lcDaemon).noquote() << totals.error();
    }
    if (QFile marker(pausedMarker()); marker.open(QIODevice::ReadOnly)) {
        m_paused = true;
        m_status.state = DaemonStatus::State::Paused;
        updateHeldBack();
        qCInfo(lcDaemon).noquote()
            << QStringLiteral("paused since %1: planned runs wait (codeworm resume)")
                   .arg(QString::fromUtf8(marker.readAll().trimmed()));
    }
    if (const QList<DocumentedEntry> last = m_state->recent(1); !last.isEmpty()) {
        const DocumentedEntry &entry = last.first();
        m_status.lastDocument = m_config.devlogPath() + QLatin1Char('/') + entry.snippetPath;
        if (m_status.lastCommit.isEmpty()) {
            m_status.lastCommit = QStringLiteral("%1 (%2)").arg(
                entry.className.isEmpty() ? entry.functionName
                                          : entry.className + QLatin1Char('.') + entry.functionName,
                entry.sourceRepo);
            m_status.lastCommitAt = entry.documentedAt.toLocalTime();
        }
    }
    m_index = std::make_unique<SymbolIndex>(m_config.indexPath());
    if (Status opened = m_index->open(); !opened) {
        return opened;
    }
    refreshCounts();
    return {};
}

void Daemon::start()
{
    qCInfo(lcDaemon).noquote() << "using" << m_llm->describe();
    qCInfo(lcDaemon).noquote() << "DevLog:" << m_config.devlogPath();
    if (m_config.repositories.isEmpty()) {
        qCWarning(lcDaemon).noquote()
            << QStringLiteral("no repositories configured: add them to %1/repos.yaml "
                              "(then send SIGHUP or restart)")
                   .arg(m_config.configDir);
    }
    if (m_push->enabled()) {
        qCInfo(lcDaemon).noquote() << "DevLog pushes to" << m_config.devlog.remote;
        // Commits that could not be pushed before go now (no network when none wait).
        m_push->trigger();
    }
    if (m_config.schedule.enabled) {
        m_scheduler->start();
        m_deadman->start();
    } else {
        qCInfo(lcDaemon)
            << "schedule disabled (schedule.enabled: false): cycles run only on request";
    }
    refreshCounts();
    waitForLlm();
}

void Daemon::runOnce()
{
    m_runOnce = true;
    startCycle(Origin::Requested);
}

// Once per client, after its first good health check: the model is loaded in the background,
// so that the first cycle does not wait minutes for it. A failure only costs that wait.
void Daemon::prewarm()
{
    m_prewarmed = true;
    LlmReply *reply = m_llm->prewarm();
    if (!reply) {
        return;
    }
    connect(reply, &LlmReply::finished, this, [reply] {
        if (reply->error() == LlmReply::Error::None) {
            qCInfo(lcDaemon).noquote() << "model loaded";
        } else if (reply->error() != LlmReply::Error::Cancelled) {
            qCInfo(lcDaemon).noquote() << "could not preload the model:" << reply->errorString();
        }
    });
}

void Daemon::connectClient()
{
    m_prewarmed = false;
    connect(m_llm.get(), &LlmClient::pullProgress, this,
            [this](const QString &model, const QString &status, qint64 completed, qint64 total) {
                m_status.llm =
                    total > 0
                        ? tr("pulling %1: %2 (%3%)").arg(model, status).arg(completed * 100 / total)
                        : tr("pulling %1: %2").arg(model, status);
                emit statusChanged(m_status);
            });
}

void Daemon::waitForLlm()
{
    if (m_stopping) {
        return;
    }
    LlmReply *reply = m_llm->checkHealth();
    connect(reply, &LlmReply::finished, this, [this, reply] {
        if (m_stopping) {
            return;
        }
        if (reply->error() == LlmReply::Error::None) {
            if (m_llmFailures > 0) {
                qCInfo(lcDaemon).noquote() << m_llm->describe() << "is reachable again";
            }
            m_llmFailures = 0;
            m_status.llm = m_llm->describe(); // no longer "pulling ..."
            if (!m_prewarmed) {
                prewarm();
            }
            if (m_status.state == DaemonStatus::State::WaitingForLlm) {
                setState(m_paused ? DaemonStatus::State::Paused : DaemonStatus::State::Idle);
            }
            if (m_cycleWanted) {
                m_cycleWanted = false;
                startCycle(m_deferredOrigin);
            }
            return;
        }
        if (reply->error() == LlmReply::Error::Unreachable && m_localOllama->isStarting()) {
            // The server CodeWorm started is still opening its port: ask again soon, quietly.
            qCDebug(lcDaemon).noquote() << "waiting for the local Ollama server to start";
            setState(DaemonStatus::State::WaitingForLlm);
            m_llmRetry.start(std::chrono::seconds(1));
            return;
        }
        ++m_llmFailures;
        // The original's wait: 10 s, then min(300, 10·2^(n−1)) s.
        const int seconds = qMin(300, 10 * (1 << qMin(m_llmFailures - 1, 5)));
        qCWarning(lcDaemon).noquote() << QStringLiteral("%1. %2 Retrying in %3 s.")
                                             .arg(reply->errorString(), m_llm->setupHint())
                                             .arg(seconds);
        m_status.lastError = reply->errorString();
        setState(DaemonStatus::State::WaitingForLlm);
        m_llmRetry.start(std::chrono::seconds(seconds));
        if (reply->error() == LlmReply::Error::Unreachable) {
            m_localOllama->serverMissing();
        }
    });
}

void Daemon::onPlannedRunDue()
{
    if (m_paused) {
        qCInfo(lcDaemon) << "paused: skipping the planned run";
        return;
    }
    // Laptop manners first; allowed() starts the cycle, at once when nothing holds it back.
    m_manners->requestRun();
}

void Daemon::updateHeldBack()
{
    m_deadman->setHeldBack(m_paused || m_manners->isWaiting());
}

qint64 Daemon::backoffRemainingMs() const
{
    if (m_consecutiveFailures < 2 || !m_lastFailureAt.isValid()) {
        return 0;
    }
    const qint64 seconds = qMin(300, 30 * (1 << qMin(m_consecutiveFailures - 1, 5)));
    const qint64 elapsed = m_lastFailureAt.msecsTo(QDateTime::currentDateTimeUtc());
    return qBound<qint64>(0, seconds * 1000 - elapsed, seconds * 1000);
}

void Daemon::startCycle(Origin origin)
{
    if (m_stopping || m_cycle) {
        return;
    }
    if (m_paused && origin == Origin::Planned) {
        qCInfo(lcDaemon) << "paused: skipping the planned run";
        return;
    }
    if (m_status.state == DaemonStatus::State::WaitingForLlm) {
        // Run as soon as the LLM answers again.
        m_cycleWanted = true;
        m_deferredOrigin = origin;
        return;
    }
    // Run now skips the wait for the plan, not the backoff after failures; run-once is one
    // cycle the user waits for, so it runs at once.
    if (const qint64 wait = m_runOnce ? 0 : backoffRemainingMs(); wait > 0) {
        if (!m_backoff.isActive() || origin == Origin::Requested) {
            m_deferredOrigin = origin;
        }
        if (!m_backoff.isActive()) {
            const QDateTime at = QDateTime::currentDateTime().addMSecs(wait);
            // n >= 2 here: always plural.
            m_status.waiting = tr("the last %1 cycles failed: the next waits until %2")
                                   .arg(m_consecutiveFailures)
                                   .arg(at.toString(QStringLiteral("HH:mm:ss")));
            qCInfo(lcDaemon).noquote() << m_status.waiting;
            m_backoff.start(std::chrono::milliseconds(wait));
            announce();
        }
        return;
    }
    m_cycle = new CycleRunner(m_config, m_llm.get(), m_state.get(), m_index.get(), &m_workers,
                              m_options.dryRun, this);
    m_cycle->restrictTo({m_options.docType, m_options.repo});
    connect(m_cycle, &CycleRunner::finished, this, &Daemon::onCycleFinished);
    connect(m_cycle, &CycleRunner::progress, this, [this](int tokens, double tokensPerSecond) {
        m_status.tokensPerSecond = tokensPerSecond;
        announce();
        emit generationProgress(tokens, tokensPerSecond);
    });
    connect(m_cycle, &CycleRunner::stepChanged, this, [this](CycleRunner::Step step) {
        if (step == CycleRunner::Step::Generate && m_cycle) {
            m_status.currentTarget = m_cycle->targetDescription();
            emit cycleStarted(m_status.currentTarget);
            announce();
        }
    });
    m_status.tokensPerSecond = 0;
    m_status.currentTarget.clear();
    setState(DaemonStatus::State::Working);
    m_cycle->start();
}

void Daemon::onCycleFinished(const CycleResult &result)
{
    if (m_cycle) {
        m_cycle->deleteLater();
        m_cycle = nullptr;
    }
#ifdef __GLIBC__
    // A cycle (its index refresh above all) allocates and frees tens of MB on worker threads,
    // and glibc keeps the freed pages; once the cycle's objects are gone they go back, while
    // the daemon idles until the next run.
    constexpr int trimDelayMs = 1000;
    QTimer::singleShot(trimDelayMs, this, [] { malloc_trim(0); });
#endif
    switch (result.outcome) {
    case CycleResult::Outcome::Committed:
    case CycleResult::Outcome::DryRun:
    case CycleResult::Outcome::Skipped:
        qCInfo(lcDaemon).noquote() << result.summary();
        break;
    case CycleResult::Outcome::Failed:
        qCWarning(lcDaemon).noquote() << result.summary();
        break;
    }
    m_status.currentTarget.clear();
    m_status.tokensPerSecond = 0;
    if (m_clientStale) {
        m_clientStale = false;
        m_llm = makeClient();
        m_status.llm = m_llm->describe();
        connectClient();
    }
    if (!m_options.dryRun) {
        switch (result.outcome) {
        case CycleResult::Outcome::Committed:
            m_consecutiveFailures = 0;
            m_deadman->noteSuccess(result.finished);
            break;
        case CycleResult::Outcome::Failed:
            ++m_consecutiveFailures;
            m_lastFailureAt = QDateTime::currentDateTimeUtc();
            break;
        case CycleResult::Outcome::Skipped:
            // Nothing to do (or cancelled) is no malfunction: the switch sees a live daemon.
            if (result.reason != QLatin1String("cancelled")) {
                m_deadman->noteSuccess(result.finished);
            }
            break;
        case CycleResult::Outcome::DryRun:
            break;
        }
    }
    if (result.outcome == CycleResult::Outcome::Committed) {
        m_status.lastCommit = QStringLiteral("%1 (%2)").arg(result.symbol, result.repo);
        m_status.lastCommitAt = result.finished;
        m_status.lastDocument = m_config.devlogPath() + QLatin1Char('/') + result.documentPath;
        m_status.lastError.clear();
    }
    DaemonStatus::State next = m_paused ? DaemonStatus::State::Paused : DaemonStatus::State::Idle;
    if (result.outcome == CycleResult::Outcome::Failed) {
        m_status.lastError = result.reason;
        if (!m_paused) {
            next = DaemonStatus::State::Error;
        }
    }
    refreshCounts();
    setState(next);
    if (!m_options.dryRun && m_push->enabled()) {
        // Also after a cycle without a commit: commits waiting for the remote go along.
        m_push->trigger();
        if (m_runOnce && m_push->isBusy()) {
            m_awaitingPush = result;
            return;
        }
    }
    completeCycle(result);
}

void Daemon::completeCycle(const CycleResult &result)
{
    emit cycleFinished(result);
    if (m_stopping) {
        finishStopping();
        return;
    }
    if (result.llmUnavailable) {
        // Wait for the server with backoff, then run the cycle that could not.
        m_cycleWanted = true;
        m_deferredOrigin = Origin::Planned;
        m_llmFailures = 0;
        waitForLlm();
    }
}

void Daemon::onPushFinished(const PushReport &report)
{
    using O = PushReport::Outcome;
    // The state follows the documents: to their replayed commits, and to the remote.
    if (m_state) {
        if (Status renamed = m_state->replaceCommits(report.replaced); !renamed) {
            qCWarning(lcDaemon).noquote() << renamed.error();
        }
        if (report.outcome == O::Pushed || report.outcome == O::UpToDate) {
            if (Status marked = m_state->markPushed(m_state->unpushedCommits()); !marked) {
                qCWarning(lcDaemon).noquote() << marked.error();
            }
        }
    }
    switch (report.outcome) {
    case O::NoRemote:
        m_status.push.clear();
        break;
    case O::UpToDate:
        m_status.push = tr("nothing waits to be pushed to %1").arg(report.remote);
        break;
    case O::Pushed:
        m_status.push = report.message;
        break;
    default: {
        const QDateTime retry = m_push->nextRetry();
        m_status.push =
            retry.isValid()
                ? tr("%n commit(s) wait: %1; next try at %2", nullptr, report.waiting)
                      .arg(report.message, retry.toString(QStringLiteral("HH:mm")))
                : tr("%n commit(s) wait: %1", nullptr, report.waiting).arg(report.message);
        break;
    }
    }
    announce();
    emit pushFinished(report);
    if (m_awaitingPush) {
        CycleResult result = *m_awaitingPush;
        m_awaitingPush.reset();
        if (report.outcome == O::Pushed) {
            result.push = report.message;
        } else if (!report.succeeded()) {
            // The document is committed; only its way to the remote is pending.
            result.push =
                QStringLiteral("push pending (%1); the next run pushes it").arg(report.message);
        }
        completeCycle(result);
        return;
    }
    if (m_stopping) {
        finishStopping();
    }
}

QString Daemon::pausedMarker() const
{
    return m_config.stateDir() + QStringLiteral("/paused");
}

void Daemon::pause()
{
    if (m_paused) {
        return;
    }
    m_paused = true;
    qCInfo(lcDaemon) << "paused";
    // Kept in the state folder: a pause outlives a restart or a reboot until resumed.
    QSaveFile marker(pausedMarker());
    if (!marker.open(QIODevice::WriteOnly) ||
        marker.write(QDateTime::currentDateTime().toString(Qt::ISODate).toUtf8() + '\n') < 0 ||
        !marker.commit()) {
        qCWarning(lcDaemon).noquote()
            << QStringLiteral("cannot keep the pause in %1: %2 (a restart resumes)")
                   .arg(pausedMarker(), marker.errorString());
    }
    m_manners->cancelPending();
    if (m_status.waiting.startsWith(tr("the planned run waits"))) {
        m_status.waiting.clear();
    }
    updateHeldBack();
    if (m_backoff.isActive() && m_deferredOrigin == Origin::Planned) {
        m_backoff.stop();
        m_status.waiting.clear();
    }
    if (!m_cycle) {
        setState(DaemonStatus::State::Paused);
    } else if (m_config.daemon.pauseCancelsGeneration &&
               m_cycle->step() <= CycleRunner::Step::Generate) {
        // Before the commit only: a document being committed is finished, never cut.
        qCInfo(lcDaemon) << "pause: stopping the running cycle (daemon.pause_cancels_generation)";
        m_cycle->cancel();
    }
}

void Daemon::resume()
{
    if (!m_paused) {
        return;
    }
    m_paused = false;
    qCInfo(lcDaemon) << "resumed";
    updateHeldBack();
    QFile::remove(pausedMarker());
    if (!m_cycle && m_status.state != DaemonStatus::State::WaitingForLlm) {
        setState(DaemonStatus::State::Idle);
    }
}

void Daemon::runNow()
{
    qCInfo(lcDaemon) << "run now requested";
    // This cycle stands for a planned run that laptop manners hold back.
    if (m_manners->isPending()) {
        m_manners->cancelPending();
        m_status.waiting.clear();
        updateHeldBack();
    }
    startCycle(Origin::Requested);
}

void Daemon::reload(const Config &config)
{
    m_config = config;
    m_localOllama->setConfig(config);
    m_push->setConfig(config.devlog, config.devlogPath());
    if (m_cycle) {
        m_clientStale = true; // the running cycle still uses the current client
    } else {
        m_llm = makeClient();
        m_status.llm = m_llm->describe();
        connectClient();
        if (m_status.state == DaemonStatus::State::WaitingForLlm) {
            m_llmRetry.stop();
            waitForLlm();
        }
    }
    m_scheduler->setSchedule(config.schedule);
    m_deadman->setSchedule(config.schedule, m_scheduler->seed(), config.daemon.deadmanMinutes);
    m_manners->setConfig(config.laptop, config.schedule.zone());
    refreshCounts();
    const QString llm = m_clientStale
                            ? QStringLiteral("the LLM settings apply after the running cycle")
                            : QStringLiteral("using ") + m_llm->describe();
    qCInfo(lcDaemon).noquote() << "configuration reloaded from" << config.configDir << "-" << llm;
    emit reloaded(m_config);
}

void Daemon::attachNotifications(NotificationCenter *center)
{
    connect(this, &Daemon::cycleFinished, center, &NotificationCenter::onCycleFinished);
    connect(this, &Daemon::statusChanged, center, [center](const DaemonStatus &status) {
        center->onLlmWaiting(status.state == DaemonStatus::State::WaitingForLlm, status.llm);
    });
    connect(this, &Daemon::pushFinished, center, &NotificationCenter::onPushFinished);
    connect(this, &Daemon::alertRaised, center, &NotificationCenter::onDeadmanRaised);
    connect(this, &Daemon::alertCleared, center, &NotificationCenter::onDeadmanCleared);
    connect(this, &Daemon::reloaded, center, &NotificationCenter::setConfig);
}

void Daemon::stop()
{
    if (m_stopping) {
        return;
    }
    m_stopping = true;
    qCInfo(lcDaemon) << "stopping";
    m_scheduler->stop();
    m_deadman->stop();
    m_manners->cancelPending();
    m_backoff.stop();
    m_llmRetry.stop();
    m_llm->cancelAll();
    m_localOllama->stop(); // its stopped() calls finishStopping()
    // A push in flight stops at its next step; its commits are pushed at the next start.
    m_push->stop(true);
    if (m_push->isBusy()) {
        // A remote that accepted the connection and went silent gives the push no next step.
        QTimer::singleShot(pushStopGraceMs, this, [this] {
            if (m_stopEmitted || !m_push->isBusy()) {
                return;
            }
            qCWarning(lcDaemon).noquote()
                << QStringLiteral("the DevLog push did not stop within %1 s: the remote no longer "
                                  "answers; its commits are pushed at the next start")
                       .arg(pushStopGraceMs / 1000);
            m_push->abandon();
            finishStopping();
        });
    }
    if (m_cycle) {
        m_cycle->cancel();
        return; // onCycleFinished calls finishStopping()
    }
    QMetaObject::invokeMethod(this, &Daemon::finishStopping, Qt::QueuedConnection);
}

void Daemon::finishStopping()
{
    if (!m_stopping || m_stopEmitted || m_cycle || m_localOllama->isRunning() || m_push->isBusy()) {
        return;
    }
    m_stopEmitted = true;
    emit stopped();
}

void Daemon::setState(DaemonStatus::State state)
{
    m_status.state = state;
    announce();
}

void Daemon::refreshCounts()
{
    if (m_state) {
        const QDateTime midnight = QDateTime(QDate::currentDate(), QTime(0, 0));
        m_status.commitsToday = m_state->countDocumentedSince(midnight.toUTC());
    }
    m_status.plannedToday =
        m_config.schedule.enabled
            ? int(DayPlanner::plan(QDateTime::currentDateTime()
                                       .toTimeZone(DayPlanner::zoneFor(m_config.schedule))
                                       .date(),
                                   m_config.schedule, m_scheduler->seed())
                      .runs.size())
            : 0;
    m_status.nextRun = m_scheduler->nextRun();
    announce();
}

void Daemon::announce()
{
    emit statusChanged(m_status);
}

} // namespace codeworm
