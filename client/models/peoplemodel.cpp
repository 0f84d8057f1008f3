#include "client/models/peoplemodel.h"

#include "client/chatclient.h"
#include "common/protocol/validation.h"

#include <QSet>
#include <QStringList>

#include <algorithm>

namespace natter::client {

PeopleModel::PeopleModel(ChatClient *client, QObject *parent) : QAbstractListModel(parent), m_client(client)
{
    if (!m_client)
        return;
    connect(m_client, &ChatClient::usersReceived, this,
            [this](const QString &, const QList<protocol::UserInfo> &users) { setUsers(users); });
    connect(m_client, &ChatClient::presenceChanged, this, &PeopleModel::setPresence);
    connect(m_client, &ChatClient::connectionStateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Online)
            refresh();
        else
            setAllOffline();
    });
    if (m_client->isOnline())
        refresh();
}

PeopleModel::~PeopleModel() = default;

int PeopleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant PeopleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Person &p = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return p.name;
    case OnlineRole:
        return p.online;
    case Qt::AccessibleTextRole: // what a screen reader says for the row (the view shows a dot and a word)
        return p.online ? tr("%1, online").arg(p.name) : tr("%1, offline").arg(p.name);
    case IsSelfRole:
        return m_client && p.key == protocol::nameKey(m_client->user());
    default:
        return {};
    }
}

QHash<int, QByteArray> PeopleModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"}, {NameRole, "name"}, {OnlineRole, "online"}, {IsSelfRole, "isSelf"}};
}

int PeopleModel::rowOf(const QString &user) const
{
    const QString key = protocol::nameKey(user);
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).key == key)
            return i;
    }
    return -1;
}

bool PeopleModel::before(const Person &a, const Person &b)
{
    if (a.online != b.online)
        return a.online;
    if (a.key != b.key)
        return a.key < b.key;
    return a.name < b.name;
}

void PeopleModel::refresh()
{
    if (m_client)
        m_client->requestUsers();
}

void PeopleModel::setUsers(const QList<protocol::UserInfo> &users)
{
    if (m_rows.isEmpty()) {
        QList<Person> rows;
        QSet<QString> seen;
        for (const protocol::UserInfo &u : users) {
            const QString key = protocol::nameKey(u.user);
            if (u.user.isEmpty() || seen.contains(key))
                continue;
            seen.insert(key);
            rows.append({key, u.user, u.online});
        }
        std::sort(rows.begin(), rows.end(), before);
        if (!rows.isEmpty()) {
            beginInsertRows({}, 0, int(rows.size()) - 1);
            m_rows = std::move(rows);
            endInsertRows();
        }
    } else {
        QSet<QString> listed;
        for (const protocol::UserInfo &u : users) {
            if (u.user.isEmpty())
                continue;
            listed.insert(protocol::nameKey(u.user));
            upsert(u.user, u.online, true);
        }
        for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
            if (listed.contains(m_rows.at(i).key))
                continue;
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    countOnline();
    emit usersReceived();
}

void PeopleModel::setPresence(const QString &user, bool online)
{
    if (user.isEmpty())
        return;
    upsert(user, online, false);
    countOnline();
}

void PeopleModel::setAllOffline()
{
    QStringList online;
    for (const Person &p : std::as_const(m_rows)) {
        if (p.online)
            online.append(p.name);
    }
    for (const QString &name : std::as_const(online))
        upsert(name, false, false); // moves rows: not while walking them
    countOnline();
}

void PeopleModel::upsert(const QString &user, bool online, bool rename)
{
    const int row = rowOf(user);
    if (row < 0) {
        const Person p{protocol::nameKey(user), user, online};
        const int at = int(std::lower_bound(m_rows.cbegin(), m_rows.cend(), p, before) - m_rows.cbegin());
        beginInsertRows({}, at, at);
        m_rows.insert(at, p);
        endInsertRows();
        return;
    }
    Person &p = m_rows[row];
    if (p.online == online && (!rename || p.name == user))
        return;
    p.online = online;
    if (rename)
        p.name = user;
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {Qt::DisplayRole, NameRole, OnlineRole});
    reposition(row);
}

void PeopleModel::reposition(int row)
{
    const Person &p = m_rows.at(row);
    int dest = row;
    while (dest > 0 && before(p, m_rows.at(dest - 1)))
        --dest;
    const int last = int(m_rows.size()) - 1;
    while (dest < last && before(m_rows.at(dest + 1), p))
        ++dest;
    if (dest == row)
        return;
    beginMoveRows({}, row, row, {}, dest > row ? dest + 1 : dest);
    m_rows.move(row, dest);
    endMoveRows();
}

void PeopleModel::countOnline()
{
    const int count = int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Person &p) { return p.online; }));
    if (count == m_onlineCount)
        return;
    m_onlineCount = count;
    emit onlineCountChanged(count);
}

} // namespace natter::client
