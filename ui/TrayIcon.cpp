#include "TrayIcon.h"

#include "StatsWindow.h"
#include "StatusText.h"

#include <QAction>
#include <QDesktopServices>
#include <QFileInfo>
#include <QIcon>
#include <QLoggingCategory>
#include <QMenu>
#include <QTimer>

Q_LOGGING_CATEGORY(lcTray, "codeworm.tray")

// The icons are compiled into this static library; its resource initialiser must be
// referenced or the linker drops it. Q_INIT_RESOURCE only works in the global namespace.
static void initCodewormResources()
{
    Q_INIT_RESOURCE(codeworm);
}

namespace codeworm {

TrayIcon::TrayIcon(Daemon *daemon, QObject *parent)
    : QObject(parent)
    , m_daemon(daemon)
    , m_menu(std::make_unique<QMenu>())
    , m_open([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    initCodewormResources();
    m_stateLine = m_menu->addAction(QString());
    m_stateLine->setEnabled(false);
    m_menu->addSeparator();
    m_pause = m_menu->addAction(tr("Pause"));
    m_runNow = m_menu->addAction(tr("Run now"));
    m_menu->addSeparator();
    QAction *openDevLog = m_menu->addAction(tr("Open DevLog folder"));
    m_openDocument = m_menu->addAction(tr("Open last document"));
    QAction *openLog = m_menu->addAction(tr("Open log"));
    m_menu->addSeparator();
    m_statistics = m_menu->addAction(tr("Statistics…"));
    m_settings = m_menu->addAction(tr("Settings…"));
    m_menu->addSeparator();
    QAction *quit = m_menu->addAction(tr("Quit"));

    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_daemon->isPaused()) {
            m_daemon->resume();
        } else {
            m_daemon->pause();
        }
    });
    connect(m_runNow, &QAction::triggered, m_daemon, &Daemon::runNow);
    connect(openDevLog, &QAction::triggered, this,
            [this] { openPath(m_daemon->config().devlogPath()); });
    connect(m_openDocument, &QAction::triggered, this,
            [this] { openPath(m_daemon->status().lastDocument); });
    connect(openLog, &QAction::triggered, this, [this] { openPath(m_daemon->config().logPath()); });
    connect(m_statistics, &QAction::triggered, this, &TrayIcon::showStatistics);
    connect(m_settings, &QAction::triggered, this, [this] {
        if (m_showSettings) {
            m_showSettings();
        }
    });
    connect(quit, &QAction::triggered, m_daemon, &Daemon::stop);
    connect(m_daemon, &Daemon::statusChanged, this, &TrayIcon::updateStatus);
    updateStatus(m_daemon->status());
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::setSettingsHandler(std::function<void()> handler)
{
    m_showSettings = std::move(handler);
    m_settings->setEnabled(bool(m_showSettings));
}

void TrayIcon::openPath(const QString &path)
{
    if (path.isEmpty()) {
        return;
    }
    if (!QFileInfo::exists(path)) {
        qCWarning(lcTray).noquote() << "cannot open" << path << "- it does not exist (yet)";
        return;
    }
    if (!m_open(QUrl::fromLocalFile(path))) {
        qCWarning(lcTray).noquote() << "no application opened" << path;
    }
}

void TrayIcon::showStatistics()
{
    if (!m_window) {
        m_window = std::make_unique<StatsWindow>(m_daemon);
    }
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void TrayIcon::show(std::chrono::seconds trayWait)
{
    m_trayAttemptsLeft = int(trayWait.count());
    tryTray();
}

void TrayIcon::tryTray()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        showTray();
        return;
    }
    if (m_trayAttemptsLeft-- > 0) {
        QTimer::singleShot(std::chrono::seconds(1), this, &TrayIcon::tryTray);
        return;
    }
    showWindow();
}

void TrayIcon::showTray()
{
    qCInfo(lcTray) << "showing the tray icon";
    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger) {
                    showStatistics();
                }
            });
    updateStatus(m_daemon->status());
    m_tray->show();
}

void TrayIcon::showWindow()
{
    qCInfo(lcTray) << "no system tray available: showing the statistics window instead "
                      "(closing it quits CodeWorm)";
    m_window = std::make_unique<StatsWindow>(m_daemon);
    m_window->setQuitOnClose(true);
    m_window->show();
}

void TrayIcon::updateStatus(const DaemonStatus &status)
{
    m_stateLine->setText(StatusText::title(status));
    m_pause->setText(m_daemon->isPaused() ? tr("Resume") : tr("Pause"));
    m_runNow->setEnabled(status.state != DaemonStatus::State::Working);
    m_openDocument->setEnabled(!status.lastDocument.isEmpty());
    m_settings->setEnabled(bool(m_showSettings));
    if (m_tray) {
        m_tray->setIcon(QIcon(StatusText::iconPath(status.state)));
        m_tray->setToolTip(StatusText::tooltip(status));
    }
}

} // namespace codeworm
