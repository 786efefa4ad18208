#pragma once

#include <QString>

namespace codeworm::LogSink {

// Routes Qt's log messages to stderr ("12:04:05 warning: ...") and, once a file is set,
// appends them to it with the date. Debug messages only when `debug` is on.
void install(bool debug);
void setDebug(bool debug);
// Opens (appends to) the log file; returns false with the reason in `error`.
bool setFile(const QString &path, QString *error);

} // namespace codeworm::LogSink
