#pragma once

#include "client/storage/localstore.h"

#include <QAbstractListModel>
#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QTimer>

namespace natter::client {

class ChatClient;

// The conversation list: one row per conversation (a direct peer or a "#room"), the most recently active
// first. Filled from LocalStore::conversations() when constructed, then kept live from the ChatClient:
// a new message moves its conversation up and counts as unread unless it is the active conversation;
// presence, typing notices and joined rooms update the rows in place.
//
// Roles (the names in roleNames() are the same, for QML):
//   Qt::DisplayRole  = displayName
//   PeerRole         QString    the conversation key as the store names it: "alice" or "#room"
//   DisplayNameRole  QString    what to show: the peer, "#room", or "<self> (you)" for notes to self
//   IsRoomRole       bool       true for "#room"
//   LastBodyRole     QString    body of the newest message ("" when none yet)
//   LastFromRole     QString    sender of the newest message
//   LastTimeRole     QDateTime  time of the newest message (local time; invalid when none yet)
//   UnreadRole       int        messages from others not seen yet
//   OnlineRole       bool       direct peers: online per the latest presence; false for rooms
//   TypingRole       bool       someone is typing in it now (a notice expires after typingTimeoutMs())
//   TypingUsersRole  QStringList who is typing, oldest notice first
//   IsActiveRole     bool       it is the active conversation
//
// Presence comes from presenceChanged and from every `users` reply the client receives (PeopleModel asks
// for one after each welcome); while the client is not online, every peer shows offline.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        PeerRole = Qt::UserRole + 1,
        DisplayNameRole,
        IsRoomRole,
        LastBodyRole,
        LastFromRole,
        LastTimeRole,
        UnreadRole,
        OnlineRole,
        TypingRole,
        TypingUsersRole,
        IsActiveRole,
    };
    Q_ENUM(Role)

    // `client` may be null (tests, offline viewers): then only the slots below change the model, and
    // markRead() writes to the store directly.
    explicit ConversationListModel(LocalStore &store, ChatClient *client = nullptr, QObject *parent = nullptr);
    ~ConversationListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool isLoaded() const { return m_loaded; }
    // The row of a conversation, or -1.
    int rowOf(const QString &peer) const;
    QString activeConversation() const { return m_activePeer; }
    int totalUnread() const { return m_totalUnread; }
    int typingTimeoutMs() const { return m_typingTimeoutMs; }
    void setTypingTimeoutMs(int ms) { m_typingTimeoutMs = ms; }

public slots:
    // Reads the list from the store again (asynchronously); live changes meanwhile are kept.
    void reload();
    // The conversation the user looks at (empty: none): its unread count is cleared and stays 0 while it
    // is active; new messages in it are marked read at once (which sends read receipts to direct peers).
    void setActiveConversation(const QString &peer);
    // The user has seen the conversation: unread -> 0, in the store too, and a read receipt to a direct peer.
    void markRead(const QString &peer);

    // What the ChatClient signals feed; public so that a test or another source can drive the model.
    // `live`: a new message (moves the conversation up, may count as unread); false for history.
    void addMessage(const natter::client::LocalMessage &message, bool live = true);
    void setPresence(const QString &user, bool online);
    void setAllOffline();
    // `user` is typing in the conversation `peer` ("#room" or the direct peer).
    void noteTyping(const QString &peer, const QString &user);
    // A joined room shows up even before its first message.
    void addRoom(const QString &room);

signals:
    void loaded();
    void activeConversationChanged(const QString &peer);
    void totalUnreadChanged(int count);

private:
    struct Conversation {
        QString key; // protocol::nameKey(peer)
        QString peer;
        qint64 lastId = 0;
        qint64 lastTsMs = 0;
        qint64 activityMs = 0; // the sort key: lastTsMs, or when a room was joined
        QString lastFrom;
        QString lastBody;
        int unread = 0;
    };

    void applyLoaded(const QList<ConversationSummary> &summaries);
    void onClientMessage(const LocalMessage &message, bool live);
    void flushPending();
    int ensureRow(const QString &peer, qint64 activityMs);
    void reposition(int row);
    void reindex(int from, int to);
    void setUnread(int row, int unread);
    void emitRowChanged(int row, const QList<int> &roles);
    void clearTyping(const QString &key, const QString &userKey);
    // Who types in a conversation changed; typingFlipped: whether anyone types changed too.
    void typistsChanged(const QString &key, bool typingFlipped);
    void expireTyping();
    void scheduleTypingExpiry();
    QStringList typingUsers(const QString &key) const;
    bool isOnlineKey(const QString &key) const { return m_online.value(key, false); }
    static bool before(const Conversation &a, const Conversation &b);

    LocalStore &m_store;
    ChatClient *m_client;
    QList<Conversation> m_rows;
    QHash<QString, int> m_rowOfKey;
    bool m_loaded = false;
    quint64 m_loadGeneration = 0;
    int m_totalUnread = 0;
    QString m_activePeer;
    QString m_activeKey;

    // ChatClient messages are handled once per event-loop pass (one reordering, one read mark per batch).
    // ChatClient says which came live: those first seen in a history page do not count as unread.
    QList<std::pair<LocalMessage, bool>> m_pending; // with ChatClient's live flag
    static constexpr qsizetype kMaxHistoryOnly = 10'000;
    QSet<qint64> m_historyOnly; // ids added from history pages: their live delivery may still come
    bool m_flushScheduled = false;
    bool m_batching = false;
    QSet<QString> m_readAfterBatch; // keys of active conversations that got messages in this batch

    QHash<QString, bool> m_online; // user key -> online
    struct Typist {
        QString user;
        QDeadlineTimer expires;
    };
    QHash<QString, QList<Typist>> m_typing; // conversation key -> who is typing
    QTimer m_typingTimer;
    int m_typingTimeoutMs = 5000;
};

} // namespace natter::client
