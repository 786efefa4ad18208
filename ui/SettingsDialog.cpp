#include "SettingsDialog.h"

#include "Autostart.h"
#include "config/ConfigWriter.h"
#include "llm/ModelList.h"
#include "llm/ProxyFactory.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimeEdit>
#include <QTimeZone>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace codeworm {

namespace {

enum RepoColumn { NameColumn, PathColumn, WeightColumn, EnabledColumn, PublishColumn };

QString hoursText(const QList<int> &hours)
{
    QStringList items;
    for (int hour : hours) {
        items << QString::number(hour);
    }
    return items.join(QStringLiteral(", "));
}

// "9, 10, 14-16": hours and ranges of hours, separated by commas or spaces.
std::optional<QList<int>> parseHours(const QString &text)
{
    QList<int> hours;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (const QString &part : text.split(separators, Qt::SkipEmptyParts)) {
        const QStringList bounds = part.split(QLatin1Char('-'));
        bool okFirst = false;
        bool okLast = bounds.size() == 1;
        const int first = bounds.value(0).toInt(&okFirst);
        const int last = bounds.size() == 2 ? bounds.value(1).toInt(&okLast) : first;
        if (!okFirst || !okLast || bounds.size() > 2 || first < 0 || last > 23 || first > last) {
            return std::nullopt;
        }
        for (int hour = first; hour <= last; ++hour) {
            if (!hours.contains(hour)) {
                hours << hour;
            }
        }
    }
    std::sort(hours.begin(), hours.end());
    return hours;
}

QString normalizedEndpoint(const QString &text)
{
    QString endpoint = text.trimmed();
    while (endpoint.endsWith(QLatin1Char('/'))) {
        endpoint.chop(1);
    }
    return endpoint;
}

QLabel *explanation(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(const ConfigLocation &location, ApplyFunction apply, QWidget *parent)
    : QDialog(parent)
    , m_location(location)
    , m_apply(std::move(apply))
    , m_pickFolder([](QWidget *owner, const QString &caption, const QString &start) {
        return QFileDialog::getExistingDirectory(owner, caption, start);
    })
    , m_network(new QNetworkAccessManager(this))
{
    setWindowTitle(tr("CodeWorm Settings"));
    m_pageList = new QListWidget(this);
    m_pageList->setObjectName(QStringLiteral("pageList"));
    m_pageList->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_pages = new QStackedWidget(this);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("saveError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("saveNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);

    addPage(Page::Repositories, tr("Repositories"), buildRepositoriesPage());
    addPage(Page::Llm, tr("Language model"), buildLlmPage());
    addPage(Page::Schedule, tr("Schedule"), buildSchedulePage());
    addPage(Page::DevLog, tr("DevLog"), buildDevLogPage());
    addPage(Page::Notifications, tr("Notifications"), buildNotificationsPage());
    addPage(Page::Laptop, tr("Laptop"), buildLaptopPage());
    addPage(Page::Autostart, tr("Start at login"), buildAutostartPage());
    m_pageList->setFixedWidth(m_pageList->sizeHintForColumn(0) + 24);

    auto *body = new QHBoxLayout;
    body->addWidget(m_pageList);
    body->addWidget(m_pages, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_note);
    layout->addWidget(m_buttons);

    connect(m_pageList, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_pageList, &QListWidget::currentRowChanged, this, [this](int row) {
        // The model list is asked for when the page is first seen, not on every opening.
        if (row == int(Page::Llm) && !m_modelsFetched) {
            refreshModels();
        }
    });
    connect(m_buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this,
            &SettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto loaded = ConfigLoader::load(m_location);
    if (loaded) {
        m_saved = loaded->config;
    } else {
        // Saving over a file the loader refuses would hide its error: it is fixed by hand first.
        m_saved.configDir = m_location.dir;
        m_saved.configFile = m_location.configFile;
        showError(tr("The configuration cannot be read, so it cannot be saved here; fix it in "
                     "the file first:\n%1")
                      .arg(loaded.error()));
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(false);
    }
    populate(m_saved);
    m_pageList->setCurrentRow(int(Page::Repositories));
}

void SettingsDialog::addPage(Page page, const QString &title, QWidget *widget)
{
    Q_ASSERT(m_pages->count() == int(page));
    Q_UNUSED(page);
    m_pageList->addItem(title);
    m_pages->addWidget(widget);
}

void SettingsDialog::openPage(Page page)
{
    m_pageList->setCurrentRow(int(page));
}

SettingsDialog::Page SettingsDialog::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void SettingsDialog::setFolderPicker(FolderPicker picker)
{
    m_pickFolder = std::move(picker);
}

QWidget *SettingsDialog::buildRepositoriesPage()
{
    auto *page = new QWidget(this);
    m_reposHint = new QLabel(tr("Add the repositories CodeWorm should document."), page);
    m_reposHint->setObjectName(QStringLiteral("repositoriesHint"));
    m_reposHint->setWordWrap(true);
    QFont bold = m_reposHint->font();
    bold.setBold(true);
    m_reposHint->setFont(bold);

    m_repos = new QTableWidget(0, 5, page);
    m_repos->setObjectName(QStringLiteral("repositories"));
    m_repos->setHorizontalHeaderLabels(
        {tr("Name"), tr("Folder"), tr("Weight"), tr("Enabled"), tr("Publish source")});
    m_repos->horizontalHeaderItem(WeightColumn)
        ->setToolTip(tr("How often this repository is picked, 1 to 10"));
    m_repos->horizontalHeaderItem(PublishColumn)
        ->setToolTip(tr("Off: the DevLog gets the documentation without the source code"));
    m_repos->horizontalHeader()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_repos->verticalHeader()->hide();
    m_repos->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_repos->setSelectionMode(QAbstractItemView::SingleSelection);

    auto *add = new QPushButton(tr("Add…"), page);
    add->setObjectName(QStringLiteral("addRepository"));
    auto *remove = new QPushButton(tr("Remove"), page);
    remove->setObjectName(QStringLiteral("removeRepository"));
    connect(add, &QPushButton::clicked, this, &SettingsDialog::addRepository);
    connect(remove, &QPushButton::clicked, this, &SettingsDialog::removeRepository);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_reposHint);
    layout->addWidget(m_repos, 1);
    layout->addLayout(buttons);
    layout->addWidget(explanation(tr("A git repository is read at its last commit; "
                                     "uncommitted changes are never documented."),
                                  page));
    return page;
}

QWidget *SettingsDialog::buildLlmPage()
{
    auto *page = new QWidget(this);
    m_provider = new QComboBox(page);
    m_provider->setObjectName(QStringLiteral("llmProvider"));
    m_provider->addItem(tr("Ollama"), QStringLiteral("ollama"));
    m_provider->addItem(tr("OpenAI-compatible server (llama.cpp, LM Studio, vLLM)"),
                        QStringLiteral("openai"));
    m_endpoint = new QLineEdit(page);
    m_endpoint->setObjectName(QStringLiteral("llmEndpoint"));
    m_endpoint->setPlaceholderText(QStringLiteral("http://localhost:11434"));
    m_model = new QComboBox(page);
    m_model->setObjectName(QStringLiteral("llmModel"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_refreshModels = new QPushButton(tr("Refresh"), page);
    m_refreshModels->setObjectName(QStringLiteral("refreshModels"));
    m_refreshModels->setToolTip(tr("Ask the server which models it has"));
    m_modelError = new QLabel(page);
    m_modelError->setObjectName(QStringLiteral("modelError"));
    m_modelError->setWordWrap(true);
    m_modelError->hide();
    m_allowRemote = new QCheckBox(tr("Allow a server on another machine"), page);
    m_allowRemote->setObjectName(QStringLiteral("allowRemote"));
    m_remoteWarning = new QLabel(page);
    m_remoteWarning->setObjectName(QStringLiteral("remoteWarning"));
    m_remoteWarning->setWordWrap(true);
    m_remoteWarning->hide();

    connect(m_refreshModels, &QPushButton::clicked, this, &SettingsDialog::refreshModels);
    connect(m_endpoint, &QLineEdit::textChanged, this, &SettingsDialog::updateRemoteWarning);
    connect(m_allowRemote, &QCheckBox::toggled, this, &SettingsDialog::updateRemoteWarning);
    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        m_endpoint->setPlaceholderText(m_provider->currentData().toString() ==
                                               QLatin1String("openai")
                                           ? QStringLiteral("http://localhost:8080")
                                           : QStringLiteral("http://localhost:11434"));
    });

    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_refreshModels);
    auto *form = new QFormLayout(page);
    form->addRow(tr("Server type:"), m_provider);
    form->addRow(tr("Endpoint:"), m_endpoint);
    form->addRow(tr("Model:"), modelRow);
    form->addRow(QString(), m_modelError);
    form->addRow(QString(), m_allowRemote);
    form->addRow(QString(), m_remoteWarning);
    return page;
}

QWidget *SettingsDialog::buildSchedulePage()
{
    auto *page = new QWidget(this);
    m_scheduleEnabled = new QCheckBox(tr("Write documentation on a schedule"), page);
    m_scheduleEnabled->setObjectName(QStringLiteral("scheduleEnabled"));
    m_minPerDay = new QSpinBox(page);
    m_minPerDay->setObjectName(QStringLiteral("scheduleMin"));
    m_minPerDay->setRange(0, 1000);
    m_maxPerDay = new QSpinBox(page);
    m_maxPerDay->setObjectName(QStringLiteral("scheduleMax"));
    m_maxPerDay->setRange(0, 1000);
    m_timezone = new QComboBox(page);
    m_timezone->setObjectName(QStringLiteral("scheduleTimezone"));
    m_timezone->addItem(tr("System time zone"), QString());
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds()) {
        m_timezone->addItem(QString::fromUtf8(id), QString::fromUtf8(id));
    }
    m_preferHours = new QLineEdit(page);
    m_preferHours->setObjectName(QStringLiteral("preferHours"));
    m_preferHours->setPlaceholderText(tr("for example 9, 10, 14-16"));
    m_avoidHours = new QLineEdit(page);
    m_avoidHours->setObjectName(QStringLiteral("avoidHours"));
    m_avoidHours->setPlaceholderText(tr("for example 0-7, 12"));
    m_weekendReduction = new QDoubleSpinBox(page);
    m_weekendReduction->setObjectName(QStringLiteral("weekendReduction"));
    m_weekendReduction->setRange(0, 1);
    m_weekendReduction->setSingleStep(0.1);
    m_weekendReduction->setDecimals(2);
    m_minGap = new QSpinBox(page);
    m_minGap->setObjectName(QStringLiteral("minGap"));
    m_minGap->setRange(0, 24 * 60);
    m_minGap->setSuffix(tr(" min"));

    auto *form = new QFormLayout(page);
    form->addRow(QString(), m_scheduleEnabled);
    form->addRow(tr("Fewest documents a day:"), m_minPerDay);
    form->addRow(tr("Most documents a day:"), m_maxPerDay);
    form->addRow(tr("Time zone:"), m_timezone);
    form->addRow(tr("Preferred hours:"), m_preferHours);
    form->addRow(tr("Hours to avoid:"), m_avoidHours);
    form->addRow(tr("Share on weekends:"), m_weekendReduction);
    form->addRow(tr("Least time between two:"), m_minGap);
    return page;
}

QWidget *SettingsDialog::buildDevLogPage()
{
    auto *page = new QWidget(this);
    m_devlogPath = new QLineEdit(page);
    m_devlogPath->setObjectName(QStringLiteral("devlogPath"));
    m_devlogPath->setPlaceholderText(xdgDataHome() + QStringLiteral("/codeworm/devlog"));
    auto *browse = new QPushButton(tr("Choose…"), page);
    browse->setObjectName(QStringLiteral("browseDevLog"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start =
            m_devlogPath->text().isEmpty() ? m_saved.devlogPath() : m_devlogPath->text();
        const QString folder = m_pickFolder(this, tr("DevLog folder"), start);
        if (!folder.isEmpty()) {
            m_devlogPath->setText(QDir::cleanPath(folder));
        }
    });
    m_devlogRemote = new QLineEdit(page);
    m_devlogRemote->setObjectName(QStringLiteral("devlogRemote"));
    m_devlogRemote->setPlaceholderText(tr("origin, a URL or a path; empty: no push"));
    m_devlogBranch = new QLineEdit(page);
    m_devlogBranch->setObjectName(QStringLiteral("devlogBranch"));

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_devlogPath, 1);
    pathRow->addWidget(browse);
    auto *form = new QFormLayout(page);
    form->addRow(explanation(
        tr("The git repository CodeWorm commits the documentation to, and where it pushes it."),
        page));
    form->addRow(tr("Folder:"), pathRow);
    form->addRow(tr("Remote:"), m_devlogRemote);
    form->addRow(tr("Branch:"), m_devlogBranch);
    return page;
}

QWidget *SettingsDialog::buildNotificationsPage()
{
    auto *page = new QWidget(this);
    m_notifyCommit = new QCheckBox(tr("Each committed document"), page);
    m_notifyCommit->setObjectName(QStringLiteral("notifyCommit"));
    m_llmDownMinutes = new QSpinBox(page);
    m_llmDownMinutes->setObjectName(QStringLiteral("llmDownMinutes"));
    m_llmDownMinutes->setRange(0, 7 * 24 * 60);
    m_llmDownMinutes->setSuffix(tr(" min"));
    m_llmDownMinutes->setSpecialValueText(tr("Never"));
    m_failuresInARow = new QSpinBox(page);
    m_failuresInARow->setObjectName(QStringLiteral("failuresInARow"));
    m_failuresInARow->setRange(0, 1000);
    m_failuresInARow->setSpecialValueText(tr("Never"));
    m_notifyPush = new QCheckBox(tr("The DevLog cannot be pushed"), page);
    m_notifyPush->setObjectName(QStringLiteral("notifyPush"));
    m_notifyDeadman =
        new QCheckBox(tr("No document although one was due (dead-man's switch)"), page);
    m_notifyDeadman->setObjectName(QStringLiteral("notifyDeadman"));
    m_deadmanMinutes = new QSpinBox(page);
    m_deadmanMinutes->setObjectName(QStringLiteral("deadmanMinutes"));
    m_deadmanMinutes->setRange(0, 7 * 24 * 60);
    m_deadmanMinutes->setSuffix(tr(" min"));
    m_deadmanMinutes->setSpecialValueText(tr("Off"));

    auto *form = new QFormLayout(page);
    form->addRow(explanation(tr("Tell me when:"), page));
    form->addRow(QString(), m_notifyCommit);
    form->addRow(tr("The language model is unreachable for:"), m_llmDownMinutes);
    form->addRow(tr("Cycles failed in a row:"), m_failuresInARow);
    form->addRow(QString(), m_notifyPush);
    form->addRow(QString(), m_notifyDeadman);
    form->addRow(tr("A planned run is overdue by:"), m_deadmanMinutes);
    return page;
}

QWidget *SettingsDialog::buildLaptopPage()
{
    auto *page = new QWidget(this);
    m_pauseOnBattery = new QCheckBox(tr("Wait while on battery"), page);
    m_pauseOnBattery->setObjectName(QStringLiteral("pauseOnBattery"));
    m_idleMinutes = new QSpinBox(page);
    m_idleMinutes->setObjectName(QStringLiteral("idleMinutes"));
    m_idleMinutes->setRange(0, 24 * 60);
    m_idleMinutes->setSuffix(tr(" min"));
    m_idleMinutes->setSpecialValueText(tr("Off"));
    m_quietEnabled = new QCheckBox(tr("Quiet hours: no runs from"), page);
    m_quietEnabled->setObjectName(QStringLiteral("quietHoursEnabled"));
    m_quietStart = new QTimeEdit(page);
    m_quietStart->setObjectName(QStringLiteral("quietStart"));
    m_quietStart->setDisplayFormat(QStringLiteral("HH:mm"));
    m_quietEnd = new QTimeEdit(page);
    m_quietEnd->setObjectName(QStringLiteral("quietEnd"));
    m_quietEnd->setDisplayFormat(QStringLiteral("HH:mm"));
    connect(m_quietEnabled, &QCheckBox::toggled, m_quietStart, &QWidget::setEnabled);
    connect(m_quietEnabled, &QCheckBox::toggled, m_quietEnd, &QWidget::setEnabled);

    auto *quietRow = new QHBoxLayout;
    quietRow->addWidget(m_quietEnabled);
    quietRow->addWidget(m_quietStart);
    quietRow->addWidget(new QLabel(tr("to"), page));
    quietRow->addWidget(m_quietEnd);
    quietRow->addStretch(1);
    auto *form = new QFormLayout(page);
    form->addRow(QString(), m_pauseOnBattery);
    form->addRow(tr("Only after the desktop is idle for:"), m_idleMinutes);
    form->addRow(quietRow);
    form->addRow(explanation(tr("A run due at a time like these waits until it passes."), page));
    return page;
}

QWidget *SettingsDialog::buildAutostartPage()
{
    auto *page = new QWidget(this);
    m_autostart = new QCheckBox(tr("Start CodeWorm when I log in"), page);
    m_autostart->setObjectName(QStringLiteral("autostart"));
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_autostart);
    layout->addWidget(explanation(tr("Writes %1 (removed again when turned off).")
                                      .arg(QDir::toNativeSeparators(Autostart::filePath())),
                                  page));
    layout->addStretch(1);
    return page;
}

void SettingsDialog::populate(const Config &config)
{
    m_repos->setRowCount(0);
    for (const RepoConfig &repo : config.repositories) {
        addRepositoryRow(repo);
    }
    updateRepositoriesHint();

    m_provider->setCurrentIndex(std::max(0, m_provider->findData(config.llm.provider)));
    m_endpoint->setText(config.llmEndpoints().value(0));
    m_model->setEditText(config.ollama.model);
    m_allowRemote->setChecked(config.llm.allowRemote);
    updateRemoteWarning();

    const ScheduleConfig &schedule = config.schedule;
    m_scheduleEnabled->setChecked(schedule.enabled);
    m_minPerDay->setValue(schedule.minCommitsPerDay);
    m_maxPerDay->setValue(schedule.maxCommitsPerDay);
    m_timezone->setCurrentIndex(std::max(0, m_timezone->findData(schedule.timezone)));
    m_preferHours->setText(hoursText(schedule.preferHours));
    m_avoidHours->setText(hoursText(schedule.avoidHours));
    m_weekendReduction->setValue(schedule.weekendReduction);
    m_minGap->setValue(schedule.minGapMinutes);

    m_devlogPath->setText(config.devlog.repoPath);
    m_devlogRemote->setText(config.devlog.remote);
    m_devlogBranch->setText(config.devlog.branch);

    const NotificationsConfig &notifications = config.notifications;
    m_notifyCommit->setChecked(notifications.onCommit);
    m_llmDownMinutes->setValue(notifications.llmDownMinutes);
    m_failuresInARow->setValue(notifications.failuresInARow);
    m_notifyPush->setChecked(notifications.pushFailures);
    m_notifyDeadman->setChecked(notifications.deadman);
    m_deadmanMinutes->setValue(config.daemon.deadmanMinutes);

    const LaptopConfig &laptop = config.laptop;
    m_pauseOnBattery->setChecked(laptop.pauseOnBattery);
    m_idleMinutes->setValue(laptop.idleMinutes);
    m_quietEnabled->setChecked(laptop.hasQuietHours());
    m_quietStart->setTime(laptop.hasQuietHours() ? laptop.quietStart : QTime(22, 0));
    m_quietEnd->setTime(laptop.hasQuietHours() ? laptop.quietEnd : QTime(7, 0));
    m_quietStart->setEnabled(laptop.hasQuietHours());
    m_quietEnd->setEnabled(laptop.hasQuietHours());

    m_autostart->setChecked(Autostart::isEnabled());
}

void SettingsDialog::addRepositoryRow(const RepoConfig &repo)
{
    const int row = m_repos->rowCount();
    m_repos->insertRow(row);
    m_repos->setItem(row, NameColumn, new QTableWidgetItem(repo.name));
    auto *path = new QTableWidgetItem(QDir::toNativeSeparators(repo.path));
    path->setData(Qt::UserRole, repo.path);
    path->setFlags(path->flags() & ~Qt::ItemIsEditable);
    path->setToolTip(repo.path);
    m_repos->setItem(row, PathColumn, path);
    auto *weight = new QSpinBox(m_repos);
    weight->setRange(1, 10);
    weight->setValue(std::clamp(repo.weight, 1, 10));
    m_repos->setCellWidget(row, WeightColumn, weight);
    auto checkItem = [](bool checked) {
        auto *item = new QTableWidgetItem;
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        return item;
    };
    m_repos->setItem(row, EnabledColumn, checkItem(repo.enabled));
    m_repos->setItem(row, PublishColumn, checkItem(repo.publishSource));
}

void SettingsDialog::addRepository()
{
    const QString folder = m_pickFolder(this, tr("Repository to document"), QDir::homePath());
    if (folder.isEmpty()) {
        return;
    }
    const QString path = QFileInfo(folder).absoluteFilePath();
    QStringList names;
    for (int row = 0; row < m_repos->rowCount(); ++row) {
        if (m_repos->item(row, PathColumn)->data(Qt::UserRole).toString() == path) {
            m_repos->selectRow(row);
            return;
        }
        names << m_repos->item(row, NameColumn)->text().trimmed();
    }
    // Names must be unique (they are in commit trailers): a second "src" becomes "src-2".
    const QString base = QFileInfo(path).fileName().isEmpty() ? path : QFileInfo(path).fileName();
    QString name = base;
    for (int n = 2; names.contains(name); ++n) {
        name = base + QLatin1Char('-') + QString::number(n);
    }
    RepoConfig repo;
    repo.name = name;
    repo.path = path;
    addRepositoryRow(repo);
    m_repos->selectRow(m_repos->rowCount() - 1);
    updateRepositoriesHint();
}

void SettingsDialog::removeRepository()
{
    const int row = m_repos->currentRow();
    if (row < 0) {
        return;
    }
    m_repos->removeRow(row);
    updateRepositoriesHint();
}

void SettingsDialog::updateRepositoriesHint()
{
    m_reposHint->setVisible(m_repos->rowCount() == 0);
}

void SettingsDialog::updateRemoteWarning()
{
    QString endpoint = normalizedEndpoint(m_endpoint->text());
    if (endpoint.isEmpty()) {
        endpoint = m_endpoint->placeholderText();
    }
    if (!endpoint.contains(QLatin1String("://"))) {
        endpoint.prepend(QStringLiteral("http://"));
    }
    const QString host = QUrl(endpoint).host();
    if (host.isEmpty() || EnvironmentProxyFactory::isLoopbackHost(host)) {
        m_remoteWarning->hide();
        return;
    }
    m_remoteWarning->setText(
        m_allowRemote->isChecked()
            ? tr("%1 is another machine: the source code CodeWorm documents is sent there.")
                  .arg(host)
            : tr("%1 is another machine: CodeWorm refuses to send your source code there unless "
                 "you allow it above.")
                  .arg(host));
    m_remoteWarning->show();
}

void SettingsDialog::refreshModels()
{
    m_modelsFetched = true;
    if (m_modelReply) {
        return;
    }
    QString endpoint = normalizedEndpoint(m_endpoint->text());
    if (endpoint.isEmpty()) {
        endpoint = m_endpoint->placeholderText();
    }
    m_refreshModels->setEnabled(false);
    m_modelError->hide();
    m_modelReply = ModelListReply::fetch(m_network, m_provider->currentData().toString(), endpoint,
                                         m_saved.llm.apiKeyEnv);
    connect(m_modelReply, &ModelListReply::finished, this, [this, reply = m_modelReply.data()] {
        // The reply deletes itself later; a Refresh before that starts a new one.
        m_modelReply = nullptr;
        m_refreshModels->setEnabled(true);
        if (!reply->ok()) {
            m_modelError->setText(tr("Cannot list the models: %1").arg(reply->error()));
            m_modelError->show();
        } else {
            const QString current = m_model->currentText();
            m_model->clear();
            m_model->addItems(reply->models());
            m_model->setEditText(current);
            if (reply->models().isEmpty()) {
                m_modelError->setText(tr("The server has no models yet."));
                m_modelError->show();
            }
        }
        emit modelsRefreshed();
    });
}

Config SettingsDialog::editedConfig(QString *error) const
{
    Config config = m_saved;
    QStringList problems;

    QList<RepoConfig> repositories;
    for (int row = 0; row < m_repos->rowCount(); ++row) {
        const QString path = m_repos->item(row, PathColumn)->data(Qt::UserRole).toString();
        // Keeps what the dialog does not show (include and exclude patterns).
        const auto saved = std::find_if(m_saved.repositories.cbegin(), m_saved.repositories.cend(),
                                        [&](const RepoConfig &repo) { return repo.path == path; });
        RepoConfig repo = saved != m_saved.repositories.cend() ? *saved : RepoConfig();
        repo.path = path;
        repo.name = m_repos->item(row, NameColumn)->text().trimmed();
        if (repo.name.isEmpty()) {
            repo.name = QFileInfo(path).fileName();
        }
        repo.weight = qobject_cast<QSpinBox *>(m_repos->cellWidget(row, WeightColumn))->value();
        repo.enabled = m_repos->item(row, EnabledColumn)->checkState() == Qt::Checked;
        repo.publishSource = m_repos->item(row, PublishColumn)->checkState() == Qt::Checked;
        repositories << repo;
    }
    config.repositories = repositories;

    config.llm.provider = m_provider->currentData().toString();
    const QString endpoint = normalizedEndpoint(m_endpoint->text());
    // Only the first endpoint is shown; the others of llm.endpoints stay behind it.
    if (!endpoint.isEmpty() && endpoint != m_saved.llmEndpoints().value(0)) {
        if (config.llm.endpoints.isEmpty()) {
            config.llm.endpoints = {endpoint};
        } else {
            config.llm.endpoints[0] = endpoint;
        }
    }
    if (const QString model = m_model->currentText().trimmed(); !model.isEmpty()) {
        config.ollama.model = model;
    }
    config.llm.allowRemote = m_allowRemote->isChecked();

    ScheduleConfig &schedule = config.schedule;
    schedule.enabled = m_scheduleEnabled->isChecked();
    schedule.minCommitsPerDay = m_minPerDay->value();
    schedule.maxCommitsPerDay = m_maxPerDay->value();
    schedule.timezone = m_timezone->currentData().toString();
    if (const auto hours = parseHours(m_preferHours->text())) {
        schedule.preferHours = *hours;
    } else {
        problems << tr("Preferred hours: expected hours from 0 to 23 such as \"9, 10, 14-16\"");
    }
    if (const auto hours = parseHours(m_avoidHours->text())) {
        schedule.avoidHours = *hours;
    } else {
        problems << tr("Hours to avoid: expected hours from 0 to 23 such as \"0-7, 12\"");
    }
    schedule.weekendReduction = m_weekendReduction->value();
    schedule.minGapMinutes = m_minGap->value();

    config.devlog.repoPath = m_devlogPath->text().trimmed();
    config.devlog.remote = m_devlogRemote->text().trimmed();
    const QString branch = m_devlogBranch->text().trimmed();
    config.devlog.branch = branch.isEmpty() ? DevLogConfig().branch : branch;

    NotificationsConfig &notifications = config.notifications;
    notifications.onCommit = m_notifyCommit->isChecked();
    notifications.llmDownMinutes = m_llmDownMinutes->value();
    notifications.failuresInARow = m_failuresInARow->value();
    notifications.pushFailures = m_notifyPush->isChecked();
    notifications.deadman = m_notifyDeadman->isChecked();
    config.daemon.deadmanMinutes = m_deadmanMinutes->value();

    LaptopConfig &laptop = config.laptop;
    laptop.pauseOnBattery = m_pauseOnBattery->isChecked();
    laptop.idleMinutes = m_idleMinutes->value();
    laptop.quietStart = m_quietEnabled->isChecked() ? m_quietStart->time() : QTime();
    laptop.quietEnd = m_quietEnabled->isChecked() ? m_quietEnd->time() : QTime();

    if (error) {
        *error = problems.join(QLatin1Char('\n'));
    }
    return config;
}

bool SettingsDialog::save()
{
    m_error->hide();
    m_note->hide();
    QString problem;
    const Config edited = editedConfig(&problem);
    if (!problem.isEmpty()) {
        showError(tr("Not saved:\n%1").arg(problem));
        return false;
    }
    const auto written = ConfigWriter::write(m_location, m_saved, edited);
    if (!written) {
        showError(tr("Not saved, the files are unchanged:\n%1").arg(written.error()));
        return false;
    }
    if (auto reloaded = ConfigLoader::load(m_location)) {
        m_saved = reloaded->config;
    } else {
        m_saved = edited;
    }

    QStringList problems;
    const bool autostartChanged = m_autostart->isChecked() != Autostart::isEnabled();
    if (autostartChanged) {
        if (Status set = Autostart::setEnabled(m_autostart->isChecked()); !set) {
            problems << set.error();
        }
    }
    if (!written->writtenFiles.isEmpty() && m_apply) {
        if (Status applied = m_apply(); !applied) {
            problems << tr("The running CodeWorm did not take the new settings: %1")
                            .arg(applied.error());
        }
    }
    if (!problems.isEmpty()) {
        showError(tr("Saved, but:\n%1").arg(problems.join(QLatin1Char('\n'))));
    }

    QStringList backups;
    for (const QString &file : written->backupFiles) {
        backups << QFileInfo(file).fileName();
    }
    if (!backups.isEmpty()) {
        showNote(tr("Saved. The previous files were kept as %1; comments in them are not carried "
                    "over to the new ones.")
                     .arg(backups.join(tr(" and "))));
    } else if (!written->writtenFiles.isEmpty() || autostartChanged) {
        showNote(tr("Saved."));
    } else {
        showNote(tr("Nothing changed."));
    }
    emit saved();
    return true;
}

void SettingsDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

void SettingsDialog::showNote(const QString &text)
{
    m_note->setText(text);
    m_note->show();
}

} // namespace codeworm
