#include "analysis/Language.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

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

namespace {

// The header's text without comments, string literals and the parts only a C++ compiler
// sees (`#ifdef __cplusplus` blocks, which C headers use for their extern "C" guards).
QByteArray plainCode(const QByteArray &content)
{
    QByteArray code;
    code.reserve(content.size());
    int cplusplusDepth = 0; // > 0: inside #if(def) __cplusplus
    int conditionalDepth = 0;
    const QList<QByteArray> lines = content.split('\n');
    bool inComment = false;
    for (const QByteArray &rawLine : lines) {
        const QByteArray trimmed = rawLine.trimmed();
        if (!inComment && trimmed.startsWith('#')) {
            const QByteArray directive = trimmed.mid(1).trimmed();
            if (directive.startsWith("if")) {
                ++conditionalDepth;
                if (cplusplusDepth == 0 && directive.contains("__cplusplus") &&
                    !directive.contains('!')) {
                    cplusplusDepth = conditionalDepth;
                }
            } else if (directive.startsWith("endif")) {
                if (cplusplusDepth == conditionalDepth) {
                    cplusplusDepth = 0;
                }
                conditionalDepth = std::max(0, conditionalDepth - 1);
            } else if (directive.startsWith("el") && cplusplusDepth == conditionalDepth) {
                cplusplusDepth = 0; // the #else of an __cplusplus test is C
            }
            code += '\n';
            continue;
        }
        if (cplusplusDepth > 0) {
            code += '\n';
            continue;
        }
        for (qsizetype i = 0; i < rawLine.size(); ++i) {
            const char c = rawLine.at(i);
            if (inComment) {
                if (c == '*' && i + 1 < rawLine.size() && rawLine.at(i + 1) == '/') {
                    inComment = false;
                    ++i;
                }
                continue;
            }
            if (c == '/' && i + 1 < rawLine.size() && rawLine.at(i + 1) == '/') {
                break;
            }
            if (c == '/' && i + 1 < rawLine.size() && rawLine.at(i + 1) == '*') {
                inComment = true;
                ++i;
                continue;
            }
            if (c == '"' || c == '\'') {
                qsizetype end = i + 1;
                while (end < rawLine.size() && rawLine.at(end) != c) {
                    end += rawLine.at(end) == '\\' ? 2 : 1;
                }
                i = end;
                code += ' ';
                continue;
            }
            code += c;
        }
        code += '\n';
    }
    return code;
}

bool looksLikeCpp(const QByteArray &content)
{
    static const QRegularExpression cpp(
        QStringLiteral("\\bclass\\s+\\w+\\s*(final\\s*)?(:[^:]|\\{)|"
                       "\\bstruct\\s+\\w+\\s*(final\\s*)?:[^:]|"
                       "\\bnamespace\\s+\\w*\\s*\\{|\\busing\\s+namespace\\b|"
                       "\\btemplate\\s*<|^\\s*(public|private|protected)\\s*:|"
                       "\\w::~?\\w|\\bvirtual\\b|\\boperator\\s*(==|!=|<<|>>|\\(\\)|\\[\\]|=)"),
        QRegularExpression::MultilineOption);
    return cpp.match(QString::fromUtf8(plainCode(content))).hasMatch();
}

} // namespace

QString forContent(const QString &path, const QByteArray &content, const QString &headerLanguage)
{
    const QString language = forPath(path);
    if (!path.endsWith(QLatin1String(".h"))) {
        return language;
    }
    if (headerLanguage == QLatin1String("c") || headerLanguage == QLatin1String("cpp")) {
        return headerLanguage;
    }
    return looksLikeCpp(content) ? QStringLiteral("cpp") : QStringLiteral("c");
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
