#pragma once

#include "notify/Notifier.h"

#include <QHash>
#include <QPointer>
#include <functional>

class KNotification;

namespace codeworm {

// Notifications through KDE Frameworks' KNotifications, whose events (codeworm.notifyrc) the
// user can configure in the desktop's settings. Built only when CMake finds KF6Notifications;
// untested on Debian 12, which has no KF6. Otherwise DBusNotifier does the same job.
class KNotificationsNotifier : public Notifier
{
    Q_OBJECT
public:
    using Opener = std::function<void(const QString &path)>;

    explicit KNotificationsNotifier(Opener opener, QObject *parent = nullptr);

    void notify(const Notification &notification) override;
    void withdraw(Notification::Kind kind) override;

private:
    Opener m_opener;
    QHash<Notification::Kind, QPointer<KNotification>> m_alerts; // shown until withdrawn
};

} // namespace codeworm
