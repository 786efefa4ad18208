// The tray's menu and tooltip, and the statistics window (headed by the status panel) that
// replaces it when the desktop has no system tray (the offscreen platform has none).
#include "TestEnvironment.h"

#include "StatsWindow.h"
#include "StatusPanel.h"
#include "StatusText.h"
#include "TrayIcon.h"
#include "daemon/Daemon.h"
#include "state/StateStore.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

class TestTrayIcon : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void menuHasPauseRunNowAndQuit();
    void pauseActionTogglesTheDaemon();
    void withoutATrayTheStatsWindowShowsTheSameContent();
    void closingTheFallbackWindowStopsTheDaemon();
    void tooltipTellsStateCountsNextRunAndLastCommit();
    void menuOpensTheDevLogTheLogAndTheLastDocument();
    void statisticsAndSettingsGoToTheirHandlers();
    void iconsRenderSharpAtEverySize();

private:
    QAction *action(TrayIcon &tray, const QString &text);
    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<Daemon> m_daemon;
};

void TestTrayIcon::init()
{
    m_env = std::make_unique<TestEnvironment>();
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    m_daemon = std::make_unique<Daemon>(config, Daemon::Options{});
    QVERIFY(m_daemon->open());
}

void TestTrayIcon::cleanup()
{
    m_daemon.reset();
    m_env.reset();
}

QAction *TestTrayIcon::action(TrayIcon &tray, const QString &text)
{
    const QList<QAction *> actions = tray.menu()->actions();
    for (QAction *candidate : actions) {
        if (candidate->text() == text) {
            return candidate;
        }
    }
    return nullptr;
}

void TestTrayIcon::menuHasPauseRunNowAndQuit()
{
    TrayIcon tray(m_daemon.get());
    QVERIFY(action(tray, QStringLiteral("Pause")));
    QVERIFY(action(tray, QStringLiteral("Run now")));
    QVERIFY(action(tray, QStringLiteral("Quit")));
    // The first entry is the state line, not clickable.
    QCOMPARE(tray.menu()->actions().first()->text(), QStringLiteral("CodeWorm: Idle"));
    QVERIFY(!tray.menu()->actions().first()->isEnabled());
}

void TestTrayIcon::pauseActionTogglesTheDaemon()
{
    TrayIcon tray(m_daemon.get());
    action(tray, QStringLiteral("Pause"))->trigger();
    QVERIFY(m_daemon->isPaused());
    QCOMPARE(m_daemon->status().state, DaemonStatus::State::Paused);
    QVERIFY(action(tray, QStringLiteral("Resume")));
    QCOMPARE(tray.menu()->actions().first()->text(), QStringLiteral("CodeWorm: Paused"));
    action(tray, QStringLiteral("Resume"))->trigger();
    QVERIFY(!m_daemon->isPaused());
    QVERIFY(action(tray, QStringLiteral("Pause")));
}

void TestTrayIcon::withoutATrayTheStatsWindowShowsTheSameContent()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
    TrayIcon tray(m_daemon.get());
    tray.show(std::chrono::seconds(0));
    QVERIFY(!tray.usesTray());
    StatsWindow *window = tray.statsWindow();
    QVERIFY(window);
    QVERIFY(window->isVisible());
    QVERIFY(window->quitsOnClose());
    QVERIFY(window->statusPanel());
    QStringList texts;
    for (QLabel *label : window->statusPanel()->findChildren<QLabel *>()) {
        texts << label->text();
    }
    const DaemonStatus status = m_daemon->status();
    QVERIFY(texts.contains(StatusText::title(status)));
    QVERIFY(texts.contains(StatusText::today(status)));
    QVERIFY(texts.contains(StatusText::nextRun(status)));
    QVERIFY(texts.contains(StatusText::lastCommit(status)));

    auto *pause = window->findChild<QPushButton *>(QStringLiteral("pauseButton"));
    QVERIFY(pause);
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(m_daemon->isPaused());
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
}

void TestTrayIcon::closingTheFallbackWindowStopsTheDaemon()
{
    TrayIcon tray(m_daemon.get());
    tray.show(std::chrono::seconds(0));
    QSignalSpy stopped(m_daemon.get(), &Daemon::stopped);
    tray.statsWindow()->close();
    QVERIFY(stopped.wait(5000));
}

void TestTrayIcon::tooltipTellsStateCountsNextRunAndLastCommit()
{
    DaemonStatus status;
    status.state = DaemonStatus::State::Working;
    status.commitsToday = 2;
    status.plannedToday = 6;
    status.nextRun = QDateTime(QDate::currentDate(), QTime(14, 35));
    status.lastCommit = QStringLiteral("Parser.parse (core)");
    status.lastCommitAt = QDateTime(QDate::currentDate(), QTime(13, 2));
    status.currentTarget = QStringLiteral("clamp in geometry (shapes.py)");
    status.tokensPerSecond = 12.5;
    const QString tooltip = StatusText::tooltip(status);
    QCOMPARE(tooltip, QStringLiteral("CodeWorm: Working\nToday: 2 of 6 commits\nNext run: 14:35\n"
                                     "Last commit: Parser.parse (core) at 13:02\n"
                                     "Writing about clamp in geometry (shapes.py), 12.5 tokens/s"));
    QCOMPARE(StatusText::iconPath(DaemonStatus::State::WaitingForLlm),
             QStringLiteral(":/icons/codeworm-waiting.svg"));
    QVERIFY(!QIcon(StatusText::iconPath(DaemonStatus::State::Error)).pixmap(32, 32).isNull());
}

void TestTrayIcon::menuOpensTheDevLogTheLogAndTheLastDocument()
{
    // The daemon remembers the last document from the state: a DevLog with one document.
    const QString devlog = m_env->path(QStringLiteral("devlog"));
    m_env->writeFile(QStringLiteral("devlog/notes/2026/clamp.md"), "# clamp\n");
    m_env->writeFile(QStringLiteral("state/codeworm.log"), "12:00:00 info: started\n");
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    config.devlog.repoPath = devlog;
    {
        StateStore state(config.databasePath());
        QVERIFY(state.open());
        DocumentedEntry entry;
        entry.sourceRepo = QStringLiteral("geometry");
        entry.sourceFile = QStringLiteral("shapes.py");
        entry.functionName = QStringLiteral("clamp");
        entry.codeHash = QStringLiteral("abc");
        entry.documentedAt = QDateTime::currentDateTimeUtc();
        entry.snippetPath = QStringLiteral("notes/2026/clamp.md");
        entry.gitCommit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        QVERIFY(state.recordDocumented(entry));
    }
    m_daemon.reset();
    m_daemon = std::make_unique<Daemon>(config, Daemon::Options{});
    QVERIFY(m_daemon->open());
    QCOMPARE(m_daemon->status().lastDocument, devlog + QStringLiteral("/notes/2026/clamp.md"));
    QCOMPARE(m_daemon->status().lastCommit, QStringLiteral("clamp (geometry)"));

    TrayIcon tray(m_daemon.get());
    QList<QUrl> opened;
    tray.setOpener([&opened](const QUrl &url) {
        opened << url;
        return true;
    });
    QVERIFY(action(tray, QStringLiteral("Open last document"))->isEnabled());
    action(tray, QStringLiteral("Open DevLog folder"))->trigger();
    action(tray, QStringLiteral("Open last document"))->trigger();
    action(tray, QStringLiteral("Open log"))->trigger();
    QCOMPARE(opened,
             (QList<QUrl>{QUrl::fromLocalFile(devlog),
                          QUrl::fromLocalFile(devlog + QStringLiteral("/notes/2026/clamp.md")),
                          QUrl::fromLocalFile(config.logPath())}));
}

void TestTrayIcon::statisticsAndSettingsGoToTheirHandlers()
{
    TrayIcon tray(m_daemon.get());
    // Without a settings handler the entry cannot be chosen.
    QVERIFY(!action(tray, QStringLiteral("Settings…"))->isEnabled());
    int settings = 0;
    tray.setSettingsHandler([&settings] { ++settings; });
    QVERIFY(action(tray, QStringLiteral("Settings…"))->isEnabled());
    action(tray, QStringLiteral("Settings…"))->trigger();
    QCOMPARE(settings, 1);
    // Statistics... opens the statistics window, which closes without quitting.
    QVERIFY(!tray.statsWindow());
    action(tray, QStringLiteral("Statistics…"))->trigger();
    QVERIFY(tray.statsWindow());
    QVERIFY(tray.statsWindow()->isVisible());
    QVERIFY(!tray.statsWindow()->quitsOnClose());
    QSignalSpy stopped(m_daemon.get(), &Daemon::stopped);
    tray.statsWindow()->close();
    QTest::qWait(50);
    QVERIFY(stopped.isEmpty());
}

void TestTrayIcon::iconsRenderSharpAtEverySize()
{
    // SVG icons: every state renders at tray sizes and at twice them (HiDPI) without scaling
    // a small bitmap up.
    for (const auto state :
         {DaemonStatus::State::Idle, DaemonStatus::State::Working, DaemonStatus::State::Paused,
          DaemonStatus::State::WaitingForLlm, DaemonStatus::State::Error}) {
        const QIcon icon(StatusText::iconPath(state));
        for (const int size : {16, 22, 24, 32, 48, 64, 128}) {
            const QPixmap pixmap = icon.pixmap(QSize(size, size));
            QCOMPARE(pixmap.size(), QSize(size, size));
            const QImage image = pixmap.toImage();
            bool drawn = false;
            for (int y = 0; y < size && !drawn; ++y) {
                for (int x = 0; x < size && !drawn; ++x) {
                    drawn = qAlpha(image.pixel(x, y)) > 0;
                }
            }
            QVERIFY2(drawn, qPrintable(StatusText::iconPath(state)));
        }
    }
}

QTEST_MAIN(TestTrayIcon)
#include "TestTrayIcon.moc"
