#include "devlog/DevLogPusher.h"

#include "common/GitHandles.h"
#include "devlog/DevLogWriteLock.h"
#include "devlog/RemoteAuth.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QThread>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <chrono>
#include <list>
#include <vector>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcPush, "codeworm.devlog.push")

using Outcome = PushReport::Outcome;

const char readmePath[] = "README.md";
constexpr int maxRebaseRounds = 3;

// The libgit2 callbacks of one network operation share this payload.
struct CallbackState
{
    RemoteAuth *auth = nullptr;
    const std::atomic<bool> *cancel = nullptr;
    std::atomic<qint64> *activity = nullptr;
    QStringList rejections; // "refs/heads/main: non-fast-forward" from the server
};

// The remote answered: every callback runs on something it sent.
CallbackState *answered(void *payload)
{
    auto *state = static_cast<CallbackState *>(payload);
    if (state->activity) {
        state->activity->store(DevLogPusher::activityNow());
    }
    return state;
}

bool isCancelled(const CallbackState *state)
{
    return state->cancel && state->cancel->load();
}

int credentialCallback(git_credential **out, const char *url, const char *usernameFromUrl,
                       unsigned int allowedTypes, void *payload)
{
    return answered(payload)->auth->credential(out, url, usernameFromUrl, allowedTypes);
}

int certificateCallback(git_cert *cert, int valid, const char *host, void *payload)
{
    return answered(payload)->auth->certificate(cert, valid, host);
}

int sidebandCallback(const char *, int, void *payload)
{
    return isCancelled(answered(payload)) ? GIT_EUSER : 0;
}

int pushReferenceCallback(const char *refname, const char *status, void *payload)
{
    answered(payload);
    if (status) {
        static_cast<CallbackState *>(payload)->rejections
            << QStringLiteral("%1: %2").arg(QString::fromUtf8(refname), QString::fromUtf8(status));
    }
    return 0;
}

// Returning non-zero from a progress callback is libgit2's way to cancel a transfer.
int pushProgressCallback(unsigned int, unsigned int, size_t, void *payload)
{
    return isCancelled(answered(payload)) ? GIT_EUSER : 0;
}

int packProgressCallback(int, uint32_t, uint32_t, void *payload)
{
    // Packing is local work: it proves nothing about the remote.
    return isCancelled(static_cast<CallbackState *>(payload)) ? GIT_EUSER : 0;
}

int transferProgressCallback(const git_indexer_progress *, void *payload)
{
    return isCancelled(answered(payload)) ? GIT_EUSER : 0;
}

git_remote_callbacks remoteCallbacks(CallbackState &state)
{
    git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
    callbacks.credentials = credentialCallback;
    callbacks.certificate_check = certificateCallback;
    callbacks.push_update_reference = pushReferenceCallback;
    callbacks.push_transfer_progress = pushProgressCallback;
    callbacks.pack_progress = packProgressCallback;
    callbacks.transfer_progress = transferProgressCallback;
    callbacks.sideband_progress = sidebandCallback;
    callbacks.payload = &state;
    return callbacks;
}

// "user@host:path", git's scp-like SSH syntax: a colon before any slash.
bool isScpLike(const QString &spec)
{
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    const qsizetype slash = spec.indexOf(QLatin1Char('/'));
    return colon > 0 && (slash < 0 || colon < slash);
}

bool isLocalUrl(const QString &url)
{
    return url.startsWith(QLatin1Char('/')) || url.startsWith(QLatin1String("file://"));
}

QString localPathOf(const QString &url)
{
    return url.startsWith(QLatin1String("file://")) ? QUrl(url).toLocalFile() : url;
}

// Two spellings of one remote location: paths compared clean, URLs without a trailing slash.
bool sameLocation(const QString &a, const QString &b)
{
    auto normal = [](const QString &url) {
        QString text = isLocalUrl(url) ? QDir::cleanPath(localPathOf(url)) : url.trimmed();
        while (text.size() > 1 && text.endsWith(QLatin1Char('/'))) {
            text.chop(1);
        }
        return text;
    };
    return normal(a) == normal(b);
}

QString remoteUrl(git_remote *remote)
{
    const char *push = git_remote_pushurl(remote);
    const char *url = push ? push : git_remote_url(remote);
    return QString::fromUtf8(url ? url : "");
}

QString plural(int count, const char *what)
{
    return QStringLiteral("%1 %2%3").arg(count).arg(QLatin1String(what),
                                                    count == 1 ? QString() : QStringLiteral("s"));
}

// Commits reachable from `tip` and not from `base` (all of them without a base).
int countAhead(git_repository *repository, const git_oid &tip, const git_oid *base)
{
    git_revwalk *raw = nullptr;
    if (git_revwalk_new(&raw, repository) < 0) {
        return 0;
    }
    const git::Ptr<git_revwalk> walk(raw);
    if (git_revwalk_push(walk.get(), &tip) < 0) {
        return 0;
    }
    if (base) {
        git_revwalk_hide(walk.get(), base); // an unknown base hides nothing
    }
    int count = 0;
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0) {
        ++count;
    }
    return count;
}

bool lookupOid(git_oid *out, git_repository *repository, const QByteArray &ref)
{
    return git_reference_name_to_id(out, repository, ref.constData()) == 0;
}

// Network trouble that goes away by itself: the commits wait and the push is tried again.
bool looksTransient(const QString &message)
{
    static const char *const signs[] = {
        "connection refused",
        "could not resolve",
        "failed to resolve address",
        "timed out",
        "timeout",
        "network is unreachable",
        "no route to host",
        "connection reset",
        "broken pipe",
        "early eof",
        "unexpected eof",
        "failed to connect",
        "failed to send",
        "failed to receive",
        "failed to start ssh session",
        "host is unreachable",
        "temporary failure",
        "unexpected http status code: 5",
        "remote hung up",
        "ssh session closed",
        "could not read from remote",
    };
    const QString lower = message.toLower();
    for (const char *sign : signs) {
        if (lower.contains(QLatin1String(sign))) {
            return true;
        }
    }
    return false;
}

PushReport classify(int code, const QString &url, const QString &what, const RemoteAuth &auth,
                    bool cancelled)
{
    PushReport report;
    const QString reason = git::lastError();
    const QString where = DevLogPusher::displayUrl(url);
    if (cancelled || code == GIT_EUSER) {
        report.outcome = Outcome::Cancelled;
        report.message = QStringLiteral("%1 %2 was cancelled").arg(what, where);
        return report;
    }
    if (auth.refused() || code == GIT_EAUTH || code == GIT_ECERTIFICATE) {
        report.outcome = Outcome::AuthFailed;
        report.message = QStringLiteral("%1 %2 failed: %3")
                             .arg(what, where, auth.refused() ? auth.failure() : reason);
        return report;
    }
    if (code == GIT_ENONFASTFORWARD) {
        report.outcome = Outcome::Rejected;
        report.message = QStringLiteral("%1 %2 was rejected: the remote has commits this DevLog "
                                        "does not have")
                             .arg(what, where);
        return report;
    }
    if (isLocalUrl(url) && !QFileInfo::exists(localPathOf(url))) {
        report.outcome = Outcome::Offline;
        report.message = QStringLiteral("cannot reach %1: the folder is not there (an unmounted "
                                        "disk?)")
                             .arg(where);
        return report;
    }
    const QString lower = reason.toLower();
    if (looksTransient(reason)) {
        report.outcome = Outcome::Offline;
        report.message = QStringLiteral("cannot reach %1: %2").arg(where, reason);
        return report;
    }
    if (lower.contains(QLatin1String("authentication")) ||
        lower.contains(QLatin1String("status code: 401")) ||
        lower.contains(QLatin1String("status code: 403")) ||
        lower.contains(QLatin1String("permission denied"))) {
        report.outcome = Outcome::AuthFailed;
    } else {
        report.outcome = Outcome::Failed;
    }
    report.message = QStringLiteral("%1 %2 failed: %3").arg(what, where, reason);
    return report;
}

QDateTime commitTime(const git_commit *commit)
{
    return QDateTime::fromSecsSinceEpoch(qint64(git_commit_time(commit)),
                                         QTimeZone(git_commit_time_offset(commit) * 60));
}

// The trailers CodeWorm writes, by key.
QHash<QString, QString> trailersOf(const git_commit *commit)
{
    QHash<QString, QString> trailers;
    git_message_trailer_array array{};
    if (git_message_trailers(&array, git_commit_message(commit)) < 0) {
        return trailers;
    }
    for (size_t i = 0; i < array.count; ++i) {
        trailers.insert(QString::fromUtf8(array.trailers[i].key),
                        QString::fromUtf8(array.trailers[i].value));
    }
    git_message_trailer_array_free(&array);
    return trailers;
}

Result<git::Ptr<git_tree>> treeOf(git_repository *repository, const git_oid &commitId)
{
    using R = Result<git::Ptr<git_tree>>;
    git_commit *rawCommit = nullptr;
    if (git_commit_lookup(&rawCommit, repository, &commitId) < 0) {
        return R::failure(git::lastError());
    }
    const git::Ptr<git_commit> commit(rawCommit);
    git_tree *rawTree = nullptr;
    if (git_commit_tree(&rawTree, commit.get()) < 0) {
        return R::failure(git::lastError());
    }
    return git::Ptr<git_tree>(rawTree);
}

git::Ptr<git_tree> firstParentTree(const git_commit *commit)
{
    if (git_commit_parentcount(commit) == 0) {
        return {};
    }
    git_commit *rawParent = nullptr;
    if (git_commit_parent(&rawParent, commit, 0) < 0) {
        return {};
    }
    const git::Ptr<git_commit> parent(rawParent);
    git_tree *rawTree = nullptr;
    if (git_commit_tree(&rawTree, parent.get()) < 0) {
        return {};
    }
    return git::Ptr<git_tree>(rawTree);
}

// The files a commit changed against its first parent (all of them for a root commit).
Result<git::Ptr<git_diff>> changesOf(git_repository *repository, const git_commit *commit)
{
    using R = Result<git::Ptr<git_diff>>;
    git_tree *rawTree = nullptr;
    if (git_commit_tree(&rawTree, commit) < 0) {
        return R::failure(git::lastError());
    }
    const git::Ptr<git_tree> tree(rawTree);
    const git::Ptr<git_tree> parentTree = firstParentTree(commit);
    git_diff *rawDiff = nullptr;
    if (git_diff_tree_to_tree(&rawDiff, repository, parentTree.get(), tree.get(), nullptr) < 0) {
        return R::failure(git::lastError());
    }
    return git::Ptr<git_diff>(rawDiff);
}

QList<DevLogDocument> documentsAdded(const git_commit *commit, const QStringList &addedPaths)
{
    QList<DevLogDocument> documents;
    const QHash<QString, QString> trailers = trailersOf(commit);
    const QString type = trailers.value(QStringLiteral("CodeWorm-Type"));
    if (type.isEmpty()) {
        return documents;
    }
    for (const QString &path : addedPaths) {
        if (!path.endsWith(QLatin1String(".md")) || path == QLatin1String(readmePath)) {
            continue;
        }
        documents.append({trailers.value(QStringLiteral("CodeWorm-Repo")), type,
                          trailers.value(QStringLiteral("CodeWorm-Symbol")), path,
                          commitTime(commit)});
    }
    return documents;
}

// Every document in the history of `tip`, from the commits' trailers and added files.
Result<QList<DevLogDocument>> documentsInHistory(git_repository *repository, const git_oid &tip)
{
    using R = Result<QList<DevLogDocument>>;
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repository) < 0) {
        return R::failure(git::lastError());
    }
    const git::Ptr<git_revwalk> walk(rawWalk);
    git_revwalk_sorting(walk.get(), GIT_SORT_TIME);
    if (git_revwalk_push(walk.get(), &tip) < 0) {
        return R::failure(git::lastError());
    }
    QList<DevLogDocument> documents;
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0) {
        git_commit *rawCommit = nullptr;
        if (git_commit_lookup(&rawCommit, repository, &id) < 0) {
            return R::failure(git::lastError());
        }
        const git::Ptr<git_commit> commit(rawCommit);
        if (!trailersOf(commit.get()).contains(QStringLiteral("CodeWorm-Type"))) {
            continue;
        }
        auto diff = changesOf(repository, commit.get());
        if (!diff) {
            return R::failure(diff.error());
        }
        QStringList added;
        const size_t deltas = git_diff_num_deltas(diff->get());
        for (size_t i = 0; i < deltas; ++i) {
            const git_diff_delta *delta = git_diff_get_delta(diff->get(), i);
            if (delta->status == GIT_DELTA_ADDED) {
                added << QString::fromUtf8(delta->new_file.path);
            }
        }
        documents += documentsAdded(commit.get(), added);
    }
    return documents;
}

// "notes/2026-01-02_x.md" is taken: "notes/2026-01-02_x-2.md", "-3", ...
QString freePathIn(git_tree *tree, const QString &path)
{
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const bool hasSuffix = dot > slash + 1;
    const QString stem = hasSuffix ? path.left(dot) : path;
    const QString suffix = hasSuffix ? path.mid(dot) : QString();
    for (int n = 2;; ++n) {
        const QString candidate = stem + QLatin1Char('-') + QString::number(n) + suffix;
        git_tree_entry *raw = nullptr;
        if (git_tree_entry_bypath(&raw, tree, candidate.toUtf8().constData()) != 0) {
            return candidate;
        }
        git_tree_entry_free(raw);
    }
}

// The remote of that name; null, with the report's message saying why, when it cannot be read.
git::Ptr<git_remote> lookupRemote(git_repository *repository, const QString &name,
                                  PushReport &report)
{
    git_remote *raw = nullptr;
    if (git_remote_lookup(&raw, repository, name.toUtf8().constData()) < 0) {
        report.message =
            QStringLiteral("cannot read the remote %1: %2").arg(name, git::lastError());
        return nullptr;
    }
    return git::Ptr<git_remote>(raw);
}

} // namespace

struct DevLogPusher::Handles
{
    git::Ptr<git_repository> repository;
};

DevLogPusher::DevLogPusher(DevLogConfig config, QString devlogPath)
    : m_config(std::move(config))
    , m_path(devlogPath.isEmpty() ? QString()
                                  : QDir::cleanPath(QFileInfo(devlogPath).absoluteFilePath()))
    , m_handles(std::make_unique<Handles>())
{
    git::ensureInitialized();
}

DevLogPusher::~DevLogPusher() = default;

QString DevLogPusher::displayUrl(const QString &url)
{
    if (!url.contains(QLatin1String("://"))) {
        return url;
    }
    QUrl parsed(url);
    if (!parsed.password().isEmpty()) {
        parsed.setPassword(QStringLiteral("***"));
        return parsed.toString();
    }
    return url;
}

QString DevLogPusher::branch() const
{
    return m_config.branch.isEmpty() ? QStringLiteral("main") : m_config.branch;
}

Status DevLogPusher::open()
{
    if (m_handles->repository) {
        return {};
    }
    git_repository *raw = nullptr;
    const QByteArray path = QFile::encodeName(m_path);
    if (m_path.isEmpty() || git_repository_open_ext(&raw, path.constData(),
                                                    GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
        return Status::failure(QStringLiteral("cannot open the DevLog repository %1: %2")
                                   .arg(m_path, git::lastError()));
    }
    m_handles->repository.reset(raw);
    return {};
}

Result<DevLogPusher::Remote> DevLogPusher::resolveRemote(bool add)
{
    using R = Result<Remote>;
    const QString spec = m_config.remote.trimmed();
    if (spec.isEmpty()) {
        return R::failure(QStringLiteral("no remote configured (devlog.remote)"));
    }
    if (Status opened = open(); !opened) {
        return R::failure(opened.error());
    }
    git_repository *repository = m_handles->repository.get();
    const QByteArray specBytes = spec.toUtf8();
    git_remote *raw = nullptr;
    int validName = 0;
    if (git_remote_name_is_valid(&validName, specBytes.constData()) == 0 && validName &&
        git_remote_lookup(&raw, repository, specBytes.constData()) == 0) {
        const git::Ptr<git_remote> remote(raw);
        return Remote{spec, remoteUrl(remote.get()), false};
    }
    const bool urlLike = spec.contains(QLatin1String("://")) || isScpLike(spec);
    bool pathLike =
        !urlLike && (spec.startsWith(QLatin1Char('/')) || spec.startsWith(QLatin1Char('.')) ||
                     spec.startsWith(QLatin1Char('~')));
    // A bare word names a remote, unless a folder of that name is beside the DevLog.
    if (!urlLike && !pathLike) {
        if (QFileInfo(expandUserPath(spec, m_path)).isDir()) {
            pathLike = true;
        } else {
            git_strarray names{};
            QStringList remotes;
            if (git_remote_list(&names, repository) == 0) {
                for (size_t i = 0; i < names.count; ++i) {
                    remotes << QString::fromUtf8(names.strings[i]);
                }
                git_strarray_dispose(&names);
            }
            return R::failure(
                QStringLiteral("devlog.remote '%1' is not a remote of the DevLog repository %2 "
                               "(%3); set it to %4a URL or a path (CodeWorm adds that as "
                               "origin)")
                    .arg(spec, m_path,
                         remotes.isEmpty()
                             ? QStringLiteral("it has none")
                             : QStringLiteral("its remotes: ") + remotes.join(QStringLiteral(", ")),
                         remotes.isEmpty() ? QString() : QStringLiteral("one of those, or to ")));
        }
    }
    // Paths as git reads them: relative to the repository; "~" is the home folder.
    const QString url = pathLike ? expandUserPath(spec, m_path) : spec;
    if (git_remote_lookup(&raw, repository, "origin") == 0) {
        const git::Ptr<git_remote> origin(raw);
        const QString originUrl = remoteUrl(origin.get());
        if (!sameLocation(originUrl, url)) {
            return R::failure(
                QStringLiteral("devlog.remote is %1, but the DevLog's remote origin points to %2; "
                               "CodeWorm will not change it. Set devlog.remote to origin, or "
                               "point origin at %1 (git remote set-url origin %1)")
                    .arg(displayUrl(url), displayUrl(originUrl)));
        }
        return Remote{QStringLiteral("origin"), originUrl, false};
    }
    if (!add) {
        return Remote{QStringLiteral("origin"), url, false};
    }
    const QByteArray urlBytes = isLocalUrl(url) ? QFile::encodeName(url) : url.toUtf8();
    if (git_remote_create(&raw, repository, "origin", urlBytes.constData()) < 0) {
        return R::failure(QStringLiteral("cannot add %1 as the DevLog's remote origin: %2")
                              .arg(displayUrl(url), git::lastError()));
    }
    const git::Ptr<git_remote> created(raw);
    qCInfo(lcPush).noquote() << QStringLiteral("added %1 as the remote origin of the DevLog %2")
                                    .arg(displayUrl(url), m_path);
    return Remote{QStringLiteral("origin"), url, true};
}

Result<int> DevLogPusher::waitingCommits()
{
    if (Status opened = open(); !opened) {
        return Result<int>::failure(opened.error());
    }
    git_repository *repository = m_handles->repository.get();
    git_oid tip;
    if (!lookupOid(&tip, repository, "refs/heads/" + branch().toUtf8())) {
        return 0;
    }
    const auto remote = resolveRemote(false);
    if (!remote) {
        return Result<int>::failure(remote.error());
    }
    git_oid tracking;
    const bool tracked = lookupOid(
        &tracking, repository, "refs/remotes/" + remote->name.toUtf8() + '/' + branch().toUtf8());
    return countAhead(repository, tip, tracked ? &tracking : nullptr);
}

PushReport DevLogPusher::withRetries(const std::function<PushReport()> &step)
{
    for (int attempt = 1;; ++attempt) {
        PushReport report = step();
        if (report.outcome != Outcome::Offline || attempt >= m_config.pushTries || cancelled()) {
            return report;
        }
        const int waitMs = 2000 << std::min(attempt - 1, 4);
        qCInfo(lcPush).noquote()
            << QStringLiteral("%1; trying again in %2 s").arg(report.message).arg(waitMs / 1000);
        for (int slept = 0; slept < waitMs && !cancelled(); slept += 100) {
            QThread::msleep(100);
        }
    }
}

qint64 DevLogPusher::activityNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

PushReport DevLogPusher::push()
{
    PushReport report;
    if (m_config.remote.trimmed().isEmpty()) {
        report.outcome = Outcome::NoRemote;
        report.message = QStringLiteral("no remote configured (devlog.remote): nothing is pushed");
        return report;
    }
    if (!QFileInfo::exists(m_path + QStringLiteral("/.git"))) {
        // The first cycle creates the DevLog; until then nothing waits.
        report.outcome = Outcome::UpToDate;
        report.message = QStringLiteral("the DevLog %1 has no commits yet").arg(m_path);
        return report;
    }
    const auto remote = resolveRemote(true);
    if (!remote) {
        report.outcome = Outcome::Failed;
        report.configError = true;
        report.message = remote.error();
        if (auto waiting = waitingCommits(); waiting) {
            report.waiting = waiting.value();
        }
        return report;
    }
    int rebased = 0;
    QList<std::pair<QString, QString>> replaced;
    for (int round = 0; round <= maxRebaseRounds; ++round) {
        if (cancelled()) {
            report.outcome = Outcome::Cancelled;
            report.message = QStringLiteral("push cancelled");
            break;
        }
        report = withRetries([&] { return pushOnce(remote.value()); });
        if (report.outcome != Outcome::Rejected || round == maxRebaseRounds) {
            break;
        }
        qCInfo(lcPush).noquote() << report.message << "- fetching and replaying the local commits";
        const PushReport fetched = withRetries([&] { return fetch(remote.value()); });
        if (fetched.outcome != Outcome::UpToDate) {
            report = fetched;
            break;
        }
        const PushReport replayed = rebaseOntoRemote(remote.value());
        if (replayed.outcome != Outcome::UpToDate) {
            report = replayed;
            break;
        }
        rebased += replayed.rebased;
        replaced += replayed.replaced;
    }
    report.remote = remote->name;
    report.url = displayUrl(remote->url);
    report.rebased = rebased;
    report.replaced = replaced;
    if (report.outcome == Outcome::Pushed && rebased > 0) {
        report.message += QStringLiteral(", after replaying %1 onto the remote's new commits")
                              .arg(plural(rebased, "commit"));
    } else if (report.outcome == Outcome::Rejected) {
        report.message += QStringLiteral(" (still, after %1 rebases)").arg(maxRebaseRounds);
    }
    if (!report.succeeded()) {
        if (auto waiting = waitingCommits(); waiting) {
            report.waiting = waiting.value();
        }
    }
    return report;
}

PushReport DevLogPusher::pushOnce(const Remote &target)
{
    PushReport report;
    if (Status opened = open(); !opened) {
        report.message = opened.error();
        return report;
    }
    git_repository *repository = m_handles->repository.get();
    const QByteArray branchRef = "refs/heads/" + branch().toUtf8();
    const QByteArray trackingRef = "refs/remotes/" + target.name.toUtf8() + '/' + branch().toUtf8();
    git_oid tip;
    if (!lookupOid(&tip, repository, branchRef)) {
        report.outcome = Outcome::UpToDate;
        report.message = QStringLiteral("nothing committed on %1 yet").arg(branch());
        return report;
    }
    git_oid tracking;
    const bool tracked = lookupOid(&tracking, repository, trackingRef);
    if (tracked && git_oid_equal(&tip, &tracking)) {
        report.outcome = Outcome::UpToDate;
        report.message = QStringLiteral("nothing to push to %1").arg(target.name);
        return report;
    }
    const int waiting = countAhead(repository, tip, tracked ? &tracking : nullptr);

    const git::Ptr<git_remote> remote = lookupRemote(repository, target.name, report);
    if (!remote) {
        return report;
    }
    RemoteAuth auth(m_config, target.url, m_cancel.get());
    CallbackState state{&auth, m_cancel.get(), m_activity.get(), {}};
    git_push_options options = GIT_PUSH_OPTIONS_INIT;
    options.callbacks = remoteCallbacks(state);
    options.proxy_opts.type = GIT_PROXY_AUTO;
    // No '+': a push that is not a fast-forward is refused, never forced.
    QByteArray refspec = branchRef + ':' + branchRef;
    char *specs[] = {refspec.data()};
    const git_strarray refspecs{specs, 1};
    const int pushed = git_remote_push(remote.get(), &refspecs, &options);
    if (pushed < 0) {
        report = classify(pushed, target.url, QStringLiteral("push to"), auth, cancelled());
        report.waiting = waiting;
        return report;
    }
    if (!state.rejections.isEmpty()) {
        const QString reasons = state.rejections.join(QStringLiteral("; "));
        const QString lower = reasons.toLower();
        const bool moved = lower.contains(QLatin1String("fast-forward")) ||
                           lower.contains(QLatin1String("fetch first")) ||
                           lower.contains(QLatin1String("stale")) ||
                           lower.contains(QLatin1String("lock"));
        report.outcome = moved ? Outcome::Rejected : Outcome::Failed;
        report.message =
            QStringLiteral("%1 refused the push: %2").arg(displayUrl(target.url), reasons);
        report.waiting = waiting;
        return report;
    }
    // libgit2 moves the tracking branch only through a fetch refspec; set it in any case, as
    // it is what says which commits still wait.
    git_reference *rawTracking = nullptr;
    if (git_reference_create(&rawTracking, repository, trackingRef.constData(), &tip, 1,
                             "CodeWorm: pushed") == 0) {
        git_reference_free(rawTracking);
    }
    report.outcome = Outcome::Pushed;
    report.pushed = waiting;
    report.message = QStringLiteral("pushed %1 to %2 (%3)")
                         .arg(plural(waiting, "commit"), target.name, displayUrl(target.url));
    return report;
}

PushReport DevLogPusher::fetch(const Remote &target)
{
    PushReport report;
    git_repository *repository = m_handles->repository.get();
    const git::Ptr<git_remote> remote = lookupRemote(repository, target.name, report);
    if (!remote) {
        return report;
    }
    RemoteAuth auth(m_config, target.url, m_cancel.get());
    CallbackState state{&auth, m_cancel.get(), m_activity.get(), {}};
    git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
    options.callbacks = remoteCallbacks(state);
    options.proxy_opts.type = GIT_PROXY_AUTO;
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    // Only the tracking branch is forced, as git's default fetch refspec does.
    QByteArray refspec = "+refs/heads/" + branch().toUtf8() + ":refs/remotes/" +
                         target.name.toUtf8() + '/' + branch().toUtf8();
    char *specs[] = {refspec.data()};
    const git_strarray refspecs{specs, 1};
    const int fetched =
        git_remote_fetch(remote.get(), &refspecs, &options, "CodeWorm: fetch before rebase");
    if (fetched < 0) {
        return classify(fetched, target.url, QStringLiteral("fetch from"), auth, cancelled());
    }
    report.outcome = Outcome::UpToDate;
    return report;
}

PushReport DevLogPusher::rebaseOntoRemote(const Remote &target)
{
    PushReport report;
    report.outcome = Outcome::Failed;
    const DevLogWriteLock lock;
    git_repository *repository = m_handles->repository.get();
    const QByteArray branchRef = "refs/heads/" + branch().toUtf8();
    const QString upstreamName = target.name + QLatin1Char('/') + branch();
    auto fail = [&](const QString &what) {
        report.message =
            QStringLiteral("%1 in the DevLog %2: %3").arg(what, m_path, git::lastError());
        return report;
    };
    git_oid local;
    git_oid upstream;
    if (!lookupOid(&local, repository, branchRef)) {
        return fail(QStringLiteral("cannot read branch %1").arg(branch()));
    }
    if (!lookupOid(&upstream, repository, "refs/remotes/" + upstreamName.toUtf8())) {
        report.message = QStringLiteral("the push was rejected, but %1 has no branch %2 to "
                                        "rebase onto")
                             .arg(displayUrl(target.url), branch());
        return report;
    }
    if (git_oid_equal(&local, &upstream) ||
        git_graph_descendant_of(repository, &local, &upstream) == 1) {
        report.outcome = Outcome::UpToDate; // a plain push will do now
        return report;
    }

    git_reference *rawHead = nullptr;
    if (git_reference_lookup(&rawHead, repository, "HEAD") < 0) {
        return fail(QStringLiteral("cannot read HEAD"));
    }
    const git::Ptr<git_reference> head(rawHead);
    const char *headTarget = git_reference_symbolic_target(head.get());
    if (!headTarget || branchRef != headTarget) {
        report.outcome = Outcome::Blocked;
        report.message = QStringLiteral("HEAD of the DevLog %1 is not on branch %2; CodeWorm "
                                        "rebases only its own branch")
                             .arg(m_path, branch());
        return report;
    }

    git_oid newTip = upstream;
    int replayedCount = 0;
    QList<std::pair<QString, QString>> replacedIds;
    if (git_graph_descendant_of(repository, &upstream, &local) != 1) {
        // The local commits not on the remote, oldest first.
        git_revwalk *rawWalk = nullptr;
        if (git_revwalk_new(&rawWalk, repository) < 0) {
            return fail(QStringLiteral("cannot walk the history"));
        }
        const git::Ptr<git_revwalk> walk(rawWalk);
        git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
        if (git_revwalk_push(walk.get(), &local) < 0 ||
            git_revwalk_hide(walk.get(), &upstream) < 0) {
            return fail(QStringLiteral("cannot walk the history"));
        }
        std::vector<git_oid> toReplay;
        for (git_oid id; git_revwalk_next(&id, walk.get()) == 0;) {
            toReplay.push_back(id);
        }

        // First the trees: each commit's changes applied onto the tree before it, its new
        // files renamed when the remote has a different file of that name.
        struct Planned
        {
            git::Ptr<git_commit> original;
            git_oid tree;
        };
        std::vector<Planned> planned;
        QList<DevLogDocument> replayedDocuments;
        bool readmeTouched = false;
        auto upstreamTree = treeOf(repository, upstream);
        if (!upstreamTree) {
            report.message = upstreamTree.error();
            return report;
        }
        git::Ptr<git_tree> current = std::move(upstreamTree).value();
        for (const git_oid &id : toReplay) {
            git_commit *rawCommit = nullptr;
            if (git_commit_lookup(&rawCommit, repository, &id) < 0) {
                return fail(QStringLiteral("cannot read commit %1").arg(git::oidHex(&id)));
            }
            git::Ptr<git_commit> commit(rawCommit);
            auto diff = changesOf(repository, commit.get());
            if (!diff) {
                report.message = diff.error();
                return report;
            }
            std::vector<git_tree_update> updates;
            std::list<QByteArray> paths; // stable storage for the updates' path pointers
            QStringList added;
            const size_t deltas = git_diff_num_deltas(diff->get());
            for (size_t i = 0; i < deltas; ++i) {
                const git_diff_delta *delta = git_diff_get_delta(diff->get(), i);
                const bool removed = delta->status == GIT_DELTA_DELETED;
                const QString path =
                    QString::fromUtf8(removed ? delta->old_file.path : delta->new_file.path);
                if (path == QLatin1String(readmePath)) {
                    readmeTouched = true; // regenerated below, never merged
                    continue;
                }
                git_tree_entry *rawEntry = nullptr;
                const bool exists =
                    git_tree_entry_bypath(&rawEntry, current.get(), path.toUtf8().constData()) == 0;
                const git::Ptr<git_tree_entry> entry(exists ? rawEntry : nullptr);
                git_tree_update update{};
                if (removed) {
                    if (!exists) {
                        continue;
                    }
                    update.action = GIT_TREE_UPDATE_REMOVE;
                    update.path = paths.emplace_back(path.toUtf8()).constData();
                    updates.push_back(update);
                    continue;
                }
                if (exists && git_oid_equal(git_tree_entry_id(entry.get()), &delta->new_file.id)) {
                    continue; // the remote has this very file
                }
                QString targetPath = path;
                if (exists && delta->status == GIT_DELTA_ADDED) {
                    targetPath = freePathIn(current.get(), path);
                    qCInfo(lcPush).noquote()
                        << QStringLiteral("%1 exists on the remote with other content; the local "
                                          "one becomes %2")
                               .arg(path, targetPath);
                }
                if (delta->status == GIT_DELTA_ADDED) {
                    added << targetPath;
                }
                update.action = GIT_TREE_UPDATE_UPSERT;
                update.id = delta->new_file.id;
                update.filemode = git_filemode_t(delta->new_file.mode);
                update.path = paths.emplace_back(targetPath.toUtf8()).constData();
                updates.push_back(update);
            }
            if (updates.empty()) {
                continue; // all of it is on the remote already
            }
            git_oid treeId;
            if (git_tree_create_updated(&treeId, repository, current.get(), updates.size(),
                                        updates.data()) < 0) {
                return fail(QStringLiteral("cannot write a tree"));
            }
            git_tree *rawTree = nullptr;
            if (git_tree_lookup(&rawTree, repository, &treeId) < 0) {
                return fail(QStringLiteral("cannot read a tree"));
            }
            current.reset(rawTree);
            replayedDocuments += documentsAdded(commit.get(), added);
            planned.push_back({std::move(commit), treeId});
        }

        // The last replayed commit carries the README: the remote's, its index rebuilt from
        // the whole new history.
        if (!planned.empty() && readmeTouched && m_readmeBuilder) {
            QByteArray readme;
            git_tree_entry *rawEntry = nullptr;
            if (git_tree_entry_bypath(&rawEntry, current.get(), readmePath) == 0) {
                const git::Ptr<git_tree_entry> entry(rawEntry);
                git_blob *rawBlob = nullptr;
                if (git_blob_lookup(&rawBlob, repository, git_tree_entry_id(entry.get())) == 0) {
                    const git::Ptr<git_blob> blob(rawBlob);
                    readme = QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                        qsizetype(git_blob_rawsize(blob.get())));
                }
            }
            auto documents = documentsInHistory(repository, upstream);
            if (!documents) {
                report.message = documents.error();
                return report;
            }
            const QByteArray rebuilt =
                m_readmeBuilder(readme, documents.value() + replayedDocuments);
            git_oid blobId;
            if (git_blob_create_from_buffer(&blobId, repository, rebuilt.constData(),
                                            size_t(rebuilt.size())) < 0) {
                return fail(QStringLiteral("cannot write README.md"));
            }
            git_tree_update update{};
            update.action = GIT_TREE_UPDATE_UPSERT;
            update.id = blobId;
            update.filemode = GIT_FILEMODE_BLOB;
            update.path = readmePath;
            git_oid treeId;
            if (git_tree_create_updated(&treeId, repository, current.get(), 1, &update) < 0) {
                return fail(QStringLiteral("cannot write a tree"));
            }
            planned.back().tree = treeId;
        }

        // Then the commits, chained onto the remote's tip with their authors and messages.
        for (const Planned &step : planned) {
            git_tree *rawTree = nullptr;
            git_commit *rawParent = nullptr;
            if (git_tree_lookup(&rawTree, repository, &step.tree) < 0 ||
                git_commit_lookup(&rawParent, repository, &newTip) < 0) {
                git_tree_free(rawTree);
                return fail(QStringLiteral("cannot read the replayed history"));
            }
            const git::Ptr<git_tree> tree(rawTree);
            const git::Ptr<git_commit> parent(rawParent);
            const git_signature *committer = git_commit_committer(step.original.get());
            git_signature *rawNow = nullptr;
            if (git_signature_now(&rawNow, committer->name, committer->email) < 0) {
                return fail(QStringLiteral("cannot make a signature"));
            }
            const git::Ptr<git_signature> now(rawNow);
            const git_commit *parents[] = {parent.get()};
            if (git_commit_create(
                    &newTip, repository, nullptr, git_commit_author(step.original.get()), now.get(),
                    git_commit_message_encoding(step.original.get()),
                    git_commit_message_raw(step.original.get()), tree.get(), 1, parents) < 0) {
                return fail(QStringLiteral("cannot write a replayed commit"));
            }
            replacedIds.append(
                {git::oidHex(git_commit_id(step.original.get())), git::oidHex(&newTip)});
            ++replayedCount;
        }
    }

    // The working tree follows the branch; local edits to the files involved stop it here.
    auto localTree = treeOf(repository, local);
    auto newTree = treeOf(repository, newTip);
    if (!localTree || !newTree) {
        report.message = localTree ? newTree.error() : localTree.error();
        return report;
    }
    git_checkout_options checkout = GIT_CHECKOUT_OPTIONS_INIT;
    checkout.checkout_strategy = GIT_CHECKOUT_SAFE;
    checkout.baseline = localTree->get();
    if (git_checkout_tree(repository, reinterpret_cast<const git_object *>(newTree->get()),
                          &checkout) < 0) {
        report.outcome = Outcome::Blocked;
        report.message = QStringLiteral("cannot update the DevLog %1 to the rebased branch: %2; "
                                        "commit or undo the local changes there")
                             .arg(m_path, git::lastError());
        return report;
    }
    git_reference *rawMoved = nullptr;
    const QByteArray log = "CodeWorm: rebase onto " + upstreamName.toUtf8();
    if (git_reference_create_matching(&rawMoved, repository, branchRef.constData(), &newTip, 1,
                                      &local, log.constData()) < 0) {
        return fail(QStringLiteral("cannot move branch %1").arg(branch()));
    }
    git_reference_free(rawMoved);
    qCInfo(lcPush).noquote() << QStringLiteral("replayed %1 onto %2 (%3)")
                                    .arg(plural(replayedCount, "commit"), upstreamName,
                                         git::oidHex(&newTip).left(10));
    report.outcome = Outcome::UpToDate;
    report.rebased = replayedCount;
    report.replaced = replacedIds; // only now: the branch has moved to them
    return report;
}

} // namespace codeworm
