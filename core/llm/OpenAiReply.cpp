#include "llm/OpenAiReply.h"

#include "llm/HttpExchange.h"

#include "llm/OllamaClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

#include <utility>

namespace codeworm {

namespace {

QString errorText(const QJsonValue &error)
{
    if (error.isString()) {
        return error.toString();
    }
    const QString message = error.toObject().value(QLatin1String("message")).toString();
    return message.isEmpty()
               ? QString::fromUtf8(QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact))
               : message;
}

} // namespace

OpenAiReply::OpenAiReply(Kind kind, const QString &model, const QString &apiKeyEnv,
                         const QString &server, Request request, const ReplyLimits &limits,
                         QNetworkAccessManager *network, QObject *parent)
    : StreamingReply(server, std::move(request), limits, network, parent)
    , m_kind(kind)
    , m_model(model)
    , m_apiKeyEnv(apiKeyEnv)
{}

void OpenAiReply::beginAttempt()
{
    m_text.clear();
    m_answeredModel.clear();
    m_finishReason.clear();
    m_promptTokens = -1;
    m_completionTokens = -1;
    m_errorEvent = false;
}

bool OpenAiReply::isStreamed(const QNetworkReply &reply) const
{
    return m_kind == Kind::Chat && StreamingReply::isStreamed(reply);
}

void OpenAiReply::handleLine(QByteArrayView line)
{
    line = line.trimmed();
    if (line.isEmpty() || line.startsWith(':')) {
        return; // an event's end, or a comment (llama.cpp sends them as keep-alive pings)
    }
    if (line.startsWith("event:")) {
        m_errorEvent = line.sliced(6).trimmed() == "error";
        return;
    }
    if (line.startsWith("id:") || line.startsWith("retry:")) {
        return;
    }
    // Servers that fail before streaming may send plain JSON lines; take them as data.
    const QByteArrayView data = line.startsWith("data:") ? line.sliced(5).trimmed() : line;
    if (data == "[DONE]") {
        finishChat();
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data.toByteArray(), &parseError);
    if (!document.isObject()) {
        // A garbled stream: another try may get a clean one.
        failAttempt({Error::BadResponse,
                     tr("%1 sent an event that is not a JSON object (%2): %3")
                         .arg(server(), parseError.errorString(), HttpExchange::shortened(data)),
                     true});
        return;
    }
    QJsonObject chunk = document.object();
    if (m_errorEvent && !chunk.contains(QLatin1String("error"))) {
        chunk = QJsonObject{{QStringLiteral("error"), chunk}};
    }
    handleChunk(chunk, true);
}

bool OpenAiReply::handleChunk(const QJsonObject &chunk, bool streamed)
{
    if (chunk.contains(QLatin1String("error"))) {
        fail(Error::HttpError, tr("%1 failed while answering: %2")
                                   .arg(server(), errorText(chunk.value(QLatin1String("error")))));
        return false;
    }
    if (const QString model = chunk.value(QLatin1String("model")).toString(); !model.isEmpty()) {
        m_answeredModel = model;
    }
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonObject message =
            choice.value(QLatin1String(streamed ? "delta" : "message")).toObject();
        // reasoning_content (llama.cpp, older vLLM) and reasoning (Ollama, vLLM) are the
        // model's trace: counted as progress, never kept.
        const bool reasoned =
            !message.value(QLatin1String("reasoning_content")).toString().isEmpty() ||
            !message.value(QLatin1String("reasoning")).toString().isEmpty();
        const QString content = message.value(QLatin1String("content")).toString();
        m_text += content;
        if (streamed && (reasoned || !content.isEmpty())) {
            countToken();
        }
        if (const QJsonValue reason = choice.value(QLatin1String("finish_reason"));
            reason.isString()) {
            m_finishReason = reason.toString();
        }
    }
    if (const QJsonObject usage = chunk.value(QLatin1String("usage")).toObject();
        !usage.isEmpty()) {
        m_promptTokens = usage.value(QLatin1String("prompt_tokens")).toInt(m_promptTokens);
        m_completionTokens =
            usage.value(QLatin1String("completion_tokens")).toInt(m_completionTokens);
    }
    return true;
}

void OpenAiReply::handleEnd(const QByteArray &body, bool streamed)
{
    if (m_kind == Kind::Models) {
        handleModels(body);
        return;
    }
    if (!streamed) {
        // A server that ignored "stream": one chat.completion object.
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (!document.isObject()) {
            failAttempt(
                {Error::BadResponse,
                 tr("%1 sent an answer that is not a JSON object (%2): %3")
                     .arg(server(), parseError.errorString(), HttpExchange::shortened(body)),
                 true});
            return;
        }
        if (handleChunk(document.object(), false)) {
            finishChat();
        }
        return;
    }
    // Without [DONE] the stream is complete only if the choice said why it ended.
    if (m_finishReason.isEmpty()) {
        failAttempt({Error::BadResponse,
                     tr("%1: the stream ended before the answer was complete").arg(server()),
                     true});
        return;
    }
    finishChat();
}

void OpenAiReply::handleModels(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        fail(Error::Unreachable,
             tr("%1 answered /v1/models with something that is not a JSON object (%2): %3; is "
                "it an OpenAI-compatible server?")
                 .arg(server(), parseError.errorString(), HttpExchange::shortened(body)));
        return;
    }
    // Ollama sends "data": null when no model is installed.
    QStringList served;
    for (const QJsonValue &entry : document.object().value(QLatin1String("data")).toArray()) {
        if (const QString id = entry.toObject().value(QLatin1String("id")).toString();
            !id.isEmpty()) {
            served << id;
        }
    }
    for (const QString &id : std::as_const(served)) {
        if (OllamaClient::sameModel(m_model, id)) {
            GenerationResult health;
            health.model = id;
            health.text = tr("%1 serves %2").arg(server(), id);
            succeed(health);
            return;
        }
    }
    const QString offered =
        served.isEmpty() ? tr("it serves none") : tr("it serves %1").arg(served.join(u", "));
    fail(Error::ModelMissing,
         tr("model %1 is not available from %2 (%3); load it there or set llm.model")
             .arg(m_model, server(), offered));
}

void OpenAiReply::finishChat()
{
    GenerationResult result;
    result.text = OllamaClient::withoutThinking(m_text);
    result.model = m_answeredModel.isEmpty() ? m_model : m_answeredModel;
    result.promptTokens = std::max(0, m_promptTokens);
    result.outputTokens = m_completionTokens >= 0 ? m_completionTokens : tokens();
    result.doneReason = m_finishReason.isEmpty() ? QStringLiteral("stop") : m_finishReason;
    succeed(result);
}

OpenAiReply::Failure OpenAiReply::httpFailure(int status, const QByteArray &body) const
{
    const QString message = HttpExchange::serverMessage(body);
    const QString detail =
        message.isEmpty() ? tr("HTTP %1").arg(status) : tr("HTTP %1: %2").arg(status).arg(message);
    if (status == 401 || status == 403) {
        return {Error::HttpError,
                tr("%1 refused the request (%2)%3").arg(server(), detail, keyHint()), false};
    }
    if (m_kind == Kind::Models) {
        if (status == 404) {
            return {Error::Unreachable,
                    tr("%1 has no /v1/models (%2); is it an OpenAI-compatible server?")
                        .arg(server(), detail),
                    false};
        }
        return {Error::Unreachable, tr("%1 answered %2").arg(server(), detail), false};
    }
    if (status == 404) {
        return {Error::ModelMissing,
                tr("model %1 is not available from %2 (%3); load it there or set llm.model")
                    .arg(m_model, server(), detail),
                false};
    }
    return StreamingReply::httpFailure(status, body);
}

OpenAiReply::Failure OpenAiReply::networkFailure(QNetworkReply::NetworkError error,
                                                 const QString &errorString) const
{
    Failure failure = StreamingReply::networkFailure(error, errorString);
    if (m_kind == Kind::Models) {
        failure.error = Error::Unreachable;
    }
    return failure;
}

OpenAiReply::Failure OpenAiReply::timeoutFailure(Limit limit) const
{
    Failure failure = StreamingReply::timeoutFailure(limit);
    if (m_kind == Kind::Models) {
        // A server that does not answer a model list in time is as good as away.
        failure.error = Error::Unreachable;
        failure.message = tr("%1 did not answer within %2 s (llm.timeouts.connect_s)")
                              .arg(server())
                              .arg(limits().connectS);
    }
    return failure;
}

QString OpenAiReply::keyHint() const
{
    if (m_apiKeyEnv.isEmpty()) {
        return tr("; if it needs an API key, put the key in an environment variable and name "
                  "that variable in llm.api_key_env");
    }
    if (qEnvironmentVariableIsEmpty(m_apiKeyEnv.toLocal8Bit().constData())) {
        return tr("; the environment variable %1 (llm.api_key_env) is not set").arg(m_apiKeyEnv);
    }
    return tr("; check the API key in the environment variable %1 (llm.api_key_env)")
        .arg(m_apiKeyEnv);
}

} // namespace codeworm
