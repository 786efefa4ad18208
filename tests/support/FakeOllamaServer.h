#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

class QTcpServer;
class QTcpSocket;

namespace codeworm::test {

// A fake Ollama server on a loopback port speaking the real wire format (HTTP/1.1, JSON,
// streaming NDJSON with chunked transfer encoding). Tests set what it answers and read what
// it received. Runs in the test's event loop: wait with QSignalSpy/QTRY_* (never block).
class FakeOllamaServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QJsonObject json() const; // body parsed as a JSON object (empty when not JSON)
    };

    enum class Mode {
        Normal,         // GET / "Ollama is running"; /api/generate streams the reply text
        HttpError,      // generation, /api/pull and /v1 answer errorStatus with errorMessage
        ErrorMidStream, // /api/generate streams some text, then {"error": errorMessage}
        Hang,           // accepts, reads, never answers /api/generate
    };

    // Faults, beside the modes. Refuse, Reset, Hang and Flapping hit every route (/v1 too); the
    // others shape the answers of the native /api routes, and of /v1/chat/completions after
    // setOpenAiFaults(true).
    enum class Fault {
        None,
        Refuse,          // nothing listens on the port (connection refused) until another fault
        Reset,           // every connection is dropped as soon as it is accepted
        ServerError,     // /api/generate, /api/chat and /api/pull answer 500 errorMessage
        Hang,            // accepts and reads every request, never answers
        SlowStream,      // answers stream with streamDelayMs between the pieces
        TruncatedStream, // answers stream half the text, then the connection ends mid-line
        MalformedJson,   // an answer's stream carries a line that is not JSON
        OutOfMemory,     // generate/chat with num_ctx above 8192 answer 500 "out of memory"
        ModelNotFound,   // generate/chat answer 404; /api/pull finds no manifest
        Flapping,        // every other connection is dropped at once, the others are served
    };

    explicit FakeOllamaServer(QObject *parent = nullptr);
    ~FakeOllamaServer() override;

    // Listens on 127.0.0.1 and a free port (or the given one).
    bool start(quint16 port = 0);
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:<port>"

    void setMode(Mode mode) { m_mode = mode; }
    void setError(int status, const QString &message);
    // The text /api/generate (and /api/chat) returns; streamed in a few NDJSON pieces.
    void setReplyText(const QString &text) { m_replyText = text; }
    // Replies queued in order for successive generate requests; setReplyText is used when
    // the queue is empty.
    void queueReplyText(const QString &text) { m_queue.append(text); }
    // Answer the first n generate requests with errorStatus, then behave per mode.
    void failNextGenerates(int n) { m_failNext = n; }
    // End the next n generate answers after half their text with done_reason "length", as a
    // model that ran out of num_predict does.
    void cutNextGenerates(int n) { m_cutNext = n; }
    // Answers every generate request with exactly these bytes (a whole HTTP response), for wire
    // content the modes do not produce; empty (the default): answer per mode.
    void setRawGenerateResponse(const QByteArray &response) { m_rawResponse = response; }
    // The models /api/tags lists (default: qwen2.5:7b, fake-model:1b, tiny:1b); a successful
    // /api/pull adds its model.
    void setModels(const QStringList &models) { m_models = models; }

    void setFault(Fault fault);
    // Flapping counts connections from here on: the next one is dropped, the one after served.
    void restartFlapping() { m_connections = 0; }
    // The pause between the pieces of a SlowStream answer.
    void setStreamDelayMs(int ms) { m_streamDelayMs = ms; }
    // The first `parts` writes of a SlowStream answer (the headers are one, then each line or
    // event) go out without the pause, so that a client has the start of the answer before the
    // stream stalls. Default 0: the pause comes after the headers already.
    void setStreamHeadStart(int parts) { m_streamHeadStart = parts; }
    // Whether ServerError, SlowStream, TruncatedStream, MalformedJson, OutOfMemory and
    // ModelNotFound also shape /v1/chat/completions (its streamed answers for the stream
    // faults; requests without options.num_ctx count as 16384 for OutOfMemory, as on the
    // native routes). Off by default: /v1 then ignores them.
    void setOpenAiFaults(bool on) { m_openAiFaults = on; }
    // A reasoning trace streamed before the answer in "thinking" (generate) or
    // message.thinking (chat), and as <think>...</think> at the start of the answer's text.
    void setThinkingText(const QString &text) { m_thinkingText = text; }

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requestsTo(const QByteArray &path) const;
    int generateCount() const;

    // The OpenAI-compatible routes: GET /v1/models lists setModels() ("data": null when
    // empty, as Ollama sends), POST /v1/chat/completions answers with the reply text as
    // server-sent events ("stream": true) or one chat.completion object, with usage and
    // finish_reason. The modes (errors in OpenAI's {"error": {"message", "type"}} shape),
    // failNextGenerates, cutNextGenerates (finish_reason "length"), setRawGenerateResponse
    // and the reply queue apply to them too; a model not in setModels() gets 404.
    // A reasoning trace streamed before the answer in this delta field (reasoning_content as
    // llama.cpp sends it, or reasoning as Ollama and vLLM do); empty: none.
    void setOpenAiReasoning(const QString &text,
                            const QString &field = QStringLiteral("reasoning_content"))
    {
        m_openAiReasoning = text;
        m_openAiReasoningField = field;
    }
    // /v1 requests without "Authorization: Bearer <key>" get 401; empty (default): no key.
    void setRequiredApiKey(const QByteArray &key) { m_requiredApiKey = key; }
    int chatCompletionCount() const;

signals:
    void requestReceived(const QByteArray &method, const QByteArray &path);
    // The client closed the connection of a request to `path` before the answer was complete
    // (a cancelled or abandoned request).
    void clientClosed(const QByteArray &path);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Request &request);
    void respondGenerate(QTcpSocket *socket, const Request &request);
    void send(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
              bool headOnly = false);
    void sendJson(QTcpSocket *socket, int status, const QByteArray &body);
    void sendError(QTcpSocket *socket, int status, const QString &message);
    void streamGenerate(QTcpSocket *socket, const Request &request, bool errorMidStream);
    // Writes the parts one event-loop turn apart (so that the client reads them in pieces),
    // then closes the connection.
    void writePaced(QTcpSocket *socket, QList<QByteArray> parts);
    QString nextReplyText();
    // The Fault parts: true when the fault answered the request.
    bool respondFault(QTcpSocket *socket, const Request &request, const QJsonObject &json);
    void streamFaulty(QTcpSocket *socket, const Request &request, const QJsonObject &json);
    void respondPull(QTcpSocket *socket, const Request &request);
    void writeNdjson(QTcpSocket *socket, const QList<QByteArray> &lines, bool truncate);
    // quickParts: how many of the parts go out before the first pause.
    void writeSpaced(QTcpSocket *socket, QList<QByteArray> parts, int delayMs, int quickParts = 0);
    // Closes once the bytes are out; the answer is then complete, whatever the client does.
    void closeAnswered(QTcpSocket *socket);
    bool respondOpenAiFault(QTcpSocket *socket, const QJsonObject &json);
    void respondOpenAi(QTcpSocket *socket, const Request &request);
    void streamChatCompletion(QTcpSocket *socket, const QJsonObject &json, bool errorMidStream);
    void sendOpenAiError(QTcpSocket *socket, int status, const QString &message);

    QTcpServer *m_server;
    Mode m_mode = Mode::Normal;
    int m_errorStatus = 500;
    QString m_errorMessage = QStringLiteral("internal error");
    QString m_replyText = QStringLiteral("This function does something useful.");
    QList<QString> m_queue;
    int m_failNext = 0;
    int m_cutNext = 0;
    // The default model and the ones the test suites configure.
    QStringList m_models = {QStringLiteral("qwen2.5:7b"), QStringLiteral("fake-model:1b"),
                            QStringLiteral("tiny:1b")};
    QByteArray m_rawResponse;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    Fault m_fault = Fault::None;
    quint16 m_port = 0; // kept while Fault::Refuse closes the listener
    int m_connections = 0;
    int m_streamDelayMs = 300;
    int m_streamHeadStart = 0;
    bool m_openAiFaults = false;
    // The path of each connection's request until the connection closes, and the connections
    // whose answer is complete.
    QHash<QTcpSocket *, QByteArray> m_requestPaths;
    QSet<QTcpSocket *> m_answered;
    QString m_thinkingText;
    QString m_openAiReasoning;
    QString m_openAiReasoningField = QStringLiteral("reasoning_content");
    QByteArray m_requiredApiKey;
};

} // namespace codeworm::test
