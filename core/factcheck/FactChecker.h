#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace codeworm {

class SymbolIndex;

struct FactCheckResult
{
    bool passed = true;
    QStringList unknown; // identifiers found nowhere, in order of first appearance, unique
    int checked = 0;     // distinct identifiers looked up (standard names are not counted)

    // One line, for the log and the CodeWorm-Fact-Check trailer: "passed (12 identifiers)" or
    // "failed: `foo`, `bar` not found".
    QString summary() const;
};

// Keeps invented identifiers out of committed documents: every identifier the model names in
// an inline code span of its Markdown answer must occur in the documented snippet, its whole
// file (anywhere, as a token: code, comments or strings), the file's path, or the repository's
// symbol index, unless it is a keyword or standard-library name of the language. Fenced
// blocks are not read (they hold the document's own source). The rules for what a span names
// lean towards passing: a false failure costs a regeneration or the target, a missed
// invention only a weaker check.
class FactChecker
{
public:
    // `index` may be null: then only the snippet, the file and its path are used.
    FactChecker(const SymbolIndex *index, QString repo);

    // `language` as in Language ("python", "cpp", ...); `path` is repository-relative and
    // may be empty.
    FactCheckResult check(const QString &markdown, const QString &language, const QString &snippet,
                          const QString &fileContent, const QString &path = {}) const;

    // Appended to the prompt when regenerating after a failure: names the unknown
    // identifiers and asks for names from the code only. Empty for a passed result.
    static QString regenerationNote(const FactCheckResult &failed);

    // The contents of the inline code spans (CommonMark: `x`, ``x`y``), outside fenced
    // blocks (``` and ~~~), in order.
    static QStringList codeSpans(const QString &markdown);
    // The identifiers a span names that must exist, in order, unique: none for literals,
    // paths, file names, flags, URLs and prose (only snake_case/camelCase words of prose);
    // the parts of `Foo.bar()` and `self.radius`; the callee but not the arguments of a call;
    // of an object's members (`text.left`) only code-shaped ones (`shape.compute_area`), as
    // the object's type may be any library's; no keywords or standard names of `language`,
    // no members of a standard module or type (`os.path.join`), no single letters or short
    // acronyms.
    static QStringList namesIn(const QString &span, const QString &language);
    // A keyword or standard-library name of the language, or a value word every language
    // document may use (`None`, `null`, `true`, ...). Case-sensitive.
    static bool isStandardName(const QString &name, const QString &language);
    // Every identifier token of a text.
    static QSet<QString> identifierTokens(const QString &text);

private:
    const SymbolIndex *m_index;
    QString m_repo;
};

} // namespace codeworm
