#include "analysis/CodeExtractor.h"
#include "analysis/Language.h"

#include "TestEnvironment.h"

#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::TestEnvironment;

Q_DECLARE_METATYPE(CodeSymbol::Kind)

class TestCodeExtractor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void languageForPath_data();
    void languageForPath();
    void everyLanguageHasAGrammar();
    void commentsAndFences();

    void pythonFindsFunctionsAndMethodsInOrder();
    void pythonSymbols_data();
    void pythonSymbols();
    void pythonSourceIsWholeLinesWithDecorators();
    void pythonSyntaxErrorKeepsTheFunctionsThatParsed();

    void cppFindsDefinitionsOnly();
    void cppSymbols_data();
    void cppSymbols();
    void cppSourceKeepsIndentationAndTemplateLine();

    void cSymbols();
    void unsupportedLanguageYieldsNothing();
    void emptyAndCrlfInput();

private:
    static QByteArray data(const QString &name);
    static void addSymbolColumns();
    static void checkSymbol(const QList<CodeSymbol> &symbols);

    std::unique_ptr<TestEnvironment> m_env;
    QList<CodeSymbol> m_python;
    QList<CodeSymbol> m_cpp;
};

QByteArray TestCodeExtractor::data(const QString &name)
{
    return codeworm::test::readFile(QStringLiteral(CODEWORM_TEST_DATA_DIR "/extract/") + name);
}

void TestCodeExtractor::initTestCase()
{
    m_env = std::make_unique<TestEnvironment>();
    const QByteArray python = data(QStringLiteral("inventory.py"));
    const QByteArray cpp = data(QStringLiteral("geometry.cpp"));
    QVERIFY(!python.isEmpty());
    QVERIFY(!cpp.isEmpty());
    m_python = CodeExtractor::extract(QStringLiteral("python"), python);
    m_cpp = CodeExtractor::extract(QStringLiteral("cpp"), cpp);
}

void TestCodeExtractor::cleanupTestCase()
{
    m_env.reset();
}

void TestCodeExtractor::languageForPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("language");
    const auto row = [](const char *path, const char *language) {
        QTest::newRow(path) << QString::fromLatin1(path) << QString::fromLatin1(language);
    };
    row("tool.py", "python");
    row("src/app/main.cpp", "cpp");
    row("a.cc", "cpp");
    row("a.cxx", "cpp");
    row("include/a.hpp", "cpp");
    row("a.hh", "cpp");
    row("a.hxx", "cpp");
    row("lib/list.h", "cpp");
    row("lib/list.c", "c");
    row("web/app.js", "javascript");
    row("web/App.jsx", "javascript");
    row("web/esm.mjs", "javascript");
    row("web/common.cjs", "javascript");
    row("web/app.ts", "typescript");
    row("web/esm.mts", "typescript");
    row("web/common.cts", "typescript");
    row("web/View.tsx", "tsx");
    row("cmd/main.go", "go");
    row("src/lib.rs", "rust");
    row("src/Main.java", "java");
    row("README.md", "");
    row("Makefile", "");
    row("archive.tar.gz", "");
    row("scripts/.py", "");
    row("dir.py/notes", "");
}

void TestCodeExtractor::languageForPath()
{
    QFETCH(QString, path);
    QFETCH(QString, language);
    QCOMPARE(Language::forPath(path), language);
}

void TestCodeExtractor::everyLanguageHasAGrammar()
{
    const QStringList languages = {
        QStringLiteral("python"),     QStringLiteral("cpp"),        QStringLiteral("c"),
        QStringLiteral("javascript"), QStringLiteral("typescript"), QStringLiteral("tsx"),
        QStringLiteral("go"),         QStringLiteral("rust"),       QStringLiteral("java"),
    };
    for (const QString &language : languages) {
        QVERIFY2(Language::grammar(language) != nullptr, qPrintable(language));
    }
    QCOMPARE(Language::grammar(QStringLiteral("cobol")), nullptr);
    QVERIFY(Language::grammar(QStringLiteral("python")) !=
            Language::grammar(QStringLiteral("cpp")));
}

void TestCodeExtractor::commentsAndFences()
{
    QCOMPARE(Language::lineComment(QStringLiteral("python")), QStringLiteral("#"));
    QCOMPARE(Language::lineComment(QStringLiteral("cpp")), QStringLiteral("//"));
    QCOMPARE(Language::lineComment(QStringLiteral("go")), QStringLiteral("//"));
    QCOMPARE(Language::fenceName(QStringLiteral("python")), QStringLiteral("python"));
    QCOMPARE(Language::fenceName(QStringLiteral("cpp")), QStringLiteral("cpp"));
    QCOMPARE(Language::fenceName(QStringLiteral("tsx")), QStringLiteral("tsx"));
    QCOMPARE(Language::fenceName(QStringLiteral("cobol")), QString());
}

void TestCodeExtractor::addSymbolColumns()
{
    QTest::addColumn<QString>("displayName");
    QTest::addColumn<CodeSymbol::Kind>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("className");
    QTest::addColumn<int>("startLine");
    QTest::addColumn<int>("endLine");
    QTest::addColumn<int>("parameterCount");
    QTest::addColumn<int>("complexity");
}

void TestCodeExtractor::checkSymbol(const QList<CodeSymbol> &symbols)
{
    QFETCH(QString, displayName);
    QFETCH(CodeSymbol::Kind, kind);
    QFETCH(QString, name);
    QFETCH(QString, className);
    QFETCH(int, startLine);
    QFETCH(int, endLine);
    QFETCH(int, parameterCount);
    QFETCH(int, complexity);
    const auto found = std::find_if(symbols.cbegin(), symbols.cend(), [&](const CodeSymbol &s) {
        return s.displayName == displayName;
    });
    QVERIFY2(found != symbols.cend(), qPrintable(displayName));
    QCOMPARE(found->kind, kind);
    QCOMPARE(found->name, name);
    QCOMPARE(found->className, className);
    QCOMPARE(found->startLine, startLine);
    QCOMPARE(found->endLine, endLine);
    QCOMPARE(found->lineCount(), endLine - startLine + 1);
    QCOMPARE(found->parameterCount, parameterCount);
    QCOMPARE(found->complexity, complexity);
}

void TestCodeExtractor::pythonFindsFunctionsAndMethodsInOrder()
{
    QStringList names;
    for (const CodeSymbol &symbol : std::as_const(m_python)) {
        names << symbol.displayName;
    }
    // retry()'s nested decorator and wrapper are not targets.
    const QStringList expected = {
        QStringLiteral("retry"),
        QStringLiteral("Item.value"),
        QStringLiteral("Inventory.__init__"),
        QStringLiteral("Inventory.restock"),
        QStringLiteral("Inventory.parse_line"),
        QStringLiteral("Inventory.from_lines"),
        QStringLiteral("Inventory.sync"),
        QStringLiteral("Inventory.describe"),
        QStringLiteral("Report.__init__"),
        QStringLiteral("Report.total"),
        QStringLiteral("summarize"),
    };
    QCOMPARE(names, expected);
}

void TestCodeExtractor::pythonSymbols_data()
{
    addSymbolColumns();
    const auto function = CodeSymbol::Kind::Function;
    const auto method = CodeSymbol::Kind::Method;
    // Complexity = 1 + decision points, counted by hand from tests/data/extract/inventory.py.
    // retry: the for/try/if live in the nested functions, which do not count.
    QTest::newRow("retry") << QStringLiteral("retry") << function << QStringLiteral("retry")
                           << QString() << 8 << 24 << 1 << 1;
    // @property line included; self is not a parameter.
    QTest::newRow("Item.value") << QStringLiteral("Item.value") << method << QStringLiteral("value")
                                << QStringLiteral("Item") << 33 << 35 << 0 << 1;
    // dict comprehension for + `or`.
    QTest::newRow("__init__") << QStringLiteral("Inventory.__init__") << method
                              << QStringLiteral("__init__") << QStringLiteral("Inventory") << 41
                              << 42 << 1 << 3;
    // if, if, elif, `and`; the bare `*` is no parameter.
    QTest::newRow("restock") << QStringLiteral("Inventory.restock") << method
                             << QStringLiteral("restock") << QStringLiteral("Inventory") << 44 << 54
                             << 3 << 5;
    // A static method's first parameter counts; one conditional expression.
    QTest::newRow("parse_line") << QStringLiteral("Inventory.parse_line") << method
                                << QStringLiteral("parse_line") << QStringLiteral("Inventory") << 56
                                << 59 << 1 << 2;
    // cls is not a parameter; comprehension for + if.
    QTest::newRow("from_lines") << QStringLiteral("Inventory.from_lines") << method
                                << QStringLiteral("from_lines") << QStringLiteral("Inventory") << 61
                                << 63 << 1 << 3;
    // async def under a decorator call: while, except, if.
    QTest::newRow("sync") << QStringLiteral("Inventory.sync") << method << QStringLiteral("sync")
                          << QStringLiteral("Inventory") << 65 << 76 << 2 << 4;
    // Three cases, one guard; `case _` is the default branch.
    QTest::newRow("describe") << QStringLiteral("Inventory.describe") << method
                              << QStringLiteral("describe") << QStringLiteral("Inventory") << 78
                              << 87 << 1 << 5;
    // Methods of a nested class carry the innermost class.
    QTest::newRow("Report.__init__")
        << QStringLiteral("Report.__init__") << method << QStringLiteral("__init__")
        << QStringLiteral("Report") << 90 << 91 << 1 << 1;
    QTest::newRow("Report.total") << QStringLiteral("Report.total") << method
                                  << QStringLiteral("total") << QStringLiteral("Report") << 93 << 94
                                  << 0 << 2;
    // Comprehension for + if, then `or`.
    QTest::newRow("summarize") << QStringLiteral("summarize") << function
                               << QStringLiteral("summarize") << QString() << 97 << 99 << 2 << 4;
}

void TestCodeExtractor::pythonSymbols()
{
    checkSymbol(m_python);
}

void TestCodeExtractor::pythonSourceIsWholeLinesWithDecorators()
{
    const QByteArray content = data(QStringLiteral("inventory.py"));
    const QList<QByteArray> lines = content.split('\n');
    for (const CodeSymbol &symbol : std::as_const(m_python)) {
        const QByteArray expected = lines.mid(symbol.startLine - 1, symbol.lineCount()).join('\n');
        QCOMPARE(symbol.source, QString::fromUtf8(expected));
        QCOMPARE(content.mid(symbol.startByte, symbol.endByte - symbol.startByte), expected);
    }
    const auto parseLine =
        std::find_if(m_python.cbegin(), m_python.cend(),
                     [](const CodeSymbol &s) { return s.name == QLatin1String("parse_line"); });
    QVERIFY(parseLine != m_python.cend());
    QVERIFY(parseLine->source.startsWith(
        QStringLiteral("    @staticmethod\n    def parse_line(line):\n")));
    QVERIFY(parseLine->source.endsWith(QStringLiteral("int(quantity) if quantity else 0")));
}

void TestCodeExtractor::pythonSyntaxErrorKeepsTheFunctionsThatParsed()
{
    const QList<CodeSymbol> symbols =
        CodeExtractor::extract(QStringLiteral("python"), data(QStringLiteral("broken.py")));
    QCOMPARE(symbols.size(), 2);
    QCOMPARE(symbols.at(0).displayName, QStringLiteral("ok_before"));
    QCOMPARE(symbols.at(0).startLine, 4);
    QCOMPARE(symbols.at(0).endLine, 8);
    QCOMPARE(symbols.at(0).complexity, 2);
    QCOMPARE(symbols.at(1).displayName, QStringLiteral("Formatter.ok_after"));
    QCOMPARE(symbols.at(1).kind, CodeSymbol::Kind::Method);
    QCOMPARE(symbols.at(1).startLine, 17);
    QCOMPARE(symbols.at(1).endLine, 20);
    QCOMPARE(symbols.at(1).parameterCount, 1);
    QCOMPARE(symbols.at(1).complexity, 2);
}

void TestCodeExtractor::cppFindsDefinitionsOnly()
{
    QStringList names;
    for (const CodeSymbol &symbol : std::as_const(m_cpp)) {
        names << symbol.displayName;
    }
    // Not here: the declarations clampUnit(double); area(); contains(); ~Canvas(); the
    // defaulted ~Polygon() and the lambda inside classify().
    const QStringList expected = {
        QStringLiteral("Point.operator=="),
        QStringLiteral("Point.length"),
        QStringLiteral("Edge.dx"),
        QStringLiteral("Polygon.Polygon"),
        QStringLiteral("Polygon.area"),
        QStringLiteral("Polygon.contains"),
        QStringLiteral("Canvas.~Canvas"),
        QStringLiteral("clampTo"),
        QStringLiteral("classify"),
        QStringLiteral("clampUnit"),
        QStringLiteral("Handle.operator bool"),
        QStringLiteral("Handle.operator const int *"),
    };
    QCOMPARE(names, expected);
}

void TestCodeExtractor::cppSymbols_data()
{
    addSymbolColumns();
    const auto function = CodeSymbol::Kind::Function;
    const auto method = CodeSymbol::Kind::Method;
    // Complexity = 1 + decision points, counted by hand from tests/data/extract/geometry.cpp.
    QTest::newRow("operator==") << QStringLiteral("Point.operator==") << method
                                << QStringLiteral("operator==") << QStringLiteral("Point") << 15
                                << 15 << 1 << 2;
    QTest::newRow("length") << QStringLiteral("Point.length") << method << QStringLiteral("length")
                            << QStringLiteral("Point") << 17 << 17 << 0 << 1;
    // A struct nested in a class: the innermost one.
    QTest::newRow("dx") << QStringLiteral("Edge.dx") << method << QStringLiteral("dx")
                        << QStringLiteral("Edge") << 27 << 27 << 0 << 1;
    QTest::newRow("constructor") << QStringLiteral("Polygon.Polygon") << method
                                 << QStringLiteral("Polygon") << QStringLiteral("Polygon") << 30
                                 << 36 << 1 << 2;
    QTest::newRow("area") << QStringLiteral("Polygon.area") << method << QStringLiteral("area")
                          << QStringLiteral("Polygon") << 46 << 55 << 0 << 2;
    // geo::Polygon::contains: the namespace stays out; for, if, &&.
    QTest::newRow("contains") << QStringLiteral("Polygon.contains") << method
                              << QStringLiteral("contains") << QStringLiteral("Polygon") << 57 << 68
                              << 1 << 4;
    QTest::newRow("destructor") << QStringLiteral("Canvas.~Canvas") << method
                                << QStringLiteral("~Canvas") << QStringLiteral("Canvas") << 79 << 82
                                << 0 << 1;
    // The template line belongs to the definition; two conditional expressions.
    QTest::newRow("clampTo") << QStringLiteral("clampTo") << function << QStringLiteral("clampTo")
                             << QString() << 84 << 88 << 3 << 3;
    // case 0, case 1, case 2 (not default), range-for, if, `and`, catch; the lambda's ||
    // does not count.
    QTest::newRow("classify") << QStringLiteral("classify") << function
                              << QStringLiteral("classify") << QString() << 90 << 115 << 2 << 8;
    // geo:: is a namespace this file declares, so this is a free function.
    QTest::newRow("clampUnit") << QStringLiteral("clampUnit") << function
                               << QStringLiteral("clampUnit") << QString() << 119 << 122 << 1 << 3;
    // Conversion operators are named up to their parameter list.
    QTest::newRow("operator bool")
        << QStringLiteral("Handle.operator bool") << method << QStringLiteral("operator bool")
        << QStringLiteral("Handle") << 129 << 129 << 0 << 2;
    QTest::newRow("operator const int *") << QStringLiteral("Handle.operator const int *") << method
                                          << QStringLiteral("operator const int *")
                                          << QStringLiteral("Handle") << 130 << 130 << 0 << 1;
}

void TestCodeExtractor::cppSymbols()
{
    checkSymbol(m_cpp);
}

void TestCodeExtractor::cppSourceKeepsIndentationAndTemplateLine()
{
    const QByteArray content = data(QStringLiteral("geometry.cpp"));
    const QList<QByteArray> lines = content.split('\n');
    for (const CodeSymbol &symbol : std::as_const(m_cpp)) {
        const QByteArray expected = lines.mid(symbol.startLine - 1, symbol.lineCount()).join('\n');
        QCOMPARE(symbol.source, QString::fromUtf8(expected));
    }
    const auto find = [this](const QString &displayName) {
        return *std::find_if(m_cpp.cbegin(), m_cpp.cend(),
                             [&](const CodeSymbol &s) { return s.displayName == displayName; });
    };
    QCOMPARE(find(QStringLiteral("Edge.dx")).source,
             QStringLiteral("        double dx() const { return to.x - from.x; }"));
    QVERIFY(find(QStringLiteral("clampTo"))
                .source.startsWith(
                    QStringLiteral("template<typename T>\nT clampTo(T value, T low, T high)\n{")));
    QVERIFY(find(QStringLiteral("Polygon.Polygon"))
                .source.startsWith(
                    QStringLiteral("    explicit Polygon(std::vector<Point> points)\n")));
}

void TestCodeExtractor::cSymbols()
{
    const QList<CodeSymbol> symbols =
        CodeExtractor::extract(QStringLiteral("c"), data(QStringLiteral("ringbuffer.c")));
    QCOMPARE(symbols.size(), 3);
    QCOMPARE(symbols.at(0).displayName, QStringLiteral("ring_used"));
    QCOMPARE(symbols.at(0).kind, CodeSymbol::Kind::Function);
    QCOMPARE(symbols.at(0).startLine, 10);
    QCOMPARE(symbols.at(0).endLine, 13);
    QCOMPARE(symbols.at(0).parameterCount, 1);
    QCOMPARE(symbols.at(0).complexity, 2);
    QCOMPARE(symbols.at(1).displayName, QStringLiteral("ring_write"));
    QCOMPARE(symbols.at(1).parameterCount, 3);
    QCOMPARE(symbols.at(1).complexity, 3); // while + &&
    QCOMPARE(symbols.at(2).displayName, QStringLiteral("ring_selftest"));
    QCOMPARE(symbols.at(2).parameterCount, 0); // (void)
    QCOMPARE(symbols.at(2).complexity, 1);
}

void TestCodeExtractor::unsupportedLanguageYieldsNothing()
{
    const QByteArray javascript = "function add(a, b) {\n  return a && b ? a + b : 0;\n}\n";
    QVERIFY(CodeExtractor::extract(QStringLiteral("javascript"), javascript).isEmpty());
    QVERIFY(CodeExtractor::extract(QStringLiteral("cobol"), javascript).isEmpty());
}

void TestCodeExtractor::emptyAndCrlfInput()
{
    QVERIFY(CodeExtractor::extract(QStringLiteral("python"), QByteArray()).isEmpty());
    QVERIFY(CodeExtractor::extract(QStringLiteral("cpp"), QByteArray()).isEmpty());

    const QByteArray crlf = "def first(a):\r\n    return a or 1\r\n\r\ndef second():\r\n    pass";
    const QList<CodeSymbol> symbols = CodeExtractor::extract(QStringLiteral("python"), crlf);
    QCOMPARE(symbols.size(), 2);
    QCOMPARE(symbols.at(0).startLine, 1);
    QCOMPARE(symbols.at(0).endLine, 2);
    QCOMPARE(symbols.at(0).complexity, 2);
    QCOMPARE(symbols.at(0).source, QStringLiteral("def first(a):\r\n    return a or 1"));
    // The last definition ends at the end of the file, without a line break.
    QCOMPARE(symbols.at(1).startLine, 4);
    QCOMPARE(symbols.at(1).endLine, 5);
    QCOMPARE(symbols.at(1).source, QStringLiteral("def second():\r\n    pass"));
    QCOMPARE(symbols.at(1).endByte, crlf.size());
}

QTEST_GUILESS_MAIN(TestCodeExtractor)
#include "TestCodeExtractor.moc"
