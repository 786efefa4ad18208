#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace codeworm {

// A document as its commit's CodeWorm-* trailers tell it, for the README index.
struct DevLogDocument
{
    QString repo;    // CodeWorm-Repo
    QString docType; // CodeWorm-Type
    QString title;   // CodeWorm-Symbol
    QString path;    // the Markdown file the commit added
    QDateTime when;  // the commit's time
};

// What one push did.
struct PushReport
{
    enum class Outcome {
        NoRemote,   // devlog.remote is empty: nothing is pushed
        UpToDate,   // nothing was waiting
        Pushed,     // the waiting commits are on the remote now
        Offline,    // the remote could not be reached: the commits wait
        AuthFailed, // credentials or the host key were refused
        Rejected,   // still rejected after fetching and rebasing
        Blocked,    // local changes in the DevLog stood in the way of the rebase
        Failed,     // anything else
        Cancelled,
    };

    Outcome outcome = Outcome::Failed;
    QString message; // one line for the log, the status and run-once
    QString remote;  // the remote's name, "origin"
    QString url;     // where it points, without a password
    int pushed = 0;  // commits the remote did not have before
    int rebased = 0; // own commits replayed onto the remote's new ones
    // Each replayed commit and the commit that replaced it, in order (the state follows them).
    QList<std::pair<QString, QString>> replaced;
    int waiting = 0;          // commits still not on the remote
    bool configError = false; // only a change of configuration or repository helps

    bool succeeded() const
    {
        return outcome == Outcome::NoRemote || outcome == Outcome::UpToDate ||
               outcome == Outcome::Pushed;
    }
};

// Pushes the DevLog's branch to devlog.remote with libgit2: a remote of the repository by
// name, or a URL or path that is added as "origin". Never forces: when the remote moved on,
// it fetches, replays the local commits onto the remote branch (their files added; README.md
// regenerated, not merged) and pushes again. Network errors are retried devlog.push_tries
// times. Blocking: run it on a worker thread, one instance per thread.
class DevLogPusher
{
public:
    // Builds the README.md of a replayed history: the remote's README and every document of
    // the new history. Without one the remote's README is kept.
    using ReadmeBuilder =
        std::function<QByteArray(const QByteArray &readme, const QList<DevLogDocument> &documents)>;

    DevLogPusher(DevLogConfig config, QString devlogPath);
    ~DevLogPusher();
    DevLogPusher(const DevLogPusher &) = delete;
    DevLogPusher &operator=(const DevLogPusher &) = delete;

    void setReadmeBuilder(ReadmeBuilder builder) { m_readmeBuilder = std::move(builder); }
    // Set from another thread to stop between steps and inside libgit2's transfer.
    void setCancelFlag(std::shared_ptr<std::atomic<bool>> cancel) { m_cancel = std::move(cancel); }
    // Set to activityNow() whenever the remote answers (every libgit2 callback of a network
    // operation), so that another thread can tell a slow push from one that waits on a
    // connection nobody answers any more.
    void setActivityClock(std::shared_ptr<std::atomic<qint64>> lastActivity)
    {
        m_activity = std::move(lastActivity);
    }
    // Milliseconds of a monotonic clock.
    static qint64 activityNow();

    PushReport push();

    // Commits on the branch that the remote-tracking branch does not have; no network.
    Result<int> waitingCommits();

    // The remote devlog.remote names: looked up, or added as "origin" when `add` and it is a
    // URL or path. Errors say what to change.
    struct Remote
    {
        QString name;
        QString url;
        bool added = false;
    };
    Result<Remote> resolveRemote(bool add = true);

    // A URL without its password, for messages.
    static QString displayUrl(const QString &url);

private:
    struct Handles;
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    Status open();
    QString branch() const;
    PushReport pushOnce(const Remote &remote);
    PushReport fetch(const Remote &remote);
    PushReport rebaseOntoRemote(const Remote &remote);
    PushReport withRetries(const std::function<PushReport()> &step);

    DevLogConfig m_config;
    QString m_path;
    ReadmeBuilder m_readmeBuilder;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<qint64>> m_activity;
    std::unique_ptr<Handles> m_handles;
};

} // namespace codeworm

Q_DECLARE_METATYPE(codeworm::PushReport)
