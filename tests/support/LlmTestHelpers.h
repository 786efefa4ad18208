#pragma once

#include "FakeOllamaServer.h"
#include "TestEnvironment.h"
#include "llm/LlmClient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTest>

// Fixtures the tests of the language model clients (TestOllamaClient, TestOpenAiClient) share.
// The parts that touch LlmReply are inline: only the tests that link codeworm_llm use them.
namespace codeworm::test {

// How long a test waits for a reply or for requests to arrive.
inline constexpr int waitLimitMs = 20000;

// A port on which nothing listens: taken from a server that is closed again.
quint16 closedPort();
// "http://127.0.0.1:<closedPort()>".
QString closedUrl();

// A system prompt of four words and a prompt of four words.
GenerationRequest documentRequest();

// A whole "200 OK" HTTP response with Content-Length and "Connection: close".
QByteArray httpResponse(const QByteArray &contentType, const QByteArray &body);
// Server-sent events (text/event-stream).
QByteArray sseResponse(const QByteArray &events);
// One JSON object a line (application/x-ndjson).
QByteArray ndjsonResponse(const QList<QByteArray> &lines);

// The value of a request's header, by case-insensitive name; empty when missing.
QByteArray headerOf(const FakeOllamaServer::Request &request, const QByteArray &name);
// The bytes parsed as a JSON object (empty when they are not one).
QJsonObject jsonObject(const QByteArray &bytes);
// body["options"][name], the model options of an Ollama request.
QJsonValue optionOf(const QJsonObject &body, const QString &name);
// body["messages"][index][field], of a chat request.
QString messageField(const QJsonObject &body, int index, const QString &field);

// The first of the parts the message does not contain, "{url}" in a part standing for url;
// empty when it contains them all.
QString firstMissing(const QString &message, const QStringList &parts, const QString &url = {});

// Waits until the server has received count requests to path; false when it did not (or
// received more) within timeoutMs.
[[nodiscard]] bool waitForRequests(const FakeOllamaServer &server, const QByteArray &path,
                                   int count, int timeoutMs = waitLimitMs);

// A test's temporary environment, a fake server (start it with QVERIFY(rig.server.start()))
// and the network access manager for the client under test.
struct ServerRig
{
    TestEnvironment env;
    FakeOllamaServer server;
    QNetworkAccessManager network;
};

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

    // Watches the reply and runs the event loop until it has finished; true when it finished
    // exactly once within timeoutMs.
    [[nodiscard]] bool run(LlmReply *reply, int timeoutMs = waitLimitMs)
    {
        watch(reply);
        return QTest::qWaitFor([this] { return finishedCount > 0; }, timeoutMs) &&
               finishedCount == 1;
    }

    bool succeeded() const { return finishedCount == 1 && error == LlmReply::Error::None; }
};

// What a successful reply's result holds; -1 and empty: not checked (the text always is).
struct ExpectedAnswer
{
    QString text{};
    QString doneReason{};
    int promptTokens = -1;
    int outputTokens = -1;
};

// Checks that the reply succeeded with the expected answer. The checks are QTest's: a failed
// one returns from here, so look at QTest::currentTestFailed() after the call.
inline void checkAnswer(const Outcome &outcome, const ExpectedAnswer &expected)
{
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.message));
    QCOMPARE(outcome.result.text, expected.text);
    if (!expected.doneReason.isEmpty()) {
        QCOMPARE(outcome.result.doneReason, expected.doneReason);
    }
    if (expected.promptTokens >= 0) {
        QCOMPARE(outcome.result.promptTokens, expected.promptTokens);
    }
    if (expected.outputTokens >= 0) {
        QCOMPARE(outcome.result.outputTokens, expected.outputTokens);
    }
}

// Starts two generations on a server that never answers them (they reach path), then
// cancels all: both replies finish at once, not at the next time limit, with Error::Cancelled
// and a message naming the server, and finish only once.
inline void cancelAllFinishesEveryReply(LlmClient &client, const FakeOllamaServer &server,
                                        const QByteArray &path)
{
    Outcome first;
    Outcome second;
    QPointer<LlmReply> firstReply = client.generate(documentRequest());
    first.watch(firstReply);
    second.watch(client.generate(documentRequest()));
    QVERIFY(waitForRequests(server, path, 2));
    client.cancelAll();
    QCOMPARE(first.finishedCount, 1);
    QCOMPARE(first.error, LlmReply::Error::Cancelled);
    QCOMPARE(second.finishedCount, 1);
    QCOMPARE(second.error, LlmReply::Error::Cancelled);
    QVERIFY2(first.message.contains(server.baseUrl()), qPrintable(first.message));
    QTRY_VERIFY_WITH_TIMEOUT(firstReply.isNull(), waitLimitMs);
    QCOMPARE(first.finishedCount, 1);
}

// Sets (or unsets, with a null value) an environment variable until the end of the scope.
class ScopedVariable
{
public:
    ScopedVariable(const char *name, const QByteArray &value);
    ~ScopedVariable();
    ScopedVariable(const ScopedVariable &) = delete;
    ScopedVariable &operator=(const ScopedVariable &) = delete;

private:
    const char *m_name;
    QByteArray m_saved;
    bool m_wasSet;
};

} // namespace codeworm::test
