#pragma once

#include "client/storage/localmessage.h"
#include "common/protocol/events.h"
#include "common/sql/sqlworker.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace natter::client {

// The per-account database on the client: every message seen (instant history, offline reading), the
// conversation list and the outbox. Runs on its own thread; every call is asynchronous and answers on
// the context object's thread, so the GUI never waits for SQLite.
class LocalStore : public QObject
{
    Q_OBJECT
public:
    explicit LocalStore(QString path, QObject *parent = nullptr);
    ~LocalStore() override;

    // Opens (creating) and migrates. Blocks briefly: call once at start-up.
    bool open(QString *error);
    void close();
    QString path() const { return m_path; }

    // The signed-in user's name decides which messages are "own" and what the conversation of each is.
    void setSelf(const QString &user) { m_self = user; }
    QString self() const { return m_self; }

    // A message the user writes: outbox + a queued message row, in one transaction.
    void queueOutgoing(const OutboxEntry &entry, QObject *context, std::function<void(bool ok, LocalMessage)> done);
    // The server stored it: the row gets its id and time; the outbox entry goes. Receipts that came before
    // the `sent` (delivered for this id, the peer read past it) apply now: `state` is the row's state after.
    void markSent(const QString &cid, qint64 id, qint64 tsMs, QObject *context,
                  std::function<void(bool ok, MessageState state)> done);
    // The server refused it for good (not_found, forbidden, bad_request): out of the outbox, state failed.
    void markFailed(const QString &cid, QObject *context, std::function<void(bool ok)> done);
    void pendingOutbox(QObject *context, std::function<void(QList<OutboxEntry>)> done);
    // Stores messages (live, queued or from history), dropping those already known by id (or, for own
    // messages still queued here, matching them by cid). countUnread: live messages (not a history page).
    // Gives the ones that were new (and a live one a history page brought a moment before), the own queued
    // ones the server turned out to have already (a `sent` missed: they now carry their id, time and state);
    // ok is false when nothing could be written (then nothing may be acked).
    void storeMessages(const QList<protocol::ChatMessage> &messages, bool countUnread, QObject *context,
                       std::function<void(bool ok, QList<LocalMessage> fresh, QList<LocalMessage> adopted)> done);
    // Receipts for own messages: states only move forward (sent < delivered < read).
    void markDelivered(qint64 id, QObject *context, std::function<void(bool changed)> done);
    void markReadByPeer(const QString &peer, qint64 upto, QObject *context, std::function<void(QList<qint64> changed)> done);
    // The user read a conversation up to a message: its unread count goes to 0.
    void markConversationSeen(const QString &peer, qint64 upto, QObject *context, std::function<void(bool)> done);

    // Newest `limit` messages before `beforeId` (0: newest), oldest first. Queued ones come last.
    void loadConversation(const QString &peer, qint64 beforeId, int limit, QObject *context,
                          std::function<void(QList<LocalMessage>)> done);
    void conversations(QObject *context, std::function<void(QList<ConversationSummary>)> done);

    // Small settings that belong to the account (device id, token for natter-cli).
    void setValue(const QString &key, const QString &value);
    void value(const QString &key, QObject *context, std::function<void(QString)> done);
    // For start-up code only: reads a value and waits for it.
    QString valueNow(const QString &key);

private:
    QString m_path;
    QString m_self;
    sql::SqlWorker m_worker;
};

} // namespace natter::client
