#include "client/storage/localstore.h"

#include "client/clientlogging.h"
#include "client/storage/localschema.h"
#include "common/protocol/validation.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <memory>

namespace natter::client {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;

namespace {

// Early receipts kept at most (those for ids that never turn up here are dropped oldest first).
constexpr int kMaxEarlyReceipts = 1000;

bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore) << "statement failed:" << q.lastError().text() << q.lastQuery().left(80);
    return false;
}

LocalMessage rowToMessage(const QSqlQuery &q)
{
    // The columns of kMessageColumns, in the order of LocalMessage's fields.
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString(),   q.value(4).toString(), q.value(5).toString(),
            q.value(6).toLongLong(), MessageState(q.value(7).toInt()), q.value(8).toBool()};
}

const QString kMessageColumns = u"coalesce(id, 0), cid, peer, sender, recipient, body, ts_ms, state, own"_s;

bool touchConversation(QSqlDatabase &db, const LocalMessage &m, bool countUnread)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO conversations (peer_key, peer) VALUES (?, ?) ON CONFLICT (peer_key) DO NOTHING"_s);
    q.addBindValue(protocol::nameKey(m.peer));
    q.addBindValue(m.peer);
    if (!run(q))
        return false;
    // The newest message (by time, then id: a history page saved in the same millisecond is older)
    // becomes the conversation's last one.
    const QString newer = u"(? > last_ts OR (? = last_ts AND ? >= last_id))"_s;
    q.prepare(u"UPDATE conversations SET last_id = max(last_id, ?),"
              " last_from = CASE WHEN %1 THEN ? ELSE last_from END,"
              " last_body = CASE WHEN %1 THEN ? ELSE last_body END,"
              " last_ts = CASE WHEN %1 THEN ? ELSE last_ts END,"
              " unread = unread + CASE WHEN ? AND ? > seen_upto THEN 1 ELSE 0 END WHERE peer_key = ?"_s.arg(newer));
    q.addBindValue(m.id);
    for (const QVariant &value : {QVariant(m.from), QVariant(m.body), QVariant(m.tsMs)}) {
        q.addBindValue(m.tsMs);
        q.addBindValue(m.tsMs);
        q.addBindValue(m.id);
        q.addBindValue(value);
    }
    q.addBindValue(countUnread && !m.isOwn);
    q.addBindValue(m.id);
    q.addBindValue(protocol::nameKey(m.peer));
    return run(q);
}

} // namespace

LocalStore::LocalStore(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_worker(u"natter-local-store"_s)
{
}

LocalStore::~LocalStore()
{
    close();
}

bool LocalStore::open(QString *error)
{
    sql::OpenOptions options;
    options.path = m_path;
    options.pragmas = {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s};
    options.migrate = migrateLocalStore;
    return m_worker.open(options, error);
}

void LocalStore::close()
{
    m_worker.close();
}

void LocalStore::queueOutgoing(const OutboxEntry &entry, QObject *context,
                               std::function<void(bool, LocalMessage)> done)
{
    LocalMessage m;
    m.cid = entry.cid;
    m.from = m_self;
    m.to = entry.to;
    m.peer = peerOf(m_self, m_self, entry.to);
    m.body = entry.body;
    m.tsMs = entry.createdMs;
    m.state = MessageState::Queued;
    m.isOwn = true;
    m_worker.submit(
        context,
        [entry, m](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"INSERT INTO outbox (cid, recipient, body, created_ms) VALUES (?, ?, ?, ?)"_s);
            q.addBindValue(entry.cid);
            q.addBindValue(entry.to);
            q.addBindValue(entry.body);
            q.addBindValue(entry.createdMs);
            if (!run(q))
                return false;
            q.prepare(u"INSERT INTO messages (cid, peer_key, peer, sender, recipient, body, ts_ms, state, own)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)"_s);
            q.addBindValue(m.cid);
            q.addBindValue(protocol::nameKey(m.peer));
            q.addBindValue(m.peer);
            q.addBindValue(m.from);
            q.addBindValue(m.to);
            q.addBindValue(m.body);
            q.addBindValue(m.tsMs);
            q.addBindValue(int(MessageState::Queued));
            return run(q) && touchConversation(db, m, false);
        },
        [m, done](bool ok) { done(ok, m); });
}

void LocalStore::markSent(const QString &cid, qint64 id, qint64 tsMs, QObject *context,
                          std::function<void(bool, MessageState)> done)
{
    auto state = std::make_shared<MessageState>(MessageState::Sent);
    m_worker.submit(
        context,
        [cid, id, tsMs, state](QSqlDatabase &db) {
            QSqlQuery q(db);
            // The same id may already be here (history fetched before `sent` came back): keep one row.
            q.prepare(u"DELETE FROM messages WHERE id = ? AND cid <> ?"_s);
            q.addBindValue(id);
            q.addBindValue(cid);
            if (!run(q))
                return false;
            q.prepare(u"UPDATE messages SET id = ?, ts_ms = ?, state = max(state, ?) WHERE own = 1 AND cid = ?"_s);
            q.addBindValue(id);
            q.addBindValue(tsMs);
            q.addBindValue(int(MessageState::Sent));
            q.addBindValue(cid);
            if (!run(q))
                return false;
            // Receipts that came before this `sent`: a delivered for this id, a peer that read past it.
            q.prepare(u"UPDATE messages SET state = max(state, coalesce((SELECT state FROM early_receipts"
                      " WHERE early_receipts.id = messages.id), 0), CASE WHEN id <= coalesce((SELECT upto FROM"
                      " peer_reads WHERE peer_reads.peer_key = messages.peer_key), 0) THEN ? ELSE 0 END)"
                      " WHERE id = ? AND own = 1"_s);
            q.addBindValue(int(MessageState::Read));
            q.addBindValue(id);
            if (!run(q))
                return false;
            q.prepare(u"DELETE FROM early_receipts WHERE id = ?"_s);
            q.addBindValue(id);
            if (!run(q))
                return false;
            q.prepare(u"SELECT state FROM messages WHERE id = ? AND own = 1"_s);
            q.addBindValue(id);
            if (!run(q))
                return false;
            if (q.next())
                *state = MessageState(q.value(0).toInt());
            q.prepare(u"DELETE FROM outbox WHERE cid = ?"_s);
            q.addBindValue(cid);
            return run(q);
        },
        [state, done](bool ok) { done(ok, *state); });
}

void LocalStore::markFailed(const QString &cid, QObject *context, std::function<void(bool)> done)
{
    m_worker.submit(
        context,
        [cid](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"UPDATE messages SET state = ? WHERE own = 1 AND cid = ? AND id IS NULL"_s);
            q.addBindValue(int(MessageState::Failed));
            q.addBindValue(cid);
            if (!run(q))
                return false;
            q.prepare(u"DELETE FROM outbox WHERE cid = ?"_s);
            q.addBindValue(cid);
            return run(q);
        },
        std::move(done));
}

void LocalStore::pendingOutbox(QObject *context, std::function<void(QList<OutboxEntry>)> done)
{
    auto out = std::make_shared<QList<OutboxEntry>>();
    m_worker.submit(
        context,
        [out](QSqlDatabase &db) {
            QSqlQuery q(db);
            if (!q.exec(u"SELECT cid, recipient, body, created_ms FROM outbox ORDER BY seq"_s))
                return false;
            while (q.next())
                out->append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
            return true;
        },
        [out, done](bool) { done(*out); });
}

void LocalStore::storeMessages(const QList<ChatMessage> &messages, bool countUnread, QObject *context,
                               std::function<void(bool, QList<LocalMessage>, QList<LocalMessage>)> done)
{
    auto fresh = std::make_shared<QList<LocalMessage>>();
    auto adopted = std::make_shared<QList<LocalMessage>>();
    const QString self = m_self;
    m_worker.submit(
        context,
        [messages, countUnread, self, fresh, adopted](QSqlDatabase &db) {
            QSqlQuery adopt(db), insert(db), forward(db), promote(db);
            adopt.prepare(u"UPDATE messages SET id = ?, ts_ms = ?, state = max(state, ?) WHERE own = 1 AND cid = ?"
                          " AND id IS NULL"_s);
            insert.prepare(u"INSERT INTO messages (id, cid, peer_key, peer, sender, recipient, body, ts_ms, state, own,"
                           " live) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"_s);
            promote.prepare(u"UPDATE messages SET live = 1 WHERE id = ? AND own = 0 AND live = 0"_s);
            forward.prepare(u"UPDATE messages SET state = ? WHERE id = ? AND own = 1 AND state < ?"_s);
            for (const ChatMessage &c : messages) {
                const LocalMessage m = fromChatMessage(self, c);
                if (m.isOwn) {
                    // Ours, still queued here: the server has it (a `sent` we missed). Same row, now with its id.
                    adopt.addBindValue(m.id);
                    adopt.addBindValue(m.tsMs);
                    adopt.addBindValue(int(m.state));
                    adopt.addBindValue(m.cid);
                    if (!run(adopt))
                        return false;
                    if (adopt.numRowsAffected() > 0) {
                        adopted->append(m);
                        continue;
                    }
                }
                insert.addBindValue(m.id);
                insert.addBindValue(m.cid);
                insert.addBindValue(protocol::nameKey(m.peer));
                insert.addBindValue(m.peer);
                insert.addBindValue(m.from);
                insert.addBindValue(m.to);
                insert.addBindValue(m.body);
                insert.addBindValue(m.tsMs);
                insert.addBindValue(int(m.state));
                insert.addBindValue(m.isOwn);
                insert.addBindValue(countUnread);
                if (!run(insert))
                    return false;
                if (insert.numRowsAffected() > 0) {
                    fresh->append(m);
                    if (!touchConversation(db, m, countUnread))
                        return false;
                } else if (!m.isOwn && countUnread) {
                    // A history page (asked for a moment before) brought it first: it is new all the same.
                    promote.addBindValue(m.id);
                    if (!run(promote))
                        return false;
                    if (promote.numRowsAffected() > 0) {
                        fresh->append(m);
                        if (!touchConversation(db, m, true))
                            return false;
                    }
                } else if (m.isOwn) {
                    forward.addBindValue(int(m.state));
                    forward.addBindValue(m.id);
                    forward.addBindValue(int(m.state));
                    if (!run(forward))
                        return false;
                }
            }
            return true;
        },
        [fresh, adopted, done](bool ok) {
            done(ok, ok ? *fresh : QList<LocalMessage>{}, ok ? *adopted : QList<LocalMessage>{});
        });
}

void LocalStore::markDelivered(qint64 id, QObject *context, std::function<void(bool)> done)
{
    auto changed = std::make_shared<bool>(false);
    m_worker.submit(
        context,
        [id, changed](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"UPDATE messages SET state = ? WHERE id = ? AND own = 1 AND state < ?"_s);
            q.addBindValue(int(MessageState::Delivered));
            q.addBindValue(id);
            q.addBindValue(int(MessageState::Delivered));
            if (!run(q))
                return false;
            *changed = q.numRowsAffected() > 0;
            if (*changed)
                return true;
            q.prepare(u"SELECT 1 FROM messages WHERE id = ?"_s);
            q.addBindValue(id);
            if (!run(q))
                return false;
            if (q.next())
                return true; // here already, and at least delivered
            // Not here yet: the receipt overtook the `sent` of our message. markSent applies it.
            q.prepare(u"INSERT INTO early_receipts (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET"
                      " state = max(state, excluded.state)"_s);
            q.addBindValue(id);
            q.addBindValue(int(MessageState::Delivered));
            if (!run(q))
                return false;
            q.prepare(u"DELETE FROM early_receipts WHERE id NOT IN (SELECT id FROM early_receipts ORDER BY id DESC"
                      " LIMIT ?)"_s);
            q.addBindValue(kMaxEarlyReceipts);
            return run(q);
        },
        [changed, done](bool) { done(*changed); });
}

void LocalStore::markReadByPeer(const QString &peer, qint64 upto, QObject *context,
                                std::function<void(QList<qint64>)> done)
{
    auto changed = std::make_shared<QList<qint64>>();
    m_worker.submit(
        context,
        [peer, upto, changed](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"UPDATE messages SET state = ? WHERE peer_key = ? AND own = 1 AND id <= ? AND state < ?"
                      " RETURNING id"_s);
            q.addBindValue(int(MessageState::Read));
            q.addBindValue(protocol::nameKey(peer));
            q.addBindValue(upto);
            q.addBindValue(int(MessageState::Read));
            if (!run(q))
                return false;
            while (q.next())
                changed->append(q.value(0).toLongLong());
            // Remembered for own messages whose `sent` has not come yet (markSent looks here).
            q.prepare(u"INSERT INTO peer_reads (peer_key, upto) VALUES (?, ?) ON CONFLICT (peer_key) DO UPDATE SET"
                      " upto = max(upto, excluded.upto)"_s);
            q.addBindValue(protocol::nameKey(peer));
            q.addBindValue(upto);
            return run(q);
        },
        [changed, done](bool) { done(*changed); });
}

void LocalStore::markConversationSeen(const QString &peer, qint64 upto, QObject *context, std::function<void(bool)> done)
{
    m_worker.submit(
        context,
        [peer, upto](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"UPDATE conversations SET seen_upto = max(seen_upto, ?),"
                      " unread = (SELECT count(*) FROM messages WHERE peer_key = conversations.peer_key AND own = 0"
                      " AND id > max(conversations.seen_upto, ?)) WHERE peer_key = ?"_s);
            q.addBindValue(upto);
            q.addBindValue(upto);
            q.addBindValue(protocol::nameKey(peer));
            return run(q);
        },
        std::move(done));
}

void LocalStore::loadConversation(const QString &peer, qint64 beforeId, int limit, QObject *context,
                                  std::function<void(QList<LocalMessage>)> done)
{
    auto out = std::make_shared<QList<LocalMessage>>();
    m_worker.submit(
        context,
        [peer, beforeId, limit, out](QSqlDatabase &db) {
            QSqlQuery q(db);
            if (beforeId > 0) {
                q.prepare(u"SELECT %1 FROM messages WHERE peer_key = ? AND id < ? ORDER BY id DESC LIMIT ?"_s.arg(
                    kMessageColumns));
                q.addBindValue(protocol::nameKey(peer));
                q.addBindValue(beforeId);
            } else {
                // Queued messages (no id yet) are the newest.
                q.prepare(u"SELECT %1 FROM messages WHERE peer_key = ?"
                          " ORDER BY id IS NULL DESC, id DESC, seq DESC LIMIT ?"_s.arg(kMessageColumns));
                q.addBindValue(protocol::nameKey(peer));
            }
            q.addBindValue(limit);
            if (!run(q))
                return false;
            while (q.next())
                out->append(rowToMessage(q));
            std::reverse(out->begin(), out->end());
            return true;
        },
        [out, done](bool) { done(*out); });
}

void LocalStore::conversations(QObject *context, std::function<void(QList<ConversationSummary>)> done)
{
    auto out = std::make_shared<QList<ConversationSummary>>();
    m_worker.submit(
        context,
        [out](QSqlDatabase &db) {
            QSqlQuery q(db);
            if (!q.exec(u"SELECT peer, last_id, last_ts, last_from, last_body, unread FROM conversations"
                        " ORDER BY last_ts DESC"_s))
                return false;
            while (q.next()) {
                out->append({q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                             q.value(3).toString(), q.value(4).toString(), q.value(5).toInt()});
            }
            return true;
        },
        [out, done](bool) { done(*out); });
}

void LocalStore::setValue(const QString &key, const QString &value)
{
    m_worker.submit(
        nullptr,
        [key, value](QSqlDatabase &db) {
            QSqlQuery q(db);
            // coalesce: a null QString binds as NULL; it means "no value", stored as ''.
            q.prepare(u"INSERT INTO meta (key, value) VALUES (?, coalesce(?, '')) ON CONFLICT (key) DO UPDATE SET value ="
                      " excluded.value"_s);
            q.addBindValue(key);
            q.addBindValue(value);
            return run(q);
        },
        {});
}

void LocalStore::value(const QString &key, QObject *context, std::function<void(QString)> done)
{
    auto out = std::make_shared<QString>();
    m_worker.submit(
        context,
        [key, out](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(u"SELECT value FROM meta WHERE key = ?"_s);
            q.addBindValue(key);
            if (!run(q))
                return false;
            if (q.next())
                *out = q.value(0).toString();
            return true;
        },
        [out, done](bool) { done(*out); });
}

QString LocalStore::valueNow(const QString &key)
{
    QString out;
    m_worker.runBlocking([&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(u"SELECT value FROM meta WHERE key = ?"_s);
        q.addBindValue(key);
        if (run(q) && q.next())
            out = q.value(0).toString();
    });
    return out;
}

} // namespace natter::client
