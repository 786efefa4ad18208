#include "devlog/DevLogRepository.h"

#include "common/GitHandles.h"
#include "devlog/DevLogCompactor.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>

#include <mutex>
#include <vector>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcDevLog, "codeworm.devlog")

// git itself treats an index.lock this old as left behind by a crashed process.
constexpr qint64 staleLockSeconds = 60;

QString gitFailure(const QString &operation, const QString &path)
{
    return QStringLiteral("%1 failed for %2: %3").arg(operation, path, git::lastError());
}

// The clean form of a path below the DevLog root, or why it is not one.
Result<QString> cleanRelativePath(const QString &root, const QString &relativePath)
{
    if (relativePath.isEmpty()) {
        return Result<QString>::failure(
            QStringLiteral("An empty path was given; expected a file path relative to the "
                           "DevLog at %1")
                .arg(root));
    }
    if (QDir::isAbsolutePath(relativePath)) {
        return Result<QString>::failure(
            QStringLiteral("%1 is an absolute path; expected a path relative to the DevLog at %2")
                .arg(relativePath, root));
    }
    const QString clean = QDir::cleanPath(relativePath);
    if (clean == QLatin1String("..") || clean.startsWith(QLatin1String("../"))) {
        return Result<QString>::failure(
            QStringLiteral("%1 leads outside the DevLog at %2").arg(relativePath, root));
    }
    if (clean == QLatin1String(".")) {
        return Result<QString>::failure(
            QStringLiteral("%1 names the DevLog folder %2 itself; expected a file below it")
                .arg(relativePath, root));
    }
    if (clean == QLatin1String(".git") || clean.startsWith(QLatin1String(".git/"))) {
        return Result<QString>::failure(
            QStringLiteral("%1 is inside the .git folder of the DevLog at %2")
                .arg(relativePath, root));
    }
    return clean;
}

} // namespace

struct DevLogRepository::Handles
{
    git::Ptr<git_repository> repository;
};

DevLogRepository::DevLogRepository(DevLogConfig config, QString path)
    : m_config(std::move(config))
    , m_path(path.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(path).absoluteFilePath()))
    , m_handles(std::make_unique<Handles>())
{
    git::ensureInitialized();
}

DevLogRepository::~DevLogRepository() = default;

QStringList DevLogRepository::layoutFolders()
{
    return {
        QStringLiteral("snippets"),
        QStringLiteral("classes"),
        QStringLiteral("files"),
        QStringLiteral("modules"),
        QStringLiteral("reviews/security"),
        QStringLiteral("reviews/performance"),
        QStringLiteral("til"),
        QStringLiteral("evolution"),
        QStringLiteral("patterns"),
        QStringLiteral("analysis/weekly"),
        QStringLiteral("analysis/monthly"),
        QStringLiteral("stats"),
    };
}

QString DevLogRepository::branch() const
{
    return m_config.branch.isEmpty() ? QStringLiteral("main") : m_config.branch;
}

Status DevLogRepository::openOrInit()
{
    m_handles->repository.reset();
    if (m_path.isEmpty()) {
        return Status::failure(
            QStringLiteral("No DevLog folder given: set devlog.repo_path in config.yaml"));
    }
    const QByteArray branchRef = QByteArray("refs/heads/") + branch().toUtf8();
    int validName = 0;
    if (git_reference_name_is_valid(&validName, branchRef.constData()) < 0 || !validName) {
        return Status::failure(
            QStringLiteral("devlog.branch \"%1\" is not a valid git branch name").arg(branch()));
    }

    const QByteArray nativePath = QFile::encodeName(m_path);
    const QFileInfo info(m_path);
    if (info.exists() && !info.isDir()) {
        return Status::failure(
            QStringLiteral("The DevLog path %1 is a file; expected a folder").arg(m_path));
    }
    if (info.exists()) {
        git_repository *raw = nullptr;
        const int opened = git_repository_open_ext(&raw, nativePath.constData(),
                                                   GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
        if (opened == 0) {
            m_handles->repository.reset(raw);
            if (git_repository_is_bare(raw)) {
                m_handles->repository.reset();
                return Status::failure(
                    QStringLiteral("The DevLog %1 is a bare git repository; CodeWorm needs one "
                                   "with a working tree")
                        .arg(m_path));
            }
            // A repository without any commit (made by hand, or an interrupted first start)
            // gets the layout and its first commit now.
            if (git_repository_head_unborn(raw) == 1) {
                return initializeLayout();
            }
            return {};
        }
        if (opened != GIT_ENOTFOUND) {
            return Status::failure(
                gitFailure(QStringLiteral("Opening the DevLog repository"), m_path));
        }
        const QDir dir(m_path);
        if (!dir.isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
            return Status::failure(
                QStringLiteral("The DevLog folder %1 is not a git repository and is not empty; "
                               "CodeWorm will not take over a folder with other files in it. "
                               "Set devlog.repo_path to a new or empty folder, or to a git "
                               "repository.")
                    .arg(m_path));
        }
    }

    git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    options.flags = GIT_REPOSITORY_INIT_MKPATH;
    const QByteArray initialHead = branch().toUtf8();
    options.initial_head = initialHead.constData();
    git_repository *raw = nullptr;
    if (git_repository_init_ext(&raw, nativePath.constData(), &options) < 0) {
        return Status::failure(
            gitFailure(QStringLiteral("Creating the DevLog repository"), m_path));
    }
    m_handles->repository.reset(raw);
    qCInfo(lcDevLog, "Created the DevLog repository %s on branch %s", qPrintable(m_path),
           qPrintable(branch()));
    return initializeLayout();
}

Status DevLogRepository::initializeLayout()
{
    QStringList keepFiles;
    for (const QString &folder : layoutFolders()) {
        const QString keep = folder + QStringLiteral("/.gitkeep");
        if (!QFileInfo::exists(m_path + QLatin1Char('/') + keep)) {
            if (Status written = writeFile(keep, QByteArray()); !written) {
                return written;
            }
        }
        keepFiles << keep;
    }
    const Result<QString> commit = commitFiles(keepFiles, QStringLiteral("Initialize DevLog"));
    if (!commit) {
        return Status::failure(commit.error());
    }
    return {};
}

Status DevLogRepository::writeFile(const QString &relativePath, const QByteArray &content)
{
    if (m_path.isEmpty()) {
        return Status::failure(
            QStringLiteral("Cannot write %1: no DevLog folder given").arg(relativePath));
    }
    const Result<QString> clean = cleanRelativePath(m_path, relativePath);
    if (!clean) {
        return Status::failure(clean.error());
    }
    const QString absolute = m_path + QLatin1Char('/') + clean.value();
    const QString folder = QFileInfo(absolute).absolutePath();
    if (!QDir().mkpath(folder)) {
        return Status::failure(
            QStringLiteral("Cannot create the folder %1 for %2").arg(folder, absolute));
    }
    // QSaveFile writes a temporary file next to the target and renames it over the target,
    // so a reader never sees half a document.
    QSaveFile file(absolute);
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(
            QStringLiteral("Cannot write %1: %2").arg(absolute, file.errorString()));
    }
    if (file.write(content) != content.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Status::failure(QStringLiteral("Cannot write %1: %2").arg(absolute, reason));
    }
    if (!file.commit()) {
        return Status::failure(
            QStringLiteral("Cannot save %1: %2").arg(absolute, file.errorString()));
    }
    return {};
}

Status DevLogRepository::removeStaleIndexLock()
{
    const QString lockPath = QFile::decodeName(git_repository_path(m_handles->repository.get())) +
                             QStringLiteral("index.lock");
    const QFileInfo lock(lockPath);
    if (!lock.exists()) {
        return {};
    }
    const qint64 age = lock.lastModified().secsTo(QDateTime::currentDateTime());
    if (age > staleLockSeconds) {
        if (!QFile::remove(lockPath)) {
            return Status::failure(QStringLiteral("Cannot remove the stale lock file %1 (%2 s old)")
                                       .arg(lockPath)
                                       .arg(age));
        }
        qCWarning(lcDevLog, "Removed the stale lock file %s (%lld s old)", qPrintable(lockPath),
                  static_cast<long long>(age));
        return {};
    }
    return Status::failure(
        QStringLiteral("The lock file %1 exists (%2 s old): another git program is working in "
                       "the DevLog %3. Try again later; a lock older than %4 s is removed.")
            .arg(lockPath)
            .arg(age)
            .arg(m_path)
            .arg(staleLockSeconds));
}

Status DevLogRepository::attachHeadToBranch()
{
    git_repository *repository = m_handles->repository.get();
    const QByteArray branchRef = QByteArray("refs/heads/") + branch().toUtf8();
    git_oid tipId;
    const int tipFound = git_reference_name_to_id(&tipId, repository, branchRef.constData());
    if (tipFound < 0 && tipFound != GIT_ENOTFOUND) {
        return Status::failure(
            gitFailure(QStringLiteral("Reading branch %1").arg(branch()), m_path));
    }
    const bool branchExists = tipFound == 0;

    const int detached = git_repository_head_detached(repository);
    if (detached < 0) {
        return Status::failure(gitFailure(QStringLiteral("Reading HEAD"), m_path));
    }
    if (detached == 1) {
        git_oid headId;
        if (git_reference_name_to_id(&headId, repository, "HEAD") < 0) {
            return Status::failure(gitFailure(QStringLiteral("Reading HEAD"), m_path));
        }
        const QString head = git::oidHex(&headId).left(12);
        if (!branchExists) {
            return Status::failure(
                QStringLiteral("HEAD of the DevLog %1 is detached at %2 and branch %3 does not "
                               "exist; check out a branch there by hand")
                    .arg(m_path, head, branch()));
        }
        const bool fastForward = git_oid_equal(&headId, &tipId) ||
                                 git_graph_descendant_of(repository, &headId, &tipId) == 1;
        if (!fastForward) {
            return Status::failure(
                QStringLiteral("HEAD of the DevLog %1 is detached at %2, which does not contain "
                               "the tip %3 of branch %4; CodeWorm will not move the branch and "
                               "lose commits. Check out %4 there and merge by hand.")
                    .arg(m_path, head, git::oidHex(&tipId).left(12), branch()));
        }
        git_reference *rawMoved = nullptr;
        if (git_reference_create_matching(&rawMoved, repository, branchRef.constData(), &headId, 1,
                                          &tipId,
                                          "CodeWorm: fast-forward to the detached HEAD") < 0) {
            return Status::failure(
                gitFailure(QStringLiteral("Moving branch %1 to %2").arg(branch(), head), m_path));
        }
        const git::Ptr<git_reference> moved(rawMoved);
        if (git_repository_set_head(repository, branchRef.constData()) < 0) {
            return Status::failure(
                gitFailure(QStringLiteral("Re-attaching HEAD to branch %1").arg(branch()), m_path));
        }
        qCWarning(lcDevLog, "Re-attached the detached HEAD of %s (%s) to branch %s",
                  qPrintable(m_path), qPrintable(head), qPrintable(branch()));
        return {};
    }

    git_reference *rawHead = nullptr;
    if (git_reference_lookup(&rawHead, repository, "HEAD") < 0) {
        return Status::failure(gitFailure(QStringLiteral("Reading HEAD"), m_path));
    }
    const git::Ptr<git_reference> headRef(rawHead);
    const char *target = git_reference_symbolic_target(headRef.get());
    const QByteArray headTarget = target ? QByteArray(target) : QByteArray();
    if (headTarget == branchRef) {
        return {};
    }
    // A repository without commits whose HEAD names another branch (git init with another
    // default) simply starts on the configured branch.
    if (git_repository_head_unborn(repository) == 1 && !branchExists) {
        if (git_repository_set_head(repository, branchRef.constData()) < 0) {
            return Status::failure(
                gitFailure(QStringLiteral("Pointing HEAD at branch %1").arg(branch()), m_path));
        }
        return {};
    }
    return Status::failure(
        QStringLiteral("HEAD of the DevLog %1 is on %2, not on the configured branch %3 "
                       "(devlog.branch); check out %3 there or change devlog.branch")
            .arg(m_path, QString::fromUtf8(headTarget), branch()));
}

Result<QString> DevLogRepository::commitFiles(const QStringList &relativePaths,
                                              const QString &message)
{
    using R = Result<QString>;
    git_repository *repository = m_handles->repository.get();
    if (!repository) {
        return R::failure(
            QStringLiteral("The DevLog %1 is not open: call openOrInit() first").arg(m_path));
    }
    if (relativePaths.isEmpty()) {
        return R::failure(
            QStringLiteral("Nothing to commit in the DevLog %1: no paths given").arg(m_path));
    }
    QList<QByteArray> paths;
    for (const QString &relativePath : relativePaths) {
        const Result<QString> clean = cleanRelativePath(m_path, relativePath);
        if (!clean) {
            return R::failure(clean.error());
        }
        const QFileInfo file(m_path + QLatin1Char('/') + clean.value());
        if (!file.isFile()) {
            return R::failure(QStringLiteral("Cannot commit %1: no such file in the DevLog %2")
                                  .arg(clean.value(), m_path));
        }
        paths << clean->toUtf8();
    }

    git::Buffer prettyMessage;
    const QByteArray rawMessage = message.toUtf8();
    if (git_message_prettify(prettyMessage.get(), rawMessage.constData(), 0, '#') < 0) {
        return R::failure(gitFailure(QStringLiteral("Formatting the commit message"), m_path));
    }
    if (prettyMessage.toString().trimmed().isEmpty()) {
        return R::failure(
            QStringLiteral("The commit message for the DevLog %1 is empty").arg(m_path));
    }

    if (Status unlocked = removeStaleIndexLock(); !unlocked) {
        return R::failure(unlocked.error());
    }
    if (Status attached = attachHeadToBranch(); !attached) {
        return R::failure(attached.error());
    }

    git_index *rawIndex = nullptr;
    if (git_repository_index(&rawIndex, repository) < 0) {
        return R::failure(gitFailure(QStringLiteral("Opening the index"), m_path));
    }
    const git::Ptr<git_index> index(rawIndex);
    // Other programs may have changed the index since this handle last read it: read again
    // when its file changed (libgit2 compares the file's stamp), else keep the loaded one.
    if (git_index_read(index.get(), 0) < 0) {
        return R::failure(gitFailure(QStringLiteral("Reading the index"), m_path));
    }
    for (const QByteArray &path : std::as_const(paths)) {
        if (git_index_add_bypath(index.get(), path.constData()) < 0) {
            return R::failure(
                gitFailure(QStringLiteral("Staging %1").arg(QString::fromUtf8(path)), m_path));
        }
    }
    if (git_index_write(index.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Writing the index"), m_path));
    }

    const QByteArray branchRef = QByteArray("refs/heads/") + branch().toUtf8();
    git::Ptr<git_commit> parent;
    git::Ptr<git_tree> parentTree;
    git_oid tipId;
    const int tipFound = git_reference_name_to_id(&tipId, repository, branchRef.constData());
    if (tipFound == 0) {
        git_commit *rawParent = nullptr;
        git_tree *rawParentTree = nullptr;
        if (git_commit_lookup(&rawParent, repository, &tipId) < 0) {
            return R::failure(
                gitFailure(QStringLiteral("Reading the tip of %1").arg(branch()), m_path));
        }
        parent.reset(rawParent);
        if (git_commit_tree(&rawParentTree, parent.get()) < 0) {
            return R::failure(
                gitFailure(QStringLiteral("Reading the tree of %1").arg(branch()), m_path));
        }
        parentTree.reset(rawParentTree);
    } else if (tipFound != GIT_ENOTFOUND) {
        return R::failure(gitFailure(QStringLiteral("Reading branch %1").arg(branch()), m_path));
    }

    // The commit's tree is the parent's tree plus exactly these paths: whatever else is
    // staged stays staged and out of this commit. Only the trees on the paths' way are
    // rewritten, not all of a DevLog's thousands of entries.
    std::vector<git_tree_update> updates;
    for (const QByteArray &path : std::as_const(paths)) {
        const git_index_entry *entry = git_index_get_bypath(index.get(), path.constData(), 0);
        if (!entry) {
            return R::failure(
                gitFailure(QStringLiteral("Staging %1").arg(QString::fromUtf8(path)), m_path));
        }
        git_tree_update update{};
        update.action = GIT_TREE_UPDATE_UPSERT;
        update.id = entry->id;
        update.filemode = git_filemode_t(entry->mode);
        update.path = path.constData();
        updates.push_back(update);
    }
    git_oid treeId;
    if (parentTree) {
        if (git_tree_create_updated(&treeId, repository, parentTree.get(), updates.size(),
                                    updates.data()) < 0) {
            return R::failure(gitFailure(QStringLiteral("Writing the tree"), m_path));
        }
    } else {
        // No commit yet: a tree of just these paths.
        git_index *rawStaging = nullptr;
        if (git_index_new(&rawStaging) < 0) {
            return R::failure(gitFailure(QStringLiteral("Creating an in-memory index"), m_path));
        }
        const git::Ptr<git_index> staging(rawStaging);
        for (const QByteArray &path : std::as_const(paths)) {
            if (git_index_add(staging.get(),
                              git_index_get_bypath(index.get(), path.constData(), 0)) < 0) {
                return R::failure(
                    gitFailure(QStringLiteral("Staging %1").arg(QString::fromUtf8(path)), m_path));
            }
        }
        if (git_index_write_tree_to(&treeId, staging.get(), repository) < 0) {
            return R::failure(gitFailure(QStringLiteral("Writing the tree"), m_path));
        }
    }
    if (parentTree && git_oid_equal(&treeId, git_tree_id(parentTree.get()))) {
        return R::failure(QStringLiteral("Nothing to commit in the DevLog %1: %2 unchanged since "
                                         "the last commit")
                              .arg(m_path, relativePaths.join(QStringLiteral(", "))));
    }
    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, repository, &treeId) < 0) {
        return R::failure(gitFailure(QStringLiteral("Reading the new tree"), m_path));
    }
    const git::Ptr<git_tree> tree(rawTree);

    const CommitIdentity who = identity();
    if (who.source == QLatin1String("fallback")) {
        // Once per process: enough to be seen, not a line per commit.
        static std::once_flag warned;
        std::call_once(warned, [&] {
            qCWarning(lcDevLog,
                      "No commit identity: neither devlog.author_name/author_email nor git's "
                      "user.name/user.email is set; committing as %s <%s>",
                      qPrintable(who.name), qPrintable(who.email));
        });
    }
    git_signature *rawSignature = nullptr;
    if (git_signature_now(&rawSignature, who.name.toUtf8().constData(),
                          who.email.toUtf8().constData()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Creating the signature \"%1 <%2>\" (from %3)")
                                         .arg(who.name, who.email, who.source),
                                     m_path));
    }
    const git::Ptr<git_signature> signature(rawSignature);

    // Signing hook point (GPG/SSH signing is not done): a signed commit would be made here
    // with git_commit_create_buffer, the signature of that buffer, then
    // git_commit_create_with_signature and moving the branch to it.
    const git_commit *parents[] = {parent.get()};
    git_oid commitId;
    const QByteArray text = prettyMessage.toString().toUtf8();
    if (git_commit_create(&commitId, repository, branchRef.constData(), signature.get(),
                          signature.get(), nullptr, text.constData(), tree.get(), parent ? 1 : 0,
                          parents) < 0) {
        return R::failure(gitFailure(QStringLiteral("Committing on %1").arg(branch()), m_path));
    }
    // Housekeeping after the commit, never instead of it: a failure is only logged.
    const Result<DevLogCompactor::Outcome> compacted = DevLogCompactor(m_path).compactIfNeeded();
    if (!compacted) {
        qCWarning(lcDevLog, "Compacting the DevLog failed: %s", qPrintable(compacted.error()));
    } else if (compacted->packedObjects > 0 || compacted->mergedPacks > 0) {
        qCDebug(lcDevLog, "Packed %d loose objects, merged %d packs in %s",
                compacted->packedObjects, compacted->mergedPacks, qPrintable(m_path));
    }
    return git::oidHex(&commitId);
}

CommitIdentity DevLogRepository::identity() const
{
    CommitIdentity identity;
    identity.name = m_config.authorName.trimmed();
    identity.email = m_config.authorEmail.trimmed();
    const bool fromConfig = !identity.name.isEmpty() || !identity.email.isEmpty();
    bool fromGit = false;

    if (identity.name.isEmpty() || identity.email.isEmpty()) {
        // The repository's configuration includes the user's global and system ones.
        git_config *rawConfig = nullptr;
        const int opened = m_handles->repository
                               ? git_repository_config(&rawConfig, m_handles->repository.get())
                               : git_config_open_default(&rawConfig);
        if (opened < 0) {
            qCWarning(lcDevLog, "Cannot read the git configuration for %s: %s", qPrintable(m_path),
                      qPrintable(git::lastError()));
        }
        const git::Ptr<git_config> config(opened == 0 ? rawConfig : nullptr);
        const auto read = [&config](const char *key) {
            git::Buffer value;
            if (!config || git_config_get_string_buf(value.get(), config.get(), key) < 0) {
                return QString();
            }
            return value.toString().trimmed();
        };
        if (identity.name.isEmpty()) {
            identity.name = read("user.name");
            fromGit = fromGit || !identity.name.isEmpty();
        }
        if (identity.email.isEmpty()) {
            identity.email = read("user.email");
            fromGit = fromGit || !identity.email.isEmpty();
        }
    }

    if (identity.name.isEmpty()) {
        identity.name = QStringLiteral("CodeWorm");
    }
    if (identity.email.isEmpty()) {
        identity.email = QStringLiteral("codeworm@localhost");
    }
    identity.source = fromConfig ? QStringLiteral("config")
                      : fromGit  ? QStringLiteral("git config")
                                 : QStringLiteral("fallback");
    return identity;
}

} // namespace codeworm
