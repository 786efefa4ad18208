#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"

class QNetworkAccessManager;

namespace codeworm {

// An OpenAI-compatible server (llama.cpp's llama-server, LM Studio, vLLM, Ollama's /v1):
// GET /v1/models for health and the model's presence, POST /v1/chat/completions streamed as
// server-sent events. Model, sampling (temperature, num_predict as max_tokens, seed), time
// limits and retries come from config.ollama after the llm block overrode it. The API key is
// read from the environment variable llm.api_key_env names, at each request, and sent as
// "Authorization: Bearer"; it is never stored.
class OpenAiClient : public LlmClient
{
    Q_OBJECT
public:
    // baseUrl: "http://localhost:8080" (no trailing /v1).
    OpenAiClient(const Config &config, const QString &baseUrl, QNetworkAccessManager *network,
                 QObject *parent = nullptr);

    QString describe() const override;
    QString setupHint() const override;
    LlmReply *checkHealth() override;
    LlmReply *generate(const GenerationRequest &request) override;
    void cancelAll() override;
    // ollama.num_ctx: the server sets its own context; this is what prompts are sized for.
    int contextWindow() const override { return m_config.numCtx; }

    QString baseUrl() const { return m_baseUrl; }
    // The request body for /v1/chat/completions (pure; tests call it directly).
    static QByteArray chatBody(const OllamaConfig &config, const GenerationRequest &request);

private:
    QList<QPair<QByteArray, QByteArray>> headers() const;
    QString serverName() const;

    const OllamaConfig m_config;
    const QString m_apiKeyEnv;
    const QString m_baseUrl;
    QNetworkAccessManager *m_network;
};

} // namespace codeworm
