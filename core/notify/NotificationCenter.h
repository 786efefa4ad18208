#pragma once

#include "config/Config.h"
#include "daemon/CycleResult.h"
#include "notify/Notification.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>

namespace codeworm {

class Notifier;
struct PushReport;

// Decides what the user is told: each commit (notifications.on_commit) and the alerts (the LLM
// unavailable for llm_down_minutes, failures_in_a_row failed cycles, the push failing, the
// dead-man's switch). An alert is shown once and not again until its condition clears; then it
// is withdrawn. Fed by the daemon's signals (Daemon::attachNotifications); shows through every
// notifier added.
class NotificationCenter : public QObject
{
    Q_OBJECT
public:
    NotificationCenter(const Config &config, QObject *parent = nullptr);

    // Takes ownership; every notification goes to every notifier.
    void addNotifier(Notifier *notifier);
    // Hands `notifier` back to the caller (parentless) and stops using it.
    void removeNotifier(Notifier *notifier);
    QList<Notifier *> notifiers() const;

    // New settings apply at once: an alert turned off is withdrawn.
    void setConfig(const Config &config);
    // The length of a "minute" of llm_down_minutes, for tests.
    void setMinuteLength(std::chrono::milliseconds length);
    bool isRaised(Notification::Kind kind) const { return m_raised.contains(kind); }

public slots:
    void onCycleFinished(const codeworm::CycleResult &result);
    // The daemon waits for the LLM (`llm` describes it), or no longer does.
    void onLlmWaiting(bool waiting, const QString &llm);
    void onPushFinished(const codeworm::PushReport &report);
    void onDeadmanRaised(const QString &message);
    void onDeadmanCleared();

signals:
    // Each notification shown, after the notifiers got it.
    void notified(const codeworm::Notification &notification);

private:
    void show(const Notification &notification);
    void raise(Notification::Kind kind, const QString &summary, const QString &body);
    void clear(Notification::Kind kind);
    void startLlmTimer();
    void onLlmDown();

    NotificationsConfig m_config;
    QString m_devlogPath;
    QList<QPointer<Notifier>> m_notifiers;
    QSet<Notification::Kind> m_raised;
    int m_failuresInARow = 0;
    QString m_lastFailure;
    QTimer m_llmTimer; // single shot: llm_down_minutes after the wait began
    QElapsedTimer m_llmWaitingSince;
    QString m_llm;
    std::chrono::milliseconds m_minute = std::chrono::minutes(1);
};

} // namespace codeworm
