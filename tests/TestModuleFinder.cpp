#include "targets/ModuleFinder.h"

#include "analysis/Indexer.h"
#include "analysis/SymbolIndex.h"
#include "targets/TargetFinder.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QtTest>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

QStringList describe(const QList<ModuleFinder::Module> &modules)
{
    QStringList out;
    for (const ModuleFinder::Module &m : modules) {
        out << m.folder + QLatin1Char('|') + m.family + QLatin1Char('|') +
                   m.files.join(QLatin1Char(','));
    }
    return out;
}

const QByteArray ordersInit = "\"\"\"Orders: creating and pricing them.\"\"\"\n"
                              "from .pricing import price\n";
const QByteArray ordersModel = "class Order:\n"
                               "    \"\"\"A customer's order. Immutable once placed.\"\"\"\n"
                               "\n"
                               "    def __init__(self, customer, items):\n"
                               "        self.customer = customer\n"
                               "        self.items = items\n"
                               "\n"
                               "    def total(self):\n"
                               "        return sum(i.amount for i in self.items if i.amount)\n"
                               "\n"
                               "\n"
                               "def create(customer, items):\n"
                               "    \"\"\"Create an order. Validates the items.\"\"\"\n"
                               "    if not items:\n"
                               "        raise ValueError('empty')\n"
                               "    return Order(customer, items)\n";
const QByteArray pricing = "def price(order, rules):\n"
                           "    total = 0\n"
                           "    for item in order.items:\n"
                           "        for rule in rules:\n"
                           "            if rule.applies(item):\n"
                           "                total += rule.apply(item)\n"
                           "    return total\n";

} // namespace

class TestModuleFinder : public QObject
{
    Q_OBJECT

private slots:
    void modulesFollowEachLanguagesRules()
    {
        const QList<QPair<QString, QString>> files = {
            // Python: a package needs __init__.py; a subpackage is its own module.
            {QStringLiteral("shop/__init__.py"), QStringLiteral("python")},
            {QStringLiteral("shop/orders.py"), QStringLiteral("python")},
            {QStringLiteral("shop/util/helpers.py"), QStringLiteral("python")},
            {QStringLiteral("shop/util/more.py"), QStringLiteral("python")},
            {QStringLiteral("shop/sub/__init__.py"), QStringLiteral("python")},
            // JavaScript/TypeScript: a folder with an index file.
            {QStringLiteral("web/index.ts"), QStringLiteral("typescript")},
            {QStringLiteral("web/button.tsx"), QStringLiteral("tsx")},
            {QStringLiteral("web/format.js"), QStringLiteral("javascript")},
            {QStringLiteral("lib/a.js"), QStringLiteral("javascript")},
            {QStringLiteral("lib/b.js"), QStringLiteral("javascript")},
            // Go: the package's files without its tests.
            {QStringLiteral("server/main.go"), QStringLiteral("go")},
            {QStringLiteral("server/handler.go"), QStringLiteral("go")},
            {QStringLiteral("server/handler_test.go"), QStringLiteral("go")},
            {QStringLiteral("tools/gen.go"), QStringLiteral("go")},
            {QStringLiteral("tools/gen_test.go"), QStringLiteral("go")},
            // Rust: lib.rs, mod.rs, or a folder beside its foo.rs.
            {QStringLiteral("src/lib.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/store.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/net/mod.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/net/tcp.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/store/disk.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/store/memory.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/loose/a.rs"), QStringLiteral("rust")},
            {QStringLiteral("src/loose/b.rs"), QStringLiteral("rust")},
            // C and C++ together: the folder is the unit.
            {QStringLiteral("native/ring.c"), QStringLiteral("c")},
            {QStringLiteral("native/ring.h"), QStringLiteral("c")},
            {QStringLiteral("native/shapes.cpp"), QStringLiteral("cpp")},
            // Java: a package is a folder of .java files.
            {QStringLiteral("java/com/acme/Ledger.java"), QStringLiteral("java")},
            {QStringLiteral("java/com/acme/Entry.java"), QStringLiteral("java")},
            // One file is no module.
            {QStringLiteral("single/only.c"), QStringLiteral("c")},
        };
        QCOMPARE(describe(ModuleFinder::group(files)),
                 (QStringList{
                     QStringLiteral("java/com/acme|java|java/com/acme/Entry.java,"
                                    "java/com/acme/Ledger.java"),
                     QStringLiteral("native|c|native/ring.c,native/ring.h,native/shapes.cpp"),
                     QStringLiteral("server|go|server/handler.go,server/main.go"),
                     QStringLiteral("shop|python|shop/__init__.py,shop/orders.py"),
                     QStringLiteral("src|rust|src/lib.rs,src/store.rs"),
                     QStringLiteral("src/net|rust|src/net/mod.rs,src/net/tcp.rs"),
                     QStringLiteral("src/store|rust|src/store.rs,src/store/disk.rs,"
                                    "src/store/memory.rs"),
                     QStringLiteral("web|script|web/button.tsx,web/format.js,web/index.ts"),
                 }));
    }

    void aModuleListsItsFilesAndMainSymbols()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.writeFile(QStringLiteral("shop/orders/__init__.py"), ordersInit);
        git.writeFile(QStringLiteral("shop/orders/model.py"), ordersModel);
        git.writeFile(QStringLiteral("shop/orders/pricing.py"), pricing);
        git.writeFile(QStringLiteral("shop/api/server.go"),
                      "package api\n\nfunc Serve(port int) error {\n\tif port == 0 {\n"
                      "\t\treturn nil\n\t}\n\treturn nil\n}\n");
        git.writeFile(QStringLiteral("shop/api/routes.go"),
                      "package api\n\nfunc Routes() []string {\n\treturn nil\n}\n");
        git.commit(QStringLiteral("shop"));

        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("shop"), git.path())};
        TargetFinder finder(AnalyzerConfig{}, repos, &index);
        QVERIFY(TargetFinder::supports(QStringLiteral("module_doc")));
        QVERIFY(finder.refresh());
        auto preview = finder.preview(QStringLiteral("module_doc"), repos, 10);
        QVERIFY2(preview, qPrintable(preview.error()));
        QCOMPARE(preview->size(), 2);
        // The orders package has the more complex code: it comes first.
        const Target &t = preview->first();
        QCOMPARE(t.docType, QStringLiteral("module_doc"));
        QCOMPARE(t.filePath, QStringLiteral("shop/orders"));
        QCOMPARE(t.symbol.name, QStringLiteral("shop/orders"));
        QCOMPARE(t.symbol.displayName, QStringLiteral("shop/orders"));
        QCOMPARE(t.language, QStringLiteral("python"));
        QVERIFY(t.module.has_value());
        QCOMPARE(t.module->kind, QStringLiteral("Python package"));
        QCOMPARE(t.module->folder, QStringLiteral("shop/orders"));
        QCOMPARE(t.module->files.size(), 3);
        QCOMPARE(t.module->files.first(), QStringLiteral("shop/orders/pricing.py"));
        QCOMPARE(preview->at(1).module->kind, QStringLiteral("Go package"));
        QCOMPARE(preview->at(1).symbol.name, QStringLiteral("shop/api"));

        // Metrics are the sums of the files' metrics in the index.
        IndexQuery files;
        files.files = true;
        files.limit = 100;
        auto rows = index.best(files);
        QVERIFY(rows);
        int complexity = 0;
        int lines = 0;
        int functions = 0;
        for (const IndexedTarget &row : rows.value()) {
            if (row.path.startsWith(QStringLiteral("shop/orders/"))) {
                complexity += row.fileMetrics.complexity;
                lines += row.fileMetrics.totalLines;
                functions += row.fileMetrics.functionCount;
            }
        }
        QCOMPARE(t.symbol.complexity, complexity);
        QCOMPARE(t.module->totalLines, lines);
        QCOMPARE(t.module->functions, functions);
        QCOMPARE(t.module->types, 1);
        QVERIFY(complexity >= 7);

        // The outline: files with their metrics and docs, main symbols with signatures.
        const QString &outline = t.symbol.source;
        QVERIFY2(outline.startsWith(QStringLiteral("shop/orders/pricing.py (7 lines, 1 functions, "
                                                   "0 types, complexity 4)\n"
                                                   "  function price(order, rules)\n")),
                 qPrintable(outline));
        QVERIFY2(outline.endsWith(QStringLiteral("\nshop/orders/__init__.py (2 lines, 0 functions, "
                                                 "0 types, complexity 0) \u2014 Orders: creating "
                                                 "and pricing them.")),
                 qPrintable(outline));
        QVERIFY2(outline.contains(
                     QStringLiteral("  class Order (2 methods) \u2014 A customer's order.\n"
                                    "  function create(customer, items) \u2014 Create an order.")),
                 qPrintable(outline));
        // Methods are counted with their class, not listed.
        QVERIFY(!outline.contains(QStringLiteral("total(")));
        // The files read, for the fact check.
        QVERIFY(t.fileContent.contains(QString::fromUtf8(pricing)));
        QVERIFY(t.fileContent.contains(QString::fromUtf8(ordersModel)));
    }

    void aModuleIsDocumentedOnceUntilItsFilesChange()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/orders/__init__.py"), ordersInit);
        env.writeFile(QStringLiteral("plain/orders/pricing.py"), pricing);
        const QList<RepoConfig> repos{
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))};
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        TargetFinder finder(AnalyzerConfig{}, repos, &index);
        QVERIFY(finder.refresh());

        QList<Target> probes;
        auto found = finder.find(QStringLiteral("module_doc"), repos, [&probes](const Target &t) {
            probes << t;
            return false;
        });
        QVERIFY(found && found.value());
        const QString hash = found.value()->codeHash;
        // The probe carries the dedup keys before any file is read.
        QCOMPARE(probes.size(), 1);
        QCOMPARE(probes.first().symbol.name, QStringLiteral("orders"));
        QCOMPARE(probes.first().codeHash, hash);
        QVERIFY(probes.first().symbol.source.isEmpty());

        auto byHash = finder.find(QStringLiteral("module_doc"), repos,
                                  [&hash](const Target &t) { return t.codeHash == hash; });
        QVERIFY(byHash && !byHash.value());
        auto byName = finder.find(QStringLiteral("module_doc"), repos, [](const Target &t) {
            return t.symbol.name == QLatin1String("orders");
        });
        QVERIFY(byName && !byName.value());

        // An edit to any file is a new version of the module.
        env.writeFile(QStringLiteral("plain/orders/pricing.py"),
                      QByteArray(pricing).replace("total = 0", "total = 1"));
        QVERIFY(finder.refresh());
        auto changed = finder.find(QStringLiteral("module_doc"), repos,
                                   [&hash](const Target &t) { return t.codeHash == hash; });
        QVERIFY(changed && changed.value());
        QVERIFY(changed.value()->codeHash != hash);
    }

    void bigModulesAreOutlinedWithinLimits()
    {
        TestEnvironment env;
        QByteArray many;
        for (int i = 0; i < ModuleFinder::maxSymbolsPerFile + 3; ++i) {
            many += "int f" + QByteArray::number(i) + "(int a) {\n    if (a) {\n        return " +
                    QByteArray::number(i) + ";\n    }\n    return 0;\n}\n\n";
        }
        env.writeFile(QStringLiteral("plain/native/many.c"), many);
        for (int i = 0; i < ModuleFinder::maxFilesRead; ++i) {
            env.writeFile(QStringLiteral("plain/native/part%1.c").arg(i),
                          "int part" + QByteArray::number(i) + "(void) {\n    return 1;\n}\n");
        }
        const QList<RepoConfig> repos{
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))};
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        TargetFinder finder(AnalyzerConfig{}, repos, &index);
        QVERIFY(finder.refresh());
        auto preview = finder.preview(QStringLiteral("module_doc"), repos, 5);
        QVERIFY(preview);
        QCOMPARE(preview->size(), 1);
        const Target &t = preview->first();
        QCOMPARE(t.module->kind, QStringLiteral("C/C++ folder"));
        QCOMPARE(t.module->files.size(), ModuleFinder::maxFilesRead + 1);
        QCOMPARE(t.module->functions,
                 ModuleFinder::maxSymbolsPerFile + 3 + ModuleFinder::maxFilesRead);
        const QString &outline = t.symbol.source;
        QVERIFY2(outline.startsWith(QStringLiteral("native/many.c (")), qPrintable(outline));
        QVERIFY2(outline.contains(QStringLiteral("  \u2026 and 3 more functions and types\n")),
                 qPrintable(outline));
        QVERIFY2(outline.endsWith(QStringLiteral("\n\u2026 and 1 more files")),
                 qPrintable(outline));
        QCOMPARE(outline.count(QStringLiteral("\n  function f")), ModuleFinder::maxSymbolsPerFile);
    }
};

QTEST_GUILESS_MAIN(TestModuleFinder)
#include "TestModuleFinder.moc"
