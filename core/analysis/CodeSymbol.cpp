#include "analysis/CodeSymbol.h"

#include <array>
#include <utility>

namespace codeworm {

namespace {

constexpr std::array<std::pair<CodeSymbol::Kind, const char *>, 9> kindNames = {{
    {CodeSymbol::Kind::Function, "function"},
    {CodeSymbol::Kind::Method, "method"},
    {CodeSymbol::Kind::Class, "class"},
    {CodeSymbol::Kind::Struct, "struct"},
    {CodeSymbol::Kind::Interface, "interface"},
    {CodeSymbol::Kind::Trait, "trait"},
    {CodeSymbol::Kind::Enum, "enum"},
    {CodeSymbol::Kind::Impl, "impl"},
    {CodeSymbol::Kind::Namespace, "namespace"},
}};

} // namespace

QString CodeSymbol::kindName(Kind kind)
{
    for (const auto &[value, name] : kindNames) {
        if (value == kind) {
            return QLatin1String(name);
        }
    }
    return {};
}

bool CodeSymbol::kindFromName(const QString &name, Kind *kind)
{
    for (const auto &[value, spelling] : kindNames) {
        if (name == QLatin1String(spelling)) {
            if (kind) {
                *kind = value;
            }
            return true;
        }
    }
    return false;
}

} // namespace codeworm
