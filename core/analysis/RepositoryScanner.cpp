#include "analysis/RepositoryScanner.h"

#include "analysis/Language.h"
#include "analysis/PathFilter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include "common/GitHandles.h"

#include <algorithm>
#include <memory>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcScanner, "codeworm.analysis")

constexpr qsizetype binaryProbeSize = 8192; // 8 KiB, as in the original

QString joinPath(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
}

// The rules shared by both sources: which folders to enter, which files to read, and which
// contents to keep.
class Selection
{
public:
    explicit Selection(const AnalyzerConfig &analyzer)
        : m_filter(analyzer.includePatterns, analyzer.excludePatterns)
    {}

    void addGitIgnore(const QString &folder, const QByteArray &content)
    {
        m_ignore.addFile(folder, QString::fromUtf8(content));
    }

    bool entersFolder(const QString &path) const
    {
        return !m_filter.skipsDirectory(path) && !m_ignore.isIgnored(path, true);
    }

    // The language of a file worth reading; empty when its path already rules it out.
    QString languageOf(const QString &path) const
    {
        if (!m_filter.accepts(path) || m_ignore.isIgnored(path, false)) {
            return {};
        }
        return Language::forPath(path);
    }

    void add(const QString &path, const QString &language, const QString &contentId,
             const QByteArray &content)
    {
        if (content.isEmpty() || content.size() > RepositoryScanner::maxFileSize ||
            RepositoryScanner::looksBinary(content)) {
            return;
        }
        m_files.append(SourceFile{path, language, contentId, content});
    }

    QList<SourceFile> takeSorted()
    {
        std::sort(m_files.begin(), m_files.end(),
                  [](const SourceFile &a, const SourceFile &b) { return a.path < b.path; });
        return std::move(m_files);
    }

private:
    PathFilter m_filter;
    GitIgnore m_ignore;
    QList<SourceFile> m_files;
};

class GitTreeWalker
{
public:
    GitTreeWalker(git_repository *repository, git_odb *odb, Selection &selection,
                  const QString &repoPath)
        : m_repository(repository)
        , m_odb(odb)
        , m_selection(selection)
        , m_repoPath(repoPath)
    {}

    Status walk(const git_tree *tree, const QString &folder)
    {
        if (const git_tree_entry *ignoreEntry = git_tree_entry_byname(tree, ".gitignore");
            ignoreEntry && git_tree_entry_filemode(ignoreEntry) == GIT_FILEMODE_BLOB) {
            auto content = readBlob(git_tree_entry_id(ignoreEntry),
                                    joinPath(folder, QStringLiteral(".gitignore")));
            if (!content) {
                return Status::failure(content.error());
            }
            m_selection.addGitIgnore(folder, content.value());
        }
        const size_t count = git_tree_entrycount(tree);
        for (size_t i = 0; i < count; ++i) {
            const git_tree_entry *entry = git_tree_entry_byindex(tree, i);
            const QString path = joinPath(folder, QString::fromUtf8(git_tree_entry_name(entry)));
            const git_filemode_t mode = git_tree_entry_filemode(entry);
            if (mode == GIT_FILEMODE_TREE) {
                if (!m_selection.entersFolder(path)) {
                    continue;
                }
                git_tree *subtree = nullptr;
                if (git_tree_lookup(&subtree, m_repository, git_tree_entry_id(entry)) != 0) {
                    return Status::failure(QStringLiteral("%1: cannot read folder %2 at HEAD: %3")
                                               .arg(m_repoPath, path, git::lastError()));
                }
                const git::Ptr<git_tree> owned(subtree);
                if (Status status = walk(subtree, path); !status) {
                    return status;
                }
            } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
                // Symbolic links (their blob is the target path) and submodules are skipped.
                const QString language = m_selection.languageOf(path);
                if (language.isEmpty()) {
                    continue;
                }
                Status status = addFile(entry, path, language);
                if (!status) {
                    return status;
                }
            }
        }
        return {};
    }

private:
    Status addFile(const git_tree_entry *entry, const QString &path, const QString &language)
    {
        const git_oid *id = git_tree_entry_id(entry);
        // The header gives the size without inflating a large blob.
        size_t size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        if (git_odb_read_header(&size, &type, m_odb, id) != 0) {
            return Status::failure(QStringLiteral("%1: cannot read %2 at HEAD: %3")
                                       .arg(m_repoPath, path, git::lastError()));
        }
        if (size == 0 || size > static_cast<size_t>(RepositoryScanner::maxFileSize)) {
            return {};
        }
        auto content = readBlob(id, path);
        if (!content) {
            return Status::failure(content.error());
        }
        m_selection.add(path, language, git::oidHex(id), content.value());
        return {};
    }

    Result<QByteArray> readBlob(const git_oid *id, const QString &path) const
    {
        git_blob *blob = nullptr;
        if (git_blob_lookup(&blob, m_repository, id) != 0) {
            return Result<QByteArray>::failure(QStringLiteral("%1: cannot read %2 at HEAD: %3")
                                                   .arg(m_repoPath, path, git::lastError()));
        }
        const git::Ptr<git_blob> owned(blob);
        return QByteArray(static_cast<const char *>(git_blob_rawcontent(blob)),
                          static_cast<qsizetype>(git_blob_rawsize(blob)));
    }

    git_repository *m_repository;
    git_odb *m_odb;
    Selection &m_selection;
    QString m_repoPath;
};

Result<QList<SourceFile>> scanHead(git_repository *repository, Selection &selection,
                                   const QString &repoPath)
{
    using Failure = Result<QList<SourceFile>>;
    const int unborn = git_repository_head_unborn(repository);
    if (unborn == 1) {
        return Failure::failure(
            QStringLiteral("%1: git repository has no commits yet").arg(repoPath));
    }
    git_reference *head = nullptr;
    if (unborn < 0 || git_repository_head(&head, repository) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot read HEAD of the git repository: %2")
                                    .arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_reference> ownedHead(head);
    git_commit *commit = nullptr;
    if (git_commit_lookup(&commit, repository, git_reference_target(head)) != 0) {
        // A HEAD that is not a commit (e.g. a symbolic ref to a tag object) is not readable.
        return Failure::failure(
            QStringLiteral("%1: HEAD does not name a commit: %2").arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_commit> ownedCommit(commit);
    git_tree *tree = nullptr;
    if (git_commit_tree(&tree, commit) != 0) {
        return Failure::failure(
            QStringLiteral("%1: cannot read the tree of HEAD: %2").arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_tree> ownedTree(tree);
    git_odb *odb = nullptr;
    if (git_repository_odb(&odb, repository) != 0) {
        return Failure::failure(QStringLiteral("%1: cannot open the object database: %2")
                                    .arg(repoPath, git::lastError()));
    }
    const git::Ptr<git_odb> ownedOdb(odb);
    GitTreeWalker walker(repository, odb, selection, repoPath);
    if (Status status = walker.walk(tree, QString()); !status) {
        return Failure::failure(status.error());
    }
    return selection.takeSorted();
}

QString diskContentId(const QFileInfo &info, const QByteArray &content)
{
    const QByteArray hash = QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
    return QStringLiteral("%1-%2-%3")
        .arg(content.size())
        .arg(info.lastModified().toSecsSinceEpoch())
        .arg(QString::fromLatin1(hash.left(16)));
}

void walkDisk(const QString &root, const QString &folder, Selection &selection)
{
    const QString absolute = folder.isEmpty() ? root : root + QLatin1Char('/') + folder;
    QFile ignoreFile(absolute + QStringLiteral("/.gitignore"));
    const QFileInfo ignoreInfo(ignoreFile.fileName());
    if (ignoreInfo.isFile() && !ignoreInfo.isSymLink() && ignoreFile.open(QIODevice::ReadOnly)) {
        selection.addGitIgnore(folder, ignoreFile.readAll());
    }
    const QFileInfoList entries = QDir(absolute).entryInfoList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    for (const QFileInfo &entry : entries) {
        // Links are never followed: they may lead out of the tree or into a cycle, and a
        // git repository does not store their targets' content either.
        if (entry.isSymLink()) {
            continue;
        }
        const QString path = joinPath(folder, entry.fileName());
        if (entry.isDir()) {
            if (selection.entersFolder(path)) {
                walkDisk(root, path, selection);
            }
            continue;
        }
        if (!entry.isFile() || entry.size() == 0 || entry.size() > RepositoryScanner::maxFileSize) {
            continue;
        }
        const QString language = selection.languageOf(path);
        if (language.isEmpty()) {
            continue;
        }
        QFile file(entry.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcScanner).noquote()
                << QStringLiteral("%1: skipped, cannot read it: %2")
                       .arg(entry.absoluteFilePath(), file.errorString());
            continue;
        }
        const QByteArray content = file.read(RepositoryScanner::maxFileSize + 1);
        selection.add(path, language, diskContentId(entry, content), content);
    }
}

} // namespace

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

Result<QList<SourceFile>> RepositoryScanner::scan(const RepoConfig &repo) const
{
    using Failure = Result<QList<SourceFile>>;
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
    Selection selection(m_analyzer);

    git::ensureInitialized();
    git_repository *repository = nullptr;
    // Only the folder itself counts: a plain folder that happens to sit inside some other
    // repository (a home directory under git, say) is read from disk.
    const int opened =
        git_repository_open_ext(&repository, QFile::encodeName(repo.path).constData(),
                                GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (opened == 0) {
        const git::Ptr<git_repository> owned(repository);
        return scanHead(repository, selection, repo.path);
    }
    if (opened != GIT_ENOTFOUND) {
        return Failure::failure(QStringLiteral("%1: cannot open the git repository: %2")
                                    .arg(repo.path, git::lastError()));
    }
    walkDisk(QDir::cleanPath(info.absoluteFilePath()), QString(), selection);
    return selection.takeSorted();
}

} // namespace codeworm
