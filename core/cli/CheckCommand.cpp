#include "cli/CheckCommand.h"

#include "cli/AnalysisCommands.h"
#include "cli/CommandLine.h"
#include "common/GitHandles.h"
#include "llm/LlmFactory.h"
#include "state/StateStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace codeworm {

using S = CheckResult::Status;

QString CheckResult::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::Warning:
        return QStringLiteral("warning");
    case Status::Error:
        return QStringLiteral("error");
    case Status::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

namespace {

CheckResult make(const QString &name, S status, const QString &detail)
{
    return CheckResult{name, status, detail};
}

// The nearest folder at or above path that exists: where a missing folder would be created.
QString existingAncestor(const QString &path)
{
    QString current = QDir::cleanPath(path);
    while (!QFileInfo::exists(current)) {
        const QString parent = QFileInfo(current).path();
        if (parent == current) {
            break;
        }
        current = parent;
    }
    return current;
}

// Creates and removes a temporary file in folder: unlike permission bits, this also holds for
// ACLs, read-only mounts and root.
Status probeWritable(const QString &folder)
{
    // Without a placeholder in the name QTemporaryFile appends its own random suffix.
    QTemporaryFile file(QDir(folder).filePath(QStringLiteral(".codeworm-check")));
    if (!file.open()) {
        return Status::failure(
            QStringLiteral("cannot create a file in %1 (%2)").arg(folder, file.errorString()));
    }
    const QString name = file.fileName();
    file.close();
    if (!file.remove()) {
        return Status::failure(QStringLiteral("created but cannot remove the probe file %1 (%2)")
                                   .arg(name, file.errorString()));
    }
    return {};
}

// A folder CodeWorm creates when it is missing: it exists as a folder, or the nearest
// existing folder above it is writable.
CheckResult folderCheck(const QString &name, const QString &path, bool probeInside)
{
    const QFileInfo info(path);
    if (info.exists() && !info.isDir()) {
        return make(name, S::Error, QStringLiteral("%1 is a file, not a folder").arg(path));
    }
    if (info.exists()) {
        if (probeInside) {
            if (Status writable = probeWritable(path); !writable) {
                return make(name, S::Error, writable.error());
            }
            return make(name, S::Ok, QStringLiteral("%1 (writable)").arg(path));
        }
        return make(name, S::Ok, path);
    }
    const QString ancestor = existingAncestor(path);
    if (!QFileInfo(ancestor).isDir()) {
        return make(name, S::Error,
                    QStringLiteral("%1 cannot be created: %2 is not a folder").arg(path, ancestor));
    }
    if (Status writable = probeWritable(ancestor); !writable) {
        return make(name, S::Error,
                    QStringLiteral("%1 cannot be created: %2").arg(path, writable.error()));
    }
    return make(name, S::Ok,
                QStringLiteral("%1 does not exist yet; it is created on first use").arg(path));
}

// The DevLog's git side, read only: repository, branch and the writability of both the
// working tree and the git folder (a commit writes to both).
QList<CheckResult> devlogChecks(const Config &config)
{
    QList<CheckResult> results;
    const QString path = config.devlogPath();
    const QString branch =
        config.devlog.branch.isEmpty() ? QStringLiteral("main") : config.devlog.branch;
    results << folderCheck(QStringLiteral("devlog.path"), path, false);
    if (results.constLast().status == S::Error) {
        const QString note = QStringLiteral("the DevLog folder is not usable");
        results << make(QStringLiteral("devlog.repository"), S::Skipped, note)
                << make(QStringLiteral("devlog.writable"), S::Skipped, note)
                << make(QStringLiteral("devlog.branch"), S::Skipped, note);
        return results;
    }
    git::ensureInitialized();
    const QByteArray branchRef = QByteArray("refs/heads/") + branch.toUtf8();
    int validName = 0;
    const bool branchValid =
        git_reference_name_is_valid(&validName, branchRef.constData()) == 0 && validName;
    const CheckResult invalidBranch =
        make(QStringLiteral("devlog.branch"), S::Error,
             QStringLiteral("devlog.branch \"%1\" is not a valid git branch name").arg(branch));

    if (!QFileInfo::exists(path)) {
        results << make(QStringLiteral("devlog.repository"), S::Ok,
                        QStringLiteral("initialised as a git repository on first use"))
                << make(QStringLiteral("devlog.writable"), S::Skipped,
                        QStringLiteral("the folder does not exist yet (see devlog.path)"))
                << (branchValid
                        ? make(QStringLiteral("devlog.branch"), S::Ok,
                               QStringLiteral("%1 (created with the repository)").arg(branch))
                        : invalidBranch);
        return results;
    }

    git_repository *raw = nullptr;
    const QByteArray nativePath = QFile::encodeName(path);
    const int opened = git_repository_open_ext(&raw, nativePath.constData(),
                                               GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    git::Ptr<git_repository> repository(raw);
    QStringList writableFolders{path};
    if (opened == GIT_ENOTFOUND) {
        const bool empty = QDir(path).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System |
                                              QDir::NoDotAndDotDot);
        results << (empty ? make(QStringLiteral("devlog.repository"), S::Ok,
                                 QStringLiteral("an empty folder: initialised as a git "
                                                "repository on first use"))
                          : make(QStringLiteral("devlog.repository"), S::Error,
                                 QStringLiteral("%1 is not a git repository and is not empty; "
                                                "CodeWorm will not take it over")
                                     .arg(path)));
    } else if (opened < 0) {
        results << make(QStringLiteral("devlog.repository"), S::Error,
                        QStringLiteral("cannot open %1: %2").arg(path, git::lastError()));
    } else if (git_repository_is_bare(repository.get())) {
        results << make(
            QStringLiteral("devlog.repository"), S::Error,
            QStringLiteral("%1 is a bare repository; CodeWorm needs a working tree").arg(path));
        repository.reset();
    } else {
        const bool unborn = git_repository_head_unborn(repository.get()) == 1;
        results << make(QStringLiteral("devlog.repository"), S::Ok,
                        unborn ? QStringLiteral("git repository without commits: the layout is "
                                                "committed on first use")
                               : QStringLiteral("git repository"));
        writableFolders << QDir::cleanPath(
            QFile::decodeName(git_repository_path(repository.get())));
    }

    QStringList problems;
    for (const QString &folder : std::as_const(writableFolders)) {
        if (Status writable = probeWritable(folder); !writable) {
            problems << writable.error();
        }
    }
    results << (problems.isEmpty()
                    ? make(QStringLiteral("devlog.writable"), S::Ok,
                           writableFolders.size() > 1
                               ? QStringLiteral("working tree and git folder are writable")
                               : QStringLiteral("the folder is writable"))
                    : make(QStringLiteral("devlog.writable"), S::Error,
                           problems.join(QStringLiteral("; "))));

    if (!branchValid) {
        results << invalidBranch;
        return results;
    }
    if (!repository) {
        results << make(QStringLiteral("devlog.branch"),
                        results.at(1).status == S::Error ? S::Skipped : S::Ok,
                        results.at(1).status == S::Error
                            ? QStringLiteral("no usable repository")
                            : QStringLiteral("%1 (created with the repository)").arg(branch));
        return results;
    }
    git_reference *rawHead = nullptr;
    if (git_reference_lookup(&rawHead, repository.get(), "HEAD") < 0) {
        results << make(QStringLiteral("devlog.branch"), S::Error,
                        QStringLiteral("cannot read HEAD: %1").arg(git::lastError()));
        return results;
    }
    const git::Ptr<git_reference> head(rawHead);
    git_oid tipId;
    const bool branchExists =
        git_reference_name_to_id(&tipId, repository.get(), branchRef.constData()) == 0;
    if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
        const QByteArray target = git_reference_symbolic_target(head.get());
        if (target == branchRef) {
            results << make(QStringLiteral("devlog.branch"), S::Ok,
                            branchExists ? QStringLiteral("on %1").arg(branch)
                                         : QStringLiteral("on %1 (no commits yet)").arg(branch));
        } else if (git_repository_head_unborn(repository.get()) == 1 && !branchExists) {
            results << make(QStringLiteral("devlog.branch"), S::Ok,
                            QStringLiteral("no commits yet: starts on %1").arg(branch));
        } else {
            results << make(QStringLiteral("devlog.branch"), S::Error,
                            QStringLiteral("HEAD is on %1, not on %2 (devlog.branch); check out "
                                           "%2 there or change devlog.branch")
                                .arg(QString::fromUtf8(target), branch));
        }
        return results;
    }
    const git_oid *headId = git_reference_target(head.get());
    if (branchExists && headId && git_oid_equal(headId, &tipId)) {
        results << make(QStringLiteral("devlog.branch"), S::Warning,
                        QStringLiteral("HEAD is detached at the tip of %1; CodeWorm re-attaches "
                                       "it on its next commit")
                            .arg(branch));
    } else {
        results << make(QStringLiteral("devlog.branch"), S::Error,
                        QStringLiteral("HEAD is detached and not at the tip of %1; check out "
                                       "%1 there by hand")
                            .arg(branch));
    }
    return results;
}

// libgit2 asks for credentials: the SSH agent once for SSH remotes; anything else is left to
// libgit2's defaults, so a remote that wants a password reports an authentication error.
int credentialsFromAgent(git_credential **out, const char *, const char *usernameFromUrl,
                         unsigned int allowedTypes, void *payload)
{
    int *tries = static_cast<int *>(payload);
    if ((allowedTypes & GIT_CREDENTIAL_SSH_KEY) && (*tries)++ == 0) {
        return git_credential_ssh_key_from_agent(out, usernameFromUrl ? usernameFromUrl : "git");
    }
    return GIT_PASSTHROUGH;
}

// devlog.remote: a remote of the DevLog repository by name, else a URL or path. Connects in
// the push direction and lists the remote's references; pushes nothing.
CheckResult remoteCheck(const Config &config)
{
    const QString name = QStringLiteral("devlog.remote");
    const QString spec = config.devlog.remote.trimmed();
    if (spec.isEmpty()) {
        return make(name, S::Ok,
                    QStringLiteral("no remote configured (devlog.remote): nothing is pushed"));
    }
    git::ensureInitialized();
    git::Ptr<git_repository> repository;
    const QByteArray devlogPath = QFile::encodeName(config.devlogPath());
    if (git_repository *raw = nullptr;
        git_repository_open_ext(&raw, devlogPath.constData(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                nullptr) == 0) {
        repository.reset(raw);
    }
    git::Ptr<git_remote> remote;
    git_remote *rawRemote = nullptr;
    const QByteArray specBytes = spec.toUtf8();
    if (repository && git_remote_lookup(&rawRemote, repository.get(), specBytes.constData()) == 0) {
        remote.reset(rawRemote);
    } else {
        // A path, as git reads it: relative to the repository; "~" is the home folder.
        const bool isPath =
            !spec.contains(QLatin1String("://")) && !spec.contains(QLatin1Char(':'));
        const QString local = isPath ? expandUserPath(spec, config.devlogPath()) : QString();
        if (isPath && !QFileInfo::exists(local)) {
            return make(name, S::Error,
                        QStringLiteral("%1 is not a remote of the DevLog, and %2 does not exist")
                            .arg(spec, local));
        }
        const QByteArray url = isPath ? QFile::encodeName(local) : specBytes;
        if (git_remote_create_detached(&rawRemote, url.constData()) < 0) {
            return make(name, S::Error,
                        QStringLiteral("%1 is neither a remote of the DevLog nor a valid URL: %2")
                            .arg(spec, git::lastError()));
        }
        remote.reset(rawRemote);
    }
    const char *pushUrl = git_remote_pushurl(remote.get());
    const QString url = QString::fromUtf8(pushUrl ? pushUrl : git_remote_url(remote.get()));
    int tries = 0;
    git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
    callbacks.credentials = credentialsFromAgent;
    callbacks.payload = &tries;
    git_proxy_options proxy = GIT_PROXY_OPTIONS_INIT;
    proxy.type = GIT_PROXY_AUTO; // as git does: http.proxy and the proxy variables
    if (git_remote_connect(remote.get(), GIT_DIRECTION_PUSH, &callbacks, &proxy, nullptr) < 0) {
        return make(name, S::Error,
                    QStringLiteral("cannot reach %1 for push: %2").arg(url, git::lastError()));
    }
    const git_remote_head **heads = nullptr;
    size_t count = 0;
    if (git_remote_ls(&heads, &count, remote.get()) < 0) {
        const QString error = git::lastError();
        git_remote_disconnect(remote.get());
        return make(
            name, S::Error,
            QStringLiteral("connected to %1 but cannot list its references: %2").arg(url, error));
    }
    const QByteArray branchRef =
        QByteArray("refs/heads/") +
        (config.devlog.branch.isEmpty() ? QByteArray("main") : config.devlog.branch.toUtf8());
    bool hasBranch = false;
    for (size_t i = 0; i < count; ++i) {
        hasBranch = hasBranch || branchRef == heads[i]->name;
    }
    git_remote_disconnect(remote.get());
    return make(name, S::Ok,
                QStringLiteral("%1 reachable for push (%2 references; %3 %4)")
                    .arg(url)
                    .arg(count)
                    .arg(QString::fromUtf8(branchRef.mid(11)),
                         hasBranch ? QStringLiteral("present") : QStringLiteral("not there yet")));
}

CheckResult versionResult(const QString &name, const QString &path, int version, int current)
{
    if (version == current) {
        return make(name, S::Ok, QStringLiteral("%1 (schema %2)").arg(path).arg(current));
    }
    if (version < current) {
        return make(name, S::Warning,
                    QStringLiteral("%1 has schema %2; the migration to %3 is pending (applied on "
                                   "the next run, after a copy to %1.v%2.bak)")
                        .arg(path)
                        .arg(version)
                        .arg(current));
    }
    return make(name, S::Error,
                QStringLiteral("%1 has schema %2, written by a newer CodeWorm (this one knows %3)")
                    .arg(path)
                    .arg(version)
                    .arg(current));
}

// The state database, read as it is: its schema version against this build's, no migration.
CheckResult databaseCheck(const Config &config)
{
    const QString name = QStringLiteral("state.database");
    const QString path = config.databasePath();
    const int current = StateStore::schemaVersion();
    if (!QFileInfo::exists(path)) {
        return make(name, S::Ok,
                    QStringLiteral("%1 does not exist yet; it is created with schema %2 on "
                                   "first use")
                        .arg(path)
                        .arg(current));
    }
    // Per thread: QSqlDatabase connections must not cross threads.
    const QString connection =
        QStringLiteral("codeworm-check-%1").arg(quintptr(QThread::currentThreadId()));
    CheckResult result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            result = make(name, S::Error,
                          QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text()));
        } else {
            QSqlQuery query(db);
            // Reading the table list first tells a damaged file from a database.
            if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master")) ||
                !query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
                result =
                    make(name, S::Error,
                         QStringLiteral("cannot read %1: %2").arg(path, query.lastError().text()));
            } else {
                result = versionResult(name, path, query.value(0).toInt(), current);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

QList<CheckResult> localChecks(const Config &config)
{
    QList<CheckResult> results = devlogChecks(config);
    results << folderCheck(QStringLiteral("state.dir"), config.stateDir(), true)
            << databaseCheck(config);
    return results;
}

} // namespace

struct CheckCommand::Endpoint
{
    QString url;
    std::unique_ptr<LlmClient> client; // null: refused by policy, not contacted
    bool finished = false;
    LlmReply::Error error = LlmReply::Error::None;
    QString errorString;
    QString text; // Ollama: its version; OpenAI-compatible: what serves the model
};

struct CheckCommand::Pending
{
    std::vector<Endpoint> endpoints;
    bool llmDone = false;
    bool localDone = false;
    bool remoteDone = false;
};

CheckCommand::CheckCommand(ConfigLocation location, bool explicitConfig, bool json, QObject *parent)
    : QObject(parent)
    , m_location(std::move(location))
    , m_explicitConfig(explicitConfig)
    , m_json(json)
    , m_pending(std::make_unique<Pending>())
{}

CheckCommand::~CheckCommand() = default;

void CheckCommand::start()
{
    const QString name = QStringLiteral("config");
    const bool exists = QFileInfo::exists(m_location.configFile);
    if (!exists && m_explicitConfig) {
        m_configResults << make(
            name, S::Error, QStringLiteral("no configuration at %1").arg(m_location.configFile));
    } else if (auto loaded = ConfigLoader::load(m_location); !loaded) {
        m_configResults << make(name, S::Error, loaded.error());
    } else {
        m_config = loaded->config;
        if (!exists) {
            m_configResults << make(name, S::Warning,
                                    QStringLiteral("no configuration at %1: the defaults apply "
                                                   "(the first `codeworm` writes one)")
                                        .arg(m_location.configFile));
        } else if (!loaded->warnings.isEmpty()) {
            m_configResults << make(
                name, S::Warning,
                QStringLiteral("%1: %2").arg(m_location.configFile,
                                             loaded->warnings.join(QStringLiteral("; "))));
        } else {
            m_configResults << make(name, S::Ok,
                                    QStringLiteral("%1 (%2 repositories)")
                                        .arg(m_location.configFile)
                                        .arg(m_config.repositories.size()));
        }
    }
    if (m_configResults.constFirst().status == S::Error) {
        const QString note = QStringLiteral("needs a valid configuration");
        for (const char *check : {"llm", "devlog", "state"}) {
            m_configResults << make(QLatin1String(check), S::Skipped, note);
        }
        m_pending->llmDone = m_pending->localDone = m_pending->remoteDone = true;
        finishIfDone();
        return;
    }

    // Each probe of a health check waits at most connect_s (Ollama makes three: /,
    // /api/version, /api/tags); the guard ends whatever is still open after that.
    const double connectS =
        m_config.ollama.connectTimeoutS > 0 ? m_config.ollama.connectTimeoutS : 10.0;
    m_guard = new QTimer(this);
    m_guard->setSingleShot(true);
    connect(m_guard, &QTimer::timeout, this, [this, connectS] {
        stopAt(QStringLiteral("no answer within %1 s").arg(3 * connectS + 2));
    });
    m_guard->start(int((3 * connectS + 2) * 1000));

    auto *local = new QFutureWatcher<QList<CheckResult>>(this);
    connect(local, &QFutureWatcher<QList<CheckResult>>::finished, this, [this, local] {
        if (!m_pending->localDone) {
            m_localResults = local->result();
            m_pending->localDone = true;
            finishIfDone();
        }
    });
    local->setFuture(QtConcurrent::run([config = m_config] { return localChecks(config); }));

    // The remote's connection may block in libgit2 for long: its own worker, so the local
    // checks report even then.
    auto *remote = new QFutureWatcher<CheckResult>(this);
    connect(remote, &QFutureWatcher<CheckResult>::finished, this, [this, remote] {
        if (!m_pending->remoteDone) {
            m_remoteResults = {remote->result()};
            m_pending->remoteDone = true;
            finishIfDone();
        }
    });
    remote->setFuture(QtConcurrent::run([config = m_config] { return remoteCheck(config); }));

    startLlm();
}

void CheckCommand::startLlm()
{
    m_network = new QNetworkAccessManager(this);
    Config probeConfig = m_config;
    probeConfig.ollama.autoPull = false; // a check reports a missing model, never pulls it
    const QStringList urls = m_config.llmEndpoints();
    m_pending->endpoints.resize(size_t(urls.size()));
    for (qsizetype i = 0; i < urls.size(); ++i) {
        Endpoint &endpoint = m_pending->endpoints[size_t(i)];
        endpoint.url = urls.at(i);
        // One endpoint per client: the factory then builds that endpoint's own client
        // instead of a failover over all of them.
        Config single = probeConfig;
        if (!single.llm.endpoints.isEmpty()) {
            single.llm.endpoints = {m_config.llm.endpoints.at(i)};
        }
        if (Status consent = LlmFactory::checkConsent(single); !consent) {
            endpoint.finished = true;
            continue;
        }
        endpoint.client = LlmFactory::create(single, m_network);
    }
    // Started after every client exists: a reply may finish on the next event-loop turn.
    for (size_t i = 0; i < m_pending->endpoints.size(); ++i) {
        Endpoint &endpoint = m_pending->endpoints[i];
        if (!endpoint.client) {
            continue;
        }
        LlmReply *reply = endpoint.client->checkHealth();
        connect(reply, &LlmReply::finished, this, [this, reply, i] {
            onEndpointFinished(int(i), int(reply->error()), reply->errorString(),
                               reply->result().text);
        });
    }
    onEndpointFinished(-1, 0, {}, {});
}

void CheckCommand::onEndpointFinished(int index, int error, const QString &errorString,
                                      const QString &text)
{
    if (m_pending->llmDone) {
        return;
    }
    if (index >= 0) {
        Endpoint &endpoint = m_pending->endpoints[size_t(index)];
        if (endpoint.finished) {
            return;
        }
        endpoint.finished = true;
        endpoint.error = LlmReply::Error(error);
        endpoint.errorString = errorString;
        endpoint.text = text;
    }
    const bool all = std::all_of(m_pending->endpoints.cbegin(), m_pending->endpoints.cend(),
                                 [](const Endpoint &e) { return e.finished; });
    if (all) {
        addLlmResults();
        finishIfDone();
    }
}

void CheckCommand::addLlmResults()
{
    m_pending->llmDone = true;
    const bool openAi = m_config.llm.provider == QLatin1String("openai");
    const QString model = m_config.ollama.model;
    const auto &endpoints = m_pending->endpoints;
    // The failover uses the first endpoint, in the configured order, whose health check passes.
    int used = -1;
    for (size_t i = 0; i < endpoints.size() && used < 0; ++i) {
        if (endpoints[i].client && endpoints[i].error == LlmReply::Error::None) {
            used = int(i);
        }
    }
    const bool anyRefused = std::any_of(endpoints.cbegin(), endpoints.cend(),
                                        [](const Endpoint &e) { return !e.client; });
    const auto nameOf = [](size_t i) { return QStringLiteral("llm.endpoint[%1]").arg(i); };
    for (size_t i = 0; i < endpoints.size(); ++i) {
        const Endpoint &e = endpoints[i];
        if (!e.client) {
            // CodeWorm refuses to start with it configured: an error even when others work.
            m_llmResults << make(
                nameOf(i), S::Error,
                QStringLiteral("%1: refused by policy, not contacted: it is not on this "
                               "machine and llm.allow_remote is not true (CodeWorm would not "
                               "start with it)")
                    .arg(e.url));
            continue;
        }
        if (e.error == LlmReply::Error::None) {
            const QString server = openAi ? QStringLiteral("%1 (no version reported)").arg(e.text)
                                          : QStringLiteral("Ollama %1").arg(e.text);
            m_llmResults << make(nameOf(i), S::Ok,
                                 QStringLiteral("%1: %2, model %3 present%4")
                                     .arg(e.url, server, model,
                                          int(i) == used && endpoints.size() > 1
                                              ? QStringLiteral(" (in use)")
                                              : QString()));
            continue;
        }
        QString detail = QStringLiteral("%1: %2").arg(e.url, e.errorString);
        if (e.error == LlmReply::Error::ModelMissing && !openAi &&
            !detail.contains(QLatin1String("ollama pull"))) {
            detail += QStringLiteral("; install it with `ollama pull %1`").arg(model);
        }
        // Another endpoint carries the work: this one is a warning, not a failure.
        m_llmResults << make(nameOf(i), used >= 0 ? S::Warning : S::Error, detail);
    }
    if (endpoints.size() > 1) {
        const QString name = QStringLiteral("llm.failover");
        if (used < 0) {
            m_llmResults << make(name, S::Error, QStringLiteral("no endpoint is usable"));
        } else if (used == 0) {
            m_llmResults << make(
                name, anyRefused ? S::Error : S::Ok,
                QStringLiteral("uses llm.endpoint[0] %1%2")
                    .arg(endpoints[0].url, anyRefused ? QStringLiteral(" once the refused "
                                                                       "endpoints are removed")
                                                      : QString()));
        } else {
            m_llmResults << make(name, anyRefused ? S::Error : S::Warning,
                                 QStringLiteral("fails over to llm.endpoint[%1] %2: the ones "
                                                "before it are not usable")
                                     .arg(used)
                                     .arg(endpoints[size_t(used)].url));
        }
    }
}

void CheckCommand::stopAt(const QString &reason)
{
    if (m_done) {
        return;
    }
    if (!m_pending->llmDone) {
        for (Endpoint &e : m_pending->endpoints) {
            if (!e.finished) {
                e.finished = true;
                e.error = LlmReply::Error::Timeout;
                e.errorString = reason;
            }
        }
        // Their replies finish as cancelled now; the results above stand.
        for (Endpoint &e : m_pending->endpoints) {
            if (e.client) {
                e.client->cancelAll();
            }
        }
        addLlmResults();
    }
    if (!m_pending->remoteDone) {
        m_remoteResults = {
            make(QStringLiteral("devlog.remote"), S::Error,
                 QStringLiteral("%1 (connecting to %2)").arg(reason, m_config.devlog.remote))};
        m_pending->remoteDone = true;
        m_abandoned = true;
    }
    if (!m_pending->localDone) {
        m_localResults = {make(QStringLiteral("devlog"), S::Error,
                               QStringLiteral("%1 (the DevLog and state checks)").arg(reason))};
        m_pending->localDone = true;
        m_abandoned = true;
    }
    finishIfDone();
}

void CheckCommand::abort()
{
    stopAt(QStringLiteral("interrupted"));
}

void CheckCommand::finishIfDone()
{
    if (m_done || !m_pending->llmDone || !m_pending->localDone || !m_pending->remoteDone) {
        return;
    }
    m_done = true;
    if (m_guard) {
        m_guard->stop();
    }
    // In the order a reader follows: configuration, LLM, DevLog, its remote, state.
    QList<CheckResult> results = m_configResults + m_llmResults;
    for (const CheckResult &r : std::as_const(m_localResults)) {
        if (!r.name.startsWith(QLatin1String("state."))) {
            results << r;
        }
    }
    results += m_remoteResults;
    for (const CheckResult &r : std::as_const(m_localResults)) {
        if (r.name.startsWith(QLatin1String("state."))) {
            results << r;
        }
    }
    const QString report = render(results, m_json, m_location.configFile);
    const QByteArray bytes = report.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
    emit finished(exitCodeFor(results));
}

int CheckCommand::exitCodeFor(const QList<CheckResult> &results)
{
    const bool failed = std::any_of(results.cbegin(), results.cend(),
                                    [](const CheckResult &r) { return r.status == S::Error; });
    return failed ? CommandLine::JobFailed : CommandLine::Success;
}

QString CheckCommand::render(const QList<CheckResult> &results, bool json,
                             const QString &configFile)
{
    QMap<S, int> counts;
    for (const CheckResult &r : results) {
        ++counts[r.status];
    }
    const bool ok = exitCodeFor(results) == CommandLine::Success;
    if (json) {
        QJsonArray checks;
        for (const CheckResult &r : results) {
            checks.append(QJsonObject{{QStringLiteral("name"), r.name},
                                      {QStringLiteral("status"), CheckResult::statusName(r.status)},
                                      {QStringLiteral("detail"), r.detail}});
        }
        const QJsonObject object = AnalysisCommands::withEnvelope(QJsonObject{
            {QStringLiteral("config"), configFile},
            {QStringLiteral("ok"), ok},
            {QStringLiteral("summary"),
             QJsonObject{{QStringLiteral("ok"), counts.value(S::Ok)},
                         {QStringLiteral("warning"), counts.value(S::Warning)},
                         {QStringLiteral("error"), counts.value(S::Error)},
                         {QStringLiteral("skipped"), counts.value(S::Skipped)}}},
            {QStringLiteral("checks"), checks},
        });
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
    }
    int width = 0;
    for (const CheckResult &r : results) {
        width = std::max(width, int(r.name.size()));
    }
    QString text;
    for (const CheckResult &r : results) {
        text += CheckResult::statusName(r.status).leftJustified(8) + r.name.leftJustified(width) +
                QStringLiteral("  ") + r.detail + QLatin1Char('\n');
    }
    text += QStringLiteral("%1: %2 ok, %3 warning(s), %4 error(s)%5")
                .arg(ok ? QStringLiteral("check passed") : QStringLiteral("check failed"))
                .arg(counts.value(S::Ok))
                .arg(counts.value(S::Warning))
                .arg(counts.value(S::Error))
                .arg(counts.value(S::Skipped)
                         ? QStringLiteral(", %1 skipped").arg(counts.value(S::Skipped))
                         : QString());
    return text;
}

} // namespace codeworm
