#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QVariant>

#include <memory>

namespace codeworm {

class SqliteDatabase;

// One row of the original's documented_snippets table.
struct DocumentedEntry
{
    QString id; // generated when empty
    QString sourceRepo;
    QString sourceFile;
    QString functionName;
    QString className;
    QString codeHash;
    QDateTime documentedAt;
    QString snippetPath;
    QString gitCommit;
    QString docType = QStringLiteral("function_doc");
    QString factCheck; // FactCheckResult::summary(); empty: not checked
};

// CodeWorm's memory in SQLite (QSqlDatabase, WAL). The schema is versioned with
// PRAGMA user_version and migrated forward by a list of steps; an original CodeWorm
// database (documented_snippets, user_version 0) is taken over as it is. Each thread uses
// its own connection, opened on first use.
class StateStore
{
public:
    explicit StateStore(QString databasePath);
    ~StateStore();

    // Creates the file and runs pending migrations.
    Status open();
    QString databasePath() const;
    static int schemaVersion();

    bool isDocumented(const QString &codeHash, const QString &docType) const;
    bool documentedSince(const QString &repo, const QString &file, const QString &function,
                         const QString &className, const QString &docType,
                         const QDateTime &since) const;
    Status recordDocumented(const DocumentedEntry &entry);
    int countDocumentedSince(const QDateTime &since) const;
    QList<DocumentedEntry> recent(int limit) const;
    // The entries documented in [from, to), oldest first: what a period's summary is
    // written from.
    QList<DocumentedEntry> documentedBetween(const QDateTime &from, const QDateTime &to) const;
    // The newest `perGroup` entries of each (repository, doc type), grouped and newest
    // first, and the number of entries of every group under groupKey(): the DevLog index.
    QList<DocumentedEntry> latestPerGroup(int perGroup,
                                          QHash<QString, int> *counts = nullptr) const;
    static QString groupKey(const QString &repo, const QString &docType);

private:
    QList<DocumentedEntry> readEntries(const QString &sql, const QVariantList &values,
                                       const QString &what) const;
    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace codeworm
