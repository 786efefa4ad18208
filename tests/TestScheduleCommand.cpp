// `codeworm schedule` of the real binary: the JSON's shape and the text lines.
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>
#include <QtTest>

#include <memory>

using namespace codeworm::test;

class TestScheduleCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void jsonHasItsShape();
    void textListsTheSameRuns();
    void minimumThatCannotFitNamesFileAndKey();
    void badDaysIsBadUsage();

private:
    ProcessResult run(const QStringList &arguments) const;
    void writeConfig(const QByteArray &schedule) const;

    std::unique_ptr<TestEnvironment> m_env;
};

void TestScheduleCommand::init()
{
    m_env = std::make_unique<TestEnvironment>();
    writeConfig("  timezone: Europe/Berlin\n  min_commits_per_day: 4\n"
                "  max_commits_per_day: 8\n  min_gap_minutes: 30\n  avoid_hours: [0, 1, 2]\n");
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
}

void TestScheduleCommand::cleanup()
{
    m_env.reset();
}

void TestScheduleCommand::writeConfig(const QByteArray &schedule) const
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     "data_dir: " + m_env->path(QStringLiteral("var")).toUtf8() + "\nschedule:\n" +
                         schedule);
}

ProcessResult TestScheduleCommand::run(const QStringList &arguments) const
{
    return runProcess(QStringLiteral(CODEWORM_BINARY),
                      QStringList{QStringLiteral("--config"), m_env->path(QStringLiteral("conf"))} +
                          arguments);
}

void TestScheduleCommand::jsonHasItsShape()
{
    const QStringList arguments = {QStringLiteral("schedule"), QStringLiteral("--days"),
                                   QStringLiteral("3"),        QStringLiteral("--seed"),
                                   QStringLiteral("7"),        QStringLiteral("--json")};
    const ProcessResult result = run(arguments);
    QCOMPARE(result.exitCode, 0);
    QJsonParseError error{};
    const QJsonObject root = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(root.value(QStringLiteral("schema")).toInt(), 1);
    QCOMPARE(root.value(QStringLiteral("time_zone")).toString(), QStringLiteral("Europe/Berlin"));
    QCOMPARE(root.value(QStringLiteral("seed")).toString(), QStringLiteral("7"));
    QVERIFY(root.value(QStringLiteral("warnings")).toArray().isEmpty());

    const QTimeZone berlin("Europe/Berlin");
    const QDate today = QDateTime::currentDateTime().toTimeZone(berlin).date();
    const QJsonArray days = root.value(QStringLiteral("days")).toArray();
    QCOMPARE(days.size(), 3);
    int planned = 0;
    for (qsizetype i = 0; i < days.size(); ++i) {
        const QJsonObject day = days.at(i).toObject();
        // Run right at midnight, the days may start tomorrow.
        QVERIFY(QDate::fromString(day.value(QStringLiteral("day")).toString(), Qt::ISODate)
                    .daysTo(today.addDays(i)) <= 1);
        QCOMPARE(day.value(QStringLiteral("planned")).toInt(),
                 day.value(QStringLiteral("wanted")).toInt());
        QVERIFY(day.value(QStringLiteral("planned")).toInt() >= 3);
        QVERIFY(day.value(QStringLiteral("planned")).toInt() <= 8);
        planned += day.value(QStringLiteral("planned")).toInt();
    }

    const QJsonArray runs = root.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), planned);
    static const QRegularExpression withOffset(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$"));
    QDateTime previous;
    for (const QJsonValue &value : runs) {
        const QJsonObject item = value.toObject();
        const QString time = item.value(QStringLiteral("time")).toString();
        QVERIFY2(withOffset.match(time).hasMatch(), qPrintable(time));
        const QDateTime when = QDateTime::fromString(time, Qt::ISODate);
        QVERIFY(when.isValid());
        QCOMPARE(item.value(QStringLiteral("zone")).toString(), QStringLiteral("Europe/Berlin"));
        const QDateTime local = when.toTimeZone(berlin);
        QCOMPARE(local.date().toString(Qt::ISODate), item.value(QStringLiteral("day")).toString());
        QVERIFY2(local.time().hour() > 2, qPrintable(time)); // avoid_hours 0-2
        QVERIFY(item.value(QStringLiteral("past")).isBool());
        if (previous.isValid()) {
            QVERIFY2(previous.secsTo(when) >= 30 * 60, qPrintable(time));
        }
        previous = when;
    }

    // The same seed, the same runs.
    const ProcessResult again = run(arguments);
    QCOMPARE(again.exitCode, 0);
    const QJsonArray runsAgain = QJsonDocument::fromJson(again.out.toUtf8())
                                     .object()
                                     .value(QStringLiteral("runs"))
                                     .toArray();
    QCOMPARE(runsAgain.size(), runs.size());
    for (qsizetype i = 0; i < runs.size(); ++i) {
        QCOMPARE(runsAgain.at(i).toObject().value(QStringLiteral("time")),
                 runs.at(i).toObject().value(QStringLiteral("time")));
    }
}

void TestScheduleCommand::textListsTheSameRuns()
{
    const ProcessResult json =
        run({QStringLiteral("schedule"), QStringLiteral("--days"), QStringLiteral("2"),
             QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--json")});
    const ProcessResult text =
        run({QStringLiteral("schedule"), QStringLiteral("--days"), QStringLiteral("2"),
             QStringLiteral("--seed"), QStringLiteral("7")});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(text.exitCode, 0);
    const QStringList lines = text.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QStringLiteral("schedule in Europe/Berlin (seed 7)"));

    const QJsonArray runs =
        QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("runs")).toArray();
    QMap<QString, QStringList> expected; // day -> HH:mm
    for (const QJsonValue &value : runs) {
        const QJsonObject item = value.toObject();
        expected[item.value(QStringLiteral("day")).toString()]
            << item.value(QStringLiteral("time")).toString().mid(11, 5);
    }
    static const QRegularExpression time(QStringLiteral("(\\d\\d:\\d\\d)(?:[+-]\\d\\d:\\d\\d)?"));
    for (const QString &line : lines.mid(1)) {
        const QString day = line.left(10);
        QVERIFY2(expected.contains(day), qPrintable(line));
        QStringList times;
        for (const QRegularExpressionMatch &match : time.globalMatch(line.mid(10))) {
            times << match.captured(1);
        }
        QCOMPARE(times, expected.value(day));
    }
}

void TestScheduleCommand::minimumThatCannotFitNamesFileAndKey()
{
    writeConfig("  timezone: UTC\n  min_commits_per_day: 6\n  max_commits_per_day: 8\n"
                "  min_gap_minutes: 60\n  avoid_hours: [0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, "
                "14, 15, 16, 17, 18, 19, 20]\n");
    const ProcessResult result = run({QStringLiteral("schedule")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QLatin1String("schedule.min_commits_per_day")),
             qPrintable(result.err));
    QVERIFY2(result.err.contains(m_env->path(QStringLiteral("conf/config.yaml"))),
             qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
}

void TestScheduleCommand::badDaysIsBadUsage()
{
    QCOMPARE(
        run({QStringLiteral("schedule"), QStringLiteral("--days"), QStringLiteral("0")}).exitCode,
        2);
    QCOMPARE(
        run({QStringLiteral("schedule"), QStringLiteral("--seed"), QStringLiteral("x")}).exitCode,
        2);
}

QTEST_GUILESS_MAIN(TestScheduleCommand)
#include "TestScheduleCommand.moc"
