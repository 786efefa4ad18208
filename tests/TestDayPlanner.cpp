#include "schedule/DayPlanner.h"
#include "schedule/Scheduler.h"

#include <QtTest>

using namespace codeworm;

class TestDayPlanner : public QObject
{
    Q_OBJECT

private slots:
    void runsPerDayIsTheMiddleOfTheRange();
    void evenSpreadCoversTheDay();
    void evenSpreadSkipsAvoidedHours();
    void evenSpreadHandlesImpossibleInput();
    void dstDayKeepsOrderAndCount();
    void nextRunAfterFindsTheNextSlot();
    void schedulerAnnouncesTheNextRun();
    void disabledScheduleHasNoNextRun();
};

void TestDayPlanner::runsPerDayIsTheMiddleOfTheRange()
{
    ScheduleConfig schedule;
    schedule.minCommitsPerDay = 4;
    schedule.maxCommitsPerDay = 8;
    QCOMPARE(DayPlanner::runsPerDay(schedule), 6);
    schedule.minCommitsPerDay = 3;
    schedule.maxCommitsPerDay = 4;
    QCOMPARE(DayPlanner::runsPerDay(schedule), 4);
    schedule.minCommitsPerDay = 0;
    schedule.maxCommitsPerDay = 0;
    QCOMPARE(DayPlanner::runsPerDay(schedule), 1);
}

void TestDayPlanner::evenSpreadCoversTheDay()
{
    const QTimeZone utc = QTimeZone::utc();
    const QList<QDateTime> runs = DayPlanner::evenSpread(QDate(2026, 3, 2), 4, {}, utc);
    QCOMPARE(runs.size(), 4);
    QCOMPARE(runs.at(0).time(), QTime(3, 0));
    QCOMPARE(runs.at(1).time(), QTime(9, 0));
    QCOMPARE(runs.at(2).time(), QTime(15, 0));
    QCOMPARE(runs.at(3).time(), QTime(21, 0));
    for (const QDateTime &run : runs) {
        QCOMPARE(run.date(), QDate(2026, 3, 2));
    }
}

void TestDayPlanner::evenSpreadSkipsAvoidedHours()
{
    QList<int> night;
    for (int hour = 0; hour < 8; ++hour) {
        night << hour;
    }
    night << 22 << 23;
    const QList<QDateTime> runs =
        DayPlanner::evenSpread(QDate(2026, 3, 2), 7, night, QTimeZone::utc());
    QCOMPARE(runs.size(), 7);
    for (int i = 0; i < runs.size(); ++i) {
        QVERIFY2(!night.contains(runs.at(i).time().hour()), qPrintable(runs.at(i).toString()));
        if (i > 0) {
            QVERIFY(runs.at(i - 1) < runs.at(i));
            // 14 allowed hours / 7 runs: two hours apart.
            QCOMPARE(runs.at(i - 1).secsTo(runs.at(i)), 2 * 3600);
        }
    }
    QCOMPARE(runs.first().time(), QTime(9, 0));
}

void TestDayPlanner::evenSpreadHandlesImpossibleInput()
{
    QList<int> all;
    for (int hour = 0; hour < 24; ++hour) {
        all << hour;
    }
    QVERIFY(DayPlanner::evenSpread(QDate(2026, 3, 2), 5, all, QTimeZone::utc()).isEmpty());
    QVERIFY(DayPlanner::evenSpread(QDate(2026, 3, 2), 0, {}, QTimeZone::utc()).isEmpty());
}

void TestDayPlanner::dstDayKeepsOrderAndCount()
{
    // 2026-03-29: Europe/Berlin skips 02:00-03:00.
    const QTimeZone berlin("Europe/Berlin");
    QVERIFY(berlin.isValid());
    const QList<QDateTime> runs = DayPlanner::evenSpread(QDate(2026, 3, 29), 24, {}, berlin);
    QVERIFY(runs.size() >= 23);
    for (int i = 1; i < runs.size(); ++i) {
        QVERIFY(runs.at(i - 1) < runs.at(i));
    }
}

void TestDayPlanner::nextRunAfterFindsTheNextSlot()
{
    ScheduleConfig schedule;
    schedule.timezone = QStringLiteral("UTC");
    schedule.minCommitsPerDay = 4;
    schedule.maxCommitsPerDay = 4;
    const QTimeZone utc = QTimeZone::utc();
    QCOMPARE(DayPlanner::nextRunAfter(QDateTime(QDate(2026, 3, 2), QTime(10, 0), utc), schedule),
             QDateTime(QDate(2026, 3, 2), QTime(15, 0), utc));
    // Exactly at a run: the next one.
    QCOMPARE(DayPlanner::nextRunAfter(QDateTime(QDate(2026, 3, 2), QTime(15, 0), utc), schedule),
             QDateTime(QDate(2026, 3, 2), QTime(21, 0), utc));
    // After the last run of the day: tomorrow's first.
    QCOMPARE(DayPlanner::nextRunAfter(QDateTime(QDate(2026, 3, 2), QTime(22, 0), utc), schedule),
             QDateTime(QDate(2026, 3, 3), QTime(3, 0), utc));
}

void TestDayPlanner::schedulerAnnouncesTheNextRun()
{
    ScheduleConfig schedule;
    schedule.timezone = QStringLiteral("UTC");
    schedule.minCommitsPerDay = 4;
    schedule.maxCommitsPerDay = 4;
    const QDateTime now(QDate(2026, 3, 2), QTime(10, 0), QTimeZone::utc());
    Scheduler scheduler(schedule, nullptr, [now] { return now; });
    QSignalSpy announced(&scheduler, &Scheduler::nextRunChanged);
    scheduler.start();
    QVERIFY(scheduler.isActive());
    QCOMPARE(announced.size(), 1);
    QCOMPARE(scheduler.nextRun(), QDateTime(QDate(2026, 3, 2), QTime(15, 0), QTimeZone::utc()));
    scheduler.stop();
    QVERIFY(!scheduler.isActive());
    QVERIFY(!scheduler.nextRun().isValid());
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

QTEST_GUILESS_MAIN(TestDayPlanner)
#include "TestDayPlanner.moc"
