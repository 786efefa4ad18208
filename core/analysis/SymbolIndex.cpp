#include "analysis/SymbolIndex.h"

#include "analysis/ContentHash.h"
#include "sqlite/SqliteDatabase.h"
#include "sqlite/SqliteStatement.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcIndex, "codeworm.analysis")

// The schema's history (PRAGMA user_version = steps applied). Append steps; never edit one.
const QList<SqliteMigration> &migrations()
{
    static const QList<SqliteMigration> steps = {
        {1,
         {
             "CREATE TABLE repos (name TEXT PRIMARY KEY, root TEXT NOT NULL, head TEXT, "
             "rules_key TEXT, indexed_at TEXT, history_head TEXT, history_at TEXT, "
             "scored_at TEXT)",
             "CREATE TABLE files (id INTEGER PRIMARY KEY, repo TEXT NOT NULL, path TEXT NOT NULL, "
             "language TEXT NOT NULL, content_id TEXT NOT NULL, size INTEGER NOT NULL, "
             "mtime_ms INTEGER NOT NULL, lines INTEGER NOT NULL, loc INTEGER NOT NULL, "
             "complexity INTEGER NOT NULL, max_nesting INTEGER NOT NULL, tokens INTEGER NOT NULL, "
             "functions INTEGER NOT NULL, types INTEGER NOT NULL, syntax_errors INTEGER NOT NULL, "
             "doc TEXT, code_hash TEXT NOT NULL, static_score REAL NOT NULL, "
             "score REAL NOT NULL, UNIQUE (repo, path))",
             "CREATE INDEX files_score ON files (score DESC)",
             "CREATE TABLE symbols (id INTEGER PRIMARY KEY, "
             "file_id INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE, "
             "kind TEXT NOT NULL, name TEXT NOT NULL, class_name TEXT NOT NULL, "
             "display_name TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, "
             "start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL, lines INTEGER NOT NULL, "
             "parameters TEXT NOT NULL, decorators TEXT NOT NULL, doc TEXT, "
             "flags INTEGER NOT NULL, complexity INTEGER NOT NULL, max_nesting INTEGER NOT NULL, "
             "loc INTEGER NOT NULL, tokens INTEGER NOT NULL, params INTEGER NOT NULL, "
             "code_hash TEXT NOT NULL, static_score REAL NOT NULL, score REAL NOT NULL)",
             "CREATE INDEX symbols_file ON symbols (file_id)",
             "CREATE INDEX symbols_score ON symbols (score DESC)",
             "CREATE TABLE history (repo TEXT NOT NULL, path TEXT NOT NULL, "
             "commits30 INTEGER NOT NULL, commits90 INTEGER NOT NULL, last_modified INTEGER, "
             "authors INTEGER NOT NULL, PRIMARY KEY (repo, path))",
         }},
        // The fact check looks names up (knownNames).
        {2, {"CREATE INDEX symbols_name ON symbols (name)"}},
    };
    return steps;
}

enum Flag {
    Async = 1 << 0,
    Static = 1 << 1,
    Abstract = 1 << 2,
    Generator = 1 << 3,
    ContextManager = 1 << 4,
    Property = 1 << 5,
    DataClass = 1 << 6,
};

int flagsOf(const CodeSymbol &symbol)
{
    return (symbol.isAsync ? Async : 0) | (symbol.isStatic ? Static : 0) |
           (symbol.isAbstract ? Abstract : 0) | (symbol.isGenerator ? Generator : 0) |
           (symbol.isContextManager ? ContextManager : 0) | (symbol.isProperty ? Property : 0) |
           (symbol.isDataClass ? DataClass : 0);
}

void applyFlags(CodeSymbol &symbol, int flags)
{
    symbol.isAsync = flags & Async;
    symbol.isStatic = flags & Static;
    symbol.isAbstract = flags & Abstract;
    symbol.isGenerator = flags & Generator;
    symbol.isContextManager = flags & ContextManager;
    symbol.isProperty = flags & Property;
    symbol.isDataClass = flags & DataClass;
}

QString toJson(const QStringList &list)
{
    if (list.isEmpty()) {
        return QStringLiteral("[]"); // most symbols: no need for a JSON document
    }
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList fromJson(const QString &text)
{
    QStringList list;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        list << value.toString();
    }
    return list;
}

QString timestamp(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromTimestamp(const QVariant &value)
{
    const QString text = value.toString();
    return text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs);
}

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

// A null QString binds as SQL NULL; NOT NULL text columns take "" instead.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

// The history-dependent part of a score, in SQL, for rows whose `repo` and `path` columns
// are in scope; it must agree with InterestScore::applyHistory (the tests compare them).
QString historyScoreSql()
{
    return QStringLiteral(
               "COALESCE((SELECT %1 * MIN(1.0, h.commits30 / %2) * 100.0 + "
               "%3 * CASE WHEN h.last_modified IS NULL THEN 0.0 ELSE "
               "MAX(0.0, MIN(1.0, (%4 - (:now - h.last_modified) / 86400.0) / %4)) * 100.0 END "
               "FROM history h WHERE h.repo = f.repo AND h.path = f.path), 0.0)")
        .arg(InterestScore::churnWeight)
        .arg(InterestScore::churnCap, 0, 'f', 1)
        .arg(InterestScore::noveltyWeight)
        .arg(InterestScore::noveltyDays, 0, 'f', 1);
}

} // namespace

SymbolIndex::SymbolIndex(QString databasePath)
    : m_db(std::make_unique<SqliteDatabase>(std::move(databasePath), QStringLiteral("Symbol index"),
                                            migrations(), SqliteDatabase::Backup::None,
                                            SqliteDatabase::Durability::Cache))
{}

SymbolIndex::~SymbolIndex() = default;

Status SymbolIndex::open()
{
    const Status opened = m_db->open();
    if (opened || !m_db->isDamaged(opened.error())) {
        return opened;
    }
    // A cache: a damaged one is set aside for inspection and rebuilt, at the cost of one
    // re-index, instead of stopping CodeWorm.
    m_db->close();
    const QString path = m_db->path();
    const QString aside = path + QStringLiteral(".damaged");
    QFile::remove(aside);
    if (!QFile::rename(path, aside)) {
        return Status::failure(
            QStringLiteral("%1 (and it could not be moved to %2)").arg(opened.error(), aside));
    }
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    qCWarning(lcIndex).noquote() << QStringLiteral("%1; moved it to %2 and building the index anew")
                                        .arg(opened.error(), aside);
    return m_db->open();
}

QString SymbolIndex::databasePath() const
{
    return m_db->path();
}

int SymbolIndex::schemaVersion()
{
    return migrations().constLast().version;
}

std::optional<IndexedRepo> SymbolIndex::repo(const QString &name) const
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return std::nullopt;
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT root, head, rules_key, indexed_at, history_head, "
                                 "history_at, scored_at FROM repos WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec() || !query.next()) {
        return std::nullopt;
    }
    IndexedRepo repo;
    repo.name = name;
    repo.root = query.value(0).toString();
    repo.headId = query.value(1).toString();
    repo.rulesKey = query.value(2).toString();
    repo.indexedAt = fromTimestamp(query.value(3));
    repo.historyHeadId = query.value(4).toString();
    repo.historyAt = fromTimestamp(query.value(5));
    repo.scoredAt = fromTimestamp(query.value(6));
    return repo;
}

QStringList SymbolIndex::repoNames() const
{
    QStringList names;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return names;
    }
    QSqlQuery query(db.value());
    if (query.exec(QStringLiteral("SELECT name FROM repos ORDER BY name"))) {
        while (query.next()) {
            names << query.value(0).toString();
        }
    }
    return names;
}

Result<QHash<QString, IndexedFileId>> SymbolIndex::fileIds(const QString &repo) const
{
    using R = Result<QHash<QString, IndexedFileId>>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT path, content_id, size, mtime_ms FROM files WHERE repo = ?"));
    query.addBindValue(repo);
    if (!query.exec()) {
        return R::failure(
            m_db->failure(QStringLiteral("listing the files of %1").arg(repo), query.lastError()));
    }
    QHash<QString, IndexedFileId> ids;
    while (query.next()) {
        ids.insert(query.value(0).toString(),
                   IndexedFileId{query.value(1).toString(), query.value(2).toLongLong(),
                                 query.value(3).toLongLong()});
    }
    return ids;
}

void SymbolIndex::setPageCache(int kibibytes)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return; // the writes that follow report it
    }
    QSqlQuery query(db.value());
    // A negative cache_size is in KiB; SQLite's default is 2000 KiB.
    const int size = kibibytes > 0 ? kibibytes : 2000;
    if (Status done = m_db->exec(query, QStringLiteral("PRAGMA cache_size = -%1").arg(size));
        !done) {
        qCWarning(lcIndex).noquote() << done.error();
    }
    if (kibibytes <= 0) {
        query.exec(QStringLiteral("PRAGMA shrink_memory"));
    }
}

Status SymbolIndex::write(const std::function<Status()> &work)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    Status done = m_db->exec(query, QStringLiteral("BEGIN IMMEDIATE"));
    if (!done) {
        return done;
    }
    done = work();
    if (done) {
        done = m_db->exec(query, QStringLiteral("COMMIT"));
    }
    if (!done) {
        query.exec(QStringLiteral("ROLLBACK"));
    }
    return done;
}

Status SymbolIndex::putRepo(const IndexedRepo &repo)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral(
        "INSERT INTO repos (name, root, head, rules_key, indexed_at, history_head, history_at, "
        "scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "root = excluded.root, head = excluded.head, rules_key = excluded.rules_key, "
        "indexed_at = excluded.indexed_at, history_head = excluded.history_head, "
        "history_at = excluded.history_at, scored_at = excluded.scored_at"));
    query.addBindValue(repo.name);
    query.addBindValue(text(repo.root));
    query.addBindValue(nullable(repo.headId));
    query.addBindValue(nullable(repo.rulesKey));
    query.addBindValue(nullable(timestamp(repo.indexedAt)));
    query.addBindValue(nullable(repo.historyHeadId));
    query.addBindValue(nullable(timestamp(repo.historyAt)));
    query.addBindValue(nullable(timestamp(repo.scoredAt)));
    if (!query.exec()) {
        return Status::failure(m_db->failure(
            QStringLiteral("recording repository %1").arg(repo.name), query.lastError()));
    }
    return {};
}

Status SymbolIndex::putFiles(const QString &repo, const QList<IndexedFileRecord> &files,
                             const GitHistory *history, const QDateTime &now)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    // Prepared once for the whole batch, run through SQLite's own API (see SqliteStatement).
    SqliteStatement remove(db.value(), "DELETE FROM files WHERE repo = ? AND path = ?");
    SqliteStatement insert(
        db.value(),
        "INSERT INTO files (repo, path, language, content_id, size, mtime_ms, lines, loc, "
        "complexity, max_nesting, tokens, functions, types, syntax_errors, doc, code_hash, "
        "static_score, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SqliteStatement symbols(
        db.value(),
        "INSERT INTO symbols (file_id, kind, name, class_name, display_name, start_line, "
        "end_line, start_byte, end_byte, lines, parameters, decorators, doc, flags, "
        "complexity, max_nesting, loc, tokens, params, code_hash, static_score, score) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto failed = [&](const QString &what, const SqliteStatement &statement) {
        return Status::failure(m_db->failure(
            what, QSqlError(QString(), statement.error(), QSqlError::StatementError)));
    };
    for (const SqliteStatement *statement : {&remove, &insert, &symbols}) {
        if (!statement->isValid()) {
            return failed(QStringLiteral("storing files of repository %1").arg(repo), *statement);
        }
    }
    for (const IndexedFileRecord &file : files) {
        const QString what = QStringLiteral("storing %1 of repository %2").arg(file.path, repo);
        remove.bind(1, repo);
        remove.bind(2, file.path);
        if (!remove.run()) {
            return failed(what, remove);
        }
        const FileMetrics &m = file.analysis.metrics;
        const double fileStatic = InterestScore::forFile(m).staticPart();
        // The same history part as historyScoreSql() (the tests compare them).
        double historyPart = 0;
        if (history) {
            const FileHistory fileHistory = history->forPath(file.path);
            historyPart =
                InterestScore::churnWeight * InterestScore::churnPart(fileHistory.commits30) +
                InterestScore::noveltyWeight *
                    InterestScore::noveltyPart(fileHistory.lastModified, now);
        }
        insert.bind(1, repo);
        insert.bind(2, file.path);
        insert.bind(3, file.language);
        insert.bind(4, file.contentId);
        insert.bind(5, file.size);
        insert.bind(6, file.mtimeMs);
        insert.bind(7, m.totalLines);
        insert.bind(8, m.linesOfCode);
        insert.bind(9, m.complexity);
        insert.bind(10, m.maxNesting);
        insert.bind(11, m.tokenCount);
        insert.bind(12, m.functionCount);
        insert.bind(13, m.typeCount);
        insert.bind(14, file.analysis.hasSyntaxErrors ? 1 : 0);
        insert.bindNullable(15, file.analysis.docComment);
        insert.bind(16, file.codeHash);
        insert.bind(17, fileStatic);
        insert.bind(18, std::min(100.0, fileStatic + historyPart));
        if (!insert.run()) {
            return failed(what, insert);
        }
        const qint64 fileId = insert.lastInsertId();
        const bool hashed = file.symbolHashes.size() == file.analysis.symbols.size();
        for (qsizetype i = 0; i < file.analysis.symbols.size(); ++i) {
            const CodeSymbol &s = file.analysis.symbols.at(i);
            const double staticScore = InterestScore::forSymbol(s).staticPart();
            symbols.bind(1, fileId);
            symbols.bind(2, CodeSymbol::kindName(s.kind));
            symbols.bind(3, s.name);
            symbols.bind(4, s.className);
            symbols.bind(5, s.displayName);
            symbols.bind(6, s.startLine);
            symbols.bind(7, s.endLine);
            symbols.bind(8, s.startByte);
            symbols.bind(9, s.endByte);
            symbols.bind(10, s.lineCount());
            symbols.bind(11, toJson(s.parameters));
            symbols.bind(12, toJson(s.decorators));
            symbols.bindNullable(13, s.docComment);
            symbols.bind(14, flagsOf(s));
            symbols.bind(15, s.complexity);
            symbols.bind(16, s.maxNesting);
            symbols.bind(17, s.linesOfCode);
            symbols.bind(18, s.tokenCount);
            symbols.bind(19, s.parameterCount);
            symbols.bind(20, hashed ? file.symbolHashes.at(i) : sha256Hex(s.source.toUtf8()));
            symbols.bind(21, staticScore);
            symbols.bind(22, std::min(100.0, staticScore + historyPart));
            if (!symbols.run()) {
                return failed(what, symbols);
            }
        }
    }
    return {};
}

Status SymbolIndex::updateFileStamp(const QString &repo, const QString &path,
                                    const IndexedFileId &id)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("UPDATE files SET content_id = ?, size = ?, mtime_ms = ? "
                                 "WHERE repo = ? AND path = ?"));
    query.addBindValue(text(id.contentId));
    query.addBindValue(id.size);
    query.addBindValue(id.mtimeMs);
    query.addBindValue(repo);
    query.addBindValue(path);
    if (!query.exec()) {
        return Status::failure(m_db->failure(
            QStringLiteral("updating %1 of repository %2").arg(path, repo), query.lastError()));
    }
    return {};
}

Status SymbolIndex::removeFiles(const QString &repo, const QStringList &paths)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("DELETE FROM files WHERE repo = ? AND path = ?"));
    for (const QString &path : paths) {
        query.addBindValue(repo);
        query.addBindValue(path);
        if (!query.exec()) {
            return Status::failure(m_db->failure(
                QStringLiteral("removing %1 of repository %2").arg(path, repo), query.lastError()));
        }
    }
    return {};
}

Status SymbolIndex::removeRepo(const QString &repo)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    for (const QString &sql : {QStringLiteral("DELETE FROM files WHERE repo = ?"),
                               QStringLiteral("DELETE FROM history WHERE repo = ?"),
                               QStringLiteral("DELETE FROM repos WHERE name = ?")}) {
        query.prepare(sql);
        query.addBindValue(repo);
        if (!query.exec()) {
            return Status::failure(m_db->failure(QStringLiteral("removing repository %1").arg(repo),
                                                 query.lastError()));
        }
    }
    return {};
}

Status SymbolIndex::putHistory(const QString &repo, const GitHistory &history)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    const auto failed = [&](const QSqlQuery &query) {
        return Status::failure(m_db->failure(
            QStringLiteral("storing the history of repository %1").arg(repo), query.lastError()));
    };
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("DELETE FROM history WHERE repo = ?"));
    query.addBindValue(repo);
    if (!query.exec()) {
        return failed(query);
    }
    query.prepare(QStringLiteral("INSERT INTO history (repo, path, commits30, commits90, "
                                 "last_modified, authors) VALUES (?, ?, ?, ?, ?, ?)"));
    for (auto it = history.files().cbegin(); it != history.files().cend(); ++it) {
        query.addBindValue(repo);
        query.addBindValue(it.key());
        query.addBindValue(it->commits30);
        query.addBindValue(it->commits90);
        query.addBindValue(it->lastModified.isValid()
                               ? QVariant(it->lastModified.toSecsSinceEpoch())
                               : QVariant(QMetaType::fromType<qlonglong>()));
        query.addBindValue(it->authors);
        if (!query.exec()) {
            return failed(query);
        }
    }
    return {};
}

Status SymbolIndex::rescore(const QString &repo, const QDateTime &now)
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    const QString history = historyScoreSql();
    QSqlQuery query(db.value());
    const QList<QString> statements = {
        QStringLiteral("UPDATE symbols SET score = MIN(100.0, static_score + (SELECT %1 FROM "
                       "files f WHERE f.id = symbols.file_id)) WHERE file_id IN (SELECT id FROM "
                       "files WHERE repo = :repo)")
            .arg(history),
        QStringLiteral("UPDATE files AS f SET score = MIN(100.0, static_score + %1) "
                       "WHERE f.repo = :repo")
            .arg(history),
    };
    for (const QString &sql : statements) {
        query.prepare(sql);
        query.bindValue(QStringLiteral(":repo"), repo);
        query.bindValue(QStringLiteral(":now"), now.toSecsSinceEpoch());
        if (!query.exec()) {
            return Status::failure(m_db->failure(QStringLiteral("scoring repository %1").arg(repo),
                                                 query.lastError()));
        }
    }
    return {};
}

Result<QList<IndexedTarget>> SymbolIndex::best(const IndexQuery &q) const
{
    using R = Result<QList<IndexedTarget>>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    QStringList where;
    QVariantList values;
    if (!q.repos.isEmpty()) {
        where << QStringLiteral("f.repo IN (%1)")
                     .arg(QStringList(q.repos.size(), QStringLiteral("?")).join(QLatin1Char(',')));
        for (const QString &repo : q.repos) {
            values << repo;
        }
    }
    const QString table = q.files ? QStringLiteral("f") : QStringLiteral("s");
    if (q.minLines > 0) {
        where << QStringLiteral("%1.lines >= ?").arg(table);
        values << q.minLines;
    }
    if (q.maxLines > 0) {
        where << QStringLiteral("%1.lines <= ?").arg(table);
        values << q.maxLines;
    }
    if (q.minComplexity > 0) {
        where << QStringLiteral("%1.complexity >= ?").arg(table);
        values << q.minComplexity;
    }
    QString sql;
    if (q.files) {
        sql = QStringLiteral(
            "SELECT f.repo, f.path, f.language, f.content_id, f.code_hash, f.lines, f.loc, "
            "f.complexity, f.max_nesting, f.tokens, f.functions, f.types, f.score, "
            "h.commits30, h.commits90, h.last_modified, h.authors, r.scored_at "
            "FROM files f LEFT JOIN history h ON h.repo = f.repo AND h.path = f.path "
            "LEFT JOIN repos r ON r.name = f.repo");
    } else {
        QList<CodeSymbol::Kind> kinds = q.kinds;
        if (kinds.isEmpty()) {
            kinds = {CodeSymbol::Kind::Function, CodeSymbol::Kind::Method};
        }
        QStringList placeholders;
        for (CodeSymbol::Kind kind : kinds) {
            placeholders << QStringLiteral("?");
            values << CodeSymbol::kindName(kind);
        }
        where << QStringLiteral("s.kind IN (%1)").arg(placeholders.join(QLatin1Char(',')));
        sql = QStringLiteral(
            "SELECT f.repo, f.path, f.language, f.content_id, s.code_hash, s.kind, s.name, "
            "s.class_name, s.display_name, s.start_line, s.end_line, s.start_byte, s.end_byte, "
            "s.parameters, s.decorators, s.doc, s.flags, s.complexity, s.max_nesting, s.loc, "
            "s.tokens, s.params, s.score, h.commits30, h.commits90, h.last_modified, h.authors, "
            "r.scored_at FROM symbols s JOIN files f ON f.id = s.file_id "
            "LEFT JOIN history h ON h.repo = f.repo AND h.path = f.path "
            "LEFT JOIN repos r ON r.name = f.repo");
    }
    if (!where.isEmpty()) {
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    }
    sql += QStringLiteral(" ORDER BY %1.score DESC, %1.id LIMIT ? OFFSET ?").arg(table);
    values << q.limit << q.offset;

    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : std::as_const(values)) {
        query.addBindValue(value);
    }
    if (!query.exec()) {
        return R::failure(m_db->failure(QStringLiteral("ranking targets"), query.lastError()));
    }
    QList<IndexedTarget> targets;
    const int historyColumn = q.files ? 13 : 23;
    while (query.next()) {
        IndexedTarget t;
        t.repo = query.value(0).toString();
        t.path = query.value(1).toString();
        t.language = query.value(2).toString();
        t.contentId = query.value(3).toString();
        t.codeHash = query.value(4).toString();
        if (!query.isNull(historyColumn)) {
            t.history.commits30 = query.value(historyColumn).toInt();
            t.history.commits90 = query.value(historyColumn + 1).toInt();
            if (!query.isNull(historyColumn + 2)) {
                t.history.lastModified = QDateTime::fromSecsSinceEpoch(
                    query.value(historyColumn + 2).toLongLong(), Qt::UTC);
            }
            t.history.authors = query.value(historyColumn + 3).toInt();
        }
        QDateTime scoredAt = fromTimestamp(query.value(historyColumn + 4));
        if (!scoredAt.isValid()) {
            scoredAt = QDateTime::currentDateTimeUtc();
        }
        if (q.files) {
            t.isFile = true;
            FileMetrics &m = t.fileMetrics;
            m.totalLines = query.value(5).toInt();
            m.linesOfCode = query.value(6).toInt();
            m.complexity = query.value(7).toInt();
            m.maxNesting = query.value(8).toInt();
            m.tokenCount = query.value(9).toInt();
            m.functionCount = query.value(10).toInt();
            m.typeCount = query.value(11).toInt();
            t.score = InterestScore::forFile(m);
        } else {
            CodeSymbol &s = t.symbol;
            CodeSymbol::kindFromName(query.value(5).toString(), &s.kind);
            s.name = query.value(6).toString();
            s.className = query.value(7).toString();
            s.displayName = query.value(8).toString();
            s.startLine = query.value(9).toInt();
            s.endLine = query.value(10).toInt();
            s.startByte = query.value(11).toInt();
            s.endByte = query.value(12).toInt();
            s.parameters = fromJson(query.value(13).toString());
            s.decorators = fromJson(query.value(14).toString());
            s.docComment = query.value(15).toString();
            applyFlags(s, query.value(16).toInt());
            s.complexity = query.value(17).toInt();
            s.maxNesting = query.value(18).toInt();
            s.linesOfCode = query.value(19).toInt();
            s.tokenCount = query.value(20).toInt();
            s.parameterCount = query.value(21).toInt();
            t.score = InterestScore::forSymbol(s);
        }
        InterestScore::applyHistory(t.score, t.history, scoredAt);
        targets.append(std::move(t));
    }
    return targets;
}

Result<IndexCounts> SymbolIndex::counts(const QString &repo) const
{
    using R = Result<IndexCounts>;
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    IndexCounts counts;
    QSqlQuery query(db.value());
    query.prepare(QStringLiteral("SELECT language, COUNT(*) FROM files WHERE repo = ? "
                                 "GROUP BY language"));
    query.addBindValue(repo);
    if (!query.exec()) {
        return R::failure(m_db->failure(QStringLiteral("counting files"), query.lastError()));
    }
    while (query.next()) {
        counts.filesPerLanguage.insert(query.value(0).toString(), query.value(1).toInt());
    }
    query.prepare(QStringLiteral("SELECT f.language, COUNT(*) FROM symbols s JOIN files f ON "
                                 "f.id = s.file_id WHERE f.repo = ? GROUP BY f.language"));
    query.addBindValue(repo);
    if (!query.exec()) {
        return R::failure(m_db->failure(QStringLiteral("counting symbols"), query.lastError()));
    }
    while (query.next()) {
        counts.symbolsPerLanguage.insert(query.value(0).toString(), query.value(1).toInt());
    }
    return counts;
}

Result<QSet<QString>> SymbolIndex::knownNames(const QString &repo,
                                              const QStringList &candidates) const
{
    using R = Result<QSet<QString>>;
    // Only identifiers: they are compared with GLOB below, where * ? [ would be wildcards.
    static const QRegularExpression identifier(QStringLiteral("^[\\w$]+$"),
                                               QRegularExpression::UseUnicodePropertiesOption);
    QStringList names;
    for (const QString &name : candidates) {
        if (identifier.match(name).hasMatch() && !names.contains(name)) {
            names << name;
        }
    }
    QSet<QString> known;
    if (names.isEmpty()) {
        return known;
    }
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return R::failure(db.error());
    }
    // A folder or file stem is a name too: Python and Java modules, Go packages, Rust mods.
    const QString sql = QStringLiteral(
        "WITH r(repo) AS (VALUES (?)), c(name) AS (VALUES %1) SELECT c.name FROM c, r WHERE "
        "EXISTS (SELECT 1 FROM symbols s JOIN files f ON f.id = s.file_id "
        "WHERE s.name = c.name AND f.repo = r.repo) OR "
        "EXISTS (SELECT 1 FROM symbols s JOIN files f ON f.id = s.file_id "
        "WHERE s.class_name = c.name AND f.repo = r.repo) OR "
        "EXISTS (SELECT 1 FROM files f WHERE f.repo = r.repo AND (f.path GLOB c.name || '.*' OR "
        "f.path GLOB '*/' || c.name || '.*' OR f.path GLOB c.name || '/*' OR "
        "f.path GLOB '*/' || c.name || '/*'))");
    // Well below SQLite's limit on bound values.
    constexpr qsizetype chunk = 500;
    QSqlQuery query(db.value());
    query.setForwardOnly(true);
    for (qsizetype from = 0; from < names.size(); from += chunk) {
        const QStringList part = names.mid(from, chunk);
        query.prepare(
            sql.arg(QStringList(part.size(), QStringLiteral("(?)")).join(QLatin1Char(','))));
        query.addBindValue(repo);
        for (const QString &name : part) {
            query.addBindValue(name);
        }
        if (!query.exec()) {
            return R::failure(m_db->failure(
                QStringLiteral("looking names up in repository %1").arg(repo), query.lastError()));
        }
        while (query.next()) {
            known.insert(query.value(0).toString());
        }
    }
    return known;
}

Status SymbolIndex::updateStatistics()
{
    Result<QSqlDatabase> db = m_db->connection();
    if (!db) {
        return Status::failure(db.error());
    }
    QSqlQuery query(db.value());
    return m_db->exec(query, QStringLiteral("ANALYZE"));
}

} // namespace codeworm
