#include "analysis/CodeExtractor.h"

#include "analysis/Language.h"
#include "analysis/LanguageSpec.h"
#include "analysis/SyntaxTree.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <tree_sitter/api.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace codeworm {

namespace {

using namespace std::string_view_literals;
using Kind = CodeSymbol::Kind;
using Role = CompiledSpec::Role;
using Hook = LanguageSpec::Hook;
using DefaultArm = LanguageSpec::DefaultArm;

std::string_view typeOf(TSNode node)
{
    return ts_node_type(node);
}

struct FieldKey
{
    const TSLanguage *language;
    const char *name; // a literal: its address names it
    bool operator==(const FieldKey &) const = default;
};

struct FieldKeyHash
{
    size_t operator()(const FieldKey &key) const
    {
        return std::hash<const void *>()(key.language) ^ (std::hash<const void *>()(key.name) << 1);
    }
};

TSNode field(TSNode node, std::string_view name)
{
    // ts_node_child_by_field_name compares the name with the grammar's field names on every
    // call; the names here are literals, so each id is looked up once per grammar and thread.
    thread_local std::unordered_map<FieldKey, TSFieldId, FieldKeyHash> ids;
    const FieldKey key{ts_node_language(node), name.data()};
    auto it = ids.find(key);
    if (it == ids.end()) {
        it = ids.emplace(key, ts_language_field_id_for_name(key.language, name.data(),
                                                            static_cast<uint32_t>(name.size())))
                 .first;
    }
    return it->second == 0 ? TSNode{} : ts_node_child_by_field_id(node, it->second);
}

bool isNull(TSNode node)
{
    return ts_node_is_null(node);
}

// The row a node ends on; a token that swallows its line break ends at column 0 of the
// next row, which is not part of it.
uint32_t lastRow(TSPoint start, TSPoint end)
{
    return end.column == 0 && end.row > start.row ? end.row - 1 : end.row;
}

uint32_t lastRow(TSNode node)
{
    return lastRow(ts_node_start_point(node), ts_node_end_point(node));
}

// What a C/C++ declarator says about the function it declares.
struct Declared
{
    QString name;
    QStringList scopes; // Ns, Class of Ns::Class::method
    bool qualified = false;
    TSNode parameters{};
};

enum class FrameKind { Container, Namespace, Friend, Callable, Anonymous };

// An open definition on the way from the root to the current node.
struct Frame
{
    uint32_t depth;
    FrameKind kind;
    int symbol; // index into the symbols, -1 when not emitted
    QString name;
    size_t nestingBase; // open nesting blocks when the frame opened
};

// Bookkeeping per emitted symbol that does not belong into CodeSymbol.
struct Entry
{
    int parent = -1;           // innermost enclosing emitted symbol
    QStringList scopes;        // C++ Ns::Class:: qualifiers of an out-of-line definition
    bool scopedByName = false; // className came from such a qualifier
    bool enters = false;       // Python class with __enter__/__aenter__
    bool exits = false;        // ... and __exit__/__aexit__
    bool derives = false;      // Rust #[derive(...)]
};

// Where a definition's name and class come from, as the hooks resolve it.
struct Found
{
    Kind kind = Kind::Function;
    QString name;
    QString className;
    QStringList chain; // enclosing type names, outermost first; the display name's prefix
    TSNode node{};
    TSNode outer{};
    TSNode parameters{};
    Entry entry;
};

class Extractor
{
public:
    Extractor(const CompiledSpec &spec, const QByteArray &content, bool withSources)
        : m_spec(spec)
        , m_hook(spec.spec().hook)
        , m_content(content)
        , m_withSources(withSources)
        , m_friendSymbol(spec.friendSymbol)
        , m_destructorSymbol(spec.destructorSymbol)
        , m_pureVirtualSymbol(spec.pureVirtualSymbol)
        , m_fieldDeclarationSymbol(spec.fieldDeclarationSymbol)
    {
        m_lineBreaks = content.count('\n');
        m_codeLines.assign(static_cast<size_t>(m_lineBreaks + 1), 0);
    }

    FileAnalysis run(TSNode root)
    {
        walkTree(root);
        FileAnalysis analysis;
        analysis.hasSyntaxErrors = ts_node_has_error(root);
        finishMetrics(analysis.metrics);
        resolveTypes();
        analysis.docComment = moduleDoc(root);
        analysis.symbols = std::move(m_symbols);
        return analysis;
    }

private:
    // Pre-order walk of the whole tree with one cursor: iterative, so that deeply nested
    // input cannot exhaust a worker thread's stack.
    void walkTree(TSNode root)
    {
        TreeCursor cursor(root);
        uint32_t depth = 0;
        // Siblings still to visit at each depth (ts_node_child_count counts what the cursor
        // visits): after the last one the walk climbs at once, as goto_next_sibling would
        // search the parent's children again only to fail.
        std::vector<uint32_t> remaining{0};
        for (;;) {
            const TSNode node = ts_tree_cursor_current_node(cursor.get());
            const uint32_t children = visit(node, depth, cursor.get());
            if (children > 0 && ts_tree_cursor_goto_first_child(cursor.get())) {
                ++depth;
                if (remaining.size() <= depth) {
                    remaining.resize(depth + 1);
                }
                remaining[depth] = children - 1;
                continue;
            }
            for (;;) {
                if (remaining[depth] > 0) {
                    --remaining[depth];
                    if (ts_tree_cursor_goto_next_sibling(cursor.get())) {
                        break;
                    }
                }
                if (depth == 0 || !ts_tree_cursor_goto_parent(cursor.get())) {
                    return;
                }
                --depth;
            }
        }
    }

    // cursor: at node; its field id is read only where a rule needs it. Returns the number
    // of children to walk: 0 for leaves and for nodes whose content does not count.
    uint32_t visit(TSNode node, uint32_t depth, const TSTreeCursor *cursor)
    {
        while (!m_frames.empty() && m_frames.back().depth >= depth) {
            if (m_frames.back().kind == FrameKind::Callable) {
                --m_opaque;
            }
            m_frames.pop_back();
        }
        while (!m_nesting.empty() && m_nesting.back() >= depth) {
            m_nesting.pop_back();
        }
        const TSSymbol symbol = ts_node_symbol(node);
        if (m_path.size() <= depth) {
            m_path.resize(depth + 1);
            m_nodes.resize(depth + 1);
            m_siblings.resize(depth + 1);
        }
        if (depth > m_depth) {
            m_siblings[depth].clear(); // the first child of a new parent
        } else if (m_spec.roles(m_path[depth]) & (Role::Comment | Role::PrecedingAttribute)) {
            // The previous sibling may document the next definition; any other node ends
            // what addSymbol() looks at.
            m_siblings[depth].push_back(m_nodes[depth]);
        } else {
            m_siblings[depth].clear();
        }
        m_path[depth] = symbol;
        m_nodes[depth] = node;
        m_depth = depth;
        const TSSymbol parent = depth > 0 ? m_path[depth - 1] : TSSymbol(0);
        const uint32_t roles = m_spec.roles(symbol);
        if (roles & Role::Comment) {
            return 0;
        }
        if (depth > 0 && m_spec.conditionField != 0 && m_spec.has(parent, Role::IgnoredCondition) &&
            ts_tree_cursor_current_field_id(cursor) == m_spec.conditionField) {
            return 0;
        }
        const uint32_t children = ts_node_child_count(node);
        if (children == 0) {
            countToken(node);
            if ((roles & Role::LogicalOperator) && depth > 0 &&
                m_spec.has(parent, Role::LogicalParent)) {
                addDecision();
            }
            return 0;
        }
        if ((roles & Role::Decision) || ((roles & Role::CaseArm) && !isDefaultArm(node))) {
            addDecision();
            // A Rust guard (`n if n > 5 =>`) is one more decision, as Python's `case x if y:`.
            if ((roles & Role::CaseArm) && m_spec.spec().defaultArm == DefaultArm::RustWildcard &&
                !isNull(field(field(node, "pattern"sv), "condition"sv))) {
                addDecision();
            }
        }
        if (roles & Role::Nesting) {
            const bool elseIf =
                (roles & Role::If) && depth > 0 &&
                (m_spec.has(parent, Role::ElseClause) ||
                 (m_spec.has(parent, Role::If) && m_spec.alternativeField != 0 &&
                  ts_tree_cursor_current_field_id(cursor) == m_spec.alternativeField));
            if (!elseIf) {
                m_nesting.push_back(depth);
                if (const Frame *owner = ownerFrame()) {
                    CodeSymbol &symbolOwner = m_symbols[owner->symbol];
                    symbolOwner.maxNesting =
                        std::max(symbolOwner.maxNesting,
                                 static_cast<int>(m_nesting.size() - owner->nestingBase));
                }
            }
        }
        if (roles & Role::Yield) {
            markGenerator();
        }
        if (m_hook == Hook::CFamily) {
            cFamilyMarks(node, symbol, depth);
        }
        if (roles & Role::Callable) {
            openCallable(node, depth, false);
        } else if (roles & Role::Anonymous) {
            openCallable(node, depth, true);
        } else if (roles & Role::Container) {
            openContainer(node, depth, symbol);
        }
        return children;
    }

    void countToken(TSNode node)
    {
        const uint32_t start = ts_node_start_byte(node);
        if (ts_node_end_byte(node) <= start) {
            return; // zero-width: a MISSING node or an empty external token
        }
        m_tokens.push_back(start);
        const TSPoint from = ts_node_start_point(node);
        const uint32_t first = from.row;
        const uint32_t last = std::min<uint32_t>(lastRow(from, ts_node_end_point(node)),
                                                 uint32_t(m_codeLines.size() - 1));
        for (uint32_t row = first; row <= last; ++row) {
            m_codeLines[row] = 1;
        }
    }

    // The emitted callable that metrics of the current node belong to.
    const Frame *ownerFrame() const
    {
        for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
            if (it->kind == FrameKind::Callable && it->symbol >= 0) {
                return &*it;
            }
        }
        return nullptr;
    }

    void addDecision()
    {
        if (const Frame *owner = ownerFrame()) {
            ++m_symbols[owner->symbol].complexity;
        } else {
            ++m_moduleDecisions;
        }
    }

    void markGenerator()
    {
        for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
            if (it->kind == FrameKind::Callable || it->kind == FrameKind::Anonymous) {
                if (it->symbol >= 0) {
                    m_symbols[it->symbol].isGenerator = true;
                }
                return;
            }
        }
    }

    bool isDefaultArm(TSNode node) const
    {
        switch (m_spec.spec().defaultArm) {
        case DefaultArm::None:
            return false;
        case DefaultArm::NoValueField:
            return isNull(field(node, "value"sv));
        case DefaultArm::DefaultToken:
            return ts_node_child_count(node) > 0 && typeOf(ts_node_child(node, 0)) == "default"sv;
        case DefaultArm::RustWildcard: {
            const TSNode pattern = field(node, "pattern"sv);
            if (isNull(pattern) || !isNull(field(pattern, "condition"sv))) {
                return false;
            }
            return text(pattern).trimmed() == QLatin1String("_");
        }
        case DefaultArm::PythonWildcard: {
            // "case _:" without a guard is the match statement's default branch.
            if (!isNull(field(node, "guard"sv))) {
                return false;
            }
            const uint32_t count = ts_node_named_child_count(node);
            for (uint32_t i = 0; i < count; ++i) {
                const TSNode child = ts_node_named_child(node, i);
                if (typeOf(child) == "case_pattern"sv && ts_node_named_child_count(child) > 0) {
                    return false;
                }
            }
            return true;
        }
        }
        return false;
    }

    // C++ facts that live outside function definitions: friends are free functions, pure
    // virtual members make a class abstract, a declared destructor makes it a scope guard.
    void cFamilyMarks(TSNode node, TSSymbol symbol, uint32_t depth)
    {
        if (m_opaque > 0) {
            return;
        }
        if (symbol == m_fieldDeclarationSymbol && !m_frames.empty() &&
            m_frames.back().kind == FrameKind::Container && m_frames.back().symbol >= 0) {
            // `virtual double area() const = 0;` declares a pure virtual member.
            const TSNode value = field(node, "default_value"sv);
            if (!isNull(value) && text(value) == QLatin1String("0") &&
                typeOf(field(node, "declarator"sv)) == "function_declarator"sv) {
                m_symbols[m_frames.back().symbol].isAbstract = true;
            }
            return;
        }
        if (symbol == m_friendSymbol) {
            m_frames.push_back({depth, FrameKind::Friend, -1, {}, m_nesting.size()});
        } else if (symbol == m_pureVirtualSymbol || symbol == m_destructorSymbol) {
            for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
                if (it->kind == FrameKind::Container) {
                    if (symbol == m_destructorSymbol) {
                        m_destructorClasses.insert(it->name);
                    } else if (it->symbol >= 0) {
                        m_symbols[it->symbol].isAbstract = true;
                    }
                    break;
                }
            }
        }
    }

    struct Context
    {
        QString className;
        QStringList chain;
        Kind containerKind = Kind::Class;
        bool inType = false;
    };

    // The type a definition at the current position belongs to.
    Context context() const
    {
        Context context;
        qsizetype innermost = -1;
        for (qsizetype i = qsizetype(m_frames.size()) - 1; i >= 0; --i) {
            const FrameKind kind = m_frames[size_t(i)].kind;
            if (kind == FrameKind::Namespace) {
                continue;
            }
            if (kind == FrameKind::Container) {
                innermost = i;
            }
            break;
        }
        if (innermost < 0) {
            return context;
        }
        const Frame &frame = m_frames[size_t(innermost)];
        context.className = frame.name;
        context.inType = true;
        if (frame.symbol >= 0) {
            context.containerKind = m_symbols[frame.symbol].kind;
        }
        for (qsizetype i = innermost; i >= 0; --i) {
            const Frame &outer = m_frames[size_t(i)];
            if (outer.kind == FrameKind::Container) {
                context.chain.prepend(outer.name);
            } else if (outer.kind != FrameKind::Namespace) {
                break;
            }
        }
        return context;
    }

    int enclosingSymbol() const
    {
        for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
            if (it->symbol >= 0) {
                return it->symbol;
            }
        }
        return -1;
    }

    void openCallable(TSNode node, uint32_t depth, bool anonymous)
    {
        int index = -1;
        if (m_opaque == 0) {
            Found found;
            found.node = node;
            found.outer = node;
            found.parameters = field(node, "parameters"sv);
            const bool named = anonymous ? resolveAnonymous(found) : resolveCallable(found);
            if (named && !found.name.isEmpty() && !callableBroken(found)) {
                index = addSymbol(found);
                if (index >= 0) {
                    finishCallable(found, m_symbols[index]);
                }
            } else if (anonymous || !isNull(field(node, "body"sv))) {
                // Not a callable we can name (a macro the grammar read as a function, a
                // header that failed to parse): what its body contains still counts.
                // Bodiless ones (`~Shape() = default;`) stay opaque: nothing in them counts.
                m_frames.push_back({depth, FrameKind::Anonymous, -1, {}, m_nesting.size()});
                return;
            }
        } else if (anonymous) {
            m_frames.push_back({depth, FrameKind::Anonymous, -1, {}, m_nesting.size()});
            return;
        }
        m_frames.push_back({depth, FrameKind::Callable, index, {}, m_nesting.size()});
        ++m_opaque;
    }

    void openContainer(TSNode node, uint32_t depth, TSSymbol symbol)
    {
        if (m_opaque > 0) {
            return; // local types belong to their function
        }
        Found found;
        found.node = node;
        found.outer = node;
        found.kind = m_spec.containerKind(symbol);
        found.chain = context().chain;
        if (!resolveContainer(found) || found.name.isEmpty()) {
            return;
        }
        const FrameKind frameKind =
            found.kind == Kind::Namespace ? FrameKind::Namespace : FrameKind::Container;
        // The frame's name is what members show as their class: an impl's target type.
        const QString frameName = found.className.isEmpty() ? found.name : found.className;
        found.className.clear();
        int index = -1;
        if (!containerBroken(found)) {
            index = addSymbol(found);
            if (index >= 0) {
                finishContainer(found, m_symbols[index]);
            }
        }
        m_frames.push_back({depth, frameKind, index, frameName, m_nesting.size()});
    }

    // A callable whose own text failed to parse is dropped: its source would mislead.
    bool callableBroken(const Found &found) const
    {
        if (ts_node_is_error(found.node) || ts_node_is_missing(found.node)) {
            return true;
        }
        if (!m_spec.spec().keepCallablesWithBodyErrors) {
            return ts_node_has_error(found.outer);
        }
        const TSNode body = field(found.node, "body"sv);
        if (isNull(body) || ts_node_is_missing(body)) {
            return true;
        }
        const uint32_t bodyChildren = ts_node_child_count(body);
        if (bodyChildren == 0 || ts_node_is_missing(ts_node_child(body, bodyChildren - 1))) {
            return true;
        }
        return cHeaderBroken(found.node, body);
    }

    // Unexpanded macros in a C header (`int EXPORT f(int x UNUSED)`) parse as ERROR nodes
    // of bare identifiers: harmless. Anything else in an ERROR, or a MISSING token, is not.
    static bool cHeaderBroken(TSNode node, TSNode body)
    {
        const uint32_t count = ts_node_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_child(node, i);
            if (!isNull(body) && ts_node_eq(child, body)) {
                break;
            }
            if (!ts_node_has_error(child)) {
                continue;
            }
            TreeCursor cursor(child);
            bool inError = false;
            uint32_t errorDepth = 0;
            uint32_t depth = 0;
            for (;;) {
                const TSNode current = ts_tree_cursor_current_node(cursor.get());
                if (ts_node_is_missing(current)) {
                    return true;
                }
                if (inError && depth <= errorDepth) {
                    inError = false;
                }
                if (ts_node_is_error(current)) {
                    inError = true;
                    errorDepth = depth;
                } else if (inError && ts_node_is_named(current)) {
                    const std::string_view type = typeOf(current);
                    if (type != "identifier"sv && type != "type_identifier"sv &&
                        type != "primitive_type"sv && type != "field_identifier"sv) {
                        return true;
                    }
                }
                const bool descend = ts_node_has_error(current) || inError;
                if (descend && ts_tree_cursor_goto_first_child(cursor.get())) {
                    ++depth;
                    continue;
                }
                bool done = false;
                while (!ts_tree_cursor_goto_next_sibling(cursor.get())) {
                    if (depth == 0 || !ts_tree_cursor_goto_parent(cursor.get())) {
                        done = true;
                        break;
                    }
                    --depth;
                }
                if (done || depth == 0) {
                    break;
                }
            }
        }
        return false;
    }

    // A type is kept when its header parsed, whatever happens in its body.
    bool containerBroken(const Found &found) const
    {
        if (ts_node_is_error(found.node) || ts_node_is_missing(found.node)) {
            return true;
        }
        const TSNode body = field(found.node, "body"sv);
        return headerHasError(found.node, body);
    }

    static bool headerHasError(TSNode node, TSNode body)
    {
        const uint32_t count = ts_node_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_child(node, i);
            if (!isNull(body) && ts_node_eq(child, body)) {
                break;
            }
            if (ts_node_has_error(child) || ts_node_is_missing(child)) {
                return true;
            }
        }
        return false;
    }

    // Hooks: name, class and extent of a named callable.
    bool resolveCallable(Found &found)
    {
        const Context context = this->context();
        found.className = context.className;
        found.chain = context.chain;
        switch (m_hook) {
        case Hook::CFamily:
            return resolveCFunction(found);
        case Hook::Go:
            if (typeOf(found.node) == "method_declaration"sv) {
                found.className = goReceiverType(field(found.node, "receiver"sv));
                found.chain = QStringList{found.className};
            }
            break;
        case Hook::JavaScript:
            if (typeOf(found.node) == "method_definition"sv) {
                const TSNode parent = parentOf(found.node);
                if (!isNull(parent) && typeOf(parent) == "object"sv) {
                    found.className = objectOwner(parent);
                    found.chain =
                        found.className.isEmpty() ? QStringList() : QStringList{found.className};
                }
            }
            break;
        case Hook::Python:
        case Hook::Rust:
        case Hook::Java:
            break;
        }
        if (isNull(field(found.node, "body"sv))) {
            return false; // abstract and interface methods, declarations
        }
        if (found.name.isEmpty()) {
            const TSNode name = field(found.node, "name"sv);
            found.name = m_hook == Hook::JavaScript ? propertyName(name) : text(name);
        }
        found.kind = found.className.isEmpty() ? Kind::Function : Kind::Method;
        found.outer = climbWrappers(found.node);
        return true;
    }

    bool resolveCFunction(Found &found)
    {
        // "= default", "= delete" and pure declarations have no body: nothing to document.
        if (isNull(field(found.node, "body"sv))) {
            return false;
        }
        const Declared declared = resolveDeclarator(field(found.node, "declarator"sv));
        if (declared.name.isEmpty()) {
            return false;
        }
        found.name = declared.name;
        found.parameters = declared.parameters;
        if (declared.qualified) {
            found.className = declared.scopes.isEmpty() ? QString() : declared.scopes.last();
            found.chain = found.className.isEmpty() ? QStringList() : QStringList{found.className};
            found.entry.scopes = declared.scopes;
            found.entry.scopedByName = !found.className.isEmpty();
        }
        found.kind = found.className.isEmpty() ? Kind::Function : Kind::Method;
        found.outer = climbWrappers(found.node);
        return true;
    }

    // JavaScript/TypeScript: a function expression takes the name it is assigned to.
    bool resolveAnonymous(Found &found)
    {
        if (m_hook != Hook::JavaScript) {
            return false;
        }
        if (!assignedName(found)) {
            return false;
        }
        found.kind = found.className.isEmpty() ? Kind::Function : Kind::Method;
        return true;
    }

    // Name, class and outer node of the value `node` where it is assigned to a variable,
    // member, object key or class field; false for anonymous values (callbacks).
    bool assignedName(Found &found)
    {
        TSNode child = found.node;
        TSNode parent = parentOf(child);
        while (!isNull(parent) && typeOf(parent) == "parenthesized_expression"sv) {
            child = parent;
            parent = parentOf(parent);
        }
        if (isNull(parent)) {
            return false;
        }
        const std::string_view type = typeOf(parent);
        if (type == "variable_declarator"sv) {
            const TSNode value = field(parent, "value"sv);
            const TSNode name = field(parent, "name"sv);
            if (isNull(value) || !ts_node_eq(value, child) || isNull(name) ||
                typeOf(name) != "identifier"sv) {
                return false;
            }
            found.name = text(name);
            found.outer = parent;
            const TSNode declaration = parentOf(parent);
            if (!isNull(declaration) && ts_node_named_child_count(declaration) == 1) {
                found.outer = climbWrappers(declaration);
            }
            return true;
        }
        if (type == "assignment_expression"sv) {
            const TSNode right = field(parent, "right"sv);
            if (isNull(right) || !ts_node_eq(right, child)) {
                return false;
            }
            const TSNode left = field(parent, "left"sv);
            if (typeOf(left) == "identifier"sv) {
                found.name = text(left);
            } else if (typeOf(left) == "member_expression"sv) {
                found.name = propertyName(field(left, "property"sv));
                found.className = memberOwner(field(left, "object"sv));
                found.chain =
                    found.className.isEmpty() ? QStringList() : QStringList{found.className};
            } else {
                return false;
            }
            const TSNode statement = parentOf(parent);
            found.outer = !isNull(statement) && typeOf(statement) == "expression_statement"sv
                              ? statement
                              : parent;
            return true;
        }
        if (type == "pair"sv) {
            const TSNode value = field(parent, "value"sv);
            if (isNull(value) || !ts_node_eq(value, child)) {
                return false;
            }
            found.name = propertyName(field(parent, "key"sv));
            found.className = objectOwner(parentOf(parent));
            found.chain = found.className.isEmpty() ? QStringList() : QStringList{found.className};
            found.outer = parent;
            return true;
        }
        if (type == "field_definition"sv || type == "public_field_definition"sv) {
            const TSNode value = field(parent, "value"sv);
            if (isNull(value) || !ts_node_eq(value, child)) {
                return false;
            }
            TSNode name = field(parent, "property"sv);
            if (isNull(name)) {
                name = field(parent, "name"sv);
            }
            found.name = propertyName(name);
            const Context context = this->context();
            found.className = context.className;
            found.chain = context.chain;
            found.outer = parent;
            return true;
        }
        return false;
    }

    // The class an assignment `Owner.name = function` adds to: `Foo.prototype.bar` and
    // `Foo.bar` belong to Foo; `exports.bar` and `module.exports.bar` to nobody.
    QString memberOwner(TSNode object) const
    {
        if (isNull(object)) {
            return {};
        }
        const std::string_view type = typeOf(object);
        if (type == "identifier"sv) {
            const QString name = text(object);
            static const QSet<QString> globals = {
                QStringLiteral("exports"), QStringLiteral("module"), QStringLiteral("window"),
                QStringLiteral("self"),    QStringLiteral("global"), QStringLiteral("globalThis"),
            };
            return globals.contains(name) ? QString() : name;
        }
        if (type == "member_expression"sv) {
            const TSNode property = field(object, "property"sv);
            const TSNode inner = field(object, "object"sv);
            if (text(property) == QLatin1String("prototype")) {
                return memberOwner(inner);
            }
            if (text(object) == QLatin1String("module.exports")) {
                return {};
            }
            return text(property);
        }
        return {};
    }

    // The name of an object literal whose methods become methods of it:
    // `const api = {...}`, `api = {...}`, `Foo.prototype = {...}`.
    QString objectOwner(TSNode object) const
    {
        if (isNull(object)) {
            return {};
        }
        TSNode child = object;
        TSNode parent = parentOf(object);
        while (!isNull(parent) && typeOf(parent) == "parenthesized_expression"sv) {
            child = parent;
            parent = parentOf(parent);
        }
        if (isNull(parent)) {
            return {};
        }
        const std::string_view type = typeOf(parent);
        if (type == "variable_declarator"sv) {
            const TSNode name = field(parent, "name"sv);
            return typeOf(name) == "identifier"sv ? text(name) : QString();
        }
        if (type == "assignment_expression"sv && ts_node_eq(field(parent, "right"sv), child)) {
            const TSNode left = field(parent, "left"sv);
            if (typeOf(left) == "identifier"sv) {
                return text(left);
            }
            if (typeOf(left) == "member_expression"sv &&
                text(field(left, "property"sv)) == QLatin1String("prototype")) {
                return memberOwner(field(left, "object"sv));
            }
        }
        return {};
    }

    // A property key as a name: `foo`, `#foo`, `"foo"` → foo, `[Symbol.iterator]`.
    QString propertyName(TSNode node) const
    {
        if (isNull(node)) {
            return {};
        }
        if (typeOf(node) == "string"sv) {
            QString name = text(node);
            if (name.size() >= 2) {
                name = name.mid(1, name.size() - 2);
            }
            return name;
        }
        return text(node).simplified();
    }

    bool resolveContainer(Found &found)
    {
        const std::string_view type = typeOf(found.node);
        const TSNode body = field(found.node, "body"sv);
        switch (m_hook) {
        case Hook::CFamily: {
            // A struct without body is a use or a forward declaration, not a definition.
            if (isNull(body)) {
                return false;
            }
            if (type == "namespace_definition"sv) {
                const TSNode name = field(found.node, "name"sv);
                recordNamespace(name);
                found.name = text(name);
            } else {
                found.name = specifierName(field(found.node, "name"sv));
                const TSNode parent = parentOf(found.node);
                if (found.name.isEmpty() && !isNull(parent) &&
                    typeOf(parent) == "type_definition"sv) {
                    // typedef struct { ... } Name;
                    found.name = parameterName(field(parent, "declarator"sv));
                    found.outer = parent;
                }
                if (!found.name.isEmpty()) {
                    m_classNames.insert(found.name);
                }
            }
            break;
        }
        case Hook::Go: {
            const TSNode goType = field(found.node, "type"sv);
            const std::string_view goKind = isNull(goType) ? std::string_view() : typeOf(goType);
            if (goKind == "struct_type"sv) {
                found.kind = Kind::Struct;
            } else if (goKind == "interface_type"sv) {
                found.kind = Kind::Interface;
            } else {
                return false;
            }
            found.name = text(field(found.node, "name"sv));
            const TSNode declaration = parentOf(found.node);
            if (!isNull(declaration) && typeOf(declaration) == "type_declaration"sv &&
                ts_node_named_child_count(declaration) == 1) {
                found.outer = declaration;
            }
            break;
        }
        case Hook::Rust:
            if (type == "impl_item"sv) {
                const QString target = rustTypeName(field(found.node, "type"sv));
                const TSNode trait = field(found.node, "trait"sv);
                found.name = target;
                found.className = target;
                found.entry.scopes = QStringList{isNull(trait) ? QString() : rustTypeName(trait)};
            } else {
                if (type == "mod_item"sv && isNull(body)) {
                    return false; // `mod name;` only names a file
                }
                found.name = text(field(found.node, "name"sv));
            }
            break;
        case Hook::JavaScript:
            found.name = text(field(found.node, "name"sv));
            if (type == "class"sv) {
                // A class expression is named by what it is assigned to.
                const QStringList chain = found.chain;
                if (!assignedName(found)) {
                    return false;
                }
                found.chain = chain;
                found.className.clear();
            }
            break;
        case Hook::Python:
        case Hook::Java:
            found.name = text(field(found.node, "name"sv));
            break;
        }
        if (found.outer.id == found.node.id) {
            found.outer = climbWrappers(found.node);
        }
        return true;
    }

    // The depth of `node` on the walk's current path, or -1.
    int pathIndex(TSNode node) const
    {
        for (int i = int(std::min<size_t>(m_depth + 1, m_nodes.size())); i-- > 0;) {
            if (ts_node_eq(m_nodes[size_t(i)], node)) {
                return i;
            }
        }
        return -1;
    }

    TSNode parentOf(TSNode node) const
    {
        const int i = pathIndex(node);
        if (i > 0) {
            return m_nodes[size_t(i - 1)];
        }
        return i == 0 ? TSNode{} : ts_node_parent(node);
    }

    // The comments and attributes directly before `node` (nearest last) when it is on the
    // walk's current path: addSymbol() stops at any other sibling.
    std::optional<std::span<const TSNode>> siblingsBefore(TSNode node) const
    {
        const int i = pathIndex(node);
        if (i < 0) {
            return std::nullopt;
        }
        return std::span<const TSNode>(m_siblings[size_t(i)]);
    }

    TSNode climbWrappers(TSNode node) const
    {
        TSNode outer = node;
        for (TSNode parent = parentOf(outer);
             !isNull(parent) && m_spec.has(ts_node_symbol(parent), Role::Wrapper);
             parent = parentOf(parent)) {
            outer = parent;
        }
        return outer;
    }

    // Creates the symbol: extent, decorators, doc comment, parameters. -1 when unnamed.
    int addSymbol(Found &found)
    {
        CodeSymbol symbol;
        symbol.kind = found.kind;
        symbol.name = found.name;
        symbol.className = found.className;
        symbol.displayName = found.chain.isEmpty() ? found.name
                                                   : found.chain.join(QLatin1Char('.')) +
                                                         QLatin1Char('.') + found.name;
        if (found.kind == Kind::Impl) {
            const QString trait = found.entry.scopes.value(0);
            symbol.displayName = trait.isEmpty() ? QString(QStringLiteral("impl ") + found.name)
                                                 : QString(QStringLiteral("impl ") + trait +
                                                           QStringLiteral(" for ") + found.name);
            found.entry.scopes.clear();
        }
        symbol.complexity = symbol.isCallable() ? 1 : 0;

        // Decorators of the node itself, its wrappers and its modifier lists.
        for (TSNode node = found.node; !isNull(node); node = parentOf(node)) {
            collectDecorators(node, symbol.decorators);
            if (ts_node_eq(node, found.outer)) {
                break;
            }
        }
        // Attributes and doc comments directly above.
        TSNode start = found.outer;
        QStringList doc;
        uint32_t nextRow = ts_node_start_point(start).row;
        const std::optional<std::span<const TSNode>> before = siblingsBefore(start);
        size_t remaining = before ? before->size() : 0;
        const auto previousOf = [&](TSNode node) {
            if (!before) {
                return ts_node_prev_sibling(node);
            }
            return remaining > 0 ? (*before)[--remaining] : TSNode{};
        };
        for (TSNode previous = previousOf(start); !isNull(previous);
             previous = previousOf(previous)) {
            const TSSymbol previousSymbol = ts_node_symbol(previous);
            if (lastRow(previous) + 1 < nextRow) {
                break;
            }
            if (m_spec.has(previousSymbol, Role::PrecedingAttribute)) {
                symbol.decorators.prepend(text(previous).simplified());
                start = previous;
            } else if (m_spec.has(previousSymbol, Role::Comment) && !m_spec.spec().docstrings &&
                       startsLine(previous)) {
                doc.prepend(text(previous));
            } else {
                break;
            }
            nextRow = ts_node_start_point(previous).row;
        }
        if (!doc.isEmpty()) {
            symbol.docComment = stripComment(doc.join(QLatin1Char('\n')));
        }
        if (m_spec.spec().docstrings) {
            symbol.docComment = docstring(field(found.node, "body"sv));
        }
        if (m_hook == Hook::Rust && symbol.docComment.isEmpty()) {
            symbol.docComment = rustDocAttributes(symbol.decorators);
        }
        if (symbol.isCallable()) {
            fillParameters(symbol, found.parameters);
        }
        setExtent(symbol, start, found.outer);

        found.entry.parent = enclosingSymbol();
        m_symbols.append(std::move(symbol));
        m_entries.push_back(std::move(found.entry));
        return int(m_symbols.size() - 1);
    }

    void collectDecorators(TSNode node, QStringList &decorators) const
    {
        const uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(node, i);
            const uint32_t roles = m_spec.roles(ts_node_symbol(child));
            if (roles & Role::Decorator) {
                decorators << text(child).simplified();
            } else if (roles & Role::ModifierList) {
                const uint32_t modifiers = ts_node_named_child_count(child);
                for (uint32_t j = 0; j < modifiers; ++j) {
                    const TSNode modifier = ts_node_named_child(child, j);
                    if (m_spec.has(ts_node_symbol(modifier), Role::Decorator)) {
                        decorators << text(modifier).simplified();
                    }
                }
            }
        }
    }

    // A keyword among the node's own tokens or its modifier lists ("async", "static").
    bool hasToken(TSNode node, std::string_view token) const
    {
        const uint32_t count = ts_node_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_child(node, i);
            if (!ts_node_is_named(child)) {
                if (typeOf(child) == token) {
                    return true;
                }
            } else if (m_spec.has(ts_node_symbol(child), Role::ModifierList)) {
                const uint32_t modifiers = ts_node_child_count(child);
                for (uint32_t j = 0; j < modifiers; ++j) {
                    if (typeOf(ts_node_child(child, j)) == token) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static QString decoratorName(const QString &decorator)
    {
        QString name = decorator;
        if (name.startsWith(QLatin1Char('@'))) {
            name.remove(0, 1);
        }
        const qsizetype paren = name.indexOf(QLatin1Char('('));
        return (paren >= 0 ? name.left(paren) : name).trimmed();
    }

    // Flags of a callable, once it is in the list.
    void finishCallable(const Found &found, CodeSymbol &symbol)
    {
        const TSNode node = found.node;
        const std::string_view type = typeOf(node);
        symbol.isAsync = hasToken(node, "async"sv);
        switch (m_hook) {
        case Hook::Python:
            for (const QString &decorator : std::as_const(symbol.decorators)) {
                const QString name = decoratorName(decorator);
                if (name == QLatin1String("staticmethod") || name == QLatin1String("classmethod")) {
                    symbol.isStatic = true;
                } else if (name == QLatin1String("property") ||
                           name.endsWith(QLatin1String("cached_property")) ||
                           name.endsWith(QLatin1String(".setter")) ||
                           name.endsWith(QLatin1String(".getter")) ||
                           name.endsWith(QLatin1String(".deleter"))) {
                    symbol.isProperty = true;
                } else if (name.endsWith(QLatin1String("abstractmethod")) ||
                           name.endsWith(QLatin1String("abstractproperty"))) {
                    symbol.isAbstract = true;
                } else if (name.endsWith(QLatin1String("contextmanager"))) {
                    symbol.isContextManager = true;
                }
            }
            break;
        case Hook::CFamily:
            symbol.isStatic = hasToken(node, "static"sv);
            if (symbol.name.startsWith(QLatin1Char('~')) && !symbol.className.isEmpty()) {
                m_destructorClasses.insert(symbol.className);
            }
            break;
        case Hook::JavaScript:
            symbol.isStatic = hasToken(node, "static"sv);
            symbol.isProperty = hasToken(node, "get"sv) || hasToken(node, "set"sv);
            symbol.isGenerator = hasToken(node, "*"sv) ||
                                 type == "generator_function_declaration"sv ||
                                 type == "generator_function"sv;
            break;
        case Hook::Rust:
            if (!symbol.className.isEmpty()) {
                bool hasSelf = false;
                if (!isNull(found.parameters)) {
                    const uint32_t count = ts_node_named_child_count(found.parameters);
                    for (uint32_t i = 0; i < count && !hasSelf; ++i) {
                        hasSelf =
                            typeOf(ts_node_named_child(found.parameters, i)) == "self_parameter"sv;
                    }
                }
                symbol.isStatic = !hasSelf;
            }
            break;
        case Hook::Java:
            symbol.isStatic = hasToken(node, "static"sv);
            symbol.isAbstract = hasToken(node, "abstract"sv);
            break;
        case Hook::Go:
            break;
        }
        // Python scope guards: a class with __enter__ and __exit__.
        const int parent = m_entries.back().parent;
        if (m_hook == Hook::Python && parent >= 0) {
            if (symbol.name == QLatin1String("__enter__") ||
                symbol.name == QLatin1String("__aenter__")) {
                m_entries[size_t(parent)].enters = true;
            } else if (symbol.name == QLatin1String("__exit__") ||
                       symbol.name == QLatin1String("__aexit__")) {
                m_entries[size_t(parent)].exits = true;
            }
            if (symbol.isAbstract) {
                m_symbols[parent].isAbstract = true;
            }
        }
    }

    void finishContainer(const Found &found, CodeSymbol &symbol)
    {
        const TSNode node = found.node;
        const std::string_view type = typeOf(node);
        switch (m_hook) {
        case Hook::Python: {
            for (const QString &decorator : std::as_const(symbol.decorators)) {
                const QString name = decoratorName(decorator);
                if (name.endsWith(QLatin1String("dataclass")) || name == QLatin1String("attr.s") ||
                    name.endsWith(QLatin1String("define"))) {
                    symbol.isDataClass = true;
                }
            }
            const QString bases = text(field(node, "superclasses"sv));
            if (bases.contains(QLatin1String("ABC"))) {
                symbol.isAbstract = true;
            }
            break;
        }
        case Hook::Java:
            symbol.isStatic = hasToken(node, "static"sv);
            symbol.isAbstract = hasToken(node, "abstract"sv);
            symbol.isDataClass = type == "record_declaration"sv;
            symbol.isContextManager = implementsCloseable(node);
            break;
        case Hook::JavaScript:
            symbol.isAbstract = type == "abstract_class_declaration"sv;
            break;
        case Hook::Rust:
            if (symbol.kind == Kind::Impl) {
                const QString trait = text(field(node, "trait"sv));
                if (trait == QLatin1String("Drop")) {
                    symbol.isContextManager = true;
                    m_destructorClasses.insert(symbol.name);
                } else if (trait.isEmpty()) {
                    m_inherentImpls.insert(symbol.name);
                }
            }
            for (const QString &attribute : std::as_const(symbol.decorators)) {
                if (attribute.startsWith(QLatin1String("#[derive"))) {
                    m_entries.back().derives = true;
                }
            }
            break;
        case Hook::CFamily:
        case Hook::Go:
            break;
        }
    }

    bool implementsCloseable(TSNode node) const
    {
        const uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(node, i);
            const std::string_view type = typeOf(child);
            if (type != "super_interfaces"sv && type != "extends_interfaces"sv) {
                continue;
            }
            const QString list = text(child);
            static const QRegularExpression closeable(
                QStringLiteral("\\b(AutoCloseable|Closeable)\\b"));
            if (closeable.match(list).hasMatch()) {
                return true;
            }
        }
        return false;
    }

    void fillParameters(CodeSymbol &symbol, TSNode list) const
    {
        if (isNull(list)) {
            return;
        }
        const bool isMethod = symbol.kind == Kind::Method;
        bool first = true;
        const uint32_t count = ts_node_named_child_count(list);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(list, i);
            const uint32_t roles = m_spec.roles(ts_node_symbol(child));
            if (roles & (Role::ParameterSkip | Role::Comment)) {
                continue;
            }
            if (m_hook == Hook::Go && typeOf(child) == "parameter_declaration"sv) {
                // `a, b int` declares two parameters, `int` one without a name.
                int names = 0;
                const uint32_t children = ts_node_child_count(child);
                for (uint32_t j = 0; j < children; ++j) {
                    const char *fieldName = ts_node_field_name_for_child(child, j);
                    if (fieldName && std::string_view(fieldName) == "name"sv) {
                        symbol.parameters << text(ts_node_child(child, j));
                        ++names;
                    }
                }
                symbol.parameterCount += std::max(names, 1);
                continue;
            }
            const QString name = parameterName(child);
            if (first && isMethod && m_hook == Hook::Python &&
                (name == QLatin1String("self") || name == QLatin1String("cls"))) {
                first = false;
                continue;
            }
            first = false;
            if (m_hook == Hook::JavaScript && name == QLatin1String("this")) {
                continue;
            }
            ++symbol.parameterCount;
            if (!name.isEmpty()) {
                symbol.parameters << name;
            }
        }
        // "(void)" declares no parameters.
        if (m_hook == Hook::CFamily && symbol.parameterCount == 1 && symbol.parameters.isEmpty() &&
            count == 1) {
            const TSNode only = ts_node_named_child(list, 0);
            if (typeOf(only) == "parameter_declaration"sv && isNull(field(only, "declarator"sv)) &&
                text(field(only, "type"sv)) == QLatin1String("void")) {
                symbol.parameterCount = 0;
            }
        }
    }

    // The name a parameter (or declarator) introduces; empty for unnamed C parameters.
    QString parameterName(TSNode node) const
    {
        for (int guard = 0; guard < 64 && !isNull(node); ++guard) {
            if (ts_node_child_count(node) == 0) {
                return text(node);
            }
            const std::string_view type = typeOf(node);
            if (m_hook == Hook::CFamily &&
                (type == "parameter_declaration"sv || type == "optional_parameter_declaration"sv ||
                 type == "variadic_parameter_declaration"sv)) {
                node = field(node, "declarator"sv);
                continue;
            }
            bool descended = false;
            for (const std::string_view name : {"name"sv, "pattern"sv, "declarator"sv, "left"sv}) {
                const TSNode next = field(node, name);
                if (!isNull(next)) {
                    node = next;
                    descended = true;
                    break;
                }
            }
            if (descended) {
                continue;
            }
            const uint32_t named = ts_node_named_child_count(node);
            if (named == 1) {
                node = ts_node_named_child(node, 0);
                continue;
            }
            if (type == "typed_parameter"sv && named > 0) {
                node = ts_node_named_child(node, 0); // Python: the name comes first
                continue;
            }
            if ((type == "mut_pattern"sv || type == "spread_parameter"sv) && named > 0) {
                node = ts_node_named_child(node, named - 1); // Rust `mut x`, Java `T... xs`
                continue;
            }
            return text(node).simplified(); // destructuring patterns
        }
        return {};
    }

    QString goReceiverType(TSNode receiver) const
    {
        if (isNull(receiver)) {
            return {};
        }
        const uint32_t count = ts_node_named_child_count(receiver);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode parameter = ts_node_named_child(receiver, i);
            if (typeOf(parameter) != "parameter_declaration"sv) {
                continue;
            }
            TSNode type = field(parameter, "type"sv);
            for (int guard = 0; guard < 16 && !isNull(type); ++guard) {
                const std::string_view kind = typeOf(type);
                if (kind == "type_identifier"sv) {
                    return text(type);
                }
                if (kind == "generic_type"sv) {
                    type = field(type, "type"sv);
                } else if (kind == "qualified_type"sv) {
                    type = field(type, "name"sv);
                } else {
                    type = ts_node_named_child(type, 0); // pointer, parentheses
                }
            }
        }
        return {};
    }

    QString rustTypeName(TSNode type) const
    {
        for (int guard = 0; guard < 16 && !isNull(type); ++guard) {
            const std::string_view kind = typeOf(type);
            if (kind == "generic_type"sv || kind == "reference_type"sv ||
                kind == "pointer_type"sv) {
                type = field(type, "type"sv);
            } else if (kind == "scoped_type_identifier"sv) {
                type = field(type, "name"sv);
            } else {
                return text(type).simplified();
            }
        }
        return {};
    }

    static QString rustDocAttributes(const QStringList &attributes)
    {
        QStringList lines;
        static const QRegularExpression doc(QStringLiteral("^#\\[doc\\s*=\\s*\"(.*)\"\\s*\\]$"));
        for (const QString &attribute : attributes) {
            const QRegularExpressionMatch match = doc.match(attribute);
            if (match.hasMatch()) {
                lines << match.captured(1).trimmed();
            }
        }
        return lines.join(QLatin1Char('\n'));
    }

    // Whole lines, so that the source keeps its indentation.
    void setExtent(CodeSymbol &symbol, TSNode first, TSNode last) const
    {
        const TSPoint start = ts_node_start_point(first);
        const TSPoint end = ts_node_end_point(last);
        uint32_t endRow = end.row;
        qsizetype endByte = ts_node_end_byte(last);
        if (end.column == 0 && endRow > ts_node_start_point(last).row) {
            --endRow;
            --endByte;
        }
        const qsizetype startByte = ts_node_start_byte(first);
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
        symbol.endLine = static_cast<int>(std::max(endRow, start.row)) + 1;
        symbol.startByte = static_cast<int>(lineStart);
        symbol.endByte = static_cast<int>(lineEnd);
        if (m_withSources) {
            symbol.source = QString::fromUtf8(m_content.mid(lineStart, lineEnd - lineStart));
        }
    }

    bool startsLine(TSNode node) const
    {
        for (qsizetype i = qsizetype(ts_node_start_byte(node)) - 1; i >= 0; --i) {
            const char c = m_content.at(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    // Comment text without markers: //, ///, //!, #, /* */, /** */ and leading " * ".
    static QString stripComment(const QString &raw)
    {
        QStringList lines;
        const QStringList rawLines = raw.split(QLatin1Char('\n'));
        for (const QString &rawLine : rawLines) {
            QString line = rawLine.trimmed();
            for (const QLatin1String prefix :
                 {QLatin1String("///"), QLatin1String("//!"), QLatin1String("//"),
                  QLatin1String("/**"), QLatin1String("/*!"), QLatin1String("/*"),
                  QLatin1String("#")}) {
                if (line.startsWith(prefix)) {
                    line.remove(0, prefix.size());
                    break;
                }
            }
            if (line.endsWith(QLatin1String("*/"))) {
                line.chop(2);
                while (!line.isEmpty() && line.back().isSpace()) {
                    line.chop(1);
                }
            }
            if (line.startsWith(QLatin1Char('*'))) {
                line.remove(0, 1);
            }
            if (line.startsWith(QLatin1Char(' '))) {
                line.remove(0, 1);
            }
            lines << (line.trimmed().isEmpty() ? QString() : line);
        }
        while (!lines.isEmpty() && lines.first().isEmpty()) {
            lines.removeFirst();
        }
        while (!lines.isEmpty() && lines.last().isEmpty()) {
            lines.removeLast();
        }
        return lines.join(QLatin1Char('\n'));
    }

    // A Python docstring: a string as the first statement of a body, cleaned like
    // inspect.cleandoc.
    QString docstring(TSNode body) const
    {
        if (isNull(body)) {
            return {};
        }
        TSNode statement{};
        const uint32_t count = ts_node_named_child_count(body);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(body, i);
            if (!m_spec.has(ts_node_symbol(child), Role::Comment)) {
                statement = child;
                break;
            }
        }
        if (isNull(statement) || typeOf(statement) != "expression_statement"sv ||
            ts_node_named_child_count(statement) != 1) {
            return {};
        }
        const TSNode string = ts_node_named_child(statement, 0);
        if (typeOf(string) != "string"sv) {
            return {};
        }
        QString value = text(string);
        qsizetype prefix = 0;
        while (prefix < value.size() && value.at(prefix).isLetter()) {
            ++prefix;
        }
        value.remove(0, prefix);
        for (const QLatin1String quote : {QLatin1String("\"\"\""), QLatin1String("'''"),
                                          QLatin1String("\""), QLatin1String("'")}) {
            if (value.size() >= 2 * quote.size() && value.startsWith(quote) &&
                value.endsWith(quote)) {
                value = value.mid(quote.size(), value.size() - 2 * quote.size());
                break;
            }
        }
        return cleanDoc(value);
    }

    static QString cleanDoc(const QString &value)
    {
        QStringList lines = value.split(QLatin1Char('\n'));
        qsizetype indent = -1;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            qsizetype spaces = 0;
            while (spaces < line.size() && line.at(spaces).isSpace()) {
                ++spaces;
            }
            if (spaces < line.size() && (indent < 0 || spaces < indent)) {
                indent = spaces;
            }
        }
        lines[0] = lines.at(0).trimmed();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            lines[i] = indent > 0 ? lines.at(i).mid(indent) : lines.at(i);
            if (lines.at(i).trimmed().isEmpty()) {
                lines[i].clear();
            }
            while (lines.at(i).endsWith(QLatin1Char('\r'))) {
                lines[i].chop(1);
            }
        }
        while (!lines.isEmpty() && lines.first().isEmpty()) {
            lines.removeFirst();
        }
        while (!lines.isEmpty() && lines.last().isEmpty()) {
            lines.removeLast();
        }
        return lines.join(QLatin1Char('\n'));
    }

    // The module docstring, else the comment block that opens the file.
    QString moduleDoc(TSNode root) const
    {
        if (m_spec.spec().docstrings) {
            const QString doc = docstring(root);
            if (!doc.isEmpty()) {
                return doc;
            }
        }
        QStringList block;
        int nextRow = -1;
        const uint32_t count = ts_node_named_child_count(root);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(root, i);
            if (!m_spec.has(ts_node_symbol(child), Role::Comment)) {
                break;
            }
            const QString comment = text(child);
            if (comment.startsWith(QLatin1String("#!"))) {
                continue;
            }
            const int row = int(ts_node_start_point(child).row);
            if (nextRow >= 0 && row > nextRow) {
                break;
            }
            block << comment;
            nextRow = int(lastRow(child)) + 1;
        }
        return stripComment(block.join(QLatin1Char('\n')));
    }

    // Lines of code and token counts from the walk, then the file's totals.
    void finishMetrics(FileMetrics &metrics)
    {
        std::vector<int> linesBefore(m_codeLines.size() + 1, 0);
        for (size_t i = 0; i < m_codeLines.size(); ++i) {
            linesBefore[i + 1] = linesBefore[i] + m_codeLines[i];
        }
        const auto tokensIn = [this](int startByte, int endByte) {
            const auto first =
                std::lower_bound(m_tokens.cbegin(), m_tokens.cend(), uint32_t(startByte));
            const auto last = std::lower_bound(first, m_tokens.cend(), uint32_t(endByte));
            return int(last - first);
        };
        for (CodeSymbol &symbol : m_symbols) {
            const size_t first = size_t(std::max(symbol.startLine - 1, 0));
            const size_t last = std::min(size_t(symbol.endLine), m_codeLines.size());
            symbol.linesOfCode = first < last ? linesBefore[last] - linesBefore[first] : 0;
            symbol.tokenCount = tokensIn(symbol.startByte, symbol.endByte);
        }
        metrics.linesOfCode = linesBefore.back();
        metrics.tokenCount = int(m_tokens.size());
        metrics.totalLines =
            m_content.isEmpty() ? 0 : int(m_lineBreaks + (m_content.endsWith('\n') ? 0 : 1));
        metrics.complexity = m_moduleDecisions;
        for (const CodeSymbol &symbol : std::as_const(m_symbols)) {
            if (symbol.isCallable()) {
                ++metrics.functionCount;
                metrics.complexity += symbol.complexity;
                metrics.maxNesting = std::max(metrics.maxNesting, symbol.maxNesting);
            } else if (symbol.kind != Kind::Impl && symbol.kind != Kind::Namespace) {
                ++metrics.typeCount;
            }
        }
    }

    static bool isType(Kind kind)
    {
        return kind == Kind::Class || kind == Kind::Struct || kind == Kind::Interface ||
               kind == Kind::Trait || kind == Kind::Enum;
    }

    // What needs the whole file: C++ scopes that are namespaces, type metrics summed over
    // methods (also methods defined apart from their type: Go receivers, Rust impls, C++
    // Class::method), scope guards and data classes.
    void resolveTypes()
    {
        const qsizetype count = m_symbols.size();
        // A scope that this file declares as a namespace (and never as a class) holds free
        // functions, e.g. `int util::clamp(...)` defined after `namespace util { ... }`.
        for (qsizetype i = 0; i < count; ++i) {
            CodeSymbol &symbol = m_symbols[i];
            const Entry &entry = m_entries[size_t(i)];
            if (!entry.scopedByName) {
                continue;
            }
            if (m_namespaces.contains(symbol.className) &&
                !m_classNames.contains(symbol.className)) {
                symbol.kind = Kind::Function;
                symbol.className.clear();
                symbol.displayName = symbol.name;
                continue;
            }
            // Ns::Outer::Inner::method: the scopes that are classes of this file chain.
            QStringList chain;
            for (qsizetype s = 0; s + 1 < entry.scopes.size(); ++s) {
                if (m_classNames.contains(entry.scopes.at(s)) &&
                    !m_namespaces.contains(entry.scopes.at(s))) {
                    chain << entry.scopes.at(s);
                }
            }
            chain << symbol.className << symbol.name;
            symbol.displayName = chain.join(QLatin1Char('.'));
        }
        QHash<QString, int> typeByName;
        for (qsizetype i = 0; i < count; ++i) {
            if (isType(m_symbols.at(i).kind) && !typeByName.contains(m_symbols.at(i).name)) {
                typeByName.insert(m_symbols.at(i).name, int(i));
            }
        }
        for (qsizetype i = 0; i < count; ++i) {
            const CodeSymbol &callable = m_symbols.at(i);
            if (!callable.isCallable()) {
                continue;
            }
            bool ownTypeSeen = false;
            for (int parent = m_entries[size_t(i)].parent; parent >= 0;
                 parent = m_entries[size_t(parent)].parent) {
                CodeSymbol &container = m_symbols[parent];
                if (container.isCallable()) {
                    continue;
                }
                container.complexity += callable.complexity;
                container.maxNesting = std::max(container.maxNesting, callable.maxNesting);
                if (isType(container.kind) && container.name == callable.className) {
                    ownTypeSeen = true;
                }
            }
            if (!ownTypeSeen && !callable.className.isEmpty()) {
                const auto type = typeByName.constFind(callable.className);
                if (type != typeByName.constEnd()) {
                    CodeSymbol &container = m_symbols[type.value()];
                    container.complexity += callable.complexity;
                    container.maxNesting = std::max(container.maxNesting, callable.maxNesting);
                }
            }
        }
        for (qsizetype i = 0; i < count; ++i) {
            CodeSymbol &symbol = m_symbols[i];
            const Entry &entry = m_entries[size_t(i)];
            if (!isType(symbol.kind)) {
                continue;
            }
            if (entry.enters && entry.exits) {
                symbol.isContextManager = true;
            }
            if ((symbol.kind == Kind::Class || symbol.kind == Kind::Struct) &&
                m_destructorClasses.contains(symbol.name)) {
                symbol.isContextManager = true;
            }
            if (entry.derives && !m_inherentImpls.contains(symbol.name)) {
                symbol.isDataClass = true;
            }
        }
    }

    Declared resolveDeclarator(TSNode declarator) const
    {
        TSNode node = declarator;
        for (int guard = 0; guard < 64 && !isNull(node); ++guard) {
            const std::string_view type = typeOf(node);
            if (type == "function_declarator"sv) {
                // `void (*handler(int sig))(int)`: the function is the innermost declarator,
                // the outer parameters belong to the returned pointer. `(name)(args)` and
                // `MACRO(name)(args)` parse as a parenthesized name.
                TSNode inner = field(node, "declarator"sv);
                while (!isNull(inner) && (typeOf(inner) == "parenthesized_declarator"sv ||
                                          typeOf(inner) == "pointer_declarator"sv)) {
                    const TSNode next = field(inner, "declarator"sv);
                    inner = isNull(next) ? ts_node_named_child(inner, 0) : next;
                }
                if (!isNull(inner) && typeOf(inner) == "function_declarator"sv) {
                    node = inner;
                    continue;
                }
                Declared declared = resolveName(inner);
                declared.parameters = field(node, "parameters"sv);
                return declared;
            }
            if (type == "operator_cast"sv) {
                // Conversion operators: `operator bool() const`.
                return resolveName(node);
            }
            if (type == "qualified_identifier"sv) {
                // `Foo::operator bool()`. Any other qualified name without a parameter list
                // is no function: `class EXPORT_MACRO X : public ns::Base {...}` reads as one.
                TSNode inner = node;
                while (!isNull(inner) && typeOf(inner) == "qualified_identifier"sv) {
                    inner = field(inner, "name"sv);
                }
                if (!isNull(inner) && typeOf(inner) == "operator_cast"sv) {
                    return resolveName(node);
                }
                break;
            }
            if (type == "pointer_declarator"sv || type == "reference_declarator"sv ||
                type == "parenthesized_declarator"sv || type == "attributed_declarator"sv) {
                const TSNode inner = field(node, "declarator"sv);
                node = isNull(inner) ? ts_node_named_child(node, 0) : inner;
                continue;
            }
            break;
        }
        return {};
    }

    Declared resolveName(TSNode node) const
    {
        Declared declared;
        while (!isNull(node) && typeOf(node) == "qualified_identifier"sv) {
            declared.qualified = true;
            declared.scopes << specifierName(field(node, "scope"sv));
            node = field(node, "name"sv);
        }
        if (isNull(node)) {
            return {};
        }
        if (const std::string_view type = typeOf(node);
            type == "template_function"sv || type == "template_method"sv) {
            node = field(node, "name"sv);
        }
        if (isNull(node)) {
            return {};
        }
        if (typeOf(node) == "operator_cast"sv) {
            // The name runs up to the parameter list: "operator bool", "operator T*".
            TSNode function = field(node, "declarator"sv);
            while (!isNull(function) && typeOf(function) != "abstract_function_declarator"sv) {
                const TSNode inner = field(function, "declarator"sv);
                function = isNull(inner) ? ts_node_named_child(function, 0) : inner;
            }
            const uint32_t nameEnd =
                isNull(function) ? ts_node_end_byte(node) : ts_node_start_byte(function);
            declared.name = QString::fromUtf8(m_content.constData() + ts_node_start_byte(node),
                                              qsizetype(nameEnd - ts_node_start_byte(node)))
                                .simplified();
            if (!isNull(function)) {
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
        for (int guard = 0; guard < 64 && !isNull(node); ++guard) {
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
        if (isNull(name)) {
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

    QString text(TSNode node) const
    {
        if (isNull(node)) {
            return {};
        }
        const uint32_t start = ts_node_start_byte(node);
        const uint32_t end = ts_node_end_byte(node);
        return QString::fromUtf8(m_content.constData() + start, qsizetype(end - start));
    }

    const CompiledSpec &m_spec;
    Hook m_hook;
    const QByteArray &m_content;
    bool m_withSources;
    TSSymbol m_friendSymbol = 0;
    TSSymbol m_destructorSymbol = 0;
    TSSymbol m_pureVirtualSymbol = 0;
    TSSymbol m_fieldDeclarationSymbol = 0;
    qsizetype m_lineBreaks = 0;

    std::vector<Frame> m_frames;
    int m_opaque = 0;                // open named callables: nothing inside is a symbol
    std::vector<uint32_t> m_nesting; // tree depths of the open nesting blocks
    std::vector<TSSymbol> m_path;    // node symbols from the root to the current node
    // The nodes on that path, and at each depth the comments and attributes visited directly
    // before the path's node: parentOf() and siblingsBefore() read them, as ts_node_parent
    // and ts_node_prev_sibling search the tree from the root or the parent on every call.
    std::vector<TSNode> m_nodes;
    std::vector<std::vector<TSNode>> m_siblings;
    uint32_t m_depth = 0;
    std::vector<uint32_t> m_tokens; // start bytes of the leaf tokens, ascending
    std::vector<uint8_t> m_codeLines;
    int m_moduleDecisions = 0;

    QList<CodeSymbol> m_symbols;
    std::vector<Entry> m_entries;
    QSet<QString> m_namespaces;
    QSet<QString> m_classNames;
    QSet<QString> m_destructorClasses;
    QSet<QString> m_inherentImpls;
};

} // namespace

FileAnalysis CodeExtractor::analyze(const QString &language, const QByteArray &content,
                                    Sources sources)
{
    const CompiledSpec *spec = compiledSpec(language);
    if (!spec) {
        return {};
    }
    const SyntaxTree tree = parseSyntaxTree(language, spec->grammar(), content);
    if (!tree) {
        return {};
    }
    return Extractor(*spec, content, sources == Sources::Include)
        .run(ts_tree_root_node(tree.get()));
}

QList<CodeSymbol> CodeExtractor::extract(const QString &language, const QByteArray &content)
{
    QList<CodeSymbol> callables = analyze(language, content).symbols;
    callables.removeIf([](const CodeSymbol &symbol) { return !symbol.isCallable(); });
    return callables;
}

} // namespace codeworm
