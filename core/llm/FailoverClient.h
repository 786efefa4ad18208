#pragma once

#include "llm/LlmClient.h"

#include <QList>
#include <QStringList>

#include <memory>

namespace codeworm {

// Several endpoints of one provider behind one client. checkHealth() probes them in the
// configured order and remembers the first healthy one; generate() goes to the remembered
// endpoint and, when it cannot be reached (connection refused, reset, DNS, after its own
// retries), fails over to the others in order, remembering the one that answered.
class FailoverClient : public LlmClient
{
    Q_OBJECT
public:
    explicit FailoverClient(QObject *parent = nullptr);

    // Takes ownership (as a child); endpoint is its base URL, for messages.
    void addEndpoint(std::unique_ptr<LlmClient> client, const QString &endpoint);

    QString describe() const override;
    QString setupHint() const override;
    LlmReply *checkHealth() override;
    LlmReply *generate(const GenerationRequest &request) override;
    void cancelAll() override;
    // The endpoint in use loads its model.
    LlmReply *prewarm() override;
    // The context window of the endpoint in use, where generations go first.
    int contextWindow() const override;

    int endpointCount() const { return int(m_clients.size()); }
    // The endpoint in use: the last one found healthy or that answered (0 before any).
    int currentIndex() const { return m_current; }
    QString currentEndpoint() const { return m_endpoints.value(m_current); }

private:
    friend class FailoverReply;

    QList<LlmClient *> m_clients;
    QStringList m_endpoints;
    int m_current = 0;
};

// FailoverClient's reply: runs the inner requests one endpoint after another.
class FailoverReply : public LlmReply
{
    Q_OBJECT
public:
    enum class Kind { Health, Generate };

    FailoverReply(Kind kind, const GenerationRequest &request, FailoverClient *client);

    void start();
    void cancel();

private:
    void tryNext();
    void onInnerFinished(LlmReply *inner, int index);

    const Kind m_kind;
    const GenerationRequest m_request;
    FailoverClient *const m_client;
    QList<int> m_order; // endpoints still to try
    QStringList m_failures;
    LlmReply::Error m_firstError = LlmReply::Error::None;
    LlmReply *m_inner = nullptr;
};

} // namespace codeworm
