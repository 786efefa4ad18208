#include "SettingsDialog.h"
#include "TrayIcon.h"
#include "cli/CommandLine.h"
#include "cli/Session.h"
#include "codeworm_version.h"
#include "notify/DBusNotifier.h"
#include "notify/NotificationCenter.h"

#ifdef CODEWORM_HAVE_KNOTIFICATIONS
#include "knotifications/KNotificationsNotifier.h"
#endif

#include <QApplication>
#include <QDesktopServices>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <memory>

using namespace codeworm;

// codeworm-tray: the same command line and core as codeworm, with the tray icon (or the
// status window when the desktop has no tray).
int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        arguments << QString::fromLocal8Bit(argv[i]);
    }
    ParsedCommandLine commandLine = CommandLine::parse(arguments);
    if (!commandLine.error.isEmpty() || commandLine.help || commandLine.version ||
        commandLine.command != QLatin1String("run")) {
        const QByteArray message =
            QStringLiteral("codeworm-tray runs `codeworm run` with a tray icon; use codeworm for "
                           "other commands.\n%1\n")
                .arg(commandLine.error)
                .toUtf8();
        std::fwrite(message.constData(), 1, size_t(message.size()), stderr);
        return commandLine.error.isEmpty() && (commandLine.help || commandLine.version)
                   ? CommandLine::Success
                   : CommandLine::BadUsage;
    }
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);
    QGuiApplication::setDesktopFileName(QStringLiteral(CODEWORM_APP_ID));
    Session::setUpApplication();
    Session session(commandLine);
    if (const int done = session.prepare(); done >= 0) {
        return done;
    }
    TrayIcon tray(session.daemon());
    // One settings dialog at a time; saving applies it as SIGHUP would.
    QPointer<SettingsDialog> settings;
    const auto openSettings = [&session, &settings](SettingsDialog::Page page) {
        if (!settings) {
            settings = new SettingsDialog(session.configLocation(),
                                          [&session] { return session.reloadConfig(); });
            settings->setAttribute(Qt::WA_DeleteOnClose);
        }
        settings->openPage(page);
        settings->show();
        settings->raise();
        settings->activateWindow();
    };
    tray.setSettingsHandler([openSettings] { openSettings(SettingsDialog::Page::Repositories); });
    tray.show();
    const auto openDocument = [](const QString &path) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    };
    if (NotificationCenter *notifications = session.notificationCenter()) {
#ifdef CODEWORM_HAVE_KNOTIFICATIONS
        // KNotifications speaks to the same service, with the user's per-event settings.
        for (Notifier *notifier : notifications->notifiers()) {
            if (qobject_cast<DBusNotifier *>(notifier)) {
                notifications->removeNotifier(notifier);
                delete notifier;
            }
        }
        notifications->addNotifier(new KNotificationsNotifier(openDocument));
#endif
        for (Notifier *notifier : notifications->notifiers()) {
            if (auto *dbus = qobject_cast<DBusNotifier *>(notifier)) {
                // The desktop's own opener rather than xdg-open.
                dbus->setOpener(openDocument);
                // No notification service: the tray's own message, where there is a tray.
                QObject::connect(dbus, &DBusNotifier::fellBack, &tray,
                                 [&tray](const Notification &notification) {
                                     if (QSystemTrayIcon *icon = tray.trayIcon()) {
                                         icon->showMessage(notification.summary, notification.body);
                                     }
                                 });
            }
        }
    }
    if (session.daemon()->config().repositories.isEmpty()) {
        // First run: nothing to document yet. The page says what to do in one line.
        QTimer::singleShot(0, &tray,
                           [openSettings] { openSettings(SettingsDialog::Page::Repositories); });
    }
    const int code = session.exec();
    delete settings;
    return code;
}
