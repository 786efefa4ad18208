#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QString>
#include <QStringList>

namespace codeworm {

// Where the configuration lives: --config DIR|FILE, else $CODEWORM_CONFIG, else
// $XDG_CONFIG_HOME/codeworm/. A FILE is the config.yaml; repos.yaml and prompts.yaml are
// read from its folder.
struct ConfigLocation
{
    QString dir;
    QString configFile;          // <dir>/config.yaml unless a file was named
    QString reposFile() const;   // <dir>/repos.yaml
    QString promptsFile() const; // <dir>/prompts.yaml

    static ConfigLocation resolve(const QString &commandLineValue);
};

struct LoadedConfig
{
    Config config;
    QStringList warnings; // "file:line: key 'x': unknown key" and the like
};

class ConfigLoader
{
public:
    // Reads config.yaml (required unless absent everywhere: then defaults), repos.yaml and
    // prompts.yaml (optional). Errors name the file, the line and the key.
    static Result<LoadedConfig> load(const ConfigLocation &location);

    // Parses one YAML text as config.yaml; used by load() and by tests. fileName only labels
    // messages.
    static Result<LoadedConfig> loadFromStrings(const QString &configYaml, const QString &reposYaml,
                                                const QString &promptsYaml,
                                                const QString &dir = QString());

    // Writes a commented default config.yaml and repos.yaml (with the given repositories,
    // may be empty) into location.dir. Refuses to overwrite existing files.
    static Status writeDefaults(const ConfigLocation &location, const QStringList &repoPaths);
};

} // namespace codeworm
