#pragma once

#include <QLoggingCategory>

// The notify module's log category, "codeworm.notify".
Q_DECLARE_LOGGING_CATEGORY(lcNotify)
