#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "targets/Target.h"

#include <QList>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

class QRandomGenerator;

namespace codeworm {

class RepositorySnapshot;
class SymbolIndex;
struct IndexedTarget;

// Finds targets in the symbol index. refresh() brings the index up to date with the enabled
// repositories (incremental: unchanged repositories cost a lookup); find() then walks the
// index best score first for one doc type, skips what `alreadyDocumented` rejects, reads the
// candidate's source back from the repository and keeps it when the type's finder accepts
// it:
// - function_doc: functions and methods within the analyzer's line and complexity limits;
// - class_doc: classes, structs, interfaces, traits and enums;
// - file_doc: whole files that hold at least one function or type;
// - security_review, performance_analysis, til: functions with CodeSignals of that kind;
// - pattern_analysis: types whose syntax tree shows a design pattern (PatternDetector);
// - code_evolution: one file's change in a recent commit (ChangeFinder, from git history);
// - module_doc: packages and folders of source files (ModuleFinder).
// Among near-equal candidates (scores within `nearEqualShare` of the best) one is drawn at
// random, so that a repository's top function does not win every day. Blocking: call from a
// worker.
class TargetFinder
{
public:
    using DocumentedCheck = std::function<bool(const Target &)>;

    static constexpr double nearEqualShare = 0.05;
    static constexpr int nearEqualCandidates = 5;

    TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories,
                 SymbolIndex *index);

    // The doc types with a finder of this kind.
    static bool supports(const QString &docType);

    // The repositories that could be read; the others are reported in `warnings`, and when
    // none could be read, the error names them all. Empty and no error: cancelled, or no
    // repository is enabled.
    Result<QList<RepoConfig>> refresh(QStringList *warnings = nullptr,
                                      const std::atomic<bool> *cancelled = nullptr) const;

    // The best unrejected target of `docType` in `repos` (refreshed before), or none.
    Result<std::optional<Target>> find(const QString &docType, const QList<RepoConfig> &repos,
                                       const DocumentedCheck &alreadyDocumented,
                                       QRandomGenerator *random = nullptr,
                                       const std::atomic<bool> *cancelled = nullptr) const;

    // Up to `limit` targets of `docType` best first, without dedup or randomness: what
    // `codeworm analyze --type` previews.
    Result<QList<Target>> preview(const QString &docType, const QList<RepoConfig> &repos, int limit,
                                  const std::atomic<bool> *cancelled = nullptr) const;

    // refresh() and find() for function_doc over every readable repository.
    Result<std::optional<Target>> findNext(const DocumentedCheck &alreadyDocumented,
                                           QStringList *warnings = nullptr,
                                           const std::atomic<bool> *cancelled = nullptr) const;

    // The target for an index row, its source read from the repository at the indexed
    // content. No value: the file changed since it was indexed (the next refresh fixes it).
    static Result<std::optional<Target>> load(const AnalyzerConfig &analyzer,
                                              const RepoConfig &repo, const IndexedTarget &row);
    // The same, from a snapshot the caller keeps open.
    static Result<std::optional<Target>> load(const RepositorySnapshot &snapshot,
                                              const RepoConfig &repo, const IndexedTarget &row);

    static QString sha256Hex(const QString &text);

private:
    // Walks the ranking and calls `take` for each accepted target until it returns false.
    Status walk(const QString &docType, const QList<RepoConfig> &repos,
                const DocumentedCheck &alreadyDocumented,
                const std::function<bool(Target &&)> &take,
                const std::atomic<bool> *cancelled) const;

    // walk() for code_evolution: the repositories' recent changes, best first.
    Status walkChanges(const QList<RepoConfig> &repos, const DocumentedCheck &alreadyDocumented,
                       const std::function<bool(Target &&)> &take,
                       const std::atomic<bool> *cancelled) const;

    AnalyzerConfig m_analyzer;
    QList<RepoConfig> m_repositories;
    SymbolIndex *m_index;
};

} // namespace codeworm
