#pragma once

#include "analysis/CodeSymbol.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace codeworm {

// Extracts symbols and metrics from source text with tree-sitter, for every language of
// Language.h. Driven by one declarative table per language (LanguageSpec), not a walker per
// language. Callables are definitions with a body (C/C++ declarations are not symbols);
// arrow functions and function expressions assigned to a named variable or property take
// that name, anonymous callbacks are not symbols; functions nested in functions belong to
// their function. Files that fail to parse in places still yield the definitions that
// parsed. Thread-safe (each call owns its parser).
class CodeExtractor
{
public:
    // Sources::Omit leaves CodeSymbol::source empty (the byte range is still set): the
    // indexer hashes the bytes and needs no copy of every body.
    enum class Sources { Include, Omit };
    static FileAnalysis analyze(const QString &language, const QByteArray &content,
                                Sources sources = Sources::Include);
    // The callables of analyze(): functions and methods only.
    static QList<CodeSymbol> extract(const QString &language, const QByteArray &content);
};

} // namespace codeworm
