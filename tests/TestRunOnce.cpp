// Runs the real codeworm binary (run-once) against a fake Ollama server, a temporary source
// repository and a temporary DevLog, then checks the commit, the document and the database.
#include "FakeOllamaServer.h"
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "SampleTargets.h"
#include "TestEnvironment.h"
#include "generate/DocRenderer.h"
#include "targets/DocType.h"

#include <QCryptographicHash>
#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QtTest>

using namespace codeworm::test;

namespace {

const QByteArray pythonSource = R"(import math


def clamp(value, low, high):
    """Keep value within [low, high]."""
    if value < low:
        return low
    if value > high:
        return high
    return value


class Circle:
    def __init__(self, radius):
        self.radius = radius

    def area(self, precise=False):
        if precise:
            return math.pi * self.radius ** 2
        approx = 3.14
        for _ in range(2):
            approx = approx + 0.0
        return approx * self.radius ** 2


def tiny():
    return 1
)";

} // namespace

class TestRunOnce : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void commitsOneDocumentAndRecordsIt();
    void secondRunDocumentsAnotherFunctionThenSkips();
    void sameNameSameDayGetsANumber();
    void serverErrorLeavesDevLogAndDatabaseUnchanged();
    void unreachableServerFailsWithAClearMessage();
    void dryRunWritesNothing();
    void uncommittedEditsAreNeverDocumented();
    void secretsNeverReachTheModelOrTheDevLog();
    void everyDocTypeWithAFinderIsWritten_data();
    void everyDocTypeWithAFinderIsWritten();
    void unknownRepositoryOrTypeIsAUsageError();
    void codeEvolutionDocumentsARecentCommit();
    void summariesAreWrittenOncePerPeriod();
    void cutAnswerIsAskedAgainWithMoreRoom();
    void answerCutTwiceIsNeverCommitted();
    void inventedNamesAreAskedAgainOnce();
    void inventedNamesTwiceSkipOrWarn_data();
    void inventedNamesTwiceSkipOrWarn();
    void openAiCompatibleServerWritesADocument();

private:
    ProcessResult run(const QStringList &arguments);
    void writeConfig(quint16 port, const QString &factCheck = QStringLiteral("skip"));
    int documentedRows();

    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<FakeOllamaServer> m_server;
    std::unique_ptr<GitTestRepo> m_source;
    QString m_configDir;
    QString m_devlogPath;
    QString m_statePath;
};

void TestRunOnce::init()
{
    m_env = std::make_unique<TestEnvironment>();
    m_server = std::make_unique<FakeOllamaServer>();
    QVERIFY(m_server->start());
    m_source = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("src/geometry")));
    m_source->writeFile(QStringLiteral("geometry/shapes.py"), pythonSource);
    m_source->commit(QStringLiteral("Add shapes"));
    m_configDir = m_env->path(QStringLiteral("conf"));
    m_devlogPath = m_env->path(QStringLiteral("devlog"));
    m_statePath = m_env->path(QStringLiteral("state"));
    writeConfig(m_server->port());
}

void TestRunOnce::cleanup()
{
    const QStringList names = QSqlDatabase::connectionNames();
    for (const QString &name : names) {
        QSqlDatabase::removeDatabase(name);
    }
    m_source.reset();
    m_server.reset();
    m_env.reset();
}

void TestRunOnce::writeConfig(quint16 port, const QString &factCheck)
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     QStringLiteral("data_dir: %1\n"
                                    "devlog:\n"
                                    "  repo_path: %2\n"
                                    "  author_name: DevLog Tester\n"
                                    "  author_email: devlog@example.com\n"
                                    "ollama:\n"
                                    "  host: 127.0.0.1\n"
                                    "  port: %3\n"
                                    "  model: fake-model:1b\n"
                                    "  keep_alive: \"-1\"\n"
                                    "  retry_delay_s: 0.01\n"
                                    "analyzer:\n"
                                    "  min_complexity: 2\n"
                                    "  min_lines: 3\n"
                                    "documentation:\n"
                                    "  fact_check: %5\n"
                                    "  type_weights:\n%4")
                         .arg(m_statePath, m_devlogPath)
                         .arg(port)
                         .arg(codeworm::test::onlyFunctionDocWeights(), factCheck)
                         .toUtf8());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), QStringLiteral("repositories:\n"
                                                                       "  - name: geometry\n"
                                                                       "    path: %1\n"
                                                                       "    weight: 5\n")
                                                            .arg(m_source->path())
                                                            .toUtf8());
}

ProcessResult TestRunOnce::run(const QStringList &arguments)
{
    return runProcess(QStringLiteral(CODEWORM_BINARY),
                      QStringList{QStringLiteral("--config"), m_configDir} + arguments);
}

int TestRunOnce::documentedRows()
{
    const QString dbPath = m_statePath + QStringLiteral("/codeworm.db");
    if (!QFile::exists(dbPath)) {
        return 0;
    }
    int rows = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT COUNT(*) FROM documented_snippets")) &&
                query.next()) {
                rows = query.value(0).toInt();
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return rows;
}

void TestRunOnce::commitsOneDocumentAndRecordsIt()
{
    m_server->queueReplyText(
        QStringLiteral("Here is the documentation:\n`clamp` keeps a value within bounds."));
    m_server->queueReplyText(
        QStringLiteral("Commit message: \"Explain how `clamp` keeps values within bounds.\""));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    // The stream's progress was shown (stderr is no terminal here: plain lines).
    QVERIFY2(result.err.contains(
                 QRegularExpression(QStringLiteral("generating: \\d+ tokens, [\\d.]+ tokens/s\n"))),
             qPrintable(result.err));
    QVERIFY(!result.err.contains(QLatin1Char('\r')));

    // The request: streamed generation with keep_alive as a number and the function's source;
    // then the short generation of the commit subject.
    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 2);
    const QJsonObject subjectRequest = generates.last().json();
    QVERIFY(subjectRequest.value(QStringLiteral("prompt"))
                .toString()
                .contains(QStringLiteral("`clamp` keeps a value within bounds.")));
    QCOMPARE(subjectRequest.value(QStringLiteral("options"))
                 .toObject()
                 .value(QStringLiteral("temperature"))
                 .toDouble(),
             0.4);
    const QJsonObject body = generates.first().json();
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("fake-model:1b"));
    QVERIFY(body.value(QStringLiteral("keep_alive")).isDouble());
    QCOMPARE(body.value(QStringLiteral("keep_alive")).toDouble(), -1.0);
    QVERIFY(body.value(QStringLiteral("prompt"))
                .toString()
                .contains(QStringLiteral("def clamp(value, low, high):")));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    const QString expectedPath = QStringLiteral("snippets/python/%1_clamp.md")
                                     .arg(QDate::currentDate().toString(Qt::ISODate));
    // The document and the DevLog's index, in one commit.
    QCOMPARE(head.changedPaths, (QStringList{QStringLiteral("README.md"), expectedPath}));
    const QString readme = QString::fromUtf8(devlog.fileAt(QStringLiteral("README.md")));
    QVERIFY2(readme.contains(QStringLiteral("[clamp](%1)").arg(expectedPath)), qPrintable(readme));
    QCOMPARE(head.authorName, QStringLiteral("DevLog Tester"));
    QCOMPARE(head.authorEmail, QStringLiteral("devlog@example.com"));
    QCOMPARE(head.parentIds.size(), 1); // on top of the DevLog's first commit
    QVERIFY2(
        head.message.startsWith(QStringLiteral("Explain how clamp keeps values within bounds\n\n")),
        qPrintable(head.message));

    const QByteArray functionSource =
        pythonSource.mid(pythonSource.indexOf("def clamp"),
                         pythonSource.indexOf("\n\n\nclass") - pythonSource.indexOf("def clamp"));
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(functionSource, QCryptographicHash::Sha256).toHex());
    for (const QString &trailer : QStringList{QStringLiteral("CodeWorm-Repo: geometry"),
                                              QStringLiteral("CodeWorm-Path: geometry/shapes.py"),
                                              QStringLiteral("CodeWorm-Symbol: clamp"),
                                              QStringLiteral("CodeWorm-Type: function_doc"),
                                              QStringLiteral("CodeWorm-Code-Hash: ") + hash}) {
        QVERIFY2(head.message.contains(trailer + QLatin1Char('\n')), qPrintable(head.message));
    }

    const QString document = QString::fromUtf8(devlog.fileAt(expectedPath));
    QVERIFY(document.startsWith(QStringLiteral("# clamp\n")));
    QVERIFY(document.contains(QStringLiteral("**Repository:** geometry")));
    QVERIFY(document.contains(QStringLiteral("```python\n") + QString::fromUtf8(functionSource)));
    QVERIFY(document.contains(QStringLiteral("`clamp` keeps a value within bounds.")));
    QVERIFY(!document.contains(QStringLiteral("Here is the documentation")));
    QVERIFY(!devlog.isDirty());

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("row"));
    db.setDatabaseName(m_statePath + QStringLiteral("/codeworm.db"));
    QVERIFY(db.open());
    QSqlQuery query(db);
    QVERIFY(query.exec(
        QStringLiteral("SELECT source_repo, source_file, function_name, class_name, "
                       "code_hash, snippet_path, git_commit, doc_type FROM documented_snippets")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("geometry"));
    QCOMPARE(query.value(1).toString(), QStringLiteral("geometry/shapes.py"));
    QCOMPARE(query.value(2).toString(), QStringLiteral("clamp"));
    QVERIFY(query.value(3).toString().isEmpty());
    QCOMPARE(query.value(4).toString(), hash);
    QCOMPARE(query.value(5).toString(), expectedPath);
    QCOMPARE(query.value(6).toString(), head.id);
    QCOMPARE(query.value(7).toString(), QStringLiteral("function_doc"));
    QVERIFY(!query.next());
}

void TestRunOnce::secondRunDocumentsAnotherFunctionThenSkips()
{
    const ProcessResult first = run({QStringLiteral("run-once")});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    const ProcessResult second = run({QStringLiteral("run-once")});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    QVERIFY2(head.message.contains(QStringLiteral("CodeWorm-Symbol: Circle.area\n")),
             qPrintable(head.message));
    const QString areaPath = QStringLiteral("snippets/python/%1_circle-area.md")
                                 .arg(QDate::currentDate().toString(Qt::ISODate));
    QCOMPARE(head.changedPaths, (QStringList{QStringLiteral("README.md"), areaPath}));
    // Newest first, both listed.
    const QString readme = QString::fromUtf8(devlog.fileAt(QStringLiteral("README.md")));
    QVERIFY2(readme.indexOf(QStringLiteral("[Circle.area]")) <
                     readme.indexOf(QStringLiteral("[clamp]")) &&
                 readme.contains(QStringLiteral("[clamp]")),
             qPrintable(readme));
    QVERIFY(readme.contains(QStringLiteral("**Documentation** (2)")));
    QCOMPARE(devlog.commitCount(), 3); // initial layout + two documents
    QCOMPARE(documentedRows(), 2);

    // clamp and Circle.area are documented; __init__ and tiny are below the limits.
    const ProcessResult third = run({QStringLiteral("run-once")});
    QCOMPARE(third.exitCode, 0);
    QVERIFY2(third.out.contains(QStringLiteral("skipped: no candidates")), qPrintable(third.out));
    QCOMPARE(GitTestRepo(m_devlogPath).commitCount(), 3);
    QCOMPARE(m_server->generateCount(), 2 * 2); // a document and a subject each
}

void TestRunOnce::sameNameSameDayGetsANumber()
{
    // Two more functions named clamp, in other files: three documents want one name.
    for (const QString &file :
         {QStringLiteral("geometry/limits.py"), QStringLiteral("geometry/bounds.py")}) {
        m_source->writeFile(file, QStringLiteral("def clamp(x, lo, hi):\n"
                                                 "    \"\"\"%1\"\"\"\n"
                                                 "    if x < lo:\n"
                                                 "        return lo\n"
                                                 "    return min(x, hi)\n")
                                      .arg(file)
                                      .toUtf8());
    }
    m_source->commit(QStringLiteral("More clamps"));
    for (int i = 0; i < 4; ++i) {
        const ProcessResult result = run({QStringLiteral("run-once")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    }
    GitTestRepo devlog(m_devlogPath);
    const QString day = QDate::currentDate().toString(Qt::ISODate);
    const QStringList paths = devlog.treePaths();
    for (const QString &name : {QStringLiteral("clamp"), QStringLiteral("clamp-2"),
                                QStringLiteral("clamp-3"), QStringLiteral("circle-area")}) {
        const QString path = QStringLiteral("snippets/python/%1_%2.md").arg(day, name);
        QVERIFY2(paths.contains(path), qPrintable(paths.join(QLatin1Char('\n'))));
    }
    // Each document is whole and its own: three different clamps.
    QSet<QString> files;
    for (const QString &name :
         {QStringLiteral("clamp"), QStringLiteral("clamp-2"), QStringLiteral("clamp-3")}) {
        const QString document = QString::fromUtf8(
            devlog.fileAt(QStringLiteral("snippets/python/%1_%2.md").arg(day, name)));
        const qsizetype at = document.indexOf(QStringLiteral("**File:** "));
        QVERIFY(at > 0);
        files.insert(document.mid(at, document.indexOf(QLatin1Char('\n'), at) - at));
    }
    QCOMPARE(files.size(), 3);
    QCOMPARE(documentedRows(), 4);
}

void TestRunOnce::serverErrorLeavesDevLogAndDatabaseUnchanged()
{
    QCOMPARE(run({QStringLiteral("run-once")}).exitCode, 0);
    const QString headBefore = GitTestRepo(m_devlogPath).headId();
    const QStringList filesBefore = GitTestRepo(m_devlogPath).treePaths();

    m_server->setMode(FakeOllamaServer::Mode::HttpError);
    m_server->setError(500, QStringLiteral("llama runner process has terminated"));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("HTTP 500")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("llama runner process has terminated")),
             qPrintable(result.err));
    QCOMPARE(m_server->generateCount(), 2 + 3); // three tries for the failing run

    GitTestRepo devlog(m_devlogPath);
    QCOMPARE(devlog.headId(), headBefore);
    QCOMPARE(devlog.treePaths(), filesBefore);
    QVERIFY(!devlog.isDirty());
    QCOMPARE(documentedRows(), 1);
}

void TestRunOnce::unreachableServerFailsWithAClearMessage()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    writeConfig(closedPort);
    const ProcessResult result = run({QStringLiteral("run-once")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("127.0.0.1:%1").arg(closedPort)),
             qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("ollama pull fake-model:1b")),
             qPrintable(result.err));
    QVERIFY(!QFile::exists(m_devlogPath));
    QCOMPARE(documentedRows(), 0);
}

void TestRunOnce::dryRunWritesNothing()
{
    m_server->setReplyText(QStringLiteral("Clamps a value."));
    const ProcessResult result = run({QStringLiteral("run-once"), QStringLiteral("--dry-run")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("# clamp\n")), qPrintable(result.out));
    QVERIFY(result.out.contains(QStringLiteral("Clamps a value.")));
    QVERIFY(result.out.contains(QStringLiteral("dry run:")));
    QVERIFY(!QFile::exists(m_devlogPath));
    QCOMPARE(documentedRows(), 0);
}

void TestRunOnce::uncommittedEditsAreNeverDocumented()
{
    // A new file and an edit that were never committed: the source is read at HEAD.
    m_source->writeFile(QStringLiteral("geometry/draft.py"),
                        "def draft(a, b):\n    if a:\n        return b\n    return a\n");
    m_source->writeFile(QStringLiteral("geometry/shapes.py"),
                        "def edited(x):\n    if x:\n        return 1\n    return 2\n");
    QCOMPARE(run({QStringLiteral("run-once")}).exitCode, 0);
    QCOMPARE(run({QStringLiteral("run-once")}).exitCode, 0);
    for (const auto &request : m_server->requestsTo("/api/generate")) {
        const QString prompt = request.json().value(QStringLiteral("prompt")).toString();
        QVERIFY(!prompt.contains(QStringLiteral("def draft")));
        QVERIFY(!prompt.contains(QStringLiteral("def edited")));
    }
    QCOMPARE(m_server->generateCount(), 2 * 2);
}

void TestRunOnce::secretsNeverReachTheModelOrTheDevLog()
{
    const QByteArray keyId = QByteArray("AKIA") + "Q3EGRIVFKX2M7ZPD";
    const QByteArray source = "def connect(region, retries, timeout):\n"
                              "    key_id = '" +
                              keyId +
                              "'\n"
                              "    password = 'Tr0ub4dor&3'\n"
                              "    for attempt in range(retries):\n"
                              "        if attempt > 2 and timeout:\n"
                              "            return None\n"
                              "        if region and key_id:\n"
                              "            return (region, key_id, password)\n"
                              "    return None\n";
    m_source->writeFile(QStringLiteral("geometry/cloud.py"), source);
    m_source->commit(QStringLiteral("cloud"));
    // A model that repeats what it saw must not put it back either.
    m_server->setReplyText(QStringLiteral("`connect` signs in with ") + QString::fromLatin1(keyId) +
                           QStringLiteral("."));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 2);
    const QString prompt = generates.first().json().value(QStringLiteral("prompt")).toString();
    const QString subjectPrompt =
        generates.last().json().value(QStringLiteral("prompt")).toString();
    QVERIFY2(!subjectPrompt.contains(QString::fromLatin1(keyId)), qPrintable(subjectPrompt));
    QVERIFY(prompt.contains(QStringLiteral("def connect(region, retries, timeout):")));
    QVERIFY2(!prompt.contains(QString::fromLatin1(keyId)), qPrintable(prompt));
    QVERIFY(!prompt.contains(QStringLiteral("Tr0ub4dor&3")));
    QVERIFY(prompt.contains(QStringLiteral("[REDACTED:aws-access-key]")));
    QVERIFY(prompt.contains(QStringLiteral("password = '[REDACTED:secret-assignment]'")));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    QCOMPARE(head.changedPaths.size(), 2);
    const QByteArray document = devlog.fileAt(head.changedPaths.last());
    QVERIFY(document.contains("# connect"));
    QVERIFY2(!document.contains(keyId), document.constData());
    QVERIFY(!document.contains("Tr0ub4dor&3"));
    QVERIFY(document.contains("[REDACTED:aws-access-key]"));
    // Dedup keeps the hash of the real source.
    const QByteArray hash =
        QCryptographicHash::hash(source.trimmed(), QCryptographicHash::Sha256).toHex();
    QVERIFY2(
        head.message.contains(QStringLiteral("CodeWorm-Code-Hash: ") + QString::fromLatin1(hash)),
        qPrintable(head.message));
}

void TestRunOnce::everyDocTypeWithAFinderIsWritten_data()
{
    QTest::addColumn<QString>("docType");
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("systemWords"); // part of the type's own system prompt
    QTest::newRow("function_doc") << QStringLiteral("function_doc")
                                  << QStringLiteral("snippets/python/")
                                  << QStringLiteral("Documentation")
                                  << QStringLiteral("one function or method");
    QTest::newRow("class_doc") << QStringLiteral("class_doc") << QStringLiteral("classes/")
                               << QStringLiteral("Class Documentation")
                               << QStringLiteral("one class, struct");
    QTest::newRow("file_doc") << QStringLiteral("file_doc") << QStringLiteral("files/")
                              << QStringLiteral("File Overview")
                              << QStringLiteral("overview of one source file");
    QTest::newRow("security_review")
        << QStringLiteral("security_review") << QStringLiteral("reviews/security/")
        << QStringLiteral("Security Review") << QStringLiteral("security reviewer");
    QTest::newRow("performance_analysis")
        << QStringLiteral("performance_analysis") << QStringLiteral("reviews/performance/")
        << QStringLiteral("Performance Analysis") << QStringLiteral("performance engineer");
    QTest::newRow("til") << QStringLiteral("til") << QStringLiteral("til/")
                         << QStringLiteral("Today I Learned") << QStringLiteral("TIL:");
    // reports.py's Registry is a singleton.
    QTest::newRow("pattern_analysis")
        << QStringLiteral("pattern_analysis") << QStringLiteral("patterns/")
        << QStringLiteral("Pattern Analysis") << QStringLiteral("design patterns one class");
    // The commit that adds reports.py is the recent change.
    QTest::newRow("code_evolution")
        << QStringLiteral("code_evolution") << QStringLiteral("evolution/")
        << QStringLiteral("Code Evolution") << QStringLiteral("one recent change to one file");
    // geometry/ is a Python package (the test adds its __init__.py).
    QTest::newRow("module_doc") << QStringLiteral("module_doc") << QStringLiteral("modules/")
                                << QStringLiteral("Module Overview")
                                << QStringLiteral("overview of one module");
}

void TestRunOnce::everyDocTypeWithAFinderIsWritten()
{
    QFETCH(QString, docType);
    QFETCH(QString, folder);
    QFETCH(QString, label);
    QFETCH(QString, systemWords);
    m_source->writeFile(QStringLiteral("geometry/reports.py"),
                        "import subprocess\n\n\n"
                        "def publish(path, rows, targets):\n"
                        "    subprocess.run('gzip ' + path, shell=True)\n"
                        "    for row in rows:\n"
                        "        for target in targets:\n"
                        "            if target.accepts(row):\n"
                        "                target.send(row)\n"
                        "    return len(rows)\n\n\n"
                        "def chunks(items, size):\n"
                        "    chunk = []\n"
                        "    for item in items:\n"
                        "        chunk.append(item)\n"
                        "        if len(chunk) == size:\n"
                        "            yield chunk\n"
                        "            chunk = []\n\n\n"
                        "class Registry:\n"
                        "    _instance = None\n\n"
                        "    def __init__(self):\n"
                        "        self.entries = {}\n\n"
                        "    @classmethod\n"
                        "    def shared(cls):\n"
                        "        if cls._instance is None:\n"
                        "            cls._instance = cls()\n"
                        "        return cls._instance\n");
    m_source->writeFile(QStringLiteral("geometry/__init__.py"), "\"\"\"Geometry helpers.\"\"\"\n");
    m_source->commit(QStringLiteral("reports"));
    m_server->setReplyText(QStringLiteral("A short note about the code."));
    const ProcessResult result =
        run({QStringLiteral("run-once"), QStringLiteral("--type"), docType});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));

    const auto generates = m_server->requestsTo("/api/generate");
    QVERIFY(!generates.isEmpty());
    const QJsonObject body = generates.first().json();
    QVERIFY2(body.value(QStringLiteral("system")).toString().contains(systemWords),
             qPrintable(body.value(QStringLiteral("system")).toString()));
    if (docType == QLatin1String("pattern_analysis")) {
        const QString prompt = body.value(QStringLiteral("prompt")).toString();
        QVERIFY2(prompt.contains(QStringLiteral("the python class `Registry` from "
                                                "`geometry/reports.py`")),
                 qPrintable(prompt));
        QVERIFY2(prompt.contains(QStringLiteral(": singleton: ")), qPrintable(prompt));
        QVERIFY(prompt.contains(QStringLiteral("`_instance`")));
        QVERIFY(prompt.contains(QStringLiteral("def shared(cls):")));
    }
    if (docType == QLatin1String("module_doc")) {
        // The outline of the package, not its sources.
        const QString prompt = body.value(QStringLiteral("prompt")).toString();
        QVERIFY2(prompt.contains(QStringLiteral("Python package `geometry`")), qPrintable(prompt));
        QVERIFY(prompt.contains(QStringLiteral("  function publish(path, rows, targets)\n")));
        QVERIFY(prompt.contains(QStringLiteral("  class Circle (2 methods)\n")));
        QVERIFY(!prompt.contains(QStringLiteral("subprocess.run(")));
        const ProcessResult preview = run({QStringLiteral("analyze"), QStringLiteral("--type"),
                                           docType, QStringLiteral("--json")});
        QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
        const QJsonObject module = QJsonDocument::fromJson(preview.out.toUtf8())
                                       .object()
                                       .value(QStringLiteral("targets"))
                                       .toArray()
                                       .first()
                                       .toObject();
        QCOMPARE(module.value(QStringLiteral("kind")).toString(), QStringLiteral("module"));
        QCOMPARE(module.value(QStringLiteral("name")).toString(), QStringLiteral("geometry"));
        QCOMPARE(module.value(QStringLiteral("module"))
                     .toObject()
                     .value(QStringLiteral("files"))
                     .toArray()
                     .size(),
                 3);
    }

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    QCOMPARE(head.changedPaths.size(), 2);
    QCOMPARE(head.changedPaths.first(), QStringLiteral("README.md"));
    QVERIFY2(head.changedPaths.last().startsWith(folder), qPrintable(head.changedPaths.last()));
    QVERIFY(head.message.contains(QStringLiteral("CodeWorm-Type: %1\n").arg(docType)));
    const QString document = QString::fromUtf8(devlog.fileAt(head.changedPaths.last()));
    QVERIFY2(document.contains(QStringLiteral("**Type:** %1").arg(label)), qPrintable(document));
    QVERIFY(document.contains(QStringLiteral("## %1\n\nA short note about the code.").arg(label)));
    if (docType == QLatin1String("module_doc")) {
        QVERIFY2(
            head.message.contains(QStringLiteral("\n\nModule Overview of geometry: 3 files, ")),
            qPrintable(head.message));
        QVERIFY(document.contains(QStringLiteral("**Folder:** geometry  \n")));
        QVERIFY(document.contains(QStringLiteral("```text\n")));
    }
}

void TestRunOnce::codeEvolutionDocumentsARecentCommit()
{
    const QByteArray keyId = QByteArray("AKIA") + "Q3EGRIVFKX2M7ZPD";
    QByteArray changed = pythonSource;
    changed.replace("    if value > high:\n",
                    QByteArray("    key_id = '" + keyId + "'\n    if value >= high:\n"));
    m_source->writeFile(QStringLiteral("geometry/shapes.py"), changed);
    const QString id = m_source->commit(
        QStringLiteral("Clamp at the upper bound\n\nThe old check let password = 'Tr0ub4dor&3' "
                       "through.\n"));
    const QString shortId = id.left(7);

    // The preview shows the change and what it touches.
    ProcessResult preview = run(
        {QStringLiteral("analyze"), QStringLiteral("--type"), QStringLiteral("code_evolution")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    QVERIFY2(preview.out.contains(QStringLiteral("shapes.py @ ") + shortId),
             qPrintable(preview.out));
    QVERIFY2(preview.out.contains(QStringLiteral("- touches clamp (function")),
             qPrintable(preview.out));
    preview = run({QStringLiteral("analyze"), QStringLiteral("--type"),
                   QStringLiteral("code_evolution"), QStringLiteral("--json")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    const QJsonArray targets = QJsonDocument::fromJson(preview.out.toUtf8())
                                   .object()
                                   .value(QStringLiteral("targets"))
                                   .toArray();
    QCOMPARE(targets.size(), 1);
    const QJsonObject target = targets.first().toObject();
    QCOMPARE(target.value(QStringLiteral("kind")).toString(), QStringLiteral("change"));
    QCOMPARE(
        target.value(QStringLiteral("commit")).toObject().value(QStringLiteral("id")).toString(),
        id);

    m_server->queueReplyText(
        QStringLiteral("`clamp` now returns `high` as soon as `value` reaches it."));
    m_server->queueReplyText(QStringLiteral("Explain the inclusive upper bound of clamp"));
    const ProcessResult result = run(
        {QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("code_evolution")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));

    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 2);
    const QString prompt = generates.first().json().value(QStringLiteral("prompt")).toString();
    QVERIFY2(prompt.contains(QStringLiteral("commit %1 made to the python file "
                                            "`geometry/shapes.py`")
                                 .arg(shortId)),
             qPrintable(prompt));
    QVERIFY(prompt.contains(QStringLiteral("> Clamp at the upper bound\n")));
    QVERIFY(prompt.contains(QStringLiteral("it touches `clamp`")));
    QVERIFY2(prompt.contains(QStringLiteral("```diff\n--- a/geometry/shapes.py\n"
                                            "+++ b/geometry/shapes.py\n@@ ")),
             qPrintable(prompt));
    QVERIFY(prompt.contains(QStringLiteral("-    if value > high:\n")));
    QVERIFY(prompt.contains(QStringLiteral("+    if value >= high:\n")));
    // Secrets in the diff and in the commit message never reach the model.
    QVERIFY2(!prompt.contains(QString::fromLatin1(keyId)), qPrintable(prompt));
    QVERIFY(prompt.contains(QStringLiteral("[REDACTED:aws-access-key]")));
    QVERIFY2(!prompt.contains(QStringLiteral("Tr0ub4dor&3")), qPrintable(prompt));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    const QString expectedPath = QStringLiteral("evolution/%1_shapes-py-%2.md")
                                     .arg(QDate::currentDate().toString(Qt::ISODate), shortId);
    QCOMPARE(head.changedPaths, (QStringList{QStringLiteral("README.md"), expectedPath}));
    QVERIFY2(
        head.message.startsWith(QStringLiteral("Explain the inclusive upper bound of clamp\n")),
        qPrintable(head.message));
    for (const QString &trailer :
         QStringList{QStringLiteral("CodeWorm-Path: geometry/shapes.py"),
                     QStringLiteral("CodeWorm-Symbol: shapes.py @ ") + shortId,
                     QStringLiteral("CodeWorm-Type: code_evolution"),
                     QStringLiteral("CodeWorm-Commit: ") + id}) {
        QVERIFY2(head.message.contains(trailer + QLatin1Char('\n')), qPrintable(head.message));
    }
    const QString document = QString::fromUtf8(devlog.fileAt(expectedPath));
    QVERIFY2(document.startsWith(QStringLiteral("# shapes.py @ %1\n").arg(shortId)),
             qPrintable(document));
    QVERIFY(document.contains(
        QStringLiteral("**Commit:** %1 \u2014 Clamp at the upper bound  \n").arg(shortId)));
    QVERIFY(document.contains(QStringLiteral("```diff\n--- a/geometry/shapes.py\n")));
    QVERIFY(document.contains(QStringLiteral("+    if value >= high:\n")));
    QVERIFY(!document.contains(QString::fromLatin1(keyId)));
    QVERIFY(document.contains(QStringLiteral(
        "## Code Evolution\n\n`clamp` now returns `high` as soon as `value` reaches it.")));
    const QString readme = QString::fromUtf8(devlog.fileAt(QStringLiteral("README.md")));
    QVERIFY2(readme.contains(QStringLiteral("[shapes.py @ %1](%2)").arg(shortId, expectedPath)),
             qPrintable(readme));

    // Documented once: the only recent change is not offered again.
    const ProcessResult again = run(
        {QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("code_evolution")});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(QStringLiteral("skipped: no candidates")), qPrintable(again.out));
    QCOMPARE(documentedRows(), 1);
}

void TestRunOnce::summariesAreWrittenOncePerPeriod()
{
    // Periods in UTC: a commit in last week and one in last month.
    m_env->writeFile(QStringLiteral("conf/config.yaml"),
                     readFile(m_configDir + QStringLiteral("/config.yaml")) +
                         "schedule:\n  timezone: UTC\n");
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QDate lastWeek = today.addDays(1 - today.dayOfWeek() - 5); // last week's Wednesday
    const QDate lastMonth = QDate(today.year(), today.month(), 1).addDays(-20); // never last week
    m_source->setSignature(QStringLiteral("Ada"), QStringLiteral("ada@example.com"),
                           QDateTime(lastMonth, QTime(9, 0), Qt::UTC));
    m_source->writeFile(QStringLiteral("geometry/units.py"), "METRES = 1.0\n");
    m_source->commit(QStringLiteral("Add units for last month"));
    m_source->setSignature(QStringLiteral("Grace"), QStringLiteral("grace@example.com"),
                           QDateTime(lastWeek, QTime(9, 0), Qt::UTC));
    m_source->writeFile(QStringLiteral("geometry/units.py"), "METRES = 1.0\nFEET = 0.3048\n");
    m_source->commit(QStringLiteral("Convert feet for last week"));
    int year = 0;
    const int week = today.addDays(-7).weekNumber(&year);
    const QString title = QStringLiteral("Week %1 of %2").arg(week).arg(year);

    ProcessResult preview = run(
        {QStringLiteral("analyze"), QStringLiteral("--type"), QStringLiteral("weekly_summary")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    QVERIFY2(preview.out.startsWith(QStringLiteral("weekly_summary: %1 (").arg(title)),
             qPrintable(preview.out));
    QVERIFY2(preview.out.contains(QStringLiteral("): due")), qPrintable(preview.out));
    QVERIFY(preview.out.contains(QStringLiteral("- geometry: 1 commit by Grace 1")));

    m_server->queueReplyText(QStringLiteral("Grace converted feet in `geometry`."));
    m_server->queueReplyText(QStringLiteral("Summarise the week"));
    ProcessResult result = run(
        {QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("weekly_summary")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 2);
    const QJsonObject request = generates.first().json();
    const QString prompt = request.value(QStringLiteral("prompt")).toString();
    QVERIFY2(prompt.startsWith(QStringLiteral("Summarise %1 (").arg(title)), qPrintable(prompt));
    QVERIFY(prompt.contains(QStringLiteral("  - Convert feet for last week\n")));
    QVERIFY(!prompt.contains(QStringLiteral("Add units for last month")));
    QVERIFY(request.value(QStringLiteral("system"))
                .toString()
                .contains(QStringLiteral("one week of work")));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    const QString expectedPath = QStringLiteral("analysis/weekly/%1_week-%2-of-%3.md")
                                     .arg(QDate::currentDate().toString(Qt::ISODate))
                                     .arg(week)
                                     .arg(year);
    QCOMPARE(head.changedPaths, (QStringList{QStringLiteral("README.md"), expectedPath}));
    for (const QString &trailer : QStringList{QStringLiteral("CodeWorm-Repo: all"),
                                              QStringLiteral("CodeWorm-Type: weekly_summary"),
                                              QStringLiteral("CodeWorm-Symbol: ") + title}) {
        QVERIFY2(head.message.contains(trailer + QLatin1Char('\n')), qPrintable(head.message));
    }
    const QString document = QString::fromUtf8(devlog.fileAt(expectedPath));
    QVERIFY2(document.startsWith(QStringLiteral("# %1\n").arg(title)), qPrintable(document));
    QVERIFY(document.contains(QStringLiteral("**Commits:** 1\n")));
    QVERIFY(document.contains(QStringLiteral("## Activity\n\n```text\n")));
    QVERIFY(document.contains(
        QStringLiteral("## Weekly Summary\n\nGrace converted feet in `geometry`.")));

    // Written once: the week is no longer due, and the preview says so.
    result = run(
        {QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("weekly_summary")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(QStringLiteral("skipped: no candidates")), qPrintable(result.out));
    preview = run({QStringLiteral("analyze"), QStringLiteral("--type"),
                   QStringLiteral("weekly_summary"), QStringLiteral("--json")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    const QJsonObject json = QJsonDocument::fromJson(preview.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("schema")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("targets")).toArray().size(), 0);
    QCOMPARE(json.value(QStringLiteral("period")).toObject().value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("written")));

    // The month: its own period, its own commits.
    m_server->queueReplyText(QStringLiteral("A month of units."));
    m_server->queueReplyText(QStringLiteral("Summarise the month"));
    result = run(
        {QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("monthly_summary")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QString monthPrompt = m_server->requestsTo("/api/generate")
                                    .at(2)
                                    .json()
                                    .value(QStringLiteral("prompt"))
                                    .toString();
    const QDate monthStart(today.year(), today.month(), 1);
    QVERIFY2(monthPrompt.contains(QStringLiteral("  - Add units for last month\n")),
             qPrintable(monthPrompt));
    QCOMPARE(monthPrompt.contains(QStringLiteral("Convert feet for last week")),
             lastWeek < monthStart);
    QVERIFY(devlog.headCommit().changedPaths.contains(
        QStringLiteral("analysis/monthly/%1_%2.md")
            .arg(QDate::currentDate().toString(Qt::ISODate),
                 codeworm::DocRenderer::slug(QLocale::c().toString(monthStart.addMonths(-1),
                                                                   QStringLiteral("MMMM yyyy"))))));
    QCOMPARE(documentedRows(), 2);
}

void TestRunOnce::cutAnswerIsAskedAgainWithMoreRoom()
{
    m_server->cutNextGenerates(1);
    m_server->queueReplyText(QStringLiteral("`clamp` keeps `value` within the bounds and then "
                                            "returns it unchanged when it already fits."));
    m_server->queueReplyText(QStringLiteral("`clamp` keeps `value` within `low` and `high`."));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 3); // cut, whole, commit subject
    const auto numPredict = [&generates](int i) {
        return generates.at(i)
            .json()
            .value(QStringLiteral("options"))
            .toObject()
            .value(QStringLiteral("num_predict"))
            .toInt();
    };
    QCOMPARE(numPredict(0), 4096);
    QCOMPARE(numPredict(1), 8192);
    GitTestRepo devlog(m_devlogPath);
    const QStringList paths = devlog.headCommit().changedPaths;
    QCOMPARE(paths.size(), 2);
    const QString document = QString::fromUtf8(devlog.fileAt(paths.at(1)));
    QVERIFY2(document.contains(QStringLiteral("`clamp` keeps `value` within `low` and `high`.")),
             qPrintable(document));
    // Nothing of the cut answer made it into the document.
    QVERIFY(!document.contains(QStringLiteral("returns it unchanged")));
    QCOMPARE(documentedRows(), 1);
}

void TestRunOnce::answerCutTwiceIsNeverCommitted()
{
    const QString before = GitTestRepo(m_devlogPath).headId();
    m_server->cutNextGenerates(2);
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("cut by the token limit twice")),
             qPrintable(result.out));
    QCOMPARE(m_server->generateCount(), 2);
    QCOMPARE(GitTestRepo(m_devlogPath).headId(), before);
    QCOMPARE(documentedRows(), 0);
}

void TestRunOnce::unknownRepositoryOrTypeIsAUsageError()
{
    ProcessResult result =
        run({QStringLiteral("run-once"), QStringLiteral("--type"), QStringLiteral("sonnet")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("function_doc")), qPrintable(result.err));
    result = run({QStringLiteral("run-once"), QStringLiteral("--repo"), QStringLiteral("nowhere")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("'nowhere'")), qPrintable(result.err));
    QCOMPARE(m_server->generateCount(), 0);
}

void TestRunOnce::inventedNamesAreAskedAgainOnce()
{
    m_server->queueReplyText(QStringLiteral("`clamp` calls `compute_bounds_fast()` first."));
    m_server->queueReplyText(QStringLiteral("`clamp` keeps `value` between `low` and `high`."));
    m_server->queueReplyText(QStringLiteral("Explain how clamp bounds its value"));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const auto generates = m_server->requestsTo("/api/generate");
    QCOMPARE(generates.size(), 3);
    const QString retry = generates.at(1).json().value(QStringLiteral("prompt")).toString();
    QVERIFY2(retry.contains(QStringLiteral("compute_bounds_fast")), qPrintable(retry));

    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    QVERIFY2(head.message.contains(QStringLiteral("CodeWorm-Fact-Check: passed (")),
             qPrintable(head.message));
    const QString document = QString::fromUtf8(devlog.fileAt(head.changedPaths.last()));
    QVERIFY(document.contains(QStringLiteral("keeps `value` between")));
    QVERIFY(!document.contains(QStringLiteral("compute_bounds_fast")));

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fc"));
    {
        db.setDatabaseName(m_statePath + QStringLiteral("/codeworm.db"));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT fact_check FROM documented_snippets")));
        QVERIFY(query.next());
        QVERIFY2(query.value(0).toString().startsWith(QStringLiteral("passed (")),
                 qPrintable(query.value(0).toString()));
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("fc"));
}

void TestRunOnce::inventedNamesTwiceSkipOrWarn_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("skip") << QStringLiteral("skip");
    QTest::newRow("warn") << QStringLiteral("warn");
}

void TestRunOnce::inventedNamesTwiceSkipOrWarn()
{
    QFETCH(QString, mode);
    writeConfig(m_server->port(), mode);
    m_server->setReplyText(QStringLiteral("`clamp` relies on `BoundsCache.lookup()`."));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    if (mode == QLatin1String("skip")) {
        QVERIFY2(result.out.contains(QStringLiteral("skipped: fact check failed")),
                 qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("BoundsCache")));
        QCOMPARE(m_server->generateCount(), 2);
        QCOMPARE(documentedRows(), 0);
        return;
    }
    QCOMPARE(m_server->generateCount(), 3); // twice the document, once the subject
    GitTestRepo devlog(m_devlogPath);
    const GitTestRepo::CommitInfo head = devlog.headCommit();
    QVERIFY2(head.message.contains(QStringLiteral("CodeWorm-Fact-Check: failed")),
             qPrintable(head.message));
    const QString document = QString::fromUtf8(devlog.fileAt(head.changedPaths.last()));
    QVERIFY2(document.contains(QStringLiteral("> **Warning:**")), qPrintable(document));
    QVERIFY(document.contains(QStringLiteral("BoundsCache")));
}

void TestRunOnce::openAiCompatibleServerWritesADocument()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    m_server->setModels({QStringLiteral("qwen3-8b")});
    m_server->queueReplyText(
        QStringLiteral("<think>What does it do?</think>`clamp` keeps a value within bounds."));
    m_server->queueReplyText(QStringLiteral("Explain how `clamp` keeps values within bounds"));
    auto writeLlmConfig = [&](const QString &endpoints) {
        m_env->writeFile(
            QStringLiteral("conf/config.yaml"),
            QStringLiteral("data_dir: %1\n"
                           "devlog:\n"
                           "  repo_path: %2\n"
                           "ollama:\n"
                           "  retry_delay_s: 0.01\n"
                           "llm:\n"
                           "  provider: openai\n"
                           "  endpoints: [%3]\n"
                           "  model: qwen3-8b\n"
                           "documentation:\n"
                           "  type_weights:\n%4")
                .arg(m_statePath, m_devlogPath, endpoints, codeworm::test::onlyFunctionDocWeights())
                .toUtf8());
    };

    // A server on another machine needs consent: refused before anything runs.
    writeLlmConfig(QStringLiteral("https://gpu.example.org"));
    const ProcessResult refused = run({QStringLiteral("run-once")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QStringLiteral("llm.allow_remote")), qPrintable(refused.err));
    QVERIFY(m_server->requests().isEmpty());

    // The first endpoint is down: the second, the fake server, writes the document.
    writeLlmConfig(QStringLiteral("\"http://127.0.0.1:%1\", \"%2/v1\"")
                       .arg(closedPort)
                       .arg(m_server->baseUrl()));
    const ProcessResult result = run({QStringLiteral("run-once")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(QStringLiteral("committed")), qPrintable(result.out));
    for (const FakeOllamaServer::Request &request : m_server->requests()) {
        QVERIFY2(request.path.startsWith("/v1/"), request.path.constData());
    }
    const auto chats = m_server->requestsTo("/v1/chat/completions");
    QCOMPARE(chats.size(), 2); // the document and the commit subject
    QCOMPARE(chats.first().json().value(QStringLiteral("model")).toString(),
             QStringLiteral("qwen3-8b"));
    QVERIFY(chats.first()
                .json()
                .value(QStringLiteral("messages"))
                .toArray()
                .last()
                .toObject()
                .value(QStringLiteral("content"))
                .toString()
                .contains(QStringLiteral("def clamp(value, low, high):")));

    GitTestRepo devlog(m_devlogPath);
    const QString expectedPath = QStringLiteral("snippets/python/%1_clamp.md")
                                     .arg(QDate::currentDate().toString(Qt::ISODate));
    const QString document = QString::fromUtf8(devlog.fileAt(expectedPath));
    QVERIFY2(document.contains(QStringLiteral("`clamp` keeps a value within bounds.")),
             qPrintable(document));
    QVERIFY2(!document.contains(QStringLiteral("What does it do?")), qPrintable(document));
    QVERIFY(devlog.headCommit().message.startsWith(
        QStringLiteral("Explain how clamp keeps values within bounds")));
    QCOMPARE(documentedRows(), 1);
}

QTEST_GUILESS_MAIN(TestRunOnce)
#include "TestRunOnce.moc"
