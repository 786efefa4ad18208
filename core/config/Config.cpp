#include "config/Config.h"

#include <QDir>
#include <QUrl>

namespace codeworm {

QTimeZone ScheduleConfig::zone() const
{
    if (!timezone.isEmpty()) {
        QTimeZone configured(timezone.toUtf8());
        if (configured.isValid()) {
            return configured;
        }
    }
    return QTimeZone::systemTimeZone();
}

bool LaptopConfig::isQuiet(QTime localTime) const
{
    if (!hasQuietHours() || quietStart == quietEnd) {
        return false;
    }
    if (quietStart < quietEnd) {
        return localTime >= quietStart && localTime < quietEnd;
    }
    return localTime >= quietStart || localTime < quietEnd; // passes midnight
}

namespace {

QString xdgBaseDir(const char *variable, const QString &fallbackBelowHome)
{
    const QString value = qEnvironmentVariable(variable);
    if (!value.isEmpty() && QDir::isAbsolutePath(value)) {
        return QDir::cleanPath(value);
    }
    return QDir::cleanPath(QDir::homePath() + QLatin1Char('/') + fallbackBelowHome);
}

} // namespace

QString xdgConfigHome()
{
    return xdgBaseDir("XDG_CONFIG_HOME", QStringLiteral(".config"));
}

QString xdgDataHome()
{
    return xdgBaseDir("XDG_DATA_HOME", QStringLiteral(".local/share"));
}

QString xdgStateHome()
{
    return xdgBaseDir("XDG_STATE_HOME", QStringLiteral(".local/state"));
}

QString expandUserPath(const QString &path, const QString &baseDir)
{
    QString expanded = path;
    if (expanded == QLatin1String("~")) {
        expanded = QDir::homePath();
    } else if (expanded.startsWith(QLatin1String("~/"))) {
        expanded = QDir::homePath() + expanded.mid(1);
    }
    if (QDir::isRelativePath(expanded)) {
        const QDir base(baseDir.isEmpty() ? QDir::currentPath() : baseDir);
        expanded = base.absoluteFilePath(expanded);
    }
    return QDir::cleanPath(expanded);
}

QString Config::stateDir() const
{
    if (!dataDir.isEmpty()) {
        return expandUserPath(dataDir, configDir);
    }
    return xdgStateHome() + QStringLiteral("/codeworm");
}

QString Config::devlogPath() const
{
    if (!devlog.repoPath.isEmpty()) {
        return expandUserPath(devlog.repoPath, configDir);
    }
    return xdgDataHome() + QStringLiteral("/codeworm/devlog");
}

QString Config::databasePath() const
{
    return stateDir() + QStringLiteral("/codeworm.db");
}

QString Config::indexPath() const
{
    return stateDir() + QStringLiteral("/index.db");
}

QString Config::logPath() const
{
    return stateDir() + QStringLiteral("/codeworm.log");
}

QString Config::ollamaBaseUrl() const
{
    const QString host = ollama.host.trimmed();
    QUrl url;
    if (host.contains(QLatin1String("://"))) {
        url = QUrl(host, QUrl::StrictMode);
    } else if (host.count(QLatin1Char(':')) > 1 && !host.startsWith(QLatin1Char('['))) {
        // A bare IPv6 address; QUrl adds the brackets.
        url.setScheme(QStringLiteral("http"));
        url.setHost(host);
    } else {
        // "box" or "box:1234"
        url = QUrl(QStringLiteral("http://") + host, QUrl::StrictMode);
    }
    if (url.host() == QLatin1String("0.0.0.0")) {
        url.setHost(QStringLiteral("127.0.0.1"));
    } else if (url.host() == QLatin1String("::")) {
        url.setHost(QStringLiteral("::1"));
    }
    if (url.port() == -1) {
        url.setPort(ollama.port);
    }
    QString text = url.toString(QUrl::FullyEncoded);
    while (text.endsWith(QLatin1Char('/'))) {
        text.chop(1);
    }
    return text;
}

QStringList Config::llmEndpoints() const
{
    if (llm.endpoints.isEmpty()) {
        return {ollamaBaseUrl()};
    }
    QStringList urls;
    for (QString url : llm.endpoints) {
        while (url.endsWith(QLatin1Char('/'))) {
            url.chop(1);
        }
        // OpenAI clients are often given ".../v1" as their base URL; the paths below add it.
        if (llm.provider == QLatin1String("openai") && url.endsWith(QLatin1String("/v1"))) {
            url.chop(3);
        }
        urls << url;
    }
    return urls;
}

} // namespace codeworm
