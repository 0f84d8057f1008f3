#pragma once

#include "common/protocol/requests.h"
#include "server/routing/frame.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>

namespace natter::server {

class Session;

// Who a session speaks for, once it is authenticated.
struct Identity {
    qint64 userId = 0;
    qint64 deviceId = 0;
    QByteArray tokenHash;
    bool isValid() const { return userId != 0; }
};

// Answers one request: called exactly once, with the reply envelope or std::nullopt when the request has none.
using ReplyFn = std::function<void(std::optional<QJsonObject>)>;

// What the router knows about one session: who it speaks for, whether it is still catching up with its
// device's queue (live frames are held meanwhile), whether an authentication is pending (later requests
// wait for it), and whether it watches presence. Each Session owns one; only the routing layer uses it —
// doors implement Session and never look in here.
class SessionState
{
public:
    explicit SessionState(Session &door)
        : m_door(door)
    {}
    SessionState(const SessionState &) = delete;
    SessionState &operator=(const SessionState &) = delete;

    // Identity.
    const Identity &identity() const { return m_identity; }
    bool isAuthenticated() const { return m_identity.isValid(); }
    // Speaks for `identity` from now on and begins catching up: live frames are held until finishCatchUp().
    // Returns the ticket of this catch-up (see isCatchingUp()).
    quint64 signIn(const Identity &identity);
    // Speaks for no one: held frames, catch-up and presence watching end with the identity.
    void signOff();

    // Catch-up with the device's queue after each sign-in.
    // True while the catch-up with this ticket runs (a later sign-in or a sign-off ends it).
    bool isCatchingUp(quint64 ticket) const { return m_catchingUp && ticket == m_catchUpTicket; }
    bool isCatchingUp() const { return m_catchingUp; }
    // A live frame: delivered now, or held while the session catches up.
    void holdOrDeliver(const Frame &frame);
    // A message read from the device's queue: delivered now, and remembered so that its live copy is not
    // delivered again after the queue.
    void deliverQueued(const Frame &frame);
    // The queue has been delivered: returns the held frames to deliver now, in arrival order, without the
    // messages the queue already carried.
    [[nodiscard]] QList<Frame> finishCatchUp();

    // Presence watching: a session that asked for `users` hears every presence change until it signs off.
    bool watchesPresence() const { return m_watchesPresence; }
    void watchPresence() { m_watchesPresence = true; }

    // Pending authentication: while register/login/resume is decided, later requests wait, in order.
    struct DeferredRequest {
        protocol::Request request;
        ReplyFn reply;
    };
    bool isAuthenticating() const { return m_authenticating; }
    void beginAuthentication() { m_authenticating = true; }
    // Keeps the request for later if an authentication is pending; false if it may be handled now.
    bool deferWhileAuthenticating(const protocol::Request &request, const ReplyFn &reply);
    // The authentication was decided: returns the requests that waited, in arrival order.
    [[nodiscard]] QList<DeferredRequest> settleAuthentication();

private:
    Session &m_door;
    Identity m_identity;
    bool m_watchesPresence = false;
    bool m_catchingUp = false;
    quint64 m_catchUpTicket = 0;
    QList<Frame> m_held;
    QSet<qint64> m_queued; // ids of the messages the queue carried during this catch-up
    bool m_authenticating = false;
    QList<DeferredRequest> m_deferred;
};

} // namespace natter::server
