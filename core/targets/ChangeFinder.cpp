#include "targets/ChangeFinder.h"

#include "analysis/CodeExtractor.h"
#include "analysis/CommitWalk.h"
#include "analysis/InterestScore.h"
#include "analysis/Language.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"
#include "common/GitHandles.h"
#include "targets/TargetFinder.h"

#include <QHash>
#include <QLoggingCategory>
#include <QStringDecoder>

#include <algorithm>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcChanges, "codeworm.targets.changes")

constexpr qint64 secondsPerDay = 24 * 60 * 60;
// Commits older than the window that may still hide newer ones behind them (clock skew), as
// GitHistory allows.
constexpr int olderCommitsBeforeStop = 5;
constexpr int shortIdLength = 7;
// A change outside every function and type (imports, top-level code, comments) says less
// about the code than one inside them.
constexpr double outsideSymbolsShare = 0.5;
constexpr int findingsSymbols = 5;

bool isBlobMode(uint16_t mode)
{
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

// New-side line ranges that the change's added and deleted lines touch.
struct LineRange
{
    int from = 0;
    int to = 0;
};

struct PatchText
{
    QString text;
    QList<LineRange> touched;
    int firstLine = 0;
    int lastLine = 0;
};

// The patch as a unified diff: file header, then each hunk's header and lines.
PatchText patchText(git_patch *patch, const git_diff_delta *delta)
{
    PatchText out;
    const auto side = [](const char *prefix, const git_diff_file &file, bool exists) {
        return exists ? QString::fromLatin1(prefix) + QString::fromUtf8(file.path)
                      : QStringLiteral("/dev/null");
    };
    out.text += QStringLiteral("--- ") +
                side("a/", delta->old_file, delta->status != GIT_DELTA_ADDED) +
                QStringLiteral("\n+++ ") + side("b/", delta->new_file, true) + QLatin1Char('\n');
    const size_t hunkCount = git_patch_num_hunks(patch);
    for (size_t h = 0; h < hunkCount; ++h) {
        const git_diff_hunk *hunk = nullptr;
        size_t lineCount = 0;
        if (git_patch_get_hunk(&hunk, &lineCount, patch, h) != 0) {
            continue;
        }
        out.text += QString::fromUtf8(hunk->header, qsizetype(hunk->header_len)).trimmed() +
                    QLatin1Char('\n');
        // The new-side line the next line of the hunk stands at: a deleted line touches the
        // lines around the place it was removed from.
        int cursor = hunk->new_start;
        for (size_t l = 0; l < lineCount; ++l) {
            const git_diff_line *line = nullptr;
            if (git_patch_get_line_in_hunk(&line, patch, h, l) != 0) {
                continue;
            }
            QString content = QString::fromUtf8(line->content, qsizetype(line->content_len));
            if (content.endsWith(QLatin1Char('\n'))) {
                content.chop(1);
            }
            switch (line->origin) {
            case GIT_DIFF_LINE_CONTEXT:
                out.text += QLatin1Char(' ') + content + QLatin1Char('\n');
                ++cursor;
                break;
            case GIT_DIFF_LINE_ADDITION:
                out.text += QLatin1Char('+') + content + QLatin1Char('\n');
                out.touched.append({line->new_lineno, line->new_lineno});
                ++cursor;
                break;
            case GIT_DIFF_LINE_DELETION:
                out.text += QLatin1Char('-') + content + QLatin1Char('\n');
                out.touched.append({qMax(1, cursor - 1), cursor});
                break;
            case GIT_DIFF_LINE_CONTEXT_EOFNL:
            case GIT_DIFF_LINE_ADD_EOFNL:
            case GIT_DIFF_LINE_DEL_EOFNL:
                out.text += QStringLiteral("\\ No newline at end of file\n");
                break;
            default:
                break;
            }
        }
        const int last = hunk->new_start + qMax(1, hunk->new_lines) - 1;
        out.firstLine = out.firstLine == 0 ? qMax(1, hunk->new_start) : out.firstLine;
        out.lastLine = qMax(out.lastLine, last);
    }
    if (out.text.endsWith(QLatin1Char('\n'))) {
        out.text.chop(1);
    }
    return out;
}

bool touches(const CodeSymbol &symbol, const QList<LineRange> &ranges)
{
    return std::any_of(ranges.cbegin(), ranges.cend(), [&symbol](const LineRange &r) {
        return symbol.startLine <= r.to && symbol.endLine >= r.from;
    });
}

bool isTypeKind(CodeSymbol::Kind kind)
{
    using Kind = CodeSymbol::Kind;
    return kind == Kind::Class || kind == Kind::Struct || kind == Kind::Interface ||
           kind == Kind::Trait || kind == Kind::Enum;
}

// A change found by the walk; scored once the walk has counted each file's commits.
struct Candidate
{
    Target target;
    qint64 time = 0;
    // The touched symbols' history-free scores: callables, else types; empty: the file's.
    QList<QPair<ScoreBreakdown, CodeSymbol>> touched;
    ScoreBreakdown fileScore;
};

QString describe(const Candidate &c)
{
    const CodeChange &change = *c.target.change;
    QStringList lines;
    lines << QStringLiteral("- commit %1 (%2) by %3: %4")
                 .arg(change.shortId, change.authorDate.date().toString(Qt::ISODate),
                      change.authorName, change.summary());
    lines << QStringLiteral("- +%1 -%2 lines in %3 hunk%4")
                 .arg(change.additions)
                 .arg(change.deletions)
                 .arg(change.hunks)
                 .arg(change.hunks == 1 ? QString() : QStringLiteral("s"));
    if (!change.oldPath.isEmpty()) {
        lines << QStringLiteral("- renamed from %1").arg(change.oldPath);
    }
    if (c.touched.isEmpty()) {
        lines << QStringLiteral("- touches no function or type (imports, top-level code or "
                                "comments)");
    }
    for (qsizetype i = 0; i < qMin(qsizetype(findingsSymbols), c.touched.size()); ++i) {
        const CodeSymbol &s = c.touched.at(i).second;
        lines << QStringLiteral("- touches %1 (%2, lines %3-%4, complexity %5)")
                     .arg(s.displayName, CodeSymbol::kindName(s.kind))
                     .arg(s.startLine)
                     .arg(s.endLine)
                     .arg(s.complexity);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ChangeFinder::ChangeFinder(const AnalyzerConfig &analyzer, SymbolIndex *index, QDateTime now,
                           int windowDays)
    : m_analyzer(analyzer)
    , m_index(index)
    , m_now(std::move(now))
    , m_windowDays(windowDays)
{}

QString ChangeFinder::displayName(const QString &filePath, const QString &shortId)
{
    return filePath.section(QLatin1Char('/'), -1) + QStringLiteral(" @ ") + shortId;
}

Result<QList<Target>> ChangeFinder::candidates(const RepoConfig &repo,
                                               const DocumentedCheck &alreadyDocumented,
                                               const std::atomic<bool> *cancelled) const
{
    using R = Result<QList<Target>>;
    auto opened = CommitWalk::open(repo.path);
    if (!opened) {
        return R::failure(opened.error());
    }
    CommitWalk &walk = opened.value();
    if (walk.isEmpty()) {
        return QList<Target>(); // a plain folder or an unborn branch has no history
    }
    git_repository *gitRepo = walk.repository();
    // The index holds the files the analyzer's rules admit (as of the last refresh).
    auto admitted = m_index->fileIds(repo.name);
    if (!admitted) {
        return R::failure(admitted.error());
    }
    if (admitted->isEmpty()) {
        return QList<Target>();
    }

    const qint64 windowStart = m_now.toSecsSinceEpoch() - qint64(m_windowDays) * secondsPerDay;
    const bool shallow = walk.isShallow();
    QList<Candidate> found;
    QHash<QString, int> commitsPerPath;
    int examined = 0;
    while (examined < maxCommits) {
        if (cancelled && cancelled->load()) {
            return QList<Target>();
        }
        auto next = walk.nextSince(windowStart, olderCommitsBeforeStop);
        if (!next) {
            return R::failure(next.error());
        }
        const git::Ptr<git_commit> commit = std::move(next).value();
        if (!commit) {
            break;
        }
        const git_oid oid = *git_commit_id(commit.get());
        const qint64 time = git_commit_time(commit.get());
        ++examined;
        // A merge repeats its branches' changes; a root commit is an import.
        if (git_commit_parentcount(commit.get()) != 1) {
            continue;
        }
        git_commit *rawParent = nullptr;
        if (git_commit_parent(&rawParent, commit.get(), 0) != 0) {
            if (shallow) {
                continue; // the edge of a shallow clone
            }
            return R::failure(QStringLiteral("%1: cannot read the parent of commit %2: %3")
                                  .arg(repo.path, git::oidHex(&oid), git::lastError()));
        }
        const git::Ptr<git_commit> parent(rawParent);
        git_tree *rawTree = nullptr;
        git_tree *rawParentTree = nullptr;
        if (git_commit_tree(&rawTree, commit.get()) != 0) {
            return R::failure(QStringLiteral("%1: cannot read the tree of commit %2: %3")
                                  .arg(repo.path, git::oidHex(&oid), git::lastError()));
        }
        const git::Ptr<git_tree> tree(rawTree);
        if (git_commit_tree(&rawParentTree, parent.get()) != 0) {
            return R::failure(QStringLiteral("%1: cannot read the tree of the parent of %2: %3")
                                  .arg(repo.path, git::oidHex(&oid), git::lastError()));
        }
        const git::Ptr<git_tree> parentTree(rawParentTree);

        git_diff_options options = GIT_DIFF_OPTIONS_INIT;
        options.context_lines = contextLines;
        git_diff *rawDiff = nullptr;
        if (git_diff_tree_to_tree(&rawDiff, gitRepo, parentTree.get(), tree.get(), &options) != 0) {
            return R::failure(QStringLiteral("%1: cannot diff commit %2: %3")
                                  .arg(repo.path, git::oidHex(&oid), git::lastError()));
        }
        const git::Ptr<git_diff> diff(rawDiff);
        if (git_diff_num_deltas(diff.get()) > size_t(maxFilesPerCommit)) {
            continue;
        }
        // A renamed and edited file is one change, not a deletion and an addition.
        git_diff_find_options findOptions = GIT_DIFF_FIND_OPTIONS_INIT;
        findOptions.flags = GIT_DIFF_FIND_RENAMES;
        if (git_diff_find_similar(diff.get(), &findOptions) != 0) {
            return R::failure(QStringLiteral("%1: cannot find renames in commit %2: %3")
                                  .arg(repo.path, git::oidHex(&oid), git::lastError()));
        }

        const QString commitId = git::oidHex(&oid);
        const git_signature *author = git_commit_author(commit.get());
        const char *message = git_commit_message(commit.get());
        const size_t deltaCount = git_diff_num_deltas(diff.get());
        for (size_t i = 0; i < deltaCount; ++i) {
            const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
            if (delta->status != GIT_DELTA_ADDED && delta->status != GIT_DELTA_MODIFIED &&
                delta->status != GIT_DELTA_RENAMED) {
                continue;
            }
            const QString path = QString::fromUtf8(delta->new_file.path);
            if (!admitted->contains(path) || !isBlobMode(delta->new_file.mode)) {
                continue;
            }
            ++commitsPerPath[path];
            git_patch *rawPatch = nullptr;
            if (git_patch_from_diff(&rawPatch, diff.get(), i) != 0 || !rawPatch) {
                qCWarning(lcChanges).noquote()
                    << QStringLiteral("%1: cannot diff %2 in commit %3: %4")
                           .arg(repo.path, path, commitId.left(shortIdLength), git::lastError());
                continue;
            }
            const git::Ptr<git_patch> patch(rawPatch);
            if (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) {
                continue;
            }
            size_t context = 0;
            size_t additions = 0;
            size_t deletions = 0;
            git_patch_line_stats(&context, &additions, &deletions, patch.get());
            const size_t changedLines = additions + deletions;
            if (changedLines == 0 || changedLines > size_t(maxChangedLines) ||
                git_patch_num_hunks(patch.get()) == 0) {
                continue;
            }
            git_blob *rawBlob = nullptr;
            if (git_blob_lookup(&rawBlob, gitRepo, &delta->new_file.id) != 0) {
                continue;
            }
            const git::Ptr<git_blob> blob(rawBlob);
            const QByteArray content(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                     qsizetype(git_blob_rawsize(blob.get())));
            if (content.isEmpty() || content.size() > RepositoryScanner::maxFileSize ||
                RepositoryScanner::looksBinary(content)) {
                continue;
            }
            QStringDecoder utf8(QStringDecoder::Utf8);
            const QString text = utf8.decode(content);
            if (utf8.hasError()) {
                continue;
            }

            const PatchText diffText = patchText(patch.get(), delta);
            const QString shortId = commitId.left(shortIdLength);
            Candidate c;
            c.time = time;
            Target &t = c.target;
            t.docType = QStringLiteral("code_evolution");
            t.repoName = repo.name;
            t.repoPath = repo.path;
            t.publishSource = repo.publishSource;
            t.filePath = path;
            t.symbol.name = displayName(path, shortId);
            t.symbol.displayName = t.symbol.name;
            t.symbol.source = diffText.text;
            t.codeHash = TargetFinder::sha256Hex(diffText.text);
            if (alreadyDocumented && alreadyDocumented(t)) {
                continue;
            }
            t.language = Language::forContent(path, content, m_analyzer.headerLanguage);
            if (t.language.isEmpty()) {
                t.language = Language::forPath(path);
            }
            t.symbol.startLine = diffText.firstLine;
            t.symbol.endLine = qMax(diffText.firstLine, diffText.lastLine);
            t.fileContent = text;

            const FileAnalysis analysis =
                CodeExtractor::analyze(t.language, content, CodeExtractor::Sources::Omit);
            t.symbol.complexity = analysis.metrics.complexity;
            t.symbol.maxNesting = analysis.metrics.maxNesting;
            t.symbol.linesOfCode = analysis.metrics.linesOfCode;
            t.symbol.tokenCount = analysis.metrics.tokenCount;
            c.fileScore = InterestScore::forFile(analysis.metrics);
            QList<QPair<ScoreBreakdown, CodeSymbol>> callables;
            QList<QPair<ScoreBreakdown, CodeSymbol>> types;
            for (const CodeSymbol &symbol : analysis.symbols) {
                if (!touches(symbol, diffText.touched)) {
                    continue;
                }
                if (symbol.isCallable()) {
                    callables.append({InterestScore::forSymbol(symbol), symbol});
                } else if (isTypeKind(symbol.kind)) {
                    types.append({InterestScore::forSymbol(symbol), symbol});
                }
            }
            const auto byInterest = [](const auto &a, const auto &b) {
                return a.first.staticPart() > b.first.staticPart();
            };
            std::stable_sort(callables.begin(), callables.end(), byInterest);
            std::stable_sort(types.begin(), types.end(), byInterest);
            c.touched = callables + types;

            CodeChange change;
            change.commitId = commitId;
            change.shortId = shortId;
            change.message = QString::fromUtf8(message ? message : "").trimmed();
            change.authorName = QString::fromUtf8(author && author->name ? author->name : "");
            if (author) {
                change.authorDate = QDateTime::fromSecsSinceEpoch(
                    author->when.time, Qt::OffsetFromUTC, author->when.offset * 60);
            }
            if (delta->status == GIT_DELTA_RENAMED) {
                change.oldPath = QString::fromUtf8(delta->old_file.path);
            }
            change.additions = int(additions);
            change.deletions = int(deletions);
            change.hunks = int(git_patch_num_hunks(patch.get()));
            for (const auto &[score, symbol] : std::as_const(c.touched)) {
                change.touchedSymbols << symbol.displayName;
            }
            t.change = change;
            t.findings = describe(c);
            found.append(std::move(c));
        }
    }

    // Scores need every commit of the window counted: churn is how often the file changed.
    for (Candidate &c : found) {
        FileHistory history;
        history.commits30 = commitsPerPath.value(c.target.filePath);
        history.commits90 = history.commits30;
        history.lastModified = QDateTime::fromSecsSinceEpoch(c.time, Qt::UTC);
        if (c.touched.isEmpty()) {
            ScoreBreakdown score = c.fileScore;
            InterestScore::applyHistory(score, history, m_now);
            c.target.score = score.total * outsideSymbolsShare;
            continue;
        }
        // The history is the file's, the same for every touched symbol: the first (most
        // interesting) one decides.
        ScoreBreakdown score = c.touched.first().first;
        InterestScore::applyHistory(score, history, m_now);
        c.target.score = score.total;
    }
    std::stable_sort(found.begin(), found.end(), [](const Candidate &a, const Candidate &b) {
        return a.target.score != b.target.score ? a.target.score > b.target.score : a.time > b.time;
    });
    QList<Target> targets;
    targets.reserve(found.size());
    for (Candidate &c : found) {
        targets.append(std::move(c.target));
    }
    return targets;
}

} // namespace codeworm
