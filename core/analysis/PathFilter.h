#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace codeworm {

// gitwildmatch patterns as used by .gitignore and the analyzer's include/exclude globs:
// '*' and '?' stay within one path segment, '**' spans segments, '[...]' classes, a leading
// '/' anchors, a trailing '/' matches directories only, '!' negates (in .gitignore), and a
// pattern without '/' matches the name at any depth.
class WildMatch
{
public:
    explicit WildMatch(const QString &pattern);
    bool isValid() const;
    bool isNegated() const { return m_negated; }
    bool directoryOnly() const { return m_directoryOnly; }
    // path: relative, '/' separated, no leading slash.
    bool matches(const QString &path, bool isDirectory) const;
    // True when the pattern selects every path inside folder ("folder/**", "folder/*"),
    // so that a walker can skip the folder unread.
    bool matchesEverythingIn(const QString &folder) const;

private:
    QRegularExpression m_regex;
    QRegularExpression m_contentsOf;
    bool m_negated = false;
    bool m_directoryOnly = false;
};

// Rules of the .gitignore files of one repository. Each file's patterns are relative to
// the folder that holds it; later rules override earlier ones, deeper files override
// shallower ones.
class GitIgnore
{
public:
    // folder: '/' separated relative folder of the .gitignore ("" for the root).
    void addFile(const QString &folder, const QString &content);
    bool isIgnored(const QString &path, bool isDirectory) const;

private:
    struct Rule
    {
        QString folder;
        WildMatch match;
    };
    QList<Rule> m_rules;
};

// The analyzer's include/exclude globs plus the fixed rules of the original: hidden
// folders and files are skipped. As with the original's pathspec, a glob that matches a
// folder covers everything inside it, and within each list the last matching glob
// decides (a '!' glob takes paths back out).
class PathFilter
{
public:
    PathFilter(const QStringList &includePatterns, const QStringList &excludePatterns);
    // True when the file should be scanned (include matches or there are no includes, and
    // no exclude matches, and no path segment starts with '.').
    bool accepts(const QString &path) const;
    // True when a whole directory can be skipped (hidden or excluded).
    bool skipsDirectory(const QString &path) const;

private:
    QList<WildMatch> m_include;
    QList<WildMatch> m_exclude;
};

} // namespace codeworm
