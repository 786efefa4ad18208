#pragma once

#include "config/Config.h"
#include "daemon/Daemon.h"
#include "state/StateStore.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QList>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace codeworm {

class CommitChart;
class StatusPanel;

// What the statistics window shows, read from the state database in one go.
struct StatsSnapshot
{
    QString error; // why the database could not be read; empty when it could
    CycleTotals cycles;
    QList<DayCount> perDay; // the last StatsWindow::chartDays days, oldest first
    QList<GroupCount> byRepo;
    QList<GroupCount> byType;
    QList<GroupCount> byLanguage;
    QList<DocumentedEntry> recent; // newest first
    QList<QDateTime> nextRuns;     // today's planned runs after `now`, in the schedule's zone
    QTimeZone zone;
    QDateTime now;
};

// The statistics window: cycle figures, commits per day for the last 30 days, documents per
// repository, type and language, the most recent commits (activating one opens its document),
// the LLM and today's next runs. The database is read on a worker thread with its own
// connection; the window refreshes when shown, when a cycle finishes and, at most every few
// seconds, when the daemon's status changes.
class StatsWindow : public QWidget
{
    Q_OBJECT
public:
    using DocumentOpener = std::function<void(const QString &absolutePath)>;

    static constexpr int chartDays = 30;
    static constexpr int recentLimit = 20;
    static constexpr int statusRefreshMs = 5000;

    // The running daemon's statistics: its configuration, state database and signals.
    explicit StatsWindow(Daemon *daemon, QWidget *parent = nullptr);
    // The statistics of `config`'s state database and schedule; `daemon` may be null (no live
    // updates, the LLM line then names the configured model).
    explicit StatsWindow(const Config &config, Daemon *daemon = nullptr, QWidget *parent = nullptr);
    ~StatsWindow() override;

    // When set, closing the window quits CodeWorm instead of hiding it: the window stands in
    // for the tray icon on a desktop without a system tray.
    void setQuitOnClose(bool quit) { m_quitOnClose = quit; }
    bool quitsOnClose() const { return m_quitOnClose; }
    // The status panel at the top (with a daemon only).
    StatusPanel *statusPanel() const { return m_panel; }

    // Replaces QDesktopServices::openUrl for the recent commits' documents (tests).
    void setDocumentOpener(DocumentOpener opener);
    CommitChart *chart() const { return m_chart; }
    // The last snapshot shown.
    const StatsSnapshot &snapshot() const { return m_snapshot; }

    // Reads everything the window shows; runs on any thread (it opens its own connection).
    static StatsSnapshot load(const Config &config, const QDateTime &now);

public slots:
    // Reads the statistics again in the background; a refresh asked for while one runs
    // follows it. Hidden, the window reads nothing until it is shown again.
    void refresh();
    void updateStatus(const codeworm::DaemonStatus &status);

signals:
    // A snapshot has been read and shown.
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void applySnapshot(const StatsSnapshot &snapshot);
    void showLlm();
    void openEntry(QTreeWidgetItem *item);
    static void fillCounts(QTreeWidget *tree, const QList<GroupCount> &counts);

    Config m_config;
    QPointer<Daemon> m_daemon;
    DocumentOpener m_opener;
    StatsSnapshot m_snapshot;
    bool m_again = false;
    QTimer m_statusThrottle;

    bool m_quitOnClose = false;
    StatusPanel *m_panel = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_total = nullptr;
    QLabel *m_succeeded = nullptr;
    QLabel *m_failed = nullptr;
    QLabel *m_skipped = nullptr;
    QLabel *m_successRate = nullptr;
    QLabel *m_consecutiveFailures = nullptr;
    QLabel *m_lastSuccess = nullptr;
    QLabel *m_lastFailure = nullptr;
    QLabel *m_lastFailureReason = nullptr;
    CommitChart *m_chart = nullptr;
    QTreeWidget *m_byRepo = nullptr;
    QTreeWidget *m_byType = nullptr;
    QTreeWidget *m_byLanguage = nullptr;
    QTreeWidget *m_recent = nullptr;
    QLabel *m_llm = nullptr;
    QLabel *m_nextRuns = nullptr;

    QFutureWatcher<StatsSnapshot> m_watcher;
    // One query at a time; destroyed first, so the destructor waits for a running one.
    QThreadPool m_pool;
};

} // namespace codeworm
