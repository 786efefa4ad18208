#pragma once

#include "config/Config.h"
#include "devlog/DevLogPusher.h"

#include <QDateTime>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

namespace codeworm {

// Pushes the DevLog in the background: after each commit, at start-up when commits wait, and
// on a timer with backoff (devlog.push_retry_s doubling up to push_retry_max_s) while the
// remote cannot be reached. One push at a time, on a thread of its own, so a slow remote
// never holds up the event loop or the next cycle. A push that hears nothing from the remote
// for devlog.push_timeout_s is given up on (libgit2 1.5 has no network timeout, and a
// connection dropped by a suspend never ends by itself): its thread is left waiting, and no
// other push starts until that thread is gone or CodeWorm restarts.
class PushQueue : public QObject
{
    Q_OBJECT
public:
    PushQueue(const DevLogConfig &config, const QString &devlogPath, QObject *parent = nullptr);
    ~PushQueue() override;

    bool enabled() const { return !m_config.remote.trimmed().isEmpty(); }
    // Pushes now, or right after the push that is running. Ends a backoff wait.
    void trigger();
    // Applies from the next push on.
    void setConfig(const DevLogConfig &config, const QString &devlogPath);
    // No more pushes; `cancelRunning` also stops the one in flight at its next step.
    void stop(bool cancelRunning);
    bool isBusy() const { return m_running; }
    // Gives up on a push that stop(true) did not end: one blocked on a remote that accepted
    // the connection and stopped answering. isBusy() turns false, its outcome is ignored, and
    // its thread is left for the process's exit to end; its commits are pushed at the next
    // start.
    void abandon();
    // When the backoff timer fires next; null when none is set.
    QDateTime nextRetry() const { return m_nextRetry; }
    PushReport lastReport() const { return m_last; }

    // The README rebuilt after a rebase: the remote's, with its index made from the documents.
    static QByteArray rebuildReadme(const QByteArray &readme,
                                    const QList<DevLogDocument> &documents);

signals:
    void started();
    void finished(const codeworm::PushReport &report);

private:
    void run();
    void onFinished(const PushReport &report);
    void watch();
    // Leaves the running push's thread behind, and ignores what it may still report.
    void giveUp();

    DevLogConfig m_config;
    QString m_path;
    // Its thread ends with the queue (libgit2's per-thread state goes too).
    std::unique_ptr<QThreadPool> m_pool;
    // The pool of a push given up on, while its thread still waits on the remote.
    std::unique_ptr<QThreadPool> m_stuck;
    QTimer m_watch;
    std::shared_ptr<std::atomic<qint64>> m_activity = std::make_shared<std::atomic<qint64>>(0);
    quint64 m_generation = 0; // of the running push: a push given up on reports in vain
    QTimer m_retry;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    int m_failures = 0;
    QDateTime m_nextRetry;
    PushReport m_last;
};

} // namespace codeworm
