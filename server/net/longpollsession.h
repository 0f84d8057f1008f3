#pragma once

#include "server/routing/session.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QTimer>

namespace natter::server {

// A device served through the long-polling door. It outlives HTTP requests: between two polls, chat
// messages wait here (and in the device's queue on disk) until acked, and live events wait in a bounded
// buffer. It stays online while a poll is open or was answered within the presence window.
class LongPollSession : public Session
{
    Q_OBJECT
public:
    static constexpr int kMaxLiveEvents = 256; // older live events are dropped beyond this
    static constexpr int kMaxMessagesPerPoll = 500;

    LongPollSession(qint64 userId, qint64 deviceId, int presenceWindowMs, QObject *parent = nullptr);

    qint64 deviceId() const { return m_deviceId; }

    QString describe() const override;
    void deliver(const Frame &frame) override;
    void signedOut() override;
    void messagesAcked(const QList<qint64> &ids) override;
    void caughtUpWithQueue() override;

    // The device's queue has been read since the session was bound: a poll may be answered at once.
    bool isCaughtUp() const { return m_caughtUp; }
    // Whether the device has polled since the session was bound: only then is it online
    // (docs/protocol.md, "Long polling").
    bool hasPolled() const { return m_hasPolled; }

    bool hasEvents() const { return !m_unacked.isEmpty() || !m_live.isEmpty(); }
    // {"events":[...]}: unacked messages oldest first (they come back until acked), then live events (once).
    QByteArray takeEvents();

    // Presence: online while a poll is open, and for the presence window after the last one was answered.
    void pollOpened()
    {
        m_expiry.stop();
        m_hasPolled = true;
    }
    void pollClosed() { m_expiry.start(); }

signals:
    void eventsAvailable();
    void caughtUp();
    void revoked();
    void expired();

private:
    qint64 m_userId = 0;
    qint64 m_deviceId = 0;
    bool m_caughtUp = false;
    bool m_hasPolled = false;
    QTimer m_expiry;
    QMap<qint64, QByteArray> m_unacked; // message id -> envelope, ordered
    QList<QByteArray> m_live;
};

} // namespace natter::server
