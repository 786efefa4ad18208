#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QNetworkReply>

class QHostInfo;
class QNetworkAccessManager;
class QSocketNotifier;
class QTimer;

namespace codeworm {

// A QNetworkReply for one plain HTTP/1.1 exchange with no proxy in between (a local LLM server,
// the common case), on a non-blocking socket of its own in the calling thread.
//
// Why not QNetworkAccessManager for these: its HTTP channel reads the socket without a buffer
// (the size line of each chunk a byte or two per system call) on a thread of its own that
// hands every read to the caller's thread. Ollama sends each token as a chunk, so a generation
// cost about seven system calls and two thread wake-ups per token. This reply reads whatever
// the kernel holds in one call, at most every readIntervalMs while a body streams (a fast
// server's output waits in the socket buffer; a generation's progress needs no finer grain),
// and decodes the chunked body in place.
//
// HTTPS and proxied requests stay with QNetworkAccessManager: HttpExchange::send chooses.
// Redirects are not followed (an LLM server does not send them; they surface as HTTP 3xx).
class DirectHttpReply : public QNetworkReply
{
    Q_OBJECT
public:
    // How long a streaming body is left to gather in the socket between two reads.
    static constexpr int readIntervalMs = 20;

    // A GET when body is null, else a POST of body with the request's headers. Starts from the
    // event loop: connect to the signals before returning to it.
    DirectHttpReply(const QNetworkRequest &request, const QByteArray &body,
                    QObject *parent = nullptr);
    ~DirectHttpReply() override;

    // True when `network` would send a request for url to its host without a proxy, over
    // plain HTTP: what this reply can do.
    static bool canHandle(const QUrl &url, QNetworkAccessManager *network);

    void abort() override;
    qint64 bytesAvailable() const override;
    bool isSequential() const override { return true; }
    void close() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    enum class Stage { Resolving, Connecting, Sending, Head, Body, Done };
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkStage { Size, Data, DataEnd, Trailer };

    void start();
    void onLookedUp(const QHostInfo &info);
    void connectNext();
    void onWritable();
    void onReadable();
    void resumeReading();
    void sendMore();
    // Reads what the socket holds; false when the reply ended (finished or failed).
    bool readSocket();
    // Works through what arrived; false when the reply ended.
    bool handleReceived(bool gotBytes, bool endOfStream);
    // Works through m_raw: the status line and headers, then the body. False when it failed.
    bool parseHead();
    bool parseBody(bool endOfStream);
    bool decodeChunks();
    void complete();
    void failWith(NetworkError error, const QString &message);
    void closeSocket();
    void emitBody();

    QByteArray m_requestBytes;
    qsizetype m_sent = 0;
    QString m_host;
    quint16 m_port = 80;
    QList<QHostAddress> m_addresses;
    int m_lastConnectErrno = 0;
    int m_fd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QTimer *m_readTimer;
    Stage m_stage = Stage::Resolving;
    int m_lookupId = -1;

    QByteArray m_raw;  // received, not yet parsed
    QByteArray m_body; // decoded body, not yet read by the caller
    qsizetype m_bodyRead = 0;
    qint64 m_bodyTotal = 0; // decoded body bytes so far
    bool m_bodyGrew = false;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // of Content-Length, or of the current chunk
    ChunkStage m_chunkStage = ChunkStage::Size;
};

} // namespace codeworm
