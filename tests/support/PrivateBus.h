#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace codeworm::test {

// A dbus-daemon of the test's own, with no service directories, so that nothing installed on
// the machine can be activated on it; it ends with the test, even when the test is killed.
// Point DBUS_SESSION_BUS_ADDRESS (and DBUS_SYSTEM_BUS_ADDRESS) at address() before the first
// QDBusConnection::sessionBus() (systemBus()): Qt reads them once.
class PrivateBus
{
public:
    PrivateBus() = default;
    PrivateBus(const PrivateBus &) = delete;
    PrivateBus &operator=(const PrivateBus &) = delete;
    ~PrivateBus();

    // Starts the bus; false with the reason in `error`.
    bool start(QString *error);
    QByteArray address() const { return m_address; }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QByteArray m_address;
};

} // namespace codeworm::test
