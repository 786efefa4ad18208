#include "generate/PromptLibrary.h"

#include "generate/DocRenderer.h"

#include <QHash>
#include <QRegularExpression>

namespace codeworm {

namespace {

const QString functionDocType = QStringLiteral("function_doc");

const QString journalVoice = QStringLiteral(
    "You are a technical writer keeping a developer's journal about their own code. ");

// Shared by every type: length and form of the answer.
QString markdownRules(int minWords, int maxWords)
{
    return QStringLiteral("Write %1-%2 words of Markdown. Use short paragraphs or bullet lists. "
                          "Do not start with a top-level heading: the journal adds its own "
                          "title.")
        .arg(minWords)
        .arg(maxWords);
}

// Shared by the types written from code: the rule against invented names.
QString journalRules(int minWords, int maxWords)
{
    return markdownRules(minWords, maxWords) +
           QStringLiteral(
               " Do not repeat the source code and do not wrap the answer in a code block.\n"
               "\n"
               "Reference only code that appears in the snippet. Never invent function, class, "
               "variable or parameter names; when behaviour depends on code you cannot see, say "
               "so instead of guessing. Put identifiers in backticks.");
}

struct TypePrompts
{
    QString system;
    QString templ;
};

const QString codeBlock = QStringLiteral("\n```{language}\n{source}\n```\n");
const QString diffBlock = QStringLiteral("\n```diff\n{source}\n```\n");
const QString outlineBlock = QStringLiteral("\n```text\n{source}\n```\n");

// Summaries are written from facts, not code: their own rules against invented content.
TypePrompts summaryPrompts(const QString &period, int minWords, int maxWords)
{
    return {
        journalVoice +
            QStringLiteral(
                "Each summary looks back on one %1 of work, from the facts listed: the entries "
                "the journal gained (per repository, type and language), the findings of its "
                "security and performance reviews, and the commits in the developer's "
                "repositories.\n\n"
                "Cover where the work went and its main themes; the review findings that deserve "
                "follow-up, most severe first; which repositories and languages were busiest "
                "and which were quiet; and a short outlook on what to look at next.\n\n")
                .arg(period) +
            markdownRules(minWords, maxWords) +
            QStringLiteral(" Use only the facts given: never invent commits, files, "
                           "functions, names or numbers, and when the facts are thin, say so "
                           "briefly instead of padding. Put identifiers in backticks."),
        QStringLiteral("Summarise {period_title} ({period_range}) for the journal. The "
                       "facts:\n\n```text\n{source}\n```\n")};
}

const QHash<QString, TypePrompts> &typePrompts()
{
    const QString &journal = journalVoice;
    static const QHash<QString, TypePrompts> prompts = {
        {functionDocType,
         {journal +
              QStringLiteral("Each entry documents one function or method for a developer "
                             "who will come back to it later.\n\n"
                             "Cover its purpose; how it behaves, step by step where that "
                             "matters; its parameters and return value; key details such "
                             "as side effects, error handling and edge cases; when to use "
                             "it; and the gotchas a caller should know.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Document the {language} function `{name}` from `{file_path}` in the "
                         "repository {repo}.{class_context}\n"
                         "It is {line_count} lines long with a cyclomatic complexity of "
                         "{complexity} ({metrics}).\n") +
              codeBlock}},
        {QStringLiteral("class_doc"),
         {journal +
              QStringLiteral("Each entry documents one class, struct, interface, trait or "
                             "enum.\n\n"
                             "Cover what it represents and its responsibility; its state "
                             "(fields) and invariants; its main methods and how they work "
                             "together; how it is created and used; and the gotchas of "
                             "using it (ownership, thread-safety, lifecycle).\n\n") +
              journalRules(100, 200),
          QStringLiteral("Document the {language} {kind} `{name}` from `{file_path}` in the "
                         "repository {repo}.\n"
                         "It is {line_count} lines long; its methods add up to a cyclomatic "
                         "complexity of {complexity}.\n") +
              codeBlock}},
        {QStringLiteral("file_doc"),
         {journal +
              QStringLiteral("Each entry gives an overview of one source file.\n\n"
                             "Cover the file's role in the project; the main functions and "
                             "types it defines and how they relate; its dependencies "
                             "(imports) and who is likely to use it; and anything "
                             "surprising a reader should know first.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Give an overview of the {language} file `{file_path}` in the "
                         "repository {repo}.\n"
                         "It has {line_count} lines; its functions add up to a cyclomatic "
                         "complexity of {complexity}.\n") +
              codeBlock}},
        {QStringLiteral("security_review"),
         {QStringLiteral("You are a security reviewer writing notes in a developer's journal "
                         "about their own code.\n\n"
                         "Review the function in the snippet for: injection (SQL, shell, "
                         "path, HTML), authentication and authorization mistakes, hard-coded "
                         "secrets, races and time-of-check/time-of-use bugs, missing input "
                         "validation, unsafe deserialization, and error messages that leak "
                         "details. Rate each finding Critical, High, Medium, Low or Info, explain "
                         "how it could be exploited, and give a concrete fix. If the code is "
                         "sound, say so and say why. Values shown as [REDACTED:...] were secrets "
                         "removed before review: treat them as hard-coded secrets.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Review the {language} function `{name}` from `{file_path}` in the "
                         "repository {repo} for security.{class_context}\n"
                         "A scan flagged:\n{findings}\n") +
              codeBlock}},
        {QStringLiteral("performance_analysis"),
         {QStringLiteral("You are a performance engineer writing notes in a developer's journal "
                         "about their own code.\n\n"
                         "Analyse the function in the snippet: its time and space complexity in "
                         "big-O terms; redundant or repeated work; blocking calls in async code; "
                         "queries or I/O inside loops (N+1); missed caching; resource leaks. "
                         "Propose concrete optimisations, each with its expected effect, and say "
                         "when the code is already fine.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Analyse the performance of the {language} function `{name}` from "
                         "`{file_path}` in the repository {repo}.{class_context}\n"
                         "It is {line_count} lines long with a cyclomatic complexity of "
                         "{complexity} and nesting depth {nesting}. A scan noticed:\n"
                         "{findings}\n") +
              codeBlock}},
        {QStringLiteral("til"),
         {QStringLiteral("You write \"Today I Learned\" notes in a developer's journal: one "
                         "small, concrete idea learned from their own code.\n\n"
                         "Start with a hook such as \"TIL:\" and explain one technique or idiom "
                         "the snippet uses, why it works and when to reach for it. One idea "
                         "only.\n\n") +
              journalRules(50, 100),
          QStringLiteral("Write a TIL note about the {language} function `{name}` from "
                         "`{file_path}` in the repository {repo}. Idioms it uses:\n"
                         "{findings}\n") +
              codeBlock}},
        {QStringLiteral("module_doc"),
         {journal +
              QStringLiteral("Each entry gives an overview of one module: a package or folder of "
                             "source files, seen through the outline of its files and their main "
                             "functions and types (not their whole source).\n\n"
                             "Cover the module's responsibility in the project; how its files "
                             "divide the work; which functions and types form its interface and "
                             "how they work together; what it likely depends on and who uses it; "
                             "and where a newcomer should start reading. Mention gotchas only "
                             "where the outline shows them.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Give an overview of the {module_kind} `{name}` in the repository "
                         "{repo}.\n"
                         "It has {file_count} files ({language} mostly) with {line_count} lines, "
                         "{functions} functions and {types} types; their cyclomatic complexity "
                         "adds up to {complexity}.\n"
                         "Its files, most interesting first, each with its main functions and "
                         "types:\n") +
              outlineBlock}},
        {QStringLiteral("code_evolution"),
         {journal +
              QStringLiteral("Each entry explains one recent change to one file, from the "
                             "file's diff in that commit and the commit message.\n\n"
                             "Cover what changed: the behaviour before and after, not a "
                             "line-by-line replay of the diff; why it changed, as far as the "
                             "commit message and the code show (when the reason is not stated, "
                             "say so rather than guess); which functions or types are affected "
                             "and what their callers should know now; and the risks the change "
                             "adds or removes. In the diff, lines starting with '+' were added "
                             "and lines starting with '-' were removed.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Explain the change that commit {commit} made to the {language} file "
                         "`{file_path}` in the repository {repo}.\n"
                         "Author: {author}, {date}.\n"
                         "Commit message:\n{commit_message}\n\n"
                         "The commit changed {changes}; {touched}.\n") +
              diffBlock}},
        {QStringLiteral("pattern_analysis"),
         {journal +
              QStringLiteral("Each entry analyses the design patterns one class, struct or "
                             "trait implements. The patterns were found from the code's "
                             "structure and are listed with the members that show them.\n\n"
                             "For each pattern: confirm it against the code (if the code does "
                             "not really implement it, say so plainly); show how this code "
                             "implements it, naming the members involved; why it fits here and "
                             "what it costs (testability, coupling, thread safety, lifetime); "
                             "and a simpler alternative when one would do.\n\n") +
              journalRules(100, 200),
          QStringLiteral("Analyse the design patterns of the {language} {kind} `{name}` from "
                         "`{file_path}` in the repository {repo}. Found from its structure:\n"
                         "{findings}\n") +
              codeBlock}},
        {QStringLiteral("weekly_summary"), summaryPrompts(QStringLiteral("week"), 150, 300)},
        {QStringLiteral("monthly_summary"), summaryPrompts(QStringLiteral("month"), 200, 400)},
    };
    return prompts;
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

// code_evolution's placeholders: {commit} {commit_message} {author} {date} {changes}
// {touched}.
void insertChangeValues(const CodeChange &change, QMap<QString, QString> &values)
{
    values.insert(QStringLiteral("commit"), change.shortId);
    QStringList quoted;
    for (const QString &line : change.message.split(QLatin1Char('\n'))) {
        quoted << QString(QStringLiteral("> ") + line).trimmed();
    }
    values.insert(QStringLiteral("commit_message"), quoted.join(QLatin1Char('\n')));
    values.insert(QStringLiteral("author"), change.authorName);
    values.insert(QStringLiteral("date"), change.authorDate.toString(Qt::ISODate));
    values.insert(QStringLiteral("changes"),
                  QStringLiteral("%1 added and %2 removed lines in %3 hunk%4")
                          .arg(change.additions)
                          .arg(change.deletions)
                          .arg(change.hunks)
                          .arg(change.hunks == 1 ? QString() : QStringLiteral("s")) +
                      (change.oldPath.isEmpty()
                           ? QString()
                           : QStringLiteral(" (renamed from `%1`)").arg(change.oldPath)));
    QStringList touched;
    for (const QString &name : change.touchedSymbols) {
        touched << QLatin1Char('`') + name + QLatin1Char('`');
    }
    values.insert(QStringLiteral("touched"),
                  touched.isEmpty()
                      ? QStringLiteral("it touches no function or type")
                      : QStringLiteral("it touches ") + touched.join(QStringLiteral(", ")));
}

} // namespace

PromptLibrary::PromptLibrary(PromptsConfig prompts, int maxSourceLines, int contextTokens,
                             int answerTokens)
    : m_prompts(std::move(prompts))
    , m_maxSourceLines(maxSourceLines)
    , m_contextTokens(contextTokens)
    , m_answerTokens(answerTokens)
{}

int PromptLibrary::sourceLinesThatFit(const QString &source) const
{
    const int limit = qMax(1, m_maxSourceLines);
    if (m_contextTokens <= 0) {
        return limit;
    }
    // The answer's room (at most half the context), the system prompt, template and hints.
    constexpr int promptOverheadTokens = 1200;
    constexpr int charactersPerToken = 3;
    constexpr int minimumLines = 20;
    const int budget =
        m_contextTokens - qMin(m_answerTokens, m_contextTokens / 2) - promptOverheadTokens;
    qsizetype characters = 0;
    int lines = 0;
    for (const QStringView line : QStringView(source).split(QLatin1Char('\n'))) {
        characters += line.size() + 1;
        if (lines >= limit || characters / charactersPerToken > budget) {
            break;
        }
        ++lines;
    }
    return qMax(qMin(minimumLines, limit), lines);
}

QString PromptLibrary::defaultSystemPrompt(const QString &docType)
{
    return typePrompts().value(docType).system;
}

QString PromptLibrary::defaultTemplate(const QString &docType)
{
    return typePrompts().value(docType).templ;
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
    // The original's system_prompt and documentation_template were written for function
    // docs; the other types keep their own prompts.
    const bool original = docType == functionDocType;
    const PromptsConfig::TypePrompts own = m_prompts.types.value(target.docType);
    QString configuredSystem = own.systemPrompt.trimmed();
    if (configuredSystem.isEmpty() && original) {
        configuredSystem = m_prompts.systemPrompt.trimmed();
    }
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
    values.insert(QStringLiteral("source"),
                  DocRenderer::excerpt(symbol.source, DocRenderer::sourceLanguage(target),
                                       sourceLinesThatFit(symbol.source)));
    if (target.change) {
        insertChangeValues(*target.change, values);
    }
    if (target.period) {
        values.insert(QStringLiteral("period_title"), target.period->title);
        values.insert(QStringLiteral("period_range"),
                      QStringLiteral("%1 to %2")
                          .arg(target.period->first.toString(Qt::ISODate),
                               target.period->last.toString(Qt::ISODate)));
    }
    if (target.module) {
        values.insert(QStringLiteral("module_kind"), target.module->kind);
        values.insert(QStringLiteral("file_count"), QString::number(target.module->files.size()));
        values.insert(QStringLiteral("functions"), QString::number(target.module->functions));
        values.insert(QStringLiteral("types"), QString::number(target.module->types));
    }
    values.insert(QStringLiteral("metrics"),
                  QStringLiteral("nesting depth %1, %2 lines of code, %3 parameters")
                      .arg(symbol.maxNesting)
                      .arg(symbol.linesOfCode)
                      .arg(symbol.parameterCount));
    values.insert(QStringLiteral("name"), symbol.name.isEmpty() ? symbol.displayName : symbol.name);
    values.insert(QStringLiteral("file_path"), target.filePath);
    values.insert(QStringLiteral("repo"), target.repoName);
    values.insert(QStringLiteral("complexity"), QString::number(symbol.complexity));
    values.insert(QStringLiteral("line_count"), QString::number(symbol.lineCount()));
    values.insert(QStringLiteral("class_context"),
                  symbol.className.isEmpty() ? QString()
                  : target.classSignature.isEmpty()
                      ? QStringLiteral(" It is a method of class `%1`.").arg(symbol.className)
                      : QStringLiteral(" It is a method of `%1`, declared as `%2`.")
                            .arg(symbol.className, target.classSignature));

    values.insert(QStringLiteral("findings"), target.findings.isEmpty()
                                                  ? QStringLiteral("- nothing specific")
                                                  : target.findings);
    values.insert(QStringLiteral("kind"), CodeSymbol::kindName(symbol.kind));
    values.insert(QStringLiteral("nesting"), QString::number(symbol.maxNesting));
    QString templ = own.templ;
    if (templ.trimmed().isEmpty()) {
        templ = !original || m_prompts.documentationTemplate.isEmpty()
                    ? defaultTemplate(docType)
                    : m_prompts.documentationTemplate;
    }
    request.prompt = fill(templ, values);
    return request;
}

GenerationRequest PromptLibrary::commitSubjectRequest(const Target &target,
                                                      const QString &documentation) const
{
    GenerationRequest request;
    request.system = QStringLiteral(
        "You write git commit subjects for a developer's journal. Answer with one line of at "
        "most 72 characters in the imperative mood, without quotes, prefixes or a final period.");
    QMap<QString, QString> values;
    values.insert(QStringLiteral("language"), target.language);
    values.insert(QStringLiteral("name"), target.symbol.displayName);
    values.insert(QStringLiteral("file_path"), target.filePath);
    values.insert(QStringLiteral("repo"), target.repoName);
    values.insert(QStringLiteral("complexity"), QString::number(target.symbol.complexity));
    values.insert(QStringLiteral("line_count"), QString::number(target.symbol.lineCount()));
    values.insert(QStringLiteral("documentation"), documentation.left(2000));
    values.insert(QStringLiteral("source"), QString());
    const QString templ =
        m_prompts.commitMessageTemplate.trimmed().isEmpty()
            ? QStringLiteral("Write the commit subject for this journal entry about `{name}` in "
                             "`{file_path}` ({repo}):\n\n{documentation}\n")
            : m_prompts.commitMessageTemplate;
    request.prompt = fill(templ, values);
    request.temperature = 0.4;
    request.numPredict = 60;
    return request;
}

} // namespace codeworm
