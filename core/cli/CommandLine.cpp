#include "cli/CommandLine.h"

#include "codeworm_version.h"
#include "targets/DocType.h"

#include <QCommandLineParser>
#include <QSet>

namespace codeworm::CommandLine {

namespace {

OptionSpec logFormatOption()
{
    return {QStringLiteral("log-format"), QStringLiteral("text|json"),
            QStringLiteral("Log lines as text or as JSON objects (default: log.format).")};
}

} // namespace

const QList<CommandSpec> &commands()
{
    static const QList<CommandSpec> table = {
        {QStringLiteral("run"),
         QStringLiteral("Run CodeWorm on its schedule (the default command); shows a tray icon "
                        "when a display is available."),
         {{QStringLiteral("no-gui"), {}, QStringLiteral("Run headless, without a tray icon.")},
          {QStringLiteral("dry-run"),
           {},
           QStringLiteral("Generate documents but write and commit nothing.")},
          logFormatOption()}},
        {QStringLiteral("run-once"),
         QStringLiteral("Run one documentation cycle now, print what was committed and exit."),
         {{QStringLiteral("dry-run"),
           {},
           QStringLiteral("Print the document instead of writing and committing it.")},
          {QStringLiteral("type"), QStringLiteral("doc type"),
           QStringLiteral("Write this doc type (function_doc, class_doc, ...) instead of "
                          "drawing one.")},
          {QStringLiteral("repo"), QStringLiteral("name"),
           QStringLiteral("Only this configured repository.")},
          logFormatOption()}},
        {QStringLiteral("init"),
         QStringLiteral("Write a commented default configuration (never overwrites)."),
         {{QStringLiteral("repo"), QStringLiteral("path"),
           QStringLiteral("A repository to document (may be repeated).")}}},
        {QStringLiteral("index"),
         QStringLiteral("Bring the symbol index up to date and print files and symbols per "
                        "language."),
         {{QStringLiteral("repo"), QStringLiteral("name"),
           QStringLiteral("Only this configured repository (may be repeated).")},
          {QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("analyze"),
         QStringLiteral("Update the index and list the best documentation targets with their "
                        "scores."),
         {{QStringLiteral("repo"), QStringLiteral("name"),
           QStringLiteral("Only this configured repository (may be repeated).")},
          {QStringLiteral("kind"), QStringLiteral("function|class|file"),
           QStringLiteral("What to rank (default: function).")},
          {QStringLiteral("type"), QStringLiteral("doc type"),
           QStringLiteral("Preview the targets of this doc type (function_doc, class_doc, "
                          "...) instead.")},
          {QStringLiteral("limit"), QStringLiteral("N"),
           QStringLiteral("How many targets to list (default: 20).")},
          {QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("check"),
         QStringLiteral("Check the configuration, each LLM endpoint, the DevLog and the state; "
                        "exit 1 when something is wrong."),
         {{QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("stats"),
         QStringLiteral("Print what CodeWorm has documented: totals, per repository, type and "
                        "language, per day, streaks and cycles."),
         {{QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("schedule"),
         QStringLiteral("Print the planned run times, day by day, in schedule.timezone; today's "
                        "past runs are marked."),
         {{QStringLiteral("days"), QStringLiteral("N"),
           QStringLiteral("How many days, from today (default: 1).")},
          {QStringLiteral("seed"), QStringLiteral("S"),
           QStringLiteral("Draw the plan from this seed, reproducibly (default: the "
                          "daemon's own seed, kept in the state folder).")},
          {QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("import-state"),
         QStringLiteral("Import the documents of another codeworm.db (the Python original's) "
                        "into the state; rows already present are skipped."),
         {},
         QStringLiteral("PATH")},
        {QStringLiteral("rebuild-state"),
         QStringLiteral("Recreate the state database from the DevLog's history (CodeWorm's commit "
                        "trailers); the old database is moved aside. Stop CodeWorm first."),
         {}},
        {QStringLiteral("status"),
         QStringLiteral("Show what the running CodeWorm does: state, paused, current target, next "
                        "run, today's commits, last error."),
         {{QStringLiteral("json"), {}, QStringLiteral("Print JSON (\"schema\": 1).")}}},
        {QStringLiteral("pause"),
         QStringLiteral("Pause the running CodeWorm: planned cycles are skipped until resume."),
         {}},
        {QStringLiteral("resume"), QStringLiteral("Resume the running CodeWorm's schedule."), {}},
        {QStringLiteral("run-now"),
         QStringLiteral("Have the running CodeWorm start a cycle now."),
         {}},
        {QStringLiteral("reload"),
         QStringLiteral("Have the running CodeWorm read its configuration again (as SIGHUP "
                        "does)."),
         {}},
    };
    return table;
}

const QList<OptionSpec> &globalOptions()
{
    static const QList<OptionSpec> options = {
        {QStringLiteral("config"), QStringLiteral("dir|file"),
         QStringLiteral("Configuration folder, or its config.yaml (default: $CODEWORM_CONFIG, "
                        "else $XDG_CONFIG_HOME/codeworm).")},
        {QStringLiteral("help"), {}, QStringLiteral("Show this help and exit.")},
        {QStringLiteral("version"), {}, QStringLiteral("Show the version and exit.")},
    };
    return options;
}

namespace {

QCommandLineOption toOption(const OptionSpec &spec)
{
    QStringList names{spec.name};
    if (spec.name == QLatin1String("help")) {
        names.prepend(QStringLiteral("h"));
    } else if (spec.name == QLatin1String("version")) {
        names.prepend(QStringLiteral("V"));
    }
    if (spec.valueName.isEmpty()) {
        return QCommandLineOption(names, spec.description);
    }
    return QCommandLineOption(names, spec.description, spec.valueName);
}

} // namespace

ParsedCommandLine parse(const QStringList &arguments)
{
    ParsedCommandLine result;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    QSet<QString> known;
    for (const OptionSpec &spec : globalOptions()) {
        parser.addOption(toOption(spec));
        known.insert(spec.name);
    }
    for (const CommandSpec &command : commands()) {
        for (const OptionSpec &spec : command.options) {
            if (!known.contains(spec.name)) {
                parser.addOption(toOption(spec));
                known.insert(spec.name);
            }
        }
    }
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    result.help = parser.isSet(QStringLiteral("help"));
    result.version = parser.isSet(QStringLiteral("version"));
    const QStringList positional = parser.positionalArguments();
    result.command = positional.value(0, QStringLiteral("run"));
    const auto command =
        std::find_if(commands().cbegin(), commands().cend(),
                     [&](const CommandSpec &c) { return c.name == result.command; });
    if (command == commands().cend()) {
        result.error = QStringLiteral("unknown command '%1'").arg(result.command);
        return result;
    }
    // After the command: its argument, when it takes one, and nothing else.
    const qsizetype given = qMax<qsizetype>(0, positional.size() - 1);
    const qsizetype wanted = command->argument.isEmpty() ? 0 : 1;
    if (given > wanted) {
        result.error = QStringLiteral("unexpected argument '%1'").arg(positional.at(1 + wanted));
        return result;
    }
    if (given < wanted && !result.help && !result.version) {
        result.error =
            QStringLiteral("%1 needs its %2 argument").arg(result.command, command->argument);
        return result;
    }
    result.path = positional.value(1);
    // An option of another command is a usage error, not silently ignored.
    for (const QString &name : parser.optionNames()) {
        const QString longName = name == QLatin1String("h")   ? QStringLiteral("help")
                                 : name == QLatin1String("V") ? QStringLiteral("version")
                                                              : name;
        const bool global = std::any_of(globalOptions().cbegin(), globalOptions().cend(),
                                        [&](const OptionSpec &o) { return o.name == longName; });
        const bool own = std::any_of(command->options.cbegin(), command->options.cend(),
                                     [&](const OptionSpec &o) { return o.name == longName; });
        if (!global && !own) {
            result.error =
                QStringLiteral("option --%1 does not apply to '%2'").arg(longName, result.command);
            return result;
        }
    }
    result.configPath = parser.value(QStringLiteral("config"));
    result.noGui = parser.isSet(QStringLiteral("no-gui"));
    result.dryRun = parser.isSet(QStringLiteral("dry-run"));
    result.repos = parser.values(QStringLiteral("repo"));
    result.json = parser.isSet(QStringLiteral("json"));
    if (parser.isSet(QStringLiteral("kind"))) {
        result.kind = parser.value(QStringLiteral("kind"));
        static const QStringList kinds = {QStringLiteral("function"), QStringLiteral("class"),
                                          QStringLiteral("file")};
        if (!kinds.contains(result.kind)) {
            result.error =
                QStringLiteral("--kind expects function, class or file, not '%1'").arg(result.kind);
            return result;
        }
    }
    if (parser.isSet(QStringLiteral("type"))) {
        result.docType = parser.value(QStringLiteral("type"));
        if (!DocType::find(result.docType)) {
            result.error = QStringLiteral("--type expects one of %1, not '%2'")
                               .arg(DocType::ids().join(QStringLiteral(", ")), result.docType);
            return result;
        }
        if (parser.isSet(QStringLiteral("kind"))) {
            result.error = QStringLiteral("--type and --kind do not go together");
            return result;
        }
    }
    if (result.command == QLatin1String("run-once") && result.repos.size() > 1) {
        result.error = QStringLiteral("run-once takes one --repo");
        return result;
    }
    if (parser.isSet(QStringLiteral("log-format"))) {
        result.logFormat = parser.value(QStringLiteral("log-format"));
        if (result.logFormat != QLatin1String("text") &&
            result.logFormat != QLatin1String("json")) {
            result.error =
                QStringLiteral("--log-format expects text or json, not '%1'").arg(result.logFormat);
            return result;
        }
    }
    if (parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        result.limit = parser.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || result.limit < 1) {
            result.error = QStringLiteral("--limit expects a positive whole number, not '%1'")
                               .arg(parser.value(QStringLiteral("limit")));
            return result;
        }
    }
    if (parser.isSet(QStringLiteral("days"))) {
        bool ok = false;
        result.days = parser.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || result.days < 1 || result.days > 366) {
            result.error = QStringLiteral("--days expects a whole number from 1 to 366, not '%1'")
                               .arg(parser.value(QStringLiteral("days")));
            return result;
        }
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        result.seed = parser.value(QStringLiteral("seed")).toULongLong(&result.hasSeed);
        if (!result.hasSeed) {
            result.error = QStringLiteral("--seed expects a non-negative whole number, not '%1'")
                               .arg(parser.value(QStringLiteral("seed")));
            return result;
        }
    }
    return result;
}

QString helpText()
{
    auto optionLine = [](const OptionSpec &o) -> QString {
        QString left = QStringLiteral("  --") + o.name;
        if (!o.valueName.isEmpty()) {
            left += QStringLiteral(" <%1>").arg(o.valueName);
        }
        return left.leftJustified(24) + QLatin1Char(' ') + o.description + QLatin1Char('\n');
    };
    QString text =
        QStringLiteral("Usage: codeworm [--config <dir|file>] [command] [options]\n\n"
                       "CodeWorm documents your code while you work: it picks a function "
                       "from your repositories,\nasks a local LLM to write about it and "
                       "commits the Markdown to your DevLog repository.\n\nCommands:\n");
    for (const CommandSpec &command : commands()) {
        const QString usage = command.argument.isEmpty()
                                  ? command.name
                                  : command.name + QLatin1Char(' ') + command.argument;
        text += QStringLiteral("  ") + usage.leftJustified(9) + QLatin1Char(' ') + command.summary +
                QLatin1Char('\n');
        for (const OptionSpec &o : command.options) {
            text += QStringLiteral("  ") + optionLine(o);
        }
    }
    text += QStringLiteral("\nOptions:\n");
    for (const OptionSpec &o : globalOptions()) {
        text += optionLine(o);
    }
    text += QStringLiteral(
        "\nExit codes: 0 success (also a cycle skipped for lack of candidates), "
        "1 the job failed,\n2 bad usage or configuration (or CodeWorm already runs on the "
        "state directory),\n3 no running CodeWorm answered a control "
        "command.\n");
    return text;
}

QString versionText()
{
    return QStringLiteral("codeworm %1").arg(QLatin1String(CODEWORM_VERSION));
}

} // namespace codeworm::CommandLine
