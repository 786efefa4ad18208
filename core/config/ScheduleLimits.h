#pragma once

#include "config/Config.h"

#include <QString>

#include <array>

namespace codeworm {

// What a schedule allows: the hours' weights and how many runs a day can hold. The day
// planner draws from these; the config loader rejects a schedule whose minimum cannot fit.
class ScheduleLimits
{
public:
    // The original's weight of each local hour 0..23 (its activity curve).
    static const std::array<double, 24> &baseHourWeights();
    // An hour's weight under `schedule`: prefer_hours x1.5, avoid_hours 0.
    static double hourWeight(int hour, const ScheduleConfig &schedule);

    // The most runs that fit on a 24-hour day in the hours of non-zero weight, at least
    // min_gap_minutes apart.
    static int capacity(const ScheduleConfig &schedule);
    // Empty when min_commits_per_day fits; else why not, naming the keys.
    static QString checkFits(const ScheduleConfig &schedule);
    // min_gap_minutes in seconds, at least 1: runs at the same second are never planned.
    static qint64 gapSeconds(const ScheduleConfig &schedule);
};

} // namespace codeworm
