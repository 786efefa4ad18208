#include "analysis/PathFilter.h"

#include <algorithm>

namespace codeworm {

namespace {

// Translates a '[...]' class starting at pattern[start] into a regular expression class.
// Returns the index after the closing ']', or -1 when the class is not closed.
qsizetype translateClass(const QString &pattern, qsizetype start, QString &regex)
{
    qsizetype i = start + 1;
    bool negated = false;
    if (i < pattern.size() &&
        (pattern.at(i) == QLatin1Char('!') || pattern.at(i) == QLatin1Char('^'))) {
        negated = true;
        ++i;
    }
    // A class never matches the separator, also when negated.
    QString body = negated ? QStringLiteral("^/") : QString();
    bool first = true;
    while (i < pattern.size()) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char(']') && !first) {
            regex += QLatin1Char('[') + body + QLatin1Char(']');
            return i + 1;
        }
        first = false;
        if (c == QLatin1Char('[') && i + 1 < pattern.size() &&
            pattern.at(i + 1) == QLatin1Char(':')) {
            const qsizetype end = pattern.indexOf(QLatin1String(":]"), i + 2);
            if (end < 0) {
                return -1;
            }
            // POSIX classes such as [:alpha:] have the same spelling in PCRE.
            body += pattern.mid(i, end + 2 - i);
            i = end + 2;
            continue;
        }
        if (c == QLatin1Char('\\')) {
            if (i + 1 >= pattern.size()) {
                return -1;
            }
            // An escaped letter is that letter: [\d] means "d", not PCRE's digit class.
            const QChar escaped = pattern.at(i + 1);
            if (!escaped.isLetterOrNumber()) {
                body += QLatin1Char('\\');
            }
            body += escaped;
            i += 2;
            continue;
        }
        if (c == QLatin1Char('[') || c == QLatin1Char('^') || c == QLatin1Char(']')) {
            body += QLatin1Char('\\');
        }
        body += c;
        ++i;
    }
    return -1;
}

// Translates a gitwildmatch pattern (without '!' and trailing '/') into an unanchored
// regular expression; returns an empty string when the pattern is malformed. anchored:
// relative to the base folder, else the pattern matches the name at any depth.
QString translate(QString pattern, bool anchored)
{
    if (pattern.startsWith(QLatin1Char('/'))) {
        pattern.remove(0, 1);
    }
    QString regex = anchored ? QString() : QStringLiteral("(?:.*/)?");
    qsizetype i = 0;
    while (i < pattern.size()) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('*')) {
            qsizetype run = i;
            while (run < pattern.size() && pattern.at(run) == QLatin1Char('*')) {
                ++run;
            }
            const bool atSegmentStart = i == 0 || pattern.at(i - 1) == QLatin1Char('/');
            const bool atSegmentEnd = run == pattern.size() || pattern.at(run) == QLatin1Char('/');
            if (run - i >= 2 && atSegmentStart && atSegmentEnd) {
                if (run == pattern.size()) {
                    // "a/**" matches everything inside a; a lone "**" matches everything.
                    regex += QStringLiteral(".*");
                    i = run;
                } else {
                    // "**/" matches zero or more whole folders.
                    regex += QStringLiteral("(?:.*/)?");
                    i = run + 1;
                }
            } else {
                // Any other run of stars stays within one segment.
                regex += QStringLiteral("[^/]*");
                i = run;
            }
        } else if (c == QLatin1Char('?')) {
            regex += QStringLiteral("[^/]");
            ++i;
        } else if (c == QLatin1Char('[')) {
            i = translateClass(pattern, i, regex);
            if (i < 0) {
                return {};
            }
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 >= pattern.size()) {
                return {};
            }
            regex += QRegularExpression::escape(pattern.mid(i + 1, 1));
            i += 2;
        } else {
            regex += QRegularExpression::escape(pattern.mid(i, 1));
            ++i;
        }
    }
    return regex;
}

// The folders that contain a path, outermost first: "a/b/c.py" → "a", "a/b".
QStringList parentFolders(const QString &path)
{
    QStringList folders;
    qsizetype slash = path.indexOf(QLatin1Char('/'));
    while (slash > 0) {
        folders << path.left(slash);
        slash = path.indexOf(QLatin1Char('/'), slash + 1);
    }
    return folders;
}

// pathspec semantics of the original's globs: a pattern selects a path when it matches the
// path itself or one of the folders that hold it; the last matching pattern decides, so
// '!' patterns can take a path back out.
bool listMatches(const QList<WildMatch> &patterns, const QString &path, bool isDirectory)
{
    const QStringList folders = parentFolders(path);
    bool matched = false;
    for (const WildMatch &pattern : patterns) {
        bool hit = pattern.matches(path, isDirectory);
        for (qsizetype i = 0; !hit && i < folders.size(); ++i) {
            hit = pattern.matches(folders.at(i), true);
        }
        if (hit) {
            matched = !pattern.isNegated();
        }
    }
    return matched;
}

bool hasHiddenSegment(const QString &path)
{
    return path.startsWith(QLatin1Char('.')) || path.contains(QLatin1String("/."));
}

QList<WildMatch> compile(const QStringList &patterns)
{
    QList<WildMatch> compiled;
    for (const QString &pattern : patterns) {
        WildMatch match(pattern.trimmed());
        if (match.isValid()) {
            compiled << match;
        }
    }
    return compiled;
}

} // namespace

WildMatch::WildMatch(const QString &pattern)
{
    QString text = pattern;
    // Trailing spaces are ignored unless escaped with a backslash.
    while (text.endsWith(QLatin1Char(' ')) && !text.endsWith(QLatin1String("\\ "))) {
        text.chop(1);
    }
    if (text.startsWith(QLatin1Char('!'))) {
        m_negated = true;
        text.remove(0, 1);
    }
    if (text.endsWith(QLatin1Char('/'))) {
        m_directoryOnly = true;
        text.chop(1);
    }
    if (text.isEmpty()) {
        return;
    }
    // A separator other than a trailing one makes the pattern relative to its base folder.
    const bool anchored = text.contains(QLatin1Char('/'));
    const QString regex = translate(text, anchored);
    if (regex.isEmpty()) {
        return;
    }
    m_regex.setPattern(QRegularExpression::anchoredPattern(regex));
    // "dir/*" and "dir/**" select every path inside dir (with the folder rule of
    // PathFilter, also for "dir/*"), which lets a walker skip dir without reading it.
    const qsizetype lastSlash = text.lastIndexOf(QLatin1Char('/'));
    const QStringView lastSegment = QStringView(text).mid(lastSlash + 1);
    const bool onlyStars =
        !lastSegment.isEmpty() && std::all_of(lastSegment.begin(), lastSegment.end(),
                                              [](QChar c) { return c == QLatin1Char('*'); });
    if (lastSlash > 0 && onlyStars) {
        const QString folderRegex = translate(text.left(lastSlash), true);
        if (!folderRegex.isEmpty()) {
            m_contentsOf.setPattern(QRegularExpression::anchoredPattern(folderRegex));
        }
    }
}

bool WildMatch::isValid() const
{
    return !m_regex.pattern().isEmpty() && m_regex.isValid();
}

bool WildMatch::matches(const QString &path, bool isDirectory) const
{
    if (!isValid() || (m_directoryOnly && !isDirectory)) {
        return false;
    }
    return m_regex.match(path).hasMatch();
}

bool WildMatch::matchesEverythingIn(const QString &folder) const
{
    if (m_negated || m_directoryOnly || m_contentsOf.pattern().isEmpty() ||
        !m_contentsOf.isValid()) {
        return false;
    }
    return m_contentsOf.match(folder).hasMatch();
}

void GitIgnore::addFile(const QString &folder, const QString &content)
{
    const QString base = folder.endsWith(QLatin1Char('/')) ? folder.chopped(1) : folder;
    const QStringList lines = content.split(QLatin1Char('\n'));
    for (QString line : lines) {
        if (line.endsWith(QLatin1Char('\r'))) {
            line.chop(1);
        }
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        WildMatch match(line);
        if (match.isValid()) {
            m_rules.append(Rule{base, match});
        }
    }
    // Deeper files override shallower ones whatever order they were added in; within one
    // depth the rules keep their order (files of sibling folders never overlap).
    std::stable_sort(m_rules.begin(), m_rules.end(), [](const Rule &a, const Rule &b) {
        const auto depth = [](const QString &f) {
            return f.isEmpty() ? 0 : f.count(QLatin1Char('/')) + 1;
        };
        return depth(a.folder) < depth(b.folder);
    });
}

bool GitIgnore::isIgnored(const QString &path, bool isDirectory) const
{
    const auto decide = [this](const QString &candidate, bool directory) {
        bool ignored = false;
        for (const Rule &rule : m_rules) {
            QString relative = candidate;
            if (!rule.folder.isEmpty()) {
                if (!candidate.startsWith(rule.folder + QLatin1Char('/'))) {
                    continue;
                }
                relative = candidate.mid(rule.folder.size() + 1);
            }
            if (rule.match.matches(relative, directory)) {
                ignored = !rule.match.isNegated();
            }
        }
        return ignored;
    };
    // Git never looks inside an ignored folder, so nothing below it can be re-included.
    const QStringList folders = parentFolders(path);
    for (const QString &folder : folders) {
        if (decide(folder, true)) {
            return true;
        }
    }
    return decide(path, isDirectory);
}

PathFilter::PathFilter(const QStringList &includePatterns, const QStringList &excludePatterns)
    : m_include(compile(includePatterns))
    , m_exclude(compile(excludePatterns))
{}

bool PathFilter::accepts(const QString &path) const
{
    if (path.isEmpty() || hasHiddenSegment(path)) {
        return false;
    }
    if (!m_include.isEmpty() && !listMatches(m_include, path, false)) {
        return false;
    }
    return !listMatches(m_exclude, path, false);
}

bool PathFilter::skipsDirectory(const QString &path) const
{
    if (hasHiddenSegment(path)) {
        return true;
    }
    // A later '!' exclude pattern may take back a file inside an excluded folder, so such
    // folders must be walked and their files judged one by one.
    const bool anyNegated = std::any_of(m_exclude.cbegin(), m_exclude.cend(),
                                        [](const WildMatch &m) { return m.isNegated(); });
    if (anyNegated) {
        return false;
    }
    if (listMatches(m_exclude, path, true)) {
        return true;
    }
    return std::any_of(m_exclude.cbegin(), m_exclude.cend(),
                       [&path](const WildMatch &m) { return m.matchesEverythingIn(path); });
}

} // namespace codeworm
