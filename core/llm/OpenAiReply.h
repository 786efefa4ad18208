#pragma once

#include "llm/StreamingReply.h"

namespace codeworm {

// One request to an OpenAI-compatible server (OpenAiClient's private reply type): the model
// list (GET /v1/models, which must name the configured model) or a chat completion streamed
// as server-sent events ("data: {...}" lines, then "data: [DONE]"). Reasoning fields
// (reasoning_content, reasoning) and <think> blocks never reach the text.
class OpenAiReply : public StreamingReply
{
    Q_OBJECT
public:
    enum class Kind { Models, Chat };

    // apiKeyEnv only names the variable in messages about a refused key.
    OpenAiReply(Kind kind, const QString &model, const QString &apiKeyEnv, const QString &server,
                Request request, const ReplyLimits &limits, QNetworkAccessManager *network,
                QObject *parent);

protected:
    void beginAttempt() override;
    void handleLine(QByteArrayView line) override;
    void handleEnd(const QByteArray &body, bool streamed) override;
    Failure httpFailure(int status, const QByteArray &body) const override;
    Failure networkFailure(QNetworkReply::NetworkError error,
                           const QString &errorString) const override;
    Failure timeoutFailure(Limit limit) const override;
    bool isStreamed(const QNetworkReply &reply) const override;

private:
    // False when the object was an error (the reply has failed).
    bool handleChunk(const QJsonObject &chunk, bool streamed);
    void handleModels(const QByteArray &body);
    void finishChat();
    QString keyHint() const;

    const Kind m_kind;
    const QString m_model;
    const QString m_apiKeyEnv;
    QString m_text;
    QString m_answeredModel;
    QString m_finishReason;
    int m_promptTokens = -1;
    int m_completionTokens = -1;
    bool m_errorEvent = false; // the last SSE "event:" line was "error"
};

} // namespace codeworm
