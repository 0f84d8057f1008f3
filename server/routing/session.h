#pragma once

#include "common/protocol/requests.h"
#include "server/routing/frame.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace natter::server {

// Who a session speaks for, once it is authenticated.
struct Identity {
    qint64 userId = 0;
    qint64 deviceId = 0;
    QByteArray tokenHash;
    bool isValid() const { return userId != 0; }
};

// Answers one request: called exactly once, with the reply envelope or std::nullopt when the request has none.
using ReplyFn = std::function<void(std::optional<QJsonObject>)>;

// One client's conversation with the server, whatever door it came through (WebSocket, long polling).
// The router sets the identity and delivers frames; the door decides how frames reach the client.
class Session : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    const Identity &identity() const { return m_identity; }
    bool isAuthenticated() const { return m_identity.isValid(); }
    // A short description for logs: "ws 127.0.0.1:5000" or "lp alice/d-1".
    virtual QString describe() const = 0;

    // Push one frame to the client. Called by the registry only.
    virtual void deliver(const Frame &frame) = 0;
    // The token this session stood on was revoked, or the session re-authenticated: it must authenticate again.
    virtual void signedOut() {}
    // Everything that was queued for the device has been delivered (after each authentication).
    virtual void caughtUpWithQueue() {}
    // The client confirmed these messages (they leave the device's queue).
    virtual void messagesAcked(const QList<qint64> &ids) { Q_UNUSED(ids) }

    // Router-managed state.
    void setIdentity(const Identity &identity) { m_identity = identity; }
    void clearIdentity() { m_identity = {}; }
    bool watchesPresence() const { return m_watchesPresence; }
    void setWatchesPresence(bool on) { m_watchesPresence = on; }

    // While a session catches up with its device's queue, live frames are held back so that queued
    // messages come first, oldest first.
    bool isCatchingUp() const { return m_catchingUp; }
    void setCatchingUp(bool on) { m_catchingUp = on; }
    QList<Frame> &heldFrames() { return m_held; }

    // While register/login/resume is being decided, later requests of the session wait, in order.
    struct Deferred {
        protocol::Request request;
        ReplyFn reply;
    };
    bool isAuthPending() const { return m_authPending; }
    void setAuthPending(bool on) { m_authPending = on; }
    QList<Deferred> &deferred() { return m_deferred; }

private:
    Identity m_identity;
    bool m_watchesPresence = false;
    bool m_catchingUp = false;
    QList<Frame> m_held;
    bool m_authPending = false;
    QList<Deferred> m_deferred;
};

} // namespace natter::server
