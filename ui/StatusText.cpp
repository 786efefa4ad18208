#include "StatusText.h"

#include <QCoreApplication>
#include <QLocale>

namespace codeworm::StatusText {

namespace {

QString timeOrDate(const QDateTime &when)
{
    if (when.date() == QDate::currentDate()) {
        return when.toString(QStringLiteral("HH:mm"));
    }
    return when.toString(QStringLiteral("ddd HH:mm"));
}

} // namespace

QString title(const DaemonStatus &status)
{
    return QCoreApplication::translate("StatusText", "CodeWorm: %1").arg(status.stateText());
}

QString today(const DaemonStatus &status)
{
    return QCoreApplication::translate("StatusText", "Today: %1 of %2 commits")
        .arg(status.commitsToday)
        .arg(status.plannedToday);
}

QString nextRun(const DaemonStatus &status)
{
    if (status.state == DaemonStatus::State::Paused) {
        return QCoreApplication::translate("StatusText", "Next run: paused");
    }
    if (!status.nextRun.isValid()) {
        return QCoreApplication::translate("StatusText", "Next run: none planned");
    }
    return QCoreApplication::translate("StatusText", "Next run: %1")
        .arg(timeOrDate(status.nextRun));
}

QString lastCommit(const DaemonStatus &status)
{
    if (status.lastCommit.isEmpty()) {
        return QCoreApplication::translate("StatusText", "Last commit: none yet");
    }
    return QCoreApplication::translate("StatusText", "Last commit: %1 at %2")
        .arg(status.lastCommit, timeOrDate(status.lastCommitAt));
}

QString activity(const DaemonStatus &status)
{
    if (status.state == DaemonStatus::State::Working && !status.currentTarget.isEmpty()) {
        if (status.tokensPerSecond > 0) {
            return QCoreApplication::translate("StatusText", "Writing about %1, %2 tokens/s")
                .arg(status.currentTarget)
                .arg(status.tokensPerSecond, 0, 'f', 1);
        }
        return QCoreApplication::translate("StatusText", "Writing about %1")
            .arg(status.currentTarget);
    }
    if ((status.state == DaemonStatus::State::Error ||
         status.state == DaemonStatus::State::WaitingForLlm) &&
        !status.lastError.isEmpty()) {
        return status.lastError;
    }
    return {};
}

QString tooltip(const DaemonStatus &status)
{
    QStringList lines{title(status), today(status), nextRun(status), lastCommit(status)};
    const QString now = activity(status);
    if (!now.isEmpty()) {
        lines << now;
    }
    if (!status.waiting.isEmpty()) {
        lines << QCoreApplication::translate("StatusText", "Waiting: %1").arg(status.waiting);
    }
    if (!status.alert.isEmpty()) {
        lines << QCoreApplication::translate("StatusText", "Alert: %1").arg(status.alert);
    }
    return lines.join(QLatin1Char('\n'));
}

QString iconPath(DaemonStatus::State state)
{
    switch (state) {
    case DaemonStatus::State::Idle:
        return QStringLiteral(":/icons/codeworm-idle.svg");
    case DaemonStatus::State::Working:
        return QStringLiteral(":/icons/codeworm-working.svg");
    case DaemonStatus::State::Paused:
        return QStringLiteral(":/icons/codeworm-paused.svg");
    case DaemonStatus::State::WaitingForLlm:
        return QStringLiteral(":/icons/codeworm-waiting.svg");
    case DaemonStatus::State::Error:
        break;
    }
    return QStringLiteral(":/icons/codeworm-error.svg");
}

} // namespace codeworm::StatusText
