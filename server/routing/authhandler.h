#pragma once

#include "protocol/requests.h"
#include "routing/context.h"
#include "routing/reply.h"

#include <QPointer>

namespace natter::server {

class Session;

// register, login, resume, logout; and the catch-up with a device's queue after each welcome.
class AuthHandler
{
public:
    explicit AuthHandler(RouterContext &ctx) : m_ctx(ctx) {}

    void handle(Session *s, const protocol::RegisterRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LoginRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::ResumeRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LogoutRequest &req, const Reply &reply);

    // Takes a session off its identity (logout, re-authentication, closed connection).
    void signOff(Session *s);

private:
    void issueToken(QPointer<Session> s, qint64 userId, const QString &device, const Reply &reply);
    void establish(QPointer<Session> s, const Identity &identity, const QString &token, const Reply &reply);
    void catchUp(QPointer<Session> s, qint64 deviceId, qint64 afterId, std::shared_ptr<QSet<qint64>> seen);

    RouterContext &m_ctx;
};

} // namespace natter::server
