#include "cli/ScheduleCommand.h"

#include "schedule/DayPlanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace codeworm::ScheduleCommand {

namespace {

QString zoneName(const QTimeZone &zone)
{
    return QString::fromUtf8(zone.id());
}

// On a day whose offset changes (DST), "02:30" alone may name two instants: add the offset.
QString timeText(const QDateTime &when, bool showOffset)
{
    const QString iso = when.toString(Qt::ISODate);
    return showOffset ? when.toString(QStringLiteral("HH:mm")) + iso.mid(19)
                      : when.toString(QStringLiteral("HH:mm"));
}

bool offsetChanges(QDate date, const QTimeZone &zone)
{
    const QDateTime start = date.startOfDay(zone);
    const QDateTime end = date.endOfDay(zone);
    return zone.offsetFromUtc(start) != zone.offsetFromUtc(end);
}

} // namespace

Output run(const Config &config, const ParsedCommandLine &commandLine, const QDateTime &now,
           quint64 daemonSeed)
{
    Output output;
    const ScheduleConfig &schedule = config.schedule;
    if (const QString error = DayPlanner::checkFits(schedule); !error.isEmpty()) {
        output.err =
            QStringLiteral("codeworm: configuration error: %1: %2").arg(config.configFile, error);
        output.exitCode = CommandLine::BadUsage;
        return output;
    }
    const quint64 seed = commandLine.hasSeed ? commandLine.seed : daemonSeed;
    const QTimeZone zone = schedule.zone();
    const QDate today = now.toTimeZone(zone).date();
    QStringList warnings;
    if (!schedule.enabled) {
        warnings << QStringLiteral("schedule.enabled is false in %1: the daemon runs none of "
                                   "these")
                        .arg(config.configFile);
    }
    QList<DayPlan> plans;
    for (int day = 0; day < commandLine.days; ++day) {
        plans << DayPlanner::plan(today.addDays(day), schedule, seed);
        warnings << plans.last().warnings;
    }

    if (commandLine.json) {
        QJsonArray days;
        QJsonArray runs;
        for (const DayPlan &plan : std::as_const(plans)) {
            const QString date = plan.date.toString(Qt::ISODate);
            days.append(QJsonObject{
                {QStringLiteral("day"), date},
                {QStringLiteral("wanted"), plan.wanted},
                {QStringLiteral("planned"), plan.runs.size()},
                {QStringLiteral("warnings"), QJsonArray::fromStringList(plan.warnings)}});
            for (const QDateTime &when : plan.runs) {
                runs.append(QJsonObject{{QStringLiteral("time"), when.toString(Qt::ISODate)},
                                        {QStringLiteral("day"), date},
                                        {QStringLiteral("zone"), zoneName(zone)},
                                        {QStringLiteral("past"), when <= now}});
            }
        }
        output.out = QString::fromUtf8(
            QJsonDocument(AnalysisCommands::withEnvelope(QJsonObject{
                              {QStringLiteral("time_zone"), zoneName(zone)},
                              {QStringLiteral("seed"), QString::number(seed)},
                              {QStringLiteral("enabled"), schedule.enabled},
                              {QStringLiteral("days"), days},
                              {QStringLiteral("runs"), runs},
                              {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
                          }))
                .toJson(QJsonDocument::Indented));
        return output;
    }

    QString text = QStringLiteral("schedule in %1 (seed %2)\n").arg(zoneName(zone)).arg(seed);
    const QLocale c = QLocale::c();
    for (const DayPlan &plan : std::as_const(plans)) {
        const bool showOffset = offsetChanges(plan.date, zone);
        QStringList times;
        for (const QDateTime &when : plan.runs) {
            times << timeText(when, showOffset) +
                         (when <= now ? QStringLiteral(" (past)") : QString());
        }
        text += QStringLiteral("%1 %2  %3\n")
                    .arg(plan.date.toString(Qt::ISODate),
                         c.dayName(plan.date.dayOfWeek(), QLocale::ShortFormat),
                         times.isEmpty() ? QStringLiteral("no runs")
                                         : times.join(QStringLiteral("  ")));
    }
    for (const QString &warning : std::as_const(warnings)) {
        text += QStringLiteral("warning: %1\n").arg(warning);
    }
    output.out = text.trimmed();
    return output;
}

} // namespace codeworm::ScheduleCommand
