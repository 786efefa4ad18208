#pragma once

#include "analysis/SourceFile.h"
#include "common/Result.h"
#include "config/Config.h"

#include <QList>

namespace codeworm {

// Lists and reads the files of one configured repository. A git repository is read at its
// HEAD commit through libgit2 (uncommitted edits are never seen); any other folder is read
// from disk. Honours .gitignore (from the same source), the analyzer's include/exclude
// globs, and skips hidden paths, files over 1 MiB, empty files and binary files (a NUL
// byte, or under 70% printable characters in the first 8 KiB). Only files of a supported
// language are returned. Blocking: call from a worker thread.
class RepositoryScanner
{
public:
    explicit RepositoryScanner(const AnalyzerConfig &analyzer);

    Result<QList<SourceFile>> scan(const RepoConfig &repo) const;

    static constexpr qint64 maxFileSize = qint64(1024) * 1024;
    static bool looksBinary(const QByteArray &content);

private:
    AnalyzerConfig m_analyzer;
};

} // namespace codeworm
