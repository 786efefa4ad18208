#include "TrayIcon.h"
#include "cli/CommandLine.h"
#include "cli/Session.h"
#include "codeworm_version.h"

#include <QApplication>

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
    tray.show();
    return session.exec();
}
