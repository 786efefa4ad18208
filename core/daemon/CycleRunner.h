#pragma once

#include "config/Config.h"
#include "daemon/CycleResult.h"
#include "targets/Target.h"
#include "targets/TargetSelector.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QThreadPool;

namespace codeworm {

class LlmClient;
class LlmReply;
class PromptLibrary;
class StateStore;
class SymbolIndex;
struct RedactedText;
struct FactCheckResult;

// Runs one documentation cycle as a chain of asynchronous steps: health → select (worker)
// → generate (network) → write and commit (worker) → record. Emits finished() exactly once;
// never blocks the thread it lives on.
class CycleRunner : public QObject
{
    Q_OBJECT
public:
    enum class Step { Health, Select, Generate, Commit, Record, Done };
    Q_ENUM(Step)

    // workers: runs the steps that do not belong on this thread; it must outlive the work.
    CycleRunner(const Config &config, LlmClient *llm, StateStore *state, SymbolIndex *index,
                QThreadPool *workers, bool dryRun, QObject *parent = nullptr);

    void start();
    // Stops generation at once; a commit already running on the worker is allowed to
    // finish (the document is then recorded), so nothing is left half-written.
    void cancel();
    Step step() const { return m_step; }
    // Restricts the selection to one doc type and/or repository (run-once --type/--repo).
    void restrictTo(const TargetSelector::Restriction &only) { m_only = only; }
    // "parse_config in core (config/Loader.py)" once a target is chosen.
    QString targetDescription() const;

    // The commit message: subject, body and CodeWorm-* trailers.
    // `subject` empty: fallbackSubject().
    static QString commitMessage(const Target &target, const QString &subject = {},
                                 const QString &factCheck = {});
    // "Document Circle.area (geometry)", "Security Review: login (shop)".
    static QString fallbackSubject(const Target &target);

signals:
    void stepChanged(codeworm::CycleRunner::Step step);
    void progress(int tokens, double tokensPerSecond);
    void finished(const codeworm::CycleResult &result);

private:
    void setStep(Step step);
    void checkHealth();
    void select();
    void generate();
    void requestDocument(const QString &note, bool longer, bool retried);
    void accept(const RedactedText &answer, const FactCheckResult &checked, bool retried);
    void logRedactions(const RedactedText &redacted, const QString &where) const;
    void writeSubject(const QString &documentation);
    void commit(const QString &documentation, const QString &subject);
    void record(const QString &documentPath, const QString &commitId);
    void finish(CycleResult::Outcome outcome, const QString &reason = {});
    // The cycle's row in the state, completed (dry runs leave no trace).
    void recordCycle() const;
    // The prompts' sizing: the client's context window now (smaller after Ollama ran out of
    // memory), else the configured num_ctx.
    PromptLibrary prompts() const;

    Config m_config;
    LlmClient *m_llm;
    StateStore *m_state;
    SymbolIndex *m_index;
    QThreadPool *m_workers;
    // Shared with the selection worker, which may outlive this runner by a moment.
    std::shared_ptr<std::atomic<bool>> m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    bool m_dryRun;
    TargetSelector::Restriction m_only;
    bool m_cancelled = false;
    bool m_finished = false;
    Step m_step = Step::Health;
    QPointer<LlmReply> m_reply;
    Target m_target;
    CycleResult m_result;
    qint64 m_cycleId = 0;     // the state's row of this cycle; 0: none
    QElapsedTimer m_clock;    // since start()
    qint64 m_stepStartMs = 0; // when the current step began, on m_clock
    QElapsedTimer m_generationClock;
};

} // namespace codeworm
