#include "config/ConfigLoader.h"
#include "generate/PromptLibrary.h"

#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::sampleChangeTarget;
using codeworm::test::sampleModuleTarget;
using codeworm::test::TestEnvironment;

namespace {

Target methodTarget()
{
    Target target;
    target.repoName = QStringLiteral("CodeWorm");
    target.filePath = QStringLiteral("codeworm/parser.py");
    target.language = QStringLiteral("python");
    target.symbol.kind = CodeSymbol::Kind::Method;
    target.symbol.name = QStringLiteral("parse");
    target.symbol.className = QStringLiteral("Parser");
    target.symbol.displayName = QStringLiteral("Parser.parse");
    target.symbol.startLine = 12;
    target.symbol.endLine = 18;
    target.symbol.complexity = 3;
    target.symbol.source = QStringLiteral("def parse(self, text):\n"
                                          "    return [p for p in text.split() if p]");
    return target;
}

// C++ source full of braces, including ones that look like placeholders.
Target cppTarget()
{
    Target target;
    target.repoName = QStringLiteral("engine");
    target.filePath = QStringLiteral("src/format.cpp");
    target.language = QStringLiteral("cpp");
    target.symbol.name = QStringLiteral("format");
    target.symbol.displayName = QStringLiteral("format");
    target.symbol.startLine = 1;
    target.symbol.endLine = 4;
    target.symbol.complexity = 2;
    target.symbol.source = QStringLiteral("std::string format(int n) {\n"
                                          "    if (n) { return fmt::format(\"{name} {}\", n); }\n"
                                          "    return \"{source}{language}\";\n"
                                          "}");
    return target;
}

} // namespace

class TestPromptLibrary : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultRequestForAMethod();
    void defaultRequestForAFunction();
    void defaultPromptsSayWhatToWrite();
    void languageHints();
    void promptsYamlOverrides();
    void configuredHintReplacesTheDefault();
    void fillLeavesUnknownPlaceholders();
    void bracesInSourceAreUntouched();
    void classSignatureAndMetrics();
    void sourceIsCutToFitTheContext();
    void perTypePromptsFromPromptsYaml();
    void codeEvolutionExplainsTheDiffAndTheCommit();
    void moduleDocOutlinesTheFiles();
    void summariesAreWrittenFromTheFacts();

private:
    std::unique_ptr<TestEnvironment> m_env;
};

void TestPromptLibrary::initTestCase()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestPromptLibrary::defaultRequestForAMethod()
{
    const PromptLibrary library{PromptsConfig{}};
    const GenerationRequest request = library.documentationRequest(methodTarget());
    QCOMPARE(request.system, PromptLibrary::defaultSystemPrompt(QStringLiteral("function_doc")) +
                                 QStringLiteral("\n\n") +
                                 PromptLibrary::defaultLanguageHint(QStringLiteral("python")));
    QCOMPARE(request.prompt,
             QStringLiteral("Document the python function `parse` from `codeworm/parser.py` in "
                            "the repository CodeWorm. It is a method of class `Parser`.\n"
                            "It is 7 lines long with a cyclomatic complexity of 3 (nesting depth "
                            "0, 0 lines of code, 0 parameters).\n"
                            "\n"
                            "```python\n"
                            "def parse(self, text):\n"
                            "    return [p for p in text.split() if p]\n"
                            "```\n"));
    QVERIFY(!request.temperature.has_value());
    QVERIFY(!request.numPredict.has_value());
}

void TestPromptLibrary::defaultRequestForAFunction()
{
    const PromptLibrary library{PromptsConfig{}};
    const GenerationRequest request = library.documentationRequest(cppTarget());
    QVERIFY2(request.prompt.startsWith(QStringLiteral(
                 "Document the cpp function `format` from `src/format.cpp` in the repository "
                 "engine.\nIt is 4 lines long with a cyclomatic complexity of 2 (nesting depth 0, "
                 "0 lines "
                 "of code, 0 parameters).\n")),
             qPrintable(request.prompt));
    QVERIFY(!request.prompt.contains(QStringLiteral("method of class")));
    QVERIFY(request.system.endsWith(PromptLibrary::defaultLanguageHint(QStringLiteral("cpp"))));
}

void TestPromptLibrary::defaultPromptsSayWhatToWrite()
{
    const QString system = PromptLibrary::defaultSystemPrompt(QStringLiteral("function_doc"));
    for (const char *needle : {"100-200 words", "Markdown", "top-level heading", "parameters",
                               "return value", "gotchas", "Reference only code", "Never invent"}) {
        QVERIFY2(system.contains(QLatin1String(needle)), needle);
    }
    const QString templ = PromptLibrary::defaultTemplate(QStringLiteral("function_doc"));
    for (const char *key : {"{language}", "{source}", "{name}", "{file_path}", "{repo}",
                            "{complexity}", "{line_count}", "{class_context}"}) {
        QVERIFY2(templ.contains(QLatin1String(key)), key);
    }
}

void TestPromptLibrary::languageHints()
{
    for (const char *language :
         {"python", "cpp", "c", "javascript", "typescript", "go", "rust", "java"}) {
        QVERIFY2(!PromptLibrary::defaultLanguageHint(QLatin1String(language)).isEmpty(), language);
    }
    QVERIFY(PromptLibrary::defaultLanguageHint(QStringLiteral("python"))
                .contains(QStringLiteral("decorators")));
    QCOMPARE(PromptLibrary::defaultLanguageHint(QStringLiteral("tsx")),
             PromptLibrary::defaultLanguageHint(QStringLiteral("typescript")));
    QCOMPARE(PromptLibrary::defaultLanguageHint(QStringLiteral("cobol")), QString());

    // A language without a hint gets the bare system prompt.
    Target target = methodTarget();
    target.language = QStringLiteral("cobol");
    const GenerationRequest request = PromptLibrary(PromptsConfig{}).documentationRequest(target);
    QCOMPARE(request.system, PromptLibrary::defaultSystemPrompt(QStringLiteral("function_doc")));
}

void TestPromptLibrary::promptsYamlOverrides()
{
    // The original's prompts.yaml, loaded as a user would have it.
    const QString dir = QStringLiteral(CODEWORM_TEST_DATA_DIR "/config/original");
    const QString promptsYaml =
        QString::fromUtf8(codeworm::test::readFile(dir + QStringLiteral("/prompts.yaml")));
    QVERIFY(!promptsYaml.isEmpty());
    const Result<LoadedConfig> loaded =
        ConfigLoader::loadFromStrings(QString(), QString(), promptsYaml, dir);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const PromptsConfig &prompts = loaded->config.prompts;
    QVERIFY(!prompts.systemPrompt.isEmpty());

    const GenerationRequest request = PromptLibrary(prompts).documentationRequest(methodTarget());
    QCOMPARE(request.system,
             QStringLiteral("You document code. Reference only code in the snippet.\n\n"
                            "Write like a senior engineer explaining code to a new colleague.\n\n"
                            "Mention idioms such as comprehensions and context managers."));
    QCOMPARE(request.prompt,
             QStringLiteral("Document the python function parse from codeworm/parser.py in "
                            "CodeWorm:\n"
                            "def parse(self, text):\n"
                            "    return [p for p in text.split() if p]\n"));

    // Only what prompts.yaml sets is replaced: a cpp target keeps the built-in hint.
    const GenerationRequest cpp = PromptLibrary(prompts).documentationRequest(cppTarget());
    QVERIFY(cpp.system.endsWith(QStringLiteral("\n\n") +
                                PromptLibrary::defaultLanguageHint(QStringLiteral("cpp"))));
}

void TestPromptLibrary::configuredHintReplacesTheDefault()
{
    PromptsConfig prompts;
    prompts.languageHints.insert(QStringLiteral("cpp"), QStringLiteral("Mind the UB."));
    QCOMPARE(PromptLibrary(prompts).documentationRequest(cppTarget()).system,
             PromptLibrary::defaultSystemPrompt(QStringLiteral("function_doc")) +
                 QStringLiteral("\n\nMind the UB."));

    // An empty configured hint switches the hint off.
    prompts.languageHints.insert(QStringLiteral("cpp"), QString());
    QCOMPARE(PromptLibrary(prompts).documentationRequest(cppTarget()).system,
             PromptLibrary::defaultSystemPrompt(QStringLiteral("function_doc")));
}

void TestPromptLibrary::fillLeavesUnknownPlaceholders()
{
    const QMap<QString, QString> values = {
        {QStringLiteral("name"), QStringLiteral("parse")},
        {QStringLiteral("repo"), QStringLiteral("{name}")},
    };
    QCOMPARE(PromptLibrary::fill(QStringLiteral("{name} in {repo}: {unknown} {} { name } {name"),
                                 values),
             QStringLiteral("parse in {name}: {unknown} {} { name } {name"));
    QCOMPARE(PromptLibrary::fill(QStringLiteral("{{name}}"), values), QStringLiteral("{parse}"));
    QCOMPARE(PromptLibrary::fill(QString(), values), QString());
}

void TestPromptLibrary::bracesInSourceAreUntouched()
{
    const Target target = cppTarget();
    const GenerationRequest request = PromptLibrary(PromptsConfig{}).documentationRequest(target);
    QVERIFY2(request.prompt.contains(QStringLiteral("```cpp\n") + target.symbol.source +
                                     QStringLiteral("\n```\n")),
             qPrintable(request.prompt));

    PromptsConfig prompts;
    prompts.documentationTemplate = QStringLiteral("{source}\n-- {name} {json: {\"a\": 1}}");
    QCOMPARE(PromptLibrary(prompts).documentationRequest(target).prompt,
             target.symbol.source + QStringLiteral("\n-- format {json: {\"a\": 1}}"));
}

void TestPromptLibrary::classSignatureAndMetrics()
{
    Target target = methodTarget();
    target.classSignature = QStringLiteral("class Parser(BaseParser):");
    target.symbol.maxNesting = 2;
    target.symbol.linesOfCode = 6;
    target.symbol.parameterCount = 1;
    const QString prompt = PromptLibrary(PromptsConfig{}).documentationRequest(target).prompt;
    QVERIFY2(prompt.contains(QStringLiteral(
                 "It is a method of `Parser`, declared as `class Parser(BaseParser):`.")),
             qPrintable(prompt));
    QVERIFY2(prompt.contains(QStringLiteral("with a cyclomatic complexity of 3 (nesting depth 2, 6 "
                                            "lines of code, 1 parameters)")),
             qPrintable(prompt));
}

void TestPromptLibrary::sourceIsCutToFitTheContext()
{
    Target target = methodTarget();
    QStringList lines{QStringLiteral("def parse(self, text):")};
    for (int i = 0; i < 400; ++i) {
        lines << QStringLiteral("    step_%1 = text.split()[%1]  # a line of about forty chars")
                     .arg(i);
    }
    target.symbol.source = lines.join(QLatin1Char('\n'));
    // max_source_lines alone.
    const PromptLibrary generous(PromptsConfig{}, 150, 0, 0);
    QCOMPARE(generous.sourceLinesThatFit(target.symbol.source), 150);
    QString prompt = generous.documentationRequest(target).prompt;
    QVERIFY(prompt.contains(QStringLiteral("step_148 ")));
    QVERIFY(!prompt.contains(QStringLiteral("step_149 ")));
    QVERIFY2(prompt.contains(QStringLiteral("# \u2026 251 more lines not shown")),
             qPrintable(prompt));
    // A small context: 4096 tokens minus half for the answer minus the prompt's own text
    // leaves room for about 2,600 characters of source.
    const PromptLibrary tight(PromptsConfig{}, 150, 4096, 2048);
    const int fit = tight.sourceLinesThatFit(target.symbol.source);
    QVERIFY2(fit >= 20 && fit < 100, qPrintable(QString::number(fit)));
    prompt = tight.documentationRequest(target).prompt;
    QVERIFY(prompt.contains(QStringLiteral("more lines not shown")));
    QVERIFY(prompt.size() < 4096 * 3);
    // Every line kept whole: no cut inside an identifier.
    const QString code =
        prompt.section(QStringLiteral("```python\n"), 1).section(QStringLiteral("\n```"), 0, 0);
    const QStringList kept = code.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i + 1 < kept.size(); ++i) {
        QVERIFY2(lines.contains(kept.at(i)), qPrintable(kept.at(i)));
    }
}

void TestPromptLibrary::perTypePromptsFromPromptsYaml()
{
    const Result<LoadedConfig> loaded = ConfigLoader::loadFromStrings(
        QString(), QString(),
        QStringLiteral("system_prompt: Original system prompt.\n"
                       "documentation_template: \"Original {name}\"\n"
                       "types:\n"
                       "  security_review:\n"
                       "    system_prompt: Think like an attacker.\n"
                       "    template: \"Attack {name} in {file_path}:\\n{findings}\\n{source}\"\n"
                       "  function_doc:\n"
                       "    template: \"Per-type {name}\"\n"),
        m_env->root());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const PromptsConfig &prompts = loaded->config.prompts;
    QCOMPARE(prompts.types.size(), 2);

    Target security = methodTarget();
    security.docType = QStringLiteral("security_review");
    security.findings = QStringLiteral("- line 12: shell command execution");
    const GenerationRequest review = PromptLibrary(prompts).documentationRequest(security);
    QVERIFY(review.system.startsWith(QStringLiteral("Think like an attacker.")));
    QVERIFY2(review.prompt.startsWith(QStringLiteral(
                 "Attack parse in codeworm/parser.py:\n- line 12: shell command execution\n")),
             qPrintable(review.prompt));

    // function_doc: the per-type template wins; the original's system prompt still applies.
    const GenerationRequest function = PromptLibrary(prompts).documentationRequest(methodTarget());
    QCOMPARE(function.prompt, QStringLiteral("Per-type parse"));
    QVERIFY(function.system.startsWith(QStringLiteral("Original system prompt.")));

    // Other types keep their built-in prompts.
    Target til = methodTarget();
    til.docType = QStringLiteral("til");
    QVERIFY(PromptLibrary(prompts).documentationRequest(til).system.startsWith(
        PromptLibrary::defaultSystemPrompt(QStringLiteral("til")).left(40)));

    // An unknown type is an error naming the file, line and key.
    const Result<LoadedConfig> bad = ConfigLoader::loadFromStrings(
        QString(), QString(), QStringLiteral("types:\n  haiku:\n    template: x\n"), m_env->root());
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().contains(QStringLiteral("prompts.yaml:2")), qPrintable(bad.error()));
    QVERIFY2(bad.error().contains(QStringLiteral("'types.haiku'")), qPrintable(bad.error()));
}

void TestPromptLibrary::codeEvolutionExplainsTheDiffAndTheCommit()
{
    const QString system = PromptLibrary::defaultSystemPrompt(QStringLiteral("code_evolution"));
    for (const char *needle :
         {"100-200 words", "one recent change to one file", "what changed", "why it changed",
          "commit message", "say so rather than guess", "Reference only code", "Never invent"}) {
        QVERIFY2(system.contains(QLatin1String(needle)), needle);
    }
    const PromptLibrary library{PromptsConfig{}};
    const GenerationRequest request = library.documentationRequest(sampleChangeTarget());
    QCOMPARE(request.system, system + QStringLiteral("\n\n") +
                                 PromptLibrary::defaultLanguageHint(QStringLiteral("python")));
    QCOMPARE(request.prompt,
             QStringLiteral("Explain the change that commit 1a2b3c4 made to the python file "
                            "`codeworm/parser.py` in the repository CodeWorm.\n"
                            "Author: Ada Lovelace, 2026-02-17T09:30:00+01:00.\n"
                            "Commit message:\n"
                            "> Drop empty tokens\n"
                            ">\n"
                            "> Empty strings broke the lexer.\n"
                            "\n"
                            "The commit changed 1 added and 1 removed lines in 1 hunk; it touches "
                            "`Parser.parse`.\n"
                            "\n"
                            "```diff\n"
                            "--- a/codeworm/parser.py\n"
                            "+++ b/codeworm/parser.py\n"
                            "@@ -10,3 +10,3 @@ class Parser:\n"
                            "     def parse(self, text):\n"
                            "-        return text.split()\n"
                            "+        return [p for p in text.split() if p]\n"
                            "```\n"));

    // A long diff is cut at a line boundary with a '#' line, not a Python comment.
    Target big = sampleChangeTarget();
    QStringList lines{QStringLiteral("@@ -1,300 +1,300 @@")};
    for (int i = 0; i < 300; ++i) {
        lines << QStringLiteral("+value_%1 = %1").arg(i);
    }
    big.symbol.source = lines.join(QLatin1Char('\n'));
    big.change->touchedSymbols.clear();
    big.change->oldPath = QStringLiteral("codeworm/lexer.py");
    const QString prompt = PromptLibrary(PromptsConfig{}, 100).documentationRequest(big).prompt;
    QVERIFY2(
        prompt.contains(QStringLiteral("+value_98 = 98\n# \u2026 201 more lines not shown\n```")),
        qPrintable(prompt));
    QVERIFY(prompt.contains(QStringLiteral("(renamed from `codeworm/lexer.py`); it touches no "
                                           "function or type.")));
}

void TestPromptLibrary::moduleDocOutlinesTheFiles()
{
    const QString system = PromptLibrary::defaultSystemPrompt(QStringLiteral("module_doc"));
    for (const char *needle :
         {"100-200 words", "overview of one module", "responsibility", "interface",
          "where a newcomer should start", "Reference only code", "Never invent"}) {
        QVERIFY2(system.contains(QLatin1String(needle)), needle);
    }
    const GenerationRequest request =
        PromptLibrary{PromptsConfig{}}.documentationRequest(sampleModuleTarget());
    QCOMPARE(request.system, system + QStringLiteral("\n\n") +
                                 PromptLibrary::defaultLanguageHint(QStringLiteral("python")));
    QCOMPARE(request.prompt,
             QStringLiteral("Give an overview of the Python package `shop/orders` in the "
                            "repository shop.\n"
                            "It has 2 files (python mostly) with 25 lines, 4 functions and 1 "
                            "types; their cyclomatic complexity adds up to 10.\n"
                            "Its files, most interesting first, each with its main functions and "
                            "types:\n"
                            "\n"
                            "```text\n"
                            "shop/orders/pricing.py (7 lines, 1 functions, 0 types, complexity 4)\n"
                            "  function price(order, rules)\n"
                            "shop/orders/__init__.py (2 lines, 0 functions, 0 types, complexity 0) "
                            "\u2014 Orders.\n"
                            "```\n"));

    // The outline is cut to the context like any source, with a plain note.
    Target big = sampleModuleTarget();
    QStringList lines;
    for (int i = 0; i < 300; ++i) {
        lines << QStringLiteral("  function step_%1(order)").arg(i);
    }
    big.symbol.source = lines.join(QLatin1Char('\n'));
    const QString prompt =
        PromptLibrary(PromptsConfig{}, 150, 4096, 2048).documentationRequest(big).prompt;
    QVERIFY2(prompt.contains(QRegularExpression(
                 QStringLiteral("step_\\d+\\(order\\)\n\u2026 \\d+ more lines not shown\n```"))),
             qPrintable(prompt));
    QVERIFY(!prompt.contains(QStringLiteral("step_299")));
}

QTEST_GUILESS_MAIN(TestPromptLibrary)
#include "TestPromptLibrary.moc"

void TestPromptLibrary::summariesAreWrittenFromTheFacts()
{
    const QString weekly = PromptLibrary::defaultSystemPrompt(QStringLiteral("weekly_summary"));
    for (const char *needle : {"150-300 words", "one week of work", "review findings",
                               "Use only the facts", "never invent commits"}) {
        QVERIFY2(weekly.contains(QLatin1String(needle)), needle);
    }
    const QString monthly = PromptLibrary::defaultSystemPrompt(QStringLiteral("monthly_summary"));
    QVERIFY(monthly.contains(QStringLiteral("200-400 words")));
    QVERIFY(monthly.contains(QStringLiteral("one month of work")));

    Target target;
    target.docType = QStringLiteral("weekly_summary");
    target.repoName = QStringLiteral("all");
    target.filePath = QStringLiteral("2026-W07");
    target.symbol.name = target.filePath;
    target.symbol.displayName = QStringLiteral("Week 7 of 2026");
    target.symbol.source = QStringLiteral("Documents CodeWorm wrote: 3\n"
                                          "Commits in the source repositories: {none}\n");
    PeriodInfo period;
    period.key = target.filePath;
    period.title = target.symbol.displayName;
    period.first = QDate(2026, 2, 9);
    period.last = QDate(2026, 2, 15);
    target.period = period;
    const GenerationRequest request = PromptLibrary{PromptsConfig{}}.documentationRequest(target);
    // No language: no language hint.
    QCOMPARE(request.system, weekly);
    QCOMPARE(request.prompt,
             QStringLiteral("Summarise Week 7 of 2026 (2026-02-09 to 2026-02-15) for the journal. "
                            "The facts:\n"
                            "\n"
                            "```text\n"
                            "Documents CodeWorm wrote: 3\n"
                            "Commits in the source repositories: {none}\n"
                            "```\n"));
}
