#include "llm/HttpExchange.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace codeworm::HttpExchange {

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
    pending.remove(0, lineStart);
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
