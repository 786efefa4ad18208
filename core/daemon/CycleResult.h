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
    QString factCheck; // FactCheckResult::summary() of the committed text
    QDateTime started;
    QDateTime finished;

    bool succeeded() const { return outcome == Outcome::Committed || outcome == Outcome::DryRun; }
    // One line for logs and the terminal: "committed snippets/python/… (abc1234)".
    QString summary() const;
};

} // namespace codeworm

Q_DECLARE_METATYPE(codeworm::CycleResult)
