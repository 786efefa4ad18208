#include "cli/LogSink.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>

#include <cstdio>
#include <memory>

namespace codeworm::LogSink {

namespace {

struct Sink
{
    QMutex mutex;
    std::unique_ptr<QFile> file;
    bool debug = false;
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

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    Sink &s = sink();
    QMutexLocker lock(&s.mutex);
    if (type == QtDebugMsg && !s.debug) {
        return;
    }
    const QDateTime now = QDateTime::currentDateTime();
    QByteArray category = context.category ? QByteArray(context.category) : QByteArray();
    if (category == "default") {
        category.clear();
    }
    const QByteArray body = QByteArray(levelName(type)) + ": " +
                            (category.isEmpty() ? QByteArray() : category + ": ") +
                            message.toUtf8() + '\n';
    const QByteArray terminalLine = now.toString(QStringLiteral("HH:mm:ss ")).toUtf8() + body;
    std::fwrite(terminalLine.constData(), 1, size_t(terminalLine.size()), stderr);
    std::fflush(stderr);
    if (s.file) {
        s.file->write(now.toString(Qt::ISODate).toUtf8() + ' ' + body);
        s.file->flush();
    }
}

} // namespace

void install(bool debug)
{
    sink().debug = debug;
    qInstallMessageHandler(handler);
}

void setDebug(bool debug)
{
    QMutexLocker lock(&sink().mutex);
    sink().debug = debug;
}

bool setFile(const QString &path, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::Append | QIODevice::Text)) {
        if (error) {
            *error =
                QStringLiteral("cannot open the log file %1: %2").arg(path, file->errorString());
        }
        return false;
    }
    QMutexLocker lock(&sink().mutex);
    sink().file = std::move(file);
    return true;
}

} // namespace codeworm::LogSink
