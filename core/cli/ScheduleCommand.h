#pragma once

#include "cli/AnalysisCommands.h"
#include "cli/CommandLine.h"
#include "config/Config.h"

#include <QDateTime>

namespace codeworm {

// `codeworm schedule [--days N] [--seed S] [--json]`: the day planner's runs from today on.
namespace ScheduleCommand {

using Output = AnalysisCommands::Output;

// `now` decides which day is today and which of its runs are past; `daemonSeed` (the one the
// daemon keeps) is used when the command line gives no --seed.
Output run(const Config &config, const ParsedCommandLine &commandLine, const QDateTime &now,
           quint64 daemonSeed);

} // namespace ScheduleCommand
} // namespace codeworm
