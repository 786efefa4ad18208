#include "GitTestRepo.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include "common/GitHandles.h"

#include <vector>

namespace codeworm::test {

namespace {

// A failed libgit2 call means the test environment is broken: stop with the reason.
void check(int rc, const char *operation, const QString &path)
{
    if (rc >= 0) {
        return;
    }
    const git_error *error = git_error_last();
    qFatal("GitTestRepo: %s failed for %s: %s", operation, qPrintable(path),
           error && error->message ? error->message : "unknown libgit2 error");
}

int collectBlobPath(const char *root, const git_tree_entry *entry, void *payload)
{
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        auto *paths = static_cast<QStringList *>(payload);
        paths->append(QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry)));
    }
    return 0;
}

} // namespace

struct GitTestRepo::Handles
{
    git::Ptr<git_repository> repository;

    // The commit named by id, or HEAD when id is empty; null for an unborn HEAD.
    git::Ptr<git_commit> commit(const QString &id, const QString &path) const
    {
        git_oid oid;
        if (id.isEmpty()) {
            if (git_repository_head_unborn(repository.get()) == 1) {
                return nullptr;
            }
            check(git_reference_name_to_id(&oid, repository.get(), "HEAD"), "resolving HEAD", path);
        } else {
            check(git_oid_fromstr(&oid, id.toLatin1().constData()), "parsing a commit id", path);
        }
        git_commit *commit = nullptr;
        check(git_commit_lookup(&commit, repository.get(), &oid), "looking up a commit", path);
        return git::Ptr<git_commit>(commit);
    }

    git::Ptr<git_tree> tree(const QString &id, const QString &path) const
    {
        const git::Ptr<git_commit> owner = commit(id, path);
        if (!owner) {
            return nullptr;
        }
        git_tree *tree = nullptr;
        check(git_commit_tree(&tree, owner.get()), "reading a commit tree", path);
        return git::Ptr<git_tree>(tree);
    }
};

GitTestRepo::GitTestRepo(const QString &path, bool bare)
    : m_path(QDir::cleanPath(QFileInfo(path).absoluteFilePath()))
    , m_handles(std::make_unique<Handles>())
{
    git::ensureInitialized();
    const QByteArray nativePath = QFile::encodeName(m_path);
    git_repository *repository = nullptr;
    const int opened = git_repository_open_ext(&repository, nativePath.constData(),
                                               GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (opened == GIT_ENOTFOUND) {
        git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
        options.flags = GIT_REPOSITORY_INIT_MKPATH;
        if (bare) {
            options.flags |= GIT_REPOSITORY_INIT_BARE;
        }
        options.initial_head = "main";
        check(git_repository_init_ext(&repository, nativePath.constData(), &options), "git init",
              m_path);
    } else {
        check(opened, "opening the repository", m_path);
    }
    m_handles->repository.reset(repository);
}

GitTestRepo::~GitTestRepo() = default;

void GitTestRepo::writeFile(const QString &relative, const QByteArray &content) const
{
    if (git_repository_is_bare(m_handles->repository.get())) {
        qFatal("GitTestRepo: cannot write %s into the bare repository %s", qPrintable(relative),
               qPrintable(m_path));
    }
    const QString absolute = m_path + QLatin1Char('/') + relative;
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath())) {
        qFatal("GitTestRepo: cannot create the folder of %s", qPrintable(absolute));
    }
    QFile file(absolute);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(content) != content.size()) {
        qFatal("GitTestRepo: cannot write %s: %s", qPrintable(absolute),
               qPrintable(file.errorString()));
    }
}

void GitTestRepo::setSignature(const QString &name, const QString &email, const QDateTime &when)
{
    m_name = name;
    m_email = email;
    m_when = when;
}

QString GitTestRepo::commit(const QString &message, const QStringList &paths,
                            const QStringList &extraParents)
{
    git_repository *repository = m_handles->repository.get();
    git_index *rawIndex = nullptr;
    check(git_repository_index(&rawIndex, repository), "opening the index", m_path);
    const git::Ptr<git_index> index(rawIndex);
    if (paths.isEmpty()) {
        // Like `git add -A`: new and changed files (not ignored ones), and deletions.
        check(git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr),
              "staging all files", m_path);
        check(git_index_update_all(index.get(), nullptr, nullptr, nullptr), "staging deletions",
              m_path);
    } else {
        // Named paths are staged even when a .gitignore matches them (`git add -f`).
        for (const QString &relative : paths) {
            const QByteArray name = relative.toUtf8();
            if (QFileInfo::exists(m_path + QLatin1Char('/') + relative)) {
                check(git_index_add_bypath(index.get(), name.constData()), "staging a file",
                      relative);
            } else {
                check(git_index_remove_bypath(index.get(), name.constData()), "staging a deletion",
                      relative);
            }
        }
    }
    check(git_index_write(index.get()), "writing the index", m_path);
    git_oid treeId;
    check(git_index_write_tree(&treeId, index.get()), "writing the tree", m_path);
    git_tree *rawTree = nullptr;
    check(git_tree_lookup(&rawTree, repository, &treeId), "looking up the tree", m_path);
    const git::Ptr<git_tree> tree(rawTree);

    std::vector<git::Ptr<git_commit>> owned;
    if (git::Ptr<git_commit> head = m_handles->commit(QString(), m_path)) {
        owned.push_back(std::move(head));
    }
    for (const QString &id : extraParents) {
        owned.push_back(m_handles->commit(id, m_path));
    }
    std::vector<const git_commit *> parents;
    for (const git::Ptr<git_commit> &parent : owned) {
        parents.push_back(parent.get());
    }
    git_signature *rawSignature = nullptr;
    const QByteArray name = m_name.toUtf8();
    const QByteArray email = m_email.toUtf8();
    if (m_when.isValid()) {
        check(git_signature_new(&rawSignature, name.constData(), email.constData(),
                                m_when.toSecsSinceEpoch(), m_when.offsetFromUtc() / 60),
              "creating a signature", m_path);
    } else {
        check(git_signature_now(&rawSignature, name.constData(), email.constData()),
              "creating a signature", m_path);
    }
    const git::Ptr<git_signature> signature(rawSignature);
    git_oid commitId;
    const QByteArray text = message.toUtf8();
    check(git_commit_create(&commitId, repository, "HEAD", signature.get(), signature.get(),
                            nullptr, text.constData(), tree.get(), parents.size(), parents.data()),
          "committing", m_path);
    return git::oidHex(&commitId);
}

QString GitTestRepo::headId() const
{
    const git::Ptr<git_commit> head = m_handles->commit(QString(), m_path);
    return head ? git::oidHex(git_commit_id(head.get())) : QString();
}

int GitTestRepo::commitCount() const
{
    if (git_repository_head_unborn(m_handles->repository.get()) == 1) {
        return 0;
    }
    git_revwalk *rawWalk = nullptr;
    check(git_revwalk_new(&rawWalk, m_handles->repository.get()), "starting a revision walk",
          m_path);
    const git::Ptr<git_revwalk> walk(rawWalk);
    check(git_revwalk_push_head(walk.get()), "walking from HEAD", m_path);
    int count = 0;
    git_oid oid;
    while (git_revwalk_next(&oid, walk.get()) == 0) {
        ++count;
    }
    return count;
}

GitTestRepo::CommitInfo GitTestRepo::commitInfo(const QString &id) const
{
    CommitInfo info;
    if (id.isEmpty()) {
        return info;
    }
    const git::Ptr<git_commit> commit = m_handles->commit(id, m_path);
    info.id = git::oidHex(git_commit_id(commit.get()));
    info.message = QString::fromUtf8(git_commit_message(commit.get()));
    const git_signature *author = git_commit_author(commit.get());
    info.authorName = QString::fromUtf8(author->name);
    info.authorEmail = QString::fromUtf8(author->email);
    const unsigned int parentCount = git_commit_parentcount(commit.get());
    for (unsigned int i = 0; i < parentCount; ++i) {
        info.parentIds << git::oidHex(git_commit_parent_id(commit.get(), i));
    }

    git_tree *rawTree = nullptr;
    check(git_commit_tree(&rawTree, commit.get()), "reading a commit tree", m_path);
    const git::Ptr<git_tree> tree(rawTree);
    git::Ptr<git_tree> parentTree;
    if (parentCount > 0) {
        parentTree = m_handles->tree(info.parentIds.first(), m_path);
    }
    git_diff *rawDiff = nullptr;
    check(git_diff_tree_to_tree(&rawDiff, m_handles->repository.get(), parentTree.get(), tree.get(),
                                nullptr),
          "diffing a commit", m_path);
    const git::Ptr<git_diff> diff(rawDiff);
    const size_t deltas = git_diff_num_deltas(diff.get());
    for (size_t i = 0; i < deltas; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        const char *path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
        info.changedPaths << QString::fromUtf8(path);
    }
    return info;
}

QByteArray GitTestRepo::fileAt(const QString &relative, const QString &id) const
{
    const git::Ptr<git_tree> tree = m_handles->tree(id, m_path);
    if (!tree) {
        return {};
    }
    git_tree_entry *rawEntry = nullptr;
    if (git_tree_entry_bypath(&rawEntry, tree.get(), relative.toUtf8().constData()) != 0) {
        return {};
    }
    const git::Ptr<git_tree_entry> entry(rawEntry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
        return {};
    }
    git_blob *rawBlob = nullptr;
    check(git_blob_lookup(&rawBlob, m_handles->repository.get(), git_tree_entry_id(entry.get())),
          "reading a blob", relative);
    const git::Ptr<git_blob> blob(rawBlob);
    return QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                      static_cast<qsizetype>(git_blob_rawsize(blob.get())));
}

QStringList GitTestRepo::treePaths(const QString &id) const
{
    QStringList paths;
    const git::Ptr<git_tree> tree = m_handles->tree(id, m_path);
    if (!tree) {
        return paths;
    }
    check(git_tree_walk(tree.get(), GIT_TREEWALK_PRE, &collectBlobPath, &paths), "walking a tree",
          m_path);
    paths.sort();
    return paths;
}

bool GitTestRepo::isDirty() const
{
    if (git_repository_is_bare(m_handles->repository.get())) {
        return false;
    }
    git_status_options options = GIT_STATUS_OPTIONS_INIT;
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    git_status_list *rawStatus = nullptr;
    check(git_status_list_new(&rawStatus, m_handles->repository.get(), &options),
          "reading the status", m_path);
    const git::Ptr<git_status_list> status(rawStatus);
    return git_status_list_entrycount(status.get()) > 0;
}

QStringList GitTestRepo::strayFiles() const
{
    const QStringList tracked = treePaths();
    const QDir root(m_path);
    QStringList stray;
    QDirIterator it(m_path, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = root.relativeFilePath(it.next());
        if (path.startsWith(QLatin1String(".git/"))) {
            if (path.endsWith(QLatin1String(".lock"))) {
                stray << path;
            }
        } else if (!tracked.contains(path)) {
            stray << path;
        }
    }
    return stray;
}

} // namespace codeworm::test
