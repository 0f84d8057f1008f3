#pragma once

#include "server/storage/records.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace natter::server {

struct UserEntry {
    qint64 id = 0;
    QString name; // as registered; compared through protocol::nameKey
    QString passwordHash;
    QHash<QString, qint64> devices; // device name -> device id
    QSet<qint64> contacts; // users with a direct conversation
    QSet<qint64> rooms;
};

struct RoomEntry {
    qint64 id = 0;
    QString name; // with the leading '#'
    QSet<qint64> members;
};

// The in-memory picture of users, devices, tokens and rooms that routing decisions are made from.
// Loaded from storage at start-up and kept in step with every committed change. Network thread only.
class Directory
{
public:
    void load(const DirectorySnapshot &snapshot);

    const UserEntry *userByName(QStringView name) const;
    const UserEntry *user(qint64 id) const;
    const RoomEntry *roomByName(QStringView name) const;
    const RoomEntry *room(qint64 id) const;
    std::optional<TokenRow> token(const QByteArray &hash) const;
    QList<qint64> devicesOf(qint64 userId) const;
    QList<const UserEntry *> users() const; // sorted by name
    QList<const RoomEntry *> rooms() const; // sorted by name

    // A name being registered right now is reserved, so two registrations cannot race for it.
    bool isNameTaken(QStringView name) const;
    // An existing (or reserved) user name that a new name would be taken for (protocol::confusableSkeleton),
    // other than the same name in another case; empty when there is none.
    QString lookalikeOf(QStringView name) const;
    void reserveName(QStringView name);
    void releaseName(QStringView name);

    void addUser(const UserRow &row);
    void addDevice(const DeviceRow &row);
    void addToken(const TokenRow &row);
    void removeToken(const QByteArray &hash);
    void addRoom(qint64 id, const QString &name);
    void removeRoom(qint64 id);
    // Room ids are given here (one writer per database), so that a room exists in memory from the
    // moment it is asked for, in the same order the database will see.
    qint64 nextRoomId() const { return m_maxRoomId + 1; }
    // Returns false when nothing changed.
    bool addMember(qint64 roomId, qint64 userId);
    bool removeMember(qint64 roomId, qint64 userId);
    void addContact(qint64 a, qint64 b);

    // Conversation keys, as stored with each message.
    static QString directConversation(qint64 a, qint64 b);
    static QString roomConversation(qint64 roomId);

private:
    QHash<qint64, UserEntry> m_users;
    QHash<QString, qint64> m_userByKey;
    QHash<qint64, RoomEntry> m_rooms;
    QHash<QString, qint64> m_roomByKey;
    QHash<QByteArray, TokenRow> m_tokens;
    QHash<QString, QString> m_reserved; // name key -> the name as asked for
    QHash<QString, qint64> m_userBySkeleton;
    qint64 m_maxRoomId = 0;
};

} // namespace natter::server
