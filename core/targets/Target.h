#pragma once

#include "analysis/CodeSymbol.h"

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace codeworm {

// One file's change in one commit: what code_evolution documents.
struct CodeChange
{
    QString commitId; // full hex id
    QString shortId;  // the first seven hex digits, as git shows it
    QString message;  // the whole commit message, trimmed
    QString authorName;
    QDateTime authorDate; // in the author's own time zone
    QString oldPath;      // a renamed file's previous path; else empty
    int additions = 0;
    int deletions = 0;
    int hunks = 0;
    // Display names of the functions and types the hunks touch, as the file stands after the
    // commit, most interesting first.
    QStringList touchedSymbols;

    QString summary() const { return message.section(QLatin1Char('\n'), 0, 0).trimmed(); }
};

// A folder of source files: what module_doc documents.
struct ModuleInfo
{
    QString kind;      // "Python package", "Go package", ...
    QString folder;    // repository-relative; "" for the root folder
    QStringList files; // repository-relative, most interesting first
    int totalLines = 0;
    int functions = 0;
    int types = 0;
};

// A week or a month of activity: what weekly_summary and monthly_summary cover.
struct PeriodInfo
{
    QString key;   // "2026-W48", "2026-11"
    QString title; // "Week 48 of 2026", "November 2026"
    QDate first;
    QDate last;
    int documents = 0;    // documents CodeWorm wrote in the period
    int commits = 0;      // commits in the source repositories
    int repositories = 0; // repositories read
};

// Something to document: one symbol of one file of one repository, for one doc type.
struct Target
{
    QString docType = QStringLiteral("function_doc");
    QString repoName;
    QString repoPath;
    bool publishSource = true;
    QString filePath; // repository-relative
    QString language;
    CodeSymbol symbol;
    QString codeHash; // SHA-256 (hex) of symbol.source: the dedup key with docType
    // What the finder saw that made it pick the target (security and performance signals,
    // idioms), one "- line N: ..." per line; empty for plain documentation.
    QString findings;
    double score = 0;    // interest score at selection
    QString fileContent; // the whole file the symbol is in (for the fact check)
    // For methods: the line that declares their class, struct, impl or receiver type
    // ("class Circle(Shape):", "impl<T> Cache<T> for Store"), without its body.
    QString classSignature;
    // code_evolution only. The symbol then describes the changed file at that commit: its
    // name and display name are "<file name> @ <short id>" (so the (repo, file, symbol, type)
    // dedup key names the commit), its lines span the hunks, its metrics are the file's, and
    // its source is the diff's hunks: every step that guards the source (redaction, the
    // code hash, publish_source, the fact check's snippet) applies to the diff unchanged.
    // fileContent is the file as that commit left it.
    std::optional<CodeChange> change;
    // module_doc only. The symbol then describes the module: its name and display name are
    // the folder (the repository's name for its root folder), its metrics are the files' sums
    // from the index, and its source is the outline of the files and their main functions and
    // types (what is prompted and shown); the code hash is that of the files' code hashes, so
    // any edit to a file is a new module version. fileContent is the files read, concatenated.
    std::optional<ModuleInfo> module;
    // weekly_summary and monthly_summary only. The repository is "all", the file path and the
    // symbol's name are the period's key, its display name the period's title, and its
    // source the period's facts (PeriodSummary::digest()), which the model summarises; the
    // code hash names the type and period, so each period is summarised once.
    std::optional<PeriodInfo> period;
};

} // namespace codeworm
