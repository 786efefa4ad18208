#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <functional>

namespace codeworm {

// Fires due() at each run of DayPlanner::plan() for the given seed. One single-shot timer
// armed for the next run and re-armed after it fires, so an idle daemon wakes only then. A
// timer that fires late (after suspend) gives one run, never a burst. The daemon keeps the
// seed in its state directory: after a restart the rest of the day is the same plan.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    explicit Scheduler(const ScheduleConfig &schedule, QObject *parent = nullptr,
                       Clock clock = &QDateTime::currentDateTime, quint64 seed = 0);

    // A run missed by more than this (asleep, clock changed) is let go: the original's grace.
    static constexpr qint64 graceSeconds = 3600;
    // The longest the timer sleeps before the plan is looked at again.
    static constexpr qint64 checkIntervalMs = 10 * 60 * 1000;

    void start();
    void stop();
    // Looks at the clock now, as the timer does: due() once when a run's time has come (the
    // latest of those missed, within the grace), then the next run. Public for a resume from
    // suspend and for tests.
    void check();
    void setSchedule(const ScheduleConfig &schedule);
    void setSeed(quint64 seed);
    // The seed of the day plans, drawn once and kept in `schedule-seed` in stateDir: a
    // restart plans the same days, so the rest of today keeps its times.
    static quint64 persistedSeed(const QString &stateDir);
    quint64 seed() const { return m_seed; }
    bool isActive() const { return m_timer.isActive(); }
    QDateTime nextRun() const { return m_nextRun; }

signals:
    void due();
    void nextRunChanged(const QDateTime &nextRun);

private:
    void arm();

    ScheduleConfig m_schedule;
    Clock m_clock;
    quint64 m_seed = 0;
    QTimer m_timer;
    QDateTime m_nextRun;
};

} // namespace codeworm
