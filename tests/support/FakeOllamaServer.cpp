#include "FakeOllamaServer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace codeworm::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        return QByteArrayLiteral("Status");
    }
}

QString createdAt()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// The reply text in token-like pieces: each word with the whitespace before it.
QStringList textPieces(const QString &text)
{
    QStringList pieces;
    QString current;
    for (const QChar c : text) {
        if (c.isSpace() && !current.isEmpty() && !current.back().isSpace()) {
            pieces.append(current);
            current.clear();
        }
        current += c;
    }
    if (!current.isEmpty()) {
        pieces.append(current);
    }
    return pieces;
}

qsizetype wordCount(const QString &text)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    return text.split(whitespace, Qt::SkipEmptyParts).size();
}

// Stands in for prompt_eval_count.
int promptWordCount(const QJsonObject &json, bool chat)
{
    qsizetype words = 0;
    if (chat) {
        for (const QJsonValue &message : json.value(QLatin1String("messages")).toArray()) {
            words += wordCount(message.toObject().value(QLatin1String("content")).toString());
        }
    } else {
        words = wordCount(json.value(QLatin1String("system")).toString()) +
                wordCount(json.value(QLatin1String("prompt")).toString());
    }
    return int(words);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

} // namespace

QJsonObject FakeOllamaServer::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

FakeOllamaServer::FakeOllamaServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeOllamaServer::onNewConnection);
}

FakeOllamaServer::~FakeOllamaServer()
{
    m_server->close();
}

bool FakeOllamaServer::start(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qWarning("FakeOllamaServer: cannot listen on 127.0.0.1:%u: %s", unsigned(port),
                 qPrintable(m_server->errorString()));
        return false;
    }
    return true;
}

quint16 FakeOllamaServer::port() const
{
    return m_server->serverPort();
}

QString FakeOllamaServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void FakeOllamaServer::setError(int status, const QString &message)
{
    m_errorStatus = status;
    m_errorMessage = message;
}

QList<FakeOllamaServer::Request> FakeOllamaServer::requestsTo(const QByteArray &path) const
{
    QList<Request> matching;
    for (const Request &request : m_requests) {
        if (request.path == path) {
            matching.append(request);
        }
    }
    return matching;
}

int FakeOllamaServer::generateCount() const
{
    return int(requestsTo(QByteArrayLiteral("/api/generate")).size());
}

void FakeOllamaServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Without this, Nagle's algorithm and delayed ACKs hold back the small NDJSON writes.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeOllamaServer::onReadyRead(QTcpSocket *socket)
{
    auto buffer = m_buffers.find(socket);
    if (buffer == m_buffers.end()) {
        socket->readAll(); // already answered; the connection is closing
        return;
    }
    buffer->append(socket->readAll());
    const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        return;
    }
    const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
    Request request;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        m_buffers.erase(buffer);
        send(socket, 400, QByteArrayLiteral("text/plain; charset=utf-8"),
             QByteArrayLiteral("400 bad request"));
        return;
    }
    request.method = requestLine.at(0);
    const QByteArray &target = requestLine.at(1);
    const qsizetype query = target.indexOf('?');
    request.path = query < 0 ? target : target.left(query);
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            continue;
        }
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            contentLength = value.toLongLong();
        }
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (buffer->size() < bodyStart + contentLength) {
        return; // the rest of the body is still on its way
    }
    request.body = buffer->mid(bodyStart, contentLength);
    // One request per connection (every answer says Connection: close).
    m_buffers.erase(buffer);
    m_requests.append(request);
    emit requestReceived(request.method, request.path);
    respond(socket, request);
}

void FakeOllamaServer::respond(QTcpSocket *socket, const Request &request)
{
    const QByteArray &path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool head = request.method == "HEAD";
    const bool post = request.method == "POST";
    const QByteArray text = QByteArrayLiteral("text/plain; charset=utf-8");

    bool allowed = false;
    if (path == "/" || path == "/api/version" || path == "/api/tags") {
        allowed = get;
    } else if (path == "/api/generate" || path == "/api/chat") {
        allowed = post;
    } else {
        send(socket, 404, text, QByteArrayLiteral("404 page not found"));
        return;
    }
    if (!allowed) {
        send(socket, 405, text, QByteArrayLiteral("405 method not allowed"));
        return;
    }
    if (path == "/") {
        // Stays healthy in every mode, as a real server whose model fails does.
        send(socket, 200, text, QByteArrayLiteral("Ollama is running"), head);
        return;
    }
    if (m_mode == Mode::HttpError) {
        sendError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    if (path == "/api/version") {
        send(socket, 200, QByteArrayLiteral("application/json; charset=utf-8"),
             compact({{QStringLiteral("version"), QStringLiteral("0.33.0-fake")}}), head);
        return;
    }
    if (path == "/api/tags") {
        QJsonArray models;
        for (const QString &name : m_models) {
            const QByteArray digest =
                QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
            models.append(QJsonObject{
                {QStringLiteral("name"), name},
                {QStringLiteral("model"), name},
                {QStringLiteral("modified_at"), createdAt()},
                {QStringLiteral("size"), 4683087332LL},
                {QStringLiteral("digest"), QString::fromLatin1(digest)},
                {QStringLiteral("details"),
                 QJsonObject{{QStringLiteral("format"), QStringLiteral("gguf")},
                             {QStringLiteral("family"), QStringLiteral("qwen2")},
                             {QStringLiteral("parameter_size"), QStringLiteral("7.6B")},
                             {QStringLiteral("quantization_level"), QStringLiteral("Q4_K_M")}}},
            });
        }
        send(socket, 200, QByteArrayLiteral("application/json; charset=utf-8"),
             compact({{QStringLiteral("models"), models}}), head);
        return;
    }
    respondGenerate(socket, request);
}

void FakeOllamaServer::respondGenerate(QTcpSocket *socket, const Request &request)
{
    const bool chat = request.path == "/api/chat";
    if (request.body.trimmed().isEmpty()) {
        sendError(socket, 400, QStringLiteral("missing request body"));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject()) {
        sendError(socket, 400, QStringLiteral("invalid JSON: %1").arg(parseError.errorString()));
        return;
    }
    const QJsonObject json = document.object();
    const QString model = json.value(QLatin1String("model")).toString();
    if (model.isEmpty()) {
        sendError(socket, 400, QStringLiteral("model is required"));
        return;
    }
    if (m_failNext > 0) {
        --m_failNext;
        sendError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    if (!m_rawResponse.isEmpty()) {
        writePaced(socket, {m_rawResponse});
        return;
    }
    const bool loadOnly = chat ? json.value(QLatin1String("messages")).toArray().isEmpty()
                               : json.value(QLatin1String("prompt")).toString().isEmpty();
    if (loadOnly) {
        // Ollama answers a load request with one object even when streaming was asked for.
        QJsonObject loaded{{QStringLiteral("model"), model},
                           {QStringLiteral("created_at"), createdAt()},
                           {QStringLiteral("done"), true},
                           {QStringLiteral("done_reason"), QStringLiteral("load")}};
        if (chat) {
            loaded.insert(QStringLiteral("message"),
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), QString()}});
        } else {
            loaded.insert(QStringLiteral("response"), QString());
        }
        sendJson(socket, 200, compact(loaded));
        return;
    }
    if (m_mode == Mode::Hang) {
        return; // keeps the connection open and never answers
    }
    const bool stream = json.value(QLatin1String("stream")).toBool(true);
    if (stream) {
        streamGenerate(socket, request, m_mode == Mode::ErrorMidStream);
        return;
    }
    if (m_mode == Mode::ErrorMidStream) {
        // Without streaming, a failure while generating is an ordinary error answer.
        sendError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    const QString text = nextReplyText();
    QJsonObject answer{{QStringLiteral("model"), model},
                       {QStringLiteral("created_at"), createdAt()},
                       {QStringLiteral("done"), true},
                       {QStringLiteral("done_reason"), QStringLiteral("stop")},
                       {QStringLiteral("total_duration"), 1500000000LL},
                       {QStringLiteral("load_duration"), 100000000LL},
                       {QStringLiteral("prompt_eval_count"), promptWordCount(json, chat)},
                       {QStringLiteral("prompt_eval_duration"), 200000000LL},
                       {QStringLiteral("eval_count"), int(textPieces(text).size())},
                       {QStringLiteral("eval_duration"), 1200000000LL}};
    if (chat) {
        answer.insert(QStringLiteral("message"),
                      QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), text}});
    } else {
        answer.insert(QStringLiteral("response"), text);
        answer.insert(QStringLiteral("context"), QJsonArray{1, 2, 3});
    }
    sendJson(socket, 200, compact(answer));
}

void FakeOllamaServer::send(QTcpSocket *socket, int status, const QByteArray &contentType,
                            const QByteArray &body, bool headOnly)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                          "\r\nContent-Type: " + contentType +
                          "\r\nContent-Length: " + QByteArray::number(body.size()) +
                          "\r\nConnection: close\r\n\r\n";
    if (!headOnly) {
        response += body;
    }
    socket->write(response);
    // Closes once the bytes are out.
    socket->disconnectFromHost();
}

void FakeOllamaServer::sendJson(QTcpSocket *socket, int status, const QByteArray &body)
{
    send(socket, status, QByteArrayLiteral("application/json; charset=utf-8"), body);
}

void FakeOllamaServer::sendError(QTcpSocket *socket, int status, const QString &message)
{
    sendJson(socket, status, compact({{QStringLiteral("error"), message}}));
}

void FakeOllamaServer::streamGenerate(QTcpSocket *socket, const Request &request,
                                      bool errorMidStream)
{
    const bool chat = request.path == "/api/chat";
    const QJsonObject json = request.json();
    const QString model = json.value(QLatin1String("model")).toString();
    const QStringList pieces = textPieces(nextReplyText());
    const bool cut = !errorMidStream && m_cutNext > 0;
    m_cutNext -= cut ? 1 : 0;
    const qsizetype sent =
        errorMidStream || cut ? std::max<qsizetype>(1, pieces.size() / 2) : pieces.size();

    auto line = [&](const QString &piece) {
        QJsonObject object{{QStringLiteral("model"), model},
                           {QStringLiteral("created_at"), createdAt()},
                           {QStringLiteral("done"), false}};
        if (chat) {
            object.insert(QStringLiteral("message"),
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), piece}});
        } else {
            object.insert(QStringLiteral("response"), piece);
        }
        return object;
    };
    QList<QByteArray> lines;
    for (qsizetype i = 0; i < sent && i < pieces.size(); ++i) {
        lines.append(compact(line(pieces.at(i))) + '\n');
    }
    if (errorMidStream) {
        lines.append(compact({{QStringLiteral("error"), m_errorMessage}}) + '\n');
    } else {
        QJsonObject last = line(QString());
        last.insert(QStringLiteral("done"), true);
        last.insert(QStringLiteral("done_reason"),
                    cut ? QStringLiteral("length") : QStringLiteral("stop"));
        last.insert(QStringLiteral("total_duration"), 1500000000LL);
        last.insert(QStringLiteral("load_duration"), 100000000LL);
        last.insert(QStringLiteral("prompt_eval_count"), promptWordCount(json, chat));
        last.insert(QStringLiteral("prompt_eval_duration"), 200000000LL);
        last.insert(QStringLiteral("eval_count"), int(sent));
        last.insert(QStringLiteral("eval_duration"), 1200000000LL);
        if (!chat) {
            last.insert(QStringLiteral("context"), QJsonArray{1, 2, 3});
        }
        lines.append(compact(last) + '\n');
    }

    // Each line goes out as two chunks, so that clients meet lines split across reads.
    QList<QByteArray> parts;
    parts.append(QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
    for (const QByteArray &ndjson : lines) {
        const qsizetype half = ndjson.size() / 2;
        parts.append(chunk(ndjson.left(half)));
        parts.append(chunk(ndjson.mid(half)));
    }
    parts.append(QByteArrayLiteral("0\r\n\r\n"));
    writePaced(socket, parts);
}

void FakeOllamaServer::writePaced(QTcpSocket *socket, QList<QByteArray> parts)
{
    if (parts.isEmpty()) {
        socket->disconnectFromHost();
        return;
    }
    socket->write(parts.takeFirst());
    socket->flush();
    // The socket as context: a connection the client dropped ends the writing.
    QTimer::singleShot(2, socket,
                       [this, socket, rest = std::move(parts)] { writePaced(socket, rest); });
}

QString FakeOllamaServer::nextReplyText()
{
    return m_queue.isEmpty() ? m_replyText : m_queue.takeFirst();
}

} // namespace codeworm::test
