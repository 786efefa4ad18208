#include "schedule/Scheduler.h"

#include "schedule/DayPlanner.h"

namespace codeworm {

Scheduler::Scheduler(const ScheduleConfig &schedule, QObject *parent, Clock clock)
    : QObject(parent)
    , m_schedule(schedule)
    , m_clock(std::move(clock))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::onTimeout);
}

void Scheduler::start()
{
    arm();
}

void Scheduler::stop()
{
    m_timer.stop();
    if (m_nextRun.isValid()) {
        m_nextRun = {};
        emit nextRunChanged(m_nextRun);
    }
}

void Scheduler::setSchedule(const ScheduleConfig &schedule)
{
    m_schedule = schedule;
    if (m_timer.isActive()) {
        arm();
    }
}

void Scheduler::arm()
{
    if (!m_schedule.enabled) {
        stop();
        return;
    }
    const QDateTime now = m_clock();
    m_nextRun = DayPlanner::nextRunAfter(now, m_schedule);
    if (!m_nextRun.isValid()) {
        stop();
        return;
    }
    // Wake a little late rather than early: a run is never before its planned time.
    const qint64 ms = qBound<qint64>(0, now.msecsTo(m_nextRun) + 500, 24LL * 3600 * 1000);
    m_timer.start(std::chrono::milliseconds(ms));
    emit nextRunChanged(m_nextRun);
}

void Scheduler::onTimeout()
{
    // The timer may be re-armed early when a run is more than a day away (QTimer range);
    // only announce a run when its time has come.
    if (m_clock() >= m_nextRun) {
        emit due();
    }
    arm();
}

} // namespace codeworm
