#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>

namespace codeworm::test {

// A temporary git repository driven through libgit2 (tests never run the git program):
// write files, commit them, read commits back.
class GitTestRepo
{
public:
    struct CommitInfo
    {
        QString id;
        QString message; // full message
        QString authorName;
        QString authorEmail;
        QStringList parentIds;
        QStringList changedPaths; // against the first parent (all paths for a root commit)
    };

    // Creates (git init, branch "main") or opens the repository at path.
    explicit GitTestRepo(const QString &path, bool bare = false);
    ~GitTestRepo();
    GitTestRepo(const GitTestRepo &) = delete;
    GitTestRepo &operator=(const GitTestRepo &) = delete;

    QString path() const { return m_path; }
    // Writes a file in the working tree (creating folders).
    void writeFile(const QString &relative, const QByteArray &content) const;
    // Stages the given paths (all changes when empty) and commits on top of HEAD and
    // `extraParents` (a merge when there are any); returns the commit id.
    QString commit(const QString &message, const QStringList &paths = {},
                   const QStringList &extraParents = {});
    // Author and committer of the following commits, at `when` (the current time when null).
    void setSignature(const QString &name, const QString &email, const QDateTime &when = {});

    QString headId() const;  // empty for an unborn branch
    int commitCount() const; // commits reachable from HEAD
    CommitInfo commitInfo(const QString &id) const;
    CommitInfo headCommit() const { return commitInfo(headId()); }
    // A file's content at a commit (HEAD when id is empty); empty when absent.
    QByteArray fileAt(const QString &relative, const QString &id = {}) const;
    // Paths of the tree of a commit (HEAD when id is empty), recursively.
    QStringList treePaths(const QString &id = {}) const;

    // True if the working tree or index has changes against HEAD.
    bool isDirty() const;
    // Files in the working tree that HEAD does not hold, and lock files in .git: what an
    // interrupted write would leave behind.
    QStringList strayFiles() const;

private:
    struct Handles;
    QString m_path;
    std::unique_ptr<Handles> m_handles;
    QString m_name = QStringLiteral("Test");
    QString m_email = QStringLiteral("test@example.com");
    QDateTime m_when;
};

} // namespace codeworm::test
