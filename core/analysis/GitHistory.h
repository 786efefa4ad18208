#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QHash>
#include <QString>

namespace codeworm {

// What the recent history says about one path.
struct FileHistory
{
    int commits30 = 0;      // commits touching the path in the last 30 days
    int commits90 = 0;      // ... in the last 90 days
    QDateTime lastModified; // commit time of the newest commit touching it (UTC); null if none
    int authors = 0;        // distinct author e-mail addresses over the 90 days

    friend bool operator==(const FileHistory &, const FileHistory &) = default;
};

// Per-path commit statistics of a repository's last `days` days, read with libgit2 in one
// pass over the commits reachable from HEAD (each non-merge commit diffed against its
// parent; merges count for the paths they change against their first parent). A folder
// that is not a git repository, a shallow clone cut short, or an unborn HEAD yields empty
// (or partial) stats, never an error. Blocking: call from a worker thread.
class GitHistory
{
public:
    // now: the reference time (injectable for tests).
    static Result<GitHistory> read(const QString &repoPath,
                                   const QDateTime &now = QDateTime::currentDateTimeUtc(),
                                   int days = 90);

    // The HEAD commit id the stats were read at; empty when there is none (not a git
    // repository, unborn HEAD). Stats are a function of (HEAD, now): cache by it.
    QString headId() const { return m_headId; }
    FileHistory forPath(const QString &path) const { return m_files.value(path); }
    const QHash<QString, FileHistory> &files() const { return m_files; }
    int commitCount() const { return m_commitCount; } // commits walked within the window

private:
    QString m_headId;
    QHash<QString, FileHistory> m_files;
    int m_commitCount = 0;
};

} // namespace codeworm
