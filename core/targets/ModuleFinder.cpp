#include "targets/ModuleFinder.h"

#include "analysis/CodeExtractor.h"
#include "analysis/InterestScore.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"
#include "targets/TargetFinder.h"

#include <QHash>
#include <QMap>

#include <algorithm>
#include <limits>
#include <memory>

namespace codeworm {

namespace {

const QString python = QStringLiteral("python");
const QString script = QStringLiteral("script");
const QString go = QStringLiteral("go");
const QString rust = QStringLiteral("rust");
const QString cFamily = QStringLiteral("c");
const QString java = QStringLiteral("java");

QString familyOf(const QString &language)
{
    if (language == QLatin1String("javascript") || language == QLatin1String("typescript") ||
        language == QLatin1String("tsx")) {
        return script;
    }
    if (language == QLatin1String("cpp")) {
        return cFamily;
    }
    if (language == python || language == go || language == rust || language == cFamily ||
        language == java) {
        return language;
    }
    return {};
}

QString kindLabel(const QString &family)
{
    static const QHash<QString, QString> labels = {
        {python, QStringLiteral("Python package")},
        {script, QStringLiteral("JavaScript/TypeScript module")},
        {go, QStringLiteral("Go package")},
        {rust, QStringLiteral("Rust module")},
        {cFamily, QStringLiteral("C/C++ folder")},
        {java, QStringLiteral("Java package")},
    };
    return labels.value(family);
}

QString folderOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

QString nameOf(const QString &path)
{
    return path.section(QLatin1Char('/'), -1);
}

QString joinPath(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
}

bool isScriptIndex(const QString &name)
{
    static const QStringList names = {QStringLiteral("index.js"),  QStringLiteral("index.jsx"),
                                      QStringLiteral("index.mjs"), QStringLiteral("index.cjs"),
                                      QStringLiteral("index.ts"),  QStringLiteral("index.tsx")};
    return names.contains(name);
}

bool isTypeKind(CodeSymbol::Kind kind)
{
    using Kind = CodeSymbol::Kind;
    return kind == Kind::Class || kind == Kind::Struct || kind == Kind::Interface ||
           kind == Kind::Trait || kind == Kind::Enum;
}

// The first sentence (or line) of a doc comment, short.
QString firstSentence(const QString &doc)
{
    QString line = doc.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    const qsizetype stop = line.indexOf(QStringLiteral(". "));
    if (stop > 0) {
        line.truncate(stop + 1);
    }
    return line.size() > 100 ? line.left(99) + QChar(0x2026) : line;
}

// "function price(order, rules)", "class Order (3 methods)", each with its doc's first
// sentence: the file's main functions and types, in source order.
QStringList outlineOf(const FileAnalysis &analysis)
{
    QList<const CodeSymbol *> main;
    for (const CodeSymbol &s : analysis.symbols) {
        if (isTypeKind(s.kind) || (s.isCallable() && s.className.isEmpty())) {
            main << &s;
        }
    }
    QList<const CodeSymbol *> chosen = main;
    if (chosen.size() > ModuleFinder::maxSymbolsPerFile) {
        std::stable_sort(chosen.begin(), chosen.end(), [](const auto *a, const auto *b) {
            return InterestScore::forSymbol(*a).total > InterestScore::forSymbol(*b).total;
        });
        chosen.resize(ModuleFinder::maxSymbolsPerFile);
        std::sort(chosen.begin(), chosen.end(),
                  [](const auto *a, const auto *b) { return a->startLine < b->startLine; });
    }
    QStringList lines;
    for (const CodeSymbol *s : std::as_const(chosen)) {
        QString line = QStringLiteral("  ") + CodeSymbol::kindName(s->kind) + QLatin1Char(' ') +
                       s->displayName;
        if (s->isCallable()) {
            line += QLatin1Char('(') + s->parameters.join(QStringLiteral(", ")) + QLatin1Char(')');
        } else {
            const auto methods = std::count_if(
                analysis.symbols.cbegin(), analysis.symbols.cend(), [s](const CodeSymbol &m) {
                    return m.isCallable() &&
                           (m.className == s->displayName || m.className == s->name);
                });
            if (methods > 0) {
                line += QStringLiteral(" (%1 method%2)")
                            .arg(methods)
                            .arg(methods == 1 ? QString() : QStringLiteral("s"));
            }
        }
        const QString doc = firstSentence(s->docComment);
        if (!doc.isEmpty()) {
            line += QStringLiteral(" \u2014 ") + doc;
        }
        lines << line;
    }
    if (main.size() > chosen.size()) {
        lines << QStringLiteral("  \u2026 and %1 more functions and types")
                     .arg(main.size() - chosen.size());
    }
    return lines;
}

struct Candidate
{
    Target target;
    QList<IndexedTarget> rows; // the module's files, most interesting first
};

} // namespace

QList<ModuleFinder::Module> ModuleFinder::group(const QList<QPair<QString, QString>> &files)
{
    QMap<QPair<QString, QString>, QStringList> groups; // (folder, family) → paths
    for (const auto &[path, language] : files) {
        const QString family = familyOf(language);
        if (!family.isEmpty()) {
            groups[{folderOf(path), family}] << path;
        }
    }
    QList<Module> modules;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        const QString &folder = it.key().first;
        const QString &family = it.key().second;
        const QStringList &paths = it.value();
        QStringList names;
        for (const QString &path : paths) {
            names << nameOf(path);
        }
        QStringList members;
        if (family == python) {
            if (names.contains(QStringLiteral("__init__.py"))) {
                members = paths;
            }
        } else if (family == script) {
            if (std::any_of(names.cbegin(), names.cend(), isScriptIndex)) {
                members = paths;
            }
        } else if (family == go) {
            for (const QString &path : paths) {
                if (!path.endsWith(QLatin1String("_test.go"))) {
                    members << path;
                }
            }
        } else if (family == rust) {
            if (names.contains(QStringLiteral("mod.rs")) ||
                names.contains(QStringLiteral("lib.rs"))) {
                members = paths;
            } else if (!folder.isEmpty()) {
                const QString parent = folderOf(folder);
                const QString sibling = joinPath(parent, nameOf(folder) + QStringLiteral(".rs"));
                if (groups.value({parent, rust}).contains(sibling)) {
                    members = paths;
                    members << sibling;
                }
            }
        } else {
            members = paths; // C/C++ and Java: the folder is the unit
        }
        if (members.size() >= 2) {
            members.sort();
            modules.append({folder, family, members});
        }
    }
    return modules;
}

ModuleFinder::ModuleFinder(const AnalyzerConfig &analyzer, SymbolIndex *index)
    : m_analyzer(analyzer)
    , m_index(index)
{}

Status ModuleFinder::walk(const RepoConfig &repo, const DocumentedCheck &alreadyDocumented,
                          const std::function<bool(Target &&)> &take,
                          const std::atomic<bool> *cancelled) const
{
    IndexQuery query;
    query.repos = {repo.name};
    query.files = true;
    query.limit = std::numeric_limits<int>::max();
    auto rows = m_index->best(query);
    if (!rows) {
        return Status::failure(rows.error());
    }
    QHash<QString, IndexedTarget> byPath;
    QList<QPair<QString, QString>> files;
    for (const IndexedTarget &row : rows.value()) {
        byPath.insert(row.path, row);
        files.append({row.path, row.language});
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Candidate> candidates;
    for (const Module &module : group(files)) {
        Candidate c;
        for (const QString &path : module.files) {
            c.rows << byPath.value(path);
        }
        std::stable_sort(c.rows.begin(), c.rows.end(),
                         [](const IndexedTarget &a, const IndexedTarget &b) {
                             return a.score.total > b.score.total;
                         });
        FileMetrics sum;
        FileHistory active;
        QHash<QString, int> languages;
        QStringList hashes;
        for (const IndexedTarget &row : std::as_const(c.rows)) {
            const FileMetrics &m = row.fileMetrics;
            sum.complexity += m.complexity;
            sum.maxNesting = qMax(sum.maxNesting, m.maxNesting);
            sum.linesOfCode += m.linesOfCode;
            sum.totalLines += m.totalLines;
            sum.tokenCount += m.tokenCount;
            sum.functionCount += m.functionCount;
            sum.typeCount += m.typeCount;
            active.commits30 = qMax(active.commits30, row.history.commits30);
            active.commits90 = qMax(active.commits90, row.history.commits90);
            active.authors = qMax(active.authors, row.history.authors);
            if (row.history.lastModified.isValid() &&
                (!active.lastModified.isValid() ||
                 row.history.lastModified > active.lastModified)) {
                active.lastModified = row.history.lastModified;
            }
            ++languages[row.language];
            hashes << row.path + QLatin1Char('\t') + row.codeHash;
        }
        hashes.sort();
        ScoreBreakdown score = InterestScore::forFile(sum);
        InterestScore::applyHistory(score, active, now);

        Target &t = c.target;
        t.docType = QStringLiteral("module_doc");
        t.repoName = repo.name;
        t.repoPath = repo.path;
        t.publishSource = repo.publishSource;
        t.filePath = module.folder.isEmpty() ? QStringLiteral(".") : module.folder;
        // The language most of its files are in (the first by path on a tie).
        int most = 0;
        for (const QString &path : module.files) {
            const QString &language = byPath[path].language;
            if (languages.value(language) > most) {
                most = languages.value(language);
                t.language = language;
            }
        }
        CodeSymbol &s = t.symbol;
        s.kind = CodeSymbol::Kind::Namespace;
        s.name = module.folder.isEmpty() ? repo.name : module.folder;
        s.displayName = s.name;
        s.startLine = 1;
        s.endLine = qMax(1, sum.totalLines);
        s.complexity = sum.complexity;
        s.maxNesting = sum.maxNesting;
        s.linesOfCode = sum.linesOfCode;
        s.tokenCount = sum.tokenCount;
        t.codeHash = TargetFinder::sha256Hex(hashes.join(QLatin1Char('\n')));
        t.score = score.total;
        ModuleInfo info;
        info.kind = kindLabel(module.family);
        info.folder = module.folder;
        for (const IndexedTarget &row : std::as_const(c.rows)) {
            info.files << row.path;
        }
        info.totalLines = sum.totalLines;
        info.functions = sum.functionCount;
        info.types = sum.typeCount;
        t.module = info;
        candidates.append(std::move(c));
    }
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const Candidate &a, const Candidate &b) { return a.target.score > b.target.score; });

    std::unique_ptr<RepositorySnapshot> snapshot;
    for (Candidate &c : candidates) {
        if (cancelled && cancelled->load()) {
            return {};
        }
        if (alreadyDocumented && alreadyDocumented(c.target)) {
            continue;
        }
        if (!snapshot) {
            auto opened = RepositorySnapshot::open(m_analyzer, repo);
            if (!opened) {
                return Status::failure(opened.error());
            }
            snapshot = std::move(opened.value());
        }
        // The outline: each file read back at its indexed content, with its main symbols.
        QStringList outline;
        QStringList contents;
        bool stale = false;
        for (qsizetype i = 0; i < c.rows.size(); ++i) {
            const IndexedTarget &row = c.rows.at(i);
            if (i >= maxFilesRead) {
                outline << QStringLiteral("\u2026 and %1 more files").arg(c.rows.size() - i);
                break;
            }
            FileEntry entry;
            entry.path = row.path;
            entry.language = row.language;
            if (snapshot->isGit()) {
                entry.blobId = row.contentId;
            }
            auto read = snapshot->read(entry);
            if (!read) {
                return Status::failure(read.error());
            }
            if (!read.value() || read.value()->contentId != row.contentId) {
                stale = true; // the next refresh catches up
                break;
            }
            const QByteArray &content = read.value()->content;
            const FileAnalysis analysis =
                CodeExtractor::analyze(row.language, content, CodeExtractor::Sources::Omit);
            const FileMetrics &m = row.fileMetrics;
            QString header = QStringLiteral("%1 (%2 lines, %3 functions, %4 types, complexity %5)")
                                 .arg(row.path)
                                 .arg(m.totalLines)
                                 .arg(m.functionCount)
                                 .arg(m.typeCount)
                                 .arg(m.complexity);
            const QString doc = firstSentence(analysis.docComment);
            if (!doc.isEmpty()) {
                header += QStringLiteral(" \u2014 ") + doc;
            }
            outline << header;
            outline << outlineOf(analysis);
            contents << QString::fromUtf8(content);
        }
        if (stale) {
            continue;
        }
        Target target = std::move(c.target);
        target.symbol.source = outline.join(QLatin1Char('\n'));
        target.fileContent = contents.join(QLatin1Char('\n'));
        if (!take(std::move(target))) {
            return {};
        }
    }
    return {};
}

} // namespace codeworm
