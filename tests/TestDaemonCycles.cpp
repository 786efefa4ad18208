// The running daemon's cycles, driven through a real `codeworm run --no-gui` and its control
// commands against the fake LLM server: a pause lets the running cycle finish or cancels its
// generation (daemon.pause_cancels_generation), never leaving a half-written document; failed
// cycles in a row hold the next one back (the original's backoff), also across a restart;
// SIGTERM during a slow generation stops the daemon at once with exit 0.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace codeworm;
using namespace codeworm::test;
using Fault = FakeOllamaServer::Fault;

class TestDaemonCycles : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void pauseLetsTheRunningCycleFinish();
    void pauseCancelsGenerationWhenConfigured();
    void failuresInARowHoldTheNextCycleBack();
    void sigtermDuringASlowGenerationStopsAtOnce();
    void quietHoursHoldThePlannedRunBack();

private:
    void writeConfig(const QString &extra = {});
    QStringList withConfig(const QStringList &arguments) const;
    bool startDaemon(QProcess &process);
    QJsonObject status();
    // Waits for the model preload, then asks for a cycle and waits until its generation is
    // requested.
    void runNowUntilGenerating();
    qsizetype generations() const { return m_server->requestsTo("/api/generate").size(); }

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    std::unique_ptr<GitTestRepo> m_source;
    QString m_devlogPath;
    QString m_err;
};

void TestDaemonCycles::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_source = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("src/numbers")));
    m_source->writeFile(QStringLiteral("numbers/bounds.py"), boundsPy);
    m_source->commit(QStringLiteral("Add bounds"));
    m_devlogPath = m_env->path(QStringLiteral("devlog"));
    m_server->setReplyText(QStringLiteral("This function keeps a value within its bounds, "
                                          "returning the nearer bound when outside."));
    m_err.clear();
}

void TestDaemonCycles::cleanup()
{
    if (QTest::currentTestFailed()) {
        qWarning().noquote() << "the daemon's log:\n" << m_err;
    }
    m_source.reset();
    m_server.reset();
    m_env.reset();
}

// The schedule is off unless `extra` sets it: cycles run only when asked, so the test decides
// when.
void TestDaemonCycles::writeConfig(const QString &extra)
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("devlog:\n"
                                    "  repo_path: %1\n"
                                    "  author_name: DevLog Tester\n"
                                    "  author_email: devlog@example.com\n"
                                    "ollama:\n"
                                    "  host: 127.0.0.1\n"
                                    "  port: %2\n"
                                    "  model: fake-model:1b\n"
                                    "  retries: 1\n"
                                    "  retry_delay_s: 0.01\n"
                                    "  timeouts: {connect_s: 5, first_token_s: 120, idle_s: 120, "
                                    "total_s: 300}\n"
                                    "analyzer:\n"
                                    "  min_complexity: 2\n"
                                    "  min_lines: 3\n"
                                    "documentation:\n"
                                    "  type_weights:\n%3"
                                    "%4")
                         .arg(m_devlogPath)
                         .arg(m_server->port())
                         .arg(onlyFunctionDocWeights(),
                              extra.contains(QLatin1String("schedule:"))
                                  ? extra
                                  : QStringLiteral("schedule:\n  enabled: false\n") + extra)
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), QStringLiteral("repositories:\n"
                                                                       "  - name: numbers\n"
                                                                       "    path: %1\n")
                                                            .arg(m_source->path())
                                                            .toUtf8());
}

QStringList TestDaemonCycles::withConfig(const QStringList &arguments) const
{
    return QStringList{QStringLiteral("--config"), m_env->path(QStringLiteral("conf"))} + arguments;
}

bool TestDaemonCycles::startDaemon(QProcess &process)
{
    return codeworm::test::startDaemon(process, QStringLiteral(CODEWORM_BINARY), withConfig({}),
                                       &m_err);
}

QJsonObject TestDaemonCycles::status()
{
    const ProcessResult result =
        runProcess(QStringLiteral(CODEWORM_BINARY),
                   withConfig({QStringLiteral("status"), QStringLiteral("--json")}));
    return QJsonDocument::fromJson(result.out.toUtf8()).object();
}

void TestDaemonCycles::runNowUntilGenerating()
{
    // The preload is a generate request too: let it pass first.
    QTRY_VERIFY_WITH_TIMEOUT(generations() >= 1, 30000);
    const qsizetype before = generations();
    QCOMPARE(runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("run-now")}))
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(generations() > before, qPrintable(m_err), 30000);
}

void TestDaemonCycles::pauseLetsTheRunningCycleFinish()
{
    writeConfig();
    // The answer streams for a few seconds: the pause comes while it does.
    m_server->setFault(Fault::SlowStream);
    m_server->setStreamDelayMs(400);
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    runNowUntilGenerating();
    QCOMPARE(
        runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("pause")})).exitCode,
        0);
    // The cycle goes on to its commit; then the daemon is paused.
    QTRY_VERIFY2_WITH_TIMEOUT(m_err.contains(QStringLiteral("committed ")), qPrintable(m_err),
                              60000);
    QVERIFY2(!m_err.contains(QStringLiteral("skipped: cancelled")), qPrintable(m_err));
    QTRY_COMPARE_WITH_TIMEOUT(status().value(QStringLiteral("state")).toString(),
                              QStringLiteral("paused"), 10000);
    QCOMPARE(status().value(QStringLiteral("commits_today")).toInt(), 1);
    QVERIFY(codeworm::test::stopDaemon(daemon));
    QCOMPARE(GitTestRepo(m_devlogPath).strayFiles(), QStringList());
}

void TestDaemonCycles::pauseCancelsGenerationWhenConfigured()
{
    writeConfig(QStringLiteral("daemon:\n  pause_cancels_generation: true\n"));
    // One piece, then the stream stalls: only a cancel ends this generation soon.
    m_server->setFault(Fault::SlowStream);
    m_server->setStreamDelayMs(120000);
    m_server->setStreamHeadStart(1);
    QSignalSpy closed(m_server.get(), &FakeOllamaServer::clientClosed);
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    runNowUntilGenerating();
    const QString headBefore = QFileInfo::exists(m_devlogPath + QStringLiteral("/.git"))
                                   ? GitTestRepo(m_devlogPath).headId()
                                   : QString();
    closed.clear();
    QCOMPARE(
        runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("pause")})).exitCode,
        0);
    QTRY_VERIFY2_WITH_TIMEOUT(m_err.contains(QStringLiteral("skipped: cancelled")),
                              qPrintable(m_err), 10000);
    QVERIFY(!closed.isEmpty());
    QCOMPARE(closed.first().first().toByteArray(), QByteArray("/api/generate"));
    const QJsonObject paused = status();
    QCOMPARE(paused.value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
    QCOMPARE(paused.value(QStringLiteral("commits_today")).toInt(), 0);
    // Nothing of the cancelled document reached the DevLog.
    if (!headBefore.isEmpty()) {
        QCOMPARE(GitTestRepo(m_devlogPath).headId(), headBefore);
    }
    QVERIFY2(!m_err.contains(QStringLiteral("committed ")), qPrintable(m_err));
    QVERIFY(codeworm::test::stopDaemon(daemon));
    if (QFileInfo::exists(m_devlogPath + QStringLiteral("/.git"))) {
        QCOMPARE(GitTestRepo(m_devlogPath).strayFiles(), QStringList());
    }
}

void TestDaemonCycles::failuresInARowHoldTheNextCycleBack()
{
    writeConfig();
    m_server->setFault(Fault::ServerError);
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    QTRY_VERIFY_WITH_TIMEOUT(generations() >= 1, 30000); // the preload, answered 500
    const auto failures = [this] {
        return m_err.count(QStringLiteral("codeworm.daemon: failed: "));
    };
    for (int i = 1; i <= 2; ++i) {
        QCOMPARE(
            runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("run-now")}))
                .exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(failures() == i, 60000);
    }
    // Two failures in a row: the next cycle waits min(300, 30 x 2^(2-1)) = 60 s, even when
    // asked for now, and says so.
    const qsizetype before = generations();
    QCOMPARE(runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("run-now")}))
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(status()
                                  .value(QStringLiteral("waiting"))
                                  .toString()
                                  .contains(QStringLiteral("the last 2 cycles failed")),
                              qPrintable(m_err), 10000);
    QCOMPARE(generations(), before);
    QVERIFY(codeworm::test::stopDaemon(daemon));

    // The failures are kept in the state: after a restart the backoff still holds.
    QProcess restarted;
    QVERIFY2(startDaemon(restarted), qPrintable(m_err));
    QCOMPARE(runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("run-now")}))
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(status()
                                  .value(QStringLiteral("waiting"))
                                  .toString()
                                  .contains(QStringLiteral("the last 2 cycles failed")),
                              qPrintable(m_err), 10000);
    QVERIFY(codeworm::test::stopDaemon(restarted));
}

void TestDaemonCycles::sigtermDuringASlowGenerationStopsAtOnce()
{
    writeConfig();
    m_server->setFault(Fault::SlowStream);
    m_server->setStreamDelayMs(120000);
    m_server->setStreamHeadStart(1);
    QSignalSpy closed(m_server.get(), &FakeOllamaServer::clientClosed);
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    runNowUntilGenerating();
    closed.clear();
    QSignalSpy finished(&daemon, &QProcess::finished);
    ::kill(pid_t(daemon.processId()), SIGTERM);
    // Long before the stream would go on: the request is aborted and the daemon ends with 0.
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QCOMPARE(daemon.exitStatus(), QProcess::NormalExit);
    QCOMPARE(daemon.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    QVERIFY2(m_err.contains(QStringLiteral("skipped: cancelled")), qPrintable(m_err));
    if (QFileInfo::exists(m_devlogPath + QStringLiteral("/.git"))) {
        QCOMPARE(GitTestRepo(m_devlogPath).strayFiles(), QStringList());
    }
}

void TestDaemonCycles::quietHoursHoldThePlannedRunBack()
{
    // A run planned every minute of this hour and the next (UTC), all inside quiet hours.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int hour = now.time().hour();
    QStringList avoid;
    for (int h = 0; h < 24; ++h) {
        if (h != hour && h != (hour + 1) % 24) {
            avoid << QString::number(h);
        }
    }
    const QString quiet =
        QStringLiteral("%1-%2").arg(now.addSecs(-3 * 3600).toString(QStringLiteral("HH:mm")),
                                    now.addSecs(3 * 3600).toString(QStringLiteral("HH:mm")));
    writeConfig(QStringLiteral("schedule:\n"
                               "  timezone: UTC\n"
                               "  min_commits_per_day: 120\n"
                               "  max_commits_per_day: 120\n"
                               "  weekend_reduction: 1.0\n"
                               "  min_gap_minutes: 1\n"
                               "  avoid_hours: [%1]\n"
                               "laptop:\n"
                               "  quiet_hours: \"%2\"\n")
                    .arg(avoid.join(QStringLiteral(", ")), quiet));
    QProcess daemon;
    QVERIFY2(startDaemon(daemon), qPrintable(m_err));
    QTRY_VERIFY_WITH_TIMEOUT(generations() >= 1, 30000); // the preload
    const qsizetype before = generations();
    // The next planned run comes within about two minutes and waits, saying why.
    QTRY_VERIFY2_WITH_TIMEOUT(status()
                                  .value(QStringLiteral("waiting"))
                                  .toString()
                                  .contains(QStringLiteral("quiet hours %1").arg(quiet)),
                              qPrintable(m_err), 200000);
    QCOMPARE(generations(), before);
    QVERIFY(m_err.contains(QStringLiteral("the planned run waits: quiet hours")));
    // Run now is the user's wish: it runs, quiet hours or not.
    QCOMPARE(runProcess(QStringLiteral(CODEWORM_BINARY), withConfig({QStringLiteral("run-now")}))
                 .exitCode,
             0);
    QTRY_VERIFY2_WITH_TIMEOUT(generations() > before, qPrintable(m_err), 30000);
    QVERIFY(codeworm::test::stopDaemon(daemon));
}

QTEST_GUILESS_MAIN(TestDaemonCycles)
#include "TestDaemonCycles.moc"
