#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtGlobal>

namespace codeworm::test {

TestEnvironment::TestEnvironment()
    : m_savedLocale(QLocale())
{
    if (!m_dir.isValid()) {
        qFatal("TestEnvironment: cannot create a temporary folder: %s",
               qPrintable(m_dir.errorString()));
    }
    const QList<QPair<const char *, QString>> folders = {
        {"HOME", home()},
        {"XDG_CONFIG_HOME", configHome()},
        {"XDG_DATA_HOME", dataHome()},
        {"XDG_STATE_HOME", stateHome()},
        {"XDG_CACHE_HOME", cacheHome()},
    };
    for (const auto &[name, folder] : folders) {
        if (!QDir().mkpath(folder)) {
            qFatal("TestEnvironment: cannot create %s", qPrintable(folder));
        }
        m_saved.append({name, qgetenv(name)});
        qputenv(name, QFile::encodeName(folder));
    }
    m_saved.append({"LC_ALL", qgetenv("LC_ALL")});
    qputenv("LC_ALL", "C.UTF-8");
    // A developer's own configuration must not leak into a test.
    m_saved.append({"CODEWORM_CONFIG", qgetenv("CODEWORM_CONFIG")});
    qunsetenv("CODEWORM_CONFIG");
    QLocale::setDefault(QLocale::c());
}

TestEnvironment::~TestEnvironment()
{
    for (const SavedVariable &variable : std::as_const(m_saved)) {
        if (variable.value.isNull()) {
            qunsetenv(variable.name);
        } else {
            qputenv(variable.name, variable.value);
        }
    }
    QLocale::setDefault(m_savedLocale);
}

QString TestEnvironment::home() const
{
    return path(QStringLiteral("home"));
}

QString TestEnvironment::configHome() const
{
    return path(QStringLiteral("config"));
}

QString TestEnvironment::dataHome() const
{
    return path(QStringLiteral("data"));
}

QString TestEnvironment::stateHome() const
{
    return path(QStringLiteral("state"));
}

QString TestEnvironment::cacheHome() const
{
    return path(QStringLiteral("cache"));
}

QString TestEnvironment::path(const QString &relative) const
{
    return m_dir.filePath(relative);
}

QString TestEnvironment::writeFile(const QString &relative, const QByteArray &content) const
{
    QString filePath = path(relative);
    if (!QDir().mkpath(QFileInfo(filePath).absolutePath())) {
        qFatal("TestEnvironment: cannot create the folder of %s", qPrintable(filePath));
    }
    QFile file(filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(content) != content.size() || !file.flush()) {
        qFatal("TestEnvironment: cannot write %s: %s", qPrintable(filePath),
               qPrintable(file.errorString()));
    }
    return filePath;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("readFile: cannot read %s: %s", qPrintable(path), qPrintable(file.errorString()));
        return QByteArray();
    }
    return file.readAll();
}

RepoConfig repoConfig(const QString &name, const QString &path, int weight)
{
    RepoConfig repo;
    repo.name = name;
    repo.path = path;
    repo.weight = weight;
    return repo;
}

} // namespace codeworm::test
