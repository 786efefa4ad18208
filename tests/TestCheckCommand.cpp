// Runs the real codeworm binary (check) against fake LLM servers, temporary DevLogs and
// remotes, and reads its report, its JSON and its exit code.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"
#include "state/StateStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace codeworm::test;

namespace {

struct Options
{
    QStringList endpoints; // empty: ollama.host/port of the fake server
    QString model = QStringLiteral("fake-model:1b");
    QString remote;
    QString extra; // more YAML at the end
};

// Every file and folder below path, with its size: to prove a check left nothing behind.
QStringList listing(const QString &path)
{
    QStringList entries;
    QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        entries << QStringLiteral("%1 %2").arg(it.filePath()).arg(it.fileInfo().size());
    }
    entries.sort();
    return entries;
}

} // namespace

class TestCheckCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everythingOk();
    void missingModelFailsWithThePullHint();
    void failoverToTheSecondEndpointIsAWarning();
    void serverDownFails();
    void remoteEndpointIsRefusedByPolicyWithoutContact();
    void readOnlyDevLogFailsAndLeavesNothingBehind();
    void configErrorNamesTheKeyAndSkipsTheRest();
    void bareRemoteIsReachable();
    void missingRemoteIsAnError();
    void usageErrorExitsTwo();
    void hangingServerIsAbandonedAtTheTimeLimit();
    void stateDatabaseIsReadNotMigrated();
    void hangingRemoteIsAbandonedAtTheTimeLimit();

private:
    void writeConfig(const Options &options);
    ProcessResult run(const QStringList &arguments = {QStringLiteral("--json")});
    // The checks of a --json report by name: {status, detail}.
    static QHash<QString, QPair<QString, QString>> checks(const ProcessResult &result);

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    std::unique_ptr<GitTestRepo> m_devlog;
    QString m_configDir;
    QString m_readOnly; // a folder made read-only by the test, restored in cleanup()
};

void TestCheckCommand::initTestCase()
{
    // Root ignores permission bits; without CAP_DAC_OVERRIDE in the bounding set the
    // programs this test starts (as root, the owner of every test folder) honour them.
    if (geteuid() == 0) {
        QVERIFY2(prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) == 0,
                 "cannot drop CAP_DAC_OVERRIDE for the programs under test");
    }
}

void TestCheckCommand::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_devlog = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("devlog")));
    m_devlog->writeFile(QStringLiteral("README.md"), "# DevLog\n");
    m_devlog->commit(QStringLiteral("Initialize DevLog"));
    m_configDir = m_env->path(QStringLiteral("conf"));
    writeConfig({});
}

void TestCheckCommand::cleanup()
{
    if (!m_readOnly.isEmpty()) {
        QFile::setPermissions(m_readOnly, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        m_readOnly.clear();
    }
    m_devlog.reset();
    m_server.reset();
    m_env.reset();
}

void TestCheckCommand::writeConfig(const Options &options)
{
    QString llm;
    if (!options.endpoints.isEmpty()) {
        llm = QStringLiteral("llm:\n  endpoints: [%1]\n")
                  .arg(options.endpoints.join(QStringLiteral(", ")));
    }
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("data_dir: %1\n"
                                    "devlog:\n"
                                    "  repo_path: %2\n"
                                    "  remote: \"%3\"\n"
                                    "ollama:\n"
                                    "  host: 127.0.0.1\n"
                                    "  port: %4\n"
                                    "  model: %5\n"
                                    "  auto_pull: true\n"
                                    "  timeouts:\n"
                                    "    connect_s: 5\n"
                                    "%6%7")
                         .arg(m_env->path(QStringLiteral("var")), m_devlog->path(), options.remote)
                         .arg(m_server->port())
                         .arg(options.model, llm, options.extra)
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
}

ProcessResult TestCheckCommand::run(const QStringList &arguments)
{
    return runProcess(
        QStringLiteral(CODEWORM_BINARY),
        QStringList{QStringLiteral("--config"), m_configDir, QStringLiteral("check")} + arguments);
}

QHash<QString, QPair<QString, QString>> TestCheckCommand::checks(const ProcessResult &result)
{
    QHash<QString, QPair<QString, QString>> byName;
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
    if (error.error != QJsonParseError::NoError) {
        qWarning().noquote() << "not JSON:" << result.out << result.err;
        return byName;
    }
    if (object.value(QLatin1String("schema")).toInt() != 1) {
        qWarning() << "no schema 1";
        return byName;
    }
    for (const QJsonValue &value : object.value(QLatin1String("checks")).toArray()) {
        const QJsonObject check = value.toObject();
        byName.insert(check.value(QLatin1String("name")).toString(),
                      {check.value(QLatin1String("status")).toString(),
                       check.value(QLatin1String("detail")).toString()});
    }
    return byName;
}

void TestCheckCommand::everythingOk()
{
    const QStringList before = listing(m_devlog->path());
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 0);
    const auto byName = checks(result);
    const QStringList expected = {
        QStringLiteral("config"),          QStringLiteral("llm.endpoint[0]"),
        QStringLiteral("devlog.path"),     QStringLiteral("devlog.repository"),
        QStringLiteral("devlog.writable"), QStringLiteral("devlog.branch"),
        QStringLiteral("devlog.remote"),   QStringLiteral("state.dir"),
        QStringLiteral("state.database"),
    };
    for (const QString &name : expected) {
        QVERIFY2(byName.contains(name), qPrintable(name + QLatin1Char('\n') + result.out));
        QVERIFY2(byName.value(name).first == QLatin1String("ok"),
                 qPrintable(name + QStringLiteral(": ") + byName.value(name).second));
    }
    QVERIFY(byName.value(QStringLiteral("llm.endpoint[0]"))
                .second.contains(QLatin1String("0.33.0-fake")));
    QVERIFY(
        byName.value(QStringLiteral("devlog.remote")).second.contains(QLatin1String("no remote")));
    QVERIFY(byName.value(QStringLiteral("devlog.branch")).second.contains(QLatin1String("main")));
    QCOMPARE(listing(m_devlog->path()), before);
    QVERIFY(!m_devlog->isDirty());
    // Nothing was created for the state either: check reads, it does not set up.
    QVERIFY(!QFileInfo::exists(m_env->path(QStringLiteral("var"))));

    const ProcessResult text = run({});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(QLatin1String("check passed")), qPrintable(text.out));
    QVERIFY(text.out.contains(QLatin1String("ok      llm.endpoint[0]")));
}

void TestCheckCommand::missingModelFailsWithThePullHint()
{
    Options options;
    options.model = QStringLiteral("absent-model:3b");
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto endpoint = checks(result).value(QStringLiteral("llm.endpoint[0]"));
    QCOMPARE(endpoint.first, QStringLiteral("error"));
    QVERIFY2(endpoint.second.contains(QLatin1String("ollama pull absent-model:3b")),
             qPrintable(endpoint.second));
    // auto_pull is on in this configuration: check still pulls nothing.
    QVERIFY(m_server->requestsTo("/api/pull").isEmpty());
}

void TestCheckCommand::failoverToTheSecondEndpointIsAWarning()
{
    FakeOllamaServer down;
    QVERIFY(down.start());
    down.setFault(FakeOllamaServer::Fault::Refuse);
    Options options;
    options.endpoints = {down.baseUrl(), m_server->baseUrl()};
    writeConfig(options);
    const ProcessResult result = run();
    // The failover carries the work: warnings, exit 0.
    QCOMPARE(result.exitCode, 0);
    const auto byName = checks(result);
    QCOMPARE(byName.value(QStringLiteral("llm.endpoint[0]")).first, QStringLiteral("warning"));
    QCOMPARE(byName.value(QStringLiteral("llm.endpoint[1]")).first, QStringLiteral("ok"));
    QVERIFY(
        byName.value(QStringLiteral("llm.endpoint[1]")).second.contains(QLatin1String("in use")));
    const auto failover = byName.value(QStringLiteral("llm.failover"));
    QCOMPARE(failover.first, QStringLiteral("warning"));
    QVERIFY2(failover.second.contains(m_server->baseUrl()), qPrintable(failover.second));
}

void TestCheckCommand::serverDownFails()
{
    m_server->setFault(FakeOllamaServer::Fault::Refuse);
    const ProcessResult result = run({});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.out.contains(QLatin1String("error   llm.endpoint[0]")), qPrintable(result.out));
    QVERIFY(result.out.contains(QLatin1String("check failed")));
}

void TestCheckCommand::remoteEndpointIsRefusedByPolicyWithoutContact()
{
    // 192.0.2.0/24 is reserved for documentation: never reached, and never asked.
    Options options;
    options.endpoints = {m_server->baseUrl(), QStringLiteral("http://192.0.2.10:11434")};
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto byName = checks(result);
    QCOMPARE(byName.value(QStringLiteral("llm.endpoint[0]")).first, QStringLiteral("ok"));
    const auto refused = byName.value(QStringLiteral("llm.endpoint[1]"));
    QCOMPARE(refused.first, QStringLiteral("error"));
    QVERIFY2(refused.second.contains(QLatin1String("refused by policy")),
             qPrintable(refused.second));
    QVERIFY(refused.second.contains(QLatin1String("llm.allow_remote")));
}

void TestCheckCommand::readOnlyDevLogFailsAndLeavesNothingBehind()
{
    const QStringList before = listing(m_devlog->path());
    m_readOnly = m_devlog->path();
    QVERIFY(QFile::setPermissions(m_readOnly, QFile::ReadOwner | QFile::ExeOwner));
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto byName = checks(result);
    const auto writable = byName.value(QStringLiteral("devlog.writable"));
    QCOMPARE(writable.first, QStringLiteral("error"));
    QVERIFY2(writable.second.contains(m_devlog->path()), qPrintable(writable.second));
    QCOMPARE(byName.value(QStringLiteral("devlog.repository")).first, QStringLiteral("ok"));
    QCOMPARE(listing(m_devlog->path()), before);
}

void TestCheckCommand::configErrorNamesTheKeyAndSkipsTheRest()
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     "ollama:\n  host: 127.0.0.1\n  port: not-a-port\n");
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto byName = checks(result);
    const auto config = byName.value(QStringLiteral("config"));
    QCOMPARE(config.first, QStringLiteral("error"));
    QVERIFY2(config.second.contains(QLatin1String("port")), qPrintable(config.second));
    QVERIFY2(config.second.contains(QLatin1String("config.yaml:3")), qPrintable(config.second));
    for (const char *name : {"llm", "devlog", "state"}) {
        QCOMPARE(byName.value(QLatin1String(name)).first, QStringLiteral("skipped"));
    }
    QVERIFY(m_server->requests().isEmpty());
}

void TestCheckCommand::bareRemoteIsReachable()
{
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    Options options;
    options.remote = remote.path();
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 0);
    const auto check = checks(result).value(QStringLiteral("devlog.remote"));
    QCOMPARE(check.first, QStringLiteral("ok"));
    QVERIFY2(check.second.contains(QLatin1String("reachable for push")), qPrintable(check.second));
}

void TestCheckCommand::missingRemoteIsAnError()
{
    Options options;
    options.remote = m_env->path(QStringLiteral("missing.git"));
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto check = checks(result).value(QStringLiteral("devlog.remote"));
    QCOMPARE(check.first, QStringLiteral("error"));
    QVERIFY2(check.second.contains(QLatin1String("missing.git")), qPrintable(check.second));
}

void TestCheckCommand::usageErrorExitsTwo()
{
    QCOMPARE(run({QStringLiteral("--limit"), QStringLiteral("3")}).exitCode, 2);
    const ProcessResult help =
        runProcess(QStringLiteral(CODEWORM_BINARY), {QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QLatin1String("  check")));
}

void TestCheckCommand::hangingServerIsAbandonedAtTheTimeLimit()
{
    m_server->setFault(FakeOllamaServer::Fault::Hang);
    Options options;
    options.extra = QStringLiteral("llm:\n  timeouts:\n    connect_s: 0.5\n");
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(checks(result).value(QStringLiteral("llm.endpoint[0]")).first,
             QStringLiteral("error"));
}

// The state database's schema version, straight from the file.
static int userVersion(const QString &path)
{
    int version = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("version"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA user_version")) && query.next()) {
                version = query.value(0).toInt();
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("version"));
    return version;
}

void TestCheckCommand::stateDatabaseIsReadNotMigrated()
{
    const QString dbPath = m_env->path(QStringLiteral("var/codeworm.db"));
    QVERIFY(QDir().mkpath(m_env->path(QStringLiteral("var"))));
    // An original CodeWorm database: the table, user_version 0.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("original"));
        db.setDatabaseName(dbPath);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE documented_snippets (id TEXT PRIMARY KEY, "
                                          "code_hash TEXT)")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("original"));
    ProcessResult result = run();
    QCOMPARE(result.exitCode, 0);
    auto database = checks(result).value(QStringLiteral("state.database"));
    QCOMPARE(database.first, QStringLiteral("warning"));
    QVERIFY2(database.second.contains(QLatin1String("pending")), qPrintable(database.second));
    QCOMPARE(userVersion(dbPath), 0);

    // A database of this version.
    QVERIFY(QFile::remove(dbPath));
    {
        codeworm::StateStore store(dbPath);
        const codeworm::Status opened = store.open();
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
    }
    const QStringList before = listing(m_env->path(QStringLiteral("var")));
    result = run();
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(listing(m_env->path(QStringLiteral("var"))), before);
    database = checks(result).value(QStringLiteral("state.database"));
    QCOMPARE(database.first, QStringLiteral("ok"));
    QVERIFY2(database.second.contains(
                 QStringLiteral("schema %1").arg(codeworm::StateStore::schemaVersion())),
             qPrintable(database.second));
}

void TestCheckCommand::hangingRemoteIsAbandonedAtTheTimeLimit()
{
    // A git server that accepts and never answers: libgit2 cannot be cancelled, so check
    // reports it at its time limit and ends without waiting for the connection.
    FakeOllamaServer hanging;
    QVERIFY(hanging.start());
    hanging.setFault(FakeOllamaServer::Fault::Hang);
    Options options;
    options.remote = hanging.baseUrl() + QStringLiteral("/devlog.git");
    options.extra = QStringLiteral("llm:\n  timeouts:\n    connect_s: 0.5\n");
    writeConfig(options);
    const ProcessResult result = run();
    QCOMPARE(result.exitCode, 1);
    const auto byName = checks(result);
    QCOMPARE(byName.value(QStringLiteral("llm.endpoint[0]")).first, QStringLiteral("ok"));
    const auto remote = byName.value(QStringLiteral("devlog.remote"));
    QCOMPARE(remote.first, QStringLiteral("error"));
    QVERIFY2(remote.second.contains(QLatin1String("no answer")), qPrintable(remote.second));
}

QTEST_GUILESS_MAIN(TestCheckCommand)
#include "TestCheckCommand.moc"
