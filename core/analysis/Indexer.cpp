#include "analysis/Indexer.h"

#include "analysis/CodeExtractor.h"
#include "analysis/ContentHash.h"
#include "analysis/GitHistory.h"
#include "analysis/SymbolIndex.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcIndexer, "codeworm.analysis")

// History stats follow the clock (30/90-day windows, novelty): re-read daily even when HEAD
// stays; scores drift with novelty, so they are refreshed a few times a day.
constexpr qint64 historyMaxAgeSecs = 24 * 3600;
constexpr qint64 scoreMaxAgeSecs = 6 * 3600;

bool isCancelled(const std::atomic<bool> *cancelled)
{
    return cancelled && cancelled->load(std::memory_order_relaxed);
}

// The hash part of a plain folder's content id ("size-mtime-hash"): equal hashes and sizes
// mean a file was only touched.
QString contentHashPart(const QString &contentId)
{
    const qsizetype dash = contentId.lastIndexOf(QLatin1Char('-'));
    const qsizetype firstDash = contentId.indexOf(QLatin1Char('-'));
    return dash < 0 ? contentId : contentId.left(firstDash) + contentId.mid(dash);
}

bool isOlderThan(const QDateTime &when, const QDateTime &now, qint64 seconds)
{
    return !when.isValid() || when.secsTo(now) > seconds || when > now;
}

IndexedFileRecord parse(const SourceFile &file, const FileEntry &entry)
{
    IndexedFileRecord record;
    record.path = file.path;
    record.language = file.language;
    record.contentId = file.contentId;
    record.size = file.content.size();
    record.mtimeMs = entry.mtimeMs;
    record.codeHash = sha256Hex(file.content);
    record.analysis =
        CodeExtractor::analyze(file.language, file.content, CodeExtractor::Sources::Omit);
    // Hashed here, on the pool, from the bytes: the same as hashing the source text's UTF-8.
    record.symbolHashes.reserve(record.analysis.symbols.size());
    const QByteArrayView content(file.content);
    for (const CodeSymbol &symbol : std::as_const(record.analysis.symbols)) {
        record.symbolHashes << sha256Hex(
            content.sliced(symbol.startByte, symbol.endByte - symbol.startByte));
    }
    return record;
}

} // namespace

Indexer::Indexer(SymbolIndex &index, AnalyzerConfig analyzer)
    : m_index(index)
    , m_analyzer(std::move(analyzer))
{}

IndexReport Indexer::refresh(const QList<RepoConfig> &repositories,
                             const std::atomic<bool> *cancelled, const QDateTime &now)
{
    QElapsedTimer timer;
    timer.start();
    IndexReport report;
    // The pages of the index's B-trees that every transaction of a refresh touches stay in
    // memory, instead of being written out and read back between two of them; returned after.
    m_index.setPageCache(bulkPageCacheKiB);
    const auto restoreCache = qScopeGuard([this] { m_index.setPageCache(0); });
    QSet<QString> configured;
    for (const RepoConfig &repo : repositories) {
        configured.insert(repo.name);
    }
    // Repositories removed from the configuration leave the index (disabled ones stay, so
    // that enabling them again is cheap).
    for (const QString &name : m_index.repoNames()) {
        if (!configured.contains(name)) {
            if (Status removed = m_index.removeRepo(name); !removed) {
                qCWarning(lcIndexer).noquote() << removed.error();
            }
        }
    }
    for (const RepoConfig &repo : repositories) {
        if (!repo.enabled) {
            continue;
        }
        if (isCancelled(cancelled)) {
            report.cancelled = true;
            break;
        }
        bool wasCancelled = false;
        report.repos.append(refreshRepo(repo, cancelled, now, &wasCancelled));
        if (wasCancelled) {
            report.cancelled = true;
            break;
        }
    }
    // Statistics follow the first index and large changes; small ones do not move them.
    int changedFiles = 0;
    for (const RepoIndexReport &repo : std::as_const(report.repos)) {
        changedFiles += repo.filesParsed + repo.filesRemoved;
    }
    if (changedFiles >= statisticsThreshold) {
        if (Status updated = m_index.updateStatistics(); !updated) {
            qCWarning(lcIndexer).noquote() << updated.error();
        }
    }
    report.elapsedMs = timer.elapsed();
    return report;
}

RepoIndexReport Indexer::refreshRepo(const RepoConfig &repo, const std::atomic<bool> *cancelled,
                                     const QDateTime &now, bool *wasCancelled)
{
    QElapsedTimer timer;
    timer.start();
    RepoIndexReport report;
    report.name = repo.name;
    const auto fail = [&](const QString &error) {
        report.error = error;
        report.elapsedMs = timer.elapsed();
        return report;
    };
    auto opened = RepositorySnapshot::open(m_analyzer, repo);
    if (!opened) {
        return fail(opened.error());
    }
    const RepositorySnapshot &snapshot = *opened.value();
    const std::optional<IndexedRepo> stored = m_index.repo(repo.name);
    const QString head = snapshot.headId();
    const QString rules = snapshot.rulesKey();
    const bool sameSource = stored && stored->root == repo.path && stored->rulesKey == rules;

    IndexedRepo updated = stored.value_or(IndexedRepo{});
    updated.name = repo.name;
    updated.root = repo.path;
    updated.rulesKey = rules;

    QList<FileEntry> candidates;
    QStringList removed;
    bool changed = false;
    // The history is read while the files are parsed. Batches stored once it is in get their
    // final scores at once; when every file of a first index got them, the rescore after the
    // parse (an UPDATE of every row) is left out.
    const bool needHistory =
        snapshot.isGit() &&
        (updated.historyHeadId != head || isOlderThan(updated.historyAt, now, historyMaxAgeSecs));
    // A thread of its own that ends with this function: libgit2 keeps per-thread state that
    // it frees only when the thread ends, and a global pool's thread may outlive its shutdown.
    QThreadPool historyThread;
    historyThread.setMaxThreadCount(1);
    QFuture<Result<GitHistory>> historyRead;
    if (needHistory) {
        historyRead = QtConcurrent::run(
            &historyThread, [path = repo.path, now] { return GitHistory::read(path, now); });
    }
    std::optional<Result<GitHistory>> historyResult;
    const auto readHistory = [&historyRead, &historyResult]() -> const GitHistory * {
        if (!historyResult && historyRead.isValid() && historyRead.isFinished()) {
            historyResult.emplace(historyRead.result());
        }
        return historyResult && *historyResult ? &historyResult->value() : nullptr;
    };
    bool allScored = true; // every stored file got its history part (or there is no history)
    if (sameSource && snapshot.isGit() && stored->headId == head) {
        report.unchanged = true;
    } else {
        auto existing = m_index.fileIds(repo.name);
        if (!existing) {
            return fail(existing.error());
        }
        bool listed = false;
        if (sameSource && snapshot.isGit() && !stored->headId.isEmpty() && !head.isEmpty()) {
            auto changes = snapshot.changesSince(stored->headId, &report.scan);
            if (changes) {
                candidates = changes.value().changed;
                removed = changes.value().deleted;
                listed = true;
            } else {
                qCInfo(lcIndexer).noquote()
                    << QStringLiteral("%1: %2; listing every file").arg(repo.name, changes.error());
            }
        }
        if (!listed) {
            report.fullScan = true;
            auto entries = snapshot.list(&report.scan);
            if (!entries) {
                return fail(entries.error());
            }
            QSet<QString> present;
            for (const FileEntry &entry : entries.value()) {
                present.insert(entry.path);
                const auto known = existing.value().constFind(entry.path);
                const bool same = known != existing.value().cend() &&
                                  (snapshot.isGit() ? known->contentId == entry.blobId
                                                    : known->size == entry.size &&
                                                          known->mtimeMs == entry.mtimeMs);
                if (same) {
                    ++report.filesReused;
                } else {
                    candidates.append(entry);
                }
            }
            for (auto it = existing.value().cbegin(); it != existing.value().cend(); ++it) {
                if (!present.contains(it.key())) {
                    removed << it.key();
                }
            }
        }

        // A pipeline: while the pool parses one batch, this thread collects the one before
        // and reads the next, so neither the cores nor the disk wait for each other. Collected
        // batches are written together (storeAtOnce files a transaction): every commit
        // rewrites the pages of the symbol index's B-trees that its rows touched, which
        // for a batch of 64 files is most of them.
        struct Batch
        {
            QFuture<IndexedFileRecord> records;
            QStringList skipped;
            QList<QPair<QString, IndexedFileId>> touched;
        };
        struct Collected
        {
            QList<IndexedFileRecord> records;
            QStringList skipped;
            QList<QPair<QString, IndexedFileId>> touched;
            qsizetype files() const { return records.size() + skipped.size() + touched.size(); }
        };
        Collected collected;
        const auto store = [&]() -> Status {
            const Status written = m_index.write([&]() -> Status {
                const GitHistory *history = needHistory ? readHistory() : nullptr;
                allScored = allScored && (!needHistory || history);
                if (Status put = m_index.putFiles(repo.name, collected.records, history, now);
                    !put) {
                    return put;
                }
                for (const auto &[path, id] : std::as_const(collected.touched)) {
                    if (Status put = m_index.updateFileStamp(repo.name, path, id); !put) {
                        return put;
                    }
                }
                // A file that is now skipped (grew binary, over the size limit) leaves the
                // index.
                return m_index.removeFiles(repo.name, collected.skipped);
            });
            if (written) {
                for (const IndexedFileRecord &record : std::as_const(collected.records)) {
                    report.symbols += int(record.analysis.symbols.size());
                }
                report.filesParsed += int(collected.records.size());
                report.filesRemoved += int(collected.skipped.size());
                changed = changed || !collected.records.isEmpty() || !collected.skipped.isEmpty();
            }
            collected = Collected{};
            return written;
        };
        // Waits for batch's parse and adds it to what is collected; writes that once it is
        // storeAtOnce files or when told to.
        const auto collect = [&](Batch &batch, bool flush) -> Status {
            collected.records.append(batch.records.results());
            collected.skipped.append(std::move(batch.skipped));
            collected.touched.append(std::move(batch.touched));
            if (collected.files() == 0 || (!flush && collected.files() < storeAtOnce)) {
                return {};
            }
            return store();
        };
        // A pool of its own: the refresh itself usually runs on a thread of the global pool,
        // which would leave parsing one core short.
        QThreadPool parsers;
        parsers.setMaxThreadCount(QThread::idealThreadCount());
        std::optional<Batch> pending;
        for (qsizetype start = 0; start < candidates.size(); start += batchSize) {
            if (isCancelled(cancelled)) {
                *wasCancelled = true;
                break;
            }
            const qsizetype end = std::min(candidates.size(), start + batchSize);
            Batch next;
            QList<QPair<SourceFile, FileEntry>> sources;
            for (qsizetype i = start; i < end; ++i) {
                const FileEntry &entry = candidates.at(i);
                auto read = snapshot.read(entry, &report.scan);
                if (!read) {
                    if (pending) {
                        pending->records.waitForFinished();
                    }
                    return fail(read.error());
                }
                if (!read.value()) {
                    next.skipped << entry.path;
                    continue;
                }
                SourceFile &file = *read.value();
                const auto known = existing.value().constFind(entry.path);
                if (!snapshot.isGit() && known != existing.value().cend() &&
                    contentHashPart(known->contentId) == contentHashPart(file.contentId)) {
                    // Touched, not changed: keep the symbols, remember the new stamp.
                    next.touched.append({entry.path, {file.contentId, entry.size, entry.mtimeMs}});
                    ++report.filesReused;
                    continue;
                }
                sources.append({std::move(file), entry});
            }
            next.records = QtConcurrent::mapped(&parsers, std::move(sources),
                                                [](const QPair<SourceFile, FileEntry> &item) {
                                                    return parse(item.first, item.second);
                                                });
            if (pending) {
                // Everything before the last batch is written while the pool parses that
                // one: what is left to write once parsing ends is a batch, not a group.
                if (Status written = collect(*pending, end == candidates.size()); !written) {
                    next.records.waitForFinished();
                    return fail(written.error());
                }
            }
            pending = std::move(next);
        }
        if (pending) {
            if (Status written = collect(*pending, true); !written) {
                return fail(written.error());
            }
        }
        if (!*wasCancelled && !removed.isEmpty()) {
            if (Status done =
                    m_index.write([&] { return m_index.removeFiles(repo.name, removed); });
                !done) {
                return fail(done.error());
            }
            report.filesRemoved += int(removed.size());
            changed = true;
        }
    }
    if (*wasCancelled) {
        // HEAD is not recorded: the next refresh redoes the rest of this one.
        report.elapsedMs = timer.elapsed();
        return report;
    }

    bool historyChanged = false;
    if (needHistory) {
        historyRead.waitForFinished();
        readHistory();
        const Result<GitHistory> &history = *historyResult;
        if (!history) {
            qCWarning(lcIndexer).noquote() << history.error();
        } else {
            if (Status done =
                    m_index.write([&] { return m_index.putHistory(repo.name, history.value()); });
                !done) {
                return fail(done.error());
            }
            updated.historyHeadId = head;
            updated.historyAt = now;
            report.historyRead = true;
            historyChanged = true;
        }
    }
    updated.headId = head;
    updated.indexedAt = now;
    if (changed || historyChanged || isOlderThan(updated.scoredAt, now, scoreMaxAgeSecs)) {
        updated.scoredAt = now;
        // A first index whose every file was stored with the history read (or whose history
        // could not be read: the scores are static either way) is scored already.
        const bool scored = !stored && (allScored || !historyChanged);
        const Status done = m_index.write([&]() -> Status {
            if (!scored) {
                if (Status rescored = m_index.rescore(repo.name, now); !rescored) {
                    return rescored;
                }
            }
            return m_index.putRepo(updated);
        });
        if (!done) {
            return fail(done.error());
        }
    } else if (!report.unchanged || !stored) {
        if (Status done = m_index.putRepo(updated); !done) {
            return fail(done.error());
        }
    }
    report.elapsedMs = timer.elapsed();
    return report;
}

} // namespace codeworm
