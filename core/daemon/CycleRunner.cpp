#include "daemon/CycleRunner.h"

#include "daemon/CrashRecovery.h"
#include "devlog/WriteJournal.h"

#include "devlog/DevLogRepository.h"
#include "devlog/DevLogWriteLock.h"
#include "factcheck/FactChecker.h"
#include "generate/DevLogIndex.h"
#include "generate/DocRenderer.h"
#include "generate/PromptLibrary.h"
#include "llm/LlmClient.h"
#include "redact/SecretRedactor.h"
#include "state/StateStore.h"
#include "targets/TargetSelector.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QtConcurrent>

Q_LOGGING_CATEGORY(lcCycle, "codeworm.cycle")

namespace codeworm {

namespace {

struct CommitOutcome
{
    QString documentPath;
    QString commitId;
    QString error;
};

// A second document for the same symbol on the same day gets "-2", "-3", ... before ".md".
QString freePath(const QString &root, const QString &relative)
{
    if (!QFileInfo::exists(root + QLatin1Char('/') + relative)) {
        return relative;
    }
    const QString stem = relative.chopped(3);
    for (int n = 2;; ++n) {
        QString candidate = stem + QLatin1Char('-') + QString::number(n) + QStringLiteral(".md");
        if (!QFileInfo::exists(root + QLatin1Char('/') + candidate)) {
            return candidate;
        }
    }
}

// The DevLog's README.md with its index brought up to date, the new document included.
QByteArray updatedReadme(const QString &devlogRoot, const StateStore *state,
                         const DevLogIndex::Entry &added)
{
    QHash<QString, int> counts;
    QList<DevLogIndex::Entry> entries;
    for (const DocumentedEntry &e : state->latestPerGroup(DevLogIndex::entriesPerGroup, &counts)) {
        const QString title =
            !e.functionName.isEmpty()
                ? (e.className.isEmpty() ? e.functionName
                                         : e.className + QLatin1Char('.') + e.functionName)
                : (!e.className.isEmpty() ? e.className
                                          : e.sourceFile.section(QLatin1Char('/'), -1));
        entries.append({e.sourceRepo, e.docType, title, e.snippetPath, e.documentedAt});
    }
    entries.append(added);
    counts[StateStore::groupKey(added.repo, added.docType)] += 1;
    QFile file(devlogRoot + QStringLiteral("/README.md"));
    QString readme;
    if (file.open(QIODevice::ReadOnly)) {
        readme = QString::fromUtf8(file.readAll());
    }
    return DevLogIndex::merge(readme, DevLogIndex::section(entries, counts)).toUtf8();
}

CommitOutcome writeAndCommit(const DevLogConfig &config, const QString &devlogPath,
                             const Target &target, const QString &documentation,
                             const QDateTime &when, const QString &message, const StateStore *state,
                             int maxSourceLines, const QString &journalFile)
{
    // A push's rebase must not move the branch between the README update and the commit.
    const DevLogWriteLock lock;
    DevLogRepository devlog(config, devlogPath);
    if (Status opened = devlog.openOrInit(); !opened) {
        return {{}, {}, opened.error()};
    }
    const QString path = freePath(devlog.path(), DocRenderer::relativePath(target, when));
    const QString markdown = DocRenderer::render(target, documentation, when, maxSourceLines);
    const QString readme = QStringLiteral("README.md");
    // Listed before they are written: after a crash before the commit, exactly these are undone.
    WriteJournal journal(journalFile);
    if (Status listed = journal.begin({path, readme}); !listed) {
        return {{}, {}, listed.error()};
    }
    const auto undo = [&journal, &devlog] {
        if (const Result<QStringList> undone = journal.recover(devlog.path()); !undone) {
            qCWarning(lcCycle).noquote()
                << "undoing the unfinished DevLog write:" << undone.error();
        }
    };
    if (Status written = devlog.writeFile(path, markdown.toUtf8()); !written) {
        undo();
        return {{}, {}, written.error()};
    }
    const DevLogIndex::Entry added{target.repoName, target.docType, target.symbol.displayName, path,
                                   when};
    if (Status written = devlog.writeFile(readme, updatedReadme(devlog.path(), state, added));
        !written) {
        undo();
        return {{}, {}, written.error()};
    }
    auto commit = devlog.commitFiles({path, readme}, message);
    if (!commit) {
        undo();
        return {{}, {}, commit.error()};
    }
    if (Status cleared = journal.clear(); !cleared) {
        qCWarning(lcCycle).noquote() << cleared.error();
    }
    return {path, commit.value(), {}};
}

} // namespace

QString CycleResult::summary() const
{
    QString line;
    switch (outcome) {
    case Outcome::Committed:
        line = QStringLiteral("committed %1 (%2): %3 in %4/%5")
                   .arg(documentPath, commitId.left(10), symbol, repo, filePath);
        break;
    case Outcome::DryRun:
        line = QStringLiteral("dry run: %1 in %2/%3 would be written to %4")
                   .arg(symbol, repo, filePath, documentPath);
        break;
    case Outcome::Skipped:
        line = QStringLiteral("skipped: %1").arg(reason);
        break;
    case Outcome::Failed:
        line = QStringLiteral("failed: %1").arg(reason);
        break;
    }
    return push.isEmpty() ? line : line + QStringLiteral("; ") + push;
}

CycleRunner::CycleRunner(const Config &config, LlmClient *llm, StateStore *state,
                         SymbolIndex *index, QThreadPool *workers, bool dryRun, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_llm(llm)
    , m_state(state)
    , m_index(index)
    , m_workers(workers)
    , m_dryRun(dryRun)
{}

QString CycleRunner::targetDescription() const
{
    if (m_target.symbol.displayName.isEmpty()) {
        return {};
    }
    return QStringLiteral("%1 in %2 (%3)")
        .arg(m_target.symbol.displayName, m_target.repoName, m_target.filePath);
}

QString CycleRunner::fallbackSubject(const Target &target)
{
    QString subject =
        target.docType == QLatin1String("function_doc")
            ? QStringLiteral("Document %1 (%2)").arg(target.symbol.displayName, target.repoName)
            : QStringLiteral("%1: %2 (%3)")
                  .arg(DocRenderer::label(target.docType), target.symbol.displayName,
                       target.repoName);
    if (subject.size() > 72) {
        subject = subject.left(71) + QChar(0x2026);
    }
    return subject;
}

QString CycleRunner::commitMessage(const Target &target, const QString &subject,
                                   const QString &factCheck)
{
    const QString what =
        target.period ? QStringLiteral("%1 of %2 (%3 to %4): %5 documents, %6 commits.\n\n")
                            .arg(DocRenderer::label(target.docType), target.period->title,
                                 target.period->first.toString(Qt::ISODate),
                                 target.period->last.toString(Qt::ISODate))
                            .arg(target.period->documents)
                            .arg(target.period->commits)
        : target.module ? QStringLiteral("%1 of %2: %3 files, %4 lines.\n\n")
                              .arg(DocRenderer::label(target.docType), target.symbol.displayName)
                              .arg(target.module->files.size())
                              .arg(target.module->totalLines)
                        : QStringLiteral("%1 of %2 in %3, lines %4-%5.\n\n")
                              .arg(DocRenderer::label(target.docType), target.symbol.displayName,
                                   target.filePath)
                              .arg(target.symbol.startLine)
                              .arg(target.symbol.endLine);
    return (subject.isEmpty() ? fallbackSubject(target) : subject) + QStringLiteral("\n\n") + what +
           QStringLiteral("CodeWorm-Repo: %1\n").arg(target.repoName) +
           QStringLiteral("CodeWorm-Path: %1\n").arg(target.filePath) +
           QStringLiteral("CodeWorm-Symbol: %1\n").arg(target.symbol.displayName) +
           QStringLiteral("CodeWorm-Type: %1\n").arg(target.docType) +
           QStringLiteral("CodeWorm-Code-Hash: %1\n").arg(target.codeHash) +
           (target.language.isEmpty()
                ? QString()
                : QStringLiteral("CodeWorm-Language: %1\n").arg(target.language)) +
           (target.change ? QStringLiteral("CodeWorm-Commit: %1\n").arg(target.change->commitId)
                          : QString()) +
           (factCheck.isEmpty() ? QString()
                                : QStringLiteral("CodeWorm-Fact-Check: %1\n").arg(factCheck));
}

void CycleRunner::start()
{
    m_result.started = QDateTime::currentDateTime();
    m_result.docType = QStringLiteral("function_doc");
    m_clock.start();
    if (!m_dryRun && m_state) {
        if (const Result<qint64> id = m_state->startCycle(m_result.started)) {
            m_cycleId = id.value();
        } else {
            qCWarning(lcCycle).noquote() << id.error();
        }
    }
    // Nothing to document needs no LLM.
    const bool anyEnabled =
        std::any_of(m_config.repositories.cbegin(), m_config.repositories.cend(),
                    [](const RepoConfig &repo) { return repo.enabled; });
    if (!anyEnabled) {
        finish(
            CycleResult::Outcome::Skipped,
            QStringLiteral("no candidates (no repositories configured: add them to %1/repos.yaml)")
                .arg(m_config.configDir));
        return;
    }
    checkHealth();
}

void CycleRunner::cancel()
{
    if (m_finished) {
        return;
    }
    m_cancelled = true;
    m_cancelFlag->store(true);
    if (m_step == Step::Generate && m_reply) {
        m_llm->cancelAll();
    }
}

void CycleRunner::setStep(Step step)
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    switch (m_step) {
    case Step::Health:
    case Step::Select:
        m_result.selectMs += now - m_stepStartMs;
        break;
    case Step::Generate:
        m_result.generateMs += now - m_stepStartMs;
        break;
    case Step::Commit:
    case Step::Record:
        m_result.commitMs += now - m_stepStartMs;
        break;
    case Step::Done:
        break;
    }
    m_stepStartMs = now;
    m_step = step;
    emit stepChanged(step);
}

void CycleRunner::checkHealth()
{
    setStep(Step::Health);
    LlmReply *reply = m_llm->checkHealth();
    connect(reply, &LlmReply::finished, this, [this, reply] {
        if (m_cancelled) {
            finish(CycleResult::Outcome::Skipped, QStringLiteral("cancelled"));
            return;
        }
        if (reply->error() != LlmReply::Error::None) {
            m_result.llmUnavailable = true;
            finish(CycleResult::Outcome::Failed,
                   QStringLiteral("%1. %2").arg(reply->errorString(), m_llm->setupHint()));
            return;
        }
        select();
    });
}

void CycleRunner::select()
{
    setStep(Step::Select);
    const TargetSelector selector(m_config, m_index, m_state);
    const TargetSelector::Restriction only = m_only;
    const std::shared_ptr<std::atomic<bool>> cancelFlag = m_cancelFlag;
    StateStore *state = m_state;
    const QDateTime since =
        QDateTime::currentDateTimeUtc().addDays(-m_config.documentation.redocumentAfterDays);
    struct Selection
    {
        TargetSelector::Choice choice;
        RedactedText source;        // the target's source with secrets replaced
        RedactedText commitMessage; // a change's commit message, the same
    };
    QtConcurrent::run(m_workers, [selector, only, state, since, cancelFlag] {
        QRandomGenerator random(QRandomGenerator::global()->generate());
        Selection selection;
        selection.choice = selector.select(
            [state, since](const Target &t) {
                return state->isDocumented(t.codeHash, t.docType) ||
                       state->documentedSince(t.repoName, t.filePath, t.symbol.name,
                                              t.symbol.className, t.docType, since);
            },
            random, only, cancelFlag.get());
        if (selection.choice.target) {
            selection.source = SecretRedactor::redact(selection.choice.target->symbol.source,
                                                      selection.choice.target->filePath);
            if (selection.choice.target->change) {
                selection.commitMessage =
                    SecretRedactor::redact(selection.choice.target->change->message);
            }
        }
        return selection;
    }).then(this, [this](const Selection &done) {
        const TargetSelector::Choice &selection = done.choice;
        for (const QString &warning : selection.warnings) {
            qCWarning(lcCycle).noquote() << warning;
        }
        if (m_cancelled) {
            finish(CycleResult::Outcome::Skipped, QStringLiteral("cancelled"));
            return;
        }
        if (!selection.error.isEmpty()) {
            finish(CycleResult::Outcome::Failed, selection.error);
            return;
        }
        if (!selection.target) {
            qCInfo(lcCycle).noquote()
                << "nothing left to document; tried" << selection.tried.join(QStringLiteral(", "));
            finish(CycleResult::Outcome::Skipped, QStringLiteral("no candidates"));
            return;
        }
        m_target = *selection.target;
        // Secrets never reach the model or the DevLog; the code hash (dedup) stays the one
        // of the real source.
        m_target.symbol.source = done.source.text;
        logRedactions(done.source, QStringLiteral("source"));
        if (m_target.change) {
            m_target.change->message = done.commitMessage.text;
            logRedactions(done.commitMessage, QStringLiteral("commit message"));
        }
        m_result.repo = m_target.repoName;
        m_result.filePath = m_target.filePath;
        m_result.symbol = m_target.symbol.displayName;
        m_result.docType = m_target.docType;
        qCInfo(lcCycle).noquote() << "documenting" << targetDescription();
        generate();
    });
}

void CycleRunner::logRedactions(const RedactedText &redacted, const QString &where) const
{
    if (redacted.redactions.isEmpty()) {
        return;
    }
    QStringList found;
    for (const Redaction &r : redacted.redactions) {
        found << QStringLiteral("%1 (line %2)").arg(r.kind).arg(r.line);
    }
    qCInfo(lcCycle).noquote() << QStringLiteral("redacted %1 secret(s) in the %2 of %3: %4")
                                     .arg(redacted.redactions.size())
                                     .arg(where, targetDescription(),
                                          found.join(QStringLiteral(", ")));
}

void CycleRunner::generate()
{
    requestDocument({}, false, false);
}

// One generation of the document. `note` is appended to the prompt (the fact check's
// complaint); `longer` raises the token limit after an answer was cut; `retried` says this
// is already the one retry.
void CycleRunner::requestDocument(const QString &note, bool longer, bool retried)
{
    setStep(Step::Generate);
    GenerationRequest request = prompts().documentationRequest(m_target);
    if (!note.isEmpty()) {
        request.prompt += QStringLiteral("\n") + note + QLatin1Char('\n');
    }
    if (longer) {
        request.numPredict = 2 * m_config.ollama.numPredict;
    }
    m_generationClock.start();
    m_reply = m_llm->generate(request);
    connect(m_reply, &LlmReply::progress, this, &CycleRunner::progress);
    LlmReply *reply = m_reply;
    connect(reply, &LlmReply::finished, this, [this, reply, retried] {
        m_result.generationMs += m_generationClock.elapsed();
        if (m_cancelled || reply->error() == LlmReply::Error::Cancelled) {
            finish(CycleResult::Outcome::Skipped, QStringLiteral("cancelled"));
            return;
        }
        if (reply->error() != LlmReply::Error::None) {
            m_result.llmUnavailable = reply->error() == LlmReply::Error::Unreachable;
            finish(CycleResult::Outcome::Failed,
                   QStringLiteral("generation failed: %1").arg(reply->errorString()));
            return;
        }
        m_result.outputTokens += reply->result().outputTokens;
        m_result.promptTokens += reply->result().promptTokens;
        // An answer cut by the token limit is never committed as if it were whole.
        if (reply->result().doneReason == QLatin1String("length")) {
            if (!retried) {
                qCInfo(lcCycle).noquote()
                    << "the answer hit the token limit; asking again with a larger one";
                requestDocument({}, true, true);
                return;
            }
            finish(CycleResult::Outcome::Skipped,
                   QStringLiteral("the answer was cut by the token limit twice"));
            return;
        }
        // Clean-up, redaction and the fact check (which reads the index) run on a worker.
        struct Checked
        {
            RedactedText answer;
            FactCheckResult facts;
        };
        QtConcurrent::run(m_workers, [index = m_index, target = m_target,
                                      text = reply->result().text] {
            Checked checked;
            checked.answer =
                SecretRedactor::redact(DocRenderer::cleanResponse(text, target.symbol.displayName));
            if (!checked.answer.text.isEmpty()) {
                // A change's commit message was shown to the model with the diff: names it
                // mentions are not invented.
                const QString snippet = target.change ? target.symbol.source + QLatin1Char('\n') +
                                                            target.change->message
                                                      : target.symbol.source;
                checked.facts = FactChecker(index, target.repoName)
                                    .check(checked.answer.text, target.language, snippet,
                                           target.fileContent, target.filePath);
            }
            return checked;
        }).then(this, [this, retried](const Checked &checked) {
            if (m_cancelled) {
                finish(CycleResult::Outcome::Skipped, QStringLiteral("cancelled"));
                return;
            }
            accept(checked.answer, checked.facts, retried);
        });
    });
}

void CycleRunner::accept(const RedactedText &answer, const FactCheckResult &checked, bool retried)
{
    logRedactions(answer, QStringLiteral("generated text"));
    QString documentation = answer.text;
    if (documentation.isEmpty()) {
        finish(CycleResult::Outcome::Failed, QStringLiteral("the model returned an empty answer"));
        return;
    }
    m_result.factCheck = checked.summary();
    if (!checked.passed) {
        if (!retried) {
            qCInfo(lcCycle).noquote() << "fact check" << checked.summary() << "- asking again";
            requestDocument(FactChecker::regenerationNote(checked), false, true);
            return;
        }
        if (m_config.documentation.factCheck != QLatin1String("warn")) {
            finish(CycleResult::Outcome::Skipped,
                   QStringLiteral("fact check %1").arg(checked.summary()));
            return;
        }
        documentation = QStringLiteral("> **Warning:** this text names code that CodeWorm "
                                       "could not find: %1. Check it before relying on it.\n\n")
                            .arg(checked.unknown.join(QStringLiteral(", "))) +
                        documentation;
    }
    writeSubject(documentation);
}

void CycleRunner::writeSubject(const QString &documentation)
{
    if (m_dryRun) {
        commit(documentation, {});
        return;
    }
    // The original's second, short generation. Whatever goes wrong here, the document is
    // good: the template subject stands in.
    m_reply = m_llm->generate(prompts().commitSubjectRequest(m_target, documentation));
    LlmReply *reply = m_reply;
    connect(reply, &LlmReply::finished, this, [this, reply, documentation] {
        if (m_cancelled || reply->error() == LlmReply::Error::Cancelled) {
            finish(CycleResult::Outcome::Skipped, QStringLiteral("cancelled"));
            return;
        }
        QString subject;
        if (reply->error() == LlmReply::Error::None) {
            subject =
                SecretRedactor::redact(DocRenderer::cleanCommitSubject(reply->result().text)).text;
        } else {
            qCInfo(lcCycle).noquote()
                << "no commit subject from the model:" << reply->errorString();
        }
        commit(documentation, subject);
    });
}

void CycleRunner::commit(const QString &documentation, const QString &subject)
{
    const QDateTime when = QDateTime::currentDateTime();
    if (m_dryRun) {
        m_result.documentPath = DocRenderer::relativePath(m_target, when);
        m_result.markdown = DocRenderer::render(m_target, documentation, when,
                                                m_config.documentation.maxSourceLines);
        finish(CycleResult::Outcome::DryRun);
        return;
    }
    setStep(Step::Commit);
    QtConcurrent::run(m_workers, &writeAndCommit, m_config.devlog, m_config.devlogPath(), m_target,
                      documentation, when, commitMessage(m_target, subject, m_result.factCheck),
                      m_state, m_config.documentation.maxSourceLines,
                      CrashRecovery::journalPath(m_config))
        .then(this, [this](const CommitOutcome &outcome) {
            if (!outcome.error.isEmpty()) {
                finish(CycleResult::Outcome::Failed,
                       QStringLiteral("DevLog commit failed: %1").arg(outcome.error));
                return;
            }
            // Recorded even when cancelled meanwhile: the commit exists.
            record(outcome.documentPath, outcome.commitId);
        });
}

void CycleRunner::record(const QString &documentPath, const QString &commitId)
{
    setStep(Step::Record);
    m_result.documentPath = documentPath;
    m_result.commitId = commitId;
    DocumentedEntry entry;
    entry.sourceRepo = m_target.repoName;
    entry.sourceFile = m_target.filePath;
    entry.functionName = m_target.symbol.name;
    entry.className = m_target.symbol.className;
    entry.codeHash = m_target.codeHash;
    entry.documentedAt = QDateTime::currentDateTimeUtc();
    entry.snippetPath = documentPath;
    entry.gitCommit = commitId;
    entry.docType = m_target.docType;
    entry.factCheck = m_result.factCheck;
    entry.language = m_target.language;
    entry.promptTokens = m_result.promptTokens;
    entry.outputTokens = m_result.outputTokens;
    entry.generationMs = m_result.generationMs;
    entry.totalMs = m_clock.elapsed();
    if (Status recorded = m_state->recordDocumented(entry); !recorded) {
        finish(CycleResult::Outcome::Failed,
               QStringLiteral("committed %1 but could not record it: %2")
                   .arg(commitId.left(10), recorded.error()));
        return;
    }
    finish(CycleResult::Outcome::Committed);
}

PromptLibrary CycleRunner::prompts() const
{
    const int window = m_llm->contextWindow();
    return PromptLibrary(m_config.prompts, m_config.documentation.maxSourceLines,
                         window > 0 ? window : m_config.ollama.numCtx, m_config.ollama.numPredict);
}

void CycleRunner::finish(CycleResult::Outcome outcome, const QString &reason)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_result.outcome = outcome;
    m_result.reason = reason;
    m_result.finished = QDateTime::currentDateTime();
    setStep(Step::Done);
    recordCycle();
    emit finished(m_result);
}

void CycleRunner::recordCycle() const
{
    if (m_dryRun || !m_state || m_result.outcome == CycleResult::Outcome::DryRun) {
        return;
    }
    CycleRecord cycle;
    cycle.id = m_cycleId;
    cycle.started = m_result.started;
    cycle.finished = m_result.finished;
    cycle.outcome =
        m_result.outcome == CycleResult::Outcome::Committed ? CycleRecord::Outcome::Success
        : m_result.outcome == CycleResult::Outcome::Skipped ? CycleRecord::Outcome::Skipped
                                                            : CycleRecord::Outcome::Failed;
    cycle.reason = m_result.reason;
    cycle.llmUnavailable = m_result.llmUnavailable;
    cycle.docType = m_target.docType;
    cycle.repo = m_result.repo;
    cycle.file = m_result.filePath;
    cycle.symbol = m_result.symbol;
    cycle.commitId = m_result.commitId;
    cycle.selectMs = m_result.selectMs;
    cycle.generateMs = m_result.generateMs;
    cycle.commitMs = m_result.commitMs;
    cycle.totalMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (Status recorded = m_state->finishCycle(cycle); !recorded) {
        qCWarning(lcCycle).noquote() << recorded.error();
    }
}

} // namespace codeworm
