#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "targets/Target.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace codeworm {

class SymbolIndex;

// module_doc's finder. A module is a folder of source files of one language family:
// - a Python package: a folder with __init__.py;
// - a JavaScript/TypeScript folder with an index file (index.js, .jsx, .mjs, .cjs, .ts, .tsx);
// - a Go package: a folder of .go files (its _test.go files left out);
// - a Rust module: a folder with mod.rs or lib.rs, or a folder foo/ beside a foo.rs (which
//   then belongs to it);
// - a C/C++ folder: a folder of C or C++ files;
// - a Java package: a folder of .java files.
// Subfolders are modules of their own, and a module has at least two files (one file is
// file_doc's). The files come from the symbol index (so the analyzer's rules apply), their
// metrics are summed from it, and a module is scored like a file with those sums plus the
// churn and novelty of its most active file. Blocking: call from a worker.
class ModuleFinder
{
public:
    using DocumentedCheck = std::function<bool(const Target &)>;

    // Files read for a module's outline; the rest are only counted.
    static constexpr int maxFilesRead = 40;
    // Functions and types listed per file, the most interesting ones.
    static constexpr int maxSymbolsPerFile = 12;

    // One module as the grouping sees it: its folder and files (repository-relative).
    struct Module
    {
        QString folder; // "" for the repository's root folder
        QString family; // "python", "script", "go", "rust", "c", "java"
        QStringList files;
    };
    // The modules among `files` (path → language), sorted by folder.
    static QList<Module> group(const QList<QPair<QString, QString>> &files);

    ModuleFinder(const AnalyzerConfig &analyzer, SymbolIndex *index);

    // Walks the repository's modules best first, skips those `alreadyDocumented` rejects
    // (probed with the name, folder and code hash), reads the others' files and calls `take`
    // for each until it returns false.
    Status walk(const RepoConfig &repo, const DocumentedCheck &alreadyDocumented,
                const std::function<bool(Target &&)> &take,
                const std::atomic<bool> *cancelled = nullptr) const;

private:
    AnalyzerConfig m_analyzer;
    SymbolIndex *m_index;
};

} // namespace codeworm
