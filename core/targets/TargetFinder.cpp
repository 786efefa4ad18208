#include "targets/TargetFinder.h"

#include "analysis/ContentHash.h"
#include "analysis/Indexer.h"
#include "analysis/PatternDetector.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"
#include "targets/ChangeFinder.h"
#include "targets/CodeSignals.h"
#include "targets/DocType.h"
#include "targets/ModuleFinder.h"

#include <QHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <map>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcTargets, "codeworm.targets")

constexpr int pageSize = 50;
// Finders that filter by source signals stop after this many pages: a repository with no
// signal in its best 1,000 functions has nothing worth that review.
constexpr int signalPages = 20;

struct TypeQuery
{
    IndexQuery query;
    int maxPages = 0; // 0: all
    // Keeps a loaded target (and may fill its findings).
    std::function<bool(Target &)> accept;
};

std::optional<TypeQuery> queryFor(const QString &docType, const AnalyzerConfig &analyzer)
{
    using Kind = CodeSymbol::Kind;
    TypeQuery t;
    t.query.limit = pageSize;
    const auto withLimits = [&t, &analyzer](double minComplexity) {
        t.query.minLines = analyzer.minLines;
        t.query.maxLines = analyzer.maxLines;
        t.query.minComplexity = minComplexity;
    };
    const auto bySignals =
        [&t](QList<CodeSignal> (*signalsOf)(const CodeSymbol &, const QString &)) {
            t.maxPages = signalPages;
            t.accept = [signalsOf](Target &target) {
                const QList<CodeSignal> found = signalsOf(target.symbol, target.language);
                if (!CodeSignals::enough(found)) {
                    return false;
                }
                target.findings = CodeSignals::describe(found);
                return true;
            };
        };
    if (docType == QLatin1String("function_doc")) {
        withLimits(analyzer.minComplexity);
    } else if (docType == QLatin1String("class_doc")) {
        t.query.kinds = {Kind::Class, Kind::Struct, Kind::Interface, Kind::Trait, Kind::Enum};
        t.query.minLines = analyzer.minLines;
    } else if (docType == QLatin1String("file_doc")) {
        t.query.files = true;
        t.accept = [](Target &target) { return target.symbol.complexity > 0; };
    } else if (docType == QLatin1String("security_review")) {
        withLimits(1);
        bySignals(&CodeSignals::security);
    } else if (docType == QLatin1String("performance_analysis")) {
        withLimits(3);
        bySignals(&CodeSignals::performance);
    } else if (docType == QLatin1String("pattern_analysis")) {
        // Types whose structure shows a design pattern (PatternDetector reads the file's
        // syntax tree; a name alone is not enough).
        t.query.kinds = {Kind::Class, Kind::Struct, Kind::Interface,
                         Kind::Trait, Kind::Enum,   Kind::Impl};
        t.query.minLines = analyzer.minLines;
        t.maxPages = signalPages;
        t.accept = [](Target &target) {
            const QList<DetectedPattern> found = PatternDetector::detect(
                target.language, target.fileContent.toUtf8(), target.symbol);
            QStringList lines;
            for (const DetectedPattern &pattern : found) {
                lines << QStringLiteral("- line %1: %2: %3")
                             .arg(pattern.line)
                             .arg(pattern.name, pattern.evidence);
            }
            target.findings = lines.join(QLatin1Char('\n'));
            return !found.isEmpty();
        };
    } else if (docType == QLatin1String("til")) {
        // One idea in 50-100 words: a short function.
        t.query.minLines = 3;
        t.query.maxLines = 60;
        bySignals(&CodeSignals::idioms);
    } else {
        return std::nullopt;
    }
    return t;
}

bool isSubject(const QString &docType, DocSubject subject)
{
    const DocType *type = DocType::find(docType);
    return type && type->subject == subject;
}

// The line that declares a method's type, searched upwards from the method (and then the
// whole file: Go declares methods apart from their type).
QString classSignatureOf(const QString &content, const QString &className, int methodLine)
{
    const QString name = className.section(QLatin1Char('.'), -1);
    if (name.isEmpty()) {
        return {};
    }
    const QRegularExpression declaration(
        QStringLiteral("^\\s*(?:(?:export|public|private|protected|internal|abstract|final|static|"
                       "sealed|default|pub(?:\\([^)]*\\))?|unsafe)\\s+)*"
                       "(?:class|struct|interface|trait|enum|record|union|type|"
                       "impl(?:\\s*<[^>]*>)?(?:\\s+[\\w:<>, &']+\\s+for)?)\\s+"
                       "(?:[\\w:]+::)?%1\\b")
            .arg(QRegularExpression::escape(name)));
    const QStringList lines = content.split(QLatin1Char('\n'));
    const auto clean = [](QString line) {
        line = line.trimmed();
        while (line.endsWith(QLatin1Char('{'))) {
            line.chop(1);
            line = line.trimmed();
        }
        return line.left(200);
    };
    for (int i = qMin(int(lines.size()), methodLine) - 1; i >= 0; --i) {
        if (declaration.match(lines.at(i)).hasMatch()) {
            return clean(lines.at(i));
        }
    }
    for (const QString &line : lines) {
        if (declaration.match(line).hasMatch()) {
            return clean(line);
        }
    }
    return {};
}

} // namespace

TargetFinder::TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories,
                           SymbolIndex *index)
    : m_analyzer(analyzer)
    , m_repositories(std::move(repositories))
    , m_index(index)
{}

QString TargetFinder::sha256Hex(const QString &text)
{
    return codeworm::sha256Hex(text.toUtf8());
}

Result<std::optional<Target>> TargetFinder::load(const AnalyzerConfig &analyzer,
                                                 const RepoConfig &repo, const IndexedTarget &row)
{
    auto snapshot = RepositorySnapshot::open(analyzer, repo);
    if (!snapshot) {
        return Result<std::optional<Target>>::failure(snapshot.error());
    }
    return load(*snapshot.value(), repo, row);
}

Result<std::optional<Target>> TargetFinder::load(const RepositorySnapshot &snapshot,
                                                 const RepoConfig &repo, const IndexedTarget &row)
{
    using R = Result<std::optional<Target>>;
    FileEntry entry;
    entry.path = row.path;
    entry.language = row.language;
    if (snapshot.isGit()) {
        entry.blobId = row.contentId;
    }
    auto read = snapshot.read(entry);
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
    target.score = row.score.total;
    if (row.isFile) {
        // A whole file reads like a symbol: its name, all its lines, the sum of its
        // functions' complexity.
        CodeSymbol &s = target.symbol;
        s.name = row.path.section(QLatin1Char('/'), -1);
        s.displayName = s.name;
        s.startLine = 1;
        s.endLine = qMax(1, row.fileMetrics.totalLines);
        s.endByte = int(content.size());
        s.complexity = row.fileMetrics.complexity;
        s.maxNesting = row.fileMetrics.maxNesting;
        s.linesOfCode = row.fileMetrics.linesOfCode;
        s.tokenCount = row.fileMetrics.tokenCount;
        s.source = QString::fromUtf8(content);
    } else {
        target.symbol = row.symbol;
        target.symbol.source = QString::fromUtf8(
            content.mid(row.symbol.startByte, row.symbol.endByte - row.symbol.startByte));
    }
    target.fileContent = row.isFile ? target.symbol.source : QString::fromUtf8(content);
    if (!row.isFile && !target.symbol.className.isEmpty()) {
        target.classSignature =
            classSignatureOf(target.fileContent, target.symbol.className, target.symbol.startLine);
    }
    target.codeHash = sha256Hex(target.symbol.source);
    if (target.codeHash != row.codeHash) {
        return std::optional<Target>();
    }
    return std::optional<Target>(std::move(target));
}

bool TargetFinder::supports(const QString &docType)
{
    return queryFor(docType, AnalyzerConfig{}).has_value() ||
           isSubject(docType, DocSubject::Change) || isSubject(docType, DocSubject::Module);
}

Result<QList<RepoConfig>> TargetFinder::refresh(QStringList *warnings,
                                                const std::atomic<bool> *cancelled) const
{
    using R = Result<QList<RepoConfig>>;
    Indexer indexer(*m_index, m_analyzer);
    const IndexReport report = indexer.refresh(m_repositories, cancelled);
    QStringList errors;
    for (const RepoIndexReport &repo : report.repos) {
        if (!repo.error.isEmpty()) {
            errors << repo.error;
        }
    }
    if (warnings) {
        *warnings << errors;
    }
    QList<RepoConfig> readable;
    if (report.cancelled) {
        return readable;
    }
    for (const RepoConfig &repo : m_repositories) {
        const bool failed = std::any_of(report.repos.cbegin(), report.repos.cend(),
                                        [&repo](const RepoIndexReport &r) {
                                            return r.name == repo.name && !r.error.isEmpty();
                                        });
        if (repo.enabled && !failed) {
            readable << repo;
        }
    }
    // A repository that cannot be read is only fatal when no repository could be read.
    if (readable.isEmpty() && !errors.isEmpty()) {
        return R::failure(errors.join(QStringLiteral("; ")));
    }
    return readable;
}

Status TargetFinder::walk(const QString &docType, const QList<RepoConfig> &repos,
                          const DocumentedCheck &alreadyDocumented,
                          const std::function<bool(Target &&)> &take,
                          const std::atomic<bool> *cancelled) const
{
    if (isSubject(docType, DocSubject::Change)) {
        return walkChanges(repos, alreadyDocumented, take, cancelled);
    }
    if (isSubject(docType, DocSubject::Module)) {
        // Repository after repository: a cycle asks one repository at a time anyway.
        const ModuleFinder modules(m_analyzer, m_index);
        bool more = true;
        for (const RepoConfig &repo : repos) {
            const Status walked = modules.walk(
                repo, alreadyDocumented,
                [&take, &more](Target &&target) { return more = take(std::move(target)); },
                cancelled);
            if (!walked || !more) {
                return walked;
            }
        }
        return {};
    }
    std::optional<TypeQuery> typeQuery = queryFor(docType, m_analyzer);
    if (!typeQuery || repos.isEmpty()) {
        return {};
    }
    QHash<QString, RepoConfig> byName;
    for (const RepoConfig &repo : repos) {
        byName.insert(repo.name, repo);
        typeQuery->query.repos << repo.name;
    }
    IndexQuery &query = typeQuery->query;
    std::map<QString, std::unique_ptr<RepositorySnapshot>> snapshots;
    for (int page = 0; typeQuery->maxPages == 0 || page < typeQuery->maxPages;
         ++page, query.offset += pageSize) {
        if (cancelled && cancelled->load()) {
            return {};
        }
        auto rows = m_index->best(query);
        if (!rows) {
            return Status::failure(rows.error());
        }
        for (const IndexedTarget &row : rows.value()) {
            // The cheap checks first: the index knows names and the code hash.
            Target probe;
            probe.docType = docType;
            probe.repoName = row.repo;
            probe.repoPath = byName.value(row.repo).path;
            probe.filePath = row.path;
            probe.language = row.language;
            probe.symbol = row.symbol;
            if (row.isFile) {
                probe.symbol.name = row.path.section(QLatin1Char('/'), -1);
                probe.symbol.displayName = probe.symbol.name;
            }
            probe.codeHash = row.codeHash;
            probe.score = row.score.total;
            if (alreadyDocumented && alreadyDocumented(probe)) {
                continue;
            }
            // One snapshot per repository for the whole walk: opening one reads its rules.
            auto snapshot = snapshots.find(row.repo);
            if (snapshot == snapshots.end()) {
                auto opened = RepositorySnapshot::open(m_analyzer, byName.value(row.repo));
                if (!opened) {
                    return Status::failure(opened.error());
                }
                snapshot = snapshots.emplace(row.repo, std::move(opened.value())).first;
            }
            auto loaded = load(*snapshot->second, byName.value(row.repo), row);
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
            Target target = std::move(*loaded.value());
            target.docType = docType;
            if (typeQuery->accept && !typeQuery->accept(target)) {
                continue;
            }
            if (!take(std::move(target))) {
                return {};
            }
        }
        if (rows.value().size() < pageSize) {
            return {};
        }
    }
    return {};
}

Status TargetFinder::walkChanges(const QList<RepoConfig> &repos,
                                 const DocumentedCheck &alreadyDocumented,
                                 const std::function<bool(Target &&)> &take,
                                 const std::atomic<bool> *cancelled) const
{
    const ChangeFinder changes(m_analyzer, m_index);
    QList<Target> all;
    for (const RepoConfig &repo : repos) {
        auto found = changes.candidates(repo, alreadyDocumented, cancelled);
        if (!found) {
            return Status::failure(found.error());
        }
        all << std::move(found.value());
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Target &a, const Target &b) { return a.score > b.score; });
    for (Target &target : all) {
        if (cancelled && cancelled->load()) {
            return {};
        }
        if (!take(std::move(target))) {
            return {};
        }
    }
    return {};
}

Result<std::optional<Target>> TargetFinder::find(const QString &docType,
                                                 const QList<RepoConfig> &repos,
                                                 const DocumentedCheck &alreadyDocumented,
                                                 QRandomGenerator *random,
                                                 const std::atomic<bool> *cancelled) const
{
    using R = Result<std::optional<Target>>;
    QList<Target> nearEqual;
    const Status walked = walk(
        docType, repos, alreadyDocumented,
        [&nearEqual, random](Target &&target) {
            if (!nearEqual.isEmpty() &&
                target.score < nearEqual.first().score * (1.0 - nearEqualShare)) {
                return false;
            }
            nearEqual.append(std::move(target));
            return random && nearEqual.size() < nearEqualCandidates;
        },
        cancelled);
    if (!walked) {
        return R::failure(walked.error());
    }
    if (nearEqual.isEmpty() || (cancelled && cancelled->load())) {
        return std::optional<Target>();
    }
    const qsizetype pick = random ? random->bounded(int(nearEqual.size())) : 0;
    return std::optional<Target>(nearEqual.at(pick));
}

Result<QList<Target>> TargetFinder::preview(const QString &docType, const QList<RepoConfig> &repos,
                                            int limit, const std::atomic<bool> *cancelled) const
{
    QList<Target> targets;
    const Status walked = walk(
        docType, repos, {},
        [&targets, limit](Target &&target) {
            targets.append(std::move(target));
            return targets.size() < limit;
        },
        cancelled);
    if (!walked) {
        return Result<QList<Target>>::failure(walked.error());
    }
    return targets;
}

Result<std::optional<Target>> TargetFinder::findNext(const DocumentedCheck &alreadyDocumented,
                                                     QStringList *warnings,
                                                     const std::atomic<bool> *cancelled) const
{
    auto readable = refresh(warnings, cancelled);
    if (!readable) {
        return Result<std::optional<Target>>::failure(readable.error());
    }
    return find(QStringLiteral("function_doc"), readable.value(), alreadyDocumented, nullptr,
                cancelled);
}

} // namespace codeworm
