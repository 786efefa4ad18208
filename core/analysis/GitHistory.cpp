#include "analysis/GitHistory.h"

#include <QSet>

#include "analysis/CommitWalk.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>

namespace codeworm {

namespace {

constexpr qint64 secondsPerDay = 24 * 60 * 60;
// Commits older than the window that may still hide newer ones behind them (clock skew
// between machines), as git's own --since walk allows.
constexpr int olderCommitsBeforeStop = 5;

struct PathCounts
{
    int commits30 = 0;
    int commits90 = 0;
    qint64 newest = std::numeric_limits<qint64>::min();
    QSet<QByteArray> emails;
};

std::string oidKey(const git_oid *oid)
{
    return std::string(reinterpret_cast<const char *>(oid->id), GIT_OID_RAWSZ);
}

// git's tree order: names compared bytewise, a folder's name as if it ended in '/'.
int compareEntries(const git_tree_entry *a, const git_tree_entry *b)
{
    const char *nameA = git_tree_entry_name(a);
    const char *nameB = git_tree_entry_name(b);
    const size_t lengthA = std::strlen(nameA);
    const size_t lengthB = std::strlen(nameB);
    if (const int common = std::memcmp(nameA, nameB, std::min(lengthA, lengthB))) {
        return common;
    }
    const auto next = [](const git_tree_entry *entry, const char *name, size_t length, size_t at) {
        if (at < length) {
            return static_cast<unsigned char>(name[at]);
        }
        return static_cast<unsigned char>(git_tree_entry_type(entry) == GIT_OBJECT_TREE ? '/'
                                                                                        : '\0');
    };
    const size_t at = std::min(lengthA, lengthB);
    return int(next(a, nameA, lengthA, at)) - int(next(b, nameB, lengthB, at));
}

// Calls changed(path) for every file that differs between two trees (either may be null,
// an empty tree). Equal subtrees are skipped by id without being read: much cheaper than
// git_diff_tree_to_tree, whose iterators visit and sort entries and build full deltas.
class TreeComparison
{
public:
    TreeComparison(git_repository *repository, std::function<void(const QByteArray &)> changed)
        : m_repository(repository)
        , m_changed(std::move(changed))
    {}

    bool compare(const git_tree *oldTree, const git_tree *newTree, const QByteArray &prefix)
    {
        const size_t oldCount = oldTree ? git_tree_entrycount(oldTree) : 0;
        const size_t newCount = newTree ? git_tree_entrycount(newTree) : 0;
        size_t i = 0;
        size_t j = 0;
        while (i < oldCount || j < newCount) {
            const git_tree_entry *oldEntry =
                i < oldCount ? git_tree_entry_byindex(oldTree, i) : nullptr;
            const git_tree_entry *newEntry =
                j < newCount ? git_tree_entry_byindex(newTree, j) : nullptr;
            const int order = !oldEntry ? 1 : !newEntry ? -1 : compareEntries(oldEntry, newEntry);
            if (order == 0) {
                ++i;
                ++j;
                if (git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) &&
                    git_tree_entry_filemode(oldEntry) == git_tree_entry_filemode(newEntry)) {
                    continue;
                }
                if (!side(oldEntry, newEntry, prefix)) {
                    return false;
                }
            } else if (order < 0) {
                ++i;
                if (!side(oldEntry, nullptr, prefix)) {
                    return false;
                }
            } else {
                ++j;
                if (!side(nullptr, newEntry, prefix)) {
                    return false;
                }
            }
        }
        return true;
    }

private:
    // One name present on one side or changed between them; both sides have the same kind.
    bool side(const git_tree_entry *oldEntry, const git_tree_entry *newEntry,
              const QByteArray &prefix)
    {
        const git_tree_entry *entry = newEntry ? newEntry : oldEntry;
        const QByteArray path = prefix + git_tree_entry_name(entry);
        if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
            m_changed(path);
            return true;
        }
        git::Ptr<git_tree> oldTree = lookup(oldEntry);
        git::Ptr<git_tree> newTree = lookup(newEntry);
        if ((oldEntry && !oldTree) || (newEntry && !newTree)) {
            return false;
        }
        return compare(oldTree.get(), newTree.get(), path + '/');
    }

    git::Ptr<git_tree> lookup(const git_tree_entry *entry) const
    {
        git_tree *tree = nullptr;
        if (entry && git_tree_lookup(&tree, m_repository, git_tree_entry_id(entry)) != 0) {
            return nullptr;
        }
        return git::Ptr<git_tree>(tree);
    }

    git_repository *m_repository;
    std::function<void(const QByteArray &)> m_changed;
};

} // namespace

Result<GitHistory> GitHistory::read(const QString &repoPath, const QDateTime &now, int days)
{
    using Failure = Result<GitHistory>;
    GitHistory history;
    auto opened = CommitWalk::open(repoPath);
    if (!opened) {
        return Failure::failure(opened.error());
    }
    CommitWalk &walk = opened.value();
    history.m_headId = walk.headId();
    git_repository *repo = walk.repository();
    const bool shallow = walk.isShallow();

    const qint64 nowSecs = now.toSecsSinceEpoch();
    const qint64 windowStart = nowSecs - qint64(days) * secondsPerDay;
    const qint64 start30 = nowSecs - 30 * secondsPerDay;
    const qint64 start90 = nowSecs - 90 * secondsPerDay;

    // A commit's first-parent tree is the next commit's own tree on a straight history: kept
    // here until the walk reaches that commit.
    std::unordered_map<std::string, git::Ptr<git_tree>> parentTrees;
    QHash<QByteArray, PathCounts> counts;
    while (true) {
        auto next = walk.nextSince(windowStart, olderCommitsBeforeStop);
        if (!next) {
            return Failure::failure(next.error());
        }
        const git::Ptr<git_commit> commit = std::move(next).value();
        if (!commit) {
            break;
        }
        const git_oid oid = *git_commit_id(commit.get());
        const qint64 time = git_commit_time(commit.get());
        git::Ptr<git_tree> tree;
        if (auto cached = parentTrees.find(oidKey(&oid)); cached != parentTrees.end()) {
            tree = std::move(cached->second);
            parentTrees.erase(cached);
        } else {
            git_tree *rawTree = nullptr;
            if (git_commit_tree(&rawTree, commit.get()) != 0) {
                return Failure::failure(QStringLiteral("%1: cannot read the tree of commit %2: %3")
                                            .arg(repoPath, git::oidHex(&oid), git::lastError()));
            }
            tree.reset(rawTree);
        }
        git_tree *parentTree = nullptr;
        if (git_commit_parentcount(commit.get()) > 0) {
            const git_oid *parentId = git_commit_parent_id(commit.get(), 0);
            auto &slot = parentTrees[oidKey(parentId)];
            if (!slot) {
                git_commit *rawParent = nullptr;
                git_tree *rawParentTree = nullptr;
                if (git_commit_lookup(&rawParent, repo, parentId) != 0) {
                    parentTrees.erase(oidKey(parentId));
                    if (shallow) {
                        // The edge of a shallow clone: what this commit changed is unknown.
                        continue;
                    }
                    return Failure::failure(
                        QStringLiteral("%1: cannot read commit %2: %3")
                            .arg(repoPath, git::oidHex(parentId), git::lastError()));
                }
                const git::Ptr<git_commit> parent(rawParent);
                if (git_commit_tree(&rawParentTree, parent.get()) != 0) {
                    return Failure::failure(
                        QStringLiteral("%1: cannot read the tree of commit %2: %3")
                            .arg(repoPath, git::oidHex(parentId), git::lastError()));
                }
                slot.reset(rawParentTree);
            }
            parentTree = slot.get();
        }

        const git_signature *author = git_commit_author(commit.get());
        const QByteArray email =
            author && author->email ? QByteArray(author->email).trimmed().toLower() : QByteArray();
        TreeComparison comparison(repo, [&](const QByteArray &path) {
            PathCounts &entry = counts[path];
            entry.commits90 += time >= start90 ? 1 : 0;
            entry.commits30 += time >= start30 ? 1 : 0;
            entry.newest = std::max(entry.newest, time);
            if (time >= start90 && !email.isEmpty()) {
                entry.emails.insert(email);
            }
        });
        if (!comparison.compare(parentTree, tree.get(), QByteArray())) {
            return Failure::failure(
                QStringLiteral("%1: cannot compare commit %2 with its parent: %3")
                    .arg(repoPath, git::oidHex(&oid), git::lastError()));
        }
        ++history.m_commitCount;
    }

    history.m_files.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        FileHistory file;
        file.commits30 = it->commits30;
        file.commits90 = it->commits90;
        file.lastModified = QDateTime::fromSecsSinceEpoch(it->newest, Qt::UTC);
        file.authors = int(it->emails.size());
        history.m_files.insert(QString::fromUtf8(it.key()), file);
    }
    return history;
}

} // namespace codeworm
