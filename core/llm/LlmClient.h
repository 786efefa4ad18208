#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace codeworm {

struct GenerationRequest
{
    QString system;
    QString prompt;
    std::optional<double> temperature; // unset: the client's configured value
    std::optional<int> numPredict;
};

struct GenerationResult
{
    QString text;
    QString model;
    int promptTokens = 0;
    int outputTokens = 0;
    qint64 totalDurationMs = 0;
    QString doneReason; // "stop", "length", ...
};

// One asynchronous request. Emits finished() exactly once, then the client deletes it
// (deleteLater), so connect before returning to the event loop and copy what you need.
class LlmReply : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        Unreachable,
        Timeout,
        HttpError,
        ModelMissing,
        BadResponse,
        Cancelled
    };
    Q_ENUM(Error)

    using QObject::QObject;

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    const GenerationResult &result() const { return m_result; }
    bool isFinished() const { return m_finished; }

signals:
    // During streaming generation: tokens so far and the current rate.
    void progress(int tokens, double tokensPerSecond);
    void finished();

protected:
    void finishWith(Error error, const QString &message);
    void finishWith(const GenerationResult &result);
    GenerationResult m_result;

private:
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
};

// A language model server. Asynchronous; never blocks the calling thread.
class LlmClient : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~LlmClient() override = default;

    // "Ollama at http://localhost:11434, model qwen2.5:7b"
    virtual QString describe() const = 0;
    // One line telling the user how to get the server running (start it, pull the model).
    virtual QString setupHint() const = 0;
    virtual LlmReply *checkHealth() = 0;
    virtual LlmReply *generate(const GenerationRequest &request) = 0;
    // Aborts every request in flight; their replies finish with Error::Cancelled.
    virtual void cancelAll() = 0;
    // Loads the model so that the first generation does not wait for it; nullptr when the
    // server has no such request (the reply deletes itself when finished, like the others).
    virtual LlmReply *prewarm() { return nullptr; }
    // The context window (num_ctx, in tokens) that generations run with now, for sizing
    // prompts: it may shrink while the client runs (Ollama after running out of memory).
    // 0: unknown, the configuration's num_ctx applies.
    virtual int contextWindow() const { return 0; }

signals:
    // While a missing model is downloaded (Ollama with ollama.auto_pull): the server's status
    // line ("pulling 9c2f41a0b3d7", "verifying sha256 digest", "success") and the bytes of
    // the current layer.
    void pullProgress(const QString &model, const QString &status, qint64 completed, qint64 total);

protected:
    // Cancels the replies of type R this client owns. A finished() handler may start new
    // requests or delete this client: the replies are collected first, then cancelled.
    template<typename R>
    void cancelOwnReplies()
    {
        QList<QPointer<R>> replies;
        for (R *reply : findChildren<R *>(QString(), Qt::FindDirectChildrenOnly)) {
            replies.append(reply);
        }
        for (const QPointer<R> &reply : replies) {
            if (reply) {
                reply->cancel();
            }
        }
    }
};

} // namespace codeworm
