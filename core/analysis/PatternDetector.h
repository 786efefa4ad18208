#pragma once

#include "analysis/CodeSymbol.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace codeworm {

// A design pattern found in the structure of a type, for the pattern_analysis prompt.
struct DetectedPattern
{
    // "singleton", "factory", "builder", "observer", "decorator", "strategy", "iterator",
    // "context_manager" (Python, Java, JavaScript/TypeScript, Go) or "raii" (C++, Rust).
    QString name;
    // One line naming the concrete members, e.g. "private static field `instance` of type
    // Config; static `getInstance()` returns it; private constructor".
    QString evidence;
    int line = 0; // 1-based line of the strongest evidence
};

// Detects design patterns from the syntax tree: fields, methods, what they return, create,
// call and iterate, base types, trait impls, Go receivers and package variables. A name
// (class FooFactory) is never enough on its own. Thread-safe (each thread owns its parser).
namespace PatternDetector {

// The patterns of one type-like symbol of the file (class, struct, interface, trait, enum,
// impl block), in the order of the list in DetectedPattern::name. Empty for callables,
// unknown languages and symbols that do not match the content.
QList<DetectedPattern> detect(const QString &language, const QByteArray &fileContent,
                              const CodeSymbol &type);

} // namespace PatternDetector
} // namespace codeworm
