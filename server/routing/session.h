#pragma once

#include "server/routing/frame.h"
#include "server/routing/sessionstate.h"

#include <QList>
#include <QObject>

namespace natter::server {

// One client's conversation with the server, as a door (WebSocket, long polling) implements it: how frames
// reach the client, and what the door must hear about the conversation. Who the session speaks for and the
// state of its catch-up and authentication are the router's (routing()); doors do not use them.
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(QObject *parent = nullptr)
        : QObject(parent)
        , m_routing(*this)
    {}

    // A short description for logs: "ws 127.0.0.1:5000" or "lp user 3 device 7".
    virtual QString describe() const = 0;
    // Push one frame to the client. Called by the routing layer only (through routing()).
    virtual void deliver(const Frame &frame) = 0;

    // What the door hears. These stay callbacks rather than router state because each door acts on them
    // with its own resources: a WebSocket stops or restarts its authentication deadline; the long-polling
    // door answers a timeout-0 poll once the queue is out, and drops acked messages from its buffer.
    // The session speaks for an identity now (register/login/resume succeeded).
    virtual void signedIn() {}
    // The token this session stood on was revoked: it must authenticate again.
    virtual void signedOut() {}
    // Everything that was queued for the device has been delivered (after each sign-in).
    virtual void caughtUpWithQueue() {}
    // The client confirmed these messages (they leave the device's queue).
    virtual void messagesAcked(const QList<qint64> &ids) { Q_UNUSED(ids) }

    // The router's state for this session (identity, catch-up, pending authentication).
    SessionState &routing() { return m_routing; }
    const SessionState &routing() const { return m_routing; }

private:
    SessionState m_routing;
};

} // namespace natter::server
