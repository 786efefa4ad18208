#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace codeworm {

// One request to Ollama (OllamaClient's private reply type). Drives the attempts: sends the
// request, parses the streamed NDJSON as it arrives, enforces the time limits and schedules
// retries on a single-shot timer. Finishes once, then deletes itself (deleteLater).
class OllamaReply : public LlmReply
{
    Q_OBJECT
public:
    enum class Kind { Health, Generate };

    // baseUrl: for messages ("http://localhost:11434"); endpoint: the URL requested.
    OllamaReply(Kind kind, const OllamaConfig &config, const QString &baseUrl, const QUrl &endpoint,
                const QByteArray &body, QNetworkAccessManager *network, QObject *parent);

    void start();
    void cancel();

private:
    enum class Phase { Connecting, Waiting, Receiving };

    struct Failure
    {
        Error error = Error::None;
        QString message;
        bool retry = false;
    };

    void startAttempt();
    void releaseNetworkReply();
    void onRequestSent();
    void onReadyRead();
    void onNetworkFinished();
    void onStalled();
    void onTotalTimeout();
    // These return false once the reply has finished (an error in the stream).
    bool processLines(bool endOfBody);
    bool handleLine(QByteArrayView line);
    bool handleObject(const QJsonObject &object);
    void reportProgress();
    void failAttempt(const Failure &failure);
    void succeed(const GenerationResult &result);
    void fail(Error error, const QString &message);
    Failure httpFailure(int status, const QByteArray &body) const;
    Failure networkFailure(QNetworkReply *reply) const;
    int httpStatus() const;
    bool wholeBody() const;
    int maxTries() const;

    const Kind m_kind;
    const OllamaConfig m_config;
    const QString m_baseUrl;
    const QUrl m_endpoint;
    const QByteArray m_body;
    QNetworkAccessManager *const m_network;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_stallTimer;
    QTimer *m_totalTimer;
    QTimer *m_retryTimer;
    int m_try = 0;
    Phase m_phase = Phase::Connecting;
    QByteArray m_pending; // bytes not yet split into lines (or the whole non-streamed body)
    GenerationResult m_partial;
    int m_pieces = 0;
    bool m_done = false;
    QElapsedTimer m_sinceFirstPiece;
};

} // namespace codeworm
