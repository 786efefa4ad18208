#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
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
        HttpError,      // every /api/* request answers errorStatus with {"error": errorMessage}
        ErrorMidStream, // /api/generate streams some text, then {"error": errorMessage}
        Hang,           // accepts, reads, never answers /api/generate
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
    // The models /api/tags lists (default: qwen2.5:7b).
    void setModels(const QStringList &models) { m_models = models; }

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requestsTo(const QByteArray &path) const;
    int generateCount() const;

signals:
    void requestReceived(const QByteArray &method, const QByteArray &path);

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

    QTcpServer *m_server;
    Mode m_mode = Mode::Normal;
    int m_errorStatus = 500;
    QString m_errorMessage = QStringLiteral("internal error");
    QString m_replyText = QStringLiteral("This function does something useful.");
    QList<QString> m_queue;
    int m_failNext = 0;
    int m_cutNext = 0;
    QStringList m_models = {QStringLiteral("qwen2.5:7b")};
    QByteArray m_rawResponse;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace codeworm::test
