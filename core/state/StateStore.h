#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>
#include <QVariant>

#include <memory>

class QSqlDatabase;

namespace codeworm {

class SqliteDatabase;

// One row of documented_snippets: the original's columns and what CodeWorm adds.
struct DocumentedEntry
{
    QString id; // generated when empty
    QString sourceRepo;
    QString sourceFile;
    QString functionName;
    QString className;
    QString codeHash;
    QDateTime documentedAt;
    QString snippetPath;
    QString gitCommit;
    QString docType = QStringLiteral("function_doc");
    QString factCheck; // FactCheckResult::summary(); empty: not checked
    QString language;  // empty: none (summaries, modules) or unknown
    int promptTokens = 0;
    int outputTokens = 0;
    qint64 generationMs = 0; // the document's generations, retries included
    qint64 totalMs = 0;      // the whole cycle, from its start to the commit
};

// One documentation cycle as the state keeps it.
struct CycleRecord
{
    enum class Outcome { Running, Success, Failed, Skipped };

    qint64 id = 0; // from startCycle()
    QDateTime started;
    QDateTime finished;
    Outcome outcome = Outcome::Running; // Running: not ended (yet, or the process died)
    QString reason;                     // why it failed or was skipped
    bool llmUnavailable = false;
    QString docType; // the target, once chosen
    QString repo;
    QString file;
    QString symbol;
    QString commitId;
    qint64 selectMs = 0; // health check and selection
    qint64 generateMs = 0;
    qint64 commitMs = 0;
    qint64 totalMs = 0;

    // "running", "success", "failed", "skipped": the values of the outcome column.
    static QString outcomeName(Outcome outcome);
};

struct DocumentTotals
{
    qint64 documents = 0;
    qint64 promptTokens = 0;
    qint64 outputTokens = 0;
    qint64 timedDocuments = 0; // documents with durations (not the original's)
    qint64 generationMs = 0;   // summed over the timed documents
    qint64 totalMs = 0;
    qint64 factCheckPassed = 0;
    qint64 factCheckFailed = 0; // the rest were not checked
    qint64 pushed = 0;
    qint64 unpushed = 0; // the rest were written before pushes were tracked
    QDateTime first;     // the oldest and newest document
    QDateTime last;
};

struct GroupCount
{
    QString name;
    qint64 count = 0;
};

struct DayCount
{
    QDate day;
    qint64 count = 0;
};

// Runs of days with at least one document, in a time zone.
struct Streaks
{
    int current = 0; // the run that ends today, or yesterday while today has none yet
    int longest = 0;
    QDate longestFirst; // the longest run's days (the latest, of equally long ones)
    QDate longestLast;
    qint64 activeDays = 0; // days with at least one document
    QDate lastDay;
};

struct CycleTotals
{
    qint64 total = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 skipped = 0;
    qint64 unfinished = 0;          // running now, or ended with the process
    qint64 consecutiveFailures = 0; // failed cycles since the last success
    QDateTime lastSuccess;
    QDateTime lastFailure;
    QString lastFailureReason;

    qint64 finished() const { return succeeded + failed + skipped; }
    // The original's definition: successes among the finished cycles, in percent; -1 when
    // none finished.
    double successRate() const;
};

struct StateStatistics
{
    QDateTime generatedAt;
    QTimeZone zone; // of the days
    DocumentTotals totals;
    QList<GroupCount> byRepo; // most documents first
    QList<GroupCount> byType;
    QList<GroupCount> byLanguage; // "unknown" for documents without a language
    QList<DayCount> perDay;       // the last N days, oldest first, today last
    Streaks streaks;
    CycleTotals cycles;
};

// What an import did.
struct StateImport
{
    QString source;            // the database read (importFrom)
    qint64 found = 0;          // rows in the source
    qint64 imported = 0;       // new here
    qint64 alreadyPresent = 0; // same id here: left as they were
    qint64 invalid = 0;        // without an id, repository, file, hash, time or path
};

// CodeWorm's memory in SQLite (QSqlDatabase, WAL). The schema is versioned with
// PRAGMA user_version and migrated forward by a list of steps, after a copy of the file
// ("codeworm.db.v<old version>.bak"); an original CodeWorm database (documented_snippets,
// user_version 0) is taken over and keeps every row. Each thread uses its own connection,
// opened on first use.
class StateStore
{
public:
    explicit StateStore(QString databasePath);
    ~StateStore();

    // Creates the file and runs pending migrations.
    Status open();

    enum class FileHealth { Sound, Corrupt, Locked, Other };
    // Why a database file cannot be used, after open() failed: not SQLite or damaged pages
    // (Corrupt), held by another program past the busy timeout (Locked), anything else.
    static FileHealth diagnose(const QString &databasePath, QString *detail = nullptr);
    QString databasePath() const;
    static int schemaVersion();
    // The copy open() made before migrating; empty when there was nothing to migrate.
    QString lastBackup() const;

    bool isDocumented(const QString &codeHash, const QString &docType) const;
    // Whether a document row names this DevLog commit (crash recovery walks back to one).
    Result<bool> isCommitRecorded(const QString &commitId) const;
    bool documentedSince(const QString &repo, const QString &file, const QString &function,
                         const QString &className, const QString &docType,
                         const QDateTime &since) const;
    Status recordDocumented(const DocumentedEntry &entry);
    int countDocumentedSince(const QDateTime &since) const;
    QList<DocumentedEntry> recent(int limit) const;
    // The entries documented in [from, to), oldest first: what a period's summary is
    // written from.
    QList<DocumentedEntry> documentedBetween(const QDateTime &from, const QDateTime &to) const;
    // The newest `perGroup` entries of each (repository, doc type), grouped and newest
    // first, and the number of entries of every group under groupKey(): the DevLog index.
    QList<DocumentedEntry> latestPerGroup(int perGroup,
                                          QHash<QString, int> *counts = nullptr) const;
    static QString groupKey(const QString &repo, const QString &docType);

    // Pushes: a document is recorded unpushed; the pusher marks its commits once the remote
    // has them.
    Status markPushed(const QStringList &commitIds);
    // A push replayed these commits onto the remote's (old id, new id), in order: the rows
    // follow their documents to the new commits.
    Status replaceCommits(const QList<std::pair<QString, QString>> &replaced);
    // The commits of unpushed documents, oldest first.
    QStringList unpushedCommits() const;

    // A cycle is a row from its start ("running") that finishCycle() completes, so a cycle
    // the process did not survive stays visible.
    Result<qint64> startCycle(const QDateTime &started);
    Status finishCycle(const CycleRecord &cycle);
    // Finished cycles in one transaction (imports and tests); ids are assigned.
    Status recordCycles(const QList<CycleRecord> &cycles);
    QList<CycleRecord> recentCycles(int limit) const;

    // Documents in one transaction, a row whose id is here already left as it is.
    Result<StateImport> importEntries(const QList<DocumentedEntry> &entries);
    // The documented_snippets rows of another database (an original CodeWorm's
    // codeworm.db, or another CodeWorm's), opened read-only; rows whose id is here already
    // are skipped.
    Result<StateImport> importFrom(const QString &path);

    // The statistics, each one query (the benchmark times them one by one). Days are
    // calendar days in `zone`.
    Result<DocumentTotals> documentTotals() const;
    enum class Grouping { Repository, DocType, Language };
    Result<QList<GroupCount>> countsBy(Grouping grouping) const;
    // Documents per day for `days` days up to `lastDay`, oldest first.
    Result<QList<DayCount>> perDay(const QTimeZone &zone, QDate lastDay, int days) const;
    Result<Streaks> streaks(const QTimeZone &zone, QDate today) const;
    Result<CycleTotals> cycleTotals() const;
    // All of them, as `codeworm stats` shows them.
    Result<StateStatistics> statistics(const QTimeZone &zone, const QDateTime &now,
                                       int days = 90) const;

private:
    Result<StateImport> importRows(QSqlDatabase &source, const QString &path);
    QList<DocumentedEntry> readEntries(const QString &sql, const QVariantList &values,
                                       const QString &what) const;
    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace codeworm
