#pragma once

#include "common/Result.h"

#include <QString>

namespace codeworm {

// Start at login through the XDG autostart specification: a desktop entry in
// $XDG_CONFIG_HOME/autostart (~/.config/autostart) that runs `codeworm run`.
class Autostart
{
public:
    static QString filePath(); // .../autostart/io.github.codeworm.CodeWorm.desktop
    // Whether the entry exists and is not turned off (Hidden=true or
    // X-GNOME-Autostart-enabled=false, as desktops write when the user disables it there).
    static bool isEnabled();
    // Writes (atomically) or removes the entry.
    static Status setEnabled(bool enabled);
};

} // namespace codeworm
