#include "notify/Notifier.h"

#include "notify/NotifyLog.h"

Q_LOGGING_CATEGORY(lcNotify, "codeworm.notify")

namespace codeworm {

QString Notification::eventId(Kind kind)
{
    switch (kind) {
    case Kind::Commit:
        return QStringLiteral("commit");
    case Kind::LlmUnavailable:
        return QStringLiteral("llmUnavailable");
    case Kind::Failures:
        return QStringLiteral("failures");
    case Kind::PushFailing:
        return QStringLiteral("pushFailing");
    case Kind::Deadman:
        return QStringLiteral("deadman");
    }
    return QStringLiteral("commit");
}

void LogNotifier::notify(const Notification &notification)
{
    QString line = notification.summary;
    if (!notification.body.isEmpty()) {
        line += QStringLiteral(": ") +
                QString(notification.body).replace(QLatin1Char('\n'), QStringLiteral("; "));
    }
    qCInfo(lcNotify).noquote() << line;
}

} // namespace codeworm
