#include "summary/PeriodSummary.h"

#include "analysis/CommitActivity.h"
#include "analysis/ContentHash.h"
#include "analysis/Language.h"
#include "state/StateStore.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace codeworm {

namespace {

const QString weekly = QStringLiteral("weekly_summary");
const QString monthly = QStringLiteral("monthly_summary");

QList<QPair<QString, int>> sortedCounts(const QHash<QString, int> &counts)
{
    QList<QPair<QString, int>> list;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        list.append({it.key(), it.value()});
    }
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return list;
}

QString joinCounts(const QList<QPair<QString, int>> &counts)
{
    QStringList parts;
    for (const auto &[name, count] : counts) {
        parts << QStringLiteral("%1 %2").arg(name).arg(count);
    }
    return parts.join(QStringLiteral(", "));
}

// The lines of a review document's own section that carry its verdict: severity lines first,
// else the first lines of the text. The DevLog copy was redacted before it was written.
QString reviewHighlights(const QString &markdown, const QString &label)
{
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    const QString heading = QStringLiteral("## ") + label;
    qsizetype at = lines.indexOf(heading);
    if (at < 0) {
        return QString();
    }
    QStringList body;
    for (++at; at < lines.size(); ++at) {
        const QString line = lines.at(at).trimmed();
        if (line == QLatin1String("---")) {
            break;
        }
        if (!line.isEmpty()) {
            body << line;
        }
    }
    static const QRegularExpression severity(
        QStringLiteral("\\b(?:critical|high|medium|low|severity)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    QStringList chosen;
    for (const QString &line : std::as_const(body)) {
        if (severity.match(line).hasMatch()) {
            chosen << line;
        }
        if (chosen.size() == 3) {
            break;
        }
    }
    if (chosen.isEmpty()) {
        chosen = body.mid(0, 2);
    }
    for (QString &line : chosen) {
        if (line.size() > 220) {
            line = line.left(217) + QStringLiteral("...");
        }
    }
    return chosen.join(QLatin1Char(' '));
}

} // namespace

bool SummaryPeriod::isSummaryType(const QString &docType)
{
    return docType == weekly || docType == monthly;
}

std::optional<SummaryPeriod> SummaryPeriod::lastEnded(const QString &docType, const QDateTime &now,
                                                      const QTimeZone &zone)
{
    if (!isSummaryType(docType)) {
        return std::nullopt;
    }
    const QDate today = now.toTimeZone(zone).date();
    SummaryPeriod period;
    period.docType = docType;
    if (docType == weekly) {
        const QDate thisMonday = today.addDays(1 - today.dayOfWeek());
        period.first = thisMonday.addDays(-7);
        period.last = thisMonday.addDays(-1);
        int isoYear = 0;
        const int week = period.first.weekNumber(&isoYear);
        period.key = QStringLiteral("%1-W%2").arg(isoYear).arg(week, 2, 10, QLatin1Char('0'));
        period.title = QStringLiteral("Week %1 of %2").arg(week).arg(isoYear);
    } else {
        const QDate thisMonth(today.year(), today.month(), 1);
        period.first = thisMonth.addMonths(-1);
        period.last = thisMonth.addDays(-1);
        period.key = period.first.toString(QStringLiteral("yyyy-MM"));
        period.title = QLocale::c().toString(period.first, QStringLiteral("MMMM yyyy"));
    }
    period.start = QDateTime(period.first, QTime(0, 0), zone);
    period.end = QDateTime(period.last.addDays(1), QTime(0, 0), zone);
    return period;
}

QString SummaryPeriod::codeHash() const
{
    return sha256Hex(QString(docType + QLatin1Char(':') + key).toUtf8());
}

Result<PeriodSummary> PeriodSummary::gather(const SummaryPeriod &period, const StateStore &state,
                                            const QString &devlogPath,
                                            const QList<RepoConfig> &repositories)
{
    PeriodSummary summary;
    summary.m_period = period;
    QHash<QString, int> perRepo;
    QHash<QString, int> perType;
    QHash<QString, int> perLanguage;
    const QList<DocumentedEntry> entries = state.documentedBetween(period.start, period.end);
    for (const DocumentedEntry &entry : entries) {
        if (SummaryPeriod::isSummaryType(entry.docType)) {
            continue;
        }
        ++summary.m_documents;
        ++perRepo[entry.sourceRepo];
        ++perType[entry.docType];
        const QString language = Language::forPath(entry.sourceFile);
        if (!language.isEmpty()) {
            ++perLanguage[language];
        }
        const bool security = entry.docType == QLatin1String("security_review");
        if ((security || entry.docType == QLatin1String("performance_analysis")) &&
            summary.m_findings.size() < maxFindings) {
            QFile file(QDir(devlogPath).filePath(entry.snippetPath));
            if (!file.open(QIODevice::ReadOnly)) {
                summary.m_warnings << QStringLiteral("%1: cannot read the review: %2")
                                          .arg(file.fileName(), file.errorString());
                continue;
            }
            const QString text =
                reviewHighlights(QString::fromUtf8(file.readAll()),
                                 security ? QStringLiteral("Security Review")
                                          : QStringLiteral("Performance Analysis"));
            if (!text.isEmpty()) {
                const QString name = entry.className.isEmpty() || entry.functionName.isEmpty()
                                         ? entry.functionName
                                         : entry.className + QLatin1Char('.') + entry.functionName;
                summary.m_findings.append(
                    {entry.docType, entry.sourceRepo, entry.sourceFile, name, text});
            }
        }
    }
    summary.m_perRepo = sortedCounts(perRepo);
    summary.m_perType = sortedCounts(perType);
    summary.m_perLanguage = sortedCounts(perLanguage);

    for (const RepoConfig &repo : repositories) {
        if (!repo.enabled) {
            continue;
        }
        const Result<CommitActivity> read =
            CommitActivity::read(repo.path, period.start, period.end, maxSubjects);
        if (!read) {
            summary.m_warnings << read.error();
            continue;
        }
        RepoActivity activity;
        activity.repo = repo.name;
        activity.commits = read.value().commits;
        activity.merges = read.value().merges;
        activity.authors = read.value().authors;
        for (const CommitActivity::Commit &commit : read.value().recent) {
            activity.subjects << commit.subject;
        }
        summary.m_activity.append(activity);
    }
    return summary;
}

int PeriodSummary::commits() const
{
    int total = 0;
    for (const RepoActivity &activity : m_activity) {
        total += activity.commits;
    }
    return total;
}

QString PeriodSummary::digest() const
{
    QStringList out;
    out << QStringLiteral("Period: %1 (%2 to %3)")
               .arg(m_period.title, m_period.first.toString(Qt::ISODate),
                    m_period.last.toString(Qt::ISODate));
    out << QString();
    out << QStringLiteral("Documents CodeWorm wrote: %1").arg(m_documents);
    if (m_documents > 0) {
        out << QStringLiteral("- per repository: ") + joinCounts(m_perRepo);
        out << QStringLiteral("- per type: ") + joinCounts(m_perType);
        if (!m_perLanguage.isEmpty()) {
            out << QStringLiteral("- per language: ") + joinCounts(m_perLanguage);
        }
    }
    if (!m_findings.isEmpty()) {
        out << QString();
        out << QStringLiteral("Findings of the period's reviews:");
        for (const Finding &finding : m_findings) {
            out << QStringLiteral("- %1, %2 %3%4: %5")
                       .arg(finding.docType == QLatin1String("security_review")
                                ? QStringLiteral("security")
                                : QStringLiteral("performance"),
                            finding.repo, finding.file,
                            finding.name.isEmpty() ? QString()
                                                   : QStringLiteral(" (%1)").arg(finding.name),
                            finding.text);
        }
    }
    out << QString();
    out << QStringLiteral("Commits in the source repositories: %1").arg(commits());
    for (const RepoActivity &activity : m_activity) {
        QStringList authors;
        for (const auto &[name, count] : activity.authors) {
            authors << QStringLiteral("%1 %2").arg(name).arg(count);
        }
        QString line = QStringLiteral("- %1: %2 commit%3")
                           .arg(activity.repo)
                           .arg(activity.commits)
                           .arg(activity.commits == 1 ? QString() : QStringLiteral("s"));
        if (activity.merges > 0) {
            line += QStringLiteral(" (%1 merges)").arg(activity.merges);
        }
        if (!authors.isEmpty()) {
            line += QStringLiteral(" by ") + authors.join(QStringLiteral(", "));
        }
        out << line;
        for (const QString &subject : activity.subjects) {
            out << QStringLiteral("  - ") + subject;
        }
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace codeworm
