#pragma once

#include "analysis/CodeSymbol.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string_view>
#include <vector>

struct TSLanguage;

namespace codeworm {

// tree-sitter's TSSymbol and TSFieldId, without its header (which only this module sees).
using NodeSymbol = uint16_t;
using FieldId = uint16_t;

// The per-language table that drives CodeExtractor: which node types define callables and
// types, which count as decision points and nesting blocks, where comments, decorators and
// docstrings are. What a table cannot say is left to a small hook per language family
// (CodeExtractor.cpp): C/C++ declarators, Go receivers, Rust impl targets, JavaScript names
// taken from assignments. Private to the analysis module.
struct LanguageSpec
{
    // Code that cannot be table-driven.
    enum class Hook { Python, CFamily, Go, Rust, JavaScript, Java };
    // How a case arm tells that it is the default branch (which is no decision).
    enum class DefaultArm {
        None,           // every arm node is a decision (the default has its own type)
        NoValueField,   // C/C++ case_statement without "value"
        DefaultToken,   // Java switch_label whose first token is "default"
        RustWildcard,   // Rust match_arm whose pattern is "_" without guard
        PythonWildcard, // Python "case _:" without guard
    };

    struct Container
    {
        std::string_view type;
        CodeSymbol::Kind kind;
    };

    std::string_view language;
    Hook hook;

    // Named definitions with a body: functions, methods, constructors.
    std::vector<std::string_view> callables;
    // Lambdas, closures, arrow functions and function expressions: part of the function they
    // are written in; named only when the hook finds a name (JavaScript assignments).
    std::vector<std::string_view> anonymousFunctions;
    // Type-like definitions and namespaces; their members become methods.
    std::vector<Container> containers;
    // Nodes that wrap a definition and belong to its text (decorators, template<>, export).
    std::vector<std::string_view> wrappers;
    // Siblings before a definition that belong to it (Rust #[attributes]).
    std::vector<std::string_view> precedingAttributes;
    // Decorator, annotation and attribute nodes, looked for among the definition's (and its
    // wrappers' and modifiers') children.
    std::vector<std::string_view> decorators;
    // Child nodes holding modifiers (Java "modifiers", Rust "function_modifiers").
    std::vector<std::string_view> modifierLists;

    // 1 + one for each of these: the cyclomatic complexity of a callable.
    std::vector<std::string_view> decisions;
    // Case arms: a decision each unless defaultArm says it is the default branch.
    std::vector<std::string_view> caseArms;
    DefaultArm defaultArm = DefaultArm::None;
    // Short-circuit operator tokens, a decision each when their parent is one of
    // logicalParents (so that Rust's "&&" reference is no decision).
    std::vector<std::string_view> logicalOperators;
    std::vector<std::string_view> logicalParents;

    // Blocks that nest: maxNesting counts how deep they go inside a callable.
    std::vector<std::string_view> nesting;
    // An "if" that is the else branch of another "if" (its "alternative" field, or the child
    // of one of these else nodes) continues a chain and nests no deeper.
    std::vector<std::string_view> ifs;
    std::vector<std::string_view> elseClauses;

    std::vector<std::string_view> comments;
    // Nodes whose "condition" is no code (C preprocessor #if/#elif, as pmccabe sees it).
    std::vector<std::string_view> ignoredConditions;
    // Python: a string as the first statement of a body is the docstring. Otherwise the
    // comment block directly above a definition is its doc comment.
    bool docstrings = false;
    // yield makes the innermost function a generator.
    std::vector<std::string_view> yields;
    // Parameter-list children that are no parameters (self, receivers, separators).
    std::vector<std::string_view> parameterSkip;

    // Tree-sitter sees C and C++ before the preprocessor, and Rust's legacy macros: an ERROR
    // inside a function body is mostly an unexpanded macro, not broken code, so such
    // functions are kept when their header parsed. Elsewhere a callable with an ERROR
    // anywhere in it is dropped.
    bool keepCallablesWithBodyErrors = false;
};

// A LanguageSpec resolved against its grammar: roles by node symbol, for fast lookups while
// walking (no string comparisons on hot paths).
class CompiledSpec
{
public:
    enum Role : uint32_t {
        Callable = 1U << 0,
        Anonymous = 1U << 1,
        Container = 1U << 2,
        Wrapper = 1U << 3,
        PrecedingAttribute = 1U << 4,
        Decorator = 1U << 5,
        ModifierList = 1U << 6,
        Decision = 1U << 7,
        CaseArm = 1U << 8,
        LogicalOperator = 1U << 9,
        LogicalParent = 1U << 10,
        Nesting = 1U << 11,
        If = 1U << 12,
        ElseClause = 1U << 13,
        Comment = 1U << 14,
        Yield = 1U << 15,
        ParameterSkip = 1U << 16,
        IgnoredCondition = 1U << 17,
    };

    CompiledSpec(const LanguageSpec &spec, const TSLanguage *grammar);

    const LanguageSpec &spec() const { return *m_spec; }
    const TSLanguage *grammar() const { return m_grammar; }
    uint32_t roles(NodeSymbol symbol) const
    {
        return symbol < m_roles.size() ? m_roles[symbol] : 0U;
    }
    bool has(NodeSymbol symbol, Role role) const { return (roles(symbol) & role) != 0; }
    // The kind of a container node type.
    CodeSymbol::Kind containerKind(NodeSymbol symbol) const
    {
        return symbol < m_kinds.size() ? m_kinds[symbol] : CodeSymbol::Kind::Class;
    }
    // Node type names of the table that the grammar does not know (a typo or a renamed
    // node after a grammar update); tests check that it stays empty.
    const QStringList &unknownTypes() const { return m_unknown; }

    FieldId nameField = 0;
    FieldId bodyField = 0;
    FieldId parametersField = 0;
    FieldId alternativeField = 0;
    FieldId conditionField = 0;
    // Node types the C-family hook compares with (0 where the grammar has none), resolved
    // here once: ts_language_symbol_for_name compares the name with every symbol's.
    NodeSymbol friendSymbol = 0;
    NodeSymbol destructorSymbol = 0;
    NodeSymbol pureVirtualSymbol = 0;
    NodeSymbol fieldDeclarationSymbol = 0;

private:
    void assign(std::string_view name, bool named, uint32_t role);

    const LanguageSpec *m_spec;
    const TSLanguage *m_grammar;
    std::vector<uint32_t> m_roles;
    std::vector<CodeSymbol::Kind> m_kinds;
    QStringList m_unknown;
};

// The compiled table of a language of Language.h; nullptr when unknown. Built once, shared
// between threads (read-only after construction).
const CompiledSpec *compiledSpec(const QString &language);

} // namespace codeworm
