#include "client/models/conversationlistmodel.h"

#include "client/chatclient.h"
#include "common/protocol/validation.h"

#include <QDateTime>

#include <algorithm>

namespace natter::client {

using namespace Qt::StringLiterals;

ConversationListModel::ConversationListModel(LocalStore &store, ChatClient *client, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_client(client)
{
    m_typingTimer.setSingleShot(true);
    connect(&m_typingTimer, &QTimer::timeout, this, &ConversationListModel::expireTyping);

    if (m_client) {
        connect(m_client, &ChatClient::messageAdded, this, &ConversationListModel::onClientMessage);
        connect(m_client, &ChatClient::presenceChanged, this, &ConversationListModel::setPresence);
        connect(m_client, &ChatClient::usersReceived, this,
                [this](const QString &, const QList<protocol::UserInfo> &users) {
                    for (const protocol::UserInfo &u : users)
                        setPresence(u.user, u.online);
                });
        connect(m_client, &ChatClient::typing, this, [this](const QString &from, const QString &to) {
            const QString self = m_store.self();
            if (protocol::nameKey(from) == protocol::nameKey(self))
                return; // our own typing on another device
            noteTyping(peerOf(self, from, to), from);
        });
        connect(m_client, &ChatClient::joined, this,
                [this](const QString &, const QString &room, const QStringList &) { addRoom(room); });
        connect(m_client, &ChatClient::connectionStateChanged, this, [this](Connection::State state) {
            if (state != Connection::State::Online)
                setAllOffline();
        });
    }
    reload();
}

ConversationListModel::~ConversationListModel() = default;

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Conversation &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        if (!m_store.self().isEmpty() && c.key == protocol::nameKey(m_store.self()))
            return tr("%1 (you)", "the conversation with oneself (notes)").arg(c.peer);
        return c.peer;
    case PeerRole:
        return c.peer;
    case IsRoomRole:
        return c.peer.startsWith(u'#');
    case LastBodyRole:
        return c.lastBody;
    case LastFromRole:
        return c.lastFrom;
    case LastTimeRole:
        return c.lastTsMs > 0 ? QDateTime::fromMSecsSinceEpoch(c.lastTsMs) : QDateTime();
    case UnreadRole:
        return c.unread;
    case OnlineRole:
        return !c.peer.startsWith(u'#') && isOnlineKey(c.key);
    case TypingRole:
        return m_typing.contains(c.key);
    case TypingUsersRole:
        return typingUsers(c.key);
    case IsActiveRole:
        return !m_activeKey.isEmpty() && c.key == m_activeKey;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {PeerRole, "peer"},
        {DisplayNameRole, "displayName"},
        {IsRoomRole, "isRoom"},
        {LastBodyRole, "lastBody"},
        {LastFromRole, "lastFrom"},
        {LastTimeRole, "lastTime"},
        {UnreadRole, "unread"},
        {OnlineRole, "online"},
        {TypingRole, "typing"},
        {TypingUsersRole, "typingUsers"},
        {IsActiveRole, "isActive"},
    };
}

int ConversationListModel::rowOf(const QString &peer) const
{
    return m_rowOfKey.value(protocol::nameKey(peer), -1);
}

bool ConversationListModel::before(const Conversation &a, const Conversation &b)
{
    if (a.activityMs != b.activityMs)
        return a.activityMs > b.activityMs;
    return a.key < b.key;
}

void ConversationListModel::reload()
{
    m_loaded = false; // live messages wait in m_pending until the read is in
    const quint64 generation = ++m_loadGeneration;
    m_store.conversations(this, [this, generation](QList<ConversationSummary> summaries) {
        if (generation == m_loadGeneration)
            applyLoaded(summaries);
    });
}

void ConversationListModel::applyLoaded(const QList<ConversationSummary> &summaries)
{
    QList<Conversation> rows;
    rows.reserve(summaries.size());
    QSet<QString> keys;
    for (const ConversationSummary &s : summaries) {
        Conversation c;
        c.key = protocol::nameKey(s.peer);
        c.peer = s.peer;
        c.lastId = s.lastId;
        c.lastTsMs = s.lastTsMs;
        c.activityMs = s.lastTsMs;
        c.lastFrom = s.lastFrom;
        c.lastBody = s.lastBody;
        c.unread = s.unread;
        keys.insert(c.key);
        rows.append(c);
    }
    // Rooms joined here but without a message yet are not in the store: keep them.
    for (const Conversation &c : std::as_const(m_rows)) {
        if (!keys.contains(c.key) && c.lastTsMs == 0)
            rows.append(c);
    }
    std::sort(rows.begin(), rows.end(), before);

    beginResetModel();
    m_rows = std::move(rows);
    reindex(0, int(m_rows.size()) - 1);
    m_loaded = true;
    endResetModel();

    int total = 0;
    for (const Conversation &c : std::as_const(m_rows))
        total += c.unread;
    if (total != m_totalUnread) {
        m_totalUnread = total;
        emit totalUnreadChanged(total);
    }
    if (!m_activeKey.isEmpty() && rowOf(m_activePeer) >= 0 && m_rows.at(rowOf(m_activePeer)).unread > 0)
        markRead(m_activePeer);
    emit loaded();
    flushPending();
}

void ConversationListModel::onClientMessage(const LocalMessage &message, bool live)
{
    m_pending.append({message, live});
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &ConversationListModel::flushPending, Qt::QueuedConnection);
    }
}

void ConversationListModel::flushPending()
{
    m_flushScheduled = false;
    if (!m_loaded || m_pending.isEmpty())
        return; // applyLoaded() flushes what waited
    const QList<std::pair<LocalMessage, bool>> batch = std::exchange(m_pending, {});
    m_batching = true;
    for (const auto &[m, live] : batch)
        addMessage(m, live);
    m_batching = false;
    const QSet<QString> toMark = std::exchange(m_readAfterBatch, {});
    for (const QString &key : toMark) {
        const int row = m_rowOfKey.value(key, -1);
        if (row >= 0)
            markRead(m_rows.at(row).peer);
    }
}

int ConversationListModel::ensureRow(const QString &peer, qint64 activityMs)
{
    const QString key = protocol::nameKey(peer);
    if (const int row = m_rowOfKey.value(key, -1); row >= 0)
        return row;
    Conversation c;
    c.key = key;
    c.peer = peer;
    c.activityMs = activityMs;
    const int row = int(std::lower_bound(m_rows.cbegin(), m_rows.cend(), c, before) - m_rows.cbegin());
    beginInsertRows({}, row, row);
    m_rows.insert(row, c);
    reindex(row, int(m_rows.size()) - 1);
    endInsertRows();
    return row;
}

void ConversationListModel::addMessage(const LocalMessage &m, bool live)
{
    if (m.peer.isEmpty())
        return;
    int row = ensureRow(m.peer, m.tsMs);
    Conversation &c = m_rows[row];
    QList<int> roles;
    // Already counted: the store's summary (or an earlier signal) had this message. One that came with a
    // history page first and now live (the store promoted it) was not counted.
    const bool promoted = live && m_historyOnly.remove(m.id);
    const bool known = m.id > 0 && m.id <= c.lastId && !promoted;
    if (!live && !m.isOwn && m.id > 0 && m_historyOnly.size() < kMaxHistoryOnly)
        m_historyOnly.insert(m.id);
    // Newer than the shown last message: by time, and by id among messages of the same millisecond
    // (a history page is often stored within one); a queued one (no id yet) is the newest.
    const bool newer = m.tsMs > c.lastTsMs || (m.tsMs == c.lastTsMs && (m.id == 0 || m.id > c.lastId));
    if (newer && (m.tsMs != c.lastTsMs || m.from != c.lastFrom || m.body != c.lastBody)) {
        c.lastTsMs = m.tsMs;
        c.lastFrom = m.from;
        c.lastBody = m.body;
        roles << LastTimeRole << LastFromRole << LastBodyRole;
    }
    c.lastId = std::max(c.lastId, m.id);
    if (c.lastTsMs > c.activityMs)
        c.activityMs = c.lastTsMs;
    if (live && !m.isOwn && !known) {
        if (c.key == m_activeKey) {
            if (m_batching)
                m_readAfterBatch.insert(c.key);
            else
                markRead(c.peer);
        } else {
            setUnread(row, c.unread + 1);
        }
    }
    const QString fromKey = protocol::nameKey(m.from);
    if (m_typing.contains(c.key)) {
        const QList<Typist> &typists = m_typing.value(c.key);
        if (std::any_of(typists.cbegin(), typists.cend(),
                        [&](const Typist &t) { return protocol::nameKey(t.user) == fromKey; }))
            clearTyping(c.key, fromKey); // they sent what they were typing
    }
    if (!roles.isEmpty())
        emitRowChanged(row, roles);
    reposition(row);
}

void ConversationListModel::addRoom(const QString &room)
{
    if (!room.startsWith(u'#') || m_rowOfKey.contains(protocol::nameKey(room)))
        return;
    ensureRow(room, QDateTime::currentMSecsSinceEpoch());
}

void ConversationListModel::setActiveConversation(const QString &peer)
{
    const QString key = protocol::nameKey(peer);
    if (key == m_activeKey)
        return;
    const int oldRow = m_rowOfKey.value(m_activeKey, -1);
    m_activeKey = key;
    m_activePeer = peer;
    if (oldRow >= 0)
        emitRowChanged(oldRow, {IsActiveRole});
    if (const int row = m_rowOfKey.value(key, -1); row >= 0) {
        emitRowChanged(row, {IsActiveRole});
        if (m_rows.at(row).unread > 0)
            markRead(peer);
    }
    emit activeConversationChanged(peer);
}

void ConversationListModel::markRead(const QString &peer)
{
    const int row = rowOf(peer);
    if (row < 0)
        return;
    const Conversation &c = m_rows.at(row);
    setUnread(row, 0);
    if (m_client)
        m_client->markRead(c.peer, c.lastId);
    else
        m_store.markConversationSeen(c.peer, c.lastId, this, [](bool) {});
}

void ConversationListModel::setUnread(int row, int unread)
{
    Conversation &c = m_rows[row];
    if (c.unread == unread)
        return;
    m_totalUnread += unread - c.unread;
    c.unread = unread;
    emitRowChanged(row, {UnreadRole});
    emit totalUnreadChanged(m_totalUnread);
}

void ConversationListModel::setPresence(const QString &user, bool online)
{
    const QString key = protocol::nameKey(user);
    if (m_online.value(key, false) == online && m_online.contains(key))
        return;
    m_online.insert(key, online);
    if (const int row = m_rowOfKey.value(key, -1); row >= 0)
        emitRowChanged(row, {OnlineRole});
}

void ConversationListModel::setAllOffline()
{
    const QHash<QString, bool> was = std::exchange(m_online, {});
    for (auto it = was.cbegin(); it != was.cend(); ++it) {
        if (!it.value())
            continue;
        if (const int row = m_rowOfKey.value(it.key(), -1); row >= 0)
            emitRowChanged(row, {OnlineRole});
    }
}

void ConversationListModel::noteTyping(const QString &peer, const QString &user)
{
    const QString key = protocol::nameKey(peer);
    const QString userKey = protocol::nameKey(user);
    QList<Typist> &typists = m_typing[key];
    const bool started = typists.isEmpty();
    auto it = std::find_if(typists.begin(), typists.end(),
                           [&](const Typist &t) { return protocol::nameKey(t.user) == userKey; });
    const bool newTypist = it == typists.end();
    if (newTypist)
        typists.append({user, QDeadlineTimer(m_typingTimeoutMs)});
    else
        it->expires = QDeadlineTimer(m_typingTimeoutMs);
    if (newTypist)
        typistsChanged(key, started);
    scheduleTypingExpiry();
}

void ConversationListModel::clearTyping(const QString &key, const QString &userKey)
{
    auto it = m_typing.find(key);
    if (it == m_typing.end())
        return;
    const qsizetype removed = it->removeIf([&](const Typist &t) { return protocol::nameKey(t.user) == userKey; });
    if (removed == 0)
        return;
    const bool stopped = it->isEmpty();
    if (stopped)
        m_typing.erase(it);
    typistsChanged(key, stopped);
    scheduleTypingExpiry();
}

void ConversationListModel::typistsChanged(const QString &key, bool typingFlipped)
{
    if (const int row = m_rowOfKey.value(key, -1); row >= 0) {
        QList<int> roles{TypingUsersRole};
        if (typingFlipped)
            roles << TypingRole;
        emitRowChanged(row, roles);
    }
}

void ConversationListModel::expireTyping()
{
    QList<QPair<QString, QString>> expired;
    for (auto it = m_typing.cbegin(); it != m_typing.cend(); ++it) {
        for (const Typist &t : it.value()) {
            if (t.expires.hasExpired())
                expired.append({it.key(), protocol::nameKey(t.user)});
        }
    }
    for (const auto &[key, userKey] : std::as_const(expired))
        clearTyping(key, userKey);
    scheduleTypingExpiry();
}

void ConversationListModel::scheduleTypingExpiry()
{
    qint64 soonest = -1;
    for (const QList<Typist> &typists : std::as_const(m_typing)) {
        for (const Typist &t : typists) {
            const qint64 left = t.expires.remainingTime();
            if (soonest < 0 || left < soonest)
                soonest = left;
        }
    }
    if (soonest < 0)
        m_typingTimer.stop();
    else
        m_typingTimer.start(int(std::max<qint64>(soonest, 0)) + 1);
}

QStringList ConversationListModel::typingUsers(const QString &key) const
{
    QStringList out;
    const auto it = m_typing.constFind(key);
    if (it == m_typing.cend())
        return out;
    for (const Typist &t : it.value())
        out.append(t.user);
    return out;
}

void ConversationListModel::reposition(int row)
{
    const Conversation &c = m_rows.at(row);
    int dest = row;
    while (dest > 0 && before(c, m_rows.at(dest - 1)))
        --dest;
    const int last = int(m_rows.size()) - 1;
    while (dest < last && before(m_rows.at(dest + 1), c))
        ++dest;
    if (dest == row)
        return;
    beginMoveRows({}, row, row, {}, dest > row ? dest + 1 : dest);
    m_rows.move(row, dest);
    reindex(std::min(row, dest), std::max(row, dest));
    endMoveRows();
}

void ConversationListModel::reindex(int from, int to)
{
    if (from == 0 && to == int(m_rows.size()) - 1)
        m_rowOfKey.clear();
    for (int i = from; i <= to; ++i)
        m_rowOfKey.insert(m_rows.at(i).key, i);
}

void ConversationListModel::emitRowChanged(int row, const QList<int> &roles)
{
    const QModelIndex i = index(row);
    emit dataChanged(i, i, roles);
}

} // namespace natter::client
