#include "analysis/CodeExtractor.h"

#include <QtTest>

using namespace codeworm;

// Metrics counted by hand on small sources. Complexity is 1 + decision points (the list per
// language is in core/analysis/LanguageSpec.cpp); maxNesting counts nested blocks inside the
// body; linesOfCode skips blank and comment-only lines; tokens are leaf tokens without
// comments.
class TestCodeMetrics : public QObject
{
    Q_OBJECT

private slots:
    void complexity_data();
    void complexity();
    void nestingLinesAndTokens();
    void nestedFunctionsCountForTheirFunction();
    void typeComplexityIsTheSumOverItsMethods();
    void fileMetrics();
    void moduleLevelBranchesKeepFileComplexityAboveZero();
    void deepInputDoesNotExhaustTheStack();
};

void TestCodeMetrics::complexity_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("complexity");
    QTest::addColumn<int>("maxNesting");

    // if, elif, for, while, except, `and`, `or`, conditional expression = 8; nesting:
    // for > while > try > if (the elif continues the if) = 4.
    QTest::newRow("python") << QStringLiteral("python")
                            << QByteArray("def f(a, b):\n"
                                          "    for x in a:\n"
                                          "        while b:\n"
                                          "            try:\n"
                                          "                if x and b or a:\n"
                                          "                    pass\n"
                                          "                elif x:\n"
                                          "                    pass\n"
                                          "            except ValueError:\n"
                                          "                b = 1 if a else 2\n")
                            << 9 << 4;
    // match: two cases and the guard `if a` count, `case _` does not; the match nests once.
    QTest::newRow("python match") << QStringLiteral("python")
                                  << QByteArray("def f(x):\n"
                                                "    match x:\n"
                                                "        case 1:\n"
                                                "            return 1\n"
                                                "        case [a, b] if a:\n"
                                                "            return 2\n"
                                                "        case _:\n"
                                                "            return 3\n")
                                  << 4 << 1;
    // if, else-if (same depth), for, while, do, two case labels (not default), ?:, &&, ||
    // = 10; nesting: if > for > while = 3 (the switch is one level).
    QTest::newRow("c") << QStringLiteral("c")
                       << QByteArray("int f(int a, int b)\n"
                                     "{\n"
                                     "    if (a) {\n"
                                     "        for (;;) { while (b) { b--; } }\n"
                                     "    } else if (b) {\n"
                                     "        do { a--; } while (a > 0);\n"
                                     "    }\n"
                                     "    switch (a) {\n"
                                     "    case 1:\n"
                                     "    case 2: return a ? 1 : 2;\n"
                                     "    default: return a && b || !a;\n"
                                     "    }\n"
                                     "}\n")
                       << 11 << 3;
    // range-for, catch, `and` = 3; try > range-for = 2.
    QTest::newRow("cpp") << QStringLiteral("cpp")
                         << QByteArray("int f(std::vector<int> v)\n"
                                       "{\n"
                                       "    try {\n"
                                       "        for (int x : v) { return x > 0 and x < 9; }\n"
                                       "    } catch (...) {\n"
                                       "    }\n"
                                       "    return 0;\n"
                                       "}\n")
                         << 4 << 2;
    // for-of, if, case 'a', catch, ??, ternary = 6; try > for-of > if = 3.
    QTest::newRow("javascript")
        << QStringLiteral("javascript")
        << QByteArray("function f(list) {\n"
                      "  try {\n"
                      "    for (const x of list) { if (x) { return x ?? 0; } }\n"
                      "  } catch (e) {}\n"
                      "  switch (list) { case 'a': return 1; default: return list ? 1 : 2; }\n"
                      "}\n")
        << 7 << 3;
    // if, else-if, for, two expression cases (not default), && = 6; for > switch = 2.
    QTest::newRow("go") << QStringLiteral("go")
                        << QByteArray("package p\n"
                                      "func f(a, b int) int {\n"
                                      "\tif a > 0 && b > 0 {\n"
                                      "\t\treturn 1\n"
                                      "\t} else if a < 0 {\n"
                                      "\t\treturn 2\n"
                                      "\t}\n"
                                      "\tfor i := 0; i < a; i++ {\n"
                                      "\t\tswitch i {\n"
                                      "\t\tcase 1:\n"
                                      "\t\tcase 2, 3:\n"
                                      "\t\tdefault:\n"
                                      "\t\t}\n"
                                      "\t}\n"
                                      "\treturn 0\n"
                                      "}\n")
                        << 7 << 2;
    // `?`, match arms 1 and `n if n > 5` (not `_`) and its guard, if let, while, ||; loop
    // has no condition: 7 decision points; loop > match = 2, loop > while > if = 3.
    QTest::newRow("rust") << QStringLiteral("rust")
                          << QByteArray("fn f(x: Option<u32>) -> Result<u32, E> {\n"
                                        "    let v = parse(x)?;\n"
                                        "    loop {\n"
                                        "        match v {\n"
                                        "            1 => return Ok(1),\n"
                                        "            n if n > 5 => return Ok(n),\n"
                                        "            _ => {}\n"
                                        "        }\n"
                                        "        while v > 0 || v < 9 {\n"
                                        "            if let Some(y) = x { return Ok(y); }\n"
                                        "        }\n"
                                        "    }\n"
                                        "}\n")
                          << 8 << 3;
    // enhanced for, if, catch, case 1 (not default), ternary, || = 6; for > if = 2.
    QTest::newRow("java") << QStringLiteral("java")
                          << QByteArray(
                                 "class A {\n"
                                 "  int f(int[] xs) {\n"
                                 "    for (int x : xs) { if (x > 0 || x < -9) { return x; } }\n"
                                 "    try { g(); } catch (Exception e) { }\n"
                                 "    switch (xs.length) { case 1: return 1; default: break; }\n"
                                 "    return xs.length > 0 ? 1 : 0;\n"
                                 "  }\n"
                                 "}\n")
                          << 7 << 2;
}

void TestCodeMetrics::complexity()
{
    QFETCH(QString, language);
    QFETCH(QByteArray, source);
    QFETCH(int, complexity);
    QFETCH(int, maxNesting);
    const QList<CodeSymbol> symbols = CodeExtractor::extract(language, source);
    QCOMPARE(symbols.size(), 1);
    QCOMPARE(symbols.at(0).complexity, complexity);
    QCOMPARE(symbols.at(0).maxNesting, maxNesting);
}

void TestCodeMetrics::nestingLinesAndTokens()
{
    // A single if nests once. Lines of code: 5 of 7 (one blank, one comment-only line).
    // Tokens: def f ( a ) : / if a : / return 1 / return 2 → 6 + 3 + 2 + 2 = 13, plus the
    // docstring's three parts (start, content, end) = 16.
    const QByteArray python = "def f(a):\n"
                              "    \"\"\"Doc.\"\"\"\n"
                              "\n"
                              "    # a comment\n"
                              "    if a:\n"
                              "        return 1\n"
                              "    return 2\n";
    const QList<CodeSymbol> symbols = CodeExtractor::extract(QStringLiteral("python"), python);
    QCOMPARE(symbols.size(), 1);
    const CodeSymbol &f = symbols.at(0);
    QCOMPARE(f.maxNesting, 1);
    QCOMPARE(f.complexity, 2);
    QCOMPARE(f.lineCount(), 7);
    QCOMPARE(f.linesOfCode, 5);
    QCOMPARE(f.tokenCount, 16);
    QCOMPARE(f.parameterCount, 1);
    QCOMPARE(f.docComment, QStringLiteral("Doc."));

    // Straight-line code nests nothing; a block comment line is no code line.
    // Tokens: int g ( void ) { return 0 ; } = 10.
    const QByteArray c = "int g(void)\n{\n    /* nothing */\n    return 0;\n}\n";
    const QList<CodeSymbol> cSymbols = CodeExtractor::extract(QStringLiteral("c"), c);
    QCOMPARE(cSymbols.size(), 1);
    QCOMPARE(cSymbols.at(0).maxNesting, 0);
    QCOMPARE(cSymbols.at(0).linesOfCode, 4);
    QCOMPARE(cSymbols.at(0).tokenCount, 10);
    QCOMPARE(cSymbols.at(0).parameterCount, 0);
}

void TestCodeMetrics::nestedFunctionsCountForTheirFunction()
{
    // One rule in every language: what is written inside a function counts for it, nested
    // named functions and lambdas included; they are no symbols of their own.
    struct Case
    {
        const char *language;
        QByteArray source;
        int complexity; // outer if + inner if = 3
    };
    const QList<Case> cases = {
        {"python",
         "def outer(a):\n    if a:\n        pass\n    def inner(b):\n"
         "        if b:\n            pass\n    return inner\n",
         3},
        {"javascript",
         "function outer(a) {\n  if (a) {}\n  function inner(b) { if (b) {} }\n"
         "  const cb = () => { if (a) {} };\n}\n",
         4},
        {"go",
         "package p\nfunc outer(a int) {\n\tif a > 0 {}\n\tinner := func(b int) {\n"
         "\t\tif b > 0 {}\n\t}\n\tinner(a)\n}\n",
         3},
        {"rust", "fn outer(a: u32) {\n    if a > 0 {}\n    fn inner(b: u32) { if b > 0 {} }\n}\n",
         3},
        {"java",
         "class A {\n  void outer(int a) {\n    if (a > 0) {}\n"
         "    Runnable r = () -> { if (a < 0) {} };\n  }\n}\n",
         3},
        {"cpp", "void outer(int a) {\n  if (a) {}\n  auto f = [](int b) { if (b) {} };\n}\n", 3},
    };
    for (const Case &test : cases) {
        const QList<CodeSymbol> symbols =
            CodeExtractor::extract(QLatin1String(test.language), test.source);
        QVERIFY2(symbols.size() == 1, test.language);
        QCOMPARE(symbols.at(0).name, QStringLiteral("outer"));
        QVERIFY2(symbols.at(0).complexity == test.complexity, test.language);
    }
}

void TestCodeMetrics::typeComplexityIsTheSumOverItsMethods()
{
    // a: 1 + if = 2; b: 1 + for + if = 3; class: 5. Nesting: b's for > if = 2.
    const QByteArray python = "class K:\n"
                              "    def a(self, x):\n"
                              "        if x:\n"
                              "            return 1\n"
                              "    def b(self, xs):\n"
                              "        for x in xs:\n"
                              "            if x:\n"
                              "                return x\n";
    const FileAnalysis analysis = CodeExtractor::analyze(QStringLiteral("python"), python);
    QCOMPARE(analysis.symbols.size(), 3);
    QCOMPARE(analysis.symbols.at(0).kind, CodeSymbol::Kind::Class);
    QCOMPARE(analysis.symbols.at(0).complexity, 5);
    QCOMPARE(analysis.symbols.at(0).maxNesting, 2);
    QCOMPARE(analysis.symbols.at(1).parameterCount, 1); // self excluded
    QCOMPARE(analysis.symbols.at(1).parameters, QStringList{QStringLiteral("x")});
}

void TestCodeMetrics::fileMetrics()
{
    // Two functions (2 + 1) and a class (no methods): complexity 3, one type.
    // Lines: 8 in all, 6 with code (a blank and a comment-only line).
    const QByteArray python = "# header\n"
                              "def a(x):\n"
                              "    return x or 1\n"
                              "\n"
                              "def b():\n"
                              "    pass\n"
                              "class C:\n"
                              "    pass\n";
    const FileAnalysis analysis = CodeExtractor::analyze(QStringLiteral("python"), python);
    QCOMPARE(analysis.metrics.complexity, 3);
    QCOMPARE(analysis.metrics.functionCount, 2);
    QCOMPARE(analysis.metrics.typeCount, 1);
    QCOMPARE(analysis.metrics.totalLines, 8);
    QCOMPARE(analysis.metrics.linesOfCode, 6);
    QCOMPARE(analysis.metrics.maxNesting, 0);
    QVERIFY(analysis.metrics.tokenCount > 0);
    QCOMPARE(analysis.docComment, QStringLiteral("header"));
    QVERIFY(!analysis.hasSyntaxErrors);
}

void TestCodeMetrics::moduleLevelBranchesKeepFileComplexityAboveZero()
{
    // A script without functions: its if and the callback's if count for the file.
    const QByteArray python = "import sys\nif len(sys.argv) > 1:\n    print(sys.argv[1])\n";
    QCOMPARE(CodeExtractor::analyze(QStringLiteral("python"), python).metrics.complexity, 1);
    const QByteArray javascript = "describe('x', () => {\n  if (a) { run(); }\n});\n";
    const FileAnalysis js = CodeExtractor::analyze(QStringLiteral("javascript"), javascript);
    QVERIFY(js.symbols.isEmpty());
    QCOMPARE(js.metrics.complexity, 1);
}

void TestCodeMetrics::deepInputDoesNotExhaustTheStack()
{
    // 20000 nested parentheses: the walk is iterative.
    QByteArray deep =
        "def f():\n    return " + QByteArray(20000, '(') + "1" + QByteArray(20000, ')') + "\n";
    const QList<CodeSymbol> symbols = CodeExtractor::extract(QStringLiteral("python"), deep);
    QCOMPARE(symbols.size(), 1);
    QCOMPARE(symbols.at(0).complexity, 1);
}

QTEST_GUILESS_MAIN(TestCodeMetrics)
#include "TestCodeMetrics.moc"
