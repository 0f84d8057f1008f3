#pragma once

#include "client/net/transport.h"

#include <QByteArray>
#include <QList>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace natter::client {

struct LongPollConfig {
    int pollTimeoutS = 25;
    int requestTimeoutMs = 15'000; // session and send requests; polls get pollTimeoutS + this
    int ackDelayMs = 50; // acks arriving together leave together
};

// Envelopes over HTTP long polling (docs/protocol.md, "Long polling") through QNetworkAccessManager: register/
// login/resume go to /api/v1/session, everything else to /api/v1/send (batched, one request in flight so
// order is kept), and one /api/v1/poll is kept outstanding. Acks ride on the next poll; when acks wait
// while a poll is held, a new poll carrying them supersedes it (the server answers the old one at once).
// Connections are kept alive and never pipelined (QNetworkAccessManager's defaults).
class LongPollTransport : public Transport
{
    Q_OBJECT
public:
    explicit LongPollTransport(LongPollConfig config, QObject *parent = nullptr);
    explicit LongPollTransport(QObject *parent = nullptr) : LongPollTransport(LongPollConfig{}, parent) {}
    ~LongPollTransport() override;

    TransportKind kind() const override { return TransportKind::LongPolling; }
    void open(const QUrl &server) override;
    void close() override;
    bool isOpen() const override { return m_open; }
    void send(const protocol::Request &request) override;
    int lastRoundTripMs() const override { return m_rtt; }

private:
    QNetworkReply *post(const QString &path, const QByteArray &body, int timeoutMs);
    void authenticate(const protocol::Request &request);
    void flushSends();
    void poll();
    void scheduleAckPoll();
    // Reads a reply: the JSON object body, or fails the transport on a network error. Returns false then.
    bool readReply(QNetworkReply *reply, QJsonObject *body, int *status);
    // The answer of /send or /poll: each envelope of its {"replies":[...]} or {"events":[...]} list. A 401
    // passes its auth_required on; any other non-200 fails the transport. Returns whether it goes on.
    bool receiveList(QNetworkReply *reply, QLatin1StringView key);

    LongPollConfig m_config;
    QNetworkAccessManager *m_nam;
    QUrl m_server;
    QByteArray m_token;
    bool m_open = false;
    QList<protocol::Request> m_outgoing;
    QPointer<QNetworkReply> m_sendReply;
    QPointer<QNetworkReply> m_pollReply;
    QList<qint64> m_pendingAcks;
    bool m_ackPollScheduled = false;
    int m_rtt = -1;
};

} // namespace natter::client
