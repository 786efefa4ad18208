#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace codeworm {

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal on the main thread (the self-pipe
// trick: the handler only writes a byte, the event loop does the work).
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void received(int signalNumber);

private:
    void onActivated();
    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_signals;
};

} // namespace codeworm
