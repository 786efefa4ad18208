#include "llm/StreamingReply.h"

#include "llm/HttpExchange.h"

#include "llm/OllamaReply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace codeworm {

namespace {

using HttpExchange::startLimit;
using HttpExchange::toMilliseconds;

bool isTransientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::UnknownProxyError:
        return true;
    default:
        return false;
    }
}

} // namespace

ReplyLimits ReplyLimits::forGeneration(const OllamaConfig &config)
{
    ReplyLimits limits;
    limits.connectS = config.connectTimeoutS;
    limits.firstTokenS = config.firstTokenTimeoutS;
    limits.idleS = config.idleTimeoutS;
    limits.totalS = config.totalTimeoutS;
    limits.tries = std::max(1, config.retries);
    limits.retryDelayS = config.retryDelayS;
    limits.retryMaxDelayS = config.retryMaxDelayS;
    return limits;
}

ReplyLimits ReplyLimits::forProbe(const OllamaConfig &config)
{
    // A probe is asked again by its caller: no retries, and a quick verdict.
    ReplyLimits limits;
    limits.connectS = config.connectTimeoutS;
    limits.firstTokenS = config.connectTimeoutS;
    limits.idleS = config.connectTimeoutS;
    limits.totalS = config.connectTimeoutS;
    limits.tries = 1;
    return limits;
}

StreamingReply::StreamingReply(const QString &server, Request request, const ReplyLimits &limits,
                               QNetworkAccessManager *network, QObject *parent)
    : LlmReply(parent)
    , m_server(server)
    , m_request(std::move(request))
    , m_limits(limits)
    , m_network(network)
    , m_phaseTimer(new QTimer(this))
    , m_totalTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    for (QTimer *timer : {m_phaseTimer, m_totalTimer, m_retryTimer}) {
        timer->setSingleShot(true);
    }
    connect(m_phaseTimer, &QTimer::timeout, this, &StreamingReply::onPhaseTimeout);
    connect(m_totalTimer, &QTimer::timeout, this, &StreamingReply::onTotalTimeout);
    connect(m_retryTimer, &QTimer::timeout, this, &StreamingReply::startAttempt);
}

void StreamingReply::start()
{
    m_sinceStart.start();
    startLimit(m_totalTimer, m_limits.totalS);
    startAttempt();
}

void StreamingReply::cancel()
{
    if (isFinished()) {
        return;
    }
    fail(Error::Cancelled, tr("the request to %1 was cancelled").arg(m_server));
}

void StreamingReply::startAttempt()
{
    ++m_try;
    m_phase = Phase::Connecting;
    m_pending.clear();
    m_tokens = 0;
    m_attemptOver = false;
    m_sinceFirstToken.invalidate();
    beginAttempt();

    QNetworkRequest request(m_request.url);
    for (const auto &[name, value] : m_request.headers) {
        request.setRawHeader(name, value);
    }
    m_reply = HttpExchange::send(m_network, request,
                                 m_request.body.isEmpty() ? QByteArray() : m_request.body);
    // Owned by this reply: deleting the reply aborts the transfer.
    m_reply->setParent(this);
    startLimit(m_phaseTimer, m_limits.connectS);
    connect(m_reply, &QNetworkReply::requestSent, this, &StreamingReply::onRequestSent);
    connect(m_reply, &QNetworkReply::readyRead, this, &StreamingReply::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &StreamingReply::onNetworkFinished);
}

void StreamingReply::releaseNetworkReply()
{
    m_phaseTimer->stop();
    HttpExchange::release(m_reply, this);
}

void StreamingReply::onRequestSent()
{
    // Sent: servers answer once the model is loaded and the first token is out.
    if (m_phase == Phase::Connecting) {
        m_phase = Phase::Waiting;
        startLimit(m_phaseTimer, m_limits.firstTokenS);
    }
}

void StreamingReply::onReadyRead()
{
    if (!m_reply) {
        return;
    }
    m_phase = Phase::Receiving;
    startLimit(m_phaseTimer, m_limits.idleS);
    HttpExchange::appendAvailable(m_reply, m_pending);
    const int status = httpStatus();
    if (status < 200 || status >= 300 || !isStreamed(*m_reply)) {
        return; // read whole at the end
    }
    processLines(false);
}

bool StreamingReply::processLines(bool endOfBody)
{
    return HttpExchange::takeLines(m_pending, endOfBody, [this](QByteArrayView line) {
        handleLine(line);
        return !attemptOver();
    });
}

bool StreamingReply::attemptOver() const
{
    return m_attemptOver || isFinished();
}

void StreamingReply::onNetworkFinished()
{
    const int status = httpStatus();
    const bool streamed = isStreamed(*m_reply);
    m_pending += m_reply->readAll();
    const QNetworkReply::NetworkError networkError = m_reply->error();
    const QString errorString = m_reply->errorString();
    releaseNetworkReply();

    if (status != 0 && (status < 200 || status >= 300)) {
        failAttempt(httpFailure(status, m_pending));
        return;
    }
    if (networkError != QNetworkReply::NoError) {
        failAttempt(networkFailure(networkError, errorString));
        return;
    }
    if (streamed) {
        if (processLines(true)) {
            handleEnd(QByteArray(), true);
        }
        return;
    }
    handleEnd(std::exchange(m_pending, QByteArray()), false);
}

void StreamingReply::onPhaseTimeout()
{
    switch (m_phase) {
    case Phase::Connecting:
        failAttempt(timeoutFailure(Limit::Connect));
        return;
    case Phase::Waiting:
        failAttempt(timeoutFailure(Limit::FirstToken));
        return;
    case Phase::Receiving:
        failAttempt(timeoutFailure(Limit::Idle));
        return;
    }
}

void StreamingReply::onTotalTimeout()
{
    // The limit covers the retries too: nothing is tried after it.
    Failure failure = timeoutFailure(Limit::Total);
    failure.retry = false;
    failAttempt(failure);
}

StreamingReply::Failure StreamingReply::httpFailure(int status, const QByteArray &body) const
{
    const QString message = HttpExchange::serverMessage(body);
    const QString answered =
        message.isEmpty() ? tr("%1 answered HTTP %2").arg(m_server).arg(status)
                          : tr("%1 answered HTTP %2: %3").arg(m_server).arg(status).arg(message);
    return {Error::HttpError, answered, status >= 500 || status == 408 || status == 429};
}

StreamingReply::Failure StreamingReply::networkFailure(QNetworkReply::NetworkError error,
                                                       const QString &errorString) const
{
    if (m_phase == Phase::Receiving && (error == QNetworkReply::RemoteHostClosedError ||
                                        error == QNetworkReply::ProtocolFailure)) {
        // The server was reached and answering: a cut or garbled answer, worth another try
        // at the same server, not a reason to fail over to the next one.
        return {Error::BadResponse,
                tr("%1 closed the connection in the middle of the answer (%2)")
                    .arg(m_server, errorString),
                true};
    }
    const QString message = tr("cannot reach %1: %2").arg(m_server, errorString);
    if (error == QNetworkReply::TimeoutError) {
        return {Error::Timeout, message, true};
    }
    return {Error::Unreachable, message, isTransientNetworkError(error),
            error == QNetworkReply::RemoteHostClosedError};
}

StreamingReply::Failure StreamingReply::timeoutFailure(Limit limit) const
{
    switch (limit) {
    case Limit::Connect:
        // No connection is as good as a refused one: the server is away.
        return {Error::Unreachable,
                tr("cannot connect to %1 within %2 s (llm.timeouts.connect_s)")
                    .arg(m_server)
                    .arg(m_limits.connectS),
                true};
    case Limit::FirstToken:
        return {Error::Timeout,
                tr("%1 did not start answering within %2 s (llm.timeouts.first_token_s)")
                    .arg(m_server)
                    .arg(m_limits.firstTokenS),
                true};
    case Limit::Idle:
        return {Error::Timeout,
                tr("%1 sent nothing for %2 s in the middle of the answer (llm.timeouts.idle_s)")
                    .arg(m_server)
                    .arg(m_limits.idleS),
                true};
    case Limit::Total:
        break;
    }
    return {Error::Timeout,
            tr("%1 did not finish the answer within %2 s (llm.timeouts.total_s)")
                .arg(m_server)
                .arg(m_limits.totalS),
            false};
}

bool StreamingReply::isStreamed(const QNetworkReply &reply) const
{
    return !reply.header(QNetworkRequest::ContentTypeHeader)
                .toString()
                .startsWith(QLatin1String("application/json"));
}

void StreamingReply::countToken()
{
    ++m_tokens;
    double rate = 0;
    if (!m_sinceFirstToken.isValid()) {
        m_sinceFirstToken.start();
    } else if (const qint64 elapsed = m_sinceFirstToken.elapsed(); elapsed > 0) {
        rate = (m_tokens - 1) * 1000.0 / double(elapsed);
    }
    emit progress(m_tokens, rate);
}

qint64 StreamingReply::elapsedMs() const
{
    return m_sinceStart.isValid() ? m_sinceStart.elapsed() : 0;
}

int StreamingReply::retryDelayMs() const
{
    // The same backoff as Ollama's replies: exponential, capped, with jitter.
    OllamaConfig backoff;
    backoff.retryDelayS = m_limits.retryDelayS;
    backoff.retryMaxDelayS = m_limits.retryMaxDelayS;
    return toMilliseconds(OllamaReply::backoffSeconds(backoff, m_try));
}

void StreamingReply::failAttempt(const Failure &failure)
{
    releaseNetworkReply();
    m_attemptOver = true;
    if (failure.retry && m_try < m_limits.tries) {
        m_retryTimer->start(retryDelayMs());
        return;
    }
    // A single-try request (a probe) whose connection was dropped before any answer (a server
    // restarting, an idle connection cut) is asked once more, at once.
    if (failure.dropped && m_limits.tries == 1 && m_try == 1) {
        m_retryTimer->start(0);
        return;
    }
    QString message = failure.message;
    if (m_try > 1) {
        message += tr(" (after %n tries)", nullptr, m_try);
    }
    fail(failure.error, message);
}

void StreamingReply::succeed(GenerationResult result)
{
    releaseNetworkReply();
    m_attemptOver = true;
    m_totalTimer->stop();
    m_retryTimer->stop();
    if (result.totalDurationMs == 0) {
        result.totalDurationMs = elapsedMs();
    }
    finishWith(result);
    deleteLater();
}

void StreamingReply::fail(Error error, const QString &message)
{
    releaseNetworkReply();
    m_attemptOver = true;
    m_totalTimer->stop();
    m_retryTimer->stop();
    finishWith(error, message);
    deleteLater();
}

int StreamingReply::httpStatus() const
{
    return m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
}

} // namespace codeworm
