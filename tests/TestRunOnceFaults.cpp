// The real codeworm binary (run-once) against a fake LLM server that misbehaves: every fault of
// FakeOllamaServer for both providers, SIGTERM and SIGINT while the answer streams, and the
// prompt sizing after Ollama ran out of memory. Whatever happens, the process ends normally,
// the DevLog holds whole commits only and the state records only what was committed.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include <csignal>

using namespace codeworm::test;
using Fault = FakeOllamaServer::Fault;

namespace {

const QString replyText = QStringLiteral("This function does something useful.");

// What a sanitizer prints when it finds something, for runs of a sanitized build.
const QStringList sanitizerMarkers = {QStringLiteral("AddressSanitizer"),
                                      QStringLiteral("LeakSanitizer"),
                                      QStringLiteral("runtime error:")};

} // namespace

class TestRunOnceFaults : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void noFaultCrashesOrLeavesAHalfWrittenDocument_data();
    void noFaultCrashesOrLeavesAHalfWrittenDocument();
    void signalCancelsTheStreamingGeneration_data();
    void signalCancelsTheStreamingGeneration();
    void promptsAfterOutOfMemoryFitTheSmallerContext();

private:
    // idleS, totalS: llm.timeouts.idle_s and total_s.
    void writeConfig(bool openAi, const QString &repoPath, int idleS = 2, int totalS = 20);
    ProcessResult run();
    // A first document, so that the DevLog and the state exist before the fault.
    void documentOnce();
    int documentedRows();

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    std::unique_ptr<GitTestRepo> m_source;
    QString m_devlogPath;
    QString m_statePath;
};

void TestRunOnceFaults::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_source = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("src/numbers")));
    m_source->writeFile(QStringLiteral("numbers/bounds.py"), boundsPy);
    m_source->commit(QStringLiteral("Add bounds"));
    m_devlogPath = m_env->path(QStringLiteral("devlog"));
    m_statePath = m_env->path(QStringLiteral("state"));
}

void TestRunOnceFaults::cleanup()
{
    const QStringList names = QSqlDatabase::connectionNames();
    for (const QString &name : names) {
        QSqlDatabase::removeDatabase(name);
    }
    m_source.reset();
    m_server.reset();
    m_env.reset();
}

// Short limits and few tries, so that a fault costs seconds; the same for both providers
// (llm.* reads the timeouts and retries from the ollama section).
void TestRunOnceFaults::writeConfig(bool openAi, const QString &repoPath, int idleS, int totalS)
{
    const QString llm = openAi ? QStringLiteral("llm:\n"
                                                "  provider: openai\n"
                                                "  endpoints: [\"%1\"]\n")
                                     .arg(m_server->baseUrl())
                               : QString();
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("data_dir: %1\n"
                                    "devlog:\n"
                                    "  repo_path: %2\n"
                                    "  author_name: DevLog Tester\n"
                                    "  author_email: devlog@example.com\n"
                                    "ollama:\n"
                                    "  host: 127.0.0.1\n"
                                    "  port: %3\n"
                                    "  model: fake-model:1b\n"
                                    "  retries: 2\n"
                                    "  retry_delay_s: 0.01\n"
                                    "  retry_max_delay_s: 0.05\n"
                                    "  timeouts: {connect_s: 2, first_token_s: 2, idle_s: %4, "
                                    "total_s: %5}\n"
                                    "%6"
                                    "analyzer:\n"
                                    "  min_complexity: 2\n"
                                    "  min_lines: 3\n"
                                    "  max_lines: 1000\n"
                                    "documentation:\n"
                                    "  max_source_lines: 1000\n"
                                    "  type_weights:\n%7")
                         .arg(m_statePath, m_devlogPath)
                         .arg(m_server->port())
                         .arg(idleS)
                         .arg(totalS)
                         .arg(llm, onlyFunctionDocWeights())
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), QStringLiteral("repositories:\n"
                                                                       "  - name: numbers\n"
                                                                       "    path: %1\n")
                                                            .arg(repoPath)
                                                            .toUtf8());
}

ProcessResult TestRunOnceFaults::run()
{
    return runProcess(QStringLiteral(CODEWORM_BINARY),
                      {QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                       QStringLiteral("run-once")});
}

void TestRunOnceFaults::documentOnce()
{
    const ProcessResult first = run();
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.out.contains(QStringLiteral("committed")), qPrintable(first.out));
    QCOMPARE(GitTestRepo(m_devlogPath).commitCount(), 2); // the DevLog's layout and a document
    QCOMPARE(documentedRows(), 1);
}

int TestRunOnceFaults::documentedRows()
{
    const QString dbPath = m_statePath + QStringLiteral("/codeworm.db");
    if (!QFile::exists(dbPath)) {
        return 0;
    }
    int rows = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT COUNT(*) FROM documented_snippets")) &&
                query.next()) {
                rows = query.value(0).toInt();
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return rows;
}

void TestRunOnceFaults::noFaultCrashesOrLeavesAHalfWrittenDocument_data()
{
    QTest::addColumn<bool>("openAi");
    QTest::addColumn<int>("fault");
    QTest::addColumn<bool>("fromGeneration"); // the fault starts with the first generation
    QTest::addColumn<int>("exitCode");        // 0: the client recovered, 1: the job failed
    QTest::addColumn<QString>("says");        // on failure, stderr says this besides the endpoint

    struct Row
    {
        const char *name;
        Fault fault;
        bool fromGeneration;
        int ollamaExit;
        QString ollamaSays;
        int openAiExit;
        QString openAiSays;
    };
    const QList<Row> rows = {
        {"Refuse", Fault::Refuse, false, 1, QStringLiteral("Connection refused"), 1,
         QStringLiteral("Connection refused")},
        {"Reset", Fault::Reset, false, 1, QStringLiteral("cannot reach Ollama"), 1,
         QStringLiteral("cannot reach the OpenAI-compatible server")},
        {"ServerError", Fault::ServerError, false, 1, QStringLiteral("HTTP 500: internal error"), 1,
         QStringLiteral("HTTP 500: internal error")},
        // Hangs from the first request on: the health check's limit (connect_s) ends it.
        {"Hang", Fault::Hang, false, 1, QStringLiteral("did not answer GET / within 2 s"), 1,
         QStringLiteral("did not answer within 2 s")},
        // Pieces 100 ms apart: slow, but within every limit.
        {"SlowStream", Fault::SlowStream, false, 0, {}, 0, {}},
        {"TruncatedStream", Fault::TruncatedStream, false, 1, QStringLiteral("after 2 tries"), 1,
         QStringLiteral("after 2 tries")},
        {"MalformedJson", Fault::MalformedJson, false, 1, QStringLiteral("not a JSON object"), 1,
         QStringLiteral("not a JSON object")},
        // Ollama unloads the model and asks again with num_ctx 8192; an OpenAI-compatible
        // server sets its context itself, so there is nothing to lower.
        {"OutOfMemory", Fault::OutOfMemory, false, 0, {}, 1, QStringLiteral("out of memory")},
        {"ModelNotFound", Fault::ModelNotFound, false, 1,
         QStringLiteral("ollama pull fake-model:1b"), 1,
         QStringLiteral("model fake-model:1b is not available")},
        // Every other connection dropped before any answer: the health check's requests are
        // asked once more at once, generations are retried.
        {"Flapping", Fault::Flapping, false, 0, {}, 0, {}},
        // Generations are retried: the dropped connections cost a try each.
        {"Flapping after the health check", Fault::Flapping, true, 0, {}, 0, {}},
    };
    for (const Row &row : rows) {
        QTest::addRow("ollama %s", row.name)
            << false << int(row.fault) << row.fromGeneration << row.ollamaExit << row.ollamaSays;
        QTest::addRow("openai %s", row.name)
            << true << int(row.fault) << row.fromGeneration << row.openAiExit << row.openAiSays;
    }
}

void TestRunOnceFaults::noFaultCrashesOrLeavesAHalfWrittenDocument()
{
    QFETCH(bool, openAi);
    QFETCH(int, fault);
    QFETCH(bool, fromGeneration);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    writeConfig(openAi, m_source->path());
    documentOnce();
    if (QTest::currentTestFailed()) {
        return;
    }
    const QString headBefore = GitTestRepo(m_devlogPath).headId();

    m_server->setOpenAiFaults(true);
    m_server->setStreamDelayMs(100);
    const auto startFault = [this, fault] {
        m_server->setFault(Fault(fault));
        m_server->restartFlapping(); // the first connection from here on is dropped
    };
    if (fromGeneration) {
        const QByteArray generatePath =
            openAi ? QByteArrayLiteral("/v1/chat/completions") : QByteArrayLiteral("/api/generate");
        // The generation that sees the fault start is served; the ones after it meet the fault.
        connect(
            m_server.get(), &FakeOllamaServer::requestReceived, this,
            [startFault, generatePath](const QByteArray &, const QByteArray &path) {
                if (path == generatePath) {
                    startFault();
                }
            },
            Qt::SingleShotConnection);
    } else {
        startFault();
    }
    const ProcessResult result = run();
    m_server->setFault(Fault::None);

    // Ended on its own, without a crash signal or a sanitizer report.
    QVERIFY2(result.exitCode >= 0,
             qPrintable(QStringLiteral("crashed or hung; stderr:\n") + result.err));
    for (const QString &marker : sanitizerMarkers) {
        QVERIFY2(!result.err.contains(marker), qPrintable(result.err));
    }
    QVERIFY2(result.exitCode == exitCode,
             qPrintable(
                 QStringLiteral("exit code %1; stderr:\n%2").arg(result.exitCode).arg(result.err)));

    GitTestRepo devlog(m_devlogPath);
    QVERIFY(!devlog.isDirty());
    const QStringList stray = GitTestRepo(m_devlogPath).strayFiles();
    QVERIFY2(stray.isEmpty(), qPrintable(stray.join(QLatin1Char('\n'))));
    if (exitCode == 0) {
        QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
        QCOMPARE(devlog.commitCount(), 3);
        QCOMPARE(devlog.headCommit().parentIds, QStringList{headBefore});
        // The whole answer, not a part of it.
        const QString document = QString::fromUtf8(devlog.fileAt(
            devlog.headCommit().changedPaths.filter(QStringLiteral("snippets/")).value(0)));
        QVERIFY2(document.contains(replyText), qPrintable(document));
        QCOMPARE(documentedRows(), 2);
        return;
    }
    // One line that names what failed and where.
    QVERIFY2(result.err.contains(QStringLiteral("failed: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(m_server->baseUrl()), qPrintable(result.err));
    QVERIFY2(result.err.contains(says), qPrintable(result.err));
    QCOMPARE(devlog.headId(), headBefore);
    QCOMPARE(devlog.commitCount(), 2);
    QCOMPARE(documentedRows(), 1);
}

void TestRunOnceFaults::signalCancelsTheStreamingGeneration_data()
{
    QTest::addColumn<bool>("openAi");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("headStart"); // the writes that carry the first piece of the answer

    // Ollama: the headers, then a line with the first word. OpenAI: the headers, a keep-alive
    // comment, the role and then the first word.
    QTest::newRow("ollama SIGTERM") << false << int(SIGTERM) << QByteArray("/api/generate") << 2;
    QTest::newRow("ollama SIGINT") << false << int(SIGINT) << QByteArray("/api/generate") << 2;
    QTest::newRow("openai SIGTERM")
        << true << int(SIGTERM) << QByteArray("/v1/chat/completions") << 4;
    QTest::newRow("openai SIGINT")
        << true << int(SIGINT) << QByteArray("/v1/chat/completions") << 4;
}

void TestRunOnceFaults::signalCancelsTheStreamingGeneration()
{
    QFETCH(bool, openAi);
    QFETCH(int, signalNumber);
    QFETCH(QByteArray, path);
    QFETCH(int, headStart);
    writeConfig(openAi, m_source->path());
    documentOnce();
    if (QTest::currentTestFailed()) {
        return;
    }
    const QString headBefore = GitTestRepo(m_devlogPath).headId();
    const qsizetype generationsBefore = m_server->requestsTo(path).size();

    // The first word arrives, then the stream stalls for a minute; no time limit ends it
    // meanwhile.
    m_server->setOpenAiFaults(true);
    m_server->setFault(Fault::SlowStream);
    m_server->setStreamDelayMs(60000);
    m_server->setStreamHeadStart(headStart);
    writeConfig(openAi, m_source->path(), 120, 300);
    QSignalSpy closed(m_server.get(), &FakeOllamaServer::clientClosed);

    QProcess process;
    process.setProgram(QStringLiteral(CODEWORM_BINARY));
    process.setArguments({QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                          QStringLiteral("run-once")});
    process.setStandardInputFile(QProcess::nullDevice());
    QString err;
    connect(&process, &QProcess::readyReadStandardError, this,
            [&] { err += QString::fromUtf8(process.readAllStandardError()); });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_server->requestsTo(path).size() == generationsBefore + 1, 30000);
    // The first piece reached the client: the generation is streaming.
    QTRY_VERIFY2_WITH_TIMEOUT(err.contains(QStringLiteral("generating: 1 tokens")), qPrintable(err),
                              30000);
    QVERIFY(closed.isEmpty());

    ::kill(pid_t(process.processId()), signalNumber);
    // The request is aborted and the process ends long before the stream would go on.
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    QCOMPARE(closed.first().first().toByteArray(), path);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    err += QString::fromUtf8(process.readAllStandardError());
    for (const QString &marker : sanitizerMarkers) {
        QVERIFY2(!err.contains(marker), qPrintable(err));
    }
    // run-once did not do its job: exit code 1, and it says why.
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.contains(QStringLiteral("skipped: cancelled")), qPrintable(err));
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QCOMPARE(m_server->requestsTo(path).size(), generationsBefore + 1);

    GitTestRepo devlog(m_devlogPath);
    QCOMPARE(devlog.headId(), headBefore);
    QVERIFY(!devlog.isDirty());
    const QStringList stray = GitTestRepo(m_devlogPath).strayFiles();
    QVERIFY2(stray.isEmpty(), qPrintable(stray.join(QLatin1Char('\n'))));
    QCOMPARE(documentedRows(), 1);
}

// After running out of memory Ollama works with num_ctx 8192; the prompts that follow in the
// cycle (here the document asked again after a cut answer, and the commit subject) are sized
// for that window, not for the configured 16384.
void TestRunOnceFaults::promptsAfterOutOfMemoryFitTheSmallerContext()
{
    GitTestRepo source(m_env->path(QStringLiteral("src/tables")));
    QByteArray code = "def lookup(kind):\n    if kind < 0:\n        return None\n    table = []\n";
    for (int i = 0; i < 600; ++i) {
        code += QStringLiteral("    table.append('entry %1 of the lookup table')\n")
                    .arg(i, 4, 10, QLatin1Char('0'))
                    .toUtf8();
    }
    code += "    return table[kind]\n";
    source.writeFile(QStringLiteral("tables/lookup.py"), code);
    source.commit(QStringLiteral("Add the lookup table"));
    writeConfig(false, source.path());
    m_server->setFault(Fault::OutOfMemory);
    m_server->cutNextGenerates(1);

    const ProcessResult result = run();
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));

    QList<QJsonObject> prompted; // the generations, without the unload
    for (const FakeOllamaServer::Request &request : m_server->requestsTo("/api/generate")) {
        if (request.json().contains(QStringLiteral("prompt"))) {
            prompted.append(request.json());
        }
    }
    // Out of memory; the same prompt with num_ctx 8192, cut; the document asked again; the
    // commit subject.
    QCOMPARE(prompted.size(), 4);
    auto numCtx = [](const QJsonObject &body) {
        return body.value(QStringLiteral("options"))
            .toObject()
            .value(QStringLiteral("num_ctx"))
            .toInt();
    };
    auto promptOf = [](const QJsonObject &body) {
        return body.value(QStringLiteral("prompt")).toString();
    };
    const QString lastLine = QStringLiteral("entry 0599 of the lookup table");
    QCOMPARE(numCtx(prompted.at(0)), 16384);
    QVERIFY(promptOf(prompted.at(0)).contains(lastLine)); // the whole function fits 16384
    QCOMPARE(numCtx(prompted.at(1)), 8192);

    const QJsonObject again = prompted.at(2);
    QCOMPARE(numCtx(again), 8192);
    QVERIFY(!promptOf(again).contains(lastLine));
    QVERIFY2(promptOf(again).contains(QStringLiteral("more lines not shown")),
             qPrintable(promptOf(again).right(300)));
    // System prompt and prompt (three characters a token, as the prompts count) leave the
    // answer's room (num_predict 4096) in the 8192 tokens.
    const qsizetype promptTokens =
        (again.value(QStringLiteral("system")).toString().size() + promptOf(again).size()) / 3;
    QVERIFY2(promptTokens + 4096 <= 8192, qPrintable(QString::number(promptTokens)));
    QCOMPARE(numCtx(prompted.at(3)), 8192);
    QCOMPARE(documentedRows(), 1);
}

QTEST_GUILESS_MAIN(TestRunOnceFaults)
#include "TestRunOnceFaults.moc"
