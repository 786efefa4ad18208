#pragma once

#include "config/Config.h"
#include "targets/TargetFinder.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QStringList>

#include <atomic>
#include <optional>

class QRandomGenerator;

namespace codeworm {

class StateStore;
class SymbolIndex;

// The cycle's choice of what to document. First a weekly or monthly summary that is due
// (its period has ended, none was written for it, and something happened in it); then a doc
// type drawn by its configured weight, then the other types in configuration order as
// fallbacks; within a type, repositories drawn by weight, then the others; within a
// repository, the finder's best candidates with some randomness among near-equal ones. Types
// with weight 0 are skipped (a summary type with weight 0 is never written). Blocking: call
// from a worker.
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

    // state: what summaries are written from; without it no summary is chosen.
    TargetSelector(const Config &config, SymbolIndex *index, const StateStore *state = nullptr);

    // now: the time that decides which summary periods have ended (injectable for tests).
    Choice select(const TargetFinder::DocumentedCheck &alreadyDocumented, QRandomGenerator &random,
                  const Restriction &only = {}, const std::atomic<bool> *cancelled = nullptr,
                  const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    // The summary of `docType` for the period that has ended last at `now`, when it is due
    // (not rejected by `alreadyDocumented`) and the period saw some activity; else none.
    // Documents or repositories that could not be read are added to `warnings`.
    Result<std::optional<Target>> dueSummary(const QString &docType,
                                             const TargetFinder::DocumentedCheck &alreadyDocumented,
                                             const QDateTime &now,
                                             QStringList *warnings = nullptr) const;

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
    const StateStore *m_state;
};

} // namespace codeworm
