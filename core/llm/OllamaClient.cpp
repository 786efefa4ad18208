#include "llm/OllamaClient.h"

#include "llm/OllamaReply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QUrl>

namespace codeworm {

OllamaClient::OllamaClient(const OllamaConfig &config, QNetworkAccessManager *network,
                           QObject *parent)
    : LlmClient(parent)
    , m_config(config)
    , m_network(network)
{}

QString OllamaClient::describe() const
{
    return tr("Ollama at %1, model %2").arg(baseUrl(), m_config.model);
}

QString OllamaClient::setupHint() const
{
    return tr("Start Ollama (`ollama serve`, or `systemctl start ollama`) and pull the model with "
              "`ollama pull %1`; CodeWorm looks for it at %2 (config: ollama.host/ollama.port)")
        .arg(m_config.model, baseUrl());
}

LlmReply *OllamaClient::checkHealth()
{
    const QString base = baseUrl();
    auto *reply = new OllamaReply(OllamaReply::Kind::Health, m_config, base,
                                  QUrl(base + QStringLiteral("/")), QByteArray(), m_network, this);
    reply->start();
    return reply;
}

LlmReply *OllamaClient::generate(const GenerationRequest &request)
{
    const QString base = baseUrl();
    auto *reply = new OllamaReply(OllamaReply::Kind::Generate, m_config, base,
                                  QUrl(base + QStringLiteral("/api/generate")),
                                  generateBody(m_config, request), m_network, this);
    reply->start();
    return reply;
}

void OllamaClient::cancelAll()
{
    // A finished() handler may start new requests or delete this client: work on a snapshot.
    QList<QPointer<OllamaReply>> replies;
    for (OllamaReply *reply : findChildren<OllamaReply *>(QString(), Qt::FindDirectChildrenOnly)) {
        replies.append(reply);
    }
    for (const QPointer<OllamaReply> &reply : replies) {
        if (reply) {
            reply->cancel();
        }
    }
}

QString OllamaClient::baseUrl() const
{
    QString spec = m_config.host.trimmed();
    if (spec.isEmpty()) {
        spec = QStringLiteral("localhost");
    }
    if (!spec.contains(QLatin1String("://"))) {
        // A bare IPv6 address ("::1") needs brackets to be read as a host.
        if (spec.count(QLatin1Char(':')) > 1 && !spec.startsWith(QLatin1Char('['))) {
            spec = QLatin1Char('[') + spec + QLatin1Char(']');
        }
        spec = QStringLiteral("http://") + spec;
    }
    QUrl url(spec);
    if (url.port() == -1) {
        url.setPort(m_config.port);
    }
    // A bind-all address (as in OLLAMA_HOST) means this machine.
    if (url.host() == QLatin1String("0.0.0.0")) {
        url.setHost(QStringLiteral("127.0.0.1"));
    } else if (url.host() == QLatin1String("::")) {
        url.setHost(QStringLiteral("::1"));
    }
    return url.toString(QUrl::StripTrailingSlash);
}

QByteArray OllamaClient::generateBody(const OllamaConfig &config, const GenerationRequest &request)
{
    QJsonObject body;
    body.insert(QStringLiteral("model"), config.model);
    if (!request.system.isEmpty()) {
        body.insert(QStringLiteral("system"), request.system);
    }
    body.insert(QStringLiteral("prompt"), request.prompt);
    body.insert(QStringLiteral("stream"), true);
    // Thinking models think by default since Ollama 0.12.4; the trace is not wanted here.
    body.insert(QStringLiteral("think"), false);
    const QJsonValue keepAlive = keepAliveValue(config.keepAlive);
    if (!keepAlive.isUndefined()) {
        body.insert(QStringLiteral("keep_alive"), keepAlive);
    }
    body.insert(
        QStringLiteral("options"),
        QJsonObject{
            {QStringLiteral("temperature"), request.temperature.value_or(config.temperature)},
            {QStringLiteral("num_ctx"), config.numCtx},
            {QStringLiteral("num_predict"), request.numPredict.value_or(config.numPredict)},
        });
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonValue OllamaClient::keepAliveValue(const QString &configured)
{
    const QString value = configured.trimmed();
    if (value.isEmpty()) {
        return QJsonValue(QJsonValue::Undefined);
    }
    // Ollama rejects a unit-less string ("300": missing unit in duration) but takes the
    // number of seconds.
    static const QRegularExpression integer(QStringLiteral("^[+-]?\\d+$"));
    static const QRegularExpression decimal(QStringLiteral("^[+-]?(\\d+\\.\\d*|\\.\\d+)$"));
    if (integer.match(value).hasMatch()) {
        bool ok = false;
        const qint64 number = value.toLongLong(&ok);
        if (ok) {
            return QJsonValue(number);
        }
    }
    if (integer.match(value).hasMatch() || decimal.match(value).hasMatch()) {
        return QJsonValue(value.toDouble());
    }
    return QJsonValue(value);
}

} // namespace codeworm
