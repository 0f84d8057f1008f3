#include "client/models/messagelistmodel.h"

#include "client/chatclient.h"
#include "common/protocol/validation.h"

#include <QDateTime>
#include <QLocale>

#include <limits>

namespace natter::client {

using namespace Qt::StringLiterals;

MessageListModel::MessageListModel(LocalStore &store, ChatClient *client, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_client(client)
{
    m_localExhausted = true;
    m_serverExhausted = true;
    if (m_client) {
        connect(m_client, &ChatClient::messageAdded, this, &MessageListModel::addMessage);
        connect(m_client, &ChatClient::messageStateChanged, this, &MessageListModel::updateMessageState);
        connect(m_client, &ChatClient::historyReceived, this, &MessageListModel::onHistory);
        connect(m_client, &ChatClient::errorReceived, this,
                [this](const QString &rid, protocol::ErrorCode code, const QString &message) {
                    historyFailed(rid, protocol::isPermanent(code), message);
                });
        connect(m_client, &ChatClient::requestNotSent, this, [this](const QString &rid) {
            historyFailed(rid, false, tr("Not connected to the server."));
        });
    }
}

MessageListModel::~MessageListModel() = default;

void MessageListModel::historyFailed(const QString &rid, bool permanent, const QString &message)
{
    if (rid.isEmpty() || rid != m_historyRid)
        return;
    m_historyRid.clear();
    if (permanent)
        m_serverExhausted = true;
    setFetching(false);
    emit fetchFailed(message);
    reportBeginningIfReached();
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Row &r = rowAt(row);
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        return r.body;
    case IdRole:
        return r.id;
    case CidRole:
        return r.cid;
    case FromRole:
        return r.from;
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(r.tsMs);
    case IsOwnRole:
        return r.isOwn;
    case StateRole:
        return int(r.state);
    case StateNameRole:
        return messageStateName(r.state);
    case ShowDaySeparatorRole:
        return showsDaySeparator(row);
    case DayLabelRole:
        return dayLabel(dayOf(row));
    case ShowSenderRole:
        return showsSender(row);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {IdRole, "id"},
        {CidRole, "cid"},
        {FromRole, "from"},
        {BodyRole, "body"},
        {TimeRole, "time"},
        {IsOwnRole, "isOwn"},
        {StateRole, "state"},
        {StateNameRole, "stateName"},
        {ShowDaySeparatorRole, "showDaySeparator"},
        {DayLabelRole, "dayLabel"},
        {ShowSenderRole, "showSender"},
    };
}

int MessageListModel::rowOfId(qint64 id) const
{
    const auto it = m_seqOfId.constFind(id);
    return it == m_seqOfId.cend() ? -1 : rowOfSeq(it.value());
}

int MessageListModel::rowOfCid(const QString &cid) const
{
    const auto it = m_seqOfOwnCid.constFind(cid);
    return it == m_seqOfOwnCid.cend() ? -1 : rowOfSeq(it.value());
}

bool MessageListModel::isOfConversation(const QString &peer) const
{
    return !m_key.isEmpty() && protocol::nameKey(peer) == m_key;
}

// ---- loading ----

void MessageListModel::setConversation(const QString &peer)
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_frontSeq = 0;
    m_seqOfId.clear();
    m_seqOfOwnCid.clear();
    m_senders.clear();
    m_minId = 0;
    m_maxId = 0;
    m_historyRid.clear();
    m_peer = peer;
    m_key = peer.isEmpty() ? QString() : protocol::nameKey(peer);
    m_localExhausted = peer.isEmpty();
    m_serverExhausted = peer.isEmpty() || !m_client;
    m_beginningReported = false;
    const bool wasFetching = m_fetching;
    m_fetching = !peer.isEmpty(); // the newest page: views must not fetch older ones meanwhile
    endResetModel();
    if (wasFetching != m_fetching)
        emit fetchingChanged(m_fetching);
    emit conversationChanged(peer);
    if (peer.isEmpty())
        return;
    const quint64 generation = m_generation;
    m_store.loadConversation(peer, 0, m_pageSize, this, [this, generation](QList<LocalMessage> page) {
        if (generation == m_generation)
            onLocalPage(page, true);
    });
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || m_key.isEmpty())
        return false;
    return !m_localExhausted || (!m_serverExhausted && m_client && m_client->isOnline());
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (m_fetching || !canFetchMore(parent))
        return;
    if (m_localExhausted) {
        requestServerPage();
        return;
    }
    setFetching(true);
    const quint64 generation = m_generation;
    const qint64 before = m_minId > 0 ? m_minId : std::numeric_limits<qint64>::max();
    m_store.loadConversation(m_peer, before, m_pageSize, this, [this, generation](QList<LocalMessage> page) {
        if (generation == m_generation)
            onLocalPage(page, false);
    });
}

void MessageListModel::onLocalPage(const QList<LocalMessage> &page, bool initial)
{
    if (page.size() < m_pageSize)
        m_localExhausted = true;
    const int added = prepend(page);
    if (!initial && added == 0 && m_localExhausted && !m_serverExhausted && m_client && m_client->isOnline()) {
        // Nothing older here: the same fetchMore() goes on to the server.
        setFetching(false);
        requestServerPage();
        return;
    }
    setFetching(false);
    if (initial)
        emit newestPageLoaded(added);
    else
        emit olderMessagesLoaded(added, false);
    reportBeginningIfReached();
}

void MessageListModel::requestServerPage()
{
    if (!m_client || m_serverExhausted)
        return;
    setFetching(true);
    m_historyRid = m_client->requestHistory(m_peer, m_minId, m_pageSize);
}

void MessageListModel::onHistory(const QString &rid, const QString &with, const QList<LocalMessage> &page)
{
    if (!isOfConversation(with))
        return;
    // Any page of this conversation (also one asked for elsewhere) brings known rows up to date.
    for (const LocalMessage &m : page) {
        if (const int row = findRow(m); row >= 0)
            mergeInto(row, m.id, m.tsMs, m.state);
    }
    if (rid.isEmpty() || rid != m_historyRid)
        return;
    m_historyRid.clear();
    if (page.size() < m_pageSize)
        m_serverExhausted = true;
    // Older than anything shown: at the top. Anything else was added live as it was stored.
    QList<LocalMessage> older;
    for (const LocalMessage &m : page) {
        if (m.id > 0 && (m_minId == 0 || m.id < m_minId))
            older.append(m);
    }
    const int added = prepend(older);
    setFetching(false);
    emit olderMessagesLoaded(added, true);
    reportBeginningIfReached();
}

void MessageListModel::reportBeginningIfReached()
{
    if (m_beginningReported || !m_localExhausted || !m_serverExhausted || m_key.isEmpty())
        return;
    m_beginningReported = true;
    emit beginningReached();
}

void MessageListModel::setFetching(bool fetching)
{
    if (m_fetching == fetching)
        return;
    m_fetching = fetching;
    emit fetchingChanged(fetching);
}

// ---- rows ----

MessageListModel::Row MessageListModel::makeRow(const LocalMessage &m)
{
    Row r;
    r.id = m.id;
    r.tsMs = m.tsMs;
    r.cid = m.cid;
    auto sender = m_senders.constFind(m.from);
    if (sender == m_senders.cend())
        sender = m_senders.insert(m.from);
    r.from = *sender;
    r.body = m.body;
    r.state = m.state;
    r.isOwn = m.isOwn;
    return r;
}

void MessageListModel::indexRow(const Row &row, qint64 seq)
{
    if (row.id > 0) {
        m_seqOfId.insert(row.id, seq);
        m_minId = m_minId == 0 ? row.id : std::min(m_minId, row.id);
        m_maxId = std::max(m_maxId, row.id);
    }
    if (row.isOwn && !row.cid.isEmpty())
        m_seqOfOwnCid.insert(row.cid, seq);
}

int MessageListModel::findRow(const LocalMessage &m) const
{
    if (m.isOwn && !m.cid.isEmpty()) {
        if (const int row = rowOfCid(m.cid); row >= 0)
            return row;
    }
    return m.id > 0 ? rowOfId(m.id) : -1;
}

bool MessageListModel::mergeInto(int row, qint64 id, qint64 tsMs, MessageState state)
{
    QList<int> roles;
    bool timeChanged = false;
    if (id > 0 && rowAt(row).id != id) {
        if (rowAt(row).id != 0)
            return false; // a different message: ids never change once given
        // The same message may be here twice only if it came without its cid: keep the own row.
        if (const int other = rowOfId(id); other >= 0 && other != row) {
            removeAt(other);
            if (other < row)
                --row;
        }
        Row &r = rowAt(row);
        r.id = id;
        indexRow(r, m_frontSeq + row);
        roles << IdRole;
        if (tsMs > 0 && tsMs != r.tsMs) {
            r.tsMs = tsMs; // the server's time replaces the time it was queued
            roles << TimeRole << ShowDaySeparatorRole << DayLabelRole << ShowSenderRole;
            timeChanged = true;
        }
    }
    Row &r = rowAt(row);
    if (r.isOwn && stateAdvances(r.state, state)) {
        r.state = state;
        roles << StateRole << StateNameRole;
    }
    if (roles.isEmpty())
        return false;
    const QModelIndex i = index(row);
    emit dataChanged(i, i, roles);
    if (timeChanged)
        emitBoundaryChanged(row + 1);
    return true;
}

void MessageListModel::updateMessageState(const QString &cid, qint64 id, MessageState state)
{
    int row = cid.isEmpty() ? -1 : rowOfCid(cid);
    if (row < 0 && id > 0)
        row = rowOfId(id);
    if (row >= 0)
        mergeInto(row, id, 0, state);
}

void MessageListModel::addMessage(const LocalMessage &m)
{
    if (!isOfConversation(m.peer))
        return;
    if (const int row = findRow(m); row >= 0) {
        mergeInto(row, m.id, m.tsMs, m.state);
        return;
    }
    // Older than the oldest row while older pages are still to come: paging brings it in its place.
    if (m.id > 0 && m_minId > 0 && m.id < m_minId && (!m_localExhausted || !m_serverExhausted))
        return;
    insertAt(insertionRow(m.id), m);
}

void MessageListModel::addMessages(const QList<LocalMessage> &messages)
{
    for (const LocalMessage &m : messages)
        addMessage(m);
}

int MessageListModel::insertionRow(qint64 id) const
{
    int row = int(m_rows.size());
    if (id <= 0)
        return row; // queued: the newest
    // Rows are in id order, queued and failed ones (id 0) after the row they were written after; a new id
    // goes after the last row with a smaller one. From the end: O(1) for live messages.
    while (row > 0 && (rowAt(row - 1).id == 0 || rowAt(row - 1).id > id))
        --row;
    return row;
}

void MessageListModel::insertAt(int row, const LocalMessage &m)
{
    const int size = int(m_rows.size());
    beginInsertRows({}, row, row);
    if (row == size) {
        m_rows.push_back(makeRow(m));
        indexRow(m_rows.back(), m_frontSeq + row);
    } else if (row == 0) {
        m_rows.push_front(makeRow(m));
        --m_frontSeq;
        indexRow(m_rows.front(), m_frontSeq);
    } else {
        m_rows.insert(m_rows.begin() + row, makeRow(m));
        // The rows after it moved down by one (few: it goes near the end).
        for (int i = row; i <= size; ++i)
            indexRow(rowAt(i), m_frontSeq + i);
    }
    endInsertRows();
    emitBoundaryChanged(row + 1);
}

int MessageListModel::prepend(const QList<LocalMessage> &page)
{
    QList<LocalMessage> fresh;
    QSet<qint64> pageIds;
    QSet<QString> pageCids;
    for (const LocalMessage &m : page) {
        if (!isOfConversation(m.peer))
            continue;
        if (const int row = findRow(m); row >= 0) {
            mergeInto(row, m.id, m.tsMs, m.state);
            continue;
        }
        if ((m.id > 0 && pageIds.contains(m.id)) || (m.isOwn && !m.cid.isEmpty() && pageCids.contains(m.cid)))
            continue;
        if (m.id > 0)
            pageIds.insert(m.id);
        if (m.isOwn && !m.cid.isEmpty())
            pageCids.insert(m.cid);
        fresh.append(m);
    }
    const int count = int(fresh.size());
    if (count == 0)
        return 0;
    beginInsertRows({}, 0, count - 1);
    for (int i = count - 1; i >= 0; --i) {
        m_rows.push_front(makeRow(fresh.at(i)));
        --m_frontSeq;
        indexRow(m_rows.front(), m_frontSeq);
    }
    endInsertRows();
    emitBoundaryChanged(count); // the former first row may lose its separator or sender line
    return count;
}

void MessageListModel::removeAt(int row)
{
    beginRemoveRows({}, row, row);
    const Row &r = rowAt(row);
    const qint64 seq = m_frontSeq + row;
    if (r.id > 0 && m_seqOfId.value(r.id) == seq)
        m_seqOfId.remove(r.id);
    if (r.isOwn && m_seqOfOwnCid.value(r.cid) == seq)
        m_seqOfOwnCid.remove(r.cid);
    m_rows.erase(m_rows.begin() + row);
    for (int i = row; i < int(m_rows.size()); ++i)
        indexRow(rowAt(i), m_frontSeq + i);
    endRemoveRows();
    emitBoundaryChanged(row);
}

// ---- derived roles ----

QDate MessageListModel::dayOf(int row) const
{
    return QDateTime::fromMSecsSinceEpoch(rowAt(row).tsMs).date();
}

bool MessageListModel::showsDaySeparator(int row) const
{
    return row == 0 || dayOf(row) != dayOf(row - 1);
}

bool MessageListModel::showsSender(int row) const
{
    if (row == 0)
        return true;
    const Row &r = rowAt(row);
    const Row &previous = rowAt(row - 1);
    if (r.from.compare(previous.from, Qt::CaseInsensitive) != 0)
        return true;
    return showsDaySeparator(row);
}

QString MessageListModel::dayLabel(const QDate &day) const
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

void MessageListModel::emitBoundaryChanged(int row)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {ShowDaySeparatorRole, ShowSenderRole});
}

} // namespace natter::client
