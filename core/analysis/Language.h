#pragma once

#include <QString>

struct TSLanguage;

namespace codeworm {

// Languages CodeWorm can parse, keyed by the names used in paths and config
// ("python", "cpp", "c", "javascript", "typescript", "tsx", "go", "rust", "java").
namespace Language {

// Language for a repository-relative path by its extension; empty when unsupported.
QString forPath(const QString &path);
// The compiled tree-sitter grammar; nullptr when unknown.
const TSLanguage *grammar(const QString &language);
// Name for Markdown code fences and headings ("python", "cpp", ...).
QString fenceName(const QString &language);
// Line comment prefix ("#", "//").
QString lineComment(const QString &language);

} // namespace Language
} // namespace codeworm
