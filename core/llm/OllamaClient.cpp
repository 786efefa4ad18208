#include "llm/OllamaClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QUrl>

#include <utility>

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
    return startReply(OllamaReply::Kind::Health, QString(), QByteArray());
}

LlmReply *OllamaClient::generate(const GenerationRequest &request)
{
    const bool chat = m_config.api == QLatin1String("chat");
    return startReply(OllamaReply::Kind::Generate,
                      chat ? QStringLiteral("/api/chat") : QStringLiteral("/api/generate"),
                      chat ? chatBody(m_config, request) : generateBody(m_config, request));
}

LlmReply *OllamaClient::prewarm()
{
    // No prompt: Ollama loads the model, keeps it per keep_alive and answers with one object.
    QJsonObject body{
        {QStringLiteral("model"), m_config.model},
        {QStringLiteral("options"), QJsonObject{{QStringLiteral("num_ctx"), m_config.numCtx}}}};
    const QJsonValue keepAlive = keepAliveValue(m_config.keepAlive);
    if (!keepAlive.isUndefined()) {
        body.insert(QStringLiteral("keep_alive"), keepAlive);
    }
    return startReply(OllamaReply::Kind::Load, QStringLiteral("/api/generate"),
                      QJsonDocument(body).toJson(QJsonDocument::Compact));
}

OllamaReply *OllamaClient::startReply(OllamaReply::Kind kind, const QString &path,
                                      const QByteArray &body)
{
    auto *reply = new OllamaReply(kind, m_config, baseUrl(), path, body, m_network, this);
    connect(reply, &OllamaReply::pullProgress, this,
            [this](const QString &status, qint64 completed, qint64 total) {
                emit pullProgress(m_config.model, status, completed, total);
            });
    // Later requests start with the context that fits, instead of running out again.
    connect(reply, &OllamaReply::contextReduced, this, [this](int numCtx) {
        if (numCtx < m_config.numCtx) {
            qCInfo(lcOllama).noquote() << tr("using num_ctx %1 instead of %2 for %3 from now on")
                                              .arg(numCtx)
                                              .arg(m_config.numCtx)
                                              .arg(m_config.model);
            m_config.numCtx = numCtx;
        }
    });
    if (kind == OllamaReply::Kind::Health) {
        // The version once, and again when the server was replaced.
        connect(reply, &LlmReply::finished, this, [this, reply] {
            if (reply->error() == LlmReply::Error::None &&
                reply->result().text != std::exchange(m_serverVersion, reply->result().text)) {
                qCInfo(lcOllama).noquote() << tr("Ollama %1 at %2 has model %3")
                                                  .arg(m_serverVersion, baseUrl(), m_config.model);
            }
        });
    }
    reply->start();
    return reply;
}

void OllamaClient::cancelAll()
{
    cancelOwnReplies<OllamaReply>();
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

namespace {

// The fields /api/generate and /api/chat share.
QJsonObject commonBody(const OllamaConfig &config, const GenerationRequest &request)
{
    QJsonObject body;
    body.insert(QStringLiteral("model"), config.model);
    body.insert(QStringLiteral("stream"), true);
    // Thinking models think by default since Ollama 0.12.4; the trace is not wanted unless
    // asked for (and never reaches the document).
    body.insert(QStringLiteral("think"), config.think);
    const QJsonValue keepAlive = OllamaClient::keepAliveValue(config.keepAlive);
    if (!keepAlive.isUndefined()) {
        body.insert(QStringLiteral("keep_alive"), keepAlive);
    }
    QJsonObject options{
        {QStringLiteral("temperature"), request.temperature.value_or(config.temperature)},
        {QStringLiteral("num_ctx"), config.numCtx},
        {QStringLiteral("num_predict"), request.numPredict.value_or(config.numPredict)},
    };
    if (config.seed) {
        options.insert(QStringLiteral("seed"), *config.seed);
    }
    body.insert(QStringLiteral("options"), options);
    return body;
}

} // namespace

QByteArray OllamaClient::generateBody(const OllamaConfig &config, const GenerationRequest &request)
{
    QJsonObject body = commonBody(config, request);
    if (!request.system.isEmpty()) {
        body.insert(QStringLiteral("system"), request.system);
    }
    body.insert(QStringLiteral("prompt"), request.prompt);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray OllamaClient::chatBody(const OllamaConfig &config, const GenerationRequest &request)
{
    QJsonObject body = commonBody(config, request);
    QJsonArray messages;
    if (!request.system.isEmpty()) {
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), request.system}});
    }
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), request.prompt}});
    body.insert(QStringLiteral("messages"), messages);
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

QString OllamaClient::withoutThinking(const QString &text)
{
    static const QLatin1String open("<think>");
    static const QLatin1String close("</think>");
    QString answer = text;
    // A template that opens the block in the prompt leaves only its end in the answer.
    const qsizetype firstClose = answer.indexOf(close);
    const qsizetype firstOpen = answer.indexOf(open);
    if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen)) {
        answer.remove(0, firstClose + close.size());
    }
    for (qsizetype start = answer.indexOf(open); start >= 0; start = answer.indexOf(open, start)) {
        const qsizetype end = answer.indexOf(close, start + open.size());
        // An unclosed block (the answer was cut while thinking) runs to the end.
        answer.remove(start, end < 0 ? answer.size() - start : end + close.size() - start);
    }
    return answer.size() == text.size() ? text : answer.trimmed();
}

bool OllamaClient::sameModel(const QString &configured, const QString &listed)
{
    auto normalized = [](const QString &name) {
        QString model = name.trimmed().toLower();
        // The tag follows the last ':' after the last '/' (a registry may carry a port).
        const qsizetype slash = model.lastIndexOf(QLatin1Char('/'));
        if (model.indexOf(QLatin1Char(':'), slash + 1) < 0) {
            model += QLatin1String(":latest");
        }
        return model;
    };
    return !listed.trimmed().isEmpty() && normalized(configured) == normalized(listed);
}

} // namespace codeworm
