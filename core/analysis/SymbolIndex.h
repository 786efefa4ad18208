#pragma once

#include "analysis/CodeSymbol.h"
#include "analysis/GitHistory.h"
#include "analysis/InterestScore.h"
#include "common/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace codeworm {

class SqliteDatabase;

// What the index knows of one repository as a whole.
struct IndexedRepo
{
    QString name;
    QString root;     // the folder it was read from
    QString headId;   // HEAD commit id of the last refresh (git), else empty
    QString rulesKey; // RepositorySnapshot::rulesKey() of the last refresh
    QDateTime indexedAt;
    QString historyHeadId; // HEAD the history stats were read at
    QDateTime historyAt;
    QDateTime scoredAt; // when scores last took history and time into account
};

// A file's identity as stored: enough to tell whether it changed.
struct IndexedFileId
{
    QString contentId;
    qint64 size = 0;
    qint64 mtimeMs = 0;
};

// One file to store: its identity and everything the extractor learned.
struct IndexedFileRecord
{
    QString path;
    QString language;
    QString contentId;
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QString codeHash; // SHA-256 (hex) of the content: file_doc's dedup key
    FileAnalysis analysis;
    // SHA-256 (hex) of each symbol's source, in the order of analysis.symbols (computed
    // where the file was parsed, so the symbols' source need not be kept); empty: putFiles
    // hashes the sources itself.
    QStringList symbolHashes;
};

// A row of a query: a symbol (without its source) or a whole file.
struct IndexedTarget
{
    QString repo;
    QString path;
    QString language;
    QString contentId;   // to read the source back: blob id, or the plain folder's id
    bool isFile = false; // a whole file: symbol.kind is meaningless, metrics are the file's
    CodeSymbol symbol;   // source left empty
    FileMetrics fileMetrics;
    QString codeHash; // SHA-256 (hex) of the symbol's source (the file's content)
    FileHistory history;
    ScoreBreakdown score;
};

struct IndexQuery
{
    QStringList repos;             // empty: every repository in the index
    QList<CodeSymbol::Kind> kinds; // empty: functions and methods
    bool files = false;            // rank whole files instead of symbols
    int minLines = 0;
    int maxLines = 0; // 0: no limit
    double minComplexity = 0;
    int limit = 20;
    int offset = 0;
};

// Counts per language for `codeworm index`.
struct IndexCounts
{
    QMap<QString, int> filesPerLanguage;
    QMap<QString, int> symbolsPerLanguage;
};

// The symbol index: per (repository, path) the content id and the extracted symbols with
// their metrics and interest scores, plus per-path git history stats, in its own SQLite
// file (a cache: deleting it only costs a re-index). Scores are stored so that ranking
// 100,000 symbols is one indexed query; rescore() refreshes their history-dependent part.
// Usable from any thread (a connection per thread); writes come from one Indexer at a time.
class SymbolIndex
{
public:
    explicit SymbolIndex(QString databasePath);
    ~SymbolIndex();
    SymbolIndex(const SymbolIndex &) = delete;
    SymbolIndex &operator=(const SymbolIndex &) = delete;

    Status open();
    QString databasePath() const;
    static int schemaVersion();

    std::optional<IndexedRepo> repo(const QString &name) const;
    QStringList repoNames() const;
    Result<QHash<QString, IndexedFileId>> fileIds(const QString &repo) const;

    // Runs `work` (the put/update/remove calls below) in one transaction: all of it is
    // stored, or, when `work` or the commit fails, none of it.
    Status write(const std::function<Status()> &work);
    // This thread's page cache: kibibytes for many writes to come (a refresh), or with 0 back
    // to SQLite's default, the memory returned.
    void setPageCache(int kibibytes);
    Status putRepo(const IndexedRepo &repo);
    // Replaces each file's row and all its symbols. With `history` the scores include its
    // history part (at `now`), as rescore() computes it; without, the static part only.
    Status putFiles(const QString &repo, const QList<IndexedFileRecord> &files,
                    const GitHistory *history = nullptr, const QDateTime &now = {});
    Status updateFileStamp(const QString &repo, const QString &path, const IndexedFileId &id);
    Status removeFiles(const QString &repo, const QStringList &paths);
    Status removeRepo(const QString &repo);
    Status putHistory(const QString &repo, const GitHistory &history);
    // Recomputes stored scores of the repository from static parts, history and `now`.
    Status rescore(const QString &repo, const QDateTime &now);
    // Refreshes SQLite's statistics after large changes, so that ranking queries pick the
    // score index instead of sorting a repository's rows (ANALYZE: 50 ms for 100,000 symbols).
    Status updateStatistics();

    // Best first by stored score; each result carries its full score breakdown.
    Result<QList<IndexedTarget>> best(const IndexQuery &query) const;
    Result<IndexCounts> counts(const QString &repo) const;
    // Those of `candidates` that the repository defines: names of symbols, their classes
    // (also a C++ class seen only in out-of-line definitions), and folder names and file
    // stems ("helpers" for util/helpers.py). Case-sensitive; one query.
    Result<QSet<QString>> knownNames(const QString &repo, const QStringList &candidates) const;

private:
    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace codeworm
