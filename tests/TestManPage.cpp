// The man page against `codeworm --help` (same options, every command, every exit code) and
// the shell completions generated from the command table, run in a real bash.
#include "ProcessRun.h"

#include "cli/CommandLine.h"
#include "targets/DocType.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace codeworm;
using namespace codeworm::test;

namespace {

QString manPage()
{
    QFile file(QStringLiteral(CODEWORM_SOURCE_DIR "/packaging/man/codeworm.1"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    // roff escapes dashes; the reader sees plain ones.
    return QString::fromUtf8(file.readAll()).replace(QStringLiteral("\\-"), QStringLiteral("-"));
}

// The text of one .SH section, up to the next one.
QString section(const QString &page, const QString &name)
{
    const qsizetype start = page.indexOf(QStringLiteral("\n.SH ") + name + QLatin1Char('\n'));
    if (start < 0) {
        return {};
    }
    const qsizetype end = page.indexOf(QStringLiteral("\n.SH "), start + 1);
    return page.mid(start, end < 0 ? -1 : end - start);
}

QSet<QString> longOptions(const QString &text)
{
    static const QRegularExpression option(QStringLiteral("(?<![\\w-])--([a-z][a-z-]*[a-z])"));
    QSet<QString> names;
    for (const QRegularExpressionMatch &m : option.globalMatch(text)) {
        names.insert(m.captured(1));
    }
    return names;
}

QString sorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list.join(QLatin1Char(' '));
}

ProcessResult runBinary(const QStringList &arguments)
{
    return runProcess(QStringLiteral(CODEWORM_BINARY), arguments);
}

} // namespace

class TestManPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void optionsMatchHelp();
    void everyCommandIsDescribed();
    void everyExitCodeIsDescribed();
    void bashCompletionIsValid();
    void bashCompletionOffersTheTable_data();
    void bashCompletionOffersTheTable();
    void bashCompletionOffersFolders();
    void zshCompletionIsValid();
    void unknownShellIsBadUsage();

private:
    QStringList complete(const QStringList &words);

    QString m_help;
    QString m_page;
    QTemporaryDir m_dir;
    QString m_bashScript;
};

void TestManPage::initTestCase()
{
    const ProcessResult help = runBinary({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    m_help = help.out;
    m_page = manPage();
    QVERIFY2(!m_page.isEmpty(), "packaging/man/codeworm.1 cannot be read");
    QVERIFY(m_dir.isValid());
    const ProcessResult bash = runBinary({QStringLiteral("--completion"), QStringLiteral("bash")});
    QCOMPARE(bash.exitCode, 0);
    m_bashScript = m_dir.filePath(QStringLiteral("codeworm.bash"));
    QFile file(m_bashScript);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bash.out.toUtf8());
}

void TestManPage::optionsMatchHelp()
{
    const QSet<QString> help = longOptions(m_help);
    QVERIFY(help.contains(QStringLiteral("completion")));
    const QSet<QString> described = longOptions(section(m_page, QStringLiteral("COMMANDS")) +
                                                section(m_page, QStringLiteral("OPTIONS")));
    QCOMPARE(sorted(described), sorted(help));
    // Elsewhere the page may only name known options, apart from other programs' examples.
    QString rest;
    for (const QString &line : m_page.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1String("systemctl"))) {
            rest += line + QLatin1Char('\n');
        }
    }
    QCOMPARE(sorted(longOptions(rest) - help), QString());
}

void TestManPage::everyCommandIsDescribed()
{
    const QString commandsSection = section(m_page, QStringLiteral("COMMANDS"));
    static const QRegularExpression commandLine(QStringLiteral("^  ([a-z][a-z-]*)(?: |$)"),
                                                QRegularExpression::MultilineOption);
    QStringList fromHelp;
    for (const QRegularExpressionMatch &m : commandLine.globalMatch(m_help)) {
        fromHelp << m.captured(1);
    }
    QCOMPARE(fromHelp.size(), CommandLine::commands().size());
    for (const QString &command : fromHelp) {
        const QRegularExpression entry(
            QStringLiteral("^\\.TP\\n\\.BI? %1(?: |$)").arg(QRegularExpression::escape(command)),
            QRegularExpression::MultilineOption);
        QVERIFY2(entry.match(commandsSection).hasMatch(), qPrintable(command));
    }
}

void TestManPage::everyExitCodeIsDescribed()
{
    const QString status = section(m_page, QStringLiteral("EXIT STATUS"));
    for (const int code : {CommandLine::Success, CommandLine::JobFailed, CommandLine::BadUsage,
                           CommandLine::NotRunning}) {
        QVERIFY2(status.contains(QStringLiteral(".TP\n.B %1\n").arg(code)),
                 qPrintable(QString::number(code)));
    }
}

void TestManPage::bashCompletionIsValid()
{
    const ProcessResult syntax =
        runProcess(QStringLiteral("bash"), {QStringLiteral("-n"), m_bashScript});
    QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.err));
}

QStringList TestManPage::complete(const QStringList &words)
{
    // COMP_WORDS as bash would split the line, the cursor on the last word.
    const QString script = QStringLiteral("source \"$1\" || exit 9; shift; COMP_WORDS=(\"$@\"); "
                                          "COMP_CWORD=$(($# - 1)); _codeworm; "
                                          "printf '%s\\n' \"${COMPREPLY[@]}\"");
    const ProcessResult result = runProcess(
        QStringLiteral("bash"),
        QStringList{QStringLiteral("-c"), script, QStringLiteral("bash"), m_bashScript} + words);
    if (result.exitCode != 0 || !result.err.isEmpty()) {
        return {QStringLiteral("error %1: %2").arg(result.exitCode).arg(result.err)};
    }
    QStringList offered = result.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    offered.sort();
    return offered;
}

void TestManPage::bashCompletionOffersTheTable_data()
{
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<QStringList>("expected");
    auto list = [](const char *words) {
        return QString::fromLatin1(words).split(QLatin1Char(' '));
    };
    QStringList docTypes = DocType::ids();
    docTypes.sort();
    QTest::newRow("commands") << list("codeworm ru") << list("run run-now run-once");
    QTest::newRow("command after --config")
        << list("codeworm --config cfg sta") << list("stats status");
    QTest::newRow("run-once option") << list("codeworm run-once --t") << list("--type");
    QTest::newRow("doc types") << QStringList{QStringLiteral("codeworm"),
                                              QStringLiteral("run-once"), QStringLiteral("--type"),
                                              QString()}
                               << docTypes;
    QTest::newRow("doc type after =")
        << list("codeworm analyze --type = perf") << list("performance_analysis");
    QTest::newRow("kinds") << list("codeworm analyze --kind c") << list("class");
    QTest::newRow("log formats") << QStringList{QStringLiteral("codeworm"),
                                                QStringLiteral("--log-format"), QString()}
                                 << list("json text");
    QTest::newRow("analyze options")
        << list("codeworm analyze --")
        << list("--completion --config --help --json --kind --limit --repo --type --version");
    QTest::newRow("default command's options") << list("codeworm --n") << list("--no-gui");
    QTest::newRow("a repository name is not guessed")
        << list("codeworm index --repo x") << QStringList();
    QTest::newRow("shells") << list("codeworm --completion z") << list("zsh");
}

void TestManPage::bashCompletionOffersTheTable()
{
    QFETCH(QStringList, words);
    QFETCH(QStringList, expected);
    QCOMPARE(complete(words), expected);
}

void TestManPage::bashCompletionOffersFolders()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("project")));
    QFile file(m_dir.filePath(QStringLiteral("project.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString prefix = m_dir.filePath(QStringLiteral("proj"));
    // init --repo wants a folder; --config takes a folder or a file.
    QCOMPARE(complete({QStringLiteral("codeworm"), QStringLiteral("init"), QStringLiteral("--repo"),
                       prefix}),
             QStringList{m_dir.filePath(QStringLiteral("project"))});
    QCOMPARE(complete({QStringLiteral("codeworm"), QStringLiteral("--config"), prefix}),
             (QStringList{m_dir.filePath(QStringLiteral("project")),
                          m_dir.filePath(QStringLiteral("project.txt"))}));
}

void TestManPage::zshCompletionIsValid()
{
    const ProcessResult zsh = runBinary({QStringLiteral("--completion"), QStringLiteral("zsh")});
    QCOMPARE(zsh.exitCode, 0);
    QVERIFY(zsh.out.startsWith(QLatin1String("#compdef codeworm\n")));
    for (const CommandSpec &command : CommandLine::commands()) {
        QVERIFY2(zsh.out.contains(QStringLiteral("'%1:").arg(command.name)),
                 qPrintable(command.name));
    }
    if (QStandardPaths::findExecutable(QStringLiteral("zsh")).isEmpty()) {
        QSKIP("zsh is not installed: its syntax is not checked");
    }
    const QString path = m_dir.filePath(QStringLiteral("_codeworm"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(zsh.out.toUtf8());
    file.close();
    const ProcessResult syntax = runProcess(QStringLiteral("zsh"), {QStringLiteral("-n"), path});
    QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.err));
}

void TestManPage::unknownShellIsBadUsage()
{
    const ProcessResult result =
        runBinary({QStringLiteral("--completion"), QStringLiteral("fish")});
    QCOMPARE(result.exitCode, int(CommandLine::BadUsage));
    QVERIFY(result.err.contains(QLatin1String("--completion")));
}

QTEST_GUILESS_MAIN(TestManPage)
#include "TestManPage.moc"
