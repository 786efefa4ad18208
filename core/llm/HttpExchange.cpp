#include "llm/HttpExchange.h"

#include "llm/DirectHttpReply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace codeworm::HttpExchange {

QNetworkReply *send(QNetworkAccessManager *network, QNetworkRequest request, const QByteArray &body)
{
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!body.isNull()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    }
    if (DirectHttpReply::canHandle(request.url(), network)) {
        return new DirectHttpReply(request, body); // the caller takes it as its child
    }
    return body.isNull() ? network->get(request) : network->post(request, body);
}

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

void dropFront(QByteArray &bytes, qsizetype n)
{
    if (n <= 0) {
        return;
    }
    const qsizetype rest = bytes.size() - n;
    if (rest > 0) {
        std::memmove(bytes.data(), bytes.constData() + n, size_t(rest));
    }
    bytes.resize(std::max<qsizetype>(rest, 0));
}

void appendAvailable(QNetworkReply *reply, QByteArray &pending)
{
    for (qint64 available = reply->bytesAvailable(); available > 0;
         available = reply->bytesAvailable()) {
        const qsizetype before = pending.size();
        pending.resize(before + qsizetype(available));
        const qint64 got = reply->read(pending.data() + before, available);
        pending.resize(before + qsizetype(std::max<qint64>(got, 0)));
        if (got <= 0) {
            return;
        }
    }
}

bool takeLines(QByteArray &pending, bool endOfBody,
               const std::function<bool(QByteArrayView line)> &handle)
{
    qsizetype lineStart = 0;
    bool going = true;
    for (qsizetype newline = pending.indexOf('\n'); going && newline >= 0;
         newline = pending.indexOf('\n', lineStart)) {
        QByteArrayView line = QByteArrayView(pending).sliced(lineStart, newline - lineStart);
        lineStart = newline + 1;
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        going = handle(line);
    }
    dropFront(pending, lineStart);
    if (going && endOfBody && !pending.isEmpty()) {
        const QByteArray rest = std::exchange(pending, QByteArray());
        going = handle(rest);
    }
    return going;
}

void release(QNetworkReply *&reply, const QObject *listener)
{
    if (!reply) {
        return;
    }
    QNetworkReply *released = std::exchange(reply, nullptr);
    released->disconnect(listener);
    if (!released->isFinished()) {
        released->abort();
    }
    released->deleteLater();
}

QString serverMessage(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue error = object.value(QLatin1String("error"));
    QString message = error.isObject() ? error.toObject().value(QLatin1String("message")).toString()
                                       : error.toString();
    if (message.isEmpty()) {
        message = object.value(QLatin1String("message")).toString();
    }
    return message.isEmpty() ? shortened(body) : message;
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

} // namespace codeworm::HttpExchange
