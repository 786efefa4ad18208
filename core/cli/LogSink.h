#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace codeworm::LogSink {

enum class Format {
    Text, // "12:04:05 warning: codeworm.daemon: ..." on stderr, the date in the file
    Json, // one object per line: time, level, category, message, pid
};

// Routes Qt's log messages to stderr and, once a file is set, appends them to it. Debug
// messages only when `debug` is on. When stderr is the journal (see stderrIsJournal), text
// lines carry the sd-daemon priority prefix ("<4>") instead of the time.
void install(bool debug);
void setDebug(bool debug);
void setFormat(Format format);
// "text" or "json"; nullopt for anything else.
std::optional<Format> formatFromName(const QString &name);
// Past `maxBytes` the file is renamed to <file>.1 (older ones shift up to <file>.<keepFiles>,
// the oldest is deleted; keepFiles 0 just starts the file again). maxBytes <= 0: never.
void setRotation(qint64 maxBytes, int keepFiles);
// Opens (appends to) the log file; returns false with the reason in `error`.
bool setFile(const QString &path, QString *error);
// Closes the log file; messages go to stderr only.
void closeFile();

// systemd's documented check: JOURNAL_STREAM holds "<device>:<inode>" of the stream it
// connected, so it names `fd` only when fstat(fd) gives that device and inode (a child whose
// stderr was redirected inherits the variable but not the stream).
bool stderrIsJournal(const QByteArray &journalStream, int fd);
// Overrides what install() detected from the environment.
void setJournal(bool journal);
// Whether stderr gets JSON or journal lines: then plain lines there would break its shape.
bool stderrIsStructured();

} // namespace codeworm::LogSink
