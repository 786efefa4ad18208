#include "analysis/Indexer.h"
#include "analysis/SymbolIndex.h"
#include "factcheck/FactChecker.h"

#include "TestEnvironment.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace codeworm;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

const QString circlePy = QStringLiteral("import math\n"
                                        "\n"
                                        "class Circle:\n"
                                        "    def __init__(self, radius):\n"
                                        "        self.radius = radius\n"
                                        "\n"
                                        "    def area(self, precise=False):\n"
                                        "        r = self.radius\n"
                                        "        if precise:\n"
                                        "            return math.pi * r * r\n"
                                        "        return 3.14 * r * r\n");

const QString fetchUserJs = QStringLiteral("export async function fetchUser(id) {\n"
                                           "  const res = await fetch(`/users/${id}`);\n"
                                           "  if (!res.ok) throw new Error('failed');\n"
                                           "  return res.json();\n"
                                           "}\n");

const QString distanceTs = QStringLiteral("interface Point { x: number; y: number }\n"
                                          "export function distance(a: Point, b: Point): number {\n"
                                          "  return Math.hypot(a.x - b.x, a.y - b.y);\n"
                                          "}\n");

const QString counterTsx =
    QStringLiteral("export function Counter({ start }: { start: number }) {\n"
                   "  const [count, setCount] = useState(start);\n"
                   "  return <button onClick={() => setCount(count + 1)}>{count}</button>;\n"
                   "}\n");

const QString sumGo = QStringLiteral("func Sum(values []int) int {\n"
                                     "\ttotal := 0\n"
                                     "\tfor _, v := range values {\n"
                                     "\t\tif v > 0 {\n"
                                     "\t\t\ttotal += v\n"
                                     "\t\t}\n"
                                     "\t}\n"
                                     "\treturn total\n"
                                     "}\n");

const QString parseRs = QStringLiteral("pub fn parse(text: &str) -> Option<u32> {\n"
                                       "    let value = text.trim().parse().ok()?;\n"
                                       "    if value > 10 { Some(value) } else { None }\n"
                                       "}\n");

const QString countWordsC = QStringLiteral("size_t count_words(const char *text)\n"
                                           "{\n"
                                           "    size_t n = 0;\n"
                                           "    int in_word = 0;\n"
                                           "    for (; *text; ++text) {\n"
                                           "        if (isspace((unsigned char)*text)) {\n"
                                           "            in_word = 0;\n"
                                           "        } else if (!in_word) {\n"
                                           "            in_word = 1;\n"
                                           "            ++n;\n"
                                           "        }\n"
                                           "    }\n"
                                           "    return n;\n"
                                           "}\n");

const QString insertCpp =
    QStringLiteral("std::unique_ptr<Node> Tree::insert(std::unique_ptr<Node> root, int key)\n"
                   "{\n"
                   "    if (!root)\n"
                   "        return std::make_unique<Node>(key);\n"
                   "    if (key < root->key)\n"
                   "        root->left = insert(std::move(root->left), key);\n"
                   "    else\n"
                   "        root->right = insert(std::move(root->right), key);\n"
                   "    return root;\n"
                   "}\n");

const QString greeterJava = QStringLiteral("public class Greeter {\n"
                                           "    private final String name;\n"
                                           "    public Greeter(String name) { this.name = name; }\n"
                                           "    @Override\n"
                                           "    public String toString() { return \"Hello, \" + "
                                           "name; }\n"
                                           "}\n");

} // namespace

class TestFactChecker : public QObject
{
    Q_OBJECT

private slots:
    void codeSpansSkipFencedBlocks_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("spans");

        QTest::newRow("single and double backticks")
            << QStringLiteral("Calls `foo` and ``a`b`` here.")
            << QStringList{QStringLiteral("foo"), QStringLiteral("a`b")};
        QTest::newRow("one space inside double backticks is stripped")
            << QStringLiteral("The literal `` `x` `` matters.")
            << QStringList{QStringLiteral("`x`")};
        QTest::newRow("backtick fence")
            << QStringLiteral("Intro `a`\n```python\nx = `b`\ndef invented(): pass\n```\nAfter `c`")
            << QStringList{QStringLiteral("a"), QStringLiteral("c")};
        QTest::newRow("tilde fence") << QStringLiteral("`a`\n~~~\n`b`\n~~~\n`c`")
                                     << QStringList{QStringLiteral("a"), QStringLiteral("c")};
        QTest::newRow("a fence closes only with as many marks")
            << QStringLiteral("````md\n```\n`inner`\n```\n````\n`after`")
            << QStringList{QStringLiteral("after")};
        QTest::newRow("tildes do not close a backtick fence")
            << QStringLiteral("```\n~~~\n`inner`\n```\n`after`")
            << QStringList{QStringLiteral("after")};
        QTest::newRow("unclosed fence runs to the end")
            << QStringLiteral("`a`\n```\n`b`\n") << QStringList{QStringLiteral("a")};
        QTest::newRow("indented fence in a list item")
            << QStringLiteral("- item\n    ```go\n    `b`\n    ```\n- `c`")
            << QStringList{QStringLiteral("c")};
        QTest::newRow("backticks with an info string holding a backtick are inline")
            << QStringLiteral("```foo``` is inline") << QStringList{QStringLiteral("foo")};
        QTest::newRow("escaped backticks are text")
            << QStringLiteral("\\`not code\\` but `code`") << QStringList{QStringLiteral("code")};
        QTest::newRow("an unmatched run is text")
            << QStringLiteral("It costs `` nothing, then `x`.") << QStringList{QStringLiteral("x")};
        QTest::newRow("a span continues on the next line")
            << QStringLiteral("Use `foo\nbar` now.") << QStringList{QStringLiteral("foo bar")};
        QTest::newRow("a span never crosses a paragraph")
            << QStringLiteral("Use `foo\n\nbar` now.") << QStringList{};
        QTest::newRow("windows line ends") << QStringLiteral("`a`\r\n```\r\n`b`\r\n```\r\n`c`\r\n")
                                           << QStringList{QStringLiteral("a"), QStringLiteral("c")};
    }
    void codeSpansSkipFencedBlocks()
    {
        QFETCH(QString, markdown);
        QFETCH(QStringList, spans);
        QCOMPARE(FactChecker::codeSpans(markdown), spans);
    }

    void namesOfASpan_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("names");

        const QString py = QStringLiteral("python");
        const auto row = [](const char *span, const QString &language, QStringList names) {
            QTest::newRow(span) << QString::fromUtf8(span) << language << names;
        };
        // What a span names.
        row("Foo.bar()", py, {QStringLiteral("Foo"), QStringLiteral("bar")});
        row("compute_area_fast()", py, {QStringLiteral("compute_area_fast")});
        row("foo(x, y)", py, {QStringLiteral("foo")});
        row("area(self, precise=False)", py, {QStringLiteral("area")});
        row("self.radius", py, {QStringLiteral("radius")});
        row("rows[0].name", py, {QStringLiteral("rows")});
        row("rows[0].display_name", py, {QStringLiteral("rows"), QStringLiteral("display_name")});
        row("shape.compute_area_fast()", py,
            {QStringLiteral("shape"), QStringLiteral("compute_area_fast")});
        row("shape.Outline", py, {QStringLiteral("shape"), QStringLiteral("Outline")});
        row("Shape.outline", py, {QStringLiteral("Shape"), QStringLiteral("outline")});
        row("self.cache.get(key).missing", py, {QStringLiteral("cache")});
        row("text.left(3)", QStringLiteral("cpp"), {QStringLiteral("text")});
        row("text.toLower()", QStringLiteral("cpp"),
            {QStringLiteral("text"), QStringLiteral("toLower")});
        row("this->width", QStringLiteral("cpp"), {QStringLiteral("width")});
        row("names.stream().mapToInt(String::length)", QStringLiteral("java"),
            {QStringLiteral("names")});
        row("super().__init__()", py, {});
        row("pattern.match(text)", py, {QStringLiteral("pattern")});
        row("width * height", py, {QStringLiteral("width"), QStringLiteral("height")});
        row("(width + height) * 2", py, {QStringLiteral("width"), QStringLiteral("height")});
        row("result == None", py, {QStringLiteral("result")});
        row("if (count > limit)", QStringLiteral("c"),
            {QStringLiteral("count"), QStringLiteral("limit")});
        row("node->next", QStringLiteral("c"), {QStringLiteral("node")});
        row("node->next_sibling", QStringLiteral("c"),
            {QStringLiteral("node"), QStringLiteral("next_sibling")});
        row("Tree::rotateLeft()", QStringLiteral("cpp"),
            {QStringLiteral("Tree"), QStringLiteral("rotateLeft")});
        row("fn tokenize(text: &str) -> Option<u32>", QStringLiteral("rust"),
            {QStringLiteral("tokenize")});
        row("value.unwrap_or(0)", QStringLiteral("rust"), {QStringLiteral("value")});
        row("func (s *Shape) Area() float64", QStringLiteral("go"),
            {QStringLiteral("Shape"), QStringLiteral("Area")});
        row("this.cache.get(key)", QStringLiteral("javascript"), {QStringLiteral("cache")});
        row("Partial<Config>", QStringLiteral("typescript"), {QStringLiteral("Config")});
        row("user?.profileUrl", QStringLiteral("typescript"),
            {QStringLiteral("user"), QStringLiteral("profileUrl")});
        row("def area", py, {QStringLiteral("area")});
        row("calls compute_fast", py, {QStringLiteral("compute_fast")});
        row("class Ellipse", py, {QStringLiteral("Ellipse")});
        row("@cached_property", py, {QStringLiteral("cached_property")});
        // Only keywords, standard names and members of standard modules.
        row("a + b", py, {});
        row("x == None", py, {});
        row("math.pi", py, {});
        row("os.path.join(root, name)", py, {});
        row("\", \".join(parts)", py, {});
        row("dict.get", py, {});
        row("len(items) > 0", py, {});
        row("@property", py, {});
        row("raise ValueError", py, {});
        row("std::vector<int>", QStringLiteral("cpp"), {});
        row("std::move(value)", QStringLiteral("cpp"), {});
        row("#include <vector>", QStringLiteral("cpp"), {});
        row("#include <stdio.h>", QStringLiteral("c"), {});
        row("Vec::with_capacity(n)", QStringLiteral("rust"), {});
        row("println!(\"{}\", total)", QStringLiteral("rust"), {});
        row("&'a str", QStringLiteral("rust"), {});
        row("fmt.Errorf", QStringLiteral("go"), {});
        row("err != nil", QStringLiteral("go"), {QStringLiteral("err")});
        row("System.out.println", QStringLiteral("java"), {});
        row("@Override", QStringLiteral("java"), {});
        row("Promise.all(tasks)", QStringLiteral("javascript"), {});
        row("console.log", QStringLiteral("javascript"), {});
        row("useState", QStringLiteral("tsx"), {QStringLiteral("useState")});
        // Literals, references and words: nothing to check.
        row("\"a string literal\"", py, {});
        row("'GET'", py, {});
        row("f\"{name}!\"", py, {});
        row("42", py, {});
        row("3.14", py, {});
        row("1e-9", py, {});
        row("0x1F", QStringLiteral("c"), {});
        row("v1.2.3", py, {});
        row("-1", py, {});
        row("src/main.c", QStringLiteral("c"), {});
        row("~/.config/codeworm", py, {});
        row("config.yaml", py, {});
        row("__init__.py", py, {});
        row("Cargo.toml", QStringLiteral("rust"), {});
        row(".env", py, {});
        row("<stdio.h>", QStringLiteral("c"), {});
        row("--verbose", py, {});
        row("-v", py, {});
        row("--output=file", py, {});
        row("https://example.com/api?q=1", py, {});
        row("user@example.com", py, {});
        row("True", QStringLiteral("go"), {});
        row("None", QStringLiteral("javascript"), {});
        row("null", py, {});
        row("nullptr", QStringLiteral("java"), {});
        row("read-only", py, {});
        row("UTF-8", py, {});
        row("O(n log n)", py, {});
        row("O(1)", py, {});
        row("not found", py, {});
        row("pip install requests", py, {});
        row("git commit -m", py, {});
        row("HTTP", py, {});
        row("SHA256", py, {});
        row("x", py, {});
        row("T", QStringLiteral("rust"), {});
        row("\\d+", py, {});
        row("# noqa", py, {});
        row("// see below", QStringLiteral("c"), {});
        row("$HOME", py, {});
        row("#ff8800", py, {});
        row("...", py, {});
    }
    void namesOfASpan()
    {
        QFETCH(QString, span);
        QFETCH(QString, language);
        QFETCH(QStringList, names);
        // Joined, so that a failure shows the names.
        QCOMPARE(FactChecker::namesIn(span, language).join(QLatin1Char('|')),
                 names.join(QLatin1Char('|')));
    }

    void standardNamesPerLanguage_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("standard");

        const auto row = [](const char *name, const char *language, bool standard) {
            QTest::addRow("%s in %s", name, language)
                << QString::fromLatin1(name) << QString::fromLatin1(language) << standard;
        };
        row("len", "python", true);
        row("range", "python", true);
        row("ValueError", "python", true);
        row("json", "python", true);
        row("lambda", "python", true);
        row("valueerror", "python", false); // case-sensitive
        row("printf", "python", false);
        row("Promise", "javascript", true);
        row("undefined", "javascript", true);
        row("console", "javascript", true);
        row("interface", "javascript", false);
        row("interface", "typescript", true);
        row("Promise", "typescript", true); // from javascript
        row("Record", "tsx", true);         // from typescript
        row("React", "tsx", true);
        row("React", "typescript", false);
        row("fmt", "go", true);
        row("defer", "go", true);
        row("float64", "go", true);
        row("Option", "rust", true);
        row("unwrap", "rust", true);
        row("Vec", "rust", true);
        row("impl", "rust", true);
        row("malloc", "c", true);
        row("size_t", "c", true);
        row("NULL", "c", true);
        row("unique_ptr", "c", false);
        row("unique_ptr", "cpp", true);
        row("malloc", "cpp", true); // from c
        row("nullptr", "cpp", true);
        row("ArrayList", "java", true);
        row("Override", "java", true);
        row("synchronized", "java", true);
        row("None", "kotlin", true); // value words in any language
        row("len", "kotlin", false);
    }
    void standardNamesPerLanguage()
    {
        QFETCH(QString, name);
        QFETCH(QString, language);
        QFETCH(bool, standard);
        QCOMPARE(FactChecker::isStandardName(name, language), standard);
    }

    void answersAreChecked_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("snippet");
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("unknown");

        QTest::newRow("python passes")
            << QStringLiteral("python") << circlePy
            << QStringLiteral("## Area\n\n`area()` of `Circle` returns `math.pi * r * r` when "
                              "`precise` is `True`, else `3.14 * r * r`. It reads "
                              "`self.radius`, set in `__init__(self, radius)`; `radius` is never "
                              "checked, so no `ValueError` is raised. See `circle.py`.")
            << QStringList{};
        QTest::newRow("python invents a helper")
            << QStringLiteral("python") << circlePy
            << QStringLiteral("Call `compute_area_fast()` when `precise` is off; `math.pi` is "
                              "used otherwise, and `Circle.perimeter` is its sibling.")
            << QStringList{QStringLiteral("compute_area_fast"), QStringLiteral("perimeter")};
        QTest::newRow("python fenced example is not checked")
            << QStringLiteral("python") << circlePy
            << QStringLiteral("```python\ndef area(self, precise=False):\n    return "
                              "`fast_area`\n```\n\nThe `area` method.\n\n~~~\n`invented`\n~~~\n")
            << QStringList{};
        QTest::newRow("javascript passes")
            << QStringLiteral("javascript") << fetchUserJs
            << QStringLiteral("`fetchUser(id)` awaits `fetch`, checks `res.ok`, throws an "
                              "`Error` and resolves to `res.json()` inside a `Promise`.")
            << QStringList{};
        QTest::newRow("javascript invents a cache")
            << QStringLiteral("javascript") << fetchUserJs
            << QStringLiteral("Results are kept in `userCache` via `memoize(fetchUser)`.")
            << QStringList{QStringLiteral("userCache"), QStringLiteral("memoize")};
        QTest::newRow("typescript passes")
            << QStringLiteral("typescript") << distanceTs
            << QStringLiteral("`distance(a, b)` takes two `Point` values (`a.x`, `b.y`) and "
                              "returns `Math.hypot(dx, dy)` as a `number`.")
            << QStringList{};
        QTest::newRow("typescript invents a method")
            << QStringLiteral("typescript") << distanceTs
            << QStringLiteral("`distance` delegates to `Point.normalize()`.")
            << QStringList{QStringLiteral("normalize")};
        QTest::newRow("tsx passes")
            << QStringLiteral("tsx") << counterTsx
            << QStringLiteral("`Counter` keeps `count` in `useState(start)` and calls "
                              "`setCount(count + 1)` from `onClick`; `props` are destructured.")
            << QStringList{};
        QTest::newRow("tsx invents a reset")
            << QStringLiteral("tsx") << counterTsx
            << QStringLiteral("`Counter` resets through `resetCounter()`.")
            << QStringList{QStringLiteral("resetCounter")};
        QTest::newRow("go passes")
            << QStringLiteral("go") << sumGo
            << QStringLiteral("`Sum` walks `values` with `range`, adds each positive `v` to "
                              "`total` and returns an `int`; it never needs `fmt.Errorf` or "
                              "`nil` checks.")
            << QStringList{};
        QTest::newRow("go invents a parallel version")
            << QStringLiteral("go") << sumGo
            << QStringLiteral("For long `values`, `Sum` hands over to `SumParallel`.")
            << QStringList{QStringLiteral("SumParallel")};
        QTest::newRow("rust passes")
            << QStringLiteral("rust") << parseRs
            << QStringLiteral("`parse` trims `text`, uses `.parse().ok()?` and returns "
                              "`Some(value)` or `None` as an `Option<u32>`.")
            << QStringList{};
        QTest::newRow("rust invents a strict parser")
            << QStringLiteral("rust") << parseRs
            << QStringLiteral("Unlike `parse_strict`, it takes no `ParseConfig`.")
            << QStringList{QStringLiteral("parse_strict"), QStringLiteral("ParseConfig")};
        QTest::newRow("c passes")
            << QStringLiteral("c") << countWordsC
            << QStringLiteral("`count_words(text)` walks `text` with `isspace`, tracking "
                              "`in_word`, and returns `n` as a `size_t`; no `malloc` or `free`.")
            << QStringList{};
        QTest::newRow("c invents a lookup")
            << QStringLiteral("c") << countWordsC
            << QStringLiteral("Each word goes to `word_table_lookup()`.")
            << QStringList{QStringLiteral("word_table_lookup")};
        QTest::newRow("cpp passes")
            << QStringLiteral("cpp") << insertCpp
            << QStringLiteral("`Tree::insert` takes `root` as a `std::unique_ptr<Node>`, makes "
                              "leaves with `std::make_unique`, moves `root->left` with "
                              "`std::move` and never returns `nullptr`.")
            << QStringList{};
        QTest::newRow("cpp invents a rotation")
            << QStringLiteral("cpp") << insertCpp
            << QStringLiteral("It rebalances with `Tree::rotateLeft()`.")
            << QStringList{QStringLiteral("rotateLeft")};
        QTest::newRow("java passes")
            << QStringLiteral("java") << greeterJava
            << QStringLiteral("`Greeter` keeps `name` in a `final` field; `toString()` is an "
                              "`@Override` of `Object.toString` that builds a `String`, so "
                              "`System.out.println(greeter)` prints the greeting.")
            << QStringList{};
        QTest::newRow("java invents a factory")
            << QStringLiteral("java") << greeterJava
            << QStringLiteral("Create one with `Greeter.withName()` or a `GreeterFactory`.")
            << QStringList{QStringLiteral("withName"), QStringLiteral("GreeterFactory")};
        QTest::newRow("unknowns are unique, in order")
            << QStringLiteral("python") << circlePy
            << QStringLiteral("`zeta_helper` then `alpha_helper` then `zeta_helper()` again.")
            << QStringList{QStringLiteral("zeta_helper"), QStringLiteral("alpha_helper")};
    }
    void answersAreChecked()
    {
        QFETCH(QString, language);
        QFETCH(QString, snippet);
        QFETCH(QString, markdown);
        QFETCH(QStringList, unknown);
        const FactCheckResult result =
            FactChecker(nullptr, QStringLiteral("repo")).check(markdown, language, snippet, {});
        QCOMPARE(result.unknown, unknown);
        QCOMPARE(result.passed, unknown.isEmpty());
    }

    void namesOfTheFileAndItsPathPass()
    {
        const QString snippet = QStringLiteral("def area(self):\n    return self.w * self.h\n");
        const QString file = QStringLiteral("WIDTH_LIMIT = 10  # used by clamp_width\n\n") +
                             snippet + QStringLiteral("\ndef clamp_width(w):\n    return w\n");
        const QString markdown =
            QStringLiteral("`area` is the sibling of `clamp_width` in the `shapes` module of "
                           "`geometry`, bounded by `WIDTH_LIMIT`.");
        const FactChecker checker(nullptr, QStringLiteral("repo"));

        const FactCheckResult alone =
            checker.check(markdown, QStringLiteral("python"), snippet, {}, {});
        QCOMPARE(alone.unknown,
                 (QStringList{QStringLiteral("clamp_width"), QStringLiteral("shapes"),
                              QStringLiteral("geometry"), QStringLiteral("WIDTH_LIMIT")}));
        const FactCheckResult withFile = checker.check(markdown, QStringLiteral("python"), snippet,
                                                       file, QStringLiteral("geometry/shapes.py"));
        QVERIFY2(withFile.passed, qPrintable(withFile.summary()));
        QCOMPARE(withFile.checked, 5);
    }

    void otherFilesOfTheRepositoryPassThroughTheIndex()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("src/geometry/shapes.py"),
                      "class Shape:\n"
                      "    def area(self, width, height):\n"
                      "        return width * height\n");
        env.writeFile(QStringLiteral("src/util/helpers.py"),
                      "def clamp_value(value, low, high):\n"
                      "    return max(low, min(value, high))\n");
        // Widget exists only as the class of an out-of-line definition.
        env.writeFile(QStringLiteral("src/ui/widget.cpp"), "void Widget::draw(int depth)\n"
                                                           "{\n"
                                                           "    if (depth > 0) {\n"
                                                           "        draw(depth - 1);\n"
                                                           "    }\n"
                                                           "}\n");
        env.writeFile(QStringLiteral("other/tools.py"), "def only_elsewhere():\n    pass\n");
        SymbolIndex index(env.path(QStringLiteral("state/index.db")));
        QVERIFY2(index.open(), "open");
        const IndexReport report =
            Indexer(index, AnalyzerConfig{})
                .refresh({repoConfig(QStringLiteral("src"), env.path(QStringLiteral("src"))),
                          repoConfig(QStringLiteral("other"), env.path(QStringLiteral("other")))});
        for (const auto &repo : report.repos) {
            QVERIFY2(repo.error.isEmpty(), qPrintable(repo.error));
        }

        // The lookup itself: symbol names, class names, file stems and folders; exact case.
        const auto known = index.knownNames(
            QStringLiteral("src"),
            {QStringLiteral("clamp_value"), QStringLiteral("Shape"), QStringLiteral("Widget"),
             QStringLiteral("draw"), QStringLiteral("helpers"), QStringLiteral("util"),
             QStringLiteral("shape"), QStringLiteral("only_elsewhere"), QStringLiteral("nothing"),
             QStringLiteral("*"), QStringLiteral("hel*")});
        QVERIFY2(known, qPrintable(known.error()));
        QCOMPARE(known.value(),
                 (QSet<QString>{QStringLiteral("clamp_value"), QStringLiteral("Shape"),
                                QStringLiteral("Widget"), QStringLiteral("draw"),
                                QStringLiteral("helpers"), QStringLiteral("util")}));
        QVERIFY(index.knownNames(QStringLiteral("src"), {})->isEmpty());

        const QString snippet = QStringLiteral(
            "def total_area(shapes):\n    return sum(s.area(1, 2) for s in shapes)\n");
        const QString markdown =
            QStringLiteral("`total_area` sums `Shape.area` over `shapes`; callers bound the result "
                           "with `helpers.clamp_value()`, and `Widget::draw` has nothing to do "
                           "with it. `only_elsewhere` and `invented_name` are not here.");
        const FactCheckResult withIndex = FactChecker(&index, QStringLiteral("src"))
                                              .check(markdown, QStringLiteral("python"), snippet,
                                                     snippet, QStringLiteral("stats.py"));
        QCOMPARE(withIndex.unknown,
                 (QStringList{QStringLiteral("only_elsewhere"), QStringLiteral("invented_name")}));
        QCOMPARE(withIndex.checked, 10);

        const FactCheckResult withoutIndex =
            FactChecker(nullptr, QStringLiteral("src"))
                .check(markdown, QStringLiteral("python"), snippet, snippet, {});
        QCOMPARE(withoutIndex.unknown,
                 (QStringList{QStringLiteral("Shape"), QStringLiteral("helpers"),
                              QStringLiteral("clamp_value"), QStringLiteral("Widget"),
                              QStringLiteral("draw"), QStringLiteral("only_elsewhere"),
                              QStringLiteral("invented_name")}));
    }

    void symbolNamesAreLookedUpThroughAnIndex()
    {
        TestEnvironment env;
        const QString path = env.path(QStringLiteral("index.db"));
        {
            SymbolIndex index(path);
            QVERIFY(index.open());
        }
        const QString connection = QStringLiteral("plan");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(
                QStringLiteral("EXPLAIN QUERY PLAN SELECT 1 FROM symbols WHERE name = 'x'")));
            QString plan;
            while (query.next()) {
                plan += query.value(3).toString();
            }
            QVERIFY2(plan.contains(QStringLiteral("symbols_name")), qPrintable(plan));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
            QCOMPARE(query.value(0).toInt(), SymbolIndex::schemaVersion());
            QVERIFY(SymbolIndex::schemaVersion() >= 2);
        }
        QSqlDatabase::removeDatabase(connection);
    }

    void summaryText_data()
    {
        QTest::addColumn<bool>("passed");
        QTest::addColumn<QStringList>("unknown");
        QTest::addColumn<int>("checked");
        QTest::addColumn<QString>("summary");

        QTest::newRow("passed") << true << QStringList{} << 12
                                << QStringLiteral("passed (12 identifiers)");
        QTest::newRow("passed one")
            << true << QStringList{} << 1 << QStringLiteral("passed (1 identifier)");
        QTest::newRow("passed none")
            << true << QStringList{} << 0 << QStringLiteral("passed (0 identifiers)");
        QTest::newRow("failed") << false
                                << QStringList{QStringLiteral("foo"), QStringLiteral("bar")} << 5
                                << QStringLiteral("failed: `foo`, `bar` not found");
        QTest::newRow("failed with many")
            << false
            << QStringList{QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("a3"),
                           QStringLiteral("a4"), QStringLiteral("a5"), QStringLiteral("a6"),
                           QStringLiteral("a7")}
            << 9 << QStringLiteral("failed: `a1`, `a2`, `a3`, `a4`, `a5` and 2 more not found");
    }
    void summaryText()
    {
        QFETCH(bool, passed);
        QFETCH(QStringList, unknown);
        QFETCH(int, checked);
        QFETCH(QString, summary);
        FactCheckResult result;
        result.passed = passed;
        result.unknown = unknown;
        result.checked = checked;
        QCOMPARE(result.summary(), summary);
    }

    void summaryOfARealCheck()
    {
        const FactCheckResult result =
            FactChecker(nullptr, QStringLiteral("repo"))
                .check(QStringLiteral("`area` uses `fast_area` and `precise`."),
                       QStringLiteral("python"), circlePy, {});
        QCOMPARE(result.checked, 3);
        QCOMPARE(result.summary(), QStringLiteral("failed: `fast_area` not found"));
    }

    void regenerationNoteNamesTheUnknownIdentifiers()
    {
        const FactCheckResult failed =
            FactChecker(nullptr, QStringLiteral("repo"))
                .check(QStringLiteral("It calls `compute_area_fast()` and `AreaCache.lookup`."),
                       QStringLiteral("python"), circlePy, {});
        QVERIFY(!failed.passed);
        const QString note = FactChecker::regenerationNote(failed);
        QVERIFY2(note.contains(QStringLiteral("`compute_area_fast`")), qPrintable(note));
        QVERIFY2(note.contains(QStringLiteral("`AreaCache`")), qPrintable(note));
        QVERIFY2(note.contains(QStringLiteral("`lookup`")), qPrintable(note));
        QVERIFY2(note.contains(QStringLiteral("only names that appear in the code")),
                 qPrintable(note));
        QVERIFY(!note.contains(QLatin1Char('\n')));

        const FactCheckResult passed =
            FactChecker(nullptr, QStringLiteral("repo"))
                .check(QStringLiteral("`area`"), QStringLiteral("python"), circlePy, {});
        QVERIFY(passed.passed);
        QVERIFY(FactChecker::regenerationNote(passed).isEmpty());
    }

    void identifierTokensOfSource()
    {
        QCOMPARE(
            FactChecker::identifierTokens(
                QStringLiteral("x1 = 10ms + foo_bar.baz(\"str\") // $el _priv 3d")),
            (QSet<QString>{QStringLiteral("x1"), QStringLiteral("foo_bar"), QStringLiteral("baz"),
                           QStringLiteral("str"), QStringLiteral("$el"), QStringLiteral("_priv")}));
    }
};

QTEST_GUILESS_MAIN(TestFactChecker)
#include "TestFactChecker.moc"
