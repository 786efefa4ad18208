#pragma once

#include <QString>
#include <QStringList>

class QProcess;

namespace codeworm::test {

struct ProcessResult
{
    int exitCode = -1; // -1: crashed or did not finish in time
    QString out;
    QString err;
};

// Runs a program to its end while spinning this thread's event loop (a fake server in the
// test may have to answer it), with no standard input. Gives up after `timeoutMs`.
ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         int timeoutMs = 60000);

// Starts `codeworm run --no-gui` (`binary`, with `configArguments` such as --config DIR before
// the command) and waits until its control socket answers `status`. Its stderr is appended to
// *log as it comes, for as long as `process` lives.
bool startDaemon(QProcess &process, const QString &binary, const QStringList &configArguments,
                 QString *log);
// SIGTERM, then waits: true when the daemon ended by itself with exit code 0.
bool stopDaemon(QProcess &process);

} // namespace codeworm::test
