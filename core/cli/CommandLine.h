#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace codeworm {

// The command table: one place that lists every command and option. --help, parsing and the
// shell completions are generated from it; tests compare the man page against it.

// What a shell completion offers for an option's value.
enum class ValueHint {
    None,      // free text (a name, a number)
    Choices,   // the words of valueName, separated by '|'
    DocType,   // DocType::ids()
    Directory, // a folder
    Path,      // a file or a folder
};

struct OptionSpec
{
    QString name;      // long name without dashes
    QString valueName; // empty for a flag
    QString description;
    ValueHint hint = ValueHint::None;
};

struct CommandSpec
{
    QString name;
    QString summary;
    QList<OptionSpec> options;
    QString argument = {}; // a required positional argument's name ("PATH"); empty: none
};

struct ParsedCommandLine
{
    QString command; // "run" when none is given
    QString configPath;
    bool noGui = false;
    bool dryRun = false;
    QStringList repos; // init: paths; index, analyze: repository names
    QString kind;      // analyze: function, class or file
    QString docType;   // run-once, analyze: --type
    QString logFormat; // run, run-once: --log-format text or json; empty: log.format
    int limit = 20;    // analyze
    bool json = false; // index, analyze, check, stats, schedule
    QString path;      // import-state: the database to import
    int days = 1;      // schedule: how many days, from today
    bool hasSeed = false;
    quint64 seed = 0; // schedule: --seed, for a reproducible plan
    bool help = false;
    bool version = false;
    QString completion; // --completion: bash or zsh
    QString error;      // bad usage: print it with the help hint, exit 2
};

namespace CommandLine {

// BadUsage also: another CodeWorm already runs on the state directory. NotRunning: a control
// command found no running CodeWorm to talk to.
enum ExitCode { Success = 0, JobFailed = 1, BadUsage = 2, NotRunning = 3 };

const QList<CommandSpec> &commands();
const QList<OptionSpec> &globalOptions();
ParsedCommandLine parse(const QStringList &arguments); // arguments[0] is the program
QString helpText();
QString versionText();
// The values a completion offers for the option (Choices and DocType hints), else empty.
QStringList valueChoices(const OptionSpec &option);
// A completion script for "bash" or "zsh" built from the table; empty for another shell.
QString completionScript(const QString &shell);

} // namespace CommandLine
} // namespace codeworm
