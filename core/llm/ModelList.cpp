#include "llm/ModelList.h"

#include "llm/HttpExchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace codeworm {

ModelListReply::ModelListReply(QNetworkAccessManager *network, const QString &provider)
    : QObject(network)
    , m_provider(provider)
{}

ModelListReply *ModelListReply::fetch(QNetworkAccessManager *network, const QString &provider,
                                      const QString &baseUrl, const QString &apiKeyEnv,
                                      double timeoutS)
{
    auto *self = new ModelListReply(network, provider);
    QString base = baseUrl.trimmed();
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    if (!base.contains(QLatin1String("://"))) {
        base.prepend(QStringLiteral("http://"));
    }
    const bool openAi = provider == QLatin1String("openai");
    if (openAi && base.endsWith(QLatin1String("/v1"))) {
        base.chop(3);
    }
    self->m_url = base + (openAi ? QStringLiteral("/v1/models") : QStringLiteral("/api/tags"));
    const QUrl url(self->m_url);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        // Reported from the event loop, as every other outcome is.
        const QString error = tr("%1 is not an http(s) URL").arg(baseUrl);
        QTimer::singleShot(0, self, [self, error] { self->fail(error); });
        return self;
    }
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    if (openAi && !apiKeyEnv.isEmpty()) {
        const QByteArray key = qgetenv(apiKeyEnv.toLocal8Bit().constData()).trimmed();
        if (!key.isEmpty()) {
            request.setRawHeader(QByteArrayLiteral("Authorization"),
                                 QByteArrayLiteral("Bearer ") + key);
        }
    }
    QNetworkReply *reply = HttpExchange::send(network, request, QByteArray());
    reply->setParent(self);
    auto *limit = new QTimer(self);
    limit->setSingleShot(true);
    connect(limit, &QTimer::timeout, self, [self, reply] {
        self->fail(tr("%1 did not answer in time").arg(self->m_url));
        reply->abort();
    });
    HttpExchange::startLimit(limit, timeoutS);
    connect(reply, &QNetworkReply::finished, self, [self, reply] { self->finish(reply); });
    return self;
}

void ModelListReply::finish(QNetworkReply *reply)
{
    if (m_done) {
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        fail(tr("%1: %2").arg(m_url, reply->errorString()));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(reply->readAll(), &parseError);
    if (!document.isObject()) {
        fail(tr("%1 answered with something that is not a JSON object").arg(m_url));
        return;
    }
    const bool openAi = m_provider == QLatin1String("openai");
    // Ollama's /v1/models sends "data": null when it has no models.
    const QJsonArray items =
        document.object().value(openAi ? QLatin1String("data") : QLatin1String("models")).toArray();
    QStringList models;
    for (const QJsonValue &item : items) {
        const QString name =
            item.toObject().value(openAi ? QLatin1String("id") : QLatin1String("name")).toString();
        if (!name.isEmpty() && !models.contains(name)) {
            models << name;
        }
    }
    models.sort();
    m_models = models;
    m_done = true;
    emit finished();
    deleteLater();
}

void ModelListReply::fail(const QString &error)
{
    if (m_done) {
        return;
    }
    m_done = true;
    m_error = error;
    emit finished();
    deleteLater();
}

} // namespace codeworm
