#pragma once

#include "server/storage/records.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>

namespace natter::server {

// All SQL of the server, on one connection, with prepared statements kept for reuse.
// Runs only on the thread that owns the connection (the storage thread, or a test).
// Every method reports a failure through failed()/lastError(); the caller decides what to roll back.
class Repository
{
public:
    explicit Repository(QSqlDatabase db);

    QSqlDatabase &database() { return m_db; }
    bool failed() const { return !m_error.isEmpty(); }
    QString lastError() const { return m_error; }
    void clearError() { m_error.clear(); }

    DirectorySnapshot loadDirectory();

    // Returns the new user's id, or 0 when the name is taken.
    qint64 createUser(const QString &name, const QString &passwordHash, qint64 nowMs);
    qint64 ensureDevice(qint64 userId, const QString &name, qint64 nowMs);
    void insertToken(const QByteArray &hash, qint64 userId, qint64 deviceId, qint64 nowMs);
    void deleteToken(const QByteArray &hash);

    StoredMessage storeMessage(const NewMessage &message);
    // Removes acked messages from a device's queue; returns the direct messages delivered for the first time.
    QList<DeliveredReceipt> ack(qint64 deviceId, qint64 userId, const QList<qint64> &ids);
    // A page of a device's queue, oldest first, with ids above afterId.
    QList<protocol::ChatMessage> queuedMessages(qint64 deviceId, qint64 afterId, int limit);

    // Creates a room with the id the directory gave it.
    void createRoom(qint64 id, const QString &name, qint64 nowMs);
    void addMember(qint64 roomId, qint64 userId);
    void removeMember(qint64 roomId, qint64 userId);

    qint64 lastMessageId(const QString &conv);
    // Stores "reader has seen everything up to upto with peer"; never moves backwards. Returns the stored value.
    qint64 markRead(qint64 readerId, qint64 peerId, qint64 upto);
    // Oldest first. For a direct conversation, messages sent by askerId carry sent/delivered/read.
    QList<protocol::ChatMessage> history(const QString &conv, qint64 before, int limit, qint64 askerId,
                                         qint64 peerId);

private:
    QSqlQuery &prepared(const QString &sql);
    // Binds these values to the statement's placeholders, in order (a statement reused in a loop).
    template <typename... Values> static QSqlQuery &bind(QSqlQuery &q, const Values &...values)
    {
        (q.addBindValue(QVariant::fromValue(values)), ...);
        return q;
    }
    // The cached statement for sql with these values bound, ready for run().
    template <typename... Values> QSqlQuery &bound(const QString &sql, const Values &...values)
    {
        return bind(prepared(sql), values...);
    }
    bool run(QSqlQuery &q);
    // Runs one query of loadDirectory(); the first failure is kept.
    bool loadQuery(QSqlQuery &q, const QString &sql);

    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_statements;
    QString m_error;
};

} // namespace natter::server
