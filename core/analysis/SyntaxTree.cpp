#include "analysis/SyntaxTree.h"

#include <QLoggingCategory>

#include <unordered_map>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcSyntaxTree, "codeworm.analysis")

struct ParserDeleter
{
    void operator()(TSParser *parser) const { ts_parser_delete(parser); }
};

} // namespace

SyntaxTree parseSyntaxTree(const QString &language, const TSLanguage *grammar,
                           const QByteArray &content)
{
    if (!grammar) {
        return nullptr;
    }
    thread_local std::unordered_map<const TSLanguage *, std::unique_ptr<TSParser, ParserDeleter>>
        parsers;
    std::unique_ptr<TSParser, ParserDeleter> &parser = parsers[grammar];
    if (!parser) {
        parser.reset(ts_parser_new());
        if (!ts_parser_set_language(parser.get(), grammar)) {
            qCWarning(lcSyntaxTree).noquote()
                << QStringLiteral("the %1 grammar does not fit the tree-sitter runtime (ABI %2)")
                       .arg(language)
                       .arg(TREE_SITTER_LANGUAGE_VERSION);
            parser.reset();
            return nullptr;
        }
    }
    ts_parser_reset(parser.get());
    return SyntaxTree(ts_parser_parse_string(parser.get(), nullptr, content.constData(),
                                             static_cast<uint32_t>(content.size())));
}

} // namespace codeworm
