#include "state/StateStore.h"

#include "sqlite/SqliteDatabase.h"
#include "sqlite/SqliteStatement.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <algorithm>
#include <atomic>
#include <limits>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcState, "codeworm.state")

// What the original CodeWorm did not record, filled in for the rows migration 3 takes over
// and for those importFrom() brings in (the same statements on purpose: both are the
// original's rows). documented_ms: the original wrote naive isoformat() strings in local
// time, which 'utc' converts; a time with a zone suffix is taken as it is. language: the
// DevLog folder of a function doc, else the extension of one of the original's six
// languages, for the rows not filled in yet (no documented_ms): it runs first.
// A row's time in milliseconds since the epoch: documented_ms, filled in for the original's
// rows (their naive local times, which julianday() would read as UTC) and written for new
// ones; for a row another program added later without it, documented_at read as UTC.
const QString documentedMs = QStringLiteral(
    "COALESCE(documented_ms, CAST(round((julianday(documented_at) - 2440587.5) * 86400000.0) "
    "AS INTEGER))");

const char *const fillDocumentedMs =
    "UPDATE documented_snippets SET documented_ms = CAST(round((julianday(documented_at, "
    "CASE WHEN documented_at LIKE '%Z' OR (substr(documented_at, -6, 1) IN ('+', '-') AND "
    "substr(documented_at, -3, 1) = ':') THEN '+0 seconds' ELSE 'utc' END) - 2440587.5) * "
    "86400000.0) AS INTEGER) WHERE documented_ms IS NULL";
const char *const fillLanguage =
    "UPDATE documented_snippets SET language = CASE "
    "WHEN snippet_path LIKE 'snippets/_%/%' THEN substr(snippet_path, 10, "
    "instr(substr(snippet_path, 10), '/') - 1) "
    "WHEN source_file LIKE '%.py' THEN 'python' "
    "WHEN source_file LIKE '%.tsx' THEN 'tsx' "
    "WHEN source_file LIKE '%.ts' THEN 'typescript' "
    "WHEN source_file LIKE '%.js' OR source_file LIKE '%.jsx' OR source_file LIKE '%.mjs' "
    "OR source_file LIKE '%.cjs' THEN 'javascript' "
    "WHEN source_file LIKE '%.go' THEN 'go' "
    "WHEN source_file LIKE '%.rs' THEN 'rust' END "
    "WHERE language IS NULL AND documented_ms IS NULL";

// The schema's history: PRAGMA user_version is the number of steps applied. Append new
// steps at the end; never edit an applied one. Step 1 is the original CodeWorm's schema,
// written with IF NOT EXISTS so that an original database (user_version 0, table present)
// is taken over as it is.
const QList<SqliteMigration> &migrations()
{
    static const QList<SqliteMigration> steps = {
        {1,
         {
             "CREATE TABLE IF NOT EXISTS documented_snippets ("
             "id TEXT PRIMARY KEY, "
             "source_repo TEXT NOT NULL, "
             "source_file TEXT NOT NULL, "
             "function_name TEXT, "
             "class_name TEXT, "
             "code_hash TEXT NOT NULL, "
             "documented_at TIMESTAMP NOT NULL, "
             "snippet_path TEXT NOT NULL, "
             "git_commit TEXT, "
             "doc_type TEXT DEFAULT 'function_doc')",
             "CREATE INDEX IF NOT EXISTS idx_code_hash ON documented_snippets(code_hash)",
             "CREATE INDEX IF NOT EXISTS idx_source ON documented_snippets(source_repo, "
             "source_file)",
             "CREATE INDEX IF NOT EXISTS idx_function ON documented_snippets(source_file, "
             "function_name)",
             "CREATE INDEX IF NOT EXISTS idx_dedup ON documented_snippets(source_file, "
             "function_name, class_name, doc_type)",
         }},
        // The fact check's verdict ("passed (12 identifiers)", "failed: ..."); NULL for
        // documents written before it, and by the original.
        {2, {"ALTER TABLE documented_snippets ADD COLUMN fact_check TEXT"}},
        // What a document cost and where it went. pushed: 0 not yet on the remote, 1 pushed,
        // NULL unknown (written before pushes were tracked). documented_ms: documented_at as
        // milliseconds since the epoch, which the statistics range over (documented_at
        // mixes the original's local times with UTC ones).
        {3,
         {
             "ALTER TABLE documented_snippets ADD COLUMN language TEXT",
             "ALTER TABLE documented_snippets ADD COLUMN prompt_tokens INTEGER",
             "ALTER TABLE documented_snippets ADD COLUMN output_tokens INTEGER",
             "ALTER TABLE documented_snippets ADD COLUMN generation_ms INTEGER",
             "ALTER TABLE documented_snippets ADD COLUMN total_ms INTEGER",
             "ALTER TABLE documented_snippets ADD COLUMN pushed INTEGER",
             "ALTER TABLE documented_snippets ADD COLUMN documented_ms INTEGER",
             fillLanguage,
             fillDocumentedMs,
             "CREATE INDEX IF NOT EXISTS idx_documented_ms ON documented_snippets(documented_ms)",
             "CREATE INDEX IF NOT EXISTS idx_doc_type ON documented_snippets(doc_type)",
             "CREATE INDEX IF NOT EXISTS idx_language ON documented_snippets(language)",
             "CREATE INDEX IF NOT EXISTS idx_unpushed ON documented_snippets(documented_ms) "
             "WHERE pushed = 0",
             "CREATE INDEX IF NOT EXISTS idx_git_commit ON documented_snippets(git_commit)",
         }},
        // Every cycle, from its start: a row stays "running" when the process died in it.
        {4,
         {
             "CREATE TABLE cycles ("
             "id INTEGER PRIMARY KEY, "
             "started_at TEXT NOT NULL, "
             "finished_at TEXT, "
             "outcome TEXT NOT NULL DEFAULT 'running' "
             "CHECK (outcome IN ('running', 'success', 'failed', 'skipped')), "
             "reason TEXT, "
             "llm_unavailable INTEGER NOT NULL DEFAULT 0, "
             "doc_type TEXT, "
             "repo TEXT, "
             "source_file TEXT, "
             "symbol TEXT, "
             "commit_id TEXT, "
             "select_ms INTEGER, "
             "generate_ms INTEGER, "
             "commit_ms INTEGER, "
             "total_ms INTEGER)",
             "CREATE INDEX idx_cycles_outcome ON cycles(outcome)",
         }},
        // The documents' running totals, kept by triggers: summing 100,000 rows' columns
        // takes SQLite tens of milliseconds, reading one row none.
        {5,
         {
             "CREATE TABLE document_totals ("
             "id INTEGER PRIMARY KEY CHECK (id = 1), "
             "documents INTEGER NOT NULL, "
             "prompt_tokens INTEGER NOT NULL, "
             "output_tokens INTEGER NOT NULL, "
             "timed_documents INTEGER NOT NULL, "
             "generation_ms INTEGER NOT NULL, "
             "total_ms INTEGER NOT NULL, "
             "fact_check_passed INTEGER NOT NULL, "
             "fact_check_failed INTEGER NOT NULL, "
             "pushed INTEGER NOT NULL, "
             "unpushed INTEGER NOT NULL)",
             "INSERT INTO document_totals SELECT 1, COUNT(*), TOTAL(prompt_tokens), "
             "TOTAL(output_tokens), COUNT(generation_ms), TOTAL(generation_ms), TOTAL(total_ms), "
             "TOTAL(substr(fact_check, 1, 6) IS 'passed'), "
             "TOTAL(substr(fact_check, 1, 6) IS 'failed'), TOTAL(pushed IS 1), "
             "TOTAL(pushed IS 0) FROM documented_snippets",
             "CREATE TRIGGER document_totals_insert AFTER INSERT ON documented_snippets BEGIN "
             "UPDATE document_totals SET documents = documents + 1, "
             "prompt_tokens = prompt_tokens + COALESCE(NEW.prompt_tokens, 0), "
             "output_tokens = output_tokens + COALESCE(NEW.output_tokens, 0), "
             "timed_documents = timed_documents + (NEW.generation_ms IS NOT NULL), "
             "generation_ms = generation_ms + COALESCE(NEW.generation_ms, 0), "
             "total_ms = total_ms + COALESCE(NEW.total_ms, 0), "
             "fact_check_passed = fact_check_passed + (substr(NEW.fact_check, 1, 6) IS 'passed'), "
             "fact_check_failed = fact_check_failed + (substr(NEW.fact_check, 1, 6) IS 'failed'), "
             "pushed = pushed + (NEW.pushed IS 1), unpushed = unpushed + (NEW.pushed IS 0); END",
             "CREATE TRIGGER document_totals_delete AFTER DELETE ON documented_snippets BEGIN "
             "UPDATE document_totals SET documents = documents - 1, "
             "prompt_tokens = prompt_tokens - COALESCE(OLD.prompt_tokens, 0), "
             "output_tokens = output_tokens - COALESCE(OLD.output_tokens, 0), "
             "timed_documents = timed_documents - (OLD.generation_ms IS NOT NULL), "
             "generation_ms = generation_ms - COALESCE(OLD.generation_ms, 0), "
             "total_ms = total_ms - COALESCE(OLD.total_ms, 0), "
             "fact_check_passed = fact_check_passed - (substr(OLD.fact_check, 1, 6) IS 'passed'), "
             "fact_check_failed = fact_check_failed - (substr(OLD.fact_check, 1, 6) IS 'failed'), "
             "pushed = pushed - (OLD.pushed IS 1), unpushed = unpushed - (OLD.pushed IS 0); END",
             "CREATE TRIGGER document_totals_update AFTER UPDATE OF prompt_tokens, output_tokens, "
             "generation_ms, total_ms, fact_check, pushed ON documented_snippets BEGIN "
             "UPDATE document_totals SET "
             "prompt_tokens = prompt_tokens - COALESCE(OLD.prompt_tokens, 0) + "
             "COALESCE(NEW.prompt_tokens, 0), "
             "output_tokens = output_tokens - COALESCE(OLD.output_tokens, 0) + "
             "COALESCE(NEW.output_tokens, 0), "
             "timed_documents = timed_documents - (OLD.generation_ms IS NOT NULL) + "
             "(NEW.generation_ms IS NOT NULL), "
             "generation_ms = generation_ms - COALESCE(OLD.generation_ms, 0) + "
             "COALESCE(NEW.generation_ms, 0), "
             "total_ms = total_ms - COALESCE(OLD.total_ms, 0) + COALESCE(NEW.total_ms, 0), "
             "fact_check_passed = fact_check_passed - (substr(OLD.fact_check, 1, 6) IS 'passed') "
             "+ (substr(NEW.fact_check, 1, 6) IS 'passed'), "
             "fact_check_failed = fact_check_failed - (substr(OLD.fact_check, 1, 6) IS 'failed') "
             "+ (substr(NEW.fact_check, 1, 6) IS 'failed'), "
             "pushed = pushed - (OLD.pushed IS 1) + (NEW.pushed IS 1), "
             "unpushed = unpushed - (OLD.pushed IS 0) + (NEW.pushed IS 0); END",
         }},
    };
    return steps;
}

QString timestamp(const QDateTime &when)
{
    return when.toUTC().toString(Qt::ISODateWithMs);
}

const char *insertEntrySql(bool ignoreExisting)
{
    return ignoreExisting
               ? "INSERT OR IGNORE INTO documented_snippets (id, source_repo, source_file, "
                 "function_name, class_name, code_hash, documented_at, snippet_path, git_commit, "
                 "doc_type, fact_check, language, prompt_tokens, output_tokens, generation_ms, "
                 "total_ms, pushed, documented_ms) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                 "?17, ?18)"
               : "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
                 "class_name, code_hash, documented_at, snippet_path, git_commit, doc_type, "
                 "fact_check, language, prompt_tokens, output_tokens, generation_ms, total_ms, "
                 "pushed, documented_ms) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                 "?17, ?18)";
}

// A new document: recorded unpushed, its id made up when it has none.
void bindEntry(SqliteStatement &insert, const DocumentedEntry &entry)
{
    const QDateTime when =
        entry.documentedAt.isValid() ? entry.documentedAt : QDateTime::currentDateTimeUtc();
    insert.bind(1,
                entry.id.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : entry.id);
    insert.bind(2, entry.sourceRepo);
    insert.bind(3, entry.sourceFile);
    insert.bindNullable(4, entry.functionName);
    insert.bindNullable(5, entry.className);
    insert.bind(6, entry.codeHash);
    insert.bind(7, timestamp(when));
    insert.bind(8, entry.snippetPath);
    insert.bindNullable(9, entry.gitCommit);
    insert.bind(10, entry.docType.isEmpty() ? QStringLiteral("function_doc") : entry.docType);
    insert.bindNullable(11, entry.factCheck);
    insert.bindNullable(12, entry.language);
    insert.bind(13, entry.promptTokens);
    insert.bind(14, entry.outputTokens);
    insert.bind(15, entry.generationMs);
    insert.bind(16, entry.totalMs);
    insert.bind(17, 0);
    insert.bind(18, when.toMSecsSinceEpoch());
}

QString cycleOutcomeName(CycleRecord::Outcome outcome)
{
    switch (outcome) {
    case CycleRecord::Outcome::Success:
        return QStringLiteral("success");
    case CycleRecord::Outcome::Failed:
        return QStringLiteral("failed");
    case CycleRecord::Outcome::Skipped:
        return QStringLiteral("skipped");
    case CycleRecord::Outcome::Running:
        break;
    }
    return QStringLiteral("running");
}

CycleRecord::Outcome cycleOutcome(const QString &name)
{
    for (const auto outcome : {CycleRecord::Outcome::Success, CycleRecord::Outcome::Failed,
                               CycleRecord::Outcome::Skipped}) {
        if (name == cycleOutcomeName(outcome)) {
            return outcome;
        }
    }
    return CycleRecord::Outcome::Running;
}

// Columns 2-15 of the cycles insert and update statements.
void bindCycle(SqliteStatement &statement, const CycleRecord &cycle)
{
    statement.bind(
        2, timestamp(cycle.started.isValid() ? cycle.started : QDateTime::currentDateTimeUtc()));
    if (cycle.outcome == CycleRecord::Outcome::Running || !cycle.finished.isValid()) {
        statement.bindNull(3);
    } else {
        statement.bind(3, timestamp(cycle.finished));
    }
    statement.bind(4, cycleOutcomeName(cycle.outcome));
    statement.bindNullable(5, cycle.reason);
    statement.bind(6, cycle.llmUnavailable ? 1 : 0);
    statement.bindNullable(7, cycle.docType);
    statement.bindNullable(8, cycle.repo);
    statement.bindNullable(9, cycle.file);
    statement.bindNullable(10, cycle.symbol);
    statement.bindNullable(11, cycle.commitId);
    statement.bind(12, cycle.selectMs);
    statement.bind(13, cycle.generateMs);
    statement.bind(14, cycle.commitMs);
    statement.bind(15, cycle.totalMs);
}

// The original wrote Python isoformat() strings, some with a space between date and time.
QDateTime parseTimestamp(const QString &text)
{
    QString iso = text.trimmed();
    if (iso.size() > 10 && iso.at(10) == QLatin1Char(' ')) {
        iso[10] = QLatin1Char('T');
    }
    return QDateTime::fromString(iso, Qt::ISODateWithMs);
}

} // namespace

StateStore::StateStore(QString databasePath)
    : m_db(std::make_unique<SqliteDatabase>(std::move(databasePath),
                                            QStringLiteral("State database"), migrations(),
                                            SqliteDatabase::Backup::BeforeMigration))
{}

StateStore::~StateStore() = default;

int StateStore::schemaVersion()
{
    return migrations().constLast().version;
}

QString StateStore::databasePath() const
{
    return m_db->path();
}

QString StateStore::lastBackup() const
{
    return m_db->lastBackup();
}

Status StateStore::open()
{
    return m_db->open();
}

bool StateStore::isDocumented(const QString &codeHash, const QString &docType) const
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return false;
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT 1 FROM documented_snippets WHERE code_hash = ? AND "
                                 "COALESCE(doc_type, 'function_doc') = ? LIMIT 1"));
    query.addBindValue(codeHash);
    query.addBindValue(docType);
    if (!query.exec()) {
        qCWarning(
            lcState, "%s",
            qPrintable(m_db->failure(QStringLiteral("looking up a code hash"), query.lastError())));
        return false;
    }
    return query.next();
}

StateStore::FileHealth StateStore::diagnose(const QString &databasePath, QString *detail)
{
    static std::atomic<int> serial{0};
    const QString name = QStringLiteral("codeworm-diagnose-%1").arg(serial++);
    FileHealth health = FileHealth::Other;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        const auto classify = [&health, detail](const QSqlError &error) {
            // SQLite's result codes: 26 not a database, 11 corrupt; 5 busy, 6 locked.
            const QString code = error.nativeErrorCode();
            health = code == QLatin1String("26") || code == QLatin1String("11")
                         ? FileHealth::Corrupt
                     : code == QLatin1String("5") || code == QLatin1String("6") ? FileHealth::Locked
                                                                                : FileHealth::Other;
            if (detail) {
                *detail = error.text();
            }
        };
        if (!db.open()) {
            classify(db.lastError());
        } else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("PRAGMA quick_check(1)"))) {
                classify(query.lastError());
            } else if (query.next()) {
                const QString verdict = query.value(0).toString();
                health = verdict == QLatin1String("ok") ? FileHealth::Sound : FileHealth::Corrupt;
                if (detail) {
                    *detail = verdict;
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return health;
}

Result<bool> StateStore::isCommitRecorded(const QString &commitId) const
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Result<bool>::failure(db.error());
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT 1 FROM documented_snippets WHERE git_commit = ? LIMIT 1"));
    query.addBindValue(commitId);
    if (!query.exec()) {
        return Result<bool>::failure(
            m_db->failure(QStringLiteral("looking up a commit"), query.lastError()));
    }
    return query.next();
}

bool StateStore::documentedSince(const QString &repo, const QString &file, const QString &function,
                                 const QString &className, const QString &docType,
                                 const QDateTime &since) const
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return false;
    }
    // An empty name matches rows without one, whether the original wrote NULL or ''.
    const auto nameMatch = [](const QString &column, const QString &value) {
        return value.isEmpty() ? QStringLiteral("(%1 IS NULL OR %1 = '')").arg(column)
                               : QStringLiteral("%1 = ?").arg(column);
    };
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT 1 FROM documented_snippets WHERE source_repo = ? AND "
                                 "source_file = ? AND ") +
                  nameMatch(QStringLiteral("function_name"), function) + QStringLiteral(" AND ") +
                  nameMatch(QStringLiteral("class_name"), className) +
                  QStringLiteral(" AND COALESCE(doc_type, 'function_doc') = ? AND ") +
                  documentedMs + QStringLiteral(" >= ? LIMIT 1"));
    query.addBindValue(repo);
    query.addBindValue(file);
    if (!function.isEmpty()) {
        query.addBindValue(function);
    }
    if (!className.isEmpty()) {
        query.addBindValue(className);
    }
    query.addBindValue(docType);
    query.addBindValue(since.toMSecsSinceEpoch());
    if (!query.exec()) {
        qCWarning(
            lcState, "%s",
            qPrintable(m_db->failure(QStringLiteral("looking up %1 in %2").arg(function, file),
                                     query.lastError())));
        return false;
    }
    return query.next();
}

Status StateStore::recordDocumented(const DocumentedEntry &entry)
{
    const QList<QPair<const char *, QString>> required = {
        {"sourceRepo", entry.sourceRepo},
        {"sourceFile", entry.sourceFile},
        {"codeHash", entry.codeHash},
        {"snippetPath", entry.snippetPath},
    };
    for (const auto &[field, value] : required) {
        if (value.isEmpty()) {
            return Status::failure(
                QStringLiteral("State database %1: cannot record a documented entry without %2")
                    .arg(m_db->path(), QLatin1String(field)));
        }
    }
    return m_db->transaction(
        QStringLiteral("committing %1").arg(entry.snippetPath),
        [&](QSqlDatabase &connection) -> Status {
            SqliteStatement insert(connection, insertEntrySql(false));
            bindEntry(insert, entry);
            if (!insert.isValid() || !insert.run()) {
                return Status::failure(m_db->failure(
                    QStringLiteral("recording %1").arg(entry.snippetPath), insert.error()));
            }
            return {};
        });
}

int StateStore::countDocumentedSince(const QDateTime &since) const
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return 0;
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM documented_snippets WHERE ") + documentedMs +
                  QStringLiteral(" >= ?"));
    query.addBindValue(since.toMSecsSinceEpoch());
    if (!query.exec() || !query.next()) {
        qCWarning(lcState, "%s",
                  qPrintable(m_db->failure(QStringLiteral("counting documented entries"),
                                           query.lastError())));
        return 0;
    }
    const int version = query.value(0).toInt();
    query.finish();
    return version;
}

QList<DocumentedEntry> StateStore::readEntries(const QString &sql, const QVariantList &values,
                                               const QString &what) const
{
    QList<DocumentedEntry> entries;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return entries;
    }
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : values) {
        query.addBindValue(value);
    }
    if (!query.exec()) {
        qCWarning(lcState, "%s", qPrintable(m_db->failure(what, query.lastError())));
        return entries;
    }
    while (query.next()) {
        DocumentedEntry entry;
        entry.id = query.value(0).toString();
        entry.sourceRepo = query.value(1).toString();
        entry.sourceFile = query.value(2).toString();
        entry.functionName = query.value(3).toString();
        entry.className = query.value(4).toString();
        entry.codeHash = query.value(5).toString();
        entry.documentedAt = parseTimestamp(query.value(6).toString());
        entry.snippetPath = query.value(7).toString();
        entry.gitCommit = query.value(8).toString();
        const QString docType = query.value(9).toString();
        entry.docType = docType.isEmpty() ? QStringLiteral("function_doc") : docType;
        entries.append(entry);
    }
    return entries;
}

QList<DocumentedEntry> StateStore::recent(int limit) const
{
    return readEntries(
        QStringLiteral("SELECT id, source_repo, source_file, function_name, class_name, code_hash, "
                       "documented_at, snippet_path, git_commit, doc_type FROM documented_snippets "
                       "ORDER BY ") +
            documentedMs + QStringLiteral(" DESC, rowid DESC LIMIT ?"),
        {qMax(0, limit)}, QStringLiteral("reading recent entries"));
}

QList<DocumentedEntry> StateStore::documentedBetween(const QDateTime &from,
                                                     const QDateTime &to) const
{
    return readEntries(
        QStringLiteral("SELECT id, source_repo, source_file, function_name, class_name, code_hash, "
                       "documented_at, snippet_path, git_commit, doc_type FROM documented_snippets "
                       "WHERE ") +
            documentedMs + QStringLiteral(" >= ? AND ") + documentedMs +
            QStringLiteral(" < ? ORDER BY ") + documentedMs + QStringLiteral(", rowid"),
        {from.toMSecsSinceEpoch(), to.toMSecsSinceEpoch()},
        QStringLiteral("reading the entries of a period"));
}

QList<DocumentedEntry> StateStore::latestPerGroup(int perGroup, QHash<QString, int> *counts) const
{
    if (counts) {
        counts->clear();
        Result<QSqlDatabase> db = m_db->connection();
        if (db) {
            QSqlQuery query(db.value());
            if (query.exec(QStringLiteral(
                    "SELECT source_repo, COALESCE(NULLIF(doc_type, ''), 'function_doc'), "
                    "COUNT(*) FROM documented_snippets GROUP BY 1, 2"))) {
                while (query.next()) {
                    counts->insert(groupKey(query.value(0).toString(), query.value(1).toString()),
                                   query.value(2).toInt());
                }
            }
        }
    }
    return readEntries(
        QStringLiteral(
            "SELECT id, source_repo, source_file, function_name, class_name, code_hash, "
            "documented_at, snippet_path, git_commit, doc_type FROM (SELECT *, rowid AS row, ") +
            documentedMs +
            QStringLiteral(" AS ms, ROW_NUMBER() OVER (PARTITION BY source_repo, "
                           "COALESCE(NULLIF(doc_type, ''), 'function_doc') ORDER BY ") +
            documentedMs +
            QStringLiteral(" DESC, rowid DESC) AS n FROM documented_snippets) WHERE n <= ? "
                           "ORDER BY source_repo, doc_type, ms DESC, row DESC"),
        {qMax(0, perGroup)}, QStringLiteral("reading the DevLog index"));
}

QString StateStore::groupKey(const QString &repo, const QString &docType)
{
    return repo + QLatin1Char('\n') + docType;
}

QString CycleRecord::outcomeName(Outcome outcome)
{
    return cycleOutcomeName(outcome);
}

double CycleTotals::successRate() const
{
    return finished() > 0 ? 100.0 * double(succeeded) / double(finished()) : -1.0;
}

Status StateStore::replaceCommits(const QList<std::pair<QString, QString>> &replaced)
{
    if (replaced.isEmpty()) {
        return {};
    }
    return m_db->transaction(
        QStringLiteral("renaming replayed commits"), [&](QSqlDatabase &connection) -> Status {
            // In order: a commit replayed twice (two rounds of a push) moves on each time.
            SqliteStatement update(
                connection, "UPDATE documented_snippets SET git_commit = ?2 WHERE git_commit = ?1");
            for (const auto &[from, to] : replaced) {
                update.bind(1, from);
                update.bind(2, to);
                if (!update.isValid() || !update.run()) {
                    return Status::failure(m_db->failure(
                        QStringLiteral("renaming commit %1 to %2").arg(from, to), update.error()));
                }
            }
            return {};
        });
}

Status StateStore::markPushed(const QStringList &commitIds)
{
    if (commitIds.isEmpty()) {
        return {};
    }
    return m_db->transaction(
        QStringLiteral("marking commits pushed"), [&](QSqlDatabase &connection) -> Status {
            SqliteStatement update(
                connection, "UPDATE documented_snippets SET pushed = 1 WHERE git_commit = ?1");
            for (const QString &commit : commitIds) {
                update.bind(1, commit);
                if (!update.isValid() || !update.run()) {
                    return Status::failure(m_db->failure(
                        QStringLiteral("marking %1 pushed").arg(commit), update.error()));
                }
            }
            return {};
        });
}

QStringList StateStore::unpushedCommits() const
{
    QStringList commits;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return commits;
    }
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT git_commit FROM documented_snippets WHERE pushed = 0 "
                                   "AND git_commit IS NOT NULL ORDER BY documented_ms, rowid"))) {
        qCWarning(lcState, "%s",
                  qPrintable(m_db->failure(QStringLiteral("listing unpushed commits"),
                                           query.lastError())));
        return commits;
    }
    while (query.next()) {
        commits << query.value(0).toString();
    }
    return commits;
}

Result<qint64> StateStore::startCycle(const QDateTime &started)
{
    using R = Result<qint64>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    SqliteStatement insert(db.value(), "INSERT INTO cycles (started_at) VALUES (?1)");
    insert.bind(1, timestamp(started.isValid() ? started : QDateTime::currentDateTimeUtc()));
    if (!insert.isValid() || !insert.run()) {
        return R::failure(
            m_db->failure(QStringLiteral("recording a cycle's start"), insert.error()));
    }
    return insert.lastInsertId();
}

Status StateStore::finishCycle(const CycleRecord &cycle)
{
    if (cycle.id <= 0) {
        return recordCycles({cycle}); // its start could not be recorded
    }
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    SqliteStatement update(
        db.value(),
        "UPDATE cycles SET started_at = ?2, finished_at = ?3, outcome = ?4, reason = ?5, "
        "llm_unavailable = ?6, doc_type = ?7, repo = ?8, source_file = ?9, symbol = ?10, "
        "commit_id = ?11, select_ms = ?12, generate_ms = ?13, commit_ms = ?14, total_ms = ?15 "
        "WHERE id = ?1");
    update.bind(1, cycle.id);
    bindCycle(update, cycle);
    if (!update.isValid() || !update.run()) {
        return Status::failure(m_db->failure(
            QStringLiteral("recording the end of cycle %1").arg(cycle.id), update.error()));
    }
    if (update.changes() == 0) {
        return recordCycles({cycle});
    }
    return {};
}

Status StateStore::recordCycles(const QList<CycleRecord> &cycles)
{
    return m_db->transaction(
        QStringLiteral("recording cycles"), [&](QSqlDatabase &connection) -> Status {
            SqliteStatement insert(
                connection,
                "INSERT INTO cycles (id, started_at, finished_at, outcome, reason, "
                "llm_unavailable, doc_type, repo, source_file, symbol, commit_id, select_ms, "
                "generate_ms, commit_ms, total_ms) VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                "?10, ?11, ?12, ?13, ?14, ?15)");
            for (const CycleRecord &cycle : cycles) {
                bindCycle(insert, cycle);
                if (!insert.isValid() || !insert.run()) {
                    return Status::failure(
                        m_db->failure(QStringLiteral("recording a cycle"), insert.error()));
                }
            }
            return {};
        });
}

QList<CycleRecord> StateStore::recentCycles(int limit) const
{
    QList<CycleRecord> cycles;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return cycles;
    }
    SqliteStatement select(
        db.value(), "SELECT id, started_at, finished_at, outcome, reason, llm_unavailable, "
                    "doc_type, repo, source_file, symbol, commit_id, select_ms, generate_ms, "
                    "commit_ms, total_ms FROM cycles ORDER BY id DESC LIMIT ?1");
    select.bind(1, qMax(0, limit));
    while (select.isValid() && select.next()) {
        CycleRecord cycle;
        cycle.id = select.int64At(0);
        cycle.started = parseTimestamp(select.textAt(1));
        cycle.finished = parseTimestamp(select.textAt(2));
        cycle.outcome = cycleOutcome(select.textAt(3));
        cycle.reason = select.textAt(4);
        cycle.llmUnavailable = select.int64At(5) != 0;
        cycle.docType = select.textAt(6);
        cycle.repo = select.textAt(7);
        cycle.file = select.textAt(8);
        cycle.symbol = select.textAt(9);
        cycle.commitId = select.textAt(10);
        cycle.selectMs = select.int64At(11);
        cycle.generateMs = select.int64At(12);
        cycle.commitMs = select.int64At(13);
        cycle.totalMs = select.int64At(14);
        cycles.append(cycle);
    }
    if (!select.error().isEmpty()) {
        qCWarning(lcState, "%s",
                  qPrintable(m_db->failure(QStringLiteral("reading cycles"), select.error())));
    }
    return cycles;
}

Result<StateImport> StateStore::importEntries(const QList<DocumentedEntry> &entries)
{
    StateImport report;
    const Status done = m_db->transaction(
        QStringLiteral("committing the documents"), [&](QSqlDatabase &connection) -> Status {
            SqliteStatement insert(connection, insertEntrySql(true));
            for (const DocumentedEntry &entry : entries) {
                ++report.found;
                if (entry.sourceRepo.isEmpty() || entry.sourceFile.isEmpty() ||
                    entry.codeHash.isEmpty() || entry.snippetPath.isEmpty()) {
                    ++report.invalid;
                    continue;
                }
                bindEntry(insert, entry);
                if (!insert.isValid() || !insert.run()) {
                    return Status::failure(m_db->failure(
                        QStringLiteral("recording %1").arg(entry.snippetPath), insert.error()));
                }
                ++(insert.changes() > 0 ? report.imported : report.alreadyPresent);
            }
            return {};
        });
    if (!done) {
        return Result<StateImport>::failure(done.error());
    }
    return report;
}

namespace {

// The columns importFrom() copies, in the order of insertEntrySql(); the source may lack
// all but the original's NOT NULL ones.
const QStringList &importedColumns()
{
    static const QStringList columns = {
        QStringLiteral("id"),
        QStringLiteral("source_repo"),
        QStringLiteral("source_file"),
        QStringLiteral("function_name"),
        QStringLiteral("class_name"),
        QStringLiteral("code_hash"),
        QStringLiteral("documented_at"),
        QStringLiteral("snippet_path"),
        QStringLiteral("git_commit"),
        QStringLiteral("doc_type"),
        QStringLiteral("fact_check"),
        QStringLiteral("language"),
        QStringLiteral("prompt_tokens"),
        QStringLiteral("output_tokens"),
        QStringLiteral("generation_ms"),
        QStringLiteral("total_ms"),
        QStringLiteral("pushed"),
        QStringLiteral("documented_ms"),
    };
    return columns;
}

// Indexes into importedColumns() of the values a row cannot go without.
constexpr int requiredColumns[] = {0, 1, 2, 5, 6, 7};

std::atomic<int> importCounter{0};

} // namespace

Result<StateImport> StateStore::importFrom(const QString &given)
{
    using R = Result<StateImport>;
    const QFileInfo info(given);
    const QString path = info.absoluteFilePath(); // messages name the file without ambiguity
    if (!info.exists()) {
        return R::failure(QStringLiteral("%1 does not exist").arg(path));
    }
    if (info.isDir()) {
        return R::failure(QStringLiteral("%1 is a folder, not a database file").arg(path));
    }
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return R::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        }
        if (file.read(16) != QByteArrayView("SQLite format 3\0", 16)) {
            return R::failure(QStringLiteral("%1 is not a SQLite database").arg(path));
        }
    }
    if (info.canonicalFilePath() == QFileInfo(m_db->path()).canonicalFilePath()) {
        return R::failure(
            QStringLiteral("%1 is this CodeWorm's own state database: nothing to import")
                .arg(path));
    }
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    const QString name = QStringLiteral("codeworm-import-%1").arg(++importCounter);
    Result<StateImport> result = R::failure(QString());
    {
        QSqlDatabase source = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        source.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        source.setDatabaseName(path);
        result =
            source.open()
                ? importRows(source, path)
                : R::failure(
                      QStringLiteral("cannot open %1: %2").arg(path, source.lastError().text()));
        source.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

Result<StateImport> StateStore::importRows(QSqlDatabase &source, const QString &path)
{
    using R = Result<StateImport>;
    QSqlQuery read(source);
    read.setForwardOnly(true);
    if (!read.exec(QStringLiteral("PRAGMA table_info(documented_snippets)"))) {
        return R::failure(QStringLiteral("cannot read %1: %2").arg(path, read.lastError().text()));
    }
    QStringList present;
    while (read.next()) {
        present << read.value(1).toString();
    }
    read.finish();
    if (present.isEmpty()) {
        return R::failure(QStringLiteral("%1 has no documented_snippets table: it is not a "
                                         "CodeWorm state database")
                              .arg(path));
    }
    QStringList selected;
    for (const QString &column : importedColumns()) {
        selected << (present.contains(column) ? column : QStringLiteral("NULL"));
    }
    for (int required : requiredColumns) {
        if (!present.contains(importedColumns().at(required))) {
            return R::failure(QStringLiteral("%1: documented_snippets has no %2 column: it is "
                                             "not a CodeWorm state database")
                                  .arg(path, importedColumns().at(required)));
        }
    }
    if (!read.exec(QStringLiteral("SELECT %1 FROM documented_snippets ORDER BY rowid")
                       .arg(selected.join(QStringLiteral(", "))))) {
        return R::failure(QStringLiteral("cannot read %1: %2").arg(path, read.lastError().text()));
    }
    StateImport report;
    report.source = path;
    const Status done = m_db->transaction(
        QStringLiteral("committing the import"), [&](QSqlDatabase &connection) -> Status {
            SqliteStatement insert(connection, insertEntrySql(true));
            if (!insert.isValid()) {
                return Status::failure(m_db->failure(QStringLiteral("importing"), insert.error()));
            }
            while (read.next()) {
                ++report.found;
                const bool complete =
                    std::all_of(std::begin(requiredColumns), std::end(requiredColumns), [&](int i) {
                        return !read.value(i).isNull() && !read.value(i).toString().isEmpty();
                    });
                if (!complete) {
                    ++report.invalid;
                    continue;
                }
                // The values as they are: the original's times stay its text, NULL stays NULL.
                for (int i = 0; i < importedColumns().size(); ++i) {
                    const QVariant value = read.value(i);
                    if (value.isNull()) {
                        insert.bindNull(i + 1);
                    } else if (value.typeId() == QMetaType::LongLong ||
                               value.typeId() == QMetaType::Int) {
                        insert.bind(i + 1, value.toLongLong());
                    } else {
                        insert.bind(i + 1, value.toString());
                    }
                }
                if (!insert.run()) {
                    return Status::failure(
                        m_db->failure(QStringLiteral("importing %1").arg(read.value(0).toString()),
                                      insert.error()));
                }
                ++(insert.changes() > 0 ? report.imported : report.alreadyPresent);
            }
            if (read.lastError().isValid()) {
                return Status::failure(
                    QStringLiteral("cannot read %1: %2").arg(path, read.lastError().text()));
            }
            QSqlQuery fill(connection);
            for (const char *statement : {fillLanguage, fillDocumentedMs}) {
                if (Status filled = m_db->exec(fill, QString::fromLatin1(statement)); !filled) {
                    return filled;
                }
            }
            return {};
        });
    if (!done) {
        return R::failure(done.error());
    }
    return report;
}

Result<DocumentTotals> StateStore::documentTotals() const
{
    using R = Result<DocumentTotals>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    // The triggers' running totals, and the first and last time from the index's ends.
    SqliteStatement select(
        db.value(),
        "SELECT documents, prompt_tokens, output_tokens, timed_documents, generation_ms, "
        "total_ms, fact_check_passed, fact_check_failed, pushed, unpushed, "
        "(SELECT MIN(documented_ms) FROM documented_snippets), "
        "(SELECT MAX(documented_ms) FROM documented_snippets) FROM document_totals");
    DocumentTotals totals;
    if (!select.isValid() || !select.next()) {
        return R::failure(
            m_db->failure(QStringLiteral("counting documents"),
                          select.error().isEmpty() ? QStringLiteral("no totals") : select.error()));
    }
    totals.documents = select.int64At(0);
    totals.promptTokens = select.int64At(1);
    totals.outputTokens = select.int64At(2);
    totals.timedDocuments = select.int64At(3);
    totals.generationMs = select.int64At(4);
    totals.totalMs = select.int64At(5);
    totals.factCheckPassed = select.int64At(6);
    totals.factCheckFailed = select.int64At(7);
    totals.pushed = select.int64At(8);
    totals.unpushed = select.int64At(9);
    if (!select.isNull(10)) {
        totals.first = QDateTime::fromMSecsSinceEpoch(select.int64At(10), Qt::UTC);
        totals.last = QDateTime::fromMSecsSinceEpoch(select.int64At(11), Qt::UTC);
    }
    select.next(); // to its end: the statement is reset
    return totals;
}

Result<QList<GroupCount>> StateStore::countsBy(Grouping grouping) const
{
    using R = Result<QList<GroupCount>>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    // Grouped on the bare column, so that its index serves; empty and NULL merge below.
    const char *sql =
        grouping == Grouping::Repository
            ? "SELECT source_repo, COUNT(*) FROM documented_snippets GROUP BY source_repo"
        : grouping == Grouping::DocType
            ? "SELECT doc_type, COUNT(*) FROM documented_snippets GROUP BY doc_type"
            : "SELECT language, COUNT(*) FROM documented_snippets GROUP BY language";
    const QString fallback = grouping == Grouping::DocType    ? QStringLiteral("function_doc")
                             : grouping == Grouping::Language ? QStringLiteral("unknown")
                                                              : QString();
    SqliteStatement select(db.value(), sql);
    QList<GroupCount> counts;
    while (select.isValid() && select.next()) {
        QString name = select.textAt(0);
        if (name.isEmpty()) {
            name = fallback;
        }
        const auto same = std::find_if(counts.begin(), counts.end(),
                                       [&name](const GroupCount &c) { return c.name == name; });
        if (same != counts.end()) {
            same->count += select.int64At(1);
        } else {
            counts.append({name, select.int64At(1)});
        }
    }
    if (!select.isValid() || !select.error().isEmpty()) {
        return R::failure(m_db->failure(QStringLiteral("counting documents"), select.error()));
    }
    std::sort(counts.begin(), counts.end(), [](const GroupCount &a, const GroupCount &b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    return counts;
}

Result<QList<DayCount>> StateStore::perDay(const QTimeZone &zone, QDate lastDay, int days) const
{
    using R = Result<QList<DayCount>>;
    QList<DayCount> counts;
    if (days <= 0) {
        return counts;
    }
    // Each day's start in the zone: a day is 23 or 25 hours long across a DST change.
    QList<qint64> starts;
    for (int i = 0; i <= days; ++i) {
        const QDate day = lastDay.addDays(i - days + 1);
        starts.append(day.startOfDay(zone).toMSecsSinceEpoch());
        if (i < days) {
            counts.append({day, 0});
        }
    }
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    SqliteStatement select(db.value(),
                           "SELECT documented_ms FROM documented_snippets WHERE documented_ms >= "
                           "?1 AND documented_ms < ?2 ORDER BY documented_ms");
    select.bind(1, starts.constFirst());
    select.bind(2, starts.constLast());
    qsizetype day = 0;
    while (select.isValid() && select.next()) {
        const qint64 ms = select.int64At(0);
        while (ms >= starts.at(day + 1)) {
            ++day;
        }
        ++counts[day].count;
    }
    if (!select.isValid() || !select.error().isEmpty()) {
        return R::failure(
            m_db->failure(QStringLiteral("counting documents per day"), select.error()));
    }
    return counts;
}

Result<Streaks> StateStore::streaks(const QTimeZone &zone, QDate today) const
{
    using R = Result<Streaks>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    // One pass over the index in time order; the zone is asked only when a row falls past
    // the day at hand, once per active day.
    SqliteStatement select(db.value(),
                           "SELECT documented_ms FROM documented_snippets WHERE documented_ms IS "
                           "NOT NULL ORDER BY documented_ms");
    Streaks streaks;
    QDate day;
    qint64 dayEnd = std::numeric_limits<qint64>::min();
    int run = 0;
    QDate runFirst;
    while (select.isValid() && select.next()) {
        const qint64 ms = select.int64At(0);
        if (ms < dayEnd) {
            continue;
        }
        const QDate next = QDateTime::fromMSecsSinceEpoch(ms, zone).date();
        dayEnd = next.addDays(1).startOfDay(zone).toMSecsSinceEpoch();
        if (day.isValid() && day.addDays(1) == next) {
            ++run;
        } else {
            run = 1;
            runFirst = next;
        }
        day = next;
        ++streaks.activeDays;
        if (run >= streaks.longest) {
            streaks.longest = run;
            streaks.longestFirst = runFirst;
            streaks.longestLast = day;
        }
    }
    if (!select.isValid() || !select.error().isEmpty()) {
        return R::failure(m_db->failure(QStringLiteral("reading the days"), select.error()));
    }
    streaks.lastDay = day;
    // Today without a document yet does not end the run: the day is not over.
    if (day.isValid() && (day == today || day.addDays(1) == today)) {
        streaks.current = run;
    }
    return streaks;
}

Result<CycleTotals> StateStore::cycleTotals() const
{
    using R = Result<CycleTotals>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    CycleTotals totals;
    const auto failed = [this](const SqliteStatement &statement) {
        return R::failure(m_db->failure(QStringLiteral("counting cycles"),
                                        statement.isValid() && statement.error().isEmpty()
                                            ? QStringLiteral("no result")
                                            : statement.error()));
    };
    {
        SqliteStatement select(db.value(), "SELECT outcome, COUNT(*) FROM cycles GROUP BY outcome");
        while (select.isValid() && select.next()) {
            const qint64 count = select.int64At(1);
            totals.total += count;
            switch (cycleOutcome(select.textAt(0))) {
            case CycleRecord::Outcome::Success:
                totals.succeeded += count;
                break;
            case CycleRecord::Outcome::Failed:
                totals.failed += count;
                break;
            case CycleRecord::Outcome::Skipped:
                totals.skipped += count;
                break;
            case CycleRecord::Outcome::Running:
                totals.unfinished += count;
                break;
            }
        }
        if (!select.isValid() || !select.error().isEmpty()) {
            return failed(select);
        }
    }
    qint64 lastSuccessId = 0;
    {
        SqliteStatement select(db.value(), "SELECT id, finished_at FROM cycles WHERE outcome = "
                                           "'success' ORDER BY id DESC LIMIT 1");
        if (select.isValid() && select.next()) {
            lastSuccessId = select.int64At(0);
            totals.lastSuccess = parseTimestamp(select.textAt(1));
            select.next();
        }
        if (!select.isValid() || !select.error().isEmpty()) {
            return failed(select);
        }
    }
    {
        SqliteStatement select(db.value(), "SELECT finished_at, reason FROM cycles WHERE outcome "
                                           "= 'failed' ORDER BY id DESC LIMIT 1");
        if (select.isValid() && select.next()) {
            totals.lastFailure = parseTimestamp(select.textAt(0));
            totals.lastFailureReason = select.textAt(1);
            select.next();
        }
        if (!select.isValid() || !select.error().isEmpty()) {
            return failed(select);
        }
    }
    {
        SqliteStatement select(db.value(), "SELECT COUNT(*) FROM cycles WHERE outcome = 'failed' "
                                           "AND id > ?1");
        select.bind(1, lastSuccessId);
        if (!select.isValid() || !select.next()) {
            return failed(select);
        }
        totals.consecutiveFailures = select.int64At(0);
        select.next();
    }
    return totals;
}

Result<StateStatistics> StateStore::statistics(const QTimeZone &zone, const QDateTime &now,
                                               int days) const
{
    using R = Result<StateStatistics>;
    StateStatistics stats;
    stats.generatedAt = now;
    stats.zone = zone;
    const QDate today = now.toTimeZone(zone).date();
    auto totals = documentTotals();
    if (!totals) {
        return R::failure(totals.error());
    }
    stats.totals = totals.value();
    for (const auto &[grouping, target] : {std::pair{Grouping::Repository, &stats.byRepo},
                                           std::pair{Grouping::DocType, &stats.byType},
                                           std::pair{Grouping::Language, &stats.byLanguage}}) {
        auto counts = countsBy(grouping);
        if (!counts) {
            return R::failure(counts.error());
        }
        *target = counts.value();
    }
    auto daily = perDay(zone, today, days);
    if (!daily) {
        return R::failure(daily.error());
    }
    stats.perDay = daily.value();
    auto runs = streaks(zone, today);
    if (!runs) {
        return R::failure(runs.error());
    }
    stats.streaks = runs.value();
    auto cycles = cycleTotals();
    if (!cycles) {
        return R::failure(cycles.error());
    }
    stats.cycles = cycles.value();
    return stats;
}

} // namespace codeworm
