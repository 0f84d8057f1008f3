#include "server/routing/messagehandler.h"

#include "server/serverlogging.h"
#include "common/protocol/events.h"
#include "server/routing/directory.h"
#include "server/routing/fanout.h"
#include "server/routing/session.h"
#include "server/routing/sessionregistry.h"
#include "server/storage/repository.h"
#include "server/storage/storage.h"

#include <QDateTime>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;
using protocol::ErrorCode;
namespace events = protocol::events;

std::optional<MessageHandler::Target> MessageHandler::resolve(Session *s, const QString &name,
                                                              const Reply &reply) const
{
    Target t;
    t.me = s->routing().identity().userId;
    if (name.startsWith(u'#')) {
        t.room = m_ctx.directory.roomByName(name);
        if (!t.room) {
            reply.error(ErrorCode::NotFound, u"no room %1"_s.arg(name));
            return std::nullopt;
        }
        if (!t.room->members.contains(t.me)) {
            reply.error(ErrorCode::Forbidden, u"you are not a member of %1"_s.arg(t.room->name));
            return std::nullopt;
        }
        return t;
    }
    t.user = m_ctx.directory.userByName(name);
    if (!t.user) {
        reply.error(ErrorCode::NotFound, u"no user %1"_s.arg(name));
        return std::nullopt;
    }
    return t;
}

std::optional<MessageHandler::Target> MessageHandler::resolveUnanswered(Session *s, const QString &name,
                                                                        const Reply &reply) const
{
    auto target = resolve(s, name, reply);
    if (target)
        reply.none();
    return target;
}

void MessageHandler::handle(Session *s, const protocol::SendRequest &req, const Reply &reply)
{
    const auto target = resolve(s, req.to, reply);
    if (!target)
        return;
    const Identity me = s->routing().identity();
    const UserEntry *sender = m_ctx.directory.user(me.userId);

    NewMessage m;
    m.senderId = me.userId;
    m.cid = req.cid;
    m.fromName = sender->name;
    m.body = req.body;
    m.tsMs = QDateTime::currentMSecsSinceEpoch();
    QList<qint64> users;
    if (target->room) {
        m.conv = Directory::roomConversation(target->room->id);
        m.toName = target->room->name;
        users = target->room->members.values();
    } else {
        m.conv = Directory::directConversation(me.userId, target->user->id);
        m.toName = target->user->name;
        users = {me.userId};
        if (target->user->id != me.userId) {
            users.append(target->user->id);
            m.directPeerId = target->user->id; // notes to oneself make no receipts
            m.newContact = !sender->contacts.contains(m.directPeerId);
        }
    }
    for (qint64 user : std::as_const(users)) {
        for (qint64 device : m_ctx.directory.devicesOf(user)) {
            if (device != me.deviceId)
                m.queueDevices.append(device);
        }
    }

    m_ctx.storage.call<StoredMessage>(
        m_ctx.owner, [m](Repository &repo) { return repo.storeMessage(m); },
        [this, m, reply](bool ok, StoredMessage stored) {
            if (!ok || stored.id == 0) {
                reply.error(ErrorCode::Internal, u"the server could not store the message"_s);
                return;
            }
            reply.send(events::sent(m.cid, stored.id, stored.tsMs));
            if (stored.duplicate)
                return; // a retry: stored and delivered the first time
            if (m.newContact)
                m_ctx.directory.addContact(m.senderId, m.directPeerId);
            const ChatMessage message{stored.id, m.fromName, m.toName, m.body, m.cid, stored.tsMs, {}};
            m_ctx.fanout.deliverToDevices(m.queueDevices, Frame(message));
        });
}

void MessageHandler::handle(Session *s, const protocol::AckRequest &req, const Reply &reply)
{
    reply.none();
    if (req.ids.isEmpty())
        return;
    s->messagesAcked(req.ids);
    const Identity me = s->routing().identity();
    m_ctx.storage.call<QList<DeliveredReceipt>>(
        m_ctx.owner, [me, ids = req.ids](Repository &repo) { return repo.ack(me.deviceId, me.userId, ids); },
        [this, me](bool ok, QList<DeliveredReceipt> receipts) {
            const UserEntry *user = m_ctx.directory.user(me.userId);
            if (!ok || !user)
                return;
            for (const DeliveredReceipt &r : std::as_const(receipts))
                m_ctx.fanout.deliverToUsers({r.senderId}, Frame(events::delivered(r.messageId, user->name)));
        });
}

void MessageHandler::handle(Session *s, const protocol::HistoryRequest &req, const Reply &reply)
{
    const auto target = resolve(s, req.with, reply);
    if (!target)
        return;
    const qint64 me = target->me;
    const QString conv = target->room ? Directory::roomConversation(target->room->id)
                                      : Directory::directConversation(me, target->user->id);
    const qint64 peer = target->user ? target->user->id : 0;
    const QString with = target->room ? target->room->name : target->user->name;
    m_ctx.storage.call<QList<ChatMessage>>(
        m_ctx.owner,
        [conv, before = req.before, limit = req.limit, me, peer](Repository &repo) {
            return repo.history(conv, before, limit, me, peer);
        },
        [with, reply](bool ok, QList<ChatMessage> messages) {
            if (!ok) {
                reply.error(ErrorCode::Internal, u"the server could not read the history"_s);
                return;
            }
            reply.send(events::history(with, messages));
        });
}

void MessageHandler::handle(Session *s, const protocol::ReadRequest &req, const Reply &reply)
{
    const auto target = resolveUnanswered(s, req.with, reply);
    if (!target)
        return;
    const qint64 me = target->me;
    if (target->room || target->user->id == me)
        return; // read receipts are for direct conversations
    const qint64 peer = target->user->id;
    const QString conv = Directory::directConversation(me, peer);
    m_ctx.storage.call<qint64>(
        m_ctx.owner,
        [conv, me, peer, upto = req.upto](Repository &repo) {
            const qint64 capped = std::min(upto, repo.lastMessageId(conv));
            if (capped <= 0)
                return qint64(0);
            repo.markRead(me, peer, capped);
            return capped;
        },
        [this, me, peer](bool ok, qint64 upto) {
            const UserEntry *reader = m_ctx.directory.user(me);
            if (!ok || upto <= 0 || !reader)
                return;
            m_ctx.fanout.deliverToUsers({peer}, Frame(events::read(reader->name, reader->name, upto)));
        });
}

void MessageHandler::handle(Session *s, const protocol::TypingRequest &req, const Reply &reply)
{
    const auto target = resolveUnanswered(s, req.to, reply);
    if (!target)
        return;
    const qint64 me = target->me;
    const UserEntry *typist = m_ctx.directory.user(me);
    if (target->room) {
        QList<qint64> others = target->room->members.values();
        others.removeAll(me);
        m_ctx.fanout.deliverToUsers(others, Frame(events::typing(typist->name, target->room->name)));
    } else if (target->user->id != me) {
        m_ctx.fanout.deliverToUsers({target->user->id}, Frame(events::typing(typist->name, target->user->name)));
    }
}

} // namespace natter::server
