#include "targets/TargetFinder.h"

#include "analysis/CodeExtractor.h"
#include "analysis/RepositoryScanner.h"

#include <QCryptographicHash>

namespace codeworm {

TargetFinder::TargetFinder(const AnalyzerConfig &analyzer, QList<RepoConfig> repositories)
    : m_analyzer(analyzer)
    , m_repositories(std::move(repositories))
{}

QString TargetFinder::sha256Hex(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<std::optional<Target>> TargetFinder::findNext(const DocumentedCheck &alreadyDocumented,
                                                     QStringList *warnings) const
{
    const RepositoryScanner scanner(m_analyzer);
    QStringList errors;
    int readable = 0;
    for (const RepoConfig &repo : m_repositories) {
        if (!repo.enabled) {
            continue;
        }
        auto files = scanner.scan(repo);
        if (!files) {
            errors << files.error();
            continue;
        }
        ++readable;
        for (const SourceFile &file : files.value()) {
            for (const CodeSymbol &symbol : CodeExtractor::extract(file.language, file.content)) {
                if (symbol.lineCount() < m_analyzer.minLines ||
                    symbol.lineCount() > m_analyzer.maxLines ||
                    symbol.complexity < m_analyzer.minComplexity) {
                    continue;
                }
                Target target;
                target.repoName = repo.name;
                target.repoPath = repo.path;
                target.publishSource = repo.publishSource;
                target.filePath = file.path;
                target.language = file.language;
                target.symbol = symbol;
                target.codeHash = sha256Hex(symbol.source);
                if (!alreadyDocumented(target)) {
                    if (warnings) {
                        *warnings << errors;
                    }
                    return std::optional<Target>(std::move(target));
                }
            }
        }
    }
    // A repository that cannot be read is only fatal when no repository could be read.
    if (readable == 0 && !errors.isEmpty()) {
        return Result<std::optional<Target>>::failure(errors.join(QStringLiteral("; ")));
    }
    if (warnings) {
        *warnings << errors;
    }
    return std::optional<Target>();
}

} // namespace codeworm
