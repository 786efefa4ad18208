#pragma once

#include "targets/Target.h"

#include <QDateTime>
#include <QString>

namespace codeworm {

// The DevLog's Markdown, in the original's layout and format, without its flaws: the
// source excerpt is cut at a line boundary with a comment saying how many lines were left
// out, and complexity is the real value.
class DocRenderer
{
public:
    static constexpr int maxSourceLines = 150;

    // "snippets/python/2026-02-19_codewormdaemon-run.md" for function_doc.
    static QString relativePath(const Target &target, const QDateTime &when);
    static QString folderFor(const QString &docType, const QString &language);
    static QString label(const QString &docType);
    // Lower-case, runs of non-alphanumerics become '-', trimmed, at most 40 characters cut
    // at a dash.
    static QString slug(const QString &displayName);
    static QString render(const Target &target, const QString &documentation, const QDateTime &when,
                          int maxLines = maxSourceLines);
    // Removes surrounding code fences, a leading "Here is ...:" line, <think> blocks and a
    // first line that only repeats the title (the document has its own).
    static QString cleanResponse(const QString &modelText, const QString &title = {});
    // The model's commit subject as one line of at most `maxLength` characters: the first
    // non-empty line, without quotes, backticks, "Commit message:" prefixes or a final period,
    // cut at a word. Empty when nothing usable is left.
    static QString cleanCommitSubject(const QString &modelText, int maxLength = 72);
    // Source cut to at most maxLines whole lines, with a trailing comment when cut. For
    // language "diff" the comment is a '#' line, as git's own patch editing writes them; for
    // "text" (a module's outline) a plain line.
    static QString excerpt(const QString &source, const QString &language,
                           int maxLines = maxSourceLines);
    // What the target's source is written in: "diff" for a change, "text" for a module's
    // outline or a period's facts, else its language.
    static QString sourceLanguage(const Target &target);

private:
    // weekly_summary, monthly_summary: the period's fields and facts instead of source code.
    static QString renderPeriod(const Target &target, const QString &documentation,
                                const QDateTime &when);
};

} // namespace codeworm
