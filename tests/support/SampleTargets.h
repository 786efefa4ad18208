#pragma once

#include "targets/Target.h"

#include <QByteArray>
#include <QString>

namespace codeworm::test {

// Shared fixtures of the finder, prompt and rendering tests.

// Three Python functions of distinct interest: resolve (most branches), tally (a loop), then
// tiny (below the analyzer's limits).
extern const QByteArray inventoryPy;

// Two Python functions worth documenting, clamp and sign: one for the run that sets up the
// DevLog, one for the run under test.
extern const QByteArray boundsPy;
// A documentation.type_weights block (indented for config.yaml) drawing function_doc only.
QString onlyFunctionDocWeights();

// A code_evolution target as ChangeFinder gives it: parser.py @ 1a2b3c4, lines 10-12.
Target sampleChangeTarget();
// A module_doc target as ModuleFinder gives it: the Python package shop/orders.
Target sampleModuleTarget();

} // namespace codeworm::test
