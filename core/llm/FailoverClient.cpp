#include "llm/FailoverClient.h"

#include <QPointer>

namespace codeworm {

FailoverClient::FailoverClient(QObject *parent)
    : LlmClient(parent)
{}

void FailoverClient::addEndpoint(std::unique_ptr<LlmClient> client, const QString &endpoint)
{
    client->setParent(this);
    connect(client.get(), &LlmClient::pullProgress, this, &LlmClient::pullProgress);
    m_clients.append(client.release()); // owned as a child from here
    m_endpoints.append(endpoint);
}

LlmReply *FailoverClient::prewarm()
{
    return m_clients.isEmpty() ? nullptr : m_clients.at(m_current)->prewarm();
}

int FailoverClient::contextWindow() const
{
    return m_clients.isEmpty() ? 0 : m_clients.at(m_current)->contextWindow();
}

QString FailoverClient::describe() const
{
    QStringList others = m_endpoints;
    others.removeAt(m_current);
    return tr("%1 (fails over to %2)")
        .arg(m_clients.at(m_current)->describe(), others.join(QStringLiteral(", ")));
}

QString FailoverClient::setupHint() const
{
    return m_clients.at(m_current)->setupHint();
}

LlmReply *FailoverClient::checkHealth()
{
    auto *reply = new FailoverReply(FailoverReply::Kind::Health, {}, this);
    reply->start();
    return reply;
}

LlmReply *FailoverClient::generate(const GenerationRequest &request)
{
    auto *reply = new FailoverReply(FailoverReply::Kind::Generate, request, this);
    reply->start();
    return reply;
}

void FailoverClient::cancelAll()
{
    // A finished() handler may start new requests or delete this client: work on snapshots.
    QList<QPointer<FailoverReply>> replies;
    for (FailoverReply *reply :
         findChildren<FailoverReply *>(QString(), Qt::FindDirectChildrenOnly)) {
        replies.append(reply);
    }
    for (const QPointer<FailoverReply> &reply : replies) {
        if (reply) {
            reply->cancel();
        }
    }
    const QList<QPointer<LlmClient>> clients(m_clients.cbegin(), m_clients.cend());
    for (const QPointer<LlmClient> &client : clients) {
        if (client) {
            client->cancelAll();
        }
    }
}

FailoverReply::FailoverReply(Kind kind, const GenerationRequest &request, FailoverClient *client)
    : LlmReply(client)
    , m_kind(kind)
    , m_request(request)
    , m_client(client)
{
    const int count = client->endpointCount();
    if (kind == Kind::Health) {
        // The first healthy endpoint in the configured order wins, so that a preferred
        // server that comes back is used again.
        for (int i = 0; i < count; ++i) {
            m_order.append(i);
        }
    } else {
        m_order.append(client->m_current);
        for (int i = 0; i < count; ++i) {
            if (i != client->m_current) {
                m_order.append(i);
            }
        }
    }
}

void FailoverReply::start()
{
    tryNext();
}

void FailoverReply::cancel()
{
    if (isFinished()) {
        return;
    }
    if (m_inner) {
        m_inner->disconnect(this);
        m_inner = nullptr;
    }
    finishWith(Error::Cancelled, tr("the request was cancelled"));
    deleteLater();
}

void FailoverReply::tryNext()
{
    if (m_order.isEmpty()) {
        m_inner = nullptr;
        finishWith(m_firstError, tr("no endpoint is usable: %1").arg(m_failures.join(u"; ")));
        deleteLater();
        return;
    }
    const int index = m_order.takeFirst();
    LlmClient *client = m_client->m_clients.at(index);
    LlmReply *inner = m_kind == Kind::Health ? client->checkHealth() : client->generate(m_request);
    m_inner = inner;
    connect(inner, &LlmReply::progress, this, &LlmReply::progress);
    connect(inner, &LlmReply::finished, this,
            [this, inner, index] { onInnerFinished(inner, index); });
}

void FailoverReply::onInnerFinished(LlmReply *inner, int index)
{
    m_inner = nullptr;
    const Error error = inner->error();
    if (error == Error::None) {
        m_client->m_current = index;
        finishWith(inner->result());
        deleteLater();
        return;
    }
    // A generation fails over only when its endpoint is away; any other answer (a refused
    // request, a missing model, a cancellation) is the answer.
    const bool failOver =
        error != Error::Cancelled && (m_kind == Kind::Health || error == Error::Unreachable);
    if (!failOver) {
        finishWith(error, inner->errorString());
        deleteLater();
        return;
    }
    if (m_firstError == Error::None) {
        m_firstError = error;
    }
    m_failures.append(inner->errorString());
    tryNext();
}

} // namespace codeworm
