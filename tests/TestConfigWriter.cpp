// ConfigWriter: the settings dialog's saving of config.yaml and repos.yaml.
#include "TestEnvironment.h"

#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

class TestConfigWriter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void roundTripKeepsUnknownKeysAndBacksUp();
    void invalidValueWritesNothing();
    void unchangedConfigurationWritesNothing();
    void ollamaOnlyFileStaysOllamaOnly();
    void llmBlockIsEdited();
    void notificationsAreWritten();
    void repositoriesAddRemoveAndWeight();
    void inlineRepositoriesStayInline();

private:
    ConfigLocation location() const;
    Config load() const;
    std::unique_ptr<TestEnvironment> m_env;
};

void TestConfigWriter::init()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestConfigWriter::cleanup()
{
    m_env.reset();
}

ConfigLocation TestConfigWriter::location() const
{
    ConfigLocation location;
    location.dir = m_env->path(QStringLiteral("cfg"));
    location.configFile = location.dir + QStringLiteral("/config.yaml");
    return location;
}

Config TestConfigWriter::load() const
{
    auto loaded = ConfigLoader::load(location());
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error()));
        return Config();
    }
    return loaded->config;
}

void TestConfigWriter::roundTripKeepsUnknownKeysAndBacksUp()
{
    const QByteArray original = "# My own notes\n"
                                "debug: false\n"
                                "from_a_newer_version:\n"
                                "  answer: 42\n"
                                "schedule:\n"
                                "  max_commits_per_day: 8 # eight is plenty\n"
                                "  min_commits_per_day: 2\n"
                                "  future_knob: yes\n"
                                "laptop:\n"
                                "  pause_on_battery: true\n";
    const QByteArray repos = "# repos comment\nrepositories: []\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), original);
    m_env->writeFile(QStringLiteral("cfg/repos.yaml"), repos);
    const Config before = load();
    QCOMPARE(before.schedule.maxCommitsPerDay, 8);

    Config edited = before;
    edited.schedule.maxCommitsPerDay = 10;
    edited.schedule.preferHours = {9, 10, 14};
    edited.schedule.weekendReduction = 0.3;
    edited.laptop.quietStart = QTime(22, 0);
    edited.laptop.quietEnd = QTime(6, 30);
    edited.devlog.remote = QStringLiteral("origin");
    const auto written = ConfigWriter::write(location(), before, edited);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QCOMPARE(written->writtenFiles, QStringList{location().configFile});
    QCOMPARE(written->backupFiles, QStringList{location().configFile + QStringLiteral(".bak")});

    const QByteArray text = readFile(location().configFile);
    QVERIFY(!text.contains('#'));
    QVERIFY(text.contains("from_a_newer_version"));
    QVERIFY(text.contains("answer: 42"));
    QVERIFY(text.contains("future_knob"));
    QVERIFY(text.contains("weekend_reduction: 0.3\n"));
    QCOMPARE(readFile(location().configFile + QStringLiteral(".bak")), original);
    // repos.yaml was not touched, so it keeps its comment and gets no backup.
    QCOMPARE(readFile(location().reposFile()), repos);
    QVERIFY(!QFile::exists(location().reposFile() + QStringLiteral(".bak")));

    const Config after = load();
    QCOMPARE(after.schedule, edited.schedule);
    QCOMPARE(after.laptop, edited.laptop);
    QCOMPARE(after.devlog.remote, QStringLiteral("origin"));
    QVERIFY(after.laptop.pauseOnBattery);
}

void TestConfigWriter::invalidValueWritesNothing()
{
    const QByteArray original = "schedule:\n  min_commits_per_day: 2\n  max_commits_per_day: 4\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), original);
    const Config before = load();
    Config edited = before;
    edited.schedule.minCommitsPerDay = 9;
    const auto written = ConfigWriter::write(location(), before, edited);
    QVERIFY(!written.ok());
    QVERIFY2(written.error().contains(QLatin1String("commits_per_day")),
             qPrintable(written.error()));
    QVERIFY2(written.error().contains(QLatin1String("config.yaml:")), qPrintable(written.error()));
    QCOMPARE(readFile(location().configFile), original);
    QVERIFY(!QFile::exists(location().configFile + QStringLiteral(".bak")));
    QVERIFY(!QFile::exists(location().reposFile()));

    Config badZone = before;
    badZone.schedule.timezone = QStringLiteral("Mars/Olympus");
    QVERIFY(!ConfigWriter::write(location(), before, badZone).ok());
    QCOMPARE(readFile(location().configFile), original);
}

void TestConfigWriter::unchangedConfigurationWritesNothing()
{
    const QByteArray original = "# comment stays\nschedule:\n  enabled: true\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), original);
    const Config before = load();
    const auto written = ConfigWriter::write(location(), before, before);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QVERIFY(written->writtenFiles.isEmpty());
    QVERIFY(written->backupFiles.isEmpty());
    QCOMPARE(readFile(location().configFile), original);
    QVERIFY(!QFile::exists(location().reposFile()));
}

void TestConfigWriter::ollamaOnlyFileStaysOllamaOnly()
{
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), "ollama:\n"
                                                        "  host: localhost\n"
                                                        "  port: 11434\n"
                                                        "  model: qwen2.5:7b\n"
                                                        "  temperature: 0.3\n");
    const Config before = load();
    Config edited = before;
    edited.ollama.model = QStringLiteral("llama3.2:3b");
    edited.llm.endpoints = {QStringLiteral("http://127.0.0.1:11500")};
    const auto written = ConfigWriter::write(location(), before, edited);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    const QByteArray text = readFile(location().configFile);
    QVERIFY2(!text.contains("llm"), text.constData());
    QVERIFY(text.contains("temperature: 0.3"));

    const Config after = load();
    QCOMPARE(after.ollama.model, QStringLiteral("llama3.2:3b"));
    QCOMPARE(after.ollama.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(after.ollama.port, 11500);
    QVERIFY(after.llm.endpoints.isEmpty());
    QCOMPARE(after.llmEndpoints(), QStringList{QStringLiteral("http://127.0.0.1:11500")});

    // A key only llm: has moves the file to the llm: block.
    Config remote = after;
    remote.llm.allowRemote = true;
    QVERIFY(ConfigWriter::write(location(), after, remote).ok());
    QVERIFY(load().llm.allowRemote);
    QCOMPARE(load().ollama.model, QStringLiteral("llama3.2:3b"));
}

void TestConfigWriter::llmBlockIsEdited()
{
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), "ollama:\n"
                                                        "  model: old-ollama:1b\n"
                                                        "llm:\n"
                                                        "  provider: ollama\n"
                                                        "  endpoints: [http://localhost:11434]\n"
                                                        "  model: first:1b\n");
    const Config before = load();
    Config edited = before;
    edited.ollama.model = QStringLiteral("second:2b");
    edited.llm.provider = QStringLiteral("openai");
    edited.llm.endpoints = {QStringLiteral("http://localhost:8080")};
    QVERIFY(ConfigWriter::write(location(), before, edited).ok());
    const QByteArray text = readFile(location().configFile);
    QVERIFY(text.contains("old-ollama:1b"));
    const Config after = load();
    QCOMPARE(after.llm.model, QStringLiteral("second:2b"));
    QCOMPARE(after.ollama.model, QStringLiteral("second:2b"));
    QCOMPARE(after.llm.provider, QStringLiteral("openai"));
    QCOMPARE(after.llm.endpoints, QStringList{QStringLiteral("http://localhost:8080")});
}

void TestConfigWriter::notificationsAreWritten()
{
    const Config before = load(); // no files at all: the defaults
    Config edited = before;
    edited.notifications.onCommit = false;
    edited.notifications.failuresInARow = 5;
    edited.daemon.deadmanMinutes = 90;
    const auto written = ConfigWriter::write(location(), before, edited);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QVERIFY(written->backupFiles.isEmpty()); // nothing to back up
    const Config after = load();
    QCOMPARE(after.notifications, edited.notifications);
    QCOMPARE(after.daemon.deadmanMinutes, 90);
}

void TestConfigWriter::repositoriesAddRemoveAndWeight()
{
    const QString one = m_env->path(QStringLiteral("home/code/one"));
    const QString two = m_env->path(QStringLiteral("home/code/two"));
    const QString three = m_env->path(QStringLiteral("home/code/three"));
    const QByteArray repos = "repositories:\n"
                             "  - name: one\n"
                             "    path: " +
                             one.toUtf8() +
                             "\n"
                             "    weight: 3\n"
                             "    custom_key: keep me\n"
                             "    exclude_patterns: ['**/gen/**']\n"
                             "  - name: two\n"
                             "    path: " +
                             two.toUtf8() + "\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), "debug: false\n");
    m_env->writeFile(QStringLiteral("cfg/repos.yaml"), repos);
    const Config before = load();
    QCOMPARE(before.repositories.size(), 2);

    Config edited = before;
    edited.repositories.removeAt(1);
    edited.repositories[0].weight = 7;
    edited.repositories[0].publishSource = false;
    edited.repositories << repoConfig(QStringLiteral("three"), three, 4);
    const auto written = ConfigWriter::write(location(), before, edited);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QCOMPARE(written->writtenFiles, QStringList{location().reposFile()});
    QCOMPARE(readFile(location().reposFile() + QStringLiteral(".bak")), repos);
    QVERIFY(!QFile::exists(location().configFile + QStringLiteral(".bak")));

    const QByteArray text = readFile(location().reposFile());
    QVERIFY(text.contains("custom_key: keep me"));
    // A new folder under the home folder is written the way people write it.
    QVERIFY2(text.contains("path: ~/"), text.constData());
    const Config after = load();
    QCOMPARE(after.repositories.size(), 2);
    QCOMPARE(after.repositories[0].name, QStringLiteral("one"));
    QCOMPARE(after.repositories[0].weight, 7);
    QVERIFY(!after.repositories[0].publishSource);
    QCOMPARE(after.repositories[0].excludePatterns, QStringList{QStringLiteral("**/gen/**")});
    QCOMPARE(after.repositories[1].name, QStringLiteral("three"));
    QCOMPARE(after.repositories[1].path, three);
    QCOMPARE(after.repositories[1].weight, 4);

    // Weight outside 1..10 is refused and nothing changes.
    Config bad = after;
    bad.repositories[1].weight = 11;
    QVERIFY(!ConfigWriter::write(location(), after, bad).ok());
    QCOMPARE(load().repositories, after.repositories);
}

void TestConfigWriter::inlineRepositoriesStayInline()
{
    const QString one = m_env->path(QStringLiteral("home/code/one"));
    m_env->writeFile(QStringLiteral("cfg/config.yaml"),
                     "repositories:\n  - path: " + one.toUtf8() + "\n");
    const Config before = load();
    QCOMPARE(before.repositories.size(), 1);
    Config edited = before;
    edited.repositories[0].enabled = false;
    QVERIFY(ConfigWriter::write(location(), before, edited).ok());
    QVERIFY(!QFile::exists(location().reposFile()));
    const Config after = load();
    QVERIFY(!after.repositories[0].enabled);
    QCOMPARE(after.repositories[0].name, QStringLiteral("one"));
    // The derived name was not written out.
    QVERIFY(!readFile(location().configFile).contains("name:"));
}

QTEST_GUILESS_MAIN(TestConfigWriter)
#include "TestConfigWriter.moc"
