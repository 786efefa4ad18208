#pragma once

#include "analysis/CodeSymbol.h"

#include <QList>
#include <QString>

namespace codeworm {

// Something in a function's source that makes it worth a security review, a performance
// analysis or a "today I learned" note. The finders of those doc types pick functions by
// these signals and pass them to the model, which then knows where to look.
struct CodeSignal
{
    QString what;       // "shell command built from input", "nested loops", "generator"
    int line = 0;       // 1-based, in the file (0: the function as a whole)
    bool strong = true; // a weak signal counts only together with another one

    QString describe() const; // "line 12: nested loops"
};

namespace CodeSignals {

// Command execution, SQL built from strings, unsafe deserialization, disabled TLS checks,
// unsafe C string functions, weak hashes and random numbers for secrets, HTML injection,
// redacted secrets, unsafe blocks; credentials handling as a weak signal.
QList<CodeSignal> security(const CodeSymbol &symbol, const QString &language);
// Nested loops, I/O or queries in loops, blocking calls in async code, repeated work in
// loops (regex compiling, sorting, string concatenation), unbounded recursion.
QList<CodeSignal> performance(const CodeSymbol &symbol, const QString &language);
// Idioms worth a short note: generators, context managers, decorators, async, pattern
// matching, comprehensions, defer, the ? operator, iterator chains, lambdas, streams, ...
QList<CodeSignal> idioms(const CodeSymbol &symbol, const QString &language);

// True when the signals are enough to pick the function: one strong or two weak ones.
bool enough(const QList<CodeSignal> &signalList);
// One line per signal, for the prompt.
QString describe(const QList<CodeSignal> &signalList);

} // namespace CodeSignals
} // namespace codeworm
