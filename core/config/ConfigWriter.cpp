#include "config/ConfigWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>

namespace codeworm {

namespace {

std::string toYaml(const QString &text)
{
    return text.toStdString();
}

// Numbers go in as text: yaml-cpp prints doubles with max_digits10 (0.3 as 0.29999...).
std::string number(double value)
{
    return QString::number(value, 'g', 15).toStdString();
}

std::string boolean(bool value)
{
    return value ? "true" : "false";
}

YAML::Node intList(const QList<int> &values)
{
    YAML::Node list(YAML::NodeType::Sequence);
    for (int value : values) {
        list.push_back(value);
    }
    list.SetStyle(YAML::EmitterStyle::Flow);
    return list;
}

YAML::Node stringList(const QStringList &values)
{
    YAML::Node list(YAML::NodeType::Sequence);
    for (const QString &value : values) {
        list.push_back(toYaml(value));
    }
    return list;
}

// The type queries throw on a missing key's node (a const lookup's "zombie"): ask first.
bool isMap(const YAML::Node &node)
{
    return node.IsDefined() && node.IsMap();
}

// root[key] as a mapping, created (or replacing a null) when needed.
YAML::Node section(YAML::Node root, const char *key)
{
    if (!isMap(root[key])) {
        root[key] = YAML::Node(YAML::NodeType::Map);
    }
    return root[key];
}

bool hasMap(const YAML::Node &root, const char *key)
{
    return isMap(root) && isMap(root[key]);
}

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        return QByteArray();
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<QByteArray>::failure(
            QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    }
    return file.readAll();
}

Result<YAML::Node> parseMap(const QByteArray &text, const QString &label)
{
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return Result<YAML::Node>::failure(QStringLiteral("%1:%2: %3")
                                               .arg(label)
                                               .arg(e.mark.line + 1)
                                               .arg(QString::fromStdString(e.msg)));
    }
    if (!root.IsDefined() || root.IsNull()) {
        return YAML::Node(YAML::NodeType::Map);
    }
    if (!root.IsMap()) {
        return Result<YAML::Node>::failure(
            QStringLiteral("%1: expected a mapping of keys at the top").arg(label));
    }
    return root;
}

QByteArray emitYaml(const YAML::Node &root)
{
    YAML::Emitter out;
    out << root;
    QByteArray text(out.c_str(), qsizetype(out.size()));
    if (!text.endsWith('\n')) {
        text += '\n';
    }
    return text;
}

// "~/code/x" for a folder in the home folder: the form people write by hand.
QString homeRelative(const QString &path)
{
    const QString home = QDir::homePath();
    if (path.startsWith(home + QLatin1Char('/'))) {
        return QStringLiteral("~") + path.mid(home.size());
    }
    return path;
}

void writeDevLog(YAML::Node root, const DevLogConfig &before, const DevLogConfig &after)
{
    if (before.repoPath == after.repoPath && before.remote == after.remote &&
        before.branch == after.branch) {
        return;
    }
    YAML::Node devlog = section(root, "devlog");
    if (before.repoPath != after.repoPath) {
        devlog["repo_path"] = toYaml(after.repoPath);
    }
    if (before.remote != after.remote) {
        devlog["remote"] = toYaml(after.remote);
    }
    if (before.branch != after.branch) {
        devlog["branch"] = toYaml(after.branch);
    }
}

// The original's ollama.host and ollama.port for an endpoint URL.
void writeOllamaEndpoint(YAML::Node ollama, const QString &endpoint)
{
    QString spec = endpoint.trimmed();
    if (!spec.contains(QLatin1String("://"))) {
        spec.prepend(QStringLiteral("http://"));
    }
    const QUrl url(spec);
    const bool https = url.scheme() == QLatin1String("https");
    const QString path = url.path() == QLatin1String("/") ? QString() : url.path();
    // A plain host keeps the original's spelling; a scheme or a path must stay in ollama.host.
    const QString host = !https && path.isEmpty()
                             ? url.host()
                             : url.scheme() + QStringLiteral("://") + url.host() + path;
    ollama["host"] = toYaml(host);
    ollama["port"] = url.port(https ? 443 : 80);
}

void writeLlm(YAML::Node root, const Config &before, const Config &after)
{
    const bool endpointsChanged = before.llm.endpoints != after.llm.endpoints;
    const bool modelChanged = before.ollama.model != after.ollama.model;
    const bool providerChanged = before.llm.provider != after.llm.provider;
    const bool remoteChanged = before.llm.allowRemote != after.llm.allowRemote;
    const bool keyChanged = before.llm.apiKeyEnv != after.llm.apiKeyEnv;
    if (!endpointsChanged && !modelChanged && !providerChanged && !remoteChanged && !keyChanged) {
        return;
    }
    // A file of the original (ollama: only) stays one unless a key only llm: has is needed.
    const bool useLlm = hasMap(root, "llm") || providerChanged || remoteChanged || keyChanged ||
                        after.llm.endpoints.size() > 1;
    if (!useLlm) {
        YAML::Node ollama = section(root, "ollama");
        if (endpointsChanged && !after.llm.endpoints.isEmpty()) {
            writeOllamaEndpoint(ollama, after.llm.endpoints.constFirst());
        }
        if (modelChanged) {
            ollama["model"] = toYaml(after.ollama.model);
        }
        return;
    }
    YAML::Node llm = section(root, "llm");
    if (providerChanged) {
        llm["provider"] = toYaml(after.llm.provider);
    }
    if (endpointsChanged) {
        if (after.llm.endpoints.isEmpty()) {
            llm.remove("endpoints");
        } else {
            llm["endpoints"] = stringList(after.llm.endpoints);
        }
    }
    if (modelChanged) {
        llm["model"] = toYaml(after.ollama.model);
    }
    if (remoteChanged) {
        llm["allow_remote"] = boolean(after.llm.allowRemote);
    }
    if (keyChanged) {
        llm["api_key_env"] = toYaml(after.llm.apiKeyEnv);
    }
}

void writeSchedule(YAML::Node root, const ScheduleConfig &before, const ScheduleConfig &after)
{
    if (before == after) {
        return;
    }
    YAML::Node schedule = section(root, "schedule");
    if (before.enabled != after.enabled) {
        schedule["enabled"] = boolean(after.enabled);
    }
    if (before.minCommitsPerDay != after.minCommitsPerDay) {
        schedule["min_commits_per_day"] = after.minCommitsPerDay;
    }
    if (before.maxCommitsPerDay != after.maxCommitsPerDay) {
        schedule["max_commits_per_day"] = after.maxCommitsPerDay;
    }
    if (before.timezone != after.timezone) {
        schedule["timezone"] = toYaml(after.timezone);
    }
    if (before.preferHours != after.preferHours) {
        schedule["prefer_hours"] = intList(after.preferHours);
    }
    if (before.avoidHours != after.avoidHours) {
        schedule["avoid_hours"] = intList(after.avoidHours);
    }
    if (before.weekendReduction != after.weekendReduction) {
        schedule["weekend_reduction"] = number(after.weekendReduction);
    }
    if (before.minGapMinutes != after.minGapMinutes) {
        schedule["min_gap_minutes"] = after.minGapMinutes;
    }
}

void writeDaemon(YAML::Node root, const DaemonConfig &before, const DaemonConfig &after)
{
    if (before.deadmanMinutes != after.deadmanMinutes) {
        section(root, "daemon")["deadman_minutes"] = after.deadmanMinutes;
    }
}

void writeNotifications(YAML::Node root, const NotificationsConfig &before,
                        const NotificationsConfig &after)
{
    if (before == after) {
        return;
    }
    YAML::Node notifications = section(root, "notifications");
    if (before.onCommit != after.onCommit) {
        notifications["on_commit"] = boolean(after.onCommit);
    }
    if (before.llmDownMinutes != after.llmDownMinutes) {
        notifications["llm_down_minutes"] = after.llmDownMinutes;
    }
    if (before.failuresInARow != after.failuresInARow) {
        notifications["failures_in_a_row"] = after.failuresInARow;
    }
    if (before.pushFailures != after.pushFailures) {
        notifications["push_failures"] = boolean(after.pushFailures);
    }
    if (before.deadman != after.deadman) {
        notifications["deadman"] = boolean(after.deadman);
    }
}

QString quietHours(const LaptopConfig &laptop)
{
    if (!laptop.hasQuietHours()) {
        return QString();
    }
    return laptop.quietStart.toString(QStringLiteral("HH:mm")) + QLatin1Char('-') +
           laptop.quietEnd.toString(QStringLiteral("HH:mm"));
}

void writeLaptop(YAML::Node root, const LaptopConfig &before, const LaptopConfig &after)
{
    if (before == after) {
        return;
    }
    YAML::Node laptop = section(root, "laptop");
    if (before.pauseOnBattery != after.pauseOnBattery) {
        laptop["pause_on_battery"] = boolean(after.pauseOnBattery);
    }
    if (before.idleMinutes != after.idleMinutes) {
        laptop["idle_minutes"] = after.idleMinutes;
    }
    if (quietHours(before) != quietHours(after)) {
        laptop["quiet_hours"] = toYaml(quietHours(after));
    }
}

// The new repositories list: entries of the old one (found by path) keep their unknown keys
// and their way of writing the path; only the changed values are set.
YAML::Node repositoryList(const YAML::Node &old, const QString &dir,
                          const QList<RepoConfig> &before, const QList<RepoConfig> &after)
{
    QList<YAML::Node> entries;
    QStringList entryPaths;
    if (old.IsDefined() && old.IsSequence()) {
        for (const YAML::Node &item : old) {
            if (!isMap(item) || !item["path"].IsDefined() || !item["path"].IsScalar()) {
                continue;
            }
            entries << item;
            entryPaths << expandUserPath(QString::fromStdString(item["path"].Scalar()).trimmed(),
                                         dir);
        }
    }
    YAML::Node list(YAML::NodeType::Sequence);
    for (const RepoConfig &repo : after) {
        const qsizetype at = entryPaths.indexOf(repo.path);
        if (at < 0) {
            YAML::Node item(YAML::NodeType::Map);
            item["name"] = toYaml(repo.name);
            item["path"] = toYaml(homeRelative(repo.path));
            item["weight"] = repo.weight;
            item["enabled"] = boolean(repo.enabled);
            item["publish_source"] = boolean(repo.publishSource);
            if (!repo.includePatterns.isEmpty()) {
                item["include_patterns"] = stringList(repo.includePatterns);
            }
            if (!repo.excludePatterns.isEmpty()) {
                item["exclude_patterns"] = stringList(repo.excludePatterns);
            }
            list.push_back(item);
            continue;
        }
        // Taken: a second entry with the same path is matched to the next one.
        entryPaths[at] = QString();
        YAML::Node item = entries.at(at);
        const auto was = std::find_if(before.cbegin(), before.cend(),
                                      [&](const RepoConfig &r) { return r.path == repo.path; });
        const RepoConfig previous = was != before.cend() ? *was : RepoConfig();
        if (previous.name != repo.name) {
            item["name"] = toYaml(repo.name);
        }
        if (previous.weight != repo.weight) {
            item["weight"] = repo.weight;
        }
        if (previous.enabled != repo.enabled) {
            item["enabled"] = boolean(repo.enabled);
        }
        if (previous.publishSource != repo.publishSource) {
            item["publish_source"] = boolean(repo.publishSource);
        }
        if (previous.includePatterns != repo.includePatterns) {
            item["include_patterns"] = stringList(repo.includePatterns);
        }
        if (previous.excludePatterns != repo.excludePatterns) {
            item["exclude_patterns"] = stringList(repo.excludePatterns);
        }
        list.push_back(item);
    }
    return list;
}

bool hasList(const YAML::Node &root)
{
    return isMap(root) && root["repositories"].IsDefined() && !root["repositories"].IsNull();
}

Status saveFile(const QString &path, const QByteArray &text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

} // namespace

Result<ConfigTexts> ConfigWriter::render(const ConfigLocation &location, const Config &original,
                                         const Config &edited)
{
    const QString reposPath = location.reposFile();
    auto configText = readFile(location.configFile);
    auto reposText = readFile(reposPath);
    auto promptsText = readFile(location.promptsFile());
    for (const auto *text : {&configText, &reposText, &promptsText}) {
        if (!*text) {
            return Result<ConfigTexts>::failure(text->error());
        }
    }
    auto configRoot = parseMap(configText.value(), location.configFile);
    if (!configRoot) {
        return Result<ConfigTexts>::failure(configRoot.error());
    }
    auto reposRoot = parseMap(reposText.value(), reposPath);
    if (!reposRoot) {
        return Result<ConfigTexts>::failure(reposRoot.error());
    }
    YAML::Node config = configRoot.value();
    YAML::Node repos = reposRoot.value();
    // Untouched files are not re-emitted: that would drop their comments for nothing.
    const std::string configBefore = YAML::Dump(config);

    writeDevLog(config, original.devlog, edited.devlog);
    writeLlm(config, original, edited);
    writeSchedule(config, original.schedule, edited.schedule);
    writeDaemon(config, original.daemon, edited.daemon);
    writeLaptop(config, original.laptop, edited.laptop);
    writeNotifications(config, original.notifications, edited.notifications);

    // The list is edited where the loader reads it: repos.yaml, else an inline list in
    // config.yaml, else a new repos.yaml.
    bool reposChanged = false;
    if (original.repositories != edited.repositories) {
        const bool inConfig = !hasList(repos) && hasList(config);
        YAML::Node holder = inConfig ? config : repos;
        holder["repositories"] = repositoryList(holder["repositories"], location.dir,
                                                original.repositories, edited.repositories);
        reposChanged = !inConfig;
    }

    ConfigTexts texts;
    if (YAML::Dump(config) != configBefore) {
        texts.config = emitYaml(config);
    }
    if (reposChanged) {
        texts.repos = emitYaml(repos);
    }
    const auto validated =
        ConfigLoader::loadFromStrings(QString::fromUtf8(texts.config.value_or(configText.value())),
                                      QString::fromUtf8(texts.repos.value_or(reposText.value())),
                                      QString::fromUtf8(promptsText.value()), location.dir);
    if (!validated) {
        return Result<ConfigTexts>::failure(validated.error());
    }
    return texts;
}

Result<ConfigWriteResult> ConfigWriter::write(const ConfigLocation &location,
                                              const Config &original, const Config &edited)
{
    auto texts = ConfigWriter::render(location, original, edited);
    if (!texts) {
        return Result<ConfigWriteResult>::failure(texts.error());
    }
    if (!QDir().mkpath(location.dir)) {
        return Result<ConfigWriteResult>::failure(
            QStringLiteral("cannot create the folder %1").arg(location.dir));
    }
    ConfigWriteResult result;
    const std::pair<QString, std::optional<QByteArray>> files[] = {
        {location.configFile, texts->config},
        {location.reposFile(), texts->repos},
    };
    for (const auto &[path, text] : files) {
        if (!text) {
            continue;
        }
        auto old = readFile(path);
        if (!old) {
            return Result<ConfigWriteResult>::failure(old.error());
        }
        if (QFileInfo::exists(path) && old.value() == *text) {
            continue;
        }
        if (QFileInfo::exists(path)) {
            const QString backup = path + QStringLiteral(".bak");
            if (Status saved = saveFile(backup, old.value()); !saved) {
                return Result<ConfigWriteResult>::failure(saved.error());
            }
            result.backupFiles << backup;
        }
        if (Status saved = saveFile(path, *text); !saved) {
            return Result<ConfigWriteResult>::failure(saved.error());
        }
        result.writtenFiles << path;
    }
    if (auto loaded = ConfigLoader::load(location)) {
        result.warnings = loaded->warnings;
    }
    return result;
}

} // namespace codeworm
