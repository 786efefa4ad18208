#include "analysis/LanguageSpec.h"

#include "analysis/Language.h"

#include <QHash>

#include <tree_sitter/api.h>

#include <algorithm>
#include <memory>
#include <type_traits>

// The tables below are the rules of the extractor, one per language.
//
// Symbols: every "callables" node with a body is a function, or a method when its innermost
// enclosing definition is a type (class, struct, interface, trait, enum, impl; C++ and
// TypeScript namespaces and Rust modules are symbols too but never part of a display name).
// Nothing inside a named callable is a symbol: nested functions, local classes and lambdas
// belong to their function. Anonymous functions (lambdas, callbacks) are no symbols and are
// transparent: definitions inside one that is not itself inside a callable are found (the
// JavaScript module pattern). JavaScript/TypeScript arrow functions and function
// expressions take the name of the variable, property, object key or class field they are
// assigned to.
//
// Complexity of a callable: 1 + its decision points, counted over its whole text, including
// nested functions and lambdas (they are part of the source a reader sees; every decision
// point of a file lands in exactly one place). Decision points per language:
//   python:     if, elif, for, while, except, conditional expression, each "and"/"or",
//               comprehension "for" and "if", match "case" (not the bare "case _:") and
//               its guard
//   c:          if, for, while, do, each case label (not default), ?:, && and ||
//               (pmccabe's traditional McCabe count; #if conditions are no code)
//   cpp:        as c, plus range-for, catch and the "and"/"or" spellings
//   javascript, typescript, tsx:
//               if, for, for-in/of, while, do, each case (not default), catch, ?:, &&, ||, ??
//   go:         if, for, each case of switch/type switch/select (not default), &&, ||
//   rust:       if (also if let), while, for, each match arm (not a bare "_") and its
//               guard, the "?" operator, &&, || ("loop" has no condition)
//   java:       if, for, for-each, while, do, each case label (not default), catch, ?:, &&, ||
// else-if counts as an if. Nesting: the blocks listed in "nesting"; an else-if continues its
// chain at the same depth.
// Metrics of a type: complexity is the sum over its methods (Go and Rust methods count for
// their receiver/impl type when it is defined in the same file), maxNesting the maximum.
// File complexity: the sum over its callables plus decision points outside any callable.

namespace codeworm {

static_assert(std::is_same_v<NodeSymbol, TSSymbol> && std::is_same_v<FieldId, TSFieldId>);

namespace {

using Kind = CodeSymbol::Kind;
using Hook = LanguageSpec::Hook;
using DefaultArm = LanguageSpec::DefaultArm;

LanguageSpec pythonSpec()
{
    LanguageSpec spec;
    spec.language = "python";
    spec.hook = Hook::Python;
    spec.callables = {"function_definition"};
    spec.anonymousFunctions = {"lambda"};
    spec.containers = {{"class_definition", Kind::Class}};
    spec.wrappers = {"decorated_definition"};
    spec.decorators = {"decorator"};
    spec.decisions = {"if_statement",    "elif_clause",   "for_statement",
                      "while_statement", "except_clause", "conditional_expression",
                      "for_in_clause",   "if_clause"};
    spec.caseArms = {"case_clause"};
    spec.defaultArm = DefaultArm::PythonWildcard;
    spec.logicalOperators = {"and", "or"};
    spec.logicalParents = {"boolean_operator"};
    spec.nesting = {"if_statement",  "for_statement",  "while_statement",
                    "try_statement", "with_statement", "match_statement"};
    spec.comments = {"comment"};
    spec.docstrings = true;
    spec.yields = {"yield"};
    spec.parameterSkip = {"keyword_separator", "positional_separator", "comment"};
    return spec;
}

LanguageSpec cSpec()
{
    LanguageSpec spec;
    spec.language = "c";
    spec.hook = Hook::CFamily;
    spec.callables = {"function_definition"};
    spec.containers = {{"struct_specifier", Kind::Struct},
                       {"union_specifier", Kind::Struct},
                       {"enum_specifier", Kind::Enum}};
    spec.modifierLists = {"storage_class_specifier"};
    spec.decisions = {"if_statement", "for_statement", "while_statement", "do_statement",
                      "conditional_expression"};
    spec.caseArms = {"case_statement"};
    spec.defaultArm = DefaultArm::NoValueField;
    spec.logicalOperators = {"&&", "||"};
    spec.logicalParents = {"binary_expression"};
    spec.nesting = {"if_statement", "for_statement", "while_statement", "do_statement",
                    "switch_statement"};
    spec.ifs = {"if_statement"};
    spec.elseClauses = {"else_clause"};
    spec.comments = {"comment"};
    spec.ignoredConditions = {"preproc_if", "preproc_elif"};
    spec.parameterSkip = {"comment", "variadic_parameter"};
    spec.keepCallablesWithBodyErrors = true;
    return spec;
}

LanguageSpec cppSpec()
{
    LanguageSpec spec = cSpec();
    spec.language = "cpp";
    spec.anonymousFunctions = {"lambda_expression"};
    spec.containers = {{"class_specifier", Kind::Class},
                       {"struct_specifier", Kind::Struct},
                       {"union_specifier", Kind::Struct},
                       {"enum_specifier", Kind::Enum},
                       {"namespace_definition", Kind::Namespace}};
    spec.wrappers = {"template_declaration"};
    spec.decisions.push_back("for_range_loop");
    spec.decisions.push_back("catch_clause");
    spec.nesting.push_back("for_range_loop");
    spec.nesting.push_back("try_statement");
    spec.logicalOperators = {"&&", "||", "and", "or"};
    spec.parameterSkip = {"comment"}; // "..." is an anonymous token in C++
    return spec;
}

LanguageSpec javascriptSpec()
{
    LanguageSpec spec;
    spec.language = "javascript";
    spec.hook = Hook::JavaScript;
    spec.callables = {"function_declaration", "generator_function_declaration",
                      "method_definition"};
    spec.anonymousFunctions = {"arrow_function", "function_expression", "generator_function"};
    // A class expression is named like a function expression ("const A = class {}").
    spec.containers = {{"class_declaration", Kind::Class}, {"class", Kind::Class}};
    spec.wrappers = {"export_statement"};
    // Decorators of class members are siblings before them, those of a class its children.
    spec.precedingAttributes = {"decorator"};
    spec.decorators = {"decorator"};
    spec.decisions = {"if_statement", "for_statement", "for_in_statement", "while_statement",
                      "do_statement", "switch_case",   "catch_clause",     "ternary_expression"};
    spec.logicalOperators = {"&&", "||", "??"};
    spec.logicalParents = {"binary_expression"};
    spec.nesting = {"if_statement", "for_statement",    "for_in_statement", "while_statement",
                    "do_statement", "switch_statement", "try_statement",    "with_statement"};
    spec.ifs = {"if_statement"};
    spec.elseClauses = {"else_clause"};
    spec.comments = {"comment", "html_comment"};
    spec.yields = {"yield_expression"};
    spec.parameterSkip = {"comment"};
    return spec;
}

LanguageSpec typescriptSpec(std::string_view language)
{
    LanguageSpec spec = javascriptSpec();
    spec.language = language;
    // Signatures (interfaces, overloads, abstract and ambient declarations) have no body and
    // are not listed: they are no definitions.
    spec.containers = {{"class_declaration", Kind::Class},
                       {"class", Kind::Class},
                       {"abstract_class_declaration", Kind::Class},
                       {"interface_declaration", Kind::Interface},
                       {"enum_declaration", Kind::Enum},
                       {"internal_module", Kind::Namespace}};
    spec.comments = {"comment", "html_comment"};
    return spec;
}

LanguageSpec goSpec()
{
    LanguageSpec spec;
    spec.language = "go";
    spec.hook = Hook::Go;
    spec.callables = {"function_declaration", "method_declaration"};
    spec.anonymousFunctions = {"func_literal"};
    // The kind of a type_spec depends on its type (struct or interface): see the Go hook.
    spec.containers = {{"type_spec", Kind::Struct}};
    spec.decisions = {"if_statement", "for_statement", "expression_case", "type_case",
                      "communication_case"};
    spec.logicalOperators = {"&&", "||"};
    spec.logicalParents = {"binary_expression"};
    spec.nesting = {"if_statement", "for_statement", "expression_switch_statement",
                    "type_switch_statement", "select_statement"};
    spec.ifs = {"if_statement"};
    spec.comments = {"comment"};
    spec.parameterSkip = {"comment"};
    return spec;
}

LanguageSpec rustSpec()
{
    LanguageSpec spec;
    spec.language = "rust";
    spec.hook = Hook::Rust;
    // Legacy macros such as try!(...) and macro_rules! bodies parse as ERROR inside bodies of
    // code that compiles: keep those functions when their header parsed.
    spec.keepCallablesWithBodyErrors = true;
    spec.callables = {"function_item"};
    spec.anonymousFunctions = {"closure_expression"};
    spec.containers = {{"struct_item", Kind::Struct}, {"union_item", Kind::Struct},
                       {"enum_item", Kind::Enum},     {"trait_item", Kind::Trait},
                       {"impl_item", Kind::Impl},     {"mod_item", Kind::Namespace}};
    spec.precedingAttributes = {"attribute_item"};
    spec.decorators = {"attribute_item"};
    spec.modifierLists = {"function_modifiers"};
    spec.decisions = {"if_expression", "while_expression", "for_expression", "try_expression"};
    spec.caseArms = {"match_arm"};
    spec.defaultArm = DefaultArm::RustWildcard;
    spec.logicalOperators = {"&&", "||"};
    spec.logicalParents = {"binary_expression"};
    spec.nesting = {"if_expression", "while_expression", "for_expression", "loop_expression",
                    "match_expression"};
    spec.ifs = {"if_expression"};
    spec.elseClauses = {"else_clause"};
    spec.comments = {"line_comment", "block_comment"};
    spec.parameterSkip = {"self_parameter", "line_comment", "block_comment", "attribute_item"};
    return spec;
}

LanguageSpec javaSpec()
{
    LanguageSpec spec;
    spec.language = "java";
    spec.hook = Hook::Java;
    spec.callables = {"method_declaration", "constructor_declaration",
                      "compact_constructor_declaration"};
    spec.anonymousFunctions = {"lambda_expression"};
    spec.containers = {{"class_declaration", Kind::Class},
                       {"record_declaration", Kind::Class},
                       {"interface_declaration", Kind::Interface},
                       {"annotation_type_declaration", Kind::Interface},
                       {"enum_declaration", Kind::Enum}};
    spec.decorators = {"marker_annotation", "annotation"};
    spec.modifierLists = {"modifiers"};
    spec.decisions = {"if_statement", "for_statement", "enhanced_for_statement", "while_statement",
                      "do_statement", "catch_clause",  "ternary_expression"};
    spec.caseArms = {"switch_label"};
    spec.defaultArm = DefaultArm::DefaultToken;
    spec.logicalOperators = {"&&", "||"};
    spec.logicalParents = {"binary_expression"};
    spec.nesting = {"if_statement",           "for_statement",
                    "enhanced_for_statement", "while_statement",
                    "do_statement",           "switch_expression",
                    "try_statement",          "try_with_resources_statement",
                    "synchronized_statement"};
    spec.ifs = {"if_statement"};
    spec.comments = {"line_comment", "block_comment"};
    spec.parameterSkip = {"receiver_parameter", "line_comment", "block_comment"};
    return spec;
}

TSFieldId fieldId(const TSLanguage *grammar, std::string_view name)
{
    return ts_language_field_id_for_name(grammar, name.data(), static_cast<uint32_t>(name.size()));
}

} // namespace

CompiledSpec::CompiledSpec(const LanguageSpec &spec, const TSLanguage *grammar)
    : m_spec(&spec)
    , m_grammar(grammar)
    , m_roles(ts_language_symbol_count(grammar), 0U)
    , m_kinds(ts_language_symbol_count(grammar), CodeSymbol::Kind::Class)
{
    const auto assignAll = [this](const std::vector<std::string_view> &names, bool named,
                                  uint32_t role) {
        for (const std::string_view name : names) {
            assign(name, named, role);
        }
    };
    assignAll(spec.callables, true, Callable);
    assignAll(spec.anonymousFunctions, true, Anonymous);
    for (const LanguageSpec::Container &container : spec.containers) {
        assign(container.type, true, Container);
        const uint32_t count = ts_language_symbol_count(grammar);
        for (TSSymbol symbol = 0; symbol < count; ++symbol) {
            if (ts_language_symbol_name(grammar, symbol) == container.type) {
                m_kinds[symbol] = container.kind;
            }
        }
    }
    assignAll(spec.wrappers, true, Wrapper);
    assignAll(spec.precedingAttributes, true, PrecedingAttribute);
    assignAll(spec.decorators, true, Decorator);
    assignAll(spec.modifierLists, true, ModifierList);
    assignAll(spec.decisions, true, Decision);
    assignAll(spec.caseArms, true, CaseArm);
    assignAll(spec.logicalOperators, false, LogicalOperator);
    assignAll(spec.logicalParents, true, LogicalParent);
    assignAll(spec.nesting, true, Nesting);
    assignAll(spec.ifs, true, If);
    assignAll(spec.elseClauses, true, ElseClause);
    assignAll(spec.comments, true, Comment);
    assignAll(spec.yields, true, Yield);
    assignAll(spec.parameterSkip, true, ParameterSkip);
    assignAll(spec.ignoredConditions, true, IgnoredCondition);
    nameField = fieldId(grammar, "name");
    bodyField = fieldId(grammar, "body");
    parametersField = fieldId(grammar, "parameters");
    alternativeField = fieldId(grammar, "alternative");
    conditionField = fieldId(grammar, "condition");
    const auto symbolFor = [grammar](std::string_view name) -> TSSymbol {
        return ts_language_symbol_for_name(grammar, name.data(), static_cast<uint32_t>(name.size()),
                                           true);
    };
    friendSymbol = symbolFor("friend_declaration");
    destructorSymbol = symbolFor("destructor_name");
    pureVirtualSymbol = symbolFor("pure_virtual_clause");
    fieldDeclarationSymbol = symbolFor("field_declaration");
}

void CompiledSpec::assign(std::string_view name, bool named, uint32_t role)
{
    // A node type may have several symbols (aliases); give the role to all of them.
    bool found = false;
    const uint32_t count = ts_language_symbol_count(m_grammar);
    for (TSSymbol symbol = 0; symbol < count; ++symbol) {
        const TSSymbolType type = ts_language_symbol_type(m_grammar, symbol);
        const bool isNamed = type == TSSymbolTypeRegular;
        if (isNamed == named && type != TSSymbolTypeAuxiliary &&
            ts_language_symbol_name(m_grammar, symbol) == name) {
            m_roles[symbol] |= role;
            found = true;
        }
    }
    if (!found) {
        m_unknown << QString::fromUtf8(name.data(), qsizetype(name.size()));
    }
}

const CompiledSpec *compiledSpec(const QString &language)
{
    // Built on first use; function-local statics initialise thread-safely.
    struct Entry
    {
        LanguageSpec spec;
        std::unique_ptr<CompiledSpec> compiled;
    };
    static const QHash<QString, std::shared_ptr<Entry>> table = [] {
        QHash<QString, std::shared_ptr<Entry>> result;
        const auto add = [&result](LanguageSpec spec) {
            const QString name =
                QString::fromLatin1(spec.language.data(), qsizetype(spec.language.size()));
            const TSLanguage *grammar = Language::grammar(name);
            if (!grammar) {
                return;
            }
            auto entry = std::make_shared<Entry>();
            entry->spec = std::move(spec);
            entry->compiled = std::make_unique<CompiledSpec>(entry->spec, grammar);
            result.insert(name, entry);
        };
        add(pythonSpec());
        add(cSpec());
        add(cppSpec());
        add(javascriptSpec());
        add(typescriptSpec("typescript"));
        add(typescriptSpec("tsx"));
        add(goSpec());
        add(rustSpec());
        add(javaSpec());
        return result;
    }();
    const auto found = table.constFind(language);
    return found == table.constEnd() ? nullptr : found.value()->compiled.get();
}

} // namespace codeworm
