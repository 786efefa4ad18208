#include "llm/LlmFactory.h"

#include "llm/FailoverClient.h"
#include "llm/OllamaClient.h"
#include "llm/OpenAiClient.h"
#include "llm/ProxyFactory.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrl>

Q_LOGGING_CATEGORY(lcLlmFactory, "codeworm.llm")

namespace codeworm {

namespace {

bool isOpenAi(const Config &config)
{
    return config.llm.provider == QLatin1String("openai");
}

QString endpointKey(const Config &config, qsizetype index)
{
    if (config.llm.endpoints.isEmpty()) {
        return QStringLiteral("ollama.host");
    }
    return QStringLiteral("llm.endpoints[%1]").arg(index);
}

// Fails every request with the reason the client cannot be used.
class RefusedReply : public LlmReply
{
public:
    RefusedReply(const QString &reason, QObject *parent)
        : LlmReply(parent)
    {
        // After the caller has connected to finished().
        QTimer::singleShot(0, this, [this, reason] {
            finishWith(Error::Unreachable, reason);
            deleteLater();
        });
    }
};

class RefusedClient : public LlmClient
{
public:
    RefusedClient(const QString &what, const QString &reason)
        : m_what(what)
        , m_reason(reason)
    {}

    QString describe() const override { return m_what; }
    QString setupHint() const override
    {
        return QCoreApplication::translate("LlmFactory",
                                           "set llm.allow_remote: true to allow it, or use a "
                                           "server on this machine");
    }
    LlmReply *checkHealth() override { return new RefusedReply(m_reason, this); }
    LlmReply *generate(const GenerationRequest &) override
    {
        return new RefusedReply(m_reason, this);
    }
    void cancelAll() override {}

private:
    QString m_what;
    QString m_reason;
};

std::unique_ptr<LlmClient> clientFor(const Config &config, const QString &endpoint,
                                     QNetworkAccessManager *network)
{
    if (isOpenAi(config)) {
        return std::make_unique<OpenAiClient>(config, endpoint, network);
    }
    if (config.llm.endpoints.isEmpty()) {
        // The original's host and port.
        return std::make_unique<OllamaClient>(config.ollama, network);
    }
    OllamaConfig ollama = config.ollama;
    const QUrl url(endpoint);
    ollama.host = endpoint;
    // A URL without a port means the scheme's, not Ollama's default.
    ollama.port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return std::make_unique<OllamaClient>(ollama, network);
}

} // namespace

Status LlmFactory::checkConsent(const Config &config)
{
    if (config.llm.allowRemote) {
        return {};
    }
    const QStringList endpoints = config.llmEndpoints();
    for (qsizetype i = 0; i < endpoints.size(); ++i) {
        const QUrl url(endpoints.at(i));
        if (!EnvironmentProxyFactory::isLoopbackHost(url.host())) {
            return Status::failure(
                QCoreApplication::translate(
                    "LlmFactory",
                    "%1 (%2) is not on this machine: CodeWorm would send your source code "
                    "there. Set llm.allow_remote: true to allow that, or use a server on "
                    "this machine (localhost)")
                    .arg(endpoints.at(i), endpointKey(config, i)));
        }
    }
    return {};
}

QStringList LlmFactory::warnings(const Config &config)
{
    QStringList lines;
    for (const QString &endpoint : config.llmEndpoints()) {
        const QUrl url(endpoint);
        if (url.scheme() == QLatin1String("http") &&
            !EnvironmentProxyFactory::isLoopbackHost(url.host())) {
            lines << QCoreApplication::translate("LlmFactory",
                                                 "%1 is plain HTTP to another machine: source "
                                                 "code and answers cross the network "
                                                 "unencrypted; prefer https")
                         .arg(endpoint);
        }
    }
    return lines;
}

std::unique_ptr<LlmClient> LlmFactory::create(const Config &config, QNetworkAccessManager *network)
{
    if (!dynamic_cast<EnvironmentProxyFactory *>(network->proxyFactory())) {
        network->setProxyFactory(new EnvironmentProxyFactory); // the manager owns it
    }
    const QStringList endpoints = config.llmEndpoints();
    if (const Status consent = checkConsent(config); !consent) {
        qCWarning(lcLlmFactory).noquote() << consent.error();
        return std::make_unique<RefusedClient>(
            QCoreApplication::translate("LlmFactory", "%1 (refused: not on this machine)")
                .arg(endpoints.join(QStringLiteral(", "))),
            consent.error());
    }
    for (const QString &warning : warnings(config)) {
        qCWarning(lcLlmFactory).noquote() << warning;
    }
    if (endpoints.size() == 1) {
        return clientFor(config, endpoints.first(), network);
    }
    auto failover = std::make_unique<FailoverClient>();
    for (const QString &endpoint : endpoints) {
        failover->addEndpoint(clientFor(config, endpoint, network), endpoint);
    }
    return failover;
}

} // namespace codeworm
