#pragma once

#include "common/Result.h"

#include <QString>
#include <QStringList>

namespace codeworm {

// The DevLog files CodeWorm is about to write and has not committed yet, listed in a small
// file (in the state directory) before they are written and cleared once the commit exists.
// After a crash in between, recover() puts exactly those paths back as the last commit has
// them: a new document is removed, the README's index restored. A user's own files are never
// listed, so never touched. Blocking (libgit2): use from the DevLog's worker thread.
class WriteJournal
{
public:
    explicit WriteJournal(QString journalFile);

    QString file() const { return m_file; }

    // Lists paths (relative to the DevLog) as being written; replaces an earlier list.
    Status begin(const QStringList &relativePaths);
    // The write is committed (or given up and undone): nothing is pending.
    Status clear();
    // The paths listed and not cleared; empty when none or no journal.
    QStringList pending() const;

    // Undoes the pending writes in the DevLog at devlogPath: each listed path gets the
    // content and index entry of HEAD's version, or is removed from the working tree and the
    // index when HEAD has none. Then clears the journal. Returns the paths it restored or
    // removed (those that differed).
    Result<QStringList> recover(const QString &devlogPath);

private:
    QString m_file;
};

} // namespace codeworm
