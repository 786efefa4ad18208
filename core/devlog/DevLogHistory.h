#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>

namespace codeworm {

// A document as its commit tells it: CodeWorm writes what the state database records about a
// document into trailers of the commit's message (CodeWorm-Repo, -Path, -Symbol, -Type,
// -Code-Hash, -Fact-Check, -Language), so that the database can be checked against the DevLog and
// rebuilt from it.
struct DocumentCommit
{
    QString commitId;
    QDateTime committedAt;
    QString repo;
    QString sourcePath;
    QString symbol; // display name: "Class.method", "function", a module's or period's title
    QString docType;
    QString codeHash;
    QString factCheck;
    QString language;
    QString documentPath; // the Markdown file the commit added (README.md aside)
};

// Reads CodeWorm's commits of a DevLog back. libgit2, blocking: use from a worker thread.
class DevLogHistory
{
public:
    explicit DevLogHistory(QString repositoryPath);

    // CodeWorm's commits on HEAD's history, newest first, down to (not including) `since`;
    // all of them when since is empty or not on the history. Commits of others (no
    // CodeWorm-Type trailer) are passed over.
    Result<QList<DocumentCommit>> documentsSince(const QString &since = QString()) const;
    // The same, down to (not including) the first commit `known` accepts; false from known
    // ends the walk with an error.
    Result<QList<DocumentCommit>>
    documentsUntil(const std::function<Result<bool>(const QString &commitId)> &known) const;

    // The trailers of one commit message (key, value), in order.
    static QList<std::pair<QString, QString>> trailers(const QByteArray &message);

private:
    QString m_path;
};

} // namespace codeworm
