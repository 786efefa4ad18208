// The tray's menu and tooltip, and the status window that replaces it when the desktop has no
// system tray (the offscreen platform has none).
#include "TestEnvironment.h"

#include "StatusText.h"
#include "StatusWindow.h"
#include "TrayIcon.h"
#include "daemon/Daemon.h"

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
    void withoutATrayTheStatusWindowShowsTheSameContent();
    void closingTheFallbackWindowStopsTheDaemon();
    void tooltipTellsStateCountsNextRunAndLastCommit();

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

void TestTrayIcon::withoutATrayTheStatusWindowShowsTheSameContent()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
    TrayIcon tray(m_daemon.get());
    tray.show(std::chrono::seconds(0));
    QVERIFY(!tray.usesTray());
    StatusWindow *window = tray.statusWindow();
    QVERIFY(window);
    QVERIFY(window->isVisible());
    QStringList texts;
    for (QLabel *label : window->findChildren<QLabel *>()) {
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
    tray.statusWindow()->close();
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

QTEST_MAIN(TestTrayIcon)
#include "TestTrayIcon.moc"
