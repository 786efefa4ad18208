#include "state/StateStore.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <atomic>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcState, "codeworm.state")

struct Migration
{
    int version;
    QList<const char *> statements;
};

// The schema's history: PRAGMA user_version is the number of steps applied. Append new
// steps at the end; never edit an applied one. Step 1 is the original CodeWorm's schema,
// written with IF NOT EXISTS so that an original database (user_version 0, table present)
// is taken over as it is.
const QList<Migration> &migrations()
{
    static const QList<Migration> steps = {
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
    };
    return steps;
}

std::atomic<int> storeCounter{0};
std::atomic<quint64> threadCounter{0};

// A number that identifies the current thread for the life of the process (thread ids
// are reused once a thread has ended; this is not).
quint64 threadSerial()
{
    thread_local const quint64 serial = ++threadCounter;
    return serial;
}

// The connections a thread opened, closed when the thread ends so that finished pool
// threads leave no open database behind.
struct ThreadConnections
{
    QStringList names;
    ThreadConnections() = default;
    ThreadConnections(const ThreadConnections &) = delete;
    ThreadConnections &operator=(const ThreadConnections &) = delete;
    ~ThreadConnections()
    {
        for (const QString &name : std::as_const(names)) {
            QSqlDatabase::removeDatabase(name);
        }
    }
};

ThreadConnections &threadConnections()
{
    thread_local ThreadConnections connections;
    return connections;
}

QString sqlFailure(const QString &operation, const QString &path, const QSqlError &error)
{
    return QStringLiteral("State database %1: %2 failed: %3").arg(path, operation, error.text());
}

// Runs one statement; on failure returns the error text naming the statement.
Status exec(QSqlQuery &query, const QString &sql, const QString &path)
{
    if (!query.exec(sql)) {
        return Status::failure(sqlFailure(sql, path, query.lastError()));
    }
    return {};
}

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

QString timestamp(const QDateTime &when)
{
    return when.toUTC().toString(Qt::ISODateWithMs);
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

Result<QSqlDatabase> openConnection(const QString &name, const QString &path)
{
    using R = Result<QSqlDatabase>;
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        db = QSqlDatabase::database(name, false);
        if (db.isOpen()) {
            return db;
        }
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        threadConnections().names.append(name);
    }
    if (!db.isValid()) {
        return R::failure(QStringLiteral("State database %1: the Qt SQLite driver (QSQLITE) is "
                                         "not available")
                              .arg(path));
    }
    db.setDatabaseName(path);
    if (!db.open()) {
        return R::failure(sqlFailure(QStringLiteral("opening"), path, db.lastError()));
    }
    QSqlQuery query(db);
    for (const QString &pragma : {QStringLiteral("PRAGMA busy_timeout = 5000"),
                                  QStringLiteral("PRAGMA foreign_keys = ON")}) {
        if (Status done = exec(query, pragma, path); !done) {
            db.close();
            return R::failure(done.error());
        }
    }
    return db;
}

Result<int> userVersion(QSqlQuery &query, const QString &path)
{
    if (Status done = exec(query, QStringLiteral("PRAGMA user_version"), path); !done) {
        return Result<int>::failure(done.error());
    }
    if (!query.next()) {
        return Result<int>::failure(
            QStringLiteral("State database %1: PRAGMA user_version returned nothing").arg(path));
    }
    const int version = query.value(0).toInt();
    query.finish();
    return version;
}

QString newerSchemaError(const QString &path, int version)
{
    return QStringLiteral("State database %1 has schema version %2, newer than the version %3 "
                          "this CodeWorm understands; it was written by a newer CodeWorm. Update "
                          "CodeWorm or point data_dir elsewhere; the file was left unchanged.")
        .arg(path)
        .arg(version)
        .arg(StateStore::schemaVersion());
}

Status migrate(QSqlDatabase &db, const QString &path)
{
    QSqlQuery query(db);
    for (const Migration &step : migrations()) {
        // BEGIN IMMEDIATE takes the write lock first, so two processes starting together
        // cannot both apply the same step.
        if (Status begun = exec(query, QStringLiteral("BEGIN IMMEDIATE"), path); !begun) {
            return begun;
        }
        const auto rollback = [&](const QString &error) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return Status::failure(error);
        };
        const Result<int> version = userVersion(query, path);
        if (!version) {
            return rollback(version.error());
        }
        if (version.value() > StateStore::schemaVersion()) {
            return rollback(newerSchemaError(path, version.value()));
        }
        if (version.value() >= step.version) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            continue;
        }
        for (const char *statement : step.statements) {
            if (Status done = exec(query, QString::fromLatin1(statement), path); !done) {
                return rollback(QStringLiteral("Migration to schema version %1: %2")
                                    .arg(step.version)
                                    .arg(done.error()));
            }
        }
        const QString setVersion = QStringLiteral("PRAGMA user_version = %1").arg(step.version);
        if (Status done = exec(query, setVersion, path); !done) {
            return rollback(done.error());
        }
        if (Status done = exec(query, QStringLiteral("COMMIT"), path); !done) {
            return rollback(done.error());
        }
        qCInfo(lcState, "State database %s migrated to schema version %d", qPrintable(path),
               step.version);
    }
    return {};
}

} // namespace

StateStore::StateStore(QString databasePath)
    : m_path(std::move(databasePath))
    , m_connectionPrefix(QStringLiteral("codeworm-state-%1-").arg(++storeCounter))
{}

StateStore::~StateStore()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(m_connectionPrefix)) {
            QSqlDatabase::removeDatabase(name);
        }
    }
}

int StateStore::schemaVersion()
{
    return migrations().constLast().version;
}

QString StateStore::connectionName() const
{
    return m_connectionPrefix + QString::number(threadSerial());
}

Status StateStore::open()
{
    if (m_path.isEmpty()) {
        return Status::failure(QStringLiteral("No state database path given"));
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder)) {
        return Status::failure(
            QStringLiteral("Cannot create the folder %1 for the state database").arg(folder));
    }
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    // A database from a newer CodeWorm is refused before anything is written to it.
    const Result<int> version = userVersion(query, m_path);
    if (!version) {
        return Status::failure(version.error());
    }
    if (version.value() > schemaVersion()) {
        return Status::failure(newerSchemaError(m_path, version.value()));
    }
    // WAL is a property of the file: set once here, every later connection uses it.
    if (Status done = exec(query, QStringLiteral("PRAGMA journal_mode = WAL"), m_path); !done) {
        return done;
    }
    // Some file systems (network mounts) cannot do WAL; SQLite then keeps its rollback journal.
    if (query.next() &&
        query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        qCWarning(lcState, "State database %s: journal mode is %s, not WAL", qPrintable(m_path),
                  qPrintable(query.value(0).toString()));
    }
    query.finish();
    return migrate(db.value(), m_path);
}

bool StateStore::isDocumented(const QString &codeHash, const QString &docType) const
{
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
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
        qCWarning(lcState, "%s",
                  qPrintable(sqlFailure(QStringLiteral("looking up a code hash"), m_path,
                                        query.lastError())));
        return false;
    }
    return query.next();
}

bool StateStore::documentedSince(const QString &repo, const QString &file, const QString &function,
                                 const QString &className, const QString &docType,
                                 const QDateTime &since) const
{
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
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
                  QStringLiteral(" AND COALESCE(doc_type, 'function_doc') = ? AND "
                                 "julianday(documented_at) >= julianday(?) LIMIT 1"));
    query.addBindValue(repo);
    query.addBindValue(file);
    if (!function.isEmpty()) {
        query.addBindValue(function);
    }
    if (!className.isEmpty()) {
        query.addBindValue(className);
    }
    query.addBindValue(docType);
    query.addBindValue(timestamp(since));
    if (!query.exec()) {
        qCWarning(lcState, "%s",
                  qPrintable(sqlFailure(QStringLiteral("looking up %1 in %2").arg(function, file),
                                        m_path, query.lastError())));
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
                    .arg(m_path, QLatin1String(field)));
        }
    }
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlDatabase &connection = db.value();
    if (!connection.transaction()) {
        return Status::failure(
            sqlFailure(QStringLiteral("starting a transaction"), m_path, connection.lastError()));
    }
    QSqlQuery query(connection);
    query.prepare(QStringLiteral(
        "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
        "class_name, code_hash, documented_at, snippet_path, git_commit, doc_type) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(entry.id.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                          : entry.id);
    query.addBindValue(entry.sourceRepo);
    query.addBindValue(entry.sourceFile);
    query.addBindValue(nullable(entry.functionName));
    query.addBindValue(nullable(entry.className));
    query.addBindValue(entry.codeHash);
    query.addBindValue(timestamp(entry.documentedAt.isValid() ? entry.documentedAt
                                                              : QDateTime::currentDateTimeUtc()));
    query.addBindValue(entry.snippetPath);
    query.addBindValue(nullable(entry.gitCommit));
    query.addBindValue(entry.docType.isEmpty() ? QStringLiteral("function_doc") : entry.docType);
    if (!query.exec()) {
        const QString error = sqlFailure(QStringLiteral("recording %1").arg(entry.snippetPath),
                                         m_path, query.lastError());
        connection.rollback();
        return Status::failure(error);
    }
    if (!connection.commit()) {
        const QString error = sqlFailure(QStringLiteral("committing %1").arg(entry.snippetPath),
                                         m_path, connection.lastError());
        connection.rollback();
        return Status::failure(error);
    }
    return {};
}

int StateStore::countDocumentedSince(const QDateTime &since) const
{
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return 0;
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM documented_snippets WHERE "
                                 "julianday(documented_at) >= julianday(?)"));
    query.addBindValue(timestamp(since));
    if (!query.exec() || !query.next()) {
        qCWarning(lcState, "%s",
                  qPrintable(sqlFailure(QStringLiteral("counting documented entries"), m_path,
                                        query.lastError())));
        return 0;
    }
    const int version = query.value(0).toInt();
    query.finish();
    return version;
}

QList<DocumentedEntry> StateStore::recent(int limit) const
{
    QList<DocumentedEntry> entries;
    Result<QSqlDatabase> db = openConnection(connectionName(), m_path);
    if (!db) {
        qCWarning(lcState, "%s", qPrintable(db.error()));
        return entries;
    }
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT id, source_repo, source_file, function_name, class_name, code_hash, "
                       "documented_at, snippet_path, git_commit, doc_type FROM documented_snippets "
                       "ORDER BY julianday(documented_at) DESC, rowid DESC LIMIT ?"));
    query.addBindValue(qMax(0, limit));
    if (!query.exec()) {
        qCWarning(lcState, "%s",
                  qPrintable(sqlFailure(QStringLiteral("reading recent entries"), m_path,
                                        query.lastError())));
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

} // namespace codeworm
