#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "daemon/CycleResult.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace codeworm {

class CycleRunner;
class DeadmanSwitch;
class LaptopManners;
class LlmClient;
class LocalOllama;
class NotificationCenter;
class PushQueue;
struct PushReport;
class Scheduler;
class StateStore;
class SymbolIndex;

// What the tray, the status window and the log show about a running CodeWorm.
struct DaemonStatus
{
    enum class State { Idle, Working, Paused, WaitingForLlm, Error };

    State state = State::Idle;
    int commitsToday = 0;
    int plannedToday = 0;
    QDateTime nextRun;
    QString lastCommit; // "Parser.parse (core)"
    QDateTime lastCommitAt;
    QString lastDocument;  // absolute path of the last document written; empty: none yet
    QString currentTarget; // while working
    double tokensPerSecond = 0;
    QString lastError;
    QString llm; // "Ollama at http://localhost:11434, model qwen2.5:7b"
    // The DevLog's push: "pushed 1 commit to origin (...)", or why commits wait and when the
    // next try is. Empty without devlog.remote.
    QString push;
    // Why planned runs wait now: the backoff after failures, or a laptop manner. Empty: none.
    QString waiting;
    // The dead-man's switch's alert while raised: planned runs overdue with no success since.
    QString alert;

    QString stateText() const;
};

// Owns and wires everything: the LLM client, the state store, the scheduler and the cycle
// runner. The tray and the headless mode see CodeWorm only through this class.
class Daemon : public QObject
{
    Q_OBJECT
public:
    static constexpr int pushStopGraceMs = 10000;

    struct Options
    {
        bool dryRun = false;
        QString docType; // run-once --type: only this doc type
        QString repo;    // run-once --repo: only this repository
    };

    Daemon(const Config &config, Options options, QObject *parent = nullptr);
    ~Daemon() override;

    // Opens the state database. Must succeed before start() or runOnce().
    Status open();
    // Checks the LLM (waiting with backoff while it is down) and starts the schedule.
    void start();
    // Runs one cycle now; cycleFinished() tells the result.
    void runOnce();

    // Feeds `center` this daemon's cycles, LLM waits, pushes, alerts and reloads.
    void attachNotifications(NotificationCenter *center);

    DaemonStatus status() const { return m_status; }
    const Config &config() const { return m_config; }
    bool isPaused() const { return m_paused; }

public slots:
    void pause();
    void resume();
    void runNow();
    // Applies a new configuration to the next cycle (repos, weights, schedule, LLM).
    void reload(const codeworm::Config &config);
    // Cancels generation and finishes; emits stopped() when nothing is in flight. A DevLog
    // push that has not ended pushStopGraceMs after its cancel is given up on.
    void stop();

signals:
    void statusChanged(const codeworm::DaemonStatus &status);
    void cycleStarted(const QString &target);
    // While the model writes: tokens so far and the current rate.
    void generationProgress(int tokens, double tokensPerSecond);
    void cycleFinished(const codeworm::CycleResult &result);
    // The dead-man's switch: raised once, cleared by the next successful cycle.
    void alertRaised(const QString &message);
    void alertCleared();
    // Each push of the DevLog, in the background or run-once's.
    void pushFinished(const codeworm::PushReport &report);
    // reload() applied `config`.
    void reloaded(const codeworm::Config &config);
    void stopped();

private:
    // Who asked for a cycle: the plan (skipped while paused) or the user (run now, run-once).
    enum class Origin { Planned, Requested };

    QString pausedMarker() const;
    void onPlannedRunDue();
    // The dead-man's switch does not count planned runs held back on purpose.
    void updateHeldBack();
    void startCycle(Origin origin);
    // How long the original's backoff after consecutive failures still holds: min(300,
    // 30 x 2^(n-1)) s after the last of n >= 2 failures; 0 when none.
    qint64 backoffRemainingMs() const;
    void onCycleFinished(const CycleResult &result);
    // Announces a finished cycle: the signal, then stopping or waiting for the LLM.
    void completeCycle(const CycleResult &result);
    void onPushFinished(const PushReport &report);
    void waitForLlm();
    void prewarm();
    // Wires a new LLM client's signals (the pull progress) to the status.
    void connectClient();
    void setState(DaemonStatus::State state);
    void refreshCounts();
    void announce();
    // Emits stopped() once stop() was asked and neither a cycle nor a server started here runs.
    void finishStopping();
    std::unique_ptr<LlmClient> makeClient();

    Config m_config;
    Options m_options;
    QNetworkAccessManager *m_network;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<SymbolIndex> m_index;
    // The cycles' work off the main thread (selection, fact check, DevLog commit). Its threads
    // end with the daemon: libgit2 frees its per-thread state only when a thread ends, and the
    // global pool's threads may outlive libgit2's shutdown at exit. Declared after the state
    // and the index, so that the work is done before they go.
    QThreadPool m_workers;
    std::unique_ptr<LlmClient> m_llm;
    Scheduler *m_scheduler;
    LocalOllama *m_localOllama; // `ollama serve` when nothing listens locally
    PushQueue *m_push;          // the DevLog's push to devlog.remote, in the background
    bool m_runOnce = false;     // run-once: push before the cycle counts as finished
    std::optional<CycleResult> m_awaitingPush; // run-once's result until its push is done
    QPointer<CycleRunner> m_cycle;
    QTimer m_llmRetry;
    QTimer m_backoff; // a cycle asked for during the backoff starts when it ends
    Origin m_deferredOrigin = Origin::Planned; // of the cycle waiting for the backoff or LLM
    int m_consecutiveFailures = 0;
    QDateTime m_lastFailureAt;
    DeadmanSwitch *m_deadman;
    LaptopManners *m_manners; // battery, idle and quiet hours hold planned runs back
    bool m_prewarmed = false; // the current client's model was asked to load
    int m_llmFailures = 0;
    bool m_paused = false;
    bool m_stopping = false;
    bool m_stopEmitted = false;
    bool m_cycleWanted = false;
    bool m_clientStale = false; // reload() during a cycle: new client after it
    DaemonStatus m_status;
};

} // namespace codeworm
