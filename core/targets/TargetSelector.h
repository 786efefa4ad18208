#pragma once

#include "config/Config.h"
#include "targets/TargetFinder.h"

#include <QList>
#include <QPair>
#include <QStringList>

#include <atomic>
#include <optional>

class QRandomGenerator;

namespace codeworm {

class SymbolIndex;

// The cycle's choice of what to document: a doc type drawn by its configured weight, then
// the other types in configuration order as fallbacks; within a type, repositories drawn by
// weight, then the others; within a repository, the finder's best candidates with some
// randomness among near-equal ones. Types without a finder in this version, or with weight
// 0, are skipped. Blocking: call from a worker.
class TargetSelector
{
public:
    struct Choice
    {
        std::optional<Target> target; // none and no error: "no candidates"
        QString error;                // no repository could be read
        QStringList warnings;
        QStringList tried; // doc types tried, in order
    };
    struct Restriction
    {
        QString docType; // only this type (run-once --type)
        QString repo;    // only this repository (run-once --repo)
    };

    TargetSelector(const Config &config, SymbolIndex *index);

    Choice select(const TargetFinder::DocumentedCheck &alreadyDocumented, QRandomGenerator &random,
                  const Restriction &only = {}, const std::atomic<bool> *cancelled = nullptr) const;

    // Doc types in the order a cycle tries them: one drawn by weight first, then the others
    // with a positive weight in the given order.
    static QStringList typeOrder(const QList<QPair<QString, double>> &weights,
                                 QRandomGenerator &random);
    // Repositories in the order a type tries them: a weighted shuffle (Efraimidis-Spirakis),
    // so the first one is drawn by weight, the second by weight among the rest, ...
    static QList<RepoConfig> repoOrder(const QList<RepoConfig> &repos, QRandomGenerator &random);

private:
    Config m_config;
    SymbolIndex *m_index;
};

} // namespace codeworm
