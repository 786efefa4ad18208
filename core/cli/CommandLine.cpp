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
            QStringLiteral("Log lines as text or as JSON objects (default: log.format)."),
            ValueHint::Choices};
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
                          "drawing one."),
           ValueHint::DocType},
          {QStringLiteral("repo"), QStringLiteral("name"),
           QStringLiteral("Only this configured repository.")},
          logFormatOption()}},
        {QStringLiteral("init"),
         QStringLiteral("Write a commented default configuration (never overwrites)."),
         {{QStringLiteral("repo"), QStringLiteral("path"),
           QStringLiteral("A repository to document (may be repeated)."), ValueHint::Directory}}},
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
           QStringLiteral("What to rank (default: function)."), ValueHint::Choices},
          {QStringLiteral("type"), QStringLiteral("doc type"),
           QStringLiteral("Preview the targets of this doc type (function_doc, class_doc, "
                          "...) instead."),
           ValueHint::DocType},
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
                        "else $XDG_CONFIG_HOME/codeworm)."),
         ValueHint::Path},
        {QStringLiteral("help"), {}, QStringLiteral("Show this help and exit.")},
        {QStringLiteral("version"), {}, QStringLiteral("Show the version and exit.")},
        {QStringLiteral("completion"), QStringLiteral("bash|zsh"),
         QStringLiteral("Print a shell completion script and exit."), ValueHint::Choices},
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
    if (parser.isSet(QStringLiteral("completion"))) {
        result.completion = parser.value(QStringLiteral("completion"));
        if (result.completion != QLatin1String("bash") &&
            result.completion != QLatin1String("zsh")) {
            result.error =
                QStringLiteral("--completion expects bash or zsh, not '%1'").arg(result.completion);
            return result;
        }
    }
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

QStringList valueChoices(const OptionSpec &option)
{
    switch (option.hint) {
    case ValueHint::Choices:
        return option.valueName.split(QLatin1Char('|'));
    case ValueHint::DocType:
        return DocType::ids();
    case ValueHint::None:
    case ValueHint::Directory:
    case ValueHint::Path:
        break;
    }
    return {};
}

namespace {

// Every option that takes a value, as a shell case pattern ("--config|-config|--type|...");
// QCommandLineParser also accepts a long option with a single dash.
QString valueOptionPattern()
{
    QStringList names;
    auto add = [&](const OptionSpec &o) {
        if (!o.valueName.isEmpty() && !names.contains(QStringLiteral("--") + o.name)) {
            names << QStringLiteral("--") + o.name << QStringLiteral("-") + o.name;
        }
    };
    for (const OptionSpec &o : globalOptions()) {
        add(o);
    }
    for (const CommandSpec &c : commands()) {
        for (const OptionSpec &o : c.options) {
            add(o);
        }
    }
    return names.join(QLatin1Char('|'));
}

// One case pattern per kind of value completion, "cmd:--option|...", with globals as "*:".
struct ValueCase
{
    QString pattern;
    ValueHint hint;
    QStringList choices;
};

QList<ValueCase> valueCases()
{
    QList<ValueCase> cases;
    auto add = [&](const QString &context, const OptionSpec &o) {
        if (o.valueName.isEmpty()) {
            return;
        }
        const QString pattern = context + QStringLiteral(":--") + o.name;
        const QStringList choices = valueChoices(o);
        for (ValueCase &existing : cases) {
            if (existing.hint == o.hint && existing.choices == choices) {
                existing.pattern += QLatin1Char('|') + pattern;
                return;
            }
        }
        cases.append({pattern, o.hint, choices});
    };
    for (const CommandSpec &c : commands()) {
        for (const OptionSpec &o : c.options) {
            add(c.name, o);
        }
    }
    for (const OptionSpec &o : globalOptions()) {
        add(QStringLiteral("*"), o);
    }
    return cases;
}

QString globalOptionWords()
{
    QStringList words;
    for (const OptionSpec &o : globalOptions()) {
        words << QStringLiteral("--") + o.name;
    }
    return words.join(QLatin1Char(' '));
}

QString bashScript()
{
    QString s = QStringLiteral(
        "# bash completion for codeworm, generated by `codeworm --completion bash` from its "
        "command table.\n"
        "_codeworm()\n"
        "{\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' command='' word\n"
        "    local -i cword=COMP_CWORD i\n"
        "    # bash splits --option=value at '=': complete the value of the option before it.\n"
        "    if [[ $cur == = ]]; then\n"
        "        cur=''\n"
        "        prev=${COMP_WORDS[cword - 1]}\n"
        "    elif ((cword >= 2)) && [[ ${COMP_WORDS[cword - 1]} == = ]]; then\n"
        "        prev=${COMP_WORDS[cword - 2]}\n"
        "    elif ((cword >= 1)); then\n"
        "        prev=${COMP_WORDS[cword - 1]}\n"
        "    fi\n"
        "    for ((i = 1; i < cword; i++)); do\n"
        "        word=${COMP_WORDS[i]}\n"
        "        case $word in\n");
    s += QStringLiteral("            %1)\n").arg(valueOptionPattern());
    s += QStringLiteral("                [[ ${COMP_WORDS[i + 1]} == = ]] && i+=1\n"
                        "                i+=1\n"
                        "                ;;\n"
                        "            -*) ;;\n"
                        "            *)\n"
                        "                command=$word\n"
                        "                break\n"
                        "                ;;\n"
                        "        esac\n"
                        "    done\n"
                        "    case ${command:-run}:$prev in\n");
    for (const ValueCase &c : valueCases()) {
        s += QStringLiteral("        %1)\n").arg(c.pattern);
        switch (c.hint) {
        case ValueHint::Choices:
        case ValueHint::DocType:
            s += QStringLiteral(
                     "            mapfile -t COMPREPLY < <(compgen -W \"%1\" -- \"$cur\")\n")
                     .arg(c.choices.join(QLatin1Char(' ')));
            break;
        case ValueHint::Directory:
            s += QStringLiteral("            compopt -o filenames 2>/dev/null\n"
                                "            mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")\n");
            break;
        case ValueHint::Path:
            s += QStringLiteral("            compopt -o filenames 2>/dev/null\n"
                                "            mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n");
            break;
        case ValueHint::None:
            s += QStringLiteral("            COMPREPLY=()\n");
            break;
        }
        s += QStringLiteral("            return\n"
                            "            ;;\n");
    }
    s += QStringLiteral("    esac\n"
                        "    if [[ $cur == -* ]]; then\n"
                        "        local options=''\n"
                        "        case ${command:-run} in\n");
    for (const CommandSpec &c : commands()) {
        if (c.options.isEmpty()) {
            continue;
        }
        QStringList words;
        for (const OptionSpec &o : c.options) {
            words << QStringLiteral("--") + o.name;
        }
        s += QStringLiteral("            %1) options=\"%2\" ;;\n")
                 .arg(c.name, words.join(QLatin1Char(' ')));
    }
    QStringList names;
    QStringList withArgument;
    for (const CommandSpec &c : commands()) {
        names << c.name;
        if (!c.argument.isEmpty()) {
            withArgument << c.name;
        }
    }
    s += QStringLiteral("        esac\n"
                        "        mapfile -t COMPREPLY < <(compgen -W \"$options %1\" -- \"$cur\")\n"
                        "    elif [[ -z $command ]]; then\n"
                        "        mapfile -t COMPREPLY < <(compgen -W \"%2\" -- \"$cur\")\n")
             .arg(globalOptionWords(), names.join(QLatin1Char(' ')));
    if (!withArgument.isEmpty()) {
        s += QStringLiteral("    else\n"
                            "        case $command in\n"
                            "            %1)\n"
                            "                compopt -o filenames 2>/dev/null\n"
                            "                mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
                            "                ;;\n"
                            "        esac\n")
                 .arg(withArgument.join(QLatin1Char('|')));
    }
    s += QStringLiteral("    fi\n"
                        "}\n"
                        "complete -F _codeworm codeworm\n");
    return s;
}

// A zsh single-quoted word.
QString zshQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString zshDescribed(const QString &word, const QString &description)
{
    return zshQuote(word + QLatin1Char(':') + description);
}

QString zshScript()
{
    QString s = QStringLiteral(
        "#compdef codeworm\n"
        "# zsh completion for codeworm, generated by `codeworm --completion zsh` from its "
        "command table.\n"
        "_codeworm() {\n"
        "  local -a commands options\n"
        "  local cmd='' word\n"
        "  integer i\n"
        "  commands=(\n");
    for (const CommandSpec &c : commands()) {
        s += QStringLiteral("    %1\n").arg(zshDescribed(c.name, c.summary));
    }
    s += QStringLiteral("  )\n"
                        "  for ((i = 2; i < CURRENT; i++)); do\n"
                        "    word=${words[i]}\n"
                        "    case $word in\n"
                        "      (%1) ((i++)) ;;\n"
                        "      (-*) ;;\n"
                        "      (*) cmd=$word; break ;;\n"
                        "    esac\n"
                        "  done\n"
                        "  case ${cmd:-run}:${words[CURRENT-1]} in\n")
             .arg(valueOptionPattern());
    for (const ValueCase &c : valueCases()) {
        QString action;
        switch (c.hint) {
        case ValueHint::Choices:
        case ValueHint::DocType:
            action = QStringLiteral("compadd -- ") + c.choices.join(QLatin1Char(' '));
            break;
        case ValueHint::Directory:
            action = QStringLiteral("_files -/");
            break;
        case ValueHint::Path:
            action = QStringLiteral("_files");
            break;
        case ValueHint::None:
            action = QStringLiteral("_message 'value'");
            break;
        }
        s += QStringLiteral("    (%1) %2; return ;;\n").arg(c.pattern, action);
    }
    s += QStringLiteral("  esac\n"
                        "  if [[ $PREFIX == -* ]]; then\n"
                        "    case ${cmd:-run} in\n");
    auto described = [](const OptionSpec &o) {
        return zshDescribed(QStringLiteral("--") + o.name, o.description);
    };
    QStringList withArgument;
    for (const CommandSpec &c : commands()) {
        if (!c.argument.isEmpty()) {
            withArgument << c.name;
        }
        if (c.options.isEmpty()) {
            continue;
        }
        QStringList words;
        for (const OptionSpec &o : c.options) {
            words << described(o);
        }
        s += QStringLiteral("      (%1) options=(%2) ;;\n")
                 .arg(c.name, words.join(QLatin1Char(' ')));
    }
    QStringList globals;
    for (const OptionSpec &o : globalOptions()) {
        globals << described(o);
    }
    s += QStringLiteral("    esac\n"
                        "    options+=(%1)\n"
                        "    _describe -t options option options\n"
                        "  elif [[ -z $cmd ]]; then\n"
                        "    _describe -t commands command commands\n")
             .arg(globals.join(QLatin1Char(' ')));
    if (!withArgument.isEmpty()) {
        s += QStringLiteral("  else\n"
                            "    case $cmd in\n"
                            "      (%1) _files ;;\n"
                            "    esac\n")
                 .arg(withArgument.join(QLatin1Char('|')));
    }
    s += QStringLiteral("  fi\n"
                        "}\n"
                        "_codeworm \"$@\"\n");
    return s;
}

} // namespace

QString completionScript(const QString &shell)
{
    if (shell == QLatin1String("bash")) {
        return bashScript();
    }
    if (shell == QLatin1String("zsh")) {
        return zshScript();
    }
    return {};
}

} // namespace codeworm::CommandLine
