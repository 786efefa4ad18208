#include "schedule/DayPlanner.h"

#include <QRandomGenerator>
#include <QTime>

#include <algorithm>
#include <iterator>

namespace codeworm {

namespace {

// `runs` is kept sorted, so only the neighbours need a look: a large max_commits_per_day
// costs a logarithm per draw, not a pass over the day.
bool keepsGap(const QList<QDateTime> &runs, const QDateTime &when, qint64 gap)
{
    const auto next = std::lower_bound(runs.cbegin(), runs.cend(), when);
    if (next != runs.cend() && when.secsTo(*next) < gap) {
        return false;
    }
    return next == runs.cbegin() || std::prev(next)->secsTo(when) >= gap;
}

void insertSorted(QList<QDateTime> &runs, const QDateTime &when)
{
    runs.insert(std::lower_bound(runs.cbegin(), runs.cend(), when) - runs.cbegin(), when);
}

// `date` at hour:minute:second in `zone`; invalid when a DST change skips that local time.
QDateTime localTime(QDate date, QTime time, const QTimeZone &zone)
{
    const QDateTime when(date, time, zone);
    return when.date() == date && when.time() == time ? when : QDateTime();
}

int drawHour(const ScheduleConfig &schedule, double total, QRandomGenerator &random)
{
    double point = random.generateDouble() * total;
    int last = 0;
    for (int hour = 0; hour < 24; ++hour) {
        const double weight = DayPlanner::hourWeight(hour, schedule);
        if (weight <= 0) {
            continue;
        }
        last = hour;
        if (point < weight) {
            return hour;
        }
        point -= weight;
    }
    return last; // rounding at the top end
}

} // namespace

DayPlan DayPlanner::plan(QDate date, const ScheduleConfig &schedule, quint64 seed)
{
    DayPlan plan;
    plan.date = date;
    // Seeded by the seed and the day, so a day's plan does not depend on the days before it.
    const qint64 day = date.toJulianDay();
    const std::array<quint32, 4> words = {quint32(seed), quint32(seed >> 32), quint32(day),
                                          quint32(quint64(day) >> 32)};
    QRandomGenerator random(words.data(), words.data() + words.size());

    const int low = qMax(0, schedule.minCommitsPerDay);
    const int high = qMax(low, schedule.maxCommitsPerDay);
    int wanted = low + int(random.bounded(quint32(high - low + 1)));
    if (date.dayOfWeek() >= Qt::Saturday) {
        wanted = qMin(wanted, qMax(3, int(wanted * schedule.weekendReduction)));
    }
    plan.wanted = wanted;

    const QTimeZone zone = schedule.zone();
    const qint64 gap = gapSeconds(schedule);
    double total = 0;
    for (int hour = 0; hour < 24; ++hour) {
        total += hourWeight(hour, schedule);
    }
    if (total > 0) {
        // 10 x N tries as the original, but no more than a day can hold (a 25-hour DST day
        // holds an hour more than capacity()), so a huge maximum still ends soon.
        const qint64 room = capacity(schedule) + 3600 / gap + 1;
        const qint64 tries = 10 * qMin<qint64>(wanted, room);
        for (qint64 attempt = 0; attempt < tries && plan.runs.size() < wanted; ++attempt) {
            const QTime time(drawHour(schedule, total, random), int(random.bounded(60)),
                             int(random.bounded(60)));
            const QDateTime when = localTime(date, time, zone);
            if (when.isValid() && keepsGap(plan.runs, when, gap)) {
                insertSorted(plan.runs, when);
            }
        }
    }
    if (plan.runs.size() < wanted && total > 0) {
        // The free whole minutes, drawn by their hour's weight until none is left: bounded by
        // the 1,440 minutes of a day, so an impossible setting ends with fewer runs.
        QList<QPair<QDateTime, double>> free;
        for (int hour = 0; hour < 24; ++hour) {
            const double weight = hourWeight(hour, schedule);
            for (int minute = 0; weight > 0 && minute < 60; ++minute) {
                const QDateTime when = localTime(date, QTime(hour, minute), zone);
                if (when.isValid() && keepsGap(plan.runs, when, gap)) {
                    free.append({when, weight});
                }
            }
        }
        while (plan.runs.size() < wanted && !free.isEmpty()) {
            double sum = 0;
            for (const auto &candidate : std::as_const(free)) {
                sum += candidate.second;
            }
            double point = random.generateDouble() * sum;
            qsizetype pick = free.size() - 1;
            for (qsizetype i = 0; i < free.size(); ++i) {
                if (point < free.at(i).second) {
                    pick = i;
                    break;
                }
                point -= free.at(i).second;
            }
            const QDateTime chosen = free.at(pick).first;
            insertSorted(plan.runs, chosen);
            free.removeIf([&](const QPair<QDateTime, double> &candidate) {
                return qAbs(candidate.first.secsTo(chosen)) < gap;
            });
        }
    }
    if (plan.runs.size() < wanted) {
        plan.warnings << QStringLiteral("%1: only %2 of %3 runs fit in the allowed hours with "
                                        "schedule.min_gap_minutes %4")
                             .arg(date.toString(Qt::ISODate))
                             .arg(plan.runs.size())
                             .arg(wanted)
                             .arg(schedule.minGapMinutes);
    }
    return plan;
}

QTimeZone DayPlanner::zoneFor(const ScheduleConfig &schedule)
{
    return schedule.zone();
}

QDateTime DayPlanner::nextRunAfter(const QDateTime &now, const ScheduleConfig &schedule,
                                   quint64 seed)
{
    const QDate today = now.toTimeZone(zoneFor(schedule)).date();
    for (int day = 0; day < 7; ++day) {
        for (const QDateTime &run : plan(today.addDays(day), schedule, seed).runs) {
            if (run > now) {
                return run;
            }
        }
    }
    return {};
}

} // namespace codeworm
