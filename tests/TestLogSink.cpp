// The log: rotation of codeworm.log (from several threads, nothing lost or split), JSON lines,
// the journald priority prefixes when stderr is the journal, and the real binary logging
// JSON and to the journal.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include "cli/CommandLine.h"
#include "cli/LogSink.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcTest, "codeworm.test")

using namespace codeworm;
using namespace codeworm::test;

namespace {

// Points this process's stderr (fd 2) at a file until stop(), which returns what was written.
class StderrCapture
{
public:
    explicit StderrCapture(const QString &path)
        : m_path(path)
    {
        std::fflush(stderr);
        m_saved = ::dup(STDERR_FILENO);
        const int fd = ::open(QFile::encodeName(path).constData(),
                              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
    }
    ~StderrCapture() { stop(); }
    StderrCapture(const StderrCapture &) = delete;
    StderrCapture &operator=(const StderrCapture &) = delete;

    QByteArray stop()
    {
        if (m_saved >= 0) {
            std::fflush(stderr);
            ::dup2(m_saved, STDERR_FILENO);
            ::close(m_saved);
            m_saved = -1;
        }
        return readFile(m_path);
    }

private:
    QString m_path;
    int m_saved = -1;
};

// JOURNAL_STREAM's value for the file at `path`: "<device>:<inode>".
QByteArray journalStreamOf(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        return {};
    }
    return QByteArray::number(qulonglong(info.st_dev)) + ':' +
           QByteArray::number(qulonglong(info.st_ino));
}

QList<QByteArray> linesOf(const QByteArray &content)
{
    QList<QByteArray> lines = content.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty()) {
        lines.removeLast();
    }
    return lines;
}

// The numbers of the "entry N;" lines of a text log file; -1 for a line that is not one whole
// entry.
QList<int> entryNumbers(const QByteArray &content)
{
    static const QRegularExpression entry(
        QStringLiteral("^\\S+ info: codeworm\\.test: entry (\\d+);x+;end$"));
    QList<int> numbers;
    for (const QByteArray &line : linesOf(content)) {
        const auto match = entry.match(QString::fromUtf8(line));
        numbers.append(match.hasMatch() ? match.captured(1).toInt() : -1);
    }
    return numbers;
}

void logEntry(int n)
{
    qCInfo(lcTest, "entry %d;%s;end", n, QByteArray(20 + n % 37, 'x').constData());
}

void verifyJsonLine(const QByteArray &line, const QString &level, const QString &message)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), line.constData());
    const QJsonObject object = document.object();
    static const QRegularExpression iso(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d$"));
    QVERIFY2(iso.match(object.value(QStringLiteral("time")).toString()).hasMatch(),
             line.constData());
    QCOMPARE(object.value(QStringLiteral("level")).toString(), level);
    QCOMPARE(object.value(QStringLiteral("category")).toString(), QStringLiteral("codeworm.test"));
    QCOMPARE(object.value(QStringLiteral("message")).toString(), message);
    QCOMPARE(object.value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());
}

} // namespace

class TestLogSink : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rotationKeepsEveryLineAndDropsTheOldest();
    void rotationFromManyThreadsLosesNoLine();
    void keepFilesZeroStartsTheFileAgain();
    void appendsToAnExistingFileAndCountsItsSize();
    void jsonLinesCarryEveryField();
    void journalStreamMustNameStderr();
    void journalLinesCarryThePriorityNotTheTime();
    void logFormatOptionIsParsed();
    void binaryLogsJson();
    void binaryUnderSystemdWritesPriorities();

private:
    QString logPath() const { return m_env->path(QStringLiteral("state/codeworm.log")); }
    void writeRunOnceConfig(FakeOllamaServer &server, const QString &logSection);

    std::unique_ptr<TestEnvironment> m_env;
};

void TestLogSink::init()
{
    m_env = std::make_unique<TestEnvironment>();
    qunsetenv("JOURNAL_STREAM");
    LogSink::install(false);
    LogSink::setFormat(LogSink::Format::Text);
    LogSink::setJournal(false);
    LogSink::setRotation(0, 3);
}

void TestLogSink::cleanup()
{
    LogSink::closeFile();
    // Back to Qt's handler, so that QTest's own messages reach its output.
    qInstallMessageHandler(nullptr);
    qunsetenv("JOURNAL_STREAM");
    m_env.reset();
}

void TestLogSink::rotationKeepsEveryLineAndDropsTheOldest()
{
    const qint64 maxBytes = 2000;
    LogSink::setRotation(maxBytes, 3);
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(m_env->path(QStringLiteral("stderr")));
    const int count = 400;
    for (int n = 0; n < count; ++n) {
        logEntry(n);
    }
    LogSink::closeFile();
    const QList<int> onStderr = entryNumbers(capture.stop());
    QCOMPARE(onStderr.size(), count);

    // Three rotated files at most, each within the limit and made of whole lines, newest
    // first: together the last lines written, in order, without a gap.
    QVERIFY(!QFile::exists(logPath() + QStringLiteral(".4")));
    QList<int> kept;
    for (const QString &suffix :
         {QStringLiteral(".3"), QStringLiteral(".2"), QStringLiteral(".1"), QString()}) {
        const QString path = logPath() + suffix;
        QVERIFY2(QFile::exists(path), qPrintable(path));
        const QByteArray content = readFile(path);
        QVERIFY2(content.size() <= maxBytes, qPrintable(path));
        QVERIFY(content.endsWith('\n'));
        const QList<int> numbers = entryNumbers(content);
        QVERIFY2(!numbers.isEmpty() && !numbers.contains(-1), qPrintable(path));
        kept += numbers;
    }
    QCOMPARE(kept.last(), count - 1);
    QVERIFY2(kept.first() > 0, "the oldest lines were dropped with the oldest file");
    for (qsizetype i = 1; i < kept.size(); ++i) {
        QCOMPARE(kept.at(i), kept.at(i - 1) + 1);
    }
    // A rotated file is full up to the line that did not fit.
    QVERIFY(QFileInfo(logPath() + QStringLiteral(".1")).size() > maxBytes - 200);
}

void TestLogSink::rotationFromManyThreadsLosesNoLine()
{
    LogSink::setRotation(4096, 100);
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(m_env->path(QStringLiteral("stderr")));
    const int threads = 4;
    const int perThread = 250;
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([t] {
            for (int i = 0; i < perThread; ++i) {
                logEntry(t * perThread + i);
            }
        }));
        workers.back()->start();
    }
    for (auto &worker : workers) {
        QVERIFY(worker->wait(60000));
    }
    LogSink::closeFile();
    capture.stop();

    QList<int> all;
    const QStringList files = QDir(m_env->path(QStringLiteral("state")))
                                  .entryList({QStringLiteral("codeworm.log*")}, QDir::Files);
    QVERIFY2(files.size() > 5, qPrintable(files.join(u' ')));
    QVERIFY(files.size() <= 101);
    for (const QString &name : files) {
        const QByteArray content = readFile(m_env->path(QStringLiteral("state/") + name));
        QVERIFY2(content.size() <= 4096, qPrintable(name));
        all += entryNumbers(content);
    }
    QVERIFY(!all.contains(-1));
    std::sort(all.begin(), all.end());
    QCOMPARE(all.size(), threads * perThread);
    for (int n = 0; n < threads * perThread; ++n) {
        QCOMPARE(all.at(n), n);
    }
}

void TestLogSink::keepFilesZeroStartsTheFileAgain()
{
    LogSink::setRotation(1000, 0);
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(m_env->path(QStringLiteral("stderr")));
    for (int n = 0; n < 100; ++n) {
        logEntry(n);
    }
    LogSink::closeFile();
    capture.stop();
    QCOMPARE(QDir(m_env->path(QStringLiteral("state")))
                 .entryList({QStringLiteral("codeworm.log*")}, QDir::Files),
             QStringList{QStringLiteral("codeworm.log")});
    const QByteArray content = readFile(logPath());
    QVERIFY(content.size() <= 1000);
    const QList<int> numbers = entryNumbers(content);
    QVERIFY(!numbers.contains(-1));
    QCOMPARE(numbers.last(), 99);
}

void TestLogSink::appendsToAnExistingFileAndCountsItsSize()
{
    // A file left by an earlier run counts towards the limit: the first line rotates it.
    const QByteArray earlier = QByteArray(990, 'e') + '\n';
    m_env->writeFile(QStringLiteral("state/codeworm.log"), earlier);
    LogSink::setRotation(1000, 2);
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(m_env->path(QStringLiteral("stderr")));
    logEntry(7);
    LogSink::closeFile();
    capture.stop();
    QCOMPARE(readFile(logPath() + QStringLiteral(".1")), earlier);
    QCOMPARE(entryNumbers(readFile(logPath())), QList<int>{7});
}

void TestLogSink::jsonLinesCarryEveryField()
{
    LogSink::setFormat(LogSink::Format::Json);
    LogSink::setDebug(true);
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(m_env->path(QStringLiteral("stderr")));
    const QString tricky =
        QStringLiteral("say \"hi\"\\ now\nsecond line\ttab \u00e9\u4e2d \x01 end");
    qCInfo(lcTest).noquote() << tricky;
    qCWarning(lcTest, "careful");
    qCCritical(lcTest, "broken");
    qCDebug(lcTest, "details");
    LogSink::closeFile();
    const QByteArray err = capture.stop();

    for (const QByteArray &content : {err, readFile(logPath())}) {
        const QList<QByteArray> lines = linesOf(content);
        QCOMPARE(lines.size(), 4);
        verifyJsonLine(lines.at(0), QStringLiteral("info"), tricky);
        verifyJsonLine(lines.at(1), QStringLiteral("warning"), QStringLiteral("careful"));
        verifyJsonLine(lines.at(2), QStringLiteral("error"), QStringLiteral("broken"));
        verifyJsonLine(lines.at(3), QStringLiteral("debug"), QStringLiteral("details"));
    }
}

void TestLogSink::journalStreamMustNameStderr()
{
    const QString path = m_env->writeFile(QStringLiteral("stream"), {});
    const QString other = m_env->writeFile(QStringLiteral("other"), {});
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    const QByteArray stream = journalStreamOf(path);
    QVERIFY(LogSink::stderrIsJournal(stream, fd));
    QVERIFY(!LogSink::stderrIsJournal(journalStreamOf(other), fd));
    const QByteArray device = stream.left(stream.indexOf(':'));
    QVERIFY(!LogSink::stderrIsJournal(device + ":1", fd));
    QVERIFY(!LogSink::stderrIsJournal(device, fd));
    QVERIFY(!LogSink::stderrIsJournal("x:y", fd));
    QVERIFY(!LogSink::stderrIsJournal({}, fd));
    ::close(fd);
    QVERIFY(!LogSink::stderrIsJournal(stream, fd));
}

void TestLogSink::journalLinesCarryThePriorityNotTheTime()
{
    const QString path = m_env->path(QStringLiteral("stderr"));
    QString error;
    QVERIFY2(LogSink::setFile(logPath(), &error), qPrintable(error));
    StderrCapture capture(path);
    // As systemd starts a service: JOURNAL_STREAM names the stderr it connected.
    qputenv("JOURNAL_STREAM", journalStreamOf(path));
    LogSink::install(true);
    qCInfo(lcTest, "started");
    qCWarning(lcTest, "two\nlines");
    qCCritical(lcTest, "failed");
    qCDebug(lcTest, "details");
    LogSink::setFormat(LogSink::Format::Json);
    qCInfo(lcTest, "as json");
    LogSink::closeFile();
    const QList<QByteArray> lines = linesOf(capture.stop());
    QCOMPARE(lines,
             (QList<QByteArray>{"<6>info: codeworm.test: started", "<4>warning: codeworm.test: two",
                                "<4>lines", "<3>error: codeworm.test: failed",
                                "<7>debug: codeworm.test: details", lines.value(5)}));
    verifyJsonLine(lines.value(5), QStringLiteral("info"), QStringLiteral("as json"));
    // The file keeps its dates and no prefixes.
    const QList<QByteArray> fileLines = linesOf(readFile(logPath()));
    QCOMPARE(fileLines.size(), 6);
    QVERIFY2(fileLines.first().endsWith(" info: codeworm.test: started"),
             fileLines.first().constData());
    QVERIFY(
        QDateTime::fromString(QString::fromUtf8(fileLines.first().split(' ').first()), Qt::ISODate)
            .isValid());

    // A stderr that is not the stream JOURNAL_STREAM names (redirected by a parent) gets the
    // terminal's lines.
    StderrCapture elsewhere(m_env->path(QStringLiteral("stderr2")));
    LogSink::install(false);
    LogSink::setFormat(LogSink::Format::Text);
    qCInfo(lcTest, "started");
    const QByteArray plain = elsewhere.stop();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d info: codeworm.test: "
                                               "started\n$"))
                 .match(QString::fromUtf8(plain))
                 .hasMatch(),
             plain.constData());
}

void TestLogSink::logFormatOptionIsParsed()
{
    const auto program = QStringLiteral("codeworm");
    for (const QString &command : {QStringLiteral("run"), QStringLiteral("run-once")}) {
        const ParsedCommandLine parsed = CommandLine::parse(
            {program, command, QStringLiteral("--log-format"), QStringLiteral("json")});
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.logFormat, QStringLiteral("json"));
    }
    QVERIFY(CommandLine::parse({program}).logFormat.isEmpty());
    QVERIFY(CommandLine::parse({program, QStringLiteral("--log-format"), QStringLiteral("xml")})
                .error.contains(QStringLiteral("xml")));
    QVERIFY(CommandLine::parse({program, QStringLiteral("stats"), QStringLiteral("--log-format"),
                                QStringLiteral("json")})
                .error.contains(QStringLiteral("does not apply")));
    const ProcessResult help =
        runProcess(QStringLiteral(CODEWORM_BINARY), {QStringLiteral("--help")});
    QVERIFY(help.out.contains(QStringLiteral("--log-format <text|json>")));
}

void TestLogSink::writeRunOnceConfig(FakeOllamaServer &server, const QString &logSection)
{
    // The unknown key makes a warning: a log line that every run writes.
    m_env->writeFile(
        QStringLiteral("conf/config.yaml"),
        QStringLiteral("data_dir: %1\n"
                       "devlog:\n"
                       "  repo_path: %2\n"
                       "ollama:\n"
                       "  host: 127.0.0.1\n"
                       "  port: %3\n"
                       "  model: fake-model:1b\n"
                       "analyzer:\n"
                       "  min_complexity: 1\n"
                       "  min_lines: 2\n"
                       "unheard_of: 1\n"
                       "%4")
            .arg(m_env->path(QStringLiteral("state")), m_env->path(QStringLiteral("devlog")))
            .arg(server.port())
            .arg(logSection)
            .toUtf8());
    GitTestRepo source(m_env->path(QStringLiteral("src/tool")));
    source.writeFile(QStringLiteral("tool.py"),
                     "def pick(a, b):\n    if a > b:\n        return a\n    return b\n");
    source.commit(QStringLiteral("Add tool"));
    m_env->writeFile(QStringLiteral("conf/repos.yaml"),
                     QStringLiteral("repositories:\n  - name: tool\n    path: %1\n")
                         .arg(source.path())
                         .toUtf8());
}

void TestLogSink::binaryLogsJson()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setReplyText(QStringLiteral("Picks the larger value."));
    writeRunOnceConfig(server, QStringLiteral("log:\n  format: text\n"));
    const ProcessResult result =
        runProcess(QStringLiteral(CODEWORM_BINARY),
                   {QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                    QStringLiteral("run-once"), QStringLiteral("--dry-run"),
                    QStringLiteral("--log-format"), QStringLiteral("json")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QList<QByteArray> errLines = linesOf(result.err.toUtf8());
    const QList<QByteArray> fileLines = linesOf(readFile(logPath()));
    QVERIFY(!errLines.isEmpty());
    QVERIFY(!fileLines.isEmpty());
    bool sawWarning = false;
    for (const QByteArray &line : errLines + fileLines) {
        const QJsonDocument document = QJsonDocument::fromJson(line);
        QVERIFY2(document.isObject(), line.constData());
        const QJsonObject object = document.object();
        for (const char *key : {"time", "level", "category", "message"}) {
            QVERIFY2(!object.value(QLatin1String(key)).toString().isEmpty(), line.constData());
        }
        QVERIFY(object.value(QStringLiteral("pid")).toInteger() > 0);
        QVERIFY2(object.value(QStringLiteral("category"))
                     .toString()
                     .startsWith(QStringLiteral("codeworm.")),
                 line.constData());
        sawWarning = sawWarning || (object.value(QStringLiteral("level")).toString() ==
                                        QLatin1String("warning") &&
                                    object.value(QStringLiteral("message"))
                                        .toString()
                                        .contains(QStringLiteral("unheard_of")));
    }
    QVERIFY(sawWarning);
}

void TestLogSink::binaryUnderSystemdWritesPriorities()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setReplyText(QStringLiteral("Picks the larger value."));
    writeRunOnceConfig(server, {});
    const QString errPath = m_env->writeFile(QStringLiteral("journal"), {});
    QProcess process;
    process.setProgram(QStringLiteral(CODEWORM_BINARY));
    process.setArguments({QStringLiteral("--config"), m_env->path(QStringLiteral("conf")),
                          QStringLiteral("run-once"), QStringLiteral("--dry-run")});
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardErrorFile(errPath);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("JOURNAL_STREAM"),
                       QString::fromLatin1(journalStreamOf(errPath)));
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QVERIFY(finished.wait(60000));
    const QByteArray err = readFile(errPath);
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             err.constData());
    const QList<QByteArray> lines = linesOf(err);
    QVERIFY2(std::any_of(lines.cbegin(), lines.cend(),
                         [](const QByteArray &line) {
                             return line.startsWith("<4>warning: codeworm.cli: ") &&
                                    line.contains("unheard_of");
                         }),
             err.constData());
    static const QRegularExpression prefixed(
        QStringLiteral("^<[2-7]>(debug|info|warning|error): "));
    for (const QByteArray &line : lines) {
        QVERIFY2(prefixed.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }
    // The file in the state folder keeps the time stamps.
    const QList<QByteArray> fileLines = linesOf(readFile(logPath()));
    QVERIFY(!fileLines.isEmpty());
    QVERIFY(!fileLines.first().startsWith('<'));
}

QTEST_GUILESS_MAIN(TestLogSink)
#include "TestLogSink.moc"
