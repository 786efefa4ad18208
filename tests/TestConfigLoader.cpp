#include "config/ConfigLoader.h"

#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

using namespace codeworm;
using codeworm::test::readFile;
using codeworm::test::TestEnvironment;

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void loadsTheOriginalFiles();
    void keepAliveIsStoredAsText_data();
    void keepAliveIsStoredAsText();
    void repositoriesMayBeInlineInConfigYaml();
    void reposYamlWinsOverInlineRepositories();
    void missingFilesGiveDefaults();
    void emptyFilesAndNullValuesKeepDefaults();
    void syntaxErrorNamesFileLineAndColumn();
    void wrongTypeNamesFileLineAndKey_data();
    void wrongTypeNamesFileLineAndKey();
    void outOfRangeIsAnError_data();
    void outOfRangeIsAnError();
    void unknownKeyIsAWarningWithItsLine();
    void duplicateKeyIsAWarning();
    void daemonLaptopAndLogSectionsAreRead();
    void scheduleThatFitsOnlyPartlyIsAWarning();
    void unknownDocumentationTypeIsAnError();
    void typeWeightsKeepTheDefaultOrder();
    void repositoryNeedsAPathAndAUniqueName();
    void scannerKeys();
    void everyErrorIsReported();
    void labelsWithoutADirectory();
    void resolvesTheLocation();
    void loadsThroughANamedFile();
    void writeDefaultsLoadsBackAsDefaults();
    void writeDefaultsCommentsEveryKey();
    void writeDefaultsWithoutRepositoriesShowsAnExample();
    void writeDefaultsNeverOverwrites();
    void stateAndDevLogFollowXdg();
    void dataDirAndRepoPathOverrideXdg();
    void ollamaBaseUrl_data();
    void ollamaBaseUrl();
    void llmBlockIsRead();
    void llmOverridesOllamaWhateverTheOrder_data();
    void llmOverridesOllamaWhateverTheOrder();
    void ollamaAloneStillWorks();
    void llmErrorsNameTheKey_data();
    void llmErrorsNameTheKey();
    void apiKeysNeverComeFromTheFile_data();
    void apiKeysNeverComeFromTheFile();

private:
    Result<LoadedConfig> loadDir(const QString &dir) const
    {
        return ConfigLoader::load(ConfigLocation::resolve(dir));
    }
    QString conf() const { return m_env->path(QStringLiteral("conf")); }

    std::unique_ptr<TestEnvironment> m_env;
};

void TestConfigLoader::init()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestConfigLoader::cleanup()
{
    m_env.reset();
}

void TestConfigLoader::loadsTheOriginalFiles()
{
    const QString dir = QStringLiteral(CODEWORM_TEST_DATA_DIR "/config/original");
    const auto loaded = loadDir(dir);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const Config &c = loaded->config;
    const QString home = m_env->home();

    QCOMPARE(c.configDir, dir);
    QCOMPARE(c.configFile, dir + QStringLiteral("/config.yaml"));
    QCOMPARE(c.debug, true);
    QCOMPARE(c.dataDir, QStringLiteral("~/.codeworm"));
    QCOMPARE(c.stateDir(), home + QStringLiteral("/.codeworm"));
    QCOMPARE(c.databasePath(), home + QStringLiteral("/.codeworm/codeworm.db"));
    QCOMPARE(c.logPath(), home + QStringLiteral("/.codeworm/codeworm.log"));
    QCOMPARE(c.devlogPath(), home + QStringLiteral("/projects/devlog"));
    QCOMPARE(c.devlog.remote, QStringLiteral("origin"));
    QCOMPARE(c.devlog.branch, QStringLiteral("trunk"));
    QCOMPARE(c.devlog.authorName, QString());

    QCOMPARE(c.ollama.host, QStringLiteral("localhost"));
    QCOMPARE(c.ollama.port, 11434);
    QCOMPARE(c.ollama.model, QStringLiteral("qwen2.5:7b"));
    QCOMPARE(c.ollama.temperature, 0.3);
    QCOMPARE(c.ollama.numCtx, 16384);
    QCOMPARE(c.ollama.numPredict, 4096);
    QCOMPARE(c.ollama.keepAlive, QStringLiteral("-1"));
    QCOMPARE(c.ollama.retries, OllamaConfig().retries);
    QCOMPARE(c.ollamaBaseUrl(), QStringLiteral("http://localhost:11434"));

    QCOMPARE(c.schedule.enabled, true);
    QCOMPARE(c.schedule.minCommitsPerDay, 3);
    QCOMPARE(c.schedule.maxCommitsPerDay, 6);
    QCOMPARE(c.schedule.timezone, QStringLiteral("Europe/Berlin"));
    QCOMPARE(c.schedule.preferHours, (QList<int>{9, 10, 11, 14, 15, 16}));
    QCOMPARE(c.schedule.avoidHours, (QList<int>{0, 1, 2, 3, 4, 5, 6}));
    QCOMPARE(c.schedule.weekendReduction, 0.3);
    QCOMPARE(c.schedule.minGapMinutes, 45);

    QCOMPARE(c.analyzer.minComplexity, 3.0);
    QCOMPARE(c.analyzer.minLines, 10);
    QCOMPARE(c.analyzer.maxLines, 150);
    QCOMPARE(c.analyzer.includePatterns,
             (QStringList{QStringLiteral("**/*.py"), QStringLiteral("**/*.ts")}));
    QCOMPARE(c.analyzer.excludePatterns,
             (QStringList{QStringLiteral("**/node_modules/**"), QStringLiteral("**/tests/**")}));

    QCOMPARE(c.documentation.redocumentAfterDays, 60);
    QCOMPARE(c.documentation.typeWeights.size(), DocumentationConfig().typeWeights.size());
    QCOMPARE(c.documentation.typeWeights.at(0), qMakePair(QStringLiteral("function_doc"), 35.0));
    QCOMPARE(c.documentation.typeWeights.at(3), qMakePair(QStringLiteral("security_review"), 0.0));
    QCOMPARE(c.documentation.typeWeights.at(4), qMakePair(QStringLiteral("til"), 20.0));

    QCOMPARE(c.repositories.size(), 3);
    QCOMPARE(c.repositories.at(0).name, QStringLiteral("webapp"));
    QCOMPARE(c.repositories.at(0).path, home + QStringLiteral("/src/webapp"));
    QCOMPARE(c.repositories.at(0).weight, 8);
    QCOMPARE(c.repositories.at(0).enabled, true);
    QCOMPARE(c.repositories.at(0).publishSource, true);
    // No name: the folder's name; a relative path is relative to the configuration folder.
    QCOMPARE(c.repositories.at(1).name, QStringLiteral("tools"));
    QCOMPARE(c.repositories.at(1).path,
             QDir::cleanPath(QStringLiteral(CODEWORM_TEST_DATA_DIR "/config/sibling/tools")));
    QCOMPARE(c.repositories.at(1).weight, 2);
    QCOMPARE(c.repositories.at(1).enabled, false);
    QCOMPARE(c.repositories.at(2).path, QStringLiteral("/srv/notes"));
    QCOMPARE(c.repositories.at(2).weight, 5);
    QCOMPARE(c.repositories.at(2).publishSource, false);

    QCOMPARE(c.prompts.style,
             QStringLiteral("Write like a senior engineer explaining code to a new colleague."));
    QCOMPARE(c.prompts.systemPrompt,
             QStringLiteral("You document code. Reference only code in the snippet.\n"));
    QVERIFY(c.prompts.documentationTemplate.startsWith(
        QStringLiteral("Document the {language} function {name}")));
    QCOMPARE(c.prompts.commitMessageTemplate,
             QStringLiteral("One line for this documentation: {documentation}"));
    QCOMPARE(c.prompts.languageHints.size(), 2);
    QCOMPARE(c.prompts.languageHints.value(QStringLiteral("rust")),
             QStringLiteral("Explain ownership and borrowing."));

    // dashboard and telegram: one warning each, on the line of the section.
    const QString file = dir + QStringLiteral("/config.yaml");
    QCOMPARE(loaded->warnings.size(), 2);
    QVERIFY2(loaded->warnings.at(0).startsWith(file + QStringLiteral(":46: section 'dashboard' "
                                                                     "is not carried over")),
             qPrintable(loaded->warnings.at(0)));
    QVERIFY2(loaded->warnings.at(1).startsWith(file + QStringLiteral(":51: section 'telegram' "
                                                                     "is not carried over")),
             qPrintable(loaded->warnings.at(1)));
    QVERIFY(loaded->warnings.at(1).contains(QStringLiteral("notifications")));
}

void TestConfigLoader::keepAliveIsStoredAsText_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("quoted -1") << QStringLiteral("\"-1\"") << QStringLiteral("-1");
    QTest::newRow("number -1") << QStringLiteral("-1") << QStringLiteral("-1");
    QTest::newRow("seconds") << QStringLiteral("300") << QStringLiteral("300");
    QTest::newRow("duration") << QStringLiteral("10m") << QStringLiteral("10m");
    QTest::newRow("compound duration") << QStringLiteral("\"1h30m\"") << QStringLiteral("1h30m");
    QTest::newRow("zero") << QStringLiteral("0") << QStringLiteral("0");
    QTest::newRow("not a duration") << QStringLiteral("forever") << QString();
    QTest::newRow("a list") << QStringLiteral("[1]") << QString();
}

void TestConfigLoader::keepAliveIsStoredAsText()
{
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("ollama:\n  model: m\n  keep_alive: ") + yaml + QLatin1Char('\n'), {}, {},
        conf());
    if (expected.isEmpty()) {
        QVERIFY(!loaded.ok());
        QVERIFY2(
            loaded.error().startsWith(conf() + QStringLiteral("/config.yaml:3: key "
                                                              "'ollama.keep_alive': expected")),
            qPrintable(loaded.error()));
        return;
    }
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.ollama.keepAlive, expected);
}

void TestConfigLoader::repositoriesMayBeInlineInConfigYaml()
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "debug: false\n"
                                                         "repositories:\n"
                                                         "  - name: api\n"
                                                         "    path: ~/code/api\n"
                                                         "    weight: 10\n");
    const auto loaded = loadDir(conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    QCOMPARE(loaded->config.repositories.size(), 1);
    QCOMPARE(loaded->config.repositories.at(0).name, QStringLiteral("api"));
    QCOMPARE(loaded->config.repositories.at(0).path, m_env->home() + QStringLiteral("/code/api"));
    QCOMPARE(loaded->config.repositories.at(0).weight, 10);
}

void TestConfigLoader::reposYamlWinsOverInlineRepositories()
{
    const QString configFile =
        m_env->writeFile(QStringLiteral("conf/config.yaml"), "debug: false\n"
                                                             "repositories:\n"
                                                             "  - path: /inline/one\n");
    const QString reposFile =
        m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories:\n"
                                                            "  - path: /from/repos-file\n"
                                                            "  - path: /from/second\n");
    const auto loaded = loadDir(conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.repositories.size(), 2);
    QCOMPARE(loaded->config.repositories.at(0).name, QStringLiteral("repos-file"));
    QCOMPARE(loaded->config.repositories.at(1).path, QStringLiteral("/from/second"));
    QCOMPARE(loaded->warnings.size(), 1);
    QVERIFY2(loaded->warnings.at(0).startsWith(configFile + QStringLiteral(":3: ")),
             qPrintable(loaded->warnings.at(0)));
    QVERIFY2(loaded->warnings.at(0).contains(reposFile), qPrintable(loaded->warnings.at(0)));
}

void TestConfigLoader::missingFilesGiveDefaults()
{
    const auto loaded = loadDir(conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    Config expected;
    expected.configDir = conf();
    expected.configFile = conf() + QStringLiteral("/config.yaml");
    QVERIFY(loaded->config == expected);
    QCOMPARE(loaded->config.ollama.keepAlive, QStringLiteral("-1"));
    QVERIFY(loaded->config.repositories.isEmpty());
}

void TestConfigLoader::emptyFilesAndNullValuesKeepDefaults()
{
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "# nothing but a comment\n"
                                                         "data_dir:\n"
                                                         "ollama:\n"
                                                         "  port:\n"
                                                         "  model: ~\n"
                                                         "schedule:\n"
                                                         "analyzer:\n"
                                                         "  exclude_patterns: null\n");
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "");
    m_env->writeFile(QStringLiteral("conf/prompts.yaml"), "\n\n");
    const auto loaded = loadDir(conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    Config expected;
    expected.configDir = conf();
    expected.configFile = conf() + QStringLiteral("/config.yaml");
    QVERIFY(loaded->config == expected);
}

void TestConfigLoader::syntaxErrorNamesFileLineAndColumn()
{
    const QString file = m_env->writeFile(QStringLiteral("conf/config.yaml"), "debug: true\n"
                                                                              "ollama:\n"
                                                                              "  host: a\n"
                                                                              "   port: 1\n");
    auto loaded = loadDir(conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(file + QStringLiteral(":4:8: YAML syntax error: ")),
             qPrintable(loaded.error()));

    const QString prompts =
        m_env->writeFile(QStringLiteral("conf/prompts.yaml"), "style: [unclosed\nx: 1\n");
    QFile::remove(file);
    loaded = loadDir(conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(prompts + QStringLiteral(":2:2: YAML syntax error: ")),
             qPrintable(loaded.error()));
}

void TestConfigLoader::wrongTypeNamesFileLineAndKey_data()
{
    QTest::addColumn<QString>("configYaml");
    QTest::addColumn<QString>("reposYaml");
    QTest::addColumn<QString>("expected"); // after "<dir>/"

    QTest::newRow("port")
        << QStringLiteral("ollama:\n  host: localhost\n  port: abc\n") << QString()
        << QStringLiteral("config.yaml:3: key 'ollama.port': expected an integer, got 'abc'");
    QTest::newRow("fractional port")
        << QStringLiteral("ollama:\n  port: 80.5\n") << QString()
        << QStringLiteral("config.yaml:2: key 'ollama.port': expected an integer, got '80.5'");
    QTest::newRow("bool") << QStringLiteral("schedule:\n  enabled: maybe\n") << QString()
                          << QStringLiteral("config.yaml:2: key 'schedule.enabled': expected "
                                            "true or false, got 'maybe'");
    QTest::newRow("number") << QStringLiteral("ollama:\n  temperature: warm\n") << QString()
                            << QStringLiteral("config.yaml:2: key 'ollama.temperature': "
                                              "expected a number, got 'warm'");
    QTest::newRow("section") << QStringLiteral("debug: false\nollama: [1, 2]\n") << QString()
                             << QStringLiteral("config.yaml:2: key 'ollama': expected a mapping "
                                               "of keys, got a list");
    QTest::newRow("list") << QStringLiteral("analyzer:\n  include_patterns: \"**/*.py\"\n")
                          << QString()
                          << QStringLiteral("config.yaml:2: key 'analyzer.include_patterns': "
                                            "expected a list, got '**/*.py'");
    QTest::newRow("list item") << QStringLiteral("schedule:\n  prefer_hours:\n    - 9\n    - x\n")
                               << QString()
                               << QStringLiteral("config.yaml:4: key 'schedule.prefer_hours[1]': "
                                                 "expected an integer, got 'x'");
    QTest::newRow("string") << QStringLiteral("ollama:\n  model:\n    name: x\n") << QString()
                            << QStringLiteral("config.yaml:3: key 'ollama.model': expected a "
                                              "string, got a mapping");
    QTest::newRow("repository weight")
        << QString()
        << QStringLiteral("repositories:\n  - path: /a\n  - path: /b\n  - path: /c\n"
                          "    weight: heavy\n")
        << QStringLiteral("repos.yaml:5: key 'repositories[2].weight': expected an integer, got "
                          "'heavy'");
    QTest::newRow("repository globs")
        << QString()
        << QStringLiteral("repositories:\n  - path: /a\n    include_patterns: \"**/*.py\"\n")
        << QStringLiteral("repos.yaml:3: key 'repositories[0].include_patterns': expected a list, "
                          "got '**/*.py'");
    QTest::newRow("repository glob item")
        << QString()
        << QStringLiteral("repositories:\n  - path: /a\n    exclude_patterns:\n      - [x]\n")
        << QStringLiteral("repos.yaml:4: key 'repositories[0].exclude_patterns[0]': expected a "
                          "string, got a list");
    QTest::newRow("include_vendored")
        << QStringLiteral("analyzer:\n  include_vendored: sometimes\n") << QString()
        << QStringLiteral("config.yaml:2: key 'analyzer.include_vendored': expected true or "
                          "false, got 'sometimes'");
    QTest::newRow("repository entry")
        << QString() << QStringLiteral("repositories:\n  - /a\n")
        << QStringLiteral("repos.yaml:2: key 'repositories[0]': expected a mapping");
    QTest::newRow("repositories")
        << QString() << QStringLiteral("repositories: /a\n")
        << QStringLiteral("repos.yaml:1: key 'repositories': expected a list of repositories, "
                          "got '/a'");
    QTest::newRow("top level") << QStringLiteral("- debug\n") << QString()
                               << QStringLiteral("config.yaml:1: expected a mapping of keys at the "
                                                 "top level, got a list");
}

void TestConfigLoader::wrongTypeNamesFileLineAndKey()
{
    QFETCH(QString, configYaml);
    QFETCH(QString, reposYaml);
    QFETCH(QString, expected);
    const auto loaded = ConfigLoader::loadFromStrings(configYaml, reposYaml, {}, conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QLatin1Char('/') + expected),
             qPrintable(loaded.error()));
    QVERIFY2(!loaded.error().contains(QLatin1Char('\n')), qPrintable(loaded.error()));
}

void TestConfigLoader::outOfRangeIsAnError_data()
{
    QTest::addColumn<QString>("configYaml");
    QTest::addColumn<QString>("reposYaml");
    QTest::addColumn<QString>("expected"); // after "<dir>/"

    QTest::newRow("port 0") << QStringLiteral("ollama:\n  port: 0\n") << QString()
                            << QStringLiteral("config.yaml:2: key 'ollama.port': expected an "
                                              "integer from 1 to 65535, got '0'");
    QTest::newRow("port 70000") << QStringLiteral("ollama:\n  port: 70000\n") << QString()
                                << QStringLiteral("config.yaml:2: key 'ollama.port': expected an "
                                                  "integer from 1 to 65535, got '70000'");
    QTest::newRow("weight 11")
        << QString() << QStringLiteral("repositories:\n  - path: /a\n    weight: 11\n")
        << QStringLiteral("repos.yaml:3: key 'repositories[0].weight': expected an integer from 1 "
                          "to 10, got '11'");
    QTest::newRow("weight 0")
        << QString() << QStringLiteral("repositories:\n  - path: /a\n    weight: 0\n")
        << QStringLiteral("repos.yaml:3: key 'repositories[0].weight': expected an integer from 1 "
                          "to 10, got '0'");
    QTest::newRow("hour 24") << QStringLiteral("schedule:\n  avoid_hours: [1, 24]\n") << QString()
                             << QStringLiteral("config.yaml:2: key 'schedule.avoid_hours[1]': "
                                               "expected an integer from 0 to 23, got '24'");
    QTest::newRow("min > max commits")
        << QStringLiteral("schedule:\n  min_commits_per_day: 9\n  max_commits_per_day: 5\n")
        << QString()
        << QStringLiteral("config.yaml:3: key 'schedule.max_commits_per_day': expected an integer "
                          "of at least 9 (min_commits_per_day), got '5'");
    QTest::newRow("min above default max")
        << QStringLiteral("schedule:\n  min_commits_per_day: 9\n") << QString()
        << QStringLiteral("config.yaml:2: key 'schedule.min_commits_per_day': expected an integer "
                          "of at most 8 (max_commits_per_day), got '9'");
    QTest::newRow("min commits do not fit")
        << QStringLiteral("schedule:\n  avoid_hours: [0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, "
                          "15, 16, 17, 18, 19, 20, 21, 22, 23]\n  min_commits_per_day: 3\n"
                          "  min_gap_minutes: 40\n")
        << QString()
        << QStringLiteral("config.yaml:3: key 'schedule.min_commits_per_day': 3 runs a day do not "
                          "fit: the hours left by schedule.avoid_hours (and the original's hours "
                          "of weight 0: 3, 4, 5) are [] and schedule.min_gap_minutes is 40, so at "
                          "most 0 fit");
    QTest::newRow("quiet_hours")
        << QStringLiteral("laptop:\n  quiet_hours: 22-7\n") << QString()
        << QStringLiteral("config.yaml:2: key 'laptop.quiet_hours': expected a window of two "
                          "different local times such as \"22:00-07:00\", or \"\" for none, got "
                          "'22-7'");
    QTest::newRow("log format")
        << QStringLiteral("log:\n  format: xml\n") << QString()
        << QStringLiteral("config.yaml:2: key 'log.format': expected text or json, got 'xml'");
    QTest::newRow("deadman_minutes")
        << QStringLiteral("daemon:\n  deadman_minutes: -5\n") << QString()
        << QStringLiteral("config.yaml:2: key 'daemon.deadman_minutes': expected an integer from "
                          "0 to 10080, got '-5'");
    QTest::newRow("min_lines > max_lines")
        << QStringLiteral("analyzer:\n  max_lines: 20\n  min_lines: 30\n") << QString()
        << QStringLiteral("config.yaml:3: key 'analyzer.min_lines': expected an integer of at "
                          "most 20 (max_lines), got '30'");
    QTest::newRow("header_language")
        << QStringLiteral("analyzer:\n  header_language: objc\n") << QString()
        << QStringLiteral("config.yaml:2: key 'analyzer.header_language': expected auto, c or "
                          "cpp, got 'objc'");
    QTest::newRow("temperature") << QStringLiteral("ollama:\n  temperature: 2.5\n") << QString()
                                 << QStringLiteral("config.yaml:2: key 'ollama.temperature': "
                                                   "expected a number from 0 to 2, got '2.5'");
    QTest::newRow("timeout") << QStringLiteral("ollama:\n  connect_timeout_s: 0\n") << QString()
                             << QStringLiteral("config.yaml:2: key 'ollama.connect_timeout_s': "
                                               "expected a number greater than 0, got '0'");
    QTest::newRow("total timeout")
        << QStringLiteral("ollama:\n  total_timeout_s: -5\n") << QString()
        << QStringLiteral("config.yaml:2: key 'ollama.total_timeout_s': expected a number greater "
                          "than 0, got '-5'");
    QTest::newRow("retries") << QStringLiteral("ollama:\n  retries: 0\n") << QString()
                             << QStringLiteral("config.yaml:2: key 'ollama.retries': expected an "
                                               "integer of at least 1, got '0'");
    QTest::newRow("weekend") << QStringLiteral("schedule:\n  weekend_reduction: 1.5\n") << QString()
                             << QStringLiteral("config.yaml:2: key 'schedule.weekend_reduction': "
                                               "expected a number from 0 to 1, got '1.5'");
    QTest::newRow("time zone") << QStringLiteral("schedule:\n  timezone: Mars/Olympus\n")
                               << QString()
                               << QStringLiteral("config.yaml:2: key 'schedule.timezone': "
                                                 "expected an IANA time zone name");
    QTest::newRow("host") << QStringLiteral("ollama:\n  host: \"ftp://box\"\n") << QString()
                          << QStringLiteral("config.yaml:2: key 'ollama.host': expected a host "
                                            "name or an http(s) URL");
    QTest::newRow("empty branch") << QStringLiteral("devlog:\n  branch: \"\"\n") << QString()
                                  << QStringLiteral("config.yaml:2: key 'devlog.branch': expected "
                                                    "a non-empty string, got ''");
    QTest::newRow("all weights zero")
        << QStringLiteral("documentation:\n  type_weights:\n    function_doc: 0\n    class_doc: 0\n"
                          "    file_doc: 0\n    security_review: 0\n    til: 0\n"
                          "    performance_analysis: 0\n    code_evolution: 0\n"
                          "    module_doc: 0\n    pattern_analysis: 0\n    weekly_summary: 0\n"
                          "    monthly_summary: 0\n")
        << QString()
        << QStringLiteral("config.yaml:3: key 'documentation.type_weights': expected at least one "
                          "weight greater than 0");
    QTest::newRow("fact check mode")
        << QStringLiteral("documentation:\n  fact_check: sometimes\n") << QString()
        << QStringLiteral("config.yaml:2: key 'documentation.fact_check': expected skip or warn");
}

void TestConfigLoader::outOfRangeIsAnError()
{
    QFETCH(QString, configYaml);
    QFETCH(QString, reposYaml);
    QFETCH(QString, expected);
    const auto loaded = ConfigLoader::loadFromStrings(configYaml, reposYaml, {}, conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QLatin1Char('/') + expected),
             qPrintable(loaded.error()));
}

void TestConfigLoader::daemonLaptopAndLogSectionsAreRead()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("daemon:\n  deadman_minutes: 90\n  pause_cancels_generation: true\n"
                       "laptop:\n  pause_on_battery: yes\n  idle_minutes: 10\n"
                       "  quiet_hours: \"22:30 - 7:00\"\n"
                       "log:\n  format: json\n  max_size_kb: 64\n  keep_files: 0\n"),
        {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error()));
    const Config &c = loaded->config;
    QCOMPARE(c.daemon.deadmanMinutes, 90);
    QVERIFY(c.daemon.pauseCancelsGeneration);
    QVERIFY(c.laptop.pauseOnBattery);
    QCOMPARE(c.laptop.idleMinutes, 10);
    QCOMPARE(c.laptop.quietStart, QTime(22, 30));
    QCOMPARE(c.laptop.quietEnd, QTime(7, 0));
    QVERIFY(c.laptop.isQuiet(QTime(23, 0)));
    QVERIFY(c.laptop.isQuiet(QTime(6, 59)));
    QVERIFY(!c.laptop.isQuiet(QTime(7, 0)));
    QVERIFY(!c.laptop.isQuiet(QTime(12, 0)));
    QCOMPARE(c.log.format, QStringLiteral("json"));
    QCOMPARE(c.log.maxSizeKb, 64);
    QCOMPARE(c.log.keepFiles, 0);

    const Config defaults;
    QCOMPARE(defaults.daemon.deadmanMinutes, 45);
    QVERIFY(!defaults.daemon.pauseCancelsGeneration);
    QVERIFY(!defaults.laptop.pauseOnBattery);
    QVERIFY(!defaults.laptop.hasQuietHours());
    QVERIFY(!defaults.laptop.isQuiet(QTime(3, 0)));
}

void TestConfigLoader::scheduleThatFitsOnlyPartlyIsAWarning()
{
    // Hours 9 and 10 only, 30 minutes apart: 4 runs fit; min 2 fits, max 6 does not.
    QString avoid;
    for (int hour = 0; hour < 24; ++hour) {
        if (hour != 9 && hour != 10) {
            avoid += (avoid.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(hour);
        }
    }
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("schedule:\n  avoid_hours: [%1]\n  min_commits_per_day: 2\n"
                       "  max_commits_per_day: 6\n")
            .arg(avoid),
        {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error()));
    QCOMPARE(loaded->warnings.size(), 1);
    QCOMPARE(loaded->warnings.first(),
             conf() + QStringLiteral("/config.yaml:4: key 'schedule.max_commits_per_day': 6 runs "
                                     "a day do not fit the allowed hours 30 minutes apart "
                                     "(schedule.avoid_hours, schedule.min_gap_minutes): at most "
                                     "4 are planned"));
    // A disabled schedule plans nothing: nothing to check.
    const auto disabled = ConfigLoader::loadFromStrings(
        QStringLiteral("schedule:\n  enabled: false\n  avoid_hours: [%1]\n"
                       "  min_commits_per_day: 7\n  max_commits_per_day: 8\n")
            .arg(avoid),
        {}, {}, conf());
    QVERIFY(disabled.ok());
    QVERIFY(disabled->warnings.isEmpty());
}

void TestConfigLoader::unknownKeyIsAWarningWithItsLine()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("ollama:\n  host: box\n  foo: 1\nfrobnicate: true\n"),
        QStringLiteral("repositories:\n  - path: /a\n    colour: red\n"),
        QStringLiteral("style: terse\ntone: dry\nlanguage_hints:\n  go: errors are values\n"),
        conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.ollama.host, QStringLiteral("box"));
    QCOMPARE(loaded->config.prompts.style, QStringLiteral("terse"));
    QCOMPARE(loaded->config.prompts.languageHints.value(QStringLiteral("go")),
             QStringLiteral("errors are values"));
    const QStringList expected = {
        conf() + QStringLiteral("/config.yaml:3: unknown key 'ollama.foo' (ignored)"),
        conf() + QStringLiteral("/config.yaml:4: unknown key 'frobnicate' (ignored)"),
        conf() + QStringLiteral("/repos.yaml:3: unknown key 'repositories[0].colour' (ignored)"),
        conf() + QStringLiteral("/prompts.yaml:2: unknown key 'tone' (ignored)"),
    };
    QCOMPARE(loaded->warnings, expected);
}

void TestConfigLoader::duplicateKeyIsAWarning()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("ollama:\n  port: 1000\n  port: 2000\n"), {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.ollama.port, 2000);
    QCOMPARE(loaded->warnings.size(), 1);
    QVERIFY2(loaded->warnings.at(0).startsWith(conf() + QStringLiteral("/config.yaml:3: key "
                                                                       "'ollama.port' is also set "
                                                                       "on line 2")),
             qPrintable(loaded->warnings.at(0)));
}

void TestConfigLoader::unknownDocumentationTypeIsAnError()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("documentation:\n  type_weights:\n    til: 4\n    haiku: 3\n"), {}, {},
        conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(
        loaded.error().startsWith(conf() + QStringLiteral("/config.yaml:4: key "
                                                          "'documentation.type_weights.haiku': "
                                                          "unknown documentation type "
                                                          "'haiku'; valid types: "
                                                          "function_doc, class_doc, ")),
        qPrintable(loaded.error()));
    QVERIFY2(loaded.error().endsWith(QStringLiteral("monthly_summary")),
             qPrintable(loaded.error()));
}

void TestConfigLoader::typeWeightsKeepTheDefaultOrder()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("documentation:\n  type_weights:\n    monthly_summary: 7\n"
                       "    function_doc: 0.5\n    weekly_summary:\n"),
        {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    auto expected = DocumentationConfig().typeWeights;
    expected.first().second = 0.5;
    expected.last().second = 7;
    QCOMPARE(loaded->config.documentation.typeWeights, expected);
}

void TestConfigLoader::repositoryNeedsAPathAndAUniqueName()
{
    auto loaded = ConfigLoader::loadFromStrings(
        {}, QStringLiteral("repositories:\n  - path: /a\n  - name: nameless\n    weight: 3\n"), {},
        conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QStringLiteral("/repos.yaml:3: key "
                                                               "'repositories[1].path': missing")),
             qPrintable(loaded.error()));

    loaded = ConfigLoader::loadFromStrings(
        {}, QStringLiteral("repositories:\n  - path: /one/app\n  - path: /two/app\n"), {}, conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QStringLiteral("/repos.yaml:3: key "
                                                               "'repositories[1].name': 'app' is "
                                                               "already the name of "
                                                               "repositories[0]")),
             qPrintable(loaded.error()));

    // Distinct names make the same folder names fine.
    loaded = ConfigLoader::loadFromStrings(
        {},
        QStringLiteral("repositories:\n  - path: /one/app\n  - path: /two/app\n    name: app2\n"),
        {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.repositories.at(1).name, QStringLiteral("app2"));
}

void TestConfigLoader::scannerKeys()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("analyzer:\n  header_language: c\n  include_vendored: yes\n"
                       "  include_patterns: [\"**/*.py\"]\n"),
        QStringLiteral("repositories:\n"
                       "  - path: /src/app\n"
                       "    include_patterns: [\"src/**\", \"tools/*.go\"]\n"
                       "    exclude_patterns:\n      - \"src/generated/\"\n"
                       "  - path: /src/lib\n"),
        {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    const Config &c = loaded->config;
    QCOMPARE(c.analyzer.headerLanguage, QStringLiteral("c"));
    QCOMPARE(c.analyzer.includeVendored, true);
    QCOMPARE(c.analyzer.includePatterns, QStringList({QStringLiteral("**/*.py")}));
    QCOMPARE(c.analyzer.excludePatterns, AnalyzerConfig().excludePatterns);
    QCOMPARE(c.repositories.size(), 2);
    QCOMPARE(c.repositories.at(0).includePatterns,
             QStringList({QStringLiteral("src/**"), QStringLiteral("tools/*.go")}));
    QCOMPARE(c.repositories.at(0).excludePatterns, QStringList({QStringLiteral("src/generated/")}));
    QVERIFY(c.repositories.at(1).includePatterns.isEmpty());
    QVERIFY(c.repositories.at(1).excludePatterns.isEmpty());

    // Defaults: headers decided by content, vendored folders left out.
    const AnalyzerConfig defaults;
    QCOMPARE(defaults.headerLanguage, QStringLiteral("auto"));
    QCOMPARE(defaults.includeVendored, false);
}

void TestConfigLoader::everyErrorIsReported()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("ollama:\n  port: x\nschedule:\n  enabled: 3\n"),
        QStringLiteral("repositories:\n  - weight: 2\n"), QStringLiteral("style: [\n"), conf());
    QVERIFY(!loaded.ok());
    const QStringList lines = loaded.error().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.at(0).contains(QStringLiteral("config.yaml:2: key 'ollama.port'")));
    QVERIFY(lines.at(1).contains(QStringLiteral("config.yaml:4: key 'schedule.enabled'")));
    QVERIFY(lines.at(2).contains(QStringLiteral("repos.yaml:2: key 'repositories[0].path'")));
    QVERIFY(lines.at(3).contains(QStringLiteral("prompts.yaml:2:1: YAML syntax error")));
}

void TestConfigLoader::labelsWithoutADirectory()
{
    const auto loaded = ConfigLoader::loadFromStrings(QStringLiteral("debug: 2\n"), {}, {});
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error(),
             QStringLiteral("config.yaml:1: key 'debug': expected true or false, got '2'"));
}

void TestConfigLoader::resolvesTheLocation()
{
    // Default: $XDG_CONFIG_HOME/codeworm, else ~/.config/codeworm.
    ConfigLocation location = ConfigLocation::resolve(QString());
    QCOMPARE(location.dir, m_env->configHome() + QStringLiteral("/codeworm"));
    QCOMPARE(location.configFile, location.dir + QStringLiteral("/config.yaml"));
    QCOMPARE(location.reposFile(), location.dir + QStringLiteral("/repos.yaml"));
    QCOMPARE(location.promptsFile(), location.dir + QStringLiteral("/prompts.yaml"));
    qunsetenv("XDG_CONFIG_HOME");
    QCOMPARE(ConfigLocation::resolve(QString()).dir,
             m_env->home() + QStringLiteral("/.config/codeworm"));
    qputenv("XDG_CONFIG_HOME", "relative/is/ignored");
    QCOMPARE(ConfigLocation::resolve(QString()).dir,
             m_env->home() + QStringLiteral("/.config/codeworm"));

    // --config DIR
    const QString file = m_env->writeFile(QStringLiteral("conf/custom.yaml"), "debug: true\n");
    location = ConfigLocation::resolve(conf());
    QCOMPARE(location.dir, conf());
    QCOMPARE(location.configFile, conf() + QStringLiteral("/config.yaml"));

    // --config FILE: the folder holds repos.yaml and prompts.yaml.
    location = ConfigLocation::resolve(file);
    QCOMPARE(location.dir, conf());
    QCOMPARE(location.configFile, file);
    QCOMPARE(location.reposFile(), conf() + QStringLiteral("/repos.yaml"));

    // Not existing yet: a .yaml name is a file, anything else a folder.
    location = ConfigLocation::resolve(m_env->path(QStringLiteral("new/cw.yml")));
    QCOMPARE(location.dir, m_env->path(QStringLiteral("new")));
    QCOMPARE(location.configFile, m_env->path(QStringLiteral("new/cw.yml")));
    location = ConfigLocation::resolve(m_env->path(QStringLiteral("new/cw")));
    QCOMPARE(location.dir, m_env->path(QStringLiteral("new/cw")));

    // ~ and relative values.
    QCOMPARE(ConfigLocation::resolve(QStringLiteral("~/cw")).dir,
             m_env->home() + QStringLiteral("/cw"));
    QCOMPARE(ConfigLocation::resolve(QStringLiteral("rel/cw")).dir,
             QDir::cleanPath(QDir::currentPath() + QStringLiteral("/rel/cw")));

    // CODEWORM_CONFIG when the command line names nothing; the command line wins over it.
    qputenv("CODEWORM_CONFIG", file.toUtf8());
    location = ConfigLocation::resolve(QString());
    QCOMPARE(location.configFile, file);
    QCOMPARE(location.dir, conf());
    const QString other = m_env->path(QStringLiteral("other"));
    QDir().mkpath(other);
    QCOMPARE(ConfigLocation::resolve(other).dir, other);
    qputenv("CODEWORM_CONFIG", other.toUtf8());
    QCOMPARE(ConfigLocation::resolve(QString()).configFile, other + QStringLiteral("/config.yaml"));
}

void TestConfigLoader::loadsThroughANamedFile()
{
    const QString file =
        m_env->writeFile(QStringLiteral("conf/custom.yaml"), "ollama:\n  model: llama3.2:3b\n");
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "ollama:\n  model: not-this-one\n");
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories:\n  - path: ./project\n");
    const auto loaded = ConfigLoader::load(ConfigLocation::resolve(file));
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.ollama.model, QStringLiteral("llama3.2:3b"));
    QCOMPARE(loaded->config.configFile, file);
    QCOMPARE(loaded->config.configDir, conf());
    QCOMPARE(loaded->config.repositories.size(), 1);
    QCOMPARE(loaded->config.repositories.at(0).path, conf() + QStringLiteral("/project"));
    QCOMPARE(loaded->config.repositories.at(0).name, QStringLiteral("project"));

    // Errors name the file that was given.
    m_env->writeFile(QStringLiteral("conf/custom.yaml"), "ollama:\n  port: many\n");
    const auto broken = ConfigLoader::load(ConfigLocation::resolve(file));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().startsWith(file + QStringLiteral(":2: key 'ollama.port'")),
             qPrintable(broken.error()));
}

void TestConfigLoader::writeDefaultsLoadsBackAsDefaults()
{
    const QString projectA = m_env->path(QStringLiteral("src/alpha"));
    const QString projectB = m_env->path(QStringLiteral("other place/beta \"quoted\""));
    const QString projectC = m_env->path(QStringLiteral("more/alpha"));
    const ConfigLocation location = ConfigLocation::resolve(conf());
    const Status written = ConfigLoader::writeDefaults(location, {projectA, projectB, projectC});
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QVERIFY(QFile::exists(conf() + QStringLiteral("/config.yaml")));
    QVERIFY(QFile::exists(conf() + QStringLiteral("/repos.yaml")));
    QVERIFY(!QFile::exists(conf() + QStringLiteral("/prompts.yaml")));

    const auto loaded = ConfigLoader::load(location);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());

    Config expected;
    expected.configDir = conf();
    expected.configFile = conf() + QStringLiteral("/config.yaml");
    RepoConfig alpha;
    alpha.name = QStringLiteral("alpha");
    alpha.path = projectA;
    RepoConfig beta;
    beta.name = QStringLiteral("beta \"quoted\"");
    beta.path = projectB;
    RepoConfig secondAlpha;
    secondAlpha.name = QStringLiteral("alpha-2");
    secondAlpha.path = projectC;
    expected.repositories = {alpha, beta, secondAlpha};

    const Config &c = loaded->config;
    QVERIFY(c.devlog == expected.devlog);
    QVERIFY(c.ollama == expected.ollama);
    QVERIFY(c.schedule == expected.schedule);
    QVERIFY(c.analyzer == expected.analyzer);
    QVERIFY(c.documentation == expected.documentation);
    QVERIFY(c.prompts == expected.prompts);
    for (int i = 0; i < expected.repositories.size(); ++i) {
        QCOMPARE(c.repositories.value(i).name, expected.repositories.at(i).name);
        QCOMPARE(c.repositories.value(i).path, expected.repositories.at(i).path);
    }
    QVERIFY(c == expected);
    QVERIFY(readFile(location.reposFile()).contains("name: alpha\n"));
}

void TestConfigLoader::writeDefaultsCommentsEveryKey()
{
    const ConfigLocation location = ConfigLocation::resolve(conf());
    QVERIFY(ConfigLoader::writeDefaults(location, {}).ok());
    const QStringList lines =
        QString::fromUtf8(readFile(location.configFile)).split(QLatin1Char('\n'));
    static const QRegularExpression keyLine(QStringLiteral("^( {0,2})([a-z_]+):"));
    int keys = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const auto match = keyLine.match(lines.at(i));
        if (!match.hasMatch()) {
            continue;
        }
        ++keys;
        QVERIFY2(lines.at(i - 1).trimmed().startsWith(QLatin1Char('#')),
                 qPrintable(QStringLiteral("no comment above: ") + lines.at(i)));
    }
    // debug, data_dir, 10 sections, 12 + 15 + 5 + 8 + 2 + 3 + 5 + 3 + 7 + 4 keys in them
    // (devlog, ollama, llm, schedule, daemon, laptop, notifications, log, analyzer,
    // documentation).
    QCOMPARE(keys, 2 + 10 + 12 + 15 + 5 + 8 + 2 + 3 + 5 + 3 + 7 + 4);
}

void TestConfigLoader::writeDefaultsWithoutRepositoriesShowsAnExample()
{
    const ConfigLocation location = ConfigLocation::resolve(conf());
    QVERIFY(ConfigLoader::writeDefaults(location, {}).ok());
    const QByteArray repos = readFile(location.reposFile());
    QVERIFY(repos.contains("repositories: []\n"));
    auto loaded = ConfigLoader::load(location);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY(loaded->config.repositories.isEmpty());

    // Following the instructions in the file gives a working entry.
    QStringList edited;
    bool inExample = false;
    for (QString line : QString::fromUtf8(repos).split(QLatin1Char('\n'))) {
        if (line == QLatin1String("repositories: []")) {
            line = QStringLiteral("repositories:");
        } else if (line.startsWith(QLatin1String("# To add a repository"))) {
            inExample = true;
        } else if (inExample && line.startsWith(QLatin1Char('#'))) {
            line = line.mid(1);
        }
        edited << line;
    }
    QFile::remove(location.reposFile());
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), edited.join(QLatin1Char('\n')).toUtf8());
    loaded = ConfigLoader::load(location);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    QCOMPARE(loaded->config.repositories.size(), 1);
    QCOMPARE(loaded->config.repositories.at(0).name, QStringLiteral("my-project"));
    QCOMPARE(loaded->config.repositories.at(0).path,
             m_env->home() + QStringLiteral("/src/my-project"));
}

void TestConfigLoader::writeDefaultsNeverOverwrites()
{
    const ConfigLocation location = ConfigLocation::resolve(conf());
    m_env->writeFile(QStringLiteral("conf/config.yaml"), "debug: true\n");
    Status written = ConfigLoader::writeDefaults(location, {m_env->path(QStringLiteral("x"))});
    QVERIFY(!written.ok());
    QVERIFY2(written.error().contains(location.configFile), qPrintable(written.error()));
    QCOMPARE(readFile(location.configFile), QByteArray("debug: true\n"));
    QVERIFY(!QFile::exists(location.reposFile()));

    QFile::remove(location.configFile);
    m_env->writeFile(QStringLiteral("conf/repos.yaml"), "repositories: []\n");
    written = ConfigLoader::writeDefaults(location, {});
    QVERIFY(!written.ok());
    QVERIFY2(written.error().contains(location.reposFile()), qPrintable(written.error()));
    QVERIFY(!QFile::exists(location.configFile));
    QCOMPARE(readFile(location.reposFile()), QByteArray("repositories: []\n"));

    // A folder that does not exist yet is created.
    const ConfigLocation fresh = ConfigLocation::resolve(m_env->path(QStringLiteral("a/b/c")));
    QVERIFY(ConfigLoader::writeDefaults(fresh, {}).ok());
    QVERIFY(QFile::exists(fresh.configFile));
}

void TestConfigLoader::stateAndDevLogFollowXdg()
{
    Config config;
    QCOMPARE(config.stateDir(), m_env->stateHome() + QStringLiteral("/codeworm"));
    QCOMPARE(config.databasePath(), m_env->stateHome() + QStringLiteral("/codeworm/codeworm.db"));
    QCOMPARE(config.logPath(), m_env->stateHome() + QStringLiteral("/codeworm/codeworm.log"));
    QCOMPARE(config.devlogPath(), m_env->dataHome() + QStringLiteral("/codeworm/devlog"));
    QCOMPARE(xdgConfigHome(), m_env->configHome());

    // Unset or relative: the specification's defaults below HOME.
    qunsetenv("XDG_STATE_HOME");
    qputenv("XDG_DATA_HOME", "");
    QCOMPARE(config.stateDir(), m_env->home() + QStringLiteral("/.local/state/codeworm"));
    QCOMPARE(config.devlogPath(), m_env->home() + QStringLiteral("/.local/share/codeworm/devlog"));
    qputenv("XDG_STATE_HOME", "not/absolute");
    QCOMPARE(config.stateDir(), m_env->home() + QStringLiteral("/.local/state/codeworm"));
}

void TestConfigLoader::dataDirAndRepoPathOverrideXdg()
{
    Config config;
    config.configDir = QStringLiteral("/etc/codeworm");
    config.dataDir = QStringLiteral("~/cw-state/");
    config.devlog.repoPath = QStringLiteral("~");
    QCOMPARE(config.stateDir(), m_env->home() + QStringLiteral("/cw-state"));
    QCOMPARE(config.databasePath(), m_env->home() + QStringLiteral("/cw-state/codeworm.db"));
    QCOMPARE(config.devlogPath(), m_env->home());

    config.dataDir = QStringLiteral("/var/lib/cw");
    config.devlog.repoPath = QStringLiteral("../devlog");
    QCOMPARE(config.stateDir(), QStringLiteral("/var/lib/cw"));
    QCOMPARE(config.devlogPath(), QStringLiteral("/etc/devlog"));

    // Through the loader: relative to the configuration folder.
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("data_dir: state\ndevlog:\n  repo_path: ~/notes/devlog\n"), {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.stateDir(), conf() + QStringLiteral("/state"));
    QCOMPARE(loaded->config.devlogPath(), m_env->home() + QStringLiteral("/notes/devlog"));
}

void TestConfigLoader::ollamaBaseUrl_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << QStringLiteral("localhost") << 11434
                             << QStringLiteral("http://localhost:11434");
    QTest::newRow("host and port")
        << QStringLiteral("gpu-box") << 8080 << QStringLiteral("http://gpu-box:8080");
    QTest::newRow("scheme") << QStringLiteral("http://box") << 11434
                            << QStringLiteral("http://box:11434");
    QTest::newRow("https with port")
        << QStringLiteral("https://box:1234") << 11434 << QStringLiteral("https://box:1234");
    QTest::newRow("port in host") << QStringLiteral("box:9999") << 11434
                                  << QStringLiteral("http://box:9999");
    QTest::newRow("path") << QStringLiteral("https://proxy.lan/ollama/") << 443
                          << QStringLiteral("https://proxy.lan:443/ollama");
    QTest::newRow("bind all") << QStringLiteral("0.0.0.0") << 11434
                              << QStringLiteral("http://127.0.0.1:11434");
    QTest::newRow("ipv6") << QStringLiteral("::1") << 11434 << QStringLiteral("http://[::1]:11434");
}

void TestConfigLoader::ollamaBaseUrl()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, expected);
    Config config;
    config.ollama.host = host;
    config.ollama.port = port;
    QCOMPARE(config.ollamaBaseUrl(), expected);

    // The loader accepts the same spellings.
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral("ollama:\n  host: \"%1\"\n  port: %2\n").arg(host).arg(port), {}, {});
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->config.ollamaBaseUrl(), expected);
}

void TestConfigLoader::llmBlockIsRead()
{
    const auto loaded = ConfigLoader::loadFromStrings(
        QStringLiteral(
            "llm:\n"
            "  provider: openai\n"
            "  endpoints:\n"
            "    - http://127.0.0.1:8080/v1/\n"
            "    - localhost:1234\n"
            "    - https://gpu.example.org\n"
            "  model: qwen3-8b\n"
            "  api_key_env: LLM_KEY\n"
            "  think: true\n"
            "  allow_remote: yes\n"
            "  timeouts: {connect_s: 5, first_token_s: 120, idle_s: 30, total_s: 900}\n"),
        {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->warnings, QStringList());
    const Config &c = loaded->config;
    QCOMPARE(c.llm.provider, QStringLiteral("openai"));
    QCOMPARE(c.llm.endpoints, (QStringList{QStringLiteral("http://127.0.0.1:8080/v1"),
                                           QStringLiteral("http://localhost:1234"),
                                           QStringLiteral("https://gpu.example.org")}));
    // The paths the client adds start with /v1 already.
    QCOMPARE(c.llmEndpoints(), (QStringList{QStringLiteral("http://127.0.0.1:8080"),
                                            QStringLiteral("http://localhost:1234"),
                                            QStringLiteral("https://gpu.example.org")}));
    QCOMPARE(c.llm.model, QStringLiteral("qwen3-8b"));
    QCOMPARE(c.llm.apiKeyEnv, QStringLiteral("LLM_KEY"));
    QCOMPARE(c.llm.allowRemote, true);
    // Stored where both clients read them.
    QCOMPARE(c.ollama.model, QStringLiteral("qwen3-8b"));
    QCOMPARE(c.ollama.think, true);
    QCOMPARE(c.ollama.connectTimeoutS, 5.0);
    QCOMPARE(c.ollama.firstTokenTimeoutS, 120.0);
    QCOMPARE(c.ollama.idleTimeoutS, 30.0);
    QCOMPARE(c.ollama.totalTimeoutS, 900.0);

    // One endpoint needs no list.
    const auto single = ConfigLoader::loadFromStrings(
        QStringLiteral("llm:\n  endpoints: http://localhost:11435\n"), {}, {}, conf());
    QVERIFY2(single.ok(), qPrintable(single.error()));
    QCOMPARE(single->config.llm.endpoints, QStringList{QStringLiteral("http://localhost:11435")});
    QCOMPARE(single->config.llm.provider, QStringLiteral("ollama"));
}

void TestConfigLoader::llmOverridesOllamaWhateverTheOrder_data()
{
    QTest::addColumn<QString>("configYaml");
    const QString ollama = QStringLiteral("ollama:\n"
                                          "  model: old:1b\n"
                                          "  think: false\n"
                                          "  connect_timeout_s: 3\n"
                                          "  total_timeout_s: 100\n");
    const QString llm = QStringLiteral("llm:\n"
                                       "  model: new:8b\n"
                                       "  think: true\n"
                                       "  timeouts:\n"
                                       "    connect_s: 7\n"
                                       "    total_s: 700\n");
    QTest::newRow("llm first") << llm + ollama;
    QTest::newRow("ollama first") << ollama + llm;
}

void TestConfigLoader::llmOverridesOllamaWhateverTheOrder()
{
    QFETCH(QString, configYaml);
    const auto loaded = ConfigLoader::loadFromStrings(configYaml, {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const OllamaConfig &ollama = loaded->config.ollama;
    QCOMPARE(ollama.model, QStringLiteral("new:8b"));
    QCOMPARE(ollama.think, true);
    QCOMPARE(ollama.connectTimeoutS, 7.0);
    QCOMPARE(ollama.totalTimeoutS, 700.0);
    // Not set in llm.timeouts: the defaults stay.
    QCOMPARE(ollama.firstTokenTimeoutS, OllamaConfig().firstTokenTimeoutS);
    QCOMPARE(ollama.idleTimeoutS, OllamaConfig().idleTimeoutS);
}

void TestConfigLoader::ollamaAloneStillWorks()
{
    const auto loaded = ConfigLoader::loadFromStrings(QStringLiteral("ollama:\n"
                                                                     "  host: 127.0.0.1\n"
                                                                     "  port: 11500\n"
                                                                     "  model: old:1b\n"
                                                                     "  connect_timeout_s: 3\n"),
                                                      {}, {}, conf());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    const Config &c = loaded->config;
    QVERIFY(c.llm == LlmConfig());
    QCOMPARE(c.llmEndpoints(), QStringList{QStringLiteral("http://127.0.0.1:11500")});
    QCOMPARE(c.ollama.model, QStringLiteral("old:1b"));
    QCOMPARE(c.ollama.connectTimeoutS, 3.0);
    QCOMPARE(c.ollama.totalTimeoutS, OllamaConfig().totalTimeoutS);

    // The defaults: 10/300/60/600 s, provider ollama, loopback only.
    const Config defaults;
    QCOMPARE(defaults.llm.provider, QStringLiteral("ollama"));
    QCOMPARE(defaults.llm.allowRemote, false);
    QCOMPARE(defaults.ollama.connectTimeoutS, 10.0);
    QCOMPARE(defaults.ollama.firstTokenTimeoutS, 300.0);
    QCOMPARE(defaults.ollama.idleTimeoutS, 60.0);
    QCOMPARE(defaults.ollama.totalTimeoutS, 600.0);
    QCOMPARE(defaults.llmEndpoints(), QStringList{QStringLiteral("http://localhost:11434")});
}

void TestConfigLoader::llmErrorsNameTheKey_data()
{
    QTest::addColumn<QString>("configYaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("provider") << QStringLiteral("llm:\n  provider: gpt\n")
                              << QStringLiteral("config.yaml:2: key 'llm.provider': expected "
                                                "ollama or openai, got 'gpt'");
    QTest::newRow("endpoint scheme")
        << QStringLiteral("llm:\n  endpoints:\n    - http://localhost:1\n    - ftp://box\n")
        << QStringLiteral("config.yaml:4: key 'llm.endpoints[1]': expected an http(s) URL such "
                          "as http://localhost:8080, got 'ftp://box'");
    QTest::newRow("endpoints type")
        << QStringLiteral("llm:\n  endpoints: {a: 1}\n")
        << QStringLiteral("config.yaml:2: key 'llm.endpoints': expected a list, got a mapping");
    QTest::newRow("think") << QStringLiteral("llm:\n  think: maybe\n")
                           << QStringLiteral("config.yaml:2: key 'llm.think': expected true or "
                                             "false, got 'maybe'");
    QTest::newRow("allow_remote") << QStringLiteral("llm:\n  allow_remote: sure\n")
                                  << QStringLiteral("config.yaml:2: key 'llm.allow_remote': "
                                                    "expected true or false, got 'sure'");
    QTest::newRow("timeout")
        << QStringLiteral("llm:\n  timeouts:\n    idle_s: 0\n")
        << QStringLiteral("config.yaml:3: key 'llm.timeouts.idle_s': expected a number greater "
                          "than 0, got '0'");
    QTest::newRow("timeouts type")
        << QStringLiteral("llm:\n  timeouts: 30\n")
        << QStringLiteral("config.yaml:2: key 'llm.timeouts': expected a mapping of keys, got "
                          "'30'");
}

void TestConfigLoader::llmErrorsNameTheKey()
{
    QFETCH(QString, configYaml);
    QFETCH(QString, expected);
    const auto loaded = ConfigLoader::loadFromStrings(configYaml, {}, {}, conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QLatin1Char('/') + expected),
             qPrintable(loaded.error()));
}

void TestConfigLoader::apiKeysNeverComeFromTheFile_data()
{
    QTest::addColumn<QString>("configYaml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("secret");
    QTest::newRow("api_key") << QStringLiteral("llm:\n  api_key: sk-live-0123456789abcdef\n")
                             << QStringLiteral("config.yaml:2: key 'llm.api_key'")
                             << QStringLiteral("sk-live-0123456789abcdef");
    // The key pasted where its variable's name belongs.
    QTest::newRow("key as api_key_env")
        << QStringLiteral("llm:\n  api_key_env: sk-live-0123456789abcdef\n")
        << QStringLiteral("config.yaml:2: key 'llm.api_key_env'")
        << QStringLiteral("sk-live-0123456789abcdef");
    QTest::newRow("credentials in an endpoint")
        << QStringLiteral("llm:\n  endpoints: [\"http://me:hunter2@localhost:8080\"]\n")
        << QStringLiteral("config.yaml:2: key 'llm.endpoints[0]'") << QStringLiteral("hunter2");
}

void TestConfigLoader::apiKeysNeverComeFromTheFile()
{
    QFETCH(QString, configYaml);
    QFETCH(QString, key);
    QFETCH(QString, secret);
    const auto loaded = ConfigLoader::loadFromStrings(configYaml, {}, {}, conf());
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().startsWith(conf() + QLatin1Char('/') + key),
             qPrintable(loaded.error()));
    QVERIFY2(loaded.error().contains(QLatin1String("environment variable")),
             qPrintable(loaded.error()));
    // The message never repeats what may be a secret.
    QVERIFY2(!loaded.error().contains(secret), qPrintable(loaded.error()));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "TestConfigLoader.moc"
