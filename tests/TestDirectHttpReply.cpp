// DirectHttpReply against a scripted server on the loopback: the request it writes, the answer
// framings (chunked split anywhere, Content-Length, until close), HTTP errors, broken and cut
// answers, refused connections, names, abort; and when HttpExchange::send chooses it.

#include "llm/DirectHttpReply.h"
#include "llm/HttpExchange.h"
#include "llm/ProxyFactory.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace codeworm;

namespace {

// Accepts one connection at a time, records the request and answers with the given parts,
// written a little apart (so that the client reads them separately), then closes.
class ScriptedServer : public QObject
{
public:
    QList<QByteArray> parts;
    bool closeAfter = true;
    QByteArray request;

    bool start() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const char *path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(QLatin1String(path)));
    }

    ScriptedServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                request += socket->readAll();
                if (!m_answering && request.contains("\r\n\r\n") && wholeBody()) {
                    m_answering = true;
                    writeFrom(socket, 0);
                }
            });
        });
    }

private:
    bool wholeBody() const
    {
        const qsizetype end = request.indexOf("\r\n\r\n");
        const QByteArray head = request.left(end).toLower();
        const qsizetype at = head.indexOf("content-length:");
        if (at < 0) {
            return true;
        }
        const qsizetype lineEnd = head.indexOf('\r', at);
        const qsizetype length = head.mid(at + 15, lineEnd - at - 15).trimmed().toLongLong();
        return request.size() - end - 4 >= length;
    }

    void writeFrom(QTcpSocket *socket, qsizetype index)
    {
        if (index >= parts.size()) {
            if (closeAfter) {
                socket->disconnectFromHost();
            }
            return;
        }
        socket->write(parts.at(index));
        socket->flush();
        // Longer than the reply's read interval: each part is a read of its own.
        QTimer::singleShot(DirectHttpReply::readIntervalMs + 15, socket,
                           [this, socket, index] { writeFrom(socket, index + 1); });
    }

    QTcpServer m_server;
    bool m_answering = false;
};

struct Result
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    int status = 0;
    QByteArray body;
    int finishedCount = 0;
    int readyReads = 0;
};

// Runs reply to its end, reading as a caller does on readyRead and at finished.
Result run(QNetworkReply *reply)
{
    Result result;
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] {
        ++result.readyReads;
        result.body += reply->readAll();
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, [&] {
        ++result.finishedCount;
        result.body += reply->readAll();
        result.error = reply->error();
        result.errorString = reply->errorString();
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    });
    if (!QTest::qWaitFor([&] { return result.finishedCount > 0; }, 10000)) {
        return result; // finishedCount 0: the caller's comparison fails
    }
    QTest::qWait(50); // no second finished
    return result;
}

QByteArray chunked(const QList<QByteArray> &chunks)
{
    QByteArray body;
    for (const QByteArray &chunk : chunks) {
        body += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    return body + "0\r\n\r\n";
}

const QByteArray streamHead = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n";

} // namespace

class TestDirectHttpReply : public QObject
{
    Q_OBJECT
private slots:
    void postWritesTheRequestAsGiven();
    void chunkedBodySplitAnywhere_data();
    void chunkedBodySplitAnywhere();
    void contentLengthAndUntilClose();
    void httpErrorsCarryTheirStatusAndBody_data();
    void httpErrorsCarryTheirStatusAndBody();
    void cutOrBrokenAnswersAreErrors_data();
    void cutOrBrokenAnswersAreErrors();
    void refusedConnection();
    void hostNamesAreLookedUp();
    void abortEndsAtOnceAndOnce();
    void sendChoosesDirectOnlyWithoutProxyOrTls();
};

void TestDirectHttpReply::postWritesTheRequestAsGiven()
{
    ScriptedServer server;
    QVERIFY(server.start());
    server.parts = {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
    QNetworkRequest request(server.url("/v1/chat/completions?x=1"));
    request.setRawHeader("Authorization", "Bearer secret");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray body = R"({"model":"m"})";
    auto *reply = new DirectHttpReply(request, body, this);
    QSignalSpy sent(reply, &QNetworkReply::requestSent);
    const Result result = run(reply);
    QCOMPARE(result.finishedCount, 1);
    QCOMPARE(result.error, QNetworkReply::NoError);
    QCOMPARE(result.body, QByteArray("ok"));
    QCOMPARE(sent.count(), 1);
    QVERIFY2(server.request.startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\n"),
             server.request.constData());
    QVERIFY(server.request.contains(
        QStringLiteral("\r\nHost: 127.0.0.1:%1\r\n").arg(server.port()).toUtf8()));
    QVERIFY(server.request.contains("\r\nAuthorization: Bearer secret\r\n"));
    QVERIFY(server.request.contains("\r\nContent-Type: application/json\r\n"));
    QVERIFY(server.request.contains("\r\nContent-Length: 13\r\n"));
    QVERIFY(server.request.endsWith(QByteArray(QByteArray("\r\n\r\n") + body)));
    delete reply;
}

void TestDirectHttpReply::chunkedBodySplitAnywhere_data()
{
    QTest::addColumn<qsizetype>("split");
    const QByteArray whole = streamHead + chunked({"{\"a\":1}\n", "{\"b\":2}\n{\"c\":3}\n"});
    // Inside the head, at its end, inside a size line, between \r and \n, inside data, in the
    // last chunk and its trailer.
    const qsizetype bodyStart = streamHead.size();
    for (const qsizetype split :
         {qsizetype(5), bodyStart - 2, bodyStart, bodyStart + 1, bodyStart + 2, bodyStart + 6,
          bodyStart + 13, whole.size() - 4, whole.size() - 1}) {
        QTest::addRow("at %lld", qlonglong(split)) << split;
    }
}

void TestDirectHttpReply::chunkedBodySplitAnywhere()
{
    QFETCH(qsizetype, split);
    ScriptedServer server;
    QVERIFY(server.start());
    const QByteArray whole = streamHead + chunked({"{\"a\":1}\n", "{\"b\":2}\n{\"c\":3}\n"});
    server.parts = {whole.left(split), whole.mid(split)};
    server.closeAfter = false; // the chunked framing alone ends the answer
    QNetworkAccessManager network;
    QNetworkReply *reply =
        HttpExchange::send(&network, QNetworkRequest(server.url("/api/x")), QByteArray("{}"));
    QVERIFY(qobject_cast<DirectHttpReply *>(reply));
    reply->setParent(this);
    const Result result = run(reply);
    QCOMPARE(result.finishedCount, 1);
    QCOMPARE(result.error, QNetworkReply::NoError);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body, QByteArray("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"));
    QCOMPARE(result.finishedCount, 1);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(),
             QStringLiteral("application/x-ndjson"));
    delete reply;
}

void TestDirectHttpReply::contentLengthAndUntilClose()
{
    for (const bool withLength : {true, false}) {
        ScriptedServer server;
        QVERIFY(server.start());
        const QByteArray body = "Ollama is running";
        const QByteArray head = withLength ? "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n"
                                           : "HTTP/1.0 200 OK\r\n\r\n";
        // A 100 Continue before the answer is passed over.
        server.parts = {"HTTP/1.1 100 Continue\r\n\r\n" + head + body.left(5), body.mid(5)};
        server.closeAfter = !withLength;
        auto *reply = new DirectHttpReply(QNetworkRequest(server.url("/")), QByteArray(), this);
        const Result result = run(reply);
        QCOMPARE(result.error, QNetworkReply::NoError);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body, body);
        QVERIFY(server.request.startsWith("GET / HTTP/1.1\r\n"));
        QVERIFY(!server.request.contains("Content-Length"));
        delete reply;
    }
}

void TestDirectHttpReply::httpErrorsCarryTheirStatusAndBody_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("error");
    QTest::newRow("400") << 400 << int(QNetworkReply::ProtocolInvalidOperationError);
    QTest::newRow("401") << 401 << int(QNetworkReply::AuthenticationRequiredError);
    QTest::newRow("404") << 404 << int(QNetworkReply::ContentNotFoundError);
    QTest::newRow("429") << 429 << int(QNetworkReply::UnknownContentError);
    QTest::newRow("500") << 500 << int(QNetworkReply::InternalServerError);
    QTest::newRow("503") << 503 << int(QNetworkReply::ServiceUnavailableError);
    QTest::newRow("507") << 507 << int(QNetworkReply::UnknownServerError);
}

void TestDirectHttpReply::httpErrorsCarryTheirStatusAndBody()
{
    QFETCH(int, status);
    QFETCH(int, error);
    ScriptedServer server;
    QVERIFY(server.start());
    const QByteArray body = R"({"error":"model 'x' not found"})";
    server.parts = {"HTTP/1.1 " + QByteArray::number(status) +
                    " Whatever\r\nContent-Type: application/json\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\n\r\n" + body};
    auto *reply = new DirectHttpReply(QNetworkRequest(server.url("/api/generate")), "{}", this);
    const Result result = run(reply);
    QCOMPARE(result.status, status);
    QCOMPARE(int(result.error), error);
    QCOMPARE(result.body, body);
    QVERIFY2(result.errorString.contains(QStringLiteral("Whatever")),
             qPrintable(result.errorString));
    delete reply;
}

void TestDirectHttpReply::cutOrBrokenAnswersAreErrors_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("error");
    QTest::newRow("closed before an answer")
        << QByteArray() << int(QNetworkReply::RemoteHostClosedError);
    QTest::newRow("cut in the head")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-") << int(QNetworkReply::RemoteHostClosedError);
    QTest::newRow("cut in a chunk") << QByteArray(streamHead + "20\r\n{\"response\":\"ha")
                                    << int(QNetworkReply::RemoteHostClosedError);
    QTest::newRow("no last chunk") << QByteArray(streamHead + chunked({"{}\n"}).chopped(5))
                                   << int(QNetworkReply::RemoteHostClosedError);
    QTest::newRow("short of its length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        << int(QNetworkReply::RemoteHostClosedError);
    QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n")
                              << int(QNetworkReply::ProtocolFailure);
    QTest::newRow("chunk size not a number")
        << QByteArray(streamHead + "zz\r\nabc\r\n") << int(QNetworkReply::ProtocolFailure);
    QTest::newRow("chunk longer than its size")
        << QByteArray(streamHead + "2\r\nabc\r\n") << int(QNetworkReply::ProtocolFailure);
}

void TestDirectHttpReply::cutOrBrokenAnswersAreErrors()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, error);
    ScriptedServer server;
    QVERIFY(server.start());
    server.parts = {answer};
    auto *reply = new DirectHttpReply(QNetworkRequest(server.url("/api/generate")), "{}", this);
    const Result result = run(reply);
    QCOMPARE(int(result.error), error);
    QCOMPARE(result.finishedCount, 1);
    QVERIFY(!result.errorString.isEmpty());
    delete reply;
}

void TestDirectHttpReply::refusedConnection()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    auto *reply =
        new DirectHttpReply(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))),
                            QByteArray(), this);
    const Result result = run(reply);
    QCOMPARE(result.error, QNetworkReply::ConnectionRefusedError);
    QCOMPARE(result.status, 0);
    delete reply;
}

void TestDirectHttpReply::hostNamesAreLookedUp()
{
    // "localhost" may resolve to ::1 first, where nothing listens: the next address is tried.
    ScriptedServer server;
    QVERIFY(server.start());
    server.parts = {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
    auto *reply = new DirectHttpReply(
        QNetworkRequest(QUrl(QStringLiteral("http://localhost:%1/").arg(server.port()))),
        QByteArray(), this);
    const Result result = run(reply);
    QCOMPARE(result.finishedCount, 1);
    QCOMPARE(result.error, QNetworkReply::NoError);
    QCOMPARE(result.body, QByteArray("ok"));
    QVERIFY(server.request.contains(
        QStringLiteral("\r\nHost: localhost:%1\r\n").arg(server.port()).toUtf8()));
    delete reply;

    auto *unknown = new DirectHttpReply(
        QNetworkRequest(QUrl(QStringLiteral("http://no-such-host.invalid:11434/"))), QByteArray(),
        this);
    QCOMPARE(run(unknown).error, QNetworkReply::HostNotFoundError);
    delete unknown;
}

void TestDirectHttpReply::abortEndsAtOnceAndOnce()
{
    ScriptedServer server;
    QVERIFY(server.start());
    server.parts = {streamHead + "5\r\nfirst\r\n", "6\r\nsecond\r\n"};
    server.closeAfter = false;
    auto *reply = new DirectHttpReply(QNetworkRequest(server.url("/api/generate")), "{}", this);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QSignalSpy readyRead(reply, &QNetworkReply::readyRead);
    QVERIFY(readyRead.wait(5000));
    reply->abort();
    QCOMPARE(finished.count(), 1); // at once, inside abort()
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QVERIFY(reply->isFinished());
    reply->abort();
    QTest::qWait(100);
    QCOMPARE(finished.count(), 1);
    delete reply;
}

void TestDirectHttpReply::sendChoosesDirectOnlyWithoutProxyOrTls()
{
    QNetworkAccessManager network;
    const QUrl local(QStringLiteral("http://127.0.0.1:9/api/tags"));
    QVERIFY(DirectHttpReply::canHandle(local, &network));
    QVERIFY(!DirectHttpReply::canHandle(QUrl(QStringLiteral("https://127.0.0.1:9/")), &network));

    // A proxy set on the manager: through QNetworkAccessManager, which speaks to proxies.
    network.setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), 3128));
    QVERIFY(!DirectHttpReply::canHandle(local, &network));
    network.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QVERIFY(DirectHttpReply::canHandle(local, &network));

    // CodeWorm's proxy factory: a remote host behind http_proxy goes through it, the loopback
    // never does.
    QNetworkAccessManager configured;
    configured.setProxyFactory(new EnvironmentProxyFactory);
    qputenv("http_proxy", "http://127.0.0.1:3128");
    const bool remote = DirectHttpReply::canHandle(
        QUrl(QStringLiteral("http://gpu.example.org:8080/")), &configured);
    const bool loopback = DirectHttpReply::canHandle(local, &configured);
    qunsetenv("http_proxy");
    QVERIFY(!remote);
    QVERIFY(loopback);
}

QTEST_GUILESS_MAIN(TestDirectHttpReply)
#include "TestDirectHttpReply.moc"
