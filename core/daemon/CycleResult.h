#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace codeworm {

// What one documentation cycle did. The log, the tray and `run-once` all show it from here.
struct CycleResult
{
    enum class Outcome { Committed, DryRun, Skipped, Failed };

    Outcome outcome = Outcome::Failed;
    QString reason;              // why it was skipped or failed; empty on success
    bool llmUnavailable = false; // failed because the LLM server could not be reached
    QString docType;
    QString repo;
    QString filePath;     // source file, repository-relative
    QString symbol;       // display name, "Class.method"
    QString documentPath; // DevLog-relative path of the document
    QString commitId;
    QString markdown; // the rendered document (dry runs print it)
    int outputTokens = 0;
    int promptTokens = 0;
    qint64 generationMs = 0; // the document's generations, retries included
    // Where the time went: health check and selection; generation, fact check and commit
    // subject; writing, committing and recording.
    qint64 selectMs = 0;
    qint64 generateMs = 0;
    qint64 commitMs = 0;
    QString factCheck; // FactCheckResult::summary() of the committed text
    // run-once: what became of the push ("pushed 1 commit to origin (...)", or why it waits);
    // empty when nothing was pushed or no remote is set.
    QString push;
    QDateTime started;
    QDateTime finished;

    bool succeeded() const { return outcome == Outcome::Committed || outcome == Outcome::DryRun; }
    // One line for logs and the terminal: "committed snippets/python/… (abc1234)", and the
    // push when there is one.
    QString summary() const;
};

} // namespace codeworm

Q_DECLARE_METATYPE(codeworm::CycleResult)
