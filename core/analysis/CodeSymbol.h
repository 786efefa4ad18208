#pragma once

#include <QString>

namespace codeworm {

// A function or method found in a source file.
struct CodeSymbol
{
    enum class Kind { Function, Method };

    Kind kind = Kind::Function;
    QString name;        // "parse"
    QString className;   // enclosing class/struct for methods, else empty
    QString displayName; // "Parser.parse" for methods, else "parse"
    int startLine = 0;   // 1-based, inclusive; decorators and template<> lines included
    int endLine = 0;     // 1-based, inclusive
    int startByte = 0;   // byte range of source in the file: start of startLine ...
    int endByte = 0;     // ... to the end of endLine (exclusive, before the line break)
    int complexity = 1;  // cyclomatic complexity from the syntax tree
    int parameterCount = 0;
    QString source; // the definition's text, whole lines
    int lineCount() const { return endLine - startLine + 1; }
};

} // namespace codeworm
