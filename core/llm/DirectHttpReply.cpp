#include "llm/DirectHttpReply.h"

#include "llm/HttpExchange.h"

#include <QHostInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace codeworm {

namespace {

// A status line or header longer than this is not an HTTP answer.
constexpr qsizetype headLimit = 256 * 1024;
// The most one wake-up reads before it lets the event loop run again.
constexpr qsizetype readLimit = 4 * 1024 * 1024;
constexpr qsizetype readChunk = 64 * 1024;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QNetworkReply::NetworkError connectError(int error)
{
    switch (error) {
    case ECONNREFUSED:
        return QNetworkReply::ConnectionRefusedError;
    case ETIMEDOUT:
        return QNetworkReply::TimeoutError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

// The error QNetworkAccessManager reports for an HTTP status, so that callers see the same.
QNetworkReply::NetworkError statusError(int status)
{
    switch (status) {
    case 400:
    case 418:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 401:
        return QNetworkReply::AuthenticationRequiredError;
    case 403:
        return QNetworkReply::ContentAccessDenied;
    case 404:
        return QNetworkReply::ContentNotFoundError;
    case 405:
        return QNetworkReply::ContentOperationNotPermittedError;
    case 407:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409:
        return QNetworkReply::ContentConflictError;
    case 410:
        return QNetworkReply::ContentGoneError;
    case 500:
        return QNetworkReply::InternalServerError;
    case 501:
        return QNetworkReply::OperationNotImplementedError;
    case 503:
        return QNetworkReply::ServiceUnavailableError;
    default:
        if (status >= 500) {
            return QNetworkReply::UnknownServerError;
        }
        return status >= 400 ? QNetworkReply::UnknownContentError : QNetworkReply::NoError;
    }
}

bool parseHex(QByteArrayView text, qint64 *value)
{
    text = text.trimmed();
    if (text.isEmpty() || text.size() > 15) {
        return false;
    }
    qint64 result = 0;
    for (const char c : text) {
        int digit = 0;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return false;
        }
        result = result * 16 + digit;
    }
    *value = result;
    return true;
}

} // namespace

DirectHttpReply::DirectHttpReply(const QNetworkRequest &request, const QByteArray &body,
                                 QObject *parent)
    : QNetworkReply(parent)
    , m_readTimer(new QTimer(this))
{
    const QUrl url = request.url();
    setRequest(request);
    setUrl(url);
    setOperation(body.isNull() ? QNetworkAccessManager::GetOperation
                               : QNetworkAccessManager::PostOperation);
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    m_host = url.host();
    m_port = quint16(url.port(80));

    const QByteArray hostHeader =
        (url.host().contains(QLatin1Char(':')) ? '[' + url.host().toUtf8() + ']'
                                               : url.host().toUtf8()) +
        (url.port() >= 0 ? ':' + QByteArray::number(url.port()) : QByteArray());
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty()) {
        target = "/";
    }
    if (url.hasQuery()) {
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    }
    m_requestBytes = (body.isNull() ? "GET " : "POST ") + target +
                     " HTTP/1.1\r\nHost: " + hostHeader +
                     "\r\nConnection: close\r\nAccept: */*\r\n";
    const QVariant contentType = request.header(QNetworkRequest::ContentTypeHeader);
    if (contentType.isValid() && !request.hasRawHeader("Content-Type")) {
        m_requestBytes += "Content-Type: " + contentType.toByteArray() + "\r\n";
    }
    for (const QByteArray &name : request.rawHeaderList()) {
        m_requestBytes += name + ": " + request.rawHeader(name) + "\r\n";
    }
    if (!body.isNull()) {
        m_requestBytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    m_requestBytes += "\r\n" + body;

    m_readTimer->setSingleShot(true);
    connect(m_readTimer, &QTimer::timeout, this, &DirectHttpReply::resumeReading);
    // Like QNetworkAccessManager's replies, nothing is signalled before the caller connects.
    QMetaObject::invokeMethod(this, &DirectHttpReply::start, Qt::QueuedConnection);
}

DirectHttpReply::~DirectHttpReply()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
    }
    closeSocket();
}

bool DirectHttpReply::canHandle(const QUrl &url, QNetworkAccessManager *network)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty()) {
        return false;
    }
    QNetworkProxy proxy = network->proxy();
    if (proxy.type() == QNetworkProxy::DefaultProxy) {
        const QNetworkProxyQuery query(url);
        QNetworkProxyFactory *factory = network->proxyFactory();
        const QList<QNetworkProxy> proxies =
            factory ? factory->queryProxy(query) : QNetworkProxyFactory::proxyForQuery(query);
        proxy = proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.first();
        if (proxy.type() == QNetworkProxy::DefaultProxy) {
            proxy = QNetworkProxy::applicationProxy();
        }
    }
    return proxy.type() == QNetworkProxy::NoProxy;
}

void DirectHttpReply::start()
{
    if (isFinished()) {
        return;
    }
    QHostAddress address;
    if (address.setAddress(m_host)) {
        m_addresses = {address};
        m_stage = Stage::Connecting;
        connectNext();
        return;
    }
    m_lookupId = QHostInfo::lookupHost(m_host, this, &DirectHttpReply::onLookedUp);
}

void DirectHttpReply::onLookedUp(const QHostInfo &info)
{
    m_lookupId = -1;
    if (isFinished()) {
        return;
    }
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failWith(HostNotFoundError, tr("Host %1 not found").arg(m_host));
        return;
    }
    m_addresses = info.addresses();
    m_stage = Stage::Connecting;
    connectNext();
}

void DirectHttpReply::connectNext()
{
    closeSocket();
    while (!m_addresses.isEmpty()) {
        const QHostAddress address = m_addresses.takeFirst();
        sockaddr_storage storage{};
        socklen_t length = 0;
        if (address.protocol() == QAbstractSocket::IPv6Protocol) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(m_port);
            const Q_IPV6ADDR bytes = address.toIPv6Address();
            std::memcpy(&in6->sin6_addr, &bytes, sizeof(in6->sin6_addr));
            in6->sin6_scope_id = address.scopeId().toUInt();
            length = sizeof(sockaddr_in6);
        } else {
            auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
            in4->sin_family = AF_INET;
            in4->sin_port = htons(m_port);
            in4->sin_addr.s_addr = htonl(address.toIPv4Address());
            length = sizeof(sockaddr_in);
        }
        m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_fd < 0) {
            m_lastConnectErrno = errno;
            continue;
        }
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&storage), length) == 0 ||
            errno == EINPROGRESS) {
            m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
            connect(m_writeNotifier, &QSocketNotifier::activated, this,
                    &DirectHttpReply::onWritable);
            return;
        }
        m_lastConnectErrno = errno;
        closeSocket();
    }
    const int error = m_lastConnectErrno ? m_lastConnectErrno : ECONNREFUSED;
    failWith(connectError(error),
             error == ECONNREFUSED ? tr("Connection refused") : errnoText(error));
}

void DirectHttpReply::onWritable()
{
    if (m_stage == Stage::Connecting) {
        int error = 0;
        socklen_t length = sizeof(error);
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
            error = errno;
        }
        if (error != 0) {
            m_lastConnectErrno = error;
            connectNext(); // the next address of the name, if any
            return;
        }
        m_stage = Stage::Sending;
        m_readNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
        connect(m_readNotifier, &QSocketNotifier::activated, this, &DirectHttpReply::onReadable);
    }
    sendMore();
}

void DirectHttpReply::sendMore()
{
    while (m_sent < m_requestBytes.size()) {
        const ssize_t written = ::send(m_fd, m_requestBytes.constData() + m_sent,
                                       size_t(m_requestBytes.size() - m_sent), MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return; // the write notifier calls again
            }
            if (errno == EPIPE || errno == ECONNRESET) {
                // The server answered early and closed (a 413, say): its answer is readable.
                m_writeNotifier->setEnabled(false);
                m_stage = Stage::Head;
                return;
            }
            failWith(UnknownNetworkError, errnoText(errno));
            return;
        }
        m_sent += written;
    }
    m_writeNotifier->setEnabled(false);
    m_requestBytes = QByteArray();
    if (m_stage == Stage::Sending) {
        m_stage = Stage::Head;
        emit requestSent();
    }
}

void DirectHttpReply::onReadable()
{
    if (!readSocket()) {
        return;
    }
    if (m_stage == Stage::Body && m_framing != Framing::None) {
        // A streaming body: let more of it gather in the kernel before the next read.
        m_readNotifier->setEnabled(false);
        m_readTimer->start(readIntervalMs);
    }
}

void DirectHttpReply::resumeReading()
{
    if (m_readNotifier && !isFinished()) {
        m_readNotifier->setEnabled(true);
    }
}

bool DirectHttpReply::readSocket()
{
    // A piece at a time, each handed on before the next is read: the buffers stay small and
    // warm in the cache however much the kernel holds.
    for (qsizetype total = 0; total < readLimit;) {
        const qsizetype before = m_raw.size();
        m_raw.resize(before + readChunk);
        const ssize_t got = ::read(m_fd, m_raw.data() + before, size_t(readChunk));
        const int readError = errno;
        m_raw.resize(before + std::max<qsizetype>(got, 0));
        bool endOfStream = got == 0;
        if (got < 0) {
            if (readError == EINTR) {
                continue;
            }
            if (readError == EAGAIN || readError == EWOULDBLOCK) {
                return true;
            }
            if (readError != ECONNRESET || m_stage == Stage::Head) {
                failWith(readError == ECONNRESET ? RemoteHostClosedError : UnknownNetworkError,
                         readError == ECONNRESET ? tr("Connection closed") : errnoText(readError));
                return false;
            }
            endOfStream = true; // reset in the body: the framing decides whether it was whole
        }
        total += std::max<qsizetype>(got, 0);
        if (!handleReceived(got > 0, endOfStream)) {
            return false;
        }
        if (got < readChunk) {
            return true; // drained: no second call to learn that
        }
    }
    return true;
}

bool DirectHttpReply::handleReceived(bool gotBytes, bool endOfStream)
{
    if (m_stage == Stage::Sending && gotBytes) {
        m_stage = Stage::Head; // answered before the whole request was taken
    }
    if (m_stage == Stage::Head && !parseHead()) {
        return false;
    }
    if (m_stage == Stage::Head && endOfStream) {
        failWith(RemoteHostClosedError, tr("Connection closed"));
        return false;
    }
    if (m_stage == Stage::Body && !parseBody(endOfStream)) {
        return false;
    }
    emitBody();
    if (isFinished()) {
        return false; // aborted by a listener
    }
    if (m_stage == Stage::Done) {
        complete();
        return false;
    }
    if (endOfStream) {
        failWith(RemoteHostClosedError, tr("Connection closed before the answer was complete"));
        return false;
    }
    return true;
}

bool DirectHttpReply::parseHead()
{
    for (;;) {
        const qsizetype end = m_raw.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_raw.size() > headLimit) {
                failWith(ProtocolFailure, tr("the answer's HTTP header is too long"));
                return false;
            }
            return true;
        }
        const QList<QByteArray> lines = m_raw.left(end).split('\n');
        m_raw.remove(0, end + 4);
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        bool ok = false;
        const int status = parts.size() >= 2 ? parts.at(1).toInt(&ok) : 0;
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
            failWith(ProtocolFailure,
                     tr("not an HTTP answer: %1").arg(QString::fromLatin1(statusLine.left(80))));
            return false;
        }
        if (status >= 100 && status < 200) {
            continue; // 100 Continue and friends: the real answer follows
        }
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
        setAttribute(QNetworkRequest::HttpReasonPhraseAttribute,
                     statusLine.mid(parts.at(0).size() + parts.at(1).size() + 2));
        bool chunked = false;
        qint64 length = -1;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            setRawHeader(name, value);
            if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
                chunked = value.toLower().contains("chunked");
            } else if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
                length = value.toLongLong(&ok);
                if (!ok || length < 0) {
                    failWith(ProtocolFailure, tr("invalid Content-Length in the answer"));
                    return false;
                }
            }
        }
        if (status == 204 || status == 304) {
            m_framing = Framing::None;
        } else if (chunked) {
            m_framing = Framing::Chunked;
        } else if (length >= 0) {
            m_framing = Framing::Length;
            m_remaining = length;
        } else {
            m_framing = Framing::UntilClose;
        }
        m_stage = Stage::Body;
        emit metaDataChanged();
        if (m_framing == Framing::None || (m_framing == Framing::Length && m_remaining == 0)) {
            m_stage = Stage::Done;
        }
        return true;
    }
}

bool DirectHttpReply::parseBody(bool endOfStream)
{
    switch (m_framing) {
    case Framing::None:
        m_stage = Stage::Done;
        return true;
    case Framing::Length: {
        const qsizetype take = qsizetype(std::min<qint64>(m_remaining, m_raw.size()));
        m_body.append(m_raw.constData(), take);
        m_bodyTotal += take;
        m_bodyGrew = m_bodyGrew || take > 0;
        HttpExchange::dropFront(m_raw, take);
        m_remaining -= take;
        if (m_remaining == 0) {
            m_stage = Stage::Done;
        }
        return true;
    }
    case Framing::UntilClose:
        m_bodyGrew = m_bodyGrew || !m_raw.isEmpty();
        m_bodyTotal += m_raw.size();
        m_body += m_raw;
        m_raw.resize(0);
        if (endOfStream) {
            m_stage = Stage::Done;
        }
        return true;
    case Framing::Chunked:
        return decodeChunks();
    }
    return true;
}

bool DirectHttpReply::decodeChunks()
{
    qsizetype at = 0;
    const auto broken = [this](const QString &why) {
        failWith(ProtocolFailure, tr("broken chunked encoding in the answer: %1").arg(why));
        return false;
    };
    while (m_stage == Stage::Body) {
        if (m_chunkStage == ChunkStage::Data) {
            const qsizetype take = qsizetype(std::min<qint64>(m_remaining, m_raw.size() - at));
            if (take == 0) {
                break;
            }
            m_body.append(m_raw.constData() + at, take);
            m_bodyTotal += take;
            m_bodyGrew = true;
            at += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_chunkStage = ChunkStage::DataEnd;
            }
            continue;
        }
        const qsizetype lineEnd = m_raw.indexOf('\n', at);
        if (lineEnd < 0) {
            if (m_raw.size() - at > 4096) {
                return broken(tr("a line of more than 4096 bytes"));
            }
            break;
        }
        QByteArrayView line = QByteArrayView(m_raw).sliced(at, lineEnd - at);
        at = lineEnd + 1;
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        switch (m_chunkStage) {
        case ChunkStage::Size: {
            const qsizetype extension = line.indexOf(';');
            qint64 size = 0;
            if (!parseHex(extension >= 0 ? line.first(extension) : line, &size)) {
                return broken(tr("a chunk size that is not a number"));
            }
            if (size == 0) {
                m_chunkStage = ChunkStage::Trailer;
            } else {
                m_remaining = size;
                m_chunkStage = ChunkStage::Data;
            }
            break;
        }
        case ChunkStage::DataEnd:
            if (!line.isEmpty()) {
                return broken(tr("a chunk longer than its size"));
            }
            m_chunkStage = ChunkStage::Size;
            break;
        case ChunkStage::Trailer:
            if (line.isEmpty()) {
                m_stage = Stage::Done;
            }
            break;
        case ChunkStage::Data:
            break;
        }
    }
    HttpExchange::dropFront(m_raw, at);
    return true;
}

void DirectHttpReply::emitBody()
{
    if (!m_bodyGrew) {
        return;
    }
    m_bodyGrew = false;
    emit readyRead();
    emit downloadProgress(
        m_bodyTotal, m_framing == Framing::Length && m_stage == Stage::Done ? m_bodyTotal : -1);
}

void DirectHttpReply::complete()
{
    closeSocket();
    m_stage = Stage::Done;
    const int status = attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const NetworkError error = statusError(status);
    setFinished(true);
    if (error != NoError) {
        const QString reason = attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        setError(error,
                 tr("Error transferring %1 - server replied: %2").arg(url().toString(), reason));
        emit errorOccurred(error);
    }
    emit finished();
}

void DirectHttpReply::failWith(NetworkError error, const QString &message)
{
    if (isFinished()) {
        return;
    }
    closeSocket();
    m_stage = Stage::Done;
    setFinished(true);
    setError(error, message);
    emit errorOccurred(error);
    emit finished();
}

void DirectHttpReply::abort()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    failWith(OperationCanceledError, tr("Operation canceled"));
}

void DirectHttpReply::close()
{
    abort();
    QNetworkReply::close();
}

void DirectHttpReply::closeSocket()
{
    m_readTimer->stop();
    // Notifiers are switched off before the descriptor they watch is closed, and deleted
    // later: this may run inside one's activated signal.
    for (QSocketNotifier **notifier : {&m_readNotifier, &m_writeNotifier}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

qint64 DirectHttpReply::bytesAvailable() const
{
    return qint64(m_body.size() - m_bodyRead) + QNetworkReply::bytesAvailable();
}

qint64 DirectHttpReply::readData(char *data, qint64 maxSize)
{
    const qint64 available = qint64(m_body.size() - m_bodyRead);
    if (available == 0) {
        return isFinished() ? -1 : 0;
    }
    const qint64 take = std::min(available, maxSize);
    std::memcpy(data, m_body.constData() + m_bodyRead, size_t(take));
    m_bodyRead += qsizetype(take);
    if (m_bodyRead == m_body.size()) {
        m_body.resize(0); // keeps its memory for the next read
        m_bodyRead = 0;
    }
    return take;
}

} // namespace codeworm
