#pragma once

#include "config/Config.h"

#include <QByteArray>
#include <QList>
#include <QLocale>
#include <QString>
#include <QTemporaryDir>

namespace codeworm::test {

// Points HOME and the XDG folders at a fresh temporary folder and forces the C locale, so
// that no test reads or writes the real user's files. Create one per test case (or per test
// class in initTestCase); the folders go away with it. CODEWORM_CONFIG is unset meanwhile;
// XDG_RUNTIME_DIR is left alone (the D-Bus session lives there). The destructor restores
// every variable and the default QLocale.
class TestEnvironment
{
public:
    TestEnvironment();
    ~TestEnvironment();
    TestEnvironment(const TestEnvironment &) = delete;
    TestEnvironment &operator=(const TestEnvironment &) = delete;

    QString root() const { return m_dir.path(); }
    QString home() const;                        // <root>/home
    QString configHome() const;                  // <root>/config   ($XDG_CONFIG_HOME)
    QString dataHome() const;                    // <root>/data     ($XDG_DATA_HOME)
    QString stateHome() const;                   // <root>/state    ($XDG_STATE_HOME)
    QString cacheHome() const;                   // <root>/cache    ($XDG_CACHE_HOME)
    QString path(const QString &relative) const; // <root>/<relative>

    // Writes a file below root (creating folders); returns its absolute path.
    QString writeFile(const QString &relative, const QByteArray &content) const;

private:
    struct SavedVariable
    {
        const char *name;
        QByteArray value; // null: was not set
    };

    QTemporaryDir m_dir;
    QList<SavedVariable> m_saved;
    QLocale m_savedLocale;
};

// A repository entry as repos.yaml would give it.
RepoConfig repoConfig(const QString &name, const QString &path, int weight = 5);

// The whole content of a file; an empty, null QByteArray (and a warning) when it cannot be read.
QByteArray readFile(const QString &path);

} // namespace codeworm::test
