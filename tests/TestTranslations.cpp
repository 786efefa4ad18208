// The German and French catalogues: loaded from :/i18n the way Session::setUpApplication
// loads them, they translate the tray's menu, its tooltip and the status window; and the .ts
// files in the source tree are complete for the tray, the statistics window, the settings
// dialog and the notifications, with the same placeholders as the English source.
#include "TestEnvironment.h"

#include "StatsWindow.h"
#include "StatusPanel.h"
#include "StatusText.h"
#include "TrayIcon.h"
#include "daemon/Daemon.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace codeworm;
using namespace codeworm::test;

namespace {

// What the tray shows in one language.
struct Expected
{
    QString pause;
    QString resume;
    QString runNow;
    QString quit;
    QString statistics;
    QString settings;
    QString idleTitle;   // "CodeWorm: Idle"
    QString pausedTitle; // "CodeWorm: Paused"
    QString tooltip;
};

Expected expected(const QString &language)
{
    if (language == QLatin1String("de_DE")) {
        return {QStringLiteral("Pausieren"),
                QStringLiteral("Fortsetzen"),
                QStringLiteral("Jetzt ausführen"),
                QStringLiteral("Beenden"),
                QStringLiteral("Statistik…"),
                QStringLiteral("Einstellungen…"),
                QStringLiteral("CodeWorm: Leerlauf"),
                QStringLiteral("CodeWorm: Pausiert"),
                QStringLiteral("CodeWorm: Arbeitet\nHeute: 2 von 6 Commits\n"
                               "Nächster Lauf: keiner geplant\nLetzter Commit: noch keiner\n"
                               "Schreibt über clamp in geometry (shapes.py)\n"
                               "Wartet: im Akkubetrieb")};
    }
    // French puts a no-break space before the colon.
    return {QStringLiteral("Mettre en pause"),
            QStringLiteral("Reprendre"),
            QStringLiteral("Exécuter maintenant"),
            QStringLiteral("Quitter"),
            QStringLiteral("Statistiques…"),
            QStringLiteral("Paramètres…"),
            QStringLiteral("CodeWorm\u00a0: Inactif"),
            QStringLiteral("CodeWorm\u00a0: En pause"),
            QStringLiteral("CodeWorm\u00a0: Au travail\nAujourd’hui\u00a0: 2 commits sur 6\n"
                           "Prochaine exécution\u00a0: aucune prévue\n"
                           "Dernier commit\u00a0: aucun pour l’instant\n"
                           "Rédige sur clamp in geometry (shapes.py)\n"
                           "En attente\u00a0: sur batterie")};
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("%(\\d+|n)"));
    QStringList found;
    for (auto it = marker.globalMatch(text); it.hasNext();) {
        found << it.next().captured(0);
    }
    found.sort();
    found.removeDuplicates();
    return found;
}

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    bool finished = false;
    QStringList translations; // one per plural form, or the one translation
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1").arg(path);
        return {};
    }
    QList<TsMessage> messages;
    QString context;
    TsMessage current;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("context")) {
                context.clear();
            } else if (name == QLatin1String("name") && context.isEmpty()) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = TsMessage{};
                current.context = context;
                current.numerus = xml.attributes().value(QLatin1String("numerus")) ==
                                  QLatin1String("yes");
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                current.finished = type.isEmpty();
                if (!current.numerus) {
                    current.translations << xml.readElementText();
                }
            } else if (name == QLatin1String("numerusform")) {
                current.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << current;
        }
    }
    if (xml.hasError()) {
        *error = QStringLiteral("%1: %2").arg(path, xml.errorString());
    }
    return messages;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void trayMenuAndTooltipAreTranslated_data();
    void trayMenuAndTooltipAreTranslated();
    void tsFilesAreCompleteForTheDesktopParts_data();
    void tsFilesAreCompleteForTheDesktopParts();

private:
    QAction *action(TrayIcon &tray, const QString &text);
    std::unique_ptr<TestEnvironment> m_env;
    std::unique_ptr<Daemon> m_daemon;
    std::unique_ptr<QTranslator> m_translator;
};

void TestTranslations::init()
{
    m_env = std::make_unique<TestEnvironment>();
    Config config;
    config.dataDir = m_env->path(QStringLiteral("state"));
    m_daemon = std::make_unique<Daemon>(config, Daemon::Options{});
    QVERIFY(m_daemon->open());
}

void TestTranslations::cleanup()
{
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
    }
    m_daemon.reset();
    m_env.reset();
}

QAction *TestTranslations::action(TrayIcon &tray, const QString &text)
{
    const QList<QAction *> actions = tray.menu()->actions();
    for (QAction *candidate : actions) {
        if (candidate->text() == text) {
            return candidate;
        }
    }
    return nullptr;
}

void TestTranslations::trayMenuAndTooltipAreTranslated_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("German") << QStringLiteral("de_DE");
    QTest::newRow("French") << QStringLiteral("fr_FR");
}

void TestTranslations::trayMenuAndTooltipAreTranslated()
{
    QFETCH(QString, language);
    // As Session::setUpApplication does it, with the user's locale.
    m_translator = std::make_unique<QTranslator>();
    QVERIFY2(m_translator->load(QLocale(language), QStringLiteral("codeworm"), QStringLiteral("_"),
                                QStringLiteral(":/i18n")),
             qPrintable(QStringLiteral("no codeworm catalogue for %1 in :/i18n").arg(language)));
    QVERIFY(QCoreApplication::installTranslator(m_translator.get()));
    const Expected want = expected(language);

    TrayIcon tray(m_daemon.get());
    QCOMPARE(tray.menu()->actions().first()->text(), want.idleTitle);
    for (const QString &text : {want.pause, want.runNow, want.quit, want.statistics,
                                want.settings}) {
        QVERIFY2(action(tray, text), qPrintable(text));
    }
    QVERIFY(!action(tray, QStringLiteral("Pause")));
    QVERIFY(!action(tray, QStringLiteral("Quit")));

    action(tray, want.pause)->trigger();
    QVERIFY(m_daemon->isPaused());
    QVERIFY(action(tray, want.resume));
    QCOMPARE(tray.menu()->actions().first()->text(), want.pausedTitle);
    QCOMPARE(StatusText::title(m_daemon->status()), want.pausedTitle);
    action(tray, want.resume)->trigger();
    QVERIFY(!m_daemon->isPaused());

    // The offscreen platform has no tray: the statistics window's panel stands in for it.
    tray.show(std::chrono::seconds(0));
    QVERIFY(tray.statsWindow());
    auto *pause = tray.statsWindow()->findChild<QPushButton *>(QStringLiteral("pauseButton"));
    QVERIFY(pause);
    QCOMPARE(pause->text(), want.pause);

    DaemonStatus status;
    status.state = DaemonStatus::State::Working;
    status.commitsToday = 2;
    status.plannedToday = 6;
    status.currentTarget = QStringLiteral("clamp in geometry (shapes.py)");
    status.waiting = QCoreApplication::translate("codeworm::LaptopManners", "on battery power");
    QCOMPARE(StatusText::tooltip(status), want.tooltip);

    // Daemon recognises its own "the planned run waits: <reason>" by the translated prefix.
    const QString waits =
        QCoreApplication::translate("codeworm::Daemon", "the planned run waits: %1").arg(QStringLiteral("x"));
    const QString prefix = QCoreApplication::translate("codeworm::Daemon", "the planned run waits");
    QVERIFY(prefix != QLatin1String("the planned run waits"));
    QVERIFY2(waits.startsWith(prefix), qPrintable(waits + QLatin1String(" / ") + prefix));

    // Plurals: one and several.
    const QString one = QCoreApplication::translate("codeworm::CommitChart", "%1: %n commit(s)",
                                                    nullptr, 1);
    const QString many = QCoreApplication::translate("codeworm::CommitChart", "%1: %n commit(s)",
                                                     nullptr, 3);
    QVERIFY2(one.endsWith(QLatin1String("1 Commit")) || one.endsWith(QLatin1String("1 commit")),
             qPrintable(one));
    QVERIFY2(many.endsWith(QLatin1String("3 Commits")) || many.endsWith(QLatin1String("3 commits")),
             qPrintable(many));
}

void TestTranslations::tsFilesAreCompleteForTheDesktopParts_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("German") << QStringLiteral("codeworm_de.ts");
    QTest::newRow("French") << QStringLiteral("codeworm_fr.ts");
}

void TestTranslations::tsFilesAreCompleteForTheDesktopParts()
{
    QFETCH(QString, file);
    const QString path = QStringLiteral(CODEWORM_SOURCE_DIR "/translations/") + file;
    QString error;
    const QList<TsMessage> messages = readTs(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The tray, its menu and the status window, the statistics window, the settings dialog,
    // the notifications and the daemon's status texts they show.
    const QStringList complete = {
        QStringLiteral("QObject"),
        QStringLiteral("StatusText"),
        QStringLiteral("codeworm::TrayIcon"),
        QStringLiteral("codeworm::StatusPanel"),
        QStringLiteral("codeworm::StatsWindow"),
        QStringLiteral("codeworm::CommitChart"),
        QStringLiteral("codeworm::SettingsDialog"),
        QStringLiteral("codeworm::NotificationCenter"),
        QStringLiteral("codeworm::DBusNotifier"),
        QStringLiteral("codeworm::Daemon"),
        QStringLiteral("codeworm::DeadmanSwitch"),
        QStringLiteral("codeworm::LaptopManners"),
    };
    QStringList problems;
    QSet<QString> seen;
    for (const TsMessage &message : messages) {
        if (!complete.contains(message.context)) {
            continue;
        }
        seen.insert(message.context);
        const QString where = message.context + QLatin1String(": ") + message.source;
        if (!message.finished) {
            problems << QStringLiteral("unfinished: ") + where;
            continue;
        }
        if (message.translations.size() != (message.numerus ? 2 : 1)) {
            problems << QStringLiteral("%1 forms: ").arg(message.translations.size()) + where;
            continue;
        }
        for (const QString &translation : message.translations) {
            if (translation.trimmed().isEmpty()) {
                problems << QStringLiteral("empty: ") + where;
            } else if (placeholders(translation) != placeholders(message.source)) {
                problems << QStringLiteral("placeholders differ: ") + where + QLatin1String(" -> ") +
                                translation;
            } else if (message.source.endsWith(u'…') != translation.endsWith(u'…')) {
                problems << QStringLiteral("ellipsis differs: ") + where;
            } else if (message.source.contains(u'&') != translation.contains(u'&')) {
                problems << QStringLiteral("accelerator differs: ") + where;
            }
        }
    }
    for (const QString &context : complete) {
        if (!seen.contains(context)) {
            problems << QStringLiteral("context missing: ") + context;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "TestTranslations.moc"
