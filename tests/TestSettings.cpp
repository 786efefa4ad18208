// The settings dialog offscreen: widgets changed as a user would, saved, and read back with the
// loader.
#include "FakeOllamaServer.h"
#include "TestEnvironment.h"

#include "Autostart.h"
#include "SettingsDialog.h"
#include "config/ConfigLoader.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimeEdit>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void saveRoundTripsTheConfigFiles();
    void invalidValueShowsTheErrorAndKeepsTheFiles();
    void firstRunExplainsTheRepositoriesPage();
    void modelListComesFromTheServer();
    void modelListErrorIsShown();
    void autostartFileIsWrittenAndRemoved();

private:
    ConfigLocation location() const;
    Config load() const;
    template<typename T>
    T *child(SettingsDialog &dialog, const char *name);
    void clickSave(SettingsDialog &dialog);
    std::unique_ptr<TestEnvironment> m_env;
};

void TestSettings::init()
{
    m_env = std::make_unique<TestEnvironment>();
}

void TestSettings::cleanup()
{
    m_env.reset();
}

ConfigLocation TestSettings::location() const
{
    return ConfigLocation::resolve(m_env->path(QStringLiteral("cfg")));
}

Config TestSettings::load() const
{
    auto loaded = ConfigLoader::load(location());
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error()));
        return Config();
    }
    return loaded->config;
}

template<typename T>
T *TestSettings::child(SettingsDialog &dialog, const char *name)
{
    T *widget = dialog.findChild<T *>(QString::fromLatin1(name));
    if (!widget) {
        qWarning("no widget %s", name);
    }
    return widget;
}

void TestSettings::clickSave(SettingsDialog &dialog)
{
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
}

void TestSettings::saveRoundTripsTheConfigFiles()
{
    const QString existing = m_env->path(QStringLiteral("home/code/existing"));
    const QString added = m_env->path(QStringLiteral("home/code/added"));
    QVERIFY(QDir().mkpath(existing));
    QVERIFY(QDir().mkpath(added));
    const QByteArray config = "# hand-written\n"
                              "someday_key: kept\n"
                              "schedule:\n"
                              "  min_commits_per_day: 2\n"
                              "  max_commits_per_day: 6\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), config);
    m_env->writeFile(QStringLiteral("cfg/repos.yaml"),
                     "repositories:\n  - name: existing\n    path: " + existing.toUtf8() + "\n");

    int applied = 0;
    SettingsDialog dialog(location(), [&applied] {
        ++applied;
        return Status();
    });
    QStringList pickerCalls;
    dialog.setFolderPicker([&](QWidget *, const QString &caption, const QString &) {
        pickerCalls << caption;
        return added;
    });

    auto *table = child<QTableWidget>(dialog, "repositories");
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    child<QPushButton>(dialog, "addRepository")->click();
    QCOMPARE(pickerCalls.size(), 1);
    QCOMPARE(table->rowCount(), 2);
    qobject_cast<QSpinBox *>(table->cellWidget(0, 2))->setValue(9);
    table->item(1, 4)->setCheckState(Qt::Unchecked); // publish_source
    child<QSpinBox>(dialog, "scheduleMax")->setValue(12);
    child<QCheckBox>(dialog, "quietHoursEnabled")->setChecked(true);
    child<QTimeEdit>(dialog, "quietStart")->setTime(QTime(23, 0));
    child<QTimeEdit>(dialog, "quietEnd")->setTime(QTime(6, 15));
    child<QLineEdit>(dialog, "avoidHours")->setText(QStringLiteral("0-5, 13"));

    QSignalSpy saved(&dialog, &SettingsDialog::saved);
    clickSave(dialog);
    QCOMPARE(saved.size(), 1);
    QCOMPARE(applied, 1);
    auto *note = child<QLabel>(dialog, "saveNote");
    QVERIFY(!note->isHidden());
    QVERIFY2(note->text().contains(QLatin1String("config.yaml.bak")), qPrintable(note->text()));
    QVERIFY(note->text().contains(QLatin1String("repos.yaml.bak")));
    QVERIFY(child<QLabel>(dialog, "saveError")->isHidden());
    QCOMPARE(readFile(location().configFile + QStringLiteral(".bak")), config);

    const Config after = load();
    QCOMPARE(after.repositories.size(), 2);
    QCOMPARE(after.repositories[0].name, QStringLiteral("existing"));
    QCOMPARE(after.repositories[0].weight, 9);
    QCOMPARE(after.repositories[1].name, QStringLiteral("added"));
    QCOMPARE(after.repositories[1].path, added);
    QVERIFY(!after.repositories[1].publishSource);
    QCOMPARE(after.schedule.minCommitsPerDay, 2);
    QCOMPARE(after.schedule.maxCommitsPerDay, 12);
    QCOMPARE(after.schedule.avoidHours, (QList<int>{0, 1, 2, 3, 4, 5, 13}));
    QCOMPARE(after.laptop.quietStart, QTime(23, 0));
    QCOMPARE(after.laptop.quietEnd, QTime(6, 15));
    QVERIFY(readFile(location().configFile).contains("someday_key: kept"));
    QCOMPARE(dialog.savedConfig(), after);

    // A second save without changes writes nothing and applies nothing.
    clickSave(dialog);
    QCOMPARE(applied, 1);
}

void TestSettings::invalidValueShowsTheErrorAndKeepsTheFiles()
{
    const QByteArray config = "schedule:\n  min_commits_per_day: 2\n  max_commits_per_day: 6\n";
    m_env->writeFile(QStringLiteral("cfg/config.yaml"), config);
    int applied = 0;
    SettingsDialog dialog(location(), [&applied] {
        ++applied;
        return Status();
    });
    child<QSpinBox>(dialog, "scheduleMin")->setValue(9);
    child<QSpinBox>(dialog, "scheduleMax")->setValue(3);
    QSignalSpy saved(&dialog, &SettingsDialog::saved);
    clickSave(dialog);
    QCOMPARE(saved.size(), 0);
    QCOMPARE(applied, 0);
    auto *error = child<QLabel>(dialog, "saveError");
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(QLatin1String("commits_per_day")), qPrintable(error->text()));
    QCOMPARE(readFile(location().configFile), config);
    QVERIFY(!QFile::exists(location().configFile + QStringLiteral(".bak")));

    // Hours that do not parse are refused before the loader sees them.
    child<QSpinBox>(dialog, "scheduleMin")->setValue(2);
    child<QLineEdit>(dialog, "preferHours")->setText(QStringLiteral("9, 25"));
    QVERIFY(!dialog.save());
    QVERIFY(error->text().contains(QLatin1String("Preferred hours")));
    QCOMPARE(readFile(location().configFile), config);
}

void TestSettings::firstRunExplainsTheRepositoriesPage()
{
    SettingsDialog dialog(location());
    dialog.openPage(SettingsDialog::Page::Laptop);
    QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Laptop);
    dialog.openPage(SettingsDialog::Page::Repositories);
    QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Repositories);
    auto *hint = child<QLabel>(dialog, "repositoriesHint");
    QVERIFY(!hint->isHidden());
    QCOMPARE(hint->text(), QStringLiteral("Add the repositories CodeWorm should document."));

    const QString folder = m_env->path(QStringLiteral("home/project"));
    QVERIFY(QDir().mkpath(folder));
    dialog.setFolderPicker([&](QWidget *, const QString &, const QString &) { return folder; });
    child<QPushButton>(dialog, "addRepository")->click();
    QVERIFY(hint->isHidden());
    // No files existed: nothing to back up.
    QVERIFY(dialog.save());
    QVERIFY(!QFile::exists(location().reposFile() + QStringLiteral(".bak")));
    QCOMPARE(load().repositories.size(), 1);
    QCOMPARE(load().repositories[0].path, folder);
}

void TestSettings::modelListComesFromTheServer()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setModels({QStringLiteral("beta:2b"), QStringLiteral("alpha:1b")});
    m_env->writeFile(QStringLiteral("cfg/config.yaml"),
                     "ollama:\n  host: 127.0.0.1\n  port: " + QByteArray::number(server.port()) +
                         "\n  model: alpha:1b\n");
    SettingsDialog dialog(location());
    auto *model = child<QComboBox>(dialog, "llmModel");
    QCOMPARE(child<QLineEdit>(dialog, "llmEndpoint")->text(), server.baseUrl());
    QSignalSpy refreshed(&dialog, &SettingsDialog::modelsRefreshed);
    // Showing the page asks the server once.
    dialog.openPage(SettingsDialog::Page::Llm);
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(model->count(), 2);
    QCOMPARE(model->itemText(0), QStringLiteral("alpha:1b"));
    QCOMPARE(model->itemText(1), QStringLiteral("beta:2b"));
    QCOMPARE(model->currentText(), QStringLiteral("alpha:1b"));
    QVERIFY(child<QLabel>(dialog, "modelError")->isHidden());
    QCOMPARE(server.requestsTo("/api/tags").size(), 1);

    server.setModels({QStringLiteral("gamma:3b")});
    child<QPushButton>(dialog, "refreshModels")->click();
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(model->count(), 1);
    model->setCurrentIndex(0);
    QVERIFY(dialog.save());
    QCOMPARE(load().ollama.model, QStringLiteral("gamma:3b"));
    QVERIFY(!readFile(location().configFile).contains("llm"));
}

void TestSettings::modelListErrorIsShown()
{
    FakeOllamaServer server;
    QVERIFY(server.start());
    server.setFault(FakeOllamaServer::Fault::Refuse);
    SettingsDialog dialog(location());
    child<QLineEdit>(dialog, "llmEndpoint")->setText(server.baseUrl());
    QSignalSpy refreshed(&dialog, &SettingsDialog::modelsRefreshed);
    dialog.refreshModels();
    QVERIFY(refreshed.wait(15000));
    auto *error = child<QLabel>(dialog, "modelError");
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(QLatin1String("/api/tags")), qPrintable(error->text()));

    // A server on another machine is pointed out.
    auto *warning = child<QLabel>(dialog, "remoteWarning");
    QVERIFY(warning->isHidden());
    child<QLineEdit>(dialog, "llmEndpoint")->setText(QStringLiteral("http://gpu-box:11434"));
    QVERIFY(!warning->isHidden());
    QVERIFY(warning->text().contains(QLatin1String("gpu-box")));
}

void TestSettings::autostartFileIsWrittenAndRemoved()
{
    const QString path =
        m_env->configHome() + QStringLiteral("/autostart/io.github.codeworm.CodeWorm.desktop");
    QCOMPARE(Autostart::filePath(), path);
    int applied = 0;
    SettingsDialog dialog(location(), [&applied] {
        ++applied;
        return Status();
    });
    auto *box = child<QCheckBox>(dialog, "autostart");
    QVERIFY(!box->isChecked());
    box->setChecked(true);
    QVERIFY(dialog.save());
    const QByteArray entry = readFile(path);
    QVERIFY(entry.startsWith("[Desktop Entry]\n"));
    QVERIFY(entry.contains("\nExec=codeworm run\n"));
    QVERIFY(entry.contains("\nX-GNOME-Autostart-enabled=true\n"));
    QVERIFY(Autostart::isEnabled());
    QCOMPARE(applied, 0); // no configuration file changed

    box->setChecked(false);
    QVERIFY(dialog.save());
    QVERIFY(!QFile::exists(path));
    QVERIFY(!Autostart::isEnabled());
}

QTEST_MAIN(TestSettings)
#include "TestSettings.moc"
