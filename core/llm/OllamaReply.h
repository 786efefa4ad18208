#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

Q_DECLARE_LOGGING_CATEGORY(lcOllama)

namespace codeworm {

// One operation against Ollama (OllamaClient's private reply type): a health check, a
// generation or a model load. Drives the HTTP exchanges it needs one after the other, parses
// streamed NDJSON as it arrives, enforces the time limits, retries with backoff and recovers
// from out-of-memory failures. Finishes once, then deletes itself (deleteLater).
//
// Health: GET / (alive), GET /api/version, GET /api/tags (is the model installed?), then
// POST /api/pull when the model is missing and ollama.auto_pull is set. result().text is the
// server's version, result().model the model checked.
// Generate: POST /api/generate or /api/chat (the body is given). Load: POST /api/generate
// with no prompt, which loads the model (prewarm).
class OllamaReply : public LlmReply
{
    Q_OBJECT
public:
    enum class Kind { Health, Generate, Load };

    // baseUrl: "http://localhost:11434"; path and body: the request of Generate and Load.
    OllamaReply(Kind kind, const OllamaConfig &config, const QString &baseUrl, const QString &path,
                const QByteArray &body, QNetworkAccessManager *network, QObject *parent);

    void start();
    void cancel();

    // Wait before try n + 1 after n failed tries: retry_delay_s doubling per try, capped at
    // retry_max_delay_s, drawn from its upper half so that clients do not retry in step.
    static double backoffSeconds(const OllamaConfig &config, int failedTries);

signals:
    // While pulling a missing model: Ollama's status line and the bytes of the current layer.
    void pullProgress(const QString &status, qint64 completed, qint64 total);
    // After an out-of-memory failure the context window was reduced to this.
    void contextReduced(int numCtx);

private:
    // The HTTP exchanges an operation is made of.
    enum class Step { Root, Version, Tags, Pull, Unload, Request };
    // Which time limit the exchange in flight is under.
    enum class Wait { Connect, FirstByte, Idle };

    struct Failure
    {
        Error error = Error::None;
        QString message;
        bool retry = false;
        bool outOfMemory = false;
        bool dropped =
            false; // the connection closed before any answer: asked again even by a probe
    };

    void begin(Step step);
    void attempt();
    void send();
    void releaseNetworkReply();
    void onRequestSent();
    void onReadyRead();
    void onNetworkFinished();
    void onWaitTimeout();
    void onDeadline();
    void afterProbe(const QByteArray &body);
    void checkTags(const QByteArray &body);
    // These return false once the attempt has ended (a failure in the stream).
    bool processLines(bool endOfBody);
    bool handleLine(QByteArrayView line);
    // The common line of a generation read without a JSON document; false leaves the line to
    // handleAnswer (the final line, errors, anything unusual).
    bool takeTokenLine(QByteArrayView line);
    bool handleAnswer(const QJsonObject &object);
    bool handleObject(const QJsonObject &object);
    bool handlePullObject(const QJsonObject &object);
    void reportProgress();
    void reportPull(const QString &status, qint64 completed, qint64 total);
    void failAttempt(const Failure &failure);
    void retryAfterUnload();
    void succeed(const GenerationResult &result);
    void fail(Error error, const QString &message);
    Failure httpFailure(int status, const QByteArray &body) const;
    Failure networkFailure(QNetworkReply *reply) const;
    Failure streamError(const QString &message) const;
    double idleLimit() const;
    bool streamed() const; // the step's answer comes as NDJSON lines
    bool isProbe() const;  // a quick GET that must answer within the connect limit
    QString stepName() const;
    int httpStatus() const;
    bool wholeBody() const;
    int maxTries() const;

    const Kind m_kind;
    const OllamaConfig m_config;
    const QString m_baseUrl;
    const QString m_path;
    QByteArray m_body;
    QNetworkAccessManager *const m_network;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_waitTimer;
    QTimer *m_deadlineTimer;
    QTimer *m_retryTimer;
    Step m_step = Step::Root;
    Wait m_wait = Wait::Connect;
    int m_try = 0;
    bool m_oomRecovered = false;
    qint64 m_received = 0;
    QByteArray m_pending; // bytes not yet split into lines (or the whole non-streamed body)
    GenerationResult m_partial;
    int m_pieces = 0;
    bool m_done = false;
    QElapsedTimer m_sinceFirstPiece;
    qint64 m_batchMs = -1; // m_sinceFirstPiece at this batch of lines; -1: not read yet
    QString m_version;
    QString m_pullStatus; // for the log: a line per status and per tenth of a layer
    int m_pullTenth = -1;
};

} // namespace codeworm
