#pragma once

#include "cli/CommandLine.h"
#include "common/Result.h"
#include "config/ConfigLoader.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace codeworm {

class CheckCommand;
class ControlServer;
class Daemon;
class InstanceLock;
class NotificationCenter;

// The bootstrap shared by the tray and the headless mode: given the parsed command line and
// an application object (QCoreApplication or QApplication), it loads the configuration
// (writing the default one on first use), sets up logging, creates the Daemon and runs the
// command.
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(ParsedCommandLine commandLine, QObject *parent = nullptr);
    ~Session() override;

    // Names the application and installs the translations (ours and Qt's) for the locale;
    // call right after creating the application object.
    static void setUpApplication();

    // Loads the configuration and opens the state. Returns an exit code when the command is
    // already done (init, or an error), else -1: then exec().
    int prepare();
    // The daemon, after a successful prepare() for run and run-once.
    Daemon *daemon() const { return m_daemon; }
    // What notifies the desktop (D-Bus, else the log), after a successful prepare() for run;
    // the tray may add its own notifiers. Null for other commands.
    NotificationCenter *notificationCenter() const { return m_notifications; }
    // Starts the command and runs the event loop; returns the exit code.
    int exec();
    // Where the configuration was read from (the settings dialog rewrites those files).
    const ConfigLocation &configLocation() const { return m_location; }
    // Reads the configuration again and applies it: SIGHUP, `codeworm reload` and the settings
    // dialog. A configuration that does not load is refused and the running one kept.
    Status reloadConfig();

private:
    int runInit();
    void startRun();
    void startRunOnce();
    bool isAnalysisCommand() const;
    void startAnalysis();
    bool isStateCommand() const;
    void startCheck();
    bool isControlCommand() const;
    // status, pause, resume, run-now, reload: one request to the running instance.
    int runControl();
    // Debug, format and rotation of the log from m_config (--log-format wins over log.format).
    void applyLogConfig();
    void onSignal(int signalNumber);

    ParsedCommandLine m_commandLine;
    ConfigLocation m_location;
    Config m_config;
    Daemon *m_daemon = nullptr;
    ControlServer *m_control = nullptr;
    NotificationCenter *m_notifications = nullptr;
    // Held by run and run-once until the daemon is gone.
    std::unique_ptr<InstanceLock> m_instanceLock;
    CheckCommand *m_check = nullptr;
    int m_exitCode = 0;
    std::shared_ptr<std::atomic<bool>> m_cancelAnalysis =
        std::make_shared<std::atomic<bool>>(false);
};

} // namespace codeworm
