#include "analysis/Language.h"

#include <QHash>

#include <tree_sitter/api.h>

extern "C" {
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_java(void);
}

namespace codeworm::Language {

namespace {

const QHash<QString, QString> &languageByExtension()
{
    static const QHash<QString, QString> table = {
        {QStringLiteral("py"), QStringLiteral("python")},
        {QStringLiteral("cpp"), QStringLiteral("cpp")},
        {QStringLiteral("cc"), QStringLiteral("cpp")},
        {QStringLiteral("cxx"), QStringLiteral("cpp")},
        {QStringLiteral("hpp"), QStringLiteral("cpp")},
        {QStringLiteral("hh"), QStringLiteral("cpp")},
        {QStringLiteral("hxx"), QStringLiteral("cpp")},
        // A .h file may be C or C++; the C++ grammar parses both well enough.
        {QStringLiteral("h"), QStringLiteral("cpp")},
        {QStringLiteral("c"), QStringLiteral("c")},
        {QStringLiteral("js"), QStringLiteral("javascript")},
        {QStringLiteral("jsx"), QStringLiteral("javascript")},
        {QStringLiteral("mjs"), QStringLiteral("javascript")},
        {QStringLiteral("cjs"), QStringLiteral("javascript")},
        {QStringLiteral("ts"), QStringLiteral("typescript")},
        {QStringLiteral("mts"), QStringLiteral("typescript")},
        {QStringLiteral("cts"), QStringLiteral("typescript")},
        {QStringLiteral("tsx"), QStringLiteral("tsx")},
        {QStringLiteral("go"), QStringLiteral("go")},
        {QStringLiteral("rs"), QStringLiteral("rust")},
        {QStringLiteral("java"), QStringLiteral("java")},
    };
    return table;
}

} // namespace

QString forPath(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    // A dot that starts the file name ("/.py") marks a hidden file, not an extension.
    if (dot <= slash + 1) {
        return {};
    }
    return languageByExtension().value(path.mid(dot + 1));
}

const TSLanguage *grammar(const QString &language)
{
    using GrammarFunction = const TSLanguage *(*)();
    static const QHash<QString, GrammarFunction> grammars = {
        {QStringLiteral("python"), &tree_sitter_python},
        {QStringLiteral("cpp"), &tree_sitter_cpp},
        {QStringLiteral("c"), &tree_sitter_c},
        {QStringLiteral("javascript"), &tree_sitter_javascript},
        {QStringLiteral("typescript"), &tree_sitter_typescript},
        {QStringLiteral("tsx"), &tree_sitter_tsx},
        {QStringLiteral("go"), &tree_sitter_go},
        {QStringLiteral("rust"), &tree_sitter_rust},
        {QStringLiteral("java"), &tree_sitter_java},
    };
    const GrammarFunction function = grammars.value(language);
    return function ? function() : nullptr;
}

QString fenceName(const QString &language)
{
    // Every language name is also the fence name GitHub and common renderers highlight.
    return grammar(language) ? language : QString();
}

QString lineComment(const QString &language)
{
    return language == QLatin1String("python") ? QStringLiteral("#") : QStringLiteral("//");
}

} // namespace codeworm::Language
