#include "schedule/DayPlanner.h"

#include <QTime>

namespace codeworm {

int DayPlanner::runsPerDay(const ScheduleConfig &schedule)
{
    return qMax(1, (schedule.minCommitsPerDay + schedule.maxCommitsPerDay + 1) / 2);
}

QList<QDateTime> DayPlanner::evenSpread(QDate date, int count, const QList<int> &avoidHours,
                                        const QTimeZone &zone)
{
    QList<int> hours;
    for (int hour = 0; hour < 24; ++hour) {
        if (!avoidHours.contains(hour)) {
            hours << hour;
        }
    }
    QList<QDateTime> runs;
    if (hours.isEmpty() || count < 1) {
        return runs;
    }
    const double allowedMinutes = hours.size() * 60.0;
    const double part = allowedMinutes / count;
    for (int i = 0; i < count; ++i) {
        const int offset = int(part * i + part / 2);
        const int hour = hours.at(offset / 60);
        const QTime time(hour, offset % 60);
        // On a DST day a time that does not exist is moved forward by Qt; keep the order.
        QDateTime when(date, time, zone);
        if (!runs.isEmpty() && when <= runs.last()) {
            continue;
        }
        runs << when;
    }
    return runs;
}

QTimeZone DayPlanner::zoneFor(const ScheduleConfig &schedule)
{
    return schedule.zone();
}

QDateTime DayPlanner::nextRunAfter(const QDateTime &now, const ScheduleConfig &schedule)
{
    const QTimeZone zone = zoneFor(schedule);
    const QDate today = now.toTimeZone(zone).date();
    const int count = runsPerDay(schedule);
    for (int day = 0; day < 3; ++day) {
        for (const QDateTime &run :
             evenSpread(today.addDays(day), count, schedule.avoidHours, zone)) {
            if (run > now) {
                return run;
            }
        }
    }
    return {};
}

} // namespace codeworm
