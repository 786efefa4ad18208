#include "analysis/GitHistory.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include "common/GitHandles.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::TestEnvironment;

namespace {

const QDateTime now = QDateTime(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);

QDateTime daysAgo(int days)
{
    return now.addDays(-days);
}

// Writes commits with chosen trees, parents, authors and dates straight into a repository
// (no working tree involved), so that the history is exactly what a test describes.
class HistoryWriter
{
public:
    explicit HistoryWriter(const QString &path)
        : m_path(path)
    {
        GitTestRepo init(path); // git init, branch "main"
        git_repository *repository = nullptr;
        QVERIFY(git_repository_open(&repository, QFile::encodeName(path).constData()) == 0);
        m_repository.reset(repository);
    }

    // files: the whole tree of the commit. updateHead: move HEAD's branch to the commit (the
    // first parent must then be its current tip).
    QString commit(const QMap<QString, QByteArray> &files, const QStringList &parentIds,
                   const QDateTime &when, const QString &email, bool updateHead = true)
    {
        // The repository's index, emptied and filled in memory only (never written back):
        // libgit2 writes blobs only through an index that belongs to a repository.
        git_index *rawIndex = nullptr;
        if (git_repository_index(&rawIndex, m_repository.get()) != 0 ||
            git_index_clear(rawIndex) != 0) {
            git_index_free(rawIndex);
            return fail("opening the index");
        }
        const git::Ptr<git_index> index(rawIndex);
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QByteArray path = it.key().toUtf8();
            git_index_entry entry = {};
            entry.mode = GIT_FILEMODE_BLOB;
            entry.path = path.constData();
            if (git_index_add_from_buffer(index.get(), &entry, it.value().constData(),
                                          size_t(it.value().size())) != 0) {
                return fail("adding a file");
            }
        }
        git_oid treeId;
        if (git_index_write_tree_to(&treeId, index.get(), m_repository.get()) != 0) {
            return fail("writing a tree");
        }
        git_tree *rawTree = nullptr;
        if (git_tree_lookup(&rawTree, m_repository.get(), &treeId) != 0) {
            return fail("reading the tree");
        }
        const git::Ptr<git_tree> tree(rawTree);
        std::vector<git::Ptr<git_commit>> parents;
        std::vector<const git_commit *> parentPointers;
        for (const QString &id : parentIds) {
            git_oid oid;
            git_commit *parent = nullptr;
            if (git_oid_fromstr(&oid, id.toLatin1().constData()) != 0 ||
                git_commit_lookup(&parent, m_repository.get(), &oid) != 0) {
                return fail("reading a parent");
            }
            parents.emplace_back(parent);
            parentPointers.push_back(parent);
        }
        git_signature *rawSignature = nullptr;
        const QByteArray mail = email.toUtf8();
        if (git_signature_new(&rawSignature, "Dev", mail.constData(), when.toSecsSinceEpoch(), 0) !=
            0) {
            return fail("creating a signature");
        }
        const git::Ptr<git_signature> signature(rawSignature);
        git_oid commitId;
        if (git_commit_create(&commitId, m_repository.get(), updateHead ? "HEAD" : nullptr,
                              signature.get(), signature.get(), nullptr, "change", tree.get(),
                              parentPointers.size(), parentPointers.data()) != 0) {
            return fail("committing");
        }
        return git::oidHex(&commitId);
    }

private:
    QString fail(const char *what) const
    {
        qWarning("%s in %s: %s", what, qPrintable(m_path), qPrintable(git::lastError()));
        return {};
    }

    QString m_path;
    git::Ptr<git_repository> m_repository;
};

FileHistory fileHistory(int commits30, int commits90, const QDateTime &lastModified, int authors)
{
    FileHistory history;
    history.commits30 = commits30;
    history.commits90 = commits90;
    history.lastModified = lastModified;
    history.authors = authors;
    return history;
}

// "30:1 90:2 last:2024-05-12T12:00:00Z authors:2": readable in a failed comparison.
QString describe(const FileHistory &h)
{
    return QStringLiteral("30:%1 90:%2 last:%3 authors:%4")
        .arg(h.commits30)
        .arg(h.commits90)
        .arg(h.lastModified.toString(Qt::ISODate))
        .arg(h.authors);
}

} // namespace

class TestGitHistory : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void countsCommitsPerPath();
    void shorterWindow();
    void rootCommitInsideTheWindow();
    void mergesCountAgainstTheirFirstParent();
    void notARepositoryIsEmpty();
    void unbornHeadIsEmpty();
    void shallowCloneGivesPartialStats();

private:
    // The history of countsCommitsPerPath; returns the commit ids, oldest first.
    QStringList writeLinearHistory();

    std::unique_ptr<TestEnvironment> m_env;
    QString m_repoPath;
};

void TestGitHistory::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_repoPath = m_env->path(QStringLiteral("work/project"));
}

void TestGitHistory::cleanup()
{
    m_env.reset();
}

QStringList TestGitHistory::writeLinearHistory()
{
    HistoryWriter writer(m_repoPath);
    QStringList ids;
    ids << writer.commit({{QStringLiteral("a.py"), "a1"}, {QStringLiteral("b.py"), "b1"}}, {},
                         daysAgo(100), QStringLiteral("alice@example.com"));
    ids << writer.commit({{QStringLiteral("a.py"), "a2"}, {QStringLiteral("b.py"), "b1"}},
                         {ids.last()}, daysAgo(60), QStringLiteral("bob@example.com"));
    // The same author with another spelling of the address.
    ids << writer.commit({{QStringLiteral("a.py"), "a3"},
                          {QStringLiteral("b.py"), "b1"},
                          {QStringLiteral("src/c.py"), "c1"}},
                         {ids.last()}, daysAgo(20), QStringLiteral("Alice@Example.COM"));
    ids << writer.commit({{QStringLiteral("a.py"), "a3"}, {QStringLiteral("src/c.py"), "c2"}},
                         {ids.last()}, daysAgo(1), QStringLiteral("carol@example.com"));
    return ids;
}

void TestGitHistory::countsCommitsPerPath()
{
    const QStringList ids = writeLinearHistory();
    QCOMPARE(ids.size(), 4);
    QVERIFY(!ids.contains(QString()));

    const auto history = GitHistory::read(m_repoPath, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->headId(), ids.last());
    QCOMPARE(history->commitCount(), 3); // the root commit is 100 days old
    QCOMPARE(history->files().size(), 3);
    QCOMPARE(describe(history->forPath(QStringLiteral("a.py"))),
             describe(fileHistory(1, 2, daysAgo(20), 2)));
    // Deleting a file is a change to it too.
    QCOMPARE(describe(history->forPath(QStringLiteral("b.py"))),
             describe(fileHistory(1, 1, daysAgo(1), 1)));
    QCOMPARE(describe(history->forPath(QStringLiteral("src/c.py"))),
             describe(fileHistory(2, 2, daysAgo(1), 2)));
    QCOMPARE(history->forPath(QStringLiteral("src/c.py")).lastModified.timeSpec(), Qt::UTC);
    QCOMPARE(history->forPath(QStringLiteral("missing.py")), FileHistory());
}

void TestGitHistory::shorterWindow()
{
    writeLinearHistory();
    const auto history = GitHistory::read(m_repoPath, now, 30);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->commitCount(), 2);
    QCOMPARE(describe(history->forPath(QStringLiteral("a.py"))),
             describe(fileHistory(1, 1, daysAgo(20), 1)));

    // A year later every commit is out of the window.
    const auto later = GitHistory::read(m_repoPath, now.addYears(1));
    QVERIFY2(later.ok(), qPrintable(later.error()));
    QCOMPARE(later->commitCount(), 0);
    QVERIFY(later->files().isEmpty());
}

void TestGitHistory::rootCommitInsideTheWindow()
{
    HistoryWriter writer(m_repoPath);
    const QString root =
        writer.commit({{QStringLiteral("a.py"), "a"}, {QStringLiteral("lib/b.go"), "b"}}, {},
                      daysAgo(45), QStringLiteral("dev@example.com"));
    QVERIFY(!root.isEmpty());
    const auto history = GitHistory::read(m_repoPath, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->commitCount(), 1);
    QCOMPARE(describe(history->forPath(QStringLiteral("lib/b.go"))),
             describe(fileHistory(0, 1, daysAgo(45), 1)));
}

void TestGitHistory::mergesCountAgainstTheirFirstParent()
{
    HistoryWriter writer(m_repoPath);
    const QString root =
        writer.commit({{QStringLiteral("a.py"), "a1"}, {QStringLiteral("b.py"), "b1"}}, {},
                      daysAgo(10), QStringLiteral("one@example.com"));
    const QString side =
        writer.commit({{QStringLiteral("a.py"), "a1"}, {QStringLiteral("b.py"), "b2"}}, {root},
                      daysAgo(8), QStringLiteral("two@example.com"), false);
    const QString main =
        writer.commit({{QStringLiteral("a.py"), "a2"}, {QStringLiteral("b.py"), "b1"}}, {root},
                      daysAgo(7), QStringLiteral("one@example.com"));
    const QString merge =
        writer.commit({{QStringLiteral("a.py"), "a2"}, {QStringLiteral("b.py"), "b2"}},
                      {main, side}, daysAgo(5), QStringLiteral("one@example.com"));
    QVERIFY(!merge.isEmpty());

    const auto history = GitHistory::read(m_repoPath, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->commitCount(), 4);
    // a.py: root and main; b.py: root, side, and the merge against main.
    QCOMPARE(describe(history->forPath(QStringLiteral("a.py"))),
             describe(fileHistory(2, 2, daysAgo(7), 1)));
    QCOMPARE(describe(history->forPath(QStringLiteral("b.py"))),
             describe(fileHistory(3, 3, daysAgo(5), 2)));
}

void TestGitHistory::notARepositoryIsEmpty()
{
    m_env->writeFile(QStringLiteral("work/project/a.py"), "x = 1\n");
    auto history = GitHistory::read(m_repoPath, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->headId(), QString());
    QCOMPARE(history->commitCount(), 0);
    QVERIFY(history->files().isEmpty());

    history = GitHistory::read(m_env->path(QStringLiteral("does/not/exist")), now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QVERIFY(history->files().isEmpty());
}

void TestGitHistory::unbornHeadIsEmpty()
{
    GitTestRepo repo(m_repoPath);
    repo.writeFile(QStringLiteral("a.py"), "x = 1\n");
    const auto history = GitHistory::read(m_repoPath, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->headId(), QString());
    QCOMPARE(history->commitCount(), 0);
    QVERIFY(history->files().isEmpty());
}

void TestGitHistory::shallowCloneGivesPartialStats()
{
    // Only the git program makes shallow clones (libgit2 1.5 cannot).
    const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
    // scripts/setup installs git; without it this test cannot make its fixture.
    QVERIFY2(!git.isEmpty(), "the git program is not installed (scripts/setup installs it)");
    const QStringList ids = writeLinearHistory();
    const auto cloneWithDepth = [&](int depth) -> QString {
        const QString target = m_env->path(QStringLiteral("work/shallow-%1").arg(depth));
        QProcess process;
        process.start(git, {QStringLiteral("clone"), QStringLiteral("--quiet"),
                            QStringLiteral("--depth"), QString::number(depth),
                            QStringLiteral("file://") + m_repoPath, target});
        if (!process.waitForFinished(60000) || process.exitCode() != 0) {
            qWarning("git clone failed: %s", process.readAllStandardError().constData());
            return {};
        }
        return target;
    };

    const QString two = cloneWithDepth(2);
    QVERIFY(!two.isEmpty());
    QVERIFY(QFile::exists(two + QStringLiteral("/.git/shallow")));
    auto history = GitHistory::read(two, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->headId(), ids.last());
    // The oldest commit of the clone has no parent to compare with: only the newest counts.
    QCOMPARE(history->commitCount(), 1);
    QCOMPARE(describe(history->forPath(QStringLiteral("src/c.py"))),
             describe(fileHistory(1, 1, daysAgo(1), 1)));
    QCOMPARE(history->forPath(QStringLiteral("a.py")), FileHistory());

    const QString one = cloneWithDepth(1);
    QVERIFY(!one.isEmpty());
    history = GitHistory::read(one, now);
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QCOMPARE(history->headId(), ids.last());
    QCOMPARE(history->commitCount(), 0);
    QVERIFY(history->files().isEmpty());
}

QTEST_GUILESS_MAIN(TestGitHistory)
#include "TestGitHistory.moc"
