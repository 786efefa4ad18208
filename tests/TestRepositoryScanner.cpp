#include "analysis/RepositoryScanner.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include "common/GitHandles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <QtTest>

#include <memory>

#include <sys/stat.h>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::TestEnvironment;

namespace {

const QByteArray appV1 = "def area(width, height):\n"
                         "    if width < 0 or height < 0:\n"
                         "        raise ValueError('negative size')\n"
                         "    return width * height\n";
const QByteArray appV2 = "def area(width, height):\n    return abs(width * height)\n";
const QByteArray utilCpp = "int twice(int x)\n{\n    return x > 0 ? 2 * x : 0;\n}\n";

// The id git gives a blob: SHA-1 of "blob <size>\0<content>".
QString gitBlobId(const QByteArray &content)
{
    const QByteArray object = "blob " + QByteArray::number(content.size()) + '\0' + content;
    return QString::fromLatin1(QCryptographicHash::hash(object, QCryptographicHash::Sha1).toHex());
}

template<typename T>
QStringList pathsOf(const QList<T> &files)
{
    QStringList paths;
    for (const T &file : files) {
        paths << file.path;
    }
    return paths;
}

using Skips = QMap<SkipReason, int>;

// "ignored=2 hidden=1": readable in a failed comparison.
QString describe(const Skips &skips)
{
    QStringList parts;
    for (auto it = skips.cbegin(); it != skips.cend(); ++it) {
        parts << skipReasonName(it.key()) + QLatin1Char('=') + QString::number(it.value());
    }
    return parts.join(QLatin1Char(' '));
}

bool copyFolder(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    if (!QDir().mkpath(to)) {
        return false;
    }
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + source.mid(from.size());
        const bool copied =
            it.fileInfo().isDir() ? QDir().mkpath(target) : QFile::copy(source, target);
        if (!copied) {
            return false;
        }
    }
    return true;
}

std::unique_ptr<RepositorySnapshot> openSnapshot(const RepoConfig &repo,
                                                 const AnalyzerConfig &analyzer = {})
{
    auto opened = RepositorySnapshot::open(analyzer, repo);
    if (!opened) {
        qWarning("%s", qPrintable(opened.error()));
        return nullptr;
    }
    return std::move(opened.value());
}

} // namespace

class TestRepositoryScanner : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void gitRepositoryIsReadAtHead();
    void listReadsEntriesThenReadGivesContent();
    void listHandsEntriesOverAsItFindsThem();
    void readRunsOnSeveralThreadsAtOnce();
    void gitIgnoreRulesComeFromLibgit2();
    void bareRepositoryUsesTheGitIgnoreFilesAtHead();
    void filtering_data();
    void filtering();
    void includePatternsSelectFiles_data();
    void includePatternsSelectFiles();
    void repositoryGlobsAddToTheGlobalOnes_data();
    void repositoryGlobsAddToTheGlobalOnes();
    void vendoredFolders_data();
    void vendoredFolders();
    void submodulesAreSkipped();
    void nestedRepositoryOnDiskIsASubmodule();
    void plainFolderIsReadFromDisk();
    void symbolicLinksAreNotFollowed();
    void symbolicLinksInGitAreNotFollowed();
    void nonUtf8FilesAreSkipped_data();
    void nonUtf8FilesAreSkipped();
    void specialFilesAreUnreadable();
    void headerLanguage();
    void changesSince();
    void changesSinceAGitIgnoreChange();
    void changesSinceNeedsAKnownCommit();
    void rulesKey();
    void subfolderOfARepositoryIsReadFromDisk();
    void unbornRepositoryListsNothing();
    void missingPathIsAnError();
    void fileInsteadOfFolderIsAnError();
    void skipReasonNames();
    void looksBinary();

private:
    // Writes files into the repository folder: committed in "git" mode, plain in "disk" mode.
    void writeFiles(const QString &mode, const QMap<QString, QByteArray> &files);
    RepoConfig repoConfig() const;

    std::unique_ptr<TestEnvironment> m_env;
    QString m_repoPath;
};

void TestRepositoryScanner::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_repoPath = m_env->path(QStringLiteral("work/project"));
}

void TestRepositoryScanner::cleanup()
{
    m_env.reset();
}

RepoConfig TestRepositoryScanner::repoConfig() const
{
    RepoConfig repo;
    repo.name = QStringLiteral("project");
    repo.path = m_repoPath;
    return repo;
}

void TestRepositoryScanner::writeFiles(const QString &mode, const QMap<QString, QByteArray> &files)
{
    if (mode == QLatin1String("git")) {
        GitTestRepo repo(m_repoPath);
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            repo.writeFile(it.key(), it.value());
        }
        // Named paths: committed even where a .gitignore of the fixture matches them.
        repo.commit(QStringLiteral("Add fixture"), files.keys());
        QCOMPARE(repo.treePaths(), QStringList(files.keys()));
    } else {
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            m_env->writeFile(QStringLiteral("work/project/") + it.key(), it.value());
        }
    }
}

void TestRepositoryScanner::gitRepositoryIsReadAtHead()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("src/app.py"), appV1);
    repo.writeFile(QStringLiteral("src/util.cpp"), utilCpp);
    repo.writeFile(QStringLiteral("README.md"), "# Project\n");
    repo.commit(QStringLiteral("Initial import"));

    // Uncommitted work: an edit, a new file and a deletion.
    repo.writeFile(QStringLiteral("src/app.py"), appV2);
    repo.writeFile(QStringLiteral("src/new.py"), "def fresh():\n    return 1\n");
    QVERIFY(QFile::remove(m_repoPath + QStringLiteral("/src/util.cpp")));
    QVERIFY(repo.isDirty());

    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("src/app.py"), QStringLiteral("src/util.cpp")}));
    const SourceFile &app = files->at(0);
    QCOMPARE(app.language, QStringLiteral("python"));
    QCOMPARE(app.content, appV1);
    QCOMPARE(app.contentId, gitBlobId(appV1));
    const SourceFile &util = files->at(1);
    QCOMPARE(util.language, QStringLiteral("cpp"));
    QCOMPARE(util.content, utilCpp);
    QCOMPARE(util.contentId, gitBlobId(utilCpp));

    // Once committed, the edit and the new file are seen.
    repo.commit(QStringLiteral("Rework area"));
    const auto after = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(after.ok(), qPrintable(after.error()));
    QCOMPARE(pathsOf(after.value()),
             QStringList({QStringLiteral("src/app.py"), QStringLiteral("src/new.py")}));
    QCOMPARE(after->at(0).content, appV2);
    QCOMPARE(after->at(0).contentId, gitBlobId(appV2));
}

void TestRepositoryScanner::listHandsEntriesOverAsItFindsThem()
{
    // Names whose order as paths differs from a per-folder order that lists folders first.
    GitTestRepo repo(m_repoPath);
    for (const char *path :
         {"b.py", "a/z.py", "a-b.py", "a0.py", "a/b/c.py", "c.go", ".hidden.py", "notes.txt"}) {
        repo.writeFile(QString::fromLatin1(path), "x = 1\n");
    }
    repo.commit(QStringLiteral("Files"));
    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);

    QStringList told;
    const auto all = snapshot->list(nullptr, [&told](const FileEntry &entry) {
        told << entry.path;
        return true;
    });
    QVERIFY2(all.ok(), qPrintable(all.error()));
    QStringList listed;
    for (const FileEntry &entry : all.value()) {
        listed << entry.path;
    }
    QCOMPARE(listed, (QStringList{QStringLiteral("a-b.py"), QStringLiteral("a/b/c.py"),
                                  QStringLiteral("a/z.py"), QStringLiteral("a0.py"),
                                  QStringLiteral("b.py"), QStringLiteral("c.go")}));
    QCOMPARE(told, listed); // a git walk finds them in the sorted order

    // Declining stops the walk; a later list() is whole again.
    told.clear();
    const auto some = snapshot->list(nullptr, [&told](const FileEntry &entry) {
        told << entry.path;
        return told.size() < 2;
    });
    QVERIFY2(some.ok(), qPrintable(some.error()));
    QCOMPARE(told, listed.mid(0, 2));
    QCOMPARE(some.value().size(), 2);
    QCOMPARE(snapshot->list().value().size(), listed.size());
}

void TestRepositoryScanner::readRunsOnSeveralThreadsAtOnce()
{
    // The Indexer reads on its pool: every thread gets the content of its own blob.
    GitTestRepo repo(m_repoPath);
    constexpr int files = 200;
    for (int i = 0; i < files; ++i) {
        repo.writeFile(QStringLiteral("m%1.py").arg(i),
                       QByteArray("def f():\n    return ") + QByteArray::number(i) + "\n");
    }
    repo.commit(QStringLiteral("Many"));
    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    const QList<FileEntry> entries = snapshot->list().value();
    QCOMPARE(entries.size(), files);
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    const QList<QByteArray> contents =
        QtConcurrent::blockingMapped(&pool, entries, [&snapshot](const FileEntry &entry) {
            ScanStats stats;
            const auto read = snapshot->read(entry, &stats);
            return read.ok() && read.value() ? read.value()->content : QByteArray("failed");
        });
    for (int i = 0; i < files; ++i) {
        const QString path = entries.at(i).path;
        const QByteArray number = path.mid(1, path.size() - 4).toLatin1();
        QCOMPARE(contents.at(i), QByteArray("def f():\n    return ") + number + "\n");
    }
}

void TestRepositoryScanner::listReadsEntriesThenReadGivesContent()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("src/app.py"), appV1);
    repo.writeFile(QStringLiteral("src/util.cpp"), utilCpp);
    const QString head = repo.commit(QStringLiteral("Initial import"));

    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    QVERIFY(snapshot->isGit());
    QCOMPARE(snapshot->headId(), head);
    ScanStats stats;
    const auto entries = snapshot->list(&stats);
    QVERIFY2(entries.ok(), qPrintable(entries.error()));
    const QList<FileEntry> expected = {
        {QStringLiteral("src/app.py"), QStringLiteral("python"), gitBlobId(appV1), appV1.size(), 0},
        {QStringLiteral("src/util.cpp"), QStringLiteral("cpp"), gitBlobId(utilCpp), utilCpp.size(),
         0},
    };
    QCOMPARE(entries.value(), expected);
    QVERIFY(stats.filesPerLanguage.isEmpty()); // nothing read yet

    const auto app = snapshot->read(entries->at(0), &stats);
    QVERIFY2(app.ok(), qPrintable(app.error()));
    QVERIFY(app.value().has_value());
    QCOMPARE(app.value()->content, appV1);
    QCOMPARE(app.value()->contentId, gitBlobId(appV1));
    QCOMPARE(app.value()->language, QStringLiteral("python"));
    QCOMPARE(stats.filesPerLanguage, (QMap<QString, int>{{QStringLiteral("python"), 1}}));

    // The snapshot stays at the HEAD it opened with.
    repo.writeFile(QStringLiteral("src/app.py"), appV2);
    repo.commit(QStringLiteral("Rework"));
    const auto again = snapshot->list();
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again.value(), expected);
    QCOMPARE(snapshot->headId(), head);

    // Plain folders: size and modification time, no blob id; the content id comes with read().
    const QString plain = m_env->path(QStringLiteral("work/plain"));
    const QString file = m_env->writeFile(QStringLiteral("work/plain/app.py"), appV1);
    RepoConfig plainConfig = repoConfig();
    plainConfig.path = plain;
    const auto onDisk = openSnapshot(plainConfig);
    QVERIFY(onDisk);
    QVERIFY(!onDisk->isGit());
    QCOMPARE(onDisk->headId(), QString());
    const auto diskEntries = onDisk->list();
    QVERIFY2(diskEntries.ok(), qPrintable(diskEntries.error()));
    QCOMPARE(
        diskEntries.value(),
        QList<FileEntry>({{QStringLiteral("app.py"), QStringLiteral("python"), QString(),
                           appV1.size(), QFileInfo(file).lastModified().toMSecsSinceEpoch()}}));
}

void TestRepositoryScanner::gitIgnoreRulesComeFromLibgit2()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("src/a.py"), appV1);
    repo.writeFile(QStringLiteral("src/b.py"), appV1);
    repo.writeFile(QStringLiteral("src/deep/c.py"), appV1);
    repo.writeFile(QStringLiteral("src/deep/keep.py"), appV1);
    repo.writeFile(QStringLiteral("generated/model.py"), appV1);
    repo.writeFile(QStringLiteral("secret/key.py"), appV1);
    repo.commit(QStringLiteral("Initial import"));
    // Files stay tracked when a later .gitignore matches them; the scanner still skips them.
    repo.writeFile(QStringLiteral(".gitignore"), "generated/\n*.tmp\n");
    // libgit2 1.5 lets the first .gitignore from the root that matches decide, so a '!' rule
    // takes a path back only within the same file (git lets the deepest file decide).
    repo.writeFile(QStringLiteral("src/.gitignore"), "a.py\ndeep/*.py\n!deep/keep.py\n");
    repo.writeFile(QStringLiteral("src/deep/.gitignore"), "c.py\n");
    repo.commit(QStringLiteral("Ignore generated code"));
    // .git/info/exclude is honoured as git honours it.
    QVERIFY(QDir().mkpath(m_repoPath + QStringLiteral("/.git/info")));
    m_env->writeFile(QStringLiteral("work/project/.git/info/exclude"), "secret/\n");

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("src/b.py"), QStringLiteral("src/deep/keep.py")}));
    // generated/ and secret/ count once each, then a.py and deep/c.py.
    QCOMPARE(stats.skipped.value(SkipReason::Ignored), 4);

    // The rules are the work tree's, as for git itself: an edited .gitignore applies at once.
    repo.writeFile(QStringLiteral("src/.gitignore"), "deep/\n");
    const auto edited = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(edited.ok(), qPrintable(edited.error()));
    QCOMPARE(pathsOf(edited.value()),
             QStringList({QStringLiteral("src/a.py"), QStringLiteral("src/b.py")}));
}

void TestRepositoryScanner::bareRepositoryUsesTheGitIgnoreFilesAtHead()
{
    const QString workPath = m_env->path(QStringLiteral("work/origin"));
    GitTestRepo origin(workPath);
    origin.writeFile(QStringLiteral("src/a.py"), appV1);
    origin.writeFile(QStringLiteral("src/b.py"), appV1);
    origin.writeFile(QStringLiteral("src/generated/g.py"), appV1);
    origin.writeFile(QStringLiteral(".gitignore"), "generated/\n");
    origin.writeFile(QStringLiteral("src/.gitignore"), "b.py\n");
    origin.commit(QStringLiteral("Initial import"),
                  {QStringLiteral("src/a.py"), QStringLiteral("src/b.py"),
                   QStringLiteral("src/generated/g.py"), QStringLiteral(".gitignore"),
                   QStringLiteral("src/.gitignore")});

    // A copy of the git folder marked bare (git_clone would do, but leaks in libgit2 1.5's
    // regex code under LeakSanitizer).
    QVERIFY(copyFolder(workPath + QStringLiteral("/.git"), m_repoPath));
    git_repository *opened = nullptr;
    QCOMPARE(git_repository_open(&opened, QFile::encodeName(m_repoPath).constData()), 0);
    git::Ptr<git_repository> bare(opened);
    git_config *rawConfig = nullptr;
    QCOMPARE(git_repository_config(&rawConfig, bare.get()), 0);
    const git::Ptr<git_config> config(rawConfig);
    QCOMPARE(git_config_set_bool(config.get(), "core.bare", 1), 0);
    QCOMPARE(git_repository_open(&opened, QFile::encodeName(m_repoPath).constData()), 0);
    bare.reset(opened);
    QVERIFY(git_repository_is_bare(bare.get()));

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("src/a.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Ignored, 2}}));
}

void TestRepositoryScanner::filtering_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("git") << QStringLiteral("git");
    QTest::newRow("disk") << QStringLiteral("disk");
}

void TestRepositoryScanner::filtering()
{
    QFETCH(QString, mode);
    QByteArray exactlyOneMiB(RepositoryScanner::maxFileSize, 'x');
    exactlyOneMiB[0] = '#';
    exactlyOneMiB[RepositoryScanner::maxFileSize - 1] = '\n';
    QByteArray overOneMiB = exactlyOneMiB + "\n";
    QByteArray withNul = appV1;
    withNul[10] = '\0';
    QByteArray controls;
    for (int i = 0; i < 400; ++i) {
        controls += (i % 5 < 2) ? '\x01' : 'a'; // 40% control characters
    }
    const QByteArray unicode = QStringLiteral("# Größe, 面积, εμβαδόν: ünïcödé ☃☃☃☃☃☃☃☃\n"
                                              "def size():\n    return '☃☃☃☃☃☃☃☃☃☃☃☃'\n")
                                   .toUtf8();

    const QMap<QString, QByteArray> files = {
        {QStringLiteral(".gitignore"), "*.log.py\nscratch/\n"},
        {QStringLiteral("src/main.py"), appV1},
        {QStringLiteral("src/unicode.py"), unicode},
        {QStringLiteral("src/edge.py"), exactlyOneMiB},
        {QStringLiteral("src/large.py"), overOneMiB},
        {QStringLiteral("src/empty.py"), QByteArray()},
        {QStringLiteral("src/nul.py"), withNul},
        {QStringLiteral("src/controls.py"), controls},
        {QStringLiteral("src/debug.log.py"), appV1},
        {QStringLiteral("scratch/try.py"), appV1},
        {QStringLiteral("src/.hidden.py"), appV1},
        {QStringLiteral(".tools/gen.py"), appV1},
        {QStringLiteral("node_modules/pkg/index.js"), "module.exports = 1;\n"},
        {QStringLiteral("web/vendor/lib.js"), "var x = 1;\n"},
        {QStringLiteral("web/app.min.js"), "var y=2;\n"},
        {QStringLiteral("web/app.js"), "export const y = 2;\n"},
        {QStringLiteral("docs/guide.md"), "# Guide\n"},
        {QStringLiteral("lib/list.h"), "struct list;\n"},
        {QStringLiteral("lib/.gitignore"), "!*.log.py\nlocal.c\n"},
        {QStringLiteral("lib/local.c"), "int local;\n"},
        {QStringLiteral("lib/trace.log.py"), appV1},
    };
    writeFiles(mode, files);

    ScanStats stats;
    const auto scanned = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(scanned.ok(), qPrintable(scanned.error()));
    const QStringList expected = {
        QStringLiteral("lib/list.h"),     QStringLiteral("lib/trace.log.py"),
        QStringLiteral("src/edge.py"),    QStringLiteral("src/main.py"),
        QStringLiteral("src/unicode.py"), QStringLiteral("web/app.js"),
    };
    QCOMPARE(pathsOf(scanned.value()), expected);
    for (const SourceFile &file : scanned.value()) {
        QCOMPARE(file.content, files.value(file.path));
    }
    // A header without C++ in it is C.
    QCOMPARE(scanned->at(0).language, QStringLiteral("c"));
    QCOMPARE(scanned->at(5).language, QStringLiteral("javascript"));

    // Folders count once (scratch/, .tools/, node_modules/, web/vendor/); files without a
    // supported language (.gitignore, docs/guide.md) are no candidates and not counted.
    const Skips skips = {
        {SkipReason::Ignored, 3},  // src/debug.log.py, scratch/, lib/local.c
        {SkipReason::Excluded, 1}, // web/app.min.js
        {SkipReason::Hidden, 2},   // src/.hidden.py, .tools/
        {SkipReason::Vendored, 2}, // node_modules/, web/vendor/
        {SkipReason::TooLarge, 1}, // src/large.py
        {SkipReason::Empty, 1},    // src/empty.py
        {SkipReason::Binary, 2},   // src/nul.py, src/controls.py
    };
    QCOMPARE(describe(stats.skipped), describe(skips));
    QCOMPARE(stats.filesPerLanguage, (QMap<QString, int>{{QStringLiteral("c"), 1},
                                                         {QStringLiteral("javascript"), 1},
                                                         {QStringLiteral("python"), 4}}));
    QVERIFY2(stats.warnings.isEmpty(), qPrintable(stats.warnings.join(QLatin1Char('\n'))));
}

void TestRepositoryScanner::includePatternsSelectFiles_data()
{
    filtering_data();
}

void TestRepositoryScanner::includePatternsSelectFiles()
{
    QFETCH(QString, mode);
    writeFiles(mode, {
                         {QStringLiteral("src/core/a.py"), appV1},
                         {QStringLiteral("src/b.cpp"), utilCpp},
                         {QStringLiteral("src/deep/c.cpp"), utilCpp},
                         {QStringLiteral("tests/test_a.py"), appV1},
                         {QStringLiteral("tools/d.py"), appV1},
                     });
    AnalyzerConfig analyzer;
    analyzer.includePatterns = {QStringLiteral("src/**/*.py"), QStringLiteral("src/*.cpp")};
    analyzer.excludePatterns = {QStringLiteral("tests/")};
    const auto scanned = RepositoryScanner(analyzer).scan(repoConfig());
    QVERIFY2(scanned.ok(), qPrintable(scanned.error()));
    QCOMPARE(pathsOf(scanned.value()),
             QStringList({QStringLiteral("src/b.cpp"), QStringLiteral("src/core/a.py")}));

    analyzer.includePatterns.clear();
    analyzer.excludePatterns = {QStringLiteral("src/deep/"), QStringLiteral("**/test_*.py")};
    const auto excluded = RepositoryScanner(analyzer).scan(repoConfig());
    QVERIFY2(excluded.ok(), qPrintable(excluded.error()));
    QCOMPARE(pathsOf(excluded.value()),
             QStringList({QStringLiteral("src/b.cpp"), QStringLiteral("src/core/a.py"),
                          QStringLiteral("tools/d.py")}));
}

void TestRepositoryScanner::repositoryGlobsAddToTheGlobalOnes_data()
{
    filtering_data();
}

void TestRepositoryScanner::repositoryGlobsAddToTheGlobalOnes()
{
    QFETCH(QString, mode);
    writeFiles(mode, {
                         {QStringLiteral("src/a.py"), appV1},
                         {QStringLiteral("src/gen/b.py"), appV1},
                         {QStringLiteral("src/c.cpp"), utilCpp},
                         {QStringLiteral("tools/d.go"), "package main\n"},
                         {QStringLiteral("tools/e.py"), appV1},
                         {QStringLiteral("scripts/f.py"), appV1},
                     });
    AnalyzerConfig analyzer;
    analyzer.includePatterns = {QStringLiteral("src/**")};
    analyzer.excludePatterns = {QStringLiteral("**/*.cpp")};
    RepoConfig repo = repoConfig();
    repo.includePatterns = {QStringLiteral("tools/*.go")};
    repo.excludePatterns = {QStringLiteral("src/gen/")};

    ScanStats stats;
    const auto files = RepositoryScanner(analyzer).scan(repo, &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("src/a.py"), QStringLiteral("tools/d.go")}));
    // src/gen/ once, src/c.cpp, tools/e.py and scripts/f.py (no include glob matches).
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Excluded, 4}}));

    // A repository's '!' glob takes back what a global one excluded.
    repo.excludePatterns = {QStringLiteral("!src/c.cpp")};
    const auto takenBack = RepositoryScanner(analyzer).scan(repo);
    QVERIFY2(takenBack.ok(), qPrintable(takenBack.error()));
    QCOMPARE(pathsOf(takenBack.value()),
             QStringList({QStringLiteral("src/a.py"), QStringLiteral("src/c.cpp"),
                          QStringLiteral("src/gen/b.py"), QStringLiteral("tools/d.go")}));

    // Other repositories are not affected.
    const auto other = RepositoryScanner(analyzer).scan(repoConfig());
    QVERIFY2(other.ok(), qPrintable(other.error()));
    QCOMPARE(pathsOf(other.value()),
             QStringList({QStringLiteral("src/a.py"), QStringLiteral("src/gen/b.py")}));
}

void TestRepositoryScanner::vendoredFolders_data()
{
    filtering_data();
}

void TestRepositoryScanner::vendoredFolders()
{
    QFETCH(QString, mode);
    writeFiles(mode, {
                         {QStringLiteral("app.py"), appV1},
                         {QStringLiteral("vendor/lib.py"), appV1},
                         {QStringLiteral("src/third_party/zlib.c"), utilCpp},
                         {QStringLiteral("web/node_modules/pkg/index.js"), "exports.x = 1;\n"},
                         {QStringLiteral("vendors/not_vendored.py"), appV1},
                     });
    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("app.py"), QStringLiteral("vendors/not_vendored.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Vendored, 3}}));

    AnalyzerConfig analyzer;
    analyzer.includeVendored = true;
    const auto all = RepositoryScanner(analyzer).scan(repoConfig());
    QVERIFY2(all.ok(), qPrintable(all.error()));
    QCOMPARE(
        pathsOf(all.value()),
        QStringList({QStringLiteral("app.py"), QStringLiteral("src/third_party/zlib.c"),
                     QStringLiteral("vendor/lib.py"), QStringLiteral("vendors/not_vendored.py"),
                     QStringLiteral("web/node_modules/pkg/index.js")}));

    // An include glob that names a vendored folder asks for it; the others stay out.
    analyzer.includeVendored = false;
    analyzer.includePatterns = {QStringLiteral("vendor/**"), QStringLiteral("src/**")};
    ScanStats named;
    const auto included = RepositoryScanner(analyzer).scan(repoConfig(), &named);
    QVERIFY2(included.ok(), qPrintable(included.error()));
    QCOMPARE(pathsOf(included.value()), QStringList({QStringLiteral("vendor/lib.py")}));
    QCOMPARE(named.skipped.value(SkipReason::Vendored), 2);
}

void TestRepositoryScanner::submodulesAreSkipped()
{
    GitTestRepo sub(m_repoPath + QStringLiteral("/libs/sub"));
    sub.writeFile(QStringLiteral("inner.py"), appV1);
    sub.commit(QStringLiteral("Submodule content"));
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("app.py"), appV1);
    // A folder holding a repository is staged as a gitlink, as `git add` does.
    repo.commit(QStringLiteral("Add a submodule"),
                {QStringLiteral("app.py"), QStringLiteral("libs/sub")});
    QCOMPARE(repo.treePaths(), QStringList({QStringLiteral("app.py")}));

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Submodule, 1}}));
}

void TestRepositoryScanner::nestedRepositoryOnDiskIsASubmodule()
{
    m_env->writeFile(QStringLiteral("work/project/app.py"), appV1);
    m_env->writeFile(QStringLiteral("work/project/libs/sub/inner.py"), appV1);
    m_env->writeFile(QStringLiteral("work/project/libs/sub/.git"), "gitdir: ../../.modules/sub\n");
    m_env->writeFile(QStringLiteral("work/project/libs/other/.git/HEAD"), "ref: refs/heads/main\n");
    m_env->writeFile(QStringLiteral("work/project/libs/other/x.py"), appV1);

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Submodule, 2}}));
}

void TestRepositoryScanner::plainFolderIsReadFromDisk()
{
    const QString path = m_env->writeFile(QStringLiteral("work/project/app.py"), appV1);
    m_env->writeFile(QStringLiteral("work/project/lib/util.cpp"), utilCpp);
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("app.py"), QStringLiteral("lib/util.cpp")}));
    const SourceFile &app = files->at(0);
    QCOMPARE(app.content, appV1);
    const QString sha = QString::fromLatin1(
        QCryptographicHash::hash(appV1, QCryptographicHash::Sha256).toHex().left(16));
    const qint64 mtime = QFileInfo(path).lastModified().toSecsSinceEpoch();
    QCOMPARE(app.contentId, QStringLiteral("%1-%2-%3").arg(appV1.size()).arg(mtime).arg(sha));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+-\\d+-[0-9a-f]{16}$"))
                .match(files->at(1).contentId)
                .hasMatch());

    // Edits on disk are seen at once, with a new content id.
    m_env->writeFile(QStringLiteral("work/project/app.py"), appV2);
    const auto edited = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(edited.ok(), qPrintable(edited.error()));
    QCOMPARE(edited->at(0).content, appV2);
    QVERIFY(edited->at(0).contentId != app.contentId);
    QVERIFY(edited->at(0).contentId.startsWith(QString::number(appV2.size()) + QLatin1Char('-')));
}

void TestRepositoryScanner::symbolicLinksAreNotFollowed()
{
    m_env->writeFile(QStringLiteral("work/project/app.py"), appV1);
    const QString outsideFile = m_env->writeFile(QStringLiteral("outside/secret.py"), appV2);
    m_env->writeFile(QStringLiteral("outside/pkg/mod.py"), appV2);
    QVERIFY(QFile::link(outsideFile, m_repoPath + QStringLiteral("/linked.py")));
    QVERIFY(QFile::link(m_env->path(QStringLiteral("outside/pkg")),
                        m_repoPath + QStringLiteral("/pkg")));
    // A link back to the root would loop forever if it were followed.
    QVERIFY(QFile::link(m_repoPath, m_repoPath + QStringLiteral("/loop")));

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Symlink, 3}}));

    // A link inside a folder that loops back to its parent ends as quickly.
    QVERIFY(QDir().mkpath(m_repoPath + QStringLiteral("/a/b")));
    QVERIFY(QFile::link(m_repoPath + QStringLiteral("/a"), m_repoPath + QStringLiteral("/a/b/up")));
    ScanStats again;
    const auto looped = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &again);
    QVERIFY2(looped.ok(), qPrintable(looped.error()));
    QCOMPARE(pathsOf(looped.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(again.skipped, (Skips{{SkipReason::Symlink, 4}}));
}

void TestRepositoryScanner::symbolicLinksInGitAreNotFollowed()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("app.py"), appV1);
    QVERIFY(QFile::link(QStringLiteral("app.py"), m_repoPath + QStringLiteral("/alias.py")));
    QVERIFY(QFile::link(QStringLiteral("."), m_repoPath + QStringLiteral("/loop")));
    repo.commit(QStringLiteral("Links"));
    QCOMPARE(repo.treePaths(), QStringList({QStringLiteral("alias.py"), QStringLiteral("app.py"),
                                            QStringLiteral("loop")}));

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Symlink, 2}}));
}

void TestRepositoryScanner::nonUtf8FilesAreSkipped_data()
{
    filtering_data();
}

void TestRepositoryScanner::nonUtf8FilesAreSkipped()
{
    QFETCH(QString, mode);
    writeFiles(mode, {
                         {QStringLiteral("latin1.py"), "# Gr\xf6\xdf"
                                                       "e in Latin-1\nx = 1\n"},
                         {QStringLiteral("overlong.py"), "# \xc0\xaf overlong slash\nx = 1\n"},
                         {QStringLiteral("surrogate.py"), "# \xed\xa0\x80 surrogate\nx = 1\n"},
                         {QStringLiteral("cut.py"), "x = 1 # cut short: \xe2\x98"},
                         {QStringLiteral("good.py"), "# Gr\xc3\xb6\xc3\x9f"
                                                     "e \xf0\x9f\x90\x9b\n"},
                     });
    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("good.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::NotUtf8, 4}}));
}

void TestRepositoryScanner::specialFilesAreUnreadable()
{
    m_env->writeFile(QStringLiteral("work/project/app.py"), appV1);
    // Reading a FIFO would block until a writer comes: it must never be opened.
    const QByteArray fifo = QFile::encodeName(m_repoPath + QStringLiteral("/pipe.py"));
    QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);

    ScanStats stats;
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig(), &stats);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Unreadable, 1}}));
    QCOMPARE(stats.warnings.size(), 1);
    QVERIFY2(stats.warnings.at(0).contains(QStringLiteral("pipe.py")),
             qPrintable(stats.warnings.at(0)));

    // A file that goes away between list() and read() is a warning too, not an error.
    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    const auto entries = snapshot->list();
    QVERIFY2(entries.ok(), qPrintable(entries.error()));
    QVERIFY(QFile::remove(m_repoPath + QStringLiteral("/app.py")));
    ScanStats readStats;
    const auto gone = snapshot->read(entries->at(0), &readStats);
    QVERIFY2(gone.ok(), qPrintable(gone.error()));
    QVERIFY(!gone.value().has_value());
    QCOMPARE(readStats.skipped, (Skips{{SkipReason::Unreadable, 1}}));
    QVERIFY2(readStats.warnings.value(0).contains(QStringLiteral("app.py")),
             qPrintable(readStats.warnings.value(0)));
}

void TestRepositoryScanner::headerLanguage()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("list.h"), "struct list;\nint list_size(struct list *l);\n");
    repo.commit(QStringLiteral("Header"));

    const auto languageWith = [this](const QString &headerLanguage) -> QString {
        AnalyzerConfig analyzer;
        analyzer.headerLanguage = headerLanguage;
        const auto files = RepositoryScanner(analyzer).scan(repoConfig());
        return files.ok() && files->size() == 1 ? files->at(0).language : QString();
    };
    QCOMPARE(languageWith(QStringLiteral("auto")), QStringLiteral("c"));
    QCOMPARE(languageWith(QStringLiteral("cpp")), QStringLiteral("cpp"));
    QCOMPARE(languageWith(QStringLiteral("c")), QStringLiteral("c"));

    // list() knows only the extension.
    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    const auto entries = snapshot->list();
    QVERIFY2(entries.ok(), qPrintable(entries.error()));
    QCOMPARE(entries->at(0).language, QStringLiteral("cpp"));
}

void TestRepositoryScanner::changesSince()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("a.py"), appV1);
    repo.writeFile(QStringLiteral("b.py"), appV1 + "# b\n");
    repo.writeFile(QStringLiteral("c.py"), appV1 + "# c\n");
    repo.writeFile(QStringLiteral("grows.py"), appV1);
    repo.writeFile(QStringLiteral("notes.md"), "# Notes\n");
    const QString first = repo.commit(QStringLiteral("Initial import"));

    repo.writeFile(QStringLiteral("a.py"), appV2);                // modified
    QVERIFY(QFile::remove(m_repoPath + QStringLiteral("/b.py"))); // deleted
    QVERIFY(QDir().mkpath(m_repoPath + QStringLiteral("/moved")));
    QVERIFY(QFile::rename(m_repoPath + QStringLiteral("/c.py"), // renamed
                          m_repoPath + QStringLiteral("/moved/c.py")));
    repo.writeFile(QStringLiteral("new.py"), utilCpp);      // added
    repo.writeFile(QStringLiteral("vendor/dep.py"), appV1); // added, vendored
    repo.writeFile(QStringLiteral("grows.py"), QByteArray(RepositoryScanner::maxFileSize + 1, 'x'));
    repo.writeFile(QStringLiteral("notes.md"), "# More notes\n"); // no language
    const QString second = repo.commit(QStringLiteral("Rework"));

    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    QCOMPARE(snapshot->headId(), second);
    ScanStats stats;
    const auto changes = snapshot->changesSince(first, &stats);
    QVERIFY2(changes.ok(), qPrintable(changes.error()));
    const QList<FileEntry> changed = {
        {QStringLiteral("a.py"), QStringLiteral("python"), gitBlobId(appV2), appV2.size(), 0},
        {QStringLiteral("moved/c.py"), QStringLiteral("python"), gitBlobId(appV1 + "# c\n"),
         appV1.size() + 4, 0},
        {QStringLiteral("new.py"), QStringLiteral("python"), gitBlobId(utilCpp), utilCpp.size(), 0},
    };
    QCOMPARE(changes->changed, changed);
    // grows.py is still there but now too large: gone for the index.
    QCOMPARE(changes->deleted, QStringList({QStringLiteral("b.py"), QStringLiteral("c.py"),
                                            QStringLiteral("grows.py")}));
    QCOMPARE(stats.skipped, (Skips{{SkipReason::Vendored, 1}, {SkipReason::TooLarge, 1}}));

    // The same commit: nothing changed.
    const auto none = snapshot->changesSince(second);
    QVERIFY2(none.ok(), qPrintable(none.error()));
    QVERIFY(none->changed.isEmpty());
    QVERIFY(none->deleted.isEmpty());

    // The listed files of HEAD agree with the old list plus the changes.
    const auto listed = snapshot->list();
    QVERIFY2(listed.ok(), qPrintable(listed.error()));
    QCOMPARE(pathsOf(listed.value()),
             QStringList(
                 {QStringLiteral("a.py"), QStringLiteral("moved/c.py"), QStringLiteral("new.py")}));
}

void TestRepositoryScanner::changesSinceAGitIgnoreChange()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("a.py"), appV1);
    repo.writeFile(QStringLiteral("gen/b.py"), appV1);
    repo.writeFile(QStringLiteral(".gitignore"), "gen/\n");
    const QString first = repo.commit(
        QStringLiteral("Initial import"),
        {QStringLiteral("a.py"), QStringLiteral("gen/b.py"), QStringLiteral(".gitignore")});
    // Unchanged files change sides: gen/b.py is taken back in, a.py is ignored now.
    repo.writeFile(QStringLiteral(".gitignore"), "a.py\n");
    repo.commit(QStringLiteral("Ignore differently"), {QStringLiteral(".gitignore")});

    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    const auto changes = snapshot->changesSince(first);
    QVERIFY2(changes.ok(), qPrintable(changes.error()));
    QCOMPARE(pathsOf(changes->changed), QStringList({QStringLiteral("gen/b.py")}));
    QCOMPARE(changes->deleted, QStringList({QStringLiteral("a.py")}));
}

void TestRepositoryScanner::changesSinceNeedsAKnownCommit()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("a.py"), appV1);
    repo.commit(QStringLiteral("Initial import"));
    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);

    const QString unknown(40, QLatin1Char('1'));
    const QStringList invalid = {unknown, gitBlobId(appV1), QStringLiteral("HEAD~1"), QString()};
    for (const QString &id : invalid) {
        const auto changes = snapshot->changesSince(id);
        QVERIFY2(!changes.ok(), qPrintable(id));
        QVERIFY2(changes.error().startsWith(m_repoPath + QStringLiteral(": '") + id +
                                            QStringLiteral("' is not a commit of the repository")),
                 qPrintable(changes.error()));
    }

    // A plain folder has no commits to compare.
    RepoConfig plain = repoConfig();
    plain.path = m_env->path(QStringLiteral("work/plain"));
    m_env->writeFile(QStringLiteral("work/plain/a.py"), appV1);
    const auto onDisk = openSnapshot(plain);
    QVERIFY(onDisk);
    const auto changes = onDisk->changesSince(repo.headId());
    QVERIFY(!changes.ok());
    QVERIFY2(changes.error().contains(QStringLiteral("not a git repository")),
             qPrintable(changes.error()));
}

void TestRepositoryScanner::rulesKey()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("a.py"), appV1);
    repo.commit(QStringLiteral("Initial import"));

    const auto keyOf = [this](const AnalyzerConfig &analyzer, const RepoConfig &config) {
        const auto snapshot = openSnapshot(config, analyzer);
        return snapshot ? snapshot->rulesKey() : QString();
    };
    const AnalyzerConfig analyzer;
    const QString base = keyOf(analyzer, repoConfig());
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(base).hasMatch());
    QCOMPARE(keyOf(analyzer, repoConfig()), base);

    // Not part of the rules: the repository's name, weight, and new commits.
    RepoConfig renamed = repoConfig();
    renamed.name = QStringLiteral("other");
    renamed.weight = 9;
    QCOMPARE(keyOf(analyzer, renamed), base);
    repo.writeFile(QStringLiteral("b.py"), appV2);
    repo.commit(QStringLiteral("More"));
    QCOMPARE(keyOf(analyzer, repoConfig()), base);

    QSet<QString> keys = {base};
    const auto expectNew = [&keys](const QString &key) {
        QVERIFY2(!key.isEmpty() && !keys.contains(key), qPrintable(key));
        keys.insert(key);
    };
    AnalyzerConfig changed = analyzer;
    changed.includePatterns = {QStringLiteral("**/*.py")};
    expectNew(keyOf(changed, repoConfig()));
    changed = analyzer;
    changed.excludePatterns << QStringLiteral("tests/");
    expectNew(keyOf(changed, repoConfig()));
    changed = analyzer;
    changed.includeVendored = true;
    expectNew(keyOf(changed, repoConfig()));
    changed = analyzer;
    changed.headerLanguage = QStringLiteral("cpp");
    expectNew(keyOf(changed, repoConfig()));
    RepoConfig withGlobs = repoConfig();
    withGlobs.excludePatterns = {QStringLiteral("docs/")};
    expectNew(keyOf(analyzer, withGlobs));
    withGlobs = repoConfig();
    withGlobs.includePatterns = {QStringLiteral("src/**")};
    expectNew(keyOf(analyzer, withGlobs));
    // A glob moved between the lists is another rule.
    withGlobs = repoConfig();
    withGlobs.includePatterns = {QStringLiteral("docs/")};
    expectNew(keyOf(analyzer, withGlobs));

    // A repository glob adds to the global ones: the same globs either way are the same rules.
    AnalyzerConfig globalGlob = analyzer;
    globalGlob.includePatterns = {QStringLiteral("src/**")};
    withGlobs = repoConfig();
    withGlobs.includePatterns = {QStringLiteral("src/**")};
    QCOMPARE(keyOf(globalGlob, repoConfig()), keyOf(analyzer, withGlobs));
}

void TestRepositoryScanner::subfolderOfARepositoryIsReadFromDisk()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("service/app.py"), appV1);
    repo.commit(QStringLiteral("Initial import"));
    repo.writeFile(QStringLiteral("service/app.py"), appV2);

    // The configured path is taken as given: only a repository root is read at HEAD.
    RepoConfig config = repoConfig();
    config.path = m_repoPath + QStringLiteral("/service");
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(config);
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
    QCOMPARE(files->at(0).content, appV2);
}

void TestRepositoryScanner::unbornRepositoryListsNothing()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("app.py"), appV1);
    QVERIFY(repo.headId().isEmpty());

    const auto snapshot = openSnapshot(repoConfig());
    QVERIFY(snapshot);
    QVERIFY(snapshot->isGit());
    QCOMPARE(snapshot->headId(), QString());
    ScanStats stats;
    const auto entries = snapshot->list(&stats);
    QVERIFY2(entries.ok(), qPrintable(entries.error()));
    QVERIFY(entries->isEmpty());
    QCOMPARE(stats.warnings,
             QStringList({m_repoPath + QStringLiteral(": git repository has no commits yet")}));

    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QVERIFY(files->isEmpty());

    repo.commit(QStringLiteral("First"));
    const auto born = openSnapshot(repoConfig());
    QVERIFY(born);
    QCOMPARE(born->headId(), repo.headId());
    const auto bornEntries = born->list();
    QVERIFY2(bornEntries.ok(), qPrintable(bornEntries.error()));
    QCOMPARE(pathsOf(bornEntries.value()), QStringList({QStringLiteral("app.py")}));
}

void TestRepositoryScanner::missingPathIsAnError()
{
    RepoConfig config = repoConfig();
    config.path = m_env->path(QStringLiteral("does/not/exist"));
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(config);
    QVERIFY(!files.ok());
    QVERIFY2(files.error().startsWith(config.path + QStringLiteral(": ")),
             qPrintable(files.error()));
    QVERIFY2(files.error().contains(QStringLiteral("does not exist")), qPrintable(files.error()));
}

void TestRepositoryScanner::fileInsteadOfFolderIsAnError()
{
    RepoConfig config = repoConfig();
    config.path = m_env->writeFile(QStringLiteral("work/notes.py"), appV1);
    const auto files = RepositoryScanner(AnalyzerConfig()).scan(config);
    QVERIFY(!files.ok());
    QVERIFY2(files.error().startsWith(config.path + QStringLiteral(": ")),
             qPrintable(files.error()));
    QVERIFY2(files.error().contains(QStringLiteral("not a folder")), qPrintable(files.error()));
}

void TestRepositoryScanner::skipReasonNames()
{
    // Stable names: the command line and JSON output use them.
    const QStringList names = {
        skipReasonName(SkipReason::Ignored),    skipReasonName(SkipReason::Excluded),
        skipReasonName(SkipReason::Hidden),     skipReasonName(SkipReason::Vendored),
        skipReasonName(SkipReason::Submodule),  skipReasonName(SkipReason::Symlink),
        skipReasonName(SkipReason::TooLarge),   skipReasonName(SkipReason::Empty),
        skipReasonName(SkipReason::Binary),     skipReasonName(SkipReason::NotUtf8),
        skipReasonName(SkipReason::Unreadable),
    };
    QCOMPARE(names.join(QLatin1Char(' ')),
             QStringLiteral("ignored excluded hidden vendored submodule symlink too_large empty "
                            "binary not_utf8 unreadable"));
}

void TestRepositoryScanner::looksBinary()
{
    QVERIFY(!RepositoryScanner::looksBinary(QByteArray()));
    QVERIFY(!RepositoryScanner::looksBinary(appV1));
    QVERIFY(!RepositoryScanner::looksBinary("col1\tcol2\r\nvalue\tvalue\r\n"));
    QVERIFY(!RepositoryScanner::looksBinary(QStringLiteral("面积面积面积面积").toUtf8()));
    QVERIFY(RepositoryScanner::looksBinary(QByteArray("text\0more", 9)));

    // 70% printable is the threshold: 7 of 10 passes, 6 of 10 does not.
    QVERIFY(!RepositoryScanner::looksBinary(QByteArray("aaaaaaa\x01\x02\x03")));
    QVERIFY(RepositoryScanner::looksBinary(QByteArray("aaaaaa\x01\x02\x03\x04")));

    // Only the first 8 KiB are probed.
    QByteArray lateNul(8 * 1024, 'a');
    lateNul += QByteArray(1, '\0');
    QVERIFY(!RepositoryScanner::looksBinary(lateNul));
    QByteArray earlyNul = lateNul;
    earlyNul[8 * 1024 - 1] = '\0';
    QVERIFY(RepositoryScanner::looksBinary(earlyNul));
}

QTEST_GUILESS_MAIN(TestRepositoryScanner)
#include "TestRepositoryScanner.moc"
