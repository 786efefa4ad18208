#pragma once

#include "daemon/Daemon.h"

#include <QObject>
#include <QSystemTrayIcon>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

class QAction;
class QMenu;

namespace codeworm {

class StatsWindow;

// The desktop face of a running Daemon: a tray icon with a tooltip (state, today's count,
// next run, last commit; the target and tokens/s while writing) and a menu (state line,
// Pause/Resume, Run now, Open DevLog folder, Open last document, Open log, Statistics...,
// Settings..., Quit), or, when the desktop has no system tray, the status window instead.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(Daemon *daemon, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Shows the tray icon, waiting up to `trayWait` for a tray to appear (at login the panel
    // may start after us), else the status window.
    void show(std::chrono::seconds trayWait = std::chrono::seconds(5));

    // Opens a folder or document in the desktop's application for it; QDesktopServices by
    // default, replaced by tests.
    using Opener = std::function<bool(const QUrl &)>;
    void setOpener(Opener opener) { m_open = std::move(opener); }
    // What Settings... opens; set by the application (the entry is disabled without one).
    void setSettingsHandler(std::function<void()> handler);

    bool usesTray() const { return m_tray != nullptr; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    QMenu *menu() const { return m_menu.get(); }
    // The statistics window: opened by a left click or Statistics..., and shown instead of the
    // icon when the desktop has no system tray (then closing it quits).
    StatsWindow *statsWindow() const { return m_window.get(); }

private:
    void openPath(const QString &path);
    void showStatistics();
    void tryTray();
    void showTray();
    void showWindow();
    void updateStatus(const DaemonStatus &status);

    Daemon *m_daemon;
    std::unique_ptr<QMenu> m_menu; // QMenu has no QObject parent here: owned explicitly
    QAction *m_stateLine = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_runNow = nullptr;
    QAction *m_openDocument = nullptr;
    QAction *m_statistics = nullptr;
    QAction *m_settings = nullptr;
    Opener m_open;
    std::function<void()> m_showSettings;
    QSystemTrayIcon *m_tray = nullptr;
    std::unique_ptr<StatsWindow> m_window; // top-level: no QObject parent
    int m_trayAttemptsLeft = 0;
};

} // namespace codeworm
