#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace codeworm {

struct CommitIdentity
{
    QString name;
    QString email;
    QString source; // "config", "git config" or "fallback"
};

// The DevLog git repository, through libgit2 only. Blocking: use from a worker thread; each
// instance opens its own handles, so one instance per thread.
class DevLogRepository
{
public:
    explicit DevLogRepository(DevLogConfig config, QString path);
    ~DevLogRepository();
    DevLogRepository(const DevLogRepository &) = delete;
    DevLogRepository &operator=(const DevLogRepository &) = delete;

    // Opens the repository, or creates it (folder, git init on the configured branch, the
    // original's folder layout with .gitkeep files, a first commit).
    Status openOrInit();
    QString path() const { return m_path; }

    // Atomically writes a file (temp file + rename) below the repository root.
    Status writeFile(const QString &relativePath, const QByteArray &content);
    // Stages exactly these paths and commits them on the configured branch; returns the new
    // commit id (hex). Other changes in the working tree or index are left alone.
    Result<QString> commitFiles(const QStringList &relativePaths, const QString &message);

    // Identity: devlog.author_name/email, else the user's git config, else
    // "CodeWorm <codeworm@localhost>".
    CommitIdentity identity() const;

    static QStringList layoutFolders();

private:
    struct Handles;
    QString branch() const;
    Status initializeLayout();
    Status removeStaleIndexLock();
    Status attachHeadToBranch();

    DevLogConfig m_config;
    QString m_path;
    std::unique_ptr<Handles> m_handles; // libgit2 handles behind RAII wrappers
};

} // namespace codeworm
