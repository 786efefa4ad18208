#include "daemon/LocalOllama.h"

#include "llm/ProxyFactory.h"

#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcLocalOllama, "codeworm.ollama")

namespace codeworm {

namespace {

// `ollama serve` opens its port within a second or two; until this has passed the daemon
// asks again quickly instead of waiting out its backoff.
constexpr qint64 kStartWindowMs = 30'000;
// Never more than one start in this time, whatever asks: a server that keeps dying is not
// restarted in a loop (the daemon's checks come once per backoff interval anyway).
constexpr qint64 kMinRestartMs = 10'000;
// SIGTERM, then SIGKILL after this: the whole stop stays within the 2 s a quit allows.
constexpr auto kStopGrace = std::chrono::milliseconds(1500);
constexpr auto kProbeTimeout = std::chrono::seconds(3);
constexpr int kKeptLines = 5;

} // namespace

LocalOllama::LocalOllama(const Config &config, QObject *parent)
    : QObject(parent)
    , m_process(new QProcess(this))
{
    setConfig(config);
    // Ollama logs to stderr; its stdout carries nothing CodeWorm needs.
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (isRunning()) {
            qCWarning(lcLocalOllama).noquote()
                << "`ollama serve` did not stop within" << kStopGrace.count() << "ms: killing it";
            m_process->kill();
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this, &LocalOllama::readOutput);
    connect(m_process, &QProcess::finished, this, &LocalOllama::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            qCWarning(lcLocalOllama).noquote() << QStringLiteral("could not start `%1 serve`: %2")
                                                      .arg(m_program, m_process->errorString());
            if (m_stopping) {
                m_stopping = false;
                emit stopped();
            }
        }
    });
}

LocalOllama::~LocalOllama()
{
    if (isRunning()) {
        // Only when the owner goes away without stop(): the server must not outlive CodeWorm,
        // and at teardown a short wait is all that is left.
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(int(kStopGrace.count()))) {
            m_process->kill();
            m_process->waitForFinished(1000);
        }
    }
}

void LocalOllama::setConfig(const Config &config)
{
    const QUrl before = m_url;
    m_url = QUrl();
    m_startLocal = config.ollama.startLocal;
    m_program = QStandardPaths::findExecutable(QStringLiteral("ollama"));
    if (config.llm.provider == QLatin1String("ollama")) {
        // The first endpoint `ollama serve` could listen on: plain http on a loopback host,
        // no path (a path means a proxy in front of the server).
        for (const QString &endpoint : config.llmEndpoints()) {
            const QUrl url(endpoint);
            if (url.scheme() == QLatin1String("http") &&
                EnvironmentProxyFactory::isLoopbackHost(url.host()) &&
                (url.path().isEmpty() || url.path() == QLatin1String("/"))) {
                m_url = url;
                break;
            }
        }
    }
    if (m_url != before) {
        m_hintLogged = false;
    }
    if (isRunning() && !m_stopping && (m_url != before || !m_startLocal)) {
        qCInfo(lcLocalOllama)
            << "the configuration no longer asks for the Ollama server CodeWorm started";
        stop();
    }
}

QString LocalOllama::endpoint() const
{
    return m_url.isValid() ? m_url.toString(QUrl::FullyEncoded) : QString();
}

QString LocalOllama::ollamaHost() const
{
    const QString host = m_url.host();
    const QString bracketed =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return bracketed + QLatin1Char(':') + QString::number(m_url.port(80));
}

void LocalOllama::serverMissing()
{
    if (!m_url.isValid() || m_probe || m_stopping || isRunning()) {
        return;
    }
    if (m_program.isEmpty()) {
        if (m_startLocal && !m_hintLogged) {
            m_hintLogged = true;
            qCWarning(lcLocalOllama).noquote()
                << QStringLiteral("ollama.start_local is true, but no `ollama` program is on "
                                  "PATH: install Ollama or start the server at %1 yourself")
                       .arg(endpoint());
        }
        return;
    }
    if (!m_startLocal && m_hintLogged) {
        return; // said once; nothing else to do
    }
    // "Unreachable" covers more than an empty port; only a refused connection means that no
    // server runs there, and only then may another one be started on it.
    auto *probe = new QTcpSocket(this);
    m_probe = probe;
    probe->setProxy(QNetworkProxy::NoProxy);
    connect(probe, &QTcpSocket::connected, probe, [probe] {
        probe->abort();
        probe->deleteLater();
    });
    connect(probe, &QTcpSocket::errorOccurred, this,
            [this, probe](QAbstractSocket::SocketError error) {
                probe->deleteLater();
                if (error == QAbstractSocket::ConnectionRefusedError) {
                    onNothingListens();
                }
            });
    QTimer::singleShot(kProbeTimeout, probe, [probe] {
        probe->abort();
        probe->deleteLater();
    });
    probe->connectToHost(m_url.host(), quint16(m_url.port(80)));
}

void LocalOllama::onNothingListens()
{
    if (m_stopping || isRunning()) {
        return;
    }
    if (!m_startLocal) {
        if (!m_hintLogged) {
            m_hintLogged = true;
            qCWarning(lcLocalOllama).noquote()
                << QStringLiteral("nothing listens at %1, but Ollama is installed (%2): start "
                                  "it with `ollama serve` (or `systemctl start ollama`), or set "
                                  "ollama.start_local: true to have CodeWorm start it and stop "
                                  "it on exit")
                       .arg(endpoint(), m_program);
        }
        return;
    }
    start();
}

void LocalOllama::start()
{
    if (m_startedAt.isValid() && m_startedAt.elapsed() < kMinRestartMs) {
        qCDebug(lcLocalOllama) << "`ollama serve` was started moments ago: not again yet";
        return;
    }
    qCInfo(lcLocalOllama).noquote()
        << QStringLiteral("nothing listens at %1: starting `%2 serve` with OLLAMA_HOST=%3 "
                          "(ollama.start_local: true); CodeWorm stops it on exit")
               .arg(endpoint(), m_program, ollamaHost());
    m_lastLines.clear();
    m_partialLine.clear();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("OLLAMA_HOST"), ollamaHost());
    m_process->setProcessEnvironment(environment);
    m_process->start(m_program, {QStringLiteral("serve")});
    m_startedAt.start();
    emit starting();
}

bool LocalOllama::isRunning() const
{
    return m_process->state() != QProcess::NotRunning;
}

bool LocalOllama::isStarting() const
{
    return isRunning() && !m_stopping && m_startedAt.isValid() &&
           m_startedAt.elapsed() < kStartWindowMs;
}

bool LocalOllama::stop()
{
    if (m_probe) {
        m_probe->abort();
        m_probe->deleteLater();
    }
    if (!isRunning()) {
        return false;
    }
    if (!m_stopping) {
        m_stopping = true;
        qCInfo(lcLocalOllama) << "stopping the Ollama server CodeWorm started";
        m_process->terminate();
        m_killTimer.start(kStopGrace);
    }
    return true;
}

void LocalOllama::readOutput()
{
    m_partialLine += m_process->readAllStandardError();
    qsizetype newline = 0;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_partialLine.left(newline)).trimmed();
        m_partialLine.remove(0, newline + 1);
        if (line.isEmpty()) {
            continue;
        }
        qCDebug(lcLocalOllama).noquote() << "ollama serve:" << line;
        m_lastLines.append(line);
        if (m_lastLines.size() > kKeptLines) {
            m_lastLines.removeFirst();
        }
    }
}

void LocalOllama::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_killTimer.stop();
    readOutput();
    if (!m_partialLine.trimmed().isEmpty()) {
        m_lastLines.append(QString::fromUtf8(m_partialLine).trimmed());
        m_partialLine.clear();
    }
    if (m_stopping) {
        m_stopping = false;
        qCInfo(lcLocalOllama) << "the Ollama server CodeWorm started has stopped";
        emit stopped();
        return;
    }
    const QString how = status == QProcess::CrashExit
                            ? QStringLiteral("ended by a signal")
                            : QStringLiteral("exited with code %1").arg(exitCode);
    const QString lines = m_lastLines.isEmpty() ? QStringLiteral("(no output)")
                                                : m_lastLines.join(QStringLiteral(" | "));
    qCWarning(lcLocalOllama).noquote()
        << QStringLiteral("`ollama serve` %1; its last lines: %2. CodeWorm starts it again at "
                          "its next check at the earliest")
               .arg(how, lines);
}

} // namespace codeworm
