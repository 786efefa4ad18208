#include "generate/DocRenderer.h"

#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <array>
#include <memory>

using namespace codeworm;
using codeworm::test::sampleChangeTarget;
using codeworm::test::sampleModuleTarget;
using codeworm::test::TestEnvironment;

namespace {

Target sampleTarget()
{
    Target target;
    target.docType = QStringLiteral("function_doc");
    target.repoName = QStringLiteral("CodeWorm");
    target.repoPath = QStringLiteral("/srv/ada/src/codeworm");
    target.filePath = QStringLiteral("codeworm/parser.py");
    target.language = QStringLiteral("python");
    target.symbol.kind = CodeSymbol::Kind::Method;
    target.symbol.name = QStringLiteral("parse");
    target.symbol.className = QStringLiteral("Parser");
    target.symbol.displayName = QStringLiteral("Parser.parse");
    target.symbol.startLine = 12;
    target.symbol.endLine = 18;
    target.symbol.complexity = 3;
    target.symbol.source = QStringLiteral("    def parse(self, text: str) -> list[str]:\n"
                                          "        \"\"\"Split text into {tokens}.\"\"\"\n"
                                          "        tokens = []\n"
                                          "        for part in text.split():\n"
                                          "            if part:\n"
                                          "                tokens.append(part)\n"
                                          "        return tokens");
    target.codeHash = QStringLiteral("0f0f");
    return target;
}

Target periodTarget(const QString &docType)
{
    Target target;
    target.docType = docType;
    target.repoName = QStringLiteral("all");
    const bool weekly = docType == QLatin1String("weekly_summary");
    target.filePath = weekly ? QStringLiteral("2026-W07") : QStringLiteral("2026-01");
    target.symbol.name = target.filePath;
    target.symbol.displayName =
        weekly ? QStringLiteral("Week 7 of 2026") : QStringLiteral("January 2026");
    target.symbol.source = QStringLiteral(
        "Period: Week 7 of 2026 (2026-02-09 to 2026-02-15)\n"
        "\n"
        "Documents CodeWorm wrote: 3\n"
        "- per repository: shop 2, CodeWorm 1\n"
        "- per type: function_doc 2, security_review 1\n"
        "- per language: python 3\n"
        "\n"
        "Findings of the period's reviews:\n"
        "- security, shop shop/auth.py (login): **Severity: High** - SQL built from input.\n"
        "\n"
        "Commits in the source repositories: 4\n"
        "- shop: 4 commits by Ada 3, Grace 1\n"
        "  - Fix the `total` rounding\n");
    target.codeHash = QStringLiteral("0d0d");
    PeriodInfo period;
    period.key = target.filePath;
    period.title = target.symbol.displayName;
    period.first = weekly ? QDate(2026, 2, 9) : QDate(2026, 1, 1);
    period.last = weekly ? QDate(2026, 2, 15) : QDate(2026, 1, 31);
    period.documents = 3;
    period.commits = 4;
    period.repositories = 2;
    target.period = period;
    return target;
}

// The expected file's content; with CODEWORM_UPDATE_EXPECTED=1 in the environment the file
// is first rewritten from `rendered` (then review the diff before committing it).
QString expectedFile(const QString &name, const QString &rendered)
{
    const QString path = QStringLiteral(CODEWORM_TEST_DATA_DIR "/render/") + name;
    if (qEnvironmentVariableIntValue("CODEWORM_UPDATE_EXPECTED") == 1) {
        QFile file(path);
        if (file.open(QIODevice::WriteOnly)) {
            file.write(rendered.toUtf8());
        }
        qWarning("rewrote %s", qPrintable(path));
    }
    return QString::fromUtf8(codeworm::test::readFile(path));
}

const QString sampleDocumentation =
    QStringLiteral("`Parser.parse` splits `text` on whitespace and returns the non-empty parts.\n"
                   "\n"
                   "- **Returns:** a new list; `text` is not changed.");

const QDateTime sampleTime(QDate(2026, 2, 19), QTime(12, 27, 45));

QString numberedLines(int count)
{
    QStringList lines;
    for (int i = 1; i <= count; ++i) {
        lines << QStringLiteral("    line_%1 = %1").arg(i);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestDocRenderer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void foldersAndLabels_data();
    void foldersAndLabels();
    void slug_data();
    void slug();
    void relativePath();
    void renderMatchesTheExpectedFile();
    void renderUsesLongerFenceForBackticks();
    void excerptKeepsShortSource();
    void excerptCutsAtLineBoundary();
    void renderedSourceIsCut();
    void unpublishedSourceIsLeftOut();
    void codeEvolutionMatchesTheExpectedFile();
    void codeEvolutionRespectsPublishSource();
    void moduleDocMatchesTheExpectedFile();
    void summariesMatchTheExpectedFiles_data();
    void summariesMatchTheExpectedFiles();
    void everyTypeMatchesItsExpectedFile_data();
    void everyTypeMatchesItsExpectedFile();
    void hostileNamesStayInTheirFolder_data();
    void hostileNamesStayInTheirFolder();
    void cleanCommitSubject_data();
    void cleanCommitSubject();
    void cleanResponse_data();
    void cleanResponse();

private:
    std::unique_ptr<TestEnvironment> m_env;
};

void TestDocRenderer::initTestCase()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestDocRenderer::foldersAndLabels_data()
{
    QTest::addColumn<QString>("docType");
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("label");
    const QList<std::array<const char *, 3>> rows = {
        {"function_doc", "snippets/rust", "Documentation"},
        {"class_doc", "classes", "Class Documentation"},
        {"file_doc", "files", "File Overview"},
        {"module_doc", "modules", "Module Overview"},
        {"security_review", "reviews/security", "Security Review"},
        {"performance_analysis", "reviews/performance", "Performance Analysis"},
        {"til", "til", "Today I Learned"},
        {"code_evolution", "evolution", "Code Evolution"},
        {"pattern_analysis", "patterns", "Pattern Analysis"},
        {"weekly_summary", "analysis/weekly", "Weekly Summary"},
        {"monthly_summary", "analysis/monthly", "Monthly Summary"},
    };
    for (const auto &row : rows) {
        QTest::newRow(row[0]) << QString::fromLatin1(row[0]) << QString::fromLatin1(row[1])
                              << QString::fromLatin1(row[2]);
    }
}

void TestDocRenderer::foldersAndLabels()
{
    QFETCH(QString, docType);
    QFETCH(QString, folder);
    QFETCH(QString, label);
    QCOMPARE(DocRenderer::folderFor(docType, QStringLiteral("rust")), folder);
    QCOMPARE(DocRenderer::label(docType), label);
}

void TestDocRenderer::slug_data()
{
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<QString>("expected");
    QTest::newRow("method") << QStringLiteral("CodeWormDaemon.run")
                            << QStringLiteral("codewormdaemon-run");
    QTest::newRow("dunder") << QStringLiteral("  __init__  ") << QStringLiteral("init");
    QTest::newRow("c++ scope") << QStringLiteral("ns::Parser::operator<<")
                               << QStringLiteral("ns-parser-operator");
    QTest::newRow("digits") << QStringLiteral("parse_v2") << QStringLiteral("parse-v2");
    QTest::newRow("empty") << QString() << QStringLiteral("untitled");
    QTest::newRow("symbols only") << QStringLiteral("<=>") << QStringLiteral("untitled");
    // 50 characters; a dash right after the 40th character: a clean cut at 40.
    QTest::newRow("word ends at 40")
        << QStringLiteral("very_long_function_name_that_keeps_going_and_going")
        << QStringLiteral("very-long-function-name-that-keeps-going");
    // The 40th character is a dash: cut before it.
    QTest::newRow("dash at 40") << QStringLiteral("alpha_beta_gamma_delta_epsilon_zeta_eta_theta")
                                << QStringLiteral("alpha-beta-gamma-delta-epsilon-zeta-eta");
    // The cut falls inside a word: back to the last dash.
    QTest::newRow("mid word") << QStringLiteral("alpha_beta_gamma_delta_epsilon_zeta_etaaa_theta")
                              << QStringLiteral("alpha-beta-gamma-delta-epsilon-zeta");
    QTest::newRow("one long word")
        << QString(50, QLatin1Char('X')) << QString(40, QLatin1Char('x'));
    QTest::newRow("exactly 40") << QString(40, QLatin1Char('b')) << QString(40, QLatin1Char('b'));
}

void TestDocRenderer::slug()
{
    QFETCH(QString, displayName);
    QFETCH(QString, expected);
    const QString slug = DocRenderer::slug(displayName);
    QCOMPARE(slug, expected);
    QVERIFY(slug.size() <= 40);
}

void TestDocRenderer::relativePath()
{
    Target target = sampleTarget();
    QCOMPARE(DocRenderer::relativePath(target, sampleTime),
             QStringLiteral("snippets/python/2026-02-19_parser-parse.md"));

    target.docType = QStringLiteral("class_doc");
    target.symbol.displayName = QStringLiteral("CodeWormDaemon");
    QCOMPARE(DocRenderer::relativePath(target, sampleTime),
             QStringLiteral("classes/2026-02-19_codewormdaemon.md"));

    // Without a symbol name the file's stem names the document.
    target.docType = QStringLiteral("file_doc");
    target.symbol = CodeSymbol{};
    QCOMPARE(DocRenderer::relativePath(target, sampleTime.addDays(40)),
             QStringLiteral("files/2026-03-31_parser.md"));
}

void TestDocRenderer::renderMatchesTheExpectedFile()
{
    const QByteArray expected =
        codeworm::test::readFile(QStringLiteral(CODEWORM_TEST_DATA_DIR "/render/function_doc.md"));
    QVERIFY(!expected.isEmpty());
    const QString rendered = DocRenderer::render(sampleTarget(), sampleDocumentation, sampleTime);
    QCOMPARE(rendered, QString::fromUtf8(expected));
    // Surrounding blank lines of the model's text do not change the document.
    QCOMPARE(DocRenderer::render(
                 sampleTarget(),
                 QStringLiteral("\n\n") + sampleDocumentation + QStringLiteral("\n\n"), sampleTime),
             rendered);
}

void TestDocRenderer::renderUsesLongerFenceForBackticks()
{
    Target target = sampleTarget();
    target.symbol.source =
        QStringLiteral("def help():\n    return \"\"\"\n```sh\nrun it\n```\n\"\"\"");
    const QString rendered = DocRenderer::render(target, sampleDocumentation, sampleTime);
    QVERIFY2(rendered.contains(QStringLiteral("````python\ndef help():\n")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("\n\"\"\"\n````\n")), qPrintable(rendered));
}

void TestDocRenderer::excerptKeepsShortSource()
{
    const QString source = numberedLines(150);
    QCOMPARE(DocRenderer::excerpt(source, QStringLiteral("python")), source);
    QCOMPARE(DocRenderer::excerpt(source + QLatin1Char('\n'), QStringLiteral("python")), source);
    QCOMPARE(DocRenderer::excerpt(QStringLiteral("x = 1"), QStringLiteral("python"), 1),
             QStringLiteral("x = 1"));
}

void TestDocRenderer::excerptCutsAtLineBoundary()
{
    const QString source = numberedLines(10);
    const QString cut = DocRenderer::excerpt(source, QStringLiteral("python"), 4);
    QCOMPARE(cut, QStringLiteral("    line_1 = 1\n    line_2 = 2\n    line_3 = 3\n    line_4 = 4\n"
                                 "# \u2026 6 more lines not shown"));

    const QString cpp = DocRenderer::excerpt(source, QStringLiteral("cpp"), 9);
    QVERIFY2(cpp.endsWith(QStringLiteral("\n    line_9 = 9\n// \u2026 1 more lines not shown")),
             qPrintable(cpp));
    QCOMPARE(cpp.count(QLatin1Char('\n')), 9);
}

void TestDocRenderer::renderedSourceIsCut()
{
    Target target = sampleTarget();
    target.symbol.source = numberedLines(200);
    target.symbol.startLine = 1;
    target.symbol.endLine = 200;
    const QString rendered = DocRenderer::render(target, sampleDocumentation, sampleTime);
    QVERIFY(rendered.contains(QStringLiteral("    line_150 = 150\n# \u2026 50 more lines not "
                                             "shown\n```\n")));
    QVERIFY(!rendered.contains(QStringLiteral("line_151")));
    QVERIFY(rendered.contains(QStringLiteral("**Lines:** 1-200  \n")));
}

void TestDocRenderer::unpublishedSourceIsLeftOut()
{
    Target target = sampleTarget();
    target.publishSource = false;
    const QString rendered = DocRenderer::render(target, sampleDocumentation, sampleTime);
    QVERIFY(rendered.contains(QStringLiteral("## Source Code\n\n")));
    QVERIFY2(rendered.contains(QStringLiteral("not published")), qPrintable(rendered));
    QVERIFY(!rendered.contains(QStringLiteral("```")));
    QVERIFY(!rendered.contains(QStringLiteral("tokens.append")));
    QVERIFY(!rendered.contains(QStringLiteral("def parse")));
    QVERIFY(rendered.contains(QStringLiteral("**File:** codeworm/parser.py  \n")));
    QVERIFY(rendered.contains(QStringLiteral("## Documentation\n\n") + sampleDocumentation));
}

void TestDocRenderer::codeEvolutionMatchesTheExpectedFile()
{
    const Target target = sampleChangeTarget();
    QCOMPARE(DocRenderer::relativePath(target, sampleTime),
             QStringLiteral("evolution/2026-02-19_parser-py-1a2b3c4.md"));
    const QByteArray expected = codeworm::test::readFile(
        QStringLiteral(CODEWORM_TEST_DATA_DIR "/render/code_evolution.md"));
    QVERIFY(!expected.isEmpty());
    const QString documentation =
        QStringLiteral("`Parser.parse` now drops empty strings, which broke the lexer before.");
    QCOMPARE(DocRenderer::render(target, documentation, sampleTime), QString::fromUtf8(expected));

    // A long diff is cut at a line boundary with a '#' line (git's own comment in patches).
    Target big = target;
    QStringList lines{QStringLiteral("@@ -1,200 +1,200 @@")};
    for (int i = 0; i < 200; ++i) {
        lines << QStringLiteral("+value_%1 = %1").arg(i);
    }
    big.symbol.source = lines.join(QLatin1Char('\n'));
    const QString rendered = DocRenderer::render(big, documentation, sampleTime, 50);
    QVERIFY2(rendered.contains(
                 QStringLiteral("+value_48 = 48\n# \u2026 151 more lines not shown\n```\n")),
             qPrintable(rendered));
}

void TestDocRenderer::codeEvolutionRespectsPublishSource()
{
    Target target = sampleChangeTarget();
    target.publishSource = false;
    const QString rendered = DocRenderer::render(target, QStringLiteral("Text."), sampleTime);
    QVERIFY2(rendered.contains(QStringLiteral("not published")), qPrintable(rendered));
    QVERIFY(!rendered.contains(QStringLiteral("```")));
    QVERIFY(!rendered.contains(QStringLiteral("text.split()")));
    QVERIFY(rendered.contains(QStringLiteral("**Commit:** 1a2b3c4 \u2014 Drop empty tokens  \n")));
}

void TestDocRenderer::moduleDocMatchesTheExpectedFile()
{
    Target target = sampleModuleTarget();
    QCOMPARE(DocRenderer::relativePath(target, sampleTime),
             QStringLiteral("modules/2026-02-19_shop-orders.md"));
    const QByteArray expected =
        codeworm::test::readFile(QStringLiteral(CODEWORM_TEST_DATA_DIR "/render/module_doc.md"));
    QVERIFY(!expected.isEmpty());
    const QString documentation =
        QStringLiteral("The `shop/orders` package creates orders and prices them.");
    QCOMPARE(DocRenderer::render(target, documentation, sampleTime), QString::fromUtf8(expected));

    target.publishSource = false;
    const QString unpublished = DocRenderer::render(target, documentation, sampleTime);
    QVERIFY(unpublished.contains(QStringLiteral("not published")));
    QVERIFY(!unpublished.contains(QStringLiteral("function price")));
    QVERIFY(unpublished.contains(QStringLiteral("**Files:** 2 (25 lines, 4 functions, 1 types)")));
}

void TestDocRenderer::summariesMatchTheExpectedFiles_data()
{
    QTest::addColumn<QString>("docType");
    QTest::addColumn<QString>("path");
    QTest::newRow("weekly") << QStringLiteral("weekly_summary")
                            << QStringLiteral("analysis/weekly/2026-02-19_week-7-of-2026.md");
    QTest::newRow("monthly") << QStringLiteral("monthly_summary")
                             << QStringLiteral("analysis/monthly/2026-02-19_january-2026.md");
}

void TestDocRenderer::summariesMatchTheExpectedFiles()
{
    QFETCH(QString, docType);
    QFETCH(QString, path);
    Target target = periodTarget(docType);
    QCOMPARE(DocRenderer::relativePath(target, sampleTime), path);
    const QString documentation = QStringLiteral("A quiet week: `shop` got most of the attention.");
    const QString rendered = DocRenderer::render(target, documentation, sampleTime);
    const QString expected = expectedFile(docType + QStringLiteral(".md"), rendered);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(rendered, expected);
    // The facts are not source code: publish_source does not hide them.
    target.publishSource = false;
    QVERIFY(DocRenderer::render(target, documentation, sampleTime)
                .contains(QStringLiteral("Fix the `total` rounding")));
    QCOMPARE(DocRenderer::sourceLanguage(target), QStringLiteral("text"));
}

void TestDocRenderer::everyTypeMatchesItsExpectedFile_data()
{
    QTest::addColumn<QString>("docType");
    QTest::addColumn<QString>("path");
    QTest::newRow("class_doc") << QStringLiteral("class_doc")
                               << QStringLiteral("classes/2026-02-19_parser-parse.md");
    QTest::newRow("file_doc") << QStringLiteral("file_doc")
                              << QStringLiteral("files/2026-02-19_parser-parse.md");
    QTest::newRow("security_review")
        << QStringLiteral("security_review")
        << QStringLiteral("reviews/security/2026-02-19_parser-parse.md");
    QTest::newRow("performance_analysis")
        << QStringLiteral("performance_analysis")
        << QStringLiteral("reviews/performance/2026-02-19_parser-parse.md");
    QTest::newRow("pattern_analysis") << QStringLiteral("pattern_analysis")
                                      << QStringLiteral("patterns/2026-02-19_parser-parse.md");
    QTest::newRow("til") << QStringLiteral("til")
                         << QStringLiteral("til/2026-02-19_parser-parse.md");
}

// The types that share the function layout differ in folder, label and section title: each
// has its expected file, so a change to any of them shows up as a diff.
void TestDocRenderer::everyTypeMatchesItsExpectedFile()
{
    QFETCH(QString, docType);
    QFETCH(QString, path);
    Target target = sampleTarget();
    target.docType = docType;
    QCOMPARE(DocRenderer::relativePath(target, sampleTime), path);
    const QString rendered = DocRenderer::render(target, sampleDocumentation, sampleTime);
    const QString expected = expectedFile(docType + QStringLiteral(".md"), rendered);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(rendered, expected);
}

void TestDocRenderer::hostileNamesStayInTheirFolder_data()
{
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<QString>("expectedSlug");
    QTest::newRow("dot dot") << QStringLiteral("..") << QStringLiteral("untitled");
    QTest::newRow("parent path") << QStringLiteral("../../etc/passwd")
                                 << QStringLiteral("etc-passwd");
    QTest::newRow("absolute path")
        << QStringLiteral("/absolute/Parser.parse") << QStringLiteral("absolute-parser-parse");
    QTest::newRow("backslashes") << QStringLiteral("..\\..\\windows") << QStringLiteral("windows");
    QTest::newRow("control characters")
        << QStringLiteral("evil\n\r\t\u0001name\u007f") << QStringLiteral("evil-name");
    QTest::newRow("nul") << QString::fromUtf16(u"a\0b", 3) << QStringLiteral("a-b");
    QTest::newRow("non-ascii") << QStringLiteral("Gr\u00f6\u00dfe.berechnen")
                               << QStringLiteral("gr-e-berechnen");
    QTest::newRow("only non-ascii")
        << QStringLiteral("\u65e5\u672c\u8a9e") << QStringLiteral("untitled");
    QTest::newRow("emoji") << QStringLiteral("\U0001F41B.bug") << QStringLiteral("bug");
    QTest::newRow("very long") << QString(5000, QLatin1Char('a')) << QString(40, QLatin1Char('a'));
    QTest::newRow("windows device") << QStringLiteral("CON:") << QStringLiteral("con");
}

void TestDocRenderer::hostileNamesStayInTheirFolder()
{
    QFETCH(QString, displayName);
    QFETCH(QString, expectedSlug);
    QCOMPARE(DocRenderer::slug(displayName), expectedSlug);
    Target target = sampleTarget();
    target.symbol.displayName = displayName;
    const QString path = DocRenderer::relativePath(target, sampleTime);
    QVERIFY2(path.startsWith(QStringLiteral("snippets/python/2026-02-19_")), qPrintable(path));
    QVERIFY2(path.count(QLatin1Char('/')) == 2, qPrintable(path));
    QVERIFY(!path.contains(QStringLiteral("..")));
    for (const QChar c : path) {
        QVERIFY2(c.unicode() > 0x20 && c.unicode() < 0x7f, qPrintable(path));
    }
    // The DevLog root joined with the path stays inside the root.
    const QString root = QStringLiteral("/devlog");
    QVERIFY(QDir::cleanPath(root + QLatin1Char('/') + path).startsWith(root + QLatin1Char('/')));
}

void TestDocRenderer::cleanResponse_data()
{
    QTest::addColumn<QString>("modelText");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("title");
    const QString doc = QStringLiteral("`run` starts the loop.\n\n- It blocks.");
    QTest::newRow("plain") << QStringLiteral("  \n") + doc + QStringLiteral("\n\n") << doc
                           << QString();
    QTest::newRow("fenced") << QStringLiteral("```\n") + doc + QStringLiteral("\n```") << doc
                            << QString();
    QTest::newRow("fenced markdown")
        << QStringLiteral("```markdown\n") + doc + QStringLiteral("\n```\n") << doc << QString();
    QTest::newRow("here is") << QStringLiteral("Here is the documentation for `run`:\n\n") + doc
                             << doc << QString();
    QTest::newRow("here's and fence")
        << QStringLiteral("Here's the documentation:\n```md\n") + doc + QStringLiteral("\n```")
        << doc << QString();
    QTest::newRow("think") << QStringLiteral("<think>\nThe user wants docs.\n</think>\n\n") + doc
                           << doc << QString();
    QTest::newRow("orphan think end")
        << QStringLiteral("reasoning about it\n</think>\n") + doc << doc << QString();
    const QString withExample =
        QStringLiteral("Call it like this:\n\n```python\nrun()\n```\n\nIt blocks.");
    QTest::newRow("nested block unwrapped")
        << QStringLiteral("```markdown\n") + withExample + QStringLiteral("\n```") << withExample
        << QString();
    const QString twoBlocks = QStringLiteral("```python\nrun()\n```\nand\n```python\nstop()\n```");
    QTest::newRow("two blocks kept") << twoBlocks << twoBlocks << QString();
    const QString hereInside = QStringLiteral("Here is why it matters: it blocks.");
    QTest::newRow("here is without colon kept") << hereInside << hereInside << QString();
    QTest::newRow("repeated title")
        << QStringLiteral("# Circle.area\n\n") + doc << doc << QStringLiteral("Circle.area");
    QTest::newRow("repeated title in backticks")
        << QStringLiteral("## `Circle.area()`\n") + doc << doc << QStringLiteral("Circle.area");
    QTest::newRow("another heading kept")
        << QStringLiteral("## Purpose\n") + doc << QStringLiteral("## Purpose\n") + doc
        << QStringLiteral("Circle.area");
    QTest::newRow("inner code kept") << QStringLiteral("It returns `{}` when empty.")
                                     << QStringLiteral("It returns `{}` when empty.") << QString();
}

void TestDocRenderer::cleanResponse()
{
    QFETCH(QString, modelText);
    QFETCH(QString, expected);
    QFETCH(QString, title);
    QCOMPARE(DocRenderer::cleanResponse(modelText, title), expected);
}

void TestDocRenderer::cleanCommitSubject_data()
{
    QTest::addColumn<QString>("modelText");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("Explain how clamp bounds values")
                           << QStringLiteral("Explain how clamp bounds values");
    QTest::newRow("prefix, quotes, period")
        << QStringLiteral("Commit message: \"Explain how clamp bounds values.\"")
        << QStringLiteral("Explain how clamp bounds values");
    QTest::newRow("first line only")
        << QStringLiteral("\n\nDocument the parser's error recovery\n\nIt explains ...")
        << QStringLiteral("Document the parser's error recovery");
    QTest::newRow("backticks and heading") << QStringLiteral("## Describe `Circle.area` caching")
                                           << QStringLiteral("Describe Circle.area caching");
    QTest::newRow("fenced") << QStringLiteral("```\nDescribe the retry loop of fetch\n```")
                            << QStringLiteral("Describe the retry loop of fetch");
    QTest::newRow("too long cut at a word")
        << QStringLiteral("Explain how the scheduler spreads documentation cycles over the day "
                          "with weighted hours and gaps")
        << QStringLiteral("Explain how the scheduler spreads documentation cycles over the "
                          "day\u2026");
    QTest::newRow("too short") << QStringLiteral("OK") << QString();
    QTest::newRow("refusal") << QStringLiteral("I cannot write a commit message.") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestDocRenderer::cleanCommitSubject()
{
    QFETCH(QString, modelText);
    QFETCH(QString, expected);
    const QString subject = DocRenderer::cleanCommitSubject(modelText);
    QCOMPARE(subject, expected);
    QVERIFY(subject.size() <= 72);
}

QTEST_GUILESS_MAIN(TestDocRenderer)
#include "TestDocRenderer.moc"
