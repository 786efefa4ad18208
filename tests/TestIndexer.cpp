#include "analysis/Indexer.h"
#include "analysis/SymbolIndex.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include <sys/stat.h>
#include <utime.h>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::repoConfig;
using codeworm::test::TestEnvironment;

namespace {

const QByteArray shapesV1 = "class Shape:\n"
                            "    def area(self, width, height):\n"
                            "        if width < 0 or height < 0:\n"
                            "            raise ValueError('negative')\n"
                            "        return width * height\n"
                            "\n"
                            "def scale(shape, factor):\n"
                            "    return shape * factor\n";
const QByteArray shapesV2 = shapesV1 + "\n"
                                       "def clamp(value, low, high):\n"
                                       "    if value < low:\n"
                                       "        return low\n"
                                       "    if value > high:\n"
                                       "        return high\n"
                                       "    return value\n";
const QByteArray mainGo = "package main\n\n"
                          "func Sum(values []int) int {\n"
                          "\ttotal := 0\n"
                          "\tfor _, v := range values {\n"
                          "\t\tif v > 0 {\n"
                          "\t\t\ttotal += v\n"
                          "\t\t}\n"
                          "\t}\n"
                          "\treturn total\n"
                          "}\n";
const QByteArray libRs = "pub fn parse(text: &str) -> Option<u32> {\n"
                         "    let value = text.trim().parse().ok()?;\n"
                         "    if value > 10 { Some(value) } else { None }\n"
                         "}\n";

QStringList displayNames(const QList<IndexedTarget> &targets)
{
    QStringList names;
    for (const IndexedTarget &t : targets) {
        names << (t.isFile ? t.path : t.path + QLatin1Char(':') + t.symbol.displayName);
    }
    names.sort();
    return names;
}

void setMtime(const QString &path, qint64 secs)
{
    utimbuf times{};
    times.actime = time_t(secs);
    times.modtime = time_t(secs);
    QCOMPARE(::utime(QFile::encodeName(path).constData(), &times), 0);
}

} // namespace

class TestIndexer : public QObject
{
    Q_OBJECT

private:
    // Every symbol and file of the repositories, unfiltered.
    static QList<IndexedTarget> everything(const SymbolIndex &index, bool files = false)
    {
        IndexQuery query;
        query.files = files;
        query.kinds = {CodeSymbol::Kind::Function, CodeSymbol::Kind::Method,
                       CodeSymbol::Kind::Class,    CodeSymbol::Kind::Struct,
                       CodeSymbol::Kind::Enum,     CodeSymbol::Kind::Impl};
        query.limit = 1000;
        auto rows = index.best(query);
        if (!rows) {
            qWarning().noquote() << rows.error();
            return {};
        }
        return rows.value();
    }

    // The stored score of every symbol and file equals its breakdown recomputed in C++.
    static void compareStoredScores(const SymbolIndex &index)
    {
        for (bool files : {false, true}) {
            const QList<IndexedTarget> rows = everything(index, files);
            QVERIFY(rows.size() >= 3);
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            {
                db.setDatabaseName(index.databasePath());
                QVERIFY(db.open());
                for (const IndexedTarget &t : rows) {
                    QSqlQuery q(db);
                    if (files) {
                        q.prepare(QStringLiteral("SELECT score FROM files WHERE path = ?"));
                        q.addBindValue(t.path);
                    } else {
                        q.prepare(QStringLiteral(
                            "SELECT s.score FROM symbols s JOIN files f ON f.id = s.file_id "
                            "WHERE f.path = ? AND s.display_name = ?"));
                        q.addBindValue(t.path);
                        q.addBindValue(t.symbol.displayName);
                    }
                    QVERIFY(q.exec() && q.next());
                    QVERIFY2(qAbs(q.value(0).toDouble() - t.score.total) < 1e-6,
                             qPrintable(QStringLiteral("%1 %2: stored %3, breakdown %4")
                                            .arg(t.path, t.symbol.displayName)
                                            .arg(q.value(0).toDouble())
                                            .arg(t.score.total)));
                }
                db.close();
            }
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("check"));
        }
    }

private slots:
    void gitRepositoryIsIndexedIncrementally()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("src")));
        git.writeFile(QStringLiteral("geometry/shapes.py"), shapesV1);
        git.writeFile(QStringLiteral("cmd/main.go"), mainGo);
        git.writeFile(QStringLiteral("README.md"), "# not code\n");
        git.commit(QStringLiteral("first"));

        SymbolIndex index(env.path(QStringLiteral("state/index.db")));
        QVERIFY2(index.open(), "open");
        Indexer indexer(index, AnalyzerConfig{});
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("src"), git.path())};

        IndexReport first = indexer.refresh(repos);
        QCOMPARE(first.repos.size(), 1);
        QVERIFY2(first.repos[0].error.isEmpty(), qPrintable(first.repos[0].error));
        QVERIFY(first.repos[0].fullScan);
        QCOMPARE(first.repos[0].filesParsed, 2);
        QVERIFY(first.repos[0].historyRead);
        QCOMPARE(displayNames(everything(index)),
                 (QStringList{QStringLiteral("cmd/main.go:Sum"),
                              QStringLiteral("geometry/shapes.py:Shape"),
                              QStringLiteral("geometry/shapes.py:Shape.area"),
                              QStringLiteral("geometry/shapes.py:scale")}));
        QCOMPARE(index.repo(QStringLiteral("src"))->headId, git.headId());

        // Same HEAD: nothing is listed or read.
        IndexReport again = indexer.refresh(repos);
        QVERIFY(again.repos[0].unchanged);
        QCOMPARE(again.repos[0].filesParsed, 0);
        QVERIFY(!again.repos[0].historyRead);

        // Uncommitted edits are not the repository's content.
        git.writeFile(QStringLiteral("geometry/shapes.py"), shapesV2);
        QVERIFY(indexer.refresh(repos).repos[0].unchanged);

        // Change one file, delete one, add one: only those are touched.
        git.writeFile(QStringLiteral("src/lib.rs"), libRs);
        QVERIFY(QFile::remove(git.path() + QStringLiteral("/cmd/main.go")));
        git.commit(QStringLiteral("second"));
        IndexReport second = indexer.refresh(repos);
        const RepoIndexReport &r = second.repos[0];
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(!r.fullScan);
        QVERIFY(!r.unchanged);
        QCOMPARE(r.filesParsed, 2);
        QCOMPARE(r.filesRemoved, 1);
        QVERIFY(r.historyRead);
        QCOMPARE(displayNames(everything(index)),
                 (QStringList{QStringLiteral("geometry/shapes.py:Shape"),
                              QStringLiteral("geometry/shapes.py:Shape.area"),
                              QStringLiteral("geometry/shapes.py:clamp"),
                              QStringLiteral("geometry/shapes.py:scale"),
                              QStringLiteral("src/lib.rs:parse")}));

        // A rename moves the symbols to the new path.
        QVERIFY(
            QDir(git.path()).rename(QStringLiteral("src/lib.rs"), QStringLiteral("src/parse.rs")));
        git.commit(QStringLiteral("rename"));
        IndexReport renamed = indexer.refresh(repos);
        QCOMPARE(renamed.repos[0].filesRemoved, 1);
        const QStringList names = displayNames(everything(index));
        QVERIFY2(names.contains(QStringLiteral("src/parse.rs:parse")),
                 qPrintable(names.join(QLatin1Char(' '))));
        QVERIFY(!names.contains(QStringLiteral("src/lib.rs:parse")));

        auto counts = index.counts(QStringLiteral("src"));
        QVERIFY(counts);
        QCOMPARE(counts->filesPerLanguage.value(QStringLiteral("python")), 1);
        QCOMPARE(counts->filesPerLanguage.value(QStringLiteral("rust")), 1);
        QCOMPARE(counts->filesPerLanguage.value(QStringLiteral("go")), 0);
        QCOMPARE(counts->symbolsPerLanguage.value(QStringLiteral("python")), 4);
    }

    void indexSurvivesReopening()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("src")));
        git.writeFile(QStringLiteral("shapes.py"), shapesV1);
        git.commit(QStringLiteral("first"));
        const QString dbPath = env.path(QStringLiteral("state/index.db"));
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("src"), git.path())};
        {
            SymbolIndex index(dbPath);
            QVERIFY(index.open());
            Indexer(index, AnalyzerConfig{}).refresh(repos);
        }
        SymbolIndex index(dbPath);
        QVERIFY(index.open());
        const IndexReport report = Indexer(index, AnalyzerConfig{}).refresh(repos);
        QVERIFY(report.repos[0].unchanged);
        QCOMPARE(everything(index).size(), 3);
    }

    void plainFolderIsRestatted()
    {
        TestEnvironment env;
        const QString root = env.path(QStringLiteral("plain"));
        env.writeFile(QStringLiteral("plain/shapes.py"), shapesV1);
        env.writeFile(QStringLiteral("plain/main.go"), mainGo);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer indexer(index, AnalyzerConfig{});
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("plain"), root)};

        IndexReport first = indexer.refresh(repos);
        QVERIFY2(first.repos[0].error.isEmpty(), qPrintable(first.repos[0].error));
        QCOMPARE(first.repos[0].filesParsed, 2);
        QVERIFY(!first.repos[0].historyRead); // no git, no history

        IndexReport same = indexer.refresh(repos);
        QCOMPARE(same.repos[0].filesParsed, 0);
        QCOMPARE(same.repos[0].filesReused, 2);

        // Touched but unchanged: reused, and the new stamp is remembered.
        setMtime(root + QStringLiteral("/shapes.py"), 1'700'000'000);
        IndexReport touched = indexer.refresh(repos);
        QCOMPARE(touched.repos[0].filesParsed, 0);
        QCOMPARE(touched.repos[0].filesReused, 2);
        IndexReport afterTouch = indexer.refresh(repos);
        QCOMPARE(afterTouch.repos[0].filesParsed, 0);

        env.writeFile(QStringLiteral("plain/shapes.py"), shapesV2);
        setMtime(root + QStringLiteral("/shapes.py"), 1'700'000'100);
        QVERIFY(QFile::remove(root + QStringLiteral("/main.go")));
        IndexReport changed = indexer.refresh(repos);
        QCOMPARE(changed.repos[0].filesParsed, 1);
        QCOMPARE(changed.repos[0].filesRemoved, 1);
        QCOMPARE(
            displayNames(everything(index)),
            (QStringList{QStringLiteral("shapes.py:Shape"), QStringLiteral("shapes.py:Shape.area"),
                         QStringLiteral("shapes.py:clamp"), QStringLiteral("shapes.py:scale")}));
    }

    void unconfiguredRepositoryLeavesTheIndex()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("one/a.py"), shapesV1);
        env.writeFile(QStringLiteral("two/b.go"), mainGo);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer indexer(index, AnalyzerConfig{});
        RepoConfig one = repoConfig(QStringLiteral("one"), env.path(QStringLiteral("one")));
        RepoConfig two = repoConfig(QStringLiteral("two"), env.path(QStringLiteral("two")));
        indexer.refresh({one, two});
        QCOMPARE(index.repoNames(), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));

        // Disabled: kept (it may be enabled again) but not refreshed.
        two.enabled = false;
        IndexReport disabled = indexer.refresh({one, two});
        QCOMPARE(disabled.repos.size(), 1);
        QCOMPARE(index.repoNames(), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));

        indexer.refresh({one});
        QCOMPARE(index.repoNames(), QStringList{QStringLiteral("one")});
        QCOMPARE(displayNames(everything(index)),
                 (QStringList{QStringLiteral("a.py:Shape"), QStringLiteral("a.py:Shape.area"),
                              QStringLiteral("a.py:scale")}));
    }

    void unreadableRepositoryIsReportedAndOthersIndexed()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("one/a.py"), shapesV1);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer indexer(index, AnalyzerConfig{});
        const IndexReport report = indexer.refresh(
            {repoConfig(QStringLiteral("gone"), env.path(QStringLiteral("missing"))),
             repoConfig(QStringLiteral("one"), env.path(QStringLiteral("one")))});
        QCOMPARE(report.repos.size(), 2);
        QVERIFY(report.repos[0].error.contains(env.path(QStringLiteral("missing"))));
        QVERIFY(report.repos[1].error.isEmpty());
        QCOMPARE(everything(index).size(), 3);
    }

    void cancelledRefreshIsCompletedByTheNextOne()
    {
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("src")));
        for (int i = 0; i < Indexer::batchSize + 10; ++i) {
            git.writeFile(QStringLiteral("pkg/m%1.py").arg(i),
                          QByteArray("def f%1(a, b):\n    return a if a > b else b\n")
                              .replace("%1", QByteArray::number(i)));
        }
        git.commit(QStringLiteral("many"));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer indexer(index, AnalyzerConfig{});
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("src"), git.path())};

        std::atomic<bool> cancelled{true};
        IndexReport stopped = indexer.refresh(repos, &cancelled);
        QVERIFY(stopped.cancelled);
        QVERIFY(!index.repo(QStringLiteral("src")) ||
                index.repo(QStringLiteral("src"))->headId.isEmpty());

        IndexReport completed = indexer.refresh(repos);
        QVERIFY(!completed.cancelled);
        QCOMPARE(completed.repos[0].filesParsed + completed.repos[0].filesReused,
                 Indexer::batchSize + 10);
        QCOMPARE(everything(index).size(), Indexer::batchSize + 10);
        QVERIFY(indexer.refresh(repos).repos[0].unchanged);
    }

    void moreFilesThanOneTransactionTakesAreAllStored()
    {
        // Batches are collected into transactions of storeAtOnce files: a first index and a
        // change larger than one of them keep every file, and the counts add up.
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("src")));
        const int files = Indexer::storeAtOnce + Indexer::batchSize + 3;
        const auto source = [](int i, const char *body) -> QByteArray {
            return QByteArray("def f%1(a, b):\n    return ").replace("%1", QByteArray::number(i)) +
                   body + "\n";
        };
        for (int i = 0; i < files; ++i) {
            git.writeFile(QStringLiteral("pkg/m%1.py").arg(i), source(i, "a if a > b else b"));
        }
        git.commit(QStringLiteral("many"));
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer indexer(index, AnalyzerConfig{});
        const QList<RepoConfig> repos{repoConfig(QStringLiteral("src"), git.path())};

        const IndexReport first = indexer.refresh(repos);
        QVERIFY2(first.repos[0].error.isEmpty(), qPrintable(first.repos[0].error));
        QCOMPARE(first.repos[0].filesParsed, files);
        QCOMPARE(first.repos[0].symbols, files);
        QCOMPARE(everything(index).size(), files);

        // Every file changes but two, which go.
        for (int i = 2; i < files; ++i) {
            git.writeFile(QStringLiteral("pkg/m%1.py").arg(i), source(i, "b if a > b else a"));
        }
        QVERIFY(QFile::remove(git.path() + QStringLiteral("/pkg/m0.py")));
        QVERIFY(QFile::remove(git.path() + QStringLiteral("/pkg/m1.py")));
        git.commit(QStringLiteral("all of them"));
        const IndexReport second = indexer.refresh(repos);
        QCOMPARE(second.repos[0].filesParsed, files - 2);
        QCOMPARE(second.repos[0].filesRemoved, 2);
        QCOMPARE(everything(index).size(), files - 2);
        QVERIFY(indexer.refresh(repos).repos[0].unchanged);
    }

    void storedScoresRankLikeTheBreakdown()
    {
        // The index sorts by the score it stores (computed in SQL); each row's breakdown is
        // recomputed in C++. They must agree, or the ranking lies.
        TestEnvironment env;
        GitTestRepo git(env.path(QStringLiteral("src")));
        git.writeFile(QStringLiteral("shapes.py"), shapesV1);
        git.writeFile(QStringLiteral("main.go"), mainGo);
        git.writeFile(QStringLiteral("lib.rs"), libRs);
        git.commit(QStringLiteral("first"));
        for (int i = 0; i < 3; ++i) {
            git.writeFile(QStringLiteral("main.go"), mainGo + "// " + QByteArray::number(i) + '\n');
            git.commit(QStringLiteral("churn %1").arg(i));
        }
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        const QDateTime now = QDateTime::currentDateTimeUtc().addDays(3);
        Indexer(index, AnalyzerConfig{})
            .refresh({repoConfig(QStringLiteral("src"), git.path())}, nullptr, now);
        // A first index writes the scores with the history part when the history was read in
        // time, else rescore() adds it in SQL: both must give the breakdown's total.
        compareStoredScores(index);
        QVERIFY(index.write([&] { return index.rescore(QStringLiteral("src"), now); }));
        compareStoredScores(index);
        const QList<IndexedTarget> symbols = everything(index);
        for (qsizetype i = 1; i < symbols.size(); ++i) {
            QVERIFY(symbols[i - 1].score.total >= symbols[i].score.total);
        }
        // History reached the rows: main.go changed in 4 commits.
        const auto sum = std::find_if(symbols.cbegin(), symbols.cend(), [](const IndexedTarget &t) {
            return t.symbol.displayName == QLatin1String("Sum");
        });
        QVERIFY(sum != symbols.cend());
        QCOMPARE(sum->history.commits30, 4);
        QVERIFY(sum->score.churn > 0);
        QVERIFY(sum->score.novelty > 0);
    }

    void queryFiltersByLimitsAndKinds()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("src/shapes.py"), shapesV2);
        SymbolIndex index(env.path(QStringLiteral("index.db")));
        QVERIFY(index.open());
        Indexer(index, AnalyzerConfig{})
            .refresh({repoConfig(QStringLiteral("src"), env.path(QStringLiteral("src")))});

        IndexQuery functions; // functions and methods by default
        auto all = index.best(functions);
        QVERIFY(all);
        QCOMPARE(displayNames(all.value()), (QStringList{QStringLiteral("shapes.py:Shape.area"),
                                                         QStringLiteral("shapes.py:clamp"),
                                                         QStringLiteral("shapes.py:scale")}));

        IndexQuery limited;
        limited.minLines = 4;
        limited.minComplexity = 2;
        auto big = index.best(limited);
        QVERIFY(big);
        QCOMPARE(displayNames(big.value()), (QStringList{QStringLiteral("shapes.py:Shape.area"),
                                                         QStringLiteral("shapes.py:clamp")}));

        IndexQuery paged;
        paged.limit = 1;
        paged.offset = 1;
        auto second = index.best(paged);
        QVERIFY(second);
        QCOMPARE(second->size(), 1);
        QCOMPARE(second->first().symbol.displayName, all->at(1).symbol.displayName);

        IndexQuery classes;
        classes.kinds = {CodeSymbol::Kind::Class};
        auto shape = index.best(classes);
        QVERIFY(shape);
        QCOMPARE(shape->size(), 1);
        QCOMPARE(shape->first().symbol.displayName, QStringLiteral("Shape"));
        QVERIFY(shape->first().symbol.complexity >= 3); // the sum over its methods

        IndexQuery files;
        files.files = true;
        auto file = index.best(files);
        QVERIFY(file);
        QCOMPARE(file->size(), 1);
        QVERIFY(file->first().isFile);
        QCOMPARE(file->first().fileMetrics.functionCount, 3);
        QVERIFY(file->first().fileMetrics.complexity >= 6);

        IndexQuery other;
        other.repos = {QStringLiteral("elsewhere")};
        QVERIFY(index.best(other)->isEmpty());
    }

    void damagedIndexIsSetAsideAndRebuilt()
    {
        TestEnvironment env;
        env.writeFile(QStringLiteral("src/shapes.py"), shapesV1);
        const QString path = env.path(QStringLiteral("index.db"));
        const QByteArray garbage(8192, 'x');
        env.writeFile(QStringLiteral("index.db"), garbage);
        SymbolIndex index(path);
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("moved it to .*index\\.db\\.damaged")));
        const Status opened = index.open();
        QVERIFY2(opened, qPrintable(opened.error()));
        QCOMPARE(codeworm::test::readFile(path + QStringLiteral(".damaged")), garbage);
        Indexer(index, AnalyzerConfig{})
            .refresh({repoConfig(QStringLiteral("src"), env.path(QStringLiteral("src")))});
        QCOMPARE(everything(index).size(), 3);
    }

    void newerSchemaIsRefused()
    {
        TestEnvironment env;
        const QString path = env.path(QStringLiteral("index.db"));
        {
            SymbolIndex index(path);
            QVERIFY(index.open());
        }
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bump"));
        SymbolIndex index(path);
        const Status opened = index.open();
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(path), qPrintable(opened.error()));
        QVERIFY2(opened.error().contains(QStringLiteral("99")), qPrintable(opened.error()));
    }
};

QTEST_GUILESS_MAIN(TestIndexer)
#include "TestIndexer.moc"
