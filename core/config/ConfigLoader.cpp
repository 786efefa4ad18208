#include "config/ConfigLoader.h"

#include "config/ScheduleLimits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace codeworm {

namespace {

constexpr int IntMax = std::numeric_limits<int>::max();
constexpr int IntMin = std::numeric_limits<int>::min();

struct IntRange
{
    int min = IntMin;
    int max = IntMax;

    QString expectation() const
    {
        if (min == IntMin && max == IntMax) {
            return QStringLiteral("an integer");
        }
        if (max == IntMax) {
            return QStringLiteral("an integer of at least %1").arg(min);
        }
        if (min == IntMin) {
            return QStringLiteral("an integer of at most %1").arg(max);
        }
        return QStringLiteral("an integer from %1 to %2").arg(min).arg(max);
    }
};

struct NumberRange
{
    std::optional<double> min;
    std::optional<double> max;
    bool minExclusive = false;

    bool contains(double value) const
    {
        if (min && (minExclusive ? value <= *min : value < *min)) {
            return false;
        }
        return !max || value <= *max;
    }

    QString expectation() const
    {
        if (min && max) {
            return QStringLiteral("a number from %1 to %2").arg(*min).arg(*max);
        }
        if (min) {
            return minExclusive ? QStringLiteral("a number greater than %1").arg(*min)
                                : QStringLiteral("a number of at least %1").arg(*min);
        }
        return QStringLiteral("a number");
    }
};

const NumberRange positive{0.0, std::nullopt, true};
const NumberRange nonNegative{0.0, std::nullopt, false};

QString fromYaml(const std::string &text)
{
    return QString::fromStdString(text);
}

// How a value shows in a message: scalars quoted as written, collections by kind.
QString describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return QLatin1Char('\'') + fromYaml(node.Scalar()) + QLatin1Char('\'');
    case YAML::NodeType::Sequence:
        return QStringLiteral("a list");
    case YAML::NodeType::Map:
        return QStringLiteral("a mapping");
    case YAML::NodeType::Null:
        return QStringLiteral("nothing");
    case YAML::NodeType::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QString itemKey(const QString &listKey, std::size_t index)
{
    return QStringLiteral("%1[%2]").arg(listKey, QString::number(index));
}

QString childKey(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

// Go durations ("10m", "1h30m", "-1s") as Ollama's keep_alive accepts them, or plain seconds.
bool isKeepAlive(const QString &value)
{
    static const QRegularExpression pattern(QStringLiteral(
        "^[-+]?((\\d+(\\.\\d*)?|\\.\\d+)|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+)$"));
    return pattern.match(value).hasMatch();
}

// Reads one YAML file into the typed config, collecting errors and warnings that name the
// file, the line and the dotted key. Null values keep the default.
class Reader
{
public:
    using Handler = std::function<void(const YAML::Node &value, const QString &key)>;
    using Fields = std::vector<std::pair<const char *, Handler>>;

    Reader(QString file, QStringList &errors, QStringList &warnings)
        : m_file(std::move(file))
        , m_errors(errors)
        , m_warnings(warnings)
    {}

    const QString &file() const { return m_file; }

    // The line of a value the file set, 0 when the file did not set it.
    int lineOf(const QString &key) const { return m_lines.value(key); }

    void error(int line, const QString &key, const QString &message)
    {
        m_errors << QStringLiteral("%1: key '%2': %3").arg(location(line), key, message);
    }

    void error(const YAML::Node &at, const QString &key, const QString &message)
    {
        error(line(at), key, message);
    }

    // The key being read, for messages about the key rather than its value.
    const YAML::Node &currentKey() const { return *m_currentKey; }

    void warning(const YAML::Node &at, const QString &message) { warningAt(line(at), message); }

    void warningAt(int line, const QString &message)
    {
        m_warnings << QStringLiteral("%1: %2").arg(location(line), message);
    }

    void expected(const YAML::Node &value, const QString &key, const QString &expectation)
    {
        error(value, key, QStringLiteral("expected %1, got %2").arg(expectation, describe(value)));
    }

    // The document of a file that exists; nullopt for an absent or broken one.
    std::optional<YAML::Node> parse(const std::optional<QByteArray> &text)
    {
        if (!text) {
            return std::nullopt;
        }
        YAML::Node root;
        try {
            root.reset(YAML::Load(text->toStdString()));
        } catch (const YAML::Exception &e) {
            const QString where = e.mark.is_null()
                                      ? m_file
                                      : QStringLiteral("%1:%2:%3")
                                            .arg(m_file, QString::number(e.mark.line + 1),
                                                 QString::number(e.mark.column + 1));
            m_errors << QStringLiteral("%1: YAML syntax error: %2").arg(where, fromYaml(e.msg));
            return std::nullopt;
        }
        if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
            m_errors << QStringLiteral("%1: expected a mapping of keys at the top level, got %2")
                            .arg(location(line(root)), describe(root));
            return std::nullopt;
        }
        return root;
    }

    void readMap(const YAML::Node &map, const QString &path, const Fields &fields)
    {
        if (!map.IsDefined() || map.IsNull()) {
            return;
        }
        if (!map.IsMap()) {
            expected(map, path, QStringLiteral("a mapping of keys"));
            return;
        }
        QHash<QString, int> seen;
        for (const auto &entry : map) {
            const YAML::Node &keyNode = entry.first;
            const QString name =
                keyNode.IsScalar() ? fromYaml(keyNode.Scalar()) : describe(keyNode);
            const QString key = childKey(path, name);
            if (const int previous = seen.value(name)) {
                warning(keyNode, QStringLiteral("key '%1' is also set on line %2; the later value "
                                                "is used")
                                     .arg(key, QString::number(previous)));
            }
            seen.insert(name, line(keyNode));
            const auto field = std::find_if(fields.begin(), fields.end(), [&](const auto &f) {
                return name == QLatin1String(f.first);
            });
            if (field == fields.end()) {
                warning(keyNode, QStringLiteral("unknown key '%1' (ignored)").arg(key));
                continue;
            }
            const YAML::Node *outer = std::exchange(m_currentKey, &keyNode);
            field->second(entry.second, key);
            m_currentKey = outer;
        }
    }

    bool readBool(const YAML::Node &value, const QString &key, bool &out)
    {
        if (!take(value, key)) {
            return false;
        }
        // The YAML 1.1 spellings, as the original's PyYAML read them.
        static const QSet<QString> yes{
            QStringLiteral("true"), QStringLiteral("True"), QStringLiteral("TRUE"),
            QStringLiteral("yes"),  QStringLiteral("Yes"),  QStringLiteral("YES"),
            QStringLiteral("on"),   QStringLiteral("On"),   QStringLiteral("ON")};
        static const QSet<QString> no{
            QStringLiteral("false"), QStringLiteral("False"), QStringLiteral("FALSE"),
            QStringLiteral("no"),    QStringLiteral("No"),    QStringLiteral("NO"),
            QStringLiteral("off"),   QStringLiteral("Off"),   QStringLiteral("OFF")};
        const QString text = value.IsScalar() ? fromYaml(value.Scalar()) : QString();
        if (value.IsScalar() && yes.contains(text)) {
            out = true;
            return true;
        }
        if (value.IsScalar() && no.contains(text)) {
            out = false;
            return true;
        }
        expected(value, key, QStringLiteral("true or false"));
        return false;
    }

    bool readInt(const YAML::Node &value, const QString &key, int &out, IntRange range = {})
    {
        if (!take(value, key)) {
            return false;
        }
        bool isInt = false;
        const qlonglong number = value.IsScalar() ? fromYaml(value.Scalar()).toLongLong(&isInt) : 0;
        if (!isInt) {
            expected(value, key, QStringLiteral("an integer"));
            return false;
        }
        if (number < range.min || number > range.max) {
            expected(value, key, range.expectation());
            return false;
        }
        out = int(number);
        return true;
    }

    bool readNumber(const YAML::Node &value, const QString &key, double &out,
                    const NumberRange &range = {})
    {
        if (!take(value, key)) {
            return false;
        }
        bool isNumber = false;
        const double number = value.IsScalar() ? fromYaml(value.Scalar()).toDouble(&isNumber) : 0;
        if (!isNumber || !qIsFinite(number)) {
            expected(value, key, QStringLiteral("a number"));
            return false;
        }
        if (!range.contains(number)) {
            expected(value, key, range.expectation());
            return false;
        }
        out = number;
        return true;
    }

    // Any scalar is text: "keep_alive: -1" and "model: 7" are strings too.
    bool readString(const YAML::Node &value, const QString &key, QString &out,
                    bool mayBeEmpty = true)
    {
        if (!take(value, key)) {
            return false;
        }
        if (!value.IsScalar()) {
            expected(value, key, QStringLiteral("a string"));
            return false;
        }
        const QString text = fromYaml(value.Scalar());
        if (!mayBeEmpty && text.trimmed().isEmpty()) {
            expected(value, key, QStringLiteral("a non-empty string"));
            return false;
        }
        out = text;
        return true;
    }

    // One of a few words, trimmed (and lower-cased when `anyCase`); the error lists them:
    // "expected auto, c or cpp, got 'objc'".
    bool readChoice(const YAML::Node &value, const QString &key, QString &out,
                    const QStringList &choices, bool anyCase = false)
    {
        QString text;
        if (!readString(value, key, text)) {
            return false;
        }
        text = anyCase ? text.trimmed().toLower() : text.trimmed();
        if (!choices.contains(text)) {
            const QString expectation =
                choices.size() < 2
                    ? choices.value(0)
                    : QStringList(choices.mid(0, choices.size() - 1)).join(QStringLiteral(", ")) +
                          QStringLiteral(" or ") + choices.last();
            expected(value, key, expectation);
            return false;
        }
        out = text;
        return true;
    }

    bool readStringList(const YAML::Node &value, const QString &key, QStringList &out)
    {
        if (!takeList(value, key)) {
            return false;
        }
        QStringList items;
        bool valid = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
            QString item;
            if (readString(value[i], itemKey(key, i), item, false)) {
                items << item;
            } else if (!value[i].IsNull()) {
                valid = false;
            }
        }
        if (valid) {
            out = items;
        }
        return valid;
    }

    bool readIntList(const YAML::Node &value, const QString &key, QList<int> &out, IntRange range)
    {
        if (!takeList(value, key)) {
            return false;
        }
        QList<int> items;
        bool valid = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
            int item = 0;
            if (readInt(value[i], itemKey(key, i), item, range)) {
                items << item;
            } else if (!value[i].IsNull()) {
                valid = false;
            }
        }
        if (valid) {
            out = items;
        }
        return valid;
    }

    static int line(const YAML::Node &node)
    {
        return node.Mark().is_null() ? 0 : node.Mark().line + 1;
    }

private:
    QString location(int line) const
    {
        return line > 0 ? QStringLiteral("%1:%2").arg(m_file, QString::number(line)) : m_file;
    }

    // False for a null value, which keeps the default; records the line of a set value.
    bool take(const YAML::Node &value, const QString &key)
    {
        if (!value.IsDefined() || value.IsNull()) {
            return false;
        }
        m_lines.insert(key, line(value));
        return true;
    }

    bool takeList(const YAML::Node &value, const QString &key)
    {
        if (!take(value, key)) {
            return false;
        }
        if (!value.IsSequence()) {
            expected(value, key, QStringLiteral("a list"));
            return false;
        }
        return true;
    }

    QString m_file;
    QStringList &m_errors;
    QStringList &m_warnings;
    QHash<QString, int> m_lines;
    const YAML::Node *m_currentKey = nullptr;
};

QString documentationTypeNames(const DocumentationConfig &documentation)
{
    QStringList names;
    for (const auto &[name, weight] : documentation.typeWeights) {
        names << name;
    }
    return names.join(QStringLiteral(", "));
}

// The name of an environment variable, never its value: a secret pasted into the wrong key
// is not echoed back.
void readEnvName(Reader &r, const YAML::Node &v, const QString &k, QString &out,
                 const QString &example)
{
    QString name;
    if (!r.readString(v, k, name)) {
        return;
    }
    name = name.trimmed();
    static const QRegularExpression variable(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!name.isEmpty() && !variable.match(name).hasMatch()) {
        r.error(v, k,
                QStringLiteral("expected the name of an environment variable such as %1, not the "
                               "secret itself")
                    .arg(example));
        return;
    }
    out = name;
}

void readDevLog(Reader &r, const YAML::Node &node, const QString &path, const QString &dir,
                DevLogConfig &devlog)
{
    auto readSshKey = [&](const YAML::Node &v, const QString &k) {
        QString key;
        if (!r.readString(v, k, key)) {
            return;
        }
        key = key.trimmed();
        if (key.contains(QLatin1String("PRIVATE KEY")) || key.contains(QLatin1Char('\n'))) {
            r.error(v, k,
                    QStringLiteral("expected the path of a private key file such as "
                                   "~/.ssh/id_ed25519, not the key itself"));
            return;
        }
        devlog.sshKey = key.isEmpty() ? QString() : expandUserPath(key, dir);
    };
    auto refuseSecret = [&](const YAML::Node &v, const QString &k) {
        r.error(v, k,
                QStringLiteral("secrets are never read from the configuration file; put it in an "
                               "environment variable and set devlog.token_env (or "
                               "devlog.ssh_passphrase_env) to its name"));
    };
    r.readMap(
        node, path,
        {
            {"repo_path", [&](auto &v, auto &k) { r.readString(v, k, devlog.repoPath); }},
            {"remote", [&](auto &v, auto &k) { r.readString(v, k, devlog.remote); }},
            {"branch", [&](auto &v, auto &k) { r.readString(v, k, devlog.branch, false); }},
            {"author_name", [&](auto &v, auto &k) { r.readString(v, k, devlog.authorName); }},
            {"author_email", [&](auto &v, auto &k) { r.readString(v, k, devlog.authorEmail); }},
            {"ssh_key", readSshKey},
            {"ssh_passphrase_env",
             [&](auto &v, auto &k) {
                 readEnvName(r, v, k, devlog.sshPassphraseEnv,
                             QStringLiteral("DEVLOG_KEY_PASSPHRASE"));
             }},
            {"token_env",
             [&](auto &v, auto &k) {
                 readEnvName(r, v, k, devlog.tokenEnv, QStringLiteral("DEVLOG_TOKEN"));
             }},
            {"token", refuseSecret},
            {"password", refuseSecret},
            {"push_tries",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, devlog.pushTries, {1, 10});
             }},
            {"push_retry_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, devlog.pushRetryS, positive); }},
            {"push_retry_max_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, devlog.pushRetryMaxS, positive); }},
            {"push_timeout_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, devlog.pushTimeoutS, nonNegative); }},
        });
    if (devlog.pushRetryMaxS < devlog.pushRetryS) {
        const QString firstKey = childKey(path, QStringLiteral("push_retry_s"));
        const QString maxKey = childKey(path, QStringLiteral("push_retry_max_s"));
        const bool blameMax = r.lineOf(maxKey) >= r.lineOf(firstKey);
        r.error(blameMax ? r.lineOf(maxKey) : r.lineOf(firstKey), blameMax ? maxKey : firstKey,
                blameMax ? QStringLiteral("expected a number of at least %1 (push_retry_s), got "
                                          "'%2'")
                               .arg(devlog.pushRetryS)
                               .arg(devlog.pushRetryMaxS)
                         : QStringLiteral("expected a number of at most %1 (push_retry_max_s), "
                                          "got '%2'")
                               .arg(devlog.pushRetryMaxS)
                               .arg(devlog.pushRetryS));
    }
}

void readOllama(Reader &r, const YAML::Node &node, const QString &path, OllamaConfig &ollama)
{
    auto readHost = [&](const YAML::Node &v, const QString &k) {
        QString host;
        if (!r.readString(v, k, host, false)) {
            return;
        }
        Config probe;
        probe.ollama.host = host;
        const QUrl url(probe.ollamaBaseUrl(), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            r.expected(v, k,
                       QStringLiteral("a host name or an http(s) URL such as localhost or "
                                      "http://box:11434"));
            return;
        }
        ollama.host = host;
    };
    auto readKeepAlive = [&](const YAML::Node &v, const QString &k) {
        QString keepAlive;
        if (!r.readString(v, k, keepAlive)) {
            return;
        }
        if (!isKeepAlive(keepAlive.trimmed())) {
            r.expected(v, k,
                       QStringLiteral("seconds (such as -1 for always or 300) or a duration "
                                      "(such as 10m or 1h30m)"));
            return;
        }
        ollama.keepAlive = keepAlive.trimmed();
    };
    auto readSeed = [&](const YAML::Node &v, const QString &k) {
        int seed = 0;
        if (r.readInt(v, k, seed)) {
            ollama.seed = seed;
        }
    };
    auto readApi = [&](const YAML::Node &v, const QString &k) {
        r.readChoice(v, k, ollama.api, {QStringLiteral("chat"), QStringLiteral("generate")});
    };
    auto readTimeouts = [&](const YAML::Node &v, const QString &k) {
        r.readMap(v, k,
                  {
                      {"connect_s",
                       [&](auto &value, auto &key) {
                           r.readNumber(value, key, ollama.connectTimeoutS, positive);
                       }},
                      {"first_token_s",
                       [&](auto &value, auto &key) {
                           r.readNumber(value, key, ollama.firstTokenTimeoutS, positive);
                       }},
                      {"idle_s",
                       [&](auto &value, auto &key) {
                           r.readNumber(value, key, ollama.idleTimeoutS, positive);
                       }},
                      {"total_s",
                       [&](auto &value, auto &key) {
                           r.readNumber(value, key, ollama.totalTimeoutS, positive);
                       }},
                  });
    };
    r.readMap(
        node, path,
        {
            {"host", readHost},
            {"port",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, ollama.port, {1, 65535});
             }},
            {"model", [&](auto &v, auto &k) { r.readString(v, k, ollama.model, false); }},
            {"temperature",
             [&](auto &v, auto &k) {
                 r.readNumber(v, k, ollama.temperature, {0.0, 2.0});
             }},
            {"num_ctx", [&](auto &v, auto &k) { r.readInt(v, k, ollama.numCtx, {1}); }},
            // Ollama: -1 generates without limit, -2 until the context is full.
            {"num_predict", [&](auto &v, auto &k) { r.readInt(v, k, ollama.numPredict, {-2}); }},
            {"keep_alive", readKeepAlive},
            {"seed", readSeed},
            {"api", readApi},
            {"think", [&](auto &v, auto &k) { r.readBool(v, k, ollama.think); }},
            {"auto_pull", [&](auto &v, auto &k) { r.readBool(v, k, ollama.autoPull); }},
            {"start_local", [&](auto &v, auto &k) { r.readBool(v, k, ollama.startLocal); }},
            {"timeouts", readTimeouts},
            {"connect_timeout_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, ollama.connectTimeoutS, positive); }},
            {"total_timeout_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, ollama.totalTimeoutS, positive); }},
            {"retries", [&](auto &v, auto &k) { r.readInt(v, k, ollama.retries, {1}); }},
            {"retry_delay_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, ollama.retryDelayS, nonNegative); }},
            {"retry_max_delay_s",
             [&](auto &v, auto &k) { r.readNumber(v, k, ollama.retryMaxDelayS, nonNegative); }},
        });
}

// An http(s) base URL of an LLM server; "host:port" without a scheme means http.
QUrl llmEndpointUrl(const QString &text)
{
    QString spec = text.trimmed();
    if (!spec.contains(QLatin1String("://"))) {
        spec.prepend(QStringLiteral("http://"));
    }
    return QUrl(spec, QUrl::StrictMode);
}

bool isLlmEndpoint(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
           !url.hasQuery() && !url.hasFragment();
}

// The llm keys that live in OllamaConfig, as the file set them.
struct LlmOverrides
{
    std::optional<bool> think;
    std::optional<double> connectS;
    std::optional<double> firstTokenS;
    std::optional<double> idleS;
    std::optional<double> totalS;
};

void readLlm(Reader &r, const YAML::Node &node, const QString &path, LlmConfig &llm,
             LlmOverrides &overrides)
{
    auto readProvider = [&](const YAML::Node &v, const QString &k) {
        r.readChoice(v, k, llm.provider, {QStringLiteral("ollama"), QStringLiteral("openai")},
                     true);
    };
    auto readEndpoints = [&](const YAML::Node &v, const QString &k) {
        QStringList items;
        if (v.IsScalar()) {
            // One endpoint needs no list.
            QString item;
            if (!r.readString(v, k, item, false)) {
                return;
            }
            items << item;
        } else if (!r.readStringList(v, k, items)) {
            return;
        }
        QStringList urls;
        bool valid = true;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const YAML::Node item = v.IsScalar() ? v : v[std::size_t(i)];
            const QString itemPath = v.IsScalar() ? k : itemKey(k, std::size_t(i));
            const QUrl url = llmEndpointUrl(items.at(i));
            // Credentials in a URL would sit in the file: only api_key_env carries a key. The
            // value is not echoed, as it holds them.
            if (!url.userInfo().isEmpty()) {
                r.error(item, itemPath,
                        QStringLiteral("expected a URL without user name or password; put an API "
                                       "key in an environment variable named by llm.api_key_env"));
                valid = false;
                continue;
            }
            if (!isLlmEndpoint(url)) {
                r.expected(item, itemPath,
                           QStringLiteral("an http(s) URL such as http://localhost:8080"));
                valid = false;
                continue;
            }
            const QString text = url.toString(QUrl::StripTrailingSlash);
            if (!urls.contains(text)) {
                urls << text;
            }
        }
        if (valid) {
            llm.endpoints = urls;
        }
    };
    auto readApiKeyEnv = [&](const YAML::Node &v, const QString &k) {
        readEnvName(r, v, k, llm.apiKeyEnv, QStringLiteral("OPENAI_API_KEY"));
    };
    auto refuseApiKey = [&](const YAML::Node &v, const QString &k) {
        r.error(v, k,
                QStringLiteral("API keys are never read from the configuration file; put the key "
                               "in an environment variable and set llm.api_key_env to its name"));
    };
    auto readTimeouts = [&](const YAML::Node &v, const QString &k) {
        auto limit = [&](std::optional<double> &out) {
            return [&](const YAML::Node &tv, const QString &tk) {
                double seconds = 0;
                if (r.readNumber(tv, tk, seconds, positive)) {
                    out = seconds;
                }
            };
        };
        r.readMap(v, k,
                  {
                      {"connect_s", limit(overrides.connectS)},
                      {"first_token_s", limit(overrides.firstTokenS)},
                      {"idle_s", limit(overrides.idleS)},
                      {"total_s", limit(overrides.totalS)},
                  });
    };
    r.readMap(node, path,
              {
                  {"provider", readProvider},
                  {"endpoints", readEndpoints},
                  {"model", [&](auto &v, auto &k) { r.readString(v, k, llm.model); }},
                  {"api_key_env", readApiKeyEnv},
                  {"api_key", refuseApiKey},
                  {"think",
                   [&](auto &v, auto &k) {
                       bool think = false;
                       if (r.readBool(v, k, think)) {
                           overrides.think = think;
                       }
                   }},
                  {"allow_remote", [&](auto &v, auto &k) { r.readBool(v, k, llm.allowRemote); }},
                  {"timeouts", readTimeouts},
              });
    llm.model = llm.model.trimmed();
}

// llm.* overrides the original's ollama.* whatever their order in the file: applied once both
// blocks are read.
void applyLlmOverrides(const LlmOverrides &overrides, Config &config)
{
    OllamaConfig &ollama = config.ollama;
    if (!config.llm.model.isEmpty()) {
        ollama.model = config.llm.model;
    }
    ollama.think = overrides.think.value_or(ollama.think);
    ollama.connectTimeoutS = overrides.connectS.value_or(ollama.connectTimeoutS);
    ollama.firstTokenTimeoutS = overrides.firstTokenS.value_or(ollama.firstTokenTimeoutS);
    ollama.idleTimeoutS = overrides.idleS.value_or(ollama.idleTimeoutS);
    ollama.totalTimeoutS = overrides.totalS.value_or(ollama.totalTimeoutS);
}

void readSchedule(Reader &r, const YAML::Node &node, const QString &path, ScheduleConfig &schedule)
{
    auto readTimeZone = [&](const YAML::Node &v, const QString &k) {
        QString zone;
        if (!r.readString(v, k, zone)) {
            return;
        }
        zone = zone.trimmed();
        if (!zone.isEmpty() && !QTimeZone(zone.toUtf8()).isValid()) {
            r.expected(v, k, QStringLiteral("an IANA time zone name such as Europe/Berlin or UTC"));
            return;
        }
        schedule.timezone = zone;
    };
    const IntRange hours{0, 23};
    r.readMap(node, path,
              {
                  {"enabled", [&](auto &v, auto &k) { r.readBool(v, k, schedule.enabled); }},
                  {"min_commits_per_day",
                   [&](auto &v, auto &k) { r.readInt(v, k, schedule.minCommitsPerDay, {0}); }},
                  {"max_commits_per_day",
                   [&](auto &v, auto &k) { r.readInt(v, k, schedule.maxCommitsPerDay, {0}); }},
                  {"timezone", readTimeZone},
                  {"prefer_hours",
                   [&](auto &v, auto &k) { r.readIntList(v, k, schedule.preferHours, hours); }},
                  {"avoid_hours",
                   [&](auto &v, auto &k) { r.readIntList(v, k, schedule.avoidHours, hours); }},
                  {"weekend_reduction",
                   [&](auto &v, auto &k) {
                       r.readNumber(v, k, schedule.weekendReduction, {0.0, 1.0});
                   }},
                  {"min_gap_minutes",
                   [&](auto &v, auto &k) {
                       r.readInt(v, k, schedule.minGapMinutes, {0, 24 * 60});
                   }},
              });
}

void readAnalyzer(Reader &r, const YAML::Node &node, const QString &path, AnalyzerConfig &analyzer)
{
    auto readHeaderLanguage = [&](const YAML::Node &v, const QString &k) {
        r.readChoice(v, k, analyzer.headerLanguage,
                     {QStringLiteral("auto"), QStringLiteral("c"), QStringLiteral("cpp")});
    };
    r.readMap(
        node, path,
        {
            {"min_complexity",
             [&](auto &v, auto &k) { r.readNumber(v, k, analyzer.minComplexity, nonNegative); }},
            {"min_lines", [&](auto &v, auto &k) { r.readInt(v, k, analyzer.minLines, {0}); }},
            {"max_lines", [&](auto &v, auto &k) { r.readInt(v, k, analyzer.maxLines, {1}); }},
            {"include_patterns",
             [&](auto &v, auto &k) { r.readStringList(v, k, analyzer.includePatterns); }},
            {"exclude_patterns",
             [&](auto &v, auto &k) { r.readStringList(v, k, analyzer.excludePatterns); }},
            {"header_language", readHeaderLanguage},
            {"include_vendored",
             [&](auto &v, auto &k) { r.readBool(v, k, analyzer.includeVendored); }},
        });
}

void readTypeWeights(Reader &r, const YAML::Node &node, const QString &path,
                     DocumentationConfig &documentation)
{
    if (!node.IsDefined() || node.IsNull()) {
        return;
    }
    if (!node.IsMap()) {
        r.expected(node, path, QStringLiteral("a mapping of documentation type to weight"));
        return;
    }
    for (const auto &entry : node) {
        const QString name =
            entry.first.IsScalar() ? fromYaml(entry.first.Scalar()) : describe(entry.first);
        const QString key = childKey(path, name);
        auto known =
            std::find_if(documentation.typeWeights.begin(), documentation.typeWeights.end(),
                         [&](const auto &type) { return type.first == name; });
        if (known == documentation.typeWeights.end()) {
            r.error(entry.first, key,
                    QStringLiteral("unknown documentation type '%1'; valid types: %2")
                        .arg(name, documentationTypeNames(documentation)));
            continue;
        }
        r.readNumber(entry.second, key, known->second, nonNegative);
    }
    const bool anyPositive =
        std::any_of(documentation.typeWeights.begin(), documentation.typeWeights.end(),
                    [](const auto &type) { return type.second > 0; });
    if (!anyPositive) {
        r.error(node, path, QStringLiteral("expected at least one weight greater than 0"));
    }
}

void readDocumentation(Reader &r, const YAML::Node &node, const QString &path,
                       DocumentationConfig &documentation)
{
    r.readMap(
        node, path,
        {
            {"redocument_after_days",
             [&](auto &v, auto &k) { r.readInt(v, k, documentation.redocumentAfterDays, {0}); }},
            {"type_weights", [&](auto &v, auto &k) { readTypeWeights(r, v, k, documentation); }},
            {"max_source_lines",
             [&](auto &v, auto &k) { r.readInt(v, k, documentation.maxSourceLines, {10}); }},
            {"fact_check",
             [&](auto &v, auto &k) {
                 r.readChoice(v, k, documentation.factCheck,
                              {QStringLiteral("skip"), QStringLiteral("warn")});
             }},
        });
}

void readDaemon(Reader &r, const YAML::Node &node, const QString &path, DaemonConfig &daemon)
{
    r.readMap(node, path,
              {
                  {"deadman_minutes",
                   [&](auto &v, auto &k) {
                       r.readInt(v, k, daemon.deadmanMinutes, {0, 7 * 24 * 60});
                   }},
                  {"pause_cancels_generation",
                   [&](auto &v, auto &k) { r.readBool(v, k, daemon.pauseCancelsGeneration); }},
              });
}

void readLaptop(Reader &r, const YAML::Node &node, const QString &path, LaptopConfig &laptop)
{
    auto readQuietHours = [&](const YAML::Node &v, const QString &k) {
        QString text;
        if (!r.readString(v, k, text)) {
            return;
        }
        text = text.trimmed();
        if (text.isEmpty()) {
            laptop.quietStart = laptop.quietEnd = QTime();
            return;
        }
        const QStringList parts = text.split(QLatin1Char('-'));
        const QTime start = parts.size() == 2
                                ? QTime::fromString(parts[0].trimmed(), QStringLiteral("H:mm"))
                                : QTime();
        const QTime end = parts.size() == 2
                              ? QTime::fromString(parts[1].trimmed(), QStringLiteral("H:mm"))
                              : QTime();
        if (!start.isValid() || !end.isValid() || start == end) {
            r.expected(v, k,
                       QStringLiteral("a window of two different local times such as "
                                      "\"22:00-07:00\", or \"\" for none"));
            return;
        }
        laptop.quietStart = start;
        laptop.quietEnd = end;
    };
    r.readMap(node, path,
              {
                  {"pause_on_battery",
                   [&](auto &v, auto &k) { r.readBool(v, k, laptop.pauseOnBattery); }},
                  {"idle_minutes",
                   [&](auto &v, auto &k) {
                       r.readInt(v, k, laptop.idleMinutes, {0, 24 * 60});
                   }},
                  {"quiet_hours", readQuietHours},
              });
}

void readNotifications(Reader &r, const YAML::Node &node, const QString &path,
                       NotificationsConfig &notifications)
{
    r.readMap(
        node, path,
        {
            {"on_commit", [&](auto &v, auto &k) { r.readBool(v, k, notifications.onCommit); }},
            {"llm_down_minutes",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, notifications.llmDownMinutes, {0, 7 * 24 * 60});
             }},
            {"failures_in_a_row",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, notifications.failuresInARow, {0, 1000});
             }},
            {"push_failures",
             [&](auto &v, auto &k) { r.readBool(v, k, notifications.pushFailures); }},
            {"deadman", [&](auto &v, auto &k) { r.readBool(v, k, notifications.deadman); }},
        });
}

void readLog(Reader &r, const YAML::Node &node, const QString &path, LogConfig &log)
{
    r.readMap(
        node, path,
        {
            {"format",
             [&](auto &v, auto &k) {
                 r.readChoice(v, k, log.format, {QStringLiteral("text"), QStringLiteral("json")});
             }},
            {"max_size_kb",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, log.maxSizeKb, {16, 1024 * 1024});
             }},
            {"keep_files",
             [&](auto &v, auto &k) {
                 r.readInt(v, k, log.keepFiles, {0, 100});
             }},
        });
}

void readRepositories(Reader &r, const YAML::Node &node, const QString &key, const QString &dir,
                      QList<RepoConfig> &repositories)
{
    if (!node.IsDefined() || node.IsNull()) {
        return;
    }
    if (!node.IsSequence()) {
        r.expected(node, key, QStringLiteral("a list of repositories"));
        return;
    }
    QList<RepoConfig> result;
    QHash<QString, QString> names; // name -> key of the entry that took it
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const QString itemPath = itemKey(key, i);
        if (!item.IsMap()) {
            r.expected(item, itemPath,
                       QStringLiteral("a mapping with at least a path (name, path, weight, "
                                      "enabled, publish_source, include_patterns, "
                                      "exclude_patterns)"));
            continue;
        }
        RepoConfig repo;
        bool hasName = false;
        r.readMap(
            item, itemPath,
            {
                {"name", [&](auto &v, auto &k) { hasName = r.readString(v, k, repo.name, false); }},
                {"path", [&](auto &v, auto &k) { r.readString(v, k, repo.path); }},
                {"weight",
                 [&](auto &v, auto &k) {
                     r.readInt(v, k, repo.weight, {1, 10});
                 }},
                {"enabled", [&](auto &v, auto &k) { r.readBool(v, k, repo.enabled); }},
                {"publish_source", [&](auto &v, auto &k) { r.readBool(v, k, repo.publishSource); }},
                {"include_patterns",
                 [&](auto &v, auto &k) { r.readStringList(v, k, repo.includePatterns); }},
                {"exclude_patterns",
                 [&](auto &v, auto &k) { r.readStringList(v, k, repo.excludePatterns); }},
            });
        if (repo.path.trimmed().isEmpty()) {
            r.error(item, itemPath + QStringLiteral(".path"),
                    QStringLiteral("missing: every repository needs the path of its folder"));
            continue;
        }
        repo.path = expandUserPath(repo.path.trimmed(), dir);
        if (!hasName) {
            repo.name = QFileInfo(repo.path).fileName();
            if (repo.name.isEmpty()) {
                repo.name = repo.path;
            }
        }
        if (const QString other = names.value(repo.name); !other.isEmpty()) {
            r.error(hasName ? item[std::string("name")] : item, itemPath + QStringLiteral(".name"),
                    QStringLiteral("'%1' is already the name of %2; names must be unique")
                        .arg(repo.name, other));
            continue;
        }
        names.insert(repo.name, itemPath);
        result << repo;
    }
    repositories = result;
}

void readPrompts(Reader &r, const YAML::Node &root, PromptsConfig &prompts)
{
    auto readHints = [&](const YAML::Node &v, const QString &k) {
        if (!v.IsDefined() || v.IsNull()) {
            return;
        }
        if (!v.IsMap()) {
            r.expected(v, k, QStringLiteral("a mapping of language to text"));
            return;
        }
        for (const auto &entry : v) {
            const QString language =
                entry.first.IsScalar() ? fromYaml(entry.first.Scalar()) : describe(entry.first);
            QString hint;
            if (r.readString(entry.second, childKey(k, language), hint)) {
                prompts.languageHints.insert(language, hint);
            }
        }
    };
    auto readTypes = [&](const YAML::Node &v, const QString &k) {
        if (!v.IsDefined() || v.IsNull()) {
            return;
        }
        if (!v.IsMap()) {
            r.expected(v, k, QStringLiteral("a mapping of documentation type to prompts"));
            return;
        }
        for (const auto &entry : v) {
            const QString type =
                entry.first.IsScalar() ? fromYaml(entry.first.Scalar()) : describe(entry.first);
            const QString key = childKey(k, type);
            static const DocumentationConfig known;
            if (std::none_of(known.typeWeights.cbegin(), known.typeWeights.cend(),
                             [&type](const auto &w) { return w.first == type; })) {
                r.error(entry.first, key,
                        QStringLiteral("unknown documentation type '%1'; valid types: %2")
                            .arg(type, documentationTypeNames(known)));
                continue;
            }
            PromptsConfig::TypePrompts typePrompts;
            r.readMap(
                entry.second, key,
                {
                    {"system_prompt",
                     [&](auto &tv, auto &tk) { r.readString(tv, tk, typePrompts.systemPrompt); }},
                    {"template",
                     [&](auto &tv, auto &tk) { r.readString(tv, tk, typePrompts.templ); }},
                });
            prompts.types.insert(type, typePrompts);
        }
    };
    r.readMap(
        root, QString(),
        {
            {"style", [&](auto &v, auto &k) { r.readString(v, k, prompts.style); }},
            {"system_prompt", [&](auto &v, auto &k) { r.readString(v, k, prompts.systemPrompt); }},
            {"documentation_template",
             [&](auto &v, auto &k) { r.readString(v, k, prompts.documentationTemplate); }},
            {"commit_message_template",
             [&](auto &v, auto &k) { r.readString(v, k, prompts.commitMessageTemplate); }},
            {"language_hints", readHints},
            {"types", readTypes},
        });
}

// A lower bound that depends on another key: blame the key the file set last.
// The day planner's limits: a min_commits_per_day that cannot fit the allowed hours and gap
// is an error; a max that cannot is planned as far as it fits, with a warning.
void checkScheduleFits(Reader &r, const ScheduleConfig &schedule)
{
    if (!schedule.enabled || schedule.minCommitsPerDay > schedule.maxCommitsPerDay) {
        return;
    }
    const QString minKey = QStringLiteral("schedule.min_commits_per_day");
    if (const QString error = ScheduleLimits::checkFits(schedule); !error.isEmpty()) {
        const int at = r.lineOf(minKey);
        r.error(at > 0 ? at : r.lineOf(QStringLiteral("schedule")), minKey,
                error.section(QStringLiteral(": "), 1));
        return;
    }
    const int fit = ScheduleLimits::capacity(schedule);
    if (schedule.maxCommitsPerDay > fit) {
        const QString maxKey = QStringLiteral("schedule.max_commits_per_day");
        const int at = r.lineOf(maxKey);
        r.warningAt(at > 0 ? at : r.lineOf(QStringLiteral("schedule")),
                    QStringLiteral("key '%1': %2 runs a day do not fit the allowed hours %3 "
                                   "minutes apart (schedule.avoid_hours, "
                                   "schedule.min_gap_minutes): at most %4 are planned")
                        .arg(maxKey)
                        .arg(schedule.maxCommitsPerDay)
                        .arg(schedule.minGapMinutes)
                        .arg(fit));
    }
}

void checkOrder(Reader &r, const QString &minKey, int minValue, const QString &maxKey, int maxValue)
{
    if (minValue <= maxValue) {
        return;
    }
    const int minLine = r.lineOf(minKey);
    const int maxLine = r.lineOf(maxKey);
    const QString minName = minKey.section(QLatin1Char('.'), -1);
    const QString maxName = maxKey.section(QLatin1Char('.'), -1);
    if (maxLine >= minLine) {
        r.error(maxLine, maxKey,
                QStringLiteral("expected an integer of at least %1 (%2), got '%3'")
                    .arg(minValue)
                    .arg(minName)
                    .arg(maxValue));
    } else {
        r.error(minLine, minKey,
                QStringLiteral("expected an integer of at most %1 (%2), got '%3'")
                    .arg(maxValue)
                    .arg(maxName)
                    .arg(minValue));
    }
}

struct Source
{
    QString label;
    std::optional<QByteArray> text; // nullopt: the file does not exist
};

Result<LoadedConfig> loadSources(const QString &dir, const Source &configSource,
                                 const Source &reposSource, const Source &promptsSource)
{
    LoadedConfig loaded;
    Config &config = loaded.config;
    config.configDir = dir;
    config.configFile = dir.isEmpty() ? QString() : configSource.label;
    QStringList errors;
    QStringList &warnings = loaded.warnings;

    Reader configReader(configSource.label, errors, warnings);
    // Held in optionals: assigning to a bound YAML::Node would overwrite the node it refers to.
    std::optional<YAML::Node> inlineRepositories;
    if (const auto root = configReader.parse(configSource.text)) {
        Reader &r = configReader;
        LlmOverrides llmOverrides;
        auto notCarriedOver = [&](const YAML::Node &, const QString &k) {
            r.warning(r.currentKey(),
                      QStringLiteral("section '%1' is not carried over (ignored): the tray icon "
                                     "and desktop notifications replace it")
                          .arg(k));
        };
        r.readMap(
            *root, QString(),
            {
                {"debug", [&](auto &v, auto &k) { r.readBool(v, k, config.debug); }},
                {"data_dir", [&](auto &v, auto &k) { r.readString(v, k, config.dataDir); }},
                {"devlog", [&](auto &v, auto &k) { readDevLog(r, v, k, dir, config.devlog); }},
                {"ollama", [&](auto &v, auto &k) { readOllama(r, v, k, config.ollama); }},
                {"llm", [&](auto &v, auto &k) { readLlm(r, v, k, config.llm, llmOverrides); }},
                {"schedule", [&](auto &v, auto &k) { readSchedule(r, v, k, config.schedule); }},
                {"daemon", [&](auto &v, auto &k) { readDaemon(r, v, k, config.daemon); }},
                {"laptop", [&](auto &v, auto &k) { readLaptop(r, v, k, config.laptop); }},
                {"notifications",
                 [&](auto &v, auto &k) { readNotifications(r, v, k, config.notifications); }},
                {"log", [&](auto &v, auto &k) { readLog(r, v, k, config.log); }},
                {"analyzer", [&](auto &v, auto &k) { readAnalyzer(r, v, k, config.analyzer); }},
                {"documentation",
                 [&](auto &v, auto &k) { readDocumentation(r, v, k, config.documentation); }},
                {"repositories", [&](auto &v, auto &) { inlineRepositories.emplace(v); }},
                {"dashboard", notCarriedOver},
                {"telegram", notCarriedOver},
            });
        applyLlmOverrides(llmOverrides, config);
        checkOrder(r, QStringLiteral("schedule.min_commits_per_day"),
                   config.schedule.minCommitsPerDay, QStringLiteral("schedule.max_commits_per_day"),
                   config.schedule.maxCommitsPerDay);
        checkOrder(r, QStringLiteral("analyzer.min_lines"), config.analyzer.minLines,
                   QStringLiteral("analyzer.max_lines"), config.analyzer.maxLines);
        checkScheduleFits(r, config.schedule);
    }

    Reader reposReader(reposSource.label, errors, warnings);
    std::optional<YAML::Node> repositories;
    if (const auto root = reposReader.parse(reposSource.text)) {
        reposReader.readMap(*root, QString(),
                            {{"repositories", [&](auto &v, auto &) { repositories.emplace(v); }}});
    }
    const bool inReposFile = repositories && !repositories->IsNull();
    const bool inConfigFile = inlineRepositories && !inlineRepositories->IsNull();
    if (inReposFile && inConfigFile) {
        configReader.warning(*inlineRepositories,
                             QStringLiteral("key 'repositories' is also in %1, which is used; "
                                            "the list here is ignored")
                                 .arg(reposSource.label));
    }
    if (inReposFile) {
        readRepositories(reposReader, *repositories, QStringLiteral("repositories"), dir,
                         config.repositories);
    } else if (inConfigFile) {
        readRepositories(configReader, *inlineRepositories, QStringLiteral("repositories"), dir,
                         config.repositories);
    }

    Reader promptsReader(promptsSource.label, errors, warnings);
    if (const auto root = promptsReader.parse(promptsSource.text)) {
        readPrompts(promptsReader, *root, config.prompts);
    }

    if (!errors.isEmpty()) {
        return Result<LoadedConfig>::failure(errors.join(QLatin1Char('\n')));
    }
    return loaded;
}

QString fileLabel(const QString &dir, const QString &name)
{
    return dir.isEmpty() ? name : dir + QLatin1Char('/') + name;
}

// Reads a file that may be absent; an unreadable one is an error.
Result<std::optional<QByteArray>> readOptional(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        return std::optional<QByteArray>();
    }
    if (!info.isFile()) {
        return Result<std::optional<QByteArray>>::failure(
            QStringLiteral("%1: not a file").arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<std::optional<QByteArray>>::failure(
            QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    }
    return std::optional<QByteArray>(file.readAll());
}

// YAML text for a string: plain when that reads back as the same string, else double-quoted.
QString yamlString(const QString &value)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_/.][A-Za-z0-9_./@+-]*$"));
    static const QRegularExpression special(
        QStringLiteral("^(true|false|yes|no|on|off|null|y|n|~|\\.inf|\\.nan)$"),
        QRegularExpression::CaseInsensitiveOption);
    if (plain.match(value).hasMatch() && !special.match(value).hasMatch()) {
        return value;
    }
    QString quoted = QStringLiteral("\"");
    for (const QChar c : value) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\')) {
            quoted += QLatin1Char('\\') + c;
        } else if (c == QLatin1Char('\n')) {
            quoted += QStringLiteral("\\n");
        } else if (c == QLatin1Char('\t')) {
            quoted += QStringLiteral("\\t");
        } else if (c.unicode() < 0x20) {
            quoted += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        } else {
            quoted += c;
        }
    }
    return quoted + QLatin1Char('"');
}

QString yamlNumber(double value)
{
    return QString::number(value, 'g', 15);
}

QString yamlBool(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

QString yamlIntList(const QList<int> &values)
{
    QStringList items;
    for (int value : values) {
        items << QString::number(value);
    }
    return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// Collects "key: value" lines, each under a one-line comment.
class YamlText
{
public:
    void comment(const QString &text, int indent = 0)
    {
        m_text +=
            QString(indent, QLatin1Char(' ')) + QStringLiteral("# ") + text + QLatin1Char('\n');
    }
    void blank() { m_text += QLatin1Char('\n'); }
    void section(const QString &key) { m_text += key + QStringLiteral(":\n"); }
    void value(const QString &key, const QString &value, const QString &comment, int indent = 2)
    {
        this->comment(comment, indent);
        line(key + QStringLiteral(": ") + value, indent);
    }
    void stringList(const QString &key, const QStringList &values, const QString &comment,
                    int indent = 2)
    {
        this->comment(comment, indent);
        if (values.isEmpty()) {
            line(key + QStringLiteral(": []"), indent);
            return;
        }
        line(key + QLatin1Char(':'), indent);
        for (const QString &item : values) {
            line(QStringLiteral("  - ") + yamlString(item), indent);
        }
    }
    void line(const QString &text, int indent = 0)
    {
        m_text += QString(indent, QLatin1Char(' ')) + text + QLatin1Char('\n');
    }
    QByteArray toUtf8() const { return m_text.toUtf8(); }

private:
    QString m_text;
};

QByteArray defaultConfigYaml()
{
    const Config d;
    YamlText y;
    y.comment(QStringLiteral("CodeWorm configuration. Every value below is the default; a key that "
                             "is missing or empty"));
    y.comment(QStringLiteral("keeps its default. Repositories are listed in repos.yaml; prompt "
                             "overrides go in prompts.yaml."));
    y.blank();
    y.value(QStringLiteral("debug"), yamlBool(d.debug), QStringLiteral("Log debug messages too."),
            0);
    y.value(QStringLiteral("data_dir"), yamlString(d.dataDir),
            QStringLiteral("Folder for the database, the log and the lock file; empty = "
                           "$XDG_STATE_HOME/codeworm."),
            0);
    y.blank();

    y.comment(QStringLiteral("The git repository the documentation is committed to."));
    y.section(QStringLiteral("devlog"));
    y.value(QStringLiteral("repo_path"), yamlString(d.devlog.repoPath),
            QStringLiteral("Its folder; empty = $XDG_DATA_HOME/codeworm/devlog."));
    y.value(QStringLiteral("remote"), yamlString(d.devlog.remote),
            QStringLiteral("Remote to push to after each commit: the name of a remote of the "
                           "DevLog, or a URL or path (added as origin); empty = no push."));
    y.value(QStringLiteral("branch"), yamlString(d.devlog.branch),
            QStringLiteral("Branch the commits go to."));
    y.value(QStringLiteral("author_name"), yamlString(d.devlog.authorName),
            QStringLiteral("Commit author; empty = user.name of your git config, else "
                           "\"CodeWorm\"."));
    y.value(QStringLiteral("author_email"), yamlString(d.devlog.authorEmail),
            QStringLiteral("Commit author e-mail; empty = user.email of your git config."));
    y.value(QStringLiteral("ssh_key"), yamlString(d.devlog.sshKey),
            QStringLiteral("SSH private key for the push, tried after ssh-agent; empty = "
                           "~/.ssh/id_ed25519, id_ecdsa or id_rsa."));
    y.value(QStringLiteral("ssh_passphrase_env"), yamlString(d.devlog.sshPassphraseEnv),
            QStringLiteral("Name of the environment variable holding that key's passphrase."));
    y.value(QStringLiteral("token_env"), yamlString(d.devlog.tokenEnv),
            QStringLiteral("Name of the environment variable holding an HTTPS token; without "
                           "it your git credential helper is asked."));
    y.value(QStringLiteral("push_tries"), QString::number(d.devlog.pushTries),
            QStringLiteral("Tries per push on a network error (2 s, 4 s, ... apart)."));
    y.value(QStringLiteral("push_retry_s"), yamlNumber(d.devlog.pushRetryS),
            QStringLiteral("While the remote cannot be reached, commits wait: first wait before "
                           "the next try (doubling)."));
    y.value(QStringLiteral("push_retry_max_s"), yamlNumber(d.devlog.pushRetryMaxS),
            QStringLiteral("The longest wait between two tries."));
    y.value(QStringLiteral("push_timeout_s"), yamlNumber(d.devlog.pushTimeoutS),
            QStringLiteral("A push that hears nothing from the remote this long is given up on "
                           "and tried again later; 0 = no limit."));
    y.blank();

    y.comment(QStringLiteral("The local Ollama server that writes the documentation."));
    y.section(QStringLiteral("ollama"));
    y.value(QStringLiteral("host"), yamlString(d.ollama.host),
            QStringLiteral("Host name, or a URL such as http://box or https://box:8443."));
    y.value(QStringLiteral("port"), QString::number(d.ollama.port),
            QStringLiteral("Port, unless host names one."));
    y.value(QStringLiteral("model"), yamlString(d.ollama.model),
            QStringLiteral("Model to generate with (ollama pull <model>)."));
    y.value(QStringLiteral("temperature"), yamlNumber(d.ollama.temperature),
            QStringLiteral("0..2: higher is more inventive, lower more literal."));
    y.value(QStringLiteral("num_ctx"), QString::number(d.ollama.numCtx),
            QStringLiteral("Context window in tokens."));
    y.value(QStringLiteral("num_predict"), QString::number(d.ollama.numPredict),
            QStringLiteral("Most tokens per answer; -1 = no limit."));
    y.value(QStringLiteral("keep_alive"), yamlString(d.ollama.keepAlive),
            QStringLiteral("How long the model stays loaded: seconds (-1 = always) or a "
                           "duration such as 10m."));
    y.value(QStringLiteral("api"), d.ollama.api,
            QStringLiteral("Endpoint: generate (/api/generate) or chat (/api/chat)."));
    y.value(QStringLiteral("think"), yamlBool(d.ollama.think),
            QStringLiteral("true = thinking models reason first (the reasoning is never "
                           "written)."));
    y.value(QStringLiteral("auto_pull"), yamlBool(d.ollama.autoPull),
            QStringLiteral("true = download a missing model (ollama pull) by itself."));
    y.value(QStringLiteral("start_local"), yamlBool(d.ollama.startLocal),
            QStringLiteral("true = run `ollama serve` when nothing listens on a local host "
                           "(stopped on exit)."));
    y.comment(QStringLiteral("Time limits in seconds: to connect, to the first token, between "
                             "two tokens, for a whole generation."),
              2);
    y.line(QStringLiteral("timeouts:"), 2);
    y.line(QStringLiteral("connect_s: ") + yamlNumber(d.ollama.connectTimeoutS), 4);
    y.line(QStringLiteral("first_token_s: ") + yamlNumber(d.ollama.firstTokenTimeoutS), 4);
    y.line(QStringLiteral("idle_s: ") + yamlNumber(d.ollama.idleTimeoutS), 4);
    y.line(QStringLiteral("total_s: ") + yamlNumber(d.ollama.totalTimeoutS), 4);
    y.value(QStringLiteral("retries"), QString::number(d.ollama.retries),
            QStringLiteral("Tries per request on connection errors, time-outs and server "
                           "errors."));
    y.value(QStringLiteral("retry_delay_s"), yamlNumber(d.ollama.retryDelayS),
            QStringLiteral("First wait between tries; it doubles (with jitter) per try."));
    y.value(QStringLiteral("retry_max_delay_s"), yamlNumber(d.ollama.retryMaxDelayS),
            QStringLiteral("The longest wait between tries."));
    y.blank();

    y.comment(QStringLiteral("Which LLM server to use. Its keys override the ollama section's; "
                             "sampling, keep_alive"));
    y.comment(QStringLiteral("and retries stay there for both providers."));
    y.section(QStringLiteral("llm"));
    y.value(QStringLiteral("provider"), yamlString(d.llm.provider),
            QStringLiteral("ollama (its own API) or openai (an OpenAI-compatible server such as "
                           "llama.cpp's llama-server, LM Studio or vLLM)."));
    y.stringList(QStringLiteral("endpoints"), d.llm.endpoints,
                 QStringLiteral("Server URLs, such as http://localhost:8080; the first healthy "
                                "one is used. Empty = ollama.host and ollama.port."));
    y.value(QStringLiteral("model"), yamlString(d.llm.model),
            QStringLiteral("Model to generate with; empty = ollama.model."));
    y.value(QStringLiteral("api_key_env"), yamlString(d.llm.apiKeyEnv),
            QStringLiteral("Name of the environment variable holding an API key (sent as "
                           "Authorization: Bearer); never put the key itself here."));
    y.value(QStringLiteral("allow_remote"), yamlBool(d.llm.allowRemote),
            QStringLiteral("true = allow endpoints on other machines: your source code is sent "
                           "to them."));
    y.comment(QStringLiteral("Also: think (true/false, default ollama.think) and timeouts "
                             "(seconds, default the ollama"),
              2);
    y.comment(QStringLiteral("section's): {connect_s: 10, first_token_s: 300, idle_s: 60, "
                             "total_s: 600}."),
              2);
    y.blank();

    y.comment(QStringLiteral("When to write: a few commits a day at human-looking times."));
    y.section(QStringLiteral("schedule"));
    y.value(QStringLiteral("enabled"), yamlBool(d.schedule.enabled),
            QStringLiteral("false = no scheduled runs (codeworm run-once still works)."));
    y.value(QStringLiteral("min_commits_per_day"), QString::number(d.schedule.minCommitsPerDay),
            QStringLiteral("Fewest commits on a weekday."));
    y.value(QStringLiteral("max_commits_per_day"), QString::number(d.schedule.maxCommitsPerDay),
            QStringLiteral("Most commits on a weekday."));
    y.value(QStringLiteral("timezone"), yamlString(d.schedule.timezone),
            QStringLiteral("IANA time zone such as Europe/Berlin; empty = the system's."));
    y.value(QStringLiteral("prefer_hours"), yamlIntList(d.schedule.preferHours),
            QStringLiteral("Hours (0..23) to favour, such as [9, 10, 14]."));
    y.value(QStringLiteral("avoid_hours"), yamlIntList(d.schedule.avoidHours),
            QStringLiteral("Hours (0..23) never to commit in."));
    y.value(QStringLiteral("weekend_reduction"), yamlNumber(d.schedule.weekendReduction),
            QStringLiteral("0..1: share of the weekday commits made on Saturday and Sunday."));
    y.value(QStringLiteral("min_gap_minutes"), QString::number(d.schedule.minGapMinutes),
            QStringLiteral("Least minutes between two commits."));
    y.blank();

    y.comment(QStringLiteral("How the running CodeWorm behaves around its cycles."));
    y.section(QStringLiteral("daemon"));
    y.value(QStringLiteral("deadman_minutes"), QString::number(d.daemon.deadmanMinutes),
            QStringLiteral("Alert when a planned run is this many minutes late with no success "
                           "since; 0 = never."));
    y.value(QStringLiteral("pause_cancels_generation"), yamlBool(d.daemon.pauseCancelsGeneration),
            QStringLiteral("true = pausing stops a document being written; false = it is "
                           "finished first."));
    y.blank();

    y.comment(QStringLiteral("Laptop manners: when planned runs wait (each off by default)."));
    y.section(QStringLiteral("laptop"));
    y.value(QStringLiteral("pause_on_battery"), yamlBool(d.laptop.pauseOnBattery),
            QStringLiteral("true = no runs while the computer runs on its battery."));
    y.value(QStringLiteral("idle_minutes"), QString::number(d.laptop.idleMinutes),
            QStringLiteral("Run only when the desktop session has been idle this many minutes; "
                           "0 = any time."));
    y.value(QStringLiteral("quiet_hours"), yamlString(QString()),
            QStringLiteral("No runs in this local window, such as \"22:00-07:00\"; \"\" = "
                           "none."));
    y.blank();

    y.comment(QStringLiteral("Desktop notifications (the log when no notification service "
                             "runs); 0 = off."));
    y.section(QStringLiteral("notifications"));
    y.value(QStringLiteral("on_commit"), yamlBool(d.notifications.onCommit),
            QStringLiteral("Notify each committed document, with an Open action."));
    y.value(QStringLiteral("llm_down_minutes"), QString::number(d.notifications.llmDownMinutes),
            QStringLiteral("Alert when the LLM has been unreachable this many minutes."));
    y.value(QStringLiteral("failures_in_a_row"), QString::number(d.notifications.failuresInARow),
            QStringLiteral("Alert after this many failed cycles in a row."));
    y.value(QStringLiteral("push_failures"), yamlBool(d.notifications.pushFailures),
            QStringLiteral("Alert when pushing the DevLog fails."));
    y.value(QStringLiteral("deadman"), yamlBool(d.notifications.deadman),
            QStringLiteral("Alert when the dead-man's switch (daemon.deadman_minutes) fires."));
    y.blank();

    y.comment(QStringLiteral("The log file, codeworm.log in the state folder."));
    y.section(QStringLiteral("log"));
    y.value(QStringLiteral("format"), yamlString(d.log.format),
            QStringLiteral("text, or json: one object per line for log collectors."));
    y.value(QStringLiteral("max_size_kb"), QString::number(d.log.maxSizeKb),
            QStringLiteral("Size at which the file is renamed to codeworm.log.1 and a new one "
                           "begun."));
    y.value(QStringLiteral("keep_files"), QString::number(d.log.keepFiles),
            QStringLiteral("How many renamed files are kept."));
    y.blank();

    y.comment(QStringLiteral("Which code is worth documenting."));
    y.section(QStringLiteral("analyzer"));
    y.value(QStringLiteral("min_complexity"), yamlNumber(d.analyzer.minComplexity),
            QStringLiteral("Least cyclomatic complexity of a function."));
    y.value(QStringLiteral("min_lines"), QString::number(d.analyzer.minLines),
            QStringLiteral("Fewest lines of a function."));
    y.value(QStringLiteral("max_lines"), QString::number(d.analyzer.maxLines),
            QStringLiteral("Most lines of a function."));
    y.stringList(QStringLiteral("include_patterns"), d.analyzer.includePatterns,
                 QStringLiteral("Only files matching these globs, such as \"**/*.py\"; empty = "
                                "every supported file."));
    y.stringList(QStringLiteral("exclude_patterns"), d.analyzer.excludePatterns,
                 QStringLiteral("Never files matching these globs (.gitignore, hidden paths and "
                                "submodules are always left out)."));
    y.value(QStringLiteral("header_language"), yamlString(d.analyzer.headerLanguage),
            QStringLiteral("Language of .h files: auto (C++ when the content shows C++, else "
                           "C), c or cpp."));
    y.value(QStringLiteral("include_vendored"), yamlBool(d.analyzer.includeVendored),
            QStringLiteral("true = also read vendor/, third_party/ and node_modules/ folders."));
    y.blank();

    y.comment(QStringLiteral("What kind of documentation to write."));
    y.section(QStringLiteral("documentation"));
    y.value(QStringLiteral("redocument_after_days"),
            QString::number(d.documentation.redocumentAfterDays),
            QStringLiteral("Days before the same code may be documented again."));
    y.value(QStringLiteral("max_source_lines"), QString::number(d.documentation.maxSourceLines),
            QStringLiteral("Source lines shown to the model and in the document (cut at a line, "
                           "with a comment saying how many were left out)."));
    y.value(QStringLiteral("fact_check"), yamlString(d.documentation.factCheck),
            QStringLiteral("When the model names code that does not exist (after one retry): "
                           "skip the target, or warn (commit with a visible warning)."));
    y.comment(QStringLiteral("How often each kind is drawn, relative to the others; 0 = never."),
              2);
    y.line(QStringLiteral("type_weights:"), 2);
    for (const auto &[type, weight] : d.documentation.typeWeights) {
        y.line(type + QStringLiteral(": ") + yamlNumber(weight), 4);
    }
    return y.toUtf8();
}

QByteArray reposYaml(const QStringList &repoPaths)
{
    YamlText y;
    y.comment(QStringLiteral("The repositories CodeWorm documents. Each entry: name (shown in the "
                             "DevLog; defaults to"));
    y.comment(QStringLiteral("the folder name), path (~ and paths relative to this folder work), "
                             "weight (1..10: how"));
    y.comment(QStringLiteral("often it is picked, relative to the others), enabled, publish_source "
                             "(false: the DevLog"));
    y.comment(QStringLiteral("gets the documentation but never the source code), include_patterns "
                             "and"));
    y.comment(QStringLiteral("exclude_patterns (globs added to the analyzer's for this repository "
                             "only)."));
    if (repoPaths.isEmpty()) {
        y.line(QStringLiteral("repositories: []"));
        y.comment(QStringLiteral("To add a repository, delete \"[]\" above and the \"#\" at the "
                                 "start of these lines:"));
        y.line(QStringLiteral("#  - name: my-project"));
        y.line(QStringLiteral("#    path: ~/src/my-project"));
        y.line(QStringLiteral("#    weight: 5"));
        y.line(QStringLiteral("#    enabled: true"));
        y.line(QStringLiteral("#    publish_source: true"));
        return y.toUtf8();
    }
    y.line(QStringLiteral("repositories:"));
    QSet<QString> names;
    for (const QString &repoPath : repoPaths) {
        const QString path = expandUserPath(repoPath);
        QString base = QFileInfo(path).fileName();
        if (base.isEmpty()) {
            base = path;
        }
        QString name = base;
        for (int n = 2; names.contains(name); ++n) {
            name = base + QLatin1Char('-') + QString::number(n);
        }
        names.insert(name);
        const RepoConfig repo;
        y.line(QStringLiteral("  - name: ") + yamlString(name));
        y.line(QStringLiteral("    path: ") + yamlString(path));
        y.line(QStringLiteral("    weight: ") + QString::number(repo.weight));
        y.line(QStringLiteral("    enabled: ") + yamlBool(repo.enabled));
        y.line(QStringLiteral("    publish_source: ") + yamlBool(repo.publishSource));
    }
    return y.toUtf8();
}

Status writeNewFile(QSaveFile &file, const QByteArray &content)
{
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(
            QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    }
    file.write(content);
    if (!file.commit()) {
        return Status::failure(
            QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    }
    return {};
}

} // namespace

QString ConfigLocation::reposFile() const
{
    return dir + QStringLiteral("/repos.yaml");
}

QString ConfigLocation::promptsFile() const
{
    return dir + QStringLiteral("/prompts.yaml");
}

ConfigLocation ConfigLocation::resolve(const QString &commandLineValue)
{
    QString value = commandLineValue;
    if (value.isEmpty()) {
        value = qEnvironmentVariable("CODEWORM_CONFIG");
    }
    ConfigLocation location;
    if (value.isEmpty()) {
        location.dir = xdgConfigHome() + QStringLiteral("/codeworm");
        location.configFile = location.dir + QStringLiteral("/config.yaml");
        return location;
    }
    const QString path = expandUserPath(value);
    const QFileInfo info(path);
    // A path that does not exist yet names a file when it looks like one.
    const bool isFile = info.exists() ? !info.isDir()
                                      : (path.endsWith(QLatin1String(".yaml")) ||
                                         path.endsWith(QLatin1String(".yml")));
    if (isFile) {
        location.dir = info.absolutePath();
        location.configFile = path;
    } else {
        location.dir = path;
        location.configFile = path + QStringLiteral("/config.yaml");
    }
    return location;
}

Result<LoadedConfig> ConfigLoader::load(const ConfigLocation &location)
{
    const QString paths[] = {location.configFile, location.reposFile(), location.promptsFile()};
    std::optional<QByteArray> texts[3];
    for (int i = 0; i < 3; ++i) {
        auto text = readOptional(paths[i]);
        if (!text) {
            return Result<LoadedConfig>::failure(text.error());
        }
        texts[i] = text.value();
    }
    return loadSources(location.dir, {paths[0], texts[0]}, {paths[1], texts[1]},
                       {paths[2], texts[2]});
}

Result<LoadedConfig> ConfigLoader::loadFromStrings(const QString &configYaml,
                                                   const QString &reposYaml,
                                                   const QString &promptsYaml, const QString &dir)
{
    return loadSources(dir, {fileLabel(dir, QStringLiteral("config.yaml")), configYaml.toUtf8()},
                       {fileLabel(dir, QStringLiteral("repos.yaml")), reposYaml.toUtf8()},
                       {fileLabel(dir, QStringLiteral("prompts.yaml")), promptsYaml.toUtf8()});
}

Status ConfigLoader::writeDefaults(const ConfigLocation &location, const QStringList &repoPaths)
{
    for (const QString &path : {location.configFile, location.reposFile()}) {
        if (QFileInfo::exists(path)) {
            return Status::failure(
                QStringLiteral("%1 already exists; not overwriting it").arg(path));
        }
    }
    if (!QDir().mkpath(location.dir)) {
        return Status::failure(QStringLiteral("cannot create the folder %1").arg(location.dir));
    }
    QSaveFile config(location.configFile);
    if (Status written = writeNewFile(config, defaultConfigYaml()); !written) {
        return written;
    }
    QSaveFile repos(location.reposFile());
    if (Status written = writeNewFile(repos, reposYaml(repoPaths)); !written) {
        // Leave no half-written configuration behind: the next try must not be refused.
        QFile::remove(location.configFile);
        return written;
    }
    return {};
}

} // namespace codeworm
