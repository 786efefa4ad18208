#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "targets/Target.h"

#include <QList>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace codeworm {

class SymbolIndex;
struct IndexedTarget;

// Finds the next function_doc target: refreshes the symbol index of the enabled
// repositories (incremental: unchanged repositories cost a lookup), then walks the
// index's functions and methods best score first, within the analyzer's line and
// complexity limits, and returns the first one that `alreadyDocumented` rejects not, with
// its source read back from the repository. Blocking: call from a worker.
class TargetFinder
{
public:
    using DocumentedCheck = std::function<bool(const Target &)>;

    TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories,
                 SymbolIndex *index);

    // No value and no error: nothing left to document ("no candidates"). An error: no
    // repository could be read. Repositories that could not be read while others could are
    // reported in `warnings`.
    Result<std::optional<Target>> findNext(const DocumentedCheck &alreadyDocumented,
                                           QStringList *warnings = nullptr,
                                           const std::atomic<bool> *cancelled = nullptr) const;

    // The target for an index row, its source read from the repository at the indexed
    // content. No value: the file changed since it was indexed (the next refresh fixes it).
    static Result<std::optional<Target>> load(const AnalyzerConfig &analyzer,
                                              const RepoConfig &repo, const IndexedTarget &row);

    static QString sha256Hex(const QString &text);

private:
    AnalyzerConfig m_analyzer;
    QList<RepoConfig> m_repositories;
    SymbolIndex *m_index;
};

} // namespace codeworm
