#pragma once

#include "cli/AnalysisCommands.h"
#include "cli/CommandLine.h"
#include "config/Config.h"

#include <QDateTime>

namespace codeworm {

struct StateStatistics;

// `codeworm stats`, `codeworm import-state PATH` and `codeworm rebuild-state`: the state database,
// opened (and migrated, after a backup) as the daemon opens it. Blocking; run on a worker.
namespace StateCommands {

using Output = AnalysisCommands::Output;

Output stats(const Config &config, const ParsedCommandLine &commandLine);
Output importState(const Config &config, const ParsedCommandLine &commandLine);
// `codeworm rebuild-state`: a new state database from the DevLog's history (the commits'
// trailers); the old one is moved aside.
Output rebuildState(const Config &config, const ParsedCommandLine &commandLine);

// The report of `stats`: the lines a person reads, or the JSON object ("schema": 1).
QString renderText(const StateStatistics &stats, const QString &database);
QJsonObject renderJson(const StateStatistics &stats, const QString &database);

} // namespace StateCommands
} // namespace codeworm
