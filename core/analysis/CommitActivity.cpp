#include "analysis/CommitActivity.h"

#include "analysis/CommitWalk.h"

#include <QHash>

#include <algorithm>

namespace codeworm {

namespace {

// Commit times are not strictly ordered (rebases, clock skew): the walk ends only after this
// many commits in a row older than the period.
constexpr int olderCommitsBeforeStop = 20;

QString signatureName(const git_signature *signature)
{
    if (!signature) {
        return QString();
    }
    const QString name = QString::fromUtf8(signature->name).trimmed();
    return name.isEmpty() ? QString::fromUtf8(signature->email).trimmed() : name;
}

} // namespace

Result<CommitActivity> CommitActivity::read(const QString &repoPath, const QDateTime &from,
                                            const QDateTime &to, int maxCommits)
{
    using Failure = Result<CommitActivity>;
    CommitActivity activity;
    auto opened = CommitWalk::open(repoPath);
    if (!opened) {
        return Failure::failure(opened.error());
    }
    CommitWalk &walk = opened.value();
    const qint64 fromSecs = from.toSecsSinceEpoch();
    const qint64 toSecs = to.toSecsSinceEpoch();
    QHash<QString, int> perAuthor;
    while (true) {
        auto next = walk.nextSince(fromSecs, olderCommitsBeforeStop);
        if (!next) {
            return Failure::failure(next.error());
        }
        const git::Ptr<git_commit> commit = std::move(next).value();
        if (!commit) {
            break;
        }
        const qint64 time = git_commit_time(commit.get());
        if (time >= toSecs) {
            continue;
        }
        Commit entry;
        entry.id = git::oidHex(git_commit_id(commit.get()));
        entry.time = QDateTime::fromSecsSinceEpoch(time, Qt::UTC);
        entry.author = signatureName(git_commit_author(commit.get()));
        entry.subject = QString::fromUtf8(git_commit_summary(commit.get())).trimmed();
        entry.merge = git_commit_parentcount(commit.get()) > 1;
        ++activity.commits;
        activity.merges += entry.merge ? 1 : 0;
        ++perAuthor[entry.author];
        activity.recent.append(std::move(entry));
    }
    std::stable_sort(activity.recent.begin(), activity.recent.end(),
                     [](const Commit &a, const Commit &b) { return a.time > b.time; });
    if (activity.recent.size() > maxCommits) {
        activity.recent.resize(std::max(0, maxCommits));
    }
    for (auto it = perAuthor.cbegin(); it != perAuthor.cend(); ++it) {
        activity.authors.append({it.key(), it.value()});
    }
    std::sort(activity.authors.begin(), activity.authors.end(),
              [](const QPair<QString, int> &a, const QPair<QString, int> &b) {
                  return a.second != b.second ? a.second > b.second : a.first < b.first;
              });
    return activity;
}

} // namespace codeworm
