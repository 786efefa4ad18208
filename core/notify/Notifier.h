#pragma once

#include "notify/Notification.h"

#include <QObject>

namespace codeworm {

// A way to show notifications. Backends needing a GUI (tray message, KNotifications) live in
// ui/ and implement the same interface.
class Notifier : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Shows `notification` without blocking the caller.
    virtual void notify(const Notification &notification) = 0;
    // Takes back the alert of `kind` once its condition cleared; backends that cannot do
    // nothing.
    virtual void withdraw(Notification::Kind kind) { Q_UNUSED(kind) }
};

// Writes each notification as one line on the "codeworm.notify" log category: the backend of
// last resort, and the fallback of the others.
class LogNotifier : public Notifier
{
    Q_OBJECT
public:
    using Notifier::Notifier;

    void notify(const Notification &notification) override;
};

} // namespace codeworm
