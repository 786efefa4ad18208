#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QObject;
class QTimer;

namespace codeworm {

// The pieces of one HTTP exchange with an LLM server that OllamaReply and StreamingReply (the
// OpenAI-compatible replies) share: time limits on single-shot timers, reading a streamed body
// line by line, releasing a network reply, and the server's error message.
namespace HttpExchange {

// Sends a GET (body null) or a POST of a JSON body, HTTP/1.1: on a DirectHttpReply when the
// request goes straight to a plain-HTTP server, else through network (TLS, proxies).
QNetworkReply *send(QNetworkAccessManager *network, QNetworkRequest request,
                    const QByteArray &body);

int toMilliseconds(double seconds);
// (Re)starts a single-shot limit; a non-positive limit stops the timer: no limit.
void startLimit(QTimer *timer, double seconds);

// Removes the first n bytes, keeping the array's memory: a stream passes through the same
// buffer read after read instead of a new allocation each time.
void dropFront(QByteArray &bytes, qsizetype n);
// Appends what reply has to read to pending, in pending's own memory.
void appendAvailable(QNetworkReply *reply, QByteArray &pending);

// Hands each complete line of `pending` (without "\n" or "\r\n") to `handle` and removes it;
// with endOfBody also the rest, whose line end may be missing. Stops as soon as `handle`
// returns false, and returns false then.
bool takeLines(QByteArray &pending, bool endOfBody,
               const std::function<bool(QByteArrayView line)> &handle);

// Stops listening to `reply`, aborts it when it is still running and deletes it later;
// `reply` becomes null. Safe on null.
void release(QNetworkReply *&reply, const QObject *listener);

// The message of an error body: {"error": "..."}, {"error": {"message": "..."}},
// {"message": "..."}, else the text itself, shortened.
QString serverMessage(const QByteArray &body);
// Text for a message: trimmed, at most 300 characters.
QString shortened(QByteArrayView bytes);

} // namespace HttpExchange
} // namespace codeworm
