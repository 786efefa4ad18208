#pragma once

#include <QJsonObject>
#include <QString>

namespace codeworm {

// Sends one request to the running CodeWorm's ControlServer and waits for its reply line.
// Blocking, with timeouts: meant for the short-lived control commands of the command line.
namespace ControlClient {

struct Reply
{
    enum class Outcome { Answered, NotRunning, Failed };
    Outcome outcome = Outcome::Failed;
    QJsonObject json; // Answered: the reply ({"ok": ...})
    QString error;    // NotRunning, Failed: why
};

Reply request(const QString &stateDir, const QJsonObject &request, int connectTimeoutMs = 2000,
              int replyTimeoutMs = 30000);

} // namespace ControlClient
} // namespace codeworm
