#pragma once

#include "common/protocol/requests.h"
#include "server/routing/handler.h"
#include "server/routing/sessionregistry.h"

#include <QPointer>

namespace natter::server {

// register, login, resume, logout; and the catch-up with a device's queue after each welcome.
class AuthHandler : public Handler
{
public:
    using Handler::Handler;

    // The outcome of register/login/resume: an identity and the welcome, or no identity and the error.
    using AuthDone = std::function<void(std::optional<Identity> identity, const QJsonObject &reply)>;

    void handle(Session *s, const protocol::RegisterRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LoginRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::ResumeRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LogoutRequest &req, const Reply &reply);

    // Checks credentials without binding any session to them (the long-polling door binds its own).
    void authenticate(const protocol::RegisterRequest &req, AuthDone done);
    void authenticate(const protocol::LoginRequest &req, AuthDone done);
    void authenticate(const protocol::ResumeRequest &req, AuthDone done);

    // Binds a session to an identity: online from now on, and its device's queue (read asynchronously)
    // is delivered before any live frame.
    void establish(Session *s, const Identity &identity,
                   SessionRegistry::Presence presence = SessionRegistry::Presence::Online);
    // Takes a session off its identity (logout, re-authentication, closed connection).
    void signOff(Session *s);

private:
    template <typename R>
    void authenticateAndEstablish(Session *s, const R &req, const Reply &reply);
    void issueToken(qint64 userId, const QString &device, AuthDone done);
    void catchUp(QPointer<Session> s, quint64 ticket, qint64 deviceId, qint64 afterId);

};

} // namespace natter::server
