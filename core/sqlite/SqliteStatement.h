#pragma once

#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace codeworm {

// One prepared statement run through SQLite's own API on a QSqlDatabase connection (same
// connection, same transaction). For bulk writes and long scans: QSqlQuery's binding and
// reading (a QVariant per value) was most of the symbol index's write cost and of the
// statistics' scans. Parameters are 1-based, as in SQL, columns 0-based; run() steps the
// statement to its end and resets it for the next set of values, next() steps to one row.
class SqliteStatement
{
public:
    SqliteStatement(const QSqlDatabase &db, const char *sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // False when the connection is not SQLite or the statement did not compile: error() says.
    bool isValid() const { return m_statement != nullptr; }
    QString error() const { return m_error; }

    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, qint64(value)); }
    void bind(int index, double value);
    // Text; a null QString binds as "" (for NOT NULL columns).
    void bind(int index, const QString &value);
    // Text, or SQL NULL when empty.
    void bindNullable(int index, const QString &value);
    void bindNull(int index);

    bool run();
    qint64 lastInsertId() const;
    // The rows changed by the last run().
    int changes() const;

    // Steps to the next row: true while there is one. At the end, or on an error (then
    // error() is set), the statement is reset for the next set of values.
    bool next();
    bool isNull(int column) const;
    qint64 int64At(int column) const;
    QString textAt(int column) const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

} // namespace codeworm
