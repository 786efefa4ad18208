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

#include <deque>
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

// What became of one file of a batch on the pool.
struct FileOutcome
{
    enum class Kind { Parsed, Skipped, Touched, Failed };
    Kind kind = Kind::Skipped;
    QString path;
    IndexedFileRecord record; // Parsed
    IndexedFileId stamp;      // Touched: the new stamp of unchanged content
    QString error;            // Failed: the repository itself could not be read
    ScanStats stats;          // what reading the file counted
};

void addStats(ScanStats &total, const ScanStats &part)
{
    for (auto it = part.filesPerLanguage.cbegin(); it != part.filesPerLanguage.cend(); ++it) {
        total.filesPerLanguage[it.key()] += it.value();
    }
    for (auto it = part.skipped.cbegin(); it != part.skipped.cend(); ++it) {
        total.skipped[it.key()] += it.value();
    }
    total.warnings << part.warnings;
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
        // A pipeline: the pool reads and parses the files of a batch while this thread
        // writes what earlier batches gave, so neither the cores nor the disk wait for each
        // other. Collected batches are written together (storeAtOnce files a transaction):
        // every commit rewrites the pages of the symbol index's B-trees that its rows
        // touched, which for a batch of 64 files is most of them.
        const QHash<QString, IndexedFileId> &known = existing.value();
        const RepositorySnapshot &source = snapshot;
        const auto readAndParse = [&source, &known](const FileEntry &entry) {
            FileOutcome outcome;
            outcome.path = entry.path;
            auto read = source.read(entry, &outcome.stats);
            if (!read) {
                outcome.kind = FileOutcome::Kind::Failed;
                outcome.error = read.error();
                return outcome;
            }
            if (!read.value()) {
                outcome.kind = FileOutcome::Kind::Skipped;
                return outcome;
            }
            const SourceFile &file = *read.value();
            const auto stored = known.constFind(entry.path);
            if (!source.isGit() && stored != known.cend() &&
                contentHashPart(stored->contentId) == contentHashPart(file.contentId)) {
                // Touched, not changed: keep the symbols, remember the new stamp.
                outcome.kind = FileOutcome::Kind::Touched;
                outcome.stamp = {file.contentId, entry.size, entry.mtimeMs};
                return outcome;
            }
            outcome.kind = FileOutcome::Kind::Parsed;
            outcome.record = parse(file, entry);
            return outcome;
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
        // Waits for a batch and adds what became of its files to what is collected; writes
        // that once it is storeAtOnce files or when told to.
        const auto collect = [&](QFuture<FileOutcome> &batch, bool flush) -> Status {
            for (FileOutcome &outcome : batch.results()) {
                addStats(report.scan, outcome.stats);
                switch (outcome.kind) {
                case FileOutcome::Kind::Failed:
                    return Status::failure(outcome.error);
                case FileOutcome::Kind::Skipped:
                    collected.skipped << outcome.path;
                    break;
                case FileOutcome::Kind::Touched:
                    collected.touched.append({outcome.path, outcome.stamp});
                    ++report.filesReused;
                    break;
                case FileOutcome::Kind::Parsed:
                    collected.records.append(std::move(outcome.record));
                    break;
                }
            }
            if (collected.files() == 0 || (!flush && collected.files() < storeAtOnce)) {
                return {};
            }
            return store();
        };
        // A pool of its own: the refresh itself usually runs on a thread of the global pool,
        // which would leave parsing one core short.
        QThreadPool parsers;
        parsers.setMaxThreadCount(QThread::idealThreadCount());
        // Batches handed to the pool and not yet collected, oldest first. Several are kept
        // ahead, so that the pool still has work while this thread writes a group of them.
        std::deque<QFuture<FileOutcome>> inFlight;
        const auto waitForAll = [&inFlight] {
            for (QFuture<FileOutcome> &batch : inFlight) {
                batch.waitForFinished();
            }
        };
        const auto collectOldest = [&](bool flush) -> Status {
            QFuture<FileOutcome> oldest = std::move(inFlight.front());
            inFlight.pop_front();
            const Status written = collect(oldest, flush);
            if (!written) {
                waitForAll();
            }
            return written;
        };
        // Hands a batch to the pool; collects the oldest batches beyond batchesAhead.
        const auto submit = [&](QList<FileEntry> entries) -> Status {
            inFlight.push_back(QtConcurrent::mapped(&parsers, std::move(entries), readAndParse));
            while (inFlight.size() > batchesAhead) {
                if (Status written = collectOldest(false); !written) {
                    return written;
                }
            }
            return {};
        };
        if (!listed) {
            report.fullScan = true;
            // The first index of a git repository: every file is new, so the pool starts on
            // the files as the walk finds them (in the sorted order) instead of after it.
            const bool streaming = snapshot.isGit() && known.isEmpty();
            QList<FileEntry> found;
            Status streamed;
            const auto take = [&](const FileEntry &entry) {
                if (isCancelled(cancelled)) {
                    *wasCancelled = true;
                    return false;
                }
                found.append(entry);
                if (found.size() == batchSize) {
                    streamed = submit(std::exchange(found, {}));
                }
                return streamed.ok();
            };
            auto entries =
                snapshot.list(&report.scan, streaming ? RepositorySnapshot::EntrySink(take)
                                                      : RepositorySnapshot::EntrySink());
            if (!streamed) {
                return fail(streamed.error());
            }
            if (!entries) {
                waitForAll();
                return fail(entries.error());
            }
            if (streaming) {
                if (!found.isEmpty() && !*wasCancelled) {
                    if (Status written = submit(std::move(found)); !written) {
                        return fail(written.error());
                    }
                }
            } else {
                QSet<QString> present;
                for (const FileEntry &entry : entries.value()) {
                    present.insert(entry.path);
                    const auto stored = known.constFind(entry.path);
                    const bool same = stored != known.cend() &&
                                      (snapshot.isGit() ? stored->contentId == entry.blobId
                                                        : stored->size == entry.size &&
                                                              stored->mtimeMs == entry.mtimeMs);
                    if (same) {
                        ++report.filesReused;
                    } else {
                        candidates.append(entry);
                    }
                }
                for (auto it = known.cbegin(); it != known.cend(); ++it) {
                    if (!present.contains(it.key())) {
                        removed << it.key();
                    }
                }
            }
        }
        for (qsizetype start = 0; start < candidates.size() && !*wasCancelled; start += batchSize) {
            if (isCancelled(cancelled)) {
                *wasCancelled = true;
                break;
            }
            if (Status written = submit(candidates.mid(start, batchSize)); !written) {
                return fail(written.error());
            }
        }
        // What is collected is written while the pool works on the last batches, and each of
        // those as it is done, so that the write left once parsing ends is one batch.
        if (collected.files() > 0) {
            if (Status written = store(); !written) {
                waitForAll();
                return fail(written.error());
            }
        }
        while (!inFlight.empty()) {
            if (Status written = collectOldest(true); !written) {
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
