#pragma once

#include "daemon/Daemon.h"

#include <QString>

namespace codeworm::StatusText {

// The lines the tray tooltip and the status window share.
QString title(const DaemonStatus &status);      // "CodeWorm: Idle"
QString today(const DaemonStatus &status);      // "Today: 2 of 6 commits"
QString nextRun(const DaemonStatus &status);    // "Next run: 14:35"
QString lastCommit(const DaemonStatus &status); // "Last commit: Parser.parse (core) at 13:02"
QString activity(const DaemonStatus &status); // target and tokens/s while working, else last error
QString tooltip(const DaemonStatus &status);  // all of the above, one per line, then why the
                                              // next run waits and the dead-man's alert
QString iconPath(DaemonStatus::State state);  // ":/icons/codeworm-idle.svg", ...

} // namespace codeworm::StatusText
