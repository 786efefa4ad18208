#include "devlog/DevLogRepository.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <git2.h>

#include <memory>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::TestEnvironment;

namespace {

struct RepositoryDeleter
{
    void operator()(git_repository *p) const { git_repository_free(p); }
    void operator()(git_index *p) const { git_index_free(p); }
};

// libgit2 reads HOME when it starts; point its configuration search paths at this test's
// HOME and XDG folders, and keep the machine's /etc/gitconfig out.
void useEnvironmentGitConfig(const TestEnvironment &env)
{
    QVERIFY(QDir().mkpath(env.path(QStringLiteral("etc"))));
    const QByteArray system = QFile::encodeName(env.path(QStringLiteral("etc")));
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, nullptr), 0);
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, nullptr), 0);
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, system.constData()),
             0);
}

QStringList layoutKeepFiles()
{
    QStringList files;
    for (const QString &folder : DevLogRepository::layoutFolders()) {
        files << folder + QStringLiteral("/.gitkeep");
    }
    files.sort();
    return files;
}

QByteArray headFile(const QString &repoPath)
{
    return codeworm::test::readFile(repoPath + QStringLiteral("/.git/HEAD")).trimmed();
}

void writePlainFile(const QString &path, const QByteArray &content)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(content), content.size());
}

void setAge(const QString &path, int seconds)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadWrite), qPrintable(path));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-seconds),
                             QFileDevice::FileModificationTime));
}

} // namespace

class TestDevLogRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void initCreatesLayoutAndFirstCommit();
    void initUsesConfiguredBranch();
    void emptyFolderIsTakenOver();
    void reopeningKeepsHistory();
    void nonGitFolderWithFilesIsRefused();
    void writeFileCreatesFoldersAndReplacesContent();
    void pathsEscapingTheRepositoryAreRejected();
    void commitContainsOnlyTheGivenFile();
    void otherChangesStayUncommittedAndUnchanged();
    void staleIndexLockIsRemoved();
    void freshIndexLockIsRefused();
    void detachedHeadIsReattached();
    void detachedHeadBehindBranchIsRefused();
    void identityFallsBackToCodeWorm();
    void identityComesFromGitConfig();
    void identityComesFromConfig();
};

void TestDevLogRepository::initTestCase()
{
    QVERIFY(git_libgit2_init() > 0);
}

void TestDevLogRepository::cleanupTestCase()
{
    git_libgit2_shutdown();
}

void TestDevLogRepository::initCreatesLayoutAndFirstCommit()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("journal/devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    const Status opened = devlog.openOrInit();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));

    for (const QString &folder : DevLogRepository::layoutFolders()) {
        QVERIFY2(QFileInfo(path + QLatin1Char('/') + folder).isDir(), qPrintable(folder));
        QVERIFY(QFileInfo::exists(path + QLatin1Char('/') + folder + QStringLiteral("/.gitkeep")));
    }
    QCOMPARE(headFile(path), QByteArray("ref: refs/heads/main"));

    GitTestRepo repo(path);
    QCOMPARE(repo.commitCount(), 1);
    const GitTestRepo::CommitInfo first = repo.headCommit();
    QCOMPARE(first.message.trimmed(), QStringLiteral("Initialize DevLog"));
    QVERIFY(first.parentIds.isEmpty());
    QStringList changed = first.changedPaths;
    changed.sort();
    QCOMPARE(changed, layoutKeepFiles());
    QCOMPARE(repo.treePaths(), layoutKeepFiles());
    QCOMPARE(first.authorName, QStringLiteral("CodeWorm"));
    QCOMPARE(first.authorEmail, QStringLiteral("codeworm@localhost"));
    QVERIFY(!repo.isDirty());
}

void TestDevLogRepository::initUsesConfiguredBranch()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    DevLogConfig config;
    config.branch = QStringLiteral("journal");
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(config, path);
    const Status opened = devlog.openOrInit();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QCOMPARE(headFile(path), QByteArray("ref: refs/heads/journal"));
    QVERIFY(QFileInfo::exists(path + QStringLiteral("/.git/refs/heads/journal")));

    config.branch = QStringLiteral("bad..name");
    DevLogRepository invalid(config, env.path(QStringLiteral("other")));
    const Status refused = invalid.openOrInit();
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("bad..name")), qPrintable(refused.error()));
}

void TestDevLogRepository::emptyFolderIsTakenOver()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(path));
    DevLogRepository devlog(DevLogConfig{}, path);
    const Status opened = devlog.openOrInit();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QCOMPARE(GitTestRepo(path).commitCount(), 1);
}

void TestDevLogRepository::reopeningKeepsHistory()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    QString firstHead;
    {
        DevLogRepository devlog(DevLogConfig{}, path);
        QVERIFY(devlog.openOrInit().ok());
        firstHead = GitTestRepo(path).headId();
    }
    DevLogRepository again(DevLogConfig{}, path);
    const Status reopened = again.openOrInit();
    QVERIFY2(reopened.ok(), qPrintable(reopened.error()));
    GitTestRepo repo(path);
    QCOMPARE(repo.headId(), firstHead);
    QCOMPARE(repo.commitCount(), 1);
}

void TestDevLogRepository::nonGitFolderWithFilesIsRefused()
{
    TestEnvironment env;
    const QString path = env.path(QStringLiteral("someone-elses"));
    env.writeFile(QStringLiteral("someone-elses/thesis.tex"), "\\documentclass{article}\n");
    DevLogRepository devlog(DevLogConfig{}, path);
    const Status opened = devlog.openOrInit();
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().contains(path), qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(QStringLiteral("not a git repository")),
             qPrintable(opened.error()));
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("/.git")));
    QCOMPARE(QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("thesis.tex")});

    const Result<QString> commit =
        devlog.commitFiles({QStringLiteral("thesis.tex")}, QStringLiteral("x"));
    QVERIFY(!commit.ok());
    QVERIFY2(commit.error().contains(QStringLiteral("openOrInit")), qPrintable(commit.error()));
}

void TestDevLogRepository::writeFileCreatesFoldersAndReplacesContent()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    const QString relative = QStringLiteral("snippets/rust/2026-02-19_parse.md");
    QVERIFY(devlog.writeFile(relative, "first\n").ok());
    QCOMPARE(codeworm::test::readFile(path + QLatin1Char('/') + relative), QByteArray("first\n"));
    const Status rewritten = devlog.writeFile(relative, "second\n");
    QVERIFY2(rewritten.ok(), qPrintable(rewritten.error()));
    QCOMPARE(codeworm::test::readFile(path + QLatin1Char('/') + relative), QByteArray("second\n"));
    // No temporary file is left next to the document.
    QCOMPARE(QDir(path + QStringLiteral("/snippets/rust"))
                 .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("2026-02-19_parse.md")});

    // A folder in the way makes a clear error naming the path.
    QVERIFY(QDir().mkpath(path + QStringLiteral("/til/blocked.md")));
    const Status blocked = devlog.writeFile(QStringLiteral("til/blocked.md"), "x");
    QVERIFY(!blocked.ok());
    QVERIFY2(blocked.error().contains(path + QStringLiteral("/til/blocked.md")),
             qPrintable(blocked.error()));
}

void TestDevLogRepository::pathsEscapingTheRepositoryAreRejected()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    const QStringList bad = {
        QStringLiteral("../outside.md"),
        QStringLiteral("snippets/../../outside.md"),
        env.path(QStringLiteral("absolute.md")),
        QStringLiteral(".git/config"),
        QString(),
    };
    for (const QString &relative : bad) {
        const Status written = devlog.writeFile(relative, "escaped\n");
        QVERIFY2(!written.ok(), qPrintable(relative));
        QVERIFY2(!written.error().isEmpty(), qPrintable(relative));
        const Result<QString> committed = devlog.commitFiles({relative}, QStringLiteral("x"));
        QVERIFY2(!committed.ok(), qPrintable(relative));
    }
    QVERIFY(!QFileInfo::exists(env.path(QStringLiteral("outside.md"))));
    QVERIFY(!QFileInfo::exists(env.path(QStringLiteral("absolute.md"))));
    QVERIFY(!codeworm::test::readFile(path + QStringLiteral("/.git/config")).contains("escaped"));
    const Status outside = devlog.writeFile(QStringLiteral("../outside.md"), "x");
    QVERIFY2(outside.error().contains(QStringLiteral("../outside.md")),
             qPrintable(outside.error()));
    QCOMPARE(GitTestRepo(path).commitCount(), 1);
}

void TestDevLogRepository::commitContainsOnlyTheGivenFile()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());
    const QString before = GitTestRepo(path).headId();

    const QString relative = QStringLiteral("snippets/python/2026-02-19_parser-parse.md");
    QVERIFY(devlog.writeFile(relative, "# Parser.parse\n").ok());
    const QString message =
        QStringLiteral("Document Parser.parse\n\nCodeWorm-Type: function_doc\n");
    const Result<QString> commit = devlog.commitFiles({relative}, message);
    QVERIFY2(commit.ok(), qPrintable(commit.error()));

    GitTestRepo repo(path);
    QCOMPARE(repo.headId(), commit.value());
    const GitTestRepo::CommitInfo info = repo.commitInfo(commit.value());
    QCOMPARE(info.message, message);
    QCOMPARE(info.parentIds, QStringList{before});
    QCOMPARE(info.changedPaths, QStringList{relative});
    QCOMPARE(repo.fileAt(relative), QByteArray("# Parser.parse\n"));
    QVERIFY(!repo.isDirty());

    // The same content again is nothing to commit.
    const Result<QString> again = devlog.commitFiles({relative}, message);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(relative), qPrintable(again.error()));
    QCOMPARE(repo.commitCount(), 2);

    const Result<QString> missing = devlog.commitFiles({QStringLiteral("til/none.md")}, message);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("til/none.md")), qPrintable(missing.error()));
}

void TestDevLogRepository::otherChangesStayUncommittedAndUnchanged()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    // An untracked file, an unstaged edit of a tracked file, and a staged new file.
    writePlainFile(path + QStringLiteral("/notes.txt"), "my notes\n");
    writePlainFile(path + QStringLiteral("/stats/.gitkeep"), "local edit\n");
    writePlainFile(path + QStringLiteral("/staged.txt"), "staged by hand\n");
    {
        git_repository *rawRepo = nullptr;
        QCOMPARE(git_repository_open(&rawRepo, QFile::encodeName(path).constData()), 0);
        const std::unique_ptr<git_repository, RepositoryDeleter> repo(rawRepo);
        git_index *rawIndex = nullptr;
        QCOMPARE(git_repository_index(&rawIndex, repo.get()), 0);
        const std::unique_ptr<git_index, RepositoryDeleter> index(rawIndex);
        QCOMPARE(git_index_add_bypath(index.get(), "staged.txt"), 0);
        QCOMPARE(git_index_write(index.get()), 0);
    }

    const QString relative = QStringLiteral("til/2026-02-19_til.md");
    QVERIFY(devlog.writeFile(relative, "TIL: something\n").ok());
    const Result<QString> commit = devlog.commitFiles({relative}, QStringLiteral("TIL"));
    QVERIFY2(commit.ok(), qPrintable(commit.error()));

    GitTestRepo repo(path);
    QCOMPARE(repo.commitInfo(commit.value()).changedPaths, QStringList{relative});
    QStringList expectedTree = layoutKeepFiles();
    expectedTree << relative;
    expectedTree.sort();
    QCOMPARE(repo.treePaths(), expectedTree);
    QCOMPARE(repo.fileAt(QStringLiteral("stats/.gitkeep")), QByteArray());

    QCOMPARE(codeworm::test::readFile(path + QStringLiteral("/notes.txt")),
             QByteArray("my notes\n"));
    QCOMPARE(codeworm::test::readFile(path + QStringLiteral("/stats/.gitkeep")),
             QByteArray("local edit\n"));
    QVERIFY(repo.isDirty());

    // The hand-staged file is still staged (in the index, not in the commit).
    git_repository *rawRepo = nullptr;
    QCOMPARE(git_repository_open(&rawRepo, QFile::encodeName(path).constData()), 0);
    const std::unique_ptr<git_repository, RepositoryDeleter> gitRepo(rawRepo);
    git_index *rawIndex = nullptr;
    QCOMPARE(git_repository_index(&rawIndex, gitRepo.get()), 0);
    const std::unique_ptr<git_index, RepositoryDeleter> index(rawIndex);
    QVERIFY(git_index_get_bypath(index.get(), "staged.txt", 0) != nullptr);
    QVERIFY(git_index_get_bypath(index.get(), relative.toUtf8().constData(), 0) != nullptr);
    QVERIFY(git_index_get_bypath(index.get(), "notes.txt", 0) == nullptr);
}

void TestDevLogRepository::staleIndexLockIsRemoved()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    const QString lock = path + QStringLiteral("/.git/index.lock");
    writePlainFile(lock, QByteArray());
    setAge(lock, 120);
    QVERIFY(devlog.writeFile(QStringLiteral("til/a.md"), "a\n").ok());
    const Result<QString> commit =
        devlog.commitFiles({QStringLiteral("til/a.md")}, QStringLiteral("a"));
    QVERIFY2(commit.ok(), qPrintable(commit.error()));
    QVERIFY(!QFileInfo::exists(lock));
    QCOMPARE(GitTestRepo(path).headId(), commit.value());
}

void TestDevLogRepository::freshIndexLockIsRefused()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    const QString lock = path + QStringLiteral("/.git/index.lock");
    writePlainFile(lock, QByteArray());
    setAge(lock, 5);
    QVERIFY(devlog.writeFile(QStringLiteral("til/a.md"), "a\n").ok());
    const Result<QString> commit =
        devlog.commitFiles({QStringLiteral("til/a.md")}, QStringLiteral("a"));
    QVERIFY(!commit.ok());
    QVERIFY2(commit.error().contains(lock), qPrintable(commit.error()));
    QVERIFY(QFileInfo::exists(lock));
    QCOMPARE(GitTestRepo(path).commitCount(), 1);
}

void TestDevLogRepository::detachedHeadIsReattached()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());

    // Someone checked out the tip detached and committed on it.
    QString manual;
    {
        git_repository *rawRepo = nullptr;
        QCOMPARE(git_repository_open(&rawRepo, QFile::encodeName(path).constData()), 0);
        const std::unique_ptr<git_repository, RepositoryDeleter> repo(rawRepo);
        QCOMPARE(git_repository_detach_head(repo.get()), 0);
        QCOMPARE(git_repository_head_detached(repo.get()), 1);
        GitTestRepo testRepo(path);
        testRepo.writeFile(QStringLiteral("manual.md"), "by hand\n");
        manual = testRepo.commit(QStringLiteral("Manual entry"), {QStringLiteral("manual.md")});
        QCOMPARE(git_repository_head_detached(repo.get()), 1);
    }
    QVERIFY(!headFile(path).startsWith("ref:"));

    QVERIFY(devlog.writeFile(QStringLiteral("til/b.md"), "b\n").ok());
    const Result<QString> commit =
        devlog.commitFiles({QStringLiteral("til/b.md")}, QStringLiteral("b"));
    QVERIFY2(commit.ok(), qPrintable(commit.error()));
    QCOMPARE(headFile(path), QByteArray("ref: refs/heads/main"));
    GitTestRepo repo(path);
    QCOMPARE(repo.headId(), commit.value());
    QCOMPARE(repo.commitInfo(commit.value()).parentIds, QStringList{manual});
    QCOMPARE(repo.commitCount(), 3);
    QCOMPARE(repo.fileAt(QStringLiteral("manual.md")), QByteArray("by hand\n"));
}

void TestDevLogRepository::detachedHeadBehindBranchIsRefused()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());
    const QString first = GitTestRepo(path).headId();
    QVERIFY(devlog.writeFile(QStringLiteral("til/a.md"), "a\n").ok());
    const Result<QString> second =
        devlog.commitFiles({QStringLiteral("til/a.md")}, QStringLiteral("a"));
    QVERIFY(second.ok());

    // HEAD detached at an older commit: moving the branch there would drop a commit.
    {
        git_repository *rawRepo = nullptr;
        QCOMPARE(git_repository_open(&rawRepo, QFile::encodeName(path).constData()), 0);
        const std::unique_ptr<git_repository, RepositoryDeleter> repo(rawRepo);
        git_oid oid;
        QCOMPARE(git_oid_fromstr(&oid, first.toLatin1().constData()), 0);
        QCOMPARE(git_repository_set_head_detached(repo.get(), &oid), 0);
    }
    QVERIFY(devlog.writeFile(QStringLiteral("til/b.md"), "b\n").ok());
    const Result<QString> refused =
        devlog.commitFiles({QStringLiteral("til/b.md")}, QStringLiteral("b"));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("detached")), qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(path), qPrintable(refused.error()));
    QCOMPARE(codeworm::test::readFile(path + QStringLiteral("/.git/refs/heads/main")).trimmed(),
             second.value().toLatin1());
    QCOMPARE(headFile(path), first.toLatin1());
}

void TestDevLogRepository::identityFallsBackToCodeWorm()
{
    TestEnvironment env;
    useEnvironmentGitConfig(env);
    DevLogRepository unopened(DevLogConfig{}, env.path(QStringLiteral("devlog")));
    const CommitIdentity before = unopened.identity();
    QCOMPARE(before.name, QStringLiteral("CodeWorm"));
    QCOMPARE(before.email, QStringLiteral("codeworm@localhost"));
    QCOMPARE(before.source, QStringLiteral("fallback"));
}

void TestDevLogRepository::identityComesFromGitConfig()
{
    TestEnvironment env;
    env.writeFile(QStringLiteral("home/.gitconfig"),
                  "[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n");
    useEnvironmentGitConfig(env);

    DevLogRepository unopened(DevLogConfig{}, env.path(QStringLiteral("devlog")));
    const CommitIdentity identity = unopened.identity();
    QCOMPARE(identity.name, QStringLiteral("Ada Lovelace"));
    QCOMPARE(identity.email, QStringLiteral("ada@example.com"));
    QCOMPARE(identity.source, QStringLiteral("git config"));

    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(DevLogConfig{}, path);
    QVERIFY(devlog.openOrInit().ok());
    QCOMPARE(devlog.identity().source, QStringLiteral("git config"));
    const GitTestRepo::CommitInfo first = GitTestRepo(path).headCommit();
    QCOMPARE(first.authorName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(first.authorEmail, QStringLiteral("ada@example.com"));
}

void TestDevLogRepository::identityComesFromConfig()
{
    TestEnvironment env;
    env.writeFile(QStringLiteral("home/.gitconfig"),
                  "[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n");
    useEnvironmentGitConfig(env);
    DevLogConfig config;
    config.authorName = QStringLiteral("Journal Bot");
    config.authorEmail = QStringLiteral("bot@example.org");
    const QString path = env.path(QStringLiteral("devlog"));
    DevLogRepository devlog(config, path);
    const CommitIdentity identity = devlog.identity();
    QCOMPARE(identity.name, QStringLiteral("Journal Bot"));
    QCOMPARE(identity.email, QStringLiteral("bot@example.org"));
    QCOMPARE(identity.source, QStringLiteral("config"));
    QVERIFY(devlog.openOrInit().ok());
    QCOMPARE(GitTestRepo(path).headCommit().authorName, QStringLiteral("Journal Bot"));

    // Only a name configured: the email still comes from git config.
    config.authorEmail.clear();
    const CommitIdentity mixed = DevLogRepository(config, path).identity();
    QCOMPARE(mixed.name, QStringLiteral("Journal Bot"));
    QCOMPARE(mixed.email, QStringLiteral("ada@example.com"));
    QCOMPARE(mixed.source, QStringLiteral("config"));
}

QTEST_GUILESS_MAIN(TestDevLogRepository)
#include "TestDevLogRepository.moc"
