#include "daemon/CrashRecovery.h"

#include "devlog/WriteJournal.h"

#include <QFileInfo>

namespace codeworm::CrashRecovery {

QString journalPath(const Config &config)
{
    return config.stateDir() + QStringLiteral("/devlog-journal");
}

DocumentedEntry entryFor(const DocumentCommit &document)
{
    DocumentedEntry entry;
    entry.sourceRepo = document.repo;
    entry.sourceFile = document.sourcePath;
    // "Class.method" in the trailer: the row keeps the two parts apart, as a cycle records them.
    const qsizetype dot = document.symbol.lastIndexOf(QLatin1Char('.'));
    const bool method = dot > 0 && (document.docType == QLatin1String("function_doc") ||
                                    document.docType == QLatin1String("til"));
    entry.functionName = method ? document.symbol.mid(dot + 1) : document.symbol;
    entry.className = method ? document.symbol.left(dot) : QString();
    entry.codeHash = document.codeHash;
    entry.documentedAt = document.committedAt.toUTC();
    entry.snippetPath = document.documentPath;
    entry.gitCommit = document.commitId;
    entry.docType = document.docType;
    entry.factCheck = document.factCheck;
    entry.language = document.language;
    return entry;
}

Result<Report> run(const Config &config, StateStore &state)
{
    using R = Result<Report>;
    Report report;
    const QString devlog = config.devlogPath();
    WriteJournal journal(journalPath(config));
    if (!QFileInfo::exists(devlog + QStringLiteral("/.git"))) {
        journal.clear();
        return report;
    }
    const Result<QStringList> undone = journal.recover(devlog);
    if (!undone) {
        return R::failure(undone.error());
    }
    report.undone = undone.value();

    const Result<QList<DocumentCommit>> missing = DevLogHistory(devlog).documentsUntil(
        [&state](const QString &commitId) { return state.isCommitRecorded(commitId); });
    if (!missing) {
        return R::failure(missing.error());
    }
    // Oldest first, as the cycles recorded them.
    for (auto it = missing->crbegin(); it != missing->crend(); ++it) {
        if (Status recorded = state.recordDocumented(entryFor(*it)); !recorded) {
            return R::failure(recorded.error());
        }
        ++report.rowsAdded;
    }
    return report;
}

} // namespace codeworm::CrashRecovery
