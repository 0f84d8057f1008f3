#pragma once

#include "client/storage/localstore.h"

#include <QAbstractListModel>
#include <QDate>
#include <QHash>
#include <QSet>
#include <QString>

#include <algorithm>
#include <deque>

namespace natter::client {

class ChatClient;

// The messages of one conversation, oldest first. setConversation() loads the newest page from the
// LocalStore; fetchMore() loads older pages, from the store first and, once it has nothing older, from
// the server (ChatClient::requestHistory). New messages of the conversation are added live, and own
// messages change state in place. A message is never shown twice: rows are indexed by id, and own
// messages also by cid (a queued message gets its id in place when the server took it).
// Built for long conversations: adding at either end and updating one row are O(1); day separators
// and sender runs are derived from the neighbouring row when read, not stored.
//
// Roles (the names in roleNames() are the same, for QML):
//   Qt::DisplayRole       = body
//   IdRole                qint64     server id; 0 while queued or failed
//   CidRole               QString    client id of the message
//   FromRole              QString    sender
//   BodyRole              QString    text
//   TimeRole              QDateTime  when it was sent (local time)
//   IsOwnRole             bool       written by this account (on this or another device)
//   StateRole             int        natter::client::MessageState: Queued, Sent, Delivered, Read, Received
//                                    (others' messages) or Failed
//   StateNameRole         QString    the same as "queued", "sent", "delivered", "read", "received", "failed"
//   ShowDaySeparatorRole  bool       first loaded message of its (local) day
//   DayLabelRole          QString    "Today", "Yesterday" or the date, for the separator (translated;
//                                    computed when read, so a view open over midnight re-reads it)
//   ShowSenderRole        bool       first message of a run from the same sender (a new day starts a run)
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        CidRole,
        FromRole,
        BodyRole,
        TimeRole,
        IsOwnRole,
        StateRole,
        StateNameRole,
        ShowDaySeparatorRole,
        DayLabelRole,
        ShowSenderRole,
    };
    Q_ENUM(Role)

    // `client` may be null: then there are no live updates and no server history, only the store and
    // the slots below.
    explicit MessageListModel(LocalStore &store, ChatClient *client = nullptr, QObject *parent = nullptr);
    ~MessageListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // True while older messages may exist: in the store, or on the server while the client is online.
    bool canFetchMore(const QModelIndex &parent) const override;
    // Asynchronous: loads one older page (pageSize() messages); olderMessagesLoaded tells when it is in.
    // Does nothing while a load is in flight.
    void fetchMore(const QModelIndex &parent) override;

    QString conversation() const { return m_peer; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int size) { m_pageSize = std::clamp(size, 1, 200); } // the server allows 200
    bool isFetching() const { return m_fetching; }
    // The row of a message, or -1 (O(1)).
    int rowOfId(qint64 id) const;
    int rowOfCid(const QString &cid) const;

public slots:
    // Shows another conversation ("alice", "#room"; empty: none) and loads its newest page.
    void setConversation(const QString &peer);
    // What the ChatClient signals feed; public so that a test or another source can drive the model.
    // Messages of other conversations are ignored.
    void addMessage(const natter::client::LocalMessage &message);
    void addMessages(const QList<natter::client::LocalMessage> &messages);
    // An own message changed state; found by cid when given, else by id. States only move forward.
    void updateMessageState(const QString &cid, qint64 id, natter::client::MessageState state);

signals:
    void conversationChanged(const QString &peer);
    // The newest page of the conversation is in (after setConversation()).
    void newestPageLoaded(int count);
    // A fetchMore() finished; `count` rows were added at the top.
    void olderMessagesLoaded(int count, bool fromServer);
    // Neither the store nor the server has anything older.
    void beginningReached();
    // The server refused or could not be asked for history; fetchMore() may be tried again.
    void fetchFailed(const QString &message);
    void fetchingChanged(bool fetching);

private:
    // The history request `rid` failed; a permanent failure means the server has no (more) history for us.
    void historyFailed(const QString &rid, bool permanent, const QString &message);

    struct Row {
        qint64 id = 0;
        qint64 tsMs = 0;
        QString cid;
        QString from; // shared between the rows of one sender
        QString body;
        MessageState state = MessageState::Received;
        bool isOwn = false;
    };

    // Rows live in a deque; row i has the sequence number m_frontSeq + i, which the indexes store, so
    // that adding at the top does not renumber anything.
    const Row &rowAt(int row) const { return m_rows[size_t(row)]; }
    Row &rowAt(int row) { return m_rows[size_t(row)]; }
    int rowOfSeq(qint64 seq) const { return int(seq - m_frontSeq); }
    Row makeRow(const LocalMessage &m);
    void indexRow(const Row &row, qint64 seq);
    // Known row for this message (by own cid, then by id), or -1.
    int findRow(const LocalMessage &m) const;
    // Brings a known row up to date (id adopted, state forward); returns true when it changed.
    bool mergeInto(int row, qint64 id, qint64 tsMs, MessageState state);
    int insertionRow(qint64 id) const;
    void insertAt(int row, const LocalMessage &m);
    int prepend(const QList<LocalMessage> &page); // returns how many rows it added
    void removeAt(int row);
    void setFetching(bool fetching);
    void onLocalPage(const QList<LocalMessage> &page, bool initial);
    void reportBeginningIfReached();
    void requestServerPage();
    void onHistory(const QString &rid, const QString &with, const QList<LocalMessage> &page);
    bool isOfConversation(const QString &peer) const;
    QDate dayOf(int row) const;
    bool showsDaySeparator(int row) const;
    bool showsSender(int row) const;
    QString dayLabel(const QDate &day) const;
    void emitBoundaryChanged(int row);

    LocalStore &m_store;
    ChatClient *m_client;
    QString m_peer;
    QString m_key; // protocol::nameKey(m_peer)
    quint64 m_generation = 0; // bumps with every setConversation(): late store answers are dropped
    int m_pageSize = 50;

    std::deque<Row> m_rows;
    qint64 m_frontSeq = 0;
    QHash<qint64, qint64> m_seqOfId;
    QHash<QString, qint64> m_seqOfOwnCid;
    QSet<QString> m_senders; // interned sender names
    qint64 m_minId = 0; // smallest and largest server id shown (0: none)
    qint64 m_maxId = 0;

    bool m_fetching = false;
    bool m_localExhausted = false;
    bool m_serverExhausted = false;
    bool m_beginningReported = false;
    QString m_historyRid;
};

} // namespace natter::client
