#pragma once

#include "common/GitHandles.h"
#include "common/Result.h"

#include <QString>

namespace codeworm {

// The commits reachable from a repository's HEAD, newest first as libgit2's unsorted walk
// yields them: lazily (GIT_SORT_TIME would read the whole history before the first commit)
// and still by commit time on an ordinary history, as parents enter the walk's queue by it.
// A folder that is not a git repository, or one with an unborn HEAD, opens with nothing to
// walk; on a shallow clone the walk ends where the history was cut (libgit2 1.5 reads no
// shallow grafts: the missing parents simply cannot be read). Blocking: use from a worker.
class CommitWalk
{
public:
    static Result<CommitWalk> open(const QString &repoPath);

    // Nothing to walk: no git repository or an unborn HEAD.
    bool isEmpty() const { return !m_walk; }
    git_repository *repository() const { return m_repository.get(); }
    QString headId() const { return isEmpty() ? QString() : git::oidHex(&m_head); }
    bool isShallow() const { return m_shallow; }
    // The next commit; null at the end of the history (or of a shallow clone's).
    Result<git::Ptr<git_commit>> next();
    // The next commit with a commit time at or after fromSecs. Commit times are not strictly
    // ordered (rebases, clock skew): older commits are skipped, and the walk ends (null) after
    // `olderBeforeStop` of them in a row.
    Result<git::Ptr<git_commit>> nextSince(qint64 fromSecs, int olderBeforeStop);
    // "<path>: <what>: <libgit2's last error>", for the callers' own failures.
    QString failure(const QString &what) const;

private:
    QString m_path;
    git::Ptr<git_repository> m_repository;
    git::Ptr<git_revwalk> m_walk;
    git_oid m_head{};
    bool m_shallow = false;
    int m_olderInARow = 0;
};

} // namespace codeworm
