#pragma once

#include "analysis/RepositoryScanner.h"
#include "common/Result.h"
#include "config/Config.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <atomic>

namespace codeworm {

class SymbolIndex;

// What one refresh did to one repository.
struct RepoIndexReport
{
    QString name;
    bool fullScan = false;    // listed every file (first index, rules changed, HEAD unknown)
    bool unchanged = false;   // same HEAD and rules: nothing was listed or read
    int filesParsed = 0;      // read and parsed anew
    int filesReused = 0;      // unchanged since the last refresh
    int filesRemoved = 0;     // gone, or no longer admitted by the rules
    int symbols = 0;          // symbols of the files parsed
    bool historyRead = false; // git history stats were (re)read
    ScanStats scan;           // files per language and skips of this refresh
    QString error;            // the repository could not be indexed
    qint64 elapsedMs = 0;
};

struct IndexReport
{
    QList<RepoIndexReport> repos;
    bool cancelled = false;
    qint64 elapsedMs = 0;
};

// Brings the SymbolIndex up to date with the configured repositories. A git repository whose HEAD
// and rules are unchanged costs one lookup; a new HEAD is diffed against the last indexed one and
// only changed blobs are parsed; a plain folder is re-stat'ed and only files whose size or mtime
// moved are read (and parsed when their hash changed). Reading and parsing run on a pool of every
// core, in batches handed out a few ahead, so memory stays bounded; SQLite writes stay on the
// calling thread, which during the first index of a git repository hands files out as its walk
// finds them. Git history stats are re-read when HEAD moved or they are a day old, then scores
// are refreshed. Repositories no longer configured leave the index. Blocking: call from a worker
// thread. Cancelling (the flag) stops between batches; what was written stays consistent and the
// next refresh completes it.
class Indexer
{
public:
    Indexer(SymbolIndex &index, AnalyzerConfig analyzer);

    IndexReport refresh(const QList<RepoConfig> &repositories,
                        const std::atomic<bool> *cancelled = nullptr,
                        const QDateTime &now = QDateTime::currentDateTimeUtc());

    static constexpr int batchSize = 64;
    // Files written in one transaction (batches are collected until then).
    static constexpr int storeAtOnce = 512;
    // Batches handed to the pool ahead of the one being collected.
    static constexpr size_t batchesAhead = 16;
    // SQLite's page cache while a refresh writes.
    static constexpr int bulkPageCacheKiB = 16 * 1024;
    static constexpr int statisticsThreshold = 200; // files parsed or removed

private:
    RepoIndexReport refreshRepo(const RepoConfig &repo, const std::atomic<bool> *cancelled,
                                const QDateTime &now, bool *wasCancelled);

    SymbolIndex &m_index;
    AnalyzerConfig m_analyzer;
};

} // namespace codeworm
