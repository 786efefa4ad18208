#pragma once

#include "cli/AnalysisCommands.h"
#include "cli/CommandLine.h"
#include "config/Config.h"

#include <QDateTime>

namespace codeworm {

struct StateStatistics;

// `codeworm stats` and `codeworm import-state PATH`: the state database, opened (and
// migrated, after a backup) as the daemon opens it. Blocking; run on a worker.
namespace StateCommands {

using Output = AnalysisCommands::Output;

Output stats(const Config &config, const ParsedCommandLine &commandLine);
Output importState(const Config &config, const ParsedCommandLine &commandLine);

// The report of `stats`: the lines a person reads, or the JSON object ("schema": 1).
QString renderText(const StateStatistics &stats, const QString &database);
QJsonObject renderJson(const StateStatistics &stats, const QString &database);

} // namespace StateCommands
} // namespace codeworm
