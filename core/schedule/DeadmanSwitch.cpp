#include "schedule/DeadmanSwitch.h"

#include "schedule/DayPlanner.h"

#include <QLoggingCategory>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcDeadman, "codeworm.schedule")

} // namespace

DeadmanSwitch::DeadmanSwitch(const ScheduleConfig &schedule, quint64 seed, int minutes,
                             QObject *parent, Clock clock)
    : QObject(parent)
    , m_schedule(schedule)
    , m_seed(seed)
    , m_minutes(minutes)
    , m_clock(std::move(clock))
{
    connect(&m_timer, &QTimer::timeout, this, &DeadmanSwitch::check);
}

void DeadmanSwitch::start()
{
    m_since = m_clock();
    if (m_minutes > 0 && m_schedule.enabled) {
        m_timer.start(std::chrono::milliseconds(checkIntervalMs));
    }
}

void DeadmanSwitch::stop()
{
    m_timer.stop();
}

void DeadmanSwitch::setSchedule(const ScheduleConfig &schedule, quint64 seed, int minutes)
{
    m_schedule = schedule;
    m_seed = seed;
    m_minutes = minutes;
    if (m_minutes <= 0 || !m_schedule.enabled) {
        m_timer.stop();
        if (m_raised) {
            m_raised = false;
            m_message.clear();
            emit cleared();
        }
    } else if (!m_timer.isActive() && m_since.isValid()) {
        m_timer.start(std::chrono::milliseconds(checkIntervalMs));
    }
}

void DeadmanSwitch::noteSuccess(const QDateTime &when)
{
    if (!m_lastSuccess.isValid() || when > m_lastSuccess) {
        m_lastSuccess = when;
    }
    if (m_raised) {
        m_raised = false;
        m_message.clear();
        qCInfo(lcDeadman) << "a cycle succeeded again: the dead-man's switch is cleared";
        emit cleared();
    }
}

void DeadmanSwitch::setHeldBack(bool heldBack)
{
    if (m_heldBack == heldBack) {
        return;
    }
    m_heldBack = heldBack;
    if (!heldBack) {
        m_since = m_clock(); // runs planned during the hold do not count
    }
}

QDateTime DeadmanSwitch::overdueRun(const ScheduleConfig &schedule, quint64 seed, int minutes,
                                    const QDateTime &notBefore, const QDateTime &now)
{
    if (minutes <= 0 || !schedule.enabled) {
        return {};
    }
    const QDateTime limit = now.addSecs(-qint64(minutes) * 60);
    const QDate today = now.toTimeZone(DayPlanner::zoneFor(schedule)).date();
    QDateTime overdue;
    // Yesterday too: just after midnight the overdue run may be the day before's last.
    for (const QDate day : {today.addDays(-1), today}) {
        for (const QDateTime &run : DayPlanner::plan(day, schedule, seed).runs) {
            if (run <= limit && (!notBefore.isValid() || run > notBefore) &&
                (!overdue.isValid() || run > overdue)) {
                overdue = run;
            }
        }
    }
    return overdue;
}

void DeadmanSwitch::check()
{
    if (m_raised) {
        return; // raised once until a success clears it
    }
    if (m_heldBack) {
        m_since = m_clock();
        return;
    }
    QDateTime notBefore = m_since;
    if (m_lastSuccess.isValid() && (!notBefore.isValid() || m_lastSuccess > notBefore)) {
        notBefore = m_lastSuccess;
    }
    const QDateTime now = m_clock();
    const QDateTime overdue = overdueRun(m_schedule, m_seed, m_minutes, notBefore, now);
    if (!overdue.isValid()) {
        return;
    }
    m_raised = true;
    m_message =
        m_lastSuccess.isValid()
            ? tr("no document since %1: the run planned at %2 is %3 minutes overdue")
                  .arg(m_lastSuccess.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                       overdue.toLocalTime().toString(QStringLiteral("HH:mm")))
                  .arg(overdue.secsTo(now) / 60)
            : tr("no document yet: the run planned at %1 is %2 minutes overdue")
                  .arg(overdue.toLocalTime().toString(QStringLiteral("HH:mm")))
                  .arg(overdue.secsTo(now) / 60);
    qCWarning(lcDeadman).noquote() << "dead-man's switch:" << m_message;
    emit raised(m_message);
}

} // namespace codeworm
