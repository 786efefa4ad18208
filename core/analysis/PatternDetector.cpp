#include "analysis/PatternDetector.h"

#include "analysis/Language.h"
#include "analysis/SyntaxTree.h"

#include <QHash>
#include <QRegularExpression>

#include <tree_sitter/api.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

// How it works: the file is parsed, and the declarations of the whole file are read into
// "shapes" (fields, methods and what their bodies return, create, call, assign and iterate).
// Which node types play which role is a table per language (ShapeSpec); how members are
// declared differs too much between grammars for a table, so that part is one small reader
// per language family. The rules at the end only see shapes and are the same for every
// language.

namespace codeworm {

namespace {

enum class Family { Python, JavaScript, Java, CFamily, Go, Rust };

struct Slot
{
    std::string_view type;
    std::string_view field; // the child holding the interesting part
};

struct LoopSlot
{
    std::string_view type;
    std::string_view iterated; // the child holding the collection
    std::string_view variable; // the child holding the element variable
};

// The node types of a language that the shape reader looks at.
struct ShapeSpec
{
    Family family;
    std::vector<std::string_view> classes;   // class-like definitions
    std::vector<std::string_view> abstracts; // interfaces, traits: implementable types
    std::vector<std::string_view> returns;
    std::vector<std::string_view> calls;
    std::vector<LoopSlot> loops;
    std::vector<Slot> creations; // construction node and the child naming the type
    std::vector<std::string_view> branches;
    std::vector<std::string_view> assignments; // with "left" and "right"
    bool implicitThis = false;                 // a bare field name refers to the member
};

const ShapeSpec *shapeSpec(const QString &language)
{
    static const ShapeSpec python{
        Family::Python,
        {"class_definition"},
        {},
        {"return_statement"},
        {"call"},
        {{"for_statement", "right", "left"}},
        {},
        {"if_statement", "match_statement", "conditional_expression"},
        {"assignment"},
    };
    static const ShapeSpec javascript{
        Family::JavaScript,
        {"class_declaration", "class", "abstract_class_declaration"},
        {"interface_declaration", "abstract_class_declaration"},
        {"return_statement"},
        {"call_expression"},
        {{"for_in_statement", "right", "left"}, {"for_of_statement", "right", "left"}},
        {{"new_expression", "constructor"}},
        {"if_statement", "switch_statement", "ternary_expression"},
        {"assignment_expression"},
    };
    static const ShapeSpec java{
        Family::Java,
        {"class_declaration", "record_declaration", "enum_declaration", "interface_declaration"},
        {"interface_declaration"},
        {"return_statement"},
        {"method_invocation"},
        {{"enhanced_for_statement", "value", "name"}},
        {{"object_creation_expression", "type"}},
        {"if_statement", "switch_expression", "switch_statement", "ternary_expression"},
        {"assignment_expression"},
        true,
    };
    static const ShapeSpec cfamily{
        Family::CFamily,
        {"class_specifier", "struct_specifier"},
        {},
        {"return_statement"},
        {"call_expression"},
        {{"for_range_loop", "right", "declarator"}},
        {{"new_expression", "type"}},
        {"if_statement", "switch_statement", "conditional_expression"},
        {"assignment_expression"},
        true,
    };
    static const ShapeSpec go{
        Family::Go,
        {"type_spec"},
        {},
        {"return_statement"},
        {"call_expression"},
        {{"range_clause", "right", "left"}},
        {{"composite_literal", "type"}},
        {"if_statement", "expression_switch_statement", "type_switch_statement"},
        {"assignment_statement"},
    };
    static const ShapeSpec rust{
        Family::Rust,
        {"struct_item", "enum_item", "union_item", "trait_item"},
        {"trait_item"},
        {"return_expression"},
        {"call_expression"},
        {{"for_expression", "value", "pattern"}},
        {{"struct_expression", "name"}},
        {"if_expression", "match_expression"},
        {"assignment_expression"},
    };
    static const QHash<QString, const ShapeSpec *> specs{
        {QStringLiteral("python"), &python},
        {QStringLiteral("javascript"), &javascript},
        {QStringLiteral("typescript"), &javascript},
        {QStringLiteral("tsx"), &javascript},
        {QStringLiteral("java"), &java},
        {QStringLiteral("cpp"), &cfamily},
        {QStringLiteral("c"), &cfamily},
        {QStringLiteral("go"), &go},
        {QStringLiteral("rust"), &rust},
    };
    return specs.value(language);
}

// The ": " that TypeScript and Python type annotations start with.
const QRegularExpression &annotationColon()
{
    static const QRegularExpression colon(QStringLiteral("^\\s*:\\s*"));
    return colon;
}

bool among(std::string_view type, const std::vector<std::string_view> &types)
{
    return std::find(types.begin(), types.end(), type) != types.end();
}

struct Field
{
    QString name;
    QString type;
    QString init;
    bool isStatic = false;
    bool isPrivate = false;
    bool embedded = false; // Go embedded field: the name is the type
    int line = 0;
};

struct Loop
{
    QString iterated;
    QString variable;  // the element: "listener" of "for listener in self._listeners"
    QStringList calls; // callees inside the loop
};

// The last identifier of a loop variable: "auto &cb" -> cb, "_, h" -> h.
QString lastIdentifier(const QString &text)
{
    static const QRegularExpression identifier(QStringLiteral("[A-Za-z_$][\\w$]*"));
    QString last;
    auto it = identifier.globalMatch(text);
    while (it.hasNext()) {
        last = it.next().captured(0);
    }
    return last;
}

struct Method
{
    QString name;
    QString returnType;
    QStringList params;
    QStringList paramTypes;
    QString selfName; // receiver, self, cls; empty for static and free functions
    bool isStatic = false;
    bool isPrivate = false;
    bool isConstructor = false;
    bool isDestructor = false;
    bool isMember = true;
    int line = 0;

    QStringList returns; // returned expressions
    QStringList calls;   // callees
    QList<Loop> loops;
    QStringList created; // type names constructed
    QList<QPair<QString, QString>> assigns;
    QList<Field> localStatics; // function-local statics (C++ Meyers singleton, Rust OnceLock)
    QString initializers;      // C++ member initializer list
    bool branches = false;
    QString text;
};

struct TypeInfo
{
    QStringList bases;
    bool isAbstract = false;
    QStringList methodNames; // declared methods; for Go only interfaces (their method set)
};

struct Shape
{
    QString name;
    Family family = Family::Python;
    QStringList bases;
    QList<Field> fields;
    QList<Method> methods;
    QList<Field> globals;           // package variables and statics of the file
    QList<Method> functions;        // free functions of the file
    QHash<QString, QString> bounds; // Rust generic parameter -> trait bound
    bool implicitThis = false;      // Java, C++: a bare name may be a member
    bool isEnumWithOneConstant = false;
    int line = 0;
};

// Reads the declarations of one file.
class Reader
{
public:
    Reader(const ShapeSpec &spec, const QByteArray &content)
        : m_spec(spec)
        , m_content(content)
    {}

    QString text(TSNode node) const
    {
        if (ts_node_is_null(node)) {
            return {};
        }
        const uint32_t start = ts_node_start_byte(node);
        const uint32_t end = ts_node_end_byte(node);
        return QString::fromUtf8(m_content.constData() + start, qsizetype(end - start));
    }
    static std::string_view type(TSNode node)
    {
        return ts_node_is_null(node) ? std::string_view{} : ts_node_type(node);
    }
    static TSNode field(TSNode node, std::string_view name)
    {
        return ts_node_is_null(node)
                   ? TSNode{}
                   : ts_node_child_by_field_name(node, name.data(), uint32_t(name.size()));
    }
    static int line(TSNode node) { return int(ts_node_start_point(node).row) + 1; }
    static TSNode namedChild(TSNode node, uint32_t index)
    {
        return ts_node_is_null(node) || index >= ts_node_named_child_count(node)
                   ? TSNode{}
                   : ts_node_named_child(node, index);
    }
    static std::vector<TSNode> children(TSNode node, bool namedOnly = true)
    {
        std::vector<TSNode> result;
        if (ts_node_is_null(node)) {
            return result;
        }
        const uint32_t count =
            namedOnly ? ts_node_named_child_count(node) : ts_node_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            result.push_back(namedOnly ? ts_node_named_child(node, i) : ts_node_child(node, i));
        }
        return result;
    }
    static bool hasToken(TSNode node, std::string_view token)
    {
        for (const TSNode child : children(node, false)) {
            if (type(child) == token) {
                return true;
            }
        }
        return false;
    }
    // Pre-order walk; visit returns false to skip a node's children. Iterative, so deep
    // input cannot exhaust the stack.
    static void walk(TSNode root, const std::function<bool(TSNode)> &visit)
    {
        if (ts_node_is_null(root)) {
            return;
        }
        TreeCursor cursor(root);
        for (;;) {
            const TSNode node = ts_tree_cursor_current_node(cursor.get());
            if (visit(node) && ts_tree_cursor_goto_first_child(cursor.get())) {
                continue;
            }
            for (;;) {
                if (ts_node_eq(ts_tree_cursor_current_node(cursor.get()), root)) {
                    return;
                }
                if (ts_tree_cursor_goto_next_sibling(cursor.get())) {
                    break;
                }
                if (!ts_tree_cursor_goto_parent(cursor.get())) {
                    return;
                }
            }
        }
    }

    // The name a type text goes by: "*Config" -> Config, "pkg.Store" -> Store,
    // "Repository<T>" -> Repository, "std::unique_ptr<Sink>" -> unique_ptr (the rules look
    // into type arguments where they matter).
    static QString baseName(QString type)
    {
        type = type.trimmed();
        const qsizetype generic = type.indexOf(QLatin1Char('<'));
        if (generic >= 0) {
            type.truncate(generic);
        }
        const qsizetype bracket = type.indexOf(QLatin1Char('['));
        if (bracket > 0) {
            type.truncate(bracket);
        }
        static const QRegularExpression lastName(QStringLiteral("([A-Za-z_$][\\w$]*)\\W*$"));
        const QRegularExpressionMatch match = lastName.match(type);
        return match.hasMatch() ? match.captured(1) : QString();
    }

    // Reads the whole file: type infos, free functions, globals, methods outside classes.
    void readFile(TSNode root);
    Shape shapeOf(TSNode classNode, const QString &name);
    TSNode findClass(TSNode root, const CodeSymbol &symbol) const;

    QHash<QString, TypeInfo> types;

private:
    Method readCallable(TSNode node, bool member);
    void analyzeBody(Method &method, TSNode body);
    void readMembers(TSNode classNode, Shape &shape);
    void readPython(TSNode body, Shape &shape);
    void readJavaScript(TSNode body, Shape &shape);
    void readJava(TSNode body, Shape &shape);
    void readCpp(TSNode classNode, TSNode body, Shape &shape);
    QString className(TSNode node) const;
    QStringList basesOf(TSNode node) const;
    QString cppDeclaratorName(TSNode declarator, bool *isFunction, bool *pointer,
                              TSNode *parameters) const;
    void readParameters(TSNode list, Method &method) const;

    const ShapeSpec &m_spec;
    const QByteArray &m_content;
    QList<Method> m_functions;                  // free functions
    QList<QPair<QString, Method>> m_outOfClass; // methods defined outside their type
    QList<Field> m_globals;
};

QString Reader::className(TSNode node) const
{
    if (type(node) == "impl_item") {
        return baseName(text(field(node, "type")));
    }
    return text(field(node, "name"));
}

QStringList Reader::basesOf(TSNode node) const
{
    QStringList bases;
    const auto add = [&](TSNode base) {
        const QString name = baseName(text(base));
        if (!name.isEmpty() && !bases.contains(name)) {
            bases << name;
        }
    };
    switch (m_spec.family) {
    case Family::Python:
        for (const TSNode child : children(field(node, "superclasses"))) {
            if (type(child) != "keyword_argument") {
                add(child);
            } else if (text(field(child, "name")) == QLatin1String("metaclass")) {
                add(field(child, "value"));
            }
        }
        break;
    case Family::JavaScript:
        for (const TSNode child : children(node)) {
            if (type(child) != "class_heritage") {
                continue;
            }
            for (const TSNode clause : children(child)) {
                if (type(clause) == "extends_clause" || type(clause) == "implements_clause") {
                    for (const TSNode base : children(clause)) {
                        if (type(base) != "type_arguments") {
                            add(base);
                        }
                    }
                } else {
                    add(clause);
                }
            }
        }
        break;
    case Family::Java:
        for (const TSNode child : children(node)) {
            if (type(child) == "superclass" || type(child) == "super_interfaces" ||
                type(child) == "extends_interfaces") {
                walk(child, [&](TSNode n) {
                    if (type(n) == "type_identifier" &&
                        type(ts_node_parent(n)) != "type_arguments") {
                        add(n);
                        return false;
                    }
                    return type(n) != "type_arguments";
                });
            }
        }
        break;
    case Family::CFamily:
        for (const TSNode child : children(node)) {
            if (type(child) == "base_class_clause") {
                for (const TSNode base : children(child)) {
                    if (type(base) != "access_specifier") {
                        add(base);
                    }
                }
            }
        }
        break;
    case Family::Go:
    case Family::Rust:
        break;
    }
    return bases;
}

void Reader::readParameters(TSNode list, Method &method) const
{
    for (const TSNode param : children(list)) {
        const std::string_view kind = type(param);
        if (kind == "comment" || kind == "self_parameter") {
            continue;
        }
        TSNode name = field(param, "name");
        if (ts_node_is_null(name)) {
            name = field(param, "pattern");
        }
        if (ts_node_is_null(name)) {
            name = field(param, "declarator");
        }
        if (ts_node_is_null(name) &&
            (kind == "identifier" || kind == "typed_parameter" || kind == "default_parameter")) {
            name = kind == "identifier" ? param : namedChild(param, 0);
        }
        if (kind == "typed_default_parameter" || kind == "default_parameter") {
            name = field(param, "name");
        }
        if (kind == "assignment_pattern") {
            name = field(param, "left");
        }
        QString paramName = text(name);
        static const QRegularExpression markers(QStringLiteral("^[*&\\s]+"));
        paramName.remove(markers);
        if (paramName.isEmpty() && kind == "parameter_declaration") {
            continue; // C's (void)
        }
        method.params << paramName;
        method.paramTypes << text(field(param, "type")).remove(annotationColon());
    }
}

Method Reader::readCallable(TSNode node, bool member)
{
    Method method;
    method.isMember = member;
    method.line = line(node);
    method.text = text(node);
    method.name = text(field(node, "name"));
    TSNode parameters = field(node, "parameters");
    TSNode body = field(node, "body");
    switch (m_spec.family) {
    case Family::Python: {
        method.returnType = text(field(node, "return_type"));
        readParameters(parameters, method);
        TSNode outer = ts_node_parent(node);
        bool staticMethod = false;
        bool classMethod = false;
        if (type(outer) == "decorated_definition") {
            for (const TSNode decorator : children(outer)) {
                const QString decoratorText = text(decorator);
                staticMethod = staticMethod || decoratorText == QLatin1String("@staticmethod");
                classMethod = classMethod || decoratorText == QLatin1String("@classmethod");
            }
        }
        if (member && !staticMethod && !method.params.isEmpty()) {
            method.selfName = method.params.takeFirst();
            method.paramTypes.removeFirst();
        }
        method.isStatic = staticMethod || classMethod || method.name == QLatin1String("__new__");
        method.isConstructor = method.name == QLatin1String("__init__");
        method.isPrivate =
            method.name.startsWith(QLatin1Char('_')) && !method.name.endsWith(QLatin1String("__"));
        break;
    }
    case Family::JavaScript: {
        method.returnType = text(field(node, "return_type")).remove(annotationColon());
        readParameters(parameters, method);
        method.isStatic = hasToken(node, "static");
        method.isConstructor = method.name == QLatin1String("constructor");
        method.isPrivate = method.name.startsWith(QLatin1Char('#'));
        for (const TSNode child : children(node)) {
            if (type(child) == "accessibility_modifier" &&
                text(child) == QLatin1String("private")) {
                method.isPrivate = true;
            }
        }
        method.selfName = method.isStatic ? QString() : QStringLiteral("this");
        break;
    }
    case Family::Java: {
        method.returnType = text(field(node, "type"));
        readParameters(parameters, method);
        for (const TSNode child : children(node)) {
            if (type(child) == "modifiers") {
                const QString modifiers = text(child);
                method.isStatic = modifiers.contains(QLatin1String("static"));
                method.isPrivate = modifiers.contains(QLatin1String("private"));
            }
        }
        method.isConstructor = type(node) == "constructor_declaration";
        method.selfName = method.isStatic ? QString() : QStringLiteral("this");
        break;
    }
    case Family::CFamily: {
        bool isFunction = false;
        bool pointer = false;
        method.name =
            cppDeclaratorName(field(node, "declarator"), &isFunction, &pointer, &parameters);
        method.returnType =
            text(field(node, "type")) + (pointer ? QStringLiteral(" *") : QString());
        readParameters(parameters, method);
        for (const TSNode child : children(node)) {
            if (type(child) == "storage_class_specifier" &&
                text(child) == QLatin1String("static")) {
                method.isStatic = true;
            }
            if (type(child) == "field_initializer_list") {
                method.initializers = text(child);
            }
        }
        method.isDestructor = method.name.startsWith(QLatin1Char('~'));
        method.selfName = method.isStatic ? QString() : QStringLiteral("this");
        break;
    }
    case Family::Go: {
        method.returnType = text(field(node, "result"));
        readParameters(parameters, method);
        const TSNode receiver = field(node, "receiver");
        if (!ts_node_is_null(receiver)) {
            method.selfName = text(field(namedChild(receiver, 0), "name"));
        }
        method.isPrivate = !method.name.isEmpty() && method.name.at(0).isLower();
        break;
    }
    case Family::Rust: {
        method.returnType = text(field(node, "return_type"));
        readParameters(parameters, method);
        bool hasSelf = false;
        for (const TSNode param : children(parameters)) {
            hasSelf = hasSelf || type(param) == "self_parameter";
        }
        method.isStatic = !hasSelf;
        method.selfName = hasSelf ? QStringLiteral("self") : QString();
        bool isPublic = false;
        for (const TSNode child : children(node)) {
            isPublic = isPublic || type(child) == "visibility_modifier";
        }
        method.isPrivate = !isPublic;
        break;
    }
    }
    analyzeBody(method, body);
    return method;
}

QString Reader::cppDeclaratorName(TSNode declarator, bool *isFunction, bool *pointer,
                                  TSNode *parameters) const
{
    while (!ts_node_is_null(declarator)) {
        const std::string_view kind = type(declarator);
        if (kind == "function_declarator") {
            *isFunction = true;
            *parameters = field(declarator, "parameters");
        } else if (kind == "pointer_declarator" || kind == "reference_declarator") {
            *pointer = *pointer || kind == "pointer_declarator";
        } else if (kind == "destructor_name") {
            return text(declarator).remove(QLatin1Char(' '));
        } else if (kind == "qualified_identifier") {
            const QString name = text(field(declarator, "name"));
            return name.startsWith(QLatin1Char('~')) ? name : baseName(name);
        } else if (kind.ends_with("identifier") || kind == "operator_name") {
            return text(declarator);
        }
        TSNode next = field(declarator, "declarator");
        if (ts_node_is_null(next) && ts_node_named_child_count(declarator) > 0) {
            next = namedChild(declarator, 0);
        }
        declarator = next;
    }
    return {};
}

void Reader::analyzeBody(Method &method, TSNode body)
{
    if (ts_node_is_null(body)) {
        return;
    }
    const auto callee = [this](TSNode call) {
        TSNode function = field(call, "function");
        if (!ts_node_is_null(function)) {
            return text(function);
        }
        // Java: "object.name"
        const TSNode name = field(call, "name");
        const uint32_t start = ts_node_start_byte(call);
        const uint32_t end = ts_node_end_byte(name);
        return QString::fromUtf8(m_content.constData() + start, qsizetype(end - start));
    };
    walk(body, [&](TSNode node) {
        const std::string_view kind = type(node);
        if (among(kind, m_spec.returns)) {
            const TSNode value = namedChild(node, 0);
            if (!ts_node_is_null(value)) {
                method.returns << text(value);
            }
        } else if (among(kind, m_spec.calls)) {
            const QString name = callee(node);
            method.calls << name;
            static const QRegularExpression forEach(
                QStringLiteral("^(.*)\\.(forEach|for_each|each|ForEach)$"));
            const QRegularExpressionMatch match = forEach.match(name);
            if (match.hasMatch()) {
                Loop loop{match.captured(1), {}, {}};
                // The element is the first parameter of the callback passed in.
                const TSNode callback = namedChild(field(node, "arguments"), 0);
                TSNode parameters = field(callback, "parameters");
                if (ts_node_is_null(parameters)) {
                    parameters = field(callback, "parameter");
                }
                const QString firstParameter = text(parameters).section(QLatin1Char(','), 0, 0);
                loop.variable = lastIdentifier(firstParameter.section(QLatin1Char(':'), 0, 0));
                walk(field(node, "arguments"), [&](TSNode inner) {
                    if (among(type(inner), m_spec.calls)) {
                        loop.calls << callee(inner);
                    }
                    return true;
                });
                method.loops << loop;
            }
            if (m_spec.family == Family::Python || m_spec.family == Family::Rust ||
                m_spec.family == Family::CFamily) {
                // Constructions that look like calls: Config(), cls(), Circle::new(),
                // std::make_unique<Circle>().
                static const QRegularExpression construct(
                    QStringLiteral("^(?:([A-Z]\\w*|cls|Self)|(?:[\\w:]*::)?make_(?:unique|shared)"
                                   "\\s*<\\s*([\\w:]+)"
                                   "\\s*>|([A-Z]\\w*|Self)::(?:new|default|with_\\w+|from\\w*))$"));
                const QRegularExpressionMatch made = construct.match(name.trimmed());
                if (made.hasMatch() && m_spec.family != Family::CFamily) {
                    method.created << baseName(made.captured(1) + made.captured(3));
                } else if (made.hasMatch() && !made.captured(2).isEmpty()) {
                    method.created << baseName(made.captured(2));
                }
            }
        } else if (among(kind, m_spec.branches)) {
            method.branches = true;
        } else if (among(kind, m_spec.assignments)) {
            method.assigns << qMakePair(text(field(node, "left")), text(field(node, "right")));
        } else if ((kind == "declaration" && m_spec.family == Family::CFamily) ||
                   (kind == "static_item" && m_spec.family == Family::Rust)) {
            bool isStatic = kind == "static_item";
            for (const TSNode child : children(node)) {
                isStatic = isStatic || (type(child) == "storage_class_specifier" &&
                                        text(child) == QLatin1String("static"));
            }
            if (isStatic) {
                Field local;
                bool isFunction = false;
                bool pointer = false;
                TSNode parameters{};
                local.name = kind == "static_item"
                                 ? text(field(node, "name"))
                                 : cppDeclaratorName(field(node, "declarator"), &isFunction,
                                                     &pointer, &parameters);
                local.type = text(field(node, "type"));
                local.init = text(field(node, "value"));
                local.isStatic = true;
                local.line = line(node);
                method.localStatics << local;
            }
        }
        for (const LoopSlot &loopSlot : m_spec.loops) {
            if (kind == loopSlot.type) {
                Loop loop{text(field(node, loopSlot.iterated)),
                          lastIdentifier(text(field(node, loopSlot.variable))),
                          {}};
                const TSNode scope = kind == "range_clause" ? ts_node_parent(node) : node;
                walk(scope, [&](TSNode inner) {
                    if (among(type(inner), m_spec.calls)) {
                        loop.calls << callee(inner);
                    }
                    return true;
                });
                method.loops << loop;
            }
        }
        for (const Slot &creation : m_spec.creations) {
            if (kind == creation.type) {
                const QString created = baseName(text(field(node, creation.field)));
                if (!created.isEmpty()) {
                    method.created << created;
                }
            }
        }
        return true;
    });
    if (m_spec.family == Family::Rust) {
        // The tail expression of a block is its value.
        const uint32_t count = ts_node_named_child_count(body);
        if (count > 0) {
            const TSNode last = namedChild(body, count - 1);
            const std::string_view kind = type(last);
            if (!kind.ends_with("_statement") && !kind.ends_with("_declaration") &&
                !kind.ends_with("_item") && kind != "line_comment" && kind != "block_comment") {
                method.returns << text(last);
            }
        }
    }
}

void Reader::readPython(TSNode body, Shape &shape)
{
    for (const TSNode child : children(body)) {
        const std::string_view kind = type(child);
        if (kind == "expression_statement") {
            const TSNode assignment = namedChild(child, 0);
            if (type(assignment) == "assignment" &&
                type(field(assignment, "left")) == "identifier") {
                Field member;
                member.name = text(field(assignment, "left"));
                member.type = text(field(assignment, "type"));
                member.init = text(field(assignment, "right"));
                member.isStatic = true;
                member.isPrivate = member.name.startsWith(QLatin1Char('_'));
                member.line = line(child);
                shape.fields << member;
            }
        } else if (kind == "function_definition" || kind == "decorated_definition") {
            const TSNode definition =
                kind == "function_definition" ? child : field(child, "definition");
            if (type(definition) == "function_definition") {
                shape.methods << readCallable(definition, true);
            }
        }
    }
    // Instance attributes: self.x = ... in any method, typed by annotation or by the
    // annotated parameter they are set from.
    static const QRegularExpression selfField(QStringLiteral("^(\\w+)\\.(\\w+)$"));
    for (const Method &method : std::as_const(shape.methods)) {
        for (const auto &[left, right] : method.assigns) {
            const QRegularExpressionMatch match =
                selfField.match(left.section(QLatin1Char(':'), 0, 0).trimmed());
            if (!match.hasMatch() || match.captured(1) != method.selfName ||
                method.selfName.isEmpty()) {
                continue;
            }
            const QString name = match.captured(2);
            const bool known = std::any_of(shape.fields.begin(), shape.fields.end(),
                                           [&](const Field &f) { return f.name == name; });
            if (known) {
                continue;
            }
            Field member;
            member.name = name;
            member.init = right;
            member.isStatic = method.isStatic;
            member.isPrivate = name.startsWith(QLatin1Char('_'));
            const qsizetype param = method.params.indexOf(right.trimmed());
            if (param >= 0) {
                member.type = method.paramTypes.value(param);
            }
            member.line = method.line;
            shape.fields << member;
        }
    }
}

void Reader::readJavaScript(TSNode body, Shape &shape)
{
    for (const TSNode child : children(body)) {
        const std::string_view kind = type(child);
        if (kind == "field_definition" || kind == "public_field_definition") {
            Field member;
            TSNode name = field(child, "name");
            if (ts_node_is_null(name)) {
                name = field(child, "property");
            }
            member.name = text(name);
            member.type = text(field(child, "type")).remove(annotationColon());
            member.init = text(field(child, "value"));
            member.isStatic = hasToken(child, "static");
            member.isPrivate = member.name.startsWith(QLatin1Char('#'));
            for (const TSNode modifier : children(child)) {
                if (type(modifier) == "accessibility_modifier" &&
                    text(modifier) == QLatin1String("private")) {
                    member.isPrivate = true;
                }
            }
            member.line = line(child);
            shape.fields << member;
        } else if (kind == "method_definition" || kind == "method_signature" ||
                   kind == "abstract_method_signature") {
            Method method = readCallable(child, true);
            if (method.isConstructor) {
                // TypeScript parameter properties: constructor(private readonly repo: Repo)
                for (const TSNode param : children(field(child, "parameters"))) {
                    bool property = false;
                    bool isPrivate = false;
                    for (const TSNode modifier : children(param)) {
                        if (type(modifier) == "accessibility_modifier") {
                            property = true;
                            isPrivate = text(modifier) == QLatin1String("private");
                        }
                    }
                    if (property) {
                        Field member;
                        member.name = text(field(param, "pattern"));
                        member.type = text(field(param, "type")).remove(annotationColon());
                        member.init = member.name;
                        member.isPrivate = isPrivate;
                        member.line = line(param);
                        shape.fields << member;
                        method.assigns
                            << qMakePair(QStringLiteral("this.") + member.name, member.name);
                    }
                }
            }
            shape.methods << method;
        }
    }
    static const QRegularExpression thisField(QStringLiteral("^this\\.(#?[\\w$]+)$"));
    for (const Method &method : std::as_const(shape.methods)) {
        for (const auto &[left, right] : method.assigns) {
            const QRegularExpressionMatch match = thisField.match(left.trimmed());
            if (!match.hasMatch() || method.isStatic) {
                continue;
            }
            const QString name = match.captured(1);
            if (std::any_of(shape.fields.begin(), shape.fields.end(),
                            [&](const Field &f) { return f.name == name; })) {
                continue;
            }
            Field member;
            member.name = name;
            member.init = right;
            member.isPrivate =
                name.startsWith(QLatin1Char('#')) || name.startsWith(QLatin1Char('_'));
            const qsizetype param = method.params.indexOf(right.trimmed());
            if (param >= 0) {
                member.type = method.paramTypes.value(param);
            }
            member.line = method.line;
            shape.fields << member;
        }
    }
}

void Reader::readJava(TSNode body, Shape &shape)
{
    int constants = 0;
    for (const TSNode child : children(body)) {
        const std::string_view kind = type(child);
        if (kind == "enum_body_declarations") {
            readJava(child, shape);
        } else if (kind == "enum_constant") {
            ++constants;
        } else if (kind == "field_declaration" || kind == "constant_declaration") {
            QString modifiers;
            for (const TSNode part : children(child)) {
                if (type(part) == "modifiers") {
                    modifiers = text(part);
                }
            }
            for (const TSNode declarator : children(child)) {
                if (type(declarator) != "variable_declarator") {
                    continue;
                }
                Field member;
                member.name = text(field(declarator, "name"));
                member.type = text(field(child, "type"));
                member.init = text(field(declarator, "value"));
                member.isStatic = modifiers.contains(QLatin1String("static"));
                member.isPrivate = modifiers.contains(QLatin1String("private"));
                member.line = line(child);
                shape.fields << member;
            }
        } else if (kind == "method_declaration" || kind == "constructor_declaration") {
            shape.methods << readCallable(child, true);
        }
    }
    if (constants == 1) {
        shape.isEnumWithOneConstant = true;
    }
}

void Reader::readCpp(TSNode classNode, TSNode body, Shape &shape)
{
    static const QRegularExpression deleted(QStringLiteral("=\\s*delete\\s*;?$"));
    bool isPrivate = type(classNode) == "class_specifier";
    for (TSNode child : children(body)) {
        std::string_view kind = type(child);
        if (kind == "access_specifier") {
            isPrivate = text(child) != QLatin1String("public");
            continue;
        }
        if (kind == "template_declaration") {
            for (const TSNode inner : children(child)) {
                if (type(inner) == "function_definition" || type(inner) == "declaration" ||
                    type(inner) == "field_declaration") {
                    child = inner;
                }
            }
            kind = type(child);
        }
        if (kind != "field_declaration" && kind != "function_definition" && kind != "declaration") {
            continue;
        }
        bool isFunction = false;
        bool pointer = false;
        TSNode parameters{};
        const QString name =
            cppDeclaratorName(field(child, "declarator"), &isFunction, &pointer, &parameters);
        if (isFunction || kind == "function_definition") {
            Method method = readCallable(child, true);
            method.isPrivate = isPrivate;
            method.isConstructor = method.name == shape.name;
            if (Reader::hasToken(child, "delete_method_clause") || text(child).contains(deleted)) {
                continue;
            }
            shape.methods << method;
            continue;
        }
        bool isStatic = false;
        for (const TSNode part : children(child)) {
            isStatic = isStatic || (type(part) == "storage_class_specifier" &&
                                    text(part) == QLatin1String("static"));
        }
        for (const TSNode declarator : children(child)) {
            if (!ts_node_eq(declarator, field(child, "type")) &&
                (type(declarator).ends_with("declarator") ||
                 type(declarator) == "field_identifier")) {
                bool fn = false;
                bool ptr = false;
                TSNode unused{};
                Field member;
                member.name = cppDeclaratorName(declarator, &fn, &ptr, &unused);
                member.type = text(field(child, "type")) + (ptr ? QStringLiteral(" *") : QString());
                member.init = text(field(child, "default_value"));
                member.isStatic = isStatic;
                member.isPrivate = isPrivate;
                member.line = line(child);
                if (!member.name.isEmpty()) {
                    shape.fields << member;
                }
            }
        }
    }
}

void Reader::readMembers(TSNode classNode, Shape &shape)
{
    const TSNode body = field(classNode, "body");
    switch (m_spec.family) {
    case Family::Python:
        readPython(body, shape);
        break;
    case Family::JavaScript:
        readJavaScript(body, shape);
        break;
    case Family::Java:
        readJava(body, shape);
        break;
    case Family::CFamily:
        readCpp(classNode, body, shape);
        break;
    case Family::Go: {
        const TSNode structType = field(classNode, "type");
        walk(structType, [&](TSNode node) {
            if (type(node) != "field_declaration") {
                return type(node) == "struct_type" || type(node) == "field_declaration_list";
            }
            const QString fieldType = text(field(node, "type"));
            QStringList names;
            for (const TSNode child : children(node)) {
                if (type(child) == "field_identifier") {
                    names << text(child);
                }
            }
            const bool embedded = names.isEmpty();
            if (embedded) {
                names << baseName(fieldType);
            }
            for (const QString &name : std::as_const(names)) {
                Field member;
                member.name = name;
                member.type = fieldType;
                member.embedded = embedded;
                member.isPrivate = !name.isEmpty() && name.at(0).isLower();
                member.line = line(node);
                shape.fields << member;
            }
            return false;
        });
        break;
    }
    case Family::Rust:
        walk(body, [&](TSNode node) {
            if (type(node) != "field_declaration") {
                return type(node) == "field_declaration_list";
            }
            Field member;
            member.name = text(field(node, "name"));
            member.type = text(field(node, "type"));
            member.isPrivate = !hasToken(node, "visibility_modifier");
            member.line = line(node);
            shape.fields << member;
            return false;
        });
        // struct Traced<S: Source> / where S: Source: a field of type S stands for Source.
        walk(classNode, [&](TSNode node) {
            const std::string_view kind = type(node);
            if (kind == "type_parameter" || kind == "constrained_type_parameter" ||
                kind == "where_predicate") {
                TSNode parameter = field(node, "name");
                if (ts_node_is_null(parameter)) {
                    parameter = field(node, "left");
                }
                const TSNode bound = namedChild(field(node, "bounds"), 0);
                if (!ts_node_is_null(bound)) {
                    shape.bounds.insert(text(parameter), baseName(text(bound)));
                }
                return false;
            }
            return kind == "struct_item" || kind == "enum_item" || kind == "type_parameters" ||
                   kind == "where_clause";
        });
        break;
    }
}

void Reader::readFile(TSNode root)
{
    walk(root, [&](TSNode node) {
        const std::string_view kind = type(node);
        if (among(kind, m_spec.classes) || kind == "impl_item" ||
            (m_spec.family == Family::JavaScript && among(kind, m_spec.abstracts))) {
            const QString name = className(node);
            TypeInfo &info = types[name];
            info.bases << basesOf(node);
            info.isAbstract = info.isAbstract || among(kind, m_spec.abstracts);
            if (m_spec.family == Family::Python) {
                info.isAbstract = info.isAbstract || info.bases.contains(QLatin1String("ABC")) ||
                                  info.bases.contains(QLatin1String("Protocol")) ||
                                  info.bases.contains(QLatin1String("ABCMeta"));
            }
            if (m_spec.family == Family::Java || m_spec.family == Family::CFamily) {
                static const QRegularExpression abstract(
                    QStringLiteral("\\babstract\\s+class\\b|\\bvirtual\\b[^;{]*=\\s*0\\s*;"));
                info.isAbstract = info.isAbstract || abstract.match(text(node)).hasMatch();
            }
            if (m_spec.family == Family::Go) {
                const TSNode definition = field(node, "type");
                if (type(definition) == "interface_type") {
                    info.isAbstract = true;
                    for (const TSNode element : children(definition)) {
                        if (type(element) == "method_elem" || type(element) == "method_spec") {
                            info.methodNames << text(field(element, "name"));
                        }
                    }
                }
            }
            if (m_spec.family != Family::Go && m_spec.family != Family::CFamily) {
                for (TSNode member : children(field(node, "body"))) {
                    if (type(member) == "decorated_definition") {
                        member = field(member, "definition");
                    }
                    const std::string_view memberKind = type(member);
                    if (memberKind.find("method") != std::string_view::npos ||
                        memberKind.starts_with("function_")) {
                        info.methodNames << text(field(member, "name"));
                    }
                }
            }
            if (kind == "impl_item") {
                const QString trait = baseName(text(field(node, "trait")));
                if (!trait.isEmpty()) {
                    info.bases << trait;
                }
                for (const TSNode item : children(field(node, "body"))) {
                    if (type(item) == "function_item") {
                        m_outOfClass << qMakePair(name, readCallable(item, true));
                    }
                }
                return false;
            }
            return m_spec.family != Family::Go;
        }
        if (kind == "method_declaration" && m_spec.family == Family::Go) {
            const TSNode receiver = namedChild(field(node, "receiver"), 0);
            m_outOfClass << qMakePair(baseName(text(field(receiver, "type"))),
                                      readCallable(node, true));
            return false;
        }
        if (kind == "function_definition" && m_spec.family == Family::CFamily) {
            // Out-of-line member definitions (Logger::create) belong to their class.
            TSNode declarator = field(node, "declarator");
            while (!ts_node_is_null(declarator) && type(declarator) != "qualified_identifier" &&
                   !type(declarator).ends_with("identifier")) {
                declarator = field(declarator, "declarator");
            }
            if (type(declarator) == "qualified_identifier") {
                const QString scope = baseName(text(field(declarator, "scope")));
                Method method = readCallable(node, true);
                m_outOfClass << qMakePair(scope, method);
            } else if (type(ts_node_parent(node)) == "translation_unit" ||
                       type(ts_node_parent(node)) == "declaration_list") {
                m_functions << readCallable(node, false);
            }
            return false;
        }
        if ((kind == "function_declaration" && m_spec.family == Family::Go) ||
            (kind == "function_item" && m_spec.family == Family::Rust) ||
            (kind == "function_definition" && m_spec.family == Family::Python &&
             type(ts_node_parent(node)) == "module")) {
            m_functions << readCallable(node, false);
            return false;
        }
        if (kind == "declaration" && m_spec.family == Family::CFamily &&
            type(ts_node_parent(node)) == "translation_unit") {
            // File-level variables: static Config *instance;
            bool isFunction = false;
            bool pointer = false;
            TSNode parameters{};
            Field global;
            global.name =
                cppDeclaratorName(field(node, "declarator"), &isFunction, &pointer, &parameters);
            global.type = text(field(node, "type")) + (pointer ? QStringLiteral(" *") : QString());
            global.init = text(field(field(node, "declarator"), "value"));
            global.isStatic = true;
            global.isPrivate = hasToken(node, "storage_class_specifier");
            global.line = line(node);
            if (!isFunction && !global.name.isEmpty()) {
                m_globals << global;
            }
            return false;
        }
        if (kind == "var_spec" || kind == "static_item") {
            Field global;
            global.name = text(field(node, "name"));
            global.type = text(field(node, "type"));
            global.init = text(field(node, "value"));
            global.isStatic = true;
            global.isPrivate = kind == "static_item" ? !hasToken(node, "visibility_modifier")
                                                     : global.name.at(0).isLower();
            global.line = line(node);
            m_globals << global;
            return false;
        }
        if (kind == "macro_invocation" &&
            text(field(node, "macro")).contains(QLatin1String("lazy_static"))) {
            static const QRegularExpression staticRef(
                QStringLiteral("static\\s+ref\\s+(\\w+)\\s*:\\s*([^=]+)=([^;]*);"));
            auto it = staticRef.globalMatch(text(node));
            while (it.hasNext()) {
                const QRegularExpressionMatch match = it.next();
                Field global;
                global.name = match.captured(1);
                global.type = match.captured(2).trimmed();
                global.init = match.captured(3).trimmed();
                global.isStatic = true;
                global.isPrivate = true;
                global.line = line(node);
                m_globals << global;
            }
            return false;
        }
        return true;
    });
}

TSNode Reader::findClass(TSNode root, const CodeSymbol &symbol) const
{
    TSNode found{};
    const auto start = uint32_t(std::max(0, symbol.startByte));
    const auto end = uint32_t(std::max(0, symbol.endByte)) + 1;
    walk(root, [&](TSNode node) {
        if (!ts_node_is_null(found) || ts_node_end_byte(node) < start ||
            ts_node_start_byte(node) > end) {
            return false;
        }
        const std::string_view kind = type(node);
        if ((among(kind, m_spec.classes) || among(kind, m_spec.abstracts) || kind == "impl_item") &&
            ts_node_start_byte(node) >= start && ts_node_end_byte(node) <= end &&
            className(node) == symbol.name) {
            found = node;
            return false;
        }
        return true;
    });
    return found;
}

Shape Reader::shapeOf(TSNode classNode, const QString &name)
{
    Shape shape;
    shape.name = name;
    shape.family = m_spec.family;
    shape.implicitThis = m_spec.implicitThis;
    shape.line = line(classNode);
    if (type(classNode) != "impl_item") {
        readMembers(classNode, shape);
    } else {
        // An impl block stands for its type: read the type's fields when it is in the file.
        walk(ts_node_parent(classNode), [&](TSNode node) {
            if (among(type(node), m_spec.classes) && className(node) == name) {
                readMembers(node, shape);
                return false;
            }
            return ts_node_eq(node, ts_node_parent(classNode));
        });
    }
    for (const auto &[owner, method] : std::as_const(m_outOfClass)) {
        if (owner != name) {
            continue;
        }
        // A C++ declaration in the class (no body) is completed by its definition.
        auto declared =
            std::find_if(shape.methods.begin(), shape.methods.end(), [&](const Method &m) {
                return m.name == method.name && !m.text.contains(QLatin1Char('{'));
            });
        if (declared != shape.methods.end()) {
            // Static, access and constructor are said by the declaration only.
            Method merged = method;
            merged.isStatic = declared->isStatic;
            merged.isPrivate = declared->isPrivate;
            merged.isConstructor = declared->isConstructor;
            merged.selfName = declared->selfName;
            *declared = merged;
        } else {
            Method added = method;
            added.isConstructor = m_spec.family == Family::CFamily && added.name == name;
            shape.methods << added;
        }
    }
    shape.bases = types.value(name).bases;
    if (m_spec.family == Family::Go) {
        QStringList methodNames;
        for (const Method &method : std::as_const(shape.methods)) {
            methodNames << method.name;
        }
        for (auto it = types.cbegin(); it != types.cend(); ++it) {
            if (it.key() != name && !it->methodNames.isEmpty() &&
                std::all_of(it->methodNames.begin(), it->methodNames.end(),
                            [&](const QString &m) { return methodNames.contains(m); })) {
                shape.bases << it.key();
            }
        }
    }
    shape.globals = m_globals;
    shape.functions = m_functions;
    return shape;
}

// The rules. They see only shapes.
class Rules
{
public:
    Rules(const Shape &shape, const QHash<QString, TypeInfo> &types)
        : s(shape)
        , m_types(types)
        , m_all(shape.methods + shape.functions)
    {}

    QList<DetectedPattern> run()
    {
        singleton();
        factory();
        builder();
        observer();
        decorator();
        strategy();
        iterator();
        resource();
        return m_found;
    }

private:
    static QString code(const QString &name) { return QLatin1Char('`') + name + QLatin1Char('`'); }
    static QString call(const Method &method) { return code(method.name + QStringLiteral("()")); }

    void add(const QString &name, const QStringList &evidence, int line)
    {
        m_found << DetectedPattern{name, evidence.join(QStringLiteral("; ")), line};
    }

    // Whether a type text names this class (Config, *Config, Config &, OnceLock<Config>,
    // Optional["Config"], Self).
    bool isOwnType(const QString &typeText) const
    {
        if (typeText.isEmpty()) {
            return false;
        }
        return regex(QStringLiteral("(?<![\\w$])(%1|Self)(?![\\w$])")
                         .arg(QRegularExpression::escape(s.name)))
            .match(typeText)
            .hasMatch();
    }
    // Whether a variable of this type holds the one instance: Config, Config *, Config &,
    // std::unique_ptr<Config>, OnceLock<Config>, Mutex<Config>, Optional["Config"],
    // Database | null; not a container of several (QHash<QString, Config>, List<Config>).
    bool holdsOwnInstance(QString typeText) const
    {
        static const QRegularExpression wrapper(QStringLiteral(
            "^(?:std::)?(unique_ptr|shared_ptr|atomic|optional|OnceLock|OnceCell|Lazy|LazyLock|"
            "Mutex|RwLock|Arc|Rc|Box|Option|Optional|Cell|RefCell|AtomicReference|"
            "QScopedPointer|QSharedPointer|QPointer)\\s*[<\\[](.*)[>\\]]$"));
        static const QRegularExpression decoration(
            QStringLiteral("^(const|static|volatile|mut|struct|class|&'static|&|\\*|\\?|'|\")\\s*|"
                           "\\s*(const|\\*|&|'|\")$|\\s*\\|\\s*(null|undefined|None)$"));
        for (int depth = 0; depth < 8; ++depth) {
            QString previous;
            while (previous != typeText) {
                previous = typeText;
                typeText = typeText.trimmed().remove(decoration);
            }
            const QRegularExpressionMatch match = wrapper.match(typeText);
            if (!match.hasMatch()) {
                break;
            }
            typeText = match.captured(2);
        }
        static const QRegularExpression qualified(QStringLiteral("^([\\w$]+(::|\\.))*"));
        typeText.remove(qualified);
        return typeText == s.name || typeText == QLatin1String("Self");
    }
    bool createsOwn(const QString &expression) const
    {
        const QRegularExpression &own =
            regex(QStringLiteral(
                      "(?<![\\w$])(new\\s+%1\\b|%1\\s*(\\(|\\{|::new|::default)|cls\\s*\\(|"
                      "Self\\s*(\\{|::new|::default)|super\\(\\)\\.__new__|make_unique\\s*<\\s*%1|"
                      "make_shared\\s*<\\s*%1|&%1\\s*\\{)")
                      .arg(QRegularExpression::escape(s.name)));
        return own.match(expression).hasMatch();
    }
    // Whether an expression is a reference to the member: self.x, this.x, this->x, cls.x,
    // Config.x, Config::x, r.x (Go receiver), x (C++/Java, globals).
    bool refers(const QString &expression, const QString &member, const QString &selfName,
                bool bare) const
    {
        QStringList owners{QStringLiteral("self"), QStringLiteral("this"), QStringLiteral("cls"),
                           QStringLiteral("Self"), QRegularExpression::escape(s.name)};
        if (!selfName.isEmpty()) {
            owners << QRegularExpression::escape(selfName);
        }
        const QString prefix =
            QStringLiteral("(?:(?:%1)\\s*(?:\\.|->|::)\\s*)").arg(owners.join(QLatin1Char('|')));
        const QString pattern = QStringLiteral("(?<![\\w$#.>:])%1%2%3(?![\\w$])")
                                    .arg(prefix, bare ? QStringLiteral("?") : QString(),
                                         QRegularExpression::escape(member));
        return regex(pattern).match(expression).hasMatch();
    }
    // The rules build patterns from member names in nested loops: compile each once.
    const QRegularExpression &regex(const QString &pattern) const
    {
        auto it = m_regexes.find(pattern);
        if (it == m_regexes.end()) {
            it = m_regexes.insert(pattern, QRegularExpression(pattern));
        }
        return *it;
    }
    bool refersField(const QString &expression, const Field &field, const Method &method) const
    {
        return refers(expression, field.name, method.selfName, s.implicitThis);
    }
    static bool returnsExactly(const Method &method,
                               const std::function<bool(const QString &)> &test)
    {
        return std::any_of(method.returns.begin(), method.returns.end(), test);
    }
    bool returnsSelf(const Method &method) const
    {
        if (method.isStatic || method.isConstructor || method.selfName.isEmpty()) {
            return false;
        }
        return returnsExactly(method, [&](const QString &r) {
            const QString value = r.trimmed();
            return value == method.selfName || value == QLatin1String("*this") ||
                   value == QLatin1String("this");
        });
    }
    bool isStaticLike(const Method &method) const { return !method.isMember || method.isStatic; }
    // A singleton accessor: a static method, or a free function without parameters (one
    // that picks among several statics by its arguments hands out no single instance).
    bool isAccessor(const Method &method) const
    {
        return method.isMember ? method.isStatic : method.params.isEmpty();
    }
    // "instance", "*s_instance", "&CACHE", "INSTANCE.get_or_init(...)": the value handed
    // out is the variable itself, not one of several alternatives.
    bool returnsVariable(const QString &expression, const QString &variable) const
    {
        return regex(
                   QStringLiteral("(?s)^\\s*[&*]?\\s*%1(?![\\w$])(\\s*(\\.|->)[\\w$]+\\s*\\(.*)?$")
                       .arg(QRegularExpression::escape(variable)))
            .match(expression)
            .hasMatch();
    }
    const QList<Method> &callables() const { return m_all; }
    static bool same(const Method &a, const Method &b)
    {
        return a.name == b.name && a.line == b.line;
    }

    void singleton()
    {
        const auto privateConstructor =
            std::find_if(s.methods.begin(), s.methods.end(),
                         [](const Method &m) { return m.isConstructor && m.isPrivate; });
        const bool publicConstructor =
            std::any_of(s.methods.begin(), s.methods.end(),
                        [](const Method &m) { return m.isConstructor && !m.isPrivate; });
        const QString ctorNote = privateConstructor != s.methods.end()
                                     ? QStringLiteral("private constructor")
                                     : QString();
        const auto finish = [&](QStringList evidence, int line) {
            if (!ctorNote.isEmpty()) {
                evidence << ctorNote;
            }
            add(QStringLiteral("singleton"), evidence, line);
        };
        // A static field holding the instance and a static accessor returning it.
        for (const Field &field : s.fields) {
            if (!field.isStatic) {
                continue;
            }
            bool ownInstance = holdsOwnInstance(field.type) || createsOwn(field.init);
            const Method *creator = nullptr;
            for (const Method &method : s.methods) {
                for (const auto &[left, right] : method.assigns) {
                    // cls._instances[key] = cls(): a registry of several, no singleton.
                    if (refers(left, field.name, method.selfName, true) &&
                        !left.contains(QLatin1Char('[')) &&
                        (createsOwn(right) || isOwnType(right))) {
                        ownInstance = true;
                        creator = &method;
                    }
                }
            }
            if (!ownInstance) {
                continue;
            }
            for (const Method &method : s.methods) {
                if (!method.isStatic || method.isConstructor) {
                    continue;
                }
                const bool returnsIt = returnsExactly(method, [&](const QString &r) {
                    return refers(r.trimmed(), field.name, method.selfName, true) &&
                           !r.contains(QLatin1Char('(')) && !r.contains(QLatin1Char('['));
                });
                const bool hidden = field.isPrivate || field.name.startsWith(QLatin1Char('_')) ||
                                    privateConstructor != s.methods.end();
                // An eager instance next to a public constructor is a shared default value
                // (Color.BLACK), not the only instance.
                const bool onlyInstance =
                    privateConstructor != s.methods.end() || creator || !publicConstructor;
                if (!returnsIt || !hidden || !onlyInstance) {
                    continue;
                }
                QStringList evidence{
                    QStringLiteral("%1static field %2%3")
                        .arg(field.isPrivate ? QStringLiteral("private ") : QString(),
                             code(field.name),
                             field.type.isEmpty() ? QString()
                                                  : QStringLiteral(" of type ") + field.type),
                    QStringLiteral("%1%2 returns it")
                        .arg(method.name == QLatin1String("__new__") ? QString()
                                                                     : QStringLiteral("static "),
                             call(method))};
                if (method.name == QLatin1String("__new__")) {
                    evidence[1] = QStringLiteral("%1 override returns it").arg(call(method));
                }
                if (creator && creator != &method) {
                    evidence << QStringLiteral("%1 creates it").arg(call(*creator));
                }
                m_accessorNames << method.name;
                finish(evidence, method.line);
                return;
            }
        }
        // A static accessor returning a function-local static of the class (C++ Meyers
        // singleton, Rust OnceLock in a function).
        for (const Method &method : callables()) {
            if (!isAccessor(method)) {
                continue;
            }
            for (const Field &local : method.localStatics) {
                const bool own = holdsOwnInstance(local.type) || createsOwn(local.init);
                const bool returned = returnsExactly(
                    method, [&](const QString &r) { return returnsVariable(r, local.name); });
                if (own && returned &&
                    (isOwnType(method.returnType) || method.returnType.isEmpty())) {
                    m_accessorNames << method.name;
                    finish(
                        {QStringLiteral("%1 %2 returns the function-local static %3%4")
                             .arg(method.isMember ? QStringLiteral("static")
                                                  : QStringLiteral("function"),
                                  call(method), code(local.name),
                                  local.type.isEmpty() ? QString()
                                                       : QStringLiteral(" of type ") + local.type)},
                        method.line);
                    return;
                }
            }
        }
        // Package variables and statics (Go, Rust) returned by a function.
        for (const Field &global : s.globals) {
            const bool own = holdsOwnInstance(global.type) || createsOwn(global.init);
            if (!own) {
                continue;
            }
            for (const Method &method : callables()) {
                if (!isAccessor(method) || !isOwnType(method.returnType)) {
                    continue;
                }
                const bool returned = returnsExactly(
                    method, [&](const QString &r) { return returnsVariable(r, global.name); });
                if (!returned) {
                    continue;
                }
                QStringList evidence{QStringLiteral("%1 %2 of type %3")
                                         .arg(s.family == Family::Go
                                                  ? QStringLiteral("package variable")
                                                  : QStringLiteral("static"),
                                              code(global.name), global.type),
                                     QStringLiteral("%1 returns it").arg(call(method))};
                for (const Field &once : s.globals) {
                    if (once.type.contains(QLatin1String("Once")) &&
                        method.calls.contains(once.name + QStringLiteral(".Do"))) {
                        evidence << QStringLiteral("initialized once through %1")
                                        .arg(code(once.name + QStringLiteral(".Do")));
                    }
                }
                m_accessorNames << method.name;
                finish(evidence, method.line);
                return;
            }
        }
        // A private constructor and a static accessor handing out what a static field
        // holds (Java: a map of instances, C++: a pointer to a private implementation).
        if (privateConstructor != s.methods.end()) {
            for (const Method &method : s.methods) {
                if (!method.isStatic || method.isConstructor || !isOwnType(method.returnType)) {
                    continue;
                }
                for (const Field &field : s.fields) {
                    const bool returned = returnsExactly(method, [&](const QString &r) {
                        return !createsOwn(r) && refers(r, field.name, method.selfName, true);
                    });
                    if (field.isStatic && returned) {
                        m_accessorNames << method.name;
                        add(QStringLiteral("singleton"),
                            {QStringLiteral("private constructor"),
                             QStringLiteral("static %1 returns the shared %2 from static field %3")
                                 .arg(call(method), s.name, code(field.name))},
                            method.line);
                        return;
                    }
                }
            }
        }
        if (s.isEnumWithOneConstant && !s.methods.isEmpty()) {
            add(QStringLiteral("singleton"),
                {QStringLiteral("enum with the single constant holding the instance")}, s.line);
        }
    }

    // Types created by a method, without the language's own-name aliases.
    QStringList createdTypes(const Method &method) const
    {
        QStringList created;
        for (QString type : method.created) {
            if (type == QLatin1String("cls") || type == QLatin1String("Self")) {
                type = s.name;
            }
            if (!type.isEmpty() && !created.contains(type)) {
                created << type;
            }
        }
        return created;
    }
    bool derivesFrom(const QString &type, const QString &base, int depth = 0) const
    {
        if (depth > 8) {
            return false;
        }
        const QStringList bases = m_types.value(type).bases;
        return std::any_of(bases.begin(), bases.end(), [&](const QString &b) {
            return b == base || derivesFrom(b, base, depth + 1);
        });
    }

    // Whether a returned expression is a construction of the type: "new Circle(r)",
    // "&memoryStore{...}", "CsvExporter()", "std::make_unique<HexCodec>()", "Box::new(Sq {..})".
    bool returnsNew(const QString &expression, const QString &type) const
    {
        return regex(QStringLiteral("^\\s*(&|new\\s+|\\*)?\\s*(std::make_(unique|shared)\\s*<\\s*|"
                                    "(Box|Rc|Arc)::new\\s*\\(\\s*)?([\\w$]+(\\.|::))*%1(?![\\w$])")
                         .arg(QRegularExpression::escape(type)))
            .match(expression)
            .hasMatch();
    }

    void factory()
    {
        for (const Method &method : callables()) {
            if (!isStaticLike(method) || method.isConstructor ||
                m_accessorNames.contains(method.name) || method.name == QLatin1String("__new__")) {
                continue;
            }
            // Implementations: subtypes of this type (or anything, when the declared return
            // type is this type) that a return statement constructs.
            QStringList implementations;
            for (const QString &type : createdTypes(method)) {
                const bool returned =
                    returnsExactly(method, [&](const QString &r) { return returnsNew(r, type); });
                if (type != s.name && returned &&
                    (derivesFrom(type, s.name) || isOwnType(method.returnType))) {
                    implementations << type;
                }
            }
            if (implementations.size() >= 2 && method.branches) {
                add(QStringLiteral("factory"),
                    {QStringLiteral("%1%2 returns %3 chosen by a switch/if")
                         .arg(method.isMember ? QStringLiteral("static ")
                                              : QStringLiteral("function "),
                              call(method), implementations.join(QStringLiteral(", ")))},
                    method.line);
                return;
            }
            // Named constructors; a language's plain constructor function is no factory.
            const bool plainConstructor =
                (s.family == Family::Rust && method.name == QLatin1String("new")) ||
                (s.family == Family::Go && (method.name == QLatin1String("New") ||
                                            method.name == QStringLiteral("New") + s.name));
            const bool createsSelf =
                returnsExactly(method, [&](const QString &r) { return createsOwn(r); });
            if (createsSelf && method.isMember && !plainConstructor) {
                add(QStringLiteral("factory"),
                    {QStringLiteral("static %1 returns a new %2").arg(call(method), s.name)},
                    method.line);
                return;
            }
        }
    }

    void builder()
    {
        QStringList fluent;
        int line = 0;
        for (const Method &method : s.methods) {
            // Assignment operators and in-place dunders return the object by convention.
            const bool convention = method.name.startsWith(QLatin1String("operator")) ||
                                    method.name.startsWith(QLatin1String("__"));
            if (!convention && returnsSelf(method)) {
                fluent << call(method);
                line = line == 0 ? method.line : line;
            }
        }
        if (fluent.size() < 2) {
            return;
        }
        static const QRegularExpression buildName(QStringLiteral(
            "^(build\\w*|Build\\w*|create|make|finish|done|get_?[Rr]esult|result)$"));
        for (const Method &method : s.methods) {
            if (buildName.match(method.name).hasMatch() && !returnsSelf(method) &&
                (!method.returns.isEmpty() || !method.created.isEmpty())) {
                const QStringList created = createdTypes(method);
                add(QStringLiteral("builder"),
                    {QStringLiteral("fluent %1 return %2")
                         .arg(fluent.join(QStringLiteral(", ")),
                              s.family == Family::Python || s.family == Family::Rust
                                  ? QStringLiteral("self")
                                  : QStringLiteral("this")),
                     created.isEmpty()
                         ? QStringLiteral("%1 produces the result").arg(call(method))
                         : QStringLiteral("%1 creates %2")
                               .arg(call(method), created.join(QStringLiteral(", ")))},
                    line);
                return;
            }
        }
    }

    static bool isCollection(const Field &field)
    {
        static const QRegularExpression type(QStringLiteral(
            "(?<![\\w$])(List|list|Set|set|Vec|vector|Array|ArrayList|LinkedList|HashSet|deque|"
            "Deque|WeakSet|Collection|Sequence|Iterable|map|Map|HashMap|dict|Dict)(?![\\w$])|\\[\\]"
            "|^\\["));
        static const QRegularExpression init(QStringLiteral(
            "^\\s*(\\[|\\{\\}|set\\(|list\\(|dict\\(|new\\s+\\w*(Array|List|Set|Map)|Vec::new|vec!|"
            "make\\(\\s*\\[\\]|\\w*(List|Set)\\.of)"));
        return type.match(field.type).hasMatch() || init.match(field.init).hasMatch();
    }

    // Whether a loop notifies its elements: calls each one (callbacks), or, for a
    // collection named like listeners, calls a method on each.
    static bool callsEach(const Loop &loop, bool listeners)
    {
        if (loop.variable.isEmpty()) {
            return false;
        }
        return std::any_of(loop.calls.begin(), loop.calls.end(), [&](const QString &callee) {
            const QString trimmed = callee.trimmed();
            return trimmed == loop.variable ||
                   (listeners && (trimmed.startsWith(loop.variable + QLatin1Char('.')) ||
                                  trimmed.startsWith(loop.variable + QStringLiteral("->"))));
        });
    }

    void observer()
    {
        static const QRegularExpression addCall(
            QStringLiteral("\\.(append|add|push|push_back|emplace_back|insert|addListener|set)$"));
        static const QRegularExpression removeCall(
            QStringLiteral("\\.(remove|discard|erase|delete|splice|retain|removeIf|remove_if|"
                           "removeListener|pop)$"));
        static const QRegularExpression listenerName(QStringLiteral(
            "(?i)(listener|observer|subscriber|callback|handler|watcher|hook|sink)s?"));
        for (const Field &field : s.fields) {
            if (!isCollection(field)) {
                continue;
            }
            const Method *adder = nullptr;
            const Method *remover = nullptr;
            const Method *notifier = nullptr;
            for (const Method &method : s.methods) {
                for (const QString &callee : method.calls) {
                    const qsizetype dot = callee.lastIndexOf(QLatin1Char('.'));
                    const QString object = dot > 0 ? callee.left(dot) : QString();
                    if (object.isEmpty() || !refersField(object, field, method)) {
                        continue;
                    }
                    if (!adder && addCall.match(callee).hasMatch()) {
                        adder = &method;
                    } else if (!remover && removeCall.match(callee).hasMatch()) {
                        remover = &method;
                    }
                }
                for (const auto &[left, right] : method.assigns) {
                    if (!refersField(left, field, method)) {
                        continue;
                    }
                    if (!adder && right.contains(QLatin1String("append("))) {
                        adder = &method;
                    } else if (!remover && (right.contains(QLatin1String("filter")) ||
                                            right.contains(QLatin1String("[:")) ||
                                            right.contains(QLatin1String("without")))) {
                        remover = &method;
                    }
                }
                for (const Loop &loop : method.loops) {
                    if (!notifier && refersField(loop.iterated, field, method) &&
                        callsEach(loop, listenerName.match(field.name).hasMatch())) {
                        notifier = &method;
                    }
                }
            }
            if (!adder || !notifier || adder == notifier) {
                continue;
            }
            QStringList evidence{QStringLiteral("collection field %1").arg(code(field.name)),
                                 QStringLiteral("%1 adds to it").arg(call(*adder))};
            if (remover) {
                evidence << QStringLiteral("%1 removes from it").arg(call(*remover));
            }
            evidence << QStringLiteral("%1 iterates it and calls each").arg(call(*notifier));
            add(QStringLiteral("observer"), evidence, notifier->line);
            return;
        }
    }

    // The base types a field's type stands for: Box<dyn Source> -> Source, S -> its bound.
    QStringList typeNames(const QString &typeText) const
    {
        static const QRegularExpression word(QStringLiteral("[A-Za-z_$][\\w$]*"));
        QStringList names;
        auto it = word.globalMatch(typeText);
        while (it.hasNext()) {
            const QString name = it.next().captured(0);
            names << name << s.bounds.value(name);
        }
        names.removeAll(QString());
        return names;
    }

    // Whether a method forwards to the same-named method of the field: inner.read(),
    // self._inner.find(key), inner_->write(s), s.next.Get(key).
    bool delegates(const Method &method, const Field &field) const
    {
        return std::any_of(method.calls.begin(), method.calls.end(), [&](const QString &callee) {
            const qsizetype arrow = callee.lastIndexOf(QLatin1String("->"));
            const qsizetype dot = callee.lastIndexOf(QLatin1Char('.'));
            const qsizetype cut = std::max(dot, arrow);
            if (cut <= 0) {
                return false;
            }
            const qsizetype nameStart = cut == arrow ? arrow + 2 : dot + 1;
            return callee.mid(nameStart).trimmed() == method.name &&
                   refersField(callee.left(cut), field, method);
        });
    }

    void decorator()
    {
        if (s.bases.isEmpty()) {
            return;
        }
        for (const Field &field : s.fields) {
            if (field.isStatic) {
                continue;
            }
            const QStringList names = typeNames(field.type);
            QString base;
            for (const QString &candidate : s.bases) {
                if (names.contains(candidate) && candidate != s.name) {
                    base = candidate;
                }
            }
            // An untyped field (Python, JavaScript) may stand for the base when the class
            // forwards a method the base declares, or forwards more than one.
            const bool untyped = field.type.isEmpty() &&
                                 (s.family == Family::Python || s.family == Family::JavaScript);
            if (base.isEmpty() && !untyped) {
                continue;
            }
            QList<const Method *> forwarding;
            for (const Method &method : s.methods) {
                if (!method.isConstructor && !method.isStatic && delegates(method, field)) {
                    forwarding << &method;
                }
            }
            if (forwarding.isEmpty()) {
                continue;
            }
            if (base.isEmpty()) {
                for (const QString &candidate : s.bases) {
                    const QStringList declared = m_types.value(candidate).methodNames;
                    if (declared.contains(forwarding.first()->name)) {
                        base = candidate;
                    }
                }
                const bool injected =
                    std::any_of(s.methods.begin(), s.methods.end(), [&](const Method &m) {
                        return m.isConstructor && setsFromParameter(m, field);
                    });
                if (base.isEmpty() || !injected) {
                    continue;
                }
            }
            QString typeText = field.type;
            for (const QString &name : typeNames(field.type)) {
                if (s.bounds.contains(name)) {
                    typeText = name + QStringLiteral(": ") + s.bounds.value(name);
                }
            }
            m_decoratorFields << field.name;
            add(QStringLiteral("decorator"),
                {QStringLiteral("%1 %2").arg(s.family == Family::Rust
                                                 ? QStringLiteral("implements trait")
                                                 : QStringLiteral("derives from"),
                                             code(base)),
                 QStringLiteral("wraps field %1%2")
                     .arg(code(field.name),
                          typeText.isEmpty() ? QString() : QStringLiteral(" of type ") + typeText),
                 QStringLiteral("%1 delegates to it").arg(call(*forwarding.first()))},
                forwarding.first()->line);
            return;
        }
    }

    bool isAbstractType(const QString &typeText) const
    {
        static const QRegularExpression functionType(QStringLiteral(
            "=>|(?<![\\w$])(func\\s*\\(|Fn(Mut|Once)?\\s*\\(|fn\\s*\\(|std::function|Callable|"
            "Function<|BiFunction<|Supplier<|Consumer<|Predicate<|Comparator<|Runnable(?![\\w$]))|"
            "\\(\\s*\\*\\s*\\w*\\s*\\)\\s*\\(|(?<![\\w$])dyn\\s"));
        if (functionType.match(typeText).hasMatch()) {
            return true;
        }
        const QStringList names = typeNames(typeText);
        return std::any_of(names.begin(), names.end(), [&](const QString &name) {
            return name != s.name && m_types.value(name).isAbstract;
        });
    }

    // Whether a method sets the field from one of its parameters: an assignment, a C++
    // member initializer, or a Go/Rust struct literal returned by a constructor function.
    bool setsFromParameter(const Method &method, const Field &field) const
    {
        for (const auto &[left, right] : method.assigns) {
            if (refersField(left, field, method) && method.params.contains(right.trimmed())) {
                return true;
            }
        }
        const QString name = QRegularExpression::escape(field.name);
        if ((s.family == Family::Go || s.family == Family::Rust) && isOwnType(method.returnType)) {
            auto it = regex(QStringLiteral("(?<![\\w$])%1\\s*(:\\s*(\\w+)|[,}\\s])").arg(name))
                          .globalMatch(method.text);
            while (it.hasNext()) {
                const QRegularExpressionMatch match = it.next();
                const QString value = match.captured(2).isEmpty() ? field.name : match.captured(2);
                if (method.params.contains(value)) {
                    return true;
                }
            }
        }
        if (!method.initializers.isEmpty()) {
            const QRegularExpressionMatch match =
                regex(QStringLiteral("(?<![\\w$])%1\\s*[({]\\s*(std::move\\s*\\()?\\s*(\\w+)")
                          .arg(name))
                    .match(method.initializers);
            return match.hasMatch() && method.params.contains(match.captured(2));
        }
        return false;
    }

    void strategy()
    {
        static const QRegularExpression parentheses(QStringLiteral("^\\(|\\)$"));
        for (const Field &field : s.fields) {
            if (field.isStatic || m_decoratorFields.contains(field.name) ||
                !isAbstractType(field.type) || isCollection(field)) {
                continue;
            }
            QStringList setters;
            QList<const Method *> setterMethods;
            for (const Method &method : callables()) {
                if (setsFromParameter(method, field)) {
                    setters << call(method);
                    setterMethods << &method;
                }
            }
            if (setters.isEmpty()) {
                continue;
            }
            for (const Method &method : s.methods) {
                const bool isSetter =
                    std::any_of(setterMethods.begin(), setterMethods.end(),
                                [&](const Method *setter) { return same(*setter, method); });
                const bool calls = std::any_of(
                    method.calls.begin(), method.calls.end(), [&](const QString &callee) {
                        QString object = callee.trimmed();
                        object.remove(parentheses);
                        return refersField(object, field, method) ||
                               refersField(object.section(QLatin1Char('.'), 0, -2), field,
                                           method) ||
                               refersField(object.section(QStringLiteral("->"), 0, -2), field,
                                           method);
                    });
                if (calls && !isSetter) {
                    add(QStringLiteral("strategy"),
                        {QStringLiteral("field %1 of abstract type %2")
                             .arg(code(field.name), field.type),
                         QStringLiteral("set by %1").arg(setters.join(QStringLiteral(", "))),
                         QStringLiteral("%1 calls it").arg(call(method))},
                        method.line);
                    return;
                }
            }
        }
    }

    const Method *named(const QString &name) const
    {
        for (const Method &m : s.methods) {
            if (m.name == name) {
                return &m;
            }
        }
        return nullptr;
    }

    void iterator()
    {
        const auto found = [&](const QString &a, const QString &b) {
            const Method *first = named(a);
            const Method *second = b.isEmpty() ? first : named(b);
            if (first && second) {
                add(QStringLiteral("iterator"),
                    {b.isEmpty() || a == b
                         ? QStringLiteral("defines %1").arg(call(*first))
                         : QStringLiteral("defines %1 and %2").arg(call(*first), call(*second))},
                    first->line);
                return true;
            }
            return false;
        };
        const bool iteratorBase = s.bases.contains(QLatin1String("Iterator")) ||
                                  s.bases.contains(QLatin1String("IntoIterator")) ||
                                  s.bases.contains(QLatin1String("Iterable")) ||
                                  s.bases.contains(QLatin1String("IterableIterator"));
        switch (s.family) {
        case Family::Python:
            if (found(QStringLiteral("__iter__"), QStringLiteral("__next__")) ||
                found(QStringLiteral("__aiter__"), QStringLiteral("__anext__")) ||
                found(QStringLiteral("__iter__"), QString())) {
                return;
            }
            break;
        case Family::Java:
            if (iteratorBase && (found(QStringLiteral("hasNext"), QStringLiteral("next")) ||
                                 found(QStringLiteral("iterator"), QString()))) {
                m_found.last().evidence.prepend(QStringLiteral("implements %1; ")
                                                    .arg(s.bases.contains(QLatin1String("Iterator"))
                                                             ? QStringLiteral("Iterator")
                                                             : QStringLiteral("Iterable")));
            }
            break;
        case Family::Rust:
            if (iteratorBase && (found(QStringLiteral("next"), QString()) ||
                                 found(QStringLiteral("into_iter"), QString()))) {
                m_found.last().evidence.prepend(QStringLiteral("impl %1; ")
                                                    .arg(named(QStringLiteral("next"))
                                                             ? QStringLiteral("Iterator")
                                                             : QStringLiteral("IntoIterator")));
            }
            break;
        case Family::JavaScript:
            for (const Method &m : s.methods) {
                if (m.name.contains(QLatin1String("Symbol.iterator")) ||
                    m.name.contains(QLatin1String("Symbol.asyncIterator"))) {
                    add(QStringLiteral("iterator"),
                        {QStringLiteral("defines %1").arg(code(m.name + QStringLiteral("()")))},
                        m.line);
                    return;
                }
            }
            if (const Method *next = named(QStringLiteral("next"));
                next && returnsExactly(*next, [](const QString &r) {
                    return r.contains(QLatin1String("done"));
                })) {
                add(QStringLiteral("iterator"),
                    {QStringLiteral("%1 returns { value, done }").arg(call(*next))}, next->line);
            }
            break;
        case Family::CFamily:
            if (!found(QStringLiteral("begin"), QStringLiteral("end"))) {
                found(QStringLiteral("operator++"), QStringLiteral("operator*"));
            }
            break;
        case Family::Go:
            if (const Method *next = named(QStringLiteral("Next"));
                next && next->returnType == QLatin1String("bool")) {
                for (const QString &accessor :
                     {QStringLiteral("Value"), QStringLiteral("Item"), QStringLiteral("Current"),
                      QStringLiteral("Scan")}) {
                    if (found(QStringLiteral("Next"), accessor)) {
                        return;
                    }
                }
            }
            break;
        }
    }

    void resource()
    {
        const auto both = [&](const QString &a, const QString &b, const QString &name) {
            const Method *first = named(a);
            const Method *second = named(b);
            if (first && second) {
                add(name, {QStringLiteral("defines %1 and %2").arg(call(*first), call(*second))},
                    first->line);
                return true;
            }
            return false;
        };
        static const QRegularExpression releases(QStringLiteral(
            "(?i)(close|release|free|unlock|destroy|disconnect|dispose|delete|reset|shutdown|"
            "cleanup|unmap|munmap|drop|stop|join|finish|flush|deinit|unref|unregister)"));
        switch (s.family) {
        case Family::Python:
            if (!both(QStringLiteral("__enter__"), QStringLiteral("__exit__"),
                      QStringLiteral("context_manager"))) {
                both(QStringLiteral("__aenter__"), QStringLiteral("__aexit__"),
                     QStringLiteral("context_manager"));
            }
            break;
        case Family::Java:
            if (const Method *close = named(QStringLiteral("close"));
                close && (s.bases.contains(QLatin1String("AutoCloseable")) ||
                          s.bases.contains(QLatin1String("Closeable")))) {
                add(QStringLiteral("context_manager"),
                    {QStringLiteral("implements %1")
                         .arg(s.bases.contains(QLatin1String("AutoCloseable"))
                                  ? QStringLiteral("AutoCloseable")
                                  : QStringLiteral("Closeable")),
                     QStringLiteral("%1 releases the resource for try-with-resources")
                         .arg(call(*close))},
                    close->line);
            }
            break;
        case Family::JavaScript:
            for (const Method &m : s.methods) {
                if (m.name.contains(QLatin1String("Symbol.dispose")) ||
                    m.name.contains(QLatin1String("Symbol.asyncDispose"))) {
                    add(QStringLiteral("context_manager"),
                        {QStringLiteral("defines %1 for `using`")
                             .arg(code(m.name + QStringLiteral("()")))},
                        m.line);
                    return;
                }
            }
            break;
        case Family::Rust:
            if (const Method *drop = named(QStringLiteral("drop"));
                drop && s.bases.contains(QLatin1String("Drop"))) {
                QStringList evidence{QStringLiteral("impl Drop")};
                const QStringList released = releasedFields(*drop, releases);
                evidence << (released.isEmpty()
                                 ? QStringLiteral("%1 releases the resource").arg(call(*drop))
                                 : QStringLiteral("%1 releases %2")
                                       .arg(call(*drop), released.join(QStringLiteral(", "))));
                add(QStringLiteral("raii"), evidence, drop->line);
            }
            break;
        case Family::CFamily: {
            const Method *destructor = nullptr;
            for (const Method &m : s.methods) {
                if (m.isDestructor && m.text.contains(QLatin1Char('{'))) {
                    destructor = &m;
                }
            }
            if (!destructor) {
                break;
            }
            const QStringList released = releasedFields(*destructor, releases);
            for (const Method &ctor : s.methods) {
                if (!ctor.isConstructor) {
                    continue;
                }
                for (const QString &member : released) {
                    const QString name = member.mid(1, member.size() - 2);
                    const bool acquired =
                        regex(QStringLiteral("(?<![\\w$])%1\\s*[({]")
                                  .arg(QRegularExpression::escape(name)))
                            .match(ctor.initializers)
                            .hasMatch() ||
                        std::any_of(ctor.assigns.begin(), ctor.assigns.end(), [&](const auto &a) {
                            return refers(a.first, name, QStringLiteral("this"), true);
                        });
                    if (acquired) {
                        add(QStringLiteral("raii"),
                            {QStringLiteral("constructor acquires %1").arg(member),
                             QStringLiteral("destructor %1 releases it").arg(call(*destructor))},
                            destructor->line);
                        return;
                    }
                }
            }
            break;
        }
        case Family::Go:
            if (const Method *close = named(QStringLiteral("Close"))) {
                const QStringList released = releasedFields(*close, releases);
                if (!released.isEmpty()) {
                    add(QStringLiteral("context_manager"),
                        {QStringLiteral("%1 releases %2 (io.Closer, used with defer)")
                             .arg(call(*close), released.join(QStringLiteral(", ")))},
                        close->line);
                }
            }
            break;
        }
    }

    // Fields a method hands to a release call: fclose(f_), this->conn.close(), delete p_.
    QStringList releasedFields(const Method &method, const QRegularExpression &releases) const
    {
        QStringList released;
        for (const Field &field : s.fields) {
            const bool viaCall =
                std::any_of(method.calls.begin(), method.calls.end(), [&](const QString &callee) {
                    return releases.match(callee.section(QLatin1Char('.'), -1)).hasMatch() &&
                           (refersField(callee, field, method) ||
                            method.text.contains(
                                regex(QStringLiteral("%1\\s*\\([^)]*(?<![\\w$])%2(?![\\w$])")
                                          .arg(QRegularExpression::escape(callee),
                                               QRegularExpression::escape(field.name)))));
                });
            const bool viaDelete = regex(QStringLiteral("\\bdelete(\\s*\\[\\])?\\s+(this->)?%1\\b")
                                             .arg(QRegularExpression::escape(field.name)))
                                       .match(method.text)
                                       .hasMatch();
            if (viaCall || viaDelete) {
                released << code(field.name);
            }
        }
        return released;
    }

    const Shape &s;
    const QHash<QString, TypeInfo> &m_types;
    const QList<Method> m_all; // methods, then the file's free functions
    QList<DetectedPattern> m_found;
    QStringList m_accessorNames;
    QStringList m_decoratorFields;
    mutable QHash<QString, QRegularExpression> m_regexes;
};

} // namespace

QList<DetectedPattern> PatternDetector::detect(const QString &language,
                                               const QByteArray &fileContent,
                                               const CodeSymbol &type)
{
    const ShapeSpec *spec = shapeSpec(language);
    const TSLanguage *grammar = Language::grammar(language);
    if (!spec || !grammar || type.isCallable() || type.kind == CodeSymbol::Kind::Namespace) {
        return {};
    }
    const SyntaxTree tree = parseSyntaxTree(language, grammar, fileContent);
    if (!tree) {
        return {};
    }
    const TSNode root = ts_tree_root_node(tree.get());
    Reader reader(*spec, fileContent);
    const TSNode classNode = reader.findClass(root, type);
    if (ts_node_is_null(classNode)) {
        return {};
    }
    reader.readFile(root);
    const QString name = type.name;
    const Shape shape = reader.shapeOf(classNode, name);
    return Rules(shape, reader.types).run();
}

} // namespace codeworm
