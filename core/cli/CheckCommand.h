#pragma once

#include "config/Config.h"
#include "config/ConfigLoader.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace codeworm {

class LlmClient;

// One line of `codeworm check`.
struct CheckResult
{
    enum class Status { Ok, Warning, Error, Skipped };

    QString name; // "config", "llm.endpoint[0]", "devlog.remote", ...
    Status status = Status::Ok;
    QString detail; // one short reason

    static QString statusName(Status status); // "ok", "warning", "error", "skipped"
};

// `codeworm check [--json]`: configuration, every LLM endpoint, the DevLog (folder, git
// repository, writability, branch, remote) and the state folder and database. The LLM probes
// run on this thread's event loop; the file system and libgit2 checks run on workers. Every
// probe is bounded by the configured connect time limit, so a dead server cannot hang it.
// Changes nothing: no pull, no migration, no commit, no push; the writability probes remove
// their temporary files.
class CheckCommand : public QObject
{
    Q_OBJECT
public:
    // explicitConfig: the location was named (--config or $CODEWORM_CONFIG), so a missing
    // file is an error rather than "defaults apply".
    CheckCommand(ConfigLocation location, bool explicitConfig, bool json,
                 QObject *parent = nullptr);
    ~CheckCommand() override;

    // Starts the checks; finished() follows once, after the report is printed.
    void start();
    // Ends the checks now (a signal): what has not answered is reported as interrupted.
    void abort();
    // True when a worker was abandoned at its time limit and may still be blocked in libgit2,
    // which cannot cancel a connection; the process should then end without waiting for it.
    bool abandonedWork() const { return m_abandoned; }

    // The exit code for a list of results: 1 when any is an error, else 0.
    static int exitCodeFor(const QList<CheckResult> &results);
    // The report: one line per check and a summary line, or the JSON object.
    static QString render(const QList<CheckResult> &results, bool json, const QString &configFile);

signals:
    void finished(int exitCode);

private:
    struct Endpoint;
    struct Pending;

    void startLlm();
    void onEndpointFinished(int index, int error, const QString &errorString, const QString &text);
    void addLlmResults();
    void stopAt(const QString &reason);
    void finishIfDone();

    ConfigLocation m_location;
    bool m_explicitConfig;
    bool m_json;
    Config m_config;
    QList<CheckResult> m_configResults;
    QList<CheckResult> m_llmResults;
    QList<CheckResult> m_localResults;
    QList<CheckResult> m_remoteResults;
    std::unique_ptr<Pending> m_pending;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_guard = nullptr;
    bool m_done = false;
    bool m_abandoned = false;
};

} // namespace codeworm
