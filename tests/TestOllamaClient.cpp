#include "LlmTestHelpers.h"
#include "config/ConfigLoader.h"
#include "llm/OllamaClient.h"
#include "llm/OllamaReply.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <vector>

using namespace codeworm;
using namespace codeworm::test;

namespace {

// What a data row does to the fake server and the client's configuration before the request.
using Setup = std::function<void(FakeOllamaServer &, OllamaConfig &)>;

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

// The route the configured api sends generation requests to.
QByteArray generationPath(const OllamaConfig &config)
{
    return config.api == QLatin1String("chat") ? QByteArrayLiteral("/api/chat")
                                               : QByteArrayLiteral("/api/generate");
}

// A server that answers every generation request with the given status and message.
Setup httpError(FakeOllamaServer::Mode mode, int status, const QString &message)
{
    return [=](FakeOllamaServer &server, OllamaConfig &) {
        server.setMode(mode);
        server.setError(status, message);
    };
}

Setup fault(FakeOllamaServer::Fault fault)
{
    return [=](FakeOllamaServer &server, OllamaConfig &) { server.setFault(fault); };
}

// A started fake server and a client for it, configured by configFor() and then the setup;
// nullptr when the server does not start.
std::unique_ptr<OllamaClient> startClient(ServerRig &rig, OllamaConfig &config, const Setup &setup)
{
    if (!rig.server.start()) {
        return nullptr;
    }
    config = configFor(rig.server.port());
    setup(rig.server, config);
    return std::make_unique<OllamaClient>(config, &rig.network);
}

// What a successful generation answers, "rounds" times in a row; -1 and empty: not checked.
struct Success
{
    Setup setup{};
    int rounds = 1;
    ExpectedAnswer answer{};
    int tries = -1; // generation requests, all rounds together
    QList<int> progress{};
};

// How a health check (health) or a generation fails; -1 and empty: not checked.
struct Failure
{
    bool health = false;
    Setup setup{};
    LlmReply::Error error = LlmReply::Error::None;
    QStringList says{};      // the message contains each ("{url}": the client's base URL)
    bool refused = false;    // it says "refused", in any case
    QStringList lacks{};     // it contains none of these
    int tries = -1;          // generation requests
    int pulls = -1;          // /api/pull requests
    int requests = -1;       // requests of any kind
    bool progressed = false; // progress was reported
    bool noText = false;     // the result has no text
    int withinMs = 0;        // the reply finished sooner than this; 0: not checked
    int waitMs = waitLimitMs;
    QString recovers{}; // the fault cleared, the next generation answers this text
};

Setup rawResponse(const QList<QByteArray> &lines)
{
    return [=](FakeOllamaServer &server, OllamaConfig &) {
        server.setRawGenerateResponse(ndjsonResponse(lines));
    };
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

} // namespace

Q_DECLARE_METATYPE(Success)
Q_DECLARE_METATYPE(Failure)

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
    void streamingGenerateAssemblesTheAnswer();
    void singleObjectAnswerIsAccepted();
    void generateSucceeds_data();
    void generateSucceeds();
    void requestFails_data();
    void requestFails();
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
    void healthPullsAMissingModelWithProgress();
    void healthOfAServerThatIsNotOllama();
    void prewarmLoadsWithKeepAliveAsANumber();
    void connectLimit();
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
    QCOMPARE(optionOf(body, QStringLiteral("temperature")).toDouble(), 0.3);
    QCOMPARE(optionOf(body, QStringLiteral("num_ctx")).toInt(), 16384);
    QCOMPARE(optionOf(body, QStringLiteral("num_predict")).toInt(), 4096);
    QCOMPARE(body.value(QLatin1String("options")).toObject().size(), 3);

    config.keepAlive = QStringLiteral("10m");
    QCOMPARE(jsonObject(OllamaClient::generateBody(config, documentRequest()))
                 .value(QLatin1String("keep_alive")),
             QJsonValue(QStringLiteral("10m")));
    config.keepAlive.clear();
    QVERIFY(!jsonObject(OllamaClient::generateBody(config, documentRequest()))
                 .contains(QLatin1String("keep_alive")));
}

void TestOllamaClient::generateBodyHonoursRequestOverrides()
{
    OllamaConfig config;
    GenerationRequest request;
    request.prompt = QStringLiteral("Summarise");
    request.temperature = 0.9;
    request.numPredict = 256;
    const QJsonObject body = jsonObject(OllamaClient::generateBody(config, request));
    QVERIFY2(!body.contains(QLatin1String("system")), "an empty system prompt is left out");
    QCOMPARE(optionOf(body, QStringLiteral("temperature")).toDouble(), 0.9);
    QCOMPARE(optionOf(body, QStringLiteral("num_predict")).toInt(), 256);
    QCOMPARE(optionOf(body, QStringLiteral("num_ctx")).toInt(), config.numCtx);
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    OllamaClient client(configFor(rig.server.port()), &rig.network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.checkHealth();
    QVERIFY(outcome.run(reply));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    // The version the server reported, and the model found in its list.
    QCOMPARE(outcome.result.text, QStringLiteral("0.33.0-fake"));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(rig.server.requests().size(), 3);
    const QList<QByteArray> paths{"/", "/api/version", "/api/tags"};
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(rig.server.requests().at(i).method, QByteArrayLiteral("GET"));
        QCOMPARE(rig.server.requests().at(i).path, paths.at(i));
    }
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOllamaClient::streamingGenerateAssemblesTheAnswer()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    const QString answer = QStringLiteral("## parse_config\n\nReads the file, checks each key.");
    rig.server.setReplyText(answer);
    OllamaClient client(configFor(rig.server.port()), &rig.network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    QVERIFY(outcome.run(reply));
    // The fake streams one piece per word and counts the words of system + prompt.
    checkAnswer(outcome, {.text = answer,
                          .doneReason = QStringLiteral("stop"),
                          .promptTokens = 4 + 4,
                          .outputTokens = 8});
    if (QTest::currentTestFailed()) {
        return;
    }
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(outcome.result.totalDurationMs, qint64(1500));
    QCOMPARE(outcome.progressTokens, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8}));
    for (const double rate : outcome.progressRates) {
        QVERIFY(rate >= 0);
    }

    QCOMPARE(rig.server.generateCount(), 1);
    const FakeOllamaServer::Request request = rig.server.requestsTo("/api/generate").first();
    QCOMPARE(request.method, QByteArrayLiteral("POST"));
    QVERIFY(headerOf(request, "Content-Type").startsWith("application/json"));
    const QJsonObject body = request.json();
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("tiny:1b"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
    QVERIFY(body.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(body.value(QLatin1String("keep_alive")).toInt(), -1);
    QCOMPARE(optionOf(body, QStringLiteral("num_ctx")).toInt(), 16384);
    QCOMPARE(optionOf(body, QStringLiteral("num_predict")).toInt(), 4096);
    QCOMPARE(optionOf(body, QStringLiteral("temperature")).toDouble(), 0.3);
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOllamaClient::singleObjectAnswerIsAccepted()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    OllamaClient client(configFor(rig.server.port()), &rig.network);

    // An empty prompt only loads the model; Ollama answers with one application/json object.
    Outcome outcome;
    QVERIFY(outcome.run(client.generate(GenerationRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("load"));
    QCOMPARE(outcome.result.text, QString());

    rig.server.setRawGenerateResponse(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nConnection: "
        "close\r\n\r\n{\n  \"model\": \"tiny:1b\",\n  \"response\": \"Whole answer.\",\n  "
        "\"done\": true,\n  \"done_reason\": \"stop\",\n  \"eval_count\": 3\n}\n");
    Outcome whole;
    QVERIFY(whole.run(client.generate(documentRequest())));
    QVERIFY2(whole.succeeded(), qPrintable(whole.message));
    QCOMPARE(whole.result.text, QStringLiteral("Whole answer."));
    QCOMPARE(whole.result.outputTokens, 3);
}

// A generation that succeeds, "rounds" times in a row. What a row leaves out is not checked;
// "tries" counts the generation requests.
void TestOllamaClient::generateSucceeds_data()
{
    QTest::addColumn<Success>("expected");
    QTest::newRow("thinking pieces are dropped") << Success{
        .setup = rawResponse({
            R"({"model":"tiny:1b","response":"","thinking":"Let me think","done":false})",
            R"({"model":"tiny:1b","response":"","thinking":" about it.","done":false})",
            R"({"model":"tiny:1b","response":"Short","done":false})",
            R"({"model":"tiny:1b","response":" answer.","done":false})",
            R"({"model":"tiny:1b","response":"","done":true,"done_reason":"length","eval_count":4})",
        }),
        .answer = {.text = QStringLiteral("Short answer."),
                   .doneReason = QStringLiteral("length"),
                   .promptTokens = 0,
                   .outputTokens = 4},
        .progress = {1, 2},
    };
    // Progress restarts with each try.
    QTest::newRow("failed tries then success") << Success{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &) {
                server.setError(503, QStringLiteral("server busy, please try again."));
                server.failNextGenerates(2);
                server.setReplyText(QStringLiteral("Third time lucky."));
            },
        .answer = {.text = QStringLiteral("Third time lucky.")},
        .tries = 3,
        .progress = {1, 2, 3},
    };
    QTest::newRow("fault: flapping recovers on retry") << Success{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &) {
                server.setFault(FakeOllamaServer::Fault::Flapping);
                server.setReplyText(QStringLiteral("Made it."));
            },
        .rounds = 3,
        .answer = {.text = QStringLiteral("Made it.")},
    };
    QTest::newRow("fault: slow stream within the limits") << Success{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &) {
                server.setFault(FakeOllamaServer::Fault::SlowStream);
                server.setStreamDelayMs(30);
                server.setReplyText(QStringLiteral("Slow but sure."));
            },
        .answer = {.text = QStringLiteral("Slow but sure.")},
        .progress = {1, 2, 3},
    };
}

void TestOllamaClient::generateSucceeds()
{
    QFETCH(Success, expected);
    ServerRig rig;
    OllamaConfig config;
    const std::unique_ptr<OllamaClient> client = startClient(rig, config, expected.setup);
    QVERIFY(client);

    for (int round = 0; round < expected.rounds; ++round) {
        Outcome outcome;
        QVERIFY(outcome.run(client->generate(documentRequest())));
        checkAnswer(outcome, expected.answer);
        if (QTest::currentTestFailed()) {
            return;
        }
        if (!expected.progress.isEmpty()) {
            QCOMPARE(outcome.progressTokens, expected.progress);
        }
    }
    if (expected.tries >= 0) {
        QCOMPARE(rig.server.generateCount(), expected.tries);
    }
}

// A health check or a generation that fails. What a row leaves out is not checked.
void TestOllamaClient::requestFails_data()
{
    using Fault = FakeOllamaServer::Fault;
    using Mode = FakeOllamaServer::Mode;
    using Error = LlmReply::Error;
    QTest::addColumn<Failure>("expected");
    const QString afterThree = QStringLiteral("after 3 tries");

    QTest::newRow("health: unreachable") << Failure{
        .health = true,
        .setup = [](FakeOllamaServer &, OllamaConfig &config) { config.port = closedPort(); },
        .error = Error::Unreachable,
        .says = {QStringLiteral("{url}")},
        .refused = true,
    };
    QTest::newRow("health: missing model names the pull command") << Failure{
        .health = true,
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &) {
                server.setModels({QStringLiteral("tiny:2b"), QStringLiteral("other:latest")});
            },
        .error = Error::ModelMissing,
        .says = {QStringLiteral("model tiny:1b"), QStringLiteral("`ollama pull tiny:1b`"),
                 QStringLiteral("ollama.auto_pull"), QStringLiteral("{url}")},
        .pulls = 0,
    };
    QTest::newRow("health: pull of an unknown model is not retried") << Failure{
        .health = true,
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setModels({});
                server.setFault(Fault::ModelNotFound);
                config.autoPull = true;
            },
        .error = Error::ModelMissing,
        .says = {QStringLiteral("file does not exist"), QStringLiteral("tiny:1b")},
        .pulls = 1,
    };
    QTest::newRow("health: hanging server times out") << Failure{
        .health = true,
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setFault(Fault::Hang);
                config.connectTimeoutS = 0.2;
            },
        .error = Error::Timeout,
        .says = {QStringLiteral("did not answer GET / within 0.2 s")},
        .requests = 1,
        .withinMs = 10000,
    };

    QTest::newRow("server error is retried then reported") << Failure{
        .setup = httpError(Mode::HttpError, 500,
                           QStringLiteral("llama-server process has terminated: exit status 2")),
        .error = Error::HttpError,
        .says = {QStringLiteral("HTTP 500"),
                 QStringLiteral("llama-server process has terminated: exit status 2"), afterThree,
                 QStringLiteral("{url}")},
        .tries = 3,
    };
    QTest::newRow("unreachable is retried then reported") << Failure{
        .setup = [](FakeOllamaServer &, OllamaConfig &config) { config.port = closedPort(); },
        .error = Error::Unreachable,
        .says = {QStringLiteral("cannot reach Ollama at {url}"), afterThree},
        .refused = true,
    };
    QTest::newRow("missing model is not retried") << Failure{
        .setup = httpError(Mode::HttpError, 404, QStringLiteral("model 'tiny:1b' not found")),
        .error = Error::ModelMissing,
        .says = {QStringLiteral("ollama pull tiny:1b"),
                 QStringLiteral("model 'tiny:1b' not found")},
        .lacks = {QStringLiteral("tries")},
        .tries = 1,
    };
    QTest::newRow("client error is not retried") << Failure{
        .setup = httpError(Mode::HttpError, 400,
                           QStringLiteral("\"tiny:1b\" does not support thinking")),
        .error = Error::HttpError,
        .says = {QStringLiteral("HTTP 400"), QStringLiteral("does not support thinking")},
        .tries = 1,
    };
    // The runner failed after the answer had started: worth another try, like a 5xx.
    QTest::newRow("error in the middle of the stream") << Failure{
        .setup = httpError(Mode::ErrorMidStream, 500,
                           QStringLiteral("an error was encountered while running the model: OOM")),
        .error = Error::HttpError,
        .says = {QStringLiteral("an error was encountered while running the model: OOM"),
                 afterThree},
        .tries = 3,
        .progressed = true,
    };
    QTest::newRow("stream ending without done is a bad response") << Failure{
        .setup = rawResponse({
            R"({"model":"tiny:1b","response":"Half","done":false})",
            R"({"model":"tiny:1b","response":" an answer","done":false})",
        }),
        .error = Error::BadResponse,
        .says = {QStringLiteral("stream ended before the answer was complete")},
    };
    QTest::newRow("line that is not JSON is a bad response") << Failure{
        .setup = rawResponse({
            R"({"model":"tiny:1b","response":"Fine","done":false})",
            "<html>proxy error</html>",
        }),
        .error = Error::BadResponse,
        .says = {QStringLiteral("<html>proxy error</html>")},
    };
    // The connect limit is shorter than the total limit: waiting for the first byte (Ollama
    // loading the model) must not count as a connect time-out.
    QTest::newRow("hanging server times out") << Failure{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setMode(Mode::Hang);
                config.retries = 1;
                config.connectTimeoutS = 0.5;
                config.totalTimeoutS = 1.5;
            },
        .error = Error::Timeout,
        .says = {QStringLiteral("did not finish the answer within 1.5 s")},
        .tries = 1,
    };
    // Back again: the same port answers.
    QTest::newRow("fault: refuse is retried then unreachable") << Failure{
        .setup = fault(Fault::Refuse),
        .error = Error::Unreachable,
        .says = {afterThree},
        .refused = true,
        .recovers = QStringLiteral("This function does something useful."),
    };
    QTest::newRow("fault: reset is retried then unreachable") << Failure{
        .setup = fault(Fault::Reset),
        .error = Error::Unreachable,
        .says = {afterThree},
    };
    QTest::newRow("fault: server error is retried") << Failure{
        .setup = fault(Fault::ServerError),
        .error = Error::HttpError,
        .says = {QStringLiteral("HTTP 500")},
        .tries = 3,
    };
    // Whole again: the next answer is complete.
    QTest::newRow("fault: truncated stream is retried") << Failure{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &) {
                server.setFault(Fault::TruncatedStream);
                server.setReplyText(QStringLiteral("one two three four five six"));
            },
        .error = Error::BadResponse,
        .says = {afterThree},
        .tries = 3,
        .noText = true,
        .recovers = QStringLiteral("one two three four five six"),
    };
    QTest::newRow("fault: malformed JSON is retried") << Failure{
        .setup = fault(Fault::MalformedJson),
        .error = Error::BadResponse,
        .says = {QStringLiteral("not a JSON object")},
        .tries = 3,
    };
    QTest::newRow("fault: model not found is not retried (chat)") << Failure{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setFault(Fault::ModelNotFound);
                config.api = QStringLiteral("chat");
            },
        .error = Error::ModelMissing,
        .says = {QStringLiteral("ollama pull tiny:1b")},
        .tries = 1,
    };
    // .invalid never resolves (RFC 6761).
    QTest::newRow("unknown host is not retried") << Failure{
        .setup =
            [](FakeOllamaServer &, OllamaConfig &config) {
                config.host = QStringLiteral("no-such-host.invalid");
                config.port = 11434;
                config.connectTimeoutS = 60;
            },
        .error = Error::Unreachable,
        .says = {QStringLiteral("check ollama.host")},
        .lacks = {QStringLiteral("tries")},
        .waitMs = 3 * waitLimitMs,
    };
    QTest::newRow("first token limit") << Failure{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setFault(Fault::Hang);
                config.firstTokenTimeoutS = 0.2;
                config.retries = 2;
            },
        .error = Error::Timeout,
        .says = {QStringLiteral("ollama.timeouts.first_token_s")},
        .tries = 2,
        .withinMs = 10000,
    };
    QTest::newRow("idle limit") << Failure{
        .setup =
            [](FakeOllamaServer &server, OllamaConfig &config) {
                server.setFault(Fault::SlowStream);
                server.setStreamDelayMs(1500);
                config.idleTimeoutS = 0.2;
                config.retries = 1;
            },
        .error = Error::Timeout,
        .says = {QStringLiteral("sent nothing for 0.2 s"),
                 QStringLiteral("ollama.timeouts.idle_s")},
        .withinMs = 10000,
    };
}

void TestOllamaClient::requestFails()
{
    QFETCH(Failure, expected);
    ServerRig rig;
    OllamaConfig config;
    const std::unique_ptr<OllamaClient> client = startClient(rig, config, expected.setup);
    QVERIFY(client);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    QVERIFY(
        outcome.run(expected.health ? client->checkHealth() : client->generate(documentRequest()),
                    expected.waitMs));
    if (expected.withinMs > 0) {
        QVERIFY(clock.elapsed() < expected.withinMs);
    }
    QCOMPARE(outcome.error, expected.error);
    const QString missing = firstMissing(outcome.message, expected.says, client->baseUrl());
    QVERIFY2(missing.isEmpty(),
             qPrintable(missing + QStringLiteral(" not in: ") + outcome.message));
    if (expected.refused) {
        QVERIFY2(outcome.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(outcome.message));
    }
    for (const QString &part : expected.lacks) {
        QVERIFY2(!outcome.message.contains(part), qPrintable(outcome.message));
    }
    if (expected.tries >= 0) {
        QCOMPARE(rig.server.requestsTo(generationPath(config)).size(), expected.tries);
    }
    if (expected.pulls >= 0) {
        QCOMPARE(rig.server.requestsTo("/api/pull").size(), expected.pulls);
    }
    if (expected.requests >= 0) {
        QCOMPARE(rig.server.requests().size(), expected.requests);
    }
    if (expected.progressed) {
        QVERIFY(!outcome.progressTokens.isEmpty());
    }
    if (expected.noText) {
        QVERIFY(outcome.result.text.isEmpty());
    }

    if (!expected.recovers.isEmpty()) {
        rig.server.setFault(FakeOllamaServer::Fault::None);
        Outcome again;
        QVERIFY(again.run(client->generate(documentRequest())));
        QVERIFY2(again.succeeded(), qPrintable(again.message));
        QCOMPARE(again.result.text, expected.recovers);
    }
}

void TestOllamaClient::cancelAllCancelsRequestsInFlight()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setMode(FakeOllamaServer::Mode::Hang);
    OllamaClient client(configFor(rig.server.port()), &rig.network);
    cancelAllFinishesEveryReply(client, rig.server, "/api/generate");
}

void TestOllamaClient::cancelAllCancelsPendingRetries()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setMode(FakeOllamaServer::Mode::HttpError);
    OllamaConfig config = configFor(rig.server.port());
    config.retryDelayS = 600;
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    outcome.watch(reply);
    QVERIFY(waitForRequests(rig.server, "/api/generate", 1));
    client.cancelAll();
    QCOMPARE(outcome.finishedCount, 1);
    QCOMPARE(outcome.error, LlmReply::Error::Cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
    QCOMPARE(rig.server.generateCount(), 1);
}

void TestOllamaClient::chatBodyHasSystemAndUserMessages()
{
    OllamaConfig config;
    config.model = QStringLiteral("qwen3:8b");
    const QJsonObject body = jsonObject(OllamaClient::chatBody(config, documentRequest()));
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("qwen3:8b"));
    QVERIFY(!body.contains(QLatin1String("prompt")));
    QVERIFY(!body.contains(QLatin1String("system")));
    QCOMPARE(body.value(QLatin1String("messages")).toArray().size(), 2);
    QCOMPARE(messageField(body, 0, QStringLiteral("role")), QStringLiteral("system"));
    QCOMPARE(messageField(body, 0, QStringLiteral("content")),
             QStringLiteral("You write API docs."));
    QCOMPARE(messageField(body, 1, QStringLiteral("role")), QStringLiteral("user"));
    QCOMPARE(messageField(body, 1, QStringLiteral("content")),
             QStringLiteral("Document parse_config for me"));
    QCOMPARE(body.value(QLatin1String("stream")), QJsonValue(true));
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
    QCOMPARE(body.value(QLatin1String("keep_alive")), QJsonValue(-1));
    QCOMPARE(optionOf(body, QStringLiteral("num_ctx")).toInt(), 16384);
    QCOMPARE(optionOf(body, QStringLiteral("num_predict")).toInt(), 4096);

    GenerationRequest userOnly;
    userOnly.prompt = QStringLiteral("Hi");
    QCOMPARE(jsonObject(OllamaClient::chatBody(config, userOnly))
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
        const QJsonObject body = jsonObject(bytes);
        QCOMPARE(body.value(QLatin1String("think")), QJsonValue(true));
        QCOMPARE(optionOf(body, QStringLiteral("seed")), QJsonValue(42));
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setReplyText(QStringLiteral("Chat answer in pieces."));
    OllamaConfig config = configFor(rig.server.port());
    config.api = QStringLiteral("chat");
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Chat answer in pieces."));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("stop"));
    QCOMPARE(outcome.result.outputTokens, 4);
    QCOMPARE(outcome.result.promptTokens, 8);
    QCOMPARE(rig.server.generateCount(), 0);
    const auto chats = rig.server.requestsTo("/api/chat");
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setThinkingText(QStringLiteral("The user wants docs. Secret reasoning."));
    rig.server.setReplyText(QStringLiteral("Reads the configuration."));
    OllamaConfig config = configFor(rig.server.port());
    config.api = api;
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Reads the configuration."));
    QVERIFY(!outcome.result.text.contains(QLatin1String("reasoning")));
    const QJsonObject body = rig.server.requests().constLast().json();
    QCOMPARE(body.value(QLatin1String("think")), QJsonValue(false));
}

void TestOllamaClient::healthPullsAMissingModelWithProgress()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setModels({});
    OllamaConfig config = configFor(rig.server.port());
    config.autoPull = true;
    OllamaClient client(config, &rig.network);
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
    QVERIFY(outcome.run(client.checkHealth()));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    const auto pulls = rig.server.requestsTo("/api/pull");
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
    QVERIFY(again.run(client.checkHealth()));
    QVERIFY2(again.succeeded(), qPrintable(again.message));
    QCOMPARE(rig.server.requestsTo("/api/pull").size(), 1);
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
    QVERIFY(outcome.run(client.checkHealth()));
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("GET /api/version with HTTP 404")),
             qPrintable(outcome.message));
}

void TestOllamaClient::prewarmLoadsWithKeepAliveAsANumber()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    OllamaConfig config = configFor(rig.server.port());
    config.keepAlive = QStringLiteral("300");
    config.numCtx = 8192;
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.prewarm()));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("load"));
    QCOMPARE(rig.server.generateCount(), 1);
    const QJsonObject body = rig.server.requestsTo("/api/generate").first().json();
    QVERIFY(!body.contains(QLatin1String("prompt")));
    QVERIFY(body.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(body.value(QLatin1String("keep_alive")).toInt(), 300);
    QCOMPARE(optionOf(body, QStringLiteral("num_ctx")).toInt(), 8192);
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
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("cannot connect")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("0.2 s (ollama.timeouts.connect_s)")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 2 tries")), qPrintable(outcome.message));
}

void TestOllamaClient::totalLimitCoversTheRetries()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setFault(FakeOllamaServer::Fault::ServerError);
    OllamaConfig config = configFor(rig.server.port());
    config.retries = 100;
    config.retryDelayS = 0.1;
    config.retryMaxDelayS = 0.1;
    config.totalTimeoutS = 0.5;
    OllamaClient client(config, &rig.network);

    QElapsedTimer clock;
    clock.start();
    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY(clock.elapsed() < 10000);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("within 0.5 s (ollama.timeouts.total_s)")),
             qPrintable(outcome.message));
    QVERIFY(rig.server.generateCount() < 100);
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setFault(FakeOllamaServer::Fault::OutOfMemory);
    rig.server.setReplyText(QStringLiteral("Fits now."));
    OllamaConfig config = configFor(rig.server.port());
    config.api = api;
    config.retries = 1; // the recovery is not one of the tries
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Fits now."));

    // The request, the unload (keep_alive 0, no prompt), the request with num_ctx <= 8192.
    const QList<FakeOllamaServer::Request> requests = rig.server.requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).path, path);
    QCOMPARE(optionOf(requests.at(0).json(), QStringLiteral("num_ctx")), QJsonValue(16384));
    QCOMPARE(requests.at(1).path, QByteArrayLiteral("/api/generate"));
    const QJsonObject unload = requests.at(1).json();
    QCOMPARE(unload.value(QLatin1String("model")).toString(), QStringLiteral("tiny:1b"));
    QVERIFY(unload.value(QLatin1String("keep_alive")).isDouble());
    QCOMPARE(unload.value(QLatin1String("keep_alive")).toInt(), 0);
    QVERIFY(!unload.contains(QLatin1String("prompt")));
    QCOMPARE(requests.at(2).path, path);
    const int retriedContext = optionOf(requests.at(2).json(), QStringLiteral("num_ctx")).toInt();
    QVERIFY(retriedContext > 0 && retriedContext <= 8192);
    // Later requests keep the context that fits.
    QCOMPARE(client.contextWindow(), 8192);
}

void TestOllamaClient::outOfMemoryTwiceIsReported()
{
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setMode(FakeOllamaServer::Mode::ErrorMidStream);
    rig.server.setError(500, QStringLiteral("an error was encountered while running the model: "
                                            "CUDA error: out of memory"));
    OllamaConfig config = configFor(rig.server.port());
    config.retries = 1;
    OllamaClient client(config, &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("out of memory")), qPrintable(outcome.message));
    // One recovery (unload, smaller context), then the error is reported.
    const auto generates = rig.server.requestsTo("/api/generate");
    QCOMPARE(generates.size(), 3);
    QCOMPARE(generates.at(1).json().value(QLatin1String("keep_alive")), QJsonValue(0));
    QCOMPARE(optionOf(generates.at(2).json(), QStringLiteral("num_ctx")), QJsonValue(8192));
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
