#pragma once

#include <QByteArray>
#include <QString>

namespace codeworm {

// One file chosen by the scanner: repository-relative path, language and content.
struct SourceFile
{
    QString path;      // relative to the repository root, '/' separated
    QString language;  // "python", "cpp", ... (see Language.h)
    QString contentId; // git blob id, or "size-mtime-sha256" for a plain folder
    QByteArray content;
};

} // namespace codeworm
