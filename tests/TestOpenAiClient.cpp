// OpenAiClient against the fake server's OpenAI-compatible routes on a loopback socket, the
// failover between endpoints, the consent rule for remote endpoints and the proxy choice.
#include "LlmTestHelpers.h"
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
#include <QtTest>

#include <functional>
#include <memory>

using namespace codeworm;
using namespace codeworm::test;

namespace {

const char apiKeyVariable[] = "CODEWORM_TEST_OPENAI_KEY";

// What a data row does to the fake server and the configuration before the request.
using Setup = std::function<void(FakeOllamaServer &, Config &)>;

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

// Starts the server serving only the configured model.
[[nodiscard]] bool startWithTheModel(FakeOllamaServer &server)
{
    server.setModels({QStringLiteral("tiny:1b")});
    return server.start();
}

// A started fake server serving the model and a client for it, configured by configFor() and
// then the setup; nullptr when the server does not start.
std::unique_ptr<OpenAiClient> startClient(ServerRig &rig, const Setup &setup)
{
    if (!startWithTheModel(rig.server)) {
        return nullptr;
    }
    Config config = configFor(rig.server);
    setup(rig.server, config);
    return std::make_unique<OpenAiClient>(config, rig.server.baseUrl(), &rig.network);
}

// Starts the server and a client with the setup, and runs one generation to its end.
[[nodiscard]] bool generateOnce(ServerRig &rig, const Setup &setup, Outcome &outcome)
{
    const std::unique_ptr<OpenAiClient> client = startClient(rig, setup);
    return client && outcome.run(client->generate(documentRequest()));
}

// What a successful generation answers; -1: not checked.
struct Success
{
    Setup setup{};
    ExpectedAnswer answer{};
    int tries = -1; // chat completion requests
};

// How a generation fails; -1: not checked.
struct Failure
{
    Setup setup{};
    LlmReply::Error error = LlmReply::Error::None;
    QStringList says{};  // the message contains each
    int tries = -1;      // chat completion requests
    bool noText = false; // the result has no text
};

// The client LlmFactory builds for the configuration is a FailoverClient: at which endpoint?
int failoverIndex(const std::unique_ptr<LlmClient> &client)
{
    const auto *failover = qobject_cast<FailoverClient *>(client.get());
    return failover ? failover->currentIndex() : -1;
}

} // namespace

Q_DECLARE_METATYPE(Success)
Q_DECLARE_METATYPE(Failure)

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
    void generateSucceeds_data();
    void generateSucceeds();
    void thinkingNeverReachesTheText_data();
    void thinkingNeverReachesTheText();
    void apiKeyComesFromTheEnvironment();
    void refusedKeyIsNotRetriedAndNamesTheVariable();
    void generateFails_data();
    void generateFails();
    void refusedConnectionIsUnreachable();
    void cancelAllAbortsRequestsInFlight();
    void failoverUsesTheSecondEndpointWhenTheFirstIsRefused();
    void failoverGenerateMovesOnWithoutAHealthCheck();
    void failoverWorksForOllamaToo();
    void contextWindowIsTheEndpointInUse();
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
    const QJsonObject body = jsonObject(OpenAiClient::chatBody(config, documentRequest()));
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
    QCOMPARE(body.value(QStringLiteral("messages")).toArray().size(), 2);
    QCOMPARE(messageField(body, 0, QStringLiteral("role")), QStringLiteral("system"));
    QCOMPARE(messageField(body, 0, QStringLiteral("content")),
             QStringLiteral("You write API docs."));
    QCOMPARE(messageField(body, 1, QStringLiteral("role")), QStringLiteral("user"));

    // Request overrides; no limit and no seed leave the fields out.
    config.numPredict = -1;
    config.seed.reset();
    GenerationRequest request = documentRequest();
    request.temperature = 0.9;
    request.system.clear();
    const QJsonObject other = jsonObject(OpenAiClient::chatBody(config, request));
    QCOMPARE(other.value(QStringLiteral("temperature")).toDouble(), 0.9);
    QVERIFY(!other.contains(QStringLiteral("max_tokens")));
    QVERIFY(!other.contains(QStringLiteral("seed")));
    QCOMPARE(other.value(QStringLiteral("messages")).toArray().size(), 1);
}

void TestOpenAiClient::describeAndSetupHint()
{
    TestEnvironment env;
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setModels({QStringLiteral("other:2b"), QStringLiteral("tiny:1b")});
    OpenAiClient client(configFor(rig.server), rig.server.baseUrl(), &rig.network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.checkHealth();
    QVERIFY(outcome.run(reply));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    QCOMPARE(rig.server.requests().size(), 1);
    QCOMPARE(rig.server.requests().first().method, QByteArrayLiteral("GET"));
    QCOMPARE(rig.server.requests().first().path, QByteArrayLiteral("/v1/models"));
    // No key configured: no Authorization header.
    QVERIFY(headerOf(rig.server.requests().first(), "Authorization").isEmpty());
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
    ServerRig rig;
    QVERIFY(rig.server.start());
    rig.server.setModels(served);
    OpenAiClient client(configFor(rig.server), rig.server.baseUrl(), &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.checkHealth()));
    QCOMPARE(outcome.error, LlmReply::Error::ModelMissing);
    QVERIFY2(outcome.message.contains(QLatin1String("model tiny:1b")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(expected), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("llm.model")), qPrintable(outcome.message));
}

void TestOpenAiClient::streamingAssemblesTheAnswer()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    const QString answer = QStringLiteral("## parse_config\n\nReads the file, checks each key.");
    rig.server.setReplyText(answer);
    OpenAiClient client(configFor(rig.server), rig.server.baseUrl(), &rig.network);

    Outcome outcome;
    QPointer<LlmReply> reply = client.generate(documentRequest());
    QVERIFY(outcome.run(reply));
    // Token counts come from the usage chunk: the fake counts words.
    checkAnswer(outcome, {.text = answer,
                          .doneReason = QStringLiteral("stop"),
                          .promptTokens = 8,
                          .outputTokens = 8});
    if (QTest::currentTestFailed()) {
        return;
    }
    QCOMPARE(outcome.result.model, QStringLiteral("tiny:1b"));
    // One progress signal per streamed piece, counting up; rates are never negative.
    QCOMPARE(outcome.progressTokens.size(), 8);
    for (int i = 0; i < outcome.progressTokens.size(); ++i) {
        QCOMPARE(outcome.progressTokens.at(i), i + 1);
        QVERIFY(outcome.progressRates.at(i) >= 0);
    }

    const auto chats = rig.server.requestsTo("/v1/chat/completions");
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats.first().method, QByteArrayLiteral("POST"));
    QCOMPARE(chats.first().json().value(QStringLiteral("stream")).toBool(), true);
    QVERIFY(headerOf(chats.first(), "Content-Type").startsWith("application/json"));
    QVERIFY(headerOf(chats.first(), "Authorization").isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(reply.isNull(), waitLimitMs);
}

// A generation that succeeds.
void TestOpenAiClient::generateSucceeds_data()
{
    QTest::addColumn<Success>("expected");
    QTest::newRow("length is reported as done reason") << Success{
        .setup =
            [](FakeOllamaServer &server, Config &) {
                server.setReplyText(QStringLiteral("one two three four five six"));
                server.cutNextGenerates(1);
            },
        .answer = {.text = QStringLiteral("one two three"),
                   .doneReason = QStringLiteral("length"),
                   .outputTokens = 3},
    };
    // A server that ignores "stream": one chat.completion object.
    QTest::newRow("single object answer is accepted") << Success{
        .setup =
            [](FakeOllamaServer &server, Config &) {
                server.setRawGenerateResponse(httpResponse(
                    "application/json",
                    R"({"id":"chatcmpl-1","object":"chat.completion","model":"tiny:1b","choices":[{"index":0,"message":{"role":"assistant","content":"<think>hm</think>Whole answer.","reasoning_content":"secret trace"},"finish_reason":"length"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}})"));
            },
        .answer = {.text = QStringLiteral("Whole answer."),
                   .doneReason = QStringLiteral("length"),
                   .promptTokens = 12,
                   .outputTokens = 3},
    };
    QTest::newRow("failed tries then success") << Success{
        .setup =
            [](FakeOllamaServer &server, Config &) {
                server.setError(503, QStringLiteral("Loading model"));
                server.failNextGenerates(2);
            },
        .answer = {.text = QStringLiteral("This function does something useful.")},
        .tries = 3,
    };
}

void TestOpenAiClient::generateSucceeds()
{
    QFETCH(Success, expected);
    ServerRig rig;
    Outcome outcome;
    QVERIFY(generateOnce(rig, expected.setup, outcome));
    checkAnswer(outcome, expected.answer);
    if (QTest::currentTestFailed()) {
        return;
    }
    if (expected.tries >= 0) {
        QCOMPARE(rig.server.chatCompletionCount(), expected.tries);
    }
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
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    rig.server.setReplyText(reply);
    if (!field.isEmpty()) {
        rig.server.setOpenAiReasoning(reasoning, field);
    }
    OpenAiClient client(configFor(rig.server), rig.server.baseUrl(), &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, expected);
    QVERIFY(!outcome.result.text.contains(QLatin1String("think")));
    // Reasoning pieces count as progress: the model is working.
    QVERIFY(!outcome.progressTokens.isEmpty());
}

void TestOpenAiClient::apiKeyComesFromTheEnvironment()
{
    TestEnvironment env;
    const QByteArray secret = QByteArrayLiteral("sk-test-0123456789");
    ScopedVariable key(apiKeyVariable, secret);
    FakeOllamaServer server;
    QVERIFY(startWithTheModel(server));
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
    QVERIFY(health.run(client->checkHealth()));
    QVERIFY2(health.succeeded(), qPrintable(health.message));
    Outcome outcome;
    QVERIFY(outcome.run(client->generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));

    QCOMPARE(server.requests().size(), 2);
    for (const auto &request : server.requests()) {
        QCOMPARE(headerOf(request, "Authorization"), QByteArrayLiteral("Bearer ") + secret);
        QVERIFY(!request.body.contains(secret));
    }
}

void TestOpenAiClient::refusedKeyIsNotRetriedAndNamesTheVariable()
{
    ScopedVariable key(apiKeyVariable, QByteArray());
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    rig.server.setRequiredApiKey(QByteArrayLiteral("sk-needed"));
    Config config = configFor(rig.server);
    config.llm.apiKeyEnv = QString::fromLatin1(apiKeyVariable);
    OpenAiClient client(config, rig.server.baseUrl(), &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QCOMPARE(outcome.error, LlmReply::Error::HttpError);
    QVERIFY2(outcome.message.contains(QLatin1String("HTTP 401")), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String(apiKeyVariable)), qPrintable(outcome.message));
    QVERIFY2(outcome.message.contains(QLatin1String("not set")), qPrintable(outcome.message));
    QCOMPARE(rig.server.chatCompletionCount(), 1);
    QVERIFY(headerOf(rig.server.requests().first(), "Authorization").isEmpty());
}

// A generation that fails.
void TestOpenAiClient::generateFails_data()
{
    using Mode = FakeOllamaServer::Mode;
    using Error = LlmReply::Error;
    QTest::addColumn<Failure>("expected");
    const auto httpError = [](Mode mode, int status, const QString &message) {
        return Setup([=](FakeOllamaServer &server, Config &) {
            server.setMode(mode);
            server.setError(status, message);
        });
    };
    const auto raw = [](const QByteArray &events, int retries) {
        return Setup([=](FakeOllamaServer &server, Config &config) {
            server.setRawGenerateResponse(sseResponse(events));
            config.ollama.retries = retries;
        });
    };

    QTest::newRow("server error is retried then reported") << Failure{
        .setup = httpError(Mode::HttpError, 500, QStringLiteral("llama runner crashed")),
        .error = Error::HttpError,
        .says = {QStringLiteral("HTTP 500: llama runner crashed"), QStringLiteral("after 3 tries")},
        .tries = 3,
    };
    QTest::newRow("client error is not retried") << Failure{
        .setup = httpError(Mode::HttpError, 400, QStringLiteral("'messages' is too short")),
        .error = Error::HttpError,
        .says = {QStringLiteral("HTTP 400: 'messages' is too short")},
        .tries = 1,
    };
    QTest::newRow("missing model is not retried") << Failure{
        .setup = [](FakeOllamaServer &server,
                    Config &) { server.setModels({QStringLiteral("other:2b")}); },
        .error = Error::ModelMissing,
        .says = {QStringLiteral("model 'tiny:1b' not found")},
        .tries = 1,
    };
    QTest::newRow("error in the middle of the stream") << Failure{
        .setup = httpError(Mode::ErrorMidStream, 500,
                           QStringLiteral("model runner has unexpectedly stopped")),
        .error = Error::HttpError,
        .says = {QStringLiteral("model runner has unexpectedly stopped")},
        .noText = true,
    };
    // Content, then the end of the body: no finish_reason, no [DONE].
    QTest::newRow("truncated stream is retried then a bad response") << Failure{
        .setup = raw(
            R"(data: {"choices":[{"index":0,"delta":{"content":"Half an"},"finish_reason":null}]})"
            "\n\n",
            3),
        .error = Error::BadResponse,
        .says = {QStringLiteral("ended before the answer was complete")},
        .tries = 3,
    };
    QTest::newRow("malformed event is a bad response") << Failure{
        .setup = raw("data: {\"choices\": [tru\n\ndata: [DONE]\n\n", 1),
        .error = Error::BadResponse,
        .says = {QStringLiteral("not a JSON object")},
    };
    QTest::newRow("hanging server times out waiting for the first token") << Failure{
        .setup =
            [](FakeOllamaServer &server, Config &config) {
                server.setMode(Mode::Hang);
                config.ollama.retries = 1;
                config.ollama.firstTokenTimeoutS = 0.3;
            },
        .error = Error::Timeout,
        .says = {QStringLiteral("llm.timeouts.first_token_s")},
        .tries = 1,
    };
}

void TestOpenAiClient::generateFails()
{
    QFETCH(Failure, expected);
    ServerRig rig;
    Outcome outcome;
    QVERIFY(generateOnce(rig, expected.setup, outcome));
    QCOMPARE(outcome.error, expected.error);
    const QString missing = firstMissing(outcome.message, expected.says);
    QVERIFY2(missing.isEmpty(),
             qPrintable(missing + QStringLiteral(" not in: ") + outcome.message));
    if (expected.tries >= 0) {
        QCOMPARE(rig.server.chatCompletionCount(), expected.tries);
    }
    if (expected.noText) {
        QVERIFY(outcome.result.text.isEmpty());
    }
}

void TestOpenAiClient::refusedConnectionIsUnreachable()
{
    TestEnvironment env;
    const QString url = closedUrl();
    QNetworkAccessManager network;
    OpenAiClient client(configFor({url}), url, &network);

    Outcome health;
    QVERIFY(health.run(client.checkHealth()));
    QCOMPARE(health.error, LlmReply::Error::Unreachable);
    QVERIFY2(health.message.contains(url), qPrintable(health.message));
    QVERIFY2(health.message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(health.message));

    Outcome outcome;
    QVERIFY(outcome.run(client.generate(documentRequest())));
    QCOMPARE(outcome.error, LlmReply::Error::Unreachable);
    QVERIFY2(outcome.message.contains(QLatin1String("after 3 tries")), qPrintable(outcome.message));
}

void TestOpenAiClient::cancelAllAbortsRequestsInFlight()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    rig.server.setMode(FakeOllamaServer::Mode::Hang);
    OpenAiClient client(configFor(rig.server), rig.server.baseUrl(), &rig.network);
    cancelAllFinishesEveryReply(client, rig.server, "/v1/chat/completions");
}

void TestOpenAiClient::failoverUsesTheSecondEndpointWhenTheFirstIsRefused()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({closedUrl(), rig.server.baseUrl()}), &rig.network);
    auto *failover = qobject_cast<FailoverClient *>(client.get());
    QVERIFY(failover);
    QCOMPARE(failover->endpointCount(), 2);
    QCOMPARE(failover->currentIndex(), 0);

    Outcome health;
    QVERIFY(health.run(client->checkHealth()));
    QVERIFY2(health.succeeded(), qPrintable(health.message));
    QCOMPARE(failover->currentIndex(), 1);
    QCOMPARE(failover->currentEndpoint(), rig.server.baseUrl());
    QVERIFY2(client->describe().contains(rig.server.baseUrl()), qPrintable(client->describe()));

    Outcome outcome;
    QVERIFY(outcome.run(client->generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, QStringLiteral("This function does something useful."));
    QCOMPARE(rig.server.chatCompletionCount(), 1);
    QCOMPARE(failover->currentIndex(), 1);
}

void TestOpenAiClient::failoverGenerateMovesOnWithoutAHealthCheck()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({closedUrl(), rig.server.baseUrl()}), &rig.network);

    Outcome outcome;
    QVERIFY(outcome.run(client->generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(rig.server.chatCompletionCount(), 1);
    QCOMPARE(failoverIndex(client), 1);

    // A refused request is an answer, not a reason to fail over.
    rig.server.setMode(FakeOllamaServer::Mode::HttpError);
    rig.server.setError(400, QStringLiteral("bad request"));
    Outcome refused;
    QVERIFY(refused.run(client->generate(documentRequest())));
    QCOMPARE(refused.error, LlmReply::Error::HttpError);
    QCOMPARE(failoverIndex(client), 1);
}

void TestOpenAiClient::failoverWorksForOllamaToo()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    Config config = configFor({closedUrl(), rig.server.baseUrl()});
    config.llm.provider = QStringLiteral("ollama");
    const std::unique_ptr<LlmClient> client = LlmFactory::create(config, &rig.network);
    QVERIFY(qobject_cast<FailoverClient *>(client.get()));

    Outcome health;
    QVERIFY(health.run(client->checkHealth()));
    QVERIFY2(health.succeeded(), qPrintable(health.message));
    QVERIFY2(client->describe().contains(rig.server.baseUrl()), qPrintable(client->describe()));
    QCOMPARE(failoverIndex(client), 1);
}

// What prompts are sized for: the configured num_ctx, and after an Ollama endpoint ran out of
// memory, that endpoint's smaller window once the failover uses it.
void TestOpenAiClient::contextWindowIsTheEndpointInUse()
{
    ServerRig rig;
    QVERIFY(startWithTheModel(rig.server));
    Config config = configFor({closedUrl(), rig.server.baseUrl()});
    config.ollama.numCtx = 12000;
    QCOMPARE(OpenAiClient(config, rig.server.baseUrl(), &rig.network).contextWindow(), 12000);

    config.llm.provider = QStringLiteral("ollama");
    const std::unique_ptr<LlmClient> client = LlmFactory::create(config, &rig.network);
    QVERIFY(qobject_cast<FailoverClient *>(client.get()));
    QCOMPARE(client->contextWindow(), 12000);
    rig.server.setFault(FakeOllamaServer::Fault::OutOfMemory);
    Outcome outcome;
    QVERIFY(outcome.run(client->generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(failoverIndex(client), 1);
    QCOMPARE(client->contextWindow(), 8192);
}

void TestOpenAiClient::allEndpointsDownNamesEach()
{
    TestEnvironment env;
    const QString first = closedUrl();
    const QString second = closedUrl();
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client =
        LlmFactory::create(configFor({first, second}), &network);

    Outcome health;
    QVERIFY(health.run(client->checkHealth()));
    QCOMPARE(health.error, LlmReply::Error::Unreachable);
    QVERIFY2(health.message.contains(first) && health.message.contains(second),
             qPrintable(health.message));
}

void TestOpenAiClient::remoteEndpointNeedsConsent()
{
    TestEnvironment env;
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
    QVERIFY(outcome.run(client->generate(documentRequest())));
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
    TestEnvironment env;
    // A proxy nobody listens on: going through it would fail.
    const QByteArray deadProxy = closedUrl().toUtf8();
    ScopedVariable http("http_proxy", deadProxy);
    ScopedVariable httpUpper("HTTP_PROXY", deadProxy);
    ScopedVariable all("all_proxy", QByteArray());
    ScopedVariable noProxy("no_proxy", QByteArray());
    ScopedVariable noProxyUpper("NO_PROXY", QByteArray());
    FakeOllamaServer server;
    QVERIFY(startWithTheModel(server));
    QNetworkAccessManager network;
    const std::unique_ptr<LlmClient> client = LlmFactory::create(configFor(server), &network);

    Outcome outcome;
    QVERIFY(outcome.run(client->generate(documentRequest())));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(server.chatCompletionCount(), 1);
}

QTEST_GUILESS_MAIN(TestOpenAiClient)

#include "TestOpenAiClient.moc"
