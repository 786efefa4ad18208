#include "cli/LogSink.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <cstdio>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

namespace codeworm::LogSink {

namespace {

struct Sink
{
    QMutex mutex;
    std::unique_ptr<QFile> file;
    QString path;
    qint64 written = 0; // the file's size, counted as we write: no stat per line
    qint64 maxBytes = 0;
    int keepFiles = 3;
    Format format = Format::Text;
    bool debug = false;
    bool journal = false;
};

Sink &sink()
{
    static Sink instance;
    return instance;
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

// sd-daemon(3) priorities, which journald reads off the start of each line.
const char *journalPrefix(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "<7>";
    case QtInfoMsg:
        return "<6>";
    case QtWarningMsg:
        return "<4>";
    case QtCriticalMsg:
        return "<3>";
    case QtFatalMsg:
        return "<2>";
    }
    return "<6>";
}

// ISO 8601 with milliseconds and always a numeric offset, so that lines from machines in
// different zones sort and compare.
QString isoTime(const QDateTime &now)
{
    const int offset = now.offsetFromUtc();
    const int minutes = qAbs(offset) / 60;
    return now.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
           (offset < 0 ? QLatin1Char('-') : QLatin1Char('+')) +
           QStringLiteral("%1:%2")
               .arg(minutes / 60, 2, 10, QLatin1Char('0'))
               .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QByteArray jsonLine(QtMsgType type, const QDateTime &now, const QByteArray &category,
                    const QString &message)
{
    static const qint64 pid = QCoreApplication::applicationPid();
    const QJsonObject object{
        {QStringLiteral("time"), isoTime(now)},
        {QStringLiteral("level"), QLatin1String(levelName(type))},
        {QStringLiteral("category"), QString::fromUtf8(category)},
        {QStringLiteral("message"), message},
        {QStringLiteral("pid"), pid},
    };
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray numbered(const QString &path, int n)
{
    return QFile::encodeName(path + QLatin1Char('.') + QString::number(n));
}

bool openFile(Sink &s, QIODevice::OpenMode mode, QString *error)
{
    auto file = std::make_unique<QFile>(s.path);
    if (!file->open(mode)) {
        if (error) {
            *error =
                QStringLiteral("cannot open the log file %1: %2").arg(s.path, file->errorString());
        }
        s.file.reset();
        return false;
    }
    s.written = file->size();
    s.file = std::move(file);
    return true;
}

// Called with the mutex held. Plain rename(2) and remove(3): QFile's would refuse to replace
// a leftover file, and nothing here may log (the handler is not reentrant).
void rotate(Sink &s)
{
    s.file->close();
    QIODevice::OpenMode mode = QIODevice::WriteOnly | QIODevice::Truncate;
    if (s.keepFiles > 0) {
        std::remove(numbered(s.path, s.keepFiles).constData());
        for (int n = s.keepFiles - 1; n >= 1; --n) {
            std::rename(numbered(s.path, n).constData(), numbered(s.path, n + 1).constData());
        }
        std::rename(QFile::encodeName(s.path).constData(), numbered(s.path, 1).constData());
        // Should the rename have failed, keep appending rather than wipe the log.
        mode = QIODevice::Append;
    }
    QString error;
    if (!openFile(s, mode, &error)) {
        const QByteArray line = "codeworm: " + error.toUtf8() + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    }
}

void writeToFile(Sink &s, const QByteArray &line)
{
    if (!s.file) {
        return;
    }
    // The whole line goes to the fresh file: none is lost or split at a rotation. A line
    // longer than the limit on its own still gets written, alone in its file.
    if (s.maxBytes > 0 && s.written > 0 && s.written + line.size() > s.maxBytes) {
        rotate(s);
        if (!s.file) {
            return;
        }
    }
    const qint64 n = s.file->write(line);
    s.file->flush();
    if (n > 0) {
        s.written += n;
    }
}

void writeToStderr(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    Sink &s = sink();
    QMutexLocker lock(&s.mutex);
    if (type == QtDebugMsg && !s.debug) {
        return;
    }
    const QDateTime now = QDateTime::currentDateTime();
    QByteArray category = context.category ? QByteArray(context.category) : QByteArray();
    if (s.format == Format::Json) {
        const QByteArray line = jsonLine(type, now, category, message);
        writeToStderr(line);
        writeToFile(s, line);
        return;
    }
    if (category == "default") {
        category.clear();
    }
    const QByteArray body = QByteArray(levelName(type)) + ": " +
                            (category.isEmpty() ? QByteArray() : category + ": ") +
                            message.toUtf8() + '\n';
    if (s.journal) {
        // journald makes an entry of each line: every line of a multi-line message keeps the
        // priority. The journal has its own time stamp.
        const QByteArray prefix = journalPrefix(type);
        QByteArray lines = prefix + body.chopped(1);
        lines.replace("\n", QByteArray(1, '\n').append(prefix));
        writeToStderr(lines + '\n');
    } else {
        writeToStderr(now.toString(QStringLiteral("HH:mm:ss ")).toUtf8() + body);
    }
    writeToFile(s, now.toString(Qt::ISODate).toUtf8() + ' ' + body);
}

} // namespace

void install(bool debug)
{
    const bool journal = stderrIsJournal(qgetenv("JOURNAL_STREAM"), STDERR_FILENO);
    {
        QMutexLocker lock(&sink().mutex);
        sink().debug = debug;
        sink().journal = journal;
    }
    qInstallMessageHandler(handler);
}

void setDebug(bool debug)
{
    QMutexLocker lock(&sink().mutex);
    sink().debug = debug;
}

void setFormat(Format format)
{
    QMutexLocker lock(&sink().mutex);
    sink().format = format;
}

std::optional<Format> formatFromName(const QString &name)
{
    if (name == QLatin1String("text")) {
        return Format::Text;
    }
    if (name == QLatin1String("json")) {
        return Format::Json;
    }
    return std::nullopt;
}

void setRotation(qint64 maxBytes, int keepFiles)
{
    QMutexLocker lock(&sink().mutex);
    sink().maxBytes = maxBytes;
    sink().keepFiles = qMax(0, keepFiles);
}

bool setFile(const QString &path, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QMutexLocker lock(&sink().mutex);
    sink().path = path;
    return openFile(sink(), QIODevice::Append, error);
}

void closeFile()
{
    QMutexLocker lock(&sink().mutex);
    sink().file.reset();
}

bool stderrIsJournal(const QByteArray &journalStream, int fd)
{
    const qsizetype colon = journalStream.indexOf(':');
    if (colon <= 0) {
        return false;
    }
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = journalStream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = journalStream.mid(colon + 1).toULongLong(&inodeOk);
    struct stat info = {};
    if (!deviceOk || !inodeOk || ::fstat(fd, &info) != 0) {
        return false;
    }
    return qulonglong(info.st_dev) == device && qulonglong(info.st_ino) == inode;
}

void setJournal(bool journal)
{
    QMutexLocker lock(&sink().mutex);
    sink().journal = journal;
}

bool stderrIsStructured()
{
    QMutexLocker lock(&sink().mutex);
    return sink().format == Format::Json || sink().journal;
}

} // namespace codeworm::LogSink
