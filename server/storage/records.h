#pragma once

#include "common/protocol/events.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace natter::server {

// Plain rows that cross the storage thread boundary. No Qt SQL types leak out of storage/.

struct UserRow {
    qint64 id = 0;
    QString name;
    QString passwordHash;
};

struct DeviceRow {
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
};

struct TokenRow {
    QByteArray hash;
    qint64 userId = 0;
    qint64 deviceId = 0;
};

struct RoomRow {
    qint64 id = 0;
    QString name;
    QList<qint64> members;
};

struct ContactRow {
    qint64 a = 0;
    qint64 b = 0;
};

// Everything the router keeps in memory, read once at start-up.
struct DirectorySnapshot {
    QList<UserRow> users;
    QList<DeviceRow> devices;
    QList<TokenRow> tokens;
    QList<RoomRow> rooms;
    QList<ContactRow> contacts;
};

// A message to store: who sent it, where it goes and which device queues receive it.
struct NewMessage {
    qint64 senderId = 0;
    QString cid;
    QString conv; // "d:<lo>:<hi>" for direct, "r:<room id>" for a room
    QString fromName;
    QString toName; // "bob" or "#room"
    QString body;
    qint64 tsMs = 0;
    qint64 directPeerId = 0; // the other user of a direct conversation, 0 for rooms and notes
    bool newContact = false; // the first direct message between these two users
    QList<qint64> queueDevices;
};

struct StoredMessage {
    qint64 id = 0;
    qint64 tsMs = 0;
    bool duplicate = false; // the cid was seen before: nothing new was stored
};

// A direct message whose recipient acked it for the first time.
struct DeliveredReceipt {
    qint64 messageId = 0;
    qint64 senderId = 0;
};

} // namespace natter::server
