#include "llm/OllamaReply.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace codeworm {

namespace {

// Non-positive limits mean "no limit".
int toMilliseconds(double seconds)
{
    return int(
        std::clamp(std::round(seconds * 1000.0), 0.0, double(std::numeric_limits<int>::max())));
}

void startLimit(QTimer *timer, double seconds)
{
    if (seconds > 0) {
        timer->start(std::max(1, toMilliseconds(seconds)));
    } else {
        timer->stop();
    }
}

QString shortened(QByteArrayView bytes)
{
    QString text = QString::fromUtf8(bytes).trimmed();
    constexpr qsizetype limit = 300;
    if (text.size() <= limit) {
        return text;
    }
    return text.left(limit) + QStringLiteral("...");
}

// Ollama's error bodies are {"error": "..."}; anything else is shown as it came.
QString serverMessage(const QByteArray &body)
{
    const QString message =
        QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString();
    return message.isEmpty() ? shortened(body) : message;
}

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

QString seconds(double value)
{
    return QString::number(value);
}

} // namespace

OllamaReply::OllamaReply(Kind kind, const OllamaConfig &config, const QString &baseUrl,
                         const QUrl &endpoint, const QByteArray &body,
                         QNetworkAccessManager *network, QObject *parent)
    : LlmReply(parent)
    , m_kind(kind)
    , m_config(config)
    , m_baseUrl(baseUrl)
    , m_endpoint(endpoint)
    , m_body(body)
    , m_network(network)
    , m_stallTimer(new QTimer(this))
    , m_totalTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    for (QTimer *timer : {m_stallTimer, m_totalTimer, m_retryTimer}) {
        timer->setSingleShot(true);
    }
    connect(m_stallTimer, &QTimer::timeout, this, &OllamaReply::onStalled);
    connect(m_totalTimer, &QTimer::timeout, this, &OllamaReply::onTotalTimeout);
    connect(m_retryTimer, &QTimer::timeout, this, &OllamaReply::startAttempt);
}

void OllamaReply::start()
{
    startAttempt();
}

void OllamaReply::cancel()
{
    if (isFinished()) {
        return;
    }
    fail(Error::Cancelled, tr("the request to Ollama at %1 was cancelled").arg(m_baseUrl));
}

void OllamaReply::startAttempt()
{
    ++m_try;
    m_phase = Phase::Connecting;
    m_pending.clear();
    m_partial = GenerationResult();
    m_pieces = 0;
    m_done = false;
    m_sinceFirstPiece.invalidate();

    QNetworkRequest request(m_endpoint);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (m_kind == Kind::Health) {
        m_reply = m_network->get(request);
        startLimit(m_totalTimer, m_config.connectTimeoutS);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        m_reply = m_network->post(request, m_body);
        startLimit(m_stallTimer, m_config.connectTimeoutS);
        startLimit(m_totalTimer, m_config.totalTimeoutS);
    }
    // Owned by this reply: deleting the reply aborts the transfer.
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::requestSent, this, &OllamaReply::onRequestSent);
    connect(m_reply, &QNetworkReply::readyRead, this, &OllamaReply::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &OllamaReply::onNetworkFinished);
}

void OllamaReply::releaseNetworkReply()
{
    m_stallTimer->stop();
    m_totalTimer->stop();
    if (!m_reply) {
        return;
    }
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    reply->disconnect(this);
    if (!reply->isFinished()) {
        reply->abort();
    }
    reply->deleteLater();
}

void OllamaReply::onRequestSent()
{
    // Connected and sent. Ollama sends the headers with the first token, after loading the
    // model, which may take minutes: only the total limit applies to this wait.
    if (m_phase == Phase::Connecting) {
        m_phase = Phase::Waiting;
        m_stallTimer->stop();
    }
}

void OllamaReply::onReadyRead()
{
    if (!m_reply) {
        return;
    }
    if (m_kind == Kind::Generate) {
        // Once the answer streams, a silence as long as the connect limit means it is stuck.
        m_phase = Phase::Receiving;
        startLimit(m_stallTimer, m_config.connectTimeoutS);
    }
    m_pending += m_reply->readAll();
    const int status = httpStatus();
    if (m_kind == Kind::Health || status < 200 || status >= 300 || wholeBody()) {
        return;
    }
    processLines(false);
}

bool OllamaReply::processLines(bool endOfBody)
{
    qsizetype lineStart = 0;
    for (qsizetype newline = m_pending.indexOf('\n'); newline >= 0;
         newline = m_pending.indexOf('\n', lineStart)) {
        const QByteArrayView line =
            QByteArrayView(m_pending).sliced(lineStart, newline - lineStart);
        lineStart = newline + 1;
        if (!handleLine(line)) {
            return false;
        }
    }
    m_pending.remove(0, lineStart);
    if (endOfBody) {
        // The last line may lack its newline.
        const QByteArray rest = std::exchange(m_pending, QByteArray());
        return handleLine(rest);
    }
    return true;
}

void OllamaReply::onNetworkFinished()
{
    const int status = httpStatus();
    const bool streamed = !wholeBody();
    m_pending += m_reply->readAll();
    QNetworkReply *reply = m_reply;
    const QNetworkReply::NetworkError networkError = reply->error();
    const Failure transportFailure =
        networkError == QNetworkReply::NoError ? Failure() : networkFailure(reply);
    releaseNetworkReply();

    if (status != 0 && (status < 200 || status >= 300)) {
        failAttempt(httpFailure(status, m_pending));
        return;
    }
    if (networkError != QNetworkReply::NoError) {
        failAttempt(transportFailure);
        return;
    }
    if (m_kind == Kind::Health) {
        GenerationResult health;
        health.text = QString::fromUtf8(m_pending).trimmed();
        succeed(health);
        return;
    }
    if (streamed) {
        if (!processLines(true)) {
            return;
        }
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(m_pending, &parseError);
        if (!document.isObject()) {
            fail(Error::BadResponse,
                 tr("Ollama at %1 sent an answer that is not a JSON object "
                    "(%2): %3")
                     .arg(m_baseUrl, parseError.errorString(), shortened(m_pending)));
            return;
        }
        if (!handleObject(document.object())) {
            return;
        }
    }
    m_pending.clear();
    if (!m_done) {
        fail(Error::BadResponse,
             tr("Ollama at %1: the stream ended before the answer was complete").arg(m_baseUrl));
        return;
    }
    succeed(m_partial);
}

void OllamaReply::onStalled()
{
    const QString limit = seconds(m_config.connectTimeoutS);
    if (m_phase == Phase::Connecting) {
        failAttempt({Error::Timeout,
                     tr("cannot connect to Ollama at %1 within %2 s").arg(m_baseUrl, limit), true});
    } else {
        failAttempt({Error::Timeout,
                     tr("Ollama at %1 sent nothing for %2 s in the middle of the answer")
                         .arg(m_baseUrl, limit),
                     true});
    }
}

void OllamaReply::onTotalTimeout()
{
    if (m_kind == Kind::Health) {
        failAttempt({Error::Unreachable,
                     tr("Ollama at %1 did not answer within %2 s")
                         .arg(m_baseUrl, seconds(m_config.connectTimeoutS)),
                     false});
        return;
    }
    failAttempt({Error::Timeout,
                 tr("Ollama at %1 did not finish the answer within %2 s (ollama.total_timeout_s)")
                     .arg(m_baseUrl, seconds(m_config.totalTimeoutS)),
                 true});
}

bool OllamaReply::handleLine(QByteArrayView line)
{
    line = line.trimmed();
    if (line.isEmpty()) {
        return true;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (!document.isObject()) {
        fail(Error::BadResponse, tr("Ollama at %1 sent a line that is not a JSON object (%2): %3")
                                     .arg(m_baseUrl, parseError.errorString(), shortened(line)));
        return false;
    }
    return handleObject(document.object());
}

bool OllamaReply::handleObject(const QJsonObject &object)
{
    if (object.contains(QLatin1String("error"))) {
        const QJsonValue error = object.value(QLatin1String("error"));
        const QString message =
            error.isString()
                ? error.toString()
                : QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
        fail(Error::HttpError,
             tr("Ollama at %1 failed while answering: %2").arg(m_baseUrl, message));
        return false;
    }
    // "thinking" pieces are the model's reasoning trace, not part of the answer.
    const QString piece = object.value(QLatin1String("response")).toString();
    if (!piece.isEmpty()) {
        m_partial.text += piece;
        ++m_pieces;
        reportProgress();
    }
    if (object.value(QLatin1String("done")).toBool()) {
        m_done = true;
        m_partial.model = object.value(QLatin1String("model")).toString(m_config.model);
        m_partial.doneReason = object.value(QLatin1String("done_reason")).toString();
        m_partial.promptTokens = object.value(QLatin1String("prompt_eval_count")).toInt();
        m_partial.outputTokens = object.value(QLatin1String("eval_count")).toInt(m_pieces);
        // Durations are nanoseconds.
        m_partial.totalDurationMs =
            qint64(std::llround(object.value(QLatin1String("total_duration")).toDouble() / 1e6));
    }
    return true;
}

void OllamaReply::reportProgress()
{
    double rate = 0;
    if (!m_sinceFirstPiece.isValid()) {
        m_sinceFirstPiece.start();
    } else if (const qint64 elapsed = m_sinceFirstPiece.elapsed(); elapsed > 0) {
        rate = (m_pieces - 1) * 1000.0 / double(elapsed);
    }
    emit progress(m_pieces, rate);
}

void OllamaReply::failAttempt(const Failure &failure)
{
    releaseNetworkReply();
    if (failure.retry && m_try < maxTries()) {
        m_retryTimer->start(toMilliseconds(m_config.retryDelayS * m_try));
        return;
    }
    QString message = failure.message;
    if (m_try > 1) {
        message += tr(" (after %n tries)", nullptr, m_try);
    }
    fail(failure.error, message);
}

void OllamaReply::succeed(const GenerationResult &result)
{
    releaseNetworkReply();
    m_retryTimer->stop();
    finishWith(result);
    deleteLater();
}

void OllamaReply::fail(Error error, const QString &message)
{
    releaseNetworkReply();
    m_retryTimer->stop();
    finishWith(error, message);
    deleteLater();
}

OllamaReply::Failure OllamaReply::httpFailure(int status, const QByteArray &body) const
{
    const QString message = serverMessage(body);
    const QString answered =
        message.isEmpty()
            ? tr("Ollama at %1 answered HTTP %2").arg(m_baseUrl).arg(status)
            : tr("Ollama at %1 answered HTTP %2: %3").arg(m_baseUrl).arg(status).arg(message);
    if (m_kind == Kind::Health) {
        return {Error::Unreachable, answered, false};
    }
    if (status == 404) {
        const QString detail = message.isEmpty() ? QStringLiteral("HTTP 404") : message;
        return {Error::ModelMissing,
                tr("model %1 is not available from Ollama at %2 (%3); install it with `ollama "
                   "pull %1`")
                    .arg(m_config.model, m_baseUrl, detail),
                false};
    }
    return {Error::HttpError, answered, status >= 500};
}

OllamaReply::Failure OllamaReply::networkFailure(QNetworkReply *reply) const
{
    const QString message =
        tr("cannot reach Ollama at %1: %2").arg(m_baseUrl, reply->errorString());
    if (m_kind == Kind::Health) {
        return {Error::Unreachable, message, false};
    }
    if (reply->error() == QNetworkReply::TimeoutError) {
        return {Error::Timeout, message, true};
    }
    return {Error::Unreachable, message, isTransientNetworkError(reply->error())};
}

int OllamaReply::httpStatus() const
{
    return m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
}

bool OllamaReply::wholeBody() const
{
    // "stream": false answers (and load-only requests) are one application/json object.
    return m_reply && m_reply->header(QNetworkRequest::ContentTypeHeader)
                          .toString()
                          .startsWith(QLatin1String("application/json"));
}

int OllamaReply::maxTries() const
{
    // A health check is a probe: the caller decides when to ask again.
    return m_kind == Kind::Health ? 1 : std::max(1, m_config.retries);
}

} // namespace codeworm
