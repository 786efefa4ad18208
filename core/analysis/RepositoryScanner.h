#pragma once

#include "analysis/SourceFile.h"
#include "common/Result.h"
#include "config/Config.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QStringList>

#include <functional>
#include <memory>

namespace codeworm {

// Why a file (or a whole folder, counted once) was left out.
enum class SkipReason {
    Ignored,   // .gitignore / info/exclude / core.excludesFile
    Excluded,  // an exclude glob, or no include glob matched
    Hidden,    // a path segment starts with '.'
    Vendored,  // vendor/, third_party/, node_modules/ (unless include globs name them)
    Submodule, // a git submodule (gitlink)
    Symlink,   // links are never followed (loops, paths out of the tree)
    TooLarge,  // over maxFileSize
    Empty,
    Binary,     // a NUL byte, or under 70% printable in the first 8 KiB
    NotUtf8,    // not valid UTF-8
    Unreadable, // an I/O error, reported in ScanStats::warnings
};
QString skipReasonName(SkipReason reason); // "ignored", "too_large", ... (stable: CLI/JSON)

struct ScanStats
{
    QMap<QString, int> filesPerLanguage; // files read, by final language
    QMap<SkipReason, int> skipped;
    QStringList warnings; // unreadable files, unborn HEAD, ...
};

// A file the rules admit, known by path and identity before its content is read.
struct FileEntry
{
    QString path;     // relative to the repository root, '/' separated
    QString language; // by extension ("cpp" for .h until the content decides)
    QString blobId;   // git: the blob id at HEAD; plain folder: empty
    qint64 size = 0;
    qint64 mtimeMs = 0; // plain folder: modification time, ms since the epoch; git: 0

    friend bool operator==(const FileEntry &, const FileEntry &) = default;
};

// Paths that changed between two HEAD commits, after the rules.
struct FileChanges
{
    QList<FileEntry> changed; // added or modified (renames appear as delete + add)
    QStringList deleted;      // paths gone, or now excluded by type change
};

// One repository opened for reading: a git repository at its HEAD commit through libgit2
// (uncommitted edits are never seen), any other folder from disk. The rules: nested
// .gitignore files (libgit2's ignore rules for git repositories, the same semantics for
// plain folders), the global analyzer include/exclude globs plus the repository's own,
// hidden paths, vendored folders and submodules, symlinks (never followed, so no loops),
// files over 1 MiB, empty, binary and non-UTF-8 files. Every skip is counted by reason.
// Blocking: use from one worker thread at a time, except read(), which several threads may
// call at once (each with stats of its own).
class RepositorySnapshot
{
public:
    ~RepositorySnapshot();
    RepositorySnapshot(const RepositorySnapshot &) = delete;
    RepositorySnapshot &operator=(const RepositorySnapshot &) = delete;

    // Fails when the folder does not exist or a git repository cannot be opened. An unborn
    // HEAD opens fine and lists nothing (with a warning in list()'s stats).
    static Result<std::unique_ptr<RepositorySnapshot>> open(const AnalyzerConfig &analyzer,
                                                            const RepoConfig &repo);

    bool isGit() const;
    QString headId() const; // empty for plain folders and unborn HEADs
    // Identifies the rules in effect (globs, header language); when it differs from the one
    // an index was built with, a full list() is needed instead of changesSince().
    QString rulesKey() const;

    // Every admitted file, sorted by path. Reads no file contents (git: tree walk and
    // object headers; disk: stat). `admitted`, when set, is handed each entry as the walk
    // admits it (in a git repository that is the sorted order too; in a folder, the order of
    // its listing); when it returns false the walk stops and the files so far are returned.
    using EntrySink = std::function<bool(const FileEntry &)>;
    Result<QList<FileEntry>> list(ScanStats *stats = nullptr, const EntrySink &admitted = {}) const;
    // git only: the changes from oldHeadId's tree to HEAD's tree (libgit2 tree diff).
    // Fails when oldHeadId is unknown to the repository (then use list()).
    Result<FileChanges> changesSince(const QString &oldHeadId, ScanStats *stats = nullptr) const;

    // Reads one entry: content, final language (.h decided by content), content id (the
    // blob id, or "size-mtime-sha256prefix" on disk). No value and no error: skipped, the
    // reason counted in stats. An error: the repository itself cannot be read.
    Result<std::optional<SourceFile>> read(const FileEntry &entry,
                                           ScanStats *stats = nullptr) const;

private:
    struct Private;
    explicit RepositorySnapshot(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

// Convenience over RepositorySnapshot: lists and reads every file of a repository.
class RepositoryScanner
{
public:
    explicit RepositoryScanner(const AnalyzerConfig &analyzer);

    Result<QList<SourceFile>> scan(const RepoConfig &repo, ScanStats *stats = nullptr) const;

    static constexpr qint64 maxFileSize = qint64(1024) * 1024;
    static bool looksBinary(const QByteArray &content);

private:
    AnalyzerConfig m_analyzer;
};

} // namespace codeworm
