#pragma once

#include "analysis/CodeSymbol.h"

#include <QString>

namespace codeworm {

// Something to document: one symbol of one file of one repository, for one doc type.
struct Target
{
    QString docType = QStringLiteral("function_doc");
    QString repoName;
    QString repoPath;
    bool publishSource = true;
    QString filePath; // repository-relative
    QString language;
    CodeSymbol symbol;
    QString codeHash; // SHA-256 (hex) of symbol.source: the dedup key with docType
    // What the finder saw that made it pick the target (security and performance signals,
    // idioms), one "- line N: ..." per line; empty for plain documentation.
    QString findings;
    double score = 0;    // interest score at selection
    QString fileContent; // the whole file the symbol is in (for the fact check)
    // For methods: the line that declares their class, struct, impl or receiver type
    // ("class Circle(Shape):", "impl<T> Cache<T> for Store"), without its body.
    QString classSignature;
};

} // namespace codeworm
