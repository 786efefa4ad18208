#pragma once

#include "analysis/CodeSymbol.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace codeworm {

// Extracts functions and methods from source text with tree-sitter (Python, C++ and C in
// this version; other languages yield nothing). Methods carry their class: Python methods
// inside `class`, C++ member functions defined inside a class/struct body and out-of-line
// definitions `Class::method`. C++ declarations without a body, lambdas and functions nested
// in functions are not symbols. Files that fail to parse in places still yield the
// definitions that parsed. Symbols come in source order. Thread-safe (each call owns its
// parser).
class CodeExtractor
{
public:
    static QList<CodeSymbol> extract(const QString &language, const QByteArray &content);
};

} // namespace codeworm
