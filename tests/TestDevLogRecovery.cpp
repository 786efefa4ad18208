// Crash recovery on real DevLogs: the write journal undoes exactly the writes of a cycle that
// did not finish (never a user's file), and DevLogHistory reads CodeWorm's documents back from
// their commit trailers.

#include "devlog/DevLogHistory.h"
#include "devlog/DevLogRepository.h"
#include "devlog/WriteJournal.h"

#include "ProcessRun.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QtTest>

#include <csignal>
#include <memory>

#include <sys/resource.h>
#include <unistd.h>

using namespace codeworm;
using codeworm::test::ProcessResult;
using codeworm::test::runProcess;
using codeworm::test::TestEnvironment;

namespace {

QString trailered(const QString &symbol, const QString &type)
{
    return QStringLiteral("Document %1\n\nFunction documentation of %1 in src/a.py, lines 1-9.\n\n"
                          "CodeWorm-Repo: project\nCodeWorm-Path: src/a.py\n"
                          "CodeWorm-Symbol: %1\nCodeWorm-Type: %2\n"
                          "CodeWorm-Code-Hash: hash-%1\nCodeWorm-Fact-Check: ok\n")
        .arg(symbol, type);
}

} // namespace

class TestDevLogRecovery : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void unfinishedWriteIsUndoneAndNothingElse();
    void writeCommittedBeforeTheCrashIsKept();
    void journalCannotReachOutsideTheDevLog();
    void historyReadsDocumentsBackFromTrailers();
    void fullDiskLeavesTheFileAsItWas();
    void readOnlyDevLogIsAClearError();

private:
    QString write(const QString &relative, const QByteArray &content);
    QString read(const QString &relative) const;
    ProcessResult git(const QStringList &arguments);

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<DevLogRepository> m_devlog;
    QString m_path;
    QString m_git;
};

void TestDevLogRecovery::init()
{
    m_git = QStandardPaths::findExecutable(QStringLiteral("git"));
    QVERIFY2(!m_git.isEmpty(), "the git program is not installed (scripts/setup installs it)");
    m_env = std::make_unique<TestEnvironment>();
    m_path = m_env->path(QStringLiteral("devlog"));
    DevLogConfig config;
    config.authorName = QStringLiteral("CodeWorm Test");
    config.authorEmail = QStringLiteral("test@example.invalid");
    m_devlog = std::make_unique<DevLogRepository>(config, m_path);
    QVERIFY(m_devlog->openOrInit());
    QVERIFY(m_devlog->writeFile(QStringLiteral("README.md"), "# DevLog\n\nindex v1\n"));
    QVERIFY(m_devlog->commitFiles({QStringLiteral("README.md")}, QStringLiteral("Index")));
}

void TestDevLogRecovery::cleanup()
{
    m_devlog.reset();
    m_env.reset();
}

QString TestDevLogRecovery::write(const QString &relative, const QByteArray &content)
{
    const QString full = m_path + QLatin1Char('/') + relative;
    QDir().mkpath(QFileInfo(full).path());
    QFile file(full);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(content);
    }
    return full;
}

QString TestDevLogRecovery::read(const QString &relative) const
{
    QFile file(m_path + QLatin1Char('/') + relative);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

ProcessResult TestDevLogRecovery::git(const QStringList &arguments)
{
    return runProcess(m_git, QStringList{QStringLiteral("-C"), m_path} + arguments);
}

void TestDevLogRecovery::unfinishedWriteIsUndoneAndNothingElse()
{
    const QString document = QStringLiteral("snippets/2026-11/add.md");
    WriteJournal journal(m_env->path(QStringLiteral("state/devlog-journal")));
    QVERIFY(journal.begin({document, QStringLiteral("README.md")}));
    QCOMPARE(journal.pending(), (QStringList{document, QStringLiteral("README.md")}));
    // The cycle wrote both and staged them, then died before the commit.
    write(document, "# add\n");
    write(QStringLiteral("README.md"), "# DevLog\n\nindex v2\n");
    QCOMPARE(git({QStringLiteral("add"), document, QStringLiteral("README.md")}).exitCode, 0);
    // The user's own work in the DevLog: untouched whatever happens.
    write(QStringLiteral("notes.md"), "mine\n");
    write(QStringLiteral("snippets/2026-11/draft.md"), "my draft\n");

    const Result<QStringList> undone = journal.recover(m_path);
    QVERIFY2(undone, qPrintable(undone.error()));
    QCOMPARE(undone.value(), (QStringList{document, QStringLiteral("README.md")}));
    QVERIFY(!QFile::exists(m_path + QLatin1Char('/') + document));
    QCOMPARE(read(QStringLiteral("README.md")), QStringLiteral("# DevLog\n\nindex v1\n"));
    QCOMPARE(read(QStringLiteral("notes.md")), QStringLiteral("mine\n"));
    QCOMPARE(read(QStringLiteral("snippets/2026-11/draft.md")), QStringLiteral("my draft\n"));
    const ProcessResult status = git({QStringLiteral("status"), QStringLiteral("--porcelain"),
                                      QStringLiteral("--untracked-files=all")});
    QCOMPARE(status.out, QStringLiteral("?? notes.md\n?? snippets/2026-11/draft.md\n"));
    QVERIFY(journal.pending().isEmpty());
    QVERIFY(!QFile::exists(journal.file()));
}

void TestDevLogRecovery::writeCommittedBeforeTheCrashIsKept()
{
    const QString document = QStringLiteral("snippets/2026-11/kept.md");
    WriteJournal journal(m_env->path(QStringLiteral("state/devlog-journal")));
    QVERIFY(journal.begin({document, QStringLiteral("README.md")}));
    QVERIFY(m_devlog->writeFile(document, "# kept\n"));
    QVERIFY(m_devlog->writeFile(QStringLiteral("README.md"), "# DevLog\n\nindex v2\n"));
    QVERIFY(
        m_devlog->commitFiles({document, QStringLiteral("README.md")}, QStringLiteral("Add kept")));
    // Died before clearing the journal.
    const Result<QStringList> undone = journal.recover(m_path);
    QVERIFY2(undone, qPrintable(undone.error()));
    QVERIFY(undone.value().isEmpty());
    QCOMPARE(read(document), QStringLiteral("# kept\n"));
    QCOMPARE(read(QStringLiteral("README.md")), QStringLiteral("# DevLog\n\nindex v2\n"));
    QCOMPARE(git({QStringLiteral("status"), QStringLiteral("--porcelain")}).out, QString());
}

void TestDevLogRecovery::journalCannotReachOutsideTheDevLog()
{
    const QString outside = m_env->writeFile(QStringLiteral("outside.txt"), "precious\n");
    const QString journalFile = m_env->path(QStringLiteral("state/devlog-journal"));
    QDir().mkpath(QFileInfo(journalFile).path());
    QFile damaged(journalFile);
    QVERIFY(damaged.open(QIODevice::WriteOnly));
    damaged.write("# damaged\n../outside.txt\n" + outside.toUtf8() +
                  "\nsnippets/../../outside.txt\n.git/config\n");
    damaged.close();
    WriteJournal journal(journalFile);
    const Result<QStringList> undone = journal.recover(m_path);
    QVERIFY2(undone, qPrintable(undone.error()));
    QVERIFY(undone.value().isEmpty());
    QVERIFY(QFile::exists(outside));
    QVERIFY(QFile::exists(m_path + QStringLiteral("/.git/config")));
}

void TestDevLogRecovery::historyReadsDocumentsBackFromTrailers()
{
    QStringList ids;
    for (const QString &symbol :
         {QStringLiteral("first"), QStringLiteral("Shape.area"), QStringLiteral("third")}) {
        const QString path = QStringLiteral("snippets/2026-11/%1.md").arg(symbol);
        QVERIFY(m_devlog->writeFile(path, "# " + symbol.toUtf8() + "\n"));
        QVERIFY(m_devlog->writeFile(QStringLiteral("README.md"), "index " + symbol.toUtf8()));
        const Result<QString> id = m_devlog->commitFiles(
            {path, QStringLiteral("README.md")}, trailered(symbol, QStringLiteral("function_doc")));
        QVERIFY(id);
        ids << id.value();
    }
    // A user's own commit in between is not CodeWorm's.
    QVERIFY(m_devlog->writeFile(QStringLiteral("notes.md"), "mine\n"));
    QVERIFY(m_devlog->commitFiles({QStringLiteral("notes.md")}, QStringLiteral("My notes")));

    const DevLogHistory history(m_path);
    const Result<QList<DocumentCommit>> all = history.documentsSince();
    QVERIFY2(all, qPrintable(all.error()));
    QCOMPARE(all->size(), 3);
    const DocumentCommit &newest = all->first();
    QCOMPARE(newest.commitId, ids.last());
    QCOMPARE(newest.symbol, QStringLiteral("third"));
    QCOMPARE(newest.repo, QStringLiteral("project"));
    QCOMPARE(newest.sourcePath, QStringLiteral("src/a.py"));
    QCOMPARE(newest.docType, QStringLiteral("function_doc"));
    QCOMPARE(newest.codeHash, QStringLiteral("hash-third"));
    QCOMPARE(newest.factCheck, QStringLiteral("ok"));
    QCOMPARE(newest.documentPath, QStringLiteral("snippets/2026-11/third.md"));
    QVERIFY(newest.committedAt.isValid());
    QCOMPARE(all->at(1).symbol, QStringLiteral("Shape.area"));

    const Result<QList<DocumentCommit>> since = history.documentsSince(ids.first());
    QVERIFY(since);
    QCOMPARE(since->size(), 2);
    QCOMPARE(since->last().commitId, ids.at(1));
}

void TestDevLogRecovery::fullDiskLeavesTheFileAsItWas()
{
    // A size-limited write target: this process may not write files beyond 64 kB (EFBIG, as
    // a full disk gives ENOSPC), and the signal that would end it is ignored.
    const QByteArray big(200 * 1024, 'x');
    rlimit before{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = before;
    limited.rlim_cur = 64 * 1024;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    const Status written = m_devlog->writeFile(QStringLiteral("README.md"), big);
    const Status fresh = m_devlog->writeFile(QStringLiteral("snippets/2026-11/big.md"), big);
    ::setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, oldHandler);

    QVERIFY(!written);
    QVERIFY2(written.error().contains(m_path + QStringLiteral("/README.md")),
             qPrintable(written.error()));
    QVERIFY(!fresh);
    // The committed README is whole, the new document absent, no temporary file left.
    QCOMPARE(read(QStringLiteral("README.md")), QStringLiteral("# DevLog\n\nindex v1\n"));
    QVERIFY(!QFile::exists(m_path + QStringLiteral("/snippets/2026-11/big.md")));
    const ProcessResult status = git({QStringLiteral("status"), QStringLiteral("--porcelain"),
                                      QStringLiteral("--untracked-files=all")});
    QCOMPARE(status.out, QString());
}

void TestDevLogRecovery::readOnlyDevLogIsAClearError()
{
    if (::geteuid() == 0) {
        QSKIP("root writes into read-only folders: run the tests as a user to check this");
    }
    const QString folder = m_path + QStringLiteral("/snippets");
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    const Status written = m_devlog->writeFile(QStringLiteral("snippets/new.md"), "# new\n");
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!written);
    QVERIFY2(written.error().contains(m_path + QStringLiteral("/snippets/new.md")),
             qPrintable(written.error()));
    QCOMPARE(git({QStringLiteral("status"), QStringLiteral("--porcelain")}).out, QString());
}

QTEST_GUILESS_MAIN(TestDevLogRecovery)
#include "TestDevLogRecovery.moc"
