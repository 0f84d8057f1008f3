#include "server/routing/router.h"

#include "server/serverlogging.h"
#include "common/protocol/events.h"
#include "server/routing/directory.h"
#include "server/routing/sessionregistry.h"

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;

void Reply::send(QJsonObject envelope) const
{
    m_fn(protocol::withRid(std::move(envelope), m_rid, m_hasRid));
}

void Reply::error(ErrorCode code, const QString &message) const
{
    send(protocol::events::error({code, message}));
}

Router::Router(Storage &storage, Directory &directory, SessionRegistry &registry, Fanout &fanout,
               int passwordIterations, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_registry(registry)
    , m_ctx{storage, directory, registry, fanout, m_cpuPool, this, passwordIterations}
    , m_auth(m_ctx)
    , m_messages(m_ctx)
    , m_rooms(m_ctx)
{
    m_cpuPool.setObjectName(u"natter-cpu"_s);
    connect(&registry, &SessionRegistry::userOnlineChanged, this,
            [this](qint64 userId, bool online) { m_rooms.announcePresence(userId, online); });
}

Router::~Router()
{
    m_cpuPool.waitForDone();
}

void Router::handleRaw(Session *session, QByteArrayView utf8, const ReplyFn &reply)
{
    const protocol::ParsedRequest parsed = protocol::parseRequest(utf8);
    if (!parsed.ok()) {
        Reply(reply, parsed.rid, parsed.hasRid).error(parsed.error().code, parsed.error().message);
        return;
    }
    handle(session, parsed.request(), reply);
}

void Router::handle(Session *session, const protocol::Request &request, const ReplyFn &replyFn)
{
    if (session->routing().deferWhileAuthenticating(request, replyFn))
        return;
    if (request.isAuthentication()) {
        // Requests behind this one wait for its outcome: they are meant for the identity it establishes.
        session->routing().beginAuthentication();
        QPointer<Session> guard(session);
        const ReplyFn settle = [this, guard, replyFn](std::optional<QJsonObject> reply) {
            replyFn(std::move(reply));
            if (!guard)
                return;
            const QList<SessionState::DeferredRequest> waiting = guard->routing().settleAuthentication();
            for (const SessionState::DeferredRequest &d : waiting) {
                if (!guard)
                    break;
                handle(guard, d.request, d.reply);
            }
        };
        dispatch(session, request, settle);
        return;
    }
    dispatch(session, request, replyFn);
}

void Router::dispatch(Session *session, const protocol::Request &request, const ReplyFn &replyFn)
{
    const Reply reply(replyFn, request.rid, request.hasRid);
    if (!request.isAuthentication() && !session->routing().isAuthenticated()) {
        reply.error(ErrorCode::AuthRequired, u"authenticate first: register, login or resume"_s);
        return;
    }
    std::visit(
        [&](const auto &body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, protocol::RegisterRequest> || std::is_same_v<T, protocol::LoginRequest>
                          || std::is_same_v<T, protocol::ResumeRequest> || std::is_same_v<T, protocol::LogoutRequest>)
                m_auth.handle(session, body, reply);
            else if constexpr (std::is_same_v<T, protocol::JoinRequest> || std::is_same_v<T, protocol::LeaveRequest>
                               || std::is_same_v<T, protocol::RoomsRequest>
                               || std::is_same_v<T, protocol::UsersRequest>)
                m_rooms.handle(session, body, reply);
            else
                m_messages.handle(session, body, reply);
        },
        request.body);
}

void Router::sessionClosed(Session *session)
{
    m_auth.signOff(session);
}

void Router::authenticate(const protocol::Request &request, const AuthHandler::AuthDone &done)
{
    const auto withRid = [rid = request.rid, hasRid = request.hasRid, done](std::optional<Identity> identity,
                                                                           const QJsonObject &reply) {
        done(identity, protocol::withRid(reply, rid, hasRid));
    };
    if (const auto *r = std::get_if<protocol::RegisterRequest>(&request.body))
        m_auth.authenticate(*r, withRid);
    else if (const auto *l = std::get_if<protocol::LoginRequest>(&request.body))
        m_auth.authenticate(*l, withRid);
    else if (const auto *res = std::get_if<protocol::ResumeRequest>(&request.body))
        m_auth.authenticate(*res, withRid);
    else
        withRid(std::nullopt, protocol::events::error({ErrorCode::BadRequest, u"expected register, login or resume"_s}));
}

std::optional<Identity> Router::identityForToken(const QByteArray &tokenHash) const
{
    const auto token = m_directory.token(tokenHash);
    if (!token)
        return std::nullopt;
    return Identity{token->userId, token->deviceId, tokenHash};
}

void Router::establish(Session *session, const Identity &identity, SessionRegistry::Presence presence)
{
    m_auth.establish(session, identity, presence);
}

void Router::markOnline(Session *session)
{
    m_registry.setOnline(session);
}

} // namespace natter::server
