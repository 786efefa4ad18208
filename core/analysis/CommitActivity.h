#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace codeworm {

// What happened in one repository between two instants: the commits reachable from HEAD whose
// commit time is in [from, to), read with libgit2. The weekly and monthly summaries are
// written from it. A folder that is not a git repository, an unborn HEAD or a shallow clone
// cut short yields what could be read (possibly nothing), never an error. Blocking: call
// from a worker thread.
struct CommitActivity
{
    struct Commit
    {
        QString id; // full hex id
        QDateTime time;
        QString author;
        QString subject; // first line of the message
        bool merge = false;
    };

    int commits = 0; // merges included
    int merges = 0;
    // Distinct author names with their commit counts, most commits first.
    QList<QPair<QString, int>> authors;
    // Up to `maxCommits` of the period's commits, newest first.
    QList<Commit> recent;

    static Result<CommitActivity> read(const QString &repoPath, const QDateTime &from,
                                       const QDateTime &to, int maxCommits = 20);
};

} // namespace codeworm
