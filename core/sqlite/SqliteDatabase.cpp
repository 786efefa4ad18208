#include "sqlite/SqliteDatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <atomic>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcSqlite, "codeworm.state")

std::atomic<int> databaseCounter{0};
// Set when the QCoreApplication is destroyed (a post routine), before static destructors.
std::atomic<bool> applicationGone{false};
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
        // Pool threads may end after the application object and Qt SQL's connection list
        // are gone (at process exit); then there is nothing left to close.
        if (applicationGone.load()) {
            return;
        }
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

} // namespace

SqliteDatabase::SqliteDatabase(QString path, QString description, QList<SqliteMigration> migrations,
                               Backup backup, Durability durability)
    : m_path(std::move(path))
    , m_description(std::move(description))
    , m_migrations(std::move(migrations))
    , m_backup(backup)
    , m_durability(durability)
    , m_connectionPrefix(QStringLiteral("codeworm-sqlite-%1-").arg(++databaseCounter))
{}

SqliteDatabase::~SqliteDatabase()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(m_connectionPrefix)) {
            QSqlDatabase::removeDatabase(name);
        }
    }
}

int SqliteDatabase::schemaVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

QString SqliteDatabase::connectionName() const
{
    return m_connectionPrefix + QString::number(threadSerial());
}

QString SqliteDatabase::failure(const QString &operation, const QSqlError &error) const
{
    return failure(operation, error.text());
}

QString SqliteDatabase::failure(const QString &operation, const QString &error) const
{
    return QStringLiteral("%1 %2: %3 failed: %4").arg(m_description, m_path, operation, error);
}

Status
SqliteDatabase::transaction(const QString &what,
                            const std::function<Status(QSqlDatabase &connection)> &work) const
{
    Result<QSqlDatabase> db = connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlDatabase &connection = db.value();
    if (!connection.transaction()) {
        return Status::failure(
            failure(QStringLiteral("starting a transaction"), connection.lastError()));
    }
    if (Status done = work(connection); !done) {
        connection.rollback();
        return done;
    }
    if (!connection.commit()) {
        const QString error = failure(what, connection.lastError());
        connection.rollback();
        return Status::failure(error);
    }
    return {};
}

Status SqliteDatabase::exec(QSqlQuery &query, const QString &sql) const
{
    if (!query.exec(sql)) {
        return Status::failure(failure(sql, query.lastError()));
    }
    return {};
}

void SqliteDatabase::close() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase::database(name, false).close();
    }
}

bool SqliteDatabase::isDamaged(const QString &error) const
{
    QFile file(m_path);
    if (!file.exists()) {
        return false;
    }
    if (file.size() > 0) {
        if (!file.open(QIODevice::ReadOnly)) {
            return false;
        }
        if (file.read(16) != QByteArrayView("SQLite format 3\0", 16)) {
            return true;
        }
    }
    return error.contains(QLatin1String("malformed")) ||
           error.contains(QLatin1String("not a database"));
}

Result<QSqlDatabase> SqliteDatabase::connection() const
{
    using R = Result<QSqlDatabase>;
    const QString name = connectionName();
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        db = QSqlDatabase::database(name, false);
        if (db.isOpen()) {
            return db;
        }
    } else {
        static const bool watched = [] {
            if (QCoreApplication::instance()) {
                qAddPostRoutine([] { applicationGone.store(true); });
                return true;
            }
            return false;
        }();
        Q_UNUSED(watched)
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        threadConnections().names.append(name);
    }
    if (!db.isValid()) {
        return R::failure(QStringLiteral("%1 %2: the Qt SQLite driver (QSQLITE) is not available")
                              .arg(m_description, m_path));
    }
    db.setDatabaseName(m_path);
    if (!db.open()) {
        return R::failure(failure(QStringLiteral("opening"), db.lastError()));
    }
    QSqlQuery query(db);
    for (const QString &pragma :
         {QStringLiteral("PRAGMA busy_timeout = 5000"), QStringLiteral("PRAGMA foreign_keys = ON"),
          m_durability == Durability::Cache ? QStringLiteral("PRAGMA synchronous = NORMAL")
                                            : QStringLiteral("PRAGMA synchronous = FULL")}) {
        if (Status done = exec(query, pragma); !done) {
            db.close();
            return R::failure(done.error());
        }
    }
    return db;
}

Result<int> SqliteDatabase::userVersion(QSqlQuery &query) const
{
    if (Status done = exec(query, QStringLiteral("PRAGMA user_version")); !done) {
        return Result<int>::failure(done.error());
    }
    if (!query.next()) {
        return Result<int>::failure(QStringLiteral("%1 %2: PRAGMA user_version returned nothing")
                                        .arg(m_description, m_path));
    }
    const int version = query.value(0).toInt();
    query.finish();
    return version;
}

QString SqliteDatabase::newerSchemaError(int version) const
{
    return QStringLiteral("%1 %2 has schema version %3, newer than the version %4 this CodeWorm "
                          "understands; it was written by a newer CodeWorm. Update CodeWorm or "
                          "point data_dir elsewhere; the file was left unchanged.")
        .arg(m_description, m_path)
        .arg(version)
        .arg(schemaVersion());
}

Status SqliteDatabase::open()
{
    if (m_path.isEmpty()) {
        return Status::failure(QStringLiteral("No path given for the %1").arg(m_description));
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder)) {
        return Status::failure(
            QStringLiteral("Cannot create the folder %1 for the %2").arg(folder, m_description));
    }
    Result<QSqlDatabase> db = connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    const Result<int> version = userVersion(query);
    if (!version) {
        return Status::failure(version.error());
    }
    if (version.value() > schemaVersion()) {
        return Status::failure(newerSchemaError(version.value()));
    }
    // Before the journal mode changes too: the copy is the file exactly as it was.
    if (m_backup == Backup::BeforeMigration && version.value() < schemaVersion()) {
        if (Status saved = backUp(db.value(), version.value()); !saved) {
            return saved;
        }
    }
    // WAL is a property of the file: set once here, every later connection uses it.
    if (Status done = exec(query, QStringLiteral("PRAGMA journal_mode = WAL")); !done) {
        return done;
    }
    // Some file systems (network mounts) cannot do WAL; SQLite then keeps its rollback journal.
    if (query.next() &&
        query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        qCWarning(lcSqlite, "%s %s: journal mode is %s, not WAL", qPrintable(m_description),
                  qPrintable(m_path), qPrintable(query.value(0).toString()));
    }
    query.finish();
    return migrate(db.value());
}

// The copy is made inside a read transaction begun right after a truncating WAL checkpoint:
// the main file then holds every committed page, and no later checkpoint can write into it
// while the read lasts (in rollback-journal mode the shared lock keeps writers out).
Status SqliteDatabase::backUp(QSqlDatabase &db, int version)
{
    QSqlQuery query(db);
    if (Status done = exec(query, QStringLiteral("SELECT COUNT(*) FROM sqlite_master")); !done) {
        return done;
    }
    const bool empty = query.next() && query.value(0).toInt() == 0;
    query.finish();
    if (empty) {
        return {}; // a new file holds nothing to keep
    }
    const QString wal = m_path + QStringLiteral("-wal");
    for (int attempt = 1;; ++attempt) {
        if (Status done = exec(query, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); !done) {
            return done;
        }
        query.finish();
        if (!db.transaction()) {
            return Status::failure(failure(QStringLiteral("starting the backup"), db.lastError()));
        }
        if (Status done = exec(query, QStringLiteral("SELECT COUNT(*) FROM sqlite_master"));
            !done) {
            db.rollback();
            return done;
        }
        query.finish();
        if (QFileInfo(wal).size() == 0) {
            break;
        }
        db.rollback(); // another process wrote meanwhile: checkpoint again
        if (attempt == 3) {
            return Status::failure(
                QStringLiteral("%1 %2: cannot back it up before migrating: another process keeps "
                               "writing to it; the file was left unchanged")
                    .arg(m_description, m_path));
        }
    }
    QString target = QStringLiteral("%1.v%2.bak").arg(m_path).arg(version);
    for (int n = 2; QFileInfo::exists(target); ++n) {
        target = QStringLiteral("%1.v%2.%3.bak").arg(m_path).arg(version).arg(n);
    }
    QFile source(m_path);
    QSaveFile copy(target);
    QString error;
    if (!source.open(QIODevice::ReadOnly)) {
        error = source.errorString();
    } else if (!copy.open(QIODevice::WriteOnly)) {
        error = copy.errorString();
    } else {
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        for (qint64 read;
             error.isEmpty() && (read = source.read(buffer.data(), buffer.size())) > 0;) {
            if (copy.write(buffer.constData(), read) != read) {
                error = copy.errorString();
            }
        }
        if (error.isEmpty() && source.error() != QFileDevice::NoError) {
            error = source.errorString();
        }
        if (error.isEmpty() && !copy.commit()) {
            error = copy.errorString();
        }
    }
    db.commit();
    if (!error.isEmpty()) {
        return Status::failure(QStringLiteral("%1 %2: cannot back it up to %3 before migrating: "
                                              "%4; the file was left unchanged")
                                   .arg(m_description, m_path, target, error));
    }
    // The state may be private: the copy is no more readable than the file.
    QFile::setPermissions(target, QFile::permissions(m_path));
    m_lastBackup = target;
    qCInfo(lcSqlite, "%s %s: schema version %d backed up to %s before migrating",
           qPrintable(m_description), qPrintable(m_path), version, qPrintable(target));
    return {};
}

Status SqliteDatabase::migrate(QSqlDatabase &db) const
{
    QSqlQuery query(db);
    for (const SqliteMigration &step : m_migrations) {
        if (Status begun = exec(query, QStringLiteral("BEGIN IMMEDIATE")); !begun) {
            return begun;
        }
        const auto rollback = [&](const QString &error) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return Status::failure(error);
        };
        const Result<int> version = userVersion(query);
        if (!version) {
            return rollback(version.error());
        }
        if (version.value() > schemaVersion()) {
            return rollback(newerSchemaError(version.value()));
        }
        if (version.value() >= step.version) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            continue;
        }
        for (const char *statement : step.statements) {
            if (Status done = exec(query, QString::fromLatin1(statement)); !done) {
                return rollback(QStringLiteral("Migration to schema version %1: %2")
                                    .arg(step.version)
                                    .arg(done.error()));
            }
        }
        const QString setVersion = QStringLiteral("PRAGMA user_version = %1").arg(step.version);
        if (Status done = exec(query, setVersion); !done) {
            return rollback(done.error());
        }
        if (Status done = exec(query, QStringLiteral("COMMIT")); !done) {
            return rollback(done.error());
        }
        qCInfo(lcSqlite, "%s %s migrated to schema version %d", qPrintable(m_description),
               qPrintable(m_path), step.version);
    }
    return {};
}

} // namespace codeworm
