#include "factcheck/FactChecker.h"

#include "analysis/SymbolIndex.h"

#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <utility>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcFactCheck, "codeworm.factcheck")

// Names a document may use without the code defining them. A language with a base has the
// base's names too (bases come first). The members of a namespace entry (module, namespace,
// standard type) are library API and are not checked: `os.path.join`, `std::vector::size`,
// `Vec::with_capacity`; the members of the others are (`self.radius`).
struct Vocabulary
{
    const char *language;
    const char *base;
    const char *keywords;
    const char *names;      // functions, methods, constants, primitive types
    const char *namespaces; // modules, namespaces and types
};

const Vocabulary vocabularies[] = {
    {"python", nullptr,
     "False None True and as assert async await break case class continue def del elif else "
     "except finally for from global if import in is lambda match nonlocal not or pass raise "
     "return try while with yield self cls",
     "abs all any bin bool bytearray callable chr classmethod complex delattr dir divmod "
     "enumerate eval exec filter format getattr globals hasattr hash hex id input isinstance "
     "issubclass iter len locals map max min next oct open ord pow print property range repr "
     "reversed round setattr slice sorted staticmethod sum super vars zip __init__ __name__ "
     "__main__ __file__ "
     "__repr__ __str__ __eq__ __hash__ __len__ __iter__ __next__ __enter__ __exit__ __call__ "
     "__dict__ __all__ __doc__ __slots__ __getitem__ __setitem__ __contains__ __post_init__ "
     "append extend insert pop remove get items keys values update setdefault join split "
     "strip startswith endswith replace lower upper encode decode read write close readlines "
     "sort copy dataclass field abstractmethod contextmanager defaultdict namedtuple partial "
     "lru_cache wraps NotImplemented Ellipsis args kwargs read_text write_text is_file is_dir",
     "bytes dict float frozenset int list object set str tuple type "
     "os sys math re json time datetime pathlib Path collections itertools functools typing "
     "Optional List Dict Set Tuple Any Union Callable Iterable Iterator Generator dataclasses "
     "abc ABC enum Enum logging subprocess asyncio random copy io shutil tempfile contextlib "
     "unittest pytest argparse hashlib base64 threading Counter OrderedDict deque Exception "
     "BaseException ValueError TypeError KeyError IndexError AttributeError RuntimeError "
     "NotImplementedError StopIteration OSError IOError FileNotFoundError PermissionError "
     "ZeroDivisionError ImportError AssertionError TimeoutError KeyboardInterrupt"},
    {"javascript", nullptr,
     "break case catch class const continue debugger default delete do else export extends "
     "finally for function if import in instanceof let new of return static super switch "
     "this throw try typeof var void while with yield async await get set arguments",
     "parseInt parseFloat isNaN isFinite setTimeout clearTimeout setInterval clearInterval "
     "fetch require module exports globalThis window document length push pop shift unshift "
     "slice splice map filter reduce forEach find findIndex some every includes indexOf join "
     "split concat sort keys values entries has get set add delete clear then catch finally "
     "resolve reject toString trim replace startsWith endsWith toLowerCase toUpperCase "
     "addEventListener removeEventListener preventDefault stopPropagation log error warn "
     "constructor prototype toFixed padStart padEnd flatMap getTime toISOString localeCompare "
     "charAt lastIndexOf hasOwnProperty querySelector getElementById appendChild setAttribute "
     "getAttribute",
     "Array Object String Number Boolean Symbol BigInt Function Promise Map Set WeakMap Date "
     "RegExp Error TypeError RangeError JSON Math Reflect Proxy Intl console process Buffer "
     "URL URLSearchParams Event AbortController Response Request Uint8Array ArrayBuffer"},
    {"typescript", "javascript",
     "interface type enum namespace declare abstract implements private protected public "
     "readonly as is keyof infer satisfies override",
     "string number boolean object symbol bigint any unknown never void",
     "Partial Required Readonly Record Pick Omit Exclude Extract NonNullable ReturnType "
     "Parameters Awaited"},
    {"tsx", "typescript", "", "props children className key ref", "React JSX"},
    {"go", nullptr,
     "break case chan const continue default defer else fallthrough for func go goto if "
     "import interface map package range return select struct switch type var iota",
     "append cap clear close complex copy delete imag len make max min new panic print "
     "println real recover any bool byte comparable complex64 complex128 error float32 "
     "float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr "
     "Error String Lock Unlock RLock RUnlock Wait Add Done Err Value Close Read Write "
     "WriteString Len Now Since Unix",
     "fmt errors strings strconv context time os io bufio bytes sync sort math http net json "
     "log filepath path regexp testing reflect atomic unicode utf8 slices maps"},
    {"rust", nullptr,
     "as async await break const continue crate dyn else enum extern fn for if impl in let "
     "loop match mod move mut pub ref return Self static struct super trait type unsafe use "
     "where while union macro_rules",
     "bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 Some Ok Err "
     "unwrap unwrap_or unwrap_or_else unwrap_or_default expect clone iter iter_mut into_iter "
     "map and_then ok_or ok_or_else collect filter next len is_empty push pop insert remove "
     "get contains to_string to_owned as_str as_ref into from new default fmt drop println "
     "print eprintln format vec panic assert assert_eq write writeln todo unreachable derive "
     "cfg test lock parse trim split ok is_some is_none map_err as_mut to_vec push_str chars",
     "std core alloc Option Result Vec String Box Rc Arc RefCell Cell Mutex RwLock HashMap "
     "HashSet BTreeMap BTreeSet VecDeque Cow Path PathBuf Iterator IntoIterator Display "
     "Debug Clone Copy Default PartialEq Eq PartialOrd Ord Hash Send Sync Sized From Into "
     "TryFrom AsRef Drop Fn FnMut FnOnce Error io mem ptr thread sync collections fs env"},
    {"c", nullptr,
     "auto break case char const continue default do double else enum extern float for goto "
     "if inline int long register restrict return short signed sizeof static struct switch "
     "typedef union unsigned void volatile while _Bool bool include define ifdef ifndef "
     "endif pragma elif undef defined",
     "size_t ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t int64_t uint8_t "
     "uint16_t uint32_t uint64_t FILE EOF errno stdin stdout stderr malloc calloc realloc "
     "free memcpy memmove memset memcmp strlen strcmp strncmp strcpy strncpy strcat strchr "
     "strrchr strstr strdup strtol strtoul atoi atof printf fprintf sprintf snprintf scanf "
     "sscanf puts fputs fgets fopen fclose fread fwrite fflush exit abort assert qsort abs "
     "rand srand time isalpha isdigit isspace isalnum toupper tolower va_list va_start "
     "va_end va_arg INT_MAX INT_MIN SIZE_MAX UINT_MAX EXIT_SUCCESS EXIT_FAILURE main argc "
     "argv",
     ""},
    {"cpp", "c",
     "alignas alignof and or not xor catch class constexpr consteval constinit const_cast "
     "co_await co_return co_yield concept decltype delete dynamic_cast explicit export friend "
     "mutable namespace new noexcept operator override final private protected public "
     "reinterpret_cast requires static_assert static_cast template this thread_local throw "
     "try typeid typename using virtual wchar_t char8_t char16_t char32_t",
     "size push_back emplace_back pop_back begin end cbegin cend empty clear insert erase "
     "find at front back data reserve resize count make_unique make_shared move forward swap "
     "sort min max get c_str substr length cout cerr endl cin",
     "std vector string string_view map unordered_map set unordered_set array deque list "
     "pair tuple optional variant unique_ptr shared_ptr weak_ptr function mutex lock_guard "
     "unique_lock thread atomic chrono filesystem exception runtime_error invalid_argument "
     "out_of_range ostream istream stringstream ostringstream iterator"},
    {"java", nullptr,
     "abstract assert boolean break byte case catch char class const continue default do "
     "double else enum extends final finally float for goto if implements import instanceof "
     "int interface long native new package private protected public return short static "
     "super switch synchronized this throw throws transient try void volatile while var "
     "record sealed permits yield",
     "length size get set put add remove contains containsKey isEmpty equals hashCode "
     "toString compareTo valueOf parseInt println printf format stream map filter collect "
     "forEach of orElse orElseThrow ifPresent isPresent main args close iterator hasNext next "
     "getClass getOrDefault putIfAbsent computeIfAbsent entrySet keySet getKey getValue "
     "toArray addAll substring indexOf charAt trim split startsWith endsWith toLowerCase "
     "toUpperCase getMessage append",
     "String Object List Map Set ArrayList LinkedList HashMap TreeMap LinkedHashMap HashSet "
     "TreeSet Integer Long Double Float Boolean Character Byte Short Math System Optional "
     "Collections Arrays Objects Stream Collectors StringBuilder Exception RuntimeException "
     "IllegalArgumentException IllegalStateException NullPointerException IOException Thread "
     "Runnable Callable Iterable Iterator Comparator Comparable Override Deprecated "
     "FunctionalInterface SuppressWarnings Function Supplier Consumer Predicate "
     "CompletableFuture Executors ExecutorService TimeUnit Duration Instant LocalDate "
     "LocalDateTime Path Paths Files UUID Pattern Matcher Scanner Record Enum Class Void "
     "Number AutoCloseable java javax"},
};

// Value words a document may use in any language (a Go answer saying `None` is no invention).
const char *const valueWords =
    "true false True False TRUE FALSE None null NULL nil nullptr undefined NaN Infinity self "
    "this";

struct Names
{
    QSet<QString> keywords;
    QSet<QString> all;        // keywords, names, namespaces and value words
    QSet<QString> namespaces; // their members are library API
};

QSet<QString> words(const char *text)
{
    QSet<QString> set;
    const QStringList list = QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : list) {
        set.insert(word);
    }
    return set;
}

const Names &namesOf(const QString &language)
{
    static const QHash<QString, Names> table = [] {
        QHash<QString, Names> built;
        const QSet<QString> values = words(valueWords);
        for (const Vocabulary &v : vocabularies) {
            Names names = v.base ? built.value(QLatin1String(v.base)) : Names{};
            names.keywords += words(v.keywords);
            names.namespaces += words(v.namespaces);
            names.all += words(v.keywords) + words(v.names) + words(v.namespaces) + values;
            built.insert(QLatin1String(v.language), std::move(names));
        }
        return built;
    }();
    static const Names unknownLanguage{{}, words(valueWords), {}};
    const auto it = table.constFind(language);
    return it == table.cend() ? unknownLanguage : *it;
}

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('$');
}

bool isIdentifierPart(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
}

// CommonMark inline code spans of one paragraph.
void appendSpans(const QString &text, QStringList &spans)
{
    const qsizetype n = text.size();
    const auto runAt = [&](qsizetype at) {
        qsizetype end = at;
        while (end < n && text.at(end) == QLatin1Char('`')) {
            ++end;
        }
        return end - at;
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\\') && i + 1 < n) {
            i += 2; // \` is a literal backtick
            continue;
        }
        if (c != QLatin1Char('`')) {
            ++i;
            continue;
        }
        const qsizetype opening = runAt(i);
        // The closer is the next run of exactly as many backticks.
        qsizetype j = i + opening;
        qsizetype closer = -1;
        while (j < n) {
            if (text.at(j) != QLatin1Char('`')) {
                ++j;
                continue;
            }
            const qsizetype run = runAt(j);
            if (run == opening) {
                closer = j;
                break;
            }
            j += run;
        }
        if (closer < 0) {
            i += opening; // an unmatched run is literal text
            continue;
        }
        QString content = text.mid(i + opening, closer - i - opening);
        content.replace(QLatin1Char('\n'), QLatin1Char(' '));
        if (content.size() >= 2 && content.startsWith(QLatin1Char(' ')) &&
            content.endsWith(QLatin1Char(' ')) && !content.trimmed().isEmpty()) {
            content = content.mid(1, content.size() - 2);
        }
        spans << content;
        i = closer + opening;
    }
}

// A fence opener: three or more backticks or tildes (a backtick fence's info string holds no
// backtick, else the line is inline code). Returns the run's length, 0 when not a fence.
qsizetype fenceOpening(QStringView line, QChar *fenceChar)
{
    if (line.isEmpty() || (line.front() != QLatin1Char('`') && line.front() != QLatin1Char('~'))) {
        return 0;
    }
    const QChar c = line.front();
    qsizetype run = 0;
    while (run < line.size() && line.at(run) == c) {
        ++run;
    }
    if (run < 3 || (c == QLatin1Char('`') && line.mid(run).contains(QLatin1Char('`')))) {
        return 0;
    }
    *fenceChar = c;
    return run;
}

bool closesFence(QStringView line, QChar fenceChar, qsizetype fenceLength)
{
    qsizetype run = 0;
    while (run < line.size() && line.at(run) == fenceChar) {
        ++run;
    }
    return run >= fenceLength && line.mid(run).trimmed().isEmpty();
}

// Extensions that make a dotted word a file name rather than a member access.
const char *const fileExtensions =
    "py|pyi|js|mjs|cjs|jsx|ts|tsx|go|mod|sum|rs|c|h|cc|cpp|cxx|hpp|hh|hxx|java|class|jar|kt|"
    "swift|rb|php|cs|md|rst|txt|json|jsonl|yaml|yml|toml|ini|cfg|conf|xml|html|htm|css|scss|csv|"
    "tsv|lock|sh|bash|zsh|ps1|bat|sql|sqlite|db|gradle|properties|mk|cmake|proto|png|jpg|jpeg|"
    "gif|svg|ico|pdf|zip|gz|tgz|tar|whl|so|dll|dylib|exe|wasm|log|env|pem|crt|bin|dat|out";

// A span that names no identifier: a literal, a reference to something outside the code, or
// a word that only looks like one.
bool namesNothing(const QString &span)
{
    static const QRegularExpression nothing(
        QStringLiteral(
            "^(?:"
            "[A-Za-z][\\w+.-]*://\\S*|www\\.\\S+|[\\w.+-]+@[\\w-]+\\.[\\w.]+" // URL, mail
            "|--?[A-Za-z][\\w-]*(?:=\\S*)?"                                   // command-line flag
            "|[A-Za-z0-9]{0,2}([\"'`]).*\\1"         // string literal, r"" b'' u8""
            "|[-+]?v?\\d[\\w.+-]*"                   // number, version
            "|[O\u0398\u03A9]\\(.*\\)"               // complexity: O(n log n)
            "|(?://|/\\*|# ).*"                      // comment
            "|\\$\\{?[A-Z_][A-Z0-9_]*\\}?|%[A-Z_]+%" // environment variable
            "|#[0-9A-Fa-f]{3,8}"                     // colour
            "|<[\\w./+-]+>"                          // header: <stdio.h>, <vector>
            "|\\.(?:env|git\\w*|npmrc|pypirc|bashrc|zshrc|profile|dockerignore|"
            "editorconfig|prettierrc|eslintrc|babelrc|clang-format|clang-tidy)[\\w.-]*"
            "|[\\w-]+(?:\\.[\\w-]+)*\\.(?:%1)" // file name
            "|\\w+(?:-\\w+)+"                  // hyphenated word: read-only, UTF-8, max-age
            ")$")
            .arg(QLatin1String(fileExtensions)),
        QRegularExpression::UseUnicodePropertiesOption);
    if (nothing.match(span).hasMatch()) {
        return true;
    }
    // A path (src/main.c, ~/.config, a\b) or a regular expression, unless it is a call.
    static const QRegularExpression path(QStringLiteral("^[^\\s(]*[/\\\\][^\\s(]*$"));
    return path.match(span).hasMatch();
}

// Names nobody invents, or that are not the code's to define.
bool isExempt(const QString &name, const Names &names)
{
    // Single letters are loop variables, type parameters and math (`x`, `T`, `n`); short
    // all-caps words are acronyms (`HTTP`, `JSON`, `MD5`).
    static const QRegularExpression acronym(QStringLiteral("^[A-Z]{1,4}[0-9]{0,3}$"));
    return name.size() <= 1 || names.all.contains(name) || acronym.match(name).hasMatch();
}

void addName(const QString &name, const Names &names, QStringList &out)
{
    if (!isExempt(name, names) && !out.contains(name)) {
        out << name;
    }
}

bool isTypeLike(const QString &name)
{
    static const QSet<QString> selves = {QStringLiteral("self"), QStringLiteral("this"),
                                         QStringLiteral("cls"), QStringLiteral("super"),
                                         QStringLiteral("Self")};
    return name.front().isUpper() || selves.contains(name);
}

// snake_case, camelCase or Capitalised: shaped like a name someone defined, not like a word.
bool isCodeShaped(const QString &name)
{
    static const QRegularExpression shaped(QStringLiteral("_|[a-z][A-Z]"));
    return name.front().isUpper() || shaped.match(name).hasMatch();
}

// Stands for a string literal in a span: an atom whose members are standard API, like a
// number's (`", ".join(items)`).
constexpr char16_t literalAtom = u'\uFFFC';

QStringList namesInCode(QString span, const QString &language, const Names &names)
{
    static const QRegularExpression lifetimes(QStringLiteral("'[A-Za-z_]\\w*\\b(?!')"));
    static const QRegularExpression strings(
        QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`"));
    static const QRegularExpression headers(QStringLiteral("<[\\w./+-]+\\.\\w+>"));
    if (language == QLatin1String("rust")) {
        span.replace(lifetimes, QStringLiteral(" ")); // 'a, 'static: not strings
    }
    span.replace(strings, QString(QChar(literalAtom)));
    span.replace(headers, QStringLiteral(" ")); // #include <stdio.h>

    // What came just before the current character.
    enum class Prev { Other, Name, Close, Member };
    struct Frame
    {
        bool libraryChain;
        bool arguments;
    };
    QList<Frame> frames;
    Prev prev = Prev::Other;
    QString prevName;
    bool prevNameIsMember = false; // `re.match(`: a call even though `match` is a keyword
    bool typeReceiver = false;     // the last name is a type or self/this
    bool strictMember = false;     // the pending member access is on one (`Point.x`, `a::b`)
    bool libraryChain = false;     // the member chain so far is library API: its members are too
    bool arguments = false;        // inside the brackets of a call or subscript
    QStringList out;
    const qsizetype n = span.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = span.at(i);
        const QChar next = i + 1 < n ? span.at(i + 1) : QChar();
        if (isIdentifierStart(c)) {
            qsizetype end = i + 1;
            while (end < n && isIdentifierPart(span.at(end))) {
                ++end;
            }
            const QString name = span.mid(i, end - i);
            const bool member = prev == Prev::Member;
            if (!member || !libraryChain) {
                // Arguments are usually placeholders or example values; the callee is what
                // a model invents. An object's members may come from any library
                // (`text.left(3)` on a QString): only code-shaped ones are checked.
                if (!arguments && (!member || strictMember || isCodeShaped(name))) {
                    addName(name, names, out);
                }
                libraryChain = names.namespaces.contains(name);
            }
            typeReceiver = isTypeLike(name);
            prevNameIsMember = member;
            prev = Prev::Name;
            prevName = name;
            i = end;
        } else if (c.isDigit() || c == QChar(literalAtom)) {
            ++i;
            while (i < n &&
                   (isIdentifierPart(span.at(i)) ||
                    (span.at(i) == QLatin1Char('.') && i + 1 < n && span.at(i + 1).isDigit()))) {
                ++i;
            }
            prev = Prev::Close;
            libraryChain = true;
        } else if (c == QLatin1Char('.') && next == QLatin1Char('.')) {
            while (i < n && span.at(i) == QLatin1Char('.')) {
                ++i; // spread or range, not a member access
            }
            prev = Prev::Other;
        } else if (c == QLatin1Char('.')) {
            strictMember = prev == Prev::Name && typeReceiver;
            prev = Prev::Member;
            ++i;
        } else if (c == QLatin1Char(':') && next == QLatin1Char(':')) {
            strictMember = true; // a path names a type, module or namespace, not an object
            prev = Prev::Member;
            i += 2;
        } else if ((c == QLatin1Char('-') && next == QLatin1Char('>')) ||
                   (c == QLatin1Char('?') && next == QLatin1Char('.'))) {
            strictMember = prev == Prev::Name && typeReceiver;
            prev = Prev::Member;
            i += 2;
        } else if (c == QLatin1Char('(') || c == QLatin1Char('[')) {
            // `foo(`, `foo()(`, `items[`: a call or subscript; `if (`, `= (`: a group.
            const bool call =
                (prev == Prev::Name && (prevNameIsMember || !names.keywords.contains(prevName))) ||
                prev == Prev::Close;
            // What a standard function returns is the library's too: `x.stream().mapToInt`.
            const bool standardCall = call && prev == Prev::Name && names.all.contains(prevName) &&
                                      !names.keywords.contains(prevName);
            frames.append({call && (libraryChain || standardCall), arguments});
            arguments = arguments || call;
            libraryChain = false;
            prev = Prev::Other;
            ++i;
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']')) {
            if (!frames.isEmpty()) {
                const Frame frame = frames.takeLast();
                libraryChain = frame.libraryChain; // `os.getcwd().split`: still the library's
                arguments = frame.arguments;
            }
            prev = Prev::Close;
            ++i;
        } else if (c == QLatin1Char('!') && prev == Prev::Name &&
                   (next == QLatin1Char('(') || next == QLatin1Char('['))) {
            ++i; // a Rust macro call: println!(...)
        } else if (c.isSpace()) {
            if (prev != Prev::Member) {
                prev = Prev::Other;
            }
            ++i;
        } else {
            prev = Prev::Other;
            libraryChain = false;
            ++i;
        }
    }
    return out;
}

// A span of words and spaces only: prose (`not found`, `pip install requests`) unless it
// starts like a declaration or statement.
QStringList namesInWords(const QString &span, const QString &language, const Names &names)
{
    static const QRegularExpression wordsOnly(
        QStringLiteral("^-{0,2}[A-Za-z][A-Za-z0-9_'-]*(?:\\s+-{0,2}[A-Za-z][A-Za-z0-9_'-]*)+$"));
    if (!wordsOnly.match(span).hasMatch()) {
        return namesInCode(span, language, names);
    }
    const QStringList words = span.split(QRegularExpression(QStringLiteral("\\s+")));
    static const QSet<QString> statements = {
        QStringLiteral("def"),       QStringLiteral("fn"),       QStringLiteral("func"),
        QStringLiteral("function"),  QStringLiteral("impl"),     QStringLiteral("import"),
        QStringLiteral("from"),      QStringLiteral("let"),      QStringLiteral("var"),
        QStringLiteral("pub"),       QStringLiteral("package"),  QStringLiteral("typedef"),
        QStringLiteral("namespace"), QStringLiteral("template"), QStringLiteral("yield"),
        QStringLiteral("raise"),     QStringLiteral("throw"),
    };
    if (statements.contains(words.first())) {
        return namesInCode(span, language, names);
    }
    // In prose only words shaped like code count: snake_case, camelCase, and a capitalised
    // name after a type keyword (`class Circle`).
    static const QRegularExpression codeShaped(QStringLiteral("_|[a-z][A-Z]"));
    static const QSet<QString> typeKeywords = {
        QStringLiteral("class"),     QStringLiteral("struct"), QStringLiteral("enum"),
        QStringLiteral("interface"), QStringLiteral("trait"),
    };
    QStringList out;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &word = words.at(i);
        if (word.contains(QLatin1Char('-')) || word.contains(QLatin1Char('\''))) {
            continue; // flag, hyphenated or possessive word
        }
        const bool named =
            i > 0 && typeKeywords.contains(words.at(i - 1)) && word.front().isUpper();
        if (named || codeShaped.match(word).hasMatch()) {
            addName(word, names, out);
        }
    }
    return out;
}

} // namespace

QString FactCheckResult::summary() const
{
    if (passed) {
        return QStringLiteral("passed (%1 %2)")
            .arg(checked)
            .arg(checked == 1 ? QStringLiteral("identifier") : QStringLiteral("identifiers"));
    }
    // One line even when a model invented a lot.
    constexpr qsizetype shown = 5;
    QStringList quoted;
    for (const QString &name : unknown.mid(0, shown)) {
        quoted << QLatin1Char('`') + name + QLatin1Char('`');
    }
    QString text = QStringLiteral("failed: ") + quoted.join(QStringLiteral(", "));
    if (unknown.size() > shown) {
        text += QStringLiteral(" and %1 more").arg(unknown.size() - shown);
    }
    return text + QStringLiteral(" not found");
}

FactChecker::FactChecker(const SymbolIndex *index, QString repo)
    : m_index(index)
    , m_repo(std::move(repo))
{}

FactCheckResult FactChecker::check(const QString &markdown, const QString &language,
                                   const QString &snippet, const QString &fileContent,
                                   const QString &path) const
{
    QStringList names;
    for (const QString &span : codeSpans(markdown)) {
        for (const QString &name : namesIn(span, language)) {
            if (!names.contains(name)) {
                names << name;
            }
        }
    }
    FactCheckResult result;
    result.checked = int(names.size());
    QSet<QString> known = identifierTokens(snippet);
    known.unite(identifierTokens(fileContent));
    known.unite(identifierTokens(path)); // `shapes` for geometry/shapes.py
    QStringList missing;
    for (const QString &name : std::as_const(names)) {
        if (!known.contains(name)) {
            missing << name;
        }
    }
    if (!missing.isEmpty() && m_index) {
        const Result<QSet<QString>> found = m_index->knownNames(m_repo, missing);
        if (found) {
            missing.removeIf([&found](const QString &name) { return found->contains(name); });
        } else {
            // Not verifiable is not verified: they stay unknown.
            qCWarning(lcFactCheck).noquote() << found.error();
        }
    }
    result.unknown = missing;
    result.passed = missing.isEmpty();
    return result;
}

QString FactChecker::regenerationNote(const FactCheckResult &failed)
{
    if (failed.unknown.isEmpty()) {
        return {};
    }
    QStringList quoted;
    for (const QString &name : failed.unknown) {
        quoted << QLatin1Char('`') + name + QLatin1Char('`');
    }
    return QStringLiteral(
               "Note: your previous answer named %1, which %2 not exist in this code or its "
               "repository. Write the whole answer again. Put in backticks only names that "
               "appear in the code above (or standard names of the language); do not invent "
               "functions, classes, methods or variables, and describe anything else in plain "
               "words.")
        .arg(quoted.join(QStringLiteral(", ")),
             failed.unknown.size() == 1 ? QStringLiteral("does") : QStringLiteral("do"));
}

QStringList FactChecker::codeSpans(const QString &markdown)
{
    QStringList spans;
    QString paragraph;
    const auto flush = [&] {
        appendSpans(paragraph, spans);
        paragraph.clear();
    };
    QChar fenceChar;
    qsizetype fenceLength = 0; // inside a fenced block when > 0
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        // Indented fences count too: models nest them in list items.
        const QStringView trimmed = QStringView(line).trimmed();
        if (fenceLength > 0) {
            if (closesFence(trimmed, fenceChar, fenceLength)) {
                fenceLength = 0;
            }
            continue;
        }
        if (const qsizetype opening = fenceOpening(trimmed, &fenceChar); opening > 0) {
            flush();
            fenceLength = opening;
            continue;
        }
        if (trimmed.isEmpty()) {
            flush(); // a span never crosses a paragraph
            continue;
        }
        paragraph += trimmed + QLatin1Char('\n');
    }
    flush(); // an unclosed fence runs to the end of the document
    return spans;
}

QStringList FactChecker::namesIn(const QString &span, const QString &language)
{
    const QString text = span.trimmed();
    if (text.isEmpty() || namesNothing(text)) {
        return {};
    }
    return namesInWords(text, language, namesOf(language));
}

bool FactChecker::isStandardName(const QString &name, const QString &language)
{
    return namesOf(language).all.contains(name);
}

QSet<QString> FactChecker::identifierTokens(const QString &text)
{
    QSet<QString> tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const bool start = isIdentifierStart(text.at(i));
        if (!start && !isIdentifierPart(text.at(i))) {
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        while (end < n && isIdentifierPart(text.at(end))) {
            ++end;
        }
        if (start) {
            tokens.insert(text.mid(i, end - i));
        } // else a number, or a literal's suffix (`10ms`)
        i = end;
    }
    return tokens;
}

} // namespace codeworm
