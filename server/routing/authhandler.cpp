#include "server/routing/authhandler.h"

#include "server/auth/credentials.h"
#include "server/serverlogging.h"
#include "common/protocol/events.h"
#include "server/routing/directory.h"
#include "server/routing/sessionregistry.h"
#include "server/storage/repository.h"
#include "server/storage/storage.h"

#include <QDateTime>
#include <QRunnable>
#include <QThreadPool>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;
namespace events = protocol::events;

namespace {
constexpr int kQueuePage = 500;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Runs slow work on the pool, then continues on the owner's thread.
template <typename R, typename Work, typename Then>
void offload(RouterContext &ctx, Work work, Then then)
{
    QPointer<QObject> owner = ctx.owner;
    ctx.cpuPool.start([owner, work = std::move(work), then = std::move(then)]() mutable {
        R result = work();
        if (owner)
            QMetaObject::invokeMethod(
                owner.data(), [then = std::move(then), result = std::move(result)]() mutable { then(std::move(result)); },
                Qt::QueuedConnection);
    });
}
} // namespace

template <typename R>
void AuthHandler::authenticateAndEstablish(Session *s, const R &req, const Reply &reply)
{
    authenticate(req, [this, session = QPointer<Session>(s), reply](std::optional<Identity> identity,
                                                                    const QJsonObject &envelope) {
        if (identity && session)
            establish(session, *identity); // queued messages follow the welcome: they are read asynchronously
        reply.send(envelope);
    });
}

void AuthHandler::handle(Session *s, const protocol::RegisterRequest &req, const Reply &reply)
{
    authenticateAndEstablish(s, req, reply);
}

void AuthHandler::handle(Session *s, const protocol::LoginRequest &req, const Reply &reply)
{
    authenticateAndEstablish(s, req, reply);
}

void AuthHandler::handle(Session *s, const protocol::ResumeRequest &req, const Reply &reply)
{
    authenticateAndEstablish(s, req, reply);
}

void AuthHandler::authenticate(const protocol::RegisterRequest &req, AuthDone done)
{
    if (m_ctx.directory.isNameTaken(req.user)) {
        done(std::nullopt, events::error({ErrorCode::UserExists, u"the user name '%1' is taken"_s.arg(req.user)}));
        return;
    }
    if (const QString existing = m_ctx.directory.lookalikeOf(req.user); !existing.isEmpty()) {
        done(std::nullopt,
             events::error({ErrorCode::UserExists,
                            u"the user name '%1' looks too much like the existing user '%2'"_s.arg(req.user, existing)}));
        return;
    }
    m_ctx.directory.reserveName(req.user);
    const int iterations = m_ctx.passwordIterations;
    offload<QString>(
        m_ctx, [password = req.password, iterations] { return credentials::hashPassword(password, iterations); },
        [this, req, done](QString hash) {
            m_ctx.storage.call<qint64>(
                m_ctx.owner,
                [name = req.user, hash](Repository &repo) { return repo.createUser(name, hash, nowMs()); },
                [this, req, done, hash](bool ok, qint64 userId) {
                    m_ctx.directory.releaseName(req.user);
                    if (!ok) {
                        done(std::nullopt, events::error({ErrorCode::Internal, u"the server could not store the new user"_s}));
                        return;
                    }
                    if (userId == 0) {
                        done(std::nullopt,
                             events::error({ErrorCode::UserExists, u"the user name '%1' is taken"_s.arg(req.user)}));
                        return;
                    }
                    m_ctx.directory.addUser({userId, req.user, hash});
                    qCInfo(lcAuth) << "registered user" << req.user;
                    issueToken(userId, req.device, done);
                });
        });
}

void AuthHandler::authenticate(const protocol::LoginRequest &req, AuthDone done)
{
    const UserEntry *user = m_ctx.directory.userByName(req.user);
    const QString stored = user ? user->passwordHash : QString();
    const qint64 userId = user ? user->id : 0;
    const int iterations = m_ctx.passwordIterations;
    offload<bool>(
        m_ctx,
        [password = req.password, stored, iterations] {
            if (stored.isEmpty()) {
                // An unknown user costs one hash too, so that timing does not tell which names exist.
                credentials::hashPassword(password, iterations);
                return false;
            }
            return credentials::verifyPassword(password, stored);
        },
        [this, userId, device = req.device, done](bool ok) {
            if (!ok || userId == 0) {
                done(std::nullopt, events::error({ErrorCode::AuthFailed, u"wrong user name or password"_s}));
                return;
            }
            issueToken(userId, device, done);
        });
}

void AuthHandler::issueToken(qint64 userId, const QString &device, AuthDone done)
{
    const QString token = credentials::newToken();
    const QByteArray hash = credentials::tokenHash(token);
    m_ctx.storage.call<qint64>(
        m_ctx.owner,
        [userId, device, hash](Repository &repo) {
            const qint64 deviceId = repo.ensureDevice(userId, device, nowMs());
            if (deviceId != 0)
                repo.insertToken(hash, userId, deviceId, nowMs());
            return deviceId;
        },
        [this, userId, device, hash, token, done](bool ok, qint64 deviceId) {
            const UserEntry *user = m_ctx.directory.user(userId);
            if (!ok || deviceId == 0 || !user) {
                done(std::nullopt, events::error({ErrorCode::Internal, u"the server could not store the session"_s}));
                return;
            }
            m_ctx.directory.addDevice({deviceId, userId, device});
            m_ctx.directory.addToken({hash, userId, deviceId});
            done(Identity{userId, deviceId, hash}, events::welcome(user->name, device, token));
        });
}

void AuthHandler::authenticate(const protocol::ResumeRequest &req, AuthDone done)
{
    const QByteArray hash = credentials::tokenHash(req.token);
    const auto token = m_ctx.directory.token(hash);
    const UserEntry *user = token ? m_ctx.directory.user(token->userId) : nullptr;
    if (!token || !user || user->devices.value(req.device) != token->deviceId) {
        done(std::nullopt, events::error({ErrorCode::AuthFailed, u"the token is not valid for this device"_s}));
        return;
    }
    done(Identity{token->userId, token->deviceId, hash}, events::welcome(user->name, req.device, req.token));
}

void AuthHandler::handle(Session *s, const protocol::LogoutRequest &, const Reply &reply)
{
    // The token stops working at once, for every session on it: a request right behind the logout is
    // already refused. The reply waits for the revocation to be on disk.
    const QByteArray hash = s->routing().identity().tokenHash;
    m_ctx.directory.removeToken(hash);
    QList<Session *> affected = m_ctx.registry.sessionsWithToken(hash);
    if (!affected.contains(s))
        affected.append(s);
    for (Session *other : std::as_const(affected)) {
        signOff(other);
        if (other != s)
            other->signedOut();
    }
    m_ctx.storage.submit(
        m_ctx.owner, [hash](Repository &repo) { repo.deleteToken(hash); },
        [reply, session = QPointer<Session>(s)](bool ok) {
            if (!ok) {
                qCCritical(lcAuth) << "could not revoke a token on disk; it stays revoked until a restart";
                reply.error(ErrorCode::Internal, u"the server could not revoke the token"_s);
                return;
            }
            reply.send(events::loggedOut());
            if (session && !session->routing().isAuthenticated())
                session->signedOut();
        });
}

void AuthHandler::signOff(Session *s)
{
    m_ctx.registry.detach(s);
    s->routing().signOff();
}

void AuthHandler::establish(Session *s, const Identity &identity, SessionRegistry::Presence presence)
{
    if (s->routing().isAuthenticated())
        signOff(s);
    const quint64 ticket = s->routing().signIn(identity); // live frames wait until the queue has been delivered
    m_ctx.registry.attach(s, presence);
    qCDebug(lcAuth) << s->describe() << "is user" << identity.userId << "device" << identity.deviceId;
    s->signedIn();
    catchUp(s, ticket, identity.deviceId, 0);
}

void AuthHandler::catchUp(QPointer<Session> s, quint64 ticket, qint64 deviceId, qint64 afterId)
{
    m_ctx.storage.call<QList<protocol::ChatMessage>>(
        m_ctx.owner,
        [deviceId, afterId](Repository &repo) { return repo.queuedMessages(deviceId, afterId, kQueuePage); },
        [this, s, ticket, deviceId](bool ok, QList<protocol::ChatMessage> page) {
            if (!s || !s->routing().isCatchingUp(ticket))
                return; // gone, or signed off (or in again) meanwhile
            if (!ok)
                qCWarning(lcStorage) << "could not read the queue of device" << deviceId;
            for (const protocol::ChatMessage &m : page)
                s->routing().deliverQueued(Frame(m));
            if (ok && page.size() == kQueuePage) {
                catchUp(s, ticket, deviceId, page.constLast().id);
                return;
            }
            // Up to date: what arrived live meanwhile follows, without what the queue already carried.
            for (const Frame &f : s->routing().finishCatchUp())
                s->deliver(f);
            s->caughtUpWithQueue();
        });
}

} // namespace natter::server
