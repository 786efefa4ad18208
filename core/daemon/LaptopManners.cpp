#include "daemon/LaptopManners.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcLaptop, "codeworm.laptop")

namespace codeworm {

namespace {

const QString kPropertiesInterface = QStringLiteral("org.freedesktop.DBus.Properties");
const QString kUPowerService = QStringLiteral("org.freedesktop.UPower");
const QString kUPowerPath = QStringLiteral("/org/freedesktop/UPower");
const QString kUPowerInterface = QStringLiteral("org.freedesktop.UPower");
const QString kScreenSaverService = QStringLiteral("org.freedesktop.ScreenSaver");
const QString kScreenSaverPath = QStringLiteral("/org/freedesktop/ScreenSaver");
const QString kScreenSaverShortPath = QStringLiteral("/ScreenSaver");
const QString kLogindService = QStringLiteral("org.freedesktop.login1");
const QString kLogindSessionPath = QStringLiteral("/org/freedesktop/login1/session/auto");
const QString kLogindSessionInterface = QStringLiteral("org.freedesktop.login1.Session");

// A service that hangs must not hold a run back for the default 25 s.
constexpr int kCallTimeoutMs = 5000;

QString hhmm(QTime time)
{
    return time.toString(QStringLiteral("HH:mm"));
}

} // namespace

LaptopManners::LaptopManners(const LaptopConfig &laptop, const QTimeZone &zone, QObject *parent,
                             Clock clock)
    : QObject(parent)
    , m_config(laptop)
    , m_zone(zone)
    , m_clock(std::move(clock))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LaptopManners::recheck);
}

void LaptopManners::setConfig(const LaptopConfig &laptop, const QTimeZone &zone)
{
    m_config = laptop;
    m_zone = zone;
    if (m_pending) {
        recheck();
    }
}

void LaptopManners::requestRun()
{
    if (m_pending) {
        return; // joins the pending request
    }
    m_pending = true;
    m_reason = Reason::None;
    m_reasonText.clear();
    // From the event loop, so that allowed() never comes back inside this call.
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (m_pending && generation == m_generation) {
                startCheck();
            }
        },
        Qt::QueuedConnection);
}

void LaptopManners::cancelPending()
{
    m_pending = false;
    ++m_generation;
    m_timer.stop();
    m_reason = Reason::None;
    m_reasonText.clear();
}

void LaptopManners::recheck()
{
    if (m_pending) {
        startCheck();
    }
}

void LaptopManners::startCheck()
{
    const quint64 generation = ++m_generation;
    m_timer.stop();
    subscribe();

    // Quiet hours need no D-Bus: looked at first, and they name the wait when they apply.
    if (m_config.hasQuietHours()) {
        const QDateTime now = m_clock().toTimeZone(m_zone);
        if (m_config.isQuiet(now.time())) {
            QDateTime end(now.date(), m_config.quietEnd, m_zone);
            if (end <= now) {
                end = QDateTime(now.date().addDays(1), m_config.quietEnd, m_zone);
            }
            const QString text =
                tr("quiet hours %1-%2").arg(hhmm(m_config.quietStart), hhmm(m_config.quietEnd));
            // At least a second: a clock that stands still (tests) or rounding must not spin.
            wait(Reason::Quiet, text, std::max<qint64>(now.msecsTo(end), 1000));
            return;
        }
    }
    checkBattery(generation);
}

void LaptopManners::subscribe()
{
    // The signals make a re-check prompt; the timers catch a lost one. No sender is named:
    // naming one makes QtDBus ask the bus for its owner with a blocking call.
    if (m_config.pauseOnBattery && !m_upowerSubscribed) {
        QDBusConnection bus = QDBusConnection::systemBus();
        if (bus.isConnected()) {
            m_upowerSubscribed = bus.connect(
                QString(), kUPowerPath, kPropertiesInterface, QStringLiteral("PropertiesChanged"),
                this, SLOT(onUPowerPropertiesChanged(QString, QVariantMap, QStringList)));
        }
    }
    if (m_config.idleMinutes > 0 && !m_screenSaverSubscribed) {
        QDBusConnection bus = QDBusConnection::sessionBus();
        if (bus.isConnected()) {
            m_screenSaverSubscribed = bus.connect(QString(), kScreenSaverPath, kScreenSaverService,
                                                  QStringLiteral("ActiveChanged"), this,
                                                  SLOT(onScreenSaverActiveChanged(bool)));
        }
    }
}

void LaptopManners::checkBattery(quint64 generation)
{
    if (!m_config.pauseOnBattery) {
        checkIdle(generation);
        return;
    }
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected()) {
        if (!m_upowerMissingLogged) {
            m_upowerMissingLogged = true;
            qCWarning(lcLaptop).noquote()
                << QStringLiteral("pause_on_battery: no system bus (%1); running as if on mains "
                                  "power")
                       .arg(bus.lastError().message());
        }
        checkIdle(generation);
        return;
    }
    QDBusMessage get = QDBusMessage::createMethodCall(kUPowerService, kUPowerPath,
                                                      kPropertiesInterface, QStringLiteral("Get"));
    get << kUPowerInterface << QStringLiteral("OnBattery");
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(get, kCallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, generation](QDBusPendingCallWatcher *call) {
                call->deleteLater();
                if (generation != m_generation) {
                    return;
                }
                const QDBusPendingReply<QDBusVariant> reply = *call;
                if (reply.isError()) {
                    if (!m_upowerMissingLogged) {
                        m_upowerMissingLogged = true;
                        qCWarning(lcLaptop).noquote()
                            << QStringLiteral("pause_on_battery: UPower does not answer (%1); "
                                              "running as if on mains power")
                                   .arg(reply.error().message());
                    }
                    checkIdle(generation);
                    return;
                }
                m_upowerMissingLogged = false; // it answers again: say so when it goes away
                if (reply.value().variant().toBool()) {
                    // PropertiesChanged brings the change; the timer only guards a lost one.
                    wait(Reason::Battery, tr("on battery power"), maxSleepMs);
                    return;
                }
                checkIdle(generation);
            });
}

void LaptopManners::checkIdle(quint64 generation)
{
    if (m_config.idleMinutes <= 0) {
        allow();
        return;
    }
    // Always from the top: a desktop that starts later (or a ScreenSaver that stops saying
    // "not supported") is found again. The failures are quick answers of the bus.
    queryIdle(generation, IdleSource::ScreenSaver);
}

void LaptopManners::queryIdle(quint64 generation, IdleSource source)
{
    if (source == IdleSource::None) {
        if (!m_idleMissingLogged) {
            m_idleMissingLogged = true;
            qCWarning(lcLaptop).noquote()
                << "idle_minutes: neither org.freedesktop.ScreenSaver nor logind tells the "
                   "session's idle time; runs are not held back for it";
        }
        allow();
        return;
    }
    const bool logind = source == IdleSource::Logind;
    QDBusConnection bus = logind ? QDBusConnection::systemBus() : QDBusConnection::sessionBus();
    const auto next = static_cast<IdleSource>(static_cast<int>(source) + 1);
    if (!bus.isConnected()) {
        queryIdle(generation, next);
        return;
    }
    QDBusMessage call;
    if (logind) {
        call = QDBusMessage::createMethodCall(kLogindService, kLogindSessionPath,
                                              kPropertiesInterface, QStringLiteral("GetAll"));
        call << kLogindSessionInterface;
    } else {
        call = QDBusMessage::createMethodCall(
            kScreenSaverService,
            source == IdleSource::ScreenSaver ? kScreenSaverPath : kScreenSaverShortPath,
            kScreenSaverService, QStringLiteral("GetSessionIdleTime"));
    }
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, kCallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, generation, logind, next](QDBusPendingCallWatcher *pending) {
                pending->deleteLater();
                if (generation != m_generation) {
                    return;
                }
                if (pending->isError()) {
                    qCDebug(lcLaptop).noquote() << "idle time:" << pending->error().message();
                    queryIdle(generation, next);
                    return;
                }
                m_idleMissingLogged = false;
                if (!logind) {
                    const QDBusPendingReply<uint> reply = *pending;
                    onIdleTime(reply.value());
                    return;
                }
                const QDBusPendingReply<QVariantMap> reply = *pending;
                const QVariantMap properties = reply.value();
                if (!properties.value(QStringLiteral("IdleHint")).toBool()) {
                    onIdleTime(0);
                    return;
                }
                // IdleSinceHint: µs since the epoch on CLOCK_REALTIME; 0 when unknown, and
                // then the hint alone says idle.
                const qint64 sinceUs =
                    properties.value(QStringLiteral("IdleSinceHint")).toLongLong();
                if (sinceUs <= 0) {
                    allow();
                    return;
                }
                const qint64 idleMs = m_clock().toMSecsSinceEpoch() - sinceUs / 1000;
                onIdleTime(std::max<qint64>(idleMs, 0));
            });
}

void LaptopManners::onIdleTime(qint64 idleMs)
{
    const qint64 neededMs = qint64(m_config.idleMinutes) * 60 * 1000;
    if (idleMs >= neededMs) {
        allow();
        return;
    }
    const QString text =
        (m_config.idleMinutes == 1 ? tr("the session has been idle for %1 of %2 minute")
                                   : tr("the session has been idle for %1 of %2 minutes"))
            .arg(idleMs / 60000)
            .arg(m_config.idleMinutes);
    // Looks again when the threshold would be reached if the session stays idle; activity in
    // between only means another wait then.
    wait(Reason::Idle, text, std::max<qint64>(neededMs - idleMs, m_recheckIntervalMs));
}

void LaptopManners::wait(Reason reason, const QString &text, qint64 recheckInMs)
{
    const bool changed = reason != m_reason;
    m_reason = reason;
    m_reasonText = text;
    m_timer.start(int(std::min<qint64>(recheckInMs, maxSleepMs)));
    if (changed) {
        qCInfo(lcLaptop).noquote() << "planned run waits:" << text;
        emit waiting(text);
    }
}

void LaptopManners::allow()
{
    const bool wasWaiting = m_reason != Reason::None;
    m_pending = false;
    ++m_generation;
    m_timer.stop();
    m_reason = Reason::None;
    m_reasonText.clear();
    if (wasWaiting) {
        qCInfo(lcLaptop) << "planned run may start now";
    }
    emit allowed();
}

void LaptopManners::onUPowerPropertiesChanged(const QString &interface, const QVariantMap &changed,
                                              const QStringList &invalidated)
{
    if (interface != kUPowerInterface || !m_config.pauseOnBattery || !m_pending) {
        return;
    }
    if (changed.contains(QStringLiteral("OnBattery")) ||
        invalidated.contains(QStringLiteral("OnBattery"))) {
        recheck();
    }
}

void LaptopManners::onScreenSaverActiveChanged(bool active)
{
    // The screen saver starting is a sign of idleness worth a look; one check, not a poll.
    if (active && m_pending && m_reason == Reason::Idle) {
        recheck();
    }
}

} // namespace codeworm
