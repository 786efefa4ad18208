#include "PrivateBus.h"

#include <QFile>

#include <csignal>
#include <sys/prctl.h>

namespace codeworm::test {

PrivateBus::~PrivateBus()
{
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }
}

bool PrivateBus::start(QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    if (!m_dir.isValid()) {
        return fail(QStringLiteral("no temporary folder for the bus"));
    }
    const QString configPath = m_dir.filePath(QStringLiteral("bus.conf"));
    QFile config(configPath);
    if (!config.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return fail(config.errorString());
    }
    config.write(QStringLiteral(R"(<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)")
                     .arg(m_dir.path())
                     .toUtf8());
    config.close();

    m_daemon.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_daemon.start(QStringLiteral("dbus-daemon"),
                   {QStringLiteral("--config-file=") + configPath, QStringLiteral("--nofork"),
                    QStringLiteral("--print-address")});
    if (!m_daemon.waitForStarted(10000)) {
        return fail(QStringLiteral("dbus-daemon (package dbus) is needed"));
    }
    QByteArray address;
    for (int i = 0; i < 100 && !address.contains('\n'); ++i) {
        m_daemon.waitForReadyRead(100);
        address += m_daemon.readAllStandardOutput();
    }
    m_address = address.trimmed();
    return m_address.isEmpty() ? fail(QStringLiteral("dbus-daemon printed no address")) : true;
}

} // namespace codeworm::test
