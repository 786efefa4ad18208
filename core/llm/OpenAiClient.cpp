#include "llm/OpenAiClient.h"

#include "llm/OpenAiReply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUrl>

namespace codeworm {

OpenAiClient::OpenAiClient(const Config &config, const QString &baseUrl,
                           QNetworkAccessManager *network, QObject *parent)
    : LlmClient(parent)
    , m_config(config.ollama)
    , m_apiKeyEnv(config.llm.apiKeyEnv)
    , m_baseUrl(baseUrl)
    , m_network(network)
{}

QString OpenAiClient::describe() const
{
    return tr("OpenAI-compatible server at %1, model %2").arg(m_baseUrl, m_config.model);
}

QString OpenAiClient::setupHint() const
{
    QString hint = tr("Start the OpenAI-compatible server (llama.cpp's llama-server, LM Studio, "
                      "vLLM or Ollama) at %1 with the model %2 (config: llm.endpoints, llm.model)")
                       .arg(m_baseUrl, m_config.model);
    if (!m_apiKeyEnv.isEmpty() && qEnvironmentVariableIsEmpty(m_apiKeyEnv.toLocal8Bit())) {
        hint += tr(", and set the environment variable %1 to its API key").arg(m_apiKeyEnv);
    }
    return hint;
}

LlmReply *OpenAiClient::checkHealth()
{
    auto *reply =
        new OpenAiReply(OpenAiReply::Kind::Models, m_config.model, m_apiKeyEnv, serverName(),
                        {QUrl(m_baseUrl + QStringLiteral("/v1/models")), QByteArray(), headers()},
                        ReplyLimits::forProbe(m_config), m_network, this);
    reply->start();
    return reply;
}

LlmReply *OpenAiClient::generate(const GenerationRequest &request)
{
    QList<QPair<QByteArray, QByteArray>> chatHeaders = headers();
    chatHeaders.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream")});
    auto *reply =
        new OpenAiReply(OpenAiReply::Kind::Chat, m_config.model, m_apiKeyEnv, serverName(),
                        {QUrl(m_baseUrl + QStringLiteral("/v1/chat/completions")),
                         chatBody(m_config, request), chatHeaders},
                        ReplyLimits::forGeneration(m_config), m_network, this);
    reply->start();
    return reply;
}

void OpenAiClient::cancelAll()
{
    cancelOwnReplies<OpenAiReply>();
}

QByteArray OpenAiClient::chatBody(const OllamaConfig &config, const GenerationRequest &request)
{
    QJsonArray messages;
    if (!request.system.isEmpty()) {
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), request.system}});
    }
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), request.prompt}});
    QJsonObject body{
        {QStringLiteral("model"), config.model},
        {QStringLiteral("messages"), messages},
        {QStringLiteral("stream"), true},
        // The usage chunk carries the token counts.
        {QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}}},
        // Sent always: Ollama's /v1 takes an omitted temperature as 1.0.
        {QStringLiteral("temperature"), request.temperature.value_or(config.temperature)},
    };
    // num_predict -1 (no limit) and -2 (fill the context) have no max_tokens equivalent.
    if (const int maxTokens = request.numPredict.value_or(config.numPredict); maxTokens > 0) {
        body.insert(QStringLiteral("max_tokens"), maxTokens);
    }
    if (config.seed) {
        body.insert(QStringLiteral("seed"), *config.seed);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QList<QPair<QByteArray, QByteArray>> OpenAiClient::headers() const
{
    if (m_apiKeyEnv.isEmpty()) {
        return {};
    }
    // Read now, not kept: a changed environment applies to the next request.
    const QByteArray key = qgetenv(m_apiKeyEnv.toLocal8Bit().constData()).trimmed();
    if (key.isEmpty()) {
        return {};
    }
    return {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + key}};
}

QString OpenAiClient::serverName() const
{
    return tr("the OpenAI-compatible server at %1").arg(m_baseUrl);
}

} // namespace codeworm
