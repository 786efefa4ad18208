#include "config/ScheduleLimits.h"

#include <QStringList>

namespace codeworm {

const std::array<double, 24> &ScheduleLimits::baseHourWeights()
{
    static const std::array<double, 24> weights = {
        .02, .01, .005, 0,   0,   0,   .01, .03, .08, .12, .15, .14,
        .08, .10, .14,  .15, .14, .10, .06, .05, .10, .12, .10, .05,
    };
    return weights;
}

double ScheduleLimits::hourWeight(int hour, const ScheduleConfig &schedule)
{
    if (hour < 0 || hour > 23 || schedule.avoidHours.contains(hour)) {
        return 0;
    }
    const double base = baseHourWeights().at(size_t(hour));
    return schedule.preferHours.contains(hour) ? base * 1.5 : base;
}

qint64 ScheduleLimits::gapSeconds(const ScheduleConfig &schedule)
{
    return qMax<qint64>(1, qint64(schedule.minGapMinutes) * 60);
}

int ScheduleLimits::capacity(const ScheduleConfig &schedule)
{
    // Greedy from midnight: placing each run as early as possible fits the most.
    const qint64 gap = gapSeconds(schedule);
    int count = 0;
    qint64 last = -gap;
    for (int hour = 0; hour < 24; ++hour) {
        if (hourWeight(hour, schedule) <= 0) {
            continue;
        }
        for (qint64 t = qMax<qint64>(hour * 3600, last + gap); t < (hour + 1) * 3600; t += gap) {
            ++count;
            last = t;
        }
    }
    return count;
}

QString ScheduleLimits::checkFits(const ScheduleConfig &schedule)
{
    const int fit = capacity(schedule);
    if (schedule.minCommitsPerDay <= fit) {
        return {};
    }
    QStringList hours;
    for (int hour = 0; hour < 24; ++hour) {
        if (hourWeight(hour, schedule) > 0) {
            hours << QString::number(hour);
        }
    }
    return QStringLiteral("schedule.min_commits_per_day: %1 runs a day do not fit: the hours "
                          "left by schedule.avoid_hours (and the original's hours of weight 0: "
                          "3, 4, 5) are [%2] and schedule.min_gap_minutes is %3, so at most %4 "
                          "fit")
        .arg(schedule.minCommitsPerDay)
        .arg(hours.join(QStringLiteral(", ")))
        .arg(schedule.minGapMinutes)
        .arg(fit);
}

} // namespace codeworm
