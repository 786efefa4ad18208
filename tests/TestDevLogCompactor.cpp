// DevLogCompactor on real DevLogs: loose objects end up in packs, packs are merged, and nothing
// is lost on the way (every document readable, the user's staged work kept, git fsck --strict
// silent).

#include "devlog/DevLogCompactor.h"
#include "devlog/DevLogRepository.h"

#include "ProcessRun.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::ProcessResult;
using codeworm::test::runProcess;
using codeworm::test::TestEnvironment;

class TestDevLogCompactor : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void commitsPackTheirLooseObjectsAsTheyGo();
    void packingKeepsEveryDocument();
    void mergingManyPacksKeepsEverything();
    void nothingToDoIsNoError();

private:
    DevLogRepository &devlog();
    void commitDocuments(int from, int count);
    ProcessResult git(const QStringList &arguments);
    void verifyFsckClean();
    void verifyDocuments(int count);

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<DevLogRepository> m_devlog;
    QString m_path;
    QString m_git;
};

void TestDevLogCompactor::init()
{
    m_git = QStandardPaths::findExecutable(QStringLiteral("git"));
    // scripts/setup installs git; fsck is git's own verdict on the repository.
    QVERIFY2(!m_git.isEmpty(), "the git program is not installed (scripts/setup installs it)");
    m_env = std::make_unique<TestEnvironment>();
    m_path = m_env->path(QStringLiteral("devlog"));
    DevLogConfig config;
    config.authorName = QStringLiteral("CodeWorm Test");
    config.authorEmail = QStringLiteral("test@example.invalid");
    m_devlog = std::make_unique<DevLogRepository>(config, m_path);
    QVERIFY(m_devlog->openOrInit());
}

void TestDevLogCompactor::cleanup()
{
    m_devlog.reset();
    m_env.reset();
}

DevLogRepository &TestDevLogCompactor::devlog()
{
    return *m_devlog;
}

void TestDevLogCompactor::commitDocuments(int from, int count)
{
    for (int i = from; i < from + count; ++i) {
        const QString path =
            QStringLiteral("snippets/2026-11/doc-%1.md").arg(i, 5, 10, QLatin1Char('0'));
        const QByteArray text = "# Document " + QByteArray::number(i) +
                                "\n\nWhat the model wrote about it, at some length.\n" +
                                QByteArray(400, char('a' + i % 26)) + '\n';
        QVERIFY(devlog().writeFile(path, text));
        const Result<QString> commit =
            devlog().commitFiles({path}, QStringLiteral("Add %1").arg(path));
        QVERIFY2(commit, qPrintable(commit.error()));
    }
}

ProcessResult TestDevLogCompactor::git(const QStringList &arguments)
{
    return runProcess(m_git, QStringList{QStringLiteral("-C"), m_path} + arguments);
}

void TestDevLogCompactor::verifyFsckClean()
{
    const ProcessResult fsck =
        git({QStringLiteral("fsck"), QStringLiteral("--strict"), QStringLiteral("--no-progress")});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.err));
    QVERIFY2(fsck.out.trimmed().isEmpty(), qPrintable(fsck.out));
}

void TestDevLogCompactor::verifyDocuments(int count)
{
    const ProcessResult listed =
        git({QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"),
             QStringLiteral("HEAD"), QStringLiteral("snippets/2026-11")});
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), count);
    // The content too, through git's reading of the packs: one document from each end.
    for (const int i : {0, count - 1}) {
        const ProcessResult shown = git(
            {QStringLiteral("show"),
             QStringLiteral("HEAD:snippets/2026-11/doc-%1.md").arg(i, 5, 10, QLatin1Char('0'))});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.out.startsWith(QStringLiteral("# Document %1\n").arg(i)));
    }
}

void TestDevLogCompactor::commitsPackTheirLooseObjectsAsTheyGo()
{
    // About five loose objects a commit: 300 commits pass the limit a few times.
    commitDocuments(0, 300);
    DevLogCompactor compactor(m_path);
    QVERIFY2(compactor.packCount() >= 1, "commitFiles never packed");
    QVERIFY2(compactor.looseObjectCount() < 2 * DevLogCompactor::defaultLooseLimit,
             qPrintable(QString::number(compactor.looseObjectCount())));
    verifyDocuments(300);
    verifyFsckClean();
    const ProcessResult status = git({QStringLiteral("status"), QStringLiteral("--porcelain")});
    QCOMPARE(status.out, QString());
}

void TestDevLogCompactor::packingKeepsEveryDocument()
{
    commitDocuments(0, 60);
    DevLogCompactor compactor(m_path);
    const int before = compactor.looseObjectCount();
    QVERIFY(before > 0);
    const Result<int> packed = compactor.packLooseObjects();
    QVERIFY2(packed, qPrintable(packed.error()));
    QCOMPARE(packed.value(), before);
    QCOMPARE(compactor.looseObjectCount(), 0);
    verifyDocuments(60);
    verifyFsckClean();
    // The repository handle that was open all along still reads and commits.
    commitDocuments(60, 5);
    verifyDocuments(65);
}

void TestDevLogCompactor::mergingManyPacksKeepsEverything()
{
    DevLogCompactor compactor(m_path);
    for (int round = 0; round < 4; ++round) {
        commitDocuments(round * 20, 20);
        QVERIFY(compactor.packLooseObjects());
    }
    const int packs = compactor.packCount();
    QVERIFY(packs >= 4);
    // A user's own staged file and a kept pack must survive the merge.
    QFile own(m_path + QStringLiteral("/notes.txt"));
    QVERIFY(own.open(QIODevice::WriteOnly));
    own.write("my own notes, staged but not committed\n");
    own.close();
    QCOMPARE(git({QStringLiteral("add"), QStringLiteral("notes.txt")}).exitCode, 0);
    const QString packFolder = m_path + QStringLiteral("/.git/objects/pack");
    const QStringList before = QDir(packFolder).entryList({QStringLiteral("pack-*.pack")});
    const QString kept = before.first().chopped(5);
    QFile keep(packFolder + QLatin1Char('/') + kept + QStringLiteral(".keep"));
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.close();

    const Result<int> merged = compactor.mergePacks();
    QVERIFY2(merged, qPrintable(merged.error()));
    QCOMPARE(merged.value(), packs - 1);
    const QStringList after = QDir(packFolder).entryList({QStringLiteral("pack-*.pack")});
    QCOMPARE(after.size(), 2); // the merged one and the kept one
    QVERIFY(after.contains(kept + QStringLiteral(".pack")));
    QCOMPARE(compactor.looseObjectCount(), 0);
    verifyDocuments(80);
    verifyFsckClean();
    const ProcessResult staged =
        git({QStringLiteral("diff"), QStringLiteral("--cached"), QStringLiteral("--name-only")});
    QCOMPARE(staged.out.trimmed(), QStringLiteral("notes.txt"));
    QCOMPARE(git({QStringLiteral("show"), QStringLiteral(":notes.txt")}).out,
             QStringLiteral("my own notes, staged but not committed\n"));
}

void TestDevLogCompactor::nothingToDoIsNoError()
{
    DevLogCompactor compactor(m_path);
    QVERIFY(compactor.packLooseObjects()); // the first commit's objects
    const Result<int> again = compactor.packLooseObjects();
    QVERIFY(again);
    QCOMPARE(again.value(), 0);
    const Result<DevLogCompactor::Outcome> outcome = compactor.compactIfNeeded();
    QVERIFY(outcome);
    QCOMPARE(outcome->packedObjects, 0);
    QCOMPARE(outcome->mergedPacks, 0);
    verifyFsckClean();
}

QTEST_GUILESS_MAIN(TestDevLogCompactor)
#include "TestDevLogCompactor.moc"
