#include "daemon/CrashRecovery.h"

#include "devlog/WriteJournal.h"

#include <QDateTime>
#include <QFile>
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

Result<Rebuild> rebuildState(const Config &config, const QString &label)
{
    using R = Result<Rebuild>;
    Rebuild rebuild;
    const QString devlog = config.devlogPath();
    Result<QList<DocumentCommit>> documents = QList<DocumentCommit>();
    if (QFileInfo::exists(devlog + QStringLiteral("/.git"))) {
        documents = DevLogHistory(devlog).documentsSince();
        if (!documents) {
            return R::failure(documents.error());
        }
    }
    rebuild.commits = documents->size();
    const QString database = config.databasePath();
    if (QFileInfo::exists(database)) {
        rebuild.keptAs = database + QLatin1Char('.') + label + QLatin1Char('-') +
                         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            if (QFileInfo::exists(database + suffix) &&
                !QFile::rename(database + suffix, rebuild.keptAs + suffix)) {
                return R::failure(QStringLiteral("cannot move %1 aside to %2")
                                      .arg(database + suffix, rebuild.keptAs + suffix));
            }
        }
    }
    StateStore state(database);
    if (Status opened = state.open(); !opened) {
        return R::failure(opened.error());
    }
    QList<DocumentedEntry> entries;
    for (auto it = documents->crbegin(); it != documents->crend(); ++it) {
        DocumentedEntry entry = entryFor(*it);
        // The commit names the document: the same id on every rebuild.
        entry.id = it->commitId;
        entries.append(entry);
    }
    const Result<StateImport> imported = state.importEntries(entries);
    if (!imported) {
        return R::failure(imported.error());
    }
    rebuild.documents = imported->imported;
    return rebuild;
}

} // namespace codeworm::CrashRecovery
