#include "FakeOllamaServer.h"
#include "TestEnvironment.h"
#include "llm/OllamaClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace codeworm;
using codeworm::test::FakeOllamaServer;

namespace {

constexpr int waitLimitMs = 20000;

OllamaConfig configFor(quint16 port)
{
    OllamaConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = port;
    config.model = QStringLiteral("tiny:1b");
    config.retries = 3;
    config.retryDelayS = 0.01;
    config.connectTimeoutS = 10;
    config.totalTimeoutS = 60;
    return config;
}

// A port on which nothing listens: taken from a server that is closed again.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost)) {
        qFatal("cannot listen on 127.0.0.1: %s", qPrintable(server.errorString()));
    }
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

GenerationRequest documentRequest()
{
    GenerationRequest request;
    request.system = QStringLiteral("You write API docs.");
    request.prompt = QStringLiteral("Document parse_config for me");
    return request;
}

// What a reply reported; copied in its finished() handler because the reply deletes itself.
struct Outcome
{
    int finishedCount = 0;
    LlmReply::Error error = LlmReply::Error::None;
    QString message;
    GenerationResult result;
    QList<int> progressTokens;
    QList<double> progressRates;

    void watch(LlmReply *reply)
    {
        QObject::connect(reply, &LlmReply::finished, reply, [this, reply] {
            ++finishedCount;
            error = reply->error();
            message = reply->errorString();
            result = reply->result();
        });
        QObject::connect(reply, &LlmReply::progress, reply, [this](int tokens, double rate) {
            progressTokens.append(tokens);
            progressRates.append(rate);
        });
    }
};

QByteArray ndjsonResponse(const QList<QByteArray> &lines)
{
    QByteArray body;
    for (const QByteArray &line : lines) {
        body += line + '\n';
    }
    return "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

class TestOllamaClient : public QObject
{
    Q_OBJECT

private slots:
    void keepAliveValue_data();
    void keepAliveValue();
    void generateBodyHasTheWireFields();
    void generateBodyHonoursRequestOverrides();
    void baseUrl_data();
    void baseUrl();
    void describeAndSetupHintNameUrlAndModel();
    void healthOk();
    void healthUnreachable();
    void streamingGenerateAssemblesTheAnswer();
    void thinkingPiecesAreDropped();
    void singleObjectAnswerIsAccepted();
    void serverErrorIsRetriedThenReported();
    void failedTriesThenSuccess();
    void unreachableIsRetriedThenReported();
    void missingModelIsNotRetried();
    void clientErrorIsNotRetried();
    void errorInTheMiddleOfTheStream();
    void streamEndingWithoutDoneIsBadResponse();
    void lineThatIsNotJsonIsBadResponse();
    void hangingServerTimesOut();
    void cancelAllCancelsRequestsInFlight();
    void cancelAllCancelsPendingRetries();
};

void TestOllamaClient::keepAliveValue_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("minus one") << QStringLiteral("-1") << QJsonValue(-1);
    QTest::newRow("seconds") << QStringLiteral("300") << QJsonValue(300);
    QTest::newRow("seconds with spaces") << QStringLiteral(" 300 ") << QJsonValue(300);
    QTest::newRow("decimal") << QStringLiteral("1.5") << QJsonValue(1.5);
    QTest::newRow("zero") << QStringLiteral("0") << QJsonValue(0);
    QTest::newRow("minutes") << QStringLiteral("10m") << QJsonValue(QStringLiteral("10m"));
    QTest::newRow("negative duration")
        << QStringLiteral("-1m") << QJsonValue(QStringLiteral("-1m"));
    QTest::newRow("hours") << QStringLiteral("24h") << QJsonValue(QStringLiteral("24h"));
    QTest::newRow("empty") << QString() << QJsonValue(QJsonValue::Undefined);
}

void TestOllamaClient::keepAliveValue()
{
    QFETCH(QString, configured);
    QFETCH(QJsonValue, expected);
    const QJsonValue value = OllamaClient::keepAliveValue(configured);
    QCOMPARE(value.type(), expected.type());
    QCOMPARE(value, expected);
}

void TestOllamaClient::generateBodyHasTheWireFields()
{
    OllamaConfig config;
    config.model = QStringLiteral("qwen2.5:7b");
    config.temperature = 0.3;
    config.numCtx = 16384;
    config.numPredict = 4096;
    config.keepAlive = QStringLiteral("-1");

    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(OllamaClient::generateBody(config, documentRequest()), &parseError);
    QVERIFY2(document.isObject(), qPrintable(parseError.errorString()));
    const QJsonObject body = document.object();
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("qwen2.5:7b"));
    QCOMPARE(body.value(QLatin1String("system")).toString(), QStringLiteral("You write API docs."));
    QCOMPARE(body.value(QLatin1String("prompt")).toString(),
             QStringLiteral("Document parse_config for me"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
    QVERIFY(body.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(body.value(QLatin1String("keep_alive")).toInt(), -1);
    const QJsonObject options = body.value(QLatin1String("options")).toObject();
    QCOMPARE(options.value(QLatin1String("temperature")).toDouble(), 0.3);
    QCOMPARE(options.value(QLatin1String("num_ctx")).toInt(), 16384);
    QCOMPARE(options.value(QLatin1String("num_predict")).toInt(), 4096);
    QCOMPARE(options.size(), 3);

    config.keepAlive = QStringLiteral("10m");
    QCOMPARE(QJsonDocument::fromJson(OllamaClient::generateBody(config, documentRequest()))
                 .object()
                 .value(QLatin1String("keep_alive")),
             QJsonValue(QStringLiteral("10m")));
    config.keepAlive.clear();
    QVERIFY(!QJsonDocument::fromJson(OllamaClient::generateBody(config, documentRequest()))
                 .object()
                 .contains(QLatin1String("keep_alive")));
}

void TestOllamaClient::generateBodyHonoursRequestOverrides()
{
    OllamaConfig config;
    GenerationRequest request;
    request.prompt = QStringLiteral("Summarise");
    request.temperature = 0.9;
    request.numPredict = 256;
    const QJsonObject body =
        QJsonDocument::fromJson(OllamaClient::generateBody(config, request)).object();
    QVERIFY2(!body.contains(QLatin1String("system")), "an empty system prompt is left out");
    const QJsonObject options = body.value(QLatin1String("options")).toObject();
    QCOMPARE(options.value(QLatin1String("temperature")).toDouble(), 0.9);
    QCOMPARE(options.value(QLatin1String("num_predict")).toInt(), 256);
    QCOMPARE(options.value(QLatin1String("num_ctx")).toInt(), config.numCtx);
}

void TestOllamaClient::baseUrl_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << QStringLiteral("localhost") << 11434
                             << QStringLiteral("http://localhost:11434");
    QTest::newRow("address") << QStringLiteral("192.168.1.20") << 8080
                             << QStringLiteral("http://192.168.1.20:8080");
    QTest::newRow("scheme without port")
        << QStringLiteral("http://box") << 11434 << QStringLiteral("http://box:11434");
    QTest::newRow("scheme with port")
        << QStringLiteral("https://box:8443") << 11434 << QStringLiteral("https://box:8443");
    QTest::newRow("path") << QStringLiteral("https://box/ollama/") << 443
                          << QStringLiteral("https://box:443/ollama");
    QTest::newRow("bind-all") << QStringLiteral("0.0.0.0") << 11434
                              << QStringLiteral("http://127.0.0.1:11434");
    QTest::newRow("ipv6") << QStringLiteral("::1") << 11434 << QStringLiteral("http://[::1]:11434");
}

void TestOllamaClient::baseUrl()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, expected);
    OllamaConfig config;
    config.host = host;
    config.port = port;
    QNetworkAccessManager network;
    const OllamaClient client(config, &network);
    QCOMPARE(client.baseUrl(), expected);
}

void TestOllamaClient::describeAndSetupHintNameUrlAndModel()
{
    OllamaConfig config;
    config.model = QStringLiteral("qwen2.5:7b");
    QNetworkAccessManager network;
    const OllamaClient client(config, &network);
    QCOMPARE(client.describe(),
             QStringLiteral("Ollama at http://localhost:11434, model qwen2.5:7b"));
    const QString hint = client.setupHint();
    QVERIFY2(hint.contains(QLatin1String("ollama pull qwen2.5:7b")), qPrintable(hint));
    QVERIFY2(hint.contains(QLatin1String("http://localhost:11434")), qPrintable(hint));
    QVERIFY2(hint.contains(QLatin1String("ollama serve")), qPrintable(hint));
    QVERIFY(!hint.contains(QLatin1Char('\n')));
}

void TestOllamaClient::healthOk()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.checkHealth();
    outcome.watch(reply);
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::None);
    QCOMPARE(outcome.result.text, QStringLiteral("Ollama is running"));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().method, QByteArrayLiteral("GET"));
    QCOMPARE(server.requests().first().path, QByteArrayLiteral("/"));
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOllamaClient::healthUnreachable()
{
    test::TestEnvironment env;
    const quint16 port = closedPort();
    QNetworkAccessManager network;
    OllamaClient client(configFor(port), &network);

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QStringLiteral("http://127.0.0.1:%1").arg(port)),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(outcome.message));
}

void TestOllamaClient::streamingGenerateAssemblesTheAnswer()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    const QString answer = QStringLiteral("## parse_config\n\nReads the file, checks each key.");
    server.setReplyText(answer);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    outcome.watch(reply);
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, answer);
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("stop"));
    // The fake streams one piece per word and counts the words of system + prompt.
    QCOMPARE(outcome.result.outputTokens, 8);
    QCOMPARE(outcome.result.promptTokens, 4 + 4);
    QCOMPARE(outcome.result.totalDurationMs, qint64(1500));
    QCOMPARE(outcome.progressTokens, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8}));
    for (const double rate : outcome.progressRates) {
        QVERIFY(rate >= 0);
    }

    QCOMPARE(server.generateCount(), 1);
    const FakeOllamaServer::Request request = server.requestsTo("/api/generate").first();
    QCOMPARE(request.method, QByteArrayLiteral("POST"));
    bool jsonContentType = false;
    for (const auto &[name, value] : request.headers) {
        if (name.compare("Content-Type", Qt::CaseInsensitive) == 0) {
            jsonContentType = value.startsWith("application/json");
        }
    }
    QVERIFY(jsonContentType);
    const QJsonObject body = request.json();
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("tiny:1b"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
    QVERIFY(body.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(body.value(QLatin1String("keep_alive")).toInt(), -1);
    const QJsonObject options = body.value(QLatin1String("options")).toObject();
    QCOMPARE(options.value(QLatin1String("num_ctx")).toInt(), 16384);
    QCOMPARE(options.value(QLatin1String("num_predict")).toInt(), 4096);
    QCOMPARE(options.value(QLatin1String("temperature")).toDouble(), 0.3);
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOllamaClient::thinkingPiecesAreDropped()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setRawGenerateResponse(ndjsonResponse({
        R"({"model":"tiny:1b","response":"","thinking":"Let me think","done":false})",
        R"({"model":"tiny:1b","response":"","thinking":" about it.","done":false})",
        R"({"model":"tiny:1b","response":"Short","done":false})",
        R"({"model":"tiny:1b","response":" answer.","done":false})",
        R"({"model":"tiny:1b","response":"","done":true,"done_reason":"length","eval_count":4})",
    }));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Short answer."));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("length"));
    QCOMPARE(outcome.result.outputTokens, 4);
    QCOMPARE(outcome.result.promptTokens, 0);
    QCOMPARE(outcome.progressTokens, (QList<int>{1, 2}));
}

void TestOllamaClient::singleObjectAnswerIsAccepted()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    // An empty prompt only loads the model; Ollama answers with one application/json object.
    Outcome outcome;
    outcome.watch(client.generate(GenerationRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("load"));
    QCOMPARE(outcome.result.text, QString());

    server.setRawGenerateResponse(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nConnection: "
        "close\r\n\r\n{\n  \"model\": \"tiny:1b\",\n  \"response\": \"Whole answer.\",\n  "
        "\"done\": true,\n  \"done_reason\": \"stop\",\n  \"eval_count\": 3\n}\n");
    Outcome whole;
    whole.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(whole.finishedCount, 1, waitLimitMs);
    QVERIFY2(whole.error == LlmReply::Error::None, qPrintable(whole.message));
    QCOMPARE(whole.result.text, QStringLiteral("Whole answer."));
    QCOMPARE(whole.result.outputTokens, 3);
}

void TestOllamaClient::serverErrorIsRetriedThenReported()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(500, QStringLiteral("llama-server process has terminated: exit status 2"));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QCOMPARE(server.generateCount(), 3);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 500")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(
                 QLatin1String("llama-server process has terminated: exit status 2")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(server.baseUrl()), qPrintable(outcome.message));
}

void TestOllamaClient::failedTriesThenSuccess()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setError(503, QStringLiteral("server busy, please try again."));
    server.failNextGenerates(2);
    server.setReplyText(QStringLiteral("Third time lucky."));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Third time lucky."));
    QCOMPARE(server.generateCount(), 3);
    // Progress restarts with each try.
    QCOMPARE(outcome.progressTokens, (QList<int>{1, 2, 3}));
}

void TestOllamaClient::unreachableIsRetriedThenReported()
{
    test::TestEnvironment env;
    const quint16 port = closedPort();
    QNetworkAccessManager network;
    OllamaClient client(configFor(port), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(
                 QStringLiteral("cannot reach Ollama at http://127.0.0.1:%1").arg(port)),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
}

void TestOllamaClient::missingModelIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(404, QStringLiteral("model 'tiny:1b' not found"));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QCOMPARE(server.generateCount(), 1);
    QVERIFY2(outcome.message.contains(QLatin1String("ollama pull tiny:1b")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("model 'tiny:1b' not found")),
             qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(QLatin1String("tries")), qPrintable(outcome.message));
}

void TestOllamaClient::clientErrorIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(400, QStringLiteral("\"tiny:1b\" does not support thinking"));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QCOMPARE(server.generateCount(), 1);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 400")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("does not support thinking")),
             qPrintable(outcome.message));
}

void TestOllamaClient::errorInTheMiddleOfTheStream()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::ErrorMidStream);
    server.setError(500, QStringLiteral("an error was encountered while running the model: OOM"));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(
                 QLatin1String("an error was encountered while running the model: OOM")),
             qPrintable(outcome.message));
    QVERIFY(!outcome.progressTokens.isEmpty());
    QCOMPARE(server.generateCount(), 1);
}

void TestOllamaClient::streamEndingWithoutDoneIsBadResponse()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setRawGenerateResponse(ndjsonResponse({
        R"({"model":"tiny:1b","response":"Half","done":false})",
        R"({"model":"tiny:1b","response":" an answer","done":false})",
    }));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QVERIFY2(outcome.message.contains(QLatin1String("stream ended before the answer was complete")),
             qPrintable(outcome.message));
}

void TestOllamaClient::lineThatIsNotJsonIsBadResponse()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setRawGenerateResponse(ndjsonResponse({
        R"({"model":"tiny:1b","response":"Fine","done":false})",
        "<html>proxy error</html>",
    }));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QVERIFY2(outcome.message.contains(QLatin1String("<html>proxy error</html>")),
             qPrintable(outcome.message));
}

void TestOllamaClient::hangingServerTimesOut()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::Hang);
    OllamaConfig config = configFor(server.port());
    config.retries = 1;
    // Shorter than the total limit: waiting for the first byte (Ollama loading the model)
    // must not count as a connect time-out.
    config.connectTimeoutS = 0.5;
    config.totalTimeoutS = 1.5;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("did not finish the answer within 1.5 s")),
             qPrintable(outcome.message));
    QCOMPARE(server.generateCount(), 1);
}

void TestOllamaClient::cancelAllCancelsRequestsInFlight()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::Hang);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome first;
    Outcome second;
    QPointer<LlmReply> firstReply = client.generate(documentRequest());
    first.watch(firstReply);
    second.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(server.generateCount(), 2, waitLimitMs);
    client.cancelAll();
    QCOMPARE(first.finishedCount, 1);
    QCOMPARE(first.error, LlmReply::Error::Cancelled);
    QCOMPARE(second.finishedCount, 1);
    QCOMPARE(second.error, LlmReply::Error::Cancelled);
    QVERIFY2(first.message.contains(server.baseUrl()), qPrintable(first.message));
    QTRY_VERIFY_WITH_TIMEOUT(firstReply.isNull(), waitLimitMs);
    QCOMPARE(first.finishedCount, 1);
}

void TestOllamaClient::cancelAllCancelsPendingRetries()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::HttpError);
    OllamaConfig config = configFor(server.port());
    config.retryDelayS = 600;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    outcome.watch(reply);
    QTRY_COMPARE_WITH_TIMEOUT(server.generateCount(), 1, waitLimitMs);
    client.cancelAll();
    QCOMPARE(outcome.finishedCount, 1);
    QCOMPARE(outcome.error, LlmReply::Error::Cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
    QCOMPARE(server.generateCount(), 1);
}

QTEST_GUILESS_MAIN(TestOllamaClient)

#include "TestOllamaClient.moc"
