#include "targets/TargetFinder.h"

#include "analysis/Indexer.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"

#include <QCryptographicHash>
#include <QHash>
#include <QLoggingCategory>

#include <algorithm>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcTargets, "codeworm.targets")

constexpr int pageSize = 50;

} // namespace

TargetFinder::TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories,
                           SymbolIndex *index)
    : m_analyzer(analyzer)
    , m_repositories(std::move(repositories))
    , m_index(index)
{}

QString TargetFinder::sha256Hex(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<std::optional<Target>> TargetFinder::load(const AnalyzerConfig &analyzer,
                                                 const RepoConfig &repo, const IndexedTarget &row)
{
    using R = Result<std::optional<Target>>;
    auto snapshot = RepositorySnapshot::open(analyzer, repo);
    if (!snapshot) {
        return R::failure(snapshot.error());
    }
    FileEntry entry;
    entry.path = row.path;
    entry.language = row.language;
    if (snapshot.value()->isGit()) {
        entry.blobId = row.contentId;
    }
    auto read = snapshot.value()->read(entry);
    if (!read) {
        return R::failure(read.error());
    }
    if (!read.value() || read.value()->contentId != row.contentId) {
        return std::optional<Target>();
    }
    const QByteArray &content = read.value()->content;
    Target target;
    target.repoName = repo.name;
    target.repoPath = repo.path;
    target.publishSource = repo.publishSource;
    target.filePath = row.path;
    target.language = row.language;
    target.symbol = row.symbol;
    target.symbol.source = QString::fromUtf8(
        content.mid(row.symbol.startByte, row.symbol.endByte - row.symbol.startByte));
    target.codeHash = sha256Hex(target.symbol.source);
    if (target.codeHash != row.codeHash) {
        return std::optional<Target>();
    }
    return std::optional<Target>(std::move(target));
}

Result<std::optional<Target>> TargetFinder::findNext(const DocumentedCheck &alreadyDocumented,
                                                     QStringList *warnings,
                                                     const std::atomic<bool> *cancelled) const
{
    using R = Result<std::optional<Target>>;
    QList<RepoConfig> enabled;
    for (const RepoConfig &repo : m_repositories) {
        if (repo.enabled) {
            enabled << repo;
        }
    }
    Indexer indexer(*m_index, m_analyzer);
    const IndexReport report = indexer.refresh(m_repositories, cancelled);
    QStringList errors;
    QHash<QString, RepoConfig> readable;
    for (const RepoIndexReport &repo : report.repos) {
        if (!repo.error.isEmpty()) {
            errors << repo.error;
        }
    }
    for (const RepoConfig &repo : enabled) {
        const bool failed = std::any_of(report.repos.cbegin(), report.repos.cend(),
                                        [&repo](const RepoIndexReport &r) {
                                            return r.name == repo.name && !r.error.isEmpty();
                                        });
        if (!failed) {
            readable.insert(repo.name, repo);
        }
    }
    if (warnings) {
        *warnings << errors;
    }
    if (report.cancelled) {
        return std::optional<Target>();
    }
    // A repository that cannot be read is only fatal when no repository could be read.
    if (readable.isEmpty()) {
        if (!errors.isEmpty()) {
            return R::failure(errors.join(QStringLiteral("; ")));
        }
        return std::optional<Target>();
    }

    IndexQuery query;
    query.repos = readable.keys();
    query.minLines = m_analyzer.minLines;
    query.maxLines = m_analyzer.maxLines;
    query.minComplexity = m_analyzer.minComplexity;
    query.limit = pageSize;
    for (;; query.offset += pageSize) {
        if (cancelled && cancelled->load()) {
            return std::optional<Target>();
        }
        auto page = m_index->best(query);
        if (!page) {
            return R::failure(page.error());
        }
        for (const IndexedTarget &row : page.value()) {
            // The cheap checks first: the index knows names and the code hash.
            Target probe;
            probe.repoName = row.repo;
            probe.repoPath = readable.value(row.repo).path;
            probe.filePath = row.path;
            probe.language = row.language;
            probe.symbol = row.symbol;
            probe.codeHash = row.codeHash;
            if (alreadyDocumented(probe)) {
                continue;
            }
            auto loaded = load(m_analyzer, readable.value(row.repo), row);
            if (!loaded) {
                qCWarning(lcTargets).noquote() << loaded.error();
                continue;
            }
            if (!loaded.value()) {
                qCInfo(lcTargets).noquote()
                    << QStringLiteral("%1: %2 changed since it was indexed; skipped until the "
                                      "next refresh")
                           .arg(row.repo, row.path);
                continue;
            }
            return loaded;
        }
        if (page.value().size() < pageSize) {
            return std::optional<Target>();
        }
    }
}

} // namespace codeworm
