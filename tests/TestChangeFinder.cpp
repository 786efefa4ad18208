#include "targets/ChangeFinder.h"

#include "analysis/Indexer.h"
#include "analysis/SymbolIndex.h"
#include "targets/TargetFinder.h"

#include "GitTestRepo.h"
#include "SampleTargets.h"
#include "TestEnvironment.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::inventoryPy;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

QByteArray edited(QByteArray content, const char *before, const char *after)
{
    const qsizetype at = content.indexOf(before);
    if (at < 0) {
        qFatal("the fixture has no '%s'", before);
    }
    return content.replace(at, qsizetype(qstrlen(before)), after);
}

const QDateTime now = QDateTime::currentDateTimeUtc();

QDateTime daysAgo(int days)
{
    return now.addDays(-days);
}

// The changes a finder offers for the repository, as "path@commit" best first, after
// indexing it with `analyzer`.
struct Offered
{
    QList<Target> targets;
    QStringList keys;
};

Offered offered(const TestEnvironment &env, const RepoConfig &repo,
                const AnalyzerConfig &analyzer = AnalyzerConfig{}, int windowDays = 30,
                const ChangeFinder::DocumentedCheck &check = {})
{
    static int indexNumber = 0;
    SymbolIndex index(env.path(QStringLiteral("index-%1.db").arg(++indexNumber)));
    Offered result;
    if (!index.open()) {
        qWarning("cannot open the index");
        return result;
    }
    Indexer(index, analyzer).refresh({repo});
    auto found = ChangeFinder(analyzer, &index, now, windowDays).candidates(repo, check);
    if (!found) {
        qWarning("%s", qPrintable(found.error()));
        return result;
    }
    result.targets = found.value();
    for (const Target &t : std::as_const(result.targets)) {
        result.keys << t.filePath + QLatin1Char('@') + t.change->commitId;
    }
    return result;
}

} // namespace

class TestChangeFinder : public QObject
{
    Q_OBJECT

private slots:
    void aRecentChangeComesWithItsDiffAndCommit()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(3));
        git.writeFile(QStringLiteral("shop/inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Add inventory"));
        // Authored in UTC+2: the date keeps its offset.
        const QDateTime authored = daysAgo(2).toOffsetFromUtc(2 * 3600);
        git.setSignature(QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.com"),
                         authored);
        const QByteArray changed =
            edited(inventoryPy, "if policy == 'strict':", "if policy in ('strict', 'exact'):");
        git.writeFile(QStringLiteral("shop/inventory.py"), changed);
        const QString id = git.commit(
            QStringLiteral("Accept the exact policy\n\nExact orders fail like strict ones.\n"));

        const Offered found = offered(env, repoConfig(QStringLiteral("shop"), git.path()));
        // The root commit is an import, not a change.
        QCOMPARE(found.keys, QStringList{QStringLiteral("shop/inventory.py@") + id});
        const Target &t = found.targets.first();
        QCOMPARE(t.docType, QStringLiteral("code_evolution"));
        QCOMPARE(t.repoName, QStringLiteral("shop"));
        QCOMPARE(t.language, QStringLiteral("python"));
        QVERIFY(t.change.has_value());
        const CodeChange &change = *t.change;
        QCOMPARE(change.commitId, id);
        QCOMPARE(change.shortId, id.left(7));
        QCOMPARE(change.message,
                 QStringLiteral("Accept the exact policy\n\nExact orders fail like strict ones."));
        QCOMPARE(change.summary(), QStringLiteral("Accept the exact policy"));
        QCOMPARE(change.authorName, QStringLiteral("Ada Lovelace"));
        QCOMPARE(change.authorDate.toSecsSinceEpoch(), authored.toSecsSinceEpoch());
        QCOMPARE(change.authorDate.offsetFromUtc(), 2 * 3600);
        QCOMPARE(change.additions, 1);
        QCOMPARE(change.deletions, 1);
        QCOMPARE(change.hunks, 1);
        QVERIFY(change.oldPath.isEmpty());
        QCOMPARE(change.touchedSymbols, QStringList{QStringLiteral("resolve")});

        QCOMPARE(t.symbol.name, QStringLiteral("inventory.py @ ") + id.left(7));
        QCOMPARE(t.symbol.displayName, t.symbol.name);
        // The hunk: three lines of context around line 16.
        QCOMPARE(t.symbol.startLine, 13);
        QCOMPARE(t.symbol.endLine, 19);
        const QString &diff = t.symbol.source;
        QVERIFY2(diff.startsWith(QStringLiteral("--- a/shop/inventory.py\n"
                                                "+++ b/shop/inventory.py\n"
                                                "@@ -13,7 +13,7 @@")),
                 qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("\n         return None\n"
                                              "     for line in order.lines:\n"
                                              "         if line.sku not in stock:\n"
                                              "-            if policy == 'strict':\n"
                                              "+            if policy in ('strict', 'exact'):\n"
                                              "                 raise KeyError(line.sku)\n")),
                 qPrintable(diff));
        QVERIFY(diff.endsWith(
            QStringLiteral("\n         while stock[line.sku] < line.count and policy != "
                           "'lenient':")));
        QCOMPARE(t.codeHash, TargetFinder::sha256Hex(diff));
        QCOMPARE(t.fileContent, QString::fromUtf8(changed));
        QVERIFY(t.symbol.complexity >= 9); // the file's: tally and resolve
        QVERIFY(t.score > 0);
        QVERIFY2(t.findings.contains(QStringLiteral("- commit %1 (").arg(id.left(7))),
                 qPrintable(t.findings));
        QVERIFY2(t.findings.contains(QStringLiteral("by Ada Lovelace: Accept the exact policy")),
                 qPrintable(t.findings));
        QVERIFY(t.findings.contains(QStringLiteral("- +1 -1 lines in 1 hunk\n")));
        QVERIFY2(t.findings.contains(QStringLiteral("- touches resolve (function, lines 11-21")),
                 qPrintable(t.findings));
    }

    void theAnalyzerRulesAndTheHistoryLimitWhatIsOffered()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        const QByteArray helper = "def helper(a, b):\n"
                                  "    if a:\n"
                                  "        return b\n"
                                  "    return a\n";
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(50));
        git.writeFile(QStringLiteral(".gitignore"), "generated/\n");
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.writeFile(QStringLiteral("vendor/lib.py"), helper);
        git.writeFile(QStringLiteral("generated/out.py"), helper);
        git.writeFile(QStringLiteral("blob.py"), QByteArray("x = 1\0\0\0\1\2", 11));
        git.writeFile(QStringLiteral("big.py"), helper);
        git.writeFile(QStringLiteral("README.md"), "# Shop\n");
        const QStringList all{QStringLiteral(".gitignore"),    QStringLiteral("inventory.py"),
                              QStringLiteral("vendor/lib.py"), QStringLiteral("generated/out.py"),
                              QStringLiteral("blob.py"),       QStringLiteral("big.py"),
                              QStringLiteral("README.md")};
        git.commit(QStringLiteral("Import"), all);

        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(40));
        git.writeFile(QStringLiteral("inventory.py"),
                      edited(inventoryPy, "total = 0", "total = int(0)"));
        const QString old = git.commit(QStringLiteral("Old change"));

        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(5));
        const QByteArray helper2 = edited(helper, "return b", "return b or a");
        git.writeFile(QStringLiteral("vendor/lib.py"), helper2);
        git.writeFile(QStringLiteral("generated/out.py"), helper2);
        git.writeFile(QStringLiteral("blob.py"), QByteArray("x = 2\0\0\0\1\2", 11));
        git.writeFile(QStringLiteral("README.md"), "# Shop\n\nSells things.\n");
        const QString vendored = git.commit(QStringLiteral("Touch what the rules skip"), all);

        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(4));
        QByteArray huge = helper;
        for (int i = 0; i <= ChangeFinder::maxChangedLines; ++i) {
            huge +=
                QByteArray("value_") + QByteArray::number(i) + " = " + QByteArray::number(i) + "\n";
        }
        git.writeFile(QStringLiteral("big.py"), huge);
        git.commit(QStringLiteral("Generate constants"));

        // A merge repeats what its branches changed.
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(3));
        git.writeFile(QStringLiteral("inventory.py"),
                      edited(inventoryPy, "return x", "return x + 0"));
        git.commit(QStringLiteral("Merge branch 'tiny'"), {}, {old});

        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(2));
        git.writeFile(QStringLiteral("inventory.py"),
                      edited(edited(inventoryPy, "return x", "return x + 0"), "continue", "break"));
        const QString recent = git.commit(QStringLiteral("Stop at the first missing line"));

        const RepoConfig repo = repoConfig(QStringLiteral("shop"), git.path());
        QCOMPARE(offered(env, repo).keys, QStringList{QStringLiteral("inventory.py@") + recent});

        // The same history with the rules relaxed or the window widened: each skip above came
        // from the rule, not from chance.
        AnalyzerConfig withVendored;
        withVendored.includeVendored = true;
        QVERIFY(offered(env, repo, withVendored)
                    .keys.contains(QStringLiteral("vendor/lib.py@") + vendored));
        const QStringList wide = offered(env, repo, AnalyzerConfig{}, 60).keys;
        QCOMPARE(wide.size(), 2);
        QVERIFY(wide.contains(QStringLiteral("inventory.py@") + old));
        // The window starts 7 days back: the change 2 days old only.
        QCOMPARE(offered(env, repo, AnalyzerConfig{}, 7).keys.size(), 1);
        QCOMPARE(offered(env, repo, AnalyzerConfig{}, 1).keys.size(), 0);
    }

    void changesToInterestingCodeComeFirst()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(10));
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Import"));

        // Oldest first: the complex function, then the trivial one, then only an import.
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(3));
        QByteArray content = edited(inventoryPy, "line.count -= 1", "line.count -= 2");
        git.writeFile(QStringLiteral("inventory.py"), content);
        const QString complex = git.commit(QStringLiteral("Faster backoff"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(2));
        content = edited(content, "return x\n", "return x + 0\n");
        git.writeFile(QStringLiteral("inventory.py"), content);
        const QString trivial = git.commit(QStringLiteral("Copy the value"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(1));
        git.writeFile(QStringLiteral("inventory.py"), "import os\n" + content);
        const QString import = git.commit(QStringLiteral("Import os"));

        const Offered found = offered(env, repoConfig(QStringLiteral("shop"), git.path()));
        QCOMPARE(found.keys, (QStringList{QStringLiteral("inventory.py@") + complex,
                                          QStringLiteral("inventory.py@") + trivial,
                                          QStringLiteral("inventory.py@") + import}));
        QCOMPARE(found.targets.at(0).change->touchedSymbols,
                 QStringList{QStringLiteral("resolve")});
        QCOMPARE(found.targets.at(1).change->touchedSymbols, QStringList{QStringLiteral("tiny")});
        QVERIFY(found.targets.at(2).change->touchedSymbols.isEmpty());
        QVERIFY(found.targets.at(2).findings.contains(QStringLiteral("touches no function")));
        QVERIFY(found.targets.at(0).score > found.targets.at(1).score);
        QVERIFY(found.targets.at(1).score > found.targets.at(2).score);
    }

    void documentedChangesAreNotOfferedAgain()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(5));
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Import"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(2));
        QByteArray content = edited(inventoryPy, "line.count -= 1", "line.count -= 2");
        git.writeFile(QStringLiteral("inventory.py"), content);
        const QString first = git.commit(QStringLiteral("Faster backoff"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(1));
        git.writeFile(QStringLiteral("inventory.py"), edited(content, "total = 0", "total = 1"));
        const QString second = git.commit(QStringLiteral("Count from one"));
        const RepoConfig repo = repoConfig(QStringLiteral("shop"), git.path());

        QList<Target> probes;
        const Offered all = offered(env, repo, AnalyzerConfig{}, 30, [&probes](const Target &t) {
            probes << t;
            return false;
        });
        QCOMPARE(all.keys.size(), 2);
        // The probe carries the dedup keys before the file is parsed.
        QCOMPARE(probes.size(), 2);
        for (const Target &probe : std::as_const(probes)) {
            QCOMPARE(probe.docType, QStringLiteral("code_evolution"));
            QCOMPARE(probe.repoName, QStringLiteral("shop"));
            QCOMPARE(probe.filePath, QStringLiteral("inventory.py"));
            QCOMPARE(probe.codeHash, TargetFinder::sha256Hex(probe.symbol.source));
            QVERIFY(probe.symbol.source.startsWith(QStringLiteral("--- a/inventory.py\n")));
        }

        // By (repo, file, commit, type): the name holds the short commit id.
        const QString firstName = QStringLiteral("inventory.py @ ") + first.left(7);
        const Offered byName =
            offered(env, repo, AnalyzerConfig{}, 30,
                    [&firstName](const Target &t) { return t.symbol.name == firstName; });
        QCOMPARE(byName.keys, QStringList{QStringLiteral("inventory.py@") + second});

        // By (code hash, type): the same diff documented before.
        const QString secondHash =
            all.targets.at(all.keys.indexOf(QStringLiteral("inventory.py@") + second)).codeHash;
        const Offered byHash =
            offered(env, repo, AnalyzerConfig{}, 30,
                    [&secondHash](const Target &t) { return t.codeHash == secondHash; });
        QCOMPARE(byHash.keys, QStringList{QStringLiteral("inventory.py@") + first});
    }

    void aRenamedFileIsOneChange()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(5));
        git.writeFile(QStringLiteral("shop/inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Import"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(1));
        QFile::remove(git.path() + QStringLiteral("/shop/inventory.py"));
        git.writeFile(QStringLiteral("shop/stock.py"),
                      edited(inventoryPy, "line.count -= 1", "line.count -= 2"));
        const QString id = git.commit(QStringLiteral("Rename inventory to stock"));

        const Offered found = offered(env, repoConfig(QStringLiteral("shop"), git.path()));
        QCOMPARE(found.keys, QStringList{QStringLiteral("shop/stock.py@") + id});
        const Target &t = found.targets.first();
        QCOMPARE(t.change->oldPath, QStringLiteral("shop/inventory.py"));
        QCOMPARE(t.change->additions, 1);
        QCOMPARE(t.change->deletions, 1);
        QVERIFY2(t.symbol.source.startsWith(
                     QStringLiteral("--- a/shop/inventory.py\n+++ b/shop/stock.py\n@@ ")),
                 qPrintable(t.symbol.source));
        QVERIFY(t.findings.contains(QStringLiteral("- renamed from shop/inventory.py")));
    }

    void plainFoldersHaveNoChanges()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("plain/inventory.py"), inventoryPy);
        const Offered found =
            offered(env, repoConfig(QStringLiteral("plain"), env.path(QStringLiteral("plain"))));
        QVERIFY(found.targets.isEmpty());

        // Nor does a repository that has only its first commit.
        GitTestRepo git(env.path(QStringLiteral("fresh")));
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Import"));
        QVERIFY(offered(env, repoConfig(QStringLiteral("fresh"), git.path())).targets.isEmpty());
    }

    void theTargetFinderServesChanges()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("shop")));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(5));
        git.writeFile(QStringLiteral("inventory.py"), inventoryPy);
        git.commit(QStringLiteral("Import"));
        git.setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"), daysAgo(1));
        git.writeFile(QStringLiteral("inventory.py"),
                      edited(inventoryPy, "line.count -= 1", "line.count -= 2"));
        const QString id = git.commit(QStringLiteral("Faster backoff"));

        QVERIFY(TargetFinder::supports(QStringLiteral("code_evolution")));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("shop"), git.path())};
        TargetFinder finder(AnalyzerConfig{}, repos, &index);
        QVERIFY(finder.refresh());
        auto preview = finder.preview(QStringLiteral("code_evolution"), repos, 10);
        QVERIFY2(preview, qPrintable(preview.error()));
        QCOMPARE(preview->size(), 1);
        QCOMPARE(preview->first().change->commitId, id);

        QRandomGenerator random(7);
        auto found = finder.find(
            QStringLiteral("code_evolution"), repos, [](const Target &) { return false; }, &random);
        QVERIFY(found && found.value());
        QCOMPARE(found.value()->change->commitId, id);
        auto none = finder.find(
            QStringLiteral("code_evolution"), repos, [](const Target &) { return true; }, &random);
        QVERIFY(none);
        QVERIFY(!none.value());
    }
};

QTEST_GUILESS_MAIN(TestChangeFinder)
#include "TestChangeFinder.moc"
