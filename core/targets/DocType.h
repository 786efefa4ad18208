#pragma once

#include <QList>
#include <QString>

namespace codeworm {

// What a doc type is about: decides its finder and how its target is shaped.
enum class DocSubject {
    Function, // one function or method (function_doc, security_review, performance_analysis, til)
    Class,    // one class, struct, interface, trait or enum (class_doc, pattern_analysis)
    File,     // one whole file (file_doc)
    Module,   // a folder or package (module_doc)
    Change,   // one file's change in a recent commit (code_evolution)
    Period,   // a week or a month of activity (weekly_summary, monthly_summary)
};

// The eleven documentation types, in the original's order (also the fallback order).
struct DocType
{
    QString id;     // "function_doc"
    QString label;  // "Documentation": the document's section title
    QString folder; // DevLog folder; empty: snippets/<language>
    DocSubject subject;
    int minWords;
    int maxWords;

    static const QList<DocType> &all();
    // Null for an unknown id.
    static const DocType *find(const QString &id);
    static QStringList ids();
};

} // namespace codeworm
