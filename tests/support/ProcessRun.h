#pragma once

#include <QString>
#include <QStringList>

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

} // namespace codeworm::test
