#include "LlmTestHelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>

namespace codeworm::test {

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost)) {
        qFatal("cannot listen on 127.0.0.1: %s", qPrintable(server.errorString()));
    }
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QString closedUrl()
{
    return QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
}

GenerationRequest documentRequest()
{
    GenerationRequest request;
    request.system = QStringLiteral("You write API docs.");
    request.prompt = QStringLiteral("Document parse_config for me");
    return request;
}

QByteArray httpResponse(const QByteArray &contentType, const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray sseResponse(const QByteArray &events)
{
    return httpResponse("text/event-stream", events);
}

QByteArray ndjsonResponse(const QList<QByteArray> &lines)
{
    QByteArray body;
    for (const QByteArray &line : lines) {
        body += line + '\n';
    }
    return httpResponse("application/x-ndjson", body);
}

QByteArray headerOf(const FakeOllamaServer::Request &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QJsonObject jsonObject(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QJsonValue optionOf(const QJsonObject &body, const QString &name)
{
    return body.value(QLatin1String("options")).toObject().value(name);
}

QString messageField(const QJsonObject &body, int index, const QString &field)
{
    return body.value(QLatin1String("messages"))
        .toArray()
        .at(index)
        .toObject()
        .value(field)
        .toString();
}

QString firstMissing(const QString &message, const QStringList &parts, const QString &url)
{
    for (const QString &part : parts) {
        const QString expected = QString(part).replace(QLatin1String("{url}"), url);
        if (!message.contains(expected)) {
            return expected;
        }
    }
    return {};
}

bool waitForRequests(const FakeOllamaServer &server, const QByteArray &path, int count,
                     int timeoutMs)
{
    const auto received = [&server, &path] { return int(server.requestsTo(path).size()); };
    return QTest::qWaitFor([&] { return received() >= count; }, timeoutMs) && received() == count;
}

ScopedVariable::ScopedVariable(const char *name, const QByteArray &value)
    : m_name(name)
    , m_saved(qgetenv(name))
    , m_wasSet(qEnvironmentVariableIsSet(name))
{
    if (value.isNull()) {
        qunsetenv(name);
    } else {
        qputenv(name, value);
    }
}

ScopedVariable::~ScopedVariable()
{
    if (m_wasSet) {
        qputenv(m_name, m_saved);
    } else {
        qunsetenv(m_name);
    }
}

} // namespace codeworm::test
