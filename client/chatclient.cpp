#include "client/chatclient.h"

#include "client/clientlogging.h"
#include "common/protocol/validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUuid>

namespace natter::client {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isPermanentSendError(const QString &code)
{
    return code == "not_found"_L1 || code == "forbidden"_L1 || code == "bad_request"_L1 || code == "too_large"_L1;
}
} // namespace

ChatClient::ChatClient(LocalStore &store, ConnectionConfig config, QObject *parent)
    : QObject(parent), m_store(store), m_connection(config)
{
    connect(&m_connection, &Connection::stateChanged, this, [this](Connection::State s) {
        if (s != Connection::State::Online)
            m_inFlight.clear(); // anything unanswered is resent from the outbox after the next welcome
        emit connectionStateChanged(s);
    });
    connect(&m_connection, &Connection::transportChanged, this, &ChatClient::transportChanged);
    connect(&m_connection, &Connection::authenticationFailed, this, &ChatClient::authenticationFailed);
    connect(&m_connection, &Connection::welcomed, this, &ChatClient::onWelcome);
    connect(&m_connection, &Connection::received, this, &ChatClient::onEnvelope);
}

ChatClient::~ChatClient()
{
    // m_connection outlives the members declared after it and stops in its destructor: it must not call
    // back into this half-destroyed object (m_inFlight is already gone by then).
    m_connection.disconnect(this);
}

void ChatClient::setCredentials(const Connection::Credentials &credentials)
{
    m_connection.setCredentials(credentials);
    // Without it, sendMessage() before the first welcome (starting offline) fails: the outbox row's sender
    // would be NULL. The welcome sets the server's spelling of the name later.
    if (!credentials.user.isEmpty())
        m_store.setSelf(credentials.user);
}

void ChatClient::onWelcome(const QJsonObject &welcome)
{
    const QString user = welcome.value("user"_L1).toString();
    const QString token = welcome.value("token"_L1).toString();
    m_store.setSelf(user);
    emit signedIn(user, token);
    flushOutbox();
}

QString ChatClient::sendMessage(const QString &to, const QString &body)
{
    const OutboxEntry entry{newId(), to, body, QDateTime::currentMSecsSinceEpoch()};
    m_store.queueOutgoing(entry, this, [this, entry](bool ok, LocalMessage message) {
        if (!ok) {
            emit errorReceived(entry.cid, u"internal"_s, tr("The message could not be saved on this computer."));
            return;
        }
        emit messageAdded(message, true);
        // While the outbox is being read for a resend, this message is in that read (written before it)
        // and leaves after the older ones; sending it now would overtake them.
        if (m_outboxReads == 0)
            sendFromOutbox(entry);
    });
    return entry.cid;
}

void ChatClient::sendFromOutbox(const OutboxEntry &entry)
{
    if (m_inFlight.contains(entry.cid))
        return;
    const QJsonObject envelope{{"type"_L1, u"send"_s}, {"to"_L1, entry.to}, {"body"_L1, entry.body},
                               {"cid"_L1, entry.cid}, {"rid"_L1, entry.cid}};
    if (m_connection.send(envelope))
        m_inFlight.insert(entry.cid);
}

void ChatClient::flushOutbox()
{
    ++m_outboxReads;
    m_store.pendingOutbox(this, [this](QList<OutboxEntry> entries) {
        --m_outboxReads;
        if (!entries.isEmpty())
            qCInfo(lcClient) << "resending" << entries.size() << "queued message(s)";
        for (const OutboxEntry &e : std::as_const(entries))
            sendFromOutbox(e);
    });
}

QString ChatClient::request(QJsonObject envelope)
{
    const QString rid = newId();
    envelope.insert("rid"_L1, rid);
    if (!m_connection.send(envelope))
        QMetaObject::invokeMethod(this, [this, rid] {
            emit errorReceived(rid, u"offline"_s, tr("Not connected to the server."));
        }, Qt::QueuedConnection);
    return rid;
}

QString ChatClient::join(const QString &room)
{
    return request({{"type"_L1, u"join"_s}, {"room"_L1, room}});
}

QString ChatClient::leave(const QString &room)
{
    return request({{"type"_L1, u"leave"_s}, {"room"_L1, room}});
}

QString ChatClient::requestRooms()
{
    return request({{"type"_L1, u"rooms"_s}});
}

QString ChatClient::requestUsers()
{
    return request({{"type"_L1, u"users"_s}});
}

QString ChatClient::requestHistory(const QString &with, qint64 before, int limit)
{
    QJsonObject e{{"type"_L1, u"history"_s}, {"with"_L1, with}, {"limit"_L1, limit}};
    if (before > 0)
        e.insert("before"_L1, before);
    return request(e);
}

void ChatClient::sendTyping(const QString &to)
{
    m_connection.send({{"type"_L1, u"typing"_s}, {"to"_L1, to}});
}

void ChatClient::markRead(const QString &peer, qint64 upto)
{
    m_store.markConversationSeen(peer, upto, this, [](bool) {});
    if (!peer.startsWith(u'#') && upto > 0)
        m_connection.send({{"type"_L1, u"read"_s}, {"with"_L1, peer}, {"upto"_L1, upto}});
}

void ChatClient::logout()
{
    if (!m_connection.send({{"type"_L1, u"logout"_s}})) {
        m_connection.stop();
        emit loggedOut();
    }
}

void ChatClient::storeIncoming()
{
    m_storeScheduled = false;
    const QList<ChatMessage> batch = std::exchange(m_incoming, {});
    if (batch.isEmpty())
        return;
    m_store.storeMessages(batch, true, this, [this, batch](bool ok, QList<LocalMessage> fresh, QList<LocalMessage> adopted) {
        if (!ok) {
            // Not on disk: no ack, so the server delivers them again (after the next welcome).
            qCWarning(lcClient) << "could not store" << batch.size() << "incoming message(s)";
            return;
        }
        for (const LocalMessage &m : std::as_const(fresh))
            emit messageAdded(m, true);
        emitAdopted(adopted);
        // On disk now (or known before): confirm them all, duplicates included.
        QJsonArray ids;
        for (const ChatMessage &m : batch)
            ids.append(m.id);
        m_connection.send({{"type"_L1, u"ack"_s}, {"ids"_L1, ids}});
    });
}

void ChatClient::emitAdopted(const QList<LocalMessage> &adopted)
{
    // Own messages still queued here that the server already had (its `sent` was lost with a connection):
    // the row left the queued state, so the views hear it like a `sent` (and a later receipt) would say.
    for (const LocalMessage &m : adopted) {
        emit messageStateChanged(m.cid, m.id, MessageState::Sent);
        if (m.state == MessageState::Delivered || m.state == MessageState::Read)
            emit messageStateChanged({}, m.id, m.state);
    }
}

void ChatClient::onEnvelope(const QJsonObject &e)
{
    const QString type = e.value("type"_L1).toString();
    const QString rid = e.value("rid"_L1).toString();
    if (type == "message"_L1) {
        if (const auto m = ChatMessage::fromJson(e)) {
            m_incoming.append(*m);
            if (!m_storeScheduled) {
                m_storeScheduled = true;
                QMetaObject::invokeMethod(this, &ChatClient::storeIncoming, Qt::QueuedConnection);
            }
        }
    } else if (type == "sent"_L1) {
        const QString cid = e.value("cid"_L1).toString();
        const qint64 id = e.value("id"_L1).toInteger();
        const qint64 ts = protocol::parseTimestamp(e.value("ts"_L1).toString()).value_or(0);
        m_inFlight.remove(cid);
        m_store.markSent(cid, id, ts, this, [this, cid, id](bool ok, MessageState state) {
            if (!ok)
                return;
            emit messageStateChanged(cid, id, MessageState::Sent);
            if (state == MessageState::Delivered || state == MessageState::Read)
                emit messageStateChanged({}, id, state); // a receipt that overtook the `sent`
        });
    } else if (type == "delivered"_L1) {
        const qint64 id = e.value("id"_L1).toInteger();
        m_store.markDelivered(id, this, [this, id](bool changed) {
            if (changed)
                emit messageStateChanged({}, id, MessageState::Delivered);
        });
    } else if (type == "read"_L1) {
        m_store.markReadByPeer(e.value("by"_L1).toString(), e.value("upto"_L1).toInteger(), this,
                               [this](QList<qint64> ids) {
                                   for (qint64 id : std::as_const(ids))
                                       emit messageStateChanged({}, id, MessageState::Read);
                               });
    } else if (type == "presence"_L1) {
        emit presenceChanged(e.value("user"_L1).toString(), e.value("online"_L1).toBool());
    } else if (type == "typing"_L1) {
        emit typing(e.value("from"_L1).toString(), e.value("to"_L1).toString());
    } else if (type == "member"_L1) {
        emit memberChanged(e.value("room"_L1).toString(), e.value("user"_L1).toString(), e.value("joined"_L1).toBool());
    } else if (type == "joined"_L1) {
        QStringList members;
        for (const QJsonValue &m : e.value("members"_L1).toArray())
            members.append(m.toString());
        emit joined(rid, e.value("room"_L1).toString(), members);
    } else if (type == "left"_L1) {
        emit left(rid, e.value("room"_L1).toString());
    } else if (type == "rooms"_L1) {
        QList<protocol::RoomInfo> rooms;
        for (const QJsonValue &r : e.value("rooms"_L1).toArray())
            rooms.append({r[u"room"_s].toString(), r[u"members"_s].toInt()});
        emit roomsReceived(rid, rooms);
    } else if (type == "users"_L1) {
        QList<protocol::UserInfo> users;
        for (const QJsonValue &u : e.value("users"_L1).toArray())
            users.append({u[u"user"_s].toString(), u[u"online"_s].toBool()});
        emit usersReceived(rid, users);
    } else if (type == "history"_L1) {
        QList<ChatMessage> messages;
        for (const QJsonValue &m : e.value("messages"_L1).toArray()) {
            if (const auto cm = ChatMessage::fromJson(m.toObject()))
                messages.append(*cm);
        }
        const QString with = e.value("with"_L1).toString();
        // History merges into the local store; the reply lists the whole page as stored here.
        m_store.storeMessages(messages, false, this, [this, rid, with, messages](bool, QList<LocalMessage> fresh,
                                                                               QList<LocalMessage> adopted) {
            for (const LocalMessage &m : std::as_const(fresh))
                emit messageAdded(m, false);
            emitAdopted(adopted);
            QList<LocalMessage> page;
            for (const ChatMessage &c : messages)
                page.append(LocalStore::fromChatMessage(m_store.self(), c));
            emit historyReceived(rid, with, page);
        });
    } else if (type == "logged_out"_L1) {
        m_connection.stop();
        emit loggedOut();
    } else if (type == "error"_L1) {
        const QString code = e.value("code"_L1).toString();
        const QString message = e.value("message"_L1).toString();
        if (m_inFlight.remove(rid) && isPermanentSendError(code)) {
            // The server will never take this message: stop resending it.
            m_store.markFailed(rid, this, [this, rid](bool) { emit messageStateChanged(rid, 0, MessageState::Failed); });
        }
        emit errorReceived(rid, code, message);
    }
}

} // namespace natter::client
