#pragma once

#include "daemon/Daemon.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace codeworm {

// The tray's content as a panel: state, today's count, next run, last commit, what is being
// written, and Pause/Resume, Run now and Quit. It heads the statistics window, which stands in
// for the tray icon when the desktop has no system tray.
class StatusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPanel(Daemon *daemon, QWidget *parent = nullptr);

    void updateStatus(const DaemonStatus &status);

private:
    Daemon *m_daemon;
    QLabel *m_title;
    QLabel *m_today;
    QLabel *m_nextRun;
    QLabel *m_lastCommit;
    QLabel *m_activity;
    QPushButton *m_pause;
    QPushButton *m_runNow;
};

} // namespace codeworm
