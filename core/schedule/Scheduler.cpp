#include "schedule/Scheduler.h"

#include "schedule/DayPlanner.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

namespace codeworm {

Scheduler::Scheduler(const ScheduleConfig &schedule, QObject *parent, Clock clock, quint64 seed)
    : QObject(parent)
    , m_schedule(schedule)
    , m_clock(std::move(clock))
    , m_seed(seed)
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
        qWarning().noquote() << QStringLiteral("cannot keep the schedule's seed in %1: %2 (a "
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
    m_nextRun = DayPlanner::nextRunAfter(now, m_schedule, m_seed);
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
