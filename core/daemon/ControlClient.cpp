#include "daemon/ControlClient.h"

#include "daemon/ControlServer.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QLocalSocket>

namespace codeworm::ControlClient {

Reply request(const QString &stateDir, const QJsonObject &request, int connectTimeoutMs,
              int replyTimeoutMs)
{
    Reply reply;
    const QString path = ControlServer::socketPath(stateDir);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(connectTimeoutMs)) {
        // No socket file, or one a dead instance left with nobody listening.
        reply.outcome = Reply::Outcome::NotRunning;
        reply.error = socket.errorString();
        return reply;
    }
    socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    const QDeadlineTimer deadline(replyTimeoutMs);
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || !socket.waitForReadyRead(int(deadline.remainingTime()))) {
            reply.error = socket.state() == QLocalSocket::ConnectedState
                              ? QStringLiteral("no answer from %1 within %2 s")
                                    .arg(path)
                                    .arg(replyTimeoutMs / 1000)
                              : QStringLiteral("%1 closed the connection").arg(path);
            return reply;
        }
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(socket.readLine(), &parseError);
    if (!document.isObject()) {
        reply.error =
            QStringLiteral("unreadable answer from %1: %2").arg(path, parseError.errorString());
        return reply;
    }
    reply.outcome = Reply::Outcome::Answered;
    reply.json = document.object();
    return reply;
}

} // namespace codeworm::ControlClient
