#pragma once

#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace codeworm {

// One prepared statement run through SQLite's own API on a QSqlDatabase connection (same
// connection, same transaction). For bulk writes only: QSqlQuery's binding (a QVariant and a
// placeholder name per value) was most of the symbol index's write cost. Parameters are
// 1-based, as in SQL; each run() steps the statement to its end and resets it for the next
// set of values.
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

    bool run();
    qint64 lastInsertId() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

} // namespace codeworm
