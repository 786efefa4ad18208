#include "targets/TargetSelector.h"

#include "analysis/SymbolIndex.h"
#include "state/StateStore.h"
#include "targets/CodeSignals.h"
#include "targets/DocType.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

// One fixture repository with something for every index-backed doc type.
const QByteArray storePy = R"(import sqlite3
import subprocess


class Inventory:
    """Stock levels per SKU."""

    def __init__(self, db):
        self.db = db
        self.levels = {}

    def restock(self, sku, count):
        if count <= 0:
            raise ValueError("count must be positive")
        self.levels[sku] = self.levels.get(sku, 0) + count
        return self.levels[sku]

    def lookup(self, name):
        query = "SELECT sku FROM items WHERE name = '%s'" % name
        return self.db.execute(query).fetchall()


def export(path, rows):
    subprocess.run("gzip " + path, shell=True)
    for row in rows:
        if row:
            print(row)


def totals(orders, products):
    result = []
    for order in orders:
        for product in products:
            if product.id == order.product_id:
                result.append(order.count * product.price)
    return result


def batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
)";

CodeSymbol symbolOf(const QString &source, int nesting = 1, bool async = false)
{
    CodeSymbol symbol;
    symbol.source = source;
    symbol.startLine = 10;
    symbol.maxNesting = nesting;
    symbol.isAsync = async;
    return symbol;
}

QStringList whats(const QList<CodeSignal> &signalList)
{
    QStringList list;
    for (const CodeSignal &s : signalList) {
        list << s.what;
    }
    return list;
}

} // namespace

class TestTargetSelector : public QObject
{
    Q_OBJECT

private slots:
    void typesAreDrawnByWeight()
    {
        const QList<QPair<QString, double>> weights = {
            {QStringLiteral("function_doc"), 35}, {QStringLiteral("class_doc"), 12},
            {QStringLiteral("file_doc"), 12},     {QStringLiteral("security_review"), 10},
            {QStringLiteral("til"), 10},          {QStringLiteral("performance_analysis"), 8},
            {QStringLiteral("module_doc"), 0},
        };
        double total = 0;
        for (const auto &w : weights) {
            total += w.second;
        }
        QRandomGenerator random(20261128);
        QHash<QString, int> first;
        const int draws = 20000;
        for (int i = 0; i < draws; ++i) {
            const QStringList order = TargetSelector::typeOrder(weights, random);
            QCOMPARE(order.size(), 6); // weight 0 is never tried
            ++first[order.first()];
        }
        for (const auto &[type, weight] : weights) {
            const double expected = weight / total;
            const double seen = double(first.value(type)) / draws;
            QVERIFY2(
                qAbs(seen - expected) < 0.015,
                qPrintable(
                    QStringLiteral("%1: %2 drawn, %3 expected").arg(type).arg(seen).arg(expected)));
        }
        // The fallbacks keep the configured order.
        QRandomGenerator again(7);
        const QStringList order = TargetSelector::typeOrder(weights, again);
        QStringList rest = {QStringLiteral("function_doc"), QStringLiteral("class_doc"),
                            QStringLiteral("file_doc"),     QStringLiteral("security_review"),
                            QStringLiteral("til"),          QStringLiteral("performance_analysis")};
        rest.removeOne(order.first());
        QCOMPARE(order.mid(1), rest);
    }

    void repositoriesAreDrawnByWeight()
    {
        const QList<RepoConfig> repos = {repoConfig(QStringLiteral("a"), {}, 1),
                                         repoConfig(QStringLiteral("b"), {}, 3),
                                         repoConfig(QStringLiteral("c"), {}, 6)};
        QRandomGenerator random(42);
        QHash<QString, int> first;
        const int draws = 20000;
        for (int i = 0; i < draws; ++i) {
            const QList<RepoConfig> order = TargetSelector::repoOrder(repos, random);
            QCOMPARE(order.size(), 3);
            ++first[order.first().name];
        }
        QVERIFY(qAbs(first.value(QStringLiteral("a")) / double(draws) - 0.1) < 0.015);
        QVERIFY(qAbs(first.value(QStringLiteral("b")) / double(draws) - 0.3) < 0.015);
        QVERIFY(qAbs(first.value(QStringLiteral("c")) / double(draws) - 0.6) < 0.015);
    }

    void eachFinderPicksItsKindOfTarget_data()
    {
        QTest::addColumn<QString>("docType");
        QTest::addColumn<QString>("expected"); // display name
        QTest::addColumn<QString>("finding");  // part of the findings, or empty
        QTest::newRow("function_doc") << QStringLiteral("function_doc") << QString() << QString();
        QTest::newRow("class_doc")
            << QStringLiteral("class_doc") << QStringLiteral("Inventory") << QString();
        QTest::newRow("file_doc") << QStringLiteral("file_doc") << QStringLiteral("store.py")
                                  << QString();
        QTest::newRow("security_review")
            << QStringLiteral("security_review") << QString() << QStringLiteral("shell command");
        QTest::newRow("performance_analysis")
            << QStringLiteral("performance_analysis") << QStringLiteral("totals")
            << QStringLiteral("nested loops");
        QTest::newRow("til") << QStringLiteral("til") << QStringLiteral("batches")
                             << QStringLiteral("generator");
    }

    void eachFinderPicksItsKindOfTarget()
    {
        QFETCH(QString, docType);
        QFETCH(QString, expected);
        QFETCH(QString, finding);
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.writeFile(QStringLiteral("shop/store.py"), storePy);
        git.commit(QStringLiteral("store"));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Config config;
        config.repositories = {repoConfig(QStringLiteral("shop"), git.path())};
        QRandomGenerator random(1);
        const TargetSelector::Choice choice =
            TargetSelector(config, &index)
                .select([](const Target &) { return false; }, random, {docType, {}});
        QVERIFY2(choice.error.isEmpty(), qPrintable(choice.error));
        QVERIFY2(choice.target.has_value(), qPrintable(docType));
        const Target &t = *choice.target;
        QCOMPARE(t.docType, docType);
        QCOMPARE(t.filePath, QStringLiteral("shop/store.py"));
        QVERIFY(!t.symbol.source.isEmpty());
        QCOMPARE(t.codeHash, TargetFinder::sha256Hex(t.symbol.source));
        if (!expected.isEmpty()) {
            QCOMPARE(t.symbol.displayName, expected);
        }
        if (docType == QLatin1String("security_review")) {
            // export runs a shell; Inventory.lookup builds SQL from a string: either may rank
            // first.
            QVERIFY2(t.symbol.displayName == QLatin1String("export") ||
                         t.symbol.displayName == QLatin1String("Inventory.lookup"),
                     qPrintable(t.symbol.displayName));
            QVERIFY2(t.findings.contains(QStringLiteral("shell command")) ||
                         t.findings.contains(QStringLiteral("SQL built from strings")),
                     qPrintable(t.findings));
        } else if (!finding.isEmpty()) {
            QVERIFY2(t.findings.contains(finding), qPrintable(t.findings));
        }
        if (docType == QLatin1String("file_doc")) {
            QCOMPARE(t.symbol.source, QString::fromUtf8(storePy));
            QCOMPARE(t.symbol.startLine, 1);
            QVERIFY(t.symbol.complexity >= 10);
        }
    }

    void fallsBackWhenTheDrawnTypeHasNothing()
    {
        TestEnvironment env;
        // Only a tiny function: no class, no signals; a file and a function doc remain.
        env.writeFile(QStringLiteral("plain/tiny.py"),
                      "def pick(a, b):\n    if a:\n        return a\n    return b\n");
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Config config;
        config.analyzer.minLines = 3;
        config.repositories = {
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))};
        config.documentation.typeWeights = {{QStringLiteral("class_doc"), 100},
                                            {QStringLiteral("security_review"), 0},
                                            {QStringLiteral("function_doc"), 1}};
        QRandomGenerator random(3);
        const TargetSelector::Choice choice =
            TargetSelector(config, &index).select([](const Target &) { return false; }, random);
        QVERIFY(choice.target.has_value());
        QCOMPARE(choice.target->docType, QStringLiteral("function_doc"));
        QCOMPARE(choice.tried,
                 (QStringList{QStringLiteral("class_doc"), QStringLiteral("function_doc")}));

        // Everything documented: no candidates, every type tried, no error.
        const TargetSelector::Choice none =
            TargetSelector(config, &index).select([](const Target &) { return true; }, random);
        QVERIFY(!none.target);
        QVERIFY(none.error.isEmpty());
        QCOMPARE(none.tried.size(), 2);
    }

    void patternAnalysisNeedsStructureNotNames()
    {
        TestEnvironment env;
        // A big class named like a pattern, and a small real singleton.
        env.writeFile(QStringLiteral("app/factory.py"), "class SingletonFactory:\n"
                                                        "    def __init__(self, kinds):\n"
                                                        "        self.kinds = kinds\n\n"
                                                        "    def pick(self, name):\n"
                                                        "        for kind in self.kinds:\n"
                                                        "            if kind.name == name:\n"
                                                        "                return kind\n"
                                                        "            if kind.alias == name:\n"
                                                        "                return kind\n"
                                                        "        return None\n");
        env.writeFile(QStringLiteral("app/config.py"), "class Config:\n"
                                                       "    _instance = None\n\n"
                                                       "    @classmethod\n"
                                                       "    def current(cls):\n"
                                                       "        if cls._instance is None:\n"
                                                       "            cls._instance = cls()\n"
                                                       "        return cls._instance\n");
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Config config;
        config.analyzer.minLines = 3;
        config.repositories = {repoConfig(QStringLiteral("app"), env.path(QStringLiteral("app")))};
        QRandomGenerator random(5);
        const TargetSelector::Restriction patterns{QStringLiteral("pattern_analysis"), {}};
        TargetSelector::Choice choice =
            TargetSelector(config, &index)
                .select([](const Target &) { return false; }, random, patterns);
        QVERIFY2(choice.target.has_value(), qPrintable(choice.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(choice.target->symbol.displayName, QStringLiteral("Config"));
        QVERIFY2(choice.target->findings.startsWith(QStringLiteral("- line ")),
                 qPrintable(choice.target->findings));
        QVERIFY(choice.target->findings.contains(QStringLiteral(": singleton: ")));
        QVERIFY(choice.target->findings.contains(QStringLiteral("`_instance`")));

        // Without the singleton only the name is left: no candidate.
        QVERIFY(QFile::remove(env.path(QStringLiteral("app/config.py"))));
        choice = TargetSelector(config, &index)
                     .select([](const Target &) { return false; }, random, patterns);
        QVERIFY(!choice.target.has_value());
        QVERIFY(choice.error.isEmpty());
    }

    void dueSummaryComesBeforeTheDraw()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"),
                         QDateTime(QDate(2026, 10, 14), QTime(9, 0), Qt::UTC));
        git.writeFile(QStringLiteral("shop/store.py"), storePy);
        git.commit(QStringLiteral("Add the store"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"),
                         QDateTime(QDate(2026, 11, 25), QTime(9, 0), Qt::UTC));
        git.writeFile(QStringLiteral("shop/store.py"), storePy + "\n# restocked\n");
        git.commit(QStringLiteral("Restock in batches"));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        StateStore state(env.path(QStringLiteral("state.db")));
        QVERIFY(state.open());
        Config config;
        config.repositories = {repoConfig(QStringLiteral("shop"), git.path())};
        config.devlog.repoPath = env.path(QStringLiteral("devlog"));
        config.schedule.timezone = QStringLiteral("UTC");
        config.documentation.typeWeights = {{QStringLiteral("function_doc"), 100},
                                            {QStringLiteral("weekly_summary"), 1},
                                            {QStringLiteral("monthly_summary"), 0}};
        const auto documented = [&state](const Target &t) {
            return state.isDocumented(t.codeHash, t.docType);
        };
        const QDateTime monday(QDate(2026, 11, 30), QTime(10, 0), Qt::UTC);
        QRandomGenerator random(7);
        TargetSelector selector(config, &index, &state);

        // Week 48 ended yesterday with a commit: its summary goes first, whatever the weights.
        TargetSelector::Choice choice = selector.select(documented, random, {}, nullptr, monday);
        QVERIFY2(choice.target.has_value(), qPrintable(choice.tried.join(QLatin1Char(' '))));
        Target summary = *choice.target;
        QCOMPARE(summary.docType, QStringLiteral("weekly_summary"));
        QVERIFY(summary.period.has_value());
        QCOMPARE(summary.period->key, QStringLiteral("2026-W48"));
        QCOMPARE(summary.period->commits, 1);
        QCOMPARE(summary.repoName, QStringLiteral("all"));
        QCOMPARE(summary.filePath, QStringLiteral("2026-W48"));
        QCOMPARE(summary.symbol.displayName, QStringLiteral("Week 48 of 2026"));
        QVERIFY(summary.symbol.source.contains(QStringLiteral("Restock in batches")));
        QVERIFY(!summary.symbol.source.contains(QStringLiteral("Add the store")));

        // A summary covers every repository: a repository restriction leaves it out.
        TargetSelector::Choice restricted =
            selector.select(documented, random, {{}, QStringLiteral("shop")}, nullptr, monday);
        QVERIFY(restricted.target.has_value());
        QCOMPARE(restricted.target->docType, QStringLiteral("function_doc"));
        // Without a state store no summary is chosen.
        restricted = TargetSelector(config, &index).select(documented, random, {}, nullptr, monday);
        QVERIFY(restricted.target.has_value());
        QCOMPARE(restricted.target->docType, QStringLiteral("function_doc"));

        // Once written it is not due again: the draw takes over.
        DocumentedEntry entry;
        entry.sourceRepo = summary.repoName;
        entry.sourceFile = summary.filePath;
        entry.functionName = summary.symbol.name;
        entry.codeHash = summary.codeHash;
        entry.documentedAt = monday;
        entry.snippetPath = QStringLiteral("analysis/weekly/2026-11-30_week-48-of-2026.md");
        entry.docType = summary.docType;
        QVERIFY(state.recordDocumented(entry));
        choice = selector.select(documented, random, {}, nullptr, monday);
        QVERIFY(choice.target.has_value());
        QCOMPARE(choice.target->docType, QStringLiteral("function_doc"));

        // October had a commit too, but monthly_summary has weight 0: never on its own ...
        QVERIFY(choice.tried.contains(QStringLiteral("weekly_summary")));
        QVERIFY(!choice.tried.contains(QStringLiteral("monthly_summary")));
        const QDateTime november(QDate(2026, 11, 3), QTime(10, 0), Qt::UTC);
        choice = selector.select(documented, random, {}, nullptr, november);
        QVERIFY(choice.target.has_value());
        QCOMPARE(choice.target->docType, QStringLiteral("function_doc"));
        // ... only when asked for by name (run-once --type).
        choice = selector.select(documented, random, {QStringLiteral("monthly_summary"), {}},
                                 nullptr, november);
        QVERIFY(choice.target.has_value());
        QCOMPARE(choice.target->period->key, QStringLiteral("2026-10"));
        QVERIFY(choice.target->symbol.source.contains(QStringLiteral("Add the store")));

        // A quiet week is not summarised.
        const QDateTime quiet(QDate(2027, 2, 10), QTime(10, 0), Qt::UTC);
        choice = selector.select(documented, random, {QStringLiteral("weekly_summary"), {}},
                                 nullptr, quiet);
        QVERIFY(!choice.target.has_value());
        QVERIFY(choice.error.isEmpty());
    }

    void restrictionToOneRepository()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("one/a.py"), storePy);
        env.writeFile(QStringLiteral("two/b.py"), storePy);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Config config;
        config.repositories = {
            repoConfig(QStringLiteral("one"), env.path(QStringLiteral("one")), 10),
            repoConfig(QStringLiteral("two"), env.path(QStringLiteral("two")), 1)};
        config.repositories[1].enabled = false; // naming it enables it for this run
        for (int seed = 0; seed < 5; ++seed) {
            QRandomGenerator random(seed);
            const TargetSelector::Choice choice = TargetSelector(config, &index)
                                                      .select([](const Target &) { return false; },
                                                              random, {{}, QStringLiteral("two")});
            QVERIFY(choice.target.has_value());
            QCOMPARE(choice.target->repoName, QStringLiteral("two"));
        }
    }

    void nearEqualCandidatesAreDrawn()
    {
        // Four copies of one function in four files: equal scores, so every one gets drawn.
        TestEnvironment env;
        const QByteArray body = "def f(a, b):\n    if a > b:\n        return a\n    return b\n";
        for (int i = 0; i < 4; ++i) {
            env.writeFile(QStringLiteral("plain/m%1.py").arg(i), body);
        }
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        AnalyzerConfig analyzer;
        analyzer.minLines = 3;
        const QList<RepoConfig> repos = {
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))};
        TargetFinder finder(analyzer, repos, &index);
        QVERIFY(finder.refresh());
        QSet<QString> files;
        QRandomGenerator random(11);
        for (int i = 0; i < 40; ++i) {
            auto found = finder.find(QStringLiteral("function_doc"), repos, {}, &random);
            QVERIFY(found && found.value());
            files.insert(found.value()->filePath);
        }
        QCOMPARE(files.size(), 4);
        // Without a generator the best (first indexed) always wins.
        auto first = finder.find(QStringLiteral("function_doc"), repos, {});
        auto again = finder.find(QStringLiteral("function_doc"), repos, {});
        QCOMPARE(first.value()->filePath, again.value()->filePath);
    }

    void securitySignals()
    {
        const auto sec = [](const QString &source, const QString &language) {
            return whats(CodeSignals::security(symbolOf(source), language));
        };
        QVERIFY(sec(QStringLiteral("os.system('rm ' + path)"), QStringLiteral("python"))
                    .contains(QStringLiteral("shell command execution")));
        QVERIFY(sec(QStringLiteral("cur.execute(f\"SELECT * FROM t WHERE id = {uid}\")"),
                    QStringLiteral("python"))
                    .contains(QStringLiteral("SQL built from strings")));
        QVERIFY(sec(QStringLiteral("data = pickle.loads(blob)"), QStringLiteral("python"))
                    .contains(QStringLiteral("unsafe deserialization")));
        QVERIFY(sec(QStringLiteral("strcpy(dst, src);"), QStringLiteral("c"))
                    .contains(QStringLiteral("unbounded C string function")));
        QVERIFY(sec(QStringLiteral("el.innerHTML = html;"), QStringLiteral("javascript"))
                    .contains(QStringLiteral("HTML injection sink (innerHTML/document.write)")));
        QVERIFY(sec(QStringLiteral("tls := &tls.Config{InsecureSkipVerify: true}"),
                    QStringLiteral("go"))
                    .contains(QStringLiteral("TLS certificate checks disabled")));
        QVERIFY(sec(QStringLiteral("let p = unsafe { &*ptr };"), QStringLiteral("rust"))
                    .contains(QStringLiteral("unsafe block")));
        QVERIFY(
            sec(QStringLiteral("new ObjectInputStream(in).readObject()"), QStringLiteral("java"))
                .contains(QStringLiteral("Java deserialization of untrusted data")));
        QVERIFY(sec(QStringLiteral("key = \"[REDACTED:aws-access-key]\""), QStringLiteral("python"))
                    .contains(QStringLiteral("hard-coded secret (redacted)")));
        // Language-specific rules stay in their language; plain code has no strong signal.
        QVERIFY(sec(QStringLiteral("strcpy(dst, src);"), QStringLiteral("python")).isEmpty());
        QVERIFY(!CodeSignals::enough(
            CodeSignals::security(symbolOf(QStringLiteral("def area(w, h):\n    return w * h\n")),
                                  QStringLiteral("python"))));
        // One weak signal is not enough; two are.
        QVERIFY(!CodeSignals::enough(CodeSignals::security(
            symbolOf(QStringLiteral("def check(password):\n    return len(password) > 8\n")),
            QStringLiteral("python"))));
        QVERIFY(CodeSignals::enough(CodeSignals::security(
            symbolOf(QStringLiteral("def check(password):\n    return md5(password)\n")),
            QStringLiteral("python"))));
    }

    void performanceSignals()
    {
        const QString nested = QStringLiteral("for a in xs:\n    for b in ys:\n        f(a, b)\n");
        QList<CodeSignal> found =
            CodeSignals::performance(symbolOf(nested, 2), QStringLiteral("python"));
        QVERIFY(whats(found).join(QLatin1Char('|')).contains(QStringLiteral("nested loops")));
        found = CodeSignals::performance(
            symbolOf(QStringLiteral("for id in ids:\n    row = db.execute(q, id)\n")),
            QStringLiteral("python"));
        QVERIFY(whats(found).contains(QStringLiteral("I/O or query inside a loop")));
        QCOMPARE(found.first().line, 11); // the line in the file: the symbol starts at 10
        found = CodeSignals::performance(
            symbolOf(QStringLiteral("row = db.execute(q, id)\nfor x in rows:\n    print(x)\n")),
            QStringLiteral("python"));
        QVERIFY(!whats(found).contains(QStringLiteral("I/O or query inside a loop")));
        found = CodeSignals::performance(
            symbolOf(QStringLiteral("async def f():\n    time.sleep(1)\n"), 1, true),
            QStringLiteral("python"));
        QVERIFY(whats(found).contains(QStringLiteral("blocking call in async code")));
        found = CodeSignals::performance(
            symbolOf(QStringLiteral("for (const auto &s : items) {\n    std::regex re(s);\n}\n")),
            QStringLiteral("cpp"));
        QVERIFY(whats(found).contains(QStringLiteral("regular expression compiled inside a loop")));
    }

    void idiomSignals()
    {
        CodeSymbol generator = symbolOf(QStringLiteral("def f(xs):\n    yield from xs\n"));
        generator.isGenerator = true;
        QVERIFY(whats(CodeSignals::idioms(generator, QStringLiteral("python")))
                    .contains(QStringLiteral("generator")));
        QVERIFY(whats(CodeSignals::idioms(symbolOf(QStringLiteral("defer f.Close()")),
                                          QStringLiteral("go")))
                    .contains(QStringLiteral("defer")));
        QVERIFY(whats(CodeSignals::idioms(symbolOf(QStringLiteral("let v = parse(s)?;")),
                                          QStringLiteral("rust")))
                    .contains(QStringLiteral("the ? operator")));
        QVERIFY(whats(CodeSignals::idioms(
                          symbolOf(QStringLiteral("return list.stream().map(x -> x).toList();")),
                          QStringLiteral("java")))
                    .contains(QStringLiteral("streams")));
        QVERIFY(CodeSignals::idioms(symbolOf(QStringLiteral("return a + b;")), QStringLiteral("c"))
                    .isEmpty());
    }

    void docTypeTable()
    {
        QCOMPARE(DocType::all().size(), 11);
        QCOMPARE(DocType::find(QStringLiteral("til"))->folder, QStringLiteral("til"));
        QCOMPARE(DocType::find(QStringLiteral("security_review"))->label,
                 QStringLiteral("Security Review"));
        QCOMPARE(DocType::find(QStringLiteral("til"))->maxWords, 100);
        QVERIFY(!DocType::find(QStringLiteral("haiku")));
        for (const QString &type :
             {QStringLiteral("function_doc"), QStringLiteral("class_doc"),
              QStringLiteral("file_doc"), QStringLiteral("security_review"),
              QStringLiteral("performance_analysis"), QStringLiteral("til")}) {
            QVERIFY2(TargetFinder::supports(type), qPrintable(type));
        }
    }
};

QTEST_GUILESS_MAIN(TestTargetSelector)
#include "TestTargetSelector.moc"
