#include "analysis/CodeExtractor.h"
#include "analysis/Language.h"
#include "analysis/LanguageSpec.h"

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

    void languageForContent_data();
    void languageForContent();
    void specsKnowTheirNodeTypes();
    void kindNames();
    void everyLanguageFindsItsDefinitions_data();
    void everyLanguageFindsItsDefinitions();
    void extractReturnsCallablesOnly();
    void sourceIsWholeLinesInEveryLanguage();
    void pythonFlagsDecoratorsAndDocs();
    void javascriptNamesAndFlags();
    void typescriptSignaturesAreNoDefinitions();
    void goReceiversAndDocs();
    void rustImplsTraitsAndAttributes();
    void javaMembersAndFlags();
    void cMacrosAndKnrDefinitions();
    void cppNamespacesTemplatesAndFlags();
    void brokenClassKeepsItsGoodMethods();
    void macrosDoNotHideDefinitions();
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
        QStringLiteral("Inventory.Report.__init__"),
        QStringLiteral("Inventory.Report.total"),
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
    // retry: the for, except and if of its nested functions count (they are part of it).
    QTest::newRow("retry") << QStringLiteral("retry") << function << QStringLiteral("retry")
                           << QString() << 8 << 24 << 1 << 4;
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
    // Methods of a nested class carry the innermost class; the display name chains.
    QTest::newRow("Report.__init__")
        << QStringLiteral("Inventory.Report.__init__") << method << QStringLiteral("__init__")
        << QStringLiteral("Report") << 90 << 91 << 1 << 1;
    QTest::newRow("Report.total") << QStringLiteral("Inventory.Report.total") << method
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
        QStringLiteral("Polygon.Edge.dx"),
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
    // A struct nested in a class: the innermost one is the class, the display name chains.
    QTest::newRow("dx") << QStringLiteral("Polygon.Edge.dx") << method << QStringLiteral("dx")
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
    // case 0, case 1, case 2 (not default), range-for, if, `and`, catch, and the ||
    // of the lambda, which is part of classify.
    QTest::newRow("classify") << QStringLiteral("classify") << function
                              << QStringLiteral("classify") << QString() << 90 << 115 << 2 << 9;
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
    QCOMPARE(find(QStringLiteral("Polygon.Edge.dx")).source,
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
    QVERIFY(CodeExtractor::extract(QStringLiteral("cobol"), javascript).isEmpty());
    QVERIFY(CodeExtractor::analyze(QStringLiteral("cobol"), javascript).symbols.isEmpty());
    const QList<CodeSymbol> symbols =
        CodeExtractor::extract(QStringLiteral("javascript"), javascript);
    QCOMPARE(symbols.size(), 1);
    QCOMPARE(symbols.at(0).displayName, QStringLiteral("add"));
    QCOMPARE(symbols.at(0).complexity, 3);
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

void TestCodeExtractor::languageForContent_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("headerLanguage");
    QTest::addColumn<QString>("language");
    const QString automatic = QStringLiteral("auto");
    QTest::newRow("c header") << QStringLiteral("list.h")
                              << QByteArray(
                                     "struct node { int v; };\nint list_len(struct node *);\n")
                              << automatic << QStringLiteral("c");
    // An extern "C" guard is what C headers do to be usable from C++.
    QTest::newRow("extern C guard")
        << QStringLiteral("inc/api.h")
        << QByteArray("#ifdef __cplusplus\nextern \"C\" {\n#endif\nint api(void);\n"
                      "#ifdef __cplusplus\n}\n#endif\n")
        << automatic << QStringLiteral("c");
    QTest::newRow("words in comments")
        << QStringLiteral("a.h") << QByteArray("/* this class of template<> hacks */\nint a;\n")
        << automatic << QStringLiteral("c");
    QTest::newRow("class") << QStringLiteral("a.h") << QByteArray("class A {\n};\n") << automatic
                           << QStringLiteral("cpp");
    QTest::newRow("namespace") << QStringLiteral("a.h") << QByteArray("namespace a {\nint b;\n}\n")
                               << automatic << QStringLiteral("cpp");
    QTest::newRow("template") << QStringLiteral("a.h")
                              << QByteArray("template <typename T> T id(T t);\n") << automatic
                              << QStringLiteral("cpp");
    QTest::newRow("scope") << QStringLiteral("a.h") << QByteArray("int x = std::max(1, 2);\n")
                           << automatic << QStringLiteral("cpp");
    QTest::newRow("forced c") << QStringLiteral("a.h") << QByteArray("class A {};\n")
                              << QStringLiteral("c") << QStringLiteral("c");
    QTest::newRow("forced cpp") << QStringLiteral("a.h") << QByteArray("int a;\n")
                                << QStringLiteral("cpp") << QStringLiteral("cpp");
    QTest::newRow("not a header") << QStringLiteral("a.c") << QByteArray("class A {};\n")
                                  << automatic << QStringLiteral("c");
    QTest::newRow("python") << QStringLiteral("a.py") << QByteArray() << automatic
                            << QStringLiteral("python");
}

void TestCodeExtractor::languageForContent()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, content);
    QFETCH(QString, headerLanguage);
    QFETCH(QString, language);
    QCOMPARE(Language::forContent(path, content, headerLanguage), language);
}

void TestCodeExtractor::specsKnowTheirNodeTypes()
{
    // A node type the grammar does not know is a typo or a grammar update that renamed it.
    const QStringList languages = {
        QStringLiteral("python"),     QStringLiteral("cpp"),        QStringLiteral("c"),
        QStringLiteral("javascript"), QStringLiteral("typescript"), QStringLiteral("tsx"),
        QStringLiteral("go"),         QStringLiteral("rust"),       QStringLiteral("java"),
    };
    for (const QString &language : languages) {
        const CompiledSpec *spec = compiledSpec(language);
        QVERIFY2(spec, qPrintable(language));
        QVERIFY2(spec->unknownTypes().isEmpty(),
                 qPrintable(language + QLatin1String(": ") +
                            spec->unknownTypes().join(QLatin1Char(' '))));
    }
    QCOMPARE(compiledSpec(QStringLiteral("cobol")), nullptr);
}

void TestCodeExtractor::kindNames()
{
    const QList<CodeSymbol::Kind> kinds = {
        CodeSymbol::Kind::Function, CodeSymbol::Kind::Method,    CodeSymbol::Kind::Class,
        CodeSymbol::Kind::Struct,   CodeSymbol::Kind::Interface, CodeSymbol::Kind::Trait,
        CodeSymbol::Kind::Enum,     CodeSymbol::Kind::Impl,      CodeSymbol::Kind::Namespace,
    };
    QSet<QString> names;
    for (const CodeSymbol::Kind kind : kinds) {
        const QString name = CodeSymbol::kindName(kind);
        QVERIFY(!name.isEmpty());
        names.insert(name);
        CodeSymbol::Kind parsed = CodeSymbol::Kind::Function;
        QVERIFY(CodeSymbol::kindFromName(name, &parsed));
        QCOMPARE(parsed, kind);
    }
    QCOMPARE(names.size(), kinds.size());
    QCOMPARE(CodeSymbol::kindName(CodeSymbol::Kind::Method), QStringLiteral("method"));
    CodeSymbol::Kind unchanged = CodeSymbol::Kind::Enum;
    QVERIFY(!CodeSymbol::kindFromName(QStringLiteral("procedure"), &unchanged));
    QCOMPARE(unchanged, CodeSymbol::Kind::Enum);
}

void TestCodeExtractor::everyLanguageFindsItsDefinitions_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected"); // "kind displayName startLine-endLine"
    QTest::newRow("javascript/widgets.js")
        << QStringLiteral("javascript") << QStringLiteral("javascript/widgets.js")
        << QStringList{
               QStringLiteral("function add 11-13"),
               QStringLiteral("function pages 15-20"),
               QStringLiteral("function format 23-23"),
               QStringLiteral("function parse 25-31"),
               QStringLiteral("class Widget 33-72"),
               QStringLiteral("method Widget.constructor 37-41"),
               QStringLiteral("method Widget.label 43-45"),
               QStringLiteral("method Widget.label 47-49"),
               QStringLiteral("method Widget.create 51-53"),
               QStringLiteral("method Widget.items 55-59"),
               QStringLiteral("method Widget.handle 61-71"),
               QStringLiteral("method Widget.render 74-78"),
               QStringLiteral("function helper 80-82"),
               QStringLiteral("function start 85-87"),
               QStringLiteral("function stop 88-88"),
               QStringLiteral("method api.fetch 92-94"),
               QStringLiteral("function insideCallback 98-98"),
               QStringLiteral("function moduleLocal 102-105"),
               QStringLiteral("class Panel 110-112"),
               QStringLiteral("method Panel.open 111-111"),
           };
    QTest::newRow("typescript/store.ts")
        << QStringLiteral("typescript") << QStringLiteral("typescript/store.ts")
        << QStringList{
               QStringLiteral("interface Repository 3-6"),
               QStringLiteral("enum Status 8-11"),
               QStringLiteral("class Store 14-48"),
               QStringLiteral("method Store.constructor 18-18"),
               QStringLiteral("method Store.find 20-26"),
               QStringLiteral("method Store.find2 30-32"),
               QStringLiteral("method Store.save 34-36"),
               QStringLiteral("method Store.size 38-41"),
               QStringLiteral("method Store.evict 43-47"),
               QStringLiteral("class Shape 50-56"),
               QStringLiteral("method Shape.describe 53-55"),
               QStringLiteral("namespace Geometry 58-62"),
               QStringLiteral("function distance 59-61"),
               QStringLiteral("function handler 66-66"),
               QStringLiteral("function overloaded 70-72"),
           };
    QTest::newRow("tsx/Counter.tsx")
        << QStringLiteral("tsx") << QStringLiteral("tsx/Counter.tsx")
        << QStringList{
               QStringLiteral("interface Props 3-5"),       QStringLiteral("function Counter 8-16"),
               QStringLiteral("function Label 18-18"),      QStringLiteral("class Board 20-24"),
               QStringLiteral("method Board.render 21-23"),
           };
    QTest::newRow("go/server.go") << QStringLiteral("go") << QStringLiteral("go/server.go")
                                  << QStringList{
                                         QStringLiteral("struct Handler 10-13"),
                                         QStringLiteral("interface Store 16-18"),
                                         QStringLiteral("struct Item 22-22"),
                                         QStringLiteral("function NewHandler 27-29"),
                                         QStringLiteral("method Handler.ServeHTTP 32-47"),
                                         QStringLiteral("method Handler.name 49-49"),
                                         QStringLiteral("method Cache.Put 51-57"),
                                         QStringLiteral("function process 59-77"),
                                     };
    QTest::newRow("rust/cache.rs") << QStringLiteral("rust") << QStringLiteral("rust/cache.rs")
                                   << QStringList{
                                          QStringLiteral("struct Entry 6-10"),
                                          QStringLiteral("enum Lookup 12-17"),
                                          QStringLiteral("trait Clock 19-26"),
                                          QStringLiteral("method Clock.seconds 23-25"),
                                          QStringLiteral("struct Cache 28-31"),
                                          QStringLiteral("impl impl Cache 33-67"),
                                          QStringLiteral("method Cache.new 35-37"),
                                          QStringLiteral("method Cache.get 39-48"),
                                          QStringLiteral("method Cache.refresh 50-61"),
                                          QStringLiteral("method Cache.try_refresh 63-66"),
                                          QStringLiteral("impl impl Drop for Cache 69-73"),
                                          QStringLiteral("method Cache.drop 70-72"),
                                          QStringLiteral("impl impl Display for Lookup 75-79"),
                                          QStringLiteral("method Lookup.fmt 76-78"),
                                          QStringLiteral("namespace tests 81-91"),
                                          QStringLiteral("function lookup_names 84-90"),
                                          QStringLiteral("function free 93-100"),
                                      };
    QTest::newRow("java/Ledger.java")
        << QStringLiteral("java") << QStringLiteral("java/Ledger.java")
        << QStringList{
               QStringLiteral("class Ledger 9-106"),
               QStringLiteral("method Ledger.Ledger 14-16"),
               QStringLiteral("method Ledger.close 18-21"),
               QStringLiteral("method Ledger.total 23-32"),
               QStringLiteral("method Ledger.kind 34-44"),
               QStringLiteral("method Ledger.parse 46-54"),
               QStringLiteral("method Ledger.task 56-62"),
               QStringLiteral("class Ledger.Audit 64-76"),
               QStringLiteral("method Ledger.Audit.check 65-71"),
               QStringLiteral("class Ledger.Audit.Deep 73-75"),
               QStringLiteral("method Ledger.Audit.Deep.depth 74-74"),
               QStringLiteral("interface Ledger.Visitor 78-82"),
               QStringLiteral("method Ledger.Visitor.done 81-81"),
               QStringLiteral("enum Ledger.Mode 84-88"),
               QStringLiteral("method Ledger.Mode.writable 87-87"),
               QStringLiteral("class Ledger.Point 90-94"),
               QStringLiteral("method Ledger.Point.Point 91-93"),
               QStringLiteral("class Ledger.Base 96-105"),
               QStringLiteral("method Ledger.Base.label 99-104"),
           };
    QTest::newRow("c/list.c") << QStringLiteral("c") << QStringLiteral("c/list.c")
                              << QStringList{
                                     QStringLiteral("struct node 8-11"),
                                     QStringLiteral("struct list_t 13-16"),
                                     QStringLiteral("function list_count_positive 21-31"),
                                     QStringLiteral("function list_classify 33-44"),
                                     QStringLiteral("function old_style 47-56"),
                                     QStringLiteral("function macro_named 58-61"),
                                     QStringLiteral("function signal_handler 63-67"),
                                     QStringLiteral("function annotated 69-82"),
                                 };
    QTest::newRow("cpp/shapes.hpp") << QStringLiteral("cpp") << QStringLiteral("cpp/shapes.hpp")
                                    << QStringList{
                                           QStringLiteral("namespace gfx::detail 6-54"),
                                           QStringLiteral("class Shape 9-25"),
                                           QStringLiteral("method Shape.name 14-14"),
                                           QStringLiteral("class Shape.Style 16-24"),
                                           QStringLiteral("method Shape.Style.filled 19-19"),
                                           QStringLiteral("class Grid 27-44"),
                                           QStringLiteral("method Grid.each 33-39"),
                                           QStringLiteral("function operator== 40-40"),
                                           QStringLiteral("enum Color 46-46"),
                                           QStringLiteral("struct Guard 48-52"),
                                           QStringLiteral("method Guard.~Guard 50-50"),
                                           QStringLiteral("method Grid.Grid 56-60"),
                                           QStringLiteral("method Grid.at 62-66"),
                                           QStringLiteral("method Guard.release 68-68"),
                                           QStringLiteral("method Shape.Style.reset 70-75"),
                                           QStringLiteral("function helper 79-82"),
                                           QStringLiteral("function hidden 85-85"),
                                       };
}

void TestCodeExtractor::everyLanguageFindsItsDefinitions()
{
    QFETCH(QString, language);
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    const FileAnalysis analysis = CodeExtractor::analyze(language, data(file));
    QStringList found;
    for (const CodeSymbol &symbol : analysis.symbols) {
        found << QStringLiteral("%1 %2 %3-%4")
                     .arg(CodeSymbol::kindName(symbol.kind), symbol.displayName)
                     .arg(symbol.startLine)
                     .arg(symbol.endLine);
    }
    QCOMPARE(found, expected);
}

namespace {

const CodeSymbol *findSymbol(const QList<CodeSymbol> &symbols, const QString &displayName,
                             int occurrence = 0)
{
    for (const CodeSymbol &symbol : symbols) {
        if (symbol.displayName == displayName && occurrence-- == 0) {
            return &symbol;
        }
    }
    return nullptr;
}

QList<CodeSymbol> analyzeFile(const QString &language, const QString &file)
{
    return CodeExtractor::analyze(
               language,
               codeworm::test::readFile(QStringLiteral(CODEWORM_TEST_DATA_DIR "/extract/") + file))
        .symbols;
}

} // namespace

void TestCodeExtractor::extractReturnsCallablesOnly()
{
    const QByteArray content = data(QStringLiteral("java/Ledger.java"));
    const QList<CodeSymbol> all = CodeExtractor::analyze(QStringLiteral("java"), content).symbols;
    QList<CodeSymbol> callables;
    std::copy_if(all.cbegin(), all.cend(), std::back_inserter(callables),
                 [](const CodeSymbol &symbol) { return symbol.isCallable(); });
    const QList<CodeSymbol> extracted = CodeExtractor::extract(QStringLiteral("java"), content);
    QCOMPARE(extracted.size(), callables.size());
    QVERIFY(extracted.size() < all.size());
    for (qsizetype i = 0; i < extracted.size(); ++i) {
        QCOMPARE(extracted.at(i).displayName, callables.at(i).displayName);
        QVERIFY(i == 0 || extracted.at(i).startByte > extracted.at(i - 1).startByte);
    }
}

void TestCodeExtractor::sourceIsWholeLinesInEveryLanguage()
{
    const QStringList files = {
        QStringLiteral("javascript/widgets.js"),
        QStringLiteral("typescript/store.ts"),
        QStringLiteral("tsx/Counter.tsx"),
        QStringLiteral("go/server.go"),
        QStringLiteral("rust/cache.rs"),
        QStringLiteral("java/Ledger.java"),
        QStringLiteral("c/list.c"),
        QStringLiteral("cpp/shapes.hpp"),
    };
    for (const QString &file : files) {
        const QByteArray content = data(file);
        const QList<QByteArray> lines = content.split('\n');
        const QString language = file.section(QLatin1Char('/'), 0, 0);
        for (const CodeSymbol &symbol : analyzeFile(language, file)) {
            const QByteArray expected =
                lines.mid(symbol.startLine - 1, symbol.lineCount()).join('\n');
            QCOMPARE(symbol.source, QString::fromUtf8(expected));
            QCOMPARE(content.mid(symbol.startByte, symbol.endByte - symbol.startByte), expected);
            QVERIFY2(symbol.linesOfCode > 0 && symbol.linesOfCode <= symbol.lineCount(),
                     qPrintable(symbol.displayName));
            QVERIFY(symbol.tokenCount > 0);
            QCOMPARE(symbol.parameterCount >= symbol.parameters.size(), true);
        }
    }
}

void TestCodeExtractor::pythonFlagsDecoratorsAndDocs()
{
    const FileAnalysis analysis =
        CodeExtractor::analyze(QStringLiteral("python"), data(QStringLiteral("python/flags.py")));
    QCOMPARE(analysis.docComment, QStringLiteral("Flags and docs.\n\nSecond paragraph."));
    const QList<CodeSymbol> &symbols = analysis.symbols;
    const CodeSymbol *session = findSymbol(symbols, QStringLiteral("Session"));
    QVERIFY(session);
    QCOMPARE(session->kind, CodeSymbol::Kind::Class);
    QVERIFY(session->isContextManager);
    QCOMPARE(session->docComment, QStringLiteral("A session.\n\nIndented line."));
    const CodeSymbol *opened = findSymbol(symbols, QStringLiteral("opened"));
    QVERIFY(opened && opened->isContextManager && opened->isGenerator);
    QCOMPARE(opened->decorators, QStringList{QStringLiteral("@contextlib.contextmanager")});
    const CodeSymbol *point = findSymbol(symbols, QStringLiteral("Point"));
    QVERIFY(point && point->isDataClass && !point->isContextManager);
    const CodeSymbol *base = findSymbol(symbols, QStringLiteral("Base"));
    QVERIFY(base && base->isAbstract);
    const CodeSymbol *run = findSymbol(symbols, QStringLiteral("Base.run"));
    QVERIFY(run && run->isAbstract && !run->isStatic);
    const CodeSymbol *size = findSymbol(symbols, QStringLiteral("Base.size"));
    QVERIFY(size && size->isProperty);
    const CodeSymbol *sizeSetter = findSymbol(symbols, QStringLiteral("Base.size"), 1);
    QVERIFY(sizeSetter && sizeSetter->isProperty);
    QCOMPARE(sizeSetter->parameters, QStringList{QStringLiteral("value")});
    const CodeSymbol *make = findSymbol(symbols, QStringLiteral("Base.make"));
    QVERIFY(make && make->isStatic && make->isAsync);
    // cls is no parameter; *args and **kwargs are, by name; the bare * is not.
    QCOMPARE(make->parameters,
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("args"),
                          QStringLiteral("key"), QStringLiteral("kwargs")}));
    QCOMPARE(make->parameterCount, 5);
    // Nested functions and classes inside a function are part of it, not symbols.
    QVERIFY(!findSymbol(symbols, QStringLiteral("inner")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Local")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Local.method")));
}

void TestCodeExtractor::javascriptNamesAndFlags()
{
    const QList<CodeSymbol> symbols =
        analyzeFile(QStringLiteral("javascript"), QStringLiteral("javascript/widgets.js"));
    const CodeSymbol *add = findSymbol(symbols, QStringLiteral("add"));
    QVERIFY(add);
    QCOMPARE(add->docComment, QStringLiteral("Adds two numbers, or returns zero."));
    QCOMPARE(add->parameters,
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("rest")}));
    const CodeSymbol *pages = findSymbol(symbols, QStringLiteral("pages"));
    QVERIFY(pages && pages->isAsync && pages->isGenerator);
    const CodeSymbol *format = findSymbol(symbols, QStringLiteral("format"));
    QVERIFY(format);
    QCOMPARE(format->docComment, QStringLiteral("Formats a label."));
    const CodeSymbol *getter = findSymbol(symbols, QStringLiteral("Widget.label"));
    QVERIFY(getter && getter->isProperty && getter->parameterCount == 0);
    const CodeSymbol *setter = findSymbol(symbols, QStringLiteral("Widget.label"), 1);
    QVERIFY(setter && setter->isProperty && setter->parameterCount == 1);
    const CodeSymbol *create = findSymbol(symbols, QStringLiteral("Widget.create"));
    QVERIFY(create && create->isStatic);
    const CodeSymbol *items = findSymbol(symbols, QStringLiteral("Widget.items"));
    QVERIFY(items && items->isGenerator);
    // A class field holding an arrow function is a method; `Foo.prototype.bar = function`.
    QCOMPARE(findSymbol(symbols, QStringLiteral("Widget.handle"))->kind, CodeSymbol::Kind::Method);
    QCOMPARE(findSymbol(symbols, QStringLiteral("Widget.render"))->className,
             QStringLiteral("Widget"));
    QVERIFY(findSymbol(symbols, QStringLiteral("api.fetch"))->isAsync);
    // Anonymous callbacks are no symbols; the constructor's arrow function belongs to it.
    for (const CodeSymbol &symbol : symbols) {
        QVERIFY(!symbol.name.isEmpty());
        QVERIFY(symbol.name != QLatin1String("onClick"));
        QVERIFY(symbol.name != QLatin1String("nested"));
    }
}

void TestCodeExtractor::typescriptSignaturesAreNoDefinitions()
{
    const QList<CodeSymbol> symbols =
        analyzeFile(QStringLiteral("typescript"), QStringLiteral("typescript/store.ts"));
    // Interface members, overload signatures, abstract and ambient declarations are absent.
    QVERIFY(!findSymbol(symbols, QStringLiteral("Repository.find")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Shape.area")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("ambient")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Store.find2"), 1));
    QVERIFY(!findSymbol(symbols, QStringLiteral("overloaded"), 1));
    const CodeSymbol *store = findSymbol(symbols, QStringLiteral("Store"));
    QVERIFY(store);
    QCOMPARE(store->decorators, QStringList{QStringLiteral("@Injectable()")});
    QCOMPARE(store->docComment, QStringLiteral("A store that caches what its repository returns."));
    const CodeSymbol *size = findSymbol(symbols, QStringLiteral("Store.size"));
    QVERIFY(size && size->isProperty);
    QCOMPARE(size->decorators, QStringList{QStringLiteral("@Memo()")});
    QVERIFY(findSymbol(symbols, QStringLiteral("Shape"))->isAbstract);
    // `this` is no parameter.
    QCOMPARE(findSymbol(symbols, QStringLiteral("Shape.describe"))->parameters,
             QStringList{QStringLiteral("prefix")});
    QCOMPARE(findSymbol(symbols, QStringLiteral("Store.constructor"))->parameterCount, 2);
    QVERIFY(findSymbol(symbols, QStringLiteral("handler"))->isAsync);
    QCOMPARE(findSymbol(symbols, QStringLiteral("Geometry"))->kind, CodeSymbol::Kind::Namespace);
}

void TestCodeExtractor::goReceiversAndDocs()
{
    const FileAnalysis analysis =
        CodeExtractor::analyze(QStringLiteral("go"), data(QStringLiteral("go/server.go")));
    QCOMPARE(analysis.docComment, QStringLiteral("Package server serves the inventory over HTTP."));
    const QList<CodeSymbol> &symbols = analysis.symbols;
    const CodeSymbol *serve = findSymbol(symbols, QStringLiteral("Handler.ServeHTTP"));
    QVERIFY(serve);
    QCOMPARE(serve->kind, CodeSymbol::Kind::Method);
    QCOMPARE(serve->className, QStringLiteral("Handler"));
    QCOMPARE(serve->docComment, QStringLiteral("ServeHTTP answers one request."));
    QCOMPARE(serve->parameters, (QStringList{QStringLiteral("w"), QStringLiteral("r")}));
    // Generic receiver `(c *Cache[K, V])`.
    QVERIFY(findSymbol(symbols, QStringLiteral("Cache.Put")));
    QCOMPARE(findSymbol(symbols, QStringLiteral("Store"))->kind, CodeSymbol::Kind::Interface);
    const CodeSymbol *item = findSymbol(symbols, QStringLiteral("Item"));
    QVERIFY(item);
    QCOMPARE(item->docComment, QStringLiteral("Item is one thing in stock."));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Count"))); // not a struct or interface
    QCOMPARE(findSymbol(symbols, QStringLiteral("process"))->parameters,
             (QStringList{QStringLiteral("items"), QStringLiteral("fn"), QStringLiteral("names")}));
    // The struct's complexity is the sum over its methods (ServeHTTP 5, name 1).
    QCOMPARE(findSymbol(symbols, QStringLiteral("Handler"))->complexity, 6);
}

void TestCodeExtractor::rustImplsTraitsAndAttributes()
{
    const FileAnalysis analysis =
        CodeExtractor::analyze(QStringLiteral("rust"), data(QStringLiteral("rust/cache.rs")));
    QCOMPARE(analysis.docComment, QStringLiteral("A small cache with expiry."));
    const QList<CodeSymbol> &symbols = analysis.symbols;
    const CodeSymbol *entry = findSymbol(symbols, QStringLiteral("Entry"));
    QVERIFY(entry && entry->isDataClass);
    QCOMPARE(entry->decorators, QStringList{QStringLiteral("#[derive(Debug, Clone)]")});
    QCOMPARE(entry->docComment, QStringLiteral("A cached value and when it expires."));
    QCOMPARE(entry->startLine, 6); // the attribute line, below the doc comment
    const CodeSymbol *cache = findSymbol(symbols, QStringLiteral("Cache"));
    QVERIFY(cache && cache->isContextManager && !cache->isDataClass);
    const CodeSymbol *drop = findSymbol(symbols, QStringLiteral("impl Drop for Cache"));
    QVERIFY(drop && drop->isContextManager);
    QCOMPARE(drop->kind, CodeSymbol::Kind::Impl);
    QCOMPARE(drop->name, QStringLiteral("Cache"));
    const CodeSymbol *make = findSymbol(symbols, QStringLiteral("Cache.new"));
    QVERIFY(make && make->isStatic);
    QCOMPARE(make->docComment, QStringLiteral("Makes an empty cache."));
    const CodeSymbol *get = findSymbol(symbols, QStringLiteral("Cache.get"));
    QVERIFY(get && !get->isStatic);
    QCOMPARE(get->decorators, QStringList{QStringLiteral("#[inline]")});
    QCOMPARE(get->parameters, QStringList{QStringLiteral("key")}); // &mut self excluded
    QVERIFY(findSymbol(symbols, QStringLiteral("Cache.refresh"))->isAsync);
    QCOMPARE(findSymbol(symbols, QStringLiteral("Cache.refresh"))->parameters,
             QStringList{QStringLiteral("keys")});
    // A trait's default method is a method of the trait; its required one is no definition.
    QVERIFY(findSymbol(symbols, QStringLiteral("Clock.seconds")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Clock.now")));
    QCOMPARE(findSymbol(symbols, QStringLiteral("tests"))->kind, CodeSymbol::Kind::Namespace);
    QVERIFY(!findSymbol(symbols, QStringLiteral("helper")));
}

void TestCodeExtractor::javaMembersAndFlags()
{
    const QList<CodeSymbol> symbols =
        analyzeFile(QStringLiteral("java"), QStringLiteral("java/Ledger.java"));
    const CodeSymbol *ledger = findSymbol(symbols, QStringLiteral("Ledger"));
    QVERIFY(ledger && ledger->isContextManager);
    QCOMPARE(ledger->decorators, QStringList{QStringLiteral("@Service")});
    QCOMPARE(ledger->docComment, QStringLiteral("A ledger of entries."));
    QCOMPARE(ledger->startLine, 9);
    const CodeSymbol *constructor = findSymbol(symbols, QStringLiteral("Ledger.Ledger"));
    QVERIFY(constructor);
    QCOMPARE(constructor->kind, CodeSymbol::Kind::Method);
    QCOMPARE(constructor->docComment, QStringLiteral("Creates an empty ledger."));
    QCOMPARE(findSymbol(symbols, QStringLiteral("Ledger.close"))->decorators,
             QStringList{QStringLiteral("@Override")});
    QVERIFY(findSymbol(symbols, QStringLiteral("Ledger.total"))->isStatic);
    QCOMPARE(findSymbol(symbols, QStringLiteral("Ledger.Audit.check"))->parameters,
             QStringList{QStringLiteral("names")});
    QVERIFY(findSymbol(symbols, QStringLiteral("Ledger.Point"))->isDataClass);
    QVERIFY(findSymbol(symbols, QStringLiteral("Ledger.Base"))->isAbstract);
    QVERIFY(!findSymbol(symbols, QStringLiteral("Ledger.Base.run")));
    QVERIFY(!findSymbol(symbols, QStringLiteral("Ledger.Visitor.visit")));
    QVERIFY(findSymbol(symbols, QStringLiteral("Ledger.Visitor.done")));
}

void TestCodeExtractor::cMacrosAndKnrDefinitions()
{
    const FileAnalysis analysis =
        CodeExtractor::analyze(QStringLiteral("c"), data(QStringLiteral("c/list.c")));
    QCOMPARE(analysis.docComment,
             QStringLiteral("A singly linked list with a few macros around it."));
    const QList<CodeSymbol> &symbols = analysis.symbols;
    // The declaration of node_new is no definition.
    QVERIFY(!findSymbol(symbols, QStringLiteral("node_new")));
    const CodeSymbol *count = findSymbol(symbols, QStringLiteral("list_count_positive"));
    QVERIFY(count && count->isStatic);
    QCOMPARE(count->docComment, QStringLiteral("Counts the nodes that hold a positive value."));
    const CodeSymbol *old = findSymbol(symbols, QStringLiteral("old_style"));
    QVERIFY(old);
    QCOMPARE(old->parameters, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // Function returning a function pointer: the inner declarator is the function.
    const CodeSymbol *handler = findSymbol(symbols, QStringLiteral("signal_handler"));
    QVERIFY(handler);
    QCOMPARE(handler->parameters, (QStringList{QStringLiteral("sig"), QStringLiteral("handler")}));
    QVERIFY(findSymbol(symbols, QStringLiteral("macro_named")));
    // An unexpanded attribute macro in the header does not lose the function.
    QVERIFY(findSymbol(symbols, QStringLiteral("annotated")));
    QCOMPARE(findSymbol(symbols, QStringLiteral("list_t"))->kind, CodeSymbol::Kind::Struct);
}

void TestCodeExtractor::cppNamespacesTemplatesAndFlags()
{
    const QList<CodeSymbol> symbols =
        analyzeFile(QStringLiteral("cpp"), QStringLiteral("cpp/shapes.hpp"));
    const CodeSymbol *shape = findSymbol(symbols, QStringLiteral("Shape"));
    QVERIFY(shape && shape->isAbstract && !shape->isContextManager); // ~Shape() = default
    QCOMPARE(shape->docComment, QStringLiteral("Something that can be drawn."));
    QVERIFY(findSymbol(symbols, QStringLiteral("Guard"))->isContextManager);
    QCOMPARE(findSymbol(symbols, QStringLiteral("gfx::detail"))->kind, CodeSymbol::Kind::Namespace);
    // Out-of-line definitions: namespaces stay out of the name, classes chain.
    const CodeSymbol *reset = findSymbol(symbols, QStringLiteral("Shape.Style.reset"));
    QVERIFY(reset);
    QCOMPARE(reset->className, QStringLiteral("Style"));
    QCOMPARE(findSymbol(symbols, QStringLiteral("Grid.at"))->startLine, 62); // template<> line
    // A friend defined in a class is a free function.
    QCOMPARE(findSymbol(symbols, QStringLiteral("operator=="))->kind, CodeSymbol::Kind::Function);
}

void TestCodeExtractor::brokenClassKeepsItsGoodMethods()
{
    const QByteArray java = "class Broken {\n"
                            "    int good() { return 1; }\n"
                            "    int bad() { return 1 +; }\n"
                            "    int alsoGood() { return 2; }\n"
                            "}\n";
    const FileAnalysis analysis = CodeExtractor::analyze(QStringLiteral("java"), java);
    QVERIFY(analysis.hasSyntaxErrors);
    QStringList names;
    for (const CodeSymbol &symbol : analysis.symbols) {
        names << symbol.displayName;
    }
    QCOMPARE(names, (QStringList{QStringLiteral("Broken"), QStringLiteral("Broken.good"),
                                 QStringLiteral("Broken.alsoGood")}));
}

void TestCodeExtractor::macrosDoNotHideDefinitions()
{
    // An unexpanded macro before a namespace reads as a function whose body holds the
    // namespace: its definitions still count.
    QStringList names;
    for (const CodeSymbol &s :
         CodeExtractor::analyze(QStringLiteral("cpp"),
                                "FMT_BEGIN_NAMESPACE\n"
                                "namespace detail {\n"
                                "inline int twice(int x) { return x > 0 ? 2 * x : 0; }\n"
                                "class Buffer { public: int size() const { return n; } int n; };\n"
                                "}\n")
             .symbols) {
        names << s.displayName;
    }
    QVERIFY2(names.contains(QStringLiteral("twice")), qPrintable(names.join(QLatin1Char(' '))));
    QVERIFY2(names.contains(QStringLiteral("Buffer.size")),
             qPrintable(names.join(QLatin1Char(' '))));

    // `class EXPORT X : public ns::Base {...}` reads as a function named after the base: no
    // such method, and what follows is still found.
    names.clear();
    for (const CodeSymbol &s :
         CodeExtractor::analyze(QStringLiteral("cpp"),
                                "class GTEST_API_ AssertionException\n"
                                "    : public internal::GoogleTestFailureException {\n"
                                " public:\n"
                                "  explicit AssertionException(int r) : r_(r) {}\n"
                                "};\n"
                                "int after(int a) { if (a) return 1; return 0; }\n")
             .symbols) {
        names << s.displayName;
    }
    QVERIFY2(!names.join(QLatin1Char(' ')).contains(QStringLiteral("GoogleTestFailureException")),
             qPrintable(names.join(QLatin1Char(' '))));
    QVERIFY2(names.contains(QStringLiteral("after")), qPrintable(names.join(QLatin1Char(' '))));

    // Rust's legacy try! macro does not parse; the function around it is still a symbol.
    const QList<CodeSymbol> rust = CodeExtractor::extract(
        QStringLiteral("rust"), "fn read(path: &str) -> Result<String, Error> {\n"
                                "    let text = try!(std::fs::read_to_string(path));\n"
                                "    Ok(text)\n"
                                "}\n");
    QCOMPARE(rust.size(), 1);
    QCOMPARE(rust.first().name, QStringLiteral("read"));
}

QTEST_GUILESS_MAIN(TestCodeExtractor)
#include "TestCodeExtractor.moc"
