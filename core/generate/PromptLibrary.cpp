#include "generate/PromptLibrary.h"

#include <QHash>
#include <QRegularExpression>

namespace codeworm {

namespace {

const QString functionDocType = QStringLiteral("function_doc");

QString functionSystemPrompt()
{
    return QStringLiteral(
        "You are a technical writer keeping a developer's journal about their own code. Each "
        "entry documents one function or method for a developer who will come back to it "
        "later.\n"
        "\n"
        "Write 100-200 words of Markdown about the function in the snippet. Cover its purpose; "
        "how it behaves, step by step where that matters; its parameters and return value; key "
        "details such as side effects, error handling and edge cases; when to use it; and the "
        "gotchas a caller should know. Use short paragraphs or bullet lists. Do not start with "
        "a top-level heading: the journal adds its own title. Do not repeat the source code and "
        "do not wrap the answer in a code block.\n"
        "\n"
        "Reference only code that appears in the snippet. Never invent function, class, "
        "variable or parameter names; when behaviour depends on code you cannot see, say so "
        "instead of guessing. Put identifiers in backticks.");
}

QString functionTemplate()
{
    return QStringLiteral("Document the {language} function `{name}` from `{file_path}` in the "
                          "repository {repo}.{class_context}\n"
                          "It is {line_count} lines long with a cyclomatic complexity of "
                          "{complexity}.\n"
                          "\n"
                          "```{language}\n"
                          "{source}\n"
                          "```\n");
}

const QHash<QString, QString> &languageHints()
{
    static const QHash<QString, QString> hints = {
        {QStringLiteral("python"),
         QStringLiteral("Python: mention decorators, generators, context managers, async "
                        "behaviour and type hints where the function uses them, and which "
                        "exceptions it raises or lets through. Call things by their Python "
                        "names (list, dict, None).")},
        {QStringLiteral("cpp"),
         QStringLiteral("C++: mention ownership and lifetimes (references, raw and smart "
                        "pointers, RAII), const-correctness, templates, exceptions or error "
                        "returns, and thread-safety where they matter.")},
        {QStringLiteral("c"),
         QStringLiteral("C: mention who allocates and frees memory, pointer validity, buffer "
                        "sizes, and how errors are reported (return codes, errno).")},
        {QStringLiteral("javascript"),
         QStringLiteral("JavaScript: mention asynchronous behaviour (promises, async/await, "
                        "callbacks), mutation of arguments, and this-binding where relevant.")},
        {QStringLiteral("typescript"),
         QStringLiteral("TypeScript: mention the types of parameters and return value, "
                        "generics and type narrowing, and asynchronous behaviour.")},
        {QStringLiteral("go"),
         QStringLiteral("Go: mention how errors are returned and wrapped, goroutines and "
                        "channels, context cancellation, and deferred calls.")},
        {QStringLiteral("rust"),
         QStringLiteral("Rust: mention ownership and borrowing, lifetimes, Result and Option "
                        "handling (including the ? operator), and the traits involved.")},
        {QStringLiteral("java"),
         QStringLiteral("Java: mention checked and unchecked exceptions, null handling, "
                        "visibility, and thread-safety (synchronized, concurrent collections) "
                        "where relevant.")},
    };
    return hints;
}

} // namespace

PromptLibrary::PromptLibrary(PromptsConfig prompts)
    : m_prompts(std::move(prompts))
{}

QString PromptLibrary::defaultSystemPrompt(const QString &docType)
{
    return docType == functionDocType ? functionSystemPrompt() : QString();
}

QString PromptLibrary::defaultTemplate(const QString &docType)
{
    return docType == functionDocType ? functionTemplate() : QString();
}

QString PromptLibrary::defaultLanguageHint(const QString &language)
{
    // TSX is TypeScript with JSX: the same advice applies.
    const QString key = language == QLatin1String("tsx") ? QStringLiteral("typescript") : language;
    return languageHints().value(key);
}

QString PromptLibrary::fill(const QString &templ, const QMap<QString, QString> &values)
{
    // One pass over the template: a value that itself contains "{name}" (source code often
    // does) is never expanded again, and unknown {braces} are copied as they are.
    static const QRegularExpression placeholder(QStringLiteral("\\{([A-Za-z_][A-Za-z0-9_]*)\\}"));
    QString result;
    result.reserve(templ.size());
    qsizetype copied = 0;
    QRegularExpressionMatchIterator it = placeholder.globalMatch(templ);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const auto value = values.constFind(match.captured(1));
        if (value == values.constEnd()) {
            continue;
        }
        result += QStringView(templ).mid(copied, match.capturedStart() - copied);
        result += *value;
        copied = match.capturedEnd();
    }
    result += QStringView(templ).mid(copied);
    return result;
}

GenerationRequest PromptLibrary::documentationRequest(const Target &target) const
{
    // Types without built-in prompts of their own yet are written with the function prompts.
    const QString docType =
        defaultTemplate(target.docType).isEmpty() ? functionDocType : target.docType;
    const CodeSymbol &symbol = target.symbol;

    GenerationRequest request;
    // Block scalars in prompts.yaml end with a line break; the parts are joined by blank lines.
    const QString configuredSystem = m_prompts.systemPrompt.trimmed();
    request.system = configuredSystem.isEmpty() ? defaultSystemPrompt(docType) : configuredSystem;
    if (!m_prompts.style.trimmed().isEmpty()) {
        request.system += QStringLiteral("\n\n") + m_prompts.style.trimmed();
    }
    // A hint configured for the language replaces the built-in one (an empty one removes it).
    const QString hint = m_prompts.languageHints.contains(target.language)
                             ? m_prompts.languageHints.value(target.language)
                             : defaultLanguageHint(target.language);
    if (!hint.trimmed().isEmpty()) {
        request.system += QStringLiteral("\n\n") + hint.trimmed();
    }

    QMap<QString, QString> values;
    values.insert(QStringLiteral("language"), target.language);
    values.insert(QStringLiteral("source"), symbol.source);
    values.insert(QStringLiteral("name"), symbol.name.isEmpty() ? symbol.displayName : symbol.name);
    values.insert(QStringLiteral("file_path"), target.filePath);
    values.insert(QStringLiteral("repo"), target.repoName);
    values.insert(QStringLiteral("complexity"), QString::number(symbol.complexity));
    values.insert(QStringLiteral("line_count"), QString::number(symbol.lineCount()));
    values.insert(QStringLiteral("class_context"),
                  symbol.className.isEmpty()
                      ? QString()
                      : QStringLiteral(" It is a method of class `%1`.").arg(symbol.className));

    const QString templ = m_prompts.documentationTemplate.isEmpty()
                              ? defaultTemplate(docType)
                              : m_prompts.documentationTemplate;
    request.prompt = fill(templ, values);
    return request;
}

} // namespace codeworm
