#include "targets/CodeSignals.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>

namespace codeworm {

namespace {

enum class Where { Anywhere, InLoop };

struct Rule
{
    QStringList languages; // empty: every language
    QString pattern;
    QString what;
    bool strong = true;
    Where where = Where::Anywhere;
};

struct CompiledRule
{
    QStringList languages;
    QRegularExpression regex;
    QString what;
    bool strong;
    Where where;
};

QList<CompiledRule> compile(const QList<Rule> &rules)
{
    QList<CompiledRule> compiled;
    for (const Rule &rule : rules) {
        compiled.append(
            {rule.languages, QRegularExpression(rule.pattern), rule.what, rule.strong, rule.where});
    }
    return compiled;
}

const QStringList cFamily = {QStringLiteral("c"), QStringLiteral("cpp")};
const QStringList jsFamily = {QStringLiteral("javascript"), QStringLiteral("typescript"),
                              QStringLiteral("tsx")};

const QList<Rule> &securityRules()
{
    static const QList<Rule> rules = {
        {{QStringLiteral("python")},
         QStringLiteral(
             "\\bos\\.(?:system|popen)\\s*\\(|\\bsubprocess\\.\\w+\\([^)]*shell\\s*=\\s*True"),
         QStringLiteral("shell command execution")},
        {{QStringLiteral("python")},
         QStringLiteral("\\bsubprocess\\.(?:run|call|Popen|check_output)\\s*\\("),
         QStringLiteral("runs an external program"),
         false},
        {{QStringLiteral("python")},
         QStringLiteral("(?<![\\w.])(?:eval|exec)\\s*\\("),
         QStringLiteral("dynamic code evaluation (eval/exec)")},
        {jsFamily, QStringLiteral("(?<![\\w.])eval\\s*\\(|new\\s+Function\\s*\\("),
         QStringLiteral("dynamic code evaluation (eval/new Function)")},
        {jsFamily, QStringLiteral("child_process|\\bexecSync\\s*\\(|\\bexec\\s*\\(\\s*[`'\"]"),
         QStringLiteral("shell command execution")},
        {jsFamily,
         QStringLiteral("\\.innerHTML\\s*=|dangerouslySetInnerHTML|document\\.write\\s*\\("),
         QStringLiteral("HTML injection sink (innerHTML/document.write)")},
        {{QStringLiteral("java")},
         QStringLiteral("Runtime\\.getRuntime\\(\\)\\.exec|new\\s+ProcessBuilder"),
         QStringLiteral("runs an external program")},
        {{QStringLiteral("java")},
         QStringLiteral("ObjectInputStream|\\.readObject\\s*\\("),
         QStringLiteral("Java deserialization of untrusted data")},
        {{QStringLiteral("go")},
         QStringLiteral("exec\\.Command(?:Context)?\\s*\\("),
         QStringLiteral("runs an external program")},
        {{QStringLiteral("go")},
         QStringLiteral("InsecureSkipVerify\\s*:\\s*true"),
         QStringLiteral("TLS certificate checks disabled")},
        {{QStringLiteral("go")},
         QStringLiteral("\\bunsafe\\.Pointer"),
         QStringLiteral("unsafe pointer conversion"),
         false},
        {{QStringLiteral("rust")},
         QStringLiteral("\\bunsafe\\s*\\{"),
         QStringLiteral("unsafe block")},
        {{QStringLiteral("rust")},
         QStringLiteral("std::process::Command|Command::new\\s*\\("),
         QStringLiteral("runs an external program")},
        {cFamily, QStringLiteral("\\b(?:strcpy|strcat|sprintf|vsprintf|gets)\\s*\\("),
         QStringLiteral("unbounded C string function")},
        {cFamily, QStringLiteral("\\b(?:system|popen|execl|execlp|execv|execvp)\\s*\\("),
         QStringLiteral("shell command execution")},
        {cFamily, QStringLiteral("\\b(?:memcpy|memmove|strncpy|scanf|sscanf)\\s*\\("),
         QStringLiteral("raw memory or input handling"), false},
        {{QStringLiteral("cpp")},
         QStringLiteral("reinterpret_cast\\s*<"),
         QStringLiteral("reinterpret_cast"),
         false},
        {{QStringLiteral("python")},
         QStringLiteral(
             "pickle\\.loads?\\s*\\(|yaml\\.load\\s*\\((?![^)]*SafeLoader)|marshal\\.loads\\s*\\("),
         QStringLiteral("unsafe deserialization")},
        {{},
         QStringLiteral(
             "(?i)[\"'`f]\\s*(?:SELECT|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\b[^\"'`\\n]*"
             "(?:[\"'`]\\s*(?:\\+|%|\\.format)|\\{[^}]*\\}|\\$\\{|%s)"),
         QStringLiteral("SQL built from strings")},
        {{},
         QStringLiteral("verify\\s*=\\s*False|rejectUnauthorized\\s*:\\s*false|"
                        "CURLOPT_SSL_VERIFY(?:PEER|HOST)\\s*,\\s*0"),
         QStringLiteral("TLS certificate checks disabled")},
        {{}, QStringLiteral("\\[REDACTED:"), QStringLiteral("hard-coded secret (redacted)")},
        {{},
         QStringLiteral("(?i)\\b(?:md5|sha1)\\b"),
         QStringLiteral("weak hash (MD5/SHA-1)"),
         false},
        {{},
         QStringLiteral("(?i)(?:Math\\.random\\(\\)|random\\.(?:random|randint|choice)\\s*\\(|"
                        "\\brand\\s*\\(\\s*\\))"
                        "[^\\n]*(?:token|secret|password|key|salt|nonce)|"
                        "(?:token|secret|password|key|salt|nonce)[^\\n]*(?:Math\\.random\\(\\)|"
                        "random\\.(?:random|randint|choice)\\s*\\(|\\brand\\s*\\(\\s*\\))"),
         QStringLiteral("predictable random numbers for a secret")},
        {{},
         QStringLiteral("(?i)\\b\\w*(?:password|passwd|token|secret|credential|session|auth|"
                        "permission|privilege|login|jwt|csrf)\\w*\\b"),
         QStringLiteral("handles credentials or access control"),
         false},
        {{},
         QStringLiteral("(?i)\\b(?:open|fopen|readFile|writeFile|os\\.Open|File::open|"
                        "new\\s+File)\\s*\\([^)]*(?:\\+|request|req\\.|params|argv|input)"),
         QStringLiteral("file path built from input")},
    };
    return rules;
}

const QString loopPattern = QStringLiteral(
    "(?:^|[^\\w.])(?:for|while|loop|foreach)\\b|\\.(?:forEach|map|filter|each)\\s*\\(");

const QList<Rule> &performanceRules()
{
    static const QList<Rule> rules = {
        {{},
         QStringLiteral(
             "(?i)\\.(?:execute|query|fetch\\w*|get|post|request|send|recv|read|write)\\s*\\(|"
             "\\b(?:requests|http|urllib|fetch|axios)\\b|\\bSELECT\\b"),
         QStringLiteral("I/O or query inside a loop"),
         true,
         Where::InLoop},
        {{},
         QStringLiteral("re\\.compile\\s*\\(|new\\s+RegExp\\s*\\(|Regex::new\\s*\\(|"
                        "regexp\\.(?:Must)?Compile\\s*\\(|Pattern\\.compile\\s*\\(|std::regex\\s*(?"
                        ":\\w+\\s*)?[({]"),
         QStringLiteral("regular expression compiled inside a loop"),
         true,
         Where::InLoop},
        {{},
         QStringLiteral("\\bsorted\\s*\\(|\\.sort\\s*\\(|std::sort\\s*\\(|sort\\.\\w+\\s*\\("),
         QStringLiteral("sorting inside a loop"),
         true,
         Where::InLoop},
        {{QStringLiteral("python")},
         QStringLiteral("\\bin\\s+\\w+\\s*(?:\\]|:|\\)|and|or|$)|\\.index\\s*\\(|\\.count\\s*\\("),
         QStringLiteral("linear search inside a loop"),
         false,
         Where::InLoop},
        {{},
         QStringLiteral("\\w\\s*\\+=\\s*(?:[\"'`]|str\\(|f[\"'])"),
         QStringLiteral("string built by repeated concatenation"),
         true,
         Where::InLoop},
        {{},
         QStringLiteral("\\bsleep\\s*\\(|time\\.sleep|Thread\\.sleep"),
         QStringLiteral("sleeping inside a loop"),
         true,
         Where::InLoop},
        {cFamily,
         QStringLiteral("\\bmalloc\\s*\\(|\\bnew\\s+\\w|push_back\\s*\\(|emplace_back\\s*\\("),
         QStringLiteral("allocation inside a loop"), false, Where::InLoop},
        {{QStringLiteral("go")},
         QStringLiteral("\\bappend\\s*\\(|\\bdefer\\b"),
         QStringLiteral("append or defer inside a loop"),
         false,
         Where::InLoop},
        {{QStringLiteral("java")},
         QStringLiteral("\\+=\\s*\\w|new\\s+\\w+\\s*\\("),
         QStringLiteral("allocation or concatenation inside a loop"),
         false,
         Where::InLoop},
        {{QStringLiteral("rust")},
         QStringLiteral("\\.clone\\(\\)|\\.to_string\\(\\)|\\.collect\\b"),
         QStringLiteral("copies inside a loop"),
         false,
         Where::InLoop},
    };
    return rules;
}

const QList<Rule> &idiomRules()
{
    static const QList<Rule> rules = {
        {{QStringLiteral("python")},
         QStringLiteral("\\[[^\\]\\n]+\\bfor\\b[^\\]\\n]+\\bin\\b[^\\]\\n]+\\]|"
                        "\\{[^}\\n]+\\bfor\\b[^}\\n]+\\bin\\b[^}\\n]+\\}"),
         QStringLiteral("comprehension")},
        {{QStringLiteral("python")},
         QStringLiteral("\\byield\\s+from\\b"),
         QStringLiteral("yield from")},
        {{QStringLiteral("python")},
         QStringLiteral(":="),
         QStringLiteral("assignment expression (walrus)")},
        {{QStringLiteral("python")},
         QStringLiteral("(?m)^\\s*match\\s+[^\\n]+:\\s*$"),
         QStringLiteral("structural pattern matching")},
        {{QStringLiteral("python")},
         QStringLiteral("\\bwith\\s+[^\\n]+\\bas\\b"),
         QStringLiteral("context manager")},
        {{QStringLiteral("python")}, QStringLiteral("\\blambda\\b"), QStringLiteral("lambda")},
        {{QStringLiteral("python")},
         QStringLiteral("\\*\\*\\w+|\\*args"),
         QStringLiteral("variadic arguments")},
        {jsFamily, QStringLiteral("\\?\\.|\\?\\?"),
         QStringLiteral("optional chaining / nullish coalescing")},
        {jsFamily, QStringLiteral("(?:const|let|var)\\s*[\\[{]"), QStringLiteral("destructuring")},
        {jsFamily, QStringLiteral("\\.\\.\\.\\w"), QStringLiteral("spread syntax")},
        {jsFamily, QStringLiteral("\\bawait\\b"), QStringLiteral("async/await")},
        {jsFamily, QStringLiteral("function\\s*\\*|\\byield\\b"), QStringLiteral("generator")},
        {{QStringLiteral("typescript"), QStringLiteral("tsx")},
         QStringLiteral("<\\s*\\w+\\s+extends\\b|\\bkeyof\\b|\\bas\\s+const\\b|\\bsatisfies\\b"),
         QStringLiteral("advanced types")},
        {{QStringLiteral("go")}, QStringLiteral("\\bdefer\\b"), QStringLiteral("defer")},
        {{QStringLiteral("go")},
         QStringLiteral("\\bselect\\s*\\{"),
         QStringLiteral("select over channels")},
        {{QStringLiteral("go")},
         QStringLiteral("\\bgo\\s+(?:func\\b|\\w+\\()"),
         QStringLiteral("goroutine")},
        {{QStringLiteral("go")}, QStringLiteral("<-"), QStringLiteral("channels")},
        {{QStringLiteral("go")},
         QStringLiteral("errors\\.(?:Is|As)\\s*\\(|%w"),
         QStringLiteral("error wrapping")},
        {{QStringLiteral("rust")},
         QStringLiteral("\\)\\?|\\w\\?[;.)]"),
         QStringLiteral("the ? operator")},
        {{QStringLiteral("rust")},
         QStringLiteral("\\bif\\s+let\\b|\\bwhile\\s+let\\b|\\blet\\s+else\\b"),
         QStringLiteral("pattern binding (if let / let else)")},
        {{QStringLiteral("rust")},
         QStringLiteral("\\.iter\\(\\)\\s*\\.\\w+|\\.into_iter\\(\\)\\s*\\.\\w+"),
         QStringLiteral("iterator chain")},
        {{QStringLiteral("rust")},
         QStringLiteral("\\bimpl\\s+\\w+|\\bdyn\\s+\\w+"),
         QStringLiteral("trait objects / impl Trait")},
        {{QStringLiteral("rust")}, QStringLiteral("\\bmatch\\b[^{]*\\{"), QStringLiteral("match")},
        {cFamily, QStringLiteral("\\bgoto\\s+\\w+"), QStringLiteral("goto for cleanup")},
        {{QStringLiteral("cpp")},
         QStringLiteral("\\[[&=]?[\\w, &=]*\\]\\s*\\("),
         QStringLiteral("lambda")},
        {{QStringLiteral("cpp")},
         QStringLiteral("\\bauto\\s*&?\\s*\\["),
         QStringLiteral("structured bindings")},
        {{QStringLiteral("cpp")},
         QStringLiteral("std::move\\s*\\(|std::forward\\s*<"),
         QStringLiteral("move semantics")},
        {{QStringLiteral("cpp")},
         QStringLiteral("\\bconstexpr\\b|\\bif\\s+constexpr\\b"),
         QStringLiteral("constexpr")},
        {{QStringLiteral("cpp")},
         QStringLiteral("std::(?:optional|variant|visit|span|string_view)\\b"),
         QStringLiteral("vocabulary types (optional/variant/span)")},
        {{QStringLiteral("java")}, QStringLiteral("\\.stream\\(\\)"), QStringLiteral("streams")},
        {{QStringLiteral("java")},
         QStringLiteral("\\btry\\s*\\("),
         QStringLiteral("try-with-resources")},
        {{QStringLiteral("java")}, QStringLiteral("->"), QStringLiteral("lambda")},
        {{QStringLiteral("java")}, QStringLiteral("\\bOptional\\b"), QStringLiteral("Optional")},
        {{QStringLiteral("java")},
         QStringLiteral("\\bswitch\\b[^{]*\\{[^}]*->"),
         QStringLiteral("switch expression")},
    };
    return rules;
}

int indentOf(const QString &line)
{
    int indent = 0;
    for (const QChar c : line) {
        if (c == QLatin1Char(' ')) {
            ++indent;
        } else if (c == QLatin1Char('\t')) {
            indent += 4;
        } else {
            break;
        }
    }
    return indent;
}

// Whether line `index` sits in the body of a loop that starts on an earlier line: a loop
// line with less indentation and no line in between that closes its block.
bool insideLoop(const QStringList &lines, int index, const QRegularExpression &loop)
{
    const int indent = indentOf(lines.at(index));
    int limit = indent;
    for (int i = index - 1; i >= 0; --i) {
        const QString &line = lines.at(i);
        if (line.trimmed().isEmpty()) {
            continue;
        }
        const int lineIndent = indentOf(line);
        if (lineIndent < limit) {
            if (loop.match(line).hasMatch()) {
                return true;
            }
            limit = lineIndent;
        }
        if (lineIndent == 0) {
            break;
        }
    }
    // A loop and the call on the same line: `for x in xs: f(x)` or a chained forEach.
    return loop.match(lines.at(index)).hasMatch();
}

QList<CodeSignal> apply(const QList<CompiledRule> &compiled, const CodeSymbol &symbol,
                        const QString &language)
{
    thread_local const QRegularExpression loop(loopPattern);
    const QStringList lines = symbol.source.split(QLatin1Char('\n'));
    QList<CodeSignal> found;
    QSet<QString> seen;
    for (const CompiledRule &rule : compiled) {
        if (!rule.languages.isEmpty() && !rule.languages.contains(language)) {
            continue;
        }
        for (int i = 0; i < lines.size() && !seen.contains(rule.what); ++i) {
            if (!rule.regex.match(lines.at(i)).hasMatch()) {
                continue;
            }
            if (rule.where == Where::InLoop && !insideLoop(lines, i, loop)) {
                continue;
            }
            seen.insert(rule.what);
            found.append({rule.what, symbol.startLine + i, rule.strong});
        }
    }
    return found;
}

int loopLines(const CodeSymbol &symbol)
{
    thread_local const QRegularExpression loop(loopPattern);
    int count = 0;
    for (const QString &line : symbol.source.split(QLatin1Char('\n'))) {
        count += loop.match(line).hasMatch() ? 1 : 0;
    }
    return count;
}

} // namespace

QString CodeSignal::describe() const
{
    return line > 0 ? QStringLiteral("line %1: %2").arg(line).arg(what) : what;
}

namespace CodeSignals {

QList<CodeSignal> security(const CodeSymbol &symbol, const QString &language)
{
    // Compiled once per thread: QRegularExpression objects are not shared across threads.
    thread_local const QList<CompiledRule> rules = compile(securityRules());
    return apply(rules, symbol, language);
}

QList<CodeSignal> performance(const CodeSymbol &symbol, const QString &language)
{
    thread_local const QList<CompiledRule> rules = compile(performanceRules());
    QList<CodeSignal> found = apply(rules, symbol, language);
    if (symbol.maxNesting >= 2 && loopLines(symbol) >= 2) {
        // Two loops in a function nested at least twice: most often one inside the other.
        found.prepend(
            {QStringLiteral("nested loops (nesting depth %1)").arg(symbol.maxNesting), 0, true});
    }
    if (symbol.isAsync) {
        thread_local const QRegularExpression blocking(QStringLiteral(
            "time\\.sleep\\s*\\(|requests\\.\\w+\\s*\\(|readFileSync|writeFileSync|execSync|"
            "std::thread::sleep|\\.read_to_string\\s*\\(|Thread\\.sleep"));
        const QStringList lines = symbol.source.split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            if (blocking.match(lines.at(i)).hasMatch()) {
                found.append(
                    {QStringLiteral("blocking call in async code"), symbol.startLine + i, true});
                break;
            }
        }
    }
    return found;
}

QList<CodeSignal> idioms(const CodeSymbol &symbol, const QString &language)
{
    QList<CodeSignal> found;
    const auto flag = [&found](bool set, const QString &what) {
        if (set) {
            found.append({what, 0, true});
        }
    };
    flag(symbol.isGenerator, QStringLiteral("generator"));
    flag(symbol.isContextManager, QStringLiteral("context manager"));
    flag(symbol.isAsync, QStringLiteral("async function"));
    flag(symbol.isProperty, QStringLiteral("property"));
    flag(symbol.isDataClass, QStringLiteral("data class"));
    for (const QString &decorator : symbol.decorators) {
        found.append({QStringLiteral("decorator %1").arg(decorator), 0, true});
    }
    thread_local const QList<CompiledRule> rules = compile(idiomRules());
    found += apply(rules, symbol, language);
    return found;
}

bool enough(const QList<CodeSignal> &signalList)
{
    int weak = 0;
    for (const CodeSignal &s : signalList) {
        if (s.strong) {
            return true;
        }
        ++weak;
    }
    return weak >= 2;
}

QString describe(const QList<CodeSignal> &signalList)
{
    QStringList lines;
    for (const CodeSignal &s : signalList) {
        lines << QStringLiteral("- ") + s.describe();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace CodeSignals
} // namespace codeworm
