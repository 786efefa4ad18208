#include "analysis/RepositoryScanner.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

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

QStringList pathsOf(const QList<SourceFile> &files)
{
    QStringList paths;
    for (const SourceFile &file : files) {
        paths << file.path;
    }
    return paths;
}

} // namespace

class TestRepositoryScanner : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void gitRepositoryIsReadAtHead();
    void gitIgnoreFromHeadApplies();
    void filtering_data();
    void filtering();
    void includePatternsSelectFiles_data();
    void includePatternsSelectFiles();
    void plainFolderIsReadFromDisk();
    void symbolicLinksAreNotFollowed();
    void subfolderOfARepositoryIsReadFromDisk();
    void unbornRepositoryIsAnError();
    void missingPathIsAnError();
    void fileInsteadOfFolderIsAnError();
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

void TestRepositoryScanner::gitIgnoreFromHeadApplies()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("src/a.py"), appV1);
    repo.writeFile(QStringLiteral("src/b.py"), appV1);
    repo.writeFile(QStringLiteral("generated/model.py"), appV1);
    repo.commit(QStringLiteral("Initial import"));
    // Files stay tracked when a later .gitignore matches them; the scanner still skips them.
    repo.writeFile(QStringLiteral(".gitignore"), "generated/\n");
    repo.commit(QStringLiteral("Ignore generated code"));
    // An uncommitted .gitignore is not part of HEAD and has no effect.
    repo.writeFile(QStringLiteral("src/.gitignore"), "a.py\n");

    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()),
             QStringList({QStringLiteral("src/a.py"), QStringLiteral("src/b.py")}));

    repo.commit(QStringLiteral("Ignore a.py"));
    const auto after = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(after.ok(), qPrintable(after.error()));
    QCOMPARE(pathsOf(after.value()), QStringList({QStringLiteral("src/b.py")}));
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

    const auto scanned = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
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
    QCOMPARE(scanned->at(0).language, QStringLiteral("cpp"));
    QCOMPARE(scanned->at(5).language, QStringLiteral("javascript"));
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

    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY2(files.ok(), qPrintable(files.error()));
    QCOMPARE(pathsOf(files.value()), QStringList({QStringLiteral("app.py")}));
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

void TestRepositoryScanner::unbornRepositoryIsAnError()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("app.py"), appV1);
    QVERIFY(repo.headId().isEmpty());

    const auto files = RepositoryScanner(AnalyzerConfig()).scan(repoConfig());
    QVERIFY(!files.ok());
    QCOMPARE(files.error(), m_repoPath + QStringLiteral(": git repository has no commits yet"));
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
