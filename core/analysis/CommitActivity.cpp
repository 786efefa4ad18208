#include "analysis/CommitActivity.h"

#include "common/GitHandles.h"

#include <QFile>
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
    git::ensureInitialized();
    git_repository *rawRepository = nullptr;
    const int opened =
        git_repository_open_ext(&rawRepository, QFile::encodeName(repoPath).constData(),
                                GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (opened == GIT_ENOTFOUND) {
        return activity;
    }
    if (opened != 0) {
        return Failure::failure(QStringLiteral("%1: cannot open the git repository: %2")
                                    .arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_repository> repository(rawRepository);
    git_repository *repo = repository.get();
    if (git_repository_head_unborn(repo) == 1) {
        return activity;
    }
    git_oid headOid;
    if (git_reference_name_to_id(&headOid, repo, "HEAD") != 0) {
        return Failure::failure(QStringLiteral("%1: cannot read HEAD of the git repository: %2")
                                    .arg(repoPath, git::lastError()));
    }
    const bool shallow = git_repository_is_shallow(repo) == 1;
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repo) != 0) {
        return Failure::failure(
            QStringLiteral("%1: cannot walk the history: %2").arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_revwalk> walk(rawWalk);
    // Unsorted: lazy, and still newest first on an ordinary history (see GitHistory).
    git_revwalk_sorting(walk.get(), GIT_SORT_NONE);
    if (git_revwalk_push(walk.get(), &headOid) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot walk the history from HEAD: %2")
                                    .arg(repoPath, git::lastError()));
    }
    const qint64 fromSecs = from.toSecsSinceEpoch();
    const qint64 toSecs = to.toSecsSinceEpoch();
    QHash<QString, int> perAuthor;
    int olderInARow = 0;
    git_oid oid;
    while (true) {
        const int next = git_revwalk_next(&oid, walk.get());
        if (next == GIT_ITEROVER || (next != 0 && shallow)) {
            break; // libgit2 1.5 reads no shallow grafts: a missing parent ends the walk
        }
        if (next != 0) {
            return Failure::failure(
                QStringLiteral("%1: cannot walk the history: %2").arg(repoPath, git::lastError()));
        }
        git_commit *rawCommit = nullptr;
        if (git_commit_lookup(&rawCommit, repo, &oid) != 0) {
            return Failure::failure(QStringLiteral("%1: cannot read commit %2: %3")
                                        .arg(repoPath, git::oidHex(&oid), git::lastError()));
        }
        const git::Ptr<git_commit> commit(rawCommit);
        const qint64 time = git_commit_time(commit.get());
        if (time < fromSecs) {
            if (++olderInARow >= olderCommitsBeforeStop) {
                break;
            }
            continue;
        }
        olderInARow = 0;
        if (time >= toSecs) {
            continue;
        }
        Commit entry;
        entry.id = git::oidHex(&oid);
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
