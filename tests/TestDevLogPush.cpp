// The DevLog's push against real bare remotes: over file:// and plain paths, over the git
// protocol (a loopback git daemon) and over SSH (a loopback sshd with throwaway keys), with
// the rejected push that is rebased, the offline queue, the credentials and the config keys.
#include "config/ConfigLoader.h"
#include "daemon/Daemon.h"
#include "daemon/PushQueue.h"
#include "devlog/DevLogPusher.h"
#include "devlog/DevLogRepository.h"
#include "devlog/RemoteAuth.h"
#include "state/StateStore.h"

#include "GitTestRepo.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtConcurrent>
#include <QtTest>

#include <git2.h>

#include <pwd.h>
#include <unistd.h>

#include <memory>

using namespace codeworm;
using codeworm::test::GitTestRepo;
using codeworm::test::TestEnvironment;
using Outcome = PushReport::Outcome;

namespace {

const QString readme = QStringLiteral("README.md");

QString messageFor(const QString &symbol)
{
    return QStringLiteral("Document %1 (shop)\n\nFunction Documentation of %1 in cart.py, lines "
                          "1-9.\n\nCodeWorm-Repo: shop\nCodeWorm-Path: cart.py\n"
                          "CodeWorm-Symbol: %1\nCodeWorm-Type: function_doc\n"
                          "CodeWorm-Code-Hash: %2\n")
        .arg(symbol, QString::number(qHash(symbol), 16));
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return server.serverPort();
}

bool waitForPort(quint16 port, const QProcess &process)
{
    for (int i = 0; i < 100 && process.state() == QProcess::Running; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(200)) {
            return true;
        }
        QTest::qWait(100);
    }
    return false;
}

// A server program the test starts and always stops again.
class Server
{
public:
    ~Server() { stop(); }
    bool start(const QString &program, const QStringList &arguments, quint16 port)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(program, arguments);
        if (!m_process.waitForStarted(10000)) {
            m_error = m_process.errorString();
            return false;
        }
        if (!waitForPort(port, m_process)) {
            m_process.kill();
            m_process.waitForFinished(5000);
            m_error = QString::fromUtf8(m_process.readAllStandardError()).trimmed();
            return false;
        }
        return true;
    }
    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
    }
    QString error() const { return m_error; }
    QString output() { return QString::fromUtf8(m_process.readAllStandardError()); }

private:
    QProcess m_process;
    QString m_error;
};

QString run(const QString &program, const QStringList &arguments, int *exitCode = nullptr)
{
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(30000);
    if (exitCode) {
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
    return QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
}

QString gitDaemonProgram()
{
    const QString execPath = run(QStringLiteral("git"), {QStringLiteral("--exec-path")}).trimmed();
    const QString daemon = execPath + QStringLiteral("/git-daemon");
    return QFileInfo(daemon).isExecutable() ? daemon : QString();
}

} // namespace

class TestDevLogPush : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void pushesOverFileUrl();
    void pathIsAddedAsOrigin();
    void originPointingElsewhereIsAnError();
    void unknownRemoteNameIsAClearError();
    void rejectedPushFetchesRebasesAndPushesAgain();
    void sameFileNameOnBothSidesKeepsBoth();
    void unrelatedRemoteHistoryIsJoined();
    void deletedDevLogGetsItsHistoryBack();
    void missingRemoteFolderQueuesCommits();
    void queueRetriesOnItsTimer();
    void daemonRunOncePushesAndSaysSo();
    void daemonStartPushesWaitingCommits();
    void stateFollowsReplayedCommits();
    void overGitProtocolWithOfflineQueueAndRebase();
    void overSsh();
    void credentialFillAsksTheHelper();
    void credentialsReachAnHttpRemoteAndStop();
    void knownHostsMatching();
    void configKeys();

private:
    DevLogConfig devlogConfig(const QString &remote) const;
    QString makeDevLog(const QString &name) const;
    QString commitDocument(const QString &devlog, const QString &path, const QString &symbol,
                           const QByteArray &content = {}) const;
    PushReport push(const QString &devlog, const QString &remote) const;
    QString clone(const QString &url, const QString &name) const;
    QString remoteOf(const QString &devlog, const QString &name) const;

    std::unique_ptr<TestEnvironment> m_env;
};

void TestDevLogPush::init()
{
    m_env = std::make_unique<TestEnvironment>();
    // libgit2 and git read only this test's HOME, never the machine's configuration.
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qunsetenv("SSH_AUTH_SOCK");
    QVERIFY(QDir().mkpath(m_env->path(QStringLiteral("etc"))));
    const QByteArray system = QFile::encodeName(m_env->path(QStringLiteral("etc")));
    const QByteArray home = QFile::encodeName(m_env->home());
    git_libgit2_init();
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home.constData()),
             0);
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, nullptr), 0);
    QCOMPARE(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, system.constData()),
             0);
    git_libgit2_shutdown();
}

void TestDevLogPush::cleanup()
{
    m_env.reset();
}

DevLogConfig TestDevLogPush::devlogConfig(const QString &remote) const
{
    DevLogConfig config;
    config.remote = remote;
    config.authorName = QStringLiteral("CodeWorm Test");
    config.authorEmail = QStringLiteral("codeworm@example.com");
    config.pushTries = 1; // the retries' waits are the queue's business here
    return config;
}

QString TestDevLogPush::makeDevLog(const QString &name) const
{
    const QString path = m_env->path(name);
    DevLogRepository devlog(devlogConfig({}), path);
    const Status opened = devlog.openOrInit();
    if (!opened) {
        qWarning("%s", qPrintable(opened.error()));
    }
    return path;
}

// Writes a document and the README index as a cycle does, and commits both.
QString TestDevLogPush::commitDocument(const QString &devlog, const QString &path,
                                       const QString &symbol, const QByteArray &content) const
{
    DevLogRepository repository(devlogConfig({}), devlog);
    if (!repository.openOrInit()) {
        return {};
    }
    const QByteArray text = content.isEmpty() ? "# " + symbol.toUtf8() + "\n" : content;
    if (!repository.writeFile(path, text)) {
        return {};
    }
    QFile readmeFile(devlog + QLatin1Char('/') + readme);
    const QByteArray current =
        readmeFile.open(QIODevice::ReadOnly) ? readmeFile.readAll() : QByteArray();
    const DevLogDocument document{QStringLiteral("shop"), QStringLiteral("function_doc"), symbol,
                                  path, QDateTime::currentDateTime()};
    if (!repository.writeFile(readme, PushQueue::rebuildReadme(current, {document}))) {
        return {};
    }
    const auto commit = repository.commitFiles({path, readme}, messageFor(symbol));
    return commit ? commit.value() : QString();
}

PushReport TestDevLogPush::push(const QString &devlog, const QString &remote) const
{
    DevLogPusher pusher(devlogConfig(remote), devlog);
    pusher.setReadmeBuilder(&PushQueue::rebuildReadme);
    return pusher.push();
}

QString TestDevLogPush::clone(const QString &url, const QString &name) const
{
    const QString path = m_env->path(name);
    git_repository *raw = nullptr;
    git_clone_options options = GIT_CLONE_OPTIONS_INIT;
    options.checkout_branch = "main";
    if (git_clone(&raw, url.toUtf8().constData(), QFile::encodeName(path).constData(), &options) <
        0) {
        qWarning("clone of %s failed: %s", qPrintable(url), git_error_last()->message);
        return {};
    }
    git_repository_free(raw);
    return path;
}

QString TestDevLogPush::remoteOf(const QString &devlog, const QString &name) const
{
    git_repository *raw = nullptr;
    if (git_repository_open(&raw, QFile::encodeName(devlog).constData()) < 0) {
        return {};
    }
    git_remote *remote = nullptr;
    QString url;
    if (git_remote_lookup(&remote, raw, name.toUtf8().constData()) == 0) {
        url = QString::fromUtf8(git_remote_url(remote));
        git_remote_free(remote);
    }
    git_repository_free(raw);
    return url;
}

void TestDevLogPush::pushesOverFileUrl()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    const QString url = QStringLiteral("file://") + remote.path();
    const QString id =
        commitDocument(devlog, QStringLiteral("snippets/python/a.md"), QStringLiteral("Cart.add"));
    QVERIFY(!id.isEmpty());

    DevLogPusher pusher(devlogConfig(url), devlog);
    QCOMPARE(pusher.waitingCommits().value(), 2); // the layout's first commit and the document
    const PushReport report = pusher.push();
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    QCOMPARE(report.pushed, 2);
    QCOMPARE(report.remote, QStringLiteral("origin"));
    QCOMPARE(remote.headId(), id);
    QCOMPARE(remote.fileAt(QStringLiteral("snippets/python/a.md")), QByteArray("# Cart.add\n"));
    QCOMPARE(pusher.waitingCommits().value(), 0);

    const PushReport again = push(devlog, url);
    QVERIFY2(again.outcome == Outcome::UpToDate, qPrintable(again.message));
}

void TestDevLogPush::pathIsAddedAsOrigin()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    QVERIFY(remoteOf(devlog, QStringLiteral("origin")).isEmpty());

    // A path relative to the DevLog, as git reads it.
    const PushReport report = push(devlog, QStringLiteral("../remote.git"));
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    QCOMPARE(remoteOf(devlog, QStringLiteral("origin")), remote.path());
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());

    // The same place spelled otherwise is the same origin; a name is used as it is.
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/b.md"), QStringLiteral("b")).isEmpty());
    const PushReport byUrl =
        push(devlog, QStringLiteral("file://") + remote.path() + QLatin1Char('/'));
    QVERIFY2(byUrl.outcome == Outcome::Pushed, qPrintable(byUrl.message));
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/c.md"), QStringLiteral("c")).isEmpty());
    const PushReport byName = push(devlog, QStringLiteral("origin"));
    QVERIFY2(byName.outcome == Outcome::Pushed, qPrintable(byName.message));
    QCOMPARE(byName.pushed, 1);
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());
}

void TestDevLogPush::originPointingElsewhereIsAnError()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo first(m_env->path(QStringLiteral("first.git")), true);
    GitTestRepo second(m_env->path(QStringLiteral("second.git")), true);
    QVERIFY(push(devlog, first.path()).succeeded());

    const PushReport report = push(devlog, second.path());
    QCOMPARE(report.outcome, Outcome::Failed);
    QVERIFY(report.configError);
    QVERIFY2(report.message.contains(QLatin1String("origin points to")) &&
                 report.message.contains(first.path()) && report.message.contains(second.path()),
             qPrintable(report.message));
    QVERIFY(second.headId().isEmpty());
}

void TestDevLogPush::unknownRemoteNameIsAClearError()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    QVERIFY(push(devlog, remote.path()).succeeded()); // now it has an origin

    DevLogPusher pusher(devlogConfig(QStringLiteral("upstream")), devlog);
    const PushReport report = pusher.push();
    QCOMPARE(report.outcome, Outcome::Failed);
    QVERIFY(report.configError);
    QVERIFY2(report.message.contains(QLatin1String("'upstream' is not a remote")) &&
                 report.message.contains(QLatin1String("its remotes: origin")),
             qPrintable(report.message));
    QVERIFY(!pusher.waitingCommits());
}

void TestDevLogPush::rejectedPushFetchesRebasesAndPushesAgain()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    QVERIFY(
        !commitDocument(devlog, QStringLiteral("snippets/python/first.md"), QStringLiteral("first"))
             .isEmpty());
    QVERIFY(push(devlog, remote.path()).succeeded());

    // Someone else pushes a document and a note of their own in the README.
    const QString other = clone(remote.path(), QStringLiteral("other"));
    QVERIFY(!other.isEmpty());
    const QString theirs =
        commitDocument(other, QStringLiteral("classes/theirs.md"), QStringLiteral("Theirs"));
    QVERIFY(!theirs.isEmpty());
    {
        QFile file(other + QStringLiteral("/README.md"));
        QVERIFY(file.open(QIODevice::Append));
        file.write("\nNotes kept by hand.\n");
    }
    DevLogRepository otherRepo(devlogConfig({}), other);
    QVERIFY(otherRepo.openOrInit());
    QVERIFY(otherRepo.commitFiles({readme}, QStringLiteral("A note of mine")));
    const PushReport theirPush = push(other, QStringLiteral("origin"));
    QVERIFY2(theirPush.outcome == Outcome::Pushed, qPrintable(theirPush.message));
    const QString theirTip = remote.headId();

    // Meanwhile two documents were committed here.
    QVERIFY(!commitDocument(devlog, QStringLiteral("snippets/python/mine.md"),
                            QStringLiteral("Mine.one"))
                 .isEmpty());
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/mine-too.md"), QStringLiteral("mine_too"))
                 .isEmpty());

    const PushReport report = push(devlog, remote.path());
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    QCOMPARE(report.rebased, 2);
    QCOMPARE(report.pushed, 2);
    QVERIFY2(report.message.contains(QLatin1String("replaying 2")), qPrintable(report.message));

    // Both sides' files, on a linear history on top of theirs: nothing was forced away.
    GitTestRepo local(devlog);
    QCOMPARE(remote.headId(), local.headId());
    const QStringList files = remote.treePaths();
    for (const char *path : {"snippets/python/first.md", "classes/theirs.md",
                             "snippets/python/mine.md", "til/mine-too.md"}) {
        QVERIFY2(files.contains(QLatin1String(path)), path);
    }
    QString id = remote.headId();
    bool reachedTheirs = false;
    while (!id.isEmpty()) {
        const auto info = remote.commitInfo(id);
        QVERIFY(info.parentIds.size() <= 1);
        reachedTheirs = reachedTheirs || id == theirTip;
        id = info.parentIds.value(0);
    }
    QVERIFY(reachedTheirs);
    QCOMPARE(remote.headCommit().message, messageFor(QStringLiteral("mine_too")));
    QCOMPARE(remote.headCommit().authorName, QStringLiteral("CodeWorm Test"));

    // The README: their hand-written note, and an index of every document on both sides.
    const QString index = QString::fromUtf8(remote.fileAt(readme));
    QVERIFY2(index.contains(QLatin1String("Notes kept by hand.")), qPrintable(index));
    for (const char *link :
         {"[first](snippets/python/first.md)", "[Theirs](classes/theirs.md)",
          "[Mine.one](snippets/python/mine.md)", "[mine_too](til/mine-too.md)"}) {
        QVERIFY2(index.contains(QLatin1String(link)), qPrintable(index));
    }
    QCOMPARE(index.count(QLatin1String("codeworm:index:begin")), 1);
    // The working tree followed the branch.
    QCOMPARE(test::readFile(devlog + QStringLiteral("/README.md")), remote.fileAt(readme));
    QVERIFY(QFileInfo::exists(devlog + QStringLiteral("/classes/theirs.md")));
    QVERIFY(!local.isDirty());
}

void TestDevLogPush::sameFileNameOnBothSidesKeepsBoth()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    QVERIFY(push(devlog, remote.path()).succeeded());
    const QString other = clone(remote.path(), QStringLiteral("other"));
    const QString path = QStringLiteral("snippets/python/2026-01-05_cart-add.md");
    QVERIFY(!commitDocument(other, path, QStringLiteral("Cart.add"), "their text\n").isEmpty());
    QVERIFY(push(other, QStringLiteral("origin")).succeeded());
    QVERIFY(!commitDocument(devlog, path, QStringLiteral("Cart.add"), "my text\n").isEmpty());

    const PushReport report = push(devlog, remote.path());
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    QCOMPARE(remote.fileAt(path), QByteArray("their text\n"));
    QCOMPARE(remote.fileAt(QStringLiteral("snippets/python/2026-01-05_cart-add-2.md")),
             QByteArray("my text\n"));
    QVERIFY(remote.fileAt(readme).contains("2026-01-05_cart-add-2.md"));
}

void TestDevLogPush::unrelatedRemoteHistoryIsJoined()
{
    // A remote made on a hosting site starts with a README of its own.
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    const QString seed = m_env->path(QStringLiteral("seed"));
    {
        GitTestRepo seeded(seed);
        seeded.writeFile(readme, "# my devlog\n\nCreated on the website.\n");
        seeded.commit(QStringLiteral("Initial commit"));
    }
    QVERIFY(push(seed, remote.path()).succeeded());

    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/x.md"), QStringLiteral("x")).isEmpty());
    const PushReport report = push(devlog, remote.path());
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    const QString text = QString::fromUtf8(remote.fileAt(readme));
    QVERIFY2(text.startsWith(QLatin1String("# my devlog")) &&
                 text.contains(QLatin1String("til/x.md")),
             qPrintable(text));
    QVERIFY(remote.treePaths().contains(QStringLiteral("til/.gitkeep")));
}

void TestDevLogPush::deletedDevLogGetsItsHistoryBack()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    const QString first =
        commitDocument(devlog, QStringLiteral("snippets/python/first.md"), QStringLiteral("first"));
    QVERIFY(!first.isEmpty());
    QVERIFY(push(devlog, remote.path()).succeeded());

    // The DevLog folder is deleted while CodeWorm runs: the next document re-creates it, and
    // the next push brings the remote's history back under the new commit.
    QVERIFY(QDir(devlog).removeRecursively());
    const QString second = commitDocument(devlog, QStringLiteral("snippets/python/second.md"),
                                          QStringLiteral("second"));
    QVERIFY(!second.isEmpty());
    const PushReport report = push(devlog, remote.path());
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message));
    GitTestRepo local(devlog);
    QCOMPARE(remote.headId(), local.headId());
    const QStringList paths = local.treePaths();
    QVERIFY(paths.contains(QStringLiteral("snippets/python/first.md")));
    QVERIFY(paths.contains(QStringLiteral("snippets/python/second.md")));
    QVERIFY(QFile::exists(devlog + QStringLiteral("/snippets/python/first.md")));
    const QString text = QString::fromUtf8(remote.fileAt(readme));
    QVERIFY2(text.contains(QLatin1String("first.md")) && text.contains(QLatin1String("second.md")),
             qPrintable(text));
}

void TestDevLogPush::missingRemoteFolderQueuesCommits()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    const QString remotePath = m_env->path(QStringLiteral("disk/remote.git"));
    {
        GitTestRepo remote(remotePath, true);
    }
    QVERIFY(push(devlog, remotePath).succeeded());
    const QString id = commitDocument(devlog, QStringLiteral("til/a.md"), QStringLiteral("a"));

    // The disk is unplugged: the commit waits.
    QVERIFY(
        QDir().rename(m_env->path(QStringLiteral("disk")), m_env->path(QStringLiteral("away"))));
    const PushReport offline = push(devlog, remotePath);
    QCOMPARE(offline.outcome, Outcome::Offline);
    QCOMPARE(offline.waiting, 1);
    QVERIFY(!offline.configError);
    QVERIFY2(offline.message.contains(remotePath), qPrintable(offline.message));

    QVERIFY(
        QDir().rename(m_env->path(QStringLiteral("away")), m_env->path(QStringLiteral("disk"))));
    const PushReport back = push(devlog, remotePath);
    QVERIFY2(back.outcome == Outcome::Pushed, qPrintable(back.message));
    QCOMPARE(back.pushed, 1);
    QCOMPARE(GitTestRepo(remotePath, true).headId(), id);
}

void TestDevLogPush::queueRetriesOnItsTimer()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    const QString remotePath = m_env->path(QStringLiteral("disk/remote.git"));
    DevLogConfig config = devlogConfig(remotePath);
    config.pushRetryS = 0.2;
    config.pushRetryMaxS = 0.4;
    PushQueue queue(config, devlog);
    QSignalSpy finished(&queue, &PushQueue::finished);

    queue.trigger(); // the remote is not there yet
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    auto report = finished.at(0).at(0).value<PushReport>();
    QCOMPARE(report.outcome, Outcome::Offline);
    QCOMPARE(report.waiting, 1);
    QVERIFY(queue.nextRetry().isValid());

    {
        GitTestRepo remote(remotePath, true);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() &&
                                 finished.constLast().at(0).value<PushReport>().outcome ==
                                     Outcome::Pushed,
                             20000);
    QVERIFY(!queue.nextRetry().isValid());
    QCOMPARE(GitTestRepo(remotePath, true).headId(), GitTestRepo(devlog).headId());
}

void TestDevLogPush::daemonRunOncePushesAndSaysSo()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/a.md"), QStringLiteral("a")).isEmpty());
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    config.devlog = devlogConfig(remote.path());
    config.devlog.repoPath = devlog;
    config.llm.endpoints = {QStringLiteral("http://127.0.0.1:9")}; // never asked: no repositories

    {
        Daemon daemon(config, {});
        QVERIFY(daemon.open());
        QSignalSpy finished(&daemon, &Daemon::cycleFinished);
        daemon.runOnce();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        const auto result = finished.at(0).at(0).value<CycleResult>();
        QCOMPARE(result.outcome, CycleResult::Outcome::Skipped);
        QVERIFY2(result.summary().startsWith(QLatin1String("skipped: no candidates")) &&
                     result.summary().contains(QLatin1String("; pushed 2 commits to origin")),
                 qPrintable(result.summary()));
        QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());
        QVERIFY(daemon.status().push.contains(QLatin1String("pushed")));
    }

    // Offline: the cycle still ends, and says the push waits.
    QVERIFY(!commitDocument(devlog, QStringLiteral("til/b.md"), QStringLiteral("b")).isEmpty());
    QVERIFY(QDir().rename(remote.path(), m_env->path(QStringLiteral("moved.git"))));
    Daemon daemon(config, {});
    QVERIFY(daemon.open());
    QSignalSpy finished(&daemon, &Daemon::cycleFinished);
    daemon.runOnce();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const QString summary = finished.at(0).at(0).value<CycleResult>().summary();
    QVERIFY2(summary.contains(QLatin1String("push pending (cannot reach")) &&
                 summary.contains(QLatin1String("the next run pushes it")),
             qPrintable(summary));
    QSignalSpy stopped(&daemon, &Daemon::stopped);
    daemon.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 20000);
}

void TestDevLogPush::daemonStartPushesWaitingCommits()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    config.devlog = devlogConfig(remote.path());
    config.devlog.repoPath = devlog;
    config.schedule.enabled = false;
    config.llm.endpoints = {QStringLiteral("http://127.0.0.1:9")};
    Daemon daemon(config, {});
    QVERIFY(daemon.open());
    QSignalSpy status(&daemon, &Daemon::statusChanged);
    daemon.start();
    QTRY_VERIFY_WITH_TIMEOUT(!remote.headId().isEmpty(), 20000);
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());
    QSignalSpy stopped(&daemon, &Daemon::stopped);
    daemon.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 20000);
}

void TestDevLogPush::stateFollowsReplayedCommits()
{
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    const QString first =
        commitDocument(devlog, QStringLiteral("snippets/python/first.md"), QStringLiteral("first"));
    QVERIFY(!first.isEmpty());
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    config.devlog = devlogConfig(remote.path());
    config.devlog.repoPath = devlog;
    config.llm.endpoints = {QStringLiteral("http://127.0.0.1:9")}; // never asked: no repositories
    const auto runOnce = [&config] {
        Daemon daemon(config, {});
        QVERIFY(daemon.open()); // records the commits' documents (crash recovery)
        QSignalSpy finished(&daemon, &Daemon::cycleFinished);
        daemon.runOnce();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    };
    runOnce();
    if (QTest::currentTestFailed()) {
        return;
    }
    {
        StateStore state(config.databasePath());
        QVERIFY(state.open());
        QCOMPARE(state.unpushedCommits(), QStringList());
    }

    // Someone else pushes; here a document is committed meanwhile: the push replays it.
    const QString other = clone(remote.path(), QStringLiteral("other"));
    QVERIFY(!commitDocument(other, QStringLiteral("classes/theirs.md"), QStringLiteral("Theirs"))
                 .isEmpty());
    QVERIFY(push(other, QStringLiteral("origin")).outcome == Outcome::Pushed);
    const QString mine =
        commitDocument(devlog, QStringLiteral("snippets/python/mine.md"), QStringLiteral("mine"));
    QVERIFY(!mine.isEmpty());
    runOnce();
    if (QTest::currentTestFailed()) {
        return;
    }
    const QString tip = GitTestRepo(devlog).headId();
    QCOMPARE(remote.headId(), tip);
    QVERIFY(tip != mine);

    // The rows name the commits of the history as it is now, all pushed.
    StateStore state(config.databasePath());
    QVERIFY(state.open());
    QCOMPARE(state.unpushedCommits(), QStringList());
    const Result<bool> firstKept = state.isCommitRecorded(first);
    QVERIFY(firstKept && firstKept.value());
    const Result<bool> oldMine = state.isCommitRecorded(mine);
    QVERIFY(oldMine && !oldMine.value());
    const Result<bool> newMine = state.isCommitRecorded(tip);
    QVERIFY(newMine && newMine.value());
}

void TestDevLogPush::overGitProtocolWithOfflineQueueAndRebase()
{
    const QString daemonProgram = gitDaemonProgram();
    if (daemonProgram.isEmpty()) {
        QSKIP("git-daemon is not installed (Debian package git): the git protocol is not tested");
    }
    const QString base = m_env->path(QStringLiteral("served"));
    GitTestRepo remote(base + QStringLiteral("/remote.git"), true);
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QString url = QStringLiteral("git://127.0.0.1:%1/remote.git").arg(port);

    // Nothing listens yet: the commits wait.
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    const PushReport offline = push(devlog, url);
    QCOMPARE(offline.outcome, Outcome::Offline);
    QCOMPARE(offline.waiting, 1);
    QVERIFY2(offline.message.contains(QLatin1String("cannot reach")), qPrintable(offline.message));

    Server daemon;
    if (!daemon.start(daemonProgram,
                      {QStringLiteral("--reuseaddr"), QStringLiteral("--export-all"),
                       QStringLiteral("--enable=receive-pack"),
                       QStringLiteral("--informative-errors"),
                       QStringLiteral("--base-path=") + base, QStringLiteral("--listen=127.0.0.1"),
                       QStringLiteral("--port=%1").arg(port), base},
                      port)) {
        QSKIP(qPrintable(QStringLiteral("git daemon cannot start here: ") + daemon.error()));
    }
    const PushReport pushed = push(devlog, url);
    QVERIFY2(pushed.outcome == Outcome::Pushed, qPrintable(pushed.message + daemon.output()));
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());

    // Another clone over the git protocol moves the remote on; this one rebases.
    const QString other = clone(url, QStringLiteral("other"));
    QVERIFY(!other.isEmpty());
    QVERIFY(!commitDocument(other, QStringLiteral("til/theirs.md"), QStringLiteral("theirs"))
                 .isEmpty());
    QVERIFY(push(other, QStringLiteral("origin")).succeeded());
    QVERIFY(
        !commitDocument(devlog, QStringLiteral("til/mine.md"), QStringLiteral("mine")).isEmpty());
    const PushReport rebased = push(devlog, url);
    QVERIFY2(rebased.outcome == Outcome::Pushed, qPrintable(rebased.message));
    QCOMPARE(rebased.rebased, 1);
    QVERIFY(remote.treePaths().contains(QStringLiteral("til/theirs.md")));
    QVERIFY(remote.treePaths().contains(QStringLiteral("til/mine.md")));
}

void TestDevLogPush::overSsh()
{
    const QString sshd = QStringLiteral("/usr/sbin/sshd");
    if (!QFileInfo(sshd).isExecutable()) {
        QSKIP("sshd is not installed (Debian package openssh-server): SSH is not tested");
    }
    if (::geteuid() == 0 && !QFileInfo(QStringLiteral("/run/sshd")).isDir()) {
        QSKIP("sshd run as root needs its privilege separation folder /run/sshd (scripts/setup "
              "makes it): SSH is not tested");
    }
    const passwd *user = ::getpwuid(::geteuid());
    QVERIFY(user);
    const QString keys = m_env->path(QStringLiteral("keys"));
    QVERIFY(QDir().mkpath(keys));
    for (const char *name : {"host", "user", "stranger"}) {
        int exit = 0;
        const QString out =
            run(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                 QStringLiteral("-N"), QString(), QStringLiteral("-C"), QLatin1String(name),
                 QStringLiteral("-f"), keys + QLatin1Char('/') + QLatin1String(name)},
                &exit);
        QVERIFY2(exit == 0, qPrintable(out));
    }
    QFile::copy(keys + QStringLiteral("/user.pub"), keys + QStringLiteral("/authorized_keys"));
    const quint16 port = freePort();
    const QString config = m_env->writeFile(
        QStringLiteral("keys/sshd_config"),
        QStringLiteral("Port %1\nListenAddress 127.0.0.1\nHostKey %2/host\n"
                       "AuthorizedKeysFile %2/authorized_keys\nPidFile none\nStrictModes no\n"
                       "UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                       "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
                       "LogLevel ERROR\n")
            .arg(port)
            .arg(keys)
            .toUtf8());
    Server server;
    if (!server.start(sshd,
                      {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config},
                      port)) {
        QSKIP(qPrintable(QStringLiteral("sshd cannot start here: ") + server.error()));
    }

    GitTestRepo remote(m_env->path(QStringLiteral("remote.git")), true);
    const QString url = QStringLiteral("ssh://%1@127.0.0.1:%2%3")
                            .arg(QString::fromLocal8Bit(user->pw_name))
                            .arg(port)
                            .arg(remote.path());
    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    DevLogConfig settings = devlogConfig(url);
    settings.sshKey = keys + QStringLiteral("/user");

    // The host key is checked against known_hosts: unknown first, nothing pushed.
    {
        DevLogPusher pusher(settings, devlog);
        const PushReport unknown = pusher.push();
        QCOMPARE(unknown.outcome, Outcome::AuthFailed);
        QVERIFY2(unknown.message.contains(QStringLiteral("[127.0.0.1]:%1 is not in").arg(port)),
                 qPrintable(unknown.message));
        QVERIFY(remote.headId().isEmpty());
    }
    const QByteArray hostKey = test::readFile(keys + QStringLiteral("/host.pub"));
    m_env->writeFile(QStringLiteral("home/.ssh/known_hosts"),
                     QStringLiteral("[127.0.0.1]:%1 ").arg(port).toUtf8() + hostKey);

    // A key the server does not know is refused once, without looping.
    {
        DevLogConfig stranger = settings;
        stranger.sshKey = keys + QStringLiteral("/stranger");
        DevLogPusher pusher(stranger, devlog);
        const PushReport refused = pusher.push();
        QCOMPARE(refused.outcome, Outcome::AuthFailed);
        QVERIFY2(refused.message.contains(QLatin1String("key ")), qPrintable(refused.message));
        QVERIFY(remote.headId().isEmpty());
    }

    DevLogPusher pusher(settings, devlog);
    const PushReport report = pusher.push();
    QVERIFY2(report.outcome == Outcome::Pushed, qPrintable(report.message + server.output()));
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());

    // The agent comes first: with the key only in ssh-agent, the push still goes through.
    const QString agentSocket = m_env->path(QStringLiteral("agent.sock"));
    QProcess agent;
    agent.start(QStringLiteral("ssh-agent"),
                {QStringLiteral("-D"), QStringLiteral("-a"), agentSocket});
    QVERIFY(agent.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(agentSocket), 10000);
    qputenv("SSH_AUTH_SOCK", QFile::encodeName(agentSocket));
    int added = 0;
    const QString addOut = run(QStringLiteral("ssh-add"), {keys + QStringLiteral("/user")}, &added);
    QVERIFY2(added == 0, qPrintable(addOut));
    QVERIFY(
        !commitDocument(devlog, QStringLiteral("til/agent.md"), QStringLiteral("agent")).isEmpty());
    DevLogConfig agentOnly = devlogConfig(url);
    agentOnly.sshKey = keys + QStringLiteral("/stranger"); // offered only if the agent fails
    const PushReport viaAgent = DevLogPusher(agentOnly, devlog).push();
    qunsetenv("SSH_AUTH_SOCK");
    agent.terminate();
    agent.waitForFinished(5000);
    QVERIFY2(viaAgent.outcome == Outcome::Pushed, qPrintable(viaAgent.message));
    QCOMPARE(remote.headId(), GitTestRepo(devlog).headId());
}

void TestDevLogPush::credentialFillAsksTheHelper()
{
    // Without a helper git has nothing, and says so without prompting.
    const auto none = gitCredentialFill(QStringLiteral("https://devlog.example/me/devlog.git"));
    QVERIFY(!none);
    QVERIFY2(none.error().contains(QLatin1String("no credentials for devlog.example")),
             qPrintable(none.error()));

    const QString helper = m_env->writeFile(
        QStringLiteral("bin/helper.sh"),
        "#!/bin/sh\n# Records what git asked, answers for one host only.\n"
        "test \"$1\" = get || exit 0\ncat > \"$(dirname \"$0\")/asked.txt\"\n"
        "grep -q '^host=devlog.example$' \"$(dirname \"$0\")/asked.txt\" || exit 0\n"
        "echo username=alice\necho password=s3cret\n");
    QVERIFY(QFile::setPermissions(helper, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    m_env->writeFile(
        QStringLiteral("home/.gitconfig"),
        QStringLiteral("[credential]\n\thelper = %1\n\tuseHttpPath = true\n").arg(helper).toUtf8());
    const auto filled = gitCredentialFill(QStringLiteral("https://devlog.example/me/devlog.git"));
    QVERIFY2(filled, qPrintable(filled.error()));
    QCOMPARE(filled->username, QStringLiteral("alice"));
    QCOMPARE(filled->password, QStringLiteral("s3cret"));
    const QByteArray asked = test::readFile(m_env->path(QStringLiteral("bin/asked.txt")));
    QVERIFY2(asked.contains("protocol=https\n") && asked.contains("path=me/devlog.git\n"),
             asked.constData());
}

void TestDevLogPush::credentialsReachAnHttpRemoteAndStop()
{
    // A server that wants Basic credentials and refuses every one it gets.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QStringList authorizations;
    int requests = 0;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                const QByteArray request =
                    socket->property("buffer").toByteArray() + socket->readAll();
                socket->setProperty("buffer", request);
                if (!request.contains("\r\n\r\n")) {
                    return;
                }
                socket->setProperty("buffer", QByteArray());
                ++requests;
                for (const QByteArray &line : request.split('\n')) {
                    if (line.toLower().startsWith("authorization:")) {
                        authorizations << QString::fromLatin1(line.mid(14).trimmed());
                    }
                }
                socket->write("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic "
                              "realm=\"devlog\"\r\nContent-Length: 0\r\n\r\n");
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    const QString helper = m_env->writeFile(QStringLiteral("bin/helper.sh"),
                                            "#!/bin/sh\ntest \"$1\" = get || exit 0\n"
                                            "echo username=alice\necho password=s3cret\n");
    QVERIFY(QFile::setPermissions(helper, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    m_env->writeFile(QStringLiteral("home/.gitconfig"),
                     QStringLiteral("[credential]\n\thelper = %1\n").arg(helper).toUtf8());
    qputenv("CODEWORM_TEST_TOKEN", "t0ken");

    const QString devlog = makeDevLog(QStringLiteral("devlog"));
    DevLogConfig config =
        devlogConfig(QStringLiteral("http://127.0.0.1:%1/me/devlog.git").arg(server.serverPort()));
    config.tokenEnv = QStringLiteral("CODEWORM_TEST_TOKEN");
    // A pool of its own: its thread, and libgit2's state on it, end with this test.
    QThreadPool pool;
    const QFuture<PushReport> pushing =
        QtConcurrent::run(&pool, [config, devlog] { return DevLogPusher(config, devlog).push(); });
    QTRY_VERIFY_WITH_TIMEOUT(pushing.isFinished(), 60000);
    qunsetenv("CODEWORM_TEST_TOKEN");
    const PushReport report = pushing.result();

    QCOMPARE(report.outcome, Outcome::AuthFailed);
    QVERIFY2(report.message.contains(QLatin1String("token from $CODEWORM_TEST_TOKEN")) &&
                 report.message.contains(QLatin1String("git credential helper")),
             qPrintable(report.message));
    QVERIFY2(!report.message.contains(QLatin1String("t0ken")) &&
                 !report.message.contains(QLatin1String("s3cret")),
             qPrintable(report.message));
    // The token first, then the helper's credentials; then it stops.
    QCOMPARE(authorizations,
             QStringList({QStringLiteral("Basic ") +
                              QString::fromLatin1(QByteArray("x-access-token:t0ken").toBase64()),
                          QStringLiteral("Basic ") +
                              QString::fromLatin1(QByteArray("alice:s3cret").toBase64())}));
    QVERIFY(requests <= RemoteAuth::maxCredentialCalls + 1);
}

void TestDevLogPush::knownHostsMatching()
{
    const QByteArray key = QByteArray::fromBase64(
        "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
    const QByteArray other = QByteArray::fromBase64(
        "AAAAC3NzaC1lZDI1NTE5AAAAIHkxRyRDmBl3m5GwsQ9tOvnBHQh6OhQH3SoP5rTWwBZt");
    const QString file =
        m_env->writeFile(QStringLiteral("known_hosts"),
                         "# comment\n"
                         "git.example,192.0.2.1 ssh-ed25519 "
                         "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
                         "[box.example]:2222 ssh-ed25519 "
                         "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
                         "*.wild.example,!bad.wild.example ssh-ed25519 "
                         "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
                         "@revoked * ssh-ed25519 "
                         "AAAAC3NzaC1lZDI1NTE5AAAAIHkxRyRDmBl3m5GwsQ9tOvnBHQh6OhQH3SoP5rTWwBZt\n");
    // A hashed entry as ssh-keygen -H writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, host)).
    const QByteArray salt("0123456789abcdefghij");
    const QByteArray hash =
        QMessageAuthenticationCode::hash("hashed.example", salt, QCryptographicHash::Sha1);
    const QString hashed = m_env->writeFile(
        QStringLiteral("known_hosts2"),
        "|1|" + salt.toBase64() + '|' + hash.toBase64() +
            " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    const QStringList files{file, hashed, m_env->path(QStringLiteral("missing"))};

    QCOMPARE(checkKnownHost(files, QStringLiteral("git.example"), key), HostKeyStatus::Known);
    QCOMPARE(checkKnownHost(files, QStringLiteral("192.0.2.1"), key), HostKeyStatus::Known);
    QCOMPARE(checkKnownHost(files, QStringLiteral("[box.example]:2222"), key),
             HostKeyStatus::Known);
    QCOMPARE(checkKnownHost(files, QStringLiteral("box.example"), key), HostKeyStatus::Unknown);
    QCOMPARE(checkKnownHost(files, QStringLiteral("a.wild.example"), key), HostKeyStatus::Known);
    QCOMPARE(checkKnownHost(files, QStringLiteral("bad.wild.example"), key),
             HostKeyStatus::Unknown);
    QCOMPARE(checkKnownHost(files, QStringLiteral("hashed.example"), key), HostKeyStatus::Known);
    QCOMPARE(checkKnownHost(files, QStringLiteral("elsewhere.example"), key),
             HostKeyStatus::Unknown);
    QCOMPARE(checkKnownHost(files, QStringLiteral("git.example"), other), HostKeyStatus::Revoked);
    QCOMPARE(
        checkKnownHost({file}, QStringLiteral("git.example"),
                       QByteArray::fromBase64(
                           "AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")),
        HostKeyStatus::Changed);
}

void TestDevLogPush::configKeys()
{
    const Config defaults;
    QCOMPARE(defaults.devlog.pushTries, 3);
    QCOMPARE(defaults.devlog.pushRetryS, 60.0);
    QCOMPARE(defaults.devlog.pushRetryMaxS, 1800.0);
    QCOMPARE(defaults.devlog.pushTimeoutS, 120.0);

    const QString dir = m_env->path(QStringLiteral("conf"));
    auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("devlog:\n  remote: git@github.com:me/devlog.git\n  ssh_key: keys/id\n"
                       "  ssh_passphrase_env: KEY_PASS\n  token_env: DEVLOG_TOKEN\n"
                       "  push_tries: 5\n  push_retry_s: 10\n  push_retry_max_s: 600\n"
                       "  push_timeout_s: 0\n"),
        {}, {}, dir);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    const DevLogConfig &d = loaded->config.devlog;
    QCOMPARE(d.remote, QStringLiteral("git@github.com:me/devlog.git"));
    QCOMPARE(d.sshKey, dir + QStringLiteral("/keys/id"));
    QCOMPARE(d.sshPassphraseEnv, QStringLiteral("KEY_PASS"));
    QCOMPARE(d.tokenEnv, QStringLiteral("DEVLOG_TOKEN"));
    QCOMPARE(d.pushTries, 5);
    QCOMPARE(d.pushRetryS, 10.0);
    QCOMPARE(d.pushRetryMaxS, 600.0);
    QCOMPARE(d.pushTimeoutS, 0.0);
    QVERIFY(loaded->warnings.isEmpty());

    auto secret = ConfigLoader::loadFromStrings(
        QStringLiteral("devlog:\n  token_env: ghp_abc123-secret\n"), {}, {}, dir);
    QVERIFY(!secret);
    QVERIFY2(
        secret.error().contains(dir + QStringLiteral("/config.yaml:2: key 'devlog.token_env'")),
        qPrintable(secret.error()));
    QVERIFY(!secret.error().contains(QLatin1String("ghp_abc123")));

    auto token =
        ConfigLoader::loadFromStrings(QStringLiteral("devlog:\n  token: abc\n"), {}, {}, dir);
    QVERIFY(!token);
    QVERIFY2(token.error().contains(QLatin1String(":2: key 'devlog.token': secrets are never")),
             qPrintable(token.error()));

    auto order = ConfigLoader::loadFromStrings(
        QStringLiteral("devlog:\n  push_retry_s: 100\n  push_retry_max_s: 50\n"), {}, {}, dir);
    QVERIFY(!order);
    QVERIFY2(order.error().contains(QLatin1String(":3: key 'devlog.push_retry_max_s'")),
             qPrintable(order.error()));

    auto tries =
        ConfigLoader::loadFromStrings(QStringLiteral("devlog:\n  push_tries: 0\n"), {}, {}, dir);
    QVERIFY(!tries);
    QVERIFY2(tries.error().contains(QLatin1String(":2: key 'devlog.push_tries': expected an "
                                                  "integer from 1 to 10")),
             qPrintable(tries.error()));
}

QTEST_GUILESS_MAIN(TestDevLogPush)
#include "TestDevLogPush.moc"
