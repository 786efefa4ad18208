#include "analysis/CodeExtractor.h"

#include "analysis/Language.h"

#include <QLoggingCategory>
#include <QSet>

#include <tree_sitter/api.h>

#include <memory>
#include <string_view>
#include <vector>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcExtractor, "codeworm.analysis")

using namespace std::string_view_literals;

struct ParserDeleter
{
    void operator()(TSParser *parser) const { ts_parser_delete(parser); }
};

struct TreeDeleter
{
    void operator()(TSTree *tree) const { ts_tree_delete(tree); }
};

class TreeCursor
{
public:
    explicit TreeCursor(TSNode node)
        : m_cursor(ts_tree_cursor_new(node))
    {}
    ~TreeCursor() { ts_tree_cursor_delete(&m_cursor); }
    TreeCursor(const TreeCursor &) = delete;
    TreeCursor &operator=(const TreeCursor &) = delete;
    TSTreeCursor *get() { return &m_cursor; }

private:
    TSTreeCursor m_cursor;
};

// Pre-order walk of the subtree below root (root included). visit(node, depth) returns
// whether to enter the node's children; depth is relative to root. Iterative, so that
// deeply nested expressions cannot exhaust a worker thread's stack.
template<typename Visit>
void walk(TSNode root, Visit visit)
{
    TreeCursor cursor(root);
    uint32_t depth = 0;
    for (;;) {
        const TSNode node = ts_tree_cursor_current_node(cursor.get());
        if (visit(node, depth) && ts_tree_cursor_goto_first_child(cursor.get())) {
            ++depth;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(cursor.get())) {
            if (!ts_tree_cursor_goto_parent(cursor.get())) {
                return;
            }
            --depth;
        }
    }
}

std::string_view typeOf(TSNode node)
{
    return ts_node_type(node);
}

TSNode field(TSNode node, std::string_view name)
{
    return ts_node_child_by_field_name(node, name.data(), static_cast<uint32_t>(name.size()));
}

enum class Grammar { Python, Cpp, C };

struct ClassFrame
{
    uint32_t depth;
    QString name; // empty: a scope whose functions are free functions (C++ friends)
};

// What a C/C++ declarator says about the function it declares.
struct Declared
{
    QString name;
    QString scope; // last scope of a qualified name ("Class" in Ns::Class::method)
    bool qualified = false;
    TSNode parameters{};
};

class Extractor
{
public:
    Extractor(Grammar grammar, const QByteArray &content)
        : m_grammar(grammar)
        , m_content(content)
    {}

    QList<CodeSymbol> run(TSNode root)
    {
        walk(root, [this](TSNode node, uint32_t depth) { return visit(node, depth); });
        // A scope that this file declares as a namespace (and never as a class) holds free
        // functions, e.g. `int util::clamp(...)` defined after `namespace util { ... }`.
        for (qsizetype i = 0; i < m_symbols.size(); ++i) {
            CodeSymbol &symbol = m_symbols[i];
            if (m_scopedByName.at(i) && m_namespaces.contains(symbol.className) &&
                !m_classNames.contains(symbol.className)) {
                symbol.kind = CodeSymbol::Kind::Function;
                symbol.className.clear();
                symbol.displayName = symbol.name;
            }
        }
        return m_symbols;
    }

private:
    bool visit(TSNode node, uint32_t depth)
    {
        while (!m_scopes.empty() && m_scopes.back().depth >= depth) {
            m_scopes.pop_back();
        }
        const std::string_view type = typeOf(node);
        if (type == "function_definition"sv) {
            if (m_grammar == Grammar::Python) {
                addPythonFunction(node);
            } else {
                addCFunction(node);
            }
            // Nested functions, local classes and lambdas belong to their function.
            return false;
        }
        if (m_grammar == Grammar::Python) {
            if (type == "class_definition"sv) {
                m_scopes.push_back({depth, text(field(node, "name"sv))});
            }
            return true;
        }
        if (type == "class_specifier"sv || type == "struct_specifier"sv ||
            type == "union_specifier"sv) {
            const QString name = specifierName(field(node, "name"sv));
            if (!name.isEmpty()) {
                m_classNames.insert(name);
            }
            if (!ts_node_is_null(field(node, "body"sv))) {
                m_scopes.push_back({depth, name});
            }
        } else if (type == "friend_declaration"sv) {
            m_scopes.push_back({depth, QString()});
        } else if (type == "namespace_definition"sv) {
            recordNamespace(field(node, "name"sv));
        } else if (type == "lambda_expression"sv) {
            return false;
        }
        return true;
    }

    void addPythonFunction(TSNode node)
    {
        TSNode outer = node;
        const TSNode parent = ts_node_parent(node);
        if (!ts_node_is_null(parent) && typeOf(parent) == "decorated_definition"sv) {
            outer = parent;
        }
        if (ts_node_has_error(outer)) {
            return;
        }
        const QString name = text(field(node, "name"sv));
        if (name.isEmpty()) {
            return;
        }
        CodeSymbol symbol;
        symbol.name = name;
        symbol.className = currentClass();
        symbol.kind =
            symbol.className.isEmpty() ? CodeSymbol::Kind::Function : CodeSymbol::Kind::Method;
        symbol.parameterCount = pythonParameterCount(field(node, "parameters"sv),
                                                     symbol.kind == CodeSymbol::Kind::Method);
        finish(symbol, node, outer, false);
    }

    void addCFunction(TSNode node)
    {
        // "= default", "= delete" and pure declarations have no body: nothing to document.
        if (ts_node_is_null(field(node, "body"sv))) {
            return;
        }
        TSNode outer = node;
        for (TSNode parent = ts_node_parent(outer);
             !ts_node_is_null(parent) && typeOf(parent) == "template_declaration"sv;
             parent = ts_node_parent(parent)) {
            outer = parent;
        }
        if (ts_node_has_error(outer)) {
            return;
        }
        const Declared declared = resolveDeclarator(field(node, "declarator"sv));
        if (declared.name.isEmpty()) {
            return;
        }
        CodeSymbol symbol;
        symbol.name = declared.name;
        symbol.className = declared.qualified ? declared.scope : currentClass();
        symbol.kind =
            symbol.className.isEmpty() ? CodeSymbol::Kind::Function : CodeSymbol::Kind::Method;
        symbol.parameterCount = cParameterCount(declared.parameters);
        finish(symbol, node, outer, declared.qualified && !declared.scope.isEmpty());
    }

    void finish(CodeSymbol &symbol, TSNode function, TSNode outer, bool scopedByName)
    {
        symbol.displayName = symbol.className.isEmpty()
                                 ? symbol.name
                                 : symbol.className + QLatin1Char('.') + symbol.name;
        symbol.complexity = complexity(function);

        // Whole lines, so that the source keeps its indentation.
        const TSPoint start = ts_node_start_point(outer);
        const TSPoint end = ts_node_end_point(outer);
        uint32_t endRow = end.row;
        qsizetype endByte = ts_node_end_byte(outer);
        if (end.column == 0 && endRow > start.row) {
            --endRow;
            --endByte;
        }
        const qsizetype startByte = ts_node_start_byte(outer);
        const qsizetype lineStart =
            startByte == 0 ? 0 : m_content.lastIndexOf('\n', startByte - 1) + 1;
        qsizetype lineEnd = m_content.indexOf('\n', endByte);
        if (lineEnd < 0) {
            lineEnd = m_content.size();
        }
        if (lineEnd > lineStart && m_content.at(lineEnd - 1) == '\r') {
            --lineEnd;
        }
        symbol.startLine = static_cast<int>(start.row) + 1;
        symbol.endLine = static_cast<int>(endRow) + 1;
        symbol.startByte = static_cast<int>(lineStart);
        symbol.endByte = static_cast<int>(lineEnd);
        symbol.source = QString::fromUtf8(m_content.mid(lineStart, lineEnd - lineStart));
        m_symbols.append(symbol);
        m_scopedByName.append(scopedByName);
    }

    int complexity(TSNode function) const
    {
        int decisions = 0;
        walk(function, [&](TSNode node, uint32_t depth) {
            const std::string_view type = typeOf(node);
            if (depth > 0 && isNestedScope(type)) {
                return false;
            }
            if (isDecision(node, type)) {
                ++decisions;
            }
            return true;
        });
        return 1 + decisions;
    }

    bool isNestedScope(std::string_view type) const
    {
        if (m_grammar == Grammar::Python) {
            return type == "function_definition"sv || type == "class_definition"sv ||
                   type == "lambda"sv;
        }
        return type == "function_definition"sv || type == "lambda_expression"sv ||
               type == "class_specifier"sv || type == "struct_specifier"sv ||
               type == "union_specifier"sv;
    }

    bool isDecision(TSNode node, std::string_view type) const
    {
        if (m_grammar == Grammar::Python) {
            if (type == "case_clause"sv) {
                return !isPythonWildcardCase(node);
            }
            return type == "if_statement"sv || type == "elif_clause"sv ||
                   type == "for_statement"sv || type == "while_statement"sv ||
                   type == "except_clause"sv || type == "conditional_expression"sv ||
                   type == "boolean_operator"sv || type == "for_in_clause"sv ||
                   type == "if_clause"sv;
        }
        if (type == "case_statement"sv) {
            // "default:" is a case_statement without a value.
            return !ts_node_is_null(field(node, "value"sv));
        }
        if (type == "binary_expression"sv) {
            const TSNode op = field(node, "operator"sv);
            if (ts_node_is_null(op)) {
                return false;
            }
            const std::string_view spelling = typeOf(op);
            return spelling == "&&"sv || spelling == "||"sv || spelling == "and"sv ||
                   spelling == "or"sv;
        }
        return type == "if_statement"sv || type == "for_statement"sv ||
               type == "for_range_loop"sv || type == "while_statement"sv ||
               type == "do_statement"sv || type == "catch_clause"sv ||
               type == "conditional_expression"sv;
    }

    // "case _:" without a guard is the match statement's default branch: no decision.
    static bool isPythonWildcardCase(TSNode caseClause)
    {
        if (!ts_node_is_null(field(caseClause, "guard"sv))) {
            return false;
        }
        const uint32_t count = ts_node_named_child_count(caseClause);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(caseClause, i);
            if (typeOf(child) == "case_pattern"sv && ts_node_named_child_count(child) > 0) {
                return false;
            }
        }
        return true;
    }

    int pythonParameterCount(TSNode parameters, bool isMethod) const
    {
        if (ts_node_is_null(parameters)) {
            return 0;
        }
        int count = 0;
        bool first = true;
        const uint32_t children = ts_node_named_child_count(parameters);
        for (uint32_t i = 0; i < children; ++i) {
            const TSNode child = ts_node_named_child(parameters, i);
            const std::string_view type = typeOf(child);
            // "*" and "/" only separate parameters.
            if (type == "keyword_separator"sv || type == "positional_separator"sv ||
                type == "comment"sv) {
                continue;
            }
            // The instance or class a method receives is not a parameter of interest.
            if (first && isMethod) {
                QString name;
                if (type == "identifier"sv) {
                    name = text(child);
                } else if (type == "typed_parameter"sv && ts_node_named_child_count(child) > 0) {
                    name = text(ts_node_named_child(child, 0));
                }
                first = false;
                if (name == QLatin1String("self") || name == QLatin1String("cls")) {
                    continue;
                }
            }
            first = false;
            ++count;
        }
        return count;
    }

    int cParameterCount(TSNode parameters) const
    {
        if (ts_node_is_null(parameters)) {
            return 0;
        }
        int count = 0;
        const uint32_t children = ts_node_named_child_count(parameters);
        for (uint32_t i = 0; i < children; ++i) {
            const TSNode child = ts_node_named_child(parameters, i);
            const std::string_view type = typeOf(child);
            if (type == "parameter_declaration"sv || type == "optional_parameter_declaration"sv ||
                type == "variadic_parameter_declaration"sv || type == "identifier"sv) {
                ++count;
            }
        }
        // "(void)" declares no parameters.
        if (count == 1 && children == 1) {
            const TSNode only = ts_node_named_child(parameters, 0);
            if (typeOf(only) == "parameter_declaration"sv &&
                ts_node_is_null(field(only, "declarator"sv)) &&
                text(field(only, "type"sv)) == QLatin1String("void")) {
                return 0;
            }
        }
        return count;
    }

    Declared resolveDeclarator(TSNode declarator) const
    {
        TSNode node = declarator;
        while (!ts_node_is_null(node)) {
            const std::string_view type = typeOf(node);
            if (type == "function_declarator"sv) {
                Declared declared = resolveName(field(node, "declarator"sv));
                declared.parameters = field(node, "parameters"sv);
                return declared;
            }
            if (type == "operator_cast"sv || type == "qualified_identifier"sv) {
                // Conversion operators: `operator bool() const`, `Foo::operator bool()`.
                return resolveName(node);
            }
            if (type == "pointer_declarator"sv || type == "reference_declarator"sv ||
                type == "parenthesized_declarator"sv || type == "attributed_declarator"sv) {
                const TSNode inner = field(node, "declarator"sv);
                node = ts_node_is_null(inner) ? ts_node_named_child(node, 0) : inner;
                continue;
            }
            break;
        }
        return {};
    }

    Declared resolveName(TSNode node) const
    {
        Declared declared;
        while (!ts_node_is_null(node) && typeOf(node) == "qualified_identifier"sv) {
            declared.qualified = true;
            declared.scope = specifierName(field(node, "scope"sv));
            node = field(node, "name"sv);
        }
        if (ts_node_is_null(node)) {
            return {};
        }
        if (const std::string_view type = typeOf(node);
            type == "template_function"sv || type == "template_method"sv) {
            node = field(node, "name"sv);
        }
        if (typeOf(node) == "operator_cast"sv) {
            // The name runs up to the parameter list: "operator bool", "operator T*".
            TSNode function = field(node, "declarator"sv);
            while (!ts_node_is_null(function) &&
                   typeOf(function) != "abstract_function_declarator"sv) {
                const TSNode inner = field(function, "declarator"sv);
                function = ts_node_is_null(inner) ? ts_node_named_child(function, 0) : inner;
            }
            const uint32_t nameEnd =
                ts_node_is_null(function) ? ts_node_end_byte(node) : ts_node_start_byte(function);
            declared.name = QString::fromUtf8(m_content.constData() + ts_node_start_byte(node),
                                              qsizetype(nameEnd - ts_node_start_byte(node)))
                                .simplified();
            if (!ts_node_is_null(function)) {
                declared.parameters = field(function, "parameters"sv);
            }
            return declared;
        }
        const std::string_view nameType = typeOf(node);
        if (nameType == "operator_name"sv) {
            declared.name = operatorName(text(node));
        } else if (nameType == "destructor_name"sv) {
            declared.name = text(node).remove(QLatin1Char(' '));
        } else if (nameType == "identifier"sv || nameType == "field_identifier"sv ||
                   nameType == "type_identifier"sv) {
            declared.name = text(node);
        }
        return declared;
    }

    // "operator ==" → "operator==", "operator  new" → "operator new".
    static QString operatorName(const QString &spelling)
    {
        QString name = spelling.simplified();
        const qsizetype keyword = QStringLiteral("operator").size();
        if (name.size() > keyword + 1 && name.at(keyword) == QLatin1Char(' ') &&
            !name.at(keyword + 1).isLetter()) {
            name.remove(keyword, 1);
        }
        return name;
    }

    // The class a specifier or scope names: "Foo" for Foo, Foo<T> and ns::Foo.
    QString specifierName(TSNode node) const
    {
        while (!ts_node_is_null(node)) {
            const std::string_view type = typeOf(node);
            if (type == "template_type"sv || type == "qualified_identifier"sv) {
                node = field(node, "name"sv);
                continue;
            }
            if (type == "decltype"sv) {
                return {};
            }
            return text(node);
        }
        return {};
    }

    void recordNamespace(TSNode name)
    {
        if (ts_node_is_null(name)) {
            return;
        }
        if (typeOf(name) == "nested_namespace_specifier"sv) {
            const uint32_t count = ts_node_named_child_count(name);
            for (uint32_t i = 0; i < count; ++i) {
                m_namespaces.insert(text(ts_node_named_child(name, i)));
            }
            return;
        }
        m_namespaces.insert(text(name));
    }

    QString currentClass() const { return m_scopes.empty() ? QString() : m_scopes.back().name; }

    QString text(TSNode node) const
    {
        if (ts_node_is_null(node)) {
            return {};
        }
        const uint32_t start = ts_node_start_byte(node);
        const uint32_t end = ts_node_end_byte(node);
        return QString::fromUtf8(m_content.constData() + start, qsizetype(end - start));
    }

    Grammar m_grammar;
    const QByteArray &m_content;
    std::vector<ClassFrame> m_scopes;
    QSet<QString> m_namespaces;
    QSet<QString> m_classNames;
    QList<CodeSymbol> m_symbols;
    QList<bool> m_scopedByName;
};

} // namespace

QList<CodeSymbol> CodeExtractor::extract(const QString &language, const QByteArray &content)
{
    Grammar grammar = Grammar::Python;
    if (language == QLatin1String("python")) {
        grammar = Grammar::Python;
    } else if (language == QLatin1String("cpp")) {
        grammar = Grammar::Cpp;
    } else if (language == QLatin1String("c")) {
        grammar = Grammar::C;
    } else {
        return {};
    }
    const std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
    if (!ts_parser_set_language(parser.get(), Language::grammar(language))) {
        qCWarning(lcExtractor).noquote()
            << QStringLiteral("the %1 grammar does not fit the tree-sitter runtime (ABI %2)")
                   .arg(language)
                   .arg(TREE_SITTER_LANGUAGE_VERSION);
        return {};
    }
    const std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse_string(
        parser.get(), nullptr, content.constData(), static_cast<uint32_t>(content.size())));
    if (!tree) {
        return {};
    }
    return Extractor(grammar, content).run(ts_tree_root_node(tree.get()));
}

} // namespace codeworm
