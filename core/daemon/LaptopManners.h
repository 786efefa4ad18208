#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimeZone>
#include <QTimer>
#include <QVariantMap>
#include <functional>

namespace codeworm {

// Laptop manners: whether a planned run may start now. Each condition is off by default:
// waiting while on battery (UPower on the system bus), until the session has been idle for
// a number of minutes (org.freedesktop.ScreenSaver on the session bus, else logind's idle
// hint), and outside a quiet-hours window. Every D-Bus call is asynchronous. A service that
// does not answer never holds a run back: it is logged once and the condition counts as met.
class LaptopManners : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    // While waiting for idle, the session is asked at most this often.
    static constexpr int defaultRecheckIntervalMs = 60 * 1000;
    // The longest any wait sleeps before looking again (a timer may oversleep a suspend, and
    // a missed PropertiesChanged must not hold a run back for good).
    static constexpr int maxSleepMs = 10 * 60 * 1000;

    explicit LaptopManners(const LaptopConfig &laptop, const QTimeZone &zone,
                           QObject *parent = nullptr, Clock clock = &QDateTime::currentDateTime);

    // A new configuration (SIGHUP); a pending request is looked at again under it.
    void setConfig(const LaptopConfig &laptop, const QTimeZone &zone);

    // A planned run is due. allowed() follows exactly once, from the event loop, as soon as
    // every condition allows it; until then waiting() tells why. A request while one is
    // pending joins it.
    void requestRun();
    // Drops the pending request: no allowed() for it.
    void cancelPending();
    // Looks at the conditions again now for the pending request (what the timers and the
    // D-Bus signals do). Public for a resume from suspend and for tests.
    void recheck();

    // A request is pending (being checked or waiting).
    bool isPending() const { return m_pending; }
    // A request is pending and a condition holds it back.
    bool isWaiting() const { return m_pending && m_reason != Reason::None; }
    // Why: "on battery power", "the session has been idle for 2 of 10 minutes",
    // "quiet hours 22:00-07:00"; empty when not waiting.
    QString waitReason() const { return isWaiting() ? m_reasonText : QString(); }

    // The shortest time between two idle checks while waiting (tests shorten it).
    void setRecheckInterval(int ms) { m_recheckIntervalMs = ms; }
    int recheckInterval() const { return m_recheckIntervalMs; }

signals:
    // The pending request may run now.
    void allowed();
    // The pending request waits; emitted when it starts waiting and when the kind of reason
    // changes (not for each new idle count: waitReason() has the latest text).
    void waiting(const QString &reason);

private Q_SLOTS:
    // Old-style slots: QDBusConnection::connect takes no functors in Qt 6.4.
    void onUPowerPropertiesChanged(const QString &interface, const QVariantMap &changed,
                                   const QStringList &invalidated);
    void onScreenSaverActiveChanged(bool active);

private:
    enum class Reason { None, Quiet, Battery, Idle };
    enum class IdleSource { ScreenSaver, ScreenSaverShortPath, Logind, None };

    void startCheck();
    void checkBattery(quint64 generation);
    void checkIdle(quint64 generation);
    void queryIdle(quint64 generation, IdleSource source);
    void onIdleTime(qint64 idleMs);
    void wait(Reason reason, const QString &text, qint64 recheckInMs);
    void allow();
    void subscribe();

    LaptopConfig m_config;
    QTimeZone m_zone;
    Clock m_clock;
    QTimer m_timer; // the one re-check of a waiting request
    int m_recheckIntervalMs = defaultRecheckIntervalMs;
    bool m_pending = false;
    // Answers to an older check are ignored: a re-check or cancel bumps this.
    quint64 m_generation = 0;
    Reason m_reason = Reason::None;
    QString m_reasonText;
    bool m_upowerSubscribed = false;
    bool m_screenSaverSubscribed = false;
    bool m_upowerMissingLogged = false;
    bool m_idleMissingLogged = false;
};

} // namespace codeworm
