#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace codeworm {

class StateStore;

// The period a weekly_summary or monthly_summary covers: an ISO week (Monday to Sunday) or a
// calendar month, in the configured time zone.
struct SummaryPeriod
{
    QString docType; // weekly_summary, monthly_summary
    QString key;     // "2026-W48", "2026-11": names the period in titles, slugs and dedup
    QString title;   // "Week 48 of 2026", "November 2026"
    QDate first;     // first day
    QDate last;      // last day
    QDateTime start; // first day 00:00 in the zone
    QDateTime end;   // the day after the last, 00:00 in the zone (exclusive)

    // The latest period of the type that has ended at `now`: the previous ISO week or the
    // previous month. None for a doc type that is not a summary.
    static std::optional<SummaryPeriod> lastEnded(const QString &docType, const QDateTime &now,
                                                  const QTimeZone &zone);
    static bool isSummaryType(const QString &docType);
    // The dedup key of the period's document: a summary is due when the state has no entry
    // with this hash and type.
    QString codeHash() const;
};

// What a period's summary is written from: the documents CodeWorm wrote in the period (per
// repository, doc type and language), the findings of its security and performance reviews
// (read back from the DevLog), and the commit activity of the source repositories. Blocking
// (SQLite, files, libgit2): call from a worker.
class PeriodSummary
{
public:
    struct Finding
    {
        QString docType; // security_review, performance_analysis
        QString repo;
        QString file;
        QString name; // the symbol reviewed
        QString text; // the review's key lines
    };
    struct RepoActivity
    {
        QString repo;
        int commits = 0;
        int merges = 0;
        QList<QPair<QString, int>> authors; // name, commits; most first
        QStringList subjects;               // newest first
    };

    static Result<PeriodSummary> gather(const SummaryPeriod &period, const StateStore &state,
                                        const QString &devlogPath,
                                        const QList<RepoConfig> &repositories);

    const SummaryPeriod &period() const { return m_period; }
    int documents() const { return m_documents; }
    int commits() const;
    // Nothing documented and no commit anywhere: no summary is written for the period.
    bool isEmpty() const { return m_documents == 0 && commits() == 0; }
    // Counts, most first.
    const QList<QPair<QString, int>> &perRepository() const { return m_perRepo; }
    const QList<QPair<QString, int>> &perType() const { return m_perType; }
    const QList<QPair<QString, int>> &perLanguage() const { return m_perLanguage; }
    const QList<Finding> &findings() const { return m_findings; }
    const QList<RepoActivity> &activity() const { return m_activity; }
    // Read failures of single repositories or documents; the summary is still written.
    const QStringList &warnings() const { return m_warnings; }

    // The facts as plain text: what the model gets instead of source code, and what the
    // document shows under its facts heading.
    QString digest() const;

    static constexpr int maxFindings = 12;
    static constexpr int maxSubjects = 8;

private:
    SummaryPeriod m_period;
    int m_documents = 0;
    QList<QPair<QString, int>> m_perRepo;
    QList<QPair<QString, int>> m_perType;
    QList<QPair<QString, int>> m_perLanguage;
    QList<Finding> m_findings;
    QList<RepoActivity> m_activity;
    QStringList m_warnings;
};

} // namespace codeworm
