#pragma once

#include "config/Config.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QTimeZone>

namespace codeworm {

// Pure functions that decide when cycles run. This version spreads the day's runs evenly
// over the allowed hours; the weighted random planner of the original replaces it later.
class DayPlanner
{
public:
    // Runs per day: the middle of [min_commits_per_day, max_commits_per_day], at least 1.
    static int runsPerDay(const ScheduleConfig &schedule);

    // `count` runs on `date` in `zone`, evenly spread over the hours not in `avoidHours`:
    // the allowed minutes are cut into `count` equal parts and each run sits in the middle
    // of its part. Sorted; empty when every hour is avoided or count < 1.
    static QList<QDateTime> evenSpread(QDate date, int count, const QList<int> &avoidHours,
                                       const QTimeZone &zone);

    // The first planned run strictly after `now` (today's plan, else the next days').
    static QDateTime nextRunAfter(const QDateTime &now, const ScheduleConfig &schedule);

    // The configured zone, or the system zone when unset or unknown.
    static QTimeZone zoneFor(const ScheduleConfig &schedule);
};

} // namespace codeworm
