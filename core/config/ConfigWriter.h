#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "config/ConfigLoader.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace codeworm {

// The texts a save would write; nullopt: that file stays as it is.
struct ConfigTexts
{
    std::optional<QByteArray> config; // config.yaml
    // repos.yaml; a list that sits in config.yaml is changed in `config` instead.
    std::optional<QByteArray> repos;
};

struct ConfigWriteResult
{
    QStringList writtenFiles; // files whose content changed
    QStringList backupFiles;  // "<file>.bak": the previous content of each of them
    QStringList warnings;     // the loader's warnings on the new configuration
};

// Saves what the settings dialog edits. The existing files are read as YAML trees and only the
// managed keys whose value differs between `original` and `edited` are set, so unknown keys,
// untouched keys and keys of other versions stay. yaml-cpp does not keep comments, which is
// why the previous file is kept as .bak.
//
// Managed keys: devlog.repo_path, remote, branch; the LLM provider, first endpoint, model
// (edited.ollama.model, the effective model) and allow_remote, written to llm: when the file
// has that block or a key only it can hold is needed, else to the original's ollama.host,
// ollama.port and ollama.model; schedule.*; daemon.deadman_minutes; laptop.*; notifications.*; and
// the repositories (matched to their YAML entries by path; entries not in `edited` are removed).
class ConfigWriter
{
public:
    // The new texts, validated with ConfigLoader::loadFromStrings (with the folder's
    // prompts.yaml); an invalid result is the loader's error.
    static Result<ConfigTexts> render(const ConfigLocation &location, const Config &original,
                                      const Config &edited);

    // render(), then each changed file is written atomically after its previous content was
    // copied to "<file>.bak". Nothing is written when validation fails.
    static Result<ConfigWriteResult> write(const ConfigLocation &location, const Config &original,
                                           const Config &edited);
};

} // namespace codeworm
