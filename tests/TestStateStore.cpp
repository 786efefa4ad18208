#include "state/StateStore.h"

#include "TestEnvironment.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>
#include <QtTest>

using namespace codeworm;
using codeworm::test::TestEnvironment;

namespace {

// A plain connection of the test's own, to build and inspect databases independently of
// the store.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
        : m_name(QStringLiteral("test-raw-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (!db.open()) {
            qFatal("RawDatabase: cannot open %s: %s", qPrintable(path),
                   qPrintable(db.lastError().text()));
        }
    }
    ~RawDatabase()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDatabase(const RawDatabase &) = delete;
    RawDatabase &operator=(const RawDatabase &) = delete;

    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql)) {
            qWarning("RawDatabase: %s failed: %s", qPrintable(sql),
                     qPrintable(query.lastError().text()));
            return false;
        }
        return true;
    }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql) || !query.next()) {
            qWarning("RawDatabase: %s failed: %s", qPrintable(sql),
                     qPrintable(query.lastError().text()));
            return {};
        }
        return query.value(0);
    }
    QStringList column(const QString &sql, int index) const
    {
        QStringList values;
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql)) {
            qWarning("RawDatabase: %s failed: %s", qPrintable(sql),
                     qPrintable(query.lastError().text()));
        }
        while (query.next()) {
            values << query.value(index).toString();
        }
        return values;
    }

private:
    static inline int s_counter = 0;
    QString m_name;
};

DocumentedEntry sampleEntry(const QDateTime &when)
{
    DocumentedEntry entry;
    entry.sourceRepo = QStringLiteral("codeworm");
    entry.sourceFile = QStringLiteral("codeworm/daemon.py");
    entry.functionName = QStringLiteral("run");
    entry.className = QStringLiteral("CodeWormDaemon");
    entry.codeHash = QStringLiteral("ab12cd34");
    entry.documentedAt = when;
    entry.snippetPath = QStringLiteral("snippets/python/2026-02-19_codewormdaemon-run.md");
    entry.gitCommit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    return entry;
}

} // namespace

class TestStateStore : public QObject
{
    Q_OBJECT

private slots:
    void freshDatabaseMigratesToTheSchemaVersion();
    void recordedEntryIsFound();
    void documentedSinceHonoursTheWindowAndNames();
    void recentIsNewestFirst();
    void duplicateIdIsAnErrorNamingTheDatabase();
    void incompleteEntryIsRefused();
    void originalDatabaseIsTakenOver();
    void newerDatabaseIsRefusedUntouched();
    void worksFromAnotherThread();
};

void TestStateStore::freshDatabaseMigratesToTheSchemaVersion()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("state/codeworm/codeworm.db"));
    {
        StateStore store(path);
        const Status opened = store.open();
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        QCOMPARE(store.databasePath(), path);
        // Opening again is a no-op.
        QVERIFY(store.open().ok());
    }
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(StateStore::schemaVersion() >= 1);

    RawDatabase raw(path);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
             StateStore::schemaVersion());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'documented_snippets' AND sql IS NOT NULL"))
                 .toInt(),
             4);
    QCOMPARE(raw.column(QStringLiteral("PRAGMA table_info(documented_snippets)"), 1),
             (QStringList{QStringLiteral("id"), QStringLiteral("source_repo"),
                          QStringLiteral("source_file"), QStringLiteral("function_name"),
                          QStringLiteral("class_name"), QStringLiteral("code_hash"),
                          QStringLiteral("documented_at"), QStringLiteral("snippet_path"),
                          QStringLiteral("git_commit"), QStringLiteral("doc_type"),
                          QStringLiteral("fact_check")}));
}

void TestStateStore::recordedEntryIsFound()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());

    const QDateTime when = QDateTime(QDate(2026, 2, 19), QTime(12, 27, 33, 250), Qt::UTC);
    QVERIFY(!store.isDocumented(QStringLiteral("ab12cd34"), QStringLiteral("function_doc")));
    const Status recorded = store.recordDocumented(sampleEntry(when));
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));

    QVERIFY(store.isDocumented(QStringLiteral("ab12cd34"), QStringLiteral("function_doc")));
    QVERIFY(!store.isDocumented(QStringLiteral("ab12cd34"), QStringLiteral("class_doc")));
    QVERIFY(!store.isDocumented(QStringLiteral("ffff"), QStringLiteral("function_doc")));

    const QList<DocumentedEntry> entries = store.recent(10);
    QCOMPARE(entries.size(), 1);
    const DocumentedEntry &entry = entries.first();
    QVERIFY2(!QUuid::fromString(entry.id).isNull(), qPrintable(entry.id));
    QCOMPARE(entry.sourceRepo, QStringLiteral("codeworm"));
    QCOMPARE(entry.sourceFile, QStringLiteral("codeworm/daemon.py"));
    QCOMPARE(entry.functionName, QStringLiteral("run"));
    QCOMPARE(entry.className, QStringLiteral("CodeWormDaemon"));
    QCOMPARE(entry.codeHash, QStringLiteral("ab12cd34"));
    QCOMPARE(entry.documentedAt, when);
    QCOMPARE(entry.snippetPath, QStringLiteral("snippets/python/2026-02-19_codewormdaemon-run.md"));
    QCOMPARE(entry.gitCommit, QStringLiteral("0123456789abcdef0123456789abcdef01234567"));
    QCOMPARE(entry.docType, QStringLiteral("function_doc"));

    RawDatabase raw(path);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT documented_at FROM documented_snippets")).toString(),
             QStringLiteral("2026-02-19T12:27:33.250Z"));
}

void TestStateStore::documentedSinceHonoursTheWindowAndNames()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString repo = QStringLiteral("codeworm");
    const QString file = QStringLiteral("codeworm/daemon.py");
    const QString type = QStringLiteral("function_doc");

    QVERIFY(store.recordDocumented(sampleEntry(now.addDays(-10))).ok());
    QVERIFY(store.documentedSince(repo, file, QStringLiteral("run"),
                                  QStringLiteral("CodeWormDaemon"), type, now.addDays(-90)));
    QVERIFY(!store.documentedSince(repo, file, QStringLiteral("run"),
                                   QStringLiteral("CodeWormDaemon"), type, now.addDays(-5)));
    QVERIFY(!store.documentedSince(repo, file, QStringLiteral("run"), QString(), type,
                                   now.addDays(-90)));
    QVERIFY(!store.documentedSince(repo, file, QStringLiteral("stop"),
                                   QStringLiteral("CodeWormDaemon"), type, now.addDays(-90)));
    QVERIFY(!store.documentedSince(repo, file, QStringLiteral("run"),
                                   QStringLiteral("CodeWormDaemon"), QStringLiteral("til"),
                                   now.addDays(-90)));
    QVERIFY(!store.documentedSince(QStringLiteral("other"), file, QStringLiteral("run"),
                                   QStringLiteral("CodeWormDaemon"), type, now.addDays(-90)));

    // A plain function: stored as NULL, and a row the original wrote with '' matches too.
    DocumentedEntry function = sampleEntry(now.addDays(-1));
    function.className.clear();
    function.functionName = QStringLiteral("main");
    function.codeHash = QStringLiteral("f00d");
    QVERIFY(store.recordDocumented(function).ok());
    QVERIFY(store.documentedSince(repo, file, QStringLiteral("main"), QString(), type,
                                  now.addDays(-2)));
    {
        RawDatabase raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM documented_snippets WHERE "
                                           "function_name = 'main' AND class_name IS NULL"))
                     .toInt(),
                 1);
        QVERIFY(raw.exec(
            QStringLiteral(
                "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
                "class_name, code_hash, documented_at, snippet_path, doc_type) VALUES ('x', "
                "'codeworm', 'codeworm/daemon.py', 'helper', '', 'beef', '%1', 'p.md', "
                "'function_doc')")
                .arg(now.addDays(-1).toString(Qt::ISODateWithMs))));
    }
    QVERIFY(store.documentedSince(repo, file, QStringLiteral("helper"), QString(), type,
                                  now.addDays(-2)));

    QCOMPARE(store.countDocumentedSince(now.addDays(-30)), 3);
    QCOMPARE(store.countDocumentedSince(now.addDays(-5)), 2);
    QCOMPARE(store.countDocumentedSince(now.addSecs(60)), 0);
}

void TestStateStore::recentIsNewestFirst()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QDateTime base = QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
    for (int day : {3, 1, 4, 2}) {
        DocumentedEntry entry = sampleEntry(base.addDays(day));
        entry.id = QStringLiteral("day-%1").arg(day);
        entry.codeHash = QStringLiteral("hash-%1").arg(day);
        QVERIFY(store.recordDocumented(entry).ok());
    }
    const QList<DocumentedEntry> three = store.recent(3);
    QCOMPARE(three.size(), 3);
    QCOMPARE(three.at(0).id, QStringLiteral("day-4"));
    QCOMPARE(three.at(1).id, QStringLiteral("day-3"));
    QCOMPARE(three.at(2).id, QStringLiteral("day-2"));
    QCOMPARE(store.recent(100).size(), 4);
    QVERIFY(store.recent(0).isEmpty());
}

void TestStateStore::duplicateIdIsAnErrorNamingTheDatabase()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());
    DocumentedEntry entry = sampleEntry(QDateTime::currentDateTimeUtc());
    entry.id = QStringLiteral("fixed-id");
    QVERIFY(store.recordDocumented(entry).ok());
    const Status again = store.recordDocumented(entry);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(path), qPrintable(again.error()));
    QVERIFY2(again.error().contains(QStringLiteral("UNIQUE"), Qt::CaseInsensitive),
             qPrintable(again.error()));
    QCOMPARE(store.recent(10).size(), 1);
    // The failed insert left no transaction open: the next one works.
    entry.id = QStringLiteral("other-id");
    QVERIFY(store.recordDocumented(entry).ok());
    QCOMPARE(store.recent(10).size(), 2);
}

void TestStateStore::incompleteEntryIsRefused()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    DocumentedEntry entry = sampleEntry(QDateTime::currentDateTimeUtc());
    entry.codeHash.clear();
    const Status refused = store.recordDocumented(entry);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("codeHash")), qPrintable(refused.error()));
    QVERIFY(store.recent(10).isEmpty());
}

void TestStateStore::originalDatabaseIsTakenOver()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("original.db"));
    {
        // The Python original's schema and rows: isoformat() timestamps in local time,
        // NULL class names, its own index names, user_version 0.
        RawDatabase raw(path);
        QVERIFY(raw.exec(QStringLiteral(
            "CREATE TABLE documented_snippets (id TEXT PRIMARY KEY, source_repo TEXT NOT NULL, "
            "source_file TEXT NOT NULL, function_name TEXT, class_name TEXT, code_hash TEXT NOT "
            "NULL, documented_at TIMESTAMP NOT NULL, snippet_path TEXT NOT NULL, git_commit "
            "TEXT, doc_type TEXT DEFAULT 'function_doc')")));
        QVERIFY(raw.exec(
            QStringLiteral("CREATE INDEX idx_snippets_hash ON documented_snippets(code_hash)")));
        QVERIFY(raw.exec(QStringLiteral(
            "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
            "class_name, code_hash, documented_at, snippet_path, git_commit) VALUES "
            "('6f1c2b', 'CodeWorm', 'codeworm/daemon.py', NULL, 'CodeWormDaemon', 'c0ffee', "
            "'2026-02-19T12:27:33.123456', 'classes/2026-02-19_codewormdaemon.md', 'abc123')")));
        QVERIFY(raw.exec(QStringLiteral(
            "INSERT INTO documented_snippets (id, source_repo, source_file, function_name, "
            "class_name, code_hash, documented_at, snippet_path, git_commit, doc_type) VALUES "
            "('7a2d3c', 'CodeWorm', 'codeworm/cli.py', 'main', NULL, 'decaf', "
            "'2026-02-18 10:00:00', 'snippets/python/2026-02-18_main.md', 'def456', "
            "'function_doc')")));
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 0);
    }

    StateStore store(path);
    const Status opened = store.open();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QVERIFY(store.isDocumented(QStringLiteral("c0ffee"), QStringLiteral("function_doc")));
    QVERIFY(store.isDocumented(QStringLiteral("decaf"), QStringLiteral("function_doc")));
    QVERIFY(store.documentedSince(QStringLiteral("CodeWorm"), QStringLiteral("codeworm/cli.py"),
                                  QStringLiteral("main"), QString(), QStringLiteral("function_doc"),
                                  QDateTime(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC)));
    QVERIFY(!store.documentedSince(QStringLiteral("CodeWorm"), QStringLiteral("codeworm/cli.py"),
                                   QStringLiteral("main"), QString(),
                                   QStringLiteral("function_doc"),
                                   QDateTime(QDate(2026, 2, 20), QTime(0, 0), Qt::UTC)));

    const QList<DocumentedEntry> entries = store.recent(10);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).id, QStringLiteral("6f1c2b"));
    QCOMPARE(entries.at(0).documentedAt,
             QDateTime(QDate(2026, 2, 19), QTime(12, 27, 33, 123), Qt::LocalTime));
    QCOMPARE(entries.at(0).functionName, QString());
    QCOMPARE(entries.at(0).docType, QStringLiteral("function_doc"));
    QCOMPARE(entries.at(1).documentedAt,
             QDateTime(QDate(2026, 2, 18), QTime(10, 0), Qt::LocalTime));

    // New rows go in beside the old ones.
    QVERIFY(store.recordDocumented(sampleEntry(QDateTime::currentDateTimeUtc())).ok());
    QCOMPARE(store.recent(10).size(), 3);

    RawDatabase raw(path);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
             StateStore::schemaVersion());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT git_commit FROM documented_snippets WHERE id = "
                                       "'6f1c2b'"))
                 .toString(),
             QStringLiteral("abc123"));
}

void TestStateStore::newerDatabaseIsRefusedUntouched()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("future.db"));
    {
        RawDatabase raw(path);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future_things (x INTEGER)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const QByteArray before = codeworm::test::readFile(path);
    QVERIFY(!before.isEmpty());

    {
        StateStore store(path);
        const Status opened = store.open();
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().contains(path), qPrintable(opened.error()));
        QVERIFY2(opened.error().contains(QStringLiteral("99")), qPrintable(opened.error()));
        QVERIFY2(opened.error().contains(QStringLiteral("newer")), qPrintable(opened.error()));
    }
    QCOMPARE(codeworm::test::readFile(path), before);
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    RawDatabase raw(path);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                       "'documented_snippets'"))
                 .toInt(),
             0);
}

void TestStateStore::worksFromAnotherThread()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    const int connectionsBefore = QSqlDatabase::connectionNames().size();
    {
        StateStore store(path);
        QVERIFY(store.open().ok());
        const QDateTime when = QDateTime::currentDateTimeUtc();

        Status recorded;
        bool seenInWorker = false;
        bool mainRecordSeenInWorker = false;
        QVERIFY(store.recordDocumented(sampleEntry(when)).ok());
        std::unique_ptr<QThread> worker(QThread::create([&] {
            DocumentedEntry entry = sampleEntry(when);
            entry.codeHash = QStringLiteral("from-worker");
            recorded = store.recordDocumented(entry);
            seenInWorker =
                store.isDocumented(QStringLiteral("from-worker"), QStringLiteral("function_doc"));
            mainRecordSeenInWorker =
                store.isDocumented(QStringLiteral("ab12cd34"), QStringLiteral("function_doc"));
        }));
        worker->start();
        QVERIFY(worker->wait(30000));
        QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
        QVERIFY(seenInWorker);
        QVERIFY(mainRecordSeenInWorker);
        QVERIFY(store.isDocumented(QStringLiteral("from-worker"), QStringLiteral("function_doc")));
        QCOMPARE(store.recent(10).size(), 2);
        // The finished thread's connection is gone; the main thread's remains. (It goes with
        // the thread's thread_local storage, which the C++ runtime destroys as the thread
        // exits, just after QThread::wait() has returned: hence the polling.)
        QTRY_COMPARE_WITH_TIMEOUT(QSqlDatabase::connectionNames().size(), connectionsBefore + 1,
                                  30000);
    }
    QCOMPARE(QSqlDatabase::connectionNames().size(), connectionsBefore);
}

QTEST_GUILESS_MAIN(TestStateStore)
#include "TestStateStore.moc"
