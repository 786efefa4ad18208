#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QUrl>

class QNetworkAccessManager;
class QTimer;

namespace codeworm {

// The time limits and retries of one request, in seconds. A non-positive limit means none.
struct ReplyLimits
{
    double connectS = 10;     // until the request is sent
    double firstTokenS = 300; // from the request sent to the first byte of the answer
    double idleS = 60;        // between two pieces of a streamed answer
    double totalS = 600;      // the whole request, its retries included
    int tries = 1;
    double retryDelayS = 2;     // the first wait; doubles per try, with jitter (as Ollama's)
    double retryMaxDelayS = 30; // the longest wait (non-positive: no cap)

    // A generation as configured (ollama.* after llm.* overrode it).
    static ReplyLimits forGeneration(const OllamaConfig &config);
    // A probe (health, model list): one try, the connect limit for each phase and in all.
    static ReplyLimits forProbe(const OllamaConfig &config);
};

// One HTTP request to an LLM server, driven through its attempts: sends it, hands the body to
// the subclass line by line as it streams in (or whole when it is not streamed), enforces the
// connect / first-token / idle / total limits and retries with exponential backoff on a
// single-shot timer. Finishes once, then deletes itself (deleteLater). The subclass parses the
// wire format and reports through succeed(), fail() or failAttempt().
class StreamingReply : public LlmReply
{
    Q_OBJECT
public:
    struct Request
    {
        QUrl url;
        QByteArray body; // POSTed as application/json; empty: GET
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    // server names the server in messages ("Ollama at http://localhost:11434").
    StreamingReply(const QString &server, Request request, const ReplyLimits &limits,
                   QNetworkAccessManager *network, QObject *parent);

    void start();
    // Aborts at once; finishes with Error::Cancelled unless already finished.
    void cancel();

protected:
    enum class Limit { Connect, FirstToken, Idle, Total };

    struct Failure
    {
        Error error = Error::None;
        QString message;
        bool retry = false;
        bool dropped = false; // closed before any answer: asked once more even past `tries`
    };

    // Resets the parse state before each try.
    virtual void beginAttempt() {}
    // One line of a streamed 2xx body, without its line end. Reading stops once the reply has
    // finished or the attempt failed.
    virtual void handleLine(QByteArrayView line) = 0;
    // The end of a 2xx body: the whole body when it was not streamed, else empty (every line
    // went to handleLine). Must succeed, fail or failAttempt.
    virtual void handleEnd(const QByteArray &body, bool streamed) = 0;
    // Defaults: 5xx, 408 and 429 are retried, other statuses are not; connection errors and
    // time-outs are retried. Not connecting within the connect limit counts as Unreachable.
    virtual Failure httpFailure(int status, const QByteArray &body) const;
    virtual Failure networkFailure(QNetworkReply::NetworkError error,
                                   const QString &errorString) const;
    virtual Failure timeoutFailure(Limit limit) const;
    // Whether the body is read line by line; default: unless it is application/json.
    virtual bool isStreamed(const QNetworkReply &reply) const;

    // Counts one generated piece and emits progress().
    void countToken();
    int tokens() const { return m_tokens; }
    qint64 elapsedMs() const;
    const QString &server() const { return m_server; }
    const ReplyLimits &limits() const { return m_limits; }

    void failAttempt(const Failure &failure);
    void succeed(GenerationResult result);
    void fail(Error error, const QString &message);

private:
    enum class Phase { Connecting, Waiting, Receiving };

    void startAttempt();
    void releaseNetworkReply();
    void onRequestSent();
    void onReadyRead();
    void onNetworkFinished();
    void onPhaseTimeout();
    void onTotalTimeout();
    // False once the attempt is over (the subclass finished or failed it).
    bool processLines(bool endOfBody);
    bool attemptOver() const;
    int httpStatus() const;
    int retryDelayMs() const;

    const QString m_server;
    const Request m_request;
    const ReplyLimits m_limits;
    QNetworkAccessManager *const m_network;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_phaseTimer;
    QTimer *m_totalTimer;
    QTimer *m_retryTimer;
    QElapsedTimer m_sinceStart;
    QElapsedTimer m_sinceFirstToken;
    Phase m_phase = Phase::Connecting;
    QByteArray m_pending; // bytes not yet split into lines (or the whole non-streamed body)
    int m_try = 0;
    int m_tokens = 0;
    bool m_attemptOver = false;
};

} // namespace codeworm
