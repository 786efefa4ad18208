#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <functional>

namespace codeworm {

// The dead-man's switch: a planned run `minutes` overdue with no successful cycle since raises
// one alert, which stays raised (and is not repeated) until a cycle succeeds. Runs planned
// while the daemon was not running, was paused or held runs back on purpose (laptop manners)
// do not count. Checked every five minutes, as the original did.
class DeadmanSwitch : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    DeadmanSwitch(const ScheduleConfig &schedule, quint64 seed, int minutes,
                  QObject *parent = nullptr, Clock clock = &QDateTime::currentDateTime);

    static constexpr qint64 checkIntervalMs = 5 * 60 * 1000;

    // Starts the periodic check; planned runs before now do not count.
    void start();
    void stop();
    void setSchedule(const ScheduleConfig &schedule, quint64 seed, int minutes);
    // A cycle succeeded at `when`: clears a raised alert.
    void noteSuccess(const QDateTime &when);
    // While held back (paused, laptop manners), planned runs are skipped on purpose: they do
    // not count, up to the moment the hold ends.
    void setHeldBack(bool heldBack);
    // Looks at the clock now, as the timer does. Public for tests.
    void check();

    bool isRaised() const { return m_raised; }
    QString message() const { return m_message; }

    // The latest planned run in (notBefore, now - minutes], or null: the one overdue.
    static QDateTime overdueRun(const ScheduleConfig &schedule, quint64 seed, int minutes,
                                const QDateTime &notBefore, const QDateTime &now);

signals:
    void raised(const QString &message);
    void cleared();

private:
    ScheduleConfig m_schedule;
    quint64 m_seed;
    int m_minutes;
    Clock m_clock;
    QTimer m_timer;
    QDateTime m_since; // runs planned before this do not count
    QDateTime m_lastSuccess;
    bool m_heldBack = false;
    bool m_raised = false;
    QString m_message;
};

} // namespace codeworm
