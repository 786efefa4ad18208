#include "generate/DocRenderer.h"

#include "analysis/Language.h"
#include "targets/DocType.h"

#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QStringList>

namespace codeworm {

namespace {

constexpr int maxSlugLength = 40;

// "Class.method", else the function, else the class, else the file's stem.
QString displayName(const Target &target)
{
    const CodeSymbol &symbol = target.symbol;
    if (!symbol.displayName.isEmpty()) {
        return symbol.displayName;
    }
    if (!symbol.name.isEmpty()) {
        return symbol.className.isEmpty() ? symbol.name
                                          : symbol.className + QLatin1Char('.') + symbol.name;
    }
    if (!symbol.className.isEmpty()) {
        return symbol.className;
    }
    return QFileInfo(target.filePath).completeBaseName();
}

// A fence longer than any backtick run in the code, so code containing ``` stays inside.
QString fenceFor(const QString &code)
{
    int longest = 0;
    int run = 0;
    for (const QChar c : code) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = qMax(longest, run);
    }
    return QString(qMax(3, longest + 1), QLatin1Char('`'));
}

// The text without a leading "Here is ...:" / "Here's ...:" line.
QString withoutPreamble(const QString &text)
{
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    const QString first = (end < 0 ? text : text.left(end)).trimmed();
    const bool preamble = (first.startsWith(QLatin1String("Here is"), Qt::CaseInsensitive) ||
                           first.startsWith(QLatin1String("Here's"), Qt::CaseInsensitive) ||
                           first.startsWith(QStringLiteral("Here\u2019s"), Qt::CaseInsensitive)) &&
                          first.endsWith(QLatin1Char(':'));
    if (!preamble) {
        return text;
    }
    return end < 0 ? QString() : text.mid(end + 1).trimmed();
}

// The inside of a text that is one fenced block as a whole; the text itself otherwise.
QString withoutWrappingFence(const QString &text)
{
    static const QRegularExpression whole(
        QStringLiteral("\\A(`{3,})[\\w+#.-]*[ \\t]*\\n(.*?)\\n?\\1\\s*\\z"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = whole.match(text);
    if (!match.hasMatch()) {
        return text;
    }
    const QString fence = match.captured(1);
    const QString inner = match.captured(2);
    // Nested blocks open with a language tag and close with a bare fence. A bare fence with
    // no nested block open closes the outer one: then the text is several blocks with prose
    // between them, not one wrapped block.
    bool nestedOpen = false;
    for (const QString &line : inner.split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (!trimmed.startsWith(fence)) {
            continue;
        }
        if (nestedOpen) {
            nestedOpen = false;
        } else if (trimmed.size() > fence.size()) {
            nestedOpen = true;
        } else {
            return text;
        }
    }
    return nestedOpen ? text : inner.trimmed();
}

// The text without a first line such as "# Circle.area", "## `Circle.area`" or
// "**Circle.area**" that only repeats the document's title.
QString withoutRepeatedTitle(const QString &text, const QString &title)
{
    if (title.isEmpty()) {
        return text;
    }
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    QString first = (end < 0 ? text : text.left(end)).trimmed();
    while (first.startsWith(QLatin1Char('#'))) {
        first.remove(0, 1);
    }
    static const QRegularExpression decoration(QStringLiteral("[`*_:]|\\(\\)"));
    first.remove(decoration);
    QString bare = title;
    bare.remove(decoration);
    if (first.trimmed().compare(bare.trimmed(), Qt::CaseInsensitive) != 0) {
        return text;
    }
    return end < 0 ? QString() : text.mid(end + 1).trimmed();
}

} // namespace

QString DocRenderer::folderFor(const QString &docType, const QString &language)
{
    const DocType *type = DocType::find(docType);
    if (type && !type->folder.isEmpty()) {
        return type->folder;
    }
    // function_doc, and any type this version does not know, go by language.
    return QStringLiteral("snippets/") +
           (language.isEmpty() ? QStringLiteral("other") : slug(language));
}

QString DocRenderer::label(const QString &docType)
{
    const DocType *type = DocType::find(docType);
    return type ? type->label : QStringLiteral("Documentation");
}

QString DocRenderer::slug(const QString &displayName)
{
    QString slug;
    slug.reserve(displayName.size());
    bool pendingDash = false;
    for (const QChar c : displayName.toLower()) {
        const char16_t u = c.unicode();
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')) {
            if (pendingDash && !slug.isEmpty()) {
                slug += QLatin1Char('-');
            }
            pendingDash = false;
            slug += c;
        } else {
            pendingDash = true;
        }
    }
    if (slug.size() > maxSlugLength) {
        // Cut at the last word boundary that fits; a single long word is cut hard.
        const bool boundaryAtCut = slug.at(maxSlugLength) == QLatin1Char('-');
        QString cut = slug.left(maxSlugLength);
        if (!boundaryAtCut) {
            const qsizetype dash = cut.lastIndexOf(QLatin1Char('-'));
            if (dash > 0) {
                cut.truncate(dash);
            }
        }
        slug = cut;
    }
    return slug.isEmpty() ? QStringLiteral("untitled") : slug;
}

QString DocRenderer::relativePath(const Target &target, const QDateTime &when)
{
    return folderFor(target.docType, target.language) + QLatin1Char('/') +
           when.date().toString(Qt::ISODate) + QLatin1Char('_') + slug(displayName(target)) +
           QStringLiteral(".md");
}

QString DocRenderer::excerpt(const QString &source, const QString &language, int maxLines)
{
    QStringList lines = source.split(QLatin1Char('\n'));
    if (lines.size() > 1 && lines.constLast().isEmpty()) {
        lines.removeLast();
    }
    const int limit = qMax(0, maxLines);
    if (lines.size() <= limit) {
        return lines.join(QLatin1Char('\n'));
    }
    const qsizetype omitted = lines.size() - limit;
    QStringList kept = lines.mid(0, limit);
    QString comment = language == QLatin1String("diff")   ? QStringLiteral("#")
                      : language == QLatin1String("text") ? QString()
                                                          : Language::lineComment(language);
    comment += QStringLiteral(" \u2026 %1 more lines not shown").arg(omitted);
    comment = comment.trimmed();
    kept << comment;
    return kept.join(QLatin1Char('\n'));
}

QString DocRenderer::sourceLanguage(const Target &target)
{
    if (target.module || target.period) {
        return QStringLiteral("text");
    }
    return target.change ? QStringLiteral("diff") : target.language;
}

namespace {

QString fenced(const QString &code, const QString &language)
{
    const QString fence = fenceFor(code);
    return fence + language + QLatin1Char('\n') + code + QLatin1Char('\n') + fence +
           QLatin1Char('\n');
}

// The layout every document shares: title, header fields, a section with what the model was
// shown, the model's text under the type's label, and the footer.
QString assemble(const QString &title, const QStringList &fields, const QString &shownTitle,
                 const QString &shown, const QString &typeLabel, const QString &documentation,
                 const QDateTime &when)
{
    QString markdown = QStringLiteral("# ") + title + QStringLiteral("\n\n");
    // The original's fields, one per line; the two trailing spaces are Markdown's line break,
    // without which renderers run the fields together into one paragraph.
    markdown += fields.join(QStringLiteral("  \n")) + QLatin1Char('\n');
    markdown += QStringLiteral("\n---\n\n## ") + shownTitle + QStringLiteral("\n\n") + shown;
    markdown += QStringLiteral("\n---\n\n## ") + typeLabel + QStringLiteral("\n\n");
    markdown += documentation.trimmed() + QLatin1Char('\n');
    markdown += QStringLiteral("\n---\n\n*Generated by CodeWorm on ") +
                when.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral("*\n");
    return markdown;
}

} // namespace

QString DocRenderer::render(const Target &target, const QString &documentation,
                            const QDateTime &when, int maxLines)
{
    if (target.period) {
        return renderPeriod(target, documentation, when);
    }
    const CodeSymbol &symbol = target.symbol;
    const QString typeLabel = label(target.docType);

    QString sourceSection;
    if (target.publishSource) {
        sourceSection =
            fenced(excerpt(symbol.source, sourceLanguage(target), maxLines),
                   target.change || target.module ? sourceLanguage(target)
                                                  : Language::fenceName(target.language));
    } else {
        sourceSection = QStringLiteral("*The source is not published: repository %1 is "
                                       "configured with publish_source: false.*\n")
                            .arg(target.repoName);
    }

    QStringList fields{
        QStringLiteral("**Type:** ") + typeLabel,
        QStringLiteral("**Repository:** ") + target.repoName,
        (target.module ? QStringLiteral("**Folder:** ") : QStringLiteral("**File:** ")) +
            target.filePath,
        QStringLiteral("**Language:** ") + target.language,
    };
    if (target.change) {
        const CodeChange &change = *target.change;
        fields << QStringLiteral("**Commit:** %1 \u2014 %2").arg(change.shortId, change.summary())
               << QStringLiteral("**Author:** %1, %2")
                      .arg(change.authorName,
                           change.authorDate.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
               << QStringLiteral("**Changes:** +%1 -%2 in %3 hunk%4")
                          .arg(change.additions)
                          .arg(change.deletions)
                          .arg(change.hunks)
                          .arg(change.hunks == 1 ? QString() : QStringLiteral("s")) +
                      (change.oldPath.isEmpty()
                           ? QString()
                           : QStringLiteral(", renamed from %1").arg(change.oldPath));
    }
    if (target.module) {
        const ModuleInfo &module = *target.module;
        fields << QStringLiteral("**Module:** ") + module.kind
               << QStringLiteral("**Files:** %1 (%2 lines, %3 functions, %4 types)")
                      .arg(module.files.size())
                      .arg(module.totalLines)
                      .arg(module.functions)
                      .arg(module.types);
    } else {
        fields << QStringLiteral("**Lines:** %1-%2").arg(symbol.startLine).arg(symbol.endLine);
    }
    fields << QStringLiteral("**Complexity:** %1").arg(symbol.complexity);
    return assemble(displayName(target), fields, QStringLiteral("Source Code"), sourceSection,
                    typeLabel, documentation, when);
}

QString DocRenderer::renderPeriod(const Target &target, const QString &documentation,
                                  const QDateTime &when)
{
    const PeriodInfo &period = *target.period;
    const QString typeLabel = label(target.docType);
    const QStringList fields{
        QStringLiteral("**Type:** ") + typeLabel,
        QStringLiteral("**Period:** %1 to %2")
            .arg(period.first.toString(Qt::ISODate), period.last.toString(Qt::ISODate)),
        QStringLiteral("**Repositories:** %1").arg(period.repositories),
        QStringLiteral("**Documents:** %1").arg(period.documents),
        QStringLiteral("**Commits:** %1").arg(period.commits),
    };
    // The facts the summary was written from, as the model saw them: commit subjects and
    // review lines are the user's text, so they stay in a block and are not read as Markdown.
    return assemble(displayName(target), fields, QStringLiteral("Activity"),
                    fenced(target.symbol.source.trimmed(), QStringLiteral("text")), typeLabel,
                    documentation, when);
}

QString DocRenderer::cleanResponse(const QString &modelText, const QString &title)
{
    static const QRegularExpression thinkBlock(QStringLiteral("<think>.*?</think>"),
                                               QRegularExpression::DotMatchesEverythingOption |
                                                   QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression thinkEnd(QStringLiteral("\\A.*?</think>"),
                                             QRegularExpression::DotMatchesEverythingOption |
                                                 QRegularExpression::CaseInsensitiveOption);
    QString text = modelText;
    text.remove(thinkBlock);
    // Some chat templates open the reasoning block in the prompt: only its end is in the text.
    text.remove(thinkEnd);
    text = withoutPreamble(text.trimmed());
    text = withoutWrappingFence(text);
    text = withoutPreamble(text);
    return withoutRepeatedTitle(text.trimmed(), title);
}

QString DocRenderer::cleanCommitSubject(const QString &modelText, int maxLength)
{
    static const QRegularExpression prefix(
        QStringLiteral(
            "^(?:(?:git\\s+)?commit(?:\\s+message)?|subject(?:\\s+line)?|title)\\s*:\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QString line;
    for (const QString &candidate : cleanResponse(modelText).split(QLatin1Char('\n'))) {
        line = candidate.trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1String("```"))) {
            break;
        }
    }
    while (line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char('-')) ||
           line.startsWith(QLatin1Char('*'))) {
        line = line.mid(1).trimmed();
    }
    line.remove(prefix);
    line.remove(QLatin1Char('`'));
    line.replace(space, QStringLiteral(" "));
    static const QString quotes = QStringLiteral("\"'\u201c\u201d\u2018\u2019");
    while (!line.isEmpty() && quotes.contains(line.front())) {
        line.remove(0, 1);
    }
    while (!line.isEmpty() && (quotes.contains(line.back()) || line.endsWith(QLatin1Char('.')))) {
        line.chop(1);
    }
    line = line.trimmed();
    if (line.size() > maxLength) {
        const qsizetype cut = line.lastIndexOf(QLatin1Char(' '), maxLength - 1);
        line = (cut > maxLength / 2 ? line.left(cut) : line.left(maxLength - 1)) + QChar(0x2026);
    }
    // A word or two, or a refusal, is no subject.
    if (line.size() < 10 || line.startsWith(QLatin1String("I "), Qt::CaseInsensitive) ||
        line.startsWith(QLatin1String("Sorry"), Qt::CaseInsensitive)) {
        return {};
    }
    return line;
}

} // namespace codeworm
