#pragma once

#include "analysis/CodeSymbol.h"
#include "analysis/GitHistory.h"

#include <QDateTime>
#include <QStringList>

namespace codeworm {

// How interesting a symbol is to document, 0..100, with the parts that make it up. The
// original's formula: 0.35·complexity + 0.15·length + 0.15·nesting + 0.10·parameters +
// 0.15·churn + 0.10·novelty, each part 0..100 (capped at cyclomatic 20, 100 lines, nesting
// 5, 7 parameters, 5 commits in 30 days; novelty = (30 − days since modified)/30), plus
// bonuses (async 5, each decorator 5, property 3, static/class method 3, context manager 10,
// generator 8, abstract 8, data class 7), the total capped at 100. The bonuses apply in every
// language through CodeSymbol's flags (decorators are annotations in Java, attributes in
// Rust, decorators in TypeScript). A file uses its own caps (see forFile).
struct ScoreBreakdown
{
    double complexity = 0;
    double length = 0;
    double nesting = 0;
    double parameters = 0;
    double churn = 0;
    double novelty = 0;
    double bonus = 0;         // sum of the bonuses, before the cap
    QStringList bonusReasons; // "async", "decorator @cache", ...
    double total = 0;         // the score, 0..100

    // The part that does not depend on history or time (complexity, length, nesting,
    // parameters, bonus), weighted: the index stores it and adds churn and novelty.
    double staticPart() const;
};

namespace InterestScore {

constexpr double complexityWeight = 0.35;
constexpr double lengthWeight = 0.15;
constexpr double nestingWeight = 0.15;
constexpr double parametersWeight = 0.10;
constexpr double churnWeight = 0.15;
constexpr double noveltyWeight = 0.10;
constexpr double churnCap = 5; // commits in 30 days
constexpr double noveltyDays = 30;

// The history-free part of a symbol's score.
ScoreBreakdown forSymbol(const CodeSymbol &symbol);
// A whole file: complexity capped at 100 (the sum over its functions), length at 500
// lines of code, nesting at 5, parameters replaced by the number of callables capped at 20.
ScoreBreakdown forFile(const FileMetrics &metrics);
// Adds churn and novelty from the path's history at `now` and computes the total.
void applyHistory(ScoreBreakdown &score, const FileHistory &history, const QDateTime &now);

double churnPart(int commits30);
double noveltyPart(const QDateTime &lastModified, const QDateTime &now);

} // namespace InterestScore
} // namespace codeworm
