#include "StatusPanel.h"

#include "StatusText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace codeworm {

StatusPanel::StatusPanel(Daemon *daemon, QWidget *parent)
    : QWidget(parent)
    , m_daemon(daemon)
    , m_title(new QLabel(this))
    , m_today(new QLabel(this))
    , m_nextRun(new QLabel(this))
    , m_lastCommit(new QLabel(this))
    , m_activity(new QLabel(this))
    , m_pause(new QPushButton(this))
    , m_runNow(new QPushButton(tr("Run now"), this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_activity->setWordWrap(true);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_runNow->setObjectName(QStringLiteral("runNowButton"));
    auto *quit = new QPushButton(tr("Quit"), this);
    quit->setObjectName(QStringLiteral("quitButton"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_runNow);
    buttons->addStretch();
    buttons->addWidget(quit);
    auto *layout = new QVBoxLayout(this);
    for (QLabel *label : {m_title, m_today, m_nextRun, m_lastCommit, m_activity}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(label);
    }
    layout->addLayout(buttons);

    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_daemon->isPaused()) {
            m_daemon->resume();
        } else {
            m_daemon->pause();
        }
    });
    connect(m_runNow, &QPushButton::clicked, m_daemon, &Daemon::runNow);
    connect(quit, &QPushButton::clicked, m_daemon, &Daemon::stop);
    connect(m_daemon, &Daemon::statusChanged, this, &StatusPanel::updateStatus);
    updateStatus(m_daemon->status());
}

void StatusPanel::updateStatus(const DaemonStatus &status)
{
    m_title->setText(StatusText::title(status));
    m_today->setText(StatusText::today(status));
    m_nextRun->setText(StatusText::nextRun(status));
    m_lastCommit->setText(StatusText::lastCommit(status));
    const QString activity = StatusText::activity(status);
    m_activity->setText(activity);
    m_activity->setVisible(!activity.isEmpty());
    m_pause->setText(m_daemon->isPaused() ? tr("Resume") : tr("Pause"));
    m_runNow->setEnabled(status.state != DaemonStatus::State::Working);
}

} // namespace codeworm
