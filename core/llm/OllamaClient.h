#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"
#include "llm/OllamaReply.h"

#include <QJsonValue>

class QNetworkAccessManager;

namespace codeworm {

// Ollama's native API. checkHealth() asks GET /, /api/version and /api/tags (is the model
// installed? with ollama.auto_pull it is pulled, with progress); generate() streams NDJSON from
// /api/generate or /api/chat (ollama.api); prewarm() loads the model. Time limits, retries with
// backoff and the out-of-memory recovery are OllamaReply's. keep_alive without a unit is sent
// as a JSON number.
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
    // Loads the model with keep_alive and num_ctx, so that the first generation does not wait.
    LlmReply *prewarm() override;

    QString baseUrl() const;
    // The context window in use: ollama.num_ctx, or less after running out of memory.
    int contextWindow() const override { return m_config.numCtx; }

    // The request bodies for /api/generate and /api/chat (pure; tests call them directly).
    static QByteArray generateBody(const OllamaConfig &config, const GenerationRequest &request);
    static QByteArray chatBody(const OllamaConfig &config, const GenerationRequest &request);
    // keep_alive as Ollama wants it: a number for unit-less values, else the duration string.
    static QJsonValue keepAliveValue(const QString &configured);
    // The answer without <think>...</think> blocks (some models write their reasoning into it).
    static QString withoutThinking(const QString &text);
    // Whether /api/tags' name `listed` is the configured model: names are `model:tag`, a
    // missing tag means `latest`, and Ollama ignores case.
    static bool sameModel(const QString &configured, const QString &listed);

private:
    OllamaReply *startReply(OllamaReply::Kind kind, const QString &path, const QByteArray &body);

    OllamaConfig m_config;
    QNetworkAccessManager *m_network;
    QString m_serverVersion; // as the last health check reported it
};

} // namespace codeworm
