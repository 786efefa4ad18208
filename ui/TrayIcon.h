#pragma once

#include "daemon/Daemon.h"

#include <QObject>
#include <QSystemTrayIcon>

#include <chrono>
#include <memory>

class QAction;
class QMenu;

namespace codeworm {

class StatusWindow;

// The desktop face of a running Daemon: a tray icon with a tooltip (state, today's count,
// next run, last commit) and a menu (Pause/Resume, Run now, Quit), or, when the desktop has
// no system tray, the status window instead.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(Daemon *daemon, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Shows the tray icon, waiting up to `trayWait` for a tray to appear (at login the panel
    // may start after us), else the status window.
    void show(std::chrono::seconds trayWait = std::chrono::seconds(5));

    bool usesTray() const { return m_tray != nullptr; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    QMenu *menu() const { return m_menu.get(); }
    StatusWindow *statusWindow() const { return m_window.get(); }

private:
    void tryTray();
    void showTray();
    void showWindow();
    void updateStatus(const DaemonStatus &status);

    Daemon *m_daemon;
    std::unique_ptr<QMenu> m_menu; // QMenu has no QObject parent here: owned explicitly
    QAction *m_stateLine = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_runNow = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    std::unique_ptr<StatusWindow> m_window; // top-level: no QObject parent
    int m_trayAttemptsLeft = 0;
};

} // namespace codeworm
