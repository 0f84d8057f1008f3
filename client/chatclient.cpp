#include "client/chatclient.h"

#include "client/clientlogging.h"
#include "common/protocol/validation.h"

#include <QDateTime>
#include <QUuid>

namespace natter::client {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
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
    connect(&m_connection, &Connection::received, this, &ChatClient::onEvent);
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

void ChatClient::onWelcome(const protocol::WelcomeEvent &welcome)
{
    m_store.setSelf(welcome.user);
    emit signedIn(welcome.user, welcome.token);
    flushOutbox();
}

QString ChatClient::sendMessage(const QString &to, const QString &body)
{
    const OutboxEntry entry{newId(), to, body, QDateTime::currentMSecsSinceEpoch()};
    m_store.queueOutgoing(entry, this, [this, entry](bool ok, LocalMessage message) {
        if (!ok) {
            emit errorReceived(entry.cid, protocol::ErrorCode::Internal, tr("The message could not be saved on this computer."));
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
    const protocol::Request send{entry.cid, true, protocol::SendRequest{entry.to, entry.body, entry.cid}};
    if (m_connection.send(send))
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

QString ChatClient::request(protocol::RequestBody body)
{
    const QString rid = newId();
    if (!m_connection.send(protocol::Request{rid, true, std::move(body)}))
        QMetaObject::invokeMethod(this, [this, rid] { emit requestNotSent(rid); }, Qt::QueuedConnection);
    return rid;
}

QString ChatClient::join(const QString &room)
{
    return request(protocol::JoinRequest{room});
}

QString ChatClient::leave(const QString &room)
{
    return request(protocol::LeaveRequest{room});
}

QString ChatClient::requestRooms()
{
    return request(protocol::RoomsRequest{});
}

QString ChatClient::requestUsers()
{
    return request(protocol::UsersRequest{});
}

QString ChatClient::requestHistory(const QString &with, qint64 before, int limit)
{
    return request(protocol::HistoryRequest{with, before, limit});
}

void ChatClient::sendTyping(const QString &to)
{
    m_connection.send({{}, false, protocol::TypingRequest{to}});
}

void ChatClient::markRead(const QString &peer, qint64 upto)
{
    m_store.markConversationSeen(peer, upto, this, [](bool) {});
    if (!peer.startsWith(u'#') && upto > 0)
        m_connection.send({{}, false, protocol::ReadRequest{peer, upto}});
}

void ChatClient::logout()
{
    if (!m_connection.send({{}, false, protocol::LogoutRequest{}})) {
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
        protocol::AckRequest ack;
        ack.ids.reserve(batch.size());
        for (const ChatMessage &m : batch)
            ack.ids.append(m.id);
        m_connection.send({{}, false, std::move(ack)});
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

void ChatClient::onEvent(const protocol::ServerEvent &event)
{
    std::visit([this, &event](const auto &body) { on(body, event.rid); }, event.body);
}

void ChatClient::on(const protocol::WelcomeEvent &, const QString &)
{
    qCWarning(lcClient) << "ignoring a second welcome on one connection";
}

void ChatClient::on(const ChatMessage &m, const QString &)
{
    m_incoming.append(m);
    if (!m_storeScheduled) {
        m_storeScheduled = true;
        QMetaObject::invokeMethod(this, &ChatClient::storeIncoming, Qt::QueuedConnection);
    }
}

void ChatClient::on(const protocol::SentEvent &e, const QString &)
{
    const QString cid = e.cid;
    const qint64 id = e.id;
    m_inFlight.remove(cid);
    m_store.markSent(cid, id, e.tsMs, this, [this, cid, id](bool ok, MessageState state) {
        if (!ok)
            return;
        emit messageStateChanged(cid, id, MessageState::Sent);
        if (state == MessageState::Delivered || state == MessageState::Read)
            emit messageStateChanged({}, id, state); // a receipt that overtook the `sent`
    });
}

void ChatClient::on(const protocol::DeliveredEvent &e, const QString &)
{
    const qint64 id = e.id;
    m_store.markDelivered(id, this, [this, id](bool changed) {
        if (changed)
            emit messageStateChanged({}, id, MessageState::Delivered);
    });
}

void ChatClient::on(const protocol::ReadEvent &e, const QString &)
{
    m_store.markReadByPeer(e.by, e.upto, this, [this](QList<qint64> ids) {
        for (qint64 id : std::as_const(ids))
            emit messageStateChanged({}, id, MessageState::Read);
    });
}

void ChatClient::on(const protocol::PresenceEvent &e, const QString &)
{
    emit presenceChanged(e.user, e.online);
}

void ChatClient::on(const protocol::TypingEvent &e, const QString &)
{
    emit typing(e.from, e.to);
}

void ChatClient::on(const protocol::MemberEvent &e, const QString &)
{
    emit memberChanged(e.room, e.user, e.joined);
}

void ChatClient::on(const protocol::JoinedEvent &e, const QString &rid)
{
    emit joined(rid, e.room, e.members);
}

void ChatClient::on(const protocol::LeftEvent &e, const QString &rid)
{
    emit left(rid, e.room);
}

void ChatClient::on(const protocol::RoomsEvent &e, const QString &rid)
{
    emit roomsReceived(rid, e.rooms);
}

void ChatClient::on(const protocol::UsersEvent &e, const QString &rid)
{
    emit usersReceived(rid, e.users);
}

void ChatClient::on(const protocol::HistoryEvent &e, const QString &rid)
{
    // History merges into the local store; the reply lists the whole page as stored here.
    m_store.storeMessages(e.messages, false, this,
                          [this, rid, with = e.with, messages = e.messages](bool, QList<LocalMessage> fresh,
                                                                            QList<LocalMessage> adopted) {
                              for (const LocalMessage &m : std::as_const(fresh))
                                  emit messageAdded(m, false);
                              emitAdopted(adopted);
                              QList<LocalMessage> page;
                              for (const ChatMessage &c : messages)
                                  page.append(fromChatMessage(m_store.self(), c));
                              emit historyReceived(rid, with, page);
                          });
}

void ChatClient::on(const protocol::LoggedOutEvent &, const QString &)
{
    m_connection.stop();
    emit loggedOut();
}

void ChatClient::on(const protocol::ErrorEvent &e, const QString &rid)
{
    if (m_inFlight.remove(rid) && protocol::isPermanent(e.code)) {
        // The server will never take this message: stop resending it.
        m_store.markFailed(rid, this, [this, rid](bool) { emit messageStateChanged(rid, 0, MessageState::Failed); });
    }
    emit errorReceived(rid, e.code, e.message);
}

} // namespace natter::client
