#pragma once

#include "notify/Notifier.h"

#include <QDBusConnection>
#include <QHash>
#include <QSet>

#include <functional>

class QDBusPendingCallWatcher;

namespace codeworm {

// Desktop notifications through the freedesktop notification service
// (org.freedesktop.Notifications.Notify over the session bus). Needs no GUI, so headless mode
// notifies too; the tray uses it as well, because on XEmbed trays QSystemTrayIcon::showMessage
// draws Qt's own balloon instead. Every call is asynchronous. Without a session bus or a
// notification server each notification goes to the log instead, which says so once.
class DBusNotifier : public Notifier
{
    Q_OBJECT
public:
    // Opens a notification's document: xdg-open by default; the tray may use QDesktopServices.
    using Opener = std::function<void(const QString &path)>;

    explicit DBusNotifier(QObject *parent = nullptr);
    DBusNotifier(const QDBusConnection &bus, QObject *parent = nullptr);

    void notify(const Notification &notification) override;
    void withdraw(Notification::Kind kind) override;

    void setOpener(Opener opener) { m_opener = std::move(opener); }
    // Whether a call may start a notification server through D-Bus activation (the default).
    void setAutoStart(bool autoStart) { m_autoStart = autoStart; }
    // False after a call found no server, until one answers again.
    bool isServerAvailable() const { return m_serverAvailable; }

signals:
    // A notification went to the log because no notification server answered.
    void fellBack(const codeworm::Notification &notification);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    static constexpr qsizetype maxOpenable = 100;

    void fallBack(const Notification &notification, const QString &why);
    void closeNotification(uint id);
    void onReply(QDBusPendingCallWatcher *watcher, const Notification &notification);

    QDBusConnection m_bus;
    LogNotifier *m_log;
    Opener m_opener;
    bool m_autoStart = true;
    bool m_serverAvailable = true;
    QHash<Notification::Kind, uint> m_alertIds; // the shown alert per kind: replaced, not stacked
    QHash<uint, QString> m_openPaths;           // what "Open" opens, per shown notification
    QHash<Notification::Kind, int> m_inFlight;  // alerts sent whose id has not come back yet
    QSet<Notification::Kind> m_closeOnReply;    // withdrawn before their id came back
    // An alert's update sent while its first showing waits for its id: sent with that id, so
    // it replaces rather than stacks.
    QHash<Notification::Kind, Notification> m_queued;
};

} // namespace codeworm
