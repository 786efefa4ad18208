// codeworm-bench: the C++ side of the benchmarks in bench/. The extraction modes read a
// folder of source from disk (no git); the index modes read repositories as CodeWorm does
// (git at HEAD, or a plain folder) through the Indexer and SymbolIndex. Each prints what
// the scripts compare against a peer.

#include "analysis/CodeExtractor.h"
#include "analysis/CodeSymbol.h"
#include "analysis/Indexer.h"
#include "analysis/Language.h"
#include "analysis/RepositoryScanner.h"
#include "analysis/SymbolIndex.h"
#include "config/Config.h"
#include "devlog/DevLogRepository.h"
#include "llm/OllamaClient.h"
#include "state/StateStore.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <QTimeZone>

#include <tree_sitter/api.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace {

using codeworm::CodeExtractor;
using codeworm::CodeSymbol;
namespace Language = codeworm::Language;

struct ParserDeleter
{
    void operator()(TSParser *parser) const { ts_parser_delete(parser); }
};
using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;

struct SourceFile
{
    QString language;
    QString path; // relative to the folder, '/'-separated
    QByteArray content;
};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

bool isHidden(const std::filesystem::path &path)
{
    const std::string name = path.filename().string();
    return name.size() > 1 && name.front() == '.';
}

// Every file of a supported language under root, in path order so output is stable.
// Hidden folders and files are skipped; the language of a header comes from its content.
QList<SourceFile> collectSources(const QString &root)
{
    namespace fs = std::filesystem;
    const fs::path base(root.toStdString());
    std::vector<fs::path> paths;
    std::error_code error;
    fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (isHidden(it->path())) {
            if (it->is_directory(error)) {
                it.disable_recursion_pending();
            }
            continue;
        }
        if (it->is_regular_file(error)) {
            paths.push_back(it->path());
        }
    }
    if (error) {
        err() << "codeworm-bench: " << root << ": " << QString::fromStdString(error.message())
              << Qt::endl;
    }
    std::sort(paths.begin(), paths.end());

    QList<SourceFile> files;
    for (const fs::path &path : paths) {
        const QString relative =
            QString::fromStdString(path.lexically_relative(base).generic_string());
        if (Language::forPath(relative).isEmpty()) {
            continue;
        }
        QFile file(QString::fromStdString(path.string()));
        if (!file.open(QIODevice::ReadOnly)) {
            err() << "codeworm-bench: cannot read " << file.fileName() << Qt::endl;
            continue;
        }
        SourceFile source;
        source.content = file.readAll();
        source.language = Language::forContent(relative, source.content);
        source.path = relative;
        files.append(std::move(source));
    }
    return files;
}

// TSV fields are single-line and tab-free; symbol names never need more.
QString field(QString text)
{
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

qint64 totalBytes(const QList<SourceFile> &files)
{
    qint64 bytes = 0;
    for (const SourceFile &file : files) {
        bytes += file.content.size();
    }
    return bytes;
}

// The peer of the extractor's speed: a bare tree-sitter parse, one thread, one parser per
// language, the tree deleted at once. Returns seconds.
double bareParseSeconds(const QList<SourceFile> &files)
{
    std::map<QString, ParserPtr> parsers;
    QElapsedTimer timer;
    timer.start();
    for (const SourceFile &file : files) {
        ParserPtr &parser = parsers[file.language];
        if (!parser) {
            parser.reset(ts_parser_new());
            ts_parser_set_language(parser.get(), Language::grammar(file.language));
        }
        ts_tree_delete(ts_parser_parse_string(parser.get(), nullptr, file.content.constData(),
                                              static_cast<uint32_t>(file.content.size())));
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

QString figures(const QList<SourceFile> &files, double seconds)
{
    const double megabytes = static_cast<double>(totalBytes(files)) / 1e6;
    return QStringLiteral("files %1 bytes %2 seconds %3 MB/s %4")
        .arg(files.size())
        .arg(totalBytes(files))
        .arg(seconds, 0, 'f', 3)
        .arg(seconds > 0 ? megabytes / seconds : 0.0, 0, 'f', 1);
}

int filesMode(const QStringList &args)
{
    for (const SourceFile &file : collectSources(args.first())) {
        out() << file.language << '\t' << field(file.path) << '\t' << file.content.size() << '\n';
    }
    return 0;
}

int symbolsMode(const QStringList &args)
{
    for (const SourceFile &file : collectSources(args.first())) {
        const codeworm::FileAnalysis analysis = CodeExtractor::analyze(file.language, file.content);
        for (const CodeSymbol &symbol : analysis.symbols) {
            out() << file.language << '\t' << field(file.path) << '\t' << symbol.startLine << '\t'
                  << symbol.endLine << '\t' << CodeSymbol::kindName(symbol.kind) << '\t'
                  << field(symbol.name) << '\t' << field(symbol.displayName) << '\t'
                  << symbol.complexity << '\n';
        }
    }
    return 0;
}

// Everything CodeExtractor::analyze returns, so that two builds can be compared byte for
// byte. Text is escaped (\\, \t, \n, \r) rather than flattened: a changed doc comment or
// source must show.
int metricsMode(const QStringList &args)
{
    const auto escaped = [](const QString &text) -> QString {
        QString result;
        result.reserve(text.size());
        for (const QChar c : text) {
            if (c == QLatin1Char('\\')) {
                result += QLatin1String("\\\\");
            } else if (c == QLatin1Char('\t')) {
                result += QLatin1String("\\t");
            } else if (c == QLatin1Char('\n')) {
                result += QLatin1String("\\n");
            } else if (c == QLatin1Char('\r')) {
                result += QLatin1String("\\r");
            } else {
                result += c;
            }
        }
        return result;
    };
    const auto list = [&escaped](const QStringList &items) -> QString {
        QStringList parts;
        for (const QString &item : items) {
            parts << escaped(item);
        }
        return QLatin1Char('[') + parts.join(QLatin1String("|")) + QLatin1Char(']');
    };
    for (const SourceFile &file : collectSources(args.first())) {
        const codeworm::FileAnalysis analysis = CodeExtractor::analyze(file.language, file.content);
        const codeworm::FileMetrics &metrics = analysis.metrics;
        out() << "file\t" << file.language << '\t' << escaped(file.path) << '\t'
              << metrics.complexity << '\t' << metrics.maxNesting << '\t' << metrics.linesOfCode
              << '\t' << metrics.totalLines << '\t' << metrics.tokenCount << '\t'
              << metrics.functionCount << '\t' << metrics.typeCount << '\t'
              << int(analysis.hasSyntaxErrors) << '\t' << escaped(analysis.docComment) << '\n';
        for (const CodeSymbol &symbol : analysis.symbols) {
            out() << "symbol\t" << CodeSymbol::kindName(symbol.kind) << '\t' << escaped(symbol.name)
                  << '\t' << escaped(symbol.className) << '\t' << escaped(symbol.displayName)
                  << '\t' << symbol.startLine << '\t' << symbol.endLine << '\t' << symbol.startByte
                  << '\t' << symbol.endByte << '\t' << list(symbol.parameters) << '\t'
                  << list(symbol.decorators) << '\t' << escaped(symbol.docComment) << '\t'
                  << int(symbol.isAsync) << int(symbol.isStatic) << int(symbol.isAbstract)
                  << int(symbol.isGenerator) << int(symbol.isContextManager)
                  << int(symbol.isProperty) << int(symbol.isDataClass) << '\t' << symbol.complexity
                  << '\t' << symbol.maxNesting << '\t' << symbol.linesOfCode << '\t'
                  << symbol.tokenCount << '\t' << symbol.parameterCount << '\t'
                  << escaped(symbol.source) << '\n';
        }
    }
    return 0;
}

int parseMode(const QStringList &args)
{
    const QList<SourceFile> files = collectSources(args.first());
    out() << "bare tree-sitter parse: " << figures(files, bareParseSeconds(files)) << '\n';
    return 0;
}

// The extractor against its peer, the bare parse of the same files in the same run.
int analyzeMode(const QStringList &args)
{
    const QList<SourceFile> files = collectSources(args.first());
    const double parseSeconds = bareParseSeconds(files);
    qint64 symbols = 0;
    QElapsedTimer timer;
    timer.start();
    for (const SourceFile &file : files) {
        symbols += CodeExtractor::analyze(file.language, file.content).symbols.size();
    }
    const double analyzeSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    out() << "bare tree-sitter parse: " << figures(files, parseSeconds) << '\n'
          << "CodeExtractor::analyze: " << figures(files, analyzeSeconds) << " symbols " << symbols
          << '\n'
          << "analyze / bare parse: "
          << QString::number(parseSeconds > 0 ? analyzeSeconds / parseSeconds : 0.0, 'f', 2)
          << "x\n";
    return 0;
}

// ---- Index modes: repositories read as CodeWorm reads them ----------------------------

double seconds(const QElapsedTimer &timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

// Peak resident set of this process so far, in MB (getrusage: KiB on Linux).
double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// CPU seconds (user + system) of this process so far, every thread.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto toSeconds = [](const timeval &t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return toSeconds(usage.ru_utime) + toSeconds(usage.ru_stime);
}

// One RepoConfig per folder, named after it, with the default analyzer rules.
QList<codeworm::RepoConfig> repoConfigs(const QStringList &folders)
{
    QList<codeworm::RepoConfig> repos;
    for (const QString &folder : folders) {
        codeworm::RepoConfig repo;
        repo.path = QFileInfo(folder).absoluteFilePath();
        repo.name = QFileInfo(repo.path).fileName();
        repo.enabled = true;
        repos.append(repo);
    }
    return repos;
}

struct RepoFiles
{
    QList<codeworm::SourceFile> files;
    QString error;
};

// Every file the Indexer would parse: RepositorySnapshot's list and read, same rules.
RepoFiles readRepo(const QString &folder)
{
    RepoFiles result;
    const codeworm::RepoConfig repo = repoConfigs({folder}).first();
    auto opened = codeworm::RepositorySnapshot::open(codeworm::AnalyzerConfig{}, repo);
    if (!opened) {
        result.error = opened.error();
        return result;
    }
    const codeworm::RepositorySnapshot &snapshot = *opened.value();
    auto entries = snapshot.list();
    if (!entries) {
        result.error = entries.error();
        return result;
    }
    for (const codeworm::FileEntry &entry : entries.value()) {
        auto read = snapshot.read(entry);
        if (!read) {
            result.error = read.error();
            return result;
        }
        if (read.value()) {
            result.files.append(std::move(*read.value()));
        }
    }
    return result;
}

QStringList repoFolders(const QStringList &args)
{
    return args.mid(1);
}

// Prints one line per repository of a refresh; returns how many failed.
int printReport(const codeworm::IndexReport &report)
{
    int failed = 0;
    for (const codeworm::RepoIndexReport &repo : report.repos) {
        out() << "repo " << repo.name << ": parsed " << repo.filesParsed << " reused "
              << repo.filesReused << " removed " << repo.filesRemoved << " symbols " << repo.symbols
              << (repo.fullScan ? " full-scan" : "") << (repo.unchanged ? " unchanged" : "")
              << (repo.historyRead ? " history" : "") << " seconds "
              << QString::number(repo.elapsedMs / 1000.0, 'f', 3) << '\n';
        if (!repo.error.isEmpty()) {
            err() << "codeworm-bench: " << repo.name << ": " << repo.error << Qt::endl;
            ++failed;
        }
    }
    return failed;
}

// Symbols and files in the whole index.
std::pair<qint64, qint64> indexTotals(const codeworm::SymbolIndex &index)
{
    qint64 files = 0;
    qint64 symbols = 0;
    for (const QString &name : index.repoNames()) {
        auto counts = index.counts(name);
        if (!counts) {
            continue;
        }
        for (int n : counts.value().filesPerLanguage) {
            files += n;
        }
        for (int n : counts.value().symbolsPerLanguage) {
            symbols += n;
        }
    }
    return {files, symbols};
}

// A refresh of REPO... into DB; fresh: the database is deleted first (a first index).
int refreshMode(const QStringList &args, bool fresh)
{
    const QString database = args.first();
    if (fresh) {
        for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
            QFile::remove(database + QLatin1String(suffix));
        }
    } else if (!QFileInfo::exists(database)) {
        err() << "codeworm-bench: " << database << " does not exist (run index first)" << Qt::endl;
        return 1;
    }
    const double cpuBefore = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    codeworm::SymbolIndex index(database);
    if (codeworm::Status opened = index.open(); !opened) {
        err() << "codeworm-bench: " << opened.error() << Qt::endl;
        return 1;
    }
    codeworm::Indexer indexer(index, codeworm::AnalyzerConfig{});
    const codeworm::IndexReport report = indexer.refresh(repoConfigs(repoFolders(args)));
    const double wall = seconds(timer);
    const double cpu = cpuSeconds() - cpuBefore;
    const int failed = printReport(report);
    qint64 parsed = 0;
    qint64 symbols = 0;
    for (const codeworm::RepoIndexReport &repo : report.repos) {
        parsed += repo.filesParsed;
        symbols += repo.symbols;
    }
    const auto [indexedFiles, indexedSymbols] = indexTotals(index);
    out() << (fresh ? "index" : "rescan") << ": files parsed " << parsed << " symbols parsed "
          << symbols << " seconds " << QString::number(wall, 'f', 3) << " cpu seconds "
          << QString::number(cpu, 'f', 3) << " peak RSS MB " << QString::number(peakRssMb(), 'f', 1)
          << " index files " << indexedFiles << " index symbols " << indexedSymbols << '\n';
    return failed ? 1 : 0;
}

int indexMode(const QStringList &args)
{
    return refreshMode(args, true);
}

int rescanMode(const QStringList &args)
{
    return refreshMode(args, false);
}

// The files the Indexer would read, as `files` prints them, so that peers (ctags) run on
// exactly the same files.
int repoFilesMode(const QStringList &args)
{
    const RepoFiles repo = readRepo(args.first());
    if (!repo.error.isEmpty()) {
        err() << "codeworm-bench: " << repo.error << Qt::endl;
        return 1;
    }
    for (const codeworm::SourceFile &file : repo.files) {
        out() << file.language << '\t' << field(file.path) << '\t' << file.content.size() << '\n';
    }
    return 0;
}

// The peer of the first index: the same files as the Indexer reads (git blobs at HEAD or
// files on disk, same rules), read first, then a bare tree-sitter parse on one thread.
int repoParseMode(const QStringList &args)
{
    QElapsedTimer timer;
    timer.start();
    const RepoFiles repo = readRepo(args.first());
    if (!repo.error.isEmpty()) {
        err() << "codeworm-bench: " << repo.error << Qt::endl;
        return 1;
    }
    const double readSeconds = seconds(timer);
    QList<SourceFile> files;
    for (const codeworm::SourceFile &file : repo.files) {
        files.append(SourceFile{file.language, file.path, file.content});
    }
    out() << "read: files " << files.size() << " seconds " << QString::number(readSeconds, 'f', 3)
          << '\n'
          << "bare tree-sitter parse: " << figures(files, bareParseSeconds(files)) << '\n';
    return 0;
}

// Ranking queries as CodeWorm makes them (TargetFinder pages through best() with the
// analyzer's line and complexity limits) and variations of kinds, filters and offsets.
QList<codeworm::IndexQuery> selectQueries(const QStringList &repos, int count)
{
    using Kind = codeworm::CodeSymbol::Kind;
    const QList<QList<Kind>> kinds = {
        {},
        {Kind::Function},
        {Kind::Method},
        {Kind::Class, Kind::Struct},
        {Kind::Function, Kind::Method, Kind::Class},
    };
    const codeworm::AnalyzerConfig analyzer;
    QList<codeworm::IndexQuery> queries;
    for (int i = 0; i < count; ++i) {
        codeworm::IndexQuery query;
        query.limit = 50;
        query.kinds = kinds.at(i % kinds.size());
        query.offset = 50 * ((i / kinds.size()) % 8); // pages 1-8
        if (i % 2 == 0) {                             // the analyzer's limits, as TargetFinder
            query.minLines = analyzer.minLines;
            query.maxLines = analyzer.maxLines;
            query.minComplexity = analyzer.minComplexity;
        }
        if (i % 3 == 0 && !repos.isEmpty()) { // one repository
            query.repos = {repos.at((i / 3) % repos.size())};
        } else if (i % 3 == 1) { // every repository, named
            query.repos = repos;
        }
        query.files = i % 10 == 9; // whole files now and then
        queries.append(query);
    }
    return queries;
}

double median(std::vector<double> values)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

int selectMode(const QStringList &args)
{
    if (!QFileInfo::exists(args.first())) {
        err() << "codeworm-bench: " << args.first() << " does not exist" << Qt::endl;
        return 1;
    }
    codeworm::SymbolIndex index(args.first());
    if (codeworm::Status opened = index.open(); !opened) {
        err() << "codeworm-bench: " << opened.error() << Qt::endl;
        return 1;
    }
    const int count = args.size() > 1 ? args.at(1).toInt() : 200;
    const auto [files, symbols] = indexTotals(index);
    const QList<codeworm::IndexQuery> queries = selectQueries(index.repoNames(), count);
    std::vector<double> all;
    std::vector<double> targetFinder; // the query a cycle makes: first page, analyzer limits
    qint64 rows = 0;
    for (qsizetype i = 0; i < queries.size(); ++i) {
        QElapsedTimer timer;
        timer.start();
        auto result = index.best(queries.at(i));
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        if (!result) {
            err() << "codeworm-bench: " << result.error() << Qt::endl;
            return 1;
        }
        rows += result.value().size();
        all.push_back(ms);
        const codeworm::IndexQuery &q = queries.at(i);
        if (q.offset == 0 && q.minComplexity > 0 && q.kinds.isEmpty() && !q.files) {
            targetFinder.push_back(ms);
        }
    }
    std::vector<double> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&](double share) {
        return sorted.empty() ? 0.0
                              : sorted[std::min(sorted.size() - 1,
                                                static_cast<size_t>(share * sorted.size()))];
    };
    out() << "select: queries " << all.size() << " rows " << rows << " index files " << files
          << " index symbols " << symbols << " median ms " << QString::number(median(all), 'f', 2)
          << " p90 ms " << QString::number(at(0.9), 'f', 2) << " max ms "
          << QString::number(sorted.empty() ? 0.0 : sorted.back(), 'f', 2)
          << " first-page median ms " << QString::number(median(targetFinder), 'f', 2) << '\n';
    return 0;
}

// The syntax tree of one file as tree-sitter's S-expression, to show why a symbol is missed.
int treeMode(const QStringList &args)
{
    QFile file(args.first());
    if (!file.open(QIODevice::ReadOnly)) {
        err() << "codeworm-bench: cannot read " << args.first() << Qt::endl;
        return 1;
    }
    const QByteArray content = file.readAll();
    const QString language = Language::forContent(args.first(), content);
    if (language.isEmpty()) {
        err() << "codeworm-bench: no language for " << args.first() << Qt::endl;
        return 1;
    }
    ParserPtr parser(ts_parser_new());
    ts_parser_set_language(parser.get(), Language::grammar(language));
    TSTree *tree = ts_parser_parse_string(parser.get(), nullptr, content.constData(),
                                          static_cast<uint32_t>(content.size()));
    char *text = ts_node_string(ts_tree_root_node(tree));
    out() << language << ": " << text << '\n';
    free(text); // NOLINT(cppcoreguidelines-no-malloc): tree-sitter's allocation
    ts_tree_delete(tree);
    return 0;
}

// One generation through OllamaClient from PORT on the loopback (a server streaming NDJSON):
// the process's CPU seconds, every thread, around sending the request and receiving and
// parsing the whole stream (the client overhead benchmark's CodeWorm side).
int llmStreamMode(const QStringList &args)
{
    bool ok = false;
    const int port = args.at(0).toInt(&ok);
    if (!ok || port <= 0 || port > 65535) {
        err() << "llm-stream: not a port: " << args.at(0) << '\n';
        return 2;
    }
    codeworm::OllamaConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = port;
    config.model = QStringLiteral("bench");
    QNetworkAccessManager network;
    codeworm::OllamaClient client(config, &network);
    {
        // The peer's start-up (curl's empty request) is subtracted from its cost; here the
        // same one-time work (the network thread, proxy lookup) is done before measuring.
        QEventLoop warm;
        QNetworkRequest probe(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
        QNetworkReply *first = network.get(probe);
        QObject::connect(first, &QNetworkReply::finished, &warm, &QEventLoop::quit);
        warm.exec();
        first->deleteLater();
    }
    codeworm::GenerationRequest request;
    request.prompt = QStringLiteral("Stream.");
    QElapsedTimer timer;
    timer.start();
    const double cpuBefore = cpuSeconds();
    codeworm::LlmReply *reply = client.generate(request);
    QEventLoop loop;
    QObject::connect(reply, &codeworm::LlmReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const double cpu = cpuSeconds() - cpuBefore;
    if (reply->error() != codeworm::LlmReply::Error::None) {
        err() << "llm-stream: " << reply->errorString() << '\n';
        return 1;
    }
    out() << "llm-stream: tokens " << reply->result().outputTokens << " characters "
          << reply->result().text.size() << " seconds " << seconds(timer) << " cpu seconds " << cpu
          << '\n';
    return 0;
}

// The floor under any client of the same stream: one POST of /api/generate to PORT on the
// loopback over a blocking socket, then read() into a 64 KiB buffer until the server closes;
// no HTTP, chunk or JSON decoding. CPU seconds as llm-stream measures them, after the same
// warm-up request.
int rawStreamMode(const QStringList &args)
{
    bool ok = false;
    const int port = args.at(0).toInt(&ok);
    if (!ok || port <= 0 || port > 65535) {
        err() << "raw-stream: not a port: " << args.at(0) << '\n';
        return 2;
    }
    struct Socket
    {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        ~Socket()
        {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    };
    // Sends request and reads the answer to its end; the bytes read, or -1.
    const auto exchange = [port](const QByteArray &request) -> qint64 {
        const Socket socket;
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (socket.fd < 0 || ::connect(socket.fd, reinterpret_cast<const sockaddr *>(&address),
                                       sizeof address) != 0) {
            return -1;
        }
        for (qsizetype sent = 0; sent < request.size();) {
            const ssize_t wrote = ::write(socket.fd, request.constData() + sent,
                                          static_cast<size_t>(request.size() - sent));
            if (wrote <= 0) {
                return -1;
            }
            sent += wrote;
        }
        static char buffer[64 * 1024];
        qint64 total = 0;
        for (;;) {
            const ssize_t got = ::read(socket.fd, buffer, sizeof buffer);
            if (got < 0) {
                return -1;
            }
            if (got == 0) {
                return total;
            }
            total += got;
        }
    };
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (exchange("GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n") < 0) {
        err() << "raw-stream: " << qt_error_string(errno) << '\n';
        return 1;
    }
    const QByteArray body = R"({"model":"bench","prompt":"Stream.","stream":true})";
    const QByteArray request =
        "POST /api/generate HTTP/1.1\r\n" + host +
        "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    const double cpuBefore = cpuSeconds();
    const qint64 bytes = exchange(request);
    const double cpu = cpuSeconds() - cpuBefore;
    if (bytes < 0) {
        err() << "raw-stream: " << qt_error_string(errno) << '\n';
        return 1;
    }
    out() << "raw-stream: bytes " << bytes << " cpu seconds " << cpu << '\n';
    return 0;
}

// One document into the DevLog at REPO as a cycle puts it there: open the repository, write
// PATH atomically, stage and commit exactly it. Wall seconds of that step, in-process.
int devlogCommitMode(const QStringList &args)
{
    QElapsedTimer timer;
    timer.start();
    codeworm::DevLogConfig config;
    config.authorName = QStringLiteral("bench");
    config.authorEmail = QStringLiteral("bench@example.invalid");
    codeworm::DevLogRepository repository(config, args.at(0));
    if (const codeworm::Status opened = repository.openOrInit(); !opened) {
        err() << "devlog-commit: " << opened.error() << '\n';
        return 1;
    }
    const QString path = args.at(1);
    const QByteArray content = "# " + path.toUtf8() +
                               "\n\nA document of the benchmark, as long as a short one is.\n" +
                               QByteArray(1500, 'x') + '\n';
    if (const codeworm::Status written = repository.writeFile(path, content); !written) {
        err() << "devlog-commit: " << written.error() << '\n';
        return 1;
    }
    const codeworm::Result<QString> commit =
        repository.commitFiles({path}, QStringLiteral("Add %1").arg(path));
    if (!commit) {
        err() << "devlog-commit: " << commit.error() << '\n';
        return 1;
    }
    out() << "devlog-commit: seconds " << seconds(timer) << " commit " << commit.value() << '\n';
    return 0;
}

// The state modes: the statistics over a state database as years of use fill it.

struct RepoMix
{
    const char *name;
    int weight;
    QList<std::pair<const char *, int>> languages; // language, weight
};

// Weighted draw over (item, weight) pairs.
template<typename T>
const T &drawWeighted(QRandomGenerator &random, const QList<std::pair<T, int>> &items)
{
    int total = 0;
    for (const auto &item : items) {
        total += item.second;
    }
    int pick = int(random.bounded(total));
    for (const auto &item : items) {
        if ((pick -= item.second) < 0) {
            return item.first;
        }
    }
    return items.constLast().first;
}

QString extensionOf(const QString &language)
{
    static const QHash<QString, QString> extensions = {
        {QStringLiteral("python"), QStringLiteral("py")},
        {QStringLiteral("javascript"), QStringLiteral("js")},
        {QStringLiteral("typescript"), QStringLiteral("ts")},
        {QStringLiteral("tsx"), QStringLiteral("tsx")},
        {QStringLiteral("go"), QStringLiteral("go")},
        {QStringLiteral("rust"), QStringLiteral("rs")},
        {QStringLiteral("c"), QStringLiteral("c")},
        {QStringLiteral("cpp"), QStringLiteral("cpp")},
        {QStringLiteral("java"), QStringLiteral("java")},
    };
    return extensions.value(language);
}

QString folderOf(const QString &docType, const QString &language)
{
    static const QHash<QString, QString> folders = {
        {QStringLiteral("class_doc"), QStringLiteral("classes")},
        {QStringLiteral("file_doc"), QStringLiteral("files")},
        {QStringLiteral("module_doc"), QStringLiteral("modules")},
        {QStringLiteral("security_review"), QStringLiteral("reviews/security")},
        {QStringLiteral("performance_analysis"), QStringLiteral("reviews/performance")},
        {QStringLiteral("til"), QStringLiteral("til")},
        {QStringLiteral("code_evolution"), QStringLiteral("evolution")},
        {QStringLiteral("pattern_analysis"), QStringLiteral("patterns")},
        {QStringLiteral("weekly_summary"), QStringLiteral("analysis/weekly")},
        {QStringLiteral("monthly_summary"), QStringLiteral("analysis/monthly")},
    };
    return folders.value(docType, QStringLiteral("snippets/") + language);
}

QString hex(QRandomGenerator &random, int digits)
{
    static const char alphabet[] = "0123456789abcdef";
    QString text(digits, Qt::Uninitialized);
    for (int i = 0; i < digits; ++i) {
        text[i] = QLatin1Char(alphabet[random.bounded(16)]);
    }
    return text;
}

// DOCUMENTS documents over DAYS days up to now, as a daemon writes them: per day a count
// around the mean (weekends halved, now and then a day off), at hours weighted as the
// original's scheduler weighs them, over six repositories and every doc type by its default
// weight; each with its cycle, and failed and skipped cycles between them.
int statsFillMode(const QStringList &args)
{
    const QString database = args.at(0);
    const int documents = args.value(1, QStringLiteral("100000")).toInt();
    const int days = args.value(2, QStringLiteral("3650")).toInt();
    const QTimeZone zone(args.value(3, QStringLiteral("Europe/Berlin")).toUtf8());
    if (documents <= 0 || days <= 0 || !zone.isValid()) {
        err() << "stats-fill: DOCUMENTS and DAYS must be positive, ZONE a known time zone\n";
        return 2;
    }
    for (const char *suffix : {"", "-wal", "-shm"}) {
        QFile::remove(database + QLatin1String(suffix));
    }
    codeworm::StateStore state(database);
    if (const codeworm::Status opened = state.open(); !opened) {
        err() << "stats-fill: " << opened.error() << '\n';
        return 1;
    }
    QRandomGenerator random(20261130);
    const QList<RepoMix> repos = {
        {"webshop", 5, {{"python", 60}, {"javascript", 25}, {"typescript", 15}}},
        {"codeworm", 8, {{"cpp", 70}, {"python", 30}}},
        {"router", 3, {{"go", 100}}},
        {"engine", 4, {{"rust", 80}, {"c", 20}}},
        {"dashboard", 3, {{"tsx", 60}, {"typescript", 40}}},
        {"billing", 2, {{"java", 100}}},
    };
    QList<std::pair<const RepoMix *, int>> repoWeights;
    for (const RepoMix &repo : repos) {
        repoWeights.append({&repo, repo.weight});
    }
    const QList<std::pair<QString, int>> types = {
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
    QList<std::pair<int, int>> hours;
    const int hourWeights[24] = {20, 10,  5,   0,   0,   0,   10, 30, 80,  120, 150, 140,
                                 80, 100, 140, 150, 140, 100, 60, 50, 100, 120, 100, 50};
    for (int hour = 0; hour < 24; ++hour) {
        hours.append({hour, hourWeights[hour]});
    }
    const QList<std::pair<QString, int>> failures = {
        {QStringLiteral("generation failed: Ollama at http://localhost:11434: connection "
                        "refused"),
         5},
        {QStringLiteral("generation failed: timed out after 600 s"), 2},
        {QStringLiteral("DevLog commit failed: cannot lock ref 'refs/heads/main'"), 1},
    };
    const QList<std::pair<QString, int>> skips = {
        {QStringLiteral("no candidates"), 3},
        {QStringLiteral("fact check failed: `parse_header`, `Frame.decode`"), 2},
        {QStringLiteral("the answer was cut by the token limit twice"), 1},
    };

    QList<codeworm::DocumentedEntry> entries;
    QList<codeworm::CycleRecord> cycles;
    entries.reserve(documents);
    const QDate today = QDateTime::currentDateTime().toTimeZone(zone).date();
    const double mean = double(documents) / days;
    // Weekdays carry twice the weekend's count, and one day in thirty is a day off.
    const double weekday = mean * 7.0 / (5.0 + 2.0 * 0.5) * 30.0 / 29.0;
    // From today back, so that the recent days are always there.
    QDate day = today;
    while (entries.size() < documents) {
        if (day <= today.addDays(-days)) {
            day = today; // another round over the same days: rare
        }
        const QDate current = day;
        day = day.addDays(-1);
        if (current != today && random.bounded(30) == 0) {
            continue;
        }
        const double expected = current.dayOfWeek() >= 6 ? weekday / 2 : weekday;
        const int count = qMax(1, int(expected * (0.5 + random.generateDouble()) + 0.5));
        for (int i = 0; i < count && entries.size() < documents; ++i) {
            const RepoMix &repo = *drawWeighted(random, repoWeights);
            const QString language = QString::fromLatin1(drawWeighted(random, repo.languages));
            const QString &docType = drawWeighted(random, types);
            const QTime time(drawWeighted(random, hours), int(random.bounded(60)),
                             int(random.bounded(60)), int(random.bounded(1000)));
            const QDateTime when(current, time, zone);
            codeworm::DocumentedEntry entry;
            entry.sourceRepo = QString::fromLatin1(repo.name);
            const int module = int(random.bounded(40));
            const int file = int(random.bounded(300));
            entry.sourceFile = QStringLiteral("src/module%1/file%2.%3")
                                   .arg(module)
                                   .arg(file)
                                   .arg(extensionOf(language));
            if (docType != QLatin1String("file_doc") && docType != QLatin1String("module_doc")) {
                entry.functionName = QStringLiteral("handle_%1").arg(random.bounded(5000));
                if (random.bounded(10) < 4) {
                    entry.className = QStringLiteral("Service%1").arg(random.bounded(800));
                }
            }
            entry.codeHash = hex(random, 64);
            entry.documentedAt = when;
            const QString slug = (entry.className.isEmpty()
                                      ? entry.functionName
                                      : entry.className + QLatin1Char('-') + entry.functionName)
                                     .toLower();
            entry.snippetPath =
                QStringLiteral("%1/%2_%3.md")
                    .arg(folderOf(docType, language), current.toString(Qt::ISODate),
                         slug.isEmpty() ? QStringLiteral("file%1").arg(file) : slug);
            entry.gitCommit = hex(random, 40);
            entry.docType = docType;
            const int check = int(random.bounded(100));
            entry.factCheck =
                check < 90   ? QStringLiteral("passed (%1 identifiers)").arg(3 + random.bounded(20))
                : check < 94 ? QStringLiteral("failed: `helper_%1`").arg(random.bounded(100))
                             : QString();
            entry.language = language;
            entry.promptTokens = 800 + int(random.bounded(5200));
            entry.outputTokens = 150 + int(random.bounded(550));
            entry.generationMs = 8000 + random.bounded(82000);
            entry.totalMs = entry.generationMs + 2000 + random.bounded(13000);
            entries.append(entry);

            codeworm::CycleRecord cycle;
            cycle.started = when.addMSecs(-entry.totalMs);
            cycle.finished = when;
            cycle.outcome = codeworm::CycleRecord::Outcome::Success;
            cycle.docType = docType;
            cycle.repo = entry.sourceRepo;
            cycle.file = entry.sourceFile;
            cycle.symbol = entry.functionName;
            cycle.commitId = entry.gitCommit;
            cycle.selectMs = 50 + random.bounded(400);
            cycle.generateMs = entry.generationMs + 1500;
            cycle.commitMs = 30 + random.bounded(200);
            cycle.totalMs = entry.totalMs;
            const int other = int(random.bounded(100));
            if (other < 11) { // a failed or skipped cycle before this one
                codeworm::CycleRecord extra = cycle;
                extra.started = cycle.started.addSecs(-3600);
                extra.finished = extra.started.addSecs(20 + random.bounded(600));
                extra.outcome = other < 7 ? codeworm::CycleRecord::Outcome::Failed
                                          : codeworm::CycleRecord::Outcome::Skipped;
                extra.reason = drawWeighted(random, other < 7 ? failures : skips);
                extra.llmUnavailable = extra.reason.contains(QLatin1String("refused"));
                extra.commitId.clear();
                cycles.append(extra);
            }
            cycles.append(cycle);
        }
    }
    // Cycles are rows in the order they ran (a second round over the days comes last).
    std::stable_sort(cycles.begin(), cycles.end(),
                     [](const codeworm::CycleRecord &a, const codeworm::CycleRecord &b) {
                         return a.started < b.started;
                     });
    QElapsedTimer timer;
    timer.start();
    const auto imported = state.importEntries(entries);
    if (!imported) {
        err() << "stats-fill: " << imported.error() << '\n';
        return 1;
    }
    if (const codeworm::Status recorded = state.recordCycles(cycles); !recorded) {
        err() << "stats-fill: " << recorded.error() << '\n';
        return 1;
    }
    // Pushed, but for the last few.
    QStringList pushed;
    for (qsizetype i = 0; i + 5 < entries.size(); ++i) {
        pushed << entries.at(i).gitCommit;
    }
    if (const codeworm::Status marked = state.markPushed(pushed); !marked) {
        err() << "stats-fill: " << marked.error() << '\n';
        return 1;
    }
    out() << "stats-fill: documents " << imported.value().imported << " cycles " << cycles.size()
          << " days " << days << " zone " << QString::fromUtf8(zone.id()) << " seconds "
          << QString::number(seconds(timer), 'f', 2) << '\n';
    return 0;
}

// Each statistics query of `codeworm stats`, RUNS times after one warm-up run: median,
// minimum and maximum milliseconds.
int statsMode(const QStringList &args)
{
    if (!QFileInfo::exists(args.first())) {
        err() << "stats: " << args.first() << " does not exist (run stats-fill first)\n";
        return 1;
    }
    const int runs = qMax(1, args.value(1, QStringLiteral("21")).toInt());
    const QTimeZone zone(args.value(2, QStringLiteral("Europe/Berlin")).toUtf8());
    codeworm::StateStore state(args.first());
    if (const codeworm::Status opened = state.open(); !opened) {
        err() << "stats: " << opened.error() << '\n';
        return 1;
    }
    const QDateTime now = QDateTime::currentDateTime().toTimeZone(zone);
    const QDate today = now.date();
    using Grouping = codeworm::StateStore::Grouping;
    // Each query returns how many things it counted, so that its work is not optimised away
    // and the output shows it was real.
    const QList<std::pair<QString, std::function<qint64()>>> queries = {
        {QStringLiteral("totals"), [&] { return state.documentTotals().value().documents; }},
        {QStringLiteral("by-repository"),
         [&] { return qint64(state.countsBy(Grouping::Repository).value().size()); }},
        {QStringLiteral("by-type"),
         [&] { return qint64(state.countsBy(Grouping::DocType).value().size()); }},
        {QStringLiteral("by-language"),
         [&] { return qint64(state.countsBy(Grouping::Language).value().size()); }},
        {QStringLiteral("per-day-90"),
         [&] {
             qint64 sum = 0;
             const auto days = state.perDay(zone, today, 90);
             for (const codeworm::DayCount &d : days.value()) {
                 sum += d.count;
             }
             return sum;
         }},
        {QStringLiteral("streaks"), [&] { return state.streaks(zone, today).value().activeDays; }},
        {QStringLiteral("cycles"), [&] { return state.cycleTotals().value().total; }},
        {QStringLiteral("all"),
         [&] { return state.statistics(zone, now, 90).value().totals.documents; }},
    };
    const codeworm::DocumentTotals totals = state.documentTotals().value();
    out() << "stats: documents " << totals.documents << " cycles "
          << state.cycleTotals().value().total << " zone " << QString::fromUtf8(zone.id())
          << " runs " << runs << '\n';
    for (const auto &[name, query] : queries) {
        const qint64 counted = query();
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            query();
            times.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        }
        out() << "query " << name << ": counted " << counted << " median ms "
              << QString::number(median(times), 'f', 2) << " min ms "
              << QString::number(*std::min_element(times.begin(), times.end()), 'f', 2)
              << " max ms "
              << QString::number(*std::max_element(times.begin(), times.end()), 'f', 2) << '\n';
    }
    return 0;
}

// Opens a state database as CodeWorm does (an original's is backed up and migrated):
// seconds and the backup.
int stateOpenMode(const QStringList &args)
{
    QElapsedTimer timer;
    timer.start();
    codeworm::StateStore state(args.first());
    if (const codeworm::Status opened = state.open(); !opened) {
        err() << "state-open: " << opened.error() << '\n';
        return 1;
    }
    out() << "state-open: seconds " << QString::number(seconds(timer), 'f', 3) << " documents "
          << state.documentTotals().value().documents << " backup "
          << (state.lastBackup().isEmpty() ? QStringLiteral("none") : state.lastBackup()) << '\n';
    return 0;
}

// COUNT documents into the DevLog at REPO, one commit each through DevLogRepository as cycles
// make them (its compaction included): the DevLog of months of use.
int devlogFillMode(const QStringList &args)
{
    bool ok = false;
    const int count = args.at(1).toInt(&ok);
    if (!ok || count <= 0) {
        err() << "devlog-fill: not a count: " << args.at(1) << '\n';
        return 2;
    }
    QElapsedTimer timer;
    timer.start();
    codeworm::DevLogConfig config;
    config.authorName = QStringLiteral("bench");
    config.authorEmail = QStringLiteral("bench@example.invalid");
    codeworm::DevLogRepository repository(config, args.at(0));
    if (const codeworm::Status opened = repository.openOrInit(); !opened) {
        err() << "devlog-fill: " << opened.error() << '\n';
        return 1;
    }
    static const char *const folders[] = {"snippets",         "classes", "files",     "modules",
                                          "reviews/security", "til",     "evolution", "patterns"};
    for (int i = 0; i < count; ++i) {
        const QString path = QStringLiteral("%1/2026-%2/doc-%3.md")
                                 .arg(QLatin1String(folders[i % std::size(folders)]))
                                 .arg(i / 1000 % 12 + 1, 2, 10, QLatin1Char('0'))
                                 .arg(i, 6, 10, QLatin1Char('0'));
        // A document of about 2 kB: a heading, fields, prose that differs from one to the next.
        QByteArray text = "# Document " + QByteArray::number(i) + "\n\n**Repository:** project-" +
                          QByteArray::number(i % 17) + "\n\n";
        for (int line = 0; line < 24; ++line) {
            text += "Line " + QByteArray::number(line) + " of what the model wrote about item " +
                    QByteArray::number(i * 31 + line * 7) + ".\n";
        }
        if (const codeworm::Status written = repository.writeFile(path, text); !written) {
            err() << "devlog-fill: " << written.error() << '\n';
            return 1;
        }
        const codeworm::Result<QString> commit =
            repository.commitFiles({path}, QStringLiteral("Add %1").arg(path));
        if (!commit) {
            err() << "devlog-fill: " << commit.error() << '\n';
            return 1;
        }
        if ((i + 1) % 1000 == 0) {
            err() << "devlog-fill: " << (i + 1) << " documents, " << seconds(timer) << " s\n";
            err().flush();
        }
    }
    out() << "devlog-fill: documents " << count << " seconds " << seconds(timer) << '\n';
    return 0;
}

struct Mode
{
    QLatin1String name;
    QLatin1String arguments;
    QLatin1String description;
    qsizetype argumentCount;
    std::function<int(const QStringList &)> run;
    qsizetype maxArguments = 0; // more than argumentCount allowed: up to this many (-1: any)
};

std::span<const Mode> modes()
{
    static const Mode table[] = {
        {QLatin1String("files"), QLatin1String("FOLDER"),
         QLatin1String("language, path and size of every supported source file"), 1, filesMode},
        {QLatin1String("symbols"), QLatin1String("FOLDER"),
         QLatin1String("one TSV line per symbol: language path startLine endLine kind name "
                       "displayName complexity"),
         1, symbolsMode},
        {QLatin1String("metrics"), QLatin1String("FOLDER"),
         QLatin1String("every field of CodeExtractor::analyze: a TSV line per file (metrics, "
                       "syntax errors, module doc) and per symbol (all of CodeSymbol)"),
         1, metricsMode},
        {QLatin1String("parse"), QLatin1String("FOLDER"),
         QLatin1String("peer: bare tree-sitter parse of every file, one thread"), 1, parseMode},
        {QLatin1String("analyze"), QLatin1String("FOLDER"),
         QLatin1String("CodeExtractor::analyze of every file, one thread, against the bare "
                       "parse"),
         1, analyzeMode},
        {QLatin1String("tree"), QLatin1String("FILE"),
         QLatin1String("the tree-sitter syntax tree of FILE (S-expression)"), 1, treeMode},
        {QLatin1String("index"), QLatin1String("DB REPO..."),
         QLatin1String("first index: deletes DB, indexes the repositories (git at HEAD or "
                       "folders) with the Indexer; files, symbols, seconds, peak RSS"),
         2, indexMode, -1},
        {QLatin1String("rescan"), QLatin1String("DB REPO..."),
         QLatin1String("a refresh of an existing index (same REPO list as index); seconds"), 2,
         rescanMode, -1},
        {QLatin1String("select"), QLatin1String("DB [QUERIES]"),
         QLatin1String("median time of SymbolIndex::best() over QUERIES (200) ranking queries, "
                       "limit 50"),
         1, selectMode, 2},
        {QLatin1String("repo-files"), QLatin1String("REPO"),
         QLatin1String("the files the Indexer reads, as files prints them"), 1, repoFilesMode},
        {QLatin1String("llm-stream"), QLatin1String("PORT"),
         QLatin1String("one generation through OllamaClient from 127.0.0.1:PORT: CPU seconds "
                       "of receiving and parsing the NDJSON stream"),
         1, llmStreamMode},
        {QLatin1String("raw-stream"), QLatin1String("PORT"),
         QLatin1String("the floor of llm-stream: the same request over a blocking socket, read() "
                       "to the end with no HTTP or JSON decoding; CPU seconds"),
         1, rawStreamMode},
        {QLatin1String("devlog-commit"), QLatin1String("REPO PATH"),
         QLatin1String("write, stage and commit one document PATH into the DevLog REPO as a "
                       "cycle does; wall seconds of that step"),
         2, devlogCommitMode},
        {QLatin1String("stats-fill"), QLatin1String("DB [DOCUMENTS] [DAYS] [ZONE]"),
         QLatin1String("a fresh state database with DOCUMENTS (100000) documents over DAYS "
                       "(3650) days up to today in ZONE (Europe/Berlin), and their cycles"),
         1, statsFillMode, 4},
        {QLatin1String("stats"), QLatin1String("DB [RUNS] [ZONE]"),
         QLatin1String("each statistics query of codeworm stats, RUNS (21) times: median, "
                       "minimum and maximum milliseconds"),
         1, statsMode, 3},
        {QLatin1String("state-open"), QLatin1String("DB"),
         QLatin1String("open a state database as CodeWorm does (backup and migration of an "
                       "older one): seconds"),
         1, stateOpenMode},
        {QLatin1String("devlog-fill"), QLatin1String("REPO COUNT"),
         QLatin1String("COUNT documents into the DevLog REPO, one commit each, as cycles make "
                       "them (compaction included)"),
         2, devlogFillMode},
        {QLatin1String("repo-parse"), QLatin1String("REPO"),
         QLatin1String("peer of index: the Indexer's files read, then a bare tree-sitter parse, "
                       "one thread"),
         1, repoParseMode},
    };
    return table;
}

int usage()
{
    err() << "usage: codeworm-bench MODE ARGUMENTS\n";
    for (const Mode &mode : modes()) {
        err() << "  " << mode.name << ' ' << mode.arguments << "\n      " << mode.description
              << '\n';
    }
    err().flush();
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        return usage();
    }
    const QString name = args.takeFirst();
    for (const Mode &mode : modes()) {
        if (name == mode.name) {
            const qsizetype most = mode.maxArguments < 0
                                       ? args.size()
                                       : std::max(mode.argumentCount, mode.maxArguments);
            if (args.size() < mode.argumentCount || args.size() > most) {
                return usage();
            }
            const int status = mode.run(args);
            out().flush();
            return status;
        }
    }
    return usage();
}
