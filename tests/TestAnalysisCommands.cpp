// `codeworm index` and `codeworm analyze` of the real binary on a real git repository.
#include "GitTestRepo.h"
#include "ProcessRun.h"
#include "TestEnvironment.h"

#include "cli/CommandLine.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

namespace {

ProcessResult runBinary(const QStringList &arguments)
{
    return runProcess(QStringLiteral(CODEWORM_BINARY), arguments);
}

QJsonObject parseJson(const ProcessResult &result)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        qWarning().noquote() << "not JSON:" << error.errorString() << result.out;
    }
    return doc.object();
}

const QByteArray billing = "class Invoice:\n"
                           "    def total(self, lines, discount):\n"
                           "        amount = 0\n"
                           "        for line in lines:\n"
                           "            if line.taxable and discount:\n"
                           "                amount += line.net * (1 - discount)\n"
                           "            else:\n"
                           "                amount += line.net\n"
                           "        return amount\n"
                           "\n"
                           "    @property\n"
                           "    def is_empty(self):\n"
                           "        return not self.lines\n";
const QByteArray router = "package web\n\n"
                          "type Router struct{ routes map[string]int }\n\n"
                          "func (r *Router) Match(path string, method string) int {\n"
                          "\tfor prefix, id := range r.routes {\n"
                          "\t\tif len(path) >= len(prefix) && path[:len(prefix)] == prefix {\n"
                          "\t\t\tif method == \"GET\" || method == \"HEAD\" {\n"
                          "\t\t\t\treturn id\n"
                          "\t\t\t}\n"
                          "\t\t}\n"
                          "\t}\n"
                          "\treturn -1\n"
                          "}\n";

} // namespace

class TestAnalysisCommands : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_env = std::make_unique<TestEnvironment>();
        m_repo = std::make_unique<GitTestRepo>(m_env->path(QStringLiteral("webshop")));
        m_repo->writeFile(QStringLiteral("billing/invoice.py"), billing);
        m_repo->writeFile(QStringLiteral("web/router.go"), router);
        m_repo->writeFile(QStringLiteral("vendor/left/pad.py"), "def pad(s):\n    return s\n");
        m_repo->commit(QStringLiteral("shop"));
        const ProcessResult initialized =
            runBinary({QStringLiteral("init"), QStringLiteral("--repo"), m_repo->path()});
        QVERIFY2(initialized.exitCode == 0, qPrintable(initialized.err));
    }
    void cleanup()
    {
        m_repo.reset();
        m_env.reset();
    }

    void parsesAnalysisOptions()
    {
        const auto program = QStringLiteral("codeworm");
        ParsedCommandLine parsed = CommandLine::parse(
            {program, QStringLiteral("analyze"), QStringLiteral("--kind"), QStringLiteral("class"),
             QStringLiteral("--limit"), QStringLiteral("5"), QStringLiteral("--json"),
             QStringLiteral("--repo"), QStringLiteral("webshop")});
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.kind, QStringLiteral("class"));
        QCOMPARE(parsed.limit, 5);
        QVERIFY(parsed.json);
        QCOMPARE(parsed.repos, QStringList{QStringLiteral("webshop")});
        QVERIFY(CommandLine::parse({program, QStringLiteral("analyze"), QStringLiteral("--kind"),
                                    QStringLiteral("module")})
                    .error.contains(QStringLiteral("function, class or file")));
        QVERIFY(CommandLine::parse({program, QStringLiteral("analyze"), QStringLiteral("--limit"),
                                    QStringLiteral("0")})
                    .error.contains(QStringLiteral("--limit")));
        QVERIFY(CommandLine::parse({program, QStringLiteral("index"), QStringLiteral("--kind"),
                                    QStringLiteral("file")})
                    .error.contains(QStringLiteral("does not apply to 'index'")));
    }

    void indexReportsFilesAndSymbolsPerLanguage()
    {
        ProcessResult result = runBinary({QStringLiteral("index"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonObject json = parseJson(result);
        QCOMPARE(json.value(QStringLiteral("schema")).toInt(), 1);
        QVERIFY(QFileInfo::exists(json.value(QStringLiteral("index")).toString()));
        QVERIFY(json.value(QStringLiteral("generated_at"))
                    .toString()
                    .contains(QRegularExpression(
                        QStringLiteral("T\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)$"))));
        const QJsonArray repos = json.value(QStringLiteral("repositories")).toArray();
        QCOMPARE(repos.size(), 1);
        const QJsonObject repo = repos.first().toObject();
        QCOMPARE(repo.value(QStringLiteral("name")).toString(), QStringLiteral("webshop"));
        QCOMPARE(repo.value(QStringLiteral("mode")).toString(), QStringLiteral("full"));
        QCOMPARE(repo.value(QStringLiteral("files_parsed")).toInt(), 2);
        const QJsonObject languages = repo.value(QStringLiteral("languages")).toObject();
        QCOMPARE(languages.value(QStringLiteral("python"))
                     .toObject()
                     .value(QStringLiteral("symbols"))
                     .toInt(),
                 3);
        QCOMPARE(
            languages.value(QStringLiteral("go")).toObject().value(QStringLiteral("files")).toInt(),
            1);
        QCOMPARE(repo.value(QStringLiteral("skipped"))
                     .toObject()
                     .value(QStringLiteral("vendored"))
                     .toInt(),
                 1);

        // The second run finds HEAD unchanged.
        result = runBinary({QStringLiteral("index")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("webshop: unchanged")), qPrintable(result.out));
        QVERIFY2(result.out.contains(QRegularExpression(QStringLiteral("python\\s+1\\s+3"))),
                 qPrintable(result.out));
    }

    void analyzeRanksTargetsWithTheirScores()
    {
        ProcessResult result = runBinary({QStringLiteral("analyze"), QStringLiteral("--json"),
                                          QStringLiteral("--limit"), QStringLiteral("1")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QJsonObject json = parseJson(result);
        QCOMPARE(json.value(QStringLiteral("schema")).toInt(), 1);
        QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("function"));
        QJsonArray targets = json.value(QStringLiteral("targets")).toArray();
        QCOMPARE(targets.size(), 1);
        const QJsonObject best = targets.first().toObject();
        QCOMPARE(best.value(QStringLiteral("display_name")).toString(),
                 QStringLiteral("Router.Match"));
        QCOMPARE(best.value(QStringLiteral("kind")).toString(), QStringLiteral("method"));
        QCOMPARE(best.value(QStringLiteral("file")).toString(), QStringLiteral("web/router.go"));
        QCOMPARE(best.value(QStringLiteral("start_line")).toInt(), 5);
        QCOMPARE(best.value(QStringLiteral("end_line")).toInt(), 14);
        QCOMPARE(best.value(QStringLiteral("parameters")).toArray().size(), 2);
        const QJsonObject metrics = best.value(QStringLiteral("metrics")).toObject();
        QCOMPARE(metrics.value(QStringLiteral("complexity")).toInt(), 6);
        QCOMPARE(metrics.value(QStringLiteral("max_nesting")).toInt(), 3);
        const QJsonObject score = best.value(QStringLiteral("score")).toObject();
        QVERIFY(score.value(QStringLiteral("total")).toDouble() > 0);
        QVERIFY(score.value(QStringLiteral("churn")).toDouble() > 0);   // one commit, today
        QVERIFY(score.value(QStringLiteral("novelty")).toDouble() > 0); // modified today
        QCOMPARE(best.value(QStringLiteral("history"))
                     .toObject()
                     .value(QStringLiteral("commits_30d"))
                     .toInt(),
                 1);

        result = runBinary({QStringLiteral("analyze"), QStringLiteral("--kind"),
                            QStringLiteral("class"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        targets = parseJson(result).value(QStringLiteral("targets")).toArray();
        QStringList names;
        for (const QJsonValue &t : targets) {
            names << t.toObject().value(QStringLiteral("display_name")).toString();
        }
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("Invoice"), QStringLiteral("Router")}));

        result = runBinary(
            {QStringLiteral("analyze"), QStringLiteral("--kind"), QStringLiteral("file")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("billing/invoice.py")), qPrintable(result.out));
        QVERIFY2(result.out.contains(QStringLiteral("complexity")), qPrintable(result.out));
    }

    void unknownRepositoryIsAUsageError()
    {
        const ProcessResult result = runBinary(
            {QStringLiteral("analyze"), QStringLiteral("--repo"), QStringLiteral("nope")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("'nope'")), qPrintable(result.err));
        QVERIFY2(result.err.contains(QStringLiteral("webshop")), qPrintable(result.err));
    }

private:
    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<GitTestRepo> m_repo;
};

QTEST_GUILESS_MAIN(TestAnalysisCommands)
#include "TestAnalysisCommands.moc"
