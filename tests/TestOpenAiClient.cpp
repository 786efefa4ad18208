// OpenAiClient against the fake server's OpenAI-compatible routes on a loopback socket, the
// failover between endpoints, the consent rule for remote endpoints and the proxy choice.
#include "FakeOllamaServer.h"
#include "TestEnvironment.h"
#include "config/ConfigLoader.h"
#include "llm/FailoverClient.h"
#include "llm/LlmFactory.h"
#include "llm/OpenAiClient.h"
#include "llm/ProxyFactory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QTcpServer>
#include <QtTest>

using namespace codeworm;
using codeworm::test::FakeOllamaServer;

namespace {

constexpr int waitLimitMs = 20000;
const char apiKeyVariable[] = "CODEWORM_TEST_OPENAI_KEY";

Config configFor(const QStringList &endpoints)
{
    Config config;
    config.llm.provider = QStringLiteral("openai");
    config.llm.endpoints = endpoints;
    config.ollama.model = QStringLiteral("tiny:1b");
    config.ollama.retries = 3;
    config.ollama.retryDelayS = 0.01;
    config.ollama.retryMaxDelayS = 0.05;
    return config;
}

Config configFor(const FakeOllamaServer &server)
{
    return configFor({server.baseUrl()});
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

QString closedUrl()
{
    return QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
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

QByteArray headerOf(const FakeOllamaServer::Request &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

// Sets (or unsets, with a null value) an environment variable until the end of the scope.
class ScopedVariable
{
public:
    ScopedVariable(const char *name, const QByteArray &value)
        : m_name(name)
        , m_saved(qgetenv(name))
        , m_wasSet(qEnvironmentVariableIsSet(name))
    {
        if (value.isNull()) {
            qunsetenv(name);
        } else {
            qputenv(name, value);
        }
    }
    ~ScopedVariable()
    {
        if (m_wasSet) {
            qputenv(m_name, m_saved);
        } else {
            qunsetenv(m_name);
        }
    }
    ScopedVariable(const ScopedVariable &) = delete;
    ScopedVariable &operator=(const ScopedVariable &) = delete;

private:
    const char *m_name;
    QByteArray m_saved;
    bool m_wasSet;
};

QByteArray sseResponse(const QByteArray &events)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
           QByteArray::number(events.size()) + "\r\nConnection: close\r\n\r\n" + events;
}

} // namespace

class TestOpenAiClient : public QObject
{
    Q_OBJECT

private slots:
    void chatBodyHasTheWireFields();
    void describeAndSetupHint();
    void healthFindsTheModel();
    void healthReportsAMissingModel_data();
    void healthReportsAMissingModel();
    void streamingAssemblesTheAnswer();
    void lengthIsReportedAsDoneReason();
    void thinkingNeverReachesTheText_data();
    void thinkingNeverReachesTheText();
    void singleObjectAnswerIsAccepted();
    void apiKeyComesFromTheEnvironment();
    void refusedKeyIsNotRetriedAndNamesTheVariable();
    void serverErrorIsRetriedThenReported();
    void failedTriesThenSuccess();
    void clientErrorIsNotRetried();
    void missingModelIsNotRetried();
    void refusedConnectionIsUnreachable();
    void errorInTheMiddleOfTheStream();
    void truncatedStreamIsRetriedThenBadResponse();
    void malformedEventIsBadResponse();
    void hangingServerTimesOutWaitingForTheFirstToken();
    void cancelAllAbortsRequestsInFlight();
    void failoverUsesTheSecondEndpointWhenTheFirstIsRefused();
    void failoverGenerateMovesOnWithoutAHealthCheck();
    void failoverWorksForOllamaToo();
    void allEndpointsDownNamesEach();
    void remoteEndpointNeedsConsent();
    void remoteHttpIsAWarning();
    void proxyFromTheEnvironmentButNeverForLoopback();
    void loopbackBypassesADeadProxy();
};

void TestOpenAiClient::chatBodyHasTheWireFields()
{
    OllamaConfig config;
    config.model = QStringLiteral("tiny:1b");
    config.temperature = 0.3;
    config.numPredict = 800;
    config.seed = 42;
    const QJsonObject body =
        QJsonDocument::fromJson(OpenAiClient::chatBody(config, documentRequest())).object();
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("tiny:1b"));
    QCOMPARE(body.value(QStringLiteral("stream")).toBool(), true);
    QCOMPARE(body.value(QStringLiteral("stream_options"))
                 .toObject()
                 .value(QStringLiteral("include_usage"))
                 .toBool(),
             true);
    QCOMPARE(body.value(QStringLiteral("temperature")).toDouble(), 0.3);
    QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 800);
    QCOMPARE(body.value(QStringLiteral("seed")).toInt(), 42);
    const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(),
             QStringLiteral("system"));
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("content")).toString(),
             QStringLiteral("You write API docs."));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("role")).toString(),
             QStringLiteral("user"));

    // Request overrides; no limit and no seed leave the fields out.
    config.numPredict = -1;
    config.seed.reset();
    GenerationRequest request = documentRequest();
    request.temperature = 0.9;
    request.system.clear();
    const QJsonObject other =
        QJsonDocument::fromJson(OpenAiClient::chatBody(config, request)).object();
    QCOMPARE(other.value(QStringLiteral("temperature")).toDouble(), 0.9);
    QVERIFY(!other.contains(QStringLiteral("max_tokens")));
    QVERIFY(!other.contains(QStringLiteral("seed")));
    QCOMPARE(other.value(QStringLiteral("messages")).toArray().size(), 1);
}

void TestOpenAiClient::describeAndSetupHint()
{
    test::TestEnvironment env;
    ScopedVariable key(apiKeyVariable, QByteArray());
    QNetworkAccessManager network;
    Config config = configFor({QStringLiteral("http://localhost:8080")});
    config.llm.apiKeyEnv = QString::fromLatin1(apiKeyVariable);
    OpenAiClient client(config, QStringLiteral("http://localhost:8080"), &network);
    QCOMPARE(client.describe(),
             QStringLiteral("OpenAI-compatible server at http://localhost:8080, model tiny:1b"));
    const QString hint = client.setupHint();
    QVERIFY2(hint.contains(QLatin1String("http://localhost:8080")), qPrintable(hint));
    QVERIFY2(hint.contains(QLatin1String("tiny:1b")), qPrintable(hint));
    QVERIFY2(hint.contains(QLatin1String(apiKeyVariable)), qPrintable(hint));
    QVERIFY(!hint.contains(QLatin1Char('\n')));
}

void TestOpenAiClient::healthFindsTheModel()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("other:2b"), QStringLiteral("tiny:1b")});
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.checkHealth();
    outcome.watch(reply);
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().method, QByteArrayLiteral("GET"));
    QCOMPARE(server.requests().first().path, QByteArrayLiteral("/v1/models"));
    // No key configured: no Authorization header.
    QVERIFY(headerOf(server.requests().first(), "Authorization").isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOpenAiClient::healthReportsAMissingModel_data()
{
    QTest::addColumn<QStringList>("served");
    QTest::addColumn<QString>("expected");
    QTest::newRow("another model")
        << QStringList{QStringLiteral("big:70b")} << QStringLiteral("it serves big:70b");
    // Ollama's /v1/models sends "data": null when nothing is installed.
    QTest::newRow("none") << QStringList() << QStringLiteral("it serves none");
}

void TestOpenAiClient::healthReportsAMissingModel()
{
    QFETCH(QStringList, served);
    QFETCH(QString, expected);
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels(served);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("model tiny:1b")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(expected), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("llm.model")), qPrintable(outcome.message));
}

void TestOpenAiClient::streamingAssemblesTheAnswer()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    const QString answer = QStringLiteral("## parse_config\n\nReads the file, checks each key.");
    server.setReplyText(answer);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    outcome.watch(reply);
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, answer);
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("stop"));
    // Token counts come from the usage chunk: the fake counts words.
    QCOMPARE(outcome.result.outputTokens, 8);
    QCOMPARE(outcome.result.promptTokens, 8);
    // One progress signal per streamed piece, counting up; rates are never negative.
    QCOMPARE(outcome.progressTokens.size(), 8);
    for (int i = 0; i < outcome.progressTokens.size(); ++i) {
        QCOMPARE(outcome.progressTokens.at(i), i + 1);
        QVERIFY(outcome.progressRates.at(i) >= 0);
    }

    const auto chats = server.requestsTo("/v1/chat/completions");
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats.first().method, QByteArrayLiteral("POST"));
    QCOMPARE(chats.first().json().value(QStringLiteral("stream")).toBool(), true);
    QVERIFY(headerOf(chats.first(), "Content-Type").startsWith("application/json"));
    QVERIFY(headerOf(chats.first(), "Authorization").isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

void TestOpenAiClient::lengthIsReportedAsDoneReason()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setReplyText(QStringLiteral("one two three four five six"));
    server.cutNextGenerates(1);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("length"));
    QCOMPARE(outcome.result.text, QStringLiteral("one two three"));
    QCOMPARE(outcome.result.outputTokens, 3);
}

void TestOpenAiClient::thinkingNeverReachesTheText_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("expected");
    const QString answer = QStringLiteral("The answer.");
    QTest::newRow("reasoning_content (llama.cpp)")
        << QStringLiteral("reasoning_content") << QStringLiteral("Let me think hard") << answer
        << answer;
    QTest::newRow("reasoning (Ollama, vLLM)")
        << QStringLiteral("reasoning") << QStringLiteral("Let me think hard") << answer << answer;
    QTest::newRow("think tags in the content")
        << QString() << QString()
        << QStringLiteral("<think>\nI should say it.\n</think>\n\nThe answer.") << answer;
}

void TestOpenAiClient::thinkingNeverReachesTheText()
{
    QFETCH(QString, field);
    QFETCH(QString, reasoning);
    QFETCH(QString, reply);
    QFETCH(QString, expected);
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setReplyText(reply);
    if (!field.isEmpty()) {
        server.setOpenAiReasoning(reasoning, field);
    }
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, expected);
    QVERIFY(!outcome.result.text.contains(QLatin1String("think")));
    // Reasoning pieces count as progress: the model is working.
    QVERIFY(!outcome.progressTokens.isEmpty());
}

void TestOpenAiClient::singleObjectAnswerIsAccepted()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    // A server that ignores "stream": one chat.completion object.
    const QByteArray body =
        R"({"id":"chatcmpl-1","object":"chat.completion","model":"tiny:1b","choices":[{"index":0,"message":{"role":"assistant","content":"<think>hm</think>Whole answer.","reasoning_content":"secret trace"},"finish_reason":"length"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}})";
    server.setRawGenerateResponse(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
        QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("Whole answer."));
    QCOMPARE(outcome.result.doneReason, QStringLiteral("length"));
    QCOMPARE(outcome.result.promptTokens, 12);
    QCOMPARE(outcome.result.outputTokens, 3);
}

void TestOpenAiClient::apiKeyComesFromTheEnvironment()
{
    test::TestEnvironment env;
    const QByteArray secret = QByteArrayLiteral("sk-test-0123456789");
    ScopedVariable key(apiKeyVariable, secret);
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setRequiredApiKey(secret);

    // The configuration names the variable; the key is in no file.
    const QString yaml = QStringLiteral("llm:\n"
                                        "  provider: openai\n"
                                        "  endpoints: [%1]\n"
                                        "  model: tiny:1b\n"
                                        "  api_key_env: %2\n"
                                        "ollama:\n"
                                        "  retry_delay_s: 0.01\n")
                             .arg(server.baseUrl(), QLatin1String(apiKeyVariable));
    QVERIFY(!yaml.contains(QString::fromLatin1(secret)));
    const auto loaded = ConfigLoader::loadFromStrings(yaml, {}, {});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.llm.apiKeyEnv, QString::fromLatin1(apiKeyVariable));

    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client = LlmFactory::create(loaded->config, &network);
    QVERIFY(!client->describe().contains(QString::fromLatin1(secret)));
    QVERIFY(!client->setupHint().contains(QString::fromLatin1(secret)));

    Outcome health;
    health.watch(client->checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(health.finishedCount, 1, waitLimitMs);
    QVERIFY2(health.error == LlmReply::Error::None, qPrintable(health.message));
    Outcome outcome;
    outcome.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));

    QCOMPARE(server.requests().size(), 2);
    for (const auto &request : server.requests()) {
        QCOMPARE(headerOf(request, "Authorization"), QByteArrayLiteral("Bearer ") + secret);
        QVERIFY(!request.body.contains(secret));
    }
}

void TestOpenAiClient::refusedKeyIsNotRetriedAndNamesTheVariable()
{
    test::TestEnvironment env;
    ScopedVariable key(apiKeyVariable, QByteArray());
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setRequiredApiKey(QByteArrayLiteral("sk-needed"));
    Config config = configFor(server);
    config.llm.apiKeyEnv = QString::fromLatin1(apiKeyVariable);
    QNetworkAccessManager network;
    OpenAiClient client(config, server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 401")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String(apiKeyVariable)), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("not set")), qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
    QVERIFY(headerOf(server.requests().first(), "Authorization").isEmpty());
}

void TestOpenAiClient::serverErrorIsRetriedThenReported()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(500, QStringLiteral("llama runner crashed"));
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 500: llama runner crashed")),
             qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 3);
}

void TestOpenAiClient::failedTriesThenSuccess()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setError(503, QStringLiteral("Loading model"));
    server.failNextGenerates(2);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("This function does something useful."));
    QCOMPARE(server.chatCompletionCount(), 3);
}

void TestOpenAiClient::clientErrorIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(400, QStringLiteral("'messages' is too short"));
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 400: 'messages' is too short")),
             qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
}

void TestOpenAiClient::missingModelIsNotRetried()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("other:2b")});
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("model 'tiny:1b' not found")),
             qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
}

void TestOpenAiClient::refusedConnectionIsUnreachable()
{
    test::TestEnvironment env;
    const QString url = closedUrl();
    QNetworkAccessManager network;
    OpenAiClient client(configFor({url}), url, &network);

    Outcome health;
    health.watch(client.checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(health.finishedCount, 1, waitLimitMs);
    QCOMPARE(health.error, LlmReply::Error::Unreachable);
    QVERIFY2(health.message.contains(url), qPrintable(health.message));
    QVERIFY2(health.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(health.message));

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
}

void TestOpenAiClient::errorInTheMiddleOfTheStream()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setMode(FakeOllamaServer::Mode::ErrorMidStream);
    server.setError(500, QStringLiteral("model runner has unexpectedly stopped"));
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("model runner has unexpectedly stopped")),
             qPrintable(outcome.message));
    QVERIFY(outcome.result.text.isEmpty());
}

void TestOpenAiClient::truncatedStreamIsRetriedThenBadResponse()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    // Content, then the end of the body: no finish_reason, no [DONE].
    server.setRawGenerateResponse(sseResponse(
        R"(data: {"choices":[{"index":0,"delta":{"content":"Half an"},"finish_reason":null}]})"
        "\n\n"));
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QVERIFY2(outcome.message.contains(QLatin1String("ended before the answer was complete")),
             qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 3);
}

void TestOpenAiClient::malformedEventIsBadResponse()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setRawGenerateResponse(sseResponse("data: {\"choices\": [tru\n\ndata: [DONE]\n\n"));
    Config config = configFor(server);
    config.ollama.retries = 1;
    QNetworkAccessManager network;
    OpenAiClient client(config, server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::BadResponse);
    QVERIFY2(outcome.message.contains(QLatin1String("not a JSON object")),
             qPrintable(outcome.message));
}

void TestOpenAiClient::hangingServerTimesOutWaitingForTheFirstToken()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setMode(FakeOllamaServer::Mode::Hang);
    Config config = configFor(server);
    config.ollama.retries = 1;
    config.ollama.firstTokenTimeoutS = 0.3;
    QNetworkAccessManager network;
    OpenAiClient client(config, server.baseUrl(), &network);

    Outcome outcome;
    outcome.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Timeout);
    QVERIFY2(outcome.message.contains(QLatin1String("llm.timeouts.first_token_s")),
             qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
}

void TestOpenAiClient::cancelAllAbortsRequestsInFlight()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    server.setMode(FakeOllamaServer::Mode::Hang);
    QNetworkAccessManager network;
    OpenAiClient client(configFor(server), server.baseUrl(), &network);

    Outcome first;
    Outcome second;
    QPointer<LlmReply> firstReply = client.generate(documentRequest());
    first.watch(firstReply);
    second.watch(client.generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(server.chatCompletionCount(), 2, waitLimitMs);
    // Cancelling finishes the replies at once, not at the next time limit.
    client.cancelAll();
    QCOMPARE(first.finishedCount, 1);
    QCOMPARE(first.error, LlmReply::Error::Cancelled);
    QCOMPARE(second.finishedCount, 1);
    QCOMPARE(second.error, LlmReply::Error::Cancelled);
    QVERIFY2(first.message.contains(server.baseUrl()), qPrintable(first.message));
    QTRY_VERIFY_WITH_TIMEOUT(firstReply.isNull(), waitLimitMs);
    QCOMPARE(first.finishedCount, 1);
}

void TestOpenAiClient::failoverUsesTheSecondEndpointWhenTheFirstIsRefused()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    const QString down = closedUrl();
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({down, server.baseUrl()}), &network);
    auto *failover = qobject_cast<FailoverClient *>(client.get());
    QVERIFY(failover);
    QCOMPARE(failover->endpointCount(), 2);
    QCOMPARE(failover->currentIndex(), 0);

    Outcome health;
    health.watch(client->checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(health.finishedCount, 1, waitLimitMs);
    QVERIFY2(health.error == LlmReply::Error::None, qPrintable(health.message));
    QCOMPARE(failover->currentIndex(), 1);
    QCOMPARE(failover->currentEndpoint(), server.baseUrl());
    QVERIFY2(client->describe().contains(server.baseUrl()), qPrintable(client->describe()));

    Outcome outcome;
    outcome.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("This function does something useful."));
    QCOMPARE(server.chatCompletionCount(), 1);
    QCOMPARE(failover->currentIndex(), 1);
}

void TestOpenAiClient::failoverGenerateMovesOnWithoutAHealthCheck()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({closedUrl(), server.baseUrl()}), &network);

    Outcome outcome;
    outcome.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
    QCOMPARE(qobject_cast<FailoverClient *>(client.get())->currentIndex(), 1);

    // A refused request is an answer, not a reason to fail over.
    server.setMode(FakeOllamaServer::Mode::HttpError);
    server.setError(400, QStringLiteral("bad request"));
    Outcome refused;
    refused.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(refused.finishedCount, 1, waitLimitMs);
    QCOMPARE(refused.error, LlmReply::Error::HttpError);
    QCOMPARE(qobject_cast<FailoverClient *>(client.get())->currentIndex(), 1);
}

void TestOpenAiClient::failoverWorksForOllamaToo()
{
    test::TestEnvironment env;
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    Config config = configFor({closedUrl(), server.baseUrl()});
    config.llm.provider = QStringLiteral("ollama");
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client = LlmFactory::create(config, &network);
    QVERIFY(qobject_cast<FailoverClient *>(client.get()));

    Outcome health;
    health.watch(client->checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(health.finishedCount, 1, waitLimitMs);
    QVERIFY2(health.error == LlmReply::Error::None, qPrintable(health.message));
    QVERIFY2(client->describe().contains(server.baseUrl()), qPrintable(client->describe()));
    QCOMPARE(qobject_cast<FailoverClient *>(client.get())->currentIndex(), 1);
}

void TestOpenAiClient::allEndpointsDownNamesEach()
{
    test::TestEnvironment env;
    const QString first = closedUrl();
    const QString second = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({first, second}), &network);

    Outcome health;
    health.watch(client->checkHealth());
    QTRY_COMPARE_WITH_TIMEOUT(health.finishedCount, 1, waitLimitMs);
    QCOMPARE(health.error, LlmReply::Error::Unreachable);
    QVERIFY2(health.message.contains(first) && health.message.contains(second),
             qPrintable(health.message));
}

void TestOpenAiClient::remoteEndpointNeedsConsent()
{
    test::TestEnvironment env;
    // Loopback names and addresses need no consent.
    for (const QString &local :
         {QStringLiteral("http://localhost:8080"), QStringLiteral("http://127.0.0.1:8080"),
          QStringLiteral("http://[::1]:8080"), QStringLiteral("http://box.localhost:8080")}) {
        const Status consent = LlmFactory::checkConsent(configFor({local}));
        QVERIFY2(consent.ok(), qPrintable(local + QStringLiteral(": ") + consent.error()));
    }

    Config config = configFor(
        {QStringLiteral("http://127.0.0.1:1"), QStringLiteral("https://gpu.example.org")});
    const Status refused = LlmFactory::checkConsent(config);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("https://gpu.example.org")),
             qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(QLatin1String("llm.endpoints[1]")),
             qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(QLatin1String("llm.allow_remote: true")),
             qPrintable(refused.error()));

    // The client built anyway refuses every request without touching the network.
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client = LlmFactory::create(config, &network);
    Outcome outcome;
    outcome.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QCOMPARE(outcome.message, refused.error());

    // The original's ollama.host is held to the same rule.
    Config legacy;
    legacy.ollama.host = QStringLiteral("box");
    const Status legacyRefused = LlmFactory::checkConsent(legacy);
    QVERIFY(!legacyRefused.ok());
    QVERIFY2(legacyRefused.error().contains(QLatin1String("ollama.host")),
             qPrintable(legacyRefused.error()));

    config.llm.allowRemote = true;
    QVERIFY(LlmFactory::checkConsent(config).ok());
    legacy.llm.allowRemote = true;
    QVERIFY(LlmFactory::checkConsent(legacy).ok());
}

void TestOpenAiClient::remoteHttpIsAWarning()
{
    Config config = configFor({QStringLiteral("http://localhost:8080"),
                               QStringLiteral("http://gpu.example.org:8080"),
                               QStringLiteral("https://secure.example.org")});
    config.llm.allowRemote = true;
    const QStringList warnings = LlmFactory::warnings(config);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(QLatin1String("http://gpu.example.org:8080")),
             qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(QLatin1String("unencrypted")), qPrintable(warnings.first()));
}

void TestOpenAiClient::proxyFromTheEnvironmentButNeverForLoopback()
{
    ScopedVariable http("http_proxy", QByteArrayLiteral("http://proxy.example.org:3128"));
    ScopedVariable httpUpper("HTTP_PROXY", QByteArray());
    ScopedVariable https("https_proxy", QByteArray());
    ScopedVariable httpsUpper("HTTPS_PROXY", QByteArrayLiteral("http://secure-proxy:8443"));
    ScopedVariable all("all_proxy", QByteArray());
    ScopedVariable allUpper("ALL_PROXY", QByteArray());
    ScopedVariable noProxy("no_proxy", QByteArrayLiteral("internal.example.org, .corp"));
    ScopedVariable noProxyUpper("NO_PROXY", QByteArray());
    EnvironmentProxyFactory factory;
    auto proxyFor = [&factory](const QString &url) {
        return factory.queryProxy(QNetworkProxyQuery(QUrl(url))).value(0);
    };

    const QNetworkProxy plain = proxyFor(QStringLiteral("http://gpu.example.org:8080/v1/models"));
    QCOMPARE(plain.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(plain.hostName(), QStringLiteral("proxy.example.org"));
    QCOMPARE(plain.port(), quint16(3128));
    const QNetworkProxy secure = proxyFor(QStringLiteral("https://gpu.example.org/v1/models"));
    QCOMPARE(secure.hostName(), QStringLiteral("secure-proxy"));
    QCOMPARE(secure.port(), quint16(8443));
    for (const QString &direct :
         {QStringLiteral("http://localhost:11434/"), QStringLiteral("http://127.0.0.1:8080/"),
          QStringLiteral("http://[::1]:8080/"), QStringLiteral("http://internal.example.org/"),
          QStringLiteral("http://gpu.corp:8000/")}) {
        QVERIFY2(proxyFor(direct).type() == QNetworkProxy::NoProxy, qPrintable(direct));
    }
}

void TestOpenAiClient::loopbackBypassesADeadProxy()
{
    test::TestEnvironment env;
    // A proxy nobody listens on: going through it would fail.
    const QByteArray deadProxy = closedUrl().toUtf8();
    ScopedVariable http("http_proxy", deadProxy);
    ScopedVariable httpUpper("HTTP_PROXY", deadProxy);
    ScopedVariable all("all_proxy", QByteArray());
    ScopedVariable noProxy("no_proxy", QByteArray());
    ScopedVariable noProxyUpper("NO_PROXY", QByteArray());
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("tiny:1b")});
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client = LlmFactory::create(configFor(server), &network);

    Outcome outcome;
    outcome.watch(client->generate(documentRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishedCount, 1, waitLimitMs);
    QVERIFY2(outcome.error == LlmReply::Error::None, qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
}

QTEST_GUILESS_MAIN(TestOpenAiClient)

#include "TestOpenAiClient.moc"
