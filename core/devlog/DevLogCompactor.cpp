#include "devlog/DevLogCompactor.h"

#include "common/GitHandles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcDevLog, "codeworm.devlog")

QString gitFailure(const QString &operation, const QString &path)
{
    return QStringLiteral("%1 failed for %2: %3").arg(operation, path, git::lastError());
}

bool isHex(const QString &text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
               (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
    });
}

struct LooseObject
{
    git_oid id;
    QString file;
};

// The loose objects below objects/: fan-out folders of two hex digits holding files of 38.
std::vector<LooseObject> listLoose(const QString &objects)
{
    std::vector<LooseObject> found;
    const QStringList folders = QDir(objects).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &folder : folders) {
        if (folder.size() != 2 || !isHex(folder)) {
            continue;
        }
        const QString folderPath = objects + QLatin1Char('/') + folder;
        for (const QString &name : QDir(folderPath).entryList(QDir::Files)) {
            if (name.size() != GIT_OID_HEXSZ - 2 || !isHex(name)) {
                continue; // a temporary file of a writer, or something foreign
            }
            LooseObject object;
            if (git_oid_fromstr(&object.id, (folder + name).toLatin1().constData()) == 0) {
                object.file = folderPath + QLatin1Char('/') + name;
                found.push_back(object);
            }
        }
    }
    return found;
}

// Forces a file's (or folder's) content to disk: the loose copies of what a new pack holds are
// removed only once the pack is safely there.
bool syncPath(const QString &path, bool folder)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

// Writes the packbuilder's pack into objects/pack and makes it durable; the pack's base name
// ("pack-<hash>").
Result<QString> writePack(git_packbuilder *builder, const QString &objects, const QString &path)
{
    using R = Result<QString>;
    const QString packFolder = objects + QStringLiteral("/pack");
    if (!QDir().mkpath(packFolder)) {
        return R::failure(QStringLiteral("Cannot create %1").arg(packFolder));
    }
    if (git_packbuilder_write(builder, QFile::encodeName(packFolder).constData(), 0, nullptr,
                              nullptr) < 0) {
        return R::failure(gitFailure(QStringLiteral("Writing a pack"), path));
    }
    QString name = QString::fromLatin1(git_packbuilder_name(builder));
    if (!name.startsWith(QLatin1String("pack-"))) {
        name.prepend(QLatin1String("pack-"));
    }
    for (const char *suffix : {".pack", ".idx"}) {
        const QString file = packFolder + QLatin1Char('/') + name + QLatin1String(suffix);
        if (!syncPath(file, false)) {
            return R::failure(QStringLiteral("Cannot write %1 to disk").arg(file));
        }
    }
    if (!syncPath(packFolder, true)) {
        return R::failure(QStringLiteral("Cannot write %1 to disk").arg(packFolder));
    }
    return name;
}

void removeLoose(const std::vector<LooseObject> &objects)
{
    QSet<QString> folders;
    for (const LooseObject &object : objects) {
        QFile::remove(object.file);
        folders.insert(QFileInfo(object.file).path());
    }
    for (const QString &folder : std::as_const(folders)) {
        QDir().rmdir(folder); // only when empty, as git prune-packed leaves it
    }
}

git::Ptr<git_repository> openRepository(const QString &path, QString *error)
{
    git::ensureInitialized();
    git_repository *raw = nullptr;
    if (git_repository_open(&raw, QFile::encodeName(path).constData()) < 0) {
        *error = gitFailure(QStringLiteral("Opening the DevLog repository"), path);
        return nullptr;
    }
    return git::Ptr<git_repository>(raw);
}

git::Ptr<git_packbuilder> newBuilder(git_repository *repository)
{
    git_packbuilder *raw = nullptr;
    if (git_packbuilder_new(&raw, repository) < 0) {
        return nullptr;
    }
    // One thread: a DevLog's packs are small, and the machine belongs to its user.
    git_packbuilder_set_threads(raw, 1);
    return git::Ptr<git_packbuilder>(raw);
}

QByteArray rawId(const git_oid *id)
{
    return QByteArray(reinterpret_cast<const char *>(id->id), GIT_OID_RAWSZ);
}

// Inserts the loose objects of tree (at path) and below, with their paths; a subtree that is
// not loose is old and packed already, and so is all it holds.
void insertTree(git_repository *repository, git_packbuilder *builder, const git_oid *treeId,
                const QByteArray &path, const QSet<QByteArray> &loose)
{
    if (!loose.contains(rawId(treeId))) {
        return;
    }
    git_tree *raw = nullptr;
    if (git_tree_lookup(&raw, repository, treeId) < 0) {
        return; // left to the plain insertion after the walk
    }
    const git::Ptr<git_tree> tree(raw);
    git_packbuilder_insert(builder, treeId, path.isEmpty() ? nullptr : path.constData());
    for (size_t i = 0, count = git_tree_entrycount(tree.get()); i < count; ++i) {
        const git_tree_entry *entry = git_tree_entry_byindex(tree.get(), i);
        const git_oid *id = git_tree_entry_id(entry);
        const QByteArray entryPath =
            (path.isEmpty() ? QByteArray() : path + '/') + git_tree_entry_name(entry);
        if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
            insertTree(repository, builder, id, entryPath, loose);
        } else if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB && loose.contains(rawId(id))) {
            git_packbuilder_insert(builder, id, entryPath.constData());
        }
    }
}

// The loose commits reachable from HEAD, newest first, with their new trees and blobs.
void insertNewHistory(git_repository *repository, git_packbuilder *builder,
                      const QSet<QByteArray> &loose)
{
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repository) < 0) {
        return;
    }
    const git::Ptr<git_revwalk> walk(rawWalk);
    if (git_revwalk_push_head(walk.get()) < 0) {
        return; // an unborn branch: nothing to walk
    }
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0 && loose.contains(rawId(&id))) {
        git_commit *rawCommit = nullptr;
        if (git_commit_lookup(&rawCommit, repository, &id) < 0) {
            return;
        }
        const git::Ptr<git_commit> commit(rawCommit);
        git_packbuilder_insert(builder, &id, nullptr);
        insertTree(repository, builder, git_commit_tree_id(commit.get()), QByteArray(), loose);
    }
}

} // namespace

DevLogCompactor::DevLogCompactor(QString repositoryPath)
    : m_path(std::move(repositoryPath))
{}

QString DevLogCompactor::objectsPath() const
{
    const QString dotGit = m_path + QStringLiteral("/.git/objects");
    return QFileInfo(dotGit).isDir() ? dotGit : m_path + QStringLiteral("/objects");
}

int DevLogCompactor::estimatedLooseObjects() const
{
    // Sixteen of the 256 fan-out folders (git samples one; a DevLog's few hundred loose
    // objects need more for a steady estimate), times sixteen.
    const QString objects = objectsPath();
    qsizetype loose = 0;
    for (int folder = 0; folder < 256; folder += 0x11) {
        const QStringList names = QDir(objects + QLatin1Char('/') +
                                       QStringLiteral("%1").arg(folder, 2, 16, QLatin1Char('0')))
                                      .entryList(QDir::Files);
        loose += std::count_if(names.begin(), names.end(), [](const QString &name) {
            return name.size() == GIT_OID_HEXSZ - 2 && isHex(name);
        });
    }
    return int(loose) * 16;
}

int DevLogCompactor::looseObjectCount() const
{
    return int(listLoose(objectsPath()).size());
}

int DevLogCompactor::packCount() const
{
    return int(QDir(objectsPath() + QStringLiteral("/pack"))
                   .entryList({QStringLiteral("pack-*.pack")}, QDir::Files)
                   .size());
}

Result<DevLogCompactor::Outcome> DevLogCompactor::compactIfNeeded(int looseLimit, int packLimit)
{
    using R = Result<Outcome>;
    Outcome outcome;
    if (estimatedLooseObjects() >= looseLimit) {
        const Result<int> packed = packLooseObjects();
        if (!packed) {
            return R::failure(packed.error());
        }
        outcome.packedObjects = packed.value();
    }
    if (packCount() > packLimit) {
        const Result<int> merged = mergePacks();
        if (!merged) {
            return R::failure(merged.error());
        }
        outcome.mergedPacks = merged.value();
    }
    return outcome;
}

Result<int> DevLogCompactor::packLooseObjects()
{
    using R = Result<int>;
    QString error;
    const git::Ptr<git_repository> repository = openRepository(m_path, &error);
    if (!repository) {
        return R::failure(error);
    }
    const QString objects = objectsPath();
    const std::vector<LooseObject> loose = listLoose(objects);
    if (loose.empty()) {
        return 0;
    }
    const git::Ptr<git_packbuilder> builder = newBuilder(repository.get());
    if (!builder) {
        return R::failure(gitFailure(QStringLiteral("Starting a pack"), m_path));
    }
    // The newest commits are the loose ones: walked first, their new trees and documents go
    // in with their paths, so that the versions of a folder's tree become deltas of each other.
    QSet<QByteArray> looseIds;
    for (const LooseObject &object : loose) {
        looseIds.insert(rawId(&object.id));
    }
    insertNewHistory(repository.get(), builder.get(), looseIds);
    std::vector<LooseObject> packed;
    packed.reserve(loose.size());
    for (const LooseObject &object : loose) {
        // Inserting again is a no-op. An object that cannot be read is left where it is, for
        // git fsck to report.
        if (git_packbuilder_insert(builder.get(), &object.id, nullptr) == 0) {
            packed.push_back(object);
        } else {
            qCWarning(lcDevLog, "Cannot pack %s: %s", qPrintable(object.file),
                      qPrintable(git::lastError()));
        }
    }
    if (packed.empty()) {
        return 0;
    }
    const Result<QString> pack = writePack(builder.get(), objects, m_path);
    if (!pack) {
        return R::failure(pack.error());
    }
    removeLoose(packed);
    return int(packed.size());
}

Result<int> DevLogCompactor::mergePacks()
{
    using R = Result<int>;
    QString error;
    const git::Ptr<git_repository> repository = openRepository(m_path, &error);
    if (!repository) {
        return R::failure(error);
    }
    const QString objects = objectsPath();
    const QString packFolder = objects + QStringLiteral("/pack");
    const QStringList oldPacks =
        QDir(packFolder).entryList({QStringLiteral("pack-*.pack")}, QDir::Files);
    const std::vector<LooseObject> loose = listLoose(objects);

    const git::Ptr<git_packbuilder> builder = newBuilder(repository.get());
    if (!builder) {
        return R::failure(gitFailure(QStringLiteral("Starting a pack"), m_path));
    }
    // History first: the packbuilder learns each object's path, and deltas pair the versions
    // of the same folder's tree, as git's do.
    git_revwalk *rawWalk = nullptr;
    if (git_revwalk_new(&rawWalk, repository.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Walking the history"), m_path));
    }
    const git::Ptr<git_revwalk> walk(rawWalk);
    git_revwalk_push_glob(walk.get(), "refs");
    git_revwalk_push_head(walk.get()); // fails harmlessly on an unborn branch
    if (git_packbuilder_insert_walk(builder.get(), walk.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Packing the history"), m_path));
    }
    // Then everything else the repository holds (objects of the index, of reflogs, of a
    // user's experiments): a merge drops nothing.
    git_odb *rawOdb = nullptr;
    if (git_repository_odb(&rawOdb, repository.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Opening the object database"), m_path));
    }
    const git::Ptr<git_odb> odb(rawOdb);
    std::vector<git_oid> all;
    const auto collect = [](const git_oid *id, void *payload) {
        static_cast<std::vector<git_oid> *>(payload)->push_back(*id);
        return 0;
    };
    if (git_odb_foreach(odb.get(), collect, &all) < 0) {
        return R::failure(gitFailure(QStringLiteral("Listing the objects"), m_path));
    }
    for (const git_oid &id : all) {
        if (git_packbuilder_insert(builder.get(), &id, nullptr) < 0) {
            return R::failure(
                gitFailure(QStringLiteral("Packing object %1").arg(git::oidHex(&id)), m_path));
        }
    }
    const Result<QString> pack = writePack(builder.get(), objects, m_path);
    if (!pack) {
        return R::failure(pack.error());
    }
    int replaced = 0;
    for (const QString &file : oldPacks) {
        const QString base = file.chopped(int(qstrlen(".pack")));
        if (base == pack.value() ||
            QFileInfo::exists(packFolder + QLatin1Char('/') + base + QStringLiteral(".keep"))) {
            continue;
        }
        // The index goes first: a pack without one is ignored, an index without its pack
        // is an error to readers.
        for (const char *suffix : {".idx", ".pack", ".rev", ".bitmap"}) {
            QFile::remove(packFolder + QLatin1Char('/') + base + QLatin1String(suffix));
        }
        ++replaced;
    }
    removeLoose(loose);
    return replaced;
}

} // namespace codeworm
