#pragma once

#include <QString>
#include <QStringList>

namespace codeworm {

// A definition found in a source file: a callable (function, method) or a type-like
// container (class, struct, interface, trait, enum, impl block, namespace).
struct CodeSymbol
{
    enum class Kind { Function, Method, Class, Struct, Interface, Trait, Enum, Impl, Namespace };

    Kind kind = Kind::Function;
    QString name;        // "parse"
    QString className;   // enclosing type (class, struct, impl target, Go receiver); else empty
    QString displayName; // "Parser.parse" in every language, "parse" for a free function;
                         // nested types chain: "Outer.Inner.method"
    int startLine = 0;   // 1-based, inclusive; decorators, attributes and template<> included
    int endLine = 0;     // 1-based, inclusive
    int startByte = 0;   // byte range of source in the file: start of startLine ...
    int endByte = 0;     // ... to the end of endLine (exclusive, before the line break)

    QStringList parameters; // parameter names in order (receiver/self/this excluded)
    QStringList decorators; // decorators, annotations, attributes as written ("@property")
    QString docComment;     // docstring or leading doc comment, comment markers stripped

    bool isAsync = false;
    bool isStatic = false;         // static method / class method / associated fn without self
    bool isAbstract = false;       // abstract method or class, pure virtual members
    bool isGenerator = false;      // yields (Python yield, JS function*)
    bool isContextManager = false; // __enter__/__exit__, @contextmanager, AutoCloseable, Drop
    bool isProperty = false;       // @property, get/set accessors
    bool isDataClass = false;      // @dataclass, Java record, Rust derive-only data struct

    // Metrics from the syntax tree. For a type: complexity is the sum over its methods,
    // maxNesting the maximum over them.
    int complexity = 1;  // cyclomatic (McCabe), 1 + decision points
    int maxNesting = 0;  // deepest nesting of blocks inside the body (0: straight-line)
    int linesOfCode = 0; // lines with code: neither blank nor comment-only
    int tokenCount = 0;  // leaf tokens, comments excluded
    int parameterCount = 0;

    QString source; // the definition's text, whole lines
    int lineCount() const { return endLine - startLine + 1; }
    bool isCallable() const { return kind == Kind::Function || kind == Kind::Method; }

    // "function", "method", "class", "struct", "interface", "trait", "enum", "impl",
    // "namespace": the names used in the index, JSON and the command line.
    static QString kindName(Kind kind);
    // Inverse of kindName; false when the name is unknown.
    static bool kindFromName(const QString &name, Kind *kind);
};

// Metrics of a whole file.
struct FileMetrics
{
    int complexity = 0;  // sum over the file's callables plus decision points outside them
                         // (never 0 for code with branches)
    int maxNesting = 0;  // maximum over its callables
    int linesOfCode = 0; // lines with code in the file
    int totalLines = 0;
    int tokenCount = 0;
    int functionCount = 0; // callables
    int typeCount = 0;     // classes, structs, interfaces, traits, enums
};

// Everything the extractor learns from one file.
struct FileAnalysis
{
    QList<CodeSymbol> symbols; // source order (a type comes before its members)
    FileMetrics metrics;
    QString docComment;           // module docstring / file header comment
    bool hasSyntaxErrors = false; // parts failed to parse; symbols that parsed are kept
};

} // namespace codeworm
