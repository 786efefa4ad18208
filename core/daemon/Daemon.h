#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "daemon/CycleResult.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

class QNetworkAccessManager;

namespace codeworm {

class CycleRunner;
class LlmClient;
class LocalOllama;
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
    QString currentTarget; // while working
    double tokensPerSecond = 0;
    QString lastError;
    QString llm; // "Ollama at http://localhost:11434, model qwen2.5:7b"

    QString stateText() const;
};

// Owns and wires everything: the LLM client, the state store, the scheduler and the cycle
// runner. The tray and the headless mode see CodeWorm only through this class.
class Daemon : public QObject
{
    Q_OBJECT
public:
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

    DaemonStatus status() const { return m_status; }
    const Config &config() const { return m_config; }
    bool isPaused() const { return m_paused; }

public slots:
    void pause();
    void resume();
    void runNow();
    // Applies a new configuration to the next cycle (repos, weights, schedule, LLM).
    void reload(const codeworm::Config &config);
    // Cancels generation and finishes; emits stopped() when nothing is in flight.
    void stop();

signals:
    void statusChanged(const codeworm::DaemonStatus &status);
    void cycleStarted(const QString &target);
    // While the model writes: tokens so far and the current rate.
    void generationProgress(int tokens, double tokensPerSecond);
    void cycleFinished(const codeworm::CycleResult &result);
    void stopped();

private:
    void startCycle();
    void onCycleFinished(const CycleResult &result);
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
    std::unique_ptr<LlmClient> m_llm;
    Scheduler *m_scheduler;
    LocalOllama *m_localOllama; // `ollama serve` when nothing listens locally
    QPointer<CycleRunner> m_cycle;
    QTimer m_llmRetry;
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
