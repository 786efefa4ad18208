#include "schedule/Scheduler.h"

#include "schedule/DayPlanner.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcSchedule, "codeworm.schedule")

} // namespace

Scheduler::Scheduler(const ScheduleConfig &schedule, QObject *parent, Clock clock, quint64 seed)
    : QObject(parent)
    , m_schedule(schedule)
    , m_clock(std::move(clock))
    , m_seed(seed)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::check);
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

quint64 Scheduler::persistedSeed(const QString &stateDir)
{
    const QString path = stateDir + QStringLiteral("/schedule-seed");
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const quint64 seed = file.readAll().trimmed().toULongLong(&ok);
        if (ok) {
            return seed;
        }
    }
    const quint64 seed = QRandomGenerator::system()->generate64();
    QDir().mkpath(stateDir);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QByteArray::number(seed) + '\n') < 0 ||
        !out.commit()) {
        qCWarning(lcSchedule).noquote()
            << QStringLiteral("cannot keep the schedule's seed in %1: %2 (a "
                              "restart plans the day anew)")
                   .arg(path, out.errorString());
    }
    return seed;
}

void Scheduler::setSeed(quint64 seed)
{
    m_seed = seed;
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
    const QDateTime next = DayPlanner::nextRunAfter(now, m_schedule, m_seed);
    if (!next.isValid()) {
        stop();
        return;
    }
    // Wake a little late rather than early (a run is never before its planned time), and at
    // least every checkIntervalMs: the timer counts time awake, so after a suspend or a clock
    // change the plan is looked at again soon.
    const qint64 ms = qBound<qint64>(0, now.msecsTo(next) + 500, checkIntervalMs);
    m_timer.start(std::chrono::milliseconds(ms));
    if (next != m_nextRun) {
        m_nextRun = next;
        emit nextRunChanged(m_nextRun);
    }
}

void Scheduler::check()
{
    const QDateTime now = m_clock();
    if (m_nextRun.isValid() && now >= m_nextRun) {
        // Every run missed meanwhile (asleep, or the clock jumped) comes down to one: the
        // latest, when it is at most graceSeconds late; older ones are let go.
        QDateTime latest = m_nextRun;
        for (QDateTime run = DayPlanner::nextRunAfter(latest, m_schedule, m_seed);
             run.isValid() && run <= now; run = DayPlanner::nextRunAfter(run, m_schedule, m_seed)) {
            latest = run;
        }
        const qint64 late = latest.secsTo(now);
        if (late <= graceSeconds) {
            emit due();
        } else {
            qCInfo(lcSchedule).noquote()
                << QStringLiteral("let the run planned at %1 go: %2 min late, beyond the "
                                  "one-hour grace")
                       .arg(latest.toString(Qt::ISODate))
                       .arg(late / 60);
        }
    }
    arm();
}

} // namespace codeworm
