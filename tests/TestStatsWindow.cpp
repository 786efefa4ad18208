// The statistics window over a state database the test prepares: cycle figures, the chart's
// days, the counts, the recent commits and opening their documents, live refresh.
#include "TestEnvironment.h"

#include "CommitChart.h"
#include "StatsWindow.h"
#include "daemon/Daemon.h"
#include "state/StateStore.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QTreeWidget>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

class TestStatsWindow : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void showsTheCycleFigures();
    void chartHasThirtyDaysOfCounts();
    void countsPerRepositoryTypeAndLanguage();
    void recentCommitsNewestFirstAndOpenOnDoubleClick();
    void refreshesWhenTheDaemonFinishesACycle();
    void paintsWithoutADatabase();

private:
    static DocumentedEntry entry(int i, const QDateTime &at);
    QString label(StatsWindow &window, const char *name);
    static QStringList rows(QTreeWidget *tree);

    std::unique_ptr<TestEnvironment> m_env;
    Config m_config;
    QList<DocumentedEntry> m_entries; // newest first
    QDateTime m_now;
};

DocumentedEntry TestStatsWindow::entry(int i, const QDateTime &at)
{
    DocumentedEntry e;
    e.id = QStringLiteral("doc-%1").arg(i);
    // Counts without ties, so their order is defined: shop 16, engine 9; function_doc 18,
    // class_doc 7; python 15, rust 7, unknown 3.
    e.sourceRepo = i % 3 == 0 ? QStringLiteral("engine") : QStringLiteral("shop");
    e.docType = i % 4 == 0 ? QStringLiteral("class_doc") : QStringLiteral("function_doc");
    e.language = i < 15 ? QStringLiteral("python") : i < 22 ? QStringLiteral("rust") : QString();
    e.sourceFile = QStringLiteral("src/file%1.py").arg(i);
    e.className = i % 4 == 0 ? QStringLiteral("Class%1").arg(i) : QString();
    e.functionName = QStringLiteral("function%1").arg(i);
    e.codeHash = QStringLiteral("hash-%1").arg(i);
    e.documentedAt = at;
    e.snippetPath = QStringLiteral("snippets/%1/doc%2.md").arg(e.sourceRepo).arg(i);
    e.gitCommit = QStringLiteral("%1abcdef0123456789").arg(i, 4, 10, QLatin1Char('0'));
    return e;
}

void TestStatsWindow::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_config = Config{};
    m_config.dataDir = m_env->path(QStringLiteral("state"));
    m_config.devlog.repoPath = m_env->path(QStringLiteral("devlog"));
    m_config.schedule.timezone = QStringLiteral("UTC");
    QVERIFY(QDir().mkpath(m_config.dataDir));

    StateStore store(m_config.databasePath());
    QVERIFY(store.open().ok());
    // 25 documents 31 hours apart: about 32 days, some outside the chart's 30.
    m_now = QDateTime::currentDateTimeUtc();
    m_entries.clear();
    for (int i = 0; i < 25; ++i) {
        m_entries.append(entry(i, m_now.addSecs(-qint64(i) * 31 * 3600)));
    }
    for (const DocumentedEntry &e : std::as_const(m_entries)) {
        QVERIFY(store.recordDocumented(e).ok());
    }

    using Outcome = CycleRecord::Outcome;
    const QList<std::pair<Outcome, QString>> outcomes = {
        {Outcome::Success, {}},
        {Outcome::Success, {}},
        {Outcome::Failed, QStringLiteral("early failure")},
        {Outcome::Success, {}},
        {Outcome::Success, {}},
        {Outcome::Skipped, QStringLiteral("no candidates")},
        {Outcome::Success, {}},
        {Outcome::Success, {}},
        {Outcome::Skipped, QStringLiteral("no candidates")},
        {Outcome::Failed, QStringLiteral("LLM unreachable")},
        {Outcome::Failed, QStringLiteral("generation failed: timed out")},
    };
    QList<CycleRecord> cycles;
    const QDateTime first = m_now.addDays(-2);
    for (qsizetype k = 0; k < outcomes.size(); ++k) {
        CycleRecord cycle;
        cycle.started = first.addSecs(k * 600);
        cycle.finished = cycle.started.addSecs(60);
        cycle.outcome = outcomes.at(k).first;
        cycle.reason = outcomes.at(k).second;
        cycles.append(cycle);
    }
    QVERIFY(store.recordCycles(cycles).ok());
}

void TestStatsWindow::cleanup()
{
    m_env.reset();
}

QString TestStatsWindow::label(StatsWindow &window, const char *name)
{
    auto *found = window.findChild<QLabel *>(QString::fromLatin1(name));
    return found ? found->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
}

QStringList TestStatsWindow::rows(QTreeWidget *tree)
{
    QStringList list;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        list << tree->topLevelItem(i)->text(0) + u'=' + tree->topLevelItem(i)->text(1);
    }
    return list;
}

void TestStatsWindow::showsTheCycleFigures()
{
    StatsWindow window(m_config);
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QTRY_COMPARE(refreshed.size(), 1);

    QCOMPARE(window.windowTitle(), QStringLiteral("CodeWorm statistics"));
    QCOMPARE(label(window, "cycleTotal"), QStringLiteral("11"));
    QCOMPARE(label(window, "cycleSucceeded"), QStringLiteral("6"));
    QCOMPARE(label(window, "cycleFailed"), QStringLiteral("3"));
    QCOMPARE(label(window, "cycleSkipped"), QStringLiteral("2"));
    QCOMPARE(label(window, "cycleSuccessRate"), QStringLiteral("54.5 %"));
    QCOMPARE(label(window, "cycleConsecutiveFailures"), QStringLiteral("2"));
    QCOMPARE(label(window, "cycleLastFailureReason"),
             QStringLiteral("generation failed: timed out"));
    QVERIFY(label(window, "cycleLastSuccess") != QStringLiteral("never"));
    QVERIFY(!window.findChild<QLabel *>(QStringLiteral("errorLabel"))->isVisible());
    QVERIFY(label(window, "llmLabel").contains(QStringLiteral("qwen2.5:7b")));
    QVERIFY(!label(window, "nextRunsLabel").isEmpty());

    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 0 && image.height() > 0);
}

void TestStatsWindow::chartHasThirtyDaysOfCounts()
{
    StatsWindow window(m_config);
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QTRY_COMPARE(refreshed.size(), 1);

    const QDate today = QDateTime::currentDateTimeUtc().date();
    QList<int> expected(StatsWindow::chartDays, 0);
    for (const DocumentedEntry &e : std::as_const(m_entries)) {
        const qint64 back = e.documentedAt.toUTC().date().daysTo(today);
        if (back >= 0 && back < StatsWindow::chartDays) {
            ++expected[StatsWindow::chartDays - 1 - back];
        }
    }
    CommitChart *chart = window.chart();
    QCOMPARE(chart->values().size(), StatsWindow::chartDays);
    QCOMPARE(chart->values(), expected);
    QCOMPARE(chart->days().constLast(), today);
    QCOMPARE(chart->days().constFirst(), today.addDays(1 - StatsWindow::chartDays));
    QVERIFY(chart->accessibleDescription().contains(chart->barText(29)));

    // A point over the last bar names it.
    const QRect area = chart->rect();
    QCOMPARE(chart->barAt(QPoint(area.right() - 6, area.center().y())), 29);

    const QImage image = chart->grab().toImage();
    QVERIFY(!image.isNull());
}

void TestStatsWindow::countsPerRepositoryTypeAndLanguage()
{
    StatsWindow window(m_config);
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QTRY_COMPARE(refreshed.size(), 1);

    QCOMPARE(rows(window.findChild<QTreeWidget *>(QStringLiteral("repositoryCounts"))),
             (QStringList{QStringLiteral("shop=16"), QStringLiteral("engine=9")}));
    QCOMPARE(rows(window.findChild<QTreeWidget *>(QStringLiteral("typeCounts"))),
             (QStringList{QStringLiteral("function_doc=18"), QStringLiteral("class_doc=7")}));
    QCOMPARE(rows(window.findChild<QTreeWidget *>(QStringLiteral("languageCounts"))),
             (QStringList{QStringLiteral("python=15"), QStringLiteral("rust=7"),
                          QStringLiteral("unknown=3")}));
}

void TestStatsWindow::recentCommitsNewestFirstAndOpenOnDoubleClick()
{
    StatsWindow window(m_config);
    QStringList opened;
    window.setDocumentOpener([&opened](const QString &path) { opened << path; });
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE(refreshed.size(), 1);

    auto *recent = window.findChild<QTreeWidget *>(QStringLiteral("recentCommits"));
    QVERIFY(recent);
    QCOMPARE(recent->topLevelItemCount(), StatsWindow::recentLimit);
    for (int i = 0; i < StatsWindow::recentLimit; ++i) {
        const DocumentedEntry &e = m_entries.at(i);
        QTreeWidgetItem *item = recent->topLevelItem(i);
        const QString target =
            e.className.isEmpty() ? e.functionName : e.className + u'.' + e.functionName;
        QCOMPARE(item->text(1), target);
        QCOMPARE(item->text(2), e.docType);
        QCOMPARE(item->text(3), e.sourceRepo);
        QCOMPARE(item->text(4), e.gitCommit.left(7));
    }

    QTreeWidgetItem *third = recent->topLevelItem(2);
    recent->scrollToItem(third);
    const QPoint center = recent->visualItemRect(third).center();
    QTest::mouseClick(recent->viewport(), Qt::LeftButton, {}, center);
    QTest::mouseDClick(recent->viewport(), Qt::LeftButton, {}, center);
    QTRY_COMPARE(opened, QStringList{m_config.devlogPath() + u'/' + m_entries.at(2).snippetPath});
}

void TestStatsWindow::refreshesWhenTheDaemonFinishesACycle()
{
    Daemon daemon(m_config, Daemon::Options{});
    QVERIFY(daemon.open().ok());
    StatsWindow window(&daemon);
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QTRY_COMPARE(refreshed.size(), 1);
    QVERIFY(label(window, "llmLabel").contains(daemon.status().stateText()));

    StateStore store(m_config.databasePath());
    QVERIFY(store.open().ok());
    DocumentedEntry newest = entry(99, QDateTime::currentDateTimeUtc().addSecs(1));
    QVERIFY(store.recordDocumented(newest).ok());
    CycleResult result;
    result.outcome = CycleResult::Outcome::Committed;
    emit daemon.cycleFinished(result);

    QTRY_COMPARE(refreshed.size(), 2);
    auto *recent = window.findChild<QTreeWidget *>(QStringLiteral("recentCommits"));
    QCOMPARE(recent->topLevelItem(0)->text(1), QStringLiteral("function99"));
    QCOMPARE(window.chart()->values().constLast(), window.snapshot().perDay.constLast().count);
}

void TestStatsWindow::paintsWithoutADatabase()
{
    Config config;
    config.dataDir = m_env->path(QStringLiteral("empty"));
    config.schedule.enabled = false;
    StatsWindow window(config);
    QSignalSpy refreshed(&window, &StatsWindow::refreshed);
    window.show();
    QTRY_COMPARE(refreshed.size(), 1);
    // The window reads; it never creates the database.
    QVERIFY(!QFileInfo::exists(config.databasePath()));
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("errorLabel"))->isVisible());
    QCOMPARE(label(window, "cycleTotal"), QStringLiteral("0"));
    QCOMPARE(label(window, "nextRunsLabel"), QStringLiteral("the schedule is off"));
    QVERIFY(!window.grab().toImage().isNull());
}

QTEST_MAIN(TestStatsWindow)
#include "TestStatsWindow.moc"
