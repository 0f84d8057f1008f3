#pragma once

#include "client/net/connection.h"
#include "common/protocol/requests.h"
#include "common/protocol/serverevents.h"
#include "client/storage/localstore.h"

#include <QObject>
#include <QStringList>

namespace natter::client {

// The client's promise, as one object: every message the user writes reaches the server exactly once
// (outbox, resent with the same cid until `sent`), every message for the user is shown exactly once
// (stored, deduplicated by id, acked only once on disk), and the connection state is always known.
// The desktop app and natter-cli both stand on it.
class ChatClient : public QObject
{
    Q_OBJECT
public:
    ChatClient(LocalStore &store, ConnectionConfig config = {}, QObject *parent = nullptr);
    ~ChatClient() override;

    Connection &connection() { return m_connection; }
    LocalStore &store() { return m_store; }

    // Where and as whom. The token, when given, is tried first.
    void setServer(const QUrl &server) { m_connection.setServer(server); }
    // Also names the store's own user, so that messages written before the first welcome can be queued.
    void setCredentials(const Connection::Credentials &credentials);
    void start() { m_connection.start(); }
    void stop() { m_connection.stop(); }

    QString user() const { return m_connection.user(); }
    bool isOnline() const { return m_connection.state() == Connection::State::Online; }

    // Writes the message to the outbox, then sends it when online. Returns its cid.
    QString sendMessage(const QString &to, const QString &body);
    // Requests with replies; `rid` matches the reply's signal.
    QString join(const QString &room);
    QString leave(const QString &room);
    QString requestRooms();
    QString requestUsers();
    QString requestHistory(const QString &with, qint64 before = 0, int limit = 50);
    void sendTyping(const QString &to);
    // The user has seen a conversation up to a message: tells the other side (direct) and clears unread.
    void markRead(const QString &peer, qint64 upto);
    void logout();

signals:
    void connectionStateChanged(natter::client::Connection::State state);
    void transportChanged(natter::client::TransportKind kind);
    void signedIn(const QString &user, const QString &token);
    void authenticationFailed(natter::protocol::ErrorCode code, const QString &message);
    void loggedOut();

    // A message shown for the first time (live, from the queue, or from history).
    // live: it came as a message (now, or queued for us while offline) or the user wrote it; false: first
    // seen in a history page. Only live messages count as unread or notify.
    void messageAdded(const natter::client::LocalMessage &message, bool live);
    // An own message changed state (queued -> sent -> delivered -> read, or failed).
    void messageStateChanged(const QString &cid, qint64 id, natter::client::MessageState state);

    void presenceChanged(const QString &user, bool online);
    void typing(const QString &from, const QString &to);
    void memberChanged(const QString &room, const QString &user, bool joined);
    void joined(const QString &rid, const QString &room, const QStringList &members);
    void left(const QString &rid, const QString &room);
    void roomsReceived(const QString &rid, const QList<protocol::RoomInfo> &rooms);
    void usersReceived(const QString &rid, const QList<protocol::UserInfo> &users);
    void historyReceived(const QString &rid, const QString &with, const QList<natter::client::LocalMessage> &messages);
    // The request `rid` (a message: its cid) failed: the server's error, or Internal when the message could
    // not be written to the local store (it is not queued).
    void errorReceived(const QString &rid, natter::protocol::ErrorCode code, const QString &message);
    // The request `rid` could not leave: not connected. Nothing was sent; ask again when online.
    void requestNotSent(const QString &rid);

private:
    QString request(protocol::RequestBody body);
    void onWelcome(const protocol::WelcomeEvent &welcome);
    void onEvent(const protocol::ServerEvent &event);
    // One handler per server event (dispatched by onEvent with std::visit); rid: the request answered.
    void on(const protocol::WelcomeEvent &e, const QString &rid);
    void on(const protocol::ChatMessage &m, const QString &rid);
    void on(const protocol::SentEvent &e, const QString &rid);
    void on(const protocol::DeliveredEvent &e, const QString &rid);
    void on(const protocol::ReadEvent &e, const QString &rid);
    void on(const protocol::PresenceEvent &e, const QString &rid);
    void on(const protocol::TypingEvent &e, const QString &rid);
    void on(const protocol::MemberEvent &e, const QString &rid);
    void on(const protocol::JoinedEvent &e, const QString &rid);
    void on(const protocol::LeftEvent &e, const QString &rid);
    void on(const protocol::RoomsEvent &e, const QString &rid);
    void on(const protocol::UsersEvent &e, const QString &rid);
    void on(const protocol::HistoryEvent &e, const QString &rid);
    void on(const protocol::LoggedOutEvent &e, const QString &rid);
    void on(const protocol::ErrorEvent &e, const QString &rid);
    void flushOutbox();
    void sendFromOutbox(const OutboxEntry &entry);
    void storeIncoming();
    void emitAdopted(const QList<LocalMessage> &adopted);

    LocalStore &m_store;
    Connection m_connection;
    QList<protocol::ChatMessage> m_incoming; // arrived in this loop pass, stored and acked together
    bool m_storeScheduled = false;
    QSet<QString> m_inFlight; // cids sent on this connection and not yet answered
    // Outbox reads for a resend not answered yet. Store completions come in submission order, so a message
    // whose write completes meanwhile is in the read, and is sent by it in order.
    int m_outboxReads = 0;
};

} // namespace natter::client
