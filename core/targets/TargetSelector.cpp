#include "targets/TargetSelector.h"

#include "analysis/SymbolIndex.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace codeworm {

TargetSelector::TargetSelector(const Config &config, SymbolIndex *index)
    : m_config(config)
    , m_index(index)
{}

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
                       const std::atomic<bool> *cancelled) const
{
    Choice choice;
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
