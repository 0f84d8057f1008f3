#pragma once

#include "common/protocol/requests.h"
#include "server/routing/authhandler.h"
#include "server/routing/context.h"
#include "server/routing/messagehandler.h"
#include "server/routing/roomhandler.h"
#include "server/routing/session.h"
#include "server/routing/sessionregistry.h"

#include <QObject>
#include <QThreadPool>

namespace natter::server {

class Directory;
class Fanout;
class Storage;

// Decides what each request means and who hears about it. Door-agnostic: a WebSocket and a long-polling
// session are handled alike. Lives on the network thread.
class Router : public QObject
{
    Q_OBJECT
public:
    // The registry knows who is signed in here; deliveries go through the fanout (the registry itself in a
    // single server, a recording fake in tests).
    Router(Storage &storage, Directory &directory, SessionRegistry &registry, Fanout &fanout, int passwordIterations,
           QObject *parent = nullptr);
    ~Router() override;

    // Parses one envelope and handles it; a malformed one is answered with an error.
    void handleRaw(Session *session, QByteArrayView utf8, const ReplyFn &reply);
    void handle(Session *session, const protocol::Request &request, const ReplyFn &reply);
    // A session is going away (connection closed, long-poll device expired).
    void sessionClosed(Session *session);

    // For doors that bind sessions themselves (long polling): check register/login/resume without a session,
    // find who a bearer token stands for, and bind a session to an identity. A session bound NotYetOnline
    // makes its user online only from markOnline() on (a long-polling device: from its first poll).
    void authenticate(const protocol::Request &request, const AuthHandler::AuthDone &done);
    std::optional<Identity> identityForToken(const QByteArray &tokenHash) const;
    void establish(Session *session, const Identity &identity,
                   SessionRegistry::Presence presence = SessionRegistry::Presence::Online);
    void markOnline(Session *session);

private:
    void dispatch(Session *session, const protocol::Request &request, const ReplyFn &reply);

    QThreadPool m_cpuPool;
    Directory &m_directory;
    SessionRegistry &m_registry;
    RouterContext m_ctx;
    AuthHandler m_auth;
    MessageHandler m_messages;
    RoomHandler m_rooms;
};

} // namespace natter::server
