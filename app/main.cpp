#include "cli/CommandLine.h"
#include "cli/Session.h"
#include "codeworm_version.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <climits>
#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace codeworm;

namespace {

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
}

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// The tray lives in its own executable beside this one, so that this binary never loads
// Qt Gui or Widgets: headless servers and `--no-gui` stay light.
void execTrayIfWanted(const ParsedCommandLine &commandLine, char *argv[])
{
    if (commandLine.command != QLatin1String("run") || commandLine.noGui || !hasDisplay()) {
        return;
    }
    char self[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) {
        return;
    }
    self[length] = '\0';
    QByteArray tray(self);
    tray = tray.left(tray.lastIndexOf('/') + 1) + "codeworm-tray";
    if (::access(tray.constData(), X_OK) == 0) {
        ::execv(tray.constData(), argv);
    }
    // No tray executable (a headless build or install): run headless.
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        arguments << QString::fromLocal8Bit(argv[i]);
    }
    const ParsedCommandLine commandLine = CommandLine::parse(arguments);
    if (!commandLine.error.isEmpty()) {
        print(stderr,
              QStringLiteral("codeworm: %1\nTry 'codeworm --help'.\n").arg(commandLine.error));
        return CommandLine::BadUsage;
    }
    if (commandLine.help) {
        print(stdout, CommandLine::helpText());
        return CommandLine::Success;
    }
    if (commandLine.version) {
        print(stdout, CommandLine::versionText() + QLatin1Char('\n'));
        return CommandLine::Success;
    }
    if (!commandLine.completion.isEmpty()) {
        print(stdout, CommandLine::completionScript(commandLine.completion));
        return CommandLine::Success;
    }
    execTrayIfWanted(commandLine, argv);

    QCoreApplication app(argc, argv);
    Session::setUpApplication();
    Session session(commandLine);
    if (const int done = session.prepare(); done >= 0) {
        return done;
    }
    return session.exec();
}
