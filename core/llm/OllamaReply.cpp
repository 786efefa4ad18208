#include "llm/OllamaReply.h"

#include "llm/HttpExchange.h"
#include "llm/JsonScanner.h"

#include "llm/OllamaClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

Q_LOGGING_CATEGORY(lcOllama, "codeworm.llm")

namespace codeworm {

namespace {

// The context window the original falls back to after running out of memory.
constexpr int oomContextLimit = 8192;

using HttpExchange::shortened;
using HttpExchange::startLimit;
using HttpExchange::toMilliseconds;

// The texts Ollama (and its runners, over the versions) use for running out of memory.
bool isOutOfMemory(const QString &message)
{
    static const QLatin1String markers[] = {
        QLatin1String("out of memory"),       QLatin1String("out of device memory"),
        QLatin1String("out-of-memory"),       QLatin1String("cudamalloc failed"),
        QLatin1String("hipmalloc failed"),    QLatin1String("failed to allocate"),
        QLatin1String("allocation failed"),   QLatin1String("not enough memory"),
        QLatin1String("insufficient memory"), QLatin1String("more system memory"),
        QLatin1String("cuda error"),
    };
    const QString lower = message.toLower();
    return std::any_of(std::begin(markers), std::end(markers),
                       [&](QLatin1String marker) { return lower.contains(marker); });
}

QString seconds(double value)
{
    return QString::number(value);
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 0);
}

} // namespace

OllamaReply::OllamaReply(Kind kind, const OllamaConfig &config, const QString &baseUrl,
                         const QString &path, const QByteArray &body,
                         QNetworkAccessManager *network, QObject *parent)
    : LlmReply(parent)
    , m_kind(kind)
    , m_config(config)
    , m_baseUrl(baseUrl)
    , m_path(path)
    , m_body(body)
    , m_network(network)
    , m_waitTimer(new QTimer(this))
    , m_deadlineTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    for (QTimer *timer : {m_waitTimer, m_deadlineTimer, m_retryTimer}) {
        timer->setSingleShot(true);
    }
    connect(m_waitTimer, &QTimer::timeout, this, &OllamaReply::onWaitTimeout);
    connect(m_deadlineTimer, &QTimer::timeout, this, &OllamaReply::onDeadline);
    connect(m_retryTimer, &QTimer::timeout, this, &OllamaReply::attempt);
}

void OllamaReply::start()
{
    if (m_kind == Kind::Health) {
        // No overall deadline: each probe is bounded, and a pull reports progress all along.
        begin(Step::Root);
        return;
    }
    // One deadline for the whole operation, its retries and waits included.
    startLimit(m_deadlineTimer, m_config.totalTimeoutS);
    begin(Step::Request);
}

void OllamaReply::cancel()
{
    if (isFinished()) {
        return;
    }
    fail(Error::Cancelled, tr("the request to Ollama at %1 was cancelled").arg(m_baseUrl));
}

double OllamaReply::backoffSeconds(const OllamaConfig &config, int failedTries)
{
    const double exponential =
        std::max(0.0, config.retryDelayS) * std::pow(2.0, std::max(0, failedTries - 1));
    const double capped =
        config.retryMaxDelayS > 0 ? std::min(exponential, config.retryMaxDelayS) : exponential;
    return capped * (0.5 + 0.5 * QRandomGenerator::global()->generateDouble());
}

void OllamaReply::begin(Step step)
{
    m_step = step;
    m_try = 0;
    attempt();
}

void OllamaReply::attempt()
{
    ++m_try;
    send();
}

void OllamaReply::send()
{
    m_wait = Wait::Connect;
    m_received = 0;
    m_pending.clear();
    m_partial = GenerationResult();
    m_pieces = 0;
    m_done = false;
    m_sinceFirstPiece.invalidate();

    QString path;
    QByteArray body;
    switch (m_step) {
    case Step::Root:
        path = QStringLiteral("/");
        break;
    case Step::Version:
        path = QStringLiteral("/api/version");
        break;
    case Step::Tags:
        path = QStringLiteral("/api/tags");
        break;
    case Step::Pull:
        path = QStringLiteral("/api/pull");
        body = QJsonDocument(QJsonObject{{QStringLiteral("model"), m_config.model},
                                         {QStringLiteral("stream"), true}})
                   .toJson(QJsonDocument::Compact);
        break;
    case Step::Unload:
        // keep_alive 0 with no prompt: Ollama unloads the model at once.
        path = QStringLiteral("/api/generate");
        body = QJsonDocument(QJsonObject{{QStringLiteral("model"), m_config.model},
                                         {QStringLiteral("keep_alive"), 0}})
                   .toJson(QJsonDocument::Compact);
        break;
    case Step::Request:
        path = m_path;
        body = m_body;
        break;
    }

    m_reply = HttpExchange::send(m_network, QNetworkRequest(QUrl(m_baseUrl + path)), body);
    // Owned by this reply: deleting the reply aborts the transfer.
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::requestSent, this, &OllamaReply::onRequestSent);
    connect(m_reply, &QNetworkReply::readyRead, this, &OllamaReply::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &OllamaReply::onNetworkFinished);
    startLimit(m_waitTimer, m_config.connectTimeoutS);
}

void OllamaReply::releaseNetworkReply()
{
    m_waitTimer->stop();
    HttpExchange::release(m_reply, this);
}

void OllamaReply::onRequestSent()
{
    // Connected and sent. Ollama sends its headers with the first token, after loading the
    // model, which may take minutes: that wait has its own limit. A probe answers at once.
    if (m_wait == Wait::Connect) {
        m_wait = Wait::FirstByte;
        startLimit(m_waitTimer, isProbe() ? m_config.connectTimeoutS : m_config.firstTokenTimeoutS);
    }
}

void OllamaReply::onReadyRead()
{
    if (!m_reply) {
        return;
    }
    const qsizetype before = m_pending.size();
    HttpExchange::appendAvailable(m_reply, m_pending);
    if (m_pending.size() == before) {
        return;
    }
    m_received += m_pending.size() - before;
    m_batchMs = -1;
    // Once the answer flows, a silence this long means it is stuck.
    m_wait = Wait::Idle;
    startLimit(m_waitTimer, idleLimit());
    const int status = httpStatus();
    if (!streamed() || status < 200 || status >= 300 || wholeBody()) {
        return;
    }
    processLines(false);
}

bool OllamaReply::processLines(bool endOfBody)
{
    return HttpExchange::takeLines(m_pending, endOfBody,
                                   [this](QByteArrayView line) { return handleLine(line); });
}

void OllamaReply::onNetworkFinished()
{
    const int status = httpStatus();
    const bool whole = wholeBody();
    const QByteArray rest = m_reply->readAll();
    m_received += rest.size();
    m_pending += rest;
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
    if (m_step == Step::Unload) {
        retryAfterUnload();
        return;
    }
    if (m_step == Step::Root || m_step == Step::Version) {
        afterProbe(m_pending);
        return;
    }
    if (m_step == Step::Tags) {
        checkTags(m_pending);
        return;
    }
    if (whole) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(m_pending, &parseError);
        if (!document.isObject()) {
            failAttempt({Error::BadResponse,
                         tr("Ollama at %1 sent an answer that is not a JSON object (%2): %3")
                             .arg(m_baseUrl, parseError.errorString(), shortened(m_pending)),
                         true});
            return;
        }
        if (!handleAnswer(document.object())) {
            return;
        }
    } else if (!processLines(true)) {
        return;
    }
    m_pending.clear();
    if (!m_done) {
        failAttempt({Error::BadResponse,
                     m_step == Step::Pull
                         ? tr("Ollama at %1: the download of %2 ended before it was complete")
                               .arg(m_baseUrl, m_config.model)
                         : tr("Ollama at %1: the stream ended before the answer was complete")
                               .arg(m_baseUrl),
                     true});
        return;
    }
    if (m_step == Step::Pull) {
        qCInfo(lcOllama).noquote()
            << tr("pulled model %1 into Ollama at %2").arg(m_config.model, m_baseUrl);
        GenerationResult health;
        health.text = m_version;
        health.model = m_config.model;
        succeed(health);
        return;
    }
    m_partial.text = OllamaClient::withoutThinking(m_partial.text);
    succeed(m_partial);
}

void OllamaReply::afterProbe(const QByteArray &body)
{
    if (m_step == Step::Root) {
        begin(Step::Version);
        return;
    }
    m_version = QJsonDocument::fromJson(body).object().value(QLatin1String("version")).toString();
    if (m_version.isEmpty()) {
        fail(Error::Unreachable,
             tr("the server at %1 answers, but not as Ollama does (GET /api/version: %2)")
                 .arg(m_baseUrl, shortened(body)));
        return;
    }
    qCDebug(lcOllama).noquote() << tr("Ollama %1 at %2").arg(m_version, m_baseUrl);
    begin(Step::Tags);
}

void OllamaReply::checkTags(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        fail(Error::BadResponse, tr("Ollama at %1 sent a model list that is not JSON (%2): %3")
                                     .arg(m_baseUrl, parseError.errorString(), shortened(body)));
        return;
    }
    QStringList installed;
    for (const QJsonValue &entry : document.object().value(QLatin1String("models")).toArray()) {
        const QJsonObject model = entry.toObject();
        for (const QLatin1String field : {QLatin1String("name"), QLatin1String("model")}) {
            const QString name = model.value(field).toString();
            if (OllamaClient::sameModel(m_config.model, name)) {
                GenerationResult health;
                health.text = m_version;
                health.model = m_config.model;
                succeed(health);
                return;
            }
        }
        installed << model.value(QLatin1String("name")).toString();
    }
    if (m_config.autoPull) {
        qCInfo(lcOllama).noquote()
            << tr("model %1 is not in Ollama at %2; pulling it (ollama.auto_pull)")
                   .arg(m_config.model, m_baseUrl);
        begin(Step::Pull);
        return;
    }
    const QString present = installed.isEmpty()
                                ? tr("it has no models")
                                : tr("it has %1").arg(installed.join(QStringLiteral(", ")));
    fail(Error::ModelMissing,
         tr("model %1 is not installed in Ollama at %2 (%3); install it with `ollama pull %1`, "
            "or set ollama.auto_pull: true")
             .arg(m_config.model, m_baseUrl, present));
}

void OllamaReply::onWaitTimeout()
{
    switch (m_wait) {
    case Wait::Connect:
        failAttempt({Error::Timeout,
                     tr("cannot connect to Ollama at %1 within %2 s (ollama.timeouts.connect_s)")
                         .arg(m_baseUrl, seconds(m_config.connectTimeoutS)),
                     true});
        return;
    case Wait::FirstByte:
        if (isProbe()) {
            failAttempt({Error::Timeout,
                         tr("Ollama at %1 did not answer %2 within %3 s")
                             .arg(m_baseUrl, stepName(), seconds(m_config.connectTimeoutS)),
                         true});
            return;
        }
        failAttempt({Error::Timeout,
                     tr("Ollama at %1 sent no answer within %2 s of the request "
                        "(ollama.timeouts.first_token_s)")
                         .arg(m_baseUrl, seconds(m_config.firstTokenTimeoutS)),
                     true});
        return;
    case Wait::Idle:
        failAttempt({Error::Timeout,
                     tr("Ollama at %1 sent nothing for %2 s in the middle of the answer "
                        "(ollama.timeouts.idle_s)")
                         .arg(m_baseUrl, seconds(idleLimit())),
                     true});
        return;
    }
}

void OllamaReply::onDeadline()
{
    QString message =
        tr("Ollama at %1 did not finish the answer within %2 s (ollama.timeouts.total_s)")
            .arg(m_baseUrl, seconds(m_config.totalTimeoutS));
    if (m_try > 1) {
        message += tr(" (after %n tries)", nullptr, m_try);
    }
    fail(Error::Timeout, message);
}

bool OllamaReply::handleLine(QByteArrayView line)
{
    line = line.trimmed();
    if (line.isEmpty()) {
        return true;
    }
    if (m_step != Step::Pull && takeTokenLine(line)) {
        return true;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (!document.isObject()) {
        failAttempt({Error::BadResponse,
                     tr("Ollama at %1 sent a line that is not a JSON object (%2): %3")
                         .arg(m_baseUrl, parseError.errorString(), shortened(line)),
                     true});
        return false;
    }
    return handleAnswer(document.object());
}

bool OllamaReply::takeTokenLine(QByteArrayView line)
{
    using JsonScanner::Member;
    // Read as handleObject reads a line that is not the last: the piece only.
    JsonScanner::Members members;
    if (!JsonScanner::members(line, members) || JsonScanner::find(members, "error")) {
        return false;
    }
    if (const Member *done = JsonScanner::find(members, "done");
        done && done->kind == Member::Kind::True) {
        return false;
    }
    JsonScanner::Members message;
    const Member *piece = nullptr;
    if (const Member *chat = JsonScanner::find(members, "message")) {
        if (chat->kind == Member::Kind::Object) {
            if (!JsonScanner::members(chat->value, message)) {
                return false;
            }
            piece = JsonScanner::find(message, "content");
        }
    } else {
        piece = JsonScanner::find(members, "response");
    }
    if (!piece || piece->kind != Member::Kind::String) {
        return true;
    }
    const qsizetype before = m_partial.text.size();
    if (!JsonScanner::appendString(piece->value, m_partial.text)) {
        return false;
    }
    if (m_partial.text.size() > before) {
        ++m_pieces;
        reportProgress();
    }
    return true;
}

bool OllamaReply::handleAnswer(const QJsonObject &object)
{
    if (object.contains(QLatin1String("error"))) {
        const QJsonValue error = object.value(QLatin1String("error"));
        failAttempt(streamError(error.isString() ? error.toString()
                                                 : QString::fromUtf8(QJsonDocument(object).toJson(
                                                       QJsonDocument::Compact))));
        return false;
    }
    return m_step == Step::Pull ? handlePullObject(object) : handleObject(object);
}

bool OllamaReply::handleObject(const QJsonObject &object)
{
    // Only the answer counts: "thinking" (and the "reasoning" of other servers) is the model's
    // trace, sent beside it, and is left out by reading response / message.content alone.
    const QString piece = object.contains(QLatin1String("message"))
                              ? object.value(QLatin1String("message"))
                                    .toObject()
                                    .value(QLatin1String("content"))
                                    .toString()
                              : object.value(QLatin1String("response")).toString();
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
        const double evalSeconds = object.value(QLatin1String("eval_duration")).toDouble() / 1e9;
        qCDebug(lcOllama).noquote()
            << tr("%1: %2 prompt tokens, %3 tokens in %4 s (%5 tokens/s), loading %6 s, "
                  "%7 s in all, done: %8")
                   .arg(m_partial.model)
                   .arg(m_partial.promptTokens)
                   .arg(m_partial.outputTokens)
                   .arg(evalSeconds, 0, 'f', 2)
                   .arg(evalSeconds > 0 ? m_partial.outputTokens / evalSeconds : 0.0, 0, 'f', 1)
                   .arg(object.value(QLatin1String("load_duration")).toDouble() / 1e9, 0, 'f', 2)
                   .arg(double(m_partial.totalDurationMs) / 1000.0, 0, 'f', 2)
                   .arg(m_partial.doneReason);
    }
    return true;
}

bool OllamaReply::handlePullObject(const QJsonObject &object)
{
    const QString status = object.value(QLatin1String("status")).toString();
    reportPull(status, qint64(object.value(QLatin1String("completed")).toDouble()),
               qint64(object.value(QLatin1String("total")).toDouble()));
    if (status == QLatin1String("success")) {
        m_done = true;
    }
    return true;
}

void OllamaReply::reportProgress()
{
    double rate = 0;
    // The clock is read once per batch of lines received together: their pieces came at once.
    if (!m_sinceFirstPiece.isValid()) {
        m_sinceFirstPiece.start();
        m_batchMs = 0;
    } else if (m_batchMs < 0) {
        m_batchMs = m_sinceFirstPiece.elapsed();
    }
    if (m_batchMs > 0) {
        rate = (m_pieces - 1) * 1000.0 / double(m_batchMs);
    }
    emit progress(m_pieces, rate);
}

void OllamaReply::reportPull(const QString &status, qint64 completed, qint64 total)
{
    emit pullProgress(status, completed, total);
    const int tenth =
        total > 0 ? int(std::clamp(completed * 10 / total, qint64(0), qint64(10))) : -1;
    if (status == m_pullStatus && tenth == m_pullTenth) {
        return;
    }
    m_pullStatus = status;
    m_pullTenth = tenth;
    if (total > 0) {
        qCInfo(lcOllama).noquote() << tr("pulling %1: %2 %3% (%4 of %5 MB)")
                                          .arg(m_config.model, status)
                                          .arg(tenth * 10)
                                          .arg(megabytes(completed), megabytes(total));
    } else {
        qCInfo(lcOllama).noquote() << tr("pulling %1: %2").arg(m_config.model, status);
    }
}

void OllamaReply::failAttempt(const Failure &failure)
{
    releaseNetworkReply();
    if (m_step == Step::Unload) {
        // Whatever became of the unload, the retry that follows reloads the model.
        qCWarning(lcOllama).noquote()
            << tr("unloading %1 failed: %2").arg(m_config.model, failure.message);
        retryAfterUnload();
        return;
    }
    if (failure.outOfMemory && !m_oomRecovered && m_kind == Kind::Generate) {
        // The original's recovery: unload, then load again with a smaller context.
        m_oomRecovered = true;
        qCWarning(lcOllama).noquote()
            << tr("%1; unloading %2 and trying again with num_ctx at most %3")
                   .arg(failure.message, m_config.model)
                   .arg(oomContextLimit);
        m_step = Step::Unload;
        send();
        return;
    }
    // A probe is asked once, except when the connection was dropped before any answer (a
    // server restarting, a proxy's idle connection): once more at once.
    const bool again = isProbe() ? failure.dropped && m_try < 2 : m_try < maxTries();
    if (failure.retry && again) {
        const double wait = isProbe() ? 0.0 : backoffSeconds(m_config, m_try);
        qCDebug(lcOllama).noquote()
            << tr("%1; trying again in %2 s").arg(failure.message).arg(wait, 0, 'f', 2);
        m_retryTimer->start(toMilliseconds(wait));
        return;
    }
    QString message = failure.message;
    if (m_try > 1) {
        message += tr(" (after %n tries)", nullptr, m_try);
    }
    fail(failure.error, message);
}

void OllamaReply::retryAfterUnload()
{
    QJsonObject body = QJsonDocument::fromJson(m_body).object();
    QJsonObject options = body.value(QLatin1String("options")).toObject();
    const int numCtx = options.value(QLatin1String("num_ctx")).toInt(m_config.numCtx);
    const int reduced = std::min(numCtx, oomContextLimit);
    options.insert(QStringLiteral("num_ctx"), reduced);
    body.insert(QStringLiteral("options"), options);
    m_body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (reduced != numCtx) {
        emit contextReduced(reduced);
    }
    m_step = Step::Request;
    m_retryTimer->start(toMilliseconds(backoffSeconds(m_config, m_try)));
}

void OllamaReply::succeed(const GenerationResult &result)
{
    releaseNetworkReply();
    m_retryTimer->stop();
    m_deadlineTimer->stop();
    finishWith(result);
    deleteLater();
}

void OllamaReply::fail(Error error, const QString &message)
{
    releaseNetworkReply();
    m_retryTimer->stop();
    m_deadlineTimer->stop();
    finishWith(error, message);
    deleteLater();
}

OllamaReply::Failure OllamaReply::httpFailure(int status, const QByteArray &body) const
{
    const QString message = HttpExchange::serverMessage(body);
    const QString answered =
        message.isEmpty()
            ? tr("Ollama at %1 answered %2 with HTTP %3").arg(m_baseUrl, stepName()).arg(status)
            : tr("Ollama at %1 answered %2 with HTTP %3: %4")
                  .arg(m_baseUrl, stepName())
                  .arg(status)
                  .arg(message);
    if (isProbe()) {
        return {Error::Unreachable, answered, false};
    }
    if (m_step == Step::Pull && message.contains(QLatin1String("does not exist"))) {
        return {Error::ModelMissing,
                tr("Ollama at %1 cannot pull model %2: %3").arg(m_baseUrl, m_config.model, message),
                false};
    }
    if (status == 404) {
        const QString detail = message.isEmpty() ? QStringLiteral("HTTP 404") : message;
        return {Error::ModelMissing,
                tr("model %1 is not available from Ollama at %2 (%3); install it with `ollama "
                   "pull %1`")
                    .arg(m_config.model, m_baseUrl, detail),
                false};
    }
    // Bad requests stay bad; a time-out or rate limit of the server is worth another try.
    const bool retry = status >= 500 || status == 408 || status == 429;
    return {Error::HttpError, answered, retry, status >= 500 && isOutOfMemory(message)};
}

OllamaReply::Failure OllamaReply::networkFailure(QNetworkReply *reply) const
{
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return {Error::Unreachable,
                tr("cannot reach Ollama at %1: %2 (is it running?)")
                    .arg(m_baseUrl, reply->errorString()),
                true};
    case QNetworkReply::HostNotFoundError:
        // A name that does not resolve is a configuration matter: asking again at once does
        // not help (the daemon keeps checking on its own schedule).
        return {Error::Unreachable,
                tr("cannot reach Ollama at %1: %2 (check ollama.host)")
                    .arg(m_baseUrl, reply->errorString()),
                false};
    case QNetworkReply::TimeoutError:
        return {Error::Timeout,
                tr("cannot reach Ollama at %1: %2").arg(m_baseUrl, reply->errorString()), true};
    case QNetworkReply::RemoteHostClosedError:
        if (m_received > 0) {
            return {Error::BadResponse,
                    tr("Ollama at %1 closed the connection in the middle of the answer (%2)")
                        .arg(m_baseUrl, reply->errorString()),
                    true};
        }
        return {Error::Unreachable,
                tr("cannot reach Ollama at %1: %2").arg(m_baseUrl, reply->errorString()), true,
                false, true};
    case QNetworkReply::ProtocolFailure:
        // A broken chunked encoding or HTTP framing: a truncated or garbled answer.
        return {Error::BadResponse,
                tr("Ollama at %1 sent a broken answer (%2)").arg(m_baseUrl, reply->errorString()),
                true};
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return {Error::Unreachable,
                tr("cannot reach Ollama at %1: %2").arg(m_baseUrl, reply->errorString()), true};
    default:
        // TLS, proxy authentication, redirects, unsupported schemes: asking again does not help.
        return {Error::Unreachable,
                tr("cannot reach Ollama at %1: %2").arg(m_baseUrl, reply->errorString()), false};
    }
}

OllamaReply::Failure OllamaReply::streamError(const QString &message) const
{
    if (m_step == Step::Pull) {
        // An unknown model: {"status":"pulling manifest"}, then this.
        const bool missing = message.contains(QLatin1String("does not exist")) ||
                             message.contains(QLatin1String("not found"));
        return {missing ? Error::ModelMissing : Error::HttpError,
                tr("Ollama at %1 cannot pull model %2: %3").arg(m_baseUrl, m_config.model, message),
                !missing};
    }
    // A failure after the answer had started: the runner crashed or ran out of memory.
    return {Error::HttpError, tr("Ollama at %1 failed while answering: %2").arg(m_baseUrl, message),
            true, isOutOfMemory(message)};
}

double OllamaReply::idleLimit() const
{
    // A pull is silent while Ollama verifies a downloaded layer, which takes long for a big
    // model: the first-token limit, meant for such waits, applies when it is the longer.
    return m_step == Step::Pull ? std::max(m_config.idleTimeoutS, m_config.firstTokenTimeoutS)
                                : m_config.idleTimeoutS;
}

bool OllamaReply::streamed() const
{
    return m_step == Step::Request || m_step == Step::Pull;
}

bool OllamaReply::isProbe() const
{
    return m_step == Step::Root || m_step == Step::Version || m_step == Step::Tags;
}

QString OllamaReply::stepName() const
{
    switch (m_step) {
    case Step::Root:
        return QStringLiteral("GET /");
    case Step::Version:
        return QStringLiteral("GET /api/version");
    case Step::Tags:
        return QStringLiteral("GET /api/tags");
    case Step::Pull:
        return QStringLiteral("POST /api/pull");
    case Step::Unload:
        return QStringLiteral("POST /api/generate");
    case Step::Request:
        return QStringLiteral("POST ") + m_path;
    }
    return {};
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
    // A probe is a probe: the caller decides when to ask again.
    return isProbe() ? 1 : std::max(1, m_config.retries);
}

} // namespace codeworm
