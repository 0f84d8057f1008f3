#include "server/net/longpolldoor.h"

#include "server/auth/credentials.h"
#include "server/serverlogging.h"
#include "server/net/connectionguard.h"
#include "server/net/httpreply.h"
#include "server/net/longpollsession.h"
#include "common/protocol/batch.h"
#include "common/protocol/events.h"
#include "common/protocol/requests.h"
#include "common/protocol/validation.h"
#include "server/routing/router.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cmath>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;

namespace {

// Route handlers run once the whole request has arrived: tell the connection's guard.
void requestArrived(QHttpServerResponder &responder)
{
    if (auto *guard = ConnectionGuard::of(responder.socket()))
        guard->requestReceived();
}

bool checkSize(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    if (request.body().size() <= protocol::kMaxEnvelopeBytes)
        return true;
    http::writeError(responder, ErrorCode::TooLarge, u"request bodies are limited to 64 KiB"_s);
    return false;
}

} // namespace

LongPollDoor::LongPollDoor(Router &router, QHttpServer &http, QObject *parent) : QObject(parent), m_router(router)
{
    http.route(u"/api/v1/session"_s, QHttpServerRequest::Method::Post,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   handleSession(request, std::move(responder));
               });
    http.route(u"/api/v1/send"_s, QHttpServerRequest::Method::Post,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   handleSend(request, std::move(responder));
               });
    http.route(u"/api/v1/poll"_s, QHttpServerRequest::Method::Post,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   handlePoll(request, std::move(responder));
               });
}

LongPollDoor::~LongPollDoor()
{
    close();
}

void LongPollDoor::close()
{
    const QList<qint64> devices = m_polls.keys();
    for (qint64 device : devices)
        endPoll(device, false);
    const auto sessions = m_sessions.values();
    for (LongPollSession *s : sessions) {
        m_router.sessionClosed(s);
        delete s;
    }
    m_sessions.clear();
}

LongPollSession *LongPollDoor::sessionFor(const QHttpServerRequest &request)
{
    const QByteArray auth = request.value("Authorization");
    if (!auth.startsWith("Bearer ") || auth.size() <= 7)
        return nullptr;
    const QByteArray hash = credentials::tokenHash(QString::fromLatin1(auth.mid(7).trimmed()));
    if (LongPollSession *s = m_sessions.value(hash))
        return s;
    return bind(hash);
}

LongPollSession *LongPollDoor::bind(const QByteArray &tokenHash)
{
    const auto identity = m_router.identityForToken(tokenHash);
    if (!identity)
        return nullptr;
    auto *s = new LongPollSession(identity->userId, identity->deviceId, m_presenceWindowMs, this);
    m_sessions.insert(tokenHash, s);
    connect(s, &LongPollSession::eventsAvailable, this, [this, s] { scheduleAnswer(s); });
    connect(s, &LongPollSession::caughtUp, this, [this, s] {
        if (m_polls.value(s->deviceId()).answerWhenCaughtUp)
            scheduleAnswer(s);
    });
    connect(s, &LongPollSession::revoked, this, [this, s] { dropSession(s); });
    connect(s, &LongPollSession::expired, this, [this, s] {
        qCDebug(lcNet) << s->describe() << "did not poll within the presence window: offline";
        dropSession(s);
    });
    // Bound, so that it can send and its messages wait for it; online only from its first poll on, since a
    // device that never polls cannot receive anything.
    m_router.establish(s, *identity, SessionRegistry::Presence::NotYetOnline);
    s->pollClosed(); // a device that does not poll within the presence window is dropped (bound again when it
                     // comes back)
    return s;
}

void LongPollDoor::dropSession(LongPollSession *s)
{
    // By pointer: a revoked session has lost its identity already.
    for (auto it = m_polls.cbegin(); it != m_polls.cend(); ++it) {
        if (it->session == s) {
            endPoll(it.key(), false);
            break;
        }
    }
    m_sessions.remove(m_sessions.key(s));
    m_router.sessionClosed(s);
    s->deleteLater();
}

void LongPollDoor::handleSession(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    requestArrived(responder);
    if (!checkSize(request, responder))
        return;
    const protocol::ParsedRequest parsed = protocol::parseRequest(request.body());
    if (!parsed.ok()) {
        http::writeErrorEnvelope(responder, protocol::withRid(protocol::events::error(parsed.error()), parsed.rid,
                                                              parsed.hasRid));
        return;
    }
    if (!parsed.request().isAuthentication()) {
        http::writeErrorEnvelope(responder, protocol::withRid(protocol::events::error(
                                                                  {ErrorCode::BadRequest,
                                                                   u"/api/v1/session takes register, login or resume"_s}),
                                                              parsed.rid, parsed.hasRid));
        return;
    }
    QPointer<QTcpSocket> socket = responder.socket();
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    m_router.authenticate(parsed.request(), [this, socket, held](std::optional<Identity> identity,
                                                                 const QJsonObject &reply) {
        if (identity && !m_sessions.contains(identity->tokenHash))
            bind(identity->tokenHash);
        if (!socket)
            return; // the client left; its token works on the next request all the same
        if (identity)
            http::writeJson(*held, reply);
        else
            http::writeErrorEnvelope(*held, reply);
    });
}

void LongPollDoor::handleSend(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    requestArrived(responder);
    if (!checkSize(request, responder))
        return;
    LongPollSession *session = sessionFor(request);
    if (!session) {
        http::writeError(responder, ErrorCode::AuthRequired, u"send 'Authorization: Bearer <token>' from welcome"_s);
        return;
    }
    const protocol::ParsedBatch parsedBody = protocol::parseRequestBatch(request.body());
    if (parsedBody.error) {
        http::writeError(responder, parsedBody.error->code, parsedBody.error->message);
        return;
    }
    const QList<protocol::ParsedRequest> &items = parsedBody.items;

    struct Batch {
        QList<std::optional<QJsonObject>> replies;
        qsizetype remaining = 0;
        QPointer<QTcpSocket> socket;
        std::shared_ptr<QHttpServerResponder> responder;
        void settle()
        {
            if (--remaining > 0 || !socket)
                return;
            QJsonArray out;
            for (const auto &r : std::as_const(replies)) {
                if (r)
                    out.append(*r);
            }
            http::writeJson(*responder, QJsonObject{{"replies"_L1, out}});
        }
    };
    auto batch = std::make_shared<Batch>();
    batch->replies.resize(items.size());
    batch->remaining = items.size() + 1; // +1: settled after the loop, so a batch never ends half-read
    batch->socket = responder.socket();
    batch->responder = std::make_shared<QHttpServerResponder>(std::move(responder));

    QPointer<LongPollSession> guard(session);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const ReplyFn slot = [batch, i](std::optional<QJsonObject> reply) {
            batch->replies[i] = std::move(reply);
            batch->settle();
        };
        const protocol::ParsedRequest &parsed = items[i];
        if (parsed.ok() && parsed.request().isAuthentication()) {
            slot(protocol::withRid(protocol::events::error({ErrorCode::BadRequest,
                                                            u"authenticate through /api/v1/session"_s}),
                                   parsed.rid, parsed.hasRid));
        } else if (!parsed.ok()) {
            slot(protocol::withRid(protocol::events::error(parsed.error()), parsed.rid, parsed.hasRid));
        } else if (!guard) {
            slot(protocol::withRid(protocol::events::error({ErrorCode::AuthRequired, u"logged out"_s}), parsed.rid,
                                   parsed.hasRid));
        } else {
            m_router.handle(guard, parsed.request(), slot);
        }
    }
    batch->settle();
}

void LongPollDoor::handlePoll(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    requestArrived(responder);
    if (!checkSize(request, responder))
        return;
    QJsonObject body;
    if (!request.body().trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body());
        if (!doc.isObject()) {
            http::writeError(responder, ErrorCode::BadRequest, u"the poll body must be a JSON object"_s);
            return;
        }
        body = doc.object();
    }
    QList<qint64> acks;
    const QJsonValue ackValue = body.value("ack"_L1);
    if (!ackValue.isUndefined() && !ackValue.isNull()) {
        const QJsonObject probe{{"type"_L1, u"ack"_s}, {"ids"_L1, ackValue}};
        const protocol::ParsedRequest parsed = protocol::parseRequest(probe);
        if (!parsed.ok()) {
            http::writeError(responder, ErrorCode::BadRequest, u"'ack' must be an array of message ids"_s);
            return;
        }
        acks = std::get<protocol::AckRequest>(parsed.request().body).ids;
    }
    int timeoutS = kDefaultPollTimeoutS;
    const QJsonValue timeoutValue = body.value("timeout"_L1);
    if (!timeoutValue.isUndefined() && !timeoutValue.isNull()) {
        const double t = timeoutValue.toDouble(-1);
        if (!timeoutValue.isDouble() || t < 0 || t > kMaxPollTimeoutS) {
            http::writeError(responder, ErrorCode::BadRequest, u"'timeout' must be 0-60 seconds"_s);
            return;
        }
        timeoutS = int(std::lround(t));
    }
    LongPollSession *session = sessionFor(request);
    if (!session) {
        http::writeError(responder, ErrorCode::AuthRequired, u"send 'Authorization: Bearer <token>' from welcome"_s);
        return;
    }
    if (!acks.isEmpty()) {
        protocol::Request ack;
        ack.body = protocol::AckRequest{acks};
        m_router.handle(session, ack, [](std::optional<QJsonObject>) {});
    }
    const qint64 device = session->deviceId();
    if (m_polls.contains(device))
        endPoll(device, false); // one open poll per device: the newer one wins
    if (!session->hasPolled())
        m_router.markOnline(session); // from its first poll on, the device can receive: online
    session->pollOpened();
    // A device that just came (back) online is still reading its queue: even a poll with timeout 0
    // waits for that, or queued messages would be missed.
    if ((timeoutS == 0 && session->isCaughtUp()) || session->hasEvents()) {
        http::writeJson(responder, session->takeEvents());
        session->pollClosed();
        return;
    }
    HeldPoll poll;
    poll.session = session;
    poll.answerWhenCaughtUp = timeoutS == 0;
    if (timeoutS == 0)
        timeoutS = kMaxPollTimeoutS; // only a safety net: the catch-up answers it
    poll.socket = responder.socket(); // before the move: the socket may go while the poll is held
    poll.responder = std::make_shared<QHttpServerResponder>(std::move(responder));
    poll.timer = new QTimer(this);
    poll.timer->setSingleShot(true);
    connect(poll.timer, &QTimer::timeout, this, [this, device] { endPoll(device, true); });
    poll.timer->start(timeoutS * 1000);
    connect(poll.socket, &QTcpSocket::disconnected, poll.timer, [this, device] {
        // The client left while its poll was held: nothing is written to the gone socket.
        HeldPoll gone = m_polls.take(device);
        gone.timer->deleteLater();
        if (gone.session)
            gone.session->pollClosed();
    });
    m_polls.insert(device, poll);
}

void LongPollDoor::scheduleAnswer(LongPollSession *session)
{
    const qint64 device = session->deviceId();
    auto it = m_polls.find(device);
    if (it == m_polls.end() || it->session != session || it->wakeScheduled)
        return;
    it->wakeScheduled = true;
    // Answer on the next loop pass, so that events arriving together leave in one response.
    QMetaObject::invokeMethod(
        this,
        [this, device, session = QPointer<LongPollSession>(session)] {
            if (session && m_polls.value(device).session == session)
                endPoll(device, true);
        },
        Qt::QueuedConnection);
}

void LongPollDoor::endPoll(qint64 deviceId, bool withEvents)
{
    auto it = m_polls.find(deviceId);
    if (it == m_polls.end())
        return;
    HeldPoll poll = std::move(*it);
    m_polls.erase(it);
    poll.timer->disconnect(this);
    poll.timer->deleteLater();
    if (poll.socket) {
        poll.socket->disconnect(poll.timer);
        http::writeJson(*poll.responder,
                        withEvents && poll.session ? poll.session->takeEvents() : QByteArray("{\"events\":[]}"));
    }
    if (poll.session)
        poll.session->pollClosed();
}

} // namespace natter::server
