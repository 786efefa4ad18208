// Single instance per state directory and the control commands: a second `run` is refused
// naming the running PID, a killed instance's lock does not block, and status, pause, resume,
// run-now and reload reach a running `codeworm run --no-gui` over its control socket (exit 3
// when none runs).
#include "FakeOllamaServer.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace codeworm;
using namespace codeworm::test;

namespace {

ProcessResult runBinary(const QStringList &arguments)
{
    return runProcess(QStringLiteral(CODEWORM_BINARY), arguments);
}

} // namespace

class TestControl : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void secondRunIsRefusedNamingThePid();
    void runOnceBesideARunningDaemonIsRefused();
    void lockOfAKilledInstanceDoesNotBlock();
    void statusDescribesTheRunningDaemon();
    void restartKeepsTheDaysPlan();
    void pauseOutlivesARestart();
    void pauseAndResumeChangeTheState();
    void runNowStartsACycle();
    void reloadReadsTheConfigurationAgain();
    void controlCommandsWithoutARunningInstanceExitThree_data();
    void controlCommandsWithoutARunningInstanceExitThree();

private:
    QStringList withConfig(const QStringList &arguments) const;
    // Starts `codeworm run --no-gui` and waits until its control socket answers.
    bool startDaemon(QProcess &process);
    QString stateDir() const { return m_env->stateHome() + QStringLiteral("/codeworm"); }

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    QString m_err; // the running daemon's stderr so far
};

void TestControl::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(m_server->port()).toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
    m_err.clear();
}

void TestControl::cleanup()
{
    m_server.reset();
    m_env.reset();
}

QStringList TestControl::withConfig(const QStringList &arguments) const
{
    return QStringList{QStringLiteral("--config"), m_env->path(QStringLiteral("conf"))} + arguments;
}

bool TestControl::startDaemon(QProcess &process)
{
    return codeworm::test::startDaemon(process, QStringLiteral(CODEWORM_BINARY), withConfig({}),
                                       &m_err);
}

void TestControl::secondRunIsRefusedNamingThePid()
{
    QProcess first;
    QVERIFY2(startDaemon(first), qPrintable(m_err));
    const ProcessResult second =
        runBinary(withConfig({QStringLiteral("run"), QStringLiteral("--no-gui")}));
    QCOMPARE(second.exitCode, 2);
    QVERIFY2(second.err.contains(QStringLiteral("PID %1").arg(first.processId())),
             qPrintable(second.err));
    QVERIFY2(second.err.contains(stateDir()), qPrintable(second.err));
    // The refused instance left the running one alone.
    QCOMPARE(runBinary(withConfig({QStringLiteral("status")})).exitCode, 0);
    QVERIFY(codeworm::test::stopDaemon(first));
    // Released on exit: the next start runs.
    QProcess third;
    QVERIFY2(startDaemon(third), qPrintable(m_err));
    QVERIFY(codeworm::test::stopDaemon(third));
}

void TestControl::runOnceBesideARunningDaemonIsRefused()
{
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    const ProcessResult once = runBinary(withConfig({QStringLiteral("run-once")}));
    QCOMPARE(once.exitCode, 2);
    QVERIFY2(once.err.contains(QStringLiteral("PID %1").arg(daemon.processId())),
             qPrintable(once.err));
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::lockOfAKilledInstanceDoesNotBlock()
{
    QProcess killed;
    QVERIFY2(startDaemon(killed), qPrintable(m_err));
    QSignalSpy finished(&killed, &QProcess::finished);
    ::kill(pid_t(killed.processId()), SIGKILL);
    QVERIFY(finished.wait(30000));
    // Its lock file and socket stay behind.
    QVERIFY(QFileInfo::exists(stateDir() + QStringLiteral("/codeworm.lock")));
    QVERIFY(QFileInfo::exists(stateDir() + QStringLiteral("/codeworm.sock")));
    // Nobody listens on the leftover socket.
    QCOMPARE(runBinary(withConfig({QStringLiteral("status")})).exitCode, 3);

    QProcess next;
    QVERIFY2(startDaemon(next), qPrintable(m_err));
    const ProcessResult status =
        runBinary(withConfig({QStringLiteral("status"), QStringLiteral("--json")}));
    QCOMPARE(QJsonDocument::fromJson(status.out.toUtf8())
                 .object()
                 .value(QStringLiteral("pid"))
                 .toInteger(),
             next.processId());
    QVERIFY(codeworm::test::stopDaemon(next));
}

void TestControl::statusDescribesTheRunningDaemon()
{
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    const QFileInfo socket(stateDir() + QStringLiteral("/codeworm.sock"));
    QCOMPARE(socket.permissions() &
                 (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
             QFile::Permissions());

    const ProcessResult text = runBinary(withConfig({QStringLiteral("status")}));
    QCOMPARE(text.exitCode, 0);
    for (const char *line : {"state: ", "paused: no", "current target: ", "next run: ",
                             "commits today: 0", "last error: ", "pid: "}) {
        QVERIFY2(text.out.contains(QLatin1String(line)), qPrintable(text.out));
    }
    QVERIFY2(text.out.contains(QStringLiteral("pid: %1").arg(daemon.processId())),
             qPrintable(text.out));

    const ProcessResult json =
        runBinary(withConfig({QStringLiteral("status"), QStringLiteral("--json")}));
    QCOMPARE(json.exitCode, 0);
    QJsonParseError error;
    const QJsonObject status = QJsonDocument::fromJson(json.out.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(json.out));
    QCOMPARE(status.value(QStringLiteral("schema")).toInt(), 1);
    QCOMPARE(status.value(QStringLiteral("pid")).toInteger(), daemon.processId());
    QCOMPARE(status.value(QStringLiteral("paused")), QJsonValue(false));
    QCOMPARE(status.value(QStringLiteral("commits_today")).toInt(), 0);
    const QStringList states = {QStringLiteral("idle"), QStringLiteral("working"),
                                QStringLiteral("waiting_for_llm")};
    QVERIFY2(states.contains(status.value(QStringLiteral("state")).toString()),
             qPrintable(json.out));
    for (const char *key : {"state_text", "current_target", "next_run", "planned_today",
                            "last_commit", "last_error", "llm"}) {
        QVERIFY2(status.contains(QLatin1String(key)), key);
    }
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::restartKeepsTheDaysPlan()
{
    // The plan's seed is kept in the state directory: the next run after a restart is the
    // one planned before it, not a new draw.
    QString nextRun;
    for (int start = 0; start < 2; ++start) {
        QProcess daemon;
        QVERIFY2(startDaemon(daemon), qPrintable(m_err));
        const ProcessResult json =
            runBinary(withConfig({QStringLiteral("status"), QStringLiteral("--json")}));
        const QJsonObject status = QJsonDocument::fromJson(json.out.toUtf8()).object();
        const QString next = status.value(QStringLiteral("next_run")).toString();
        QVERIFY2(!next.isEmpty() && status.value(QStringLiteral("planned_today")).toInt() >= 0,
                 qPrintable(json.out));
        QVERIFY(codeworm::test::stopDaemon(daemon));
        if (start == 0) {
            nextRun = next;
        } else {
            // (Unless that run fell due between the two starts.)
            QVERIFY2(next == nextRun || QDateTime::fromString(nextRun, Qt::ISODate) <=
                                            QDateTime::currentDateTime(),
                     qPrintable(next + QStringLiteral(" after ") + nextRun));
        }
    }
    QVERIFY(QFileInfo::exists(stateDir() + QStringLiteral("/schedule-seed")));
}

void TestControl::pauseOutlivesARestart()
{
    const auto pausedNow = [this] {
        const ProcessResult json =
            runBinary(withConfig({QStringLiteral("status"), QStringLiteral("--json")}));
        return QJsonDocument::fromJson(json.out.toUtf8())
            .object()
            .value(QStringLiteral("paused"))
            .toBool();
    };
    {
        QProcess daemon;
        QVERIFY2(startDaemon(daemon), qPrintable(m_err));
        QCOMPARE(runBinary(withConfig({QStringLiteral("pause")})).exitCode, 0);
        QVERIFY(codeworm::test::stopDaemon(daemon));
    }
    {
        QProcess daemon;
        QVERIFY2(startDaemon(daemon), qPrintable(m_err));
        QVERIFY(pausedNow());
        QVERIFY2(m_err.contains(QStringLiteral("paused since")), qPrintable(m_err));
        QCOMPARE(runBinary(withConfig({QStringLiteral("resume")})).exitCode, 0);
        QVERIFY(codeworm::test::stopDaemon(daemon));
    }
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    QVERIFY(!pausedNow());
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::pauseAndResumeChangeTheState()
{
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    const auto status = [this] {
        return QJsonDocument::fromJson(
                   runBinary(withConfig({QStringLiteral("status"), QStringLiteral("--json")}))
                       .out.toUtf8())
            .object();
    };
    ProcessResult result = runBinary(withConfig({QStringLiteral("pause")}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("paused")), qPrintable(result.out));
    QCOMPARE(status().value(QStringLiteral("paused")), QJsonValue(true));
    QTRY_COMPARE_WITH_TIMEOUT(status().value(QStringLiteral("state")).toString(),
                              QStringLiteral("paused"), 30000);
    QVERIFY2(runBinary(withConfig({QStringLiteral("status")}))
                 .out.contains(QStringLiteral("paused: yes")),
             qPrintable(m_err));

    result = runBinary(withConfig({QStringLiteral("resume")}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("resumed")), qPrintable(result.out));
    QCOMPARE(status().value(QStringLiteral("paused")), QJsonValue(false));
    QTRY_VERIFY_WITH_TIMEOUT(
        status().value(QStringLiteral("state")).toString() != QLatin1String("paused"), 30000);
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::runNowStartsACycle()
{
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    // Let the start settle (the model preload), then count the cycles the log reports.
    QTRY_VERIFY_WITH_TIMEOUT(!m_server->requestsTo("/api/generate").isEmpty(), 30000);
    const auto cycles = [this] { return m_err.count(QStringLiteral("skipped: no candidates")); };
    const qsizetype before = cycles();
    const ProcessResult result = runBinary(withConfig({QStringLiteral("run-now")}));
    QCOMPARE(result.exitCode, 0);
    // No repositories configured: the cycle it started ends for lack of candidates.
    QTRY_VERIFY2_WITH_TIMEOUT(cycles() > before, qPrintable(m_err), 30000);
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::reloadReadsTheConfigurationAgain()
{
    FakeOllamaServer second;
    QVERIFY(second.start());
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));

    // A configuration the daemon refuses (a remote LLM without consent; the client itself
    // reads it fine for the state directory) comes back as the reply's error, and the running
    // configuration is kept.
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "ollama:\n  host: 192.0.2.1\n");
    ProcessResult result = runBinary(withConfig({QStringLiteral("reload")}));
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("allow_remote")), qPrintable(result.err));
    QTRY_VERIFY2_WITH_TIMEOUT(m_err.contains(QStringLiteral("reload failed")), qPrintable(m_err),
                              30000);
    QCOMPARE(daemon.state(), QProcess::Running);

    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("ollama:\n  host: 127.0.0.1\n  port: %1\n").arg(second.port()).toUtf8());
    result = runBinary(withConfig({QStringLiteral("reload")}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("configuration reloaded")), qPrintable(result.out));
    QTRY_VERIFY_WITH_TIMEOUT(m_err.contains(QStringLiteral("configuration reloaded")), 30000);
    QVERIFY2(m_err.contains(QStringLiteral("127.0.0.1:%1").arg(second.port())), qPrintable(m_err));
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

void TestControl::controlCommandsWithoutARunningInstanceExitThree_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("status") << QStringList{QStringLiteral("status")};
    QTest::newRow("status --json")
        << QStringList{QStringLiteral("status"), QStringLiteral("--json")};
    QTest::newRow("pause") << QStringList{QStringLiteral("pause")};
    QTest::newRow("resume") << QStringList{QStringLiteral("resume")};
    QTest::newRow("run-now") << QStringList{QStringLiteral("run-now")};
    QTest::newRow("reload") << QStringList{QStringLiteral("reload")};
}

void TestControl::controlCommandsWithoutARunningInstanceExitThree()
{
    QFETCH(QStringList, arguments);
    const ProcessResult result = runBinary(withConfig(arguments));
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(
        result.err.contains(
            QStringLiteral("no CodeWorm is running for the state directory %1").arg(stateDir())),
        qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestControl)
#include "TestControl.moc"
