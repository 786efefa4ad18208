#include "Autostart.h"

#include "config/Config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace codeworm {

QString Autostart::filePath()
{
    return xdgConfigHome() + QStringLiteral("/autostart/io.github.codeworm.CodeWorm.desktop");
}

bool Autostart::isEnabled()
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line == "Hidden=true" || line == "X-GNOME-Autostart-enabled=false") {
            return false;
        }
    }
    return true;
}

Status Autostart::setEnabled(bool enabled)
{
    const QString path = filePath();
    if (!enabled) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            return Status::failure(QStringLiteral("cannot remove %1").arg(path));
        }
        return {};
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return Status::failure(
            QStringLiteral("cannot create the folder %1").arg(QFileInfo(path).absolutePath()));
    }
    const QByteArray entry = QByteArrayLiteral("[Desktop Entry]\n"
                                               "Type=Application\n"
                                               "Name=CodeWorm\n"
                                               "Comment=Documents your code while you work\n"
                                               "Exec=codeworm run\n"
                                               "Icon=io.github.codeworm.CodeWorm\n"
                                               "Terminal=false\n"
                                               "X-GNOME-Autostart-enabled=true\n");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(entry) != entry.size() || !file.commit()) {
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

} // namespace codeworm
