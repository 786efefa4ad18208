// ollama.start_local with the real binary: a fake `ollama` program first on PATH (a shell
// script that runs this test executable in its --fake-ollama role) records how it was started
// and, for `ollama serve`, answers like Ollama on OLLAMA_HOST until SIGTERM.
#include "FakeOllamaServer.h"
#include "TestEnvironment.h"

#include "cli/UnixSignalWatcher.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <csignal>
#include <cstdio>

using namespace codeworm;
using namespace codeworm::test;

namespace {

// Where the fake appends what happened to it; the variable reaches it through codeworm.
constexpr char kRecordVariable[] = "CODEWORM_FAKE_OLLAMA_RECORD";
// Set: the fake prints a failure to stderr and exits with this code at once.
constexpr char kExitVariable[] = "CODEWORM_FAKE_OLLAMA_EXIT";

void record(const QString &line)
{
    QFile file(qEnvironmentVariable(kRecordVariable));
    if (file.open(QIODevice::Append | QIODevice::Text)) {
        file.write(line.toUtf8() + '\n');
    }
}

// The fake `ollama`: `serve` listens on OLLAMA_HOST with the fake server until SIGTERM.
int runFakeOllama(const QStringList &arguments)
{
    record(QStringLiteral("start ") + arguments.join(QLatin1Char(' ')));
    const QString host = qEnvironmentVariable("OLLAMA_HOST");
    record(QStringLiteral("OLLAMA_HOST=") + host);
    if (qEnvironmentVariableIsSet(kExitVariable)) {
        std::fprintf(stderr, "Error: listen tcp %s: fake failure\n", qPrintable(host));
        return qEnvironmentVariableIntValue(kExitVariable);
    }
    if (arguments.value(0) != QLatin1String("serve")) {
        return 1;
    }
    FakeOllamaServer server;
    if (!server.start(quint16(host.section(QLatin1Char(':'), -1).toUInt()))) {
        std::fprintf(stderr, "Error: cannot listen on %s\n", qPrintable(host));
        return 1;
    }
    QObject::connect(&server, &FakeOllamaServer::requestReceived,
                     [](const QByteArray &method, const QByteArray &path) {
                         record(QStringLiteral("request %1 %2")
                                    .arg(QString::fromLatin1(method), QString::fromLatin1(path)));
                     });
    UnixSignalWatcher watcher({SIGTERM, SIGINT});
    QObject::connect(&watcher, &UnixSignalWatcher::received, [](int) {
        record(QStringLiteral("terminated"));
        QCoreApplication::exit(0);
    });
    std::fprintf(stderr, "Listening on 127.0.0.1:%u (fake)\n", unsigned(server.port()));
    std::fflush(stderr);
    return QCoreApplication::exec();
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost)) {
        return 0;
    }
    return probe.serverPort();
}

} // namespace

class TestLocalOllama : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void installedButNotRunningIsNamedAndNothingStarts();
    void startLocalStartsServesAndStopsTheServer();
    void anEarlyExitIsLoggedAndNotRestartedInALoop();
    void aRemoteEndpointIsNeverStarted();

private:
    // Starts `codeworm run --no-gui` on the given ollama section; its stderr collects in m_err.
    void startCodeworm(const QByteArray &ollamaSection, const QByteArray &extra = {});
    // SIGTERM, then the exit code (-1 when it did not end normally in time).
    int terminateCodeworm();
    // What the fake recorded so far; empty before it first ran.
    QString recorded() const
    {
        QFile file(m_record);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<QProcess> m_process;
    QString m_err;
    QString m_program; // the fake `ollama`
    QString m_record;
    QByteArray m_savedPath;
};

void TestLocalOllama::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_err.clear();
    m_program = m_env->writeFile(QStringLiteral("bin/ollama"),
                                 QStringLiteral("#!/bin/sh\nexec '%1' --fake-ollama \"$@\"\n")
                                     .arg(QCoreApplication::applicationFilePath())
                                     .toUtf8());
    QFile::setPermissions(m_program, QFile::permissions(m_program) | QFileDevice::ExeOwner);
    m_record = m_env->path(QStringLiteral("record.txt"));
    m_savedPath = qgetenv("PATH");
    qputenv("PATH", m_env->path(QStringLiteral("bin")).toUtf8() + ':' + m_savedPath);
    qputenv(kRecordVariable, m_record.toUtf8());
    qunsetenv(kExitVariable);
}

void TestLocalOllama::cleanup()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
    qputenv("PATH", m_savedPath);
    qunsetenv(kRecordVariable);
    qunsetenv(kExitVariable);
    m_env.reset();
}

void TestLocalOllama::startCodeworm(const QByteArray &ollamaSection, const QByteArray &extra)
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "ollama:\n" + ollamaSection + extra);
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(QStringLiteral(CODEWORM_BINARY));
    m_process->setArguments({QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                             QStringLiteral("run"), QStringLiteral("--no-gui")});
    connect(m_process.get(), &QProcess::readyReadStandardError, this,
            [this] { m_err += QString::fromUtf8(m_process->readAllStandardError()); });
    m_process->start();
    QVERIFY(m_process->waitForStarted());
}

int TestLocalOllama::terminateCodeworm()
{
    QSignalSpy finished(m_process.get(), &QProcess::finished);
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (m_process->state() != QProcess::NotRunning && !finished.wait(30000)) {
        return -1;
    }
    m_err += QString::fromUtf8(m_process->readAllStandardError());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void TestLocalOllama::installedButNotRunningIsNamedAndNothingStarts()
{
    const quint16 port = freePort();
    QVERIFY(port != 0);
    startCodeworm(QStringLiteral("  host: 127.0.0.1\n  port: %1\n").arg(port).toUtf8());
    // One line: where nothing listens, which program is installed, and the setting.
    QTRY_VERIFY_WITH_TIMEOUT(m_err.contains(QStringLiteral("nothing listens")), 30000);
    const QString line =
        m_err.split(QLatin1Char('\n')).filter(QStringLiteral("nothing listens")).first();
    QVERIFY2(line.contains(QStringLiteral("http://127.0.0.1:%1").arg(port)), qPrintable(line));
    QVERIFY2(line.contains(m_program), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("ollama serve")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("ollama.start_local: true")), qPrintable(line));
    QVERIFY2(m_err.contains(QStringLiteral("Retrying in 10 s")), qPrintable(m_err));
    QCOMPARE(terminateCodeworm(), 0);
    QVERIFY2(!QFile::exists(m_record), qPrintable(recorded()));
    QCOMPARE(m_err.count(QStringLiteral("nothing listens")), 1);
}

void TestLocalOllama::startLocalStartsServesAndStopsTheServer()
{
    const quint16 port = freePort();
    QVERIFY(port != 0);
    startCodeworm(
        QStringLiteral("  host: 127.0.0.1\n  port: %1\n  start_local: true\n").arg(port).toUtf8(),
        "debug: true\n");
    QTRY_VERIFY_WITH_TIMEOUT(recorded().contains(QStringLiteral("start serve")), 30000);
    QVERIFY2(recorded().contains(QStringLiteral("OLLAMA_HOST=127.0.0.1:%1\n").arg(port)),
             qPrintable(recorded()));
    // The daemon finds the new server: health check, model list, then the model is loaded.
    QTRY_VERIFY_WITH_TIMEOUT(recorded().contains(QStringLiteral("request GET /api/tags")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(m_err.contains(QStringLiteral("is reachable again")), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(recorded().contains(QStringLiteral("request POST /api/generate")),
                             30000);
    // It was found on a quick retry after the start, not after a second backoff round.
    QCOMPARE(m_err.count(QStringLiteral("Retrying in")), 1);
    // The server's own output goes to the debug log.
    QVERIFY2(m_err.contains(QStringLiteral("Listening on 127.0.0.1:%1 (fake)").arg(port)),
             qPrintable(m_err));
    QCOMPARE(recorded().count(QStringLiteral("start serve")), 1);

    QCOMPARE(terminateCodeworm(), 0);
    QVERIFY2(recorded().contains(QStringLiteral("terminated")), qPrintable(recorded()));
    QVERIFY2(m_err.contains(QStringLiteral("stopping the Ollama server CodeWorm started")),
             qPrintable(m_err));
    QVERIFY2(!m_err.contains(QStringLiteral("killing it")), qPrintable(m_err));
}

void TestLocalOllama::anEarlyExitIsLoggedAndNotRestartedInALoop()
{
    qputenv(kExitVariable, "3");
    const quint16 port = freePort();
    QVERIFY(port != 0);
    startCodeworm(
        QStringLiteral("  host: 127.0.0.1\n  port: %1\n  start_local: true\n").arg(port).toUtf8());
    QTRY_VERIFY_WITH_TIMEOUT(m_err.contains(QStringLiteral("exited with code 3")), 30000);
    const QString line =
        m_err.split(QLatin1Char('\n')).filter(QStringLiteral("exited with code 3")).first();
    QVERIFY2(line.contains(QStringLiteral("fake failure")), qPrintable(line));
    // The next start waits for the daemon's next check, a backoff interval later.
    QTest::qWait(3000);
    QCOMPARE(recorded().count(QStringLiteral("start serve")), 1);
    QCOMPARE(m_err.count(QStringLiteral("exited with code 3")), 1);
    QCOMPARE(terminateCodeworm(), 0);
    QVERIFY2(!recorded().contains(QStringLiteral("terminated")), qPrintable(recorded()));
}

void TestLocalOllama::aRemoteEndpointIsNeverStarted()
{
    // A documentation address (TEST-NET-1): never this machine.
    startCodeworm("  host: http://192.0.2.1\n  port: 11434\n  start_local: true\n"
                  "  timeouts:\n    connect_s: 1\n",
                  "llm:\n  allow_remote: true\n");
    QTRY_VERIFY_WITH_TIMEOUT(m_err.contains(QStringLiteral("Retrying in 10 s")), 30000);
    QTest::qWait(1500);
    QCOMPARE(terminateCodeworm(), 0);
    QVERIFY2(!QFile::exists(m_record), qPrintable(recorded()));
    QVERIFY2(!m_err.contains(QStringLiteral("nothing listens")), qPrintable(m_err));
    QVERIFY2(!m_err.contains(QStringLiteral("start_local")), qPrintable(m_err));
}

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--fake-ollama") == 0) {
        QCoreApplication app(argc, argv);
        return runFakeOllama(QCoreApplication::arguments().mid(2));
    }
    QCoreApplication app(argc, argv);
    TestLocalOllama test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestLocalOllama.moc"
