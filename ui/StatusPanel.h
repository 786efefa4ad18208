#pragma once

#include "daemon/Daemon.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace codeworm {

// A small window with the tray's content: shown when the desktop has no system tray (then
// closing it quits CodeWorm) and from the tray icon on a left click.
class StatusWindow : public QWidget
{
    Q_OBJECT
public:
    explicit StatusWindow(Daemon *daemon, QWidget *parent = nullptr);

    // When set, closing the window quits CodeWorm instead of hiding it.
    void setQuitOnClose(bool quit) { m_quitOnClose = quit; }
    void updateStatus(const DaemonStatus &status);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    Daemon *m_daemon;
    QLabel *m_title;
    QLabel *m_today;
    QLabel *m_nextRun;
    QLabel *m_lastCommit;
    QLabel *m_activity;
    QPushButton *m_pause;
    QPushButton *m_runNow;
    bool m_quitOnClose = false;
};

} // namespace codeworm
