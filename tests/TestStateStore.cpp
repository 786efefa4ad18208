#include "state/StateStore.h"

#include "TestEnvironment.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimeZone>
#include <QUuid>
#include <QtTest>

#include <ctime>

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

// The Python original's schema as its state.py creates it (doc_type and the last two
// indexes came with its own migration).
void createOriginalSchema(const RawDatabase &raw)
{
    for (const char *sql : {
             "CREATE TABLE documented_snippets (id TEXT PRIMARY KEY, source_repo TEXT NOT NULL, "
             "source_file TEXT NOT NULL, function_name TEXT, class_name TEXT, code_hash TEXT NOT "
             "NULL, documented_at TIMESTAMP NOT NULL, snippet_path TEXT NOT NULL, git_commit "
             "TEXT, doc_type TEXT NOT NULL DEFAULT 'function_doc')",
             "CREATE INDEX IF NOT EXISTS idx_code_hash ON documented_snippets(code_hash)",
             "CREATE INDEX IF NOT EXISTS idx_source ON documented_snippets(source_repo, "
             "source_file)",
             "CREATE INDEX IF NOT EXISTS idx_function ON documented_snippets(source_file, "
             "function_name)",
             "CREATE INDEX IF NOT EXISTS idx_dedup ON documented_snippets(source_file, "
             "function_name, class_name, doc_type)",
             "CREATE INDEX IF NOT EXISTS idx_doc_type ON documented_snippets(doc_type)",
         }) {
        QVERIFY(raw.exec(QString::fromLatin1(sql)));
    }
}

// One original row: its isoformat() time in local time, without a zone.
void insertOriginalRow(const RawDatabase &raw, const QString &id, const QString &file,
                       const QString &function, const QString &snippetPath,
                       const QString &documentedAt, const QString &docType,
                       const QString &codeHash = {})
{
    QVERIFY(raw.exec(
        QStringLiteral("INSERT INTO documented_snippets (id, source_repo, source_file, "
                       "function_name, class_name, code_hash, documented_at, snippet_path, "
                       "git_commit, doc_type) VALUES ('%1', 'CodeWorm', '%2', '%3', NULL, '%4', "
                       "'%5', '%6', 'c0mm1t-%1', '%7')")
            .arg(id, file, function, codeHash.isNull() ? QStringLiteral("hash-") + id : codeHash,
                 documentedAt, snippetPath, docType)));
}

QStringList rowDump(const RawDatabase &raw)
{
    return raw.column(QStringLiteral("SELECT id || '|' || source_repo || '|' || source_file || '|' "
                                     "|| IFNULL(function_name, '-') || '|' || IFNULL(class_name, "
                                     "'-') || '|' || code_hash || '|' || documented_at || '|' || "
                                     "snippet_path || '|' || IFNULL(git_commit, '-') || '|' || "
                                     "doc_type FROM documented_snippets ORDER BY id"),
                      0);
}

// A document of the statistics' data set.
DocumentedEntry statsEntry(const QString &id, const QDateTime &when, const QString &repo,
                           const QString &docType, const QString &language,
                           const QString &factCheck)
{
    DocumentedEntry entry = sampleEntry(when);
    entry.id = id;
    entry.codeHash = QStringLiteral("hash-") + id;
    entry.gitCommit = QStringLiteral("commit-") + id;
    entry.snippetPath = QStringLiteral("x/%1.md").arg(id);
    entry.sourceRepo = repo;
    entry.docType = docType;
    entry.language = language;
    entry.factCheck = factCheck;
    entry.promptTokens = 1000;
    entry.outputTokens = 200;
    entry.generationMs = 10000;
    entry.totalMs = 15000;
    return entry;
}

CycleRecord finishedCycle(CycleRecord::Outcome outcome, const QDateTime &started,
                          const QString &reason = {})
{
    CycleRecord cycle;
    cycle.started = started;
    cycle.finished = started.addSecs(30);
    cycle.outcome = outcome;
    cycle.reason = reason;
    return cycle;
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
    void originalLocalTimesAreComparedInTheirZone();
    void newerDatabaseIsRefusedUntouched();
    void worksFromAnotherThread();
    void newDocumentFieldsAreRecorded();
    void pushedCommitsAreMarked();
    void originalDatabaseKeepsEveryRowAndABackup();
    void olderVersionIsBackedUpUnderItsVersion();
    void statisticsOfAKnownDataSet();
    void currentStreakLastsUntilADayIsMissed();
    void cyclesAreRecordedFromStartToEnd();
    void totalsFollowEveryWrite();
    void importTakesNewRowsOnce();
    void importNamesABadPath();
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
    QCOMPARE(raw.column(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                       "tbl_name = 'documented_snippets' AND sql IS NOT NULL "
                                       "ORDER BY name"),
                        0),
             (QStringList{QStringLiteral("idx_code_hash"), QStringLiteral("idx_dedup"),
                          QStringLiteral("idx_doc_type"), QStringLiteral("idx_documented_ms"),
                          QStringLiteral("idx_function"), QStringLiteral("idx_git_commit"),
                          QStringLiteral("idx_language"), QStringLiteral("idx_source"),
                          QStringLiteral("idx_unpushed")}));
    QCOMPARE(raw.column(QStringLiteral("PRAGMA table_info(documented_snippets)"), 1),
             (QStringList{QStringLiteral("id"), QStringLiteral("source_repo"),
                          QStringLiteral("source_file"), QStringLiteral("function_name"),
                          QStringLiteral("class_name"), QStringLiteral("code_hash"),
                          QStringLiteral("documented_at"), QStringLiteral("snippet_path"),
                          QStringLiteral("git_commit"), QStringLiteral("doc_type"),
                          QStringLiteral("fact_check"), QStringLiteral("language"),
                          QStringLiteral("prompt_tokens"), QStringLiteral("output_tokens"),
                          QStringLiteral("generation_ms"), QStringLiteral("total_ms"),
                          QStringLiteral("pushed"), QStringLiteral("documented_ms")}));
    QCOMPARE(raw.column(QStringLiteral("PRAGMA table_info(cycles)"), 1),
             (QStringList{QStringLiteral("id"), QStringLiteral("started_at"),
                          QStringLiteral("finished_at"), QStringLiteral("outcome"),
                          QStringLiteral("reason"), QStringLiteral("llm_unavailable"),
                          QStringLiteral("doc_type"), QStringLiteral("repo"),
                          QStringLiteral("source_file"), QStringLiteral("symbol"),
                          QStringLiteral("commit_id"), QStringLiteral("select_ms"),
                          QStringLiteral("generate_ms"), QStringLiteral("commit_ms"),
                          QStringLiteral("total_ms")}));
    // A new file holds nothing worth a backup.
    QVERIFY(!QFileInfo::exists(path + QStringLiteral(".v0.bak")));
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

void TestStateStore::originalLocalTimesAreComparedInTheirZone()
{
    // The original wrote naive local times. At UTC+05:30, "2026-02-18 03:00:00" is
    // 2026-02-17 21:30 UTC: windows that start after that must not see it (read as UTC, the
    // text would be five and a half hours later).
    const QByteArray zone = qgetenv("TZ");
    const auto restoreZone = qScopeGuard([&zone] {
        zone.isNull() ? qunsetenv("TZ") : qputenv("TZ", zone);
        tzset();
    });
    qputenv("TZ", "IST-5:30");
    tzset();
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("original.db"));
    {
        RawDatabase raw(path);
        createOriginalSchema(raw);
        insertOriginalRow(raw, QStringLiteral("a1"), QStringLiteral("tool.py"),
                          QStringLiteral("run"), QStringLiteral("snippets/python/run.md"),
                          QStringLiteral("2026-02-18 03:00:00"), QStringLiteral("function_doc"));
    }
    StateStore store(path);
    QVERIFY2(store.open().ok(), "open");
    const QDateTime before(QDate(2026, 2, 17), QTime(21, 0), Qt::UTC);
    const QDateTime after(QDate(2026, 2, 17), QTime(22, 0), Qt::UTC);
    QCOMPARE(store.countDocumentedSince(before), 1);
    QCOMPARE(store.countDocumentedSince(after), 0);
    const auto since = [&store](const QDateTime &when) {
        return store.documentedSince(QStringLiteral("CodeWorm"), QStringLiteral("tool.py"),
                                     QStringLiteral("run"), QString(),
                                     QStringLiteral("function_doc"), when);
    };
    QVERIFY(since(before));
    QVERIFY(!since(after));
    QCOMPARE(store.documentedBetween(before, after).size(), 1);
    QCOMPARE(store.documentedBetween(after, after.addDays(1)).size(), 0);
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
        // The binary's own version, so that the reader knows how far behind it is.
        QVERIFY2(opened.error().contains(
                     QStringLiteral("version %1 this CodeWorm").arg(StateStore::schemaVersion())),
                 qPrintable(opened.error()));
    }
    QVERIFY(!QFileInfo::exists(path + QStringLiteral(".v99.bak")));
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

void TestStateStore::newDocumentFieldsAreRecorded()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());
    const QDateTime when = QDateTime(QDate(2026, 2, 19), QTime(12, 27, 33, 250), Qt::UTC);
    DocumentedEntry entry = sampleEntry(when);
    entry.factCheck = QStringLiteral("passed (4 identifiers)");
    entry.language = QStringLiteral("python");
    entry.promptTokens = 1234;
    entry.outputTokens = 321;
    entry.generationMs = 45000;
    entry.totalMs = 52000;
    QVERIFY(store.recordDocumented(entry).ok());

    RawDatabase raw(path);
    QCOMPARE(raw.column(QStringLiteral("SELECT fact_check || '|' || language || '|' || "
                                       "prompt_tokens || '|' || output_tokens || '|' || "
                                       "generation_ms || '|' || total_ms || '|' || pushed || '|' "
                                       "|| documented_ms || '|' || git_commit FROM "
                                       "documented_snippets"),
                        0),
             QStringList{QStringLiteral("passed (4 identifiers)|python|1234|321|45000|52000|0|%1|"
                                        "0123456789abcdef0123456789abcdef01234567")
                             .arg(when.toMSecsSinceEpoch())});
}

void TestStateStore::pushedCommitsAreMarked()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QDateTime base = QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
    for (int i : {3, 1, 2}) {
        DocumentedEntry entry = sampleEntry(base.addDays(i));
        entry.id = QStringLiteral("doc-%1").arg(i);
        entry.gitCommit = QStringLiteral("commit-%1").arg(i);
        QVERIFY(store.recordDocumented(entry).ok());
    }
    QCOMPARE(store.unpushedCommits(),
             (QStringList{QStringLiteral("commit-1"), QStringLiteral("commit-2"),
                          QStringLiteral("commit-3")}));
    QVERIFY(store
                .markPushed({QStringLiteral("commit-1"), QStringLiteral("commit-3"),
                             QStringLiteral("unknown-commit")})
                .ok());
    QCOMPARE(store.unpushedCommits(), QStringList{QStringLiteral("commit-2")});
    QVERIFY(store.markPushed({}).ok());
    const DocumentTotals totals = store.documentTotals().value();
    QCOMPARE(totals.pushed, 2);
    QCOMPARE(totals.unpushed, 1);
}

void TestStateStore::originalDatabaseKeepsEveryRowAndABackup()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("state/codeworm.db"));
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QStringList before;
    {
        RawDatabase raw(path);
        createOriginalSchema(raw);
        insertOriginalRow(
            raw, QStringLiteral("a1"), QStringLiteral("codeworm/daemon.py"), QStringLiteral("run"),
            QStringLiteral("snippets/python/2026-02-19_run.md"),
            QStringLiteral("2026-02-19T12:27:33.123456"), QStringLiteral("function_doc"));
        insertOriginalRow(raw, QStringLiteral("a2"), QStringLiteral("web/router.go"),
                          QStringLiteral("Match"), QStringLiteral("classes/2026-02-20_router.md"),
                          QStringLiteral("2026-02-20 08:00:00"), QStringLiteral("class_doc"));
        insertOriginalRow(
            raw, QStringLiteral("a3"), QStringLiteral("ui/App.tsx"), QStringLiteral("render"),
            QStringLiteral("reviews/security/2026-02-21_render.md"),
            QStringLiteral("2026-02-21T07:00:00+02:00"), QStringLiteral("security_review"));
        for (int i = 0; i < 200; ++i) {
            insertOriginalRow(
                raw, QStringLiteral("bulk-%1").arg(i, 3, 10, QLatin1Char('0')),
                QStringLiteral("lib/module%1.rs").arg(i % 7), QStringLiteral("f"),
                QStringLiteral("files/2026-01-01_m%1.md").arg(i),
                QStringLiteral("2026-01-%1T10:00:00").arg(1 + i % 28, 2, 10, QLatin1Char('0')),
                QStringLiteral("file_doc"));
        }
        before = rowDump(raw);
    }
    const QByteArray original = codeworm::test::readFile(path);
    QCOMPARE(before.size(), 203);

    {
        StateStore store(path);
        const Status opened = store.open();
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        QCOMPARE(store.lastBackup(), path + QStringLiteral(".v0.bak"));
        QCOMPARE(store.documentTotals().value().documents, 203);
    }
    // The backup is the file as the original left it.
    QCOMPARE(codeworm::test::readFile(path + QStringLiteral(".v0.bak")), original);
    {
        RawDatabase raw(path);
        QCOMPARE(rowDump(raw), before);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
                 StateStore::schemaVersion());
        // The original's rows: language from the DevLog folder or the extension, the time
        // read as local time unless it names its zone, pushes unknown.
        QCOMPARE(
            raw.column(QStringLiteral("SELECT IFNULL(language, '-') || '|' || "
                                      "documented_ms || '|' || IFNULL(pushed, '-') FROM "
                                      "documented_snippets WHERE id LIKE 'a%' ORDER BY id"),
                       0),
            (QStringList{
                QStringLiteral("python|%1|-")
                    .arg(QDateTime(QDate(2026, 2, 19), QTime(12, 27, 33, 123), Qt::LocalTime)
                             .toMSecsSinceEpoch()),
                QStringLiteral("go|%1|-").arg(
                    QDateTime(QDate(2026, 2, 20), QTime(8, 0), Qt::LocalTime).toMSecsSinceEpoch()),
                QStringLiteral("tsx|%1|-")
                    .arg(QDateTime(QDate(2026, 2, 21), QTime(5, 0), Qt::UTC).toMSecsSinceEpoch()),
            }));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM documented_snippets WHERE "
                                           "language = 'rust'"))
                     .toInt(),
                 200);
    }
    // Opening again migrates nothing and copies nothing.
    StateStore again(path);
    QVERIFY(again.open().ok());
    QVERIFY(again.lastBackup().isEmpty());
    QCOMPARE(QDir(QFileInfo(path).path()).entryList({QStringLiteral("*.bak")}, QDir::Files).size(),
             1);
}

void TestStateStore::olderVersionIsBackedUpUnderItsVersion()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    {
        // Schema version 2: the original's table with the fact check, as CodeWorm wrote it.
        RawDatabase raw(path);
        createOriginalSchema(raw);
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE documented_snippets ADD COLUMN fact_check "
                                        "TEXT")));
        insertOriginalRow(raw, QStringLiteral("v2"), QStringLiteral("a.py"), QStringLiteral("f"),
                          QStringLiteral("snippets/python/a.md"),
                          QStringLiteral("2026-02-19T12:27:33.123Z"),
                          QStringLiteral("function_doc"));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 2")));
    }
    // A backup of an earlier attempt stays as it is.
    env.writeFile(QStringLiteral("codeworm.db.v2.bak"), "an earlier backup");
    StateStore store(path);
    QVERIFY(store.open().ok());
    QCOMPARE(store.lastBackup(), path + QStringLiteral(".v2.2.bak"));
    QCOMPARE(codeworm::test::readFile(path + QStringLiteral(".v2.bak")),
             QByteArray("an earlier backup"));
    RawDatabase backup(path + QStringLiteral(".v2.2.bak"));
    QCOMPARE(backup.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    QCOMPARE(backup.scalar(QStringLiteral("SELECT id FROM documented_snippets")).toString(),
             QStringLiteral("v2"));
    QCOMPARE(store.recent(10).size(), 1);
}

void TestStateStore::statisticsOfAKnownDataSet()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QTimeZone berlin("Europe/Berlin");
    QVERIFY(berlin.isValid());
    const auto at = [&berlin](int month, int day, int hour) {
        return QDateTime(QDate(2026, month, day), QTime(hour, 15), berlin);
    };
    const QString shop = QStringLiteral("shop");
    const QString engine = QStringLiteral("engine");
    const QString function = QStringLiteral("function_doc");
    const QString klass = QStringLiteral("class_doc");
    const QString passed = QStringLiteral("passed (3 identifiers)");
    const QString failed = QStringLiteral("failed: `nope`");
    const QList<DocumentedEntry> entries = {
        statsEntry(QStringLiteral("old"), at(1, 1, 10).addYears(-1), shop, function,
                   QStringLiteral("python"), passed),
        statsEntry(QStringLiteral("d20a"), at(3, 20, 9), shop, function, QStringLiteral("python"),
                   passed),
        statsEntry(QStringLiteral("d20b"), at(3, 20, 23), shop, klass, QStringLiteral("python"),
                   passed),
        statsEntry(QStringLiteral("d21"), at(3, 21, 11), engine, function, QStringLiteral("rust"),
                   passed),
        statsEntry(QStringLiteral("d22"), at(3, 22, 0), engine, klass, QStringLiteral("rust"),
                   failed),
        statsEntry(QStringLiteral("d25a"), at(3, 25, 8), shop, function, QStringLiteral("python"),
                   passed),
        statsEntry(QStringLiteral("d25b"), at(3, 25, 12), shop, function, QStringLiteral("python"),
                   passed),
        statsEntry(QStringLiteral("d25c"), at(3, 25, 18), engine, QStringLiteral("til"),
                   QStringLiteral("rust"), passed),
        statsEntry(QStringLiteral("d27"), at(3, 27, 14), shop, klass, QStringLiteral("python"),
                   passed),
        statsEntry(QStringLiteral("d28"), at(3, 28, 7), engine, function, QStringLiteral("rust"),
                   failed),
        // 23:30 UTC on the 28th is half past midnight on the 29th in Berlin, the night its
        // clocks move to summer time.
        statsEntry(QStringLiteral("d29a"), QDateTime(QDate(2026, 3, 28), QTime(23, 30), Qt::UTC),
                   shop, QStringLiteral("weekly_summary"), QString(), QString()),
        statsEntry(QStringLiteral("d29b"), at(3, 29, 16), engine, klass, QStringLiteral("rust"),
                   passed),
        statsEntry(QStringLiteral("d30"), at(3, 30, 9), shop, QStringLiteral("til"),
                   QStringLiteral("python"), passed),
    };
    const Result<StateImport> imported = store.importEntries(entries);
    QVERIFY2(imported.ok(), qPrintable(imported.error()));
    QCOMPARE(imported.value().imported, 13);
    QVERIFY(store
                .markPushed({QStringLiteral("commit-old"), QStringLiteral("commit-d20a"),
                             QStringLiteral("commit-d20b")})
                .ok());
    const QList<CycleRecord> cycles = {
        finishedCycle(CycleRecord::Outcome::Success, at(3, 20, 9)),
        finishedCycle(CycleRecord::Outcome::Success, at(3, 20, 23)),
        finishedCycle(CycleRecord::Outcome::Failed, at(3, 21, 9), QStringLiteral("first")),
        finishedCycle(CycleRecord::Outcome::Failed, at(3, 21, 10), QStringLiteral("second")),
        finishedCycle(CycleRecord::Outcome::Success, at(3, 21, 11)),
        finishedCycle(CycleRecord::Outcome::Failed, at(3, 30, 7), QStringLiteral("third")),
        finishedCycle(CycleRecord::Outcome::Skipped, at(3, 30, 8), QStringLiteral("no candidates")),
        finishedCycle(CycleRecord::Outcome::Failed, at(3, 30, 8),
                      QStringLiteral("generation failed: timed out")),
    };
    QVERIFY(store.recordCycles(cycles).ok());
    QVERIFY(store.startCycle(at(3, 30, 11)).ok());

    const Result<StateStatistics> result = store.statistics(berlin, at(3, 30, 12), 90);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const StateStatistics &stats = result.value();

    const DocumentTotals &t = stats.totals;
    QCOMPARE(t.documents, 13);
    QCOMPARE(t.promptTokens, 13000);
    QCOMPARE(t.outputTokens, 2600);
    QCOMPARE(t.timedDocuments, 13);
    QCOMPARE(t.generationMs, 130000);
    QCOMPARE(t.totalMs, 195000);
    QCOMPARE(t.factCheckPassed, 10);
    QCOMPARE(t.factCheckFailed, 2);
    QCOMPARE(t.pushed, 3);
    QCOMPARE(t.unpushed, 10);
    QCOMPARE(t.first, at(1, 1, 10).addYears(-1));
    QCOMPARE(t.last, at(3, 30, 9));

    const auto counts = [](const QList<GroupCount> &groups) {
        QStringList list;
        for (const GroupCount &g : groups) {
            list << QStringLiteral("%1=%2").arg(g.name).arg(g.count);
        }
        return list;
    };
    QCOMPARE(counts(stats.byRepo),
             (QStringList{QStringLiteral("shop=8"), QStringLiteral("engine=5")}));
    QCOMPARE(counts(stats.byType),
             (QStringList{QStringLiteral("function_doc=6"), QStringLiteral("class_doc=4"),
                          QStringLiteral("til=2"), QStringLiteral("weekly_summary=1")}));
    QCOMPARE(counts(stats.byLanguage),
             (QStringList{QStringLiteral("python=7"), QStringLiteral("rust=5"),
                          QStringLiteral("unknown=1")}));

    QCOMPARE(stats.perDay.size(), 90);
    QCOMPARE(stats.perDay.constFirst().day, QDate(2025, 12, 31));
    QCOMPARE(stats.perDay.constLast().day, QDate(2026, 3, 30));
    QHash<QDate, qint64> perDay;
    qint64 inWindow = 0;
    for (const DayCount &day : stats.perDay) {
        if (day.count) {
            perDay.insert(day.day, day.count);
        }
        inWindow += day.count;
    }
    QCOMPARE(inWindow, 12);
    const QHash<QDate, qint64> expectedDays = {
        {QDate(2026, 3, 20), 2}, {QDate(2026, 3, 21), 1}, {QDate(2026, 3, 22), 1},
        {QDate(2026, 3, 25), 3}, {QDate(2026, 3, 27), 1}, {QDate(2026, 3, 28), 1},
        {QDate(2026, 3, 29), 2}, {QDate(2026, 3, 30), 1},
    };
    QCOMPARE(perDay, expectedDays);

    QCOMPARE(stats.streaks.current, 4);
    QCOMPARE(stats.streaks.longest, 4);
    QCOMPARE(stats.streaks.longestFirst, QDate(2026, 3, 27));
    QCOMPARE(stats.streaks.longestLast, QDate(2026, 3, 30));
    QCOMPARE(stats.streaks.activeDays, 9);
    QCOMPARE(stats.streaks.lastDay, QDate(2026, 3, 30));

    // In UTC the document of the night is the 28th's: the 29th has one, the run is the same.
    const Result<QList<DayCount>> utcDays = store.perDay(QTimeZone::utc(), QDate(2026, 3, 30), 3);
    QVERIFY(utcDays.ok());
    QCOMPARE(utcDays.value().size(), 3);
    QCOMPARE(utcDays.value().at(0).count, 2);
    QCOMPARE(utcDays.value().at(1).count, 1);
    QCOMPARE(utcDays.value().at(2).count, 1);

    const CycleTotals &c = stats.cycles;
    QCOMPARE(c.total, 9);
    QCOMPARE(c.succeeded, 3);
    QCOMPARE(c.failed, 4);
    QCOMPARE(c.skipped, 1);
    QCOMPARE(c.unfinished, 1);
    QCOMPARE(c.successRate(), 37.5);
    QCOMPARE(c.consecutiveFailures, 2);
    QCOMPARE(c.lastSuccess, at(3, 21, 11).addSecs(30));
    QCOMPARE(c.lastFailure, at(3, 30, 8).addSecs(30));
    QCOMPARE(c.lastFailureReason, QStringLiteral("generation failed: timed out"));
}

void TestStateStore::currentStreakLastsUntilADayIsMissed()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QTimeZone zone = QTimeZone::utc();
    QList<DocumentedEntry> entries;
    for (int day : {1, 2, 3, 10, 11}) {
        entries << statsEntry(
            QStringLiteral("d%1").arg(day), QDateTime(QDate(2026, 5, day), QTime(12, 0), Qt::UTC),
            QStringLiteral("shop"), QStringLiteral("til"), QStringLiteral("go"), QString());
    }
    QVERIFY(store.importEntries(entries).ok());
    // Today has no document yet: the run that ended yesterday goes on.
    QCOMPARE(store.streaks(zone, QDate(2026, 5, 12)).value().current, 2);
    QCOMPARE(store.streaks(zone, QDate(2026, 5, 11)).value().current, 2);
    QCOMPARE(store.streaks(zone, QDate(2026, 5, 13)).value().current, 0);
    const Streaks streaks = store.streaks(zone, QDate(2026, 5, 13)).value();
    QCOMPARE(streaks.longest, 3);
    QCOMPARE(streaks.longestFirst, QDate(2026, 5, 1));
    QCOMPARE(streaks.activeDays, 5);

    TestEnvironment emptyEnv;
    StateStore empty(emptyEnv.path(QStringLiteral("empty.db")));
    QVERIFY(empty.open().ok());
    const Result<StateStatistics> none = empty.statistics(zone, QDateTime::currentDateTimeUtc());
    QVERIFY(none.ok());
    QCOMPARE(none.value().totals.documents, 0);
    QVERIFY(!none.value().totals.first.isValid());
    QCOMPARE(none.value().streaks.longest, 0);
    QCOMPARE(none.value().cycles.successRate(), -1.0);
    QCOMPARE(none.value().perDay.size(), 90);
}

void TestStateStore::cyclesAreRecordedFromStartToEnd()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QDateTime started = QDateTime(QDate(2026, 4, 1), QTime(10, 0), Qt::UTC);
    const Result<qint64> id = store.startCycle(started);
    QVERIFY2(id.ok(), qPrintable(id.error()));
    QCOMPARE(store.recentCycles(5).size(), 1);
    QCOMPARE(store.recentCycles(5).constFirst().outcome, CycleRecord::Outcome::Running);
    QCOMPARE(store.cycleTotals().value().unfinished, 1);

    CycleRecord cycle;
    cycle.id = id.value();
    cycle.started = started;
    cycle.finished = started.addSecs(75);
    cycle.outcome = CycleRecord::Outcome::Success;
    cycle.docType = QStringLiteral("function_doc");
    cycle.repo = QStringLiteral("shop");
    cycle.file = QStringLiteral("billing/invoice.py");
    cycle.symbol = QStringLiteral("Invoice.total");
    cycle.commitId = QStringLiteral("abc123");
    cycle.selectMs = 120;
    cycle.generateMs = 70000;
    cycle.commitMs = 80;
    cycle.totalMs = 75000;
    QVERIFY(store.finishCycle(cycle).ok());

    // A cycle whose start could not be recorded is recorded whole at its end.
    CycleRecord failed = finishedCycle(CycleRecord::Outcome::Failed, started.addSecs(600),
                                       QStringLiteral("generation failed: refused"));
    failed.llmUnavailable = true;
    QVERIFY(store.finishCycle(failed).ok());

    const QList<CycleRecord> recent = store.recentCycles(5);
    QCOMPARE(recent.size(), 2);
    QCOMPARE(recent.at(0).outcome, CycleRecord::Outcome::Failed);
    QVERIFY(recent.at(0).llmUnavailable);
    QCOMPARE(recent.at(0).reason, QStringLiteral("generation failed: refused"));
    const CycleRecord &done = recent.at(1);
    QCOMPARE(done.id, id.value());
    QCOMPARE(done.outcome, CycleRecord::Outcome::Success);
    QCOMPARE(done.started, started);
    QCOMPARE(done.finished, started.addSecs(75));
    QCOMPARE(done.symbol, QStringLiteral("Invoice.total"));
    QCOMPARE(done.commitId, QStringLiteral("abc123"));
    QCOMPARE(done.generateMs, 70000);
    QCOMPARE(done.totalMs, 75000);
    const CycleTotals totals = store.cycleTotals().value();
    QCOMPARE(totals.unfinished, 0);
    QCOMPARE(totals.succeeded, 1);
    QCOMPARE(totals.consecutiveFailures, 1);
    QCOMPARE(CycleRecord::outcomeName(CycleRecord::Outcome::Skipped), QStringLiteral("skipped"));
}

void TestStateStore::totalsFollowEveryWrite()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());
    const QDateTime when = QDateTime::currentDateTimeUtc();
    QList<DocumentedEntry> entries;
    for (int i = 0; i < 6; ++i) {
        entries << statsEntry(QStringLiteral("t%1").arg(i), when.addSecs(i), QStringLiteral("r"),
                              QStringLiteral("til"), QStringLiteral("go"),
                              i % 2 ? QStringLiteral("failed: `x`") : QStringLiteral("passed"));
    }
    QVERIFY(store.importEntries(entries).ok());
    QVERIFY(store.recordDocumented(sampleEntry(when)).ok());
    QVERIFY(store.markPushed({QStringLiteral("commit-t1"), QStringLiteral("commit-t2")}).ok());
    {
        RawDatabase raw(path);
        QVERIFY(raw.exec(QStringLiteral("DELETE FROM documented_snippets WHERE id = 't2'")));
        QVERIFY(raw.exec(QStringLiteral("UPDATE documented_snippets SET fact_check = NULL, "
                                        "output_tokens = 50 WHERE id = 't3'")));
        // The totals row against the rows themselves.
        QCOMPARE(
            raw.column(QStringLiteral("SELECT documents || ',' || prompt_tokens || ',' || "
                                      "output_tokens || ',' || timed_documents || ',' || "
                                      "generation_ms || ',' || total_ms || ',' || "
                                      "fact_check_passed || ',' || fact_check_failed || ',' "
                                      "|| pushed || ',' || unpushed FROM document_totals"),
                       0),
            raw.column(QStringLiteral("SELECT COUNT(*) || ',' || SUM(prompt_tokens) || ',' || "
                                      "SUM(output_tokens) || ',' || COUNT(generation_ms) || ',' || "
                                      "SUM(generation_ms) || ',' || SUM(total_ms) || ',' || "
                                      "SUM(substr(fact_check, 1, 6) IS 'passed') || ',' || "
                                      "SUM(substr(fact_check, 1, 6) IS 'failed') || ',' || "
                                      "SUM(pushed IS 1) || ',' || SUM(pushed IS 0) FROM "
                                      "documented_snippets"),
                       0));
    }
    const DocumentTotals totals = store.documentTotals().value();
    QCOMPARE(totals.documents, 6);
    QCOMPARE(totals.factCheckPassed, 2);
    QCOMPARE(totals.factCheckFailed, 2);
    QCOMPARE(totals.pushed, 1);
    QCOMPARE(totals.unpushed, 5);
}

void TestStateStore::importTakesNewRowsOnce()
{
    TestEnvironment env;
    const QString source = env.path(QStringLiteral("python/codeworm.db"));
    QVERIFY(QDir().mkpath(QFileInfo(source).path()));
    {
        RawDatabase raw(source);
        createOriginalSchema(raw);
        insertOriginalRow(raw, QStringLiteral("o1"), QStringLiteral("codeworm/cli.py"),
                          QStringLiteral("main"), QStringLiteral("snippets/python/main.md"),
                          QStringLiteral("2026-02-18T10:00:00.5"), QStringLiteral("function_doc"));
        insertOriginalRow(raw, QStringLiteral("o2"), QStringLiteral("src/lib.rs"),
                          QStringLiteral("parse"), QStringLiteral("til/parse.md"),
                          QStringLiteral("2026-02-19T10:00:00"), QStringLiteral("til"));
        // No code hash: nothing to deduplicate by, left out.
        insertOriginalRow(raw, QStringLiteral("o3"), QStringLiteral("src/x.go"),
                          QStringLiteral("X"), QStringLiteral("til/x.md"),
                          QStringLiteral("2026-02-20T10:00:00"), QStringLiteral("til"),
                          QStringLiteral(""));
    }
    const QByteArray sourceBytes = codeworm::test::readFile(source);
    const QString path = env.path(QStringLiteral("codeworm.db"));
    StateStore store(path);
    QVERIFY(store.open().ok());
    DocumentedEntry own = sampleEntry(QDateTime::currentDateTimeUtc());
    own.id = QStringLiteral("o2"); // already here under the same id: kept as it is
    QVERIFY(store.recordDocumented(own).ok());

    const Result<StateImport> first = store.importFrom(source);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QCOMPARE(first.value().source, source);
    QCOMPARE(first.value().found, 3);
    QCOMPARE(first.value().imported, 1);
    QCOMPARE(first.value().alreadyPresent, 1);
    QCOMPARE(first.value().invalid, 1);

    const Result<StateImport> second = store.importFrom(source);
    QVERIFY(second.ok());
    QCOMPARE(second.value().imported, 0);
    QCOMPARE(second.value().alreadyPresent, 2);
    QCOMPARE(second.value().invalid, 1);
    // Read-only: the source is as it was.
    QCOMPARE(codeworm::test::readFile(source), sourceBytes);

    QVERIFY(store.isDocumented(QStringLiteral("hash-o1"), QStringLiteral("function_doc")));
    QCOMPARE(store.documentTotals().value().documents, 2);
    RawDatabase raw(path);
    QCOMPARE(raw.column(QStringLiteral("SELECT id || '|' || source_file || '|' || documented_at "
                                       "|| '|' || IFNULL(language, '-') || '|' || documented_ms || "
                                       "'|' || IFNULL(pushed, '-') FROM documented_snippets ORDER "
                                       "BY id"),
                        0),
             (QStringList{
                 QStringLiteral("o1|codeworm/cli.py|2026-02-18T10:00:00.5|python|%1|-")
                     .arg(QDateTime(QDate(2026, 2, 18), QTime(10, 0, 0, 500), Qt::LocalTime)
                              .toMSecsSinceEpoch()),
                 // Its own row keeps what it had: no language is filled in for it.
                 QStringLiteral("o2|codeworm/daemon.py|%1|-|%2|0")
                     .arg(own.documentedAt.toUTC().toString(Qt::ISODateWithMs))
                     .arg(own.documentedAt.toMSecsSinceEpoch()),
             }));
}

void TestStateStore::importNamesABadPath()
{
    TestEnvironment env;
    StateStore store(env.path(QStringLiteral("codeworm.db")));
    QVERIFY(store.open().ok());
    const QString missing = env.path(QStringLiteral("missing.db"));
    const QString text = env.writeFile(QStringLiteral("notes.txt"), "not a database\n");
    const QString empty = env.writeFile(QStringLiteral("empty.db"), "");
    const QString other = env.path(QStringLiteral("other.db"));
    {
        RawDatabase raw(other);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE notes (text TEXT)")));
    }
    const QList<std::pair<QString, QString>> cases = {
        {missing, QStringLiteral("does not exist")},
        {env.root(), QStringLiteral("is a folder")},
        {text, QStringLiteral("is not a SQLite database")},
        {empty, QStringLiteral("is not a SQLite database")},
        {other, QStringLiteral("has no documented_snippets table")},
        {store.databasePath(), QStringLiteral("own state database")},
    };
    for (const auto &[path, reason] : cases) {
        const Result<StateImport> result = store.importFrom(path);
        QVERIFY2(!result.ok(), qPrintable(path));
        QVERIFY2(result.error().contains(path), qPrintable(result.error()));
        QVERIFY2(result.error().contains(reason), qPrintable(result.error()));
    }
    QCOMPARE(store.documentTotals().value().documents, 0);
}

QTEST_GUILESS_MAIN(TestStateStore)
#include "TestStateStore.moc"
