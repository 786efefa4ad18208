#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace codeworm {

// Typed configuration. Every default lives here and nowhere else; the YAML loader only
// overwrites what a file sets. Key names in comments are the YAML keys.

struct RepoConfig
{
    QString name;              // name
    QString path;              // path (~ expanded, absolute)
    int weight = 5;            // weight, 1..10
    bool enabled = true;       // enabled
    bool publishSource = true; // publish_source: false keeps source out of the DevLog
    // include_patterns / exclude_patterns: added to the analyzer's globs for this repository.
    QStringList includePatterns;
    QStringList excludePatterns;

    friend bool operator==(const RepoConfig &, const RepoConfig &) = default;
};

struct DevLogConfig
{
    QString repoPath; // repo_path; empty = $XDG_DATA_HOME/codeworm/devlog
    QString remote;   // remote: name of a remote in the DevLog repo, or a URL/path
    QString branch = QStringLiteral("main");
    QString authorName;  // author_name; empty = user's git config, else "CodeWorm"
    QString authorEmail; // author_email
    // Push credentials, tried in this order: the SSH agent, then ssh_key (else the default
    // keys ~/.ssh/id_ed25519, id_ecdsa, id_rsa) with the passphrase from the environment
    // variable named by ssh_passphrase_env; for HTTPS the token in the variable named by
    // token_env, then the user's git credential helper. Secrets never sit in the file.
    QString sshKey;           // ssh_key (~ expanded, absolute)
    QString sshPassphraseEnv; // ssh_passphrase_env
    QString tokenEnv;         // token_env
    int pushTries = 3;        // push_tries: tries per push on a network error (2 s, 4 s, ... apart)
    // push_retry_s / push_retry_max_s: while the remote cannot be reached, unpushed commits
    // wait; the next try comes after push_retry_s, doubling up to push_retry_max_s.
    double pushRetryS = 60;
    double pushRetryMaxS = 1800;
    // push_timeout_s: a push that hears nothing from the remote for this long (a connection
    // dropped by a suspend or a network change, a server that went silent) is given up on
    // and tried again later; 0 = wait as long as it takes.
    double pushTimeoutS = 120;

    friend bool operator==(const DevLogConfig &, const DevLogConfig &) = default;
};

struct OllamaConfig
{
    QString host = QStringLiteral("localhost"); // host; may carry a scheme ("http://box")
    int port = 11434;                           // port
    QString model = QStringLiteral("qwen2.5:7b");
    double temperature = 0.3;
    int numCtx = 16384;                       // num_ctx
    int numPredict = 4096;                    // num_predict
    QString keepAlive = QStringLiteral("-1"); // keep_alive: seconds (number) or Go duration ("10m")
    std::optional<int> seed;                  // seed: fixed sampling seed; unset = random
    QString api = QStringLiteral("generate"); // api: "chat" (/api/chat) or "generate"
    bool think = false;                       // think: let thinking models reason first
    bool autoPull = false;                    // auto_pull: pull a missing model
    // start_local: run `ollama serve` when nothing listens on a local endpoint (and stop it
    // on exit).
    bool startLocal = false;
    // timeouts: {connect_s, first_token_s, idle_s, total_s}; connect_timeout_s and
    // total_timeout_s are the older spellings. llm.timeouts overrides them. Non-positive = none.
    double connectTimeoutS = 10;     // until the connection stands
    double firstTokenTimeoutS = 300; // from the request sent to the first byte of the answer
    double idleTimeoutS = 60;        // between two pieces of the answer
    double totalTimeoutS = 600;      // one generation in all, its retries included
    int retries = 3;                 // retries: tries per request (new)
    double retryDelayS = 2;          // retry_delay_s: first wait, doubling per try (new)
    double retryMaxDelayS = 30;      // retry_max_delay_s: the longest wait (new)

    friend bool operator==(const OllamaConfig &, const OllamaConfig &) = default;
};

// llm: which server writes the documentation (new block). llm.model, llm.think and
// llm.timeouts override the original's ollama.* keys: the loader stores them in OllamaConfig
// (model, think, the four time limits), which both providers read, as they read temperature,
// num_predict, seed and the retries from there.
struct LlmConfig
{
    QString provider = QStringLiteral("ollama"); // provider: ollama or openai
    QStringList endpoints; // endpoints: base URLs tried in order; empty = ollama.host/port
    QString model;         // model as the file set it; empty = ollama.model
    // api_key_env: the name of the environment variable holding the API key. The key itself
    // is never read from or written to a configuration file.
    QString apiKeyEnv;
    bool allowRemote = false; // allow_remote: consent to send source code off this machine

    friend bool operator==(const LlmConfig &, const LlmConfig &) = default;
};

struct ScheduleConfig
{
    bool enabled = true;
    int minCommitsPerDay = 4;      // min_commits_per_day
    int maxCommitsPerDay = 8;      // max_commits_per_day
    QString timezone;              // IANA name; empty = system time zone
    QList<int> preferHours;        // prefer_hours
    QList<int> avoidHours;         // avoid_hours
    double weekendReduction = 0.5; // weekend_reduction
    int minGapMinutes = 30;        // min_gap_minutes

    // The configured zone, or the system zone when unset or unknown.
    QTimeZone zone() const;

    friend bool operator==(const ScheduleConfig &, const ScheduleConfig &) = default;
};

// How the running daemon behaves around its cycles.
struct DaemonConfig
{
    // deadman_minutes: a planned run this late with no successful cycle since raises an alert;
    // 0 = off. The original's 45.
    int deadmanMinutes = 45;
    // pause_cancels_generation: a pause during generation stops it (the target is tried again
    // later); false lets the running cycle finish first.
    bool pauseCancelsGeneration = false;

    friend bool operator==(const DaemonConfig &, const DaemonConfig &) = default;
};

// Laptop manners: when planned runs wait. Each is off by default.
struct LaptopConfig
{
    bool pauseOnBattery = false; // pause_on_battery: wait while UPower reports the battery
    int idleMinutes = 0;         // idle_minutes: wait until the session is idle this long; 0 = off
    // quiet_hours: "22:00-07:00", local time in schedule.timezone; no runs inside (a window may
    // pass midnight). Null times: none.
    QTime quietStart;
    QTime quietEnd;

    bool hasQuietHours() const { return quietStart.isValid() && quietEnd.isValid(); }
    // Whether `localTime` falls in the window [start, end).
    bool isQuiet(QTime localTime) const;

    friend bool operator==(const LaptopConfig &, const LaptopConfig &) = default;
};

// Desktop notifications: which events notify. A count or a time of 0 turns its alert off.
struct NotificationsConfig
{
    bool onCommit = true;     // on_commit: each committed document
    int llmDownMinutes = 15;  // llm_down_minutes: the LLM unreachable this long
    int failuresInARow = 3;   // failures_in_a_row: this many failed cycles in a row
    bool pushFailures = true; // push_failures: the DevLog's push fails
    bool deadman = true;      // deadman: the dead-man's switch (daemon.deadman_minutes)

    friend bool operator==(const NotificationsConfig &, const NotificationsConfig &) = default;
};

// The log file and its format.
struct LogConfig
{
    QString format = QStringLiteral("text"); // format: text or json (one object per line)
    int maxSizeKb = 5 * 1024;                // max_size_kb: the file is rotated past this size
    int keepFiles = 3;                       // keep_files: rotated files kept (codeworm.log.1 ...)

    friend bool operator==(const LogConfig &, const LogConfig &) = default;
};

struct AnalyzerConfig
{
    double minComplexity = 2;    // min_complexity (cyclomatic)
    int minLines = 5;            // min_lines
    int maxLines = 200;          // max_lines
    QStringList includePatterns; // include_patterns (gitwildmatch); empty = every supported file
    // exclude_patterns. node_modules, vendor and third_party, in the original's list, are left
    // to includeVendored so that turning that on is enough to read them.
    QStringList excludePatterns = {
        QStringLiteral("**/build/**"),       QStringLiteral("**/dist/**"),
        QStringLiteral("**/__pycache__/**"), QStringLiteral("**/.venv/**"),
        QStringLiteral("**/venv/**"),        QStringLiteral("**/*.min.js"),
    };
    QString headerLanguage = QStringLiteral("auto"); // header_language: auto, c or cpp for .h
    bool includeVendored = false; // include_vendored: read vendor/, third_party/, node_modules/

    friend bool operator==(const AnalyzerConfig &, const AnalyzerConfig &) = default;
};

struct DocumentationConfig
{
    int redocumentAfterDays = 90; // redocument_after_days
    // max_source_lines: the source in the prompt and the document is cut (at a line) after
    // this many lines; the prompt's cut is tightened further to fit ollama.num_ctx.
    int maxSourceLines = 150;
    // fact_check: what happens when the model names code that does not exist, twice:
    // "skip" the target (default) or "warn": commit with a visible warning.
    QString factCheck = QStringLiteral("skip");
    // type_weights, in the original's order (also the fallback order).
    QList<QPair<QString, double>> typeWeights = {
        {QStringLiteral("function_doc"), 35},
        {QStringLiteral("class_doc"), 12},
        {QStringLiteral("file_doc"), 12},
        {QStringLiteral("security_review"), 10},
        {QStringLiteral("til"), 10},
        {QStringLiteral("performance_analysis"), 8},
        {QStringLiteral("code_evolution"), 5},
        {QStringLiteral("module_doc"), 3},
        {QStringLiteral("pattern_analysis"), 3},
        {QStringLiteral("weekly_summary"), 1},
        {QStringLiteral("monthly_summary"), 1},
    };

    friend bool operator==(const DocumentationConfig &, const DocumentationConfig &) = default;
};

struct PromptsConfig
{
    // Empty strings mean "use the built-in prompt".
    QString style;
    QString systemPrompt;                 // system_prompt
    QString documentationTemplate;        // documentation_template
    QString commitMessageTemplate;        // commit_message_template
    QMap<QString, QString> languageHints; // language_hints
    // types: <doc type>: {system_prompt, template}: a doc type's own prompts (new keys);
    // an empty string keeps the built-in one.
    struct TypePrompts
    {
        QString systemPrompt;
        QString templ;
        friend bool operator==(const TypePrompts &, const TypePrompts &) = default;
    };
    QMap<QString, TypePrompts> types;

    friend bool operator==(const PromptsConfig &, const PromptsConfig &) = default;
};

struct Config
{
    bool debug = false;
    QString dataDir; // data_dir; empty = $XDG_STATE_HOME/codeworm
    DevLogConfig devlog;
    OllamaConfig ollama;
    LlmConfig llm;
    ScheduleConfig schedule;
    DaemonConfig daemon;
    LaptopConfig laptop;
    NotificationsConfig notifications;
    LogConfig log;
    AnalyzerConfig analyzer;
    DocumentationConfig documentation;
    QList<RepoConfig> repositories;
    PromptsConfig prompts;

    // Where this configuration came from (set by the loader).
    QString configDir;
    QString configFile;

    // Resolved locations: data_dir or the XDG state dir; repo_path or the XDG data dir.
    // data_dir and repo_path are ~ expanded; relative ones are relative to configDir.
    QString stateDir() const;
    QString devlogPath() const;
    QString databasePath() const; // <stateDir>/codeworm.db
    QString indexPath() const;    // <stateDir>/index.db: the symbol index, a cache
    QString logPath() const;      // <stateDir>/codeworm.log
    // "http://localhost:11434". ollama.host may carry a scheme and a path ("https://box/ollama");
    // ollama.port applies unless the host names a port. A bind-all address (0.0.0.0, ::) means
    // this machine, as with OLLAMA_HOST.
    QString ollamaBaseUrl() const;
    // The LLM servers to try, in order: llm.endpoints (without a trailing slash, and without a
    // trailing /v1 for provider openai), else ollamaBaseUrl().
    QStringList llmEndpoints() const;

    friend bool operator==(const Config &, const Config &) = default;
};

// XDG base directories from the environment with the specification's defaults (a relative
// value is ignored, as the specification says). QStandardPaths is not used: Qt 6.4 has no
// state location, and the three must follow the same rules.
QString xdgConfigHome(); // $XDG_CONFIG_HOME or ~/.config
QString xdgDataHome();   // $XDG_DATA_HOME or ~/.local/share
QString xdgStateHome();  // $XDG_STATE_HOME or ~/.local/state

// "~" and "~/..." become the home folder; a relative path is resolved against baseDir (the
// current folder when baseDir is empty). The result is absolute and clean.
QString expandUserPath(const QString &path, const QString &baseDir = QString());

} // namespace codeworm
