// The command line of the real binary: help, version, usage errors, first run, config errors,
// and a headless `run` that stops cleanly on SIGTERM and SIGINT.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include "cli/CommandLine.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <csignal>

using namespace codeworm;
using namespace codeworm::test;

namespace {

ProcessResult runBinary(const QStringList &arguments)
{
    return runProcess(QStringLiteral(CODEWORM_BINARY), arguments);
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_env = std::make_unique<TestEnvironment>(); }
    void cleanup() { m_env.reset(); }

    void parsesCommandsAndOptions();
    void rejectsOptionsOfOtherCommands();
    void helpListsEveryCommandAndOption();
    void versionPrintsTheVersion();
    void badUsageExitsWithTwo();
    void firstRunWritesACommentedDefaultConfig();
    void initWritesRepositoriesAndNeverOverwrites();
    void configErrorNamesFileLineAndKey();
    void missingConfigGivenOnTheCommandLineIsAnError();
    void codewormConfigEnvironmentVariableIsUsed();
    void headlessRunStopsCleanlyOnSignals_data();
    void headlessRunStopsCleanlyOnSignals();
    void headlessRunKeepsWaitingForAMissingLlm();
    void sighupReloadsTheConfiguration();
    void sighupKeepsTheRunningDataDir();
    void sigtermDoesNotWaitForeverForAStalledPush();
    void stalledPushIsGivenUpOnAfterItsTimeout();

private:
    // Starts `codeworm run` in folder `name` with a DevLog whose one commit waits to be pushed
    // to `silent`, a remote that never answers (`extra` adds devlog keys); true once the push
    // has connected.
    bool startWithAStalledRemote(QTcpServer &silent, const QString &name, const QString &extra,
                                 QProcess &process, QString &err);
    std::unique_ptr<TestEnvironment> m_env;
};

void TestCommandLine::parsesCommandsAndOptions()
{
    const auto program = QStringLiteral("codeworm");
    ParsedCommandLine parsed = CommandLine::parse({program});
    QVERIFY(parsed.error.isEmpty());
    QCOMPARE(parsed.command, QStringLiteral("run"));
    QVERIFY(!parsed.noGui);

    parsed = CommandLine::parse({program, QStringLiteral("run"), QStringLiteral("--no-gui"),
                                 QStringLiteral("--dry-run"), QStringLiteral("--config"),
                                 QStringLiteral("/etc/cw")});
    QVERIFY(parsed.error.isEmpty());
    QVERIFY(parsed.noGui);
    QVERIFY(parsed.dryRun);
    QCOMPARE(parsed.configPath, QStringLiteral("/etc/cw"));

    parsed = CommandLine::parse({program, QStringLiteral("run-once"), QStringLiteral("--dry-run")});
    QCOMPARE(parsed.command, QStringLiteral("run-once"));
    QVERIFY(parsed.dryRun);

    parsed =
        CommandLine::parse({program, QStringLiteral("init"), QStringLiteral("--repo"),
                            QStringLiteral("a"), QStringLiteral("--repo"), QStringLiteral("b")});
    QCOMPARE(parsed.repos, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestCommandLine::rejectsOptionsOfOtherCommands()
{
    const auto program = QStringLiteral("codeworm");
    QVERIFY(CommandLine::parse({program, QStringLiteral("run-once"), QStringLiteral("--no-gui")})
                .error.contains(QStringLiteral("--no-gui")));
    QVERIFY(CommandLine::parse({program, QStringLiteral("frobnicate")})
                .error.contains(QStringLiteral("unknown command 'frobnicate'")));
    QVERIFY(!CommandLine::parse({program, QStringLiteral("--bogus")}).error.isEmpty());
    QVERIFY(!CommandLine::parse({program, QStringLiteral("run"), QStringLiteral("extra")})
                 .error.isEmpty());
}

void TestCommandLine::helpListsEveryCommandAndOption()
{
    const ProcessResult result = runBinary({QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    for (const CommandSpec &command : CommandLine::commands()) {
        QVERIFY2(result.out.contains(QStringLiteral("  ") + command.name + QLatin1Char(' ')),
                 qPrintable(command.name));
        for (const OptionSpec &option : command.options) {
            QVERIFY2(result.out.contains(QStringLiteral("--") + option.name),
                     qPrintable(option.name));
        }
    }
    for (const OptionSpec &option : CommandLine::globalOptions()) {
        QVERIFY2(result.out.contains(QStringLiteral("--") + option.name), qPrintable(option.name));
    }
}

void TestCommandLine::versionPrintsTheVersion()
{
    const ProcessResult result = runBinary({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.startsWith(QStringLiteral("codeworm ")));
    QCOMPARE(result.out.trimmed(), CommandLine::versionText());
}

void TestCommandLine::badUsageExitsWithTwo()
{
    ProcessResult result = runBinary({QStringLiteral("--no-such-option")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(QStringLiteral("no-such-option")));
    QVERIFY(result.err.contains(QStringLiteral("--help")));
    result = runBinary({QStringLiteral("frobnicate")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(QStringLiteral("frobnicate")));
}

void TestCommandLine::firstRunWritesACommentedDefaultConfig()
{
    // No configuration anywhere: run-once writes the defaults, says how to add repositories,
    // and skips for lack of candidates.
    const ProcessResult result = runBinary({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QString dir = m_env->configHome() + QStringLiteral("/codeworm");
    QVERIFY(QFile::exists(dir + QStringLiteral("/config.yaml")));
    QVERIFY(QFile::exists(dir + QStringLiteral("/repos.yaml")));
    QVERIFY(readFile(dir + QStringLiteral("/config.yaml")).contains("# "));
    QVERIFY2(result.err.contains(dir + QStringLiteral("/repos.yaml")), qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("skipped: no candidates")), qPrintable(result.out));
}

void TestCommandLine::initWritesRepositoriesAndNeverOverwrites()
{
    const QString repo = m_env->path(QStringLiteral("project"));
    QDir().mkpath(repo);
    ProcessResult result = runBinary({QStringLiteral("init"), QStringLiteral("--repo"), repo});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QString reposFile = m_env->configHome() + QStringLiteral("/codeworm/repos.yaml");
    const QByteArray repos = readFile(reposFile);
    QVERIFY2(repos.contains(repo.toUtf8()), repos.constData());
    QVERIFY(repos.contains("name: project"));

    result = runBinary({QStringLiteral("init"), QStringLiteral("--repo"), m_env->root()});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("config.yaml")), qPrintable(result.err));
    QCOMPARE(readFile(reposFile), repos);
}

void TestCommandLine::configErrorNamesFileLineAndKey()
{
    const QString file =
        m_env->writeFile(QStringLiteral("conf/config.yaml"),
                         "debug: false\nollama:\n  host: localhost\n  port: lots\n");
    const ProcessResult result =
        runBinary({QStringLiteral("--config"), file, QStringLiteral("run-once")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(file + QStringLiteral(":4")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("ollama.port")), qPrintable(result.err));
}

void TestCommandLine::missingConfigGivenOnTheCommandLineIsAnError()
{
    const QString missing = m_env->path(QStringLiteral("nowhere"));
    const ProcessResult result =
        runBinary({QStringLiteral("--config"), missing, QStringLiteral("run-once")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(missing), qPrintable(result.err));
}

void TestCommandLine::codewormConfigEnvironmentVariableIsUsed()
{
    const QString file =
        m_env->writeFile(QStringLiteral("elsewhere/config.yaml"), "schedule:\n  enabled: maybe\n");
    qputenv("CODEWORM_CONFIG", file.toUtf8());
    const ProcessResult result = runBinary({QStringLiteral("run-once")});
    qunsetenv("CODEWORM_CONFIG");
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(file + QStringLiteral(":2")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("schedule.enabled")), qPrintable(result.err));
}

void TestCommandLine::headlessRunStopsCleanlyOnSignals_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestCommandLine::headlessRunStopsCleanlyOnSignals()
{
    QFETCH(int, signalNumber);
    FakeOllamaServer server;
    QVERIFY(server.start());
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(server.port()).toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");

    QProcess process;
    process.setProgram(QStringLiteral(CODEWORM_BINARY));
    process.setArguments({QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                          QStringLiteral("run"), QStringLiteral("--no-gui")});
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QVERIFY(process.waitForStarted());
    // Running: it asked the server whether it is up, then had the model loaded (a generate
    // request without a prompt, keep_alive "-1" sent as a number), so that the first cycle
    // does not wait for it.
    QTRY_VERIFY_WITH_TIMEOUT(!server.requestsTo("/").isEmpty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!server.requestsTo("/api/generate").isEmpty(), 30000);
    const QJsonObject load = server.requestsTo("/api/generate").first().json();
    QCOMPARE(load.value(QStringLiteral("model")).toString(), QStringLiteral("qwen2.5:7b"));
    QVERIFY(!load.contains(QStringLiteral("prompt")));
    QCOMPARE(load.value(QStringLiteral("keep_alive")), QJsonValue(-1));
    ::kill(pid_t(process.processId()), signalNumber);
    QVERIFY(finished.wait(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("stopping")), qPrintable(err));
}

void TestCommandLine::headlessRunKeepsWaitingForAMissingLlm()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(closedPort).toUtf8());

    QProcess process;
    process.setProgram(QStringLiteral(CODEWORM_BINARY));
    process.setArguments({QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                          QStringLiteral("run"), QStringLiteral("--no-gui")});
    QString err;
    connect(&process, &QProcess::readyReadStandardError, this,
            [&] { err += QString::fromUtf8(process.readAllStandardError()); });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QVERIFY(process.waitForStarted());
    // One clear line: where it looked, how to start Ollama and pull the model, when it retries.
    QTRY_VERIFY_WITH_TIMEOUT(err.contains(QStringLiteral("Retrying in 10 s")), 30000);
    const QString line = err.split(QLatin1Char('\n')).filter(QStringLiteral("Retrying in")).first();
    QVERIFY2(line.contains(QStringLiteral("http://127.0.0.1:%1").arg(closedPort)),
             qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("ollama serve")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("ollama pull qwen2.5:7b")), qPrintable(line));
    // It waits instead of exiting.
    QVERIFY(!finished.wait(1500));
    QCOMPARE(process.state(), QProcess::Running);
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(finished.wait(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestCommandLine::sighupReloadsTheConfiguration()
{
    FakeOllamaServer first;
    FakeOllamaServer second;
    QVERIFY(first.start());
    QVERIFY(second.start());
    const QString file = m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(first.port()).toUtf8());

    QProcess process;
    process.setProgram(QStringLiteral(CODEWORM_BINARY));
    process.setArguments(
        {QStringLiteral("--config"), file, QStringLiteral("run"), QStringLiteral("--no-gui")});
    QString err;
    connect(&process, &QProcess::readyReadStandardError, this,
            [&] { err += QString::fromUtf8(process.readAllStandardError()); });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QTRY_VERIFY_WITH_TIMEOUT(!first.requestsTo("/").isEmpty(), 30000);

    // A broken file is refused and the running configuration kept.
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "ollama:\n  port: [\n");
    ::kill(pid_t(process.processId()), SIGHUP);
    QTRY_VERIFY_WITH_TIMEOUT(err.contains(QStringLiteral("reload failed")), 30000);
    QVERIFY2(err.contains(file + QLatin1Char(':')), qPrintable(err));
    QCOMPARE(process.state(), QProcess::Running);

    // A good file is applied: the new server is the one asked.
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(second.port()).toUtf8());
    ::kill(pid_t(process.processId()), SIGHUP);
    QTRY_VERIFY_WITH_TIMEOUT(err.contains(QStringLiteral("configuration reloaded")), 30000);
    QVERIFY2(err.contains(QStringLiteral("127.0.0.1:%1").arg(second.port())), qPrintable(err));

    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(finished.wait(30000));
    QCOMPARE(process.exitCode(), 0);
}

void TestCommandLine::sighupKeepsTheRunningDataDir()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    const QString ollama =
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(server.port());
    const QString file = m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        (ollama + QStringLiteral("data_dir: %1\n").arg(m_env->path(QStringLiteral("first"))))
            .toUtf8());
    QProcess process;
    QString err;
    QVERIFY2(codeworm::test::startDaemon(process, QStringLiteral(CODEWORM_BINARY),
                                         {QStringLiteral("--config"), file}, &err),
             qPrintable(err));
    QVERIFY(QFileInfo::exists(m_env->path(QStringLiteral("first/codeworm.db"))));

    // The state is open in the first folder: the new one is named, not used.
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        (ollama + QStringLiteral("data_dir: %1\n").arg(m_env->path(QStringLiteral("second"))))
            .toUtf8());
    ::kill(pid_t(process.processId()), SIGHUP);
    QTRY_VERIFY_WITH_TIMEOUT(err.contains(QStringLiteral("configuration reloaded")), 30000);
    QVERIFY2(
        err.contains(
            QStringLiteral("data_dir now names %1").arg(m_env->path(QStringLiteral("second")))),
        qPrintable(err));
    QVERIFY(codeworm::test::stopDaemon(process));
    QVERIFY(!QFileInfo::exists(m_env->path(QStringLiteral("second"))));
    QVERIFY(QFileInfo::exists(m_env->path(QStringLiteral("first/codeworm.log"))));
}

bool TestCommandLine::startWithAStalledRemote(QTcpServer &silent, const QString &name,
                                              const QString &extra, QProcess &process, QString &err)
{
    // The remote takes the connection and never answers: the kernel accepts it (the
    // listening socket's backlog), nothing reads the request or sends a byte.
    if (!silent.listen(QHostAddress::LocalHost)) {
        return false;
    }
    QSignalSpy connected(&silent, &QTcpServer::newConnection);
    const QString devlog = m_env->path(name + QStringLiteral("/devlog"));
    GitTestRepo repo(devlog);
    repo.writeFile(QStringLiteral("README.md"), "# DevLog\n");
    repo.commit(QStringLiteral("A commit to push"));
    QTcpServer closed; // a port nothing answers on: the LLM is away, which does not matter
    if (!closed.listen(QHostAddress::LocalHost)) {
        return false;
    }
    const quint16 llmPort = closed.serverPort();
    closed.close();
    const QString file = m_env->writeFile(
        name + QStringLiteral("/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\ndata_dir: %2\ndevlog:\n  "
                       "repo_path: %3\n  remote: http://127.0.0.1:%4/devlog.git\n%5")
            .arg(llmPort)
            .arg(m_env->path(name + QStringLiteral("/state")), devlog)
            .arg(silent.serverPort())
            .arg(extra)
            .toUtf8());
    if (!codeworm::test::startDaemon(process, QStringLiteral(CODEWORM_BINARY),
                                     {QStringLiteral("--config"), file}, &err)) {
        return false;
    }
    // The push is under way when the remote has its connection.
    return !connected.isEmpty() || connected.wait(30000);
}

void TestCommandLine::sigtermDoesNotWaitForeverForAStalledPush()
{
    QTcpServer silent;
    QProcess process;
    QString err;
    QVERIFY2(startWithAStalledRemote(silent, QStringLiteral("stall"), {}, process, err),
             qPrintable(err));

    QElapsedTimer stopping;
    stopping.start();
    QVERIFY2(codeworm::test::stopDaemon(process), qPrintable(err));
    QVERIFY2(stopping.elapsed() < 25000, qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("the DevLog push did not stop within")), qPrintable(err));
}

void TestCommandLine::stalledPushIsGivenUpOnAfterItsTimeout()
{
    QTcpServer silent;
    QProcess process;
    QString err;
    QVERIFY2(startWithAStalledRemote(silent, QStringLiteral("timeout"),
                                     QStringLiteral("  push_timeout_s: 2\n"), process, err),
             qPrintable(err));
    // Given up on while the daemon runs on; the commits wait for a later push.
    QTRY_VERIFY2_WITH_TIMEOUT(err.contains(QStringLiteral("has not answered for")), qPrintable(err),
                              30000);
    QCOMPARE(process.state(), QProcess::Running);
    // Nothing is in flight any more: a stop needs no grace.
    QElapsedTimer stopping;
    stopping.start();
    QVERIFY2(codeworm::test::stopDaemon(process), qPrintable(err));
    QVERIFY2(stopping.elapsed() < 8000, qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("did not stop within")), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "TestCommandLine.moc"
