#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "config/ConfigLoader.h"

#include <QDialog>
#include <QPointer>

#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QTimeEdit;

namespace codeworm {

class ModelListReply;

// Edits config.yaml and repos.yaml without a text editor. Save validates the result with the
// loader, rewrites the files through ConfigWriter (the previous ones stay as .bak) and hands
// the new configuration to the running CodeWorm through the apply hook.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Page { Repositories, Llm, Schedule, DevLog, Notifications, Laptop, Autostart };
    Q_ENUM(Page)

    // Makes the running CodeWorm read the saved files; the tray passes Session::reloadConfig,
    // the path SIGHUP takes. Called once per save that changed a file.
    using ApplyFunction = std::function<Status()>;
    // Asks for a folder (empty: cancelled). QFileDialog::getExistingDirectory by default.
    using FolderPicker =
        std::function<QString(QWidget *parent, const QString &caption, const QString &start)>;

    explicit SettingsDialog(const ConfigLocation &location, ApplyFunction apply = {},
                            QWidget *parent = nullptr);

    void openPage(Page page);
    Page currentPage() const;
    void setFolderPicker(FolderPicker picker);

    // The configuration as the widgets show it; a text that does not parse (hours) leaves the
    // saved value and sets *error.
    Config editedConfig(QString *error = nullptr) const;
    // The configuration as last loaded or saved.
    const Config &savedConfig() const { return m_saved; }

public slots:
    // Validates, writes, starts at login or not, applies. False when nothing could be saved;
    // the dialog then shows why and stays open.
    bool save();
    // Fetches the model list of the endpoint shown.
    void refreshModels();

signals:
    void saved();
    void modelsRefreshed(); // the model list arrived, or the error is shown

private:
    QWidget *buildRepositoriesPage();
    QWidget *buildLlmPage();
    QWidget *buildSchedulePage();
    QWidget *buildDevLogPage();
    QWidget *buildNotificationsPage();
    QWidget *buildLaptopPage();
    QWidget *buildAutostartPage();
    void addPage(Page page, const QString &title, QWidget *widget);

    void populate(const Config &config);
    void addRepositoryRow(const RepoConfig &repo);
    void addRepository();
    void removeRepository();
    void updateRepositoriesHint();
    void updateRemoteWarning();
    void showError(const QString &text);
    void showNote(const QString &text);

    ConfigLocation m_location;
    Config m_saved;
    ApplyFunction m_apply;
    FolderPicker m_pickFolder;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<ModelListReply> m_modelReply;
    bool m_modelsFetched = false;

    QListWidget *m_pageList = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    QLabel *m_reposHint = nullptr;
    QTableWidget *m_repos = nullptr;

    QComboBox *m_provider = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QComboBox *m_model = nullptr;
    QPushButton *m_refreshModels = nullptr;
    QLabel *m_modelError = nullptr;
    QCheckBox *m_allowRemote = nullptr;
    QLabel *m_remoteWarning = nullptr;

    QCheckBox *m_scheduleEnabled = nullptr;
    QSpinBox *m_minPerDay = nullptr;
    QSpinBox *m_maxPerDay = nullptr;
    QComboBox *m_timezone = nullptr;
    QLineEdit *m_preferHours = nullptr;
    QLineEdit *m_avoidHours = nullptr;
    QDoubleSpinBox *m_weekendReduction = nullptr;
    QSpinBox *m_minGap = nullptr;

    QLineEdit *m_devlogPath = nullptr;
    QLineEdit *m_devlogRemote = nullptr;
    QLineEdit *m_devlogBranch = nullptr;

    QCheckBox *m_notifyCommit = nullptr;
    QSpinBox *m_llmDownMinutes = nullptr;
    QSpinBox *m_failuresInARow = nullptr;
    QCheckBox *m_notifyPush = nullptr;
    QCheckBox *m_notifyDeadman = nullptr;
    QSpinBox *m_deadmanMinutes = nullptr;

    QCheckBox *m_pauseOnBattery = nullptr;
    QSpinBox *m_idleMinutes = nullptr;
    QCheckBox *m_quietEnabled = nullptr;
    QTimeEdit *m_quietStart = nullptr;
    QTimeEdit *m_quietEnd = nullptr;

    QCheckBox *m_autostart = nullptr;
};

} // namespace codeworm
