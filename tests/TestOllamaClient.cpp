#include "FakeOllamaServer.h"
#include "TestEnvironment.h"
#include "config/ConfigLoader.h"
#include "llm/OllamaClient.h"
#include "llm/OllamaReply.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

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
    config.retryMaxDelayS = 0.05;
    config.connectTimeoutS = 10;
    config.firstTokenTimeoutS = 30;
    config.idleTimeoutS = 30;
    config.totalTimeoutS = 60;
    return config;
}

// A listener whose accept queue is full: the kernel drops further SYNs, so a connection
// attempt neither succeeds nor fails until the client gives up.
class Blackhole
{
public:
    Blackhole()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
            ::listen(m_fd, 0) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
            qFatal("cannot set up a listener on 127.0.0.1");
        }
        m_port = ntohs(address.sin_port);
        // Fill the queue until a connection attempt hangs.
        for (int i = 0; i < 16; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QHostAddress::LocalHost, m_port);
            const bool connected = socket->waitForConnected(500);
            m_fillers.push_back(std::move(socket));
            if (!connected) {
                m_full = true;
                break;
            }
        }
    }
    ~Blackhole()
    {
        m_fillers.clear();
        ::close(m_fd);
    }
    Blackhole(const Blackhole &) = delete;
    Blackhole &operator=(const Blackhole &) = delete;

    quint16 port() const { return m_port; }
    bool isFull() const { return m_full; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    bool m_full = false;
    std::vector<std::unique_ptr<QTcpSocket>> m_fillers;
};

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

    void chatBodyHasSystemAndUserMessages();
    void thinkAndSeedFollowTheConfiguration();
    void withoutThinking_data();
    void withoutThinking();
    void sameModel_data();
    void sameModel();
    void backoffDoublesWithJitterUpToTheCap();
    void chatStreamIsAssembled();
    void thinkingNeverReachesTheText_data();
    void thinkingNeverReachesTheText();
    void healthNamesAMissingModelAndThePullCommand();
    void healthPullsAMissingModelWithProgress();
    void pullOfAnUnknownModelIsNotRetried();
    void healthOfAServerThatIsNotOllama();
    void healthOfAHangingServerTimesOut();
    void prewarmLoadsWithKeepAliveAsANumber();
    void faultRefuseIsRetriedThenUnreachable();
    void faultResetIsRetriedThenUnreachable();
    void faultServerErrorIsRetried();
    void faultFlappingRecoversOnRetry();
    void faultTruncatedStreamIsRetried();
    void faultMalformedJsonIsRetried();
    void faultModelNotFoundIsNotRetried();
    void faultSlowStreamWithinTheLimitsSucceeds();
    void unknownHostIsNotRetried();
    void connectLimit();
    void firstTokenLimit();
    void idleLimit();
    void totalLimitCoversTheRetries();
    void outOfMemoryUnloadsAndRetriesWithASmallerContext_data();
    void outOfMemoryUnloadsAndRetriesWithASmallerContext();
    void outOfMemoryTwiceIsReported();
    void ollamaKeysAreReadFromTheConfiguration();
    void badOllamaKeysAreErrors_data();
    void badOllamaKeysAreErrors();
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
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    // The version the server reported, and the model found in its list.
    QCOMPARE(outcome.result.text, QStringLiteral("0.33.0-fake"));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(server.requests().size(), 3);
    const QList<QByteArray> paths{"/", "/api/version", "/api/tags"};
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(server.requests().at(i).method, QByteArrayLiteral("GET"));
        QCOMPARE(server.requests().at(i).path, paths.at(i));
    }
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
    // The runner failed after the answer had started: worth another try, like a 5xx.
    QCOMPARE(server.generateCount(), 3);
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
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

void TestOllamaClient::chatBodyHasSystemAndUserMessages()
{
    OllamaConfig config;
    config.model = QStringLiteral("qwen3:8b");
    const QJsonObject body =
        QJsonDocument::fromJson(OllamaClient::chatBody(config, documentRequest())).object();
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("qwen3:8b"));
    QVERIFY(!body.contains(QLatin1String("prompt")));
    QVERIFY(!body.contains(QLatin1String("system")));
    const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("system"));
    QCOMPARE(messages.at(0).toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("You write API docs."));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("user"));
    QCOMPARE(messages.at(1).toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("Document parse_config for me"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
    QCOMPARE(body.value(QLatin1String("keep_alive")), QJsonValue(-1));
    const QJsonObject options = body.value(QLatin1String("options")).toObject();
    QCOMPARE(options.value(QLatin1String("num_ctx")).toInt(), 16384);
    QCOMPARE(options.value(QLatin1String("num_predict")).toInt(), 4096);

    GenerationRequest userOnly;
    userOnly.prompt = QStringLiteral("Hi");
    QCOMPARE(QJsonDocument::fromJson(OllamaClient::chatBody(config, userOnly))
                 .object()
                 .value(QLatin1String("messages"))
                 .toArray()
                 .size(),
             1);
}

void TestOllamaClient::thinkAndSeedFollowTheConfiguration()
{
    OllamaConfig config;
    config.think = true;
    config.seed = 42;
    for (const QByteArray &bytes : {OllamaClient::generateBody(config, documentRequest()),
                                    OllamaClient::chatBody(config, documentRequest())}) {
        const QJsonObject body = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(body.value(QLatin1String("think")), QJsonValue(true));
        QCOMPARE(body.value(QLatin1String("options")).toObject().value(QLatin1String("seed")),
                 QJsonValue(42));
    }
}

void TestOllamaClient::withoutThinking_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("none") << QStringLiteral("  Plain answer.\n")
                          << QStringLiteral("  Plain answer.\n");
    QTest::newRow("block first") << QStringLiteral("<think>\nHmm, let me see.\n</think>\n\nAnswer.")
                                 << QStringLiteral("Answer.");
    QTest::newRow("two blocks") << QStringLiteral("<think>a</think>One <think>b</think>two")
                                << QStringLiteral("One two");
    QTest::newRow("only the end") << QStringLiteral(
                                         "reasoning opened by the template</think>Answer")
                                  << QStringLiteral("Answer");
    QTest::newRow("unclosed") << QStringLiteral("Answer.<think>cut while thinking")
                              << QStringLiteral("Answer.");
}

void TestOllamaClient::withoutThinking()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(OllamaClient::withoutThinking(text), expected);
}

void TestOllamaClient::sameModel_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("listed");
    QTest::addColumn<bool>("same");
    QTest::newRow("exact") << QStringLiteral("qwen2.5:7b") << QStringLiteral("qwen2.5:7b") << true;
    QTest::newRow("no tag is latest")
        << QStringLiteral("llama3.2") << QStringLiteral("llama3.2:latest") << true;
    QTest::newRow("latest listed bare")
        << QStringLiteral("llama3.2:latest") << QStringLiteral("llama3.2") << true;
    QTest::newRow("other tag") << QStringLiteral("qwen2.5") << QStringLiteral("qwen2.5:7b")
                               << false;
    QTest::newRow("prefix") << QStringLiteral("qwen2.5:7b") << QStringLiteral("qwen2.5:7b-instruct")
                            << false;
    QTest::newRow("case") << QStringLiteral("Qwen2.5:7B") << QStringLiteral("qwen2.5:7b") << true;
    QTest::newRow("namespace") << QStringLiteral("me/model") << QStringLiteral("me/model:latest")
                               << true;
    QTest::newRow("registry port") << QStringLiteral("box:5000/me/model")
                                   << QStringLiteral("box:5000/me/model:latest") << true;
    QTest::newRow("empty") << QStringLiteral("qwen2.5:7b") << QString() << false;
}

void TestOllamaClient::sameModel()
{
    QFETCH(QString, configured);
    QFETCH(QString, listed);
    QFETCH(bool, same);
    QCOMPARE(OllamaClient::sameModel(configured, listed), same);
}

void TestOllamaClient::backoffDoublesWithJitterUpToTheCap()
{
    OllamaConfig config;
    config.retryDelayS = 2;
    config.retryMaxDelayS = 30;
    for (int round = 0; round < 50; ++round) {
        const double first = OllamaReply::backoffSeconds(config, 1);
        QVERIFY2(first >= 1 && first <= 2, qPrintable(QString::number(first)));
        const double third = OllamaReply::backoffSeconds(config, 3);
        QVERIFY2(third >= 4 && third <= 8, qPrintable(QString::number(third)));
        const double late = OllamaReply::backoffSeconds(config, 20);
        QVERIFY2(late >= 15 && late <= 30, qPrintable(QString::number(late)));
    }
}

void TestOllamaClient::chatStreamIsAssembled()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setReplyText(QStringLiteral("Chat answer in pieces."));
    OllamaConfig config = configFor(server.port());
    config.api = QStringLiteral("chat");
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Chat answer in pieces."));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("stop"));
    QCOMPARE(outcome.result.outputTokens, 4);
    QCOMPARE(outcome.result.promptTokens, 8);
    QCOMPARE(server.generateCount(), 0);
    const auto chats = server.requestsTo("/api/chat");
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats.first().json().value(QLatin1String("messages")).toArray().size(), 2);
}

void TestOllamaClient::thinkingNeverReachesTheText_data()
{
    QTest::addColumn<QString>("api");
    QTest::newRow("generate") << QStringLiteral("generate");
    QTest::newRow("chat") << QStringLiteral("chat");
}

void TestOllamaClient::thinkingNeverReachesTheText()
{
    QFETCH(QString, api);
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setThinkingText(QStringLiteral("The user wants docs. Secret reasoning."));
    server.setReplyText(QStringLiteral("Reads the configuration."));
    OllamaConfig config = configFor(server.port());
    config.api = api;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Reads the configuration."));
    QVERIFY(!outcome.result.text.contains(QLatin1String("reasoning")));
    const QJsonObject body = server.requests().constLast().json();
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
}

void TestOllamaClient::healthNamesAMissingModelAndThePullCommand()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:2b"), QStringLiteral("other:latest")});
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("model tiny:1b")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("`ollama pull tiny:1b`")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("ollama.auto_pull")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(server.baseUrl()), qPrintable(outcome.message));
    QVERIFY(server.requestsTo("/api/pull").isEmpty());
}

void TestOllamaClient::healthPullsAMissingModelWithProgress()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({});
    OllamaConfig config = configFor(server.port());
    config.autoPull = true;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);
    QStringList statuses;
    qint64 lastCompleted = 0;
    qint64 lastTotal = 0;
    connect(&client, &OllamaClient::pullProgress, this,
            [&](const QString &model, const QString &status, qint64 completed, qint64 total) {
                QCOMPARE(model, QStringLiteral("tiny:1b"));
                statuses << status;
                if (total > 0) {
                    lastCompleted = completed;
                    lastTotal = total;
                }
            });

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    const auto pulls = server.requestsTo("/api/pull");
    QCOMPARE(pulls.size(), 1);
    QCOMPARE(pulls.first().json().value(QLatin1String("model")).toString(),
             QStringLiteral("tiny:1b"));
    QVERIFY2(statuses.size() >= 5, qPrintable(statuses.join(QLatin1Char('|'))));
    QCOMPARE(statuses.first(), QStringLiteral("pulling manifest"));
    QCOMPARE(statuses.last(), QStringLiteral("success"));
    QVERIFY(lastTotal > 0);
    QCOMPARE(lastCompleted, lastTotal);

    // Installed now: the next check finds it without pulling.
    Outcome again;
    again.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(again.finishedCount, 1, waitLimitMs);
    QVERIFY2(again.error == LlmReply::Error::None, qPrintable(again.message));
    QCOMPARE(server.requestsTo("/api/pull").size(), 1);
}

void TestOllamaClient::pullOfAnUnknownModelIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({});
    server.setFault(FakeOllamaServer::Fault::ModelNotFound);
    OllamaConfig config = configFor(server.port());
    config.autoPull = true;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("file does not exist")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("tiny:1b")), qPrintable(outcome.message));
    QCOMPARE(server.requestsTo("/api/pull").size(), 1);
}

void TestOllamaClient::healthOfAServerThatIsNotOllama()
{
    test::TestEnvironment env;
    // Something else on the port: it answers GET /, but knows no /api/version.
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost));
    connect(&other, &QTcpServer::newConnection, this, [&other] {
        while (QTcpSocket *socket = other.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                const bool root = socket->readAll().startsWith("GET / ");
                socket->write(root ? QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: "
                                                       "text/plain\r\nContent-Length: 5\r\n"
                                                       "Connection: close\r\n\r\nhello")
                                   : QByteArrayLiteral("HTTP/1.1 404 Not Found\r\nContent-Type: "
                                                       "text/plain\r\nContent-Length: 9\r\n"
                                                       "Connection: close\r\n\r\nnot here!"));
                socket->disconnectFromHost();
            });
        }
    });
    QNetworkAccessManager network;
    OllamaClient client(configFor(other.serverPort()), &network);

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("GET /api/version with HTTP 404")),
             qPrintable(outcome.message));
}

void TestOllamaClient::healthOfAHangingServerTimesOut()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Hang);
    OllamaConfig config = configFor(server.port());
    config.connectTimeoutS = 0.2;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("did not answer GET / within 0.2 s")),
             qPrintable(outcome.message));
    QCOMPARE(server.requests().size(), 1);
}

void TestOllamaClient::prewarmLoadsWithKeepAliveAsANumber()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    OllamaConfig config = configFor(server.port());
    config.keepAlive = QStringLiteral("300");
    config.numCtx = 8192;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.prewarm());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("load"));
    QCOMPARE(server.generateCount(), 1);
    const QJsonObject body = server.requestsTo("/api/generate").first().json();
    QVERIFY(!body.contains(QLatin1String("prompt")));
    QVERIFY(body.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(body.value(QLatin1String("keep_alive")).toInt(), 300);
    QCOMPARE(
        body.value(QLatin1String("options")).toObject().value(QLatin1String("num_ctx")).toInt(),
        8192);
}

void TestOllamaClient::faultRefuseIsRetriedThenUnreachable()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Refuse);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));

    // Back again: the same port answers.
    server.setFault(FakeOllamaServer::Fault::None);
    Outcome back;
    back.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(back.finishedCount, 1, waitLimitMs);
    QVERIFY2(back.error == LlmReply::Error::None, qPrintable(back.message));
}

void TestOllamaClient::faultResetIsRetriedThenUnreachable()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Reset);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
}

void TestOllamaClient::faultServerErrorIsRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::ServerError);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 500")), qPrintable(outcome.message));
    QCOMPARE(server.generateCount(), 3);
}

void TestOllamaClient::faultFlappingRecoversOnRetry()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Flapping);
    server.setReplyText(QStringLiteral("Made it."));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    for (int round = 0; round < 3; ++round) {
        Outcome outcome;
        outcome.watch(client.generate(documentRequest()));
        QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
        QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
        QCOMPARE(outcome.result.text, QStringLiteral("Made it."));
    }
}

void TestOllamaClient::faultTruncatedStreamIsRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::TruncatedStream);
    server.setReplyText(QStringLiteral("one two three four five six"));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QCOMPARE(server.generateCount(), 3);
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
    QVERIFY(outcome.result.text.isEmpty());

    // Whole again: the next answer is complete.
    server.setFault(FakeOllamaServer::Fault::None);
    Outcome whole;
    whole.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(whole.finishedCount, 1, waitLimitMs);
    QCOMPARE(whole.result.text, QStringLiteral("one two three four five six"));
}

void TestOllamaClient::faultMalformedJsonIsRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::MalformedJson);
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QVERIFY2(outcome.message.contains(QLatin1String("not a JSON object")),
             qPrintable(outcome.message));
    QCOMPARE(server.generateCount(), 3);
}

void TestOllamaClient::faultModelNotFoundIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::ModelNotFound);
    OllamaConfig config = configFor(server.port());
    config.api = QStringLiteral("chat");
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("ollama pull tiny:1b")),
             qPrintable(outcome.message));
    QCOMPARE(server.requestsTo("/api/chat").size(), 1);
}

void TestOllamaClient::faultSlowStreamWithinTheLimitsSucceeds()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::SlowStream);
    server.setStreamDelayMs(30);
    server.setReplyText(QStringLiteral("Slow but sure."));
    QNetworkAccessManager network;
    OllamaClient client(configFor(server.port()), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Slow but sure."));
    QCOMPARE(outcome.progressTokens, (QList<int>{1, 2, 3}));
}

void TestOllamaClient::unknownHostIsNotRetried()
{
    test::TestEnvironment env;
    OllamaConfig config = configFor(11434);
    // .invalid never resolves (RFC 6761).
    config.host = QStringLiteral("no-such-host.invalid");
    config.connectTimeoutS = 60;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, 3 * waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("check ollama.host")),
             qPrintable(outcome.message));
    QVERIFY2(!outcome.message.contains(QLatin1String("tries")), qPrintable(outcome.message));
}

void TestOllamaClient::connectLimit()
{
    test::TestEnvironment env;
    const Blackhole blackhole;
    QVERIFY2(blackhole.isFull(), "the accept queue did not fill up");
    OllamaConfig config = configFor(blackhole.port());
    config.connectTimeoutS = 0.2;
    config.retries = 2;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("cannot connect")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("0.2 s (ollama.timeouts.connect_s)")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 2 tries")), qPrintable(outcome.message));
}

void TestOllamaClient::firstTokenLimit()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Hang);
    OllamaConfig config = configFor(server.port());
    config.firstTokenTimeoutS = 0.2;
    config.retries = 2;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("ollama.timeouts.first_token_s")),
             qPrintable(outcome.message));
    QCOMPARE(server.generateCount(), 2);
}

void TestOllamaClient::idleLimit()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::SlowStream);
    server.setStreamDelayMs(1500);
    OllamaConfig config = configFor(server.port());
    config.idleTimeoutS = 0.2;
    config.retries = 1;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("sent nothing for 0.2 s")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("ollama.timeouts.idle_s")),
             qPrintable(outcome.message));
}

void TestOllamaClient::totalLimitCoversTheRetries()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::ServerError);
    OllamaConfig config = configFor(server.port());
    config.retries = 100;
    config.retryDelayS = 0.1;
    config.retryMaxDelayS = 0.1;
    config.totalTimeoutS = 0.5;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("within 0.5 s (ollama.timeouts.total_s)")),
             qPrintable(outcome.message));
    QVERIFY(server.generateCount() < 100);
}

void TestOllamaClient::outOfMemoryUnloadsAndRetriesWithASmallerContext_data()
{
    QTest::addColumn<QString>("api");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("generate") << QStringLiteral("generate") << QByteArray("/api/generate");
    QTest::newRow("chat") << QStringLiteral("chat") << QByteArray("/api/chat");
}

void TestOllamaClient::outOfMemoryUnloadsAndRetriesWithASmallerContext()
{
    QFETCH(QString, api);
    QFETCH(QByteArray, path);
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::OutOfMemory);
    server.setReplyText(QStringLiteral("Fits now."));
    OllamaConfig config = configFor(server.port());
    config.api = api;
    config.retries = 1; // the recovery is not one of the tries
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Fits now."));

    // The request, the unload (keep_alive 0, no prompt), the request with num_ctx <= 8192.
    const QList<FakeOllamaServer::Request> requests = server.requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).path, path);
    QCOMPARE(requests.at(0)
                 .json()
                 .value(QLatin1String("options"))
                 .toObject()
                 .value(QLatin1String("num_ctx")),
             QJsonValue(16384));
    QCOMPARE(requests.at(1).path, QByteArrayLiteral("/api/generate"));
    const QJsonObject unload = requests.at(1).json();
    QCOMPARE(unload.value(QLatin1String("model")).toString(), QStringLiteral("tiny:1b"));
    QVERIFY(unload.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(unload.value(QLatin1String("keep_alive")).toInt(), 0);
    QVERIFY(!unload.contains(QLatin1String("prompt")));
    QCOMPARE(requests.at(2).path, path);
    const int retriedContext = requests.at(2)
                                   .json()
                                   .value(QLatin1String("options"))
                                   .toObject()
                                   .value(QLatin1String("num_ctx"))
                                   .toInt();
    QVERIFY(retriedContext > 0 && retriedContext <= 8192);
    // Later requests keep the context that fits.
    QCOMPARE(client.contextWindow(), 8192);
}

void TestOllamaClient::outOfMemoryTwiceIsReported()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setMode(FakeOllamaServer::Mode::ErrorMidStream);
    server.setError(500, QStringLiteral("an error was encountered while running the model: "
                                        "CUDA error: out of memory"));
    OllamaConfig config = configFor(server.port());
    config.retries = 1;
    QNetworkAccessManager network;
    OllamaClient client(config, &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("out of memory")), qPrintable(outcome.message));
    // One recovery (unload, smaller context), then the error is reported.
    const auto generates = server.requestsTo("/api/generate");
    QCOMPARE(generates.size(), 3);
    QCOMPARE(generates.at(1).json().value(QLatin1String("keep_alive")), QJsonValue(0));
    QCOMPARE(generates.at(2)
                 .json()
                 .value(QLatin1String("options"))
                 .toObject()
                 .value(QLatin1String("num_ctx")),
             QJsonValue(8192));
}

void TestOllamaClient::ollamaKeysAreReadFromTheConfiguration()
{
    const auto defaults = ConfigLoader::loadFromStrings(QString(), QString(), QString());
    QVERIFY2(defaults, qPrintable(defaults.error()));
    const OllamaConfig &d = defaults->config.ollama;
    QCOMPARE(d.api, QStringLiteral("generate"));
    QCOMPARE(d.think, false);
    QCOMPARE(d.autoPull, false);
    QVERIFY(!d.seed);
    QCOMPARE(d.connectTimeoutS, 10.0);
    QCOMPARE(d.firstTokenTimeoutS, 300.0);
    QCOMPARE(d.idleTimeoutS, 60.0);
    QCOMPARE(d.totalTimeoutS, 600.0);

    const auto loaded = ConfigLoader::loadFromStrings(QStringLiteral("ollama:\n"
                                                                     "  api: chat\n"
                                                                     "  think: true\n"
                                                                     "  auto_pull: yes\n"
                                                                     "  seed: 7\n"
                                                                     "  retry_max_delay_s: 12\n"
                                                                     "  timeouts:\n"
                                                                     "    connect_s: 3\n"
                                                                     "    first_token_s: 120\n"
                                                                     "    idle_s: 20.5\n"
                                                                     "    total_s: 900\n"),
                                                      QString(), QString());
    QVERIFY2(loaded, qPrintable(loaded.error()));
    QVERIFY2(loaded->warnings.isEmpty(), qPrintable(loaded->warnings.join(QLatin1Char('\n'))));
    const OllamaConfig &o = loaded->config.ollama;
    QCOMPARE(o.api, QStringLiteral("chat"));
    QCOMPARE(o.think, true);
    QCOMPARE(o.autoPull, true);
    QCOMPARE(o.seed, std::optional<int>(7));
    QCOMPARE(o.retryMaxDelayS, 12.0);
    QCOMPARE(o.connectTimeoutS, 3.0);
    QCOMPARE(o.firstTokenTimeoutS, 120.0);
    QCOMPARE(o.idleTimeoutS, 20.5);
    QCOMPARE(o.totalTimeoutS, 900.0);
}

void TestOllamaClient::badOllamaKeysAreErrors_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("api") << QStringLiteral("ollama:\n  api: completions\n")
                         << QStringLiteral("key 'ollama.api': expected chat or generate");
    QTest::newRow("timeout") << QStringLiteral("ollama:\n  timeouts:\n    idle_s: 0\n")
                             << QStringLiteral("key 'ollama.timeouts.idle_s'");
    QTest::newRow("think") << QStringLiteral("ollama:\n  think: maybe\n")
                           << QStringLiteral("key 'ollama.think'");
}

void TestOllamaClient::badOllamaKeysAreErrors()
{
    QFETCH(QString, yaml);
    QFETCH(QString, error);
    const auto loaded = ConfigLoader::loadFromStrings(yaml, QString(), QString());
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(error), qPrintable(loaded.error()));
}

QTEST_GUILESS_MAIN(TestOllamaClient)

#include "TestOllamaClient.moc"
