#include "targets/TargetFinder.h"

#include "analysis/Indexer.h"
#include "analysis/SymbolIndex.h"

#include "GitTestRepo.h"
#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QtTest>

#include <sys/stat.h>
#include <utime.h>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::inventoryPy;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

// The exact text of the function named `name` in `content`: from its "def" line to the line
// before the next top-level definition (or the end), trailing blank lines dropped.
QString functionText(const QByteArray &content, const QString &name)
{
    const QStringList lines = QString::fromUtf8(content).split(QLatin1Char('\n'));
    QStringList out;
    bool inside = false;
    for (const QString &line : lines) {
        if (line.startsWith(QStringLiteral("def "))) {
            inside = line.startsWith(QStringLiteral("def %1(").arg(name));
        }
        if (inside) {
            out << line;
        }
    }
    while (!out.isEmpty() && out.last().trimmed().isEmpty()) {
        out.removeLast();
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestTargetFinder : public QObject
{
    Q_OBJECT

private slots:
    void bestTargetComesWithItsCommittedSource()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.writeFile(QStringLiteral("shop/inventory.py"), inventoryPy);
        git.commit(QStringLiteral("inventory"));
        // An uncommitted edit is not documented: the source comes from HEAD.
        git.writeFile(QStringLiteral("shop/inventory.py"), "def resolve():\n    pass\n");

        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        RepoConfig repo = repoConfig(QStringLiteral("shop"), git.path());
        repo.publishSource = false;
        TargetFinder finder(AnalyzerConfig{}, {repo}, &index);
        auto found = finder.findNext([](const Target &) { return false; });
        QVERIFY2(found, qPrintable(found.error()));
        QVERIFY(found.value().has_value());
        const Target &t = *found.value();
        QCOMPARE(t.repoName, QStringLiteral("shop"));
        QCOMPARE(t.repoPath, git.path());
        QCOMPARE(t.filePath, QStringLiteral("shop/inventory.py"));
        QCOMPARE(t.language, QStringLiteral("python"));
        QCOMPARE(t.publishSource, false);
        QCOMPARE(t.symbol.name, QStringLiteral("resolve"));
        QCOMPARE(t.symbol.startLine, 11);
        QCOMPARE(t.symbol.endLine, 21);
        QCOMPARE(t.symbol.parameters, (QStringList{QStringLiteral("order"), QStringLiteral("stock"),
                                                   QStringLiteral("policy")}));
        QCOMPARE(t.symbol.source, functionText(inventoryPy, QStringLiteral("resolve")));
        QCOMPARE(t.codeHash, TargetFinder::sha256Hex(t.symbol.source));
        QVERIFY(t.symbol.complexity >= 7);
    }

    void documentedTargetsAreSkippedUntilNoneIsLeft()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.commit(QStringLiteral("inventory"));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        TargetFinder finder(AnalyzerConfig{}, {repoConfig(QStringLiteral("shop"), git.path())},
                            &index);

        QSet<QString> documented;
        QStringList order;
        const auto check = [&documented](const Target &t) {
            // The probe carries the index's code hash before any source is read.
            return documented.contains(t.codeHash);
        };
        for (int i = 0; i < 3; ++i) {
            auto found = finder.findNext(check);
            QVERIFY2(found, qPrintable(found.error()));
            if (!found.value()) {
                break;
            }
            order << found.value()->symbol.name;
            documented.insert(found.value()->codeHash);
        }
        // tiny is below min_lines and min_complexity: never a target.
        QCOMPARE(order, (QStringList{QStringLiteral("resolve"), QStringLiteral("tally")}));
    }

    void limitsComeFromTheAnalyzerConfig()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/inventory.py"), inventoryPy);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        AnalyzerConfig analyzer;
        analyzer.maxLines = 8; // resolve has 11 lines
        TargetFinder finder(
            analyzer, {repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))},
            &index);
        auto found = finder.findNext([](const Target &) { return false; });
        QVERIFY(found && found.value());
        QCOMPARE(found.value()->symbol.name, QStringLiteral("tally"));
    }

    void aFileChangedSinceIndexingIsNotServedStale()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/inventory.py"), inventoryPy);
        const RepoConfig repo =
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer(index, AnalyzerConfig{}).refresh({repo});
        auto rows = index.best(IndexQuery{});
        QVERIFY(rows && !rows->isEmpty());
        const IndexedTarget row = rows->first();

        auto loaded = TargetFinder::load(AnalyzerConfig{}, repo, row);
        QVERIFY(loaded && loaded.value());

        // The file changes under the index: the stale row yields nothing, not wrong source.
        QByteArray changed = inventoryPy;
        changed.replace("policy == 'strict'", "policy == 'exact'");
        env.writeFile(QStringLiteral("plain/inventory.py"), changed);
        utimbuf times{};
        times.actime = times.modtime = 1'600'000'000;
        ::utime(QFile::encodeName(repo.path + QStringLiteral("/inventory.py")).constData(), &times);
        auto stale = TargetFinder::load(AnalyzerConfig{}, repo, row);
        QVERIFY2(stale, qPrintable(stale.error()));
        QVERIFY(!stale.value());

        // findNext refreshes first and serves the new source.
        TargetFinder finder(AnalyzerConfig{}, {repo}, &index);
        auto found = finder.findNext([](const Target &) { return false; });
        QVERIFY(found && found.value());
        QVERIFY(found.value()->symbol.source.contains(QStringLiteral("'exact'")));
    }

    void unreadableRepositoriesAreWarningsUnlessAllAre()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/inventory.py"), inventoryPy);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        const RepoConfig gone =
            repoConfig(QStringLiteral("gone"), env.path(QStringLiteral("nope")));
        const RepoConfig plain =
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")));

        QStringList warnings;
        auto found = TargetFinder(AnalyzerConfig{}, {gone, plain}, &index)
                         .findNext([](const Target &) { return false; }, &warnings);
        QVERIFY(found && found.value());
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(gone.path), qPrintable(warnings.first()));

        auto failed = TargetFinder(AnalyzerConfig{}, {gone}, &index).findNext([](const Target &) {
            return false;
        });
        QVERIFY(!failed);
        QVERIFY2(failed.error().contains(gone.path), qPrintable(failed.error()));

        RepoConfig disabled = plain;
        disabled.enabled = false;
        auto none = TargetFinder(AnalyzerConfig{}, {disabled}, &index).findNext([](const Target &) {
            return false;
        });
        QVERIFY(none);
        QVERIFY(!none.value());
    }

    void methodsCarryTheirClassSignature()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/geo.py"),
                      "class Circle(Shape):\n"
                      "    def area(self, precise):\n"
                      "        if precise:\n"
                      "            return 3.14159 * self.r * self.r\n"
                      "        return 3 * self.r * self.r\n");
        env.writeFile(QStringLiteral("plain/store.go"),
                      "package store\n\n"
                      "func (s *Store) Get(key string) (int, bool) {\n"
                      "\tif s == nil {\n\t\treturn 0, false\n\t}\n"
                      "\tv, ok := s.items[key]\n\treturn v, ok\n}\n\n"
                      "type Store struct {\n\titems map[string]int\n}\n");
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        const QList<RepoConfig> repos{
            repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))};
        AnalyzerConfig analyzer;
        analyzer.minLines = 3;
        TargetFinder finder(analyzer, repos, &index);
        QVERIFY(finder.refresh());
        auto found = finder.preview(QStringLiteral("function_doc"), repos, 10);
        QVERIFY(found);
        QHash<QString, QString> signatures;
        for (const Target &t : found.value()) {
            signatures.insert(t.symbol.displayName, t.classSignature);
        }
        QCOMPARE(signatures.value(QStringLiteral("Circle.area")),
                 QStringLiteral("class Circle(Shape):"));
        QCOMPARE(signatures.value(QStringLiteral("Store.Get")),
                 QStringLiteral("type Store struct"));
    }

    void cancellingReturnsNothing()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/inventory.py"), inventoryPy);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        std::atomic<bool> cancelled{true};
        auto found =
            TargetFinder(AnalyzerConfig{},
                         {repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain")))},
                         &index)
                .findNext([](const Target &) { return false; }, nullptr, &cancelled);
        QVERIFY(found);
        QVERIFY(!found.value());
    }
};

QTEST_GUILESS_MAIN(TestTargetFinder)
#include "TestTargetFinder.moc"
