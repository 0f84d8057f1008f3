#include "server/routing/directory.h"

#include "common/protocol/validation.h"

#include <algorithm>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::confusableSkeleton;
using protocol::nameKey;

namespace {

// The value stored under key, or nullptr.
template <typename Map, typename Key>
auto find(const Map &map, const Key &key) -> decltype(&*map.constFind(key))
{
    const auto it = map.constFind(key);
    return it == map.cend() ? nullptr : &*it;
}

// Every entry of an id -> entry map, sorted by name (case-insensitively).
template <typename Entry>
QList<const Entry *> sortedByName(const QHash<qint64, Entry> &entries)
{
    QList<const Entry *> out;
    out.reserve(entries.size());
    for (const Entry &e : entries)
        out.append(&e);
    std::sort(out.begin(), out.end(), [](auto *a, auto *b) { return nameKey(a->name) < nameKey(b->name); });
    return out;
}

} // namespace

void Directory::load(const DirectorySnapshot &s)
{
    for (const UserRow &u : s.users)
        addUser(u);
    for (const DeviceRow &d : s.devices)
        addDevice(d);
    for (const TokenRow &t : s.tokens)
        addToken(t);
    for (const RoomRow &r : s.rooms) {
        addRoom(r.id, r.name);
        for (qint64 member : r.members)
            addMember(r.id, member);
    }
    for (const ContactRow &c : s.contacts)
        addContact(c.a, c.b);
}

const UserEntry *Directory::userByName(QStringView name) const
{
    const qint64 *id = find(m_userByKey, nameKey(name));
    return id ? user(*id) : nullptr;
}

const UserEntry *Directory::user(qint64 id) const
{
    return find(m_users, id);
}

const RoomEntry *Directory::roomByName(QStringView name) const
{
    const qint64 *id = find(m_roomByKey, nameKey(name));
    return id ? room(*id) : nullptr;
}

const RoomEntry *Directory::room(qint64 id) const
{
    return find(m_rooms, id);
}

std::optional<TokenRow> Directory::token(const QByteArray &hash) const
{
    const TokenRow *t = find(m_tokens, hash);
    return t ? std::optional<TokenRow>(*t) : std::nullopt;
}

QList<qint64> Directory::devicesOf(qint64 userId) const
{
    const UserEntry *u = user(userId);
    return u ? u->devices.values() : QList<qint64>{};
}

QList<const UserEntry *> Directory::users() const
{
    return sortedByName(m_users);
}

QList<const RoomEntry *> Directory::rooms() const
{
    return sortedByName(m_rooms);
}

bool Directory::isNameTaken(QStringView name) const
{
    const QString key = nameKey(name);
    return m_userByKey.contains(key) || m_reserved.contains(key);
}

QString Directory::lookalikeOf(QStringView name) const
{
    const QString key = nameKey(name);
    const QString skeleton = confusableSkeleton(name);
    if (const UserEntry *u = user(m_userBySkeleton.value(skeleton)); u && nameKey(u->name) != key)
        return u->name;
    for (auto it = m_reserved.cbegin(); it != m_reserved.cend(); ++it) {
        if (it.key() != key && confusableSkeleton(it.value()) == skeleton)
            return it.value();
    }
    return {};
}

void Directory::reserveName(QStringView name)
{
    m_reserved.insert(nameKey(name), name.toString());
}

void Directory::releaseName(QStringView name)
{
    m_reserved.remove(nameKey(name));
}

void Directory::addUser(const UserRow &row)
{
    UserEntry &u = m_users[row.id];
    u.id = row.id;
    u.name = row.name;
    u.passwordHash = row.passwordHash;
    m_userByKey.insert(nameKey(row.name), row.id);
    m_userBySkeleton.insert(confusableSkeleton(row.name), row.id); // the first keeps it (older databases)
}

void Directory::addDevice(const DeviceRow &row)
{
    auto it = m_users.find(row.userId);
    if (it == m_users.end())
        return;
    it->devices.insert(row.name, row.id);
}

void Directory::addToken(const TokenRow &row)
{
    m_tokens.insert(row.hash, row);
}

void Directory::removeToken(const QByteArray &hash)
{
    m_tokens.remove(hash);
}

void Directory::addRoom(qint64 id, const QString &name)
{
    RoomEntry &r = m_rooms[id];
    r.id = id;
    r.name = name;
    m_roomByKey.insert(nameKey(name), id);
    m_maxRoomId = std::max(m_maxRoomId, id);
}

void Directory::removeRoom(qint64 id)
{
    const auto it = m_rooms.find(id);
    if (it == m_rooms.end())
        return;
    for (qint64 member : std::as_const(it->members)) {
        if (auto user = m_users.find(member); user != m_users.end())
            user->rooms.remove(id);
    }
    m_roomByKey.remove(nameKey(it->name));
    m_rooms.erase(it);
}

bool Directory::addMember(qint64 roomId, qint64 userId)
{
    auto room = m_rooms.find(roomId);
    auto user = m_users.find(userId);
    if (room == m_rooms.end() || user == m_users.end() || room->members.contains(userId))
        return false;
    room->members.insert(userId);
    user->rooms.insert(roomId);
    return true;
}

bool Directory::removeMember(qint64 roomId, qint64 userId)
{
    auto room = m_rooms.find(roomId);
    auto user = m_users.find(userId);
    if (room == m_rooms.end() || user == m_users.end() || !room->members.remove(userId))
        return false;
    user->rooms.remove(roomId);
    return true;
}

void Directory::addContact(qint64 a, qint64 b)
{
    auto ua = m_users.find(a);
    auto ub = m_users.find(b);
    if (ua == m_users.end() || ub == m_users.end() || a == b)
        return;
    ua->contacts.insert(b);
    ub->contacts.insert(a);
}

QString Directory::directConversation(qint64 a, qint64 b)
{
    return u"d:%1:%2"_s.arg(std::min(a, b)).arg(std::max(a, b));
}

QString Directory::roomConversation(qint64 roomId)
{
    return u"r:%1"_s.arg(roomId);
}

} // namespace natter::server
