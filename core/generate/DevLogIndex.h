#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace codeworm {

// The index in the DevLog's README.md: per repository and doc type, the newest documents
// first, between two marker comments. Text outside the markers is the user's and is kept;
// a README without markers gets the index appended, a missing one is created.
namespace DevLogIndex {

struct Entry
{
    QString repo;
    QString docType;
    QString title; // "Circle.area", "shapes.py"
    QString path;  // DevLog-relative
    QDateTime when;
};

inline constexpr int entriesPerGroup = 20;

QString beginMarker();
QString endMarker();

// The section between the markers (markers included). `counts` holds the number of all
// documents per StateStore::groupKey(repo, type); a group with more than it lists says so.
QString section(const QList<Entry> &entries, const QHash<QString, int> &counts);
// `readme` (may be empty: a new file) with its index replaced by `section`.
QString merge(const QString &readme, const QString &section);

} // namespace DevLogIndex
} // namespace codeworm
