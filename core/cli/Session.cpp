#include "cli/Session.h"

#include "cli/AnalysisCommands.h"
#include "cli/CheckCommand.h"
#include "cli/LogSink.h"
#include "cli/ScheduleCommand.h"
#include "cli/StateCommands.h"
#include "cli/UnixSignalWatcher.h"
#include "daemon/ControlClient.h"
#include "daemon/ControlServer.h"
#include "daemon/Daemon.h"
#include "daemon/InstanceLock.h"
#include "llm/LlmFactory.h"
#include "notify/DBusNotifier.h"
#include "notify/NotificationCenter.h"
#include "schedule/Scheduler.h"

#include "codeworm_version.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QTranslator>
#include <QtConcurrent/QtConcurrentRun>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcSession, "codeworm.cli")

namespace codeworm {

namespace {

// On stderr read by a machine (--log-format json, or the journal) a message for the user goes
// through the log instead, so that every line there has the log's shape and a level.
void printLine(FILE *stream, const QString &text, QtMsgType level = QtCriticalMsg)
{
    if (stream == stderr && LogSink::stderrIsStructured()) {
        QString message = text;
        if (message.startsWith(QLatin1String("codeworm: "))) {
            message.remove(0, 10); // the category says it already
        }
        if (level == QtInfoMsg) {
            qCInfo(lcSession).noquote() << message;
        } else {
            qCCritical(lcSession).noquote() << message;
        }
        return;
    }
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

QString orNone(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("-") : text;
}

QString statusText(const QJsonObject &status)
{
    const auto text = [&status](const char *key) {
        return orNone(status.value(QLatin1String(key)).toString());
    };
    const QDateTime nextRun =
        QDateTime::fromString(status.value(QStringLiteral("next_run")).toString(), Qt::ISODate);
    QString lines;
    lines += QStringLiteral("state: %1\n").arg(text("state_text"));
    lines += QStringLiteral("paused: %1\n")
                 .arg(status.value(QStringLiteral("paused")).toBool() ? QStringLiteral("yes")
                                                                      : QStringLiteral("no"));
    lines += QStringLiteral("current target: %1\n").arg(text("current_target"));
    lines += QStringLiteral("next run: %1\n")
                 .arg(nextRun.isValid()
                          ? nextRun.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                          : QStringLiteral("-"));
    lines += QStringLiteral("commits today: %1 of %2 planned\n")
                 .arg(status.value(QStringLiteral("commits_today")).toInt())
                 .arg(status.value(QStringLiteral("planned_today")).toInt());
    lines += QStringLiteral("last commit: %1\n").arg(text("last_commit"));
    lines += QStringLiteral("last error: %1\n").arg(text("last_error"));
    lines += QStringLiteral("llm: %1\n").arg(text("llm"));
    // Shown only when they say something: most of the time nothing waits and nothing alerts.
    for (const char *key : {"push", "waiting", "alert"}) {
        if (!status.value(QLatin1String(key)).toString().isEmpty()) {
            lines += QStringLiteral("%1: %2\n").arg(QLatin1String(key), text(key));
        }
    }
    lines += QStringLiteral("pid: %1").arg(status.value(QStringLiteral("pid")).toInteger());
    return lines;
}

} // namespace

Session::Session(ParsedCommandLine commandLine, QObject *parent)
    : QObject(parent)
    , m_commandLine(std::move(commandLine))
{}

Session::~Session()
{
    // The daemon finishes (its database closed) before the instance lock is released.
    delete m_control;
    delete m_daemon;
}

void Session::setUpApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("codeworm"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("codeworm.github.io"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODEWORM_VERSION));
    const QList<std::pair<QString, QString>> catalogs = {
        {QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)},
        {QStringLiteral("codeworm"), QStringLiteral(":/i18n")},
    };
    for (const auto &[name, folder] : catalogs) {
        auto translator = std::make_unique<QTranslator>();
        // English is the source language, but its catalogue holds the plural forms ("1 day",
        // "3 days"): also used where no catalogue matches the locale (C, POSIX, others).
        if (translator->load(QLocale(), name, QStringLiteral("_"), folder) ||
            (name == QLatin1String("codeworm") &&
             translator->load(QLocale(QLocale::English), name, QStringLiteral("_"), folder))) {
            QCoreApplication::installTranslator(translator.get());
            translator.release()->setParent(QCoreApplication::instance());
        }
    }
}

int Session::prepare()
{
    LogSink::install(false);
    // --log-format applies from the first line, configuration warnings included.
    if (const auto format = LogSink::formatFromName(m_commandLine.logFormat)) {
        LogSink::setFormat(*format);
    }
    m_location = ConfigLocation::resolve(m_commandLine.configPath);
    if (m_commandLine.command == QLatin1String("init")) {
        return runInit();
    }
    if (m_commandLine.command == QLatin1String("check")) {
        // check loads the configuration itself: a bad one is one of its findings, and it
        // writes nothing, not even a first default configuration.
        return -1;
    }
    if (!QFileInfo::exists(m_location.configFile)) {
        if (!m_commandLine.configPath.isEmpty()) {
            printLine(stderr, QStringLiteral("codeworm: no configuration at %1 (given by --config)")
                                  .arg(m_location.configFile));
            return CommandLine::BadUsage;
        }
        if (Status written = ConfigLoader::writeDefaults(m_location, {}); !written) {
            printLine(stderr, QStringLiteral("codeworm: %1").arg(written.error()));
            return CommandLine::BadUsage;
        }
        printLine(stderr,
                  QStringLiteral("codeworm: first run: wrote a default configuration to %1\n"
                                 "  Add the repositories to document to %2\n"
                                 "  (or run `codeworm init --repo <path>` on a fresh setup), "
                                 "then start codeworm again.")
                      .arg(m_location.dir, m_location.reposFile()),
                  QtInfoMsg);
    }
    auto loaded = ConfigLoader::load(m_location);
    if (!loaded) {
        printLine(stderr, QStringLiteral("codeworm: configuration error: %1").arg(loaded.error()));
        return CommandLine::BadUsage;
    }
    m_config = loaded->config;
    applyLogConfig();
    for (const QString &warning : loaded->warnings) {
        qCWarning(lcSession).noquote() << warning;
    }
    if (isControlCommand()) {
        return runControl();
    }
    QString logError;
    if (!LogSink::setFile(m_config.logPath(), &logError)) {
        qCWarning(lcSession).noquote() << logError;
    }
    if (m_commandLine.command == QLatin1String("schedule")) {
        // Arithmetic on the configuration and the daemon's kept seed: done before any event
        // loop or state. Without --seed it shows the days as the daemon plans them.
        const ScheduleCommand::Output output =
            ScheduleCommand::run(m_config, m_commandLine, QDateTime::currentDateTime(),
                                 Scheduler::persistedSeed(m_config.stateDir()));
        if (!output.out.isEmpty()) {
            printLine(stdout, output.out);
        }
        if (!output.err.isEmpty()) {
            printLine(stderr, output.err.trimmed());
        }
        return output.exitCode;
    }
    if (isAnalysisCommand() || isStateCommand()) {
        return -1;
    }
    // Refused before anything runs: no source code may head for a server without consent.
    if (Status consent = LlmFactory::checkConsent(m_config); !consent) {
        printLine(stderr, QStringLiteral("codeworm: configuration error: %1").arg(consent.error()));
        return CommandLine::BadUsage;
    }
    Daemon::Options options;
    options.dryRun = m_commandLine.dryRun;
    options.docType = m_commandLine.docType;
    options.repo = m_commandLine.repos.value(0);
    if (!options.repo.isEmpty() &&
        std::none_of(m_config.repositories.cbegin(), m_config.repositories.cend(),
                     [&options](const RepoConfig &r) { return r.name == options.repo; })) {
        printLine(stderr, QStringLiteral("codeworm: no repository named '%1' in %2")
                              .arg(options.repo, m_location.reposFile()));
        return CommandLine::BadUsage;
    }
    // Before the daemon opens anything: a second instance must not touch the state.
    m_instanceLock = std::make_unique<InstanceLock>(m_config.stateDir());
    if (!m_instanceLock->tryLock()) {
        if (m_instanceLock->ownerPid() > 0) {
            printLine(stderr, QStringLiteral("codeworm: CodeWorm is already running for the state "
                                             "directory %1 (PID %2)")
                                  .arg(m_config.stateDir())
                                  .arg(m_instanceLock->ownerPid()));
        } else {
            printLine(stderr, QStringLiteral("codeworm: %1").arg(m_instanceLock->error()));
        }
        return CommandLine::BadUsage;
    }
    m_daemon = new Daemon(m_config, options, this);
    if (Status opened = m_daemon->open(); !opened) {
        printLine(stderr, QStringLiteral("codeworm: %1").arg(opened.error()));
        return CommandLine::JobFailed;
    }
    if (m_commandLine.command == QLatin1String("run")) {
        // Made here rather than in startRun() so that the tray can add its notifiers before
        // exec(). run-once prints its result and needs none.
        m_notifications = new NotificationCenter(m_config, this);
        m_notifications->addNotifier(new DBusNotifier(m_notifications));
        m_daemon->attachNotifications(m_notifications);
    }
    return -1;
}

int Session::runInit()
{
    QStringList repos;
    for (const QString &repo : m_commandLine.repos) {
        repos << QFileInfo(repo).absoluteFilePath();
    }
    if (Status written = ConfigLoader::writeDefaults(m_location, repos); !written) {
        printLine(stderr, QStringLiteral("codeworm: %1").arg(written.error()));
        return CommandLine::BadUsage;
    }
    printLine(stdout,
              QStringLiteral("wrote %1 and %2").arg(m_location.configFile, m_location.reposFile()));
    return CommandLine::Success;
}

int Session::exec()
{
    auto *watcher = new UnixSignalWatcher({SIGINT, SIGTERM, SIGHUP}, this);
    connect(watcher, &UnixSignalWatcher::received, this, &Session::onSignal);
    if (isAnalysisCommand() || isStateCommand()) {
        QMetaObject::invokeMethod(this, &Session::startAnalysis, Qt::QueuedConnection);
        return QCoreApplication::exec();
    }
    if (m_commandLine.command == QLatin1String("check")) {
        QMetaObject::invokeMethod(this, &Session::startCheck, Qt::QueuedConnection);
        return QCoreApplication::exec();
    }
    connect(m_daemon, &Daemon::stopped, this, [this] { QCoreApplication::exit(m_exitCode); });
    if (m_commandLine.command == QLatin1String("run-once")) {
        QMetaObject::invokeMethod(this, &Session::startRunOnce, Qt::QueuedConnection);
    } else {
        QMetaObject::invokeMethod(this, &Session::startRun, Qt::QueuedConnection);
    }
    return QCoreApplication::exec();
}

void Session::startRun()
{
    qCInfo(lcSession).noquote() << CommandLine::versionText()
                                << "started; configuration:" << m_location.dir
                                << "state:" << m_config.stateDir();
    m_control = new ControlServer(m_daemon, this);
    m_control->setReloadHandler([this] { return reloadConfig(); });
    if (Status listening = m_control->listen(m_config.stateDir()); !listening) {
        // The schedule matters more than remote control: run on without it.
        qCWarning(lcSession).noquote() << listening.error();
    }
    m_daemon->start();
}

bool Session::isAnalysisCommand() const
{
    return m_commandLine.command == QLatin1String("index") ||
           m_commandLine.command == QLatin1String("analyze");
}

bool Session::isStateCommand() const
{
    return m_commandLine.command == QLatin1String("stats") ||
           m_commandLine.command == QLatin1String("import-state") ||
           m_commandLine.command == QLatin1String("rebuild-state");
}

bool Session::isControlCommand() const
{
    static const QStringList commands = {QStringLiteral("status"), QStringLiteral("pause"),
                                         QStringLiteral("resume"), QStringLiteral("run-now"),
                                         QStringLiteral("reload")};
    return commands.contains(m_commandLine.command);
}

int Session::runControl()
{
    const QString stateDir = m_config.stateDir();
    const ControlClient::Reply reply =
        ControlClient::request(stateDir, {{QStringLiteral("command"), m_commandLine.command}});
    if (reply.outcome == ControlClient::Reply::Outcome::NotRunning) {
        printLine(stderr,
                  QStringLiteral("codeworm: no CodeWorm is running for the state directory %1")
                      .arg(stateDir));
        return CommandLine::NotRunning;
    }
    if (reply.outcome == ControlClient::Reply::Outcome::Failed) {
        printLine(stderr, QStringLiteral("codeworm: %1").arg(reply.error));
        return CommandLine::JobFailed;
    }
    if (!reply.json.value(QStringLiteral("ok")).toBool()) {
        printLine(stderr, QStringLiteral("codeworm: %1: %2")
                              .arg(m_commandLine.command,
                                   reply.json.value(QStringLiteral("error")).toString()));
        return CommandLine::JobFailed;
    }
    if (m_commandLine.command == QLatin1String("status")) {
        const QJsonObject status = reply.json.value(QStringLiteral("status")).toObject();
        printLine(stdout, m_commandLine.json
                              ? QString::fromUtf8(QJsonDocument(status).toJson()).trimmed()
                              : statusText(status));
    } else {
        printLine(stdout, reply.json.value(QStringLiteral("message")).toString());
    }
    return CommandLine::Success;
}

void Session::startAnalysis()
{
    // Indexing reads and parses whole repositories, an import copies a whole database: a worker
    // thread keeps the event loop free for the signal watcher (SIGINT/SIGTERM stop indexing
    // between batches).
    auto *watcher = new QFutureWatcher<AnalysisCommands::Output>(this);
    connect(watcher, &QFutureWatcher<AnalysisCommands::Output>::finished, this, [watcher] {
        const AnalysisCommands::Output output = watcher->result();
        if (!output.out.isEmpty()) {
            printLine(stdout, output.out);
        }
        if (!output.err.isEmpty()) {
            printLine(stderr, output.err.trimmed());
        }
        QCoreApplication::exit(output.exitCode);
    });
    watcher->setFuture(QtConcurrent::run(
        [config = m_config, commandLine = m_commandLine, cancel = m_cancelAnalysis] {
            const QString &command = commandLine.command;
            if (command == QLatin1String("stats")) {
                return StateCommands::stats(config, commandLine);
            }
            if (command == QLatin1String("import-state")) {
                return StateCommands::importState(config, commandLine);
            }
            if (command == QLatin1String("rebuild-state")) {
                return StateCommands::rebuildState(config, commandLine);
            }
            return command == QLatin1String("analyze")
                       ? AnalysisCommands::analyze(config, commandLine, cancel.get())
                       : AnalysisCommands::index(config, commandLine, cancel.get());
        }));
}

void Session::startCheck()
{
    m_check = new CheckCommand(m_location,
                               !m_commandLine.configPath.isEmpty() ||
                                   !qEnvironmentVariableIsEmpty("CODEWORM_CONFIG"),
                               m_commandLine.json, this);
    connect(m_check, &CheckCommand::finished, this, [this](int exitCode) {
        if (m_check->abandonedWork()) {
            // A libgit2 connection cannot be cancelled, and the thread pool would wait for it
            // at exit: the report is out, so end here.
            std::fflush(stdout);
            std::fflush(stderr);
            std::_Exit(exitCode);
        }
        QCoreApplication::exit(exitCode);
    });
    m_check->start();
}

void Session::startRunOnce()
{
    // The generation's progress on stderr: rewritten in place on a terminal, else a line at
    // most every five seconds (logs and pipes get no carriage returns).
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    auto lastLine = std::make_shared<QElapsedTimer>();
    connect(m_daemon, &Daemon::generationProgress, this,
            [terminal, lastLine](int tokens, double tokensPerSecond) {
                const QString text = QStringLiteral("generating: %1 tokens, %2 tokens/s")
                                         .arg(tokens)
                                         .arg(tokensPerSecond, 0, 'f', 1);
                if (terminal) {
                    std::fprintf(stderr, "\r%s", qPrintable(text));
                    std::fflush(stderr);
                } else if (!lastLine->isValid() || lastLine->elapsed() >= 5000) {
                    lastLine->start();
                    qCInfo(lcSession).noquote() << text;
                }
            });
    connect(m_daemon, &Daemon::cycleStarted, this, [terminal](const QString &target) {
        if (terminal) {
            std::fprintf(stderr, "%s\n", qPrintable(target));
        }
    });
    connect(m_daemon, &Daemon::cycleFinished, this, [this, terminal](const CycleResult &result) {
        if (terminal) {
            std::fprintf(stderr, "\n");
        }
        if (result.outcome == CycleResult::Outcome::DryRun) {
            printLine(stdout, result.markdown);
        }
        const bool cancelled = result.outcome == CycleResult::Outcome::Skipped &&
                               result.reason == QLatin1String("cancelled");
        if (result.outcome == CycleResult::Outcome::Failed || cancelled) {
            printLine(stderr, result.summary());
            m_exitCode = CommandLine::JobFailed;
        } else {
            printLine(stdout, result.summary());
            m_exitCode = CommandLine::Success;
        }
        m_daemon->stop();
    });
    m_daemon->runOnce();
}

void Session::applyLogConfig()
{
    LogSink::setDebug(m_config.debug);
    const auto format = LogSink::formatFromName(
        m_commandLine.logFormat.isEmpty() ? m_config.log.format : m_commandLine.logFormat);
    LogSink::setFormat(format.value_or(LogSink::Format::Text));
    LogSink::setRotation(qint64(m_config.log.maxSizeKb) * 1024, m_config.log.keepFiles);
}

Status Session::reloadConfig()
{
    auto loaded = ConfigLoader::load(m_location);
    if (!loaded) {
        qCWarning(lcSession).noquote()
            << "reload failed, keeping the running configuration:" << loaded.error();
        return Status::failure(loaded.error());
    }
    for (const QString &warning : loaded->warnings) {
        qCWarning(lcSession).noquote() << warning;
    }
    if (Status consent = LlmFactory::checkConsent(loaded->config); !consent) {
        qCWarning(lcSession).noquote()
            << "reload failed, keeping the running configuration:" << consent.error();
        return Status::failure(consent.error());
    }
    Config next = loaded->config;
    if (next.stateDir() != m_config.stateDir()) {
        // The state database, the index, the lock and the control socket are open there: a
        // move needs a restart, and until then everything stays where it is.
        qCWarning(lcSession).noquote()
            << QStringLiteral("data_dir now names %1; this CodeWorm keeps its state in %2 until "
                              "it is restarted")
                   .arg(next.stateDir(), m_config.stateDir());
        next.dataDir = m_config.dataDir;
    }
    m_config = next;
    applyLogConfig();
    m_daemon->reload(m_config);
    return {};
}

void Session::onSignal(int signalNumber)
{
    if (m_commandLine.command == QLatin1String("check")) {
        if (signalNumber == SIGHUP) {
            return; // nothing to reload: check reads the configuration once
        }
        if (m_check) {
            m_check->abort();
        } else {
            QCoreApplication::exit(CommandLine::JobFailed);
        }
        return;
    }
    if (isAnalysisCommand()) {
        if (signalNumber != SIGHUP) {
            qCInfo(lcSession).noquote() << "signal received: stopping after the current batch";
            m_cancelAnalysis->store(true);
        }
        return;
    }
    if (isStateCommand()) {
        // A short read, or an import in one transaction that SQLite rolls back when the
        // process ends without committing it: stopping at once loses nothing.
        if (signalNumber != SIGHUP) {
            std::fflush(stdout);
            std::_Exit(CommandLine::JobFailed);
        }
        return;
    }
    if (signalNumber == SIGHUP) {
        qCInfo(lcSession) << "SIGHUP: reloading the configuration";
        reloadConfig();
        return;
    }
    qCInfo(lcSession).noquote() << (signalNumber == SIGINT ? "SIGINT" : "SIGTERM") << "received";
    if (m_commandLine.command == QLatin1String("run-once")) {
        m_exitCode = CommandLine::JobFailed;
    }
    m_daemon->stop();
}

} // namespace codeworm
