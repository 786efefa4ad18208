#include "redact/SecretRedactor.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <functional>

namespace codeworm::SecretRedactor {

namespace {

// What a secret-like name guards: a password may be any non-trivial literal, a key or
// token must also look random.
enum class NameKind { Password, Token };

struct Rule
{
    QString kind;
    QRegularExpression pattern;
    int group = 0; // the part replaced
    // Rejects a match that is not a secret after all (placeholder, identifier, hash...).
    std::function<bool(const QRegularExpressionMatch &)> accept;
};

struct Span
{
    qsizetype start;
    qsizetype end;
    QString kind;
};

bool isPlaceholder(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v.isEmpty() || v.startsWith(QLatin1String("[redacted"))) {
        return true;
    }
    // A reference, not a value: $VAR, %(name)s, {name}.
    if (v.startsWith(QLatin1Char('$')) || v.startsWith(QLatin1Char('%')) ||
        (v.startsWith(QLatin1Char('{')) && v.endsWith(QLatin1Char('}')))) {
        return true;
    }
    static const QStringList exact = {
        QStringLiteral("password"),  QStringLiteral("passwd"),      QStringLiteral("secret"),
        QStringLiteral("token"),     QStringLiteral("test"),        QStringLiteral("testing"),
        QStringLiteral("dummy"),     QStringLiteral("fake"),        QStringLiteral("sample"),
        QStringLiteral("none"),      QStringLiteral("null"),        QStringLiteral("nil"),
        QStringLiteral("true"),      QStringLiteral("false"),       QStringLiteral("undefined"),
        QStringLiteral("redacted"),  QStringLiteral("placeholder"), QStringLiteral("todo"),
        QStringLiteral("foo"),       QStringLiteral("bar"),         QStringLiteral("foobar"),
        QStringLiteral("secret123"), QStringLiteral("password123"), QStringLiteral("mypassword"),
        QStringLiteral("mysecret"),  QStringLiteral("hunter2"),
    };
    if (exact.contains(v)) {
        return true;
    }
    static const QStringList parts = {
        QStringLiteral("example"),   QStringLiteral("changeme"),    QStringLiteral("change_me"),
        QStringLiteral("change-me"), QStringLiteral("your_"),       QStringLiteral("your-"),
        QStringLiteral("xxxx"),      QStringLiteral("****"),        QStringLiteral("...."),
        QStringLiteral("${"),        QStringLiteral("{{"),          QStringLiteral("%("),
        QStringLiteral("%s"),        QStringLiteral("process.env"), QStringLiteral("os.environ"),
        QStringLiteral("getenv"),    QStringLiteral("env::var"),    QStringLiteral("<"),
        QStringLiteral("insert"),    QStringLiteral("replace"),     QStringLiteral("dummy"),
        QStringLiteral("fake"),      QStringLiteral("not-a-real"),  QStringLiteral("not_a_real"),
    };
    if (std::any_of(parts.cbegin(), parts.cend(),
                    [&v](const QString &p) { return v.contains(p); })) {
        return true;
    }
    // One character repeated ("aaaaaaaa", "00000000").
    return std::all_of(v.cbegin(), v.cend(), [&v](QChar c) { return c == v.front(); });
}

bool isUuid(const QString &value)
{
    static const QRegularExpression uuid(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return uuid.match(value).hasMatch();
}

bool hasDigit(const QString &v)
{
    return std::any_of(v.cbegin(), v.cend(), [](QChar c) { return c.isDigit(); });
}

bool hasUpper(const QString &v)
{
    return std::any_of(v.cbegin(), v.cend(), [](QChar c) { return c.isUpper(); });
}

bool hasLower(const QString &v)
{
    return std::any_of(v.cbegin(), v.cend(), [](QChar c) { return c.isLower(); });
}

// "user_id", "refresh-token", "bearer", "utf.8": words, not a secret.
bool isWordy(const QString &v)
{
    static const QRegularExpression words(QStringLiteral("^[a-z]+(?:[_\\-. /:][a-z]+)*$"));
    static const QRegularExpression camel(QStringLiteral("^[a-z]+(?:[A-Z][a-z]+)+$"));
    static const QRegularExpression screaming(QStringLiteral("^[A-Z]+(?:_[A-Z]+)*$"));
    return words.match(v).hasMatch() || camel.match(v).hasMatch() || screaming.match(v).hasMatch();
}

bool looksLikeSecret(const QString &raw, NameKind kind)
{
    const QString v = raw.trimmed();
    if (v.size() < 6 || isPlaceholder(v) || isUuid(v) || isWordy(v)) {
        return false;
    }
    if (v.contains(QLatin1String("://")) || v.startsWith(QLatin1Char('/')) ||
        v.startsWith(QLatin1String("./")) || v.startsWith(QLatin1String("~/"))) {
        return false;
    }
    if (kind == NameKind::Password) {
        // A passphrase may have spaces; a sentence ("Enter the password") has no digit.
        return !v.contains(QLatin1Char(' ')) || hasDigit(v) || v.size() >= 16;
    }
    if (v.contains(QLatin1Char(' ')) || v.size() < 12) {
        return false;
    }
    return entropy(v) >= 3.0 && (hasDigit(v) || (hasUpper(v) && hasLower(v)));
}

// A name that describes a secret rather than holds one: passwordField, token_type, ...
bool isDescriptiveName(const QString &name)
{
    QString n = name.toLower();
    n.remove(QLatin1Char('_')).remove(QLatin1Char('-')).remove(QLatin1Char('.'));
    static const QStringList suffixes = {
        QStringLiteral("label"),   QStringLiteral("prompt"),   QStringLiteral("hint"),
        QStringLiteral("field"),   QStringLiteral("message"),  QStringLiteral("msg"),
        QStringLiteral("text"),    QStringLiteral("regex"),    QStringLiteral("pattern"),
        QStringLiteral("length"),  QStringLiteral("len"),      QStringLiteral("url"),
        QStringLiteral("uri"),     QStringLiteral("endpoint"), QStringLiteral("path"),
        QStringLiteral("file"),    QStringLiteral("dir"),      QStringLiteral("name"),
        QStringLiteral("type"),    QStringLiteral("id"),       QStringLiteral("header"),
        QStringLiteral("env"),     QStringLiteral("var"),      QStringLiteral("policy"),
        QStringLiteral("format"),  QStringLiteral("error"),    QStringLiteral("count"),
        QStringLiteral("expiry"),  QStringLiteral("expires"),  QStringLiteral("ttl"),
        QStringLiteral("timeout"), QStringLiteral("version"),  QStringLiteral("algorithm"),
        QStringLiteral("param"),   QStringLiteral("column"),   QStringLiteral("key"),
    };
    // "...key" alone is descriptive only after another secret word ("secretkey" holds one).
    for (const QString &suffix : suffixes) {
        if (n.endsWith(suffix) && n.size() > suffix.size()) {
            if (suffix == QLatin1String("key")) {
                const QString stem = n.chopped(3);
                return stem.endsWith(QLatin1String("cache")) ||
                       stem.endsWith(QLatin1String("sort")) ||
                       stem.endsWith(QLatin1String("primary")) ||
                       stem.endsWith(QLatin1String("foreign")) ||
                       stem.endsWith(QLatin1String("lookup")) ||
                       stem.endsWith(QLatin1String("map")) ||
                       stem.endsWith(QLatin1String("dict")) || stem.endsWith(QLatin1String("hash"));
            }
            return true;
        }
    }
    return false;
}

NameKind nameKind(const QString &name)
{
    const QString n = name.toLower();
    for (const char *word : {"password", "passwd", "passphrase", "pwd", "pass"}) {
        if (n.contains(QLatin1String(word))) {
            return NameKind::Password;
        }
    }
    return NameKind::Token;
}

bool isEnvFile(const QString &path)
{
    const QString base = path.section(QLatin1Char('/'), -1);
    return base == QLatin1String(".env") || base.startsWith(QLatin1String(".env.")) ||
           base.endsWith(QLatin1String(".env"));
}

bool isEnvTemplate(const QString &path)
{
    const QString base = path.section(QLatin1Char('/'), -1).toLower();
    for (const char *suffix : {".example", ".sample", ".template", ".dist", ".defaults"}) {
        if (base.endsWith(QLatin1String(suffix))) {
            return true;
        }
    }
    return false;
}

// Names that hold secrets, for assignments: `password = "..."`, `"api_key": "..."`.
const QString secretName = QStringLiteral(
    "(?:[A-Za-z_$][A-Za-z0-9_.$\\-]*?)?(?:password|passwd|passphrase|pwd|secret|token|"
    "api_?key|apikey|access_?key|auth_?key|private_?key|signing_?key|encryption_?key|"
    "client_?secret|credentials?)[A-Za-z0-9_]*");

QList<Rule> buildRules()
{
    using QRE = QRegularExpression;
    const auto always = [](const QRegularExpressionMatch &) { return true; };
    const auto random = [](int group) {
        return [group](const QRegularExpressionMatch &m) {
            const QString v = m.captured(group);
            return !isPlaceholder(v) && entropy(v) >= 3.0;
        };
    };
    QList<Rule> rules = {
        {QStringLiteral("private-key"),
         QRE(QStringLiteral("-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?"
                            "-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----")),
         0, always},
        // A block cut off by the source limit: everything after its start.
        {QStringLiteral("private-key"),
         QRE(QStringLiteral("-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*")), 0,
         always},
        {QStringLiteral("aws-access-key"),
         QRE(QStringLiteral("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}"
                            "\\b")),
         0, always},
        {QStringLiteral("aws-secret-key"),
         QRE(QStringLiteral(
             "(?i)aws[A-Za-z0-9_\\-]{0,20}?(?:secret|private)[A-Za-z0-9_\\-]{0,20}"
             "[\"']?\\s*(?::=|=>|=|:)\\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")),
         1, random(1)},
        {QStringLiteral("gcp-api-key"),
         QRE(QStringLiteral("\\bAIza[0-9A-Za-z_\\-]{35}(?![0-9A-Za-z_\\-])")), 0, always},
        {QStringLiteral("gcp-oauth-secret"), QRE(QStringLiteral("\\bGOCSPX-[A-Za-z0-9_\\-]{28}")),
         0, always},
        {QStringLiteral("azure-storage-key"),
         QRE(QStringLiteral(
             "(?i)(?:AccountKey|SharedAccessKey)\\s*=\\s*([A-Za-z0-9+/]{40,}={0,2})")),
         1, always},
        {QStringLiteral("azure-sas-signature"),
         QRE(QStringLiteral("[?&]sig=([A-Za-z0-9%+/]{30,}={0,2})")), 1, always},
        {QStringLiteral("github-token"),
         QRE(QStringLiteral("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})"
                            "\\b")),
         0, always},
        {QStringLiteral("gitlab-token"),
         QRE(QStringLiteral("\\bgl(?:pat|dt|ptt|rt|cbt|oas|ft|imt|agent)-[A-Za-z0-9_\\-]{20,}")), 0,
         always},
        {QStringLiteral("slack-token"), QRE(QStringLiteral("\\bxox[abposr]-[A-Za-z0-9\\-]{10,}")),
         0, always},
        {QStringLiteral("slack-webhook"),
         QRE(QStringLiteral("https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9_/]+")),
         0, always},
        {QStringLiteral("stripe-key"),
         QRE(QStringLiteral("\\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})"
                            "\\b")),
         0, always},
        {QStringLiteral("openai-key"),
         QRE(QStringLiteral(
             "\\bsk-(?:proj-|svcacct-|admin-|ant-(?:api\\d\\d-)?)?[A-Za-z0-9_\\-]{20,}"
             "(?![A-Za-z0-9_\\-])")),
         0,
         [](const QRegularExpressionMatch &m) {
             const QString v = m.captured(0);
             return hasDigit(v) && entropy(v) >= 3.5;
         }},
        {QStringLiteral("npm-token"), QRE(QStringLiteral("\\bnpm_[A-Za-z0-9]{36}\\b")), 0, always},
        {QStringLiteral("pypi-token"),
         QRE(QStringLiteral("\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,}")), 0, always},
        {QStringLiteral("sendgrid-key"),
         QRE(QStringLiteral("\\bSG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43}\\b")), 0, always},
        {QStringLiteral("twilio-key"), QRE(QStringLiteral("\\bSK[0-9a-f]{32}\\b")), 0, always},
        {QStringLiteral("huggingface-token"), QRE(QStringLiteral("\\bhf_[A-Za-z]{34}\\b")), 0,
         always},
        {QStringLiteral("digitalocean-token"), QRE(QStringLiteral("\\bdo[por]_v1_[a-f0-9]{64}\\b")),
         0, always},
        {QStringLiteral("shopify-token"),
         QRE(QStringLiteral("\\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\\b")), 0, always},
        {QStringLiteral("vault-token"), QRE(QStringLiteral("\\bhv[sb]\\.[A-Za-z0-9_\\-]{24,}")), 0,
         always},
        {QStringLiteral("telegram-bot-token"),
         QRE(QStringLiteral("\\b\\d{8,10}:AA[A-Za-z0-9_\\-]{33}\\b")), 0, always},
        {QStringLiteral("mailgun-key"), QRE(QStringLiteral("\\bkey-[0-9a-f]{32}\\b")), 0, always},
        {QStringLiteral("jwt"),
         QRE(QStringLiteral(
             "\\beyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}")),
         0, always},
        {QStringLiteral("authorization-header"),
         QRE(QStringLiteral("(?i)\\b(?:Bearer|Basic|Token)\\s+([A-Za-z0-9\\-._~+/]{20,}=*)")), 1,
         random(1)},
        {QStringLiteral("connection-string-password"),
         QRE(QStringLiteral(
             "\\b[a-zA-Z][a-zA-Z0-9+.\\-]{1,20}://[^\\s:/@\"'<>]+:([^\\s@/\"'<>]+)@")),
         1,
         [](const QRegularExpressionMatch &m) {
             const QString v = m.captured(1);
             return !isPlaceholder(v) && !v.startsWith(QLatin1Char('$')) &&
                    !v.startsWith(QLatin1Char('%'));
         }},
        {QStringLiteral("password-in-connection-string"),
         QRE(QStringLiteral("(?i)\\b(?:password|pwd)\\s*=\\s*([^;\"'\\s]{4,})(?=;|\"|'|$)")), 1,
         [](const QRegularExpressionMatch &m) {
             return looksLikeSecret(m.captured(1), NameKind::Password);
         }},
    };
    // Quoted literal assigned to (or compared with) a secret-like name.
    rules.append({QStringLiteral("secret-assignment"),
                  QRE(QStringLiteral("(?i)(%1)[\"']?\\s*(?::=|=>|===?|!==?|=|:)\\s*(?:[rbuf]|"
                                     "@)?([\"'`])((?:(?!\\2)[^\\n\\\\]|\\\\.){1,512}?)\\2")
                          .arg(secretName)),
                  3, [](const QRegularExpressionMatch &m) {
                      const QString name = m.captured(1);
                      return !isDescriptiveName(name) &&
                             looksLikeSecret(m.captured(3), nameKind(name));
                  }});
    // Unquoted value of a secret-like key on a line of its own (YAML, INI, properties).
    rules.append(
        {QStringLiteral("secret-assignment"),
         QRE(QStringLiteral("(?im)^[ \\t-]*(%1)[ \\t]*[:=][ \\t]*([^\\s\"'#;,(){}\\[\\]]{6,})"
                            "[ \\t]*$")
                 .arg(secretName)),
         2, [](const QRegularExpressionMatch &m) {
             const QString name = m.captured(1);
             const QString value = m.captured(2);
             // `token = self.token` is code, not a value.
             static const QRegularExpression reference(
                 QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+$"));
             return !isDescriptiveName(name) && !reference.match(value).hasMatch() &&
                    looksLikeSecret(value, nameKind(name));
         }});
    // A long random string next to a secret-like name, quoted or not.
    rules.append(
        {QStringLiteral("high-entropy-secret"),
         QRE(QStringLiteral("(?i)\\b[A-Za-z0-9_.\\-]*(?:key|secret|token|credential|auth|signature|"
                            "salt|seed)[A-Za-z0-9_]*[\"']?\\s*(?::=|=>|=|:)\\s*[\"']?"
                            "([A-Za-z0-9+/=_\\-]{20,})")),
         1, [](const QRegularExpressionMatch &m) {
             const QString v = m.captured(1);
             return !isPlaceholder(v) && !isUuid(v) && entropy(v) >= 3.5 && hasDigit(v) &&
                    (hasUpper(v) || v.size() >= 32);
         }});
    return rules;
}

const QList<Rule> &rules()
{
    // QRegularExpression objects are not shared across threads.
    thread_local const QList<Rule> compiled = buildRules();
    return compiled;
}

void addSpan(QList<Span> &spans, Span span)
{
    for (const Span &s : std::as_const(spans)) {
        if (span.start < s.end && s.start < span.end) {
            return; // an earlier, more specific rule already covers it
        }
    }
    spans.append(std::move(span));
}

void envSpans(const QString &text, const QString &path, QList<Span> &spans)
{
    static const QRegularExpression line(
        QStringLiteral("(?m)^[ \\t]*(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \\t]*=[ \\t]*"
                       "(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s#][^\\n#]*?)[ \\t]*(?:#.*)?$"));
    const bool isTemplate = isEnvTemplate(path);
    for (auto it = line.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        qsizetype start = m.capturedStart(2);
        qsizetype end = m.capturedEnd(2);
        QString value = m.captured(2);
        if (value.size() >= 2 &&
            (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\''))) {
            ++start;
            --end;
            value = value.mid(1, value.size() - 2);
        }
        if (value.isEmpty() || isPlaceholder(value)) {
            continue;
        }
        if (isTemplate && !looksLikeSecret(value, nameKind(m.captured(1)))) {
            continue;
        }
        addSpan(spans, {start, end, QStringLiteral("env-value")});
    }
}

} // namespace

QString marker(const QString &kind)
{
    return QStringLiteral("[REDACTED:%1]").arg(kind);
}

double entropy(QStringView text)
{
    if (text.isEmpty()) {
        return 0;
    }
    QHash<QChar, int> counts;
    for (QChar c : text) {
        ++counts[c];
    }
    double bits = 0;
    for (const int count : std::as_const(counts)) {
        const double p = double(count) / double(text.size());
        bits -= p * std::log2(p);
    }
    return bits;
}

RedactedText redact(const QString &text, const QString &path)
{
    QList<Span> spans;
    for (const Rule &rule : rules()) {
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength(rule.group) == 0 || !rule.accept(m)) {
                continue;
            }
            addSpan(spans, {m.capturedStart(rule.group), m.capturedEnd(rule.group), rule.kind});
        }
    }
    if (isEnvFile(path)) {
        envSpans(text, path, spans);
    }
    RedactedText result;
    if (spans.isEmpty()) {
        result.text = text;
        return result;
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span &a, const Span &b) { return a.start < b.start; });
    qsizetype done = 0;
    int line = 1;
    for (const Span &span : std::as_const(spans)) {
        line += int(QStringView(text).mid(done, span.start - done).count(QLatin1Char('\n')));
        result.text += QStringView(text).mid(done, span.start - done);
        result.text += marker(span.kind);
        result.redactions.append({span.kind, line});
        line +=
            int(QStringView(text).mid(span.start, span.end - span.start).count(QLatin1Char('\n')));
        done = span.end;
    }
    result.text += QStringView(text).mid(done);
    return result;
}

} // namespace codeworm::SecretRedactor
