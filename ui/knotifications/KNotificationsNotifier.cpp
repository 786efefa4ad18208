#include "KNotificationsNotifier.h"

#include <KNotification>
#include <KNotificationAction>

namespace codeworm {

KNotificationsNotifier::KNotificationsNotifier(Opener opener, QObject *parent)
    : Notifier(parent)
    , m_opener(std::move(opener))
{}

void KNotificationsNotifier::notify(const Notification &notification)
{
    QPointer<KNotification> &shown = m_alerts[notification.kind];
    const bool alert = notification.isAlert();
    // An alert still shown is updated in place; commits stack.
    KNotification *event =
        alert && shown
            ? shown.data()
            : new KNotification(Notification::eventId(notification.kind),
                                alert ? KNotification::Persistent : KNotification::CloseOnTimeout);
    event->setComponentName(QStringLiteral("codeworm"));
    event->setTitle(notification.summary);
    event->setText(notification.body);
    event->setIconName(notification.iconName.isEmpty() ? QStringLiteral(CODEWORM_APP_ID)
                                                       : notification.iconName);
    event->setUrgency(
        notification.urgency == Notification::Urgency::Critical ? KNotification::CriticalUrgency
        : notification.urgency == Notification::Urgency::Low    ? KNotification::LowUrgency
                                                                : KNotification::NormalUrgency);
    if (!notification.openPath.isEmpty() && !(alert && shown)) {
        KNotificationAction *open = event->addDefaultAction(tr("Open"));
        connect(open, &KNotificationAction::activated, this,
                [this, path = notification.openPath] { m_opener(path); });
    }
    if (alert && shown) {
        event->update();
        return;
    }
    if (alert) {
        shown = event;
    } else {
        m_alerts.remove(notification.kind);
    }
    event->sendEvent();
}

void KNotificationsNotifier::withdraw(Notification::Kind kind)
{
    if (const QPointer<KNotification> shown = m_alerts.take(kind); shown) {
        shown->close();
    }
}

} // namespace codeworm
