#pragma once

#include "common/Result.h"
#include "daemon/Daemon.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

class QLocalServer;
class QLocalSocket;

namespace codeworm {

// The control API of a running CodeWorm: a local socket (codeworm.sock in the state
// directory, owner-only) that takes one JSON request per line, {"command": "status"}, and
// answers each with one JSON line: {"ok": true, ...} or {"ok": false, "error": "..."}.
// Commands: status, pause, resume, run-now, reload. `codeworm status` and friends are its
// clients (ControlClient).
class ControlServer : public QObject
{
    Q_OBJECT
public:
    explicit ControlServer(Daemon *daemon, QObject *parent = nullptr);
    ~ControlServer() override;

    static QString socketPath(const QString &stateDir);
    // The status reply's object ("schema": 1), also what `codeworm status --json` prints.
    static QJsonObject statusJson(const DaemonStatus &status, bool paused);

    // Call while holding the InstanceLock: a socket file left there is then a dead
    // instance's and is removed.
    Status listen(const QString &stateDir);
    // reload: reads the configuration again, as SIGHUP does; a failure is the reply's error.
    void setReloadHandler(std::function<Status()> handler) { m_reload = std::move(handler); }

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    QJsonObject handle(const QByteArray &line);

    Daemon *m_daemon;
    QLocalServer *m_server;
    QString m_path;
    std::function<Status()> m_reload;
};

} // namespace codeworm
