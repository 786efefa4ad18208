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
    return m_server->isListening() ? m_server->serverPort() : m_port;
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
        ++m_connections;
        if (m_fault == Fault::Reset || (m_fault == Fault::Flapping && m_connections % 2 == 1)) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Without this, Nagle's algorithm and delayed ACKs hold back the small NDJSON writes.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            const bool answered = m_answered.remove(socket);
            if (const auto path = m_requestPaths.find(socket); path != m_requestPaths.end()) {
                const QByteArray closedPath = *path;
                m_requestPaths.erase(path);
                if (!answered) {
                    emit clientClosed(closedPath);
                }
            }
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
    m_requestPaths.insert(socket, request.path);
    m_requests.append(request);
    emit requestReceived(request.method, request.path);
    respond(socket, request);
}

void FakeOllamaServer::respond(QTcpSocket *socket, const Request &request)
{
    if (m_fault == Fault::Hang) {
        return; // keeps the connection open and never answers
    }
    if (request.path.startsWith("/v1/")) {
        respondOpenAi(socket, request);
        return;
    }
    const QByteArray &path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool head = request.method == "HEAD";
    const bool post = request.method == "POST";
    const QByteArray text = QByteArrayLiteral("text/plain; charset=utf-8");

    bool allowed = false;
    if (path == "/" || path == "/api/version" || path == "/api/tags") {
        allowed = get;
    } else if (path == "/api/generate" || path == "/api/chat" || path == "/api/pull") {
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
    // After the version and the list: a real server whose model fails still answers those.
    if (m_mode == Mode::HttpError) {
        sendError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    if (path == "/api/pull") {
        respondPull(socket, request);
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
    if (respondFault(socket, request, json)) {
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
    closeAnswered(socket);
}

void FakeOllamaServer::closeAnswered(QTcpSocket *socket)
{
    m_answered.insert(socket);
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
        closeAnswered(socket);
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

int FakeOllamaServer::chatCompletionCount() const
{
    return int(requestsTo(QByteArrayLiteral("/v1/chat/completions")).size());
}

void FakeOllamaServer::respondOpenAi(QTcpSocket *socket, const Request &request)
{
    const QByteArray &path = request.path;
    const QByteArray text = QByteArrayLiteral("text/plain; charset=utf-8");
    const bool modelList = path == "/v1/models";
    if (!modelList && path != "/v1/chat/completions") {
        send(socket, 404, text, QByteArrayLiteral("404 page not found"));
        return;
    }
    if (request.method != (modelList ? "GET" : "POST")) {
        send(socket, 405, text, QByteArrayLiteral("405 method not allowed"));
        return;
    }
    if (!m_requiredApiKey.isEmpty()) {
        QByteArray authorization;
        for (const auto &[name, value] : request.headers) {
            if (name.compare("Authorization", Qt::CaseInsensitive) == 0) {
                authorization = value;
            }
        }
        if (authorization != "Bearer " + m_requiredApiKey) {
            sendOpenAiError(socket, 401, QStringLiteral("Incorrect API key provided"));
            return;
        }
    }
    if (m_mode == Mode::HttpError) {
        sendOpenAiError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    if (modelList) {
        QJsonArray data;
        for (const QString &name : m_models) {
            data.append(QJsonObject{{QStringLiteral("id"), name},
                                    {QStringLiteral("object"), QStringLiteral("model")},
                                    {QStringLiteral("created"), 1777700000},
                                    {QStringLiteral("owned_by"), QStringLiteral("library")}});
        }
        sendJson(socket, 200,
                 compact({{QStringLiteral("object"), QStringLiteral("list")},
                          {QStringLiteral("data"),
                           data.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(data)}}));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (!document.isObject()) {
        sendOpenAiError(socket, 400,
                        QStringLiteral("invalid JSON: %1").arg(parseError.errorString()));
        return;
    }
    const QJsonObject json = document.object();
    const QString model = json.value(QLatin1String("model")).toString();
    if (model.isEmpty() || json.value(QLatin1String("messages")).toArray().isEmpty()) {
        sendOpenAiError(socket, 400, QStringLiteral("model and messages are required"));
        return;
    }
    if (!m_models.contains(model) && !m_models.contains(model + QStringLiteral(":latest"))) {
        sendOpenAiError(socket, 404, QStringLiteral("model '%1' not found").arg(model));
        return;
    }
    if (m_failNext > 0) {
        --m_failNext;
        sendOpenAiError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    if (m_openAiFaults && respondOpenAiFault(socket, json)) {
        return;
    }
    if (!m_rawResponse.isEmpty()) {
        writePaced(socket, {m_rawResponse});
        return;
    }
    if (m_mode == Mode::Hang) {
        return; // keeps the connection open and never answers
    }
    // Ollama's /v1 does not stream unless asked to.
    if (json.value(QLatin1String("stream")).toBool(false)) {
        streamChatCompletion(socket, json, m_mode == Mode::ErrorMidStream);
        return;
    }
    if (m_mode == Mode::ErrorMidStream) {
        sendOpenAiError(socket, m_errorStatus, m_errorMessage);
        return;
    }
    const QStringList pieces = textPieces(nextReplyText());
    const bool cut = m_cutNext > 0;
    m_cutNext -= cut ? 1 : 0;
    const QStringList sent =
        cut ? pieces.mid(0, std::max<qsizetype>(1, pieces.size() / 2)) : pieces;
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), sent.join(QString())}};
    if (!m_openAiReasoning.isEmpty()) {
        message.insert(m_openAiReasoningField, m_openAiReasoning);
    }
    const int promptTokens = promptWordCount(json, true);
    sendJson(
        socket, 200,
        compact(
            {{QStringLiteral("id"), QStringLiteral("chatcmpl-417")},
             {QStringLiteral("object"), QStringLiteral("chat.completion")},
             {QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
             {QStringLiteral("model"), model},
             {QStringLiteral("choices"),
              QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("finish_reason"),
                                      cut ? QStringLiteral("length") : QStringLiteral("stop")}}}},
             {QStringLiteral("usage"),
              QJsonObject{{QStringLiteral("prompt_tokens"), promptTokens},
                          {QStringLiteral("completion_tokens"), int(sent.size())},
                          {QStringLiteral("total_tokens"), promptTokens + int(sent.size())}}}}));
}

void FakeOllamaServer::streamChatCompletion(QTcpSocket *socket, const QJsonObject &json,
                                            bool errorMidStream)
{
    const QString model = json.value(QLatin1String("model")).toString();
    const QStringList pieces = textPieces(nextReplyText());
    const bool cut = !errorMidStream && m_cutNext > 0;
    m_cutNext -= cut ? 1 : 0;
    const qsizetype sent =
        errorMidStream || cut ? std::max<qsizetype>(1, pieces.size() / 2) : pieces.size();
    const qint64 created = QDateTime::currentSecsSinceEpoch();

    auto event = [](const QJsonObject &object) -> QByteArray {
        return "data: " + compact(object) + "\n\n";
    };
    auto chunkWith = [&](const QJsonObject &delta, const QJsonValue &finishReason) {
        return QJsonObject{
            {QStringLiteral("id"), QStringLiteral("chatcmpl-417")},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), created},
            {QStringLiteral("model"), model},
            {QStringLiteral("system_fingerprint"), QStringLiteral("fp_ollama")},
            {QStringLiteral("choices"),
             QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                    {QStringLiteral("delta"), delta},
                                    {QStringLiteral("finish_reason"), finishReason}}}}};
    };
    const QJsonValue null(QJsonValue::Null);
    // A comment first, as llama.cpp's keep-alive pings look.
    QList<QByteArray> events{QByteArrayLiteral(": ping\n\n")};
    events.append(event(chunkWith({{QStringLiteral("role"), QStringLiteral("assistant")},
                                   {QStringLiteral("content"), QString()}},
                                  null)));
    for (const QString &piece : textPieces(m_openAiReasoning)) {
        events.append(event(chunkWith({{m_openAiReasoningField, piece}}, null)));
    }
    for (qsizetype i = 0; i < sent && i < pieces.size(); ++i) {
        events.append(event(chunkWith({{QStringLiteral("content"), pieces.at(i)}}, null)));
    }
    if (errorMidStream) {
        // How servers report a failure once streaming has begun differs; this is the common
        // shape. No [DONE] follows.
        events.append(
            event({{QStringLiteral("error"),
                    QJsonObject{{QStringLiteral("message"), m_errorMessage},
                                {QStringLiteral("type"), QStringLiteral("api_error")}}}}));
    } else {
        events.append(event(
            chunkWith(QJsonObject(), cut ? QStringLiteral("length") : QStringLiteral("stop"))));
        if (json.value(QLatin1String("stream_options"))
                .toObject()
                .value(QLatin1String("include_usage"))
                .toBool()) {
            QJsonObject usage = chunkWith(QJsonObject(), null);
            usage.insert(QStringLiteral("choices"), QJsonArray());
            const int promptTokens = promptWordCount(json, true);
            usage.insert(QStringLiteral("usage"),
                         QJsonObject{{QStringLiteral("prompt_tokens"), promptTokens},
                                     {QStringLiteral("completion_tokens"), int(sent)},
                                     {QStringLiteral("total_tokens"), promptTokens + int(sent)}});
            events.append(event(usage));
        }
        events.append(QByteArrayLiteral("data: [DONE]\n\n"));
    }

    const Fault fault = m_openAiFaults ? m_fault : Fault::None;
    if (fault == Fault::MalformedJson) {
        events.insert(events.size() / 2,
                      QByteArrayLiteral("data: {\"id\": \"chatcmpl-417\", \"choices\": tru\n\n"));
    }
    // TruncatedStream: half the events, then the connection ends in the middle of the next one.
    QByteArray cutEvent;
    if (fault == Fault::TruncatedStream) {
        const qsizetype kept = std::max<qsizetype>(1, events.size() / 2);
        cutEvent = events.at(kept).left(events.at(kept).size() / 2);
        events = events.mid(0, kept);
    }

    // Each event goes out as two chunks, so that clients meet lines split across reads; a slow
    // stream pauses between whole events.
    QList<QByteArray> parts;
    parts.append(QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                   "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
                                   "Connection: close\r\n\r\n"));
    for (const QByteArray &data : events) {
        if (fault == Fault::SlowStream) {
            parts.append(chunk(data));
            continue;
        }
        const qsizetype half = data.size() / 2;
        parts.append(chunk(data.left(half)));
        parts.append(chunk(data.mid(half)));
    }
    if (fault == Fault::TruncatedStream) {
        parts.append(chunk(cutEvent));
        writeSpaced(socket, parts, 2);
        return;
    }
    parts.append(QByteArrayLiteral("0\r\n\r\n"));
    if (fault == Fault::SlowStream) {
        writeSpaced(socket, parts, m_streamDelayMs, m_streamHeadStart);
        return;
    }
    writePaced(socket, parts);
}

void FakeOllamaServer::sendOpenAiError(QTcpSocket *socket, int status, const QString &message)
{
    const QString type = status == 400   ? QStringLiteral("invalid_request_error")
                         : status == 404 ? QStringLiteral("not_found_error")
                                         : QStringLiteral("api_error");
    sendJson(socket, status,
             compact({{QStringLiteral("error"),
                       QJsonObject{{QStringLiteral("message"), message},
                                   {QStringLiteral("type"), type},
                                   {QStringLiteral("param"), QJsonValue(QJsonValue::Null)},
                                   {QStringLiteral("code"), QJsonValue(QJsonValue::Null)}}}}));
}

// The faults that shape an answer before it streams, in OpenAI's error shape.
bool FakeOllamaServer::respondOpenAiFault(QTcpSocket *socket, const QJsonObject &json)
{
    switch (m_fault) {
    case Fault::ServerError:
        sendOpenAiError(socket, 500, m_errorMessage);
        return true;
    case Fault::ModelNotFound:
        sendOpenAiError(socket, 404,
                        QStringLiteral("model '%1' not found")
                            .arg(json.value(QLatin1String("model")).toString()));
        return true;
    case Fault::OutOfMemory:
        if (json.value(QLatin1String("options"))
                .toObject()
                .value(QLatin1String("num_ctx"))
                .toInt(16384) > 8192) {
            sendOpenAiError(socket, 500,
                            QStringLiteral("llama-server reported out-of-memory during startup: "
                                           "cudaMalloc failed: out of memory"));
            return true;
        }
        return false;
    default:
        return false;
    }
}

void FakeOllamaServer::setFault(Fault fault)
{
    if (fault == Fault::Refuse && m_server->isListening()) {
        m_port = m_server->serverPort();
        m_server->close();
    } else if (fault != Fault::Refuse && !m_server->isListening() && m_port != 0) {
        start(m_port);
    }
    m_fault = fault;
}

bool FakeOllamaServer::respondFault(QTcpSocket *socket, const Request &request,
                                    const QJsonObject &json)
{
    const bool chat = request.path == "/api/chat";
    const QString model = json.value(QLatin1String("model")).toString();
    const bool loadOnly = chat ? json.value(QLatin1String("messages")).toArray().isEmpty()
                               : json.value(QLatin1String("prompt")).toString().isEmpty();
    const QJsonValue keepAlive = json.value(QLatin1String("keep_alive"));
    if (loadOnly && keepAlive.isDouble() && keepAlive.toDouble() == 0) {
        // keep_alive 0 without a prompt unloads, whether or not the model was loaded.
        QJsonObject unloaded{{QStringLiteral("model"), model},
                             {QStringLiteral("created_at"), createdAt()},
                             {QStringLiteral("done"), true},
                             {QStringLiteral("done_reason"), QStringLiteral("unload")}};
        unloaded.insert(
            chat ? QStringLiteral("message") : QStringLiteral("response"),
            chat ? QJsonValue(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                          {QStringLiteral("content"), QString()}})
                 : QJsonValue(QString()));
        sendJson(socket, 200, compact(unloaded));
        return true;
    }
    switch (m_fault) {
    case Fault::ServerError:
        sendError(socket, 500, m_errorMessage);
        return true;
    case Fault::ModelNotFound:
        sendError(socket, 404, QStringLiteral("model '%1' not found").arg(model));
        return true;
    case Fault::OutOfMemory: {
        // A model that fits only with the smaller context, as on a small GPU.
        const int numCtx = json.value(QLatin1String("options"))
                               .toObject()
                               .value(QLatin1String("num_ctx"))
                               .toInt(16384);
        if (numCtx > 8192) {
            sendError(socket, 500,
                      QStringLiteral("llama-server reported out-of-memory during startup: "
                                     "cudaMalloc failed: out of memory"));
            return true;
        }
        break;
    }
    case Fault::SlowStream:
    case Fault::TruncatedStream:
    case Fault::MalformedJson:
        if (!loadOnly) {
            streamFaulty(socket, request, json);
            return true;
        }
        break;
    default:
        break;
    }
    if (!m_thinkingText.isEmpty() && !loadOnly && m_rawResponse.isEmpty() &&
        m_mode == Mode::Normal) {
        streamFaulty(socket, request, json);
        return true;
    }
    return false;
}

// The answer as the fault asks: the thinking trace first, then the text one word a line.
void FakeOllamaServer::streamFaulty(QTcpSocket *socket, const Request &request,
                                    const QJsonObject &json)
{
    const bool chat = request.path == "/api/chat";
    const QString model = json.value(QLatin1String("model")).toString();
    auto line = [&](const QString &content, const QString &thinking, bool done) {
        QJsonObject object{{QStringLiteral("model"), model},
                           {QStringLiteral("created_at"), createdAt()},
                           {QStringLiteral("done"), done}};
        QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                            {QStringLiteral("content"), content}};
        if (!thinking.isEmpty()) {
            message.insert(QStringLiteral("thinking"), thinking);
            object.insert(QStringLiteral("thinking"), thinking);
        }
        if (chat) {
            object.insert(QStringLiteral("message"), message);
        } else {
            object.insert(QStringLiteral("response"), content);
        }
        return object;
    };
    QList<QByteArray> lines;
    for (const QString &piece : textPieces(m_thinkingText)) {
        lines.append(compact(line(QString(), piece, false)));
    }
    QStringList pieces = textPieces(nextReplyText());
    if (!m_thinkingText.isEmpty()) {
        // Some models also write their reasoning into the answer itself.
        pieces.prepend(QStringLiteral("<think>") + m_thinkingText + QStringLiteral("</think>\n"));
    }
    for (const QString &piece : pieces) {
        lines.append(compact(line(piece, QString(), false)));
    }
    if (m_fault == Fault::MalformedJson) {
        lines.insert(lines.size() / 2, QByteArrayLiteral("{\"model\": \"") + model.toUtf8() +
                                           QByteArrayLiteral("\", \"response\": tru"));
    }
    QJsonObject last = line(QString(), QString(), true);
    last.insert(QStringLiteral("done_reason"), QStringLiteral("stop"));
    last.insert(QStringLiteral("total_duration"), 1500000000LL);
    last.insert(QStringLiteral("prompt_eval_count"), promptWordCount(json, chat));
    last.insert(QStringLiteral("eval_count"), int(pieces.size()));
    last.insert(QStringLiteral("eval_duration"), 1200000000LL);
    lines.append(compact(last));
    writeNdjson(socket, lines, m_fault == Fault::TruncatedStream);
}

void FakeOllamaServer::respondPull(QTcpSocket *socket, const Request &request)
{
    const QString model = request.json().value(QLatin1String("model")).toString();
    if (model.isEmpty()) {
        sendError(socket, 400, QStringLiteral("model is required"));
        return;
    }
    if (m_fault == Fault::ServerError) {
        sendError(socket, 500, m_errorMessage);
        return;
    }
    QList<QByteArray> lines{
        compact({{QStringLiteral("status"), QStringLiteral("pulling manifest")}})};
    if (m_fault == Fault::ModelNotFound) {
        // What Ollama streams for a name the library does not have.
        lines.append(compact({{QStringLiteral("error"),
                               QStringLiteral("pull model manifest: file does not exist")}}));
        writeNdjson(socket, lines, false);
        return;
    }
    const QString digest = QString::fromLatin1(
        QCryptographicHash::hash(model.toUtf8(), QCryptographicHash::Sha256).toHex());
    const qint64 total = 4683087332LL;
    const QString layer = QStringLiteral("pulling ") + digest.left(12);
    for (const qint64 completed : {qint64(0), total / 2, total}) {
        QJsonObject progress{
            {QStringLiteral("status"), layer},
            {QStringLiteral("digest"), QString(QStringLiteral("sha256:") + digest)},
            {QStringLiteral("total"), double(total)}};
        if (completed > 0) {
            progress.insert(QStringLiteral("completed"), double(completed));
        }
        lines.append(compact(progress));
    }
    for (const char *status : {"verifying sha256 digest", "writing manifest", "success"}) {
        lines.append(compact({{QStringLiteral("status"), QString::fromLatin1(status)}}));
    }
    if (!m_models.contains(model)) {
        m_models.append(model);
    }
    writeNdjson(socket, lines, m_fault == Fault::TruncatedStream);
}

// A chunked NDJSON answer. truncate: half the lines, then the connection ends in the middle
// of the next line (no last chunk).
void FakeOllamaServer::writeNdjson(QTcpSocket *socket, const QList<QByteArray> &lines,
                                   bool truncate)
{
    QList<QByteArray> parts{
        QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                          "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")};
    const qsizetype count = truncate ? std::max<qsizetype>(1, lines.size() / 2) : lines.size();
    for (qsizetype i = 0; i < count; ++i) {
        parts.append(chunk(lines.at(i) + '\n'));
    }
    if (truncate) {
        const QByteArray next = lines.value(count, lines.constLast());
        parts.append(chunk(next.left(next.size() / 2)));
    } else {
        parts.append(QByteArrayLiteral("0\r\n\r\n"));
    }
    if (m_fault == Fault::SlowStream) {
        writeSpaced(socket, parts, m_streamDelayMs, m_streamHeadStart);
    } else {
        writeSpaced(socket, parts, 2);
    }
}

// As writePaced, with the pause given.
void FakeOllamaServer::writeSpaced(QTcpSocket *socket, QList<QByteArray> parts, int delayMs,
                                   int quickParts)
{
    if (parts.isEmpty()) {
        closeAnswered(socket);
        return;
    }
    socket->write(parts.takeFirst());
    socket->flush();
    QTimer::singleShot(quickParts > 1 ? 2 : delayMs, socket,
                       [this, socket, rest = std::move(parts), delayMs, quickParts] {
                           writeSpaced(socket, rest, delayMs, quickParts - 1);
                       });
}

} // namespace codeworm::test
