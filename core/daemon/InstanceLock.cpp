#include "daemon/InstanceLock.h"

#include <QDir>

namespace codeworm {

InstanceLock::InstanceLock(const QString &stateDir)
    : m_stateDir(stateDir)
    , m_file(lockPath(stateDir))
{
    // Only a dead holder makes the lock stale: a daemon runs for months, so no age does.
    m_file.setStaleLockTime(0);
}

QString InstanceLock::lockPath(const QString &stateDir)
{
    return stateDir + QStringLiteral("/codeworm.lock");
}

bool InstanceLock::tryLock()
{
    if (!QDir().mkpath(m_stateDir)) {
        m_error = QStringLiteral("cannot create the state directory %1").arg(m_stateDir);
        return false;
    }
    if (m_file.tryLock(0)) {
        return true;
    }
    if (m_file.error() == QLockFile::LockFailedError) {
        QString host;
        QString application;
        m_file.getLockInfo(&m_ownerPid, &host, &application);
        return false;
    }
    m_error = QStringLiteral("cannot write the lock file %1").arg(lockPath(m_stateDir));
    return false;
}

} // namespace codeworm
