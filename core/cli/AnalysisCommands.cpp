#include "cli/AnalysisCommands.h"

#include "analysis/Indexer.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"
#include "state/StateStore.h"
#include "summary/PeriodSummary.h"
#include "targets/TargetFinder.h"
#include "targets/TargetSelector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <optional>

namespace codeworm::AnalysisCommands {

namespace {

constexpr int jsonSchema = 1;

QString json(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
}

// The repositories a --repo selection names; an unknown name is a usage error.
Result<QList<RepoConfig>> selectedRepos(const Config &config, const QStringList &names)
{
    if (names.isEmpty()) {
        return config.repositories;
    }
    QList<RepoConfig> repos;
    QStringList known;
    for (const RepoConfig &repo : config.repositories) {
        known << repo.name;
    }
    for (const QString &name : names) {
        const auto it = std::find_if(config.repositories.cbegin(), config.repositories.cend(),
                                     [&name](const RepoConfig &r) { return r.name == name; });
        if (it == config.repositories.cend()) {
            return Result<QList<RepoConfig>>::failure(
                QStringLiteral("no repository named '%1' in %2 (configured: %3)")
                    .arg(name, config.configDir,
                         known.isEmpty() ? QStringLiteral("none")
                                         : known.join(QStringLiteral(", "))));
        }
        RepoConfig repo = *it;
        repo.enabled = true; // naming it asks for it
        repos << repo;
    }
    return repos;
}

// The repositories a command works on and the open index, or the output of the failure.
struct Opened
{
    QList<RepoConfig> repos;
    std::unique_ptr<SymbolIndex> index;
    std::optional<Output> failure;
};

Opened open(const Config &config, const ParsedCommandLine &commandLine)
{
    Opened opened;
    auto repos = selectedRepos(config, commandLine.repos);
    if (!repos) {
        opened.failure =
            Output{CommandLine::BadUsage, {}, QStringLiteral("codeworm: %1").arg(repos.error())};
        return opened;
    }
    opened.repos = repos.value();
    opened.index = std::make_unique<SymbolIndex>(config.indexPath());
    if (Status status = opened.index->open(); !status) {
        opened.failure =
            Output{CommandLine::JobFailed, {}, QStringLiteral("codeworm: %1").arg(status.error())};
    }
    return opened;
}

QJsonObject scoreJson(const ScoreBreakdown &score)
{
    const auto round = [](double value) { return std::round(value * 10.0) / 10.0; };
    return {
        {QStringLiteral("total"), round(score.total)},
        {QStringLiteral("complexity"), round(score.complexity)},
        {QStringLiteral("length"), round(score.length)},
        {QStringLiteral("nesting"), round(score.nesting)},
        {QStringLiteral("parameters"), round(score.parameters)},
        {QStringLiteral("churn"), round(score.churn)},
        {QStringLiteral("novelty"), round(score.novelty)},
        {QStringLiteral("bonus"), round(score.bonus)},
        {QStringLiteral("bonus_reasons"), QJsonArray::fromStringList(score.bonusReasons)},
    };
}

QJsonObject targetJson(const IndexedTarget &t)
{
    QJsonObject item{
        {QStringLiteral("repo"), t.repo},
        {QStringLiteral("file"), t.path},
        {QStringLiteral("language"), t.language},
        {QStringLiteral("score"), scoreJson(t.score)},
    };
    QJsonObject history{
        {QStringLiteral("commits_30d"), t.history.commits30},
        {QStringLiteral("commits_90d"), t.history.commits90},
        {QStringLiteral("authors"), t.history.authors},
        {QStringLiteral("last_modified"), t.history.lastModified.isValid()
                                              ? QJsonValue(isoWithOffset(t.history.lastModified))
                                              : QJsonValue()},
    };
    item.insert(QStringLiteral("history"), history);
    if (t.isFile) {
        const QString stem = t.path.section(QLatin1Char('/'), -1);
        item.insert(QStringLiteral("name"), stem);
        item.insert(QStringLiteral("display_name"), t.path);
        item.insert(QStringLiteral("kind"), QStringLiteral("file"));
        item.insert(QStringLiteral("start_line"), 1);
        item.insert(QStringLiteral("end_line"), t.fileMetrics.totalLines);
        item.insert(QStringLiteral("metrics"),
                    QJsonObject{{QStringLiteral("complexity"), t.fileMetrics.complexity},
                                {QStringLiteral("max_nesting"), t.fileMetrics.maxNesting},
                                {QStringLiteral("lines_of_code"), t.fileMetrics.linesOfCode},
                                {QStringLiteral("tokens"), t.fileMetrics.tokenCount},
                                {QStringLiteral("functions"), t.fileMetrics.functionCount},
                                {QStringLiteral("types"), t.fileMetrics.typeCount}});
        return item;
    }
    const CodeSymbol &s = t.symbol;
    item.insert(QStringLiteral("name"), s.name);
    item.insert(QStringLiteral("display_name"), s.displayName);
    item.insert(QStringLiteral("kind"), CodeSymbol::kindName(s.kind));
    if (!s.className.isEmpty()) {
        item.insert(QStringLiteral("class"), s.className);
    }
    item.insert(QStringLiteral("start_line"), s.startLine);
    item.insert(QStringLiteral("end_line"), s.endLine);
    item.insert(QStringLiteral("parameters"), QJsonArray::fromStringList(s.parameters));
    item.insert(QStringLiteral("decorators"), QJsonArray::fromStringList(s.decorators));
    QJsonArray flags;
    const QList<QPair<bool, const char *>> named = {
        {s.isAsync, "async"},
        {s.isStatic, "static"},
        {s.isAbstract, "abstract"},
        {s.isGenerator, "generator"},
        {s.isContextManager, "context_manager"},
        {s.isProperty, "property"},
        {s.isDataClass, "data_class"},
    };
    for (const auto &[set, name] : named) {
        if (set) {
            flags.append(QLatin1String(name));
        }
    }
    item.insert(QStringLiteral("flags"), flags);
    item.insert(QStringLiteral("metrics"),
                QJsonObject{{QStringLiteral("complexity"), s.complexity},
                            {QStringLiteral("max_nesting"), s.maxNesting},
                            {QStringLiteral("lines_of_code"), s.linesOfCode},
                            {QStringLiteral("tokens"), s.tokenCount},
                            {QStringLiteral("parameters"), s.parameterCount}});
    return item;
}

// `analyze --type weekly_summary|monthly_summary`: the period that has ended last, whether its
// summary is due, and the facts it would be written from.
Output previewSummary(const Config &config, const ParsedCommandLine &commandLine,
                      SymbolIndex &index)
{
    Output output;
    StateStore state(config.databasePath());
    if (Status opened = state.open(); !opened) {
        output.err = QStringLiteral("codeworm: %1").arg(opened.error());
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    const QString &docType = commandLine.docType;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const TargetSelector selector(config, &index, &state);
    bool written = false;
    QStringList warnings;
    // Gathered whether or not it was written: the preview shows the facts either way.
    auto due = selector.dueSummary(
        docType,
        [&state, &written](const Target &t) {
            written = state.isDocumented(t.codeHash, t.docType);
            return false;
        },
        now, &warnings);
    if (!due) {
        output.err = QStringLiteral("codeworm: %1").arg(due.error());
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    for (const QString &warning : std::as_const(warnings)) {
        output.err += QStringLiteral("codeworm: %1\n").arg(warning);
    }
    const std::optional<Target> &target = due.value();
    const QString status = written  ? QStringLiteral("written")
                           : target ? QStringLiteral("due")
                                    : QStringLiteral("nothing happened");
    const SummaryPeriod period = *SummaryPeriod::lastEnded(docType, now, config.schedule.zone());
    if (commandLine.json) {
        QJsonObject item{{QStringLiteral("doc_type"), docType},
                         {QStringLiteral("period"), period.key},
                         {QStringLiteral("title"), period.title},
                         {QStringLiteral("first_day"), period.first.toString(Qt::ISODate)},
                         {QStringLiteral("last_day"), period.last.toString(Qt::ISODate)},
                         {QStringLiteral("status"), status}};
        if (target) {
            item.insert(QStringLiteral("documents"), target->period->documents);
            item.insert(QStringLiteral("commits"), target->period->commits);
            item.insert(QStringLiteral("facts"), target->symbol.source);
        }
        output.out = json(withEnvelope(QJsonObject{
            {QStringLiteral("doc_type"), docType},
            {QStringLiteral("targets"), target && !written ? QJsonArray{item} : QJsonArray()},
            {QStringLiteral("period"), item},
        }));
        return output;
    }
    QString text = QStringLiteral("%1: %2 (%3 to %4): %5\n")
                       .arg(docType, period.title, period.first.toString(Qt::ISODate),
                            period.last.toString(Qt::ISODate), status);
    if (target) {
        text += QLatin1Char('\n') + target->symbol.source;
    }
    output.out = text.trimmed();
    return output;
}

// `analyze --type T`: what the doc type's finder would pick, best first.
Output previewType(const Config &config, const ParsedCommandLine &commandLine, SymbolIndex &index,
                   const QStringList &repoNames, const std::atomic<bool> *cancelled)
{
    Output output;
    QList<RepoConfig> repos;
    for (const RepoConfig &repo : config.repositories) {
        if (repoNames.contains(repo.name)) {
            repos << repo;
        }
    }
    const QString &docType = commandLine.docType;
    if (SummaryPeriod::isSummaryType(docType)) {
        return previewSummary(config, commandLine, index);
    }
    if (!TargetFinder::supports(docType)) {
        output.err = QStringLiteral("codeworm: %1 has no finder in this version").arg(docType);
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    const TargetFinder finder(config.analyzer, repos, &index);
    auto targets = finder.preview(docType, repos, commandLine.limit, cancelled);
    if (!targets) {
        output.err = QStringLiteral("codeworm: %1").arg(targets.error());
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    QJsonArray items;
    QString text = QStringLiteral("%1  %2\n")
                       .arg(QStringLiteral("score").rightJustified(5), QStringLiteral("target"));
    for (const Target &t : targets.value()) {
        const CodeSymbol &s = t.symbol;
        const QStringList findings =
            t.findings.isEmpty() ? QStringList() : t.findings.split(QLatin1Char('\n'));
        QJsonObject item{
            {QStringLiteral("doc_type"), t.docType},
            {QStringLiteral("repo"), t.repoName},
            {QStringLiteral("file"), t.filePath},
            {QStringLiteral("language"), t.language},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("display_name"), s.displayName},
            {QStringLiteral("kind"), t.docType == QLatin1String("file_doc") ? QStringLiteral("file")
                                     : t.change ? QStringLiteral("change")
                                     : t.module ? QStringLiteral("module")
                                                : CodeSymbol::kindName(s.kind)},
            {QStringLiteral("start_line"), s.startLine},
            {QStringLiteral("end_line"), s.endLine},
            {QStringLiteral("score"),
             QJsonObject{{QStringLiteral("total"), std::round(t.score * 10.0) / 10.0}}},
            {QStringLiteral("metrics"),
             QJsonObject{{QStringLiteral("complexity"), s.complexity},
                         {QStringLiteral("max_nesting"), s.maxNesting},
                         {QStringLiteral("lines_of_code"), s.linesOfCode}}},
            {QStringLiteral("findings"), QJsonArray::fromStringList(findings)},
        };
        if (t.change) {
            const CodeChange &c = *t.change;
            item.insert(QStringLiteral("commit"),
                        QJsonObject{{QStringLiteral("id"), c.commitId},
                                    {QStringLiteral("summary"), c.summary()},
                                    {QStringLiteral("author"), c.authorName},
                                    {QStringLiteral("date"), isoWithOffset(c.authorDate)},
                                    {QStringLiteral("additions"), c.additions},
                                    {QStringLiteral("deletions"), c.deletions},
                                    {QStringLiteral("touched"),
                                     QJsonArray::fromStringList(c.touchedSymbols)}});
        }
        if (t.module) {
            const ModuleInfo &m = *t.module;
            item.insert(QStringLiteral("module"),
                        QJsonObject{{QStringLiteral("kind"), m.kind},
                                    {QStringLiteral("folder"), m.folder},
                                    {QStringLiteral("files"), QJsonArray::fromStringList(m.files)},
                                    {QStringLiteral("functions"), m.functions},
                                    {QStringLiteral("types"), m.types}});
        }
        items.append(item);
        text += QStringLiteral("%1  %2  (%3:%4:%5-%6)\n")
                    .arg(QString::number(t.score, 'f', 1).rightJustified(5), s.displayName,
                         t.repoName, t.filePath)
                    .arg(s.startLine)
                    .arg(s.endLine);
        for (const QString &finding : findings) {
            text += QStringLiteral("       %1\n").arg(finding);
        }
    }
    if (commandLine.json) {
        output.out = json(withEnvelope(QJsonObject{
            {QStringLiteral("doc_type"), docType},
            {QStringLiteral("targets"), items},
        }));
        return output;
    }
    if (targets.value().isEmpty()) {
        text += QStringLiteral("no %1 targets\n").arg(docType);
    }
    output.out = text.trimmed();
    return output;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 2) + QStringLiteral(" s");
}

} // namespace

QJsonObject withEnvelope(QJsonObject fields)
{
    fields.insert(QStringLiteral("schema"), jsonSchema);
    fields.insert(QStringLiteral("generated_at"), isoWithOffset(QDateTime::currentDateTime()));
    return fields;
}

QString isoWithOffset(const QDateTime &when)
{
    const QDateTime local = when.toLocalTime();
    return local.toOffsetFromUtc(local.offsetFromUtc()).toString(Qt::ISODate);
}

Output index(const Config &config, const ParsedCommandLine &commandLine,
             const std::atomic<bool> *cancelled)
{
    Output output;
    Opened opened = open(config, commandLine);
    if (opened.failure) {
        return *opened.failure;
    }
    // Only the named repositories are refreshed; the others keep their rows.
    QList<RepoConfig> toRefresh = opened.repos;
    if (!commandLine.repos.isEmpty()) {
        for (const RepoConfig &repo : config.repositories) {
            if (!commandLine.repos.contains(repo.name)) {
                RepoConfig kept = repo;
                kept.enabled = false;
                toRefresh << kept;
            }
        }
    }
    Indexer indexer(*opened.index, config.analyzer);
    const IndexReport report = indexer.refresh(toRefresh, cancelled);

    QJsonArray reposJson;
    QString text;
    for (const RepoIndexReport &repo : report.repos) {
        if (!repo.error.isEmpty()) {
            output.exitCode = CommandLine::JobFailed;
            output.err += QStringLiteral("codeworm: %1\n").arg(repo.error);
            reposJson.append(QJsonObject{{QStringLiteral("name"), repo.name},
                                         {QStringLiteral("error"), repo.error}});
            continue;
        }
        const IndexCounts counts = opened.index->counts(repo.name).value_or(IndexCounts{});
        QString mode = repo.unchanged  ? QStringLiteral("unchanged")
                       : repo.fullScan ? QStringLiteral("full scan")
                                       : QStringLiteral("changes since the last index");
        text += QStringLiteral("%1: %2, %3 parsed, %4 reused, %5 removed, %6\n")
                    .arg(repo.name, mode)
                    .arg(repo.filesParsed)
                    .arg(repo.filesReused)
                    .arg(repo.filesRemoved)
                    .arg(seconds(repo.elapsedMs));
        text += QStringLiteral("  %1 %2 %3\n")
                    .arg(QStringLiteral("language").leftJustified(12),
                         QStringLiteral("files").rightJustified(7),
                         QStringLiteral("symbols").rightJustified(8));
        QJsonObject languages;
        for (auto it = counts.filesPerLanguage.cbegin(); it != counts.filesPerLanguage.cend();
             ++it) {
            const int symbols = counts.symbolsPerLanguage.value(it.key());
            text += QStringLiteral("  %1 %2 %3\n")
                        .arg(it.key().leftJustified(12))
                        .arg(it.value(), 7)
                        .arg(symbols, 8);
            languages.insert(it.key(), QJsonObject{{QStringLiteral("files"), it.value()},
                                                   {QStringLiteral("symbols"), symbols}});
        }
        QStringList skips;
        QJsonObject skipsJson;
        for (auto it = repo.scan.skipped.cbegin(); it != repo.scan.skipped.cend(); ++it) {
            skips << QStringLiteral("%1 %2").arg(skipReasonName(it.key())).arg(it.value());
            skipsJson.insert(skipReasonName(it.key()), it.value());
        }
        if (!skips.isEmpty()) {
            text += QStringLiteral("  skipped: %1\n").arg(skips.join(QStringLiteral(", ")));
        }
        for (const QString &warning : repo.scan.warnings) {
            output.err += QStringLiteral("codeworm: %1: %2\n").arg(repo.name, warning);
        }
        reposJson.append(QJsonObject{
            {QStringLiteral("name"), repo.name},
            {QStringLiteral("mode"), repo.unchanged  ? QStringLiteral("unchanged")
                                     : repo.fullScan ? QStringLiteral("full")
                                                     : QStringLiteral("incremental")},
            {QStringLiteral("files_parsed"), repo.filesParsed},
            {QStringLiteral("files_reused"), repo.filesReused},
            {QStringLiteral("files_removed"), repo.filesRemoved},
            {QStringLiteral("languages"), languages},
            {QStringLiteral("skipped"), skipsJson},
            {QStringLiteral("seconds"), double(repo.elapsedMs) / 1000.0},
        });
    }
    if (report.cancelled) {
        output.exitCode = CommandLine::JobFailed;
        output.err += QStringLiteral("codeworm: indexing cancelled; the next run completes it\n");
    }
    if (commandLine.json) {
        output.out = json(withEnvelope(QJsonObject{
            {QStringLiteral("index"), config.indexPath()},
            {QStringLiteral("repositories"), reposJson},
            {QStringLiteral("cancelled"), report.cancelled},
            {QStringLiteral("seconds"), double(report.elapsedMs) / 1000.0},
        }));
    } else {
        if (report.repos.isEmpty() && !report.cancelled) {
            text +=
                QStringLiteral("no enabled repositories to index (see %1)\n").arg(config.configDir);
        }
        output.out = text + QStringLiteral("took %1").arg(seconds(report.elapsedMs));
    }
    return output;
}

Output analyze(const Config &config, const ParsedCommandLine &commandLine,
               const std::atomic<bool> *cancelled)
{
    Output output;
    Opened opened = open(config, commandLine);
    if (opened.failure) {
        return *opened.failure;
    }
    QList<RepoConfig> toRefresh;
    IndexQuery query;
    for (const RepoConfig &repo : std::as_const(opened.repos)) {
        toRefresh << repo;
        if (repo.enabled) {
            query.repos << repo.name;
        }
    }
    Indexer indexer(*opened.index, config.analyzer);
    const IndexReport report = indexer.refresh(toRefresh, cancelled);
    for (const RepoIndexReport &repo : report.repos) {
        if (!repo.error.isEmpty()) {
            output.err += QStringLiteral("codeworm: %1\n").arg(repo.error);
        }
    }
    if (report.cancelled) {
        output.err += QStringLiteral("codeworm: cancelled\n");
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    if (!commandLine.docType.isEmpty()) {
        return previewType(config, commandLine, *opened.index, query.repos, cancelled);
    }
    const QString kind = commandLine.kind.isEmpty() ? QStringLiteral("function") : commandLine.kind;
    if (kind == QLatin1String("file")) {
        query.files = true;
    } else if (kind == QLatin1String("class")) {
        query.kinds = {CodeSymbol::Kind::Class, CodeSymbol::Kind::Struct,
                       CodeSymbol::Kind::Interface, CodeSymbol::Kind::Trait,
                       CodeSymbol::Kind::Enum};
    } else {
        query.minLines = config.analyzer.minLines;
        query.maxLines = config.analyzer.maxLines;
        query.minComplexity = config.analyzer.minComplexity;
    }
    query.limit = commandLine.limit;
    if (query.repos.isEmpty()) {
        output.err +=
            QStringLiteral("codeworm: no enabled repositories (see %1)\n").arg(config.configDir);
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    auto best = opened.index->best(query);
    if (!best) {
        output.err += QStringLiteral("codeworm: %1\n").arg(best.error());
        output.exitCode = CommandLine::JobFailed;
        return output;
    }
    if (commandLine.json) {
        QJsonArray items;
        for (const IndexedTarget &t : best.value()) {
            items.append(targetJson(t));
        }
        output.out = json(withEnvelope(QJsonObject{
            {QStringLiteral("kind"), kind},
            {QStringLiteral("targets"), items},
        }));
        return output;
    }
    QString text = QStringLiteral("%1  %2  %3\n")
                       .arg(QStringLiteral("score").rightJustified(5),
                            QStringLiteral("kind").leftJustified(9), QStringLiteral("target"));
    for (const IndexedTarget &t : best.value()) {
        const QString kindName =
            t.isFile ? QStringLiteral("file") : CodeSymbol::kindName(t.symbol.kind);
        const QString where = t.isFile ? QStringLiteral("%1:%2").arg(t.repo, t.path)
                                       : QStringLiteral("%1:%2:%3-%4")
                                             .arg(t.repo, t.path)
                                             .arg(t.symbol.startLine)
                                             .arg(t.symbol.endLine);
        const QString name = t.isFile ? t.path : t.symbol.displayName;
        const ScoreBreakdown &s = t.score;
        text += QStringLiteral("%1  %2  %3  (%4)\n")
                    .arg(QString::number(s.total, 'f', 1).rightJustified(5),
                         kindName.leftJustified(9), name, where);
        text +=
            QStringLiteral("       complexity %1, length %2, nesting %3, %4 %5, churn %6, "
                           "novelty %7, bonus %8%9\n")
                .arg(s.complexity, 0, 'f', 0)
                .arg(s.length, 0, 'f', 0)
                .arg(s.nesting, 0, 'f', 0)
                .arg(t.isFile ? QStringLiteral("functions") : QStringLiteral("parameters"))
                .arg(s.parameters, 0, 'f', 0)
                .arg(s.churn, 0, 'f', 0)
                .arg(s.novelty, 0, 'f', 0)
                .arg(s.bonus, 0, 'f', 0)
                .arg(s.bonusReasons.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(s.bonusReasons.join(QStringLiteral(", "))));
    }
    if (best.value().isEmpty()) {
        text += QStringLiteral("no %1 targets within the analyzer's limits\n").arg(kind);
    }
    output.out = text.trimmed();
    return output;
}

} // namespace codeworm::AnalysisCommands
