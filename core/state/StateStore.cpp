#include "state/StateStore.h"

#include "sqlite/SqliteDatabase.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcState, "codeworm.state")

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
    };
    return steps;
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

} // namespace

StateStore::StateStore(QString databasePath)
    : m_db(std::make_unique<SqliteDatabase>(std::move(databasePath),
                                            QStringLiteral("State database"), migrations()))
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
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlDatabase &connection = db.value();
    if (!connection.transaction()) {
        return Status::failure(
            m_db->failure(QStringLiteral("starting a transaction"), connection.lastError()));
    }
    QSqlQuery query(connection);
    query.prepare(QStringLiteral(
        "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
        "class_name, code_hash, documented_at, snippet_path, git_commit, doc_type, fact_check) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
    query.addBindValue(nullable(entry.factCheck));
    if (!query.exec()) {
        const QString error =
            m_db->failure(QStringLiteral("recording %1").arg(entry.snippetPath), query.lastError());
        connection.rollback();
        return Status::failure(error);
    }
    if (!connection.commit()) {
        const QString error = m_db->failure(QStringLiteral("committing %1").arg(entry.snippetPath),
                                            connection.lastError());
        connection.rollback();
        return Status::failure(error);
    }
    return {};
}

int StateStore::countDocumentedSince(const QDateTime &since) const
{
    Result<QSqlDatabase> db = m_db->connection();
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
                       "ORDER BY julianday(documented_at) DESC, rowid DESC LIMIT ?"),
        {qMax(0, limit)}, QStringLiteral("reading recent entries"));
}

QList<DocumentedEntry> StateStore::documentedBetween(const QDateTime &from,
                                                     const QDateTime &to) const
{
    return readEntries(
        QStringLiteral("SELECT id, source_repo, source_file, function_name, class_name, code_hash, "
                       "documented_at, snippet_path, git_commit, doc_type FROM documented_snippets "
                       "WHERE julianday(documented_at) >= julianday(?) AND "
                       "julianday(documented_at) < julianday(?) "
                       "ORDER BY julianday(documented_at), rowid"),
        {timestamp(from), timestamp(to)}, QStringLiteral("reading the entries of a period"));
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
            "documented_at, snippet_path, git_commit, doc_type FROM (SELECT *, ROW_NUMBER() OVER "
            "(PARTITION BY source_repo, COALESCE(NULLIF(doc_type, ''), 'function_doc') ORDER BY "
            "julianday(documented_at) DESC, rowid DESC) AS n FROM documented_snippets) WHERE n <= "
            "? "
            "ORDER BY source_repo, doc_type, julianday(documented_at) DESC, rowid DESC"),
        {qMax(0, perGroup)}, QStringLiteral("reading the DevLog index"));
}

QString StateStore::groupKey(const QString &repo, const QString &docType)
{
    return repo + QLatin1Char('\n') + docType;
}

} // namespace codeworm
