#pragma once

#include <functional>

#include "common/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

class QSqlError;
class QSqlQuery;

namespace codeworm {

// One forward step of a schema: PRAGMA user_version is the number of steps applied.
struct SqliteMigration
{
    int version;
    QList<const char *> statements;
};

// A SQLite file used through QSqlDatabase from any thread: each thread gets its own
// connection, opened on first use and closed when the thread ends. open() creates the
// file, switches it to WAL and applies pending migrations, each in its own BEGIN IMMEDIATE
// transaction so that two processes starting together cannot apply a step twice. A file
// written by a newer CodeWorm (a higher user_version) is refused before anything is
// written to it. With Backup::BeforeMigration, a file that has content and pending steps is
// first copied beside itself as "<file>.v<version>.bak" (after a WAL checkpoint), so that
// a migration never costs the only copy of what the file held.
class SqliteDatabase
{
public:
    enum class Backup { None, BeforeMigration };
    // Durable: every commit is on disk when it returns (synchronous = FULL). Cache: a file
    // that can be rebuilt; in WAL mode a commit is synced only at checkpoints (synchronous =
    // NORMAL), so a power cut may lose the last commits but never corrupts the file.
    enum class Durability { Durable, Cache };

    // description names the file in messages ("State database", "Symbol index").
    SqliteDatabase(QString path, QString description, QList<SqliteMigration> migrations,
                   Backup backup = Backup::None, Durability durability = Durability::Durable);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    Status open();
    // This thread's connection.
    Result<QSqlDatabase> connection() const;
    // Closes this thread's connection (the next connection() opens it again).
    void close() const;
    // True when the file exists but is not a readable SQLite database (a wrong header, or
    // SQLite called it malformed in `error`).
    bool isDamaged(const QString &error) const;

    QString path() const { return m_path; }
    int schemaVersion() const;
    // The backup open() made before migrating; empty when it made none.
    QString lastBackup() const { return m_lastBackup; }
    // "<description> <path>: <operation> failed: <error>".
    QString failure(const QString &operation, const QSqlError &error) const;
    QString failure(const QString &operation, const QString &error) const;
    // Runs one statement; on failure the error names the statement.
    Status exec(QSqlQuery &query, const QString &sql) const;
    // Runs work in one transaction on this thread's connection: committed when work succeeds,
    // rolled back when it fails or the commit does. `what` names the work in errors.
    Status transaction(const QString &what,
                       const std::function<Status(QSqlDatabase &connection)> &work) const;

private:
    QString connectionName() const;
    Status migrate(QSqlDatabase &db) const;
    Result<int> userVersion(QSqlQuery &query) const;
    QString newerSchemaError(int version) const;
    Status backUp(QSqlDatabase &db, int version);

    QString m_path;
    QString m_description;
    QList<SqliteMigration> m_migrations;
    Backup m_backup;
    Durability m_durability;
    QString m_connectionPrefix;
    QString m_lastBackup;
};

} // namespace codeworm
