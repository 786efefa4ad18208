#include "targets/TargetSelector.h"

#include "analysis/SymbolIndex.h"
#include "summary/PeriodSummary.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace codeworm {

TargetSelector::TargetSelector(const Config &config, SymbolIndex *index, const StateStore *state)
    : m_config(config)
    , m_index(index)
    , m_state(state)
{}

Result<std::optional<Target>>
TargetSelector::dueSummary(const QString &docType,
                           const TargetFinder::DocumentedCheck &alreadyDocumented,
                           const QDateTime &now, QStringList *warnings) const
{
    using Found = Result<std::optional<Target>>;
    const std::optional<SummaryPeriod> period =
        SummaryPeriod::lastEnded(docType, now, m_config.schedule.zone());
    if (!period || !m_state) {
        return Found(std::nullopt);
    }
    Target target;
    target.docType = docType;
    target.repoName = QStringLiteral("all");
    target.filePath = period->key;
    target.symbol.name = period->key;
    target.symbol.displayName = period->title;
    target.codeHash = period->codeHash();
    if (alreadyDocumented && alreadyDocumented(target)) {
        return Found(std::nullopt);
    }
    const Result<PeriodSummary> gathered =
        PeriodSummary::gather(*period, *m_state, m_config.devlogPath(), m_config.repositories);
    if (!gathered) {
        return Found::failure(gathered.error());
    }
    const PeriodSummary &summary = gathered.value();
    if (summary.isEmpty()) {
        return Found(std::nullopt); // nothing happened: nothing to summarise
    }
    target.symbol.source = summary.digest();
    target.fileContent = target.symbol.source;
    if (warnings) {
        *warnings << summary.warnings();
    }
    target.period = PeriodInfo{period->key,
                               period->title,
                               period->first,
                               period->last,
                               summary.documents(),
                               summary.commits(),
                               int(summary.activity().size())};
    return Found(std::optional<Target>(std::move(target)));
}

QStringList TargetSelector::typeOrder(const QList<QPair<QString, double>> &weights,
                                      QRandomGenerator &random)
{
    QStringList order;
    double total = 0;
    for (const auto &[type, weight] : weights) {
        if (weight > 0) {
            total += weight;
            order << type;
        }
    }
    if (order.isEmpty()) {
        return order;
    }
    double draw = random.generateDouble() * total;
    QString first = order.constLast();
    for (const auto &[type, weight] : weights) {
        if (weight <= 0) {
            continue;
        }
        if (draw < weight) {
            first = type;
            break;
        }
        draw -= weight;
    }
    order.removeOne(first);
    order.prepend(first);
    return order;
}

QList<RepoConfig> TargetSelector::repoOrder(const QList<RepoConfig> &repos,
                                            QRandomGenerator &random)
{
    // Key u^(1/w) for u uniform in (0, 1): sorting by it descending is a weighted shuffle.
    QList<QPair<double, RepoConfig>> keyed;
    for (const RepoConfig &repo : repos) {
        const double u = std::max(random.generateDouble(), 1e-12);
        keyed.append({std::pow(u, 1.0 / std::max(1, repo.weight)), repo});
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<RepoConfig> order;
    for (const auto &[key, repo] : keyed) {
        order << repo;
    }
    return order;
}

TargetSelector::Choice
TargetSelector::select(const TargetFinder::DocumentedCheck &alreadyDocumented,
                       QRandomGenerator &random, const Restriction &only,
                       const std::atomic<bool> *cancelled, const QDateTime &now) const
{
    Choice choice;
    // A due summary first: it covers every repository, so a repository restriction skips it.
    if (only.repo.isEmpty()) {
        for (const auto &[type, weight] : m_config.documentation.typeWeights) {
            const bool asked = only.docType.isEmpty() ? weight > 0 : only.docType == type;
            if (!asked || !SummaryPeriod::isSummaryType(type)) {
                continue;
            }
            choice.tried << type;
            auto due = dueSummary(type, alreadyDocumented, now, &choice.warnings);
            if (!due) {
                choice.warnings << due.error();
            } else if (due.value()) {
                choice.target = std::move(due.value());
                return choice;
            }
        }
    }
    if (SummaryPeriod::isSummaryType(only.docType)) {
        return choice;
    }
    QList<RepoConfig> repositories = m_config.repositories;
    if (!only.repo.isEmpty()) {
        repositories.removeIf([&only](const RepoConfig &r) { return r.name != only.repo; });
        for (RepoConfig &repo : repositories) {
            repo.enabled = true; // naming it asks for it
        }
    }
    const TargetFinder finder(m_config.analyzer, repositories, m_index);
    auto readable = finder.refresh(&choice.warnings, cancelled);
    if (!readable) {
        choice.error = readable.error();
        return choice;
    }
    QStringList types;
    if (!only.docType.isEmpty()) {
        types << only.docType;
    } else {
        QList<QPair<QString, double>> weights = m_config.documentation.typeWeights;
        weights.removeIf([](const auto &w) { return !TargetFinder::supports(w.first); });
        types = typeOrder(weights, random);
    }
    for (const QString &type : std::as_const(types)) {
        choice.tried << type;
        for (const RepoConfig &repo : repoOrder(readable.value(), random)) {
            if (cancelled && cancelled->load()) {
                return choice;
            }
            auto found = finder.find(type, {repo}, alreadyDocumented, &random, cancelled);
            if (!found) {
                choice.warnings << found.error();
                continue;
            }
            if (found.value()) {
                choice.target = std::move(found.value());
                return choice;
            }
        }
    }
    return choice;
}

} // namespace codeworm
