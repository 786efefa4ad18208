#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "llm/LlmClient.h"

#include <QStringList>

#include <memory>

class QNetworkAccessManager;

namespace codeworm {

// Builds the LLM client a configuration asks for (llm.provider, llm.endpoints, falling back
// to the ollama block) and guards where source code may go.
class LlmFactory
{
public:
    // Source code leaves this machine only with consent: an endpoint whose host is not a
    // loopback name or address is refused unless llm.allow_remote is true. The error names
    // the endpoint and the key.
    static Status checkConsent(const Config &config);
    // One line per endpoint that would carry source code in the clear across a network
    // (plain http to a host that is not loopback).
    static QStringList warnings(const Config &config);

    // One endpoint: its client (OllamaClient or OpenAiClient); several: a FailoverClient over
    // them. When checkConsent() refuses, every request of the client fails with its message.
    // Also makes network honour the system's proxy settings (loopback always direct) and logs
    // warnings().
    static std::unique_ptr<LlmClient> create(const Config &config, QNetworkAccessManager *network);
};

} // namespace codeworm
