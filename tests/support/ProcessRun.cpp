#include "ProcessRun.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

namespace codeworm::test {

ProcessResult runProcess(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    ProcessResult result;
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

bool startDaemon(QProcess &process, const QString &binary, const QStringList &configArguments,
                 QString *log)
{
    process.setProgram(binary);
    process.setArguments(configArguments +
                         QStringList{QStringLiteral("run"), QStringLiteral("--no-gui")});
    process.setStandardInputFile(QProcess::nullDevice());
    QObject::connect(&process, &QProcess::readyReadStandardError, &process, [&process, log] {
        *log += QString::fromUtf8(process.readAllStandardError());
    });
    process.start();
    if (!process.waitForStarted()) {
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 60000 && process.state() == QProcess::Running) {
        if (runProcess(binary, configArguments + QStringList{QStringLiteral("status")}).exitCode ==
            0) {
            return true;
        }
        QTest::qWait(100);
    }
    return false;
}

bool stopDaemon(QProcess &process)
{
    QSignalSpy finished(&process, &QProcess::finished);
    ::kill(pid_t(process.processId()), SIGTERM);
    return (process.state() == QProcess::NotRunning || finished.wait(30000)) &&
           process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace codeworm::test
