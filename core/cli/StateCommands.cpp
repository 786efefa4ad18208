#include "cli/StateCommands.h"

#include "daemon/CrashRecovery.h"
#include "devlog/DevLogHistory.h"

#include "state/StateStore.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace codeworm::StateCommands {

namespace {

constexpr int statsDays = 90;

QJsonValue dateOrNull(const QDate &day)
{
    return day.isValid() ? QJsonValue(day.toString(Qt::ISODate)) : QJsonValue();
}

// Times in the zone the days are counted in, with its offset.
QString timeIn(const QDateTime &when, const QTimeZone &zone)
{
    return when.toTimeZone(zone).toString(Qt::ISODate);
}

QJsonValue timeOrNull(const QDateTime &when, const QTimeZone &zone)
{
    return when.isValid() ? QJsonValue(timeIn(when, zone)) : QJsonValue();
}

double averageSeconds(qint64 totalMs, qint64 count)
{
    return count > 0 ? std::round(double(totalMs) / double(count) / 100.0) / 10.0 : 0.0;
}

qint64 lastDays(const QList<DayCount> &perDay, int days)
{
    qint64 sum = 0;
    for (qsizetype i = qMax<qsizetype>(0, perDay.size() - days); i < perDay.size(); ++i) {
        sum += perDay.at(i).count;
    }
    return sum;
}

QJsonObject groupsJson(const QList<GroupCount> &groups)
{
    QJsonObject object;
    for (const GroupCount &group : groups) {
        object.insert(group.name, group.count);
    }
    return object;
}

QString groupsText(const QString &title, const QList<GroupCount> &groups)
{
    QString text = title + QLatin1Char('\n');
    if (groups.isEmpty()) {
        return text + QStringLiteral("  none\n");
    }
    qsizetype width = 0;
    for (const GroupCount &group : groups) {
        width = qMax(width, group.name.size());
    }
    for (const GroupCount &group : groups) {
        text += QStringLiteral("  %1  %2\n").arg(group.name.leftJustified(width)).arg(group.count);
    }
    return text;
}

// The days as weeks, Monday first: one line per week, a dot for a day outside the window.
QString perDayText(const QList<DayCount> &perDay)
{
    if (perDay.isEmpty()) {
        return {};
    }
    QString text =
        QStringLiteral("Documents per day, last %1 days (weeks from Monday):\n").arg(perDay.size());
    const QDate first = perDay.constFirst().day;
    const QDate last = perDay.constLast().day;
    for (QDate monday = first.addDays(1 - first.dayOfWeek()); monday <= last;
         monday = monday.addDays(7)) {
        QString line = QStringLiteral("  ") + monday.toString(Qt::ISODate) + QLatin1Char(' ');
        for (int i = 0; i < 7; ++i) {
            const QDate day = monday.addDays(i);
            const qint64 index = first.daysTo(day);
            line += (index < 0 || index >= perDay.size() ? QStringLiteral(".")
                                                         : QString::number(perDay.at(index).count))
                        .rightJustified(4);
        }
        text += line + QLatin1Char('\n');
    }
    return text;
}

} // namespace

QJsonObject renderJson(const StateStatistics &stats, const QString &database)
{
    const DocumentTotals &t = stats.totals;
    const Streaks &s = stats.streaks;
    const CycleTotals &c = stats.cycles;
    QJsonArray perDay;
    for (const DayCount &day : stats.perDay) {
        perDay.append(QJsonObject{{QStringLiteral("date"), day.day.toString(Qt::ISODate)},
                                  {QStringLiteral("count"), day.count}});
    }
    const qint64 checked = t.factCheckPassed + t.factCheckFailed;
    const qint64 tracked = t.pushed + t.unpushed;
    const double rate = c.successRate();
    return AnalysisCommands::withEnvelope(QJsonObject{
        {QStringLiteral("database"), database},
        {QStringLiteral("time_zone"), QString::fromUtf8(stats.zone.id())},
        {QStringLiteral("documents"),
         QJsonObject{
             {QStringLiteral("total"), t.documents},
             {QStringLiteral("today"), lastDays(stats.perDay, 1)},
             {QStringLiteral("last_7_days"), lastDays(stats.perDay, 7)},
             {QStringLiteral("last_30_days"), lastDays(stats.perDay, 30)},
             {QStringLiteral("last_90_days"), lastDays(stats.perDay, statsDays)},
             {QStringLiteral("first"), timeOrNull(t.first, stats.zone)},
             {QStringLiteral("last"), timeOrNull(t.last, stats.zone)},
             {QStringLiteral("fact_check"),
              QJsonObject{{QStringLiteral("passed"), t.factCheckPassed},
                          {QStringLiteral("failed"), t.factCheckFailed},
                          {QStringLiteral("unchecked"), t.documents - checked}}},
             {QStringLiteral("tokens"), QJsonObject{{QStringLiteral("prompt"), t.promptTokens},
                                                    {QStringLiteral("output"), t.outputTokens}}},
             {QStringLiteral("durations"),
              QJsonObject{
                  {QStringLiteral("timed_documents"), t.timedDocuments},
                  {QStringLiteral("generation_s_avg"),
                   averageSeconds(t.generationMs, t.timedDocuments)},
                  {QStringLiteral("total_s_avg"), averageSeconds(t.totalMs, t.timedDocuments)}}},
             {QStringLiteral("push"),
              QJsonObject{{QStringLiteral("pushed"), t.pushed},
                          {QStringLiteral("unpushed"), t.unpushed},
                          {QStringLiteral("unknown"), t.documents - tracked}}},
         }},
        {QStringLiteral("by_repo"), groupsJson(stats.byRepo)},
        {QStringLiteral("by_type"), groupsJson(stats.byType)},
        {QStringLiteral("by_language"), groupsJson(stats.byLanguage)},
        {QStringLiteral("per_day"), perDay},
        {QStringLiteral("streaks"),
         QJsonObject{{QStringLiteral("current"), s.current},
                     {QStringLiteral("longest"), s.longest},
                     {QStringLiteral("longest_from"), dateOrNull(s.longestFirst)},
                     {QStringLiteral("longest_to"), dateOrNull(s.longestLast)},
                     {QStringLiteral("active_days"), s.activeDays},
                     {QStringLiteral("last_day"), dateOrNull(s.lastDay)}}},
        {QStringLiteral("cycles"),
         QJsonObject{
             {QStringLiteral("total"), c.total},
             {QStringLiteral("succeeded"), c.succeeded},
             {QStringLiteral("failed"), c.failed},
             {QStringLiteral("skipped"), c.skipped},
             {QStringLiteral("unfinished"), c.unfinished},
             {QStringLiteral("success_rate"),
              rate < 0 ? QJsonValue() : QJsonValue(std::round(rate * 10.0) / 10.0)},
             {QStringLiteral("consecutive_failures"), c.consecutiveFailures},
             {QStringLiteral("last_success"), timeOrNull(c.lastSuccess, stats.zone)},
             {QStringLiteral("last_failure"),
              c.lastFailure.isValid() || !c.lastFailureReason.isEmpty()
                  ? QJsonValue(
                        QJsonObject{{QStringLiteral("at"), timeOrNull(c.lastFailure, stats.zone)},
                                    {QStringLiteral("reason"), c.lastFailureReason}})
                  : QJsonValue()},
         }},
    });
}

QString renderText(const StateStatistics &stats, const QString &database)
{
    const DocumentTotals &t = stats.totals;
    const Streaks &s = stats.streaks;
    const CycleTotals &c = stats.cycles;
    const QTimeZone &zone = stats.zone;
    const auto minutes = [&zone](const QDateTime &when) {
        return when.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    };
    QString text =
        QStringLiteral("State: %1 (days in %2)\n\n").arg(database, QString::fromUtf8(zone.id()));
    text += QStringLiteral("Documents: %1 (today %2, last 7 days %3, last 30 days %4, last %5 "
                           "days %6)\n")
                .arg(t.documents)
                .arg(lastDays(stats.perDay, 1))
                .arg(lastDays(stats.perDay, 7))
                .arg(lastDays(stats.perDay, 30))
                .arg(statsDays)
                .arg(lastDays(stats.perDay, statsDays));
    if (t.documents > 0) {
        if (t.first.isValid()) {
            text += QStringLiteral("  first %1, last %2\n").arg(minutes(t.first), minutes(t.last));
        }
        text += QStringLiteral("  fact check: %1 passed, %2 failed, %3 not checked\n")
                    .arg(t.factCheckPassed)
                    .arg(t.factCheckFailed)
                    .arg(t.documents - t.factCheckPassed - t.factCheckFailed);
        text += QStringLiteral("  tokens: %1 prompt, %2 output\n")
                    .arg(t.promptTokens)
                    .arg(t.outputTokens);
        if (t.timedDocuments > 0) {
            text += QStringLiteral("  on average %1 s generating, %2 s per cycle (%3 timed "
                                   "documents)\n")
                        .arg(averageSeconds(t.generationMs, t.timedDocuments), 0, 'f', 1)
                        .arg(averageSeconds(t.totalMs, t.timedDocuments), 0, 'f', 1)
                        .arg(t.timedDocuments);
        }
        text += QStringLiteral("  pushed %1, waiting to be pushed %2, unknown %3\n")
                    .arg(t.pushed)
                    .arg(t.unpushed)
                    .arg(t.documents - t.pushed - t.unpushed);
    }
    text += QStringLiteral("Streaks: current %1 %2, longest %3 %4")
                .arg(s.current)
                .arg(s.current == 1 ? QStringLiteral("day") : QStringLiteral("days"))
                .arg(s.longest)
                .arg(s.longest == 1 ? QStringLiteral("day") : QStringLiteral("days"));
    if (s.longest > 0) {
        text += QStringLiteral(" (%1 to %2)")
                    .arg(s.longestFirst.toString(Qt::ISODate), s.longestLast.toString(Qt::ISODate));
    }
    text += QStringLiteral("; %1 days with documents\n").arg(s.activeDays);
    const double rate = c.successRate();
    text += QStringLiteral("Cycles: %1 (%2 succeeded, %3 failed, %4 skipped, %5 unfinished); "
                           "success rate %6\n")
                .arg(c.total)
                .arg(c.succeeded)
                .arg(c.failed)
                .arg(c.skipped)
                .arg(c.unfinished)
                .arg(rate < 0 ? QStringLiteral("n/a")
                              : QString::number(rate, 'f', 1) + QLatin1Char('%'));
    if (c.consecutiveFailures > 0) {
        text += QStringLiteral("  failed %1 times in a row\n").arg(c.consecutiveFailures);
    }
    if (c.lastSuccess.isValid()) {
        text += QStringLiteral("  last success: %1\n").arg(minutes(c.lastSuccess));
    }
    if (c.lastFailure.isValid() || !c.lastFailureReason.isEmpty()) {
        text += QStringLiteral("  last failure: %1: %2\n")
                    .arg(c.lastFailure.isValid() ? minutes(c.lastFailure) : QStringLiteral("?"),
                         c.lastFailureReason);
    }
    text += QLatin1Char('\n') + groupsText(QStringLiteral("By repository:"), stats.byRepo) +
            groupsText(QStringLiteral("By type:"), stats.byType) +
            groupsText(QStringLiteral("By language:"), stats.byLanguage) + QLatin1Char('\n') +
            perDayText(stats.perDay);
    return text.trimmed();
}

Output stats(const Config &config, const ParsedCommandLine &commandLine)
{
    Output output;
    // Opened as the daemon opens it: migrated after a backup, which the log announces.
    StateStore state(config.databasePath());
    if (Status opened = state.open(); !opened) {
        output.exitCode = CommandLine::JobFailed;
        output.err = QStringLiteral("codeworm: %1\n").arg(opened.error());
        return output;
    }
    const auto statistics =
        state.statistics(config.schedule.zone(), QDateTime::currentDateTime(), statsDays);
    if (!statistics) {
        output.exitCode = CommandLine::JobFailed;
        output.err = QStringLiteral("codeworm: %1\n").arg(statistics.error());
        return output;
    }
    output.out =
        commandLine.json
            ? QString::fromUtf8(QJsonDocument(renderJson(statistics.value(), state.databasePath()))
                                    .toJson(QJsonDocument::Indented))
                  .trimmed()
            : renderText(statistics.value(), state.databasePath());
    return output;
}

Output importState(const Config &config, const ParsedCommandLine &commandLine)
{
    Output output;
    // Opened as the daemon opens it: migrated after a backup, which the log announces.
    StateStore state(config.databasePath());
    if (Status opened = state.open(); !opened) {
        output.exitCode = CommandLine::JobFailed;
        output.err = QStringLiteral("codeworm: %1\n").arg(opened.error());
        return output;
    }
    const Result<StateImport> imported = state.importFrom(commandLine.path);
    if (!imported) {
        output.exitCode = CommandLine::JobFailed;
        output.err = QStringLiteral("codeworm: import-state: %1\n").arg(imported.error());
        return output;
    }
    const StateImport &report = imported.value();
    output.out = QStringLiteral("imported %1 of %2 documents from %3 into %4 (%5 already "
                                "present, %6 incomplete)")
                     .arg(report.imported)
                     .arg(report.found)
                     .arg(report.source, state.databasePath())
                     .arg(report.alreadyPresent)
                     .arg(report.invalid);
    return output;
}

Output rebuildState(const Config &config, const ParsedCommandLine &)
{
    Output output;
    const Result<CrashRecovery::Rebuild> rebuilt =
        CrashRecovery::rebuildState(config, QStringLiteral("before-rebuild"));
    if (!rebuilt) {
        output.exitCode = CommandLine::JobFailed;
        output.err = QStringLiteral("codeworm: rebuild-state: %1\n").arg(rebuilt.error());
        return output;
    }
    output.out = QStringLiteral("rebuilt %1 from %2: %3 documents from %4 CodeWorm commits")
                     .arg(config.databasePath(), config.devlogPath())
                     .arg(rebuilt->documents)
                     .arg(rebuilt->commits);
    if (!rebuilt->keptAs.isEmpty()) {
        output.out += QStringLiteral("; the previous database is kept as %1").arg(rebuilt->keptAs);
    }
    return output;
}

} // namespace codeworm::StateCommands
