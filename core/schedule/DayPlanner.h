#pragma once

#include "config/Config.h"
#include "config/ScheduleLimits.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QStringList>
#include <QTimeZone>

namespace codeworm {

// One day's plan from DayPlanner::plan().
struct DayPlan
{
    QDate date;
    int wanted = 0;        // runs drawn for the day, after the weekend reduction
    QList<QDateTime> runs; // sorted, in the schedule's zone
    QStringList warnings;  // why fewer than `wanted` runs were planned
};

// Pure functions that decide when cycles run: the clock (`now`, `date`) and the random seed
// come from the caller, so a plan can be reproduced and tested. The hour weights and what fits
// a day are ScheduleLimits', which the config loader checks with.
class DayPlanner : public ScheduleLimits
{
public:
    // The original's plan for `date`: N uniform in [min, max] (on weekends N x
    // weekend_reduction, at least 3 but never more than N), hours drawn by weight, minute and
    // second uniform, draws within min_gap_minutes of another run rejected (10 x N tries),
    // then sorted. Where the draws leave runs missing, the free minutes fill them; when even
    // those run out the plan has fewer runs and a warning. The same seed and date give the
    // same plan. Local times a DST change skips are never planned.
    static DayPlan plan(QDate date, const ScheduleConfig &schedule, quint64 seed);

    // The first planned run strictly after `now`: today's plan (in the schedule's zone), else
    // the next days' (a week at most: a day may have no runs). The same seed gives the same
    // runs, so a restart keeps the rest of the day.
    static QDateTime nextRunAfter(const QDateTime &now, const ScheduleConfig &schedule,
                                  quint64 seed);

    // The configured zone, or the system zone when unset or unknown.
    static QTimeZone zoneFor(const ScheduleConfig &schedule);
};

} // namespace codeworm
