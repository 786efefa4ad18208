#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QNetworkAccessManager;
class QNetworkReply;

namespace codeworm {

// The models an LLM server offers, for a model picker: Ollama's GET /api/tags
// ({"models": [{"name"}]}) or an OpenAI-compatible GET /v1/models ({"data": [{"id"}]}).
// Asynchronous; the reply emits finished() once and deletes itself afterwards.
class ModelListReply : public QObject
{
    Q_OBJECT
public:
    // provider: "ollama" or "openai"; baseUrl without /v1 (a trailing /v1 is dropped);
    // apiKeyEnv: the environment variable holding a bearer key (OpenAI-compatible servers),
    // empty for none. timeoutS bounds the whole exchange.
    static ModelListReply *fetch(QNetworkAccessManager *network, const QString &provider,
                                 const QString &baseUrl, const QString &apiKeyEnv = QString(),
                                 double timeoutS = 10);

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QStringList models() const { return m_models; } // sorted, without duplicates

signals:
    void finished();

private:
    ModelListReply(QNetworkAccessManager *network, const QString &provider);
    void finish(QNetworkReply *reply);
    void fail(const QString &error);

    QString m_provider;
    QString m_url;
    QString m_error;
    QStringList m_models;
    bool m_done = false;
};

} // namespace codeworm
