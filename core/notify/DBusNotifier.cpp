#include "notify/DBusNotifier.h"

#include "notify/NotifyLog.h"

#include "codeworm_version.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

#include <QProcess>
#include <QVariantMap>
#include <algorithm>

namespace codeworm {

namespace {

const QString service = QStringLiteral("org.freedesktop.Notifications");
const QString path = QStringLiteral("/org/freedesktop/Notifications");
const QString interface = QStringLiteral("org.freedesktop.Notifications");

void openWithXdgOpen(const QString &file)
{
    if (!QProcess::startDetached(QStringLiteral("xdg-open"), {file})) {
        qCWarning(lcNotify).noquote() << "could not run xdg-open to open" << file;
    }
}

} // namespace

DBusNotifier::DBusNotifier(QObject *parent)
    : DBusNotifier(QDBusConnection::sessionBus(), parent)
{}

DBusNotifier::DBusNotifier(const QDBusConnection &bus, QObject *parent)
    : Notifier(parent)
    , m_bus(bus)
    , m_log(new LogNotifier(this))
    , m_opener(openWithXdgOpen)
{
    qRegisterMetaType<Notification>();
    if (!m_bus.isConnected()) {
        m_serverAvailable = false;
        qCInfo(lcNotify).noquote() << "no D-Bus session bus: notifications go to the log";
        return;
    }
    m_bus.connect(service, path, interface, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(service, path, interface, QStringLiteral("NotificationClosed"), this,
                  SLOT(onNotificationClosed(uint, uint)));
}

void DBusNotifier::notify(const Notification &notification)
{
    if (!m_bus.isConnected()) {
        m_log->notify(notification);
        emit fellBack(notification);
        return;
    }
    if (notification.isAlert() && m_inFlight.value(notification.kind) > 0) {
        m_queued.insert(notification.kind, notification);
        return;
    }
    QStringList actions;
    if (!notification.openPath.isEmpty()) {
        // "default" is a click on the notification itself.
        actions << QStringLiteral("default") << tr("Open") << QStringLiteral("open") << tr("Open");
    }
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral(CODEWORM_APP_ID));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(notification.urgency)));
    const uint replaces = notification.isAlert() ? m_alertIds.value(notification.kind, 0) : 0;
    const QString icon =
        notification.iconName.isEmpty() ? QStringLiteral(CODEWORM_APP_ID) : notification.iconName;
    QDBusMessage call =
        QDBusMessage::createMethodCall(service, path, interface, QStringLiteral("Notify"));
    call << QStringLiteral("CodeWorm") << replaces << icon << notification.summary
         << notification.body << actions << hints << qint32(-1);
    call.setAutoStartService(m_autoStart);
    if (notification.isAlert()) {
        ++m_inFlight[notification.kind];
    }
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, notification](QDBusPendingCallWatcher *w) { onReply(w, notification); });
}

void DBusNotifier::onReply(QDBusPendingCallWatcher *watcher, const Notification &notification)
{
    watcher->deleteLater();
    const QDBusPendingReply<uint> reply = *watcher;
    if (notification.isAlert() && --m_inFlight[notification.kind] <= 0) {
        m_inFlight.remove(notification.kind);
    }
    if (notification.isAlert() && m_queued.contains(notification.kind)) {
        // Sent once this function returns: with the id stored, it replaces this one.
        QMetaObject::invokeMethod(
            this,
            [this, kind = notification.kind] {
                if (m_queued.contains(kind)) {
                    notify(m_queued.take(kind));
                }
            },
            Qt::QueuedConnection);
    }
    if (reply.isError()) {
        m_closeOnReply.remove(notification.kind);
        fallBack(notification, reply.error().message());
        return;
    }
    if (!m_serverAvailable) {
        qCInfo(lcNotify).noquote() << "the desktop notification service answers again";
        m_serverAvailable = true;
    }
    const uint id = reply.value();
    if (notification.isAlert()) {
        if (m_closeOnReply.remove(notification.kind)) {
            // Its condition cleared while the server was still showing it.
            closeNotification(id);
            return;
        }
        m_alertIds.insert(notification.kind, id);
    }
    if (!notification.openPath.isEmpty()) {
        // Servers that never report closed notifications must not make this grow for ever:
        // only the latest documents stay openable.
        if (m_openPaths.size() >= maxOpenable) {
            m_openPaths.erase(
                std::min_element(m_openPaths.keyBegin(), m_openPaths.keyEnd()).base());
        }
        m_openPaths.insert(id, notification.openPath);
    }
}

void DBusNotifier::fallBack(const Notification &notification, const QString &why)
{
    // One line when the service goes away, not one per notification.
    if (m_serverAvailable) {
        qCInfo(lcNotify).noquote()
            << QStringLiteral("no desktop notification service (%1): notifications go to the log")
                   .arg(why);
        m_serverAvailable = false;
    }
    m_log->notify(notification);
    emit fellBack(notification);
}

void DBusNotifier::withdraw(Notification::Kind kind)
{
    const uint id = m_alertIds.take(kind);
    m_queued.remove(kind);
    if (id == 0) {
        if (m_inFlight.value(kind) > 0) {
            m_closeOnReply.insert(kind); // closed as soon as its id comes back
        }
        return;
    }
    closeNotification(id);
}

void DBusNotifier::closeNotification(uint id)
{
    m_openPaths.remove(id);
    if (!m_bus.isConnected()) {
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(service, path, interface,
                                                       QStringLiteral("CloseNotification"));
    call << id;
    call.setAutoStartService(false); // nothing to close without a running server
    // Fire and forget: an unknown id (closed by the user meanwhile) is no error worth a line.
    m_bus.asyncCall(call);
}

void DBusNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const auto found = m_openPaths.constFind(id);
    if (found == m_openPaths.cend()) {
        return; // another application's notification
    }
    if ((actionKey == QLatin1String("open") || actionKey == QLatin1String("default")) && m_opener) {
        m_opener(*found);
    }
}

void DBusNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    m_openPaths.remove(id);
    for (auto it = m_alertIds.begin(); it != m_alertIds.end(); ++it) {
        if (it.value() == id) {
            // Closed by the user: the next raise shows a new one rather than replacing nothing.
            m_alertIds.erase(it);
            break;
        }
    }
}

} // namespace codeworm
