// `codeworm stats` and `codeworm import-state` of the real binary on real state databases,
// including an original CodeWorm's codeworm.db migrated in place.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include "state/StateStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QtTest>

#include <unistd.h>

using namespace codeworm;
using namespace codeworm::test;

namespace {

const QByteArray berlin = "Europe/Berlin";

// Runs statements on a database file through a connection of the test's own.
bool execAll(const QString &path, const QStringList &statements)
{
    static int counter = 0;
    const QString name = QStringLiteral("test-state-commands-%1").arg(++counter);
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery query(db);
        for (const QString &sql : statements) {
            if (ok && !query.exec(sql)) {
                qWarning().noquote() << sql << "failed:" << query.lastError().text();
                ok = false;
            }
        }
        query.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// An original CodeWorm database (its state.py schema) with two documents and one row
// without a code hash.
bool writeOriginalDatabase(const QString &path)
{
    QDir().mkpath(QFileInfo(path).path());
    return execAll(
        path,
        {
            QStringLiteral("CREATE TABLE documented_snippets (id TEXT PRIMARY KEY, source_repo "
                           "TEXT NOT NULL, source_file TEXT NOT NULL, function_name TEXT, "
                           "class_name TEXT, code_hash TEXT NOT NULL, documented_at TIMESTAMP "
                           "NOT NULL, snippet_path TEXT NOT NULL, git_commit TEXT, doc_type TEXT "
                           "NOT NULL DEFAULT 'function_doc')"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS idx_code_hash ON "
                           "documented_snippets(code_hash)"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS idx_source ON "
                           "documented_snippets(source_repo, source_file)"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS idx_function ON "
                           "documented_snippets(source_file, function_name)"),
            QStringLiteral("INSERT INTO documented_snippets VALUES ('p1', 'CodeWorm', "
                           "'codeworm/daemon.py', 'run', 'CodeWormDaemon', 'h1', "
                           "'2026-02-19T12:27:33.123456', "
                           "'snippets/python/2026-02-19_codewormdaemon-run.md', 'abc123', "
                           "'function_doc')"),
            QStringLiteral("INSERT INTO documented_snippets VALUES ('p2', 'CodeWorm', "
                           "'codeworm/git/ops.py', NULL, 'DevLogRepository', 'h2', "
                           "'2026-02-20T08:00:00', 'classes/2026-02-20_devlogrepository.md', "
                           "'def456', 'class_doc')"),
            QStringLiteral("INSERT INTO documented_snippets VALUES ('p3', 'CodeWorm', "
                           "'codeworm/cli.py', 'main', NULL, '', '2026-02-21T08:00:00', "
                           "'snippets/python/2026-02-21_main.md', NULL, 'function_doc')"),
        });
}

QJsonObject parseJson(const ProcessResult &result)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        qWarning().noquote() << "not JSON:" << error.errorString() << result.out << result.err;
    }
    return doc.object();
}

QStringList keys(const QJsonObject &object)
{
    QStringList names = object.keys();
    names.sort();
    return names;
}

} // namespace

class TestStateCommands : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void statsJsonHasItsShape();
    void statsTextIsReadable();
    void statsMigratesAnOriginalDatabaseInPlace();
    void statsRefusesANewerDatabase();
    void importStateCountsAndIsIdempotent();
    void importStateNamesABadPath();
    void runOnceRecordsItsCycleAndDocument();

private:
    ProcessResult run(const QStringList &arguments) const;
    QString databasePath() const { return m_env->path(QStringLiteral("var/codeworm.db")); }

    std::unique_ptr<TestEnvironment> m_env;
};

void TestStateCommands::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("data_dir: %1\nschedule:\n  timezone: %2\n")
                         .arg(m_env->path(QStringLiteral("var")), QString::fromLatin1(berlin))
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
}

void TestStateCommands::cleanup()
{
    m_env.reset();
}

ProcessResult TestStateCommands::run(const QStringList &arguments) const
{
    return runProcess(QStringLiteral(CODEWORM_BINARY),
                      QStringList{QStringLiteral("--config"), m_env->path(QStringLiteral("conf"))} +
                          arguments);
}

void TestStateCommands::statsJsonHasItsShape()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        StateStore store(databasePath());
        QVERIFY(store.open().ok());
        QList<DocumentedEntry> entries;
        const QList<std::tuple<QString, QDateTime, QString, QString, QString>> rows = {
            {QStringLiteral("a"), now, QStringLiteral("shop"), QStringLiteral("function_doc"),
             QStringLiteral("python")},
            {QStringLiteral("b"), now, QStringLiteral("shop"), QStringLiteral("til"),
             QStringLiteral("python")},
            {QStringLiteral("c"), now.addDays(-1), QStringLiteral("engine"),
             QStringLiteral("function_doc"), QStringLiteral("rust")},
            {QStringLiteral("d"), now.addDays(-100), QStringLiteral("shop"),
             QStringLiteral("class_doc"), QStringLiteral("python")},
        };
        for (const auto &[id, when, repo, type, language] : rows) {
            DocumentedEntry entry;
            entry.id = id;
            entry.sourceRepo = repo;
            entry.sourceFile = QStringLiteral("src/") + id;
            entry.codeHash = QStringLiteral("hash-") + id;
            entry.documentedAt = when;
            entry.snippetPath = id + QStringLiteral(".md");
            entry.gitCommit = QStringLiteral("commit-") + id;
            entry.docType = type;
            entry.language = language;
            entry.factCheck = QStringLiteral("passed (2 identifiers)");
            entry.promptTokens = 1000;
            entry.outputTokens = 250;
            entry.generationMs = 20000;
            entry.totalMs = 30000;
            entries << entry;
        }
        QVERIFY(store.importEntries(entries).ok());
        QVERIFY(store.markPushed({QStringLiteral("commit-d")}).ok());
        CycleRecord success;
        success.started = now.addSecs(-60);
        success.finished = now;
        success.outcome = CycleRecord::Outcome::Success;
        CycleRecord failure = success;
        failure.outcome = CycleRecord::Outcome::Failed;
        failure.reason = QStringLiteral("generation failed: connection refused");
        QVERIFY(store.recordCycles({success, failure}).ok());
    }

    const ProcessResult result = run({QStringLiteral("stats"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QJsonObject json = parseJson(result);
    QCOMPARE(keys(json), (QStringList{QStringLiteral("by_language"), QStringLiteral("by_repo"),
                                      QStringLiteral("by_type"), QStringLiteral("cycles"),
                                      QStringLiteral("database"), QStringLiteral("documents"),
                                      QStringLiteral("generated_at"), QStringLiteral("per_day"),
                                      QStringLiteral("schema"), QStringLiteral("streaks"),
                                      QStringLiteral("time_zone")}));
    QCOMPARE(json.value(QStringLiteral("schema")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("database")).toString(), databasePath());
    QCOMPARE(json.value(QStringLiteral("time_zone")).toString(), QString::fromLatin1(berlin));

    const QJsonObject documents = json.value(QStringLiteral("documents")).toObject();
    QCOMPARE(
        keys(documents),
        (QStringList{QStringLiteral("durations"), QStringLiteral("fact_check"),
                     QStringLiteral("first"), QStringLiteral("last"),
                     QStringLiteral("last_30_days"), QStringLiteral("last_7_days"),
                     QStringLiteral("last_90_days"), QStringLiteral("push"),
                     QStringLiteral("today"), QStringLiteral("tokens"), QStringLiteral("total")}));
    QCOMPARE(documents.value(QStringLiteral("total")).toInt(), 4);
    QCOMPARE(documents.value(QStringLiteral("last_7_days")).toInt(), 3);
    QCOMPARE(documents.value(QStringLiteral("last_90_days")).toInt(), 3);
    QCOMPARE(documents.value(QStringLiteral("tokens")).toObject(),
             (QJsonObject{{QStringLiteral("prompt"), 4000}, {QStringLiteral("output"), 1000}}));
    QCOMPARE(documents.value(QStringLiteral("fact_check")).toObject(),
             (QJsonObject{{QStringLiteral("passed"), 4},
                          {QStringLiteral("failed"), 0},
                          {QStringLiteral("unchecked"), 0}}));
    QCOMPARE(documents.value(QStringLiteral("push")).toObject(),
             (QJsonObject{{QStringLiteral("pushed"), 1},
                          {QStringLiteral("unpushed"), 3},
                          {QStringLiteral("unknown"), 0}}));
    QCOMPARE(documents.value(QStringLiteral("durations")).toObject(),
             (QJsonObject{{QStringLiteral("timed_documents"), 4},
                          {QStringLiteral("generation_s_avg"), 20.0},
                          {QStringLiteral("total_s_avg"), 30.0}}));

    QCOMPARE(json.value(QStringLiteral("by_repo")).toObject(),
             (QJsonObject{{QStringLiteral("shop"), 3}, {QStringLiteral("engine"), 1}}));
    QCOMPARE(json.value(QStringLiteral("by_type")).toObject(),
             (QJsonObject{{QStringLiteral("function_doc"), 2},
                          {QStringLiteral("til"), 1},
                          {QStringLiteral("class_doc"), 1}}));
    QCOMPARE(json.value(QStringLiteral("by_language")).toObject(),
             (QJsonObject{{QStringLiteral("python"), 3}, {QStringLiteral("rust"), 1}}));

    // The days end today in the configured zone; "today" counts the last of them.
    const QJsonArray perDay = json.value(QStringLiteral("per_day")).toArray();
    QCOMPARE(perDay.size(), 90);
    const QDate generated =
        QDateTime::fromString(json.value(QStringLiteral("generated_at")).toString(), Qt::ISODate)
            .toTimeZone(QTimeZone(berlin))
            .date();
    const QJsonObject last = perDay.last().toObject();
    QCOMPARE(keys(last), (QStringList{QStringLiteral("count"), QStringLiteral("date")}));
    QCOMPARE(last.value(QStringLiteral("date")).toString(), generated.toString(Qt::ISODate));
    const QDate nowInBerlin = now.toTimeZone(QTimeZone(berlin)).date();
    if (nowInBerlin == generated) { // not when midnight passed between the two
        QCOMPARE(last.value(QStringLiteral("count")).toInt(), 2);
        QCOMPARE(documents.value(QStringLiteral("today")).toInt(), 2);
    }
    QCOMPARE(perDay.first().toObject().value(QStringLiteral("date")).toString(),
             generated.addDays(-89).toString(Qt::ISODate));

    const QJsonObject streaks = json.value(QStringLiteral("streaks")).toObject();
    QCOMPARE(keys(streaks),
             (QStringList{QStringLiteral("active_days"), QStringLiteral("current"),
                          QStringLiteral("last_day"), QStringLiteral("longest"),
                          QStringLiteral("longest_from"), QStringLiteral("longest_to")}));
    QCOMPARE(streaks.value(QStringLiteral("active_days")).toInt(), 3);
    QVERIFY(streaks.value(QStringLiteral("longest")).toInt() >= 1);

    const QJsonObject cycles = json.value(QStringLiteral("cycles")).toObject();
    QCOMPARE(keys(cycles), (QStringList{QStringLiteral("consecutive_failures"),
                                        QStringLiteral("failed"), QStringLiteral("last_failure"),
                                        QStringLiteral("last_success"), QStringLiteral("skipped"),
                                        QStringLiteral("succeeded"), QStringLiteral("success_rate"),
                                        QStringLiteral("total"), QStringLiteral("unfinished")}));
    QCOMPARE(cycles.value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(cycles.value(QStringLiteral("success_rate")).toDouble(), 50.0);
    QCOMPARE(cycles.value(QStringLiteral("consecutive_failures")).toInt(), 1);
    QCOMPARE(cycles.value(QStringLiteral("last_failure"))
                 .toObject()
                 .value(QStringLiteral("reason"))
                 .toString(),
             QStringLiteral("generation failed: connection refused"));
    // Times in the configured zone, with its offset.
    const QString lastSuccess = cycles.value(QStringLiteral("last_success")).toString();
    QCOMPARE(QDateTime::fromString(lastSuccess, Qt::ISODate).toSecsSinceEpoch(),
             now.toSecsSinceEpoch());
    QVERIFY2(lastSuccess.endsWith(QStringLiteral("+01:00")) ||
                 lastSuccess.endsWith(QStringLiteral("+02:00")),
             qPrintable(lastSuccess));
}

void TestStateCommands::statsTextIsReadable()
{
    {
        StateStore store(databasePath());
        QVERIFY(store.open().ok());
        DocumentedEntry entry;
        entry.sourceRepo = QStringLiteral("webshop");
        entry.sourceFile = QStringLiteral("billing/invoice.py");
        entry.codeHash = QStringLiteral("abc");
        entry.snippetPath = QStringLiteral("snippets/python/invoice.md");
        entry.language = QStringLiteral("python");
        QVERIFY(store.recordDocumented(entry).ok());
    }
    const ProcessResult result = run({QStringLiteral("stats")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    for (const QString &expected :
         {QStringLiteral("State: %1 (days in Europe/Berlin)").arg(databasePath()),
          QStringLiteral("Documents: 1 (today 1,"), QStringLiteral("Streaks: current 1 day"),
          QStringLiteral("Cycles: 0"), QStringLiteral("By repository:\n  webshop  1"),
          QStringLiteral("By type:\n  function_doc  1"),
          QStringLiteral("By language:\n  python  1"),
          QStringLiteral("Documents per day, last 90 days")}) {
        QVERIFY2(result.out.contains(expected),
                 qPrintable(expected + QStringLiteral("\n---\n") + result.out));
    }
}

void TestStateCommands::statsMigratesAnOriginalDatabaseInPlace()
{
    QVERIFY(writeOriginalDatabase(databasePath()));
    const QByteArray original = readFile(databasePath());

    const ProcessResult result = run({QStringLiteral("stats"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QString backup = databasePath() + QStringLiteral(".v0.bak");
    QVERIFY2(result.err.contains(backup), qPrintable(result.err));
    QCOMPARE(readFile(backup), original);
    const QJsonObject json = parseJson(result);
    const QJsonObject documents = json.value(QStringLiteral("documents")).toObject();
    QCOMPARE(documents.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(documents.value(QStringLiteral("push")).toObject().value(QStringLiteral("unknown")),
             3);
    QCOMPARE(json.value(QStringLiteral("by_type")).toObject(),
             (QJsonObject{{QStringLiteral("function_doc"), 2}, {QStringLiteral("class_doc"), 1}}));
    QCOMPARE(json.value(QStringLiteral("by_language")).toObject(),
             (QJsonObject{{QStringLiteral("python"), 3}}));

    // Every row is still there, as the original wrote it; the next start copies nothing.
    StateStore store(databasePath());
    QVERIFY(store.open().ok());
    QVERIFY(store.lastBackup().isEmpty());
    QCOMPARE(store.recent(10).size(), 3);
    QVERIFY(store.isDocumented(QStringLiteral("h1"), QStringLiteral("function_doc")));
    QVERIFY(store.isDocumented(QStringLiteral("h2"), QStringLiteral("class_doc")));
}

void TestStateCommands::statsRefusesANewerDatabase()
{
    QVERIFY(QDir().mkpath(QFileInfo(databasePath()).path()));
    QVERIFY(execAll(databasePath(), {QStringLiteral("CREATE TABLE later (x INTEGER)"),
                                     QStringLiteral("PRAGMA user_version = 42")}));
    const QByteArray before = readFile(databasePath());
    const ProcessResult result = run({QStringLiteral("stats")});
    QCOMPARE(result.exitCode, 1);
    for (const QString &expected :
         {databasePath(), QStringLiteral("schema version 42"),
          QStringLiteral("version %1 this CodeWorm").arg(StateStore::schemaVersion())}) {
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    }
    QCOMPARE(readFile(databasePath()), before);
    QVERIFY(!QFileInfo::exists(databasePath() + QStringLiteral(".v42.bak")));
}

void TestStateCommands::importStateCountsAndIsIdempotent()
{
    const QString source = m_env->path(QStringLiteral("python-codeworm/codeworm.db"));
    QVERIFY(writeOriginalDatabase(source));

    ProcessResult result = run({QStringLiteral("import-state"), source});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(result.out.trimmed(),
             QStringLiteral("imported 2 of 3 documents from %1 into %2 (0 already present, 1 "
                            "incomplete)")
                 .arg(source, databasePath()));

    result = run({QStringLiteral("import-state"), source});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(result.out.trimmed(),
             QStringLiteral("imported 0 of 3 documents from %1 into %2 (2 already present, 1 "
                            "incomplete)")
                 .arg(source, databasePath()));

    // A relative path is named in full.
    const ProcessResult relative =
        runProcess(QStringLiteral(CODEWORM_BINARY),
                   {QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                    QStringLiteral("import-state"), QDir::current().relativeFilePath(source)});
    QVERIFY2(relative.out.contains(QStringLiteral(" from %1 into ").arg(source)),
             qPrintable(relative.out + relative.err));

    const QJsonObject json = parseJson(run({QStringLiteral("stats"), QStringLiteral("--json")}));
    QCOMPARE(json.value(QStringLiteral("documents")).toObject().value(QStringLiteral("total")), 2);
    QCOMPARE(json.value(QStringLiteral("by_repo")).toObject(),
             (QJsonObject{{QStringLiteral("CodeWorm"), 2}}));
}

void TestStateCommands::importStateNamesABadPath()
{
    const QString missing = m_env->path(QStringLiteral("nowhere/codeworm.db"));
    const QString text = m_env->writeFile(QStringLiteral("notes.txt"), "no database here\n");
    const QString tableless = m_env->path(QStringLiteral("other.db"));
    QVERIFY(execAll(tableless, {QStringLiteral("CREATE TABLE notes (text TEXT)")}));
    QList<std::pair<QString, QString>> cases = {
        {missing, QStringLiteral("does not exist")},
        {m_env->path(QStringLiteral("conf")), QStringLiteral("is a folder")},
        {text, QStringLiteral("is not a SQLite database")},
        {tableless, QStringLiteral("has no documented_snippets table")},
    };
    QString unreadable;
    if (::geteuid() != 0) { // root reads every file
        unreadable = m_env->path(QStringLiteral("locked.db"));
        QVERIFY(writeOriginalDatabase(unreadable));
        QVERIFY(QFile::setPermissions(unreadable, QFileDevice::WriteOwner));
        cases.append({unreadable, QStringLiteral("cannot read")});
    }
    for (const auto &[path, reason] : cases) {
        const ProcessResult result = run({QStringLiteral("import-state"), path});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("import-state: %1").arg(path)) ||
                     result.err.contains(path),
                 qPrintable(result.err));
        QVERIFY2(result.err.contains(reason), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    }
    if (!unreadable.isEmpty()) {
        QFile::setPermissions(unreadable, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    ProcessResult usage = run({QStringLiteral("import-state")});
    QCOMPARE(usage.exitCode, 2);
    QVERIFY2(usage.err.contains(QStringLiteral("import-state needs its PATH argument")),
             qPrintable(usage.err));
    usage = run({QStringLiteral("import-state"), text, text});
    QCOMPARE(usage.exitCode, 2);
    QVERIFY2(usage.err.contains(QStringLiteral("unexpected argument")), qPrintable(usage.err));
    usage = run({QStringLiteral("stats"), text});
    QCOMPARE(usage.exitCode, 2);
}

void TestStateCommands::runOnceRecordsItsCycleAndDocument()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    GitTestRepo source(m_env->path(QStringLiteral("src/geometry")));
    source.writeFile(QStringLiteral("geometry/shapes.py"), "def clamp(value, low, high):\n"
                                                           "    if value < low:\n"
                                                           "        return low\n"
                                                           "    if value > high:\n"
                                                           "        return high\n"
                                                           "    return value\n");
    source.commit(QStringLiteral("Add shapes"));
    QString weights;
    for (const char *type : {"class_doc", "file_doc", "security_review", "til",
                             "performance_analysis", "code_evolution", "module_doc",
                             "pattern_analysis", "weekly_summary", "monthly_summary"}) {
        weights += QStringLiteral("    %1: 0\n").arg(QLatin1String(type));
    }
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("data_dir: %1\n"
                       "devlog:\n"
                       "  repo_path: %2\n"
                       "  author_name: DevLog Tester\n"
                       "  author_email: devlog@example.com\n"
                       "ollama:\n"
                       "  host: 127.0.0.1\n"
                       "  port: %3\n"
                       "  model: fake-model:1b\n"
                       "  retry_delay_s: 0.01\n"
                       "analyzer:\n"
                       "  min_complexity: 2\n"
                       "  min_lines: 3\n"
                       "documentation:\n"
                       "  fact_check: skip\n"
                       "  type_weights:\n"
                       "    function_doc: 1\n%4")
            .arg(m_env->path(QStringLiteral("var")), m_env->path(QStringLiteral("devlog")))
            .arg(server.port())
            .arg(weights)
            .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"),
                     QStringLiteral("repositories:\n  - name: geometry\n    path: %1\n")
                         .arg(source.path())
                         .toUtf8());

    // A dry run leaves no trace in the state.
    server.queueReplyText(QStringLiteral("`clamp` keeps a value within bounds."));
    ProcessResult result = run({QStringLiteral("run-once"), QStringLiteral("--dry-run")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    {
        StateStore store(databasePath());
        QVERIFY(store.open().ok());
        QVERIFY(store.recentCycles(10).isEmpty());
    }

    server.queueReplyText(QStringLiteral("`clamp` keeps a value within bounds."));
    server.queueReplyText(QStringLiteral("Explain clamp"));
    result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    // Then nothing is left: a skipped cycle.
    result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("skipped")), qPrintable(result.out));

    StateStore store(databasePath());
    QVERIFY(store.open().ok());
    const QList<CycleRecord> cycles = store.recentCycles(10);
    QCOMPARE(cycles.size(), 2);
    QCOMPARE(cycles.at(0).outcome, CycleRecord::Outcome::Skipped);
    QCOMPARE(cycles.at(0).reason, QStringLiteral("no candidates"));
    const CycleRecord &committed = cycles.at(1);
    QCOMPARE(committed.outcome, CycleRecord::Outcome::Success);
    QCOMPARE(committed.repo, QStringLiteral("geometry"));
    QCOMPARE(committed.file, QStringLiteral("geometry/shapes.py"));
    QCOMPARE(committed.symbol, QStringLiteral("clamp"));
    QCOMPARE(committed.docType, QStringLiteral("function_doc"));
    QCOMPARE(committed.commitId.size(), 40);
    QVERIFY(committed.finished >= committed.started);
    QVERIFY(committed.totalMs >= committed.generateMs);
    QCOMPARE(store.unpushedCommits(), QStringList{committed.commitId});

    const DocumentTotals totals = store.documentTotals().value();
    QCOMPARE(totals.documents, 1);
    QVERIFY(totals.promptTokens > 0);
    QVERIFY(totals.outputTokens > 0);
    QCOMPARE(totals.timedDocuments, 1);
    QVERIFY(totals.totalMs >= totals.generationMs);
    QCOMPARE(store.countsBy(StateStore::Grouping::Language).value().constFirst().name,
             QStringLiteral("python"));

    // An LLM that is away fails the cycle, and says why.
    server.setError(500, QStringLiteral("model crashed"));
    server.setMode(FakeOllamaServer::Mode::HttpError);
    source.writeFile(QStringLiteral("geometry/more.py"), "def spread(a, b):\n"
                                                         "    if a > b:\n"
                                                         "        return a - b\n"
                                                         "    return b - a\n");
    source.commit(QStringLiteral("More"));
    result = run({QStringLiteral("run-once")});
    QCOMPARE(result.exitCode, 1);
    const CycleTotals after = store.cycleTotals().value();
    QCOMPARE(after.total, 3);
    QCOMPARE(after.failed, 1);
    QCOMPARE(after.consecutiveFailures, 1);
    QVERIFY2(after.lastFailureReason.contains(QStringLiteral("model crashed")),
             qPrintable(after.lastFailureReason));
}

QTEST_GUILESS_MAIN(TestStateCommands)
#include "TestStateCommands.moc"
