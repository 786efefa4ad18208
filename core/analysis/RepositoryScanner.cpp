#include "analysis/RepositoryScanner.h"

#include "analysis/ContentHash.h"
#include "analysis/Language.h"
#include "analysis/PathFilter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSet>

#include "common/GitHandles.h"

#include <algorithm>
#include <memory>

namespace codeworm {

namespace {

constexpr qsizetype binaryProbeSize = 8192; // 8 KiB, as in the original

// Bumped when the scanner's own rules change, so that indexes built with the old ones are
// rebuilt rather than updated.
constexpr char rulesVersion[] = "rules-1";

QString joinPath(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
}

QString lastSegment(const QString &path)
{
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

void count(ScanStats *stats, SkipReason reason)
{
    if (stats) {
        ++stats->skipped[reason];
    }
}

void warn(ScanStats *stats, const QString &message)
{
    if (stats) {
        stats->warnings << message;
    }
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(const QByteArray &data)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const auto *const end = p + data.size();
    while (p < end) {
        const unsigned char lead = *p;
        if (lead < 0x80) {
            ++p;
            continue;
        }
        int length = 0;
        char32_t codePoint = 0;
        char32_t smallest = 0;
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            codePoint = lead & 0x1f;
            smallest = 0x80;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            codePoint = lead & 0x0f;
            smallest = 0x800;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            codePoint = lead & 0x07;
            smallest = 0x10000;
        } else {
            return false;
        }
        if (end - p < length) {
            return false;
        }
        for (int i = 1; i < length; ++i) {
            if ((p[i] & 0xc0) != 0x80) {
                return false;
            }
            codePoint = (codePoint << 6) | (p[i] & 0x3f);
        }
        if (codePoint < smallest || codePoint > 0x10ffff ||
            (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            return false;
        }
        p += length;
    }
    return true;
}

bool isBlobMode(git_filemode_t mode)
{
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

std::optional<SkipReason> sizeSkip(qint64 size)
{
    if (size == 0) {
        return SkipReason::Empty;
    }
    if (size > RepositoryScanner::maxFileSize) {
        return SkipReason::TooLarge;
    }
    return std::nullopt;
}

// The vendored folder names in effect: none with include_vendored, and none that an include
// glob names as a path segment (such a glob asks for that folder's files).
QSet<QString> vendoredNames(const AnalyzerConfig &analyzer, const QStringList &includePatterns)
{
    if (analyzer.includeVendored) {
        return {};
    }
    QSet<QString> names = {QStringLiteral("vendor"), QStringLiteral("third_party"),
                           QStringLiteral("node_modules")};
    for (const QString &pattern : includePatterns) {
        const QStringList segments = pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (const QString &segment : segments) {
            names.remove(segment);
        }
    }
    return names;
}

} // namespace

QString skipReasonName(SkipReason reason)
{
    switch (reason) {
    case SkipReason::Ignored:
        return QStringLiteral("ignored");
    case SkipReason::Excluded:
        return QStringLiteral("excluded");
    case SkipReason::Hidden:
        return QStringLiteral("hidden");
    case SkipReason::Vendored:
        return QStringLiteral("vendored");
    case SkipReason::Submodule:
        return QStringLiteral("submodule");
    case SkipReason::Symlink:
        return QStringLiteral("symlink");
    case SkipReason::TooLarge:
        return QStringLiteral("too_large");
    case SkipReason::Empty:
        return QStringLiteral("empty");
    case SkipReason::Binary:
        return QStringLiteral("binary");
    case SkipReason::NotUtf8:
        return QStringLiteral("not_utf8");
    case SkipReason::Unreadable:
        return QStringLiteral("unreadable");
    }
    return QStringLiteral("unknown");
}

struct RepositorySnapshot::Private
{
    Private(const AnalyzerConfig &analyzerConfig, const RepoConfig &repoConfig)
        : analyzer(analyzerConfig)
        , repo(repoConfig)
        , includePatterns(analyzerConfig.includePatterns + repoConfig.includePatterns)
        , excludePatterns(analyzerConfig.excludePatterns + repoConfig.excludePatterns)
        , filter(includePatterns, excludePatterns)
        , vendored(vendoredNames(analyzerConfig, includePatterns))
    {}

    AnalyzerConfig analyzer;
    RepoConfig repo;
    QString root; // absolute, clean
    QStringList includePatterns;
    QStringList excludePatterns;
    PathFilter filter;
    QSet<QString> vendored;

    git::Ptr<git_repository> repository; // null for a plain folder
    git::Ptr<git_odb> odb;
    git::Ptr<git_tree> headTree; // null for an unborn HEAD
    QString headId;
    bool bare = false;
    // list()'s listener for the entry in hand, and whether it asked to stop.
    mutable const EntrySink *sink = nullptr;
    mutable bool stopped = false;

    // Hands the entry just listed to the listener; false when the walk is to stop.
    bool tell(const FileEntry &entry) const
    {
        if (sink && *sink && !(*sink)(entry)) {
            stopped = true;
        }
        return !stopped;
    }

    // .gitignore rules read so far: from disk for a plain folder, from HEAD's blobs for a bare
    // repository (which has no work tree for libgit2's ignore rules to read).
    mutable GitIgnore ignore;
    mutable QSet<QString> ignoreLoaded;

    bool usesLibgit2Ignore() const { return repository && !bare; }

    void resetIgnore() const
    {
        ignore = GitIgnore();
        ignoreLoaded.clear();
    }

    void loadIgnore(const QString &folder) const
    {
        if (usesLibgit2Ignore() || ignoreLoaded.contains(folder)) {
            return;
        }
        ignoreLoaded.insert(folder);
        const QString relative = joinPath(folder, QStringLiteral(".gitignore"));
        if (repository) {
            if (!headTree) {
                return;
            }
            git_tree_entry *raw = nullptr;
            if (git_tree_entry_bypath(&raw, headTree.get(), relative.toUtf8().constData()) != 0) {
                return;
            }
            const git::Ptr<git_tree_entry> entry(raw);
            if (git_tree_entry_filemode(entry.get()) != GIT_FILEMODE_BLOB) {
                return;
            }
            git_blob *blob = nullptr;
            if (git_blob_lookup(&blob, repository.get(), git_tree_entry_id(entry.get())) != 0) {
                return;
            }
            const git::Ptr<git_blob> owned(blob);
            ignore.addFile(folder,
                           QString::fromUtf8(static_cast<const char *>(git_blob_rawcontent(blob)),
                                             qsizetype(git_blob_rawsize(blob))));
            return;
        }
        const QString absolute = root + QLatin1Char('/') + relative;
        const QFileInfo info(absolute);
        QFile file(absolute);
        if (info.isFile() && !info.isSymLink() && file.open(QIODevice::ReadOnly)) {
            ignore.addFile(folder, QString::fromUtf8(file.readAll()));
        }
    }

    bool isIgnored(const QString &path, bool isDirectory) const
    {
        if (usesLibgit2Ignore()) {
            // libgit2 reads the work tree's .gitignore files, .git/info/exclude and
            // core.excludesFile, and applies the rules of the folders above the path too.
            int ignored = 0;
            const QByteArray name = (isDirectory ? path + QLatin1Char('/') : path).toUtf8();
            return git_ignore_path_is_ignored(&ignored, repository.get(), name.constData()) == 0 &&
                   ignored == 1;
        }
        const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
        loadIgnore(slash < 0 ? QString() : path.left(slash));
        return ignore.isIgnored(path, isDirectory);
    }

    // A folder the walk would not enter. nestedRepository: a plain folder with its own .git.
    std::optional<SkipReason> folderSkip(const QString &path, bool nestedRepository = false) const
    {
        const QString name = lastSegment(path);
        if (name.startsWith(QLatin1Char('.'))) {
            return SkipReason::Hidden;
        }
        if (vendored.contains(name)) {
            return SkipReason::Vendored;
        }
        if (nestedRepository) {
            return SkipReason::Submodule;
        }
        if (isIgnored(path, true)) {
            return SkipReason::Ignored;
        }
        if (filter.skipsDirectory(path)) {
            return SkipReason::Excluded;
        }
        return std::nullopt;
    }

    // A file of a supported language that the path rules leave out (its folders admitted).
    std::optional<SkipReason> fileSkip(const QString &path) const
    {
        if (lastSegment(path).startsWith(QLatin1Char('.'))) {
            return SkipReason::Hidden;
        }
        if (isIgnored(path, false)) {
            return SkipReason::Ignored;
        }
        if (!filter.accepts(path)) {
            return SkipReason::Excluded;
        }
        return std::nullopt;
    }

    // fileSkip() with every folder above the path judged as the walk would judge it.
    std::optional<SkipReason> pathSkip(const QString &path) const
    {
        for (qsizetype slash = path.indexOf(QLatin1Char('/')); slash > 0;
             slash = path.indexOf(QLatin1Char('/'), slash + 1)) {
            if (auto reason = folderSkip(path.left(slash))) {
                return reason;
            }
        }
        return fileSkip(path);
    }

    Result<qint64> blobSize(const git_oid *id, const QString &path) const
    {
        // The header gives the size without inflating the blob.
        size_t size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        if (git_odb_read_header(&size, &type, odb.get(), id) != 0) {
            return Result<qint64>::failure(
                QStringLiteral("%1: cannot read %2 at HEAD: %3").arg(root, path, git::lastError()));
        }
        return qint64(size);
    }

    // A blob entry at `path` as the rules see it: an entry, or nothing (the skip counted).
    Result<std::optional<FileEntry>> admitBlob(const git_oid *id, const QString &path,
                                               const QString &language, ScanStats *stats) const
    {
        using Admitted = std::optional<FileEntry>;
        auto size = blobSize(id, path);
        if (!size) {
            return Result<Admitted>::failure(size.error());
        }
        if (auto reason = sizeSkip(size.value())) {
            count(stats, *reason);
            return Admitted();
        }
        return Admitted(FileEntry{path, language, git::oidHex(id), size.value(), 0});
    }

    Status walkTree(const git_tree *tree, const QString &folder, QList<FileEntry> &files,
                    ScanStats *stats) const
    {
        const size_t entryCount = git_tree_entrycount(tree);
        for (size_t i = 0; i < entryCount; ++i) {
            const git_tree_entry *entry = git_tree_entry_byindex(tree, i);
            const QString name = QString::fromUtf8(git_tree_entry_name(entry));
            const QString path = joinPath(folder, name);
            const git_filemode_t mode = git_tree_entry_filemode(entry);
            if (mode == GIT_FILEMODE_TREE) {
                if (auto reason = folderSkip(path)) {
                    count(stats, *reason);
                    continue;
                }
                git_tree *subtree = nullptr;
                if (git_tree_lookup(&subtree, repository.get(), git_tree_entry_id(entry)) != 0) {
                    return Status::failure(QStringLiteral("%1: cannot read folder %2 at HEAD: %3")
                                               .arg(root, path, git::lastError()));
                }
                const git::Ptr<git_tree> owned(subtree);
                if (Status status = walkTree(subtree, path, files, stats); !status || stopped) {
                    return status;
                }
            } else if (mode == GIT_FILEMODE_LINK || mode == GIT_FILEMODE_COMMIT) {
                count(stats, name.startsWith(QLatin1Char('.')) ? SkipReason::Hidden
                             : mode == GIT_FILEMODE_LINK       ? SkipReason::Symlink
                                                               : SkipReason::Submodule);
            } else if (isBlobMode(mode)) {
                const QString language = Language::forPath(path);
                if (language.isEmpty()) {
                    continue;
                }
                if (auto reason = fileSkip(path)) {
                    count(stats, *reason);
                    continue;
                }
                auto admitted = admitBlob(git_tree_entry_id(entry), path, language, stats);
                if (!admitted) {
                    return Status::failure(admitted.error());
                }
                if (admitted.value()) {
                    files << *admitted.value();
                    if (!tell(files.last())) {
                        return {};
                    }
                }
            }
        }
        return {};
    }

    void walkDisk(const QString &folder, QList<FileEntry> &files, ScanStats *stats) const
    {
        const QString absolute = folder.isEmpty() ? root : root + QLatin1Char('/') + folder;
        const QDir dir(absolute);
        if (!dir.isReadable()) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: cannot read the folder").arg(absolute));
            return;
        }
        const QFileInfoList entries = dir.entryInfoList(
            QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
        for (const QFileInfo &entry : entries) {
            const QString name = entry.fileName();
            const QString path = joinPath(folder, name);
            // Links are never followed: they may lead out of the tree or into a cycle, and a
            // git repository does not store their targets' content either.
            if (entry.isSymLink()) {
                count(stats,
                      name.startsWith(QLatin1Char('.')) ? SkipReason::Hidden : SkipReason::Symlink);
                continue;
            }
            if (entry.isDir()) {
                const bool nested = QFileInfo::exists(entry.filePath() + QStringLiteral("/.git"));
                if (auto reason = folderSkip(path, nested)) {
                    count(stats, *reason);
                    continue;
                }
                walkDisk(path, files, stats);
                if (stopped) {
                    return;
                }
                continue;
            }
            const QString language = Language::forPath(path);
            if (language.isEmpty()) {
                continue;
            }
            if (auto reason = fileSkip(path)) {
                count(stats, *reason);
                continue;
            }
            if (!entry.isFile()) {
                // A FIFO or device would block or never end when read.
                count(stats, SkipReason::Unreadable);
                warn(stats, QStringLiteral("%1: not a regular file").arg(entry.filePath()));
                continue;
            }
            if (auto reason = sizeSkip(entry.size())) {
                count(stats, *reason);
                continue;
            }
            files << FileEntry{path, language, QString(), entry.size(),
                               entry.lastModified().toMSecsSinceEpoch()};
            if (!tell(files.last())) {
                return;
            }
        }
    }

    // The candidate blob paths of a tree (supported language), for deletions.
    QSet<QString> treeSourcePaths(const git_tree *tree) const
    {
        QSet<QString> paths;
        if (!tree) {
            return paths;
        }
        git_tree_walk(
            tree, GIT_TREEWALK_PRE,
            [](const char *folder, const git_tree_entry *entry, void *payload) {
                if (isBlobMode(git_tree_entry_filemode(entry))) {
                    const QString path =
                        QString::fromUtf8(folder) + QString::fromUtf8(git_tree_entry_name(entry));
                    if (!Language::forPath(path).isEmpty()) {
                        static_cast<QSet<QString> *>(payload)->insert(path);
                    }
                }
                return 0;
            },
            &paths);
        return paths;
    }

    QString withoutHeadMessage() const
    {
        return QStringLiteral("%1: git repository has no commits yet").arg(root);
    }
};

RepositorySnapshot::RepositorySnapshot(std::unique_ptr<Private> data)
    : d(std::move(data))
{}

RepositorySnapshot::~RepositorySnapshot() = default;

Result<std::unique_ptr<RepositorySnapshot>> RepositorySnapshot::open(const AnalyzerConfig &analyzer,
                                                                     const RepoConfig &repo)
{
    using Failure = Result<std::unique_ptr<RepositorySnapshot>>;
    const QFileInfo info(repo.path);
    if (repo.path.isEmpty() || !info.exists()) {
        return Failure::failure(
            QStringLiteral("%1: repository folder does not exist (repository \"%2\")")
                .arg(repo.path, repo.name));
    }
    if (!info.isDir()) {
        return Failure::failure(
            QStringLiteral("%1: repository path is not a folder (repository \"%2\")")
                .arg(repo.path, repo.name));
    }
    auto d = std::make_unique<Private>(analyzer, repo);
    d->root = QDir::cleanPath(info.absoluteFilePath());

    git::ensureInitialized();
    git_repository *repository = nullptr;
    // Only the folder itself counts: a plain folder that happens to sit inside some other
    // repository (a home directory under git, say) is read from disk.
    const int opened = git_repository_open_ext(&repository, QFile::encodeName(d->root).constData(),
                                               GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (opened == GIT_ENOTFOUND) {
        return std::unique_ptr<RepositorySnapshot>(new RepositorySnapshot(std::move(d)));
    }
    if (opened != 0) {
        return Failure::failure(QStringLiteral("%1: cannot open the git repository: %2")
                                    .arg(d->root, git::lastError()));
    }
    d->repository.reset(repository);
    d->bare = git_repository_is_bare(repository) == 1;
    git_odb *odb = nullptr;
    if (git_repository_odb(&odb, repository) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot open the object database: %2")
                                    .arg(d->root, git::lastError()));
    }
    d->odb.reset(odb);

    const int unborn = git_repository_head_unborn(repository);
    if (unborn != 1) {
        git_oid headOid;
        if (unborn < 0 || git_reference_name_to_id(&headOid, repository, "HEAD") != 0) {
            return Failure::failure(QStringLiteral("%1: cannot read HEAD of the git repository: %2")
                                        .arg(d->root, git::lastError()));
        }
        git_commit *commit = nullptr;
        if (git_commit_lookup(&commit, repository, &headOid) != 0) {
            // A HEAD that is not a commit (e.g. a symbolic ref to a tag object) is not readable.
            return Failure::failure(QStringLiteral("%1: HEAD does not name a commit: %2")
                                        .arg(d->root, git::lastError()));
        }
        const git::Ptr<git_commit> ownedCommit(commit);
        git_tree *tree = nullptr;
        if (git_commit_tree(&tree, commit) != 0) {
            return Failure::failure(QStringLiteral("%1: cannot read the tree of HEAD: %2")
                                        .arg(d->root, git::lastError()));
        }
        d->headTree.reset(tree);
        d->headId = git::oidHex(&headOid);
    }
    // The constructor is private, which std::make_unique cannot reach.
    return std::unique_ptr<RepositorySnapshot>(new RepositorySnapshot(std::move(d)));
}

bool RepositorySnapshot::isGit() const
{
    return d->repository != nullptr;
}

QString RepositorySnapshot::headId() const
{
    return d->headId;
}

QString RepositorySnapshot::rulesKey() const
{
    // Lists are joined with a separator that cannot occur in YAML strings read as globs.
    const QChar unit(0x1f);
    const QString text = QLatin1String(rulesVersion) + unit + d->includePatterns.join(unit) +
                         QChar(0x1e) + d->excludePatterns.join(unit) + QChar(0x1e) +
                         (d->analyzer.includeVendored ? QLatin1Char('1') : QLatin1Char('0')) +
                         QChar(0x1e) + d->analyzer.headerLanguage + QChar(0x1e) +
                         QString::number(RepositoryScanner::maxFileSize);
    return sha256Hex(text.toUtf8()).left(16);
}

Result<QList<FileEntry>> RepositorySnapshot::list(ScanStats *stats, const EntrySink &admitted) const
{
    QList<FileEntry> files;
    d->sink = &admitted;
    d->stopped = false;
    const auto forget = qScopeGuard([this] { d->sink = nullptr; });
    if (d->repository) {
        if (!d->headTree) {
            warn(stats, d->withoutHeadMessage());
            return files;
        }
        if (Status status = d->walkTree(d->headTree.get(), QString(), files, stats); !status) {
            return Result<QList<FileEntry>>::failure(status.error());
        }
    } else {
        // A plain folder is read as it is now: .gitignore files edited since the last list()
        // apply.
        d->resetIgnore();
        d->walkDisk(QString(), files, stats);
    }
    std::sort(files.begin(), files.end(),
              [](const FileEntry &a, const FileEntry &b) { return a.path < b.path; });
    return files;
}

Result<FileChanges> RepositorySnapshot::changesSince(const QString &oldHeadId,
                                                     ScanStats *stats) const
{
    using Failure = Result<FileChanges>;
    if (!d->repository) {
        return Failure::failure(
            QStringLiteral("%1: not a git repository; changes are only known between commits "
                           "(list the files instead)")
                .arg(d->root));
    }
    git_oid oldOid;
    const QByteArray oldHex = oldHeadId.toLatin1();
    git_commit *oldCommit = nullptr;
    if (oldHex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oldOid, oldHex.constData()) != 0 ||
        git_commit_lookup(&oldCommit, d->repository.get(), &oldOid) != 0) {
        return Failure::failure(
            QStringLiteral("%1: '%2' is not a commit of the repository; expected the id of an "
                           "earlier HEAD commit (list the files instead)")
                .arg(d->root, oldHeadId));
    }
    const git::Ptr<git_commit> ownedOld(oldCommit);
    git_tree *oldTree = nullptr;
    if (git_commit_tree(&oldTree, oldCommit) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot read the tree of commit %2: %3")
                                    .arg(d->root, oldHeadId, git::lastError()));
    }
    const git::Ptr<git_tree> ownedOldTree(oldTree);

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    // Only which paths changed matters: no blob is loaded to tell text from binary.
    options.flags = GIT_DIFF_SKIP_BINARY_CHECK;
    git_diff *rawDiff = nullptr;
    if (git_diff_tree_to_tree(&rawDiff, d->repository.get(), oldTree, d->headTree.get(),
                              &options) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot compare commit %2 with HEAD: %3")
                                    .arg(d->root, oldHeadId, git::lastError()));
    }
    const git::Ptr<git_diff> diff(rawDiff);
    const size_t deltaCount = git_diff_num_deltas(diff.get());

    FileChanges changes;
    const auto isIgnoreFile = [](const char *path) {
        return path && lastSegment(QString::fromUtf8(path)) == QLatin1String(".gitignore");
    };
    for (size_t i = 0; i < deltaCount; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        if (isIgnoreFile(delta->old_file.path) || isIgnoreFile(delta->new_file.path)) {
            // Unchanged files may have been ignored or taken back: compare the whole lists.
            auto listed = list(stats);
            if (!listed) {
                return Failure::failure(listed.error());
            }
            QSet<QString> admitted;
            for (const FileEntry &entry : listed.value()) {
                admitted.insert(entry.path);
            }
            const QSet<QString> before = d->treeSourcePaths(oldTree);
            for (const QString &path : before) {
                if (!admitted.contains(path)) {
                    changes.deleted << path;
                }
            }
            changes.deleted.sort();
            changes.changed = std::move(listed.value());
            return changes;
        }
    }

    for (size_t i = 0; i < deltaCount; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff.get(), i);
        const QString oldPath = QString::fromUtf8(delta->old_file.path);
        const bool hadSource = delta->status != GIT_DELTA_ADDED &&
                               isBlobMode(git_filemode_t(delta->old_file.mode)) &&
                               !Language::forPath(oldPath).isEmpty();
        bool admitted = false;
        if (delta->status != GIT_DELTA_DELETED) {
            const QString path = QString::fromUtf8(delta->new_file.path);
            const auto mode = git_filemode_t(delta->new_file.mode);
            const QString language = Language::forPath(path);
            if (mode == GIT_FILEMODE_LINK || mode == GIT_FILEMODE_COMMIT) {
                const auto reason = d->pathSkip(path);
                count(stats, reason                      ? *reason
                             : mode == GIT_FILEMODE_LINK ? SkipReason::Symlink
                                                         : SkipReason::Submodule);
            } else if (isBlobMode(mode) && !language.isEmpty()) {
                if (auto reason = d->pathSkip(path)) {
                    count(stats, *reason);
                } else {
                    auto entry = d->admitBlob(&delta->new_file.id, path, language, stats);
                    if (!entry) {
                        return Failure::failure(entry.error());
                    }
                    if (entry.value()) {
                        changes.changed << *entry.value();
                        admitted = path == oldPath;
                    }
                }
            }
        }
        if (hadSource && !admitted) {
            changes.deleted << oldPath;
        }
    }
    std::sort(changes.changed.begin(), changes.changed.end(),
              [](const FileEntry &a, const FileEntry &b) { return a.path < b.path; });
    changes.deleted.sort();
    changes.deleted.removeDuplicates();
    return changes;
}

Result<std::optional<SourceFile>> RepositorySnapshot::read(const FileEntry &entry,
                                                           ScanStats *stats) const
{
    using Read = std::optional<SourceFile>;
    QByteArray content;
    QString contentId;
    if (d->repository) {
        git_oid id;
        const QByteArray hex = entry.blobId.toLatin1();
        if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&id, hex.constData()) != 0) {
            return Result<Read>::failure(QStringLiteral("%1: %2: expected a blob id, got '%3'")
                                             .arg(d->root, entry.path, entry.blobId));
        }
        // Through the object database, which locks itself: read() may run on several threads.
        git_odb_object *object = nullptr;
        if (git_odb_read(&object, d->odb.get(), &id) != 0) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: cannot read %2 at HEAD: %3")
                            .arg(d->root, entry.path, git::lastError()));
            return Read();
        }
        const git::Ptr<git_odb_object> owned(object);
        if (git_odb_object_type(object) != GIT_OBJECT_BLOB) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: %2 at HEAD is not a file").arg(d->root, entry.path));
            return Read();
        }
        const auto size = qint64(git_odb_object_size(object));
        if (auto reason = sizeSkip(size)) {
            count(stats, *reason);
            return Read();
        }
        content = QByteArray(static_cast<const char *>(git_odb_object_data(object)), size);
        contentId = entry.blobId;
    } else {
        const QString absolute = d->root + QLatin1Char('/') + entry.path;
        const QFileInfo info(absolute);
        if (info.isSymLink()) {
            count(stats, SkipReason::Symlink);
            return Read();
        }
        if (!info.isFile()) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: no longer a regular file").arg(absolute));
            return Read();
        }
        QFile file(absolute);
        if (!file.open(QIODevice::ReadOnly)) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: cannot read it: %2").arg(absolute, file.errorString()));
            return Read();
        }
        content = file.read(RepositoryScanner::maxFileSize + 1);
        if (file.error() != QFileDevice::NoError) {
            count(stats, SkipReason::Unreadable);
            warn(stats, QStringLiteral("%1: cannot read it: %2").arg(absolute, file.errorString()));
            return Read();
        }
        if (auto reason = sizeSkip(content.size())) {
            count(stats, *reason);
            return Read();
        }
        const QString hash = sha256Hex(content);
        contentId = QStringLiteral("%1-%2-%3")
                        .arg(content.size())
                        .arg(info.lastModified().toSecsSinceEpoch())
                        .arg(hash.left(16));
    }
    if (RepositoryScanner::looksBinary(content)) {
        count(stats, SkipReason::Binary);
        return Read();
    }
    if (!isValidUtf8(content)) {
        count(stats, SkipReason::NotUtf8);
        return Read();
    }
    QString language = Language::forContent(entry.path, content, d->analyzer.headerLanguage);
    if (language.isEmpty()) {
        language = entry.language;
    }
    if (stats) {
        ++stats->filesPerLanguage[language];
    }
    return Read(SourceFile{entry.path, language, contentId, content});
}

RepositoryScanner::RepositoryScanner(const AnalyzerConfig &analyzer)
    : m_analyzer(analyzer)
{}

bool RepositoryScanner::looksBinary(const QByteArray &content)
{
    const QByteArray probe = content.left(binaryProbeSize);
    if (probe.isEmpty()) {
        return false;
    }
    qsizetype printable = 0;
    for (const char c : probe) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0) {
            return true;
        }
        // Bytes of UTF-8 sequences count as printable so that non-English text passes.
        if ((byte >= 0x20 && byte != 0x7f) || byte == '\t' || byte == '\n' || byte == '\r') {
            ++printable;
        }
    }
    return printable * 10 < probe.size() * 7;
}

Result<QList<SourceFile>> RepositoryScanner::scan(const RepoConfig &repo, ScanStats *stats) const
{
    using Failure = Result<QList<SourceFile>>;
    auto snapshot = RepositorySnapshot::open(m_analyzer, repo);
    if (!snapshot) {
        return Failure::failure(snapshot.error());
    }
    auto entries = snapshot.value()->list(stats);
    if (!entries) {
        return Failure::failure(entries.error());
    }
    QList<SourceFile> files;
    files.reserve(entries->size());
    for (const FileEntry &entry : entries.value()) {
        auto file = snapshot.value()->read(entry, stats);
        if (!file) {
            return Failure::failure(file.error());
        }
        if (file.value()) {
            files << std::move(*file.value());
        }
    }
    return files;
}

} // namespace codeworm
