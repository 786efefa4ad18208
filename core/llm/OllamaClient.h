#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"

#include <QJsonValue>

class QNetworkAccessManager;

namespace codeworm {

// Ollama's native API: GET / for health, POST /api/generate with streaming NDJSON.
// Connection errors, time-outs and HTTP 5xx are retried (ollama.retries tries, waiting
// retry_delay_s × try number); keep_alive without a unit is sent as a JSON number.
class OllamaClient : public LlmClient
{
    Q_OBJECT
public:
    OllamaClient(const OllamaConfig &config, QNetworkAccessManager *network,
                 QObject *parent = nullptr);

    QString describe() const override;
    QString setupHint() const override;
    LlmReply *checkHealth() override;
    LlmReply *generate(const GenerationRequest &request) override;
    void cancelAll() override;

    QString baseUrl() const;
    // The request body for /api/generate (pure; tests call it directly).
    static QByteArray generateBody(const OllamaConfig &config, const GenerationRequest &request);
    // keep_alive as Ollama wants it: a number for unit-less values, else the duration string.
    static QJsonValue keepAliveValue(const QString &configured);

private:
    OllamaConfig m_config;
    QNetworkAccessManager *m_network;
};

} // namespace codeworm
