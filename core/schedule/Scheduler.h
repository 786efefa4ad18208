#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <functional>

namespace codeworm {

// Fires due() at each planned run. One single-shot timer armed for the next run and
// re-armed after it fires, so an idle daemon wakes only then. A timer that fires late (after
// suspend) gives one run, never a burst.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    explicit Scheduler(const ScheduleConfig &schedule, QObject *parent = nullptr,
                       Clock clock = &QDateTime::currentDateTime);

    void start();
    void stop();
    void setSchedule(const ScheduleConfig &schedule);
    bool isActive() const { return m_timer.isActive(); }
    QDateTime nextRun() const { return m_nextRun; }

signals:
    void due();
    void nextRunChanged(const QDateTime &nextRun);

private:
    void arm();
    void onTimeout();

    ScheduleConfig m_schedule;
    Clock m_clock;
    QTimer m_timer;
    QDateTime m_nextRun;
};

} // namespace codeworm
