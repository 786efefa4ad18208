#include "analysis/PathFilter.h"
#include "config/Config.h"

#include "TestEnvironment.h"

#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::TestEnvironment;

class TestPathFilter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void wildMatch_data();
    void wildMatch();
    void wildMatchFlags();
    void malformedPatternsMatchNothing();
    void everythingInsideAFolder();

    void gitIgnoreNegation();
    void gitIgnoreDirectoryOnly();
    void gitIgnoreNestedFilesAreFolderRelative();
    void gitIgnoreDeeperFileWinsWhateverTheOrder();
    void gitIgnoreCannotReincludeInsideIgnoredFolder();
    void gitIgnoreContentsPatternAllowsReinclude();
    void gitIgnoreCommentsEscapesAndCrlf();

    void defaultExcludes();
    void includePatterns();
    void hiddenPathsAreSkipped();
    void skipsDirectory();
    void negatedExcludeKeepsFolderWalkable();

private:
    std::unique_ptr<TestEnvironment> m_env;
};

void TestPathFilter::init()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestPathFilter::cleanup()
{
    m_env.reset();
}

void TestPathFilter::wildMatch_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDirectory");
    QTest::addColumn<bool>("expected");
    const auto row = [](const char *pattern, const char *path, bool dir, bool expected) {
        QTest::addRow("%s ~ %s%s", pattern, path, dir ? "/" : "")
            << QString::fromUtf8(pattern) << QString::fromUtf8(path) << dir << expected;
    };
    // No slash: the name at any depth.
    row("*.py", "a.py", false, true);
    row("*.py", "src/deep/a.py", false, true);
    row("*.py", "a.pyc", false, false);
    row("*.py", "a.py/x", false, false);
    row("*", "a/b", false, true);
    // A slash in the middle anchors to the base folder; '*' stays within a segment.
    row("src/*.cpp", "src/a.cpp", false, true);
    row("src/*.cpp", "src/x/a.cpp", false, false);
    row("src/*.cpp", "lib/src/a.cpp", false, false);
    row("doc/*.txt", "doc/.txt", false, true);
    // A leading slash anchors too.
    row("/build", "build", true, true);
    row("/build", "src/build", true, false);
    // '**' spans folders.
    row("**/*.py", "a.py", false, true);
    row("**/*.py", "x/y/a.py", false, true);
    row("**/node_modules/**", "node_modules/x.js", false, true);
    row("**/node_modules/**", "a/node_modules/b/c.js", false, true);
    row("**/node_modules/**", "node_modules", true, false);
    row("**/node_modules/**", "my_node_modules/x.js", false, false);
    row("a/**/b", "a/b", false, true);
    row("a/**/b", "a/x/y/b", false, true);
    row("a/**/b", "a/xb", false, false);
    row("a/**", "a/x/y", false, true);
    row("a/**", "a", true, false);
    // '**' that is not a whole segment is an ordinary star.
    row("foo**bar", "fooXbar", false, true);
    row("foo**bar", "foo/bar", false, false);
    // '?' and classes.
    row("?.c", "a.c", false, true);
    row("?.c", "ab.c", false, false);
    row("?.c", "x/a.c", false, true);
    row("[abc].txt", "b.txt", false, true);
    row("[abc].txt", "d.txt", false, false);
    row("[!abc].txt", "d.txt", false, true);
    row("[!abc].txt", "a.txt", false, false);
    row("x[!a]y", "x/y", false, false);
    row("[a-c]*.md", "beta.md", false, true);
    row("[a-c]*.md", "delta.md", false, false);
    row("[[:digit:]]*.log", "1.log", false, true);
    row("[[:digit:]]*.log", "a.log", false, false);
    row("[]]x", "]x", false, true);
    row("[\\d]x", "dx", false, true);
    row("[\\d]x", "1x", false, false);
    row("[\\]]x", "]x", false, true);
    // Backslash escapes.
    row("file\\*", "file*", false, true);
    row("file\\*", "filex", false, false);
    row("\\!important", "!important", false, true);
    // Regular-expression characters are literal.
    row("a+b(c).py", "a+b(c).py", false, true);
    row("a+b(c).py", "aab(c).py", false, false);
    // Trailing '/' matches folders only; trailing spaces are ignored.
    row("build/", "build", true, true);
    row("build/", "build", false, false);
    row("notes.py  ", "notes.py", false, true);
}

void TestPathFilter::wildMatch()
{
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QFETCH(bool, isDirectory);
    QFETCH(bool, expected);
    const WildMatch match(pattern);
    QVERIFY(match.isValid());
    QCOMPARE(match.matches(path, isDirectory), expected);
}

void TestPathFilter::wildMatchFlags()
{
    const WildMatch negated(QStringLiteral("!keep.py"));
    QVERIFY(negated.isNegated());
    QVERIFY(!negated.directoryOnly());
    QVERIFY(negated.matches(QStringLiteral("src/keep.py"), false));

    const WildMatch folder(QStringLiteral("out/"));
    QVERIFY(!folder.isNegated());
    QVERIFY(folder.directoryOnly());
}

void TestPathFilter::malformedPatternsMatchNothing()
{
    for (const QString &pattern : {QStringLiteral("[unclosed"), QStringLiteral("trailing\\"),
                                   QStringLiteral(""), QStringLiteral("!"), QStringLiteral("/")}) {
        const WildMatch match(pattern);
        QVERIFY2(!match.isValid(), qPrintable(pattern));
        QVERIFY(!match.matches(QStringLiteral("unclosed"), false));
        QVERIFY(!match.matches(QStringLiteral("trailing\\"), false));
    }
}

void TestPathFilter::everythingInsideAFolder()
{
    QVERIFY(WildMatch(QStringLiteral("**/build/**")).matchesEverythingIn(QStringLiteral("build")));
    QVERIFY(
        WildMatch(QStringLiteral("**/build/**")).matchesEverythingIn(QStringLiteral("a/build")));
    QVERIFY(WildMatch(QStringLiteral("out/*")).matchesEverythingIn(QStringLiteral("out")));
    QVERIFY(!WildMatch(QStringLiteral("out/*")).matchesEverythingIn(QStringLiteral("a/out")));
    QVERIFY(
        !WildMatch(QStringLiteral("**/build/*.o")).matchesEverythingIn(QStringLiteral("build")));
    QVERIFY(
        !WildMatch(QStringLiteral("**/*.min.js")).matchesEverythingIn(QStringLiteral("x.min.js")));
    QVERIFY(!WildMatch(QStringLiteral("!out/**")).matchesEverythingIn(QStringLiteral("out")));
}

void TestPathFilter::gitIgnoreNegation()
{
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("*.log\n!important.log\n"));
    QVERIFY(ignore.isIgnored(QStringLiteral("debug.log"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("sub/trace.log"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("important.log"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("sub/important.log"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("main.py"), false));

    // The last matching rule wins.
    GitIgnore reversed;
    reversed.addFile(QString(), QStringLiteral("!important.log\n*.log\n"));
    QVERIFY(reversed.isIgnored(QStringLiteral("important.log"), false));
}

void TestPathFilter::gitIgnoreDirectoryOnly()
{
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("build/\n"));
    QVERIFY(ignore.isIgnored(QStringLiteral("build"), true));
    QVERIFY(ignore.isIgnored(QStringLiteral("src/build"), true));
    QVERIFY(!ignore.isIgnored(QStringLiteral("build"), false));
    // A file inside an ignored folder is ignored.
    QVERIFY(ignore.isIgnored(QStringLiteral("build/out.py"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("src/build/gen/out.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("src/builder.py"), false));
}

void TestPathFilter::gitIgnoreNestedFilesAreFolderRelative()
{
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("*.tmp\n"));
    ignore.addFile(QStringLiteral("src"), QStringLiteral("!keep.tmp\ngenerated/\n"));
    ignore.addFile(QStringLiteral("docs"), QStringLiteral("/api\n"));

    QVERIFY(ignore.isIgnored(QStringLiteral("keep.tmp"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("src/keep.tmp"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("src/deep/keep.tmp"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("src/other.tmp"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("src/generated/model.py"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("src/a/generated/model.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("generated/model.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("lib/generated/model.py"), false));
    // An anchored pattern is relative to the folder of its .gitignore.
    QVERIFY(ignore.isIgnored(QStringLiteral("docs/api/index.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("docs/v1/api/index.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("api/index.py"), false));
}

void TestPathFilter::gitIgnoreDeeperFileWinsWhateverTheOrder()
{
    GitIgnore ignore;
    ignore.addFile(QStringLiteral("src"), QStringLiteral("!*.tmp\n"));
    ignore.addFile(QString(), QStringLiteral("*.tmp\n"));
    QVERIFY(!ignore.isIgnored(QStringLiteral("src/a.tmp"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("a.tmp"), false));
}

void TestPathFilter::gitIgnoreCannotReincludeInsideIgnoredFolder()
{
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("logs/\n!logs/keep.py\n"));
    QVERIFY(ignore.isIgnored(QStringLiteral("logs/keep.py"), false));
}

void TestPathFilter::gitIgnoreContentsPatternAllowsReinclude()
{
    // "cache/**" ignores the folder's contents, not the folder, so a file can come back.
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("cache/**\n!cache/keep.py\n"));
    QVERIFY(!ignore.isIgnored(QStringLiteral("cache"), true));
    QVERIFY(ignore.isIgnored(QStringLiteral("cache/data.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("cache/keep.py"), false));
}

void TestPathFilter::gitIgnoreCommentsEscapesAndCrlf()
{
    GitIgnore ignore;
    ignore.addFile(QString(), QStringLiteral("# generated files\r\n\r\n\\#draft.py\r\nout.py\r\n"));
    QVERIFY(ignore.isIgnored(QStringLiteral("#draft.py"), false));
    QVERIFY(ignore.isIgnored(QStringLiteral("out.py"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("generated"), false));
    QVERIFY(!ignore.isIgnored(QStringLiteral("# generated files"), false));
}

void TestPathFilter::defaultExcludes()
{
    const AnalyzerConfig defaults;
    const PathFilter filter(defaults.includePatterns, defaults.excludePatterns);
    QVERIFY(filter.accepts(QStringLiteral("src/app.js")));
    QVERIFY(filter.accepts(QStringLiteral("main.py")));
    QVERIFY(filter.accepts(QStringLiteral("src/builder/make.py")));
    QVERIFY(!filter.accepts(QStringLiteral("build/gen.cpp")));
    QVERIFY(!filter.accepts(QStringLiteral("pkg/__pycache__/mod.py")));
    QVERIFY(!filter.accepts(QStringLiteral("static/app.min.js")));
    QVERIFY(!filter.accepts(QStringLiteral("venv/lib/site.py")));
    // Vendored folders are the scanner's own rule (analyzer.include_vendored), not globs.
    QVERIFY(filter.accepts(QStringLiteral("node_modules/pkg/index.js")));
    QVERIFY(filter.accepts(QStringLiteral("third_party/lib/x.c")));
}

void TestPathFilter::includePatterns()
{
    const PathFilter filter({QStringLiteral("src/*.cpp"), QStringLiteral("**/*.py")}, {});
    QVERIFY(filter.accepts(QStringLiteral("src/a.cpp")));
    QVERIFY(!filter.accepts(QStringLiteral("src/sub/a.cpp")));
    QVERIFY(filter.accepts(QStringLiteral("tools/x.py")));
    QVERIFY(filter.accepts(QStringLiteral("x.py")));
    QVERIFY(!filter.accepts(QStringLiteral("README.md")));
    QVERIFY(!filter.accepts(QStringLiteral("lib/a.cpp")));

    // Include and exclude together: exclude wins.
    const PathFilter both({QStringLiteral("**/*.py")}, {QStringLiteral("tests/")});
    QVERIFY(both.accepts(QStringLiteral("app/main.py")));
    QVERIFY(!both.accepts(QStringLiteral("tests/test_main.py")));
    QVERIFY(!both.accepts(QStringLiteral("app/tests/test_x.py")));
}

void TestPathFilter::hiddenPathsAreSkipped()
{
    const PathFilter filter({}, {});
    QVERIFY(filter.accepts(QStringLiteral("src/a.py")));
    QVERIFY(!filter.accepts(QStringLiteral(".github/workflows/ci.py")));
    QVERIFY(!filter.accepts(QStringLiteral("src/.hidden.py")));
    QVERIFY(!filter.accepts(QStringLiteral("src/.cache/a.py")));
    QVERIFY(!filter.accepts(QStringLiteral(".setup.py")));
    QVERIFY(filter.accepts(QStringLiteral("src/a.b.py")));
    QVERIFY(filter.skipsDirectory(QStringLiteral(".git")));
    QVERIFY(filter.skipsDirectory(QStringLiteral("src/.venv")));
    QVERIFY(!filter.skipsDirectory(QStringLiteral("src")));
}

void TestPathFilter::skipsDirectory()
{
    const AnalyzerConfig defaults;
    const PathFilter filter(
        {QStringLiteral("src/*.cpp")},
        defaults.excludePatterns +
            QStringList{QStringLiteral("generated/"), QStringLiteral("**/node_modules/**")});
    QVERIFY(filter.skipsDirectory(QStringLiteral("node_modules")));
    QVERIFY(filter.skipsDirectory(QStringLiteral("web/node_modules")));
    QVERIFY(filter.skipsDirectory(QStringLiteral("a/build")));
    QVERIFY(filter.skipsDirectory(QStringLiteral("generated")));
    QVERIFY(filter.skipsDirectory(QStringLiteral("src/generated")));
    QVERIFY(!filter.skipsDirectory(QStringLiteral("src")));
    QVERIFY(!filter.skipsDirectory(QStringLiteral("vendorized")));
    QVERIFY(!filter.skipsDirectory(QStringLiteral("src/builds")));
    // Includes never prune folders: a deeper file may still match one.
    QVERIFY(!filter.skipsDirectory(QStringLiteral("lib")));
}

void TestPathFilter::negatedExcludeKeepsFolderWalkable()
{
    const PathFilter filter({},
                            {QStringLiteral("**/build/**"), QStringLiteral("!**/build/keep.py")});
    QVERIFY(!filter.accepts(QStringLiteral("build/gen.py")));
    QVERIFY(filter.accepts(QStringLiteral("build/keep.py")));
    QVERIFY(!filter.skipsDirectory(QStringLiteral("build")));
    QVERIFY(filter.skipsDirectory(QStringLiteral(".build")));
}

QTEST_GUILESS_MAIN(TestPathFilter)
#include "TestPathFilter.moc"
