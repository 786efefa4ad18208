#pragma once

#include <QString>

struct TSLanguage;

namespace codeworm {

// Languages CodeWorm can parse, keyed by the names used in paths and config
// ("python", "cpp", "c", "javascript", "typescript", "tsx", "go", "rust", "java").
namespace Language {

// Language for a repository-relative path by its extension; empty when unsupported. A
// ".h" file answers "cpp" here; forContent() decides it once the content is known.
QString forPath(const QString &path);
// The language of a file once its content is known: a ".h" header is "c" unless it shows
// C++ (classes, namespaces, templates, access specifiers, "::" names, extern "C" guards do
// not count as C++). headerLanguage "c" or "cpp" forces the choice ("auto": by content).
QString forContent(const QString &path, const QByteArray &content,
                   const QString &headerLanguage = QStringLiteral("auto"));
// The compiled tree-sitter grammar; nullptr when unknown.
const TSLanguage *grammar(const QString &language);
// Name for Markdown code fences and headings ("python", "cpp", ...).
QString fenceName(const QString &language);
// Line comment prefix ("#", "//").
QString lineComment(const QString &language);

} // namespace Language
} // namespace codeworm
