#include "analysis/CommitWalk.h"

#include <QFile>

namespace codeworm {

Result<CommitWalk> CommitWalk::open(const QString &repoPath)
{
    using Failure = Result<CommitWalk>;
    CommitWalk walk;
    walk.m_path = repoPath;
    git::ensureInitialized();
    git_repository *rawRepository = nullptr;
    const int opened =
        git_repository_open_ext(&rawRepository, QFile::encodeName(repoPath).constData(),
                                GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (opened == GIT_ENOTFOUND) {
        return walk;
    }
    if (opened != 0) {
        return Failure::failure(walk.failure(QStringLiteral("cannot open the git repository")));
    }
    walk.m_repository.reset(rawRepository);
    git_repository *repo = rawRepository;
    if (git_repository_head_unborn(repo) == 1) {
        return walk;
    }
    if (git_reference_name_to_id(&walk.m_head, repo, "HEAD") != 0) {
        return Failure::failure(
            walk.failure(QStringLiteral("cannot read HEAD of the git repository")));
    }
    walk.m_shallow = git_repository_is_shallow(repo) == 1;
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repo) != 0) {
        return Failure::failure(walk.failure(QStringLiteral("cannot walk the history")));
    }
    git::Ptr<git_revwalk> revwalk(rawWalk);
    git_revwalk_sorting(revwalk.get(), GIT_SORT_NONE);
    if (git_revwalk_push(revwalk.get(), &walk.m_head) != 0) {
        return Failure::failure(walk.failure(QStringLiteral("cannot walk the history from HEAD")));
    }
    walk.m_walk = std::move(revwalk);
    return walk;
}

Result<git::Ptr<git_commit>> CommitWalk::next()
{
    using Next = Result<git::Ptr<git_commit>>;
    if (!m_walk) {
        return Next(nullptr);
    }
    git_oid oid;
    const int found = git_revwalk_next(&oid, m_walk.get());
    if (found == GIT_ITEROVER || (found != 0 && m_shallow)) {
        return Next(nullptr);
    }
    if (found != 0) {
        return Next::failure(failure(QStringLiteral("cannot walk the history")));
    }
    git_commit *rawCommit = nullptr;
    if (git_commit_lookup(&rawCommit, m_repository.get(), &oid) != 0) {
        return Next::failure(
            failure(QStringLiteral("cannot read commit %1").arg(git::oidHex(&oid))));
    }
    return Next(git::Ptr<git_commit>(rawCommit));
}

Result<git::Ptr<git_commit>> CommitWalk::nextSince(qint64 fromSecs, int olderBeforeStop)
{
    while (true) {
        auto commit = next();
        if (!commit || !commit.value()) {
            return commit;
        }
        if (git_commit_time(commit.value().get()) >= fromSecs) {
            m_olderInARow = 0;
            return commit;
        }
        if (++m_olderInARow >= olderBeforeStop) {
            return Result<git::Ptr<git_commit>>(nullptr);
        }
    }
}

QString CommitWalk::failure(const QString &what) const
{
    return QStringLiteral("%1: %2: %3").arg(m_path, what, git::lastError());
}

} // namespace codeworm
