#include "schedule/DayPlanner.h"
#include "schedule/DeadmanSwitch.h"
#include "schedule/Scheduler.h"

#include <QtTest>

using namespace codeworm;

class TestDayPlanner : public QObject
{
    Q_OBJECT

private slots:
    void nextRunAfterFindsTheNextPlannedRun();
    void schedulerAnnouncesTheNextRun();
    void restartWithTheSameSeedKeepsTheRestOfTheDay();
    void missedRunsComeDownToOneWithinTheGrace();
    void disabledScheduleHasNoNextRun();
    void deadmanSwitchRaisesOnceForAnOverdueRun();
    void deadmanSwitchIgnoresExcusedAndEarlierRuns();
    void hourWeightsAreTheOriginals();
    void planKeepsEveryConstraintOver1000Days();
    void planSkipsTheLocalTimesADstChangeSkips();
    void minimumThatCannotFitIsAConfigError();
    void maximumThatCannotFitPlansFewerWithAWarning();
    void nothingAllowedEndsWithAnEmptyPlan();
};

namespace {

ScheduleConfig scheduleFor(const char *zone, int min, int max, QList<int> prefer, QList<int> avoid,
                           double weekendReduction, int gap)
{
    ScheduleConfig schedule;
    schedule.timezone = QString::fromLatin1(zone);
    schedule.minCommitsPerDay = min;
    schedule.maxCommitsPerDay = max;
    schedule.preferHours = std::move(prefer);
    schedule.avoidHours = std::move(avoid);
    schedule.weekendReduction = weekendReduction;
    schedule.minGapMinutes = gap;
    return schedule;
}

// Every run in the day's local date, in an hour of non-zero weight, sorted, gaps kept.
void verifyRuns(const DayPlan &plan, const ScheduleConfig &schedule)
{
    const QTimeZone zone = schedule.zone();
    for (qsizetype i = 0; i < plan.runs.size(); ++i) {
        const QDateTime local = plan.runs.at(i).toTimeZone(zone);
        const QString where = plan.date.toString(Qt::ISODate) + QLatin1Char(' ') +
                              local.toString(Qt::ISODate) + QLatin1Char(' ') + schedule.timezone;
        QVERIFY2(plan.runs.at(i).isValid(), qPrintable(where));
        QVERIFY2(local.date() == plan.date, qPrintable(where));
        QVERIFY2(!schedule.avoidHours.contains(local.time().hour()), qPrintable(where));
        QVERIFY2(DayPlanner::hourWeight(local.time().hour(), schedule) > 0, qPrintable(where));
        if (i > 0) {
            QVERIFY2(plan.runs.at(i - 1).secsTo(plan.runs.at(i)) >=
                         qMax(1, schedule.minGapMinutes * 60),
                     qPrintable(where));
        }
    }
}

} // namespace

void TestDayPlanner::nextRunAfterFindsTheNextPlannedRun()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 4, 4, {}, {}, 1.0, 30);
    const QDate day(2026, 3, 2);
    const QList<QDateTime> today = DayPlanner::plan(day, schedule, 42).runs;
    QCOMPARE(today.size(), 4);
    const QDateTime start(day, QTime(0, 0), QTimeZone::utc());
    QCOMPARE(DayPlanner::nextRunAfter(start, schedule, 42), today.first());
    // Exactly at a run: the next one.
    QCOMPARE(DayPlanner::nextRunAfter(today.at(1), schedule, 42), today.at(2));
    // After the last run of the day: tomorrow's first.
    QCOMPARE(DayPlanner::nextRunAfter(today.last(), schedule, 42),
             DayPlanner::plan(day.addDays(1), schedule, 42).runs.first());
    // Nothing allowed at all: no run, and no endless search.
    QList<int> all;
    for (int hour = 0; hour < 24; ++hour) {
        all << hour;
    }
    const ScheduleConfig closed = scheduleFor("UTC", 0, 4, {}, all, 1.0, 30);
    QVERIFY(!DayPlanner::nextRunAfter(start, closed, 42).isValid());
}

void TestDayPlanner::schedulerAnnouncesTheNextRun()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 4, 4, {}, {}, 1.0, 30);
    const QDateTime now(QDate(2026, 3, 2), QTime(10, 0), QTimeZone::utc());
    Scheduler scheduler(
        schedule, nullptr, [now] { return now; }, 7);
    QSignalSpy announced(&scheduler, &Scheduler::nextRunChanged);
    scheduler.start();
    QVERIFY(scheduler.isActive());
    QCOMPARE(announced.size(), 1);
    QCOMPARE(scheduler.nextRun(), DayPlanner::nextRunAfter(now, schedule, 7));
    QVERIFY(scheduler.nextRun() > now);
    scheduler.stop();
    QVERIFY(!scheduler.isActive());
    QVERIFY(!scheduler.nextRun().isValid());
}

void TestDayPlanner::restartWithTheSameSeedKeepsTheRestOfTheDay()
{
    const ScheduleConfig schedule = scheduleFor("Europe/Berlin", 6, 10, {}, {0, 1, 2}, 0.5, 30);
    QDateTime now(QDate(2026, 3, 2), QTime(8, 0), QTimeZone("Europe/Berlin"));
    // The daemon before and after a restart: the same seed, so the same remaining runs.
    QList<QDateTime> before;
    QList<QDateTime> after;
    for (QList<QDateTime> *runs : {&before, &after}) {
        QDateTime clock = now;
        Scheduler scheduler(
            schedule, nullptr, [&clock] { return clock; }, 20261130);
        scheduler.start();
        for (int i = 0; i < 5 && scheduler.nextRun().isValid(); ++i) {
            *runs << scheduler.nextRun();
            clock = scheduler.nextRun();
            scheduler.setSeed(scheduler.seed()); // re-arms from the new time
        }
    }
    QCOMPARE(after, before);
    QCOMPARE(before.size(), 5);
    // Another seed: another day.
    Scheduler other(
        schedule, nullptr, [now] { return now; }, 1);
    other.start();
    QVERIFY(other.nextRun() != before.first() ||
            DayPlanner::plan(now.date(), schedule, 1).runs !=
                DayPlanner::plan(now.date(), schedule, 20261130).runs);
}

void TestDayPlanner::missedRunsComeDownToOneWithinTheGrace()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 8, 8, {}, {}, 1.0, 30);
    const QDate day(2026, 3, 2);
    const QList<QDateTime> runs = DayPlanner::plan(day, schedule, 5).runs;
    QCOMPARE(runs.size(), 8);
    QDateTime clock(day, QTime(0, 0), QTimeZone::utc());
    Scheduler scheduler(
        schedule, nullptr, [&clock] { return clock; }, 5);
    QSignalSpy due(&scheduler, &Scheduler::due);
    scheduler.start();
    QCOMPARE(scheduler.nextRun(), runs.first());

    // On time: one run.
    clock = runs.at(0).addSecs(1);
    scheduler.check();
    QCOMPARE(due.size(), 1);
    QCOMPARE(scheduler.nextRun(), runs.at(1));

    // Asleep across three runs, woken 30 min after the third: one run, not three.
    clock = runs.at(3).addSecs(30 * 60);
    scheduler.check();
    QCOMPARE(due.size(), 2);
    QVERIFY(scheduler.nextRun() > clock);

    // The clock jumps two hours past the next run and the ones before it: all beyond the
    // grace, none runs; the plan goes on from now.
    const QDateTime next = scheduler.nextRun();
    clock = runs.last().addSecs(2 * 3600);
    QVERIFY(clock > next);
    scheduler.check();
    QCOMPARE(due.size(), 2);
    QVERIFY(scheduler.nextRun() > clock);
    QCOMPARE(scheduler.nextRun().date(), day.addDays(1));

    // Checking again without anything due changes nothing.
    scheduler.check();
    QCOMPARE(due.size(), 2);
}

void TestDayPlanner::disabledScheduleHasNoNextRun()
{
    ScheduleConfig schedule;
    schedule.enabled = false;
    Scheduler scheduler(schedule);
    scheduler.start();
    QVERIFY(!scheduler.isActive());
    QVERIFY(!scheduler.nextRun().isValid());
}

void TestDayPlanner::hourWeightsAreTheOriginals()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 4, 8, {9, 3}, {10}, 0.5, 30);
    QCOMPARE(DayPlanner::baseHourWeights().at(0), 0.02);
    QCOMPARE(DayPlanner::baseHourWeights().at(15), 0.15);
    QCOMPARE(DayPlanner::hourWeight(9, schedule), 0.12 * 1.5);
    QCOMPARE(DayPlanner::hourWeight(10, schedule), 0.0);
    QCOMPARE(DayPlanner::hourWeight(3, schedule), 0.0); // weight 0 stays 0 when preferred
    QCOMPARE(DayPlanner::hourWeight(11, schedule), 0.14);
}

void TestDayPlanner::planKeepsEveryConstraintOver1000Days()
{
    const QList<ScheduleConfig> settings = {
        scheduleFor("Europe/Berlin", 4, 8, {}, {}, 0.5, 30),
        scheduleFor("America/New_York", 3, 10, {9, 10, 14}, {0, 1, 22, 23}, 0.5, 45),
        scheduleFor("Europe/Berlin", 6, 12, {2, 20}, {12, 13}, 0.2, 20),
        scheduleFor("America/New_York", 1, 6, {1, 2}, {8, 9}, 1.0, 60),
    };
    // 250 days from 2026-03-01 hold both zones' DST changes (03-08, 03-29, 10-25, 11-01).
    const QDate first(2026, 3, 1);
    int seen = 0;
    int weekendDays = 0;
    for (qsizetype s = 0; s < settings.size(); ++s) {
        const ScheduleConfig &schedule = settings.at(s);
        QVERIFY(schedule.zone().isValid());
        QVERIFY(DayPlanner::checkFits(schedule).isEmpty());
        for (int day = 0; day < 250; ++day, ++seen) {
            const QDate date = first.addDays(day);
            const quint64 seed = quint64(seen) * 7919 + 17;
            const DayPlan plan = DayPlanner::plan(date, schedule, seed);
            QCOMPARE(plan.date, date);
            QVERIFY2(plan.warnings.isEmpty(), qPrintable(plan.warnings.join(u'\n')));
            QCOMPARE(plan.runs.size(), plan.wanted);
            if (date.dayOfWeek() >= Qt::Saturday) {
                ++weekendDays;
                const int reducedMax =
                    qMax(3, int(schedule.maxCommitsPerDay * schedule.weekendReduction));
                QVERIFY(plan.wanted <= qMin(schedule.maxCommitsPerDay, reducedMax));
                QVERIFY(plan.wanted >= qMin(schedule.minCommitsPerDay, 3));
            } else {
                QVERIFY(plan.wanted >= schedule.minCommitsPerDay);
                QVERIFY(plan.wanted <= schedule.maxCommitsPerDay);
            }
            verifyRuns(plan, schedule);
            if (QTest::currentTestFailed()) {
                return;
            }
            // Reproducible: the same seed and day give the same plan.
            QCOMPARE(DayPlanner::plan(date, schedule, seed).runs, plan.runs);
        }
    }
    QCOMPARE(seen, 1000);
    QVERIFY(weekendDays > 200);
}

void TestDayPlanner::planSkipsTheLocalTimesADstChangeSkips()
{
    // Only 02:00-03:00 allowed and preferred; Berlin skips it on 2026-03-29 and has it twice
    // on 2026-10-25.
    QList<int> avoid;
    for (int hour = 0; hour < 24; ++hour) {
        if (hour != 2) {
            avoid << hour;
        }
    }
    const ScheduleConfig schedule = scheduleFor("Europe/Berlin", 1, 2, {2}, avoid, 1.0, 10);
    for (quint64 seed = 0; seed < 20; ++seed) {
        const DayPlan spring = DayPlanner::plan(QDate(2026, 3, 29), schedule, seed);
        QVERIFY(spring.runs.isEmpty());
        QCOMPARE(spring.warnings.size(), 1);
        const DayPlan autumn = DayPlanner::plan(QDate(2026, 10, 25), schedule, seed);
        QCOMPARE(autumn.runs.size(), autumn.wanted);
        verifyRuns(autumn, schedule);
    }
}

void TestDayPlanner::minimumThatCannotFitIsAConfigError()
{
    QList<int> avoid;
    for (int hour = 0; hour < 24; ++hour) {
        if (hour != 9 && hour != 10) {
            avoid << hour;
        }
    }
    // Two hours with 30 minutes between runs: 4 fit.
    ScheduleConfig schedule = scheduleFor("UTC", 5, 8, {}, avoid, 0.5, 30);
    QCOMPARE(DayPlanner::capacity(schedule), 4);
    const QString error = DayPlanner::checkFits(schedule);
    QVERIFY(error.contains(QLatin1String("schedule.min_commits_per_day")));
    QVERIFY(error.contains(QLatin1String("at most 4")));
    schedule.minCommitsPerDay = 4;
    QVERIFY(DayPlanner::checkFits(schedule).isEmpty());
    // The original's hours 3-5 weigh 0: never counted as room.
    ScheduleConfig night = scheduleFor("UTC", 1, 1, {}, {}, 0.5, 30);
    for (int hour = 0; hour < 24; ++hour) {
        if (hour < 3 || hour > 5) {
            night.avoidHours << hour;
        }
    }
    QCOMPARE(DayPlanner::capacity(night), 0);
    QVERIFY(!DayPlanner::checkFits(night).isEmpty());
}

void TestDayPlanner::maximumThatCannotFitPlansFewerWithAWarning()
{
    QList<int> avoid;
    for (int hour = 0; hour < 24; ++hour) {
        if (hour != 9 && hour != 10) {
            avoid << hour;
        }
    }
    const ScheduleConfig schedule = scheduleFor("UTC", 2, 12, {}, avoid, 1.0, 30);
    QVERIFY(DayPlanner::checkFits(schedule).isEmpty());
    int warned = 0;
    for (quint64 seed = 0; seed < 100; ++seed) {
        const DayPlan plan = DayPlanner::plan(QDate(2026, 3, 2), schedule, seed);
        verifyRuns(plan, schedule);
        QVERIFY(plan.runs.size() <= 4);
        // Whatever the draws, the minimum still fits: each run blocks under an hour of two.
        QVERIFY(plan.runs.size() >= qMin<qsizetype>(plan.wanted, 2));
        QCOMPARE(plan.warnings.isEmpty(), plan.runs.size() == plan.wanted);
        warned += plan.warnings.isEmpty() ? 0 : 1;
    }
    QVERIFY(warned > 0);
    // A huge maximum: as many as the minutes hold, then a warning; no endless drawing.
    const ScheduleConfig crowded = scheduleFor("UTC", 1, 20000, {}, {}, 1.0, 1);
    QCOMPARE(DayPlanner::capacity(crowded), 21 * 60);
    const DayPlan full = DayPlanner::plan(QDate(2026, 3, 3), crowded, 5);
    verifyRuns(full, crowded);
    QVERIFY(full.runs.size() <= 21 * 60);
    QVERIFY(full.runs.size() >= 21 * 60 / 2);
    QCOMPARE(full.warnings.size(), 1);
    // A gap of a whole day: one run, however many are wanted.
    const ScheduleConfig daily = scheduleFor("Europe/Berlin", 1, 6, {}, {}, 1.0, 24 * 60);
    QCOMPARE(DayPlanner::capacity(daily), 1);
    for (quint64 seed = 0; seed < 20; ++seed) {
        const DayPlan plan = DayPlanner::plan(QDate(2026, 3, 29), daily, seed);
        QCOMPARE(plan.runs.size(), 1);
        QCOMPARE(plan.warnings.isEmpty(), plan.wanted == 1);
    }
}

void TestDayPlanner::nothingAllowedEndsWithAnEmptyPlan()
{
    QList<int> all;
    for (int hour = 0; hour < 24; ++hour) {
        all << hour;
    }
    const ScheduleConfig schedule = scheduleFor("UTC", 0, 5, {}, all, 0.5, 30);
    QVERIFY(DayPlanner::checkFits(schedule).isEmpty()); // zero runs a day fit
    for (quint64 seed = 0; seed < 20; ++seed) {
        const DayPlan plan = DayPlanner::plan(QDate(2026, 3, 2), schedule, seed);
        QVERIFY(plan.runs.isEmpty());
        QCOMPARE(plan.warnings.isEmpty(), plan.wanted == 0);
    }
}

QTEST_GUILESS_MAIN(TestDayPlanner)
#include "TestDayPlanner.moc"

void TestDayPlanner::deadmanSwitchRaisesOnceForAnOverdueRun()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 8, 8, {}, {}, 1.0, 30);
    const QDate day(2026, 3, 2);
    const QList<QDateTime> runs = DayPlanner::plan(day, schedule, 7).runs;
    QCOMPARE(runs.size(), 8);
    QDateTime clock(day, QTime(0, 0), QTimeZone::utc());
    DeadmanSwitch deadman(schedule, 7, 45, nullptr, [&clock] { return clock; });
    QSignalSpy raised(&deadman, &DeadmanSwitch::raised);
    QSignalSpy cleared(&deadman, &DeadmanSwitch::cleared);
    deadman.start();

    // 44 minutes after the first run: not yet.
    clock = runs.at(0).addSecs(44 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 0);

    // 45 minutes: one alert, naming the run, and no repeat while the condition holds.
    clock = runs.at(0).addSecs(45 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 1);
    QVERIFY(deadman.isRaised());
    QVERIFY2(deadman.message().contains(runs.at(0).toLocalTime().toString(QStringLiteral("HH:mm"))),
             qPrintable(deadman.message()));
    clock = runs.at(2).addSecs(50 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 1);

    // A success clears it; the runs before the success no longer count.
    deadman.noteSuccess(clock);
    QCOMPARE(cleared.size(), 1);
    QVERIFY(!deadman.isRaised());
    deadman.check();
    QCOMPARE(raised.size(), 1);

    // The next run planned after the success, overdue without a success: a new alert.
    const QDateTime next = DayPlanner::nextRunAfter(clock, schedule, 7);
    clock = next.addSecs(46 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 2);
}

void TestDayPlanner::deadmanSwitchIgnoresExcusedAndEarlierRuns()
{
    const ScheduleConfig schedule = scheduleFor("UTC", 8, 8, {}, {}, 1.0, 30);
    const QDate day(2026, 3, 2);
    const QList<QDateTime> runs = DayPlanner::plan(day, schedule, 7).runs;
    // Started after the third run: the runs before do not count.
    QDateTime clock = runs.at(2).addSecs(60);
    DeadmanSwitch deadman(schedule, 7, 45, nullptr, [&clock] { return clock; });
    QSignalSpy raised(&deadman, &DeadmanSwitch::raised);
    deadman.start();
    clock = runs.at(3).addSecs(-60);
    deadman.check();
    QCOMPARE(raised.size(), 0);

    // Paused across the fourth run: it does not count, also after the pause.
    deadman.setHeldBack(true);
    clock = runs.at(3).addSecs(50 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 0);
    clock = runs.at(3).addSecs(55 * 60);
    deadman.setHeldBack(false);
    deadman.check();
    QCOMPARE(raised.size(), 0);
    // The next, planned after the pause, does.
    clock = DayPlanner::nextRunAfter(clock, schedule, 7).addSecs(45 * 60);
    deadman.check();
    QCOMPARE(raised.size(), 1);

    // Off (0 minutes) or a disabled schedule: never.
    QVERIFY(!DeadmanSwitch::overdueRun(schedule, 7, 0, {}, runs.last().addSecs(3600)).isValid());
    ScheduleConfig disabled = schedule;
    disabled.enabled = false;
    QVERIFY(!DeadmanSwitch::overdueRun(disabled, 7, 45, {}, runs.last().addSecs(3600)).isValid());
    // Just after midnight, yesterday's runs are still looked at.
    const QDateTime afterMidnight(day.addDays(1), QTime(0, 50), QTimeZone::utc());
    QDateTime expected = runs.last();
    for (const QDateTime &run : DayPlanner::plan(day.addDays(1), schedule, 7).runs) {
        if (run <= afterMidnight.addSecs(-45 * 60)) {
            expected = run;
        }
    }
    QCOMPARE(DeadmanSwitch::overdueRun(schedule, 7, 45, runs.at(6), afterMidnight), expected);
}
