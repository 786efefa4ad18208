#pragma once

#include "config/Config.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QTcpSocket;

namespace codeworm {

// The Ollama server on this machine, when the configured endpoint is local and the `ollama`
// program is installed. When nothing listens there it says so once and, with
// ollama.start_local, runs `ollama serve` itself and stops it again on exit. It only ever
// stops the server it started.
class LocalOllama : public QObject
{
    Q_OBJECT
public:
    explicit LocalOllama(const Config &config, QObject *parent = nullptr);
    ~LocalOllama() override;

    // A new configuration (SIGHUP): a server started for an endpoint that is no longer wanted
    // is stopped.
    void setConfig(const Config &config);

    // "http://127.0.0.1:11434" when the configured server is Ollama on a loopback address,
    // else empty.
    QString endpoint() const;
    // The `ollama` program found on PATH; empty when it is not installed.
    QString program() const { return m_program; }

    // A health check could not reach the server. Asks the port whether anything listens (the
    // answer comes later); when nothing does, logs it once and, with ollama.start_local,
    // starts `ollama serve`.
    void serverMissing();
    // The server started here runs and may still be opening its port: worth asking soon.
    bool isStarting() const;
    bool isRunning() const;
    // Stops the server started here: SIGTERM, SIGKILL after a short grace. Returns true when
    // stopped() follows; false when nothing of ours runs.
    bool stop();

signals:
    // `ollama serve` was started: its port opens shortly.
    void starting();
    // The server started here is gone after stop().
    void stopped();

private:
    void onNothingListens();
    void start();
    void readOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    QString ollamaHost() const; // OLLAMA_HOST for the endpoint: "127.0.0.1:11434"

    QUrl m_url; // the local endpoint; invalid when the server is not a local Ollama
    bool m_startLocal = false;
    QString m_program;
    QProcess *m_process;
    QPointer<QTcpSocket> m_probe;
    QTimer m_killTimer;
    QElapsedTimer m_startedAt;
    QStringList m_lastLines; // the process's last stderr lines, for an early exit
    QByteArray m_partialLine;
    bool m_hintLogged = false;
    bool m_stopping = false;
};

} // namespace codeworm
