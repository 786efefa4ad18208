#include "analysis/CommitActivity.h"
#include "state/StateStore.h"
#include "summary/PeriodSummary.h"

#include "GitTestRepo.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace codeworm;
using codeworm::test::GitTestRepo;

namespace {

const QString weekly = QStringLiteral("weekly_summary");
const QString monthly = QStringLiteral("monthly_summary");

QDateTime utc(int y, int m, int d, int h = 12, int min = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC);
}

DocumentedEntry entry(const char *repoName, const char *fileName, const char *functionName,
                      const char *typeName, const QDateTime &when, const QString &path = {})
{
    const QString repo = QString::fromUtf8(repoName);
    const QString file = QString::fromUtf8(fileName);
    const QString function = QString::fromUtf8(functionName);
    const QString type = QString::fromUtf8(typeName);
    DocumentedEntry e;
    e.sourceRepo = repo;
    e.sourceFile = file;
    e.functionName = function;
    e.codeHash = QStringLiteral("%1-%2-%3").arg(repo, file, function);
    e.documentedAt = when;
    e.snippetPath = path.isEmpty() ? QStringLiteral("snippets/x/%1.md").arg(function) : path;
    e.docType = type;
    return e;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace

class TestPeriodSummary : public QObject
{
    Q_OBJECT

private slots:
    void lastEndedWeek_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QDate>("first");
        QTest::addColumn<QDate>("last");
        QTest::newRow("monday") << utc(2026, 11, 30, 10) << QStringLiteral("UTC")
                                << QStringLiteral("2026-W48") << QDate(2026, 11, 23)
                                << QDate(2026, 11, 29);
        QTest::newRow("sunday: its own week has not ended")
            << utc(2026, 11, 29, 20) << QStringLiteral("UTC") << QStringLiteral("2026-W47")
            << QDate(2026, 11, 16) << QDate(2026, 11, 22);
        // 23:30 UTC on Sunday is Monday morning in Tokyo: that week has ended there.
        QTest::newRow("zone decides the day")
            << utc(2026, 11, 29, 23, 30) << QStringLiteral("Asia/Tokyo")
            << QStringLiteral("2026-W48") << QDate(2026, 11, 23) << QDate(2026, 11, 29);
        // 2026 has 53 ISO weeks (it starts on a Thursday); the week crosses the year.
        QTest::newRow("week 53") << utc(2027, 1, 5) << QStringLiteral("UTC")
                                 << QStringLiteral("2026-W53") << QDate(2026, 12, 28)
                                 << QDate(2027, 1, 3);
        QTest::newRow("week 1 starts in December")
            << utc(2025, 1, 7) << QStringLiteral("UTC") << QStringLiteral("2025-W01")
            << QDate(2024, 12, 30) << QDate(2025, 1, 5);
    }

    void lastEndedWeek()
    {
        QFETCH(QDateTime, now);
        QFETCH(QString, zone);
        QFETCH(QString, key);
        QFETCH(QDate, first);
        QFETCH(QDate, last);
        const QTimeZone tz(zone.toUtf8());
        QVERIFY(tz.isValid());
        const auto period = SummaryPeriod::lastEnded(weekly, now, tz);
        QVERIFY(period.has_value());
        QCOMPARE(period->key, key);
        QCOMPARE(period->first, first);
        QCOMPARE(period->last, last);
        QCOMPARE(period->first.dayOfWeek(), 1);
        QCOMPARE(period->start, QDateTime(first, QTime(0, 0), tz));
        QCOMPARE(period->end, QDateTime(last.addDays(1), QTime(0, 0), tz));
        QVERIFY(period->end <= now);
        QVERIFY(period->title.startsWith(QStringLiteral("Week ")));
    }

    void lastEndedMonth()
    {
        const QTimeZone berlin("Europe/Berlin");
        auto period = SummaryPeriod::lastEnded(monthly, utc(2026, 11, 30), berlin);
        QVERIFY(period.has_value());
        QCOMPARE(period->key, QStringLiteral("2026-10"));
        QCOMPARE(period->title, QStringLiteral("October 2026"));
        QCOMPARE(period->first, QDate(2026, 10, 1));
        QCOMPARE(period->last, QDate(2026, 10, 31));
        // Summer time ends on 25 October: the month is 31 days and one hour long.
        QCOMPARE(period->start.toUTC(), utc(2026, 9, 30, 22));
        QCOMPARE(period->end.toUTC(), utc(2026, 10, 31, 23));
        QCOMPARE(period->start.secsTo(period->end), qint64(31 * 24 + 1) * 3600);

        period = SummaryPeriod::lastEnded(monthly, utc(2026, 1, 1, 0, 30), QTimeZone("UTC"));
        QCOMPARE(period->key, QStringLiteral("2025-12"));
        QCOMPARE(period->last, QDate(2025, 12, 31));
    }

    void nonSummaryTypesHaveNoPeriod()
    {
        QVERIFY(!SummaryPeriod::lastEnded(QStringLiteral("function_doc"), utc(2026, 11, 30),
                                          QTimeZone("UTC")));
        QVERIFY(SummaryPeriod::isSummaryType(weekly));
        QVERIFY(!SummaryPeriod::isSummaryType(QStringLiteral("til")));
    }

    void codeHashNamesTypeAndPeriod()
    {
        const QTimeZone tz("UTC");
        const auto week = SummaryPeriod::lastEnded(weekly, utc(2026, 11, 30), tz);
        const auto sameWeek = SummaryPeriod::lastEnded(weekly, utc(2026, 12, 6), tz);
        const auto nextWeek = SummaryPeriod::lastEnded(weekly, utc(2026, 12, 7), tz);
        const auto month = SummaryPeriod::lastEnded(monthly, utc(2026, 11, 30), tz);
        QCOMPARE(week->codeHash(), sameWeek->codeHash());
        QVERIFY(week->codeHash() != nextWeek->codeHash());
        QVERIFY(week->codeHash() != month->codeHash());
        QCOMPARE(week->codeHash().size(), 64);
    }

    void commitActivityCountsThePeriodOnly()
    {
        QTemporaryDir dir;
        GitTestRepo repo(dir.path());
        repo.setSignature(QStringLiteral("Alice"), QStringLiteral("alice@example.com"),
                          utc(2026, 11, 20));
        repo.writeFile(QStringLiteral("a.py"), "x = 1\n");
        repo.commit(QStringLiteral("Before the week"));
        repo.setSignature(QStringLiteral("Alice"), QStringLiteral("alice@example.com"),
                          utc(2026, 11, 24));
        repo.writeFile(QStringLiteral("a.py"), "x = 2\n");
        repo.commit(QStringLiteral("Parse the config once\n\nLonger body."));
        repo.setSignature(QStringLiteral("Bob"), QStringLiteral("bob@example.com"),
                          utc(2026, 11, 26));
        repo.writeFile(QStringLiteral("b.py"), "y = 1\n");
        repo.commit(QStringLiteral("Add the retry loop"));
        repo.setSignature(QStringLiteral("Alice"), QStringLiteral("alice@example.com"),
                          utc(2026, 11, 27));
        repo.writeFile(QStringLiteral("a.py"), "x = 3\n");
        repo.commit(QStringLiteral("Fix the off-by-one"));
        repo.setSignature(QStringLiteral("Carol"), QStringLiteral("carol@example.com"),
                          utc(2026, 11, 30, 9));
        repo.writeFile(QStringLiteral("c.py"), "z = 1\n");
        repo.commit(QStringLiteral("After the week"));

        const auto read =
            CommitActivity::read(repo.path(), utc(2026, 11, 23, 0), utc(2026, 11, 30, 0));
        QVERIFY2(read.ok(), qPrintable(read.error()));
        const CommitActivity &activity = read.value();
        QCOMPARE(activity.commits, 3);
        QCOMPARE(activity.merges, 0);
        QCOMPARE(activity.authors.size(), 2);
        QCOMPARE(activity.authors.at(0), qMakePair(QStringLiteral("Alice"), 2));
        QCOMPARE(activity.authors.at(1), qMakePair(QStringLiteral("Bob"), 1));
        QCOMPARE(activity.recent.size(), 3);
        QCOMPARE(activity.recent.at(0).subject, QStringLiteral("Fix the off-by-one"));
        QCOMPARE(activity.recent.at(2).subject, QStringLiteral("Parse the config once"));
        QCOMPARE(activity.recent.at(1).time, utc(2026, 11, 26));

        const auto limited =
            CommitActivity::read(repo.path(), utc(2026, 11, 23, 0), utc(2026, 11, 30, 0), 1);
        QCOMPARE(limited.value().commits, 3);
        QCOMPARE(limited.value().recent.size(), 1);
    }

    void commitActivityOfNoRepositoryIsEmpty()
    {
        QTemporaryDir plain;
        auto read = CommitActivity::read(plain.path(), utc(2026, 1, 1), utc(2027, 1, 1));
        QVERIFY(read.ok());
        QCOMPARE(read.value().commits, 0);

        QTemporaryDir unborn;
        GitTestRepo repo(unborn.path());
        read = CommitActivity::read(repo.path(), utc(2026, 1, 1), utc(2027, 1, 1));
        QVERIFY(read.ok());
        QCOMPARE(read.value().commits, 0);
    }

    void gatherReadsStateReviewsAndHistory()
    {
        QTemporaryDir dir;
        StateStore state(dir.filePath(QStringLiteral("state.db")));
        QVERIFY(state.open().ok());
        const QString devlog = dir.filePath(QStringLiteral("devlog"));
        const QString review = QStringLiteral("reviews/security/2026-11-25_login.md");
        writeFile(
            QDir(devlog).filePath(review),
            "# Auth.login\n\n**Type:** Security Review\n\n---\n\n## Source Code\n\n```python\n"
            "def login(): pass\n```\n\n---\n\n## Security Review\n\n"
            "The query is built by string formatting.\n\n"
            "**Severity: High** - SQL injection through the user name.\n\n"
            "Use a parameterised query.\n\n---\n\n*Generated by CodeWorm*\n");
        const QList<DocumentedEntry> entries = {
            entry("api", "src/auth.py", "login", "security_review", utc(2026, 11, 25), review),
            entry("api", "src/db.py", "connect", "function_doc", utc(2026, 11, 24)),
            entry("api", "src/db.py", "Pool", "class_doc", utc(2026, 11, 26)),
            entry("web", "ui/app.ts", "render", "function_doc", utc(2026, 11, 28)),
            entry("web", "ui/app.ts", "old", "function_doc", utc(2026, 11, 20)),   // before
            entry("web", "ui/app.ts", "later", "function_doc", utc(2026, 11, 30)), // after
            entry("all", "2026-W47", "2026-W47", "weekly_summary",
                  utc(2026, 11, 24)), // not counted
        };
        for (const DocumentedEntry &e : entries) {
            const Status recorded = state.recordDocumented(e);
            QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
        }
        GitTestRepo api(dir.filePath(QStringLiteral("api")));
        api.setSignature(QStringLiteral("Alice"), QStringLiteral("alice@example.com"),
                         utc(2026, 11, 24));
        api.writeFile(QStringLiteral("src/db.py"), "def connect():\n    pass\n");
        api.commit(QStringLiteral("Pool connections"));
        QTemporaryDir plain;

        const auto period =
            SummaryPeriod::lastEnded(weekly, utc(2026, 11, 30, 10), QTimeZone("UTC"));
        const QList<RepoConfig> repos = {
            {QStringLiteral("api"), api.path(), 5, true, true, {}, {}},
            {QStringLiteral("web"), plain.path(), 5, true, true, {}, {}},
            {QStringLiteral("off"), api.path(), 5, false, true, {}, {}},
        };
        const auto gathered = PeriodSummary::gather(*period, state, devlog, repos);
        QVERIFY2(gathered.ok(), qPrintable(gathered.error()));
        const PeriodSummary &summary = gathered.value();
        QVERIFY(!summary.isEmpty());
        QCOMPARE(summary.documents(), 4);
        QCOMPARE(summary.perRepository().at(0), qMakePair(QStringLiteral("api"), 3));
        QCOMPARE(summary.perRepository().at(1), qMakePair(QStringLiteral("web"), 1));
        QCOMPARE(summary.perType().at(0), qMakePair(QStringLiteral("function_doc"), 2));
        QCOMPARE(summary.perLanguage().at(0), qMakePair(QStringLiteral("python"), 3));
        QCOMPARE(summary.perLanguage().at(1), qMakePair(QStringLiteral("typescript"), 1));
        QCOMPARE(summary.findings().size(), 1);
        QVERIFY(summary.findings().at(0).text.contains(QStringLiteral("SQL injection")));
        QVERIFY(!summary.findings().at(0).text.contains(QStringLiteral("def login")));
        QCOMPARE(summary.activity().size(), 2); // the disabled repository is not read
        QCOMPARE(summary.commits(), 1);
        QVERIFY(summary.warnings().isEmpty());

        const QString digest = summary.digest();
        QVERIFY(digest.contains(QStringLiteral("Week 48 of 2026 (2026-11-23 to 2026-11-29)")));
        QVERIFY(digest.contains(QStringLiteral("Documents CodeWorm wrote: 4")));
        QVERIFY(digest.contains(
            QStringLiteral("per type: function_doc 2, class_doc 1, security_review 1")));
        QVERIFY(digest.contains(QStringLiteral("security, api src/auth.py (login)")));
        QVERIFY(digest.contains(QStringLiteral("- api: 1 commit by Alice 1")));
        QVERIFY(digest.contains(QStringLiteral("  - Pool connections")));
        QVERIFY(digest.contains(QStringLiteral("- web: 0 commits")));
    }

    void emptyPeriodIsEmpty()
    {
        QTemporaryDir dir;
        StateStore state(dir.filePath(QStringLiteral("state.db")));
        QVERIFY(state.open().ok());
        const auto period = SummaryPeriod::lastEnded(monthly, utc(2026, 11, 30), QTimeZone("UTC"));
        const auto gathered = PeriodSummary::gather(*period, state, dir.path(), {});
        QVERIFY(gathered.ok());
        QVERIFY(gathered.value().isEmpty());
        QCOMPARE(gathered.value().documents(), 0);
    }

    void unreadableReviewIsAWarning()
    {
        QTemporaryDir dir;
        StateStore state(dir.filePath(QStringLiteral("state.db")));
        QVERIFY(state.open().ok());
        QVERIFY(state
                    .recordDocumented(entry("api", "src/auth.py", "login", "performance_analysis",
                                            utc(2026, 11, 25),
                                            QStringLiteral("reviews/performance/gone.md")))
                    .ok());
        const auto period = SummaryPeriod::lastEnded(weekly, utc(2026, 11, 30), QTimeZone("UTC"));
        const auto gathered = PeriodSummary::gather(*period, state, dir.path(), {});
        QVERIFY(gathered.ok());
        QCOMPARE(gathered.value().documents(), 1);
        QCOMPARE(gathered.value().findings().size(), 0);
        QCOMPARE(gathered.value().warnings().size(), 1);
        QVERIFY(gathered.value().warnings().at(0).contains(QStringLiteral("gone.md")));
    }
};

QTEST_GUILESS_MAIN(TestPeriodSummary)
#include "TestPeriodSummary.moc"
