#include "SampleTargets.h"

#include "targets/DocType.h"

namespace codeworm::test {

const QByteArray boundsPy = R"(def clamp(value, low, high):
    """Keep value within [low, high]."""
    if value < low:
        return low
    if value > high:
        return high
    return value


def sign(x):
    if x < 0:
        return -1
    if x > 0:
        return 1
    return 0
)";

QString onlyFunctionDocWeights()
{
    QString weights;
    for (const QString &type : DocType::ids()) {
        weights += QStringLiteral("    %1: %2\n")
                       .arg(type)
                       .arg(type == QLatin1String("function_doc") ? 1 : 0);
    }
    return weights;
}

const QByteArray inventoryPy =
    "def tiny(x):\n"
    "    return x\n"
    "\n"
    "def tally(items):\n"
    "    total = 0\n"
    "    for item in items:\n"
    "        if item.count > 0:\n"
    "            total += item.count\n"
    "    return total\n"
    "\n"
    "def resolve(order, stock, policy):\n"
    "    if order is None:\n"
    "        return None\n"
    "    for line in order.lines:\n"
    "        if line.sku not in stock:\n"
    "            if policy == 'strict':\n"
    "                raise KeyError(line.sku)\n"
    "            continue\n"
    "        while stock[line.sku] < line.count and policy != 'lenient':\n"
    "            line.count -= 1\n"
    "    return order\n";

Target sampleChangeTarget()
{
    Target target;
    target.docType = QStringLiteral("code_evolution");
    target.repoName = QStringLiteral("CodeWorm");
    target.filePath = QStringLiteral("codeworm/parser.py");
    target.language = QStringLiteral("python");
    target.symbol.name = QStringLiteral("parser.py @ 1a2b3c4");
    target.symbol.displayName = target.symbol.name;
    target.symbol.startLine = 10;
    target.symbol.endLine = 12;
    target.symbol.complexity = 9;
    target.symbol.source = QStringLiteral("--- a/codeworm/parser.py\n"
                                          "+++ b/codeworm/parser.py\n"
                                          "@@ -10,3 +10,3 @@ class Parser:\n"
                                          "     def parse(self, text):\n"
                                          "-        return text.split()\n"
                                          "+        return [p for p in text.split() if p]");
    target.codeHash = QStringLiteral("0e0e");
    CodeChange change;
    change.commitId = QStringLiteral("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");
    change.shortId = QStringLiteral("1a2b3c4");
    change.message = QStringLiteral("Drop empty tokens\n\nEmpty strings broke the lexer.");
    change.authorName = QStringLiteral("Ada Lovelace");
    change.authorDate = QDateTime(QDate(2026, 2, 17), QTime(9, 30), Qt::OffsetFromUTC, 3600);
    change.additions = 1;
    change.deletions = 1;
    change.hunks = 1;
    change.touchedSymbols = {QStringLiteral("Parser.parse")};
    target.change = change;
    return target;
}

Target sampleModuleTarget()
{
    Target target;
    target.docType = QStringLiteral("module_doc");
    target.repoName = QStringLiteral("shop");
    target.filePath = QStringLiteral("shop/orders");
    target.language = QStringLiteral("python");
    target.symbol.kind = CodeSymbol::Kind::Namespace;
    target.symbol.name = QStringLiteral("shop/orders");
    target.symbol.displayName = target.symbol.name;
    target.symbol.startLine = 1;
    target.symbol.endLine = 25;
    target.symbol.complexity = 10;
    target.symbol.source = QStringLiteral("shop/orders/pricing.py (7 lines, 1 functions, 0 types, "
                                          "complexity 4)\n"
                                          "  function price(order, rules)\n"
                                          "shop/orders/__init__.py (2 lines, 0 functions, 0 types, "
                                          "complexity 0) \u2014 Orders.");
    ModuleInfo module;
    module.kind = QStringLiteral("Python package");
    module.folder = QStringLiteral("shop/orders");
    module.files = {QStringLiteral("shop/orders/pricing.py"),
                    QStringLiteral("shop/orders/__init__.py")};
    module.totalLines = 25;
    module.functions = 4;
    module.types = 1;
    target.module = module;
    return target;
}

} // namespace codeworm::test
