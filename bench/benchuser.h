#pragma once

#include "bench/benchtransport.h"
#include "common/protocol/events.h"
#include "common/protocol/requests.h"
#include "common/protocol/serverevents.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace natter::bench {

// One authenticated client connection of the benchmark: authenticates, sends, batches acks and turns the
// server's events into signals. Live-only events (presence, member, typing, receipts) are counted
// and otherwise ignored.
class BenchUser : public QObject
{
    Q_OBJECT
public:
    BenchUser(int index, QString name, std::unique_ptr<Transport> transport, int ackDelayMs,
              QObject *parent = nullptr);

    int index() const { return m_index; }
    const QString &name() const { return m_name; }
    const QString &token() const { return m_token; }
    bool isReady() const { return m_ready; }
    qint64 ignoredEvents() const { return m_ignoredEvents; }

    // Open the connection and authenticate with the given first envelope; ends in ready() or failed().
    void registerUser(const QString &password, const QString &device);
    void resume(const QString &token, const QString &device);

    void join(const QString &room);
    void send(const QString &to, const QString &body, const QString &cid);
    // Queues an ack; acks go out in batches after the ack delay (or at once when many are queued).
    void ack(qint64 id);
    void flushAcks();
    // Flushes acks and closes. Returns true when closed() will follow.
    bool close();

signals:
    void ready();
    void joined(const QString &room, int members);
    void messageReceived(const natter::protocol::ChatMessage &message);
    void sentReceived(const QString &cid, qint64 id);
    void failed(const QString &reason);
    void closed();

private:
    void authenticate(protocol::RequestBody request);
    void request(protocol::RequestBody body);
    void onEvent(const protocol::ServerEvent &event);

    int m_index;
    QString m_name;
    Transport *m_transport;
    protocol::Request m_auth;
    QString m_token;
    bool m_ready = false;
    QList<qint64> m_pendingAcks;
    QTimer m_ackTimer;
    qint64 m_ignoredEvents = 0;
};

} // namespace natter::bench
