// The real binary killed with SIGKILL at random moments, cycle after cycle, against the fake
// LLM: afterwards the DevLog is a sound git repository without stray files, every CodeWorm
// commit has exactly one state row, no row lacks its commit and no target is documented
// twice. The next start repairs what a kill left (write journal, rows from trailers).

#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include "targets/DocType.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace codeworm::test;

namespace {

constexpr int cycles = 110;

QByteArray manyFunctions(int count)
{
    QByteArray source;
    for (int i = 0; i < count; ++i) {
        source += "def step_" + QByteArray::number(i) + "(value):\n    if value > " +
                  QByteArray::number(i) + ":\n        return value - " + QByteArray::number(i) +
                  "\n    return value + " + QByteArray::number(i) + "\n\n\n";
    }
    return source;
}

} // namespace

class TestCrashConsistency : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void killedCyclesLeaveNothingInconsistent();
    void damagedStateIsRebuiltFromTheDevLog();
    void lockedStateIsAClearError();

private:
    ProcessResult git(const QStringList &arguments) const;
    ProcessResult codeworm(const QString &command) const;
    // Every commit has exactly one row with its code hash; no row lacks its commit; no hash
    // is recorded twice.
    void verifyRows(const QString &state, const QHash<QString, QString> &hashOfCommit);
    // CodeWorm's commits of the DevLog: id and code hash (from the trailers).
    QHash<QString, QString> documentCommits();

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    std::unique_ptr<GitTestRepo> m_source;
    QString m_git;
    QString m_devlog;
    QString m_state;
};

ProcessResult TestCrashConsistency::git(const QStringList &arguments) const
{
    return runProcess(m_git, QStringList{QStringLiteral("-C"), m_devlog} + arguments);
}

ProcessResult TestCrashConsistency::codeworm(const QString &command) const
{
    return runProcess(QStringLiteral(CODEWORM_BINARY),
                      {QStringLiteral("--config"), m_env->path(QStringLiteral("conf")), command});
}

void TestCrashConsistency::init()
{
    m_git = QStandardPaths::findExecutable(QStringLiteral("git"));
    QVERIFY2(!m_git.isEmpty(), "the git program is not installed (scripts/setup installs it)");
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_source = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("src/steps")));
    m_source->writeFile(QStringLiteral("steps/a.py"), manyFunctions(70));
    m_source->writeFile(QStringLiteral("steps/b.py"),
                        manyFunctions(140).mid(manyFunctions(70).size()));
    m_source->commit(QStringLiteral("Add steps"));
    m_devlog = m_env->path(QStringLiteral("devlog"));
    m_state = m_env->path(QStringLiteral("state"));
    QString weights;
    for (const QString &type : codeworm::DocType::ids()) {
        weights += QStringLiteral("    %1: %2\n")
                       .arg(type)
                       .arg(type == QLatin1String("function_doc") ? 1 : 0);
    }
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("data_dir: %1\ndevlog:\n  repo_path: %2\n"
                                    "  author_name: DevLog Tester\n"
                                    "  author_email: devlog@example.com\n"
                                    "ollama:\n  host: 127.0.0.1\n  port: %3\n"
                                    "  model: fake-model:1b\n  retry_delay_s: 0.01\n"
                                    "analyzer:\n  min_complexity: 2\n  min_lines: 3\n"
                                    "documentation:\n  fact_check: skip\n  type_weights:\n%4")
                         .arg(m_state, m_devlog)
                         .arg(m_server->port())
                         .arg(weights)
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"),
                     QStringLiteral("repositories:\n  - name: steps\n    path: %1\n")
                         .arg(m_source->path())
                         .toUtf8());
}

void TestCrashConsistency::cleanup()
{
    const QStringList names = QSqlDatabase::connectionNames();
    for (const QString &name : names) {
        QSqlDatabase::removeDatabase(name);
    }
    m_source.reset();
    m_server.reset();
    m_env.reset();
}

QHash<QString, QString> TestCrashConsistency::documentCommits()
{
    const ProcessResult log = git({QStringLiteral("log"),
                                   QStringLiteral("--format=%H %(trailers:key=CodeWorm-Code-Hash,"
                                                  "valueonly,separator=)"),
                                   QStringLiteral("--grep=^CodeWorm-Type:")});
    QHash<QString, QString> hashOfCommit;
    for (const QString &line : log.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList parts = line.split(QLatin1Char(' '));
        hashOfCommit.insert(parts.value(0), parts.value(1));
    }
    return hashOfCommit;
}

void TestCrashConsistency::killedCyclesLeaveNothingInconsistent()
{
    TestEnvironment &env = *m_env;
    const QString state = m_state;
    // How long a whole cycle takes here: the kills fall anywhere within it.
    qint64 warm = 50; // the last of three whole runs: the first pays for a cold start
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer clock;
        clock.start();
        const ProcessResult whole =
            runProcess(QStringLiteral(CODEWORM_BINARY),
                       {QStringLiteral("--config"), env.path(QStringLiteral("conf")),
                        QStringLiteral("run-once")});
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
        warm = std::max<qint64>(clock.elapsed(), 20);
    }
    const int cycleMs = int(warm);

    // Seeded: a failure repeats with the same kills.
    QRandomGenerator random(20261130);
    int killed = 0;
    int finished = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        QProcess process;
        process.setProgram(QStringLiteral(CODEWORM_BINARY));
        process.setArguments({QStringLiteral("--config"), env.path(QStringLiteral("conf")),
                              QStringLiteral("run-once")});
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // Waiting spins the event loop: the fake server answers from it.
        QSignalSpy done(&process, &QProcess::finished);
        process.start();
        QVERIFY(process.waitForStarted());
        // Every third cycle runs to its end (the DevLog grows); the others are killed anywhere
        // from start-up to about the end of a cycle.
        const bool spared = cycle % 3 == 2;
        const int delayMs = spared ? 60000 : 1 + random.bounded(cycleMs + cycleMs / 4);
        if (done.wait(delayMs)) {
            ++finished;
            continue;
        }
        ::kill(pid_t(process.processId()), SIGKILL);
        ++killed;
        QVERIFY(done.count() > 0 || done.wait(60000));
    }
    // The last start repairs what the last kill left; it runs a cycle of its own too.
    const ProcessResult last = runProcess(
        QStringLiteral(CODEWORM_BINARY),
        {QStringLiteral("--config"), env.path(QStringLiteral("conf")), QStringLiteral("run-once")});
    QVERIFY2(last.exitCode == 0 || last.exitCode == 1, qPrintable(last.err));
    qInfo("%d cycles of about %d ms: %d killed, %d ran to their end", cycles, cycleMs, killed,
          finished);
    QVERIFY(killed > 0);

    // Objects a killed run wrote before its commit are dangling, which fsck lists but is no
    // fault (git gc prunes them in time): everything else must be silent.
    const ProcessResult fsck =
        git({QStringLiteral("fsck"), QStringLiteral("--strict"), QStringLiteral("--no-dangling"),
             QStringLiteral("--no-progress")});
    QVERIFY2(fsck.exitCode == 0 && fsck.out.trimmed().isEmpty(), qPrintable(fsck.out + fsck.err));
    const ProcessResult status = git({QStringLiteral("status"), QStringLiteral("--porcelain"),
                                      QStringLiteral("--untracked-files=all")});
    QVERIFY2(status.out.isEmpty(), qPrintable(status.out));

    // CodeWorm's commits: no target documented twice.
    const QHash<QString, QString> hashOfCommit = documentCommits();
    const QList<QString> hashes = hashOfCommit.values();
    QCOMPARE(QSet<QString>(hashes.cbegin(), hashes.cend()).size(), hashOfCommit.size());
    QVERIFY2(hashOfCommit.size() >= 10, qPrintable(QString::number(hashOfCommit.size())));
    qInfo("%lld CodeWorm commits", qlonglong(hashOfCommit.size()));

    verifyRows(state, hashOfCommit);
    if (QTest::currentTestFailed()) {
        return;
    }

    // rebuild-state makes the same rows from the DevLog alone, and keeps the old database.
    const ProcessResult rebuilt =
        runProcess(QStringLiteral(CODEWORM_BINARY),
                   {QStringLiteral("--config"), env.path(QStringLiteral("conf")),
                    QStringLiteral("rebuild-state")});
    QVERIFY2(rebuilt.exitCode == 0, qPrintable(rebuilt.err));
    QVERIFY2(rebuilt.out.contains(QStringLiteral("%1 documents").arg(hashOfCommit.size())),
             qPrintable(rebuilt.out));
    QCOMPARE(QDir(state).entryList({QStringLiteral("codeworm.db.before-rebuild-*")}).size(), 1);
    verifyRows(state, hashOfCommit);
}

void TestCrashConsistency::verifyRows(const QString &state,
                                      const QHash<QString, QString> &hashOfCommit)
{
    QHash<QString, int> rowsOfCommit;
    QSet<QString> recordedHashes;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(state + QStringLiteral("/codeworm.db"));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(
            query.exec(QStringLiteral("SELECT git_commit, code_hash FROM documented_snippets")));
        while (query.next()) {
            const QString commit = query.value(0).toString();
            const QString hash = query.value(1).toString();
            QVERIFY2(!recordedHashes.contains(hash),
                     qPrintable(QStringLiteral("recorded twice: ") + hash));
            recordedHashes.insert(hash);
            rowsOfCommit[commit] += 1;
            QVERIFY2(hashOfCommit.contains(commit),
                     qPrintable(QStringLiteral("a row without its commit: ") + commit));
            QCOMPARE(hash, hashOfCommit.value(commit));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    for (auto it = hashOfCommit.cbegin(); it != hashOfCommit.cend(); ++it) {
        QVERIFY2(rowsOfCommit.value(it.key()) == 1,
                 qPrintable(QStringLiteral("commit %1 has %2 rows")
                                .arg(it.key())
                                .arg(rowsOfCommit.value(it.key()))));
    }
}

void TestCrashConsistency::damagedStateIsRebuiltFromTheDevLog()
{
    for (int run = 0; run < 3; ++run) {
        QCOMPARE(codeworm(QStringLiteral("run-once")).exitCode, 0);
    }
    // Pages of the database overwritten: not SQLite any more.
    const QString database = m_state + QStringLiteral("/codeworm.db");
    {
        QFile file(database);
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.write(QByteArray(4096, '\x5a'));
    }
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile::remove(database + suffix);
    }
    const ProcessResult run = codeworm(QStringLiteral("run-once"));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("was damaged")) &&
                 run.err.contains(QStringLiteral("rebuilt from the DevLog (3 documents)")),
             qPrintable(run.err));
    QCOMPARE(QDir(m_state).entryList({QStringLiteral("codeworm.db.corrupt-*")}).size(), 1);
    const QHash<QString, QString> commits = documentCommits();
    QCOMPARE(commits.size(), 4);
    verifyRows(m_state, commits);
}

void TestCrashConsistency::lockedStateIsAClearError()
{
    QCOMPARE(codeworm(QStringLiteral("run-once")).exitCode, 0);
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        db.setDatabaseName(m_state + QStringLiteral("/codeworm.db"));
        QVERIFY(db.open());
        QSqlQuery hold(db);
        // Another program holds the database for longer than the busy timeout.
        QVERIFY(hold.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE")));
        QVERIFY(hold.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        const ProcessResult run = codeworm(QStringLiteral("run-once"));
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QStringLiteral("locked")) &&
                     run.err.contains(QStringLiteral("another CodeWorm")),
                 qPrintable(run.err));
        QVERIFY(hold.exec(QStringLiteral("ROLLBACK")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("holder"));
    // Nothing was lost or moved: the next run works on the same database.
    QCOMPARE(QDir(m_state).entryList({QStringLiteral("codeworm.db.*")}).size(), 0);
    QCOMPARE(codeworm(QStringLiteral("run-once")).exitCode, 0);
    verifyRows(m_state, documentCommits());
}

QTEST_GUILESS_MAIN(TestCrashConsistency)
#include "TestCrashConsistency.moc"
