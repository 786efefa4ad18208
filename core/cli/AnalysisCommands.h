#pragma once

#include "cli/CommandLine.h"
#include "config/Config.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <atomic>

namespace codeworm {

// `codeworm index` and `codeworm analyze`: refresh the symbol index and report on it.
// Blocking (run on a worker); `cancelled` stops the refresh between batches.
namespace AnalysisCommands {

struct Output
{
    int exitCode = CommandLine::Success;
    QString out; // for stdout
    QString err; // for stderr
};

Output index(const Config &config, const ParsedCommandLine &commandLine,
             const std::atomic<bool> *cancelled);
Output analyze(const Config &config, const ParsedCommandLine &commandLine,
               const std::atomic<bool> *cancelled);

// "2026-11-28T06:40:00+01:00": local time with its offset.
QString isoWithOffset(const QDateTime &when);

// Every --json answer (check's too): the schema version, when it was made, and the
// command's fields.
QJsonObject withEnvelope(QJsonObject fields);

} // namespace AnalysisCommands
} // namespace codeworm
