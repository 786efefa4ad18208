// The notification center with the real D-Bus backend, against a fake
// org.freedesktop.Notifications server on a private bus: the test starts its own dbus-daemon
// (no service directories, so nothing on this machine is activated) and points the session bus
// at it. The server records every Notify call and can invoke a notification's action.
#include "PrivateBus.h"
#include "daemon/Daemon.h"
#include "devlog/DevLogPusher.h"
#include "notify/DBusNotifier.h"
#include "notify/NotificationCenter.h"

#include "codeworm_version.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>


using namespace codeworm;

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kFakeConnection = QStringLiteral("codeworm-fake-notifications");

QStringList g_notifyLog;
QtMessageHandler g_previousHandler = nullptr;

void captureNotifyLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "codeworm.notify") == 0) {
        g_notifyLog << message;
    }
    g_previousHandler(type, context, message);
}

} // namespace

// A notification server as a desktop runs one: numbers the notifications, replaces one when
// asked, closes them and signals actions.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
        uint id = 0;
    };

    QList<Call> calls;
    QList<uint> closed;

    void reset()
    {
        calls.clear();
        closed.clear();
    }

    // What a click on the action `key` of notification `id` sends.
    void invokeAction(uint id, const QString &key)
    {
        QDBusMessage signal =
            QDBusMessage::createSignal(kPath, kService, QStringLiteral("ActionInvoked"));
        signal << id << key;
        QDBusConnection(kFakeConnection).send(signal);
    }

public slots:
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }

    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion)
    {
        vendor = QStringLiteral("CodeWorm tests");
        version = QStringLiteral("1");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("fake");
    }

    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int timeout)
    {
        const uint id = replacesId != 0 ? replacesId : m_nextId++;
        calls.append({appName, replacesId, appIcon, summary, body, actions, hints, timeout, id});
        return id;
    }

    void CloseNotification(uint id)
    {
        closed.append(id);
        QDBusMessage signal =
            QDBusMessage::createSignal(kPath, kService, QStringLiteral("NotificationClosed"));
        signal << id << uint(3); // closed by a call to CloseNotification
        QDBusConnection(kFakeConnection).send(signal);
    }

private:
    uint m_nextId = 1;
};

// Signals with the daemon's signatures, wired to the center as Daemon::attachNotifications
// wires the daemon's.
class FakeDaemon : public QObject
{
    Q_OBJECT
public:
    void attach(NotificationCenter *center)
    {
        connect(this, &FakeDaemon::cycleFinished, center, &NotificationCenter::onCycleFinished);
        connect(this, &FakeDaemon::llmWaiting, center, &NotificationCenter::onLlmWaiting);
        connect(this, &FakeDaemon::pushFinished, center, &NotificationCenter::onPushFinished);
        connect(this, &FakeDaemon::alertRaised, center, &NotificationCenter::onDeadmanRaised);
        connect(this, &FakeDaemon::alertCleared, center, &NotificationCenter::onDeadmanCleared);
    }

signals:
    void cycleFinished(const codeworm::CycleResult &result);
    void llmWaiting(bool waiting, const QString &llm);
    void pushFinished(const codeworm::PushReport &report);
    void alertRaised(const QString &message);
    void alertCleared();
};

class TestNotifications : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void commitNotificationOpensTheDocument();
    void commitsCanBeTurnedOff();
    void alertIsShownOnceUntilItClears();
    void failuresInARowAlertAtTheThreshold();
    void llmDownForMinutes();
    void pushFailingAlerts();
    void anAlertUpdatesRatherThanStacks();
    void turningAnAlertOffWithdrawsIt();
    void noServerFallsBackToTheLog();
    void daemonSignalsReachTheCenter();

private:
    Config config() const;
    // Wires a center with the real D-Bus notifier to m_fake; the notifier's opener records.
    NotificationCenter *makeCenter(const Config &config);
    static CycleResult committed();
    static CycleResult failed();
    static PushReport push(PushReport::Outcome outcome);

    QTemporaryDir m_dir;
    codeworm::test::PrivateBus m_bus;
    FakeNotificationServer m_server;
    std::unique_ptr<FakeDaemon> m_fake;
    std::unique_ptr<NotificationCenter> m_center;
    QStringList m_opened;
};

void TestNotifications::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString busError;
    QVERIFY2(m_bus.start(&busError), qPrintable(busError));
    const QByteArray address = m_bus.address();
    // Before any QDBusConnection::sessionBus(): it reads this once.
    qputenv("DBUS_SESSION_BUS_ADDRESS", address);
    QVERIFY(QDBusConnection::sessionBus().isConnected());

    // The server on a connection of its own, as another process would be.
    QDBusConnection bus =
        QDBusConnection::connectToBus(QString::fromUtf8(address), kFakeConnection);
    QVERIFY(bus.isConnected());
    QVERIFY(bus.registerObject(kPath, &m_server, QDBusConnection::ExportAllSlots));
    g_previousHandler = qInstallMessageHandler(captureNotifyLog);
}

void TestNotifications::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
    QDBusConnection::disconnectFromBus(kFakeConnection);
}

void TestNotifications::init()
{
    m_server.reset();
    m_opened.clear();
    g_notifyLog.clear();
    QVERIFY(QDBusConnection(kFakeConnection).registerService(kService));
    m_fake = std::make_unique<FakeDaemon>();
}

void TestNotifications::cleanup()
{
    m_center.reset();
    m_fake.reset();
    QDBusConnection(kFakeConnection).unregisterService(kService);
}

Config TestNotifications::config() const
{
    Config config;
    config.devlog.repoPath = m_dir.filePath(QStringLiteral("devlog"));
    return config;
}

NotificationCenter *TestNotifications::makeCenter(const Config &config)
{
    m_center = std::make_unique<NotificationCenter>(config);
    auto *notifier = new DBusNotifier;
    notifier->setOpener([this](const QString &path) { m_opened << path; });
    m_center->addNotifier(notifier);
    m_fake->attach(m_center.get());
    return m_center.get();
}

CycleResult TestNotifications::committed()
{
    CycleResult result;
    result.outcome = CycleResult::Outcome::Committed;
    result.docType = QStringLiteral("function_doc");
    result.repo = QStringLiteral("core");
    result.symbol = QStringLiteral("Parser.parse");
    result.documentPath = QStringLiteral("snippets/python/2026-01-02_parser-parse.md");
    result.commitId = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    return result;
}

CycleResult TestNotifications::failed()
{
    CycleResult result;
    result.outcome = CycleResult::Outcome::Failed;
    result.reason = QStringLiteral("the model answered nothing");
    return result;
}

PushReport TestNotifications::push(PushReport::Outcome outcome)
{
    PushReport report;
    report.outcome = outcome;
    report.remote = QStringLiteral("origin");
    report.message = outcome == PushReport::Outcome::Offline
                         ? QStringLiteral("origin cannot be reached")
                         : QStringLiteral("origin refused the credentials");
    return report;
}

void TestNotifications::commitNotificationOpensTheDocument()
{
    makeCenter(config());
    emit m_fake->cycleFinished(committed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    const FakeNotificationServer::Call call = m_server.calls.first();
    QCOMPARE(call.appName, QStringLiteral("CodeWorm"));
    QCOMPARE(call.replacesId, 0u);
    QCOMPARE(call.appIcon, QStringLiteral(CODEWORM_APP_ID));
    QCOMPARE(call.summary, QStringLiteral("Parser.parse"));
    QVERIFY2(call.body.contains(QLatin1String("function_doc")), qPrintable(call.body));
    QVERIFY2(call.body.contains(QLatin1String("core")), qPrintable(call.body));
    QVERIFY2(call.body.contains(QLatin1String("0123456")), qPrintable(call.body));
    QVERIFY2(!call.body.contains(QLatin1String("01234567")), qPrintable(call.body));
    QCOMPARE(call.actions, QStringList({QStringLiteral("default"), QStringLiteral("Open"),
                                        QStringLiteral("open"), QStringLiteral("Open")}));
    QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(),
             QStringLiteral(CODEWORM_APP_ID));
    QCOMPARE(call.hints.value(QStringLiteral("urgency")).toInt(), 0);
    QCOMPARE(call.timeout, -1);

    m_server.invokeAction(call.id, QStringLiteral("open"));
    const QString document =
        m_dir.filePath(QStringLiteral("devlog/snippets/python/2026-01-02_parser-parse.md"));
    QTRY_COMPARE_WITH_TIMEOUT(m_opened, QStringList{document}, 10000);

    // Another notification's id, or an action we did not offer, opens nothing; a click on
    // the notification itself ("default") opens the document too.
    m_server.invokeAction(call.id + 100, QStringLiteral("open"));
    m_server.invokeAction(call.id, QStringLiteral("other"));
    m_server.invokeAction(call.id, QStringLiteral("default"));
    QTRY_COMPARE_WITH_TIMEOUT(m_opened.size(), 2, 10000);
    QCOMPARE(m_opened, QStringList({document, document}));
}

void TestNotifications::commitsCanBeTurnedOff()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    makeCenter(quiet);
    emit m_fake->cycleFinished(committed());
    // The alert after it arrives after it would have.
    emit m_fake->alertRaised(QStringLiteral("no document for an hour"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    QCOMPARE(m_server.calls.first().body, QStringLiteral("no document for an hour"));

    // A reload turns them on again.
    m_center->setConfig(config());
    emit m_fake->cycleFinished(committed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.last().summary, QStringLiteral("Parser.parse"));
}

void TestNotifications::alertIsShownOnceUntilItClears()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    makeCenter(quiet);
    emit m_fake->alertRaised(QStringLiteral("overdue"));
    emit m_fake->alertRaised(QStringLiteral("overdue"));
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline)); // a marker after both
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.at(0).body, QStringLiteral("overdue"));
    QCOMPARE(m_server.calls.at(0).hints.value(QStringLiteral("urgency")).toInt(), 2);
    QVERIFY(m_server.calls.at(0).actions.isEmpty());
    QCOMPARE(m_server.calls.at(1).body, QStringLiteral("origin cannot be reached"));
    const uint deadmanId = m_server.calls.at(0).id;

    emit m_fake->alertCleared();
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{deadmanId}, 10000);
    QVERIFY(!m_center->isRaised(Notification::Kind::Deadman));

    emit m_fake->alertRaised(QStringLiteral("overdue again"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 3, 10000);
    QCOMPARE(m_server.calls.at(2).body, QStringLiteral("overdue again"));
    QCOMPARE(m_server.calls.at(2).replacesId, 0u); // a new notification, the old one is gone
    QVERIFY(m_server.calls.at(2).id != deadmanId);
}

void TestNotifications::failuresInARowAlertAtTheThreshold()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    quiet.notifications.failuresInARow = 3;
    makeCenter(quiet);
    emit m_fake->cycleFinished(failed());
    emit m_fake->cycleFinished(failed());
    emit m_fake->alertRaised(QStringLiteral("marker"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    QCOMPARE(m_server.calls.at(0).body, QStringLiteral("marker"));

    emit m_fake->cycleFinished(failed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QVERIFY2(m_server.calls.at(1).summary.contains(QLatin1String("3")),
             qPrintable(m_server.calls.at(1).summary));
    QVERIFY2(m_server.calls.at(1).body.contains(QLatin1String("the model answered nothing")),
             qPrintable(m_server.calls.at(1).body));
    const uint failuresId = m_server.calls.at(1).id;

    // A fourth failure is the same alert; a skipped cycle neither counts nor clears.
    emit m_fake->cycleFinished(failed());
    CycleResult skipped;
    skipped.outcome = CycleResult::Outcome::Skipped;
    emit m_fake->cycleFinished(skipped);
    QVERIFY(m_center->isRaised(Notification::Kind::Failures));

    // A success clears it and starts the count again.
    emit m_fake->cycleFinished(committed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{failuresId}, 10000);
    emit m_fake->cycleFinished(failed());
    emit m_fake->cycleFinished(failed());
    emit m_fake->alertCleared();
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline)); // marker
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 3, 10000);
    QCOMPARE(m_server.calls.at(2).body, QStringLiteral("origin cannot be reached"));
}

void TestNotifications::llmDownForMinutes()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    quiet.notifications.llmDownMinutes = 2;
    NotificationCenter *center = makeCenter(quiet);
    // A "minute" of 50 ms; the alert comes after two of them, whenever that is.
    center->setMinuteLength(std::chrono::milliseconds(50));
    const QString llm = QStringLiteral("Ollama at http://localhost:11434, model qwen2.5:7b");
    emit m_fake->llmWaiting(true, llm);
    emit m_fake->llmWaiting(true, llm); // still waiting: the same wait
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    QVERIFY2(m_server.calls.at(0).summary.contains(QLatin1String("LLM")),
             qPrintable(m_server.calls.at(0).summary));
    QVERIFY2(m_server.calls.at(0).body.contains(llm), qPrintable(m_server.calls.at(0).body));
    emit m_fake->llmWaiting(true, llm);

    emit m_fake->llmWaiting(false, llm);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{m_server.calls.at(0).id}, 10000);
    QCOMPARE(m_server.calls.size(), 1);

    // A wait shorter than the threshold says nothing.
    center->setMinuteLength(std::chrono::hours(1));
    emit m_fake->llmWaiting(true, llm);
    emit m_fake->llmWaiting(false, llm);
    emit m_fake->alertRaised(QStringLiteral("marker"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.at(1).body, QStringLiteral("marker"));
}

void TestNotifications::pushFailingAlerts()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    makeCenter(quiet);
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline));
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline));
    emit m_fake->pushFinished(push(PushReport::Outcome::AuthFailed));
    emit m_fake->alertRaised(QStringLiteral("marker"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.at(0).body, QStringLiteral("origin cannot be reached"));
    QCOMPARE(m_server.calls.at(1).body, QStringLiteral("marker"));

    emit m_fake->pushFinished(push(PushReport::Outcome::Pushed));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{m_server.calls.at(0).id}, 10000);
    emit m_fake->pushFinished(push(PushReport::Outcome::AuthFailed));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 3, 10000);
    QCOMPARE(m_server.calls.at(2).body, QStringLiteral("origin refused the credentials"));

    // push_failures: false neither alerts nor keeps an alert up.
    Config off = quiet;
    off.notifications.pushFailures = false;
    m_center->setConfig(off);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed.size(), 2, 10000);
    QCOMPARE(m_server.closed.last(), m_server.calls.at(2).id);
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline));
    emit m_fake->alertCleared();
    emit m_fake->alertRaised(QStringLiteral("marker 2"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 4, 10000);
    QCOMPARE(m_server.calls.at(3).body, QStringLiteral("marker 2"));
}

void TestNotifications::anAlertUpdatesRatherThanStacks()
{
    // The backend alone: a second alert of a kind still shown replaces the first.
    DBusNotifier notifier;
    Notification alert;
    alert.kind = Notification::Kind::PushFailing;
    alert.summary = QStringLiteral("push fails");
    notifier.notify(alert);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    alert.body = QStringLiteral("still");
    notifier.notify(alert);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.at(1).replacesId, m_server.calls.at(0).id);

    // Commits stack: each has its own document.
    Notification commit;
    commit.summary = QStringLiteral("a");
    notifier.notify(commit);
    notifier.notify(commit);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 4, 10000);
    QCOMPARE(m_server.calls.at(2).replacesId, 0u);
    QCOMPARE(m_server.calls.at(3).replacesId, 0u);
}

void TestNotifications::turningAnAlertOffWithdrawsIt()
{
    Config quiet = config();
    quiet.notifications.onCommit = false;
    makeCenter(quiet);
    emit m_fake->alertRaised(QStringLiteral("overdue"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    Config off = quiet;
    off.notifications.deadman = false;
    m_center->setConfig(off);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{m_server.calls.at(0).id}, 10000);
    emit m_fake->alertCleared();
    emit m_fake->alertRaised(QStringLiteral("overdue"));
    emit m_fake->pushFinished(push(PushReport::Outcome::Offline)); // marker
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QCOMPARE(m_server.calls.at(1).body, QStringLiteral("origin cannot be reached"));
}

void TestNotifications::noServerFallsBackToTheLog()
{
    QDBusConnection(kFakeConnection).unregisterService(kService);
    NotificationCenter *center = makeCenter(config());
    auto *notifier = qobject_cast<DBusNotifier *>(center->notifiers().value(0));
    QVERIFY(notifier);
    QSignalSpy fellBack(notifier, &DBusNotifier::fellBack);
    emit m_fake->cycleFinished(committed());
    QTRY_COMPARE_WITH_TIMEOUT(fellBack.size(), 1, 10000);
    QVERIFY(!notifier->isServerAvailable());
    emit m_fake->alertRaised(QStringLiteral("overdue"));
    QTRY_COMPARE_WITH_TIMEOUT(fellBack.size(), 2, 10000);
    QVERIFY(m_server.calls.isEmpty());

    const QString all = g_notifyLog.join(QLatin1Char('\n'));
    QCOMPARE(g_notifyLog.filter(QStringLiteral("no desktop notification service")).size(), 1);
    QVERIFY2(all.contains(QLatin1String("Parser.parse")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("overdue")), qPrintable(all));

    // A server that appears later is used again.
    QVERIFY(QDBusConnection(kFakeConnection).registerService(kService));
    emit m_fake->alertCleared();
    emit m_fake->alertRaised(QStringLiteral("overdue again"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(notifier->isServerAvailable(), 10000);
}

void TestNotifications::daemonSignalsReachTheCenter()
{
    // A real (unopened) daemon, wired as Session wires it; its signals are emitted here.
    Config settings = config();
    settings.dataDir = m_dir.filePath(QStringLiteral("state"));
    settings.notifications.llmDownMinutes = 1;
    Daemon daemon(settings, {});
    NotificationCenter *center = makeCenter(settings);
    center->setMinuteLength(std::chrono::milliseconds(50));
    daemon.attachNotifications(center);

    emit daemon.cycleFinished(committed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 1, 10000);
    QCOMPARE(m_server.calls.at(0).summary, QStringLiteral("Parser.parse"));

    DaemonStatus waiting;
    waiting.state = DaemonStatus::State::WaitingForLlm;
    waiting.llm = QStringLiteral("Ollama at http://localhost:11434");
    emit daemon.statusChanged(waiting);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 2, 10000);
    QVERIFY(m_server.calls.at(1).body.contains(waiting.llm));
    emit daemon.statusChanged(DaemonStatus());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed, QList<uint>{m_server.calls.at(1).id}, 10000);

    emit daemon.pushFinished(push(PushReport::Outcome::Offline));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 3, 10000);
    QCOMPARE(m_server.calls.at(2).body, QStringLiteral("origin cannot be reached"));
    emit daemon.alertRaised(QStringLiteral("overdue"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 4, 10000);
    emit daemon.alertCleared();
    QTRY_COMPARE_WITH_TIMEOUT(m_server.closed.size(), 2, 10000);

    // A reload applies the new settings: commits are no longer notified.
    Config quiet = settings;
    quiet.notifications.onCommit = false;
    daemon.reload(quiet);
    emit daemon.cycleFinished(committed());
    emit daemon.alertRaised(QStringLiteral("marker"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.calls.size(), 5, 10000);
    QCOMPARE(m_server.calls.at(4).body, QStringLiteral("marker"));
}

QTEST_GUILESS_MAIN(TestNotifications)

#include "TestNotifications.moc"
