#pragma once

#include <QHashFunctions>
#include <QMetaType>
#include <QString>

namespace codeworm {

// One desktop notification, as every backend (D-Bus, KNotifications, tray message, log)
// receives it. The backend decides how to show it; the center decides whether to.
struct Notification
{
    // A commit stands alone; each other kind is an alert, shown at most once until its
    // condition clears, and a backend may update or withdraw it by kind.
    enum class Kind { Commit, LlmUnavailable, Failures, PushFailing, Deadman };
    enum class Urgency { Low = 0, Normal = 1, Critical = 2 }; // the freedesktop levels

    Kind kind = Kind::Commit;
    QString summary;
    QString body;
    // An absolute file path (the document in the DevLog) that the "Open" action opens; empty:
    // no action.
    QString openPath;
    Urgency urgency = Urgency::Normal;
    // An icon theme name; empty: the application's icon.
    QString iconName;

    bool isAlert() const { return kind != Kind::Commit; }
    // Stable names for the kinds: the events of codeworm.notifyrc and the log.
    static QString eventId(Kind kind);
};

inline size_t qHash(Notification::Kind kind, size_t seed = 0) noexcept
{
    return ::qHash(int(kind), seed);
}

} // namespace codeworm

Q_DECLARE_METATYPE(codeworm::Notification)
