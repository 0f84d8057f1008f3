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

    explicit LongPollSession(int presenceWindowMs, QObject *parent = nullptr);

    QString describe() const override;
    void deliver(const Frame &frame) override;
    void signedOut() override;
    void messagesAcked(const QList<qint64> &ids) override;
    void caughtUpWithQueue() override { emit caughtUp(); }

    bool hasEvents() const { return !m_unacked.isEmpty() || !m_live.isEmpty(); }
    // {"events":[...]}: unacked messages oldest first (they come back until acked), then live events (once).
    QByteArray takeEvents();

    // Presence: online while a poll is open, and for the presence window after the last one was answered.
    void pollOpened() { m_expiry.stop(); }
    void pollClosed() { m_expiry.start(); }

signals:
    void eventsAvailable();
    void caughtUp();
    void revoked();
    void expired();

private:
    QTimer m_expiry;
    QMap<qint64, QByteArray> m_unacked; // message id -> envelope, ordered
    QList<QByteArray> m_live;
};

} // namespace natter::server
