#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "targets/Target.h"

#include <QList>
#include <QStringList>
#include <functional>
#include <optional>

namespace codeworm {

// Finds the next function_doc target: walks the enabled repositories (scanner + extractor),
// keeps functions and methods within the analyzer's line and complexity limits, and returns
// the first one that `alreadyDocumented` rejects not. Blocking: call from a worker.
class TargetFinder
{
public:
    using DocumentedCheck = std::function<bool(const Target &)>;

    TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories);

    // No value and no error: nothing left to document ("no candidates"). An error: no
    // repository could be read. Repositories that could not be read while others could are
    // reported in `warnings`.
    Result<std::optional<Target>> findNext(const DocumentedCheck &alreadyDocumented,
                                           QStringList *warnings = nullptr) const;

    static QString sha256Hex(const QString &text);

private:
    AnalyzerConfig m_analyzer;
    QList<RepoConfig> m_repositories;
};

} // namespace codeworm
