#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "targets/Target.h"

#include <QDateTime>
#include <QList>

#include <atomic>
#include <functional>

namespace codeworm {

class SymbolIndex;

// code_evolution's finder: one file's change in one recent commit of a git repository, read
// with libgit2 diffs. It walks the commits reachable from HEAD within the window, skips
// merges, root commits (an import, which file_doc covers) and commits touching more than
// maxFilesPerCommit files (imports, reformats, vendoring), and keeps each added, modified or
// renamed file that the symbol index holds: the index has applied the analyzer's rules
// (ignored, excluded, hidden, vendored, too large, binary, not UTF-8, unsupported language),
// so a file it does not hold is one those rules skip, or one deleted since. Binary diffs,
// diffs without hunks (a mode change) and diffs of more than maxChangedLines lines are
// skipped. A change is scored with the interest score of the most interesting function or
// type its hunks touch in the file as the commit left it, churn counting the window's commits
// that touched the file and novelty the change's own age; a change outside every function and
// type scores half the file's score. Plain folders have no history: no candidates.
// Blocking: call from a worker.
class ChangeFinder
{
public:
    using DocumentedCheck = std::function<bool(const Target &)>;

    static constexpr int defaultWindowDays = 30;
    static constexpr int maxCommits = 200;        // newest commits examined per repository
    static constexpr int maxFilesPerCommit = 100; // a bigger commit is skipped as a whole
    static constexpr int maxChangedLines = 400;   // added + deleted lines of one file
    static constexpr int contextLines = 3;

    // now: the reference time (injectable for tests).
    ChangeFinder(const AnalyzerConfig &analyzer, SymbolIndex *index,
                 QDateTime now = QDateTime::currentDateTimeUtc(),
                 int windowDays = defaultWindowDays);

    // The repository's candidate changes that `alreadyDocumented` does not reject, best
    // first (newest first among equal scores).
    Result<QList<Target>> candidates(const RepoConfig &repo,
                                     const DocumentedCheck &alreadyDocumented = {},
                                     const std::atomic<bool> *cancelled = nullptr) const;

    // "shapes.py @ 1a2b3c4": the document's title and the dedup name of a change.
    static QString displayName(const QString &filePath, const QString &shortId);

private:
    AnalyzerConfig m_analyzer;
    SymbolIndex *m_index;
    QDateTime m_now;
    int m_windowDays;
};

} // namespace codeworm
