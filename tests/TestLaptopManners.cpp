// LaptopManners against fake UPower, ScreenSaver and logind services on a private bus: the
// test starts its own dbus-daemon and points both the system and the session bus at it.
#include "PrivateBus.h"
#include "daemon/LaptopManners.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>


using namespace codeworm;

namespace {

const QString kUPower = QStringLiteral("org.freedesktop.UPower");
const QString kScreenSaver = QStringLiteral("org.freedesktop.ScreenSaver");
const QString kLogind = QStringLiteral("org.freedesktop.login1");
const QString kFakeConnection = QStringLiteral("codeworm-fake-services");

constexpr qint64 kMinuteMs = 60 * 1000;

} // namespace

class FakeUPower : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.UPower")
    Q_PROPERTY(bool OnBattery READ onBattery)
public:
    bool onBattery() const { return m_onBattery; }
    bool m_onBattery = false;
};

// KDE answers GetSessionIdleTime; GNOME answers "not supported". The idle time grows with the
// clock from what the test set, like a real idle session.
class FakeScreenSaver : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.ScreenSaver")
public:
    void setIdle(qint64 ms)
    {
        m_idleMs = ms;
        m_since.start();
    }
    bool m_notSupported = false;
    int m_calls = 0;

public slots:
    uint GetSessionIdleTime()
    {
        ++m_calls;
        if (m_notSupported) {
            sendErrorReply(QDBusError::NotSupported, QStringLiteral("not supported"));
            return 0;
        }
        return uint(m_idleMs + m_since.elapsed());
    }

private:
    qint64 m_idleMs = 0;
    QElapsedTimer m_since;
};

class FakeLogindSession : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Session")
    Q_PROPERTY(bool IdleHint READ idleHint)
    Q_PROPERTY(quint64 IdleSinceHint READ idleSinceHint)
public:
    bool idleHint() const
    {
        ++m_reads;
        return m_idleHint;
    }
    quint64 idleSinceHint() const { return m_idleSinceUs; }
    bool m_idleHint = false;
    quint64 m_idleSinceUs = 0;
    mutable int m_reads = 0;
};

class TestLaptopManners : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void allOffAllowsAtOnce();
    void onBatteryWaitsForMains();
    void upowerAbsentAllows();
    void idleWaitsForThreshold();
    void idleTimerLooksAgainWhenThresholdIsReached();
    void gnomeScreenSaverFallsBackToShortPath();
    void screenSaverAbsentUsesLogind();
    void logindNotIdleWaits();
    void noIdleServiceAllows();
    void quietHoursWaitUntilWindowEnds();
    void quietHoursEndTimerFollowsClock();
    void requestsWhileWaitingAreCoalesced();
    void cancelPendingDropsRequest();
    void newConfigReleasesWaitingRequest();

private:
    QDBusConnection fakeBus() const { return QDBusConnection(kFakeConnection); }
    void setOnBattery(bool onBattery);

    codeworm::test::PrivateBus m_bus;
    FakeUPower m_upower;
    FakeScreenSaver m_screenSaver;
    FakeScreenSaver m_screenSaverShort;
    FakeLogindSession m_logind;
};

void TestLaptopManners::initTestCase()
{
    QString busError;
    QVERIFY2(m_bus.start(&busError), qPrintable(busError));
    const QByteArray address = m_bus.address();

    // Before any QDBusConnection::systemBus()/sessionBus(): they read these once.
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", address);
    qputenv("DBUS_SESSION_BUS_ADDRESS", address);
    QVERIFY(QDBusConnection::systemBus().isConnected());
    QVERIFY(QDBusConnection::sessionBus().isConnected());

    QDBusConnection bus =
        QDBusConnection::connectToBus(QString::fromUtf8(address), kFakeConnection);
    QVERIFY(bus.isConnected());
    QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/UPower"), &m_upower,
                               QDBusConnection::ExportAllProperties));
    QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/ScreenSaver"), &m_screenSaver,
                               QDBusConnection::ExportAllSlots));
    QVERIFY(bus.registerObject(QStringLiteral("/ScreenSaver"), &m_screenSaverShort,
                               QDBusConnection::ExportAllSlots));
    QVERIFY(bus.registerObject(QStringLiteral("/org/freedesktop/login1/session/auto"), &m_logind,
                               QDBusConnection::ExportAllProperties));
}

void TestLaptopManners::cleanupTestCase()
{
    QDBusConnection::disconnectFromBus(kFakeConnection);
}

void TestLaptopManners::init()
{
    m_upower.m_onBattery = false;
    m_screenSaver.setIdle(0);
    m_screenSaver.m_notSupported = false;
    m_screenSaver.m_calls = 0;
    m_screenSaverShort.setIdle(0);
    m_screenSaverShort.m_notSupported = false;
    m_screenSaverShort.m_calls = 0;
    m_logind.m_idleHint = false;
    m_logind.m_idleSinceUs = 0;
    m_logind.m_reads = 0;
    QDBusConnection bus = fakeBus();
    QVERIFY(bus.registerService(kUPower));
    QVERIFY(bus.registerService(kScreenSaver));
    QVERIFY(bus.registerService(kLogind));
}

void TestLaptopManners::cleanup()
{
    QDBusConnection bus = fakeBus();
    for (const QString &service : {kUPower, kScreenSaver, kLogind}) {
        if (bus.interface()->isServiceRegistered(service)) {
            QVERIFY(bus.unregisterService(service));
        }
    }
}

void TestLaptopManners::setOnBattery(bool onBattery)
{
    m_upower.m_onBattery = onBattery;
    QDBusMessage changed = QDBusMessage::createSignal(
        QStringLiteral("/org/freedesktop/UPower"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("PropertiesChanged"));
    changed << kUPower << QVariantMap{{QStringLiteral("OnBattery"), onBattery}} << QStringList();
    QVERIFY(fakeBus().send(changed));
}

void TestLaptopManners::allOffAllowsAtOnce()
{
    LaptopManners manners(LaptopConfig(), QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QCOMPARE(allowed.count(), 0); // from the event loop, not inside requestRun()
    QVERIFY(manners.isPending());
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(waiting.count(), 0);
    QVERIFY(!manners.isPending());
    QVERIFY(!manners.isWaiting());
}

void TestLaptopManners::onBatteryWaitsForMains()
{
    m_upower.m_onBattery = true;
    LaptopConfig laptop;
    laptop.pauseOnBattery = true;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    QCOMPARE(waiting.at(0).at(0).toString(), QStringLiteral("on battery power"));
    QVERIFY(manners.isWaiting());
    QCOMPARE(manners.waitReason(), QStringLiteral("on battery power"));
    QCOMPARE(allowed.count(), 0);

    setOnBattery(false);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QVERIFY(!manners.isWaiting());
    QVERIFY(manners.waitReason().isEmpty());
    QCOMPARE(waiting.count(), 1);
}

void TestLaptopManners::upowerAbsentAllows()
{
    QVERIFY(fakeBus().unregisterService(kUPower));
    LaptopConfig laptop;
    laptop.pauseOnBattery = true;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(waiting.count(), 0);
}

void TestLaptopManners::idleWaitsForThreshold()
{
    m_screenSaver.setIdle(2 * kMinuteMs);
    LaptopConfig laptop;
    laptop.idleMinutes = 10;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    QCOMPARE(waiting.at(0).at(0).toString(),
             QStringLiteral("the session has been idle for 2 of 10 minutes"));
    QVERIFY(manners.isWaiting());

    m_screenSaver.setIdle(11 * kMinuteMs);
    manners.recheck();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(waiting.count(), 1);
    QVERIFY(!manners.isWaiting());
}

void TestLaptopManners::idleTimerLooksAgainWhenThresholdIsReached()
{
    // Half a second short of the threshold: the timer looks again when it has passed.
    m_screenSaver.setIdle(kMinuteMs - 500);
    LaptopConfig laptop;
    laptop.idleMinutes = 1;
    LaptopManners manners(laptop, QTimeZone::utc());
    manners.setRecheckInterval(50);
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 20000);
    QCOMPARE(waiting.count(), 1);
}

void TestLaptopManners::gnomeScreenSaverFallsBackToShortPath()
{
    m_screenSaver.m_notSupported = true;
    m_screenSaverShort.setIdle(11 * kMinuteMs);
    LaptopConfig laptop;
    laptop.idleMinutes = 10;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(m_screenSaver.m_calls, 1);
    QCOMPARE(m_screenSaverShort.m_calls, 1);
    QCOMPARE(m_logind.m_reads, 0);
}

void TestLaptopManners::screenSaverAbsentUsesLogind()
{
    QVERIFY(fakeBus().unregisterService(kScreenSaver));
    m_logind.m_idleHint = true;
    m_logind.m_idleSinceUs =
        quint64(QDateTime::currentDateTime().addSecs(-12 * 60).toMSecsSinceEpoch()) * 1000;
    LaptopConfig laptop;
    laptop.idleMinutes = 10;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(waiting.count(), 0);
    QVERIFY(m_logind.m_reads > 0);
}

void TestLaptopManners::logindNotIdleWaits()
{
    QVERIFY(fakeBus().unregisterService(kScreenSaver));
    const QDateTime now(QDate(2026, 3, 2), QTime(12, 0), QTimeZone::utc());
    QDateTime clock = now;
    LaptopConfig laptop;
    laptop.idleMinutes = 10;
    LaptopManners manners(laptop, QTimeZone::utc(), nullptr, [&clock] { return clock; });
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    QCOMPARE(manners.waitReason(), QStringLiteral("the session has been idle for 0 of 10 minutes"));

    // Idle since 3 minutes before the injected clock: still waiting, with the new count.
    m_logind.m_idleHint = true;
    m_logind.m_idleSinceUs = quint64(now.addSecs(-3 * 60).toMSecsSinceEpoch()) * 1000;
    const int reads = m_logind.m_reads;
    manners.recheck();
    QTRY_VERIFY_WITH_TIMEOUT(m_logind.m_reads > reads, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(manners.waitReason(),
                              QStringLiteral("the session has been idle for 3 of 10 minutes"),
                              10000);
    QCOMPARE(waiting.count(), 1);

    clock = now.addSecs(8 * 60);
    manners.recheck();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
}

void TestLaptopManners::noIdleServiceAllows()
{
    QVERIFY(fakeBus().unregisterService(kScreenSaver));
    QVERIFY(fakeBus().unregisterService(kLogind));
    LaptopConfig laptop;
    laptop.idleMinutes = 10;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QCOMPARE(waiting.count(), 0);
}

void TestLaptopManners::quietHoursWaitUntilWindowEnds()
{
    // UTC+1: 21:30Z is 22:30 local, inside 22:00-07:00.
    const QTimeZone zone(3600);
    QDateTime clock(QDate(2026, 3, 2), QTime(21, 30), QTimeZone::utc());
    LaptopConfig laptop;
    laptop.quietStart = QTime(22, 0);
    laptop.quietEnd = QTime(7, 0);
    LaptopManners manners(laptop, zone, nullptr, [&clock] { return clock; });
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    QCOMPARE(waiting.at(0).at(0).toString(), QStringLiteral("quiet hours 22:00-07:00"));

    clock = QDateTime(QDate(2026, 3, 3), QTime(5, 59), QTimeZone::utc()); // 06:59 local
    manners.recheck();
    QVERIFY(manners.isWaiting());
    QCOMPARE(waiting.count(), 1);

    clock = QDateTime(QDate(2026, 3, 3), QTime(6, 0), QTimeZone::utc()); // 07:00 local
    manners.recheck();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    QVERIFY(!manners.isWaiting());
}

void TestLaptopManners::quietHoursEndTimerFollowsClock()
{
    // A clock that runs from 06:59:59.5: the end timer is set from it and fires at 07:00.
    const QDateTime start(QDate(2026, 3, 3), QTime(6, 59, 59, 500), QTimeZone::utc());
    QElapsedTimer elapsed;
    elapsed.start();
    LaptopConfig laptop;
    laptop.quietStart = QTime(22, 0);
    laptop.quietEnd = QTime(7, 0);
    LaptopManners manners(laptop, QTimeZone::utc(), nullptr,
                          [&] { return start.addMSecs(elapsed.elapsed()); });
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 20000);
    QCOMPARE(waiting.count(), 1);
}

void TestLaptopManners::requestsWhileWaitingAreCoalesced()
{
    m_upower.m_onBattery = true;
    LaptopConfig laptop;
    laptop.pauseOnBattery = true;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    manners.requestRun();
    QVERIFY(manners.isWaiting());

    setOnBattery(false);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
    // Nothing else is pending: a second PropertiesChanged brings no second allowed().
    setOnBattery(false);
    QTest::qWait(300);
    QCOMPARE(allowed.count(), 1);
    QCOMPARE(waiting.count(), 1);
}

void TestLaptopManners::cancelPendingDropsRequest()
{
    m_upower.m_onBattery = true;
    LaptopConfig laptop;
    laptop.pauseOnBattery = true;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);
    manners.cancelPending();
    QVERIFY(!manners.isWaiting());
    QVERIFY(!manners.isPending());

    setOnBattery(false);
    QTest::qWait(300);
    QCOMPARE(allowed.count(), 0);

    // A new request after the cancel is checked afresh.
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
}

void TestLaptopManners::newConfigReleasesWaitingRequest()
{
    m_upower.m_onBattery = true;
    LaptopConfig laptop;
    laptop.pauseOnBattery = true;
    LaptopManners manners(laptop, QTimeZone::utc());
    QSignalSpy allowed(&manners, &LaptopManners::allowed);
    QSignalSpy waiting(&manners, &LaptopManners::waiting);
    manners.requestRun();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.count(), 1, 10000);

    manners.setConfig(LaptopConfig(), QTimeZone::utc());
    QTRY_COMPARE_WITH_TIMEOUT(allowed.count(), 1, 10000);
}

QTEST_GUILESS_MAIN(TestLaptopManners)

#include "TestLaptopManners.moc"
