#include "server/storage/repository.h"

#include "server/serverlogging.h"
#include "common/protocol/validation.h"

#include <QSqlError>
#include <QVariant>

#include <algorithm>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;

Repository::Repository(QSqlDatabase db) : m_db(std::move(db)) {}

QSqlQuery &Repository::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery q(m_db);
        if (!q.prepare(sql) && m_error.isEmpty())
            m_error = u"prepare failed: %1 (%2)"_s.arg(q.lastError().text(), sql.left(60));
        it = m_statements.insert(sql, q);
    }
    return it.value();
}

bool Repository::run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    if (m_error.isEmpty())
        m_error = q.lastError().text();
    qCWarning(lcStorage) << "statement failed:" << q.lastError().text() << q.lastQuery().left(80);
    return false;
}

bool Repository::loadQuery(QSqlQuery &q, const QString &sql)
{
    if (q.exec(sql))
        return true;
    if (m_error.isEmpty())
        m_error = u"%1 (%2)"_s.arg(q.lastError().text(), sql.left(60));
    return false;
}

DirectorySnapshot Repository::loadDirectory()
{
    DirectorySnapshot s;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (loadQuery(q, u"SELECT id, name, password FROM users"_s)) {
        while (q.next())
            s.users.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    }
    if (loadQuery(q, u"SELECT id, user_id, name FROM devices"_s)) {
        while (q.next())
            s.devices.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString()});
    }
    if (loadQuery(q, u"SELECT hash, user_id, device_id FROM tokens"_s)) {
        while (q.next())
            s.tokens.append({q.value(0).toByteArray(), q.value(1).toLongLong(), q.value(2).toLongLong()});
    }
    QHash<qint64, qsizetype> roomIndex;
    if (loadQuery(q, u"SELECT id, name FROM rooms ORDER BY id"_s)) {
        while (q.next()) {
            roomIndex.insert(q.value(0).toLongLong(), s.rooms.size());
            s.rooms.append({q.value(0).toLongLong(), q.value(1).toString(), {}});
        }
    }
    if (loadQuery(q, u"SELECT room_id, user_id FROM members"_s)) {
        while (q.next()) {
            const auto it = roomIndex.constFind(q.value(0).toLongLong());
            if (it != roomIndex.cend())
                s.rooms[*it].members.append(q.value(1).toLongLong());
        }
    }
    if (loadQuery(q, u"SELECT a, b FROM contacts"_s)) {
        while (q.next())
            s.contacts.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
    }
    return s;
}

qint64 Repository::createUser(const QString &name, const QString &passwordHash, qint64 nowMs)
{
    QSqlQuery &q = bound(u"INSERT INTO users (name, name_key, password, created_ms) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (name_key) DO NOTHING"_s,
                         name, protocol::nameKey(name), passwordHash, nowMs);
    if (!run(q) || q.numRowsAffected() != 1)
        return 0;
    return q.lastInsertId().toLongLong();
}

qint64 Repository::ensureDevice(qint64 userId, const QString &name, qint64 nowMs)
{
    QSqlQuery &ins = bound(u"INSERT INTO devices (user_id, name, created_ms) VALUES (?, ?, ?)"
                           " ON CONFLICT (user_id, name) DO NOTHING"_s,
                           userId, name, nowMs);
    if (!run(ins))
        return 0;
    QSqlQuery &sel = bound(u"SELECT id FROM devices WHERE user_id = ? AND name = ?"_s, userId, name);
    if (!run(sel) || !sel.next())
        return 0;
    const qint64 id = sel.value(0).toLongLong();
    sel.finish();
    return id;
}

void Repository::insertToken(const QByteArray &hash, qint64 userId, qint64 deviceId, qint64 nowMs)
{
    run(bound(u"INSERT INTO tokens (hash, user_id, device_id, created_ms) VALUES (?, ?, ?, ?)"_s, hash, userId,
              deviceId, nowMs));
}

void Repository::deleteToken(const QByteArray &hash)
{
    run(bound(u"DELETE FROM tokens WHERE hash = ?"_s, hash));
}

StoredMessage Repository::storeMessage(const NewMessage &m)
{
    StoredMessage out;
    QSqlQuery &ins = bound(u"INSERT INTO messages (sender_id, cid, conv, from_name, to_name, body, ts_ms, peer_id)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sender_id, cid) DO NOTHING"_s,
                           m.senderId, m.cid, m.conv, m.fromName, m.toName, m.body, m.tsMs, m.directPeerId);
    if (!run(ins))
        return out;
    if (ins.numRowsAffected() == 0) {
        QSqlQuery &sel = bound(u"SELECT id, ts_ms FROM messages WHERE sender_id = ? AND cid = ?"_s, m.senderId, m.cid);
        if (run(sel) && sel.next()) {
            out.id = sel.value(0).toLongLong();
            out.tsMs = sel.value(1).toLongLong();
            out.duplicate = true;
        }
        sel.finish();
        return out;
    }
    out.id = ins.lastInsertId().toLongLong();
    out.tsMs = m.tsMs;
    if (!m.queueDevices.isEmpty()) {
        QSqlQuery &queue = prepared(u"INSERT OR IGNORE INTO queue (device_id, message_id) VALUES (?, ?)"_s);
        for (qint64 device : m.queueDevices) {
            bind(queue, device, out.id);
            if (!run(queue))
                break;
        }
    }
    if (m.newContact && m.directPeerId != 0) {
        QSqlQuery &contact = bound(u"INSERT OR IGNORE INTO contacts (a, b) VALUES (?, ?)"_s,
                                   std::min(m.senderId, m.directPeerId), std::max(m.senderId, m.directPeerId));
        run(contact);
    }
    return out;
}

QList<DeliveredReceipt> Repository::ack(qint64 deviceId, qint64 userId, const QList<qint64> &ids)
{
    QList<DeliveredReceipt> receipts;
    QSqlQuery &del = prepared(u"DELETE FROM queue WHERE device_id = ? AND message_id = ?"_s);
    QSqlQuery &mark = prepared(u"UPDATE messages SET delivered = 1 WHERE id = ? AND peer_id = ? AND delivered = 0"
                               " RETURNING sender_id"_s);
    for (qint64 id : ids) {
        bind(del, deviceId, id);
        if (!run(del))
            break;
        if (del.numRowsAffected() == 0)
            continue; // not in this device's queue: nothing to confirm
        // Only the recipient of a direct message (peer_id) makes it "delivered"; the sender's other devices don't.
        bind(mark, id, userId);
        if (!run(mark))
            break;
        if (mark.next())
            receipts.append({id, mark.value(0).toLongLong()});
        mark.finish();
    }
    return receipts;
}

namespace {
ChatMessage messageFromRow(const QSqlQuery &q)
{
    ChatMessage m;
    m.id = q.value(0).toLongLong();
    m.from = q.value(1).toString();
    m.to = q.value(2).toString();
    m.body = q.value(3).toString();
    m.tsMs = q.value(4).toLongLong();
    m.cid = q.value(5).toString();
    return m;
}
} // namespace

QList<ChatMessage> Repository::queuedMessages(qint64 deviceId, qint64 afterId, int limit)
{
    QList<ChatMessage> out;
    QSqlQuery &q = bound(u"SELECT m.id, m.from_name, m.to_name, m.body, m.ts_ms, m.cid FROM queue AS qu"
                         " JOIN messages AS m ON m.id = qu.message_id WHERE qu.device_id = ?"
                         " AND qu.message_id > ? ORDER BY qu.message_id LIMIT ?"_s,
                         deviceId, afterId, limit);
    if (run(q)) {
        while (q.next())
            out.append(messageFromRow(q));
    }
    q.finish();
    return out;
}

void Repository::createRoom(qint64 id, const QString &name, qint64 nowMs)
{
    run(bound(u"INSERT INTO rooms (id, name, name_key, created_ms) VALUES (?, ?, ?, ?)"_s, id, name,
              protocol::nameKey(name), nowMs));
}

void Repository::addMember(qint64 roomId, qint64 userId)
{
    run(bound(u"INSERT OR IGNORE INTO members (room_id, user_id) VALUES (?, ?)"_s, roomId, userId));
}

void Repository::removeMember(qint64 roomId, qint64 userId)
{
    run(bound(u"DELETE FROM members WHERE room_id = ? AND user_id = ?"_s, roomId, userId));
}

qint64 Repository::lastMessageId(const QString &conv)
{
    QSqlQuery &q = bound(u"SELECT max(id) FROM messages WHERE conv = ?"_s, conv);
    qint64 id = 0;
    if (run(q) && q.next())
        id = q.value(0).toLongLong();
    q.finish();
    return id;
}

qint64 Repository::markRead(qint64 readerId, qint64 peerId, qint64 upto)
{
    QSqlQuery &q = bound(u"INSERT INTO reads (reader_id, peer_id, upto) VALUES (?, ?, ?)"
                         " ON CONFLICT (reader_id, peer_id) DO UPDATE SET upto = max(upto, excluded.upto)"
                         " RETURNING upto"_s,
                         readerId, peerId, upto);
    qint64 stored = upto;
    if (run(q) && q.next())
        stored = q.value(0).toLongLong();
    q.finish();
    return stored;
}

QList<ChatMessage> Repository::history(const QString &conv, qint64 before, int limit, qint64 askerId,
                                       qint64 peerId)
{
    QList<ChatMessage> out;
    QSqlQuery &q = bound(u"SELECT id, from_name, to_name, body, ts_ms, cid, sender_id, delivered FROM messages"
                         " WHERE conv = ? AND id < ? ORDER BY id DESC LIMIT ?"_s,
                         conv, before > 0 ? before : std::numeric_limits<qint64>::max(), limit);
    if (!run(q))
        return out;
    QList<std::pair<qsizetype, bool>> own; // index in out, delivered
    while (q.next()) {
        out.append(messageFromRow(q));
        if (peerId != 0 && peerId != askerId && q.value(6).toLongLong() == askerId)
            own.append({out.size() - 1, q.value(7).toBool()});
    }
    q.finish();
    if (!own.isEmpty()) {
        QSqlQuery &r = bound(u"SELECT upto FROM reads WHERE reader_id = ? AND peer_id = ?"_s, peerId, askerId);
        qint64 readUpto = 0;
        if (run(r) && r.next())
            readUpto = r.value(0).toLongLong();
        r.finish();
        for (const auto &[index, delivered] : own) {
            ChatMessage &m = out[index];
            m.state = m.id <= readUpto ? u"read"_s : delivered ? u"delivered"_s : u"sent"_s;
        }
    }
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace natter::server
