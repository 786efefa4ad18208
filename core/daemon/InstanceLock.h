#pragma once

#include <QLockFile>
#include <QString>

namespace codeworm {

// One CodeWorm per state directory: `run` and `run-once` hold codeworm.lock there while they
// run. The lock file names the holder's PID; a lock left by a process that died (a crash,
// SIGKILL) is recognised as stale and taken over.
class InstanceLock
{
public:
    explicit InstanceLock(const QString &stateDir);

    static QString lockPath(const QString &stateDir);

    // False when another live process holds the lock (ownerPid() names it) or the lock file
    // cannot be written (error() says why).
    bool tryLock();
    qint64 ownerPid() const { return m_ownerPid; }
    QString error() const { return m_error; }

private:
    QString m_stateDir;
    QLockFile m_file;
    qint64 m_ownerPid = 0;
    QString m_error;
};

} // namespace codeworm
