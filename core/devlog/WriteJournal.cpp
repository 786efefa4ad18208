#include "devlog/WriteJournal.h"

#include "common/GitHandles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace codeworm {

namespace {

constexpr QLatin1String header("# CodeWorm: DevLog files written and not yet committed\n");

QString gitFailure(const QString &operation, const QString &path)
{
    return QStringLiteral("%1 failed for %2: %3").arg(operation, path, git::lastError());
}

// A listed path must stay inside the DevLog: a damaged journal may not remove anything else.
bool isSafeRelative(const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || path.contains(QLatin1Char('\\'))) {
        return false;
    }
    const QStringList parts = path.split(QLatin1Char('/'));
    return std::none_of(parts.begin(), parts.end(), [](const QString &part) {
        return part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..") ||
               part == QLatin1String(".git");
    });
}

} // namespace

WriteJournal::WriteJournal(QString journalFile)
    : m_file(std::move(journalFile))
{}

Status WriteJournal::begin(const QStringList &relativePaths)
{
    QDir().mkpath(QFileInfo(m_file).path());
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(QStringLiteral("Cannot write the DevLog journal %1: %2")
                                   .arg(m_file, file.errorString()));
    }
    QByteArray text = QByteArray(header.data(), header.size());
    for (const QString &path : relativePaths) {
        text += path.toUtf8() + '\n';
    }
    file.write(text);
    // QSaveFile syncs before it renames: the list is on disk before any file it names.
    if (!file.commit()) {
        return Status::failure(QStringLiteral("Cannot write the DevLog journal %1: %2")
                                   .arg(m_file, file.errorString()));
    }
    return {};
}

Status WriteJournal::clear()
{
    if (QFile::exists(m_file) && !QFile::remove(m_file)) {
        return Status::failure(QStringLiteral("Cannot remove the DevLog journal %1").arg(m_file));
    }
    return {};
}

QStringList WriteJournal::pending() const
{
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QStringList paths;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QString path = QString::fromUtf8(line).trimmed();
        if (!path.isEmpty() && !path.startsWith(QLatin1Char('#'))) {
            paths << path;
        }
    }
    return paths;
}

Result<QStringList> WriteJournal::recover(const QString &devlogPath)
{
    using R = Result<QStringList>;
    const QStringList paths = pending();
    QStringList undone;
    if (paths.isEmpty()) {
        if (Status cleared = clear(); !cleared) {
            return R::failure(cleared.error());
        }
        return undone;
    }
    git::ensureInitialized();
    git_repository *rawRepository = nullptr;
    if (git_repository_open(&rawRepository, QFile::encodeName(devlogPath).constData()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Opening the DevLog repository"), devlogPath));
    }
    const git::Ptr<git_repository> repository(rawRepository);
    git_index *rawIndex = nullptr;
    if (git_repository_index(&rawIndex, repository.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Opening the index"), devlogPath));
    }
    const git::Ptr<git_index> index(rawIndex);
    git::Ptr<git_tree> head;
    git_object *rawHead = nullptr;
    if (git_revparse_single(&rawHead, repository.get(), "HEAD^{tree}") == 0) {
        head.reset(reinterpret_cast<git_tree *>(rawHead));
    }

    for (const QString &path : paths) {
        if (!isSafeRelative(path)) {
            continue;
        }
        const QByteArray raw = path.toUtf8();
        const QString full = devlogPath + QLatin1Char('/') + path;
        git_tree_entry *rawEntry = nullptr;
        const bool inHead =
            head && git_tree_entry_bypath(&rawEntry, head.get(), raw.constData()) == 0;
        const git::Ptr<git_tree_entry> entry(rawEntry);
        if (!inHead || git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
            // Never committed: the write is undone.
            const bool existed = QFileInfo::exists(full);
            if (existed && !QFile::remove(full)) {
                return R::failure(
                    QStringLiteral("Cannot remove %1, written by a cycle that did not "
                                   "finish")
                        .arg(full));
            }
            const bool staged = git_index_get_bypath(index.get(), raw.constData(), 0) != nullptr;
            if (staged && git_index_remove_bypath(index.get(), raw.constData()) < 0) {
                return R::failure(gitFailure(QStringLiteral("Unstaging %1").arg(path), devlogPath));
            }
            if (existed || staged) {
                undone << path;
            }
            continue;
        }
        git_blob *rawBlob = nullptr;
        if (git_blob_lookup(&rawBlob, repository.get(), git_tree_entry_id(entry.get())) < 0) {
            return R::failure(
                gitFailure(QStringLiteral("Reading %1 at HEAD").arg(path), devlogPath));
        }
        const git::Ptr<git_blob> blob(rawBlob);
        const QByteArray committed(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                   qsizetype(git_blob_rawsize(blob.get())));
        QFile current(full);
        const bool same = current.open(QIODevice::ReadOnly) && current.readAll() == committed;
        current.close();
        const git_index_entry *staged = git_index_get_bypath(index.get(), raw.constData(), 0);
        const bool stagedSame =
            staged && git_oid_equal(&staged->id, git_tree_entry_id(entry.get()));
        if (same && stagedSame) {
            continue; // committed as written: the crash came after the commit
        }
        if (!same) {
            QDir().mkpath(QFileInfo(full).path());
            QSaveFile restored(full);
            if (!restored.open(QIODevice::WriteOnly) || restored.write(committed) < 0 ||
                !restored.commit()) {
                return R::failure(
                    QStringLiteral("Cannot restore %1: %2").arg(full, restored.errorString()));
            }
        }
        if (!stagedSame && git_index_add_bypath(index.get(), raw.constData()) < 0) {
            return R::failure(gitFailure(QStringLiteral("Restaging %1").arg(path), devlogPath));
        }
        undone << path;
    }
    if (git_index_write(index.get()) < 0) {
        return R::failure(gitFailure(QStringLiteral("Writing the index"), devlogPath));
    }
    if (Status cleared = clear(); !cleared) {
        return R::failure(cleared.error());
    }
    return undone;
}

} // namespace codeworm
