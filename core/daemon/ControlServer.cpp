#include "daemon/ControlServer.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcControl, "codeworm.control")

namespace codeworm {

namespace {

// A request is a short line; anything longer is not a client of ours.
constexpr qsizetype MaxRequestBytes = 64 * 1024;

QString stateId(DaemonStatus::State state)
{
    switch (state) {
    case DaemonStatus::State::Idle:
        return QStringLiteral("idle");
    case DaemonStatus::State::Working:
        return QStringLiteral("working");
    case DaemonStatus::State::Paused:
        return QStringLiteral("paused");
    case DaemonStatus::State::WaitingForLlm:
        return QStringLiteral("waiting_for_llm");
    case DaemonStatus::State::Error:
        break;
    }
    return QStringLiteral("error");
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid()
               ? QJsonValue(time.toOffsetFromUtc(time.offsetFromUtc()).toString(Qt::ISODate))
               : QJsonValue(QJsonValue::Null);
}

QJsonObject failure(const QString &error)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
}

QJsonObject success(const QString &message)
{
    return {{QStringLiteral("ok"), true}, {QStringLiteral("message"), message}};
}

} // namespace

ControlServer::ControlServer(Daemon *daemon, QObject *parent)
    : QObject(parent)
    , m_daemon(daemon)
    , m_server(new QLocalServer(this))
{
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
}

ControlServer::~ControlServer()
{
    if (m_server->isListening()) {
        m_server->close(); // also removes the socket file
    }
}

QString ControlServer::socketPath(const QString &stateDir)
{
    return stateDir + QStringLiteral("/codeworm.sock");
}

QJsonObject ControlServer::statusJson(const DaemonStatus &status, bool paused)
{
    return {
        {QStringLiteral("schema"), 1},
        {QStringLiteral("pid"), QCoreApplication::applicationPid()},
        {QStringLiteral("state"), stateId(status.state)},
        {QStringLiteral("state_text"), status.stateText()},
        {QStringLiteral("paused"), paused},
        {QStringLiteral("current_target"), status.currentTarget},
        {QStringLiteral("next_run"), timeOrNull(status.nextRun)},
        {QStringLiteral("commits_today"), status.commitsToday},
        {QStringLiteral("planned_today"), status.plannedToday},
        {QStringLiteral("last_commit"), status.lastCommit},
        {QStringLiteral("last_commit_at"), timeOrNull(status.lastCommitAt)},
        {QStringLiteral("last_error"), status.lastError},
        {QStringLiteral("llm"), status.llm},
        {QStringLiteral("push"), status.push},
        {QStringLiteral("waiting"), status.waiting},
        {QStringLiteral("alert"), status.alert},
    };
}

Status ControlServer::listen(const QString &stateDir)
{
    m_path = socketPath(stateDir);
    QLocalServer::removeServer(m_path);
    // Bound in a private folder and moved into place, so the socket is never open to others.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_path)) {
        return Status::failure(QStringLiteral("cannot listen on the control socket %1: %2")
                                   .arg(m_path, m_server->errorString()));
    }
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
    qCDebug(lcControl).noquote() << "control socket:" << m_path;
    return {};
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void ControlServer::onReadyRead(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        const QByteArray line = socket->readLine().trimmed();
        if (line.isEmpty()) {
            continue;
        }
        socket->write(QJsonDocument(handle(line)).toJson(QJsonDocument::Compact) + '\n');
    }
    if (socket->bytesAvailable() > MaxRequestBytes) {
        socket->abort();
    }
}

QJsonObject ControlServer::handle(const QByteArray &line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (!document.isObject()) {
        return failure(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
    }
    const QString command = document.object().value(QStringLiteral("command")).toString();
    if (command == QLatin1String("status")) {
        QJsonObject reply{{QStringLiteral("ok"), true}};
        reply.insert(QStringLiteral("status"),
                     statusJson(m_daemon->status(), m_daemon->isPaused()));
        return reply;
    }
    qCInfo(lcControl).noquote() << "control request:" << command;
    if (command == QLatin1String("pause")) {
        m_daemon->pause();
        return success(QStringLiteral("paused"));
    }
    if (command == QLatin1String("resume")) {
        m_daemon->resume();
        return success(QStringLiteral("resumed"));
    }
    if (command == QLatin1String("run-now")) {
        // Answered at once; the cycle runs on in the daemon's event loop.
        m_daemon->runNow();
        return success(QStringLiteral("cycle requested"));
    }
    if (command == QLatin1String("reload")) {
        if (!m_reload) {
            return failure(QStringLiteral("reload is not available"));
        }
        if (Status reloaded = m_reload(); !reloaded) {
            return failure(reloaded.error());
        }
        return success(QStringLiteral("configuration reloaded"));
    }
    return failure(QStringLiteral("unknown command '%1'").arg(command));
}

} // namespace codeworm
