#include "StatsWindow.h"

#include "CommitChart.h"
#include "StatusPanel.h"
#include "schedule/DayPlanner.h"
#include "schedule/Scheduler.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace codeworm {

namespace {

enum RecentColumn { TimeColumn, TargetColumn, TypeColumn, RepoColumn, CommitColumn };
constexpr int pathRole = Qt::UserRole;

QString entryTarget(const DocumentedEntry &entry)
{
    if (!entry.className.isEmpty() && !entry.functionName.isEmpty()) {
        return entry.className + u'.' + entry.functionName;
    }
    if (!entry.functionName.isEmpty()) {
        return entry.functionName;
    }
    if (!entry.className.isEmpty()) {
        return entry.className;
    }
    return entry.sourceFile;
}

QLabel *figure(QWidget *parent, const char *objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QTreeWidget *countTree(QWidget *parent, const char *objectName, const QString &what)
{
    auto *tree = new QTreeWidget(parent);
    tree->setObjectName(QString::fromLatin1(objectName));
    tree->setHeaderLabels({what, StatsWindow::tr("Documents")});
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    // A few rows are enough; the recent commits get the room.
    tree->setMinimumHeight(90);
    tree->setMaximumHeight(150);
    return tree;
}

} // namespace

StatsWindow::StatsWindow(Daemon *daemon, QWidget *parent)
    : StatsWindow(daemon->config(), daemon, parent)
{}

StatsWindow::StatsWindow(const Config &config, Daemon *daemon, QWidget *parent)
    : QWidget(parent)
    , m_config(config)
    , m_daemon(daemon)
    , m_opener([](const QString &path) { QDesktopServices::openUrl(QUrl::fromLocalFile(path)); })
{
    setWindowFlag(Qt::Window);
    setWindowTitle(tr("CodeWorm statistics"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/codeworm.svg")));
    m_pool.setMaxThreadCount(1);
    buildUi();

    m_statusThrottle.setSingleShot(true);
    m_statusThrottle.setInterval(statusRefreshMs);
    connect(&m_statusThrottle, &QTimer::timeout, this, &StatsWindow::refresh);
    connect(&m_watcher, &QFutureWatcher<StatsSnapshot>::finished, this, [this] {
        applySnapshot(m_watcher.result());
        if (m_again) {
            m_again = false;
            refresh();
        }
    });
    if (m_daemon) {
        connect(m_daemon, &Daemon::statusChanged, this, &StatsWindow::updateStatus);
        connect(m_daemon, &Daemon::cycleFinished, this, &StatsWindow::refresh);
    }
    showLlm();
}

StatsWindow::~StatsWindow() = default;

void StatsWindow::buildUi()
{
    auto *content = new QWidget;

    m_error = new QLabel(content);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *cycles = new QGroupBox(tr("Cycles"), content);
    auto *cycleForm = new QFormLayout(cycles);
    m_total = figure(cycles, "cycleTotal");
    m_succeeded = figure(cycles, "cycleSucceeded");
    m_failed = figure(cycles, "cycleFailed");
    m_skipped = figure(cycles, "cycleSkipped");
    m_successRate = figure(cycles, "cycleSuccessRate");
    m_consecutiveFailures = figure(cycles, "cycleConsecutiveFailures");
    m_lastSuccess = figure(cycles, "cycleLastSuccess");
    m_lastFailure = figure(cycles, "cycleLastFailure");
    m_lastFailureReason = figure(cycles, "cycleLastFailureReason");
    m_lastFailureReason->setWordWrap(true);
    cycleForm->addRow(tr("Total:"), m_total);
    cycleForm->addRow(tr("Successful:"), m_succeeded);
    cycleForm->addRow(tr("Failed:"), m_failed);
    cycleForm->addRow(tr("Skipped:"), m_skipped);
    cycleForm->addRow(tr("Success rate:"), m_successRate);
    cycleForm->addRow(tr("Failures in a row:"), m_consecutiveFailures);
    cycleForm->addRow(tr("Last success:"), m_lastSuccess);
    cycleForm->addRow(tr("Last failure:"), m_lastFailure);
    cycleForm->addRow(tr("Last failure reason:"), m_lastFailureReason);

    auto *now = new QGroupBox(tr("Now"), content);
    auto *nowForm = new QFormLayout(now);
    m_llm = figure(now, "llmLabel");
    m_llm->setWordWrap(true);
    m_nextRuns = figure(now, "nextRunsLabel");
    m_nextRuns->setWordWrap(true);
    nowForm->addRow(tr("LLM:"), m_llm);
    nowForm->addRow(tr("Next runs today:"), m_nextRuns);

    auto *top = new QHBoxLayout;
    top->addWidget(cycles, 1);
    top->addWidget(now, 1);

    auto *chartBox =
        new QGroupBox(tr("Commits per day, last %n day(s)", nullptr, chartDays), content);
    auto *chartLayout = new QVBoxLayout(chartBox);
    m_chart = new CommitChart(chartBox);
    m_chart->setObjectName(QStringLiteral("commitChart"));
    chartLayout->addWidget(m_chart);

    auto *countsBox = new QGroupBox(tr("Documents"), content);
    auto *countsLayout = new QHBoxLayout(countsBox);
    m_byRepo = countTree(countsBox, "repositoryCounts", tr("Repository"));
    m_byType = countTree(countsBox, "typeCounts", tr("Type"));
    m_byLanguage = countTree(countsBox, "languageCounts", tr("Language"));
    countsLayout->addWidget(m_byRepo);
    countsLayout->addWidget(m_byType);
    countsLayout->addWidget(m_byLanguage);

    auto *recentBox = new QGroupBox(tr("Recent commits"), content);
    auto *recentLayout = new QVBoxLayout(recentBox);
    m_recent = new QTreeWidget(recentBox);
    m_recent->setObjectName(QStringLiteral("recentCommits"));
    m_recent->setHeaderLabels(
        {tr("Time"), tr("Target"), tr("Type"), tr("Repository"), tr("Commit")});
    m_recent->setRootIsDecorated(false);
    m_recent->setUniformRowHeights(true);
    m_recent->setAlternatingRowColors(true);
    m_recent->setToolTip(tr("Double-click a commit to open its document"));
    m_recent->setMinimumHeight(200);
    m_recent->header()->setSectionResizeMode(TargetColumn, QHeaderView::Stretch);
    m_recent->header()->setStretchLastSection(false);
    recentLayout->addWidget(m_recent);
    // itemActivated: a double click, or Enter, as the platform's style defines activation.
    connect(m_recent, &QTreeWidget::itemActivated, this, &StatsWindow::openEntry);

    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_error);
    layout->addLayout(top);
    layout->addWidget(chartBox);
    layout->addWidget(countsBox);
    layout->addWidget(recentBox, 1);

    // The window may be smaller than its content on small screens.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    if (m_daemon) {
        // The tray's content and controls: without a tray this window is all there is.
        m_panel = new StatusPanel(m_daemon, this);
        outer->addWidget(m_panel);
    }
    outer->addWidget(scroll);

    setMinimumSize(480, 360);
    resize(760, 720);
}

void StatsWindow::setDocumentOpener(DocumentOpener opener)
{
    m_opener = std::move(opener);
}

StatsSnapshot StatsWindow::load(const Config &config, const QDateTime &now)
{
    StatsSnapshot snapshot;
    snapshot.zone = DayPlanner::zoneFor(config.schedule);
    snapshot.now = now;
    const QDate today = now.toTimeZone(snapshot.zone).date();

    if (config.schedule.enabled) {
        // The daemon's plan: the same seed gives the same runs.
        const quint64 seed = Scheduler::persistedSeed(config.stateDir());
        for (const QDateTime &run : DayPlanner::plan(today, config.schedule, seed).runs) {
            if (run > now) {
                snapshot.nextRuns.append(run);
            }
        }
    }

    for (int back = chartDays - 1; back >= 0; --back) {
        snapshot.perDay.append(DayCount{today.addDays(-back), 0});
    }
    const QString path = config.databasePath();
    // A window must not create the database: the daemon does so when it starts.
    if (!QFileInfo::exists(path)) {
        snapshot.error =
            tr("No statistics yet: %1 does not exist.").arg(QDir::toNativeSeparators(path));
        return snapshot;
    }
    StateStore store(path);
    if (const Status opened = store.open(); !opened) {
        snapshot.error = opened.error();
        return snapshot;
    }
    QStringList errors;
    const auto take = [&errors](auto result, auto &target) {
        if (result) {
            target = std::move(result).value();
        } else {
            errors.append(result.error());
        }
    };
    take(store.cycleTotals(), snapshot.cycles);
    take(store.perDay(snapshot.zone, today, chartDays), snapshot.perDay);
    take(store.countsBy(StateStore::Grouping::Repository), snapshot.byRepo);
    take(store.countsBy(StateStore::Grouping::DocType), snapshot.byType);
    take(store.countsBy(StateStore::Grouping::Language), snapshot.byLanguage);
    snapshot.recent = store.recent(recentLimit);
    snapshot.error = errors.join(u'\n');
    return snapshot;
}

void StatsWindow::refresh()
{
    // A hidden window reads nothing: showing it refreshes.
    if (!isVisible()) {
        return;
    }
    if (m_watcher.isRunning()) {
        m_again = true;
        return;
    }
    m_statusThrottle.stop();
    if (m_daemon) {
        // A reload may have changed the schedule or the paths.
        m_config = m_daemon->config();
    }
    m_watcher.setFuture(
        QtConcurrent::run(&m_pool, &StatsWindow::load, m_config, QDateTime::currentDateTime()));
}

void StatsWindow::updateStatus(const DaemonStatus &)
{
    showLlm();
    if (!m_statusThrottle.isActive()) {
        m_statusThrottle.start();
    }
}

void StatsWindow::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void StatsWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitOnClose && m_daemon) {
        m_daemon->stop();
    }
    event->accept();
}

void StatsWindow::showLlm()
{
    const QString model = m_config.llm.model.isEmpty() ? m_config.ollama.model : m_config.llm.model;
    if (!m_daemon) {
        m_llm->setText(tr("CodeWorm is not running; model %1").arg(model));
        return;
    }
    const DaemonStatus status = m_daemon->status();
    m_llm->setText(status.llm.isEmpty() ? tr("%1; model %2").arg(status.stateText(), model)
                                        : tr("%1; %2").arg(status.stateText(), status.llm));
}

void StatsWindow::fillCounts(QTreeWidget *tree, const QList<GroupCount> &counts)
{
    tree->clear();
    const QLocale locale;
    for (const GroupCount &count : counts) {
        auto *item = new QTreeWidgetItem(tree, {count.name, locale.toString(count.count)});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
}

void StatsWindow::applySnapshot(const StatsSnapshot &snapshot)
{
    m_snapshot = snapshot;
    const QLocale locale;
    const auto when = [&](const QDateTime &time) {
        return time.isValid()
                   ? locale.toString(time.toTimeZone(snapshot.zone), QLocale::ShortFormat)
                   : tr("never");
    };

    m_error->setText(snapshot.error);
    m_error->setVisible(!snapshot.error.isEmpty());

    const CycleTotals &cycles = snapshot.cycles;
    m_total->setText(cycles.unfinished > 0 ? tr("%1 (%2 unfinished)")
                                                 .arg(locale.toString(cycles.total),
                                                      locale.toString(cycles.unfinished))
                                           : locale.toString(cycles.total));
    m_succeeded->setText(locale.toString(cycles.succeeded));
    m_failed->setText(locale.toString(cycles.failed));
    m_skipped->setText(locale.toString(cycles.skipped));
    const double rate = cycles.successRate();
    m_successRate->setText(rate < 0 ? tr("none finished")
                                    : tr("%1 %").arg(locale.toString(rate, 'f', 1)));
    m_consecutiveFailures->setText(locale.toString(cycles.consecutiveFailures));
    m_lastSuccess->setText(when(cycles.lastSuccess));
    m_lastFailure->setText(when(cycles.lastFailure));
    m_lastFailureReason->setText(cycles.lastFailureReason.isEmpty() ? tr("none")
                                                                    : cycles.lastFailureReason);

    m_chart->setDays(snapshot.perDay);
    fillCounts(m_byRepo, snapshot.byRepo);
    fillCounts(m_byType, snapshot.byType);
    fillCounts(m_byLanguage, snapshot.byLanguage);

    m_recent->clear();
    const QDir devlog(m_config.devlogPath());
    for (const DocumentedEntry &entry : snapshot.recent) {
        auto *item = new QTreeWidgetItem(m_recent);
        item->setText(TimeColumn, when(entry.documentedAt));
        item->setText(TargetColumn, entryTarget(entry));
        item->setToolTip(TargetColumn, entry.sourceFile);
        item->setText(TypeColumn, entry.docType);
        item->setText(RepoColumn, entry.sourceRepo);
        item->setText(CommitColumn, entry.gitCommit.left(7));
        item->setToolTip(CommitColumn, entry.gitCommit);
        // filePath() keeps a path the original stored as absolute.
        item->setData(TimeColumn, pathRole, QDir::cleanPath(devlog.filePath(entry.snippetPath)));
    }
    for (int column = 0; column < m_recent->columnCount(); ++column) {
        if (column != TargetColumn) {
            m_recent->resizeColumnToContents(column);
        }
    }

    if (snapshot.nextRuns.isEmpty()) {
        m_nextRuns->setText(m_config.schedule.enabled ? tr("none left today")
                                                      : tr("the schedule is off"));
    } else {
        QStringList times;
        for (const QDateTime &run : snapshot.nextRuns) {
            // As the tray shows the next run.
            times.append(run.toTimeZone(snapshot.zone).toString(QStringLiteral("HH:mm")));
        }
        m_nextRuns->setText(times.join(QStringLiteral(", ")));
    }
    showLlm();
    emit refreshed();
}

void StatsWindow::openEntry(QTreeWidgetItem *item)
{
    const QString path = item ? item->data(TimeColumn, pathRole).toString() : QString();
    if (!path.isEmpty() && m_opener) {
        m_opener(path);
    }
}

} // namespace codeworm
