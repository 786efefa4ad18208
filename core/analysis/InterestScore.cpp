#include "analysis/InterestScore.h"

#include <algorithm>

namespace codeworm {

namespace {

double capped(double value, double cap)
{
    return std::clamp(value / cap, 0.0, 1.0) * 100.0;
}

} // namespace

double ScoreBreakdown::staticPart() const
{
    return InterestScore::complexityWeight * complexity + InterestScore::lengthWeight * length +
           InterestScore::nestingWeight * nesting + InterestScore::parametersWeight * parameters +
           bonus;
}

namespace InterestScore {

ScoreBreakdown forSymbol(const CodeSymbol &symbol)
{
    ScoreBreakdown score;
    score.complexity = capped(symbol.complexity, 20);
    score.length = capped(symbol.lineCount(), 100);
    score.nesting = capped(symbol.maxNesting, 5);
    score.parameters = capped(symbol.parameterCount, 7);
    const auto add = [&score](double points, const QString &reason) {
        score.bonus += points;
        score.bonusReasons << reason;
    };
    if (symbol.isAsync) {
        add(5, QStringLiteral("async"));
    }
    for (const QString &decorator : symbol.decorators) {
        add(5, QStringLiteral("decorator %1").arg(decorator.simplified().left(40)));
    }
    if (symbol.isProperty) {
        add(3, QStringLiteral("property"));
    }
    if (symbol.isStatic && symbol.kind == CodeSymbol::Kind::Method) {
        add(3, QStringLiteral("static method"));
    }
    if (symbol.isContextManager) {
        add(10, QStringLiteral("context manager"));
    }
    if (symbol.isGenerator) {
        add(8, QStringLiteral("generator"));
    }
    if (symbol.isAbstract) {
        add(8, QStringLiteral("abstract"));
    }
    if (symbol.isDataClass) {
        add(7, QStringLiteral("data class"));
    }
    score.total = std::min(100.0, score.staticPart());
    return score;
}

ScoreBreakdown forFile(const FileMetrics &metrics)
{
    ScoreBreakdown score;
    score.complexity = capped(metrics.complexity, 100);
    score.length = capped(metrics.linesOfCode, 500);
    score.nesting = capped(metrics.maxNesting, 5);
    score.parameters = capped(metrics.functionCount, 20);
    score.total = std::min(100.0, score.staticPart());
    return score;
}

double churnPart(int commits30)
{
    return capped(commits30, churnCap);
}

double noveltyPart(const QDateTime &lastModified, const QDateTime &now)
{
    if (!lastModified.isValid()) {
        return 0;
    }
    const double days = double(lastModified.secsTo(now)) / 86400.0;
    return std::clamp((noveltyDays - days) / noveltyDays, 0.0, 1.0) * 100.0;
}

void applyHistory(ScoreBreakdown &score, const FileHistory &history, const QDateTime &now)
{
    score.churn = churnPart(history.commits30);
    score.novelty = noveltyPart(history.lastModified, now);
    score.total = std::min(100.0, score.staticPart() + churnWeight * score.churn +
                                      noveltyWeight * score.novelty);
}

} // namespace InterestScore
} // namespace codeworm
