#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "devlog/DevLogHistory.h"
#include "state/StateStore.h"

#include <QStringList>

namespace codeworm {

// What a crash can leave between a cycle's steps, put right before the next cycle: files
// written and not committed (the write journal undoes them), and commits whose state row was
// never written (added from the commits' trailers). Blocking, libgit2 and SQLite.
namespace CrashRecovery {

struct Report
{
    QStringList undone; // DevLog paths restored or removed
    int rowsAdded = 0;  // documents recorded from their commits
};

// The journal file of the DevLog writes, in the state directory.
QString journalPath(const Config &config);

// Undoes unfinished writes, then records the documents of CodeWorm commits newer than the
// newest one the state knows. A DevLog that does not exist yet needs nothing.
Result<Report> run(const Config &config, StateStore &state);

// The state row of a document read back from its commit.
DocumentedEntry entryFor(const DocumentCommit &document);

struct Rebuild
{
    qint64 documents = 0; // rows written
    qint64 commits = 0;   // CodeWorm commits in the DevLog
    QString keptAs;       // where the previous database went; empty: there was none
};

// A new state database from the DevLog's history. The old one (with its WAL and shared-memory
// files, so that it stays whole) is moved aside as "codeworm.db.<label>-<time>", never
// deleted.
Result<Rebuild> rebuildState(const Config &config, const QString &label);

} // namespace CrashRecovery
} // namespace codeworm
