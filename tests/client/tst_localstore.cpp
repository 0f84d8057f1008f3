// LocalStore: the client's per-account SQLite database (messages, conversations, outbox, values) on its
// worker thread. Every test gets a fresh file in its own QTemporaryDir; completions are awaited with
// QTest::qWaitFor (what QTRY_* uses), never with sleeps.
#include "common/protocol/events.h"
#include "client/storage/localstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLatin1StringView>
#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;
using natter::client::ConversationSummary;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageState;
using natter::client::OutboxEntry;
using natter::client::messageStateName;
using natter::protocol::ChatMessage;

namespace {

constexpr int kTimeoutMs = 15'000;

ChatMessage chat(qint64 id, const QString &from, const QString &to, const QString &body, qint64 tsMs,
                 const QString &cid = {}, const QString &state = {})
{
    ChatMessage m;
    m.id = id;
    m.from = from;
    m.to = to;
    m.body = body;
    m.cid = cid.isEmpty() ? u"cid-%1"_s.arg(id) : cid;
    m.tsMs = tsMs;
    m.state = state;
    return m;
}

QList<qint64> ids(const QList<LocalMessage> &messages)
{
    QList<qint64> out;
    for (const LocalMessage &m : messages)
        out.append(m.id);
    return out;
}

QStringList cids(const QList<LocalMessage> &messages)
{
    QStringList out;
    for (const LocalMessage &m : messages)
        out.append(m.cid);
    return out;
}

QStringList cids(const QList<OutboxEntry> &entries)
{
    QStringList out;
    for (const OutboxEntry &e : entries)
        out.append(e.cid);
    return out;
}

QStringList states(const QList<LocalMessage> &messages)
{
    QStringList out;
    for (const LocalMessage &m : messages)
        out.append(messageStateName(m.state));
    return out;
}

// "peer last_id last_ts last_from last_body unread", one string per conversation: readable on failure.
QStringList describe(const QList<ConversationSummary> &conversations)
{
    QStringList out;
    for (const ConversationSummary &c : conversations) {
        out.append(u"%1 %2 %3 %4 %5 %6"_s.arg(c.peer)
                       .arg(c.lastId)
                       .arg(c.lastTsMs)
                       .arg(c.lastFrom, c.lastBody)
                       .arg(c.unread));
    }
    return out;
}

// PRAGMA user_version of a database file, read through a short-lived connection on this thread.
int userVersion(const QString &path)
{
    const QString name = u"tst-localstore-inspect"_s;
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA user_version"_s) && q.next())
                version = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

bool setUserVersion(const QString &path, int version)
{
    const QString name = u"tst-localstore-prepare"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.exec(u"CREATE TABLE future (x INTEGER)"_s) && q.exec(u"PRAGMA user_version = %1"_s.arg(version));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void queueOutgoing();
    void queueOutgoingDuplicateCidFails();
    void markSentGivesIdAndTime();
    void markFailedDropsFromOutbox();
    void storeMessagesDedupesById();
    void ownQueuedMessageMatchedByCid();
    void ownMessageFromElsewhere();
    void receiptsOnlyMoveForward();
    void receiptsBeforeSent();
    void liveAfterHistoryCountsAsNew();
    void peerOf_data();
    void peerOf();
    void notesAndRooms();
    void conversations();
    void loadConversationPaging();
    void values();
    void persistsAcrossReopen();
    void closeWritesPendingJobs();
    void openFails_data();
    void openFails();
    void newerSchemaRefused();
    void upgradesFromVersion1();

private:
    // Calls start(done) and waits for done's value. A timeout fails the test (and returns T{}).
    template <typename T, typename Start>
    T await(Start start, const char *what)
    {
        auto result = std::make_shared<std::optional<T>>();
        start([result](T value) { *result = std::move(value); });
        if (!QTest::qWaitFor([&] { return result->has_value(); }, kTimeoutMs)) {
            QTest::qFail(qPrintable(u"no answer to %1 within %2 ms"_s.arg(QLatin1StringView(what)).arg(kTimeoutMs)),
                         __FILE__, __LINE__);
            return T{};
        }
        return std::move(**result);
    }

    bool reopen(QString *error);

    // nullopt when the store reported failure.
    std::optional<LocalMessage> queue(const QString &cid, const QString &to, const QString &body, qint64 createdMs)
    {
        auto [ok, message] = await<std::pair<bool, LocalMessage>>(
            [&](auto done) {
                m_store->queueOutgoing({cid, to, body, createdMs}, this,
                                       [done](bool ok, LocalMessage m) { done(std::make_pair(ok, std::move(m))); });
            },
            "queueOutgoing");
        if (!ok)
            return std::nullopt;
        return message;
    }
    bool markSent(const QString &cid, qint64 id, qint64 tsMs)
    {
        return await<bool>(
            [&](auto done) {
                m_store->markSent(cid, id, tsMs, this, [this, done](bool ok, MessageState state) {
                    m_lastSentState = state;
                    done(ok);
                });
            },
            "markSent");
    }
    bool markFailed(const QString &cid)
    {
        return await<bool>([&](auto done) { m_store->markFailed(cid, this, done); }, "markFailed");
    }
    QList<OutboxEntry> outbox()
    {
        return await<QList<OutboxEntry>>([&](auto done) { m_store->pendingOutbox(this, done); }, "pendingOutbox");
    }
    QList<LocalMessage> store(const QList<ChatMessage> &messages, bool countUnread = true)
    {
        return await<QList<LocalMessage>>(
            [&](auto done) {
                m_store->storeMessages(messages, countUnread, this,
                                       [this, done](bool ok, QList<LocalMessage> fresh, QList<LocalMessage> adopted) {
                                           if (!ok)
                                               qWarning("storeMessages reported a failed write");
                                           m_lastAdopted = adopted;
                                           done(fresh);
                                       });
            },
            "storeMessages");
    }
    bool delivered(qint64 id)
    {
        return await<bool>([&](auto done) { m_store->markDelivered(id, this, done); }, "markDelivered");
    }
    QList<qint64> readByPeer(const QString &peer, qint64 upto)
    {
        auto ids = await<QList<qint64>>([&](auto done) { m_store->markReadByPeer(peer, upto, this, done); },
                                        "markReadByPeer");
        std::sort(ids.begin(), ids.end()); // RETURNING has no defined order
        return ids;
    }
    bool seen(const QString &peer, qint64 upto)
    {
        return await<bool>([&](auto done) { m_store->markConversationSeen(peer, upto, this, done); },
                           "markConversationSeen");
    }
    QList<LocalMessage> load(const QString &peer, qint64 beforeId = 0, int limit = 100)
    {
        return await<QList<LocalMessage>>(
            [&](auto done) { m_store->loadConversation(peer, beforeId, limit, this, done); }, "loadConversation");
    }
    QStringList summaries()
    {
        return describe(await<QList<ConversationSummary>>([&](auto done) { m_store->conversations(this, done); },
                                                          "conversations"));
    }
    QString valueOf(const QString &key)
    {
        return await<QString>([&](auto done) { m_store->value(key, this, done); }, "value");
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<LocalStore> m_store;
    QList<LocalMessage> m_lastAdopted; // what the last store() reported as adopted
    MessageState m_lastSentState = MessageState::Queued; // what the last markSent() reported
};

void TestLocalStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"alice.sqlite"_s);
    QString error;
    QVERIFY2(reopen(&error), qPrintable(error));
}

void TestLocalStore::cleanup()
{
    m_store.reset(); // closes: writes what is pending, stops the thread
    m_dir.reset();
}

bool TestLocalStore::reopen(QString *error)
{
    m_store.reset();
    m_store = std::make_unique<LocalStore>(m_path);
    if (!m_store->open(error))
        return false;
    m_store->setSelf(u"alice"_s);
    return true;
}

void TestLocalStore::queueOutgoing()
{
    QCOMPARE(m_store->self(), u"alice"_s);
    QCOMPARE(m_store->path(), m_path);

    // Creation order is the order of queueing, whatever the cids look like.
    const auto first = queue(u"c-3"_s, u"bob"_s, u"one"_s, 1000);
    QVERIFY(first);
    QCOMPARE(first->id, 0);
    QCOMPARE(first->cid, u"c-3"_s);
    QCOMPARE(first->peer, u"bob"_s);
    QCOMPARE(first->from, u"alice"_s);
    QCOMPARE(first->to, u"bob"_s);
    QCOMPARE(first->body, u"one"_s);
    QCOMPARE(first->tsMs, 1000);
    QCOMPARE(messageStateName(first->state), u"queued"_s);
    QVERIFY(first->isOwn);
    QVERIFY(queue(u"c-1"_s, u"#lobby"_s, u"two"_s, 2000));
    QVERIFY(queue(u"c-2"_s, u"bob"_s, u"three"_s, 3000));

    const QList<OutboxEntry> pending = outbox();
    QCOMPARE(cids(pending), (QStringList{u"c-3"_s, u"c-1"_s, u"c-2"_s}));
    QCOMPARE(pending.at(1).to, u"#lobby"_s);
    QCOMPARE(pending.at(1).body, u"two"_s);
    QCOMPARE(pending.at(1).createdMs, 2000);

    const QList<LocalMessage> withBob = load(u"bob"_s);
    QCOMPARE(cids(withBob), (QStringList{u"c-3"_s, u"c-2"_s}));
    QCOMPARE(states(withBob), (QStringList{u"queued"_s, u"queued"_s}));
    QCOMPARE(ids(withBob), (QList<qint64>{0, 0}));
    QVERIFY(withBob.at(0).isOwn);
    QCOMPARE(withBob.at(0).from, u"alice"_s);
    QCOMPARE(withBob.at(1).body, u"three"_s);
    QCOMPARE(withBob.at(1).tsMs, 3000);

    const QList<LocalMessage> lobby = load(u"#lobby"_s);
    QCOMPARE(cids(lobby), QStringList{u"c-1"_s});
    QCOMPARE(lobby.at(0).peer, u"#lobby"_s);
}

void TestLocalStore::queueOutgoingDuplicateCidFails()
{
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"first"_s, 1000));
    // The same cid again: the job fails and is rolled back as a whole (no second message row).
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"statement failed.*UNIQUE"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"job failed and was rolled back"_s));
    QVERIFY(!queue(u"c-1"_s, u"bob"_s, u"again"_s, 2000));
    const QList<OutboxEntry> pending = outbox();
    QCOMPARE(cids(pending), QStringList{u"c-1"_s});
    QCOMPARE(pending.at(0).body, u"first"_s);
    const QList<LocalMessage> page = load(u"bob"_s);
    QCOMPARE(page.size(), 1);
    QCOMPARE(page.at(0).body, u"first"_s);
}

void TestLocalStore::markSentGivesIdAndTime()
{
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"one"_s, 1000));
    QVERIFY(queue(u"c-2"_s, u"bob"_s, u"two"_s, 2000));

    QCOMPARE(markSent(u"c-1"_s, 42, 5000), true);

    QCOMPARE(cids(outbox()), QStringList{u"c-2"_s});
    QList<LocalMessage> page = load(u"bob"_s);
    QCOMPARE(cids(page), (QStringList{u"c-1"_s, u"c-2"_s})); // queued ones last
    QCOMPARE(ids(page), (QList<qint64>{42, 0}));
    QCOMPARE(states(page), (QStringList{u"sent"_s, u"queued"_s}));
    QCOMPARE(page.at(0).tsMs, 5000); // the server's time replaces the creation time

    // A repeated `sent` (the outbox was resent after a reconnect) changes nothing.
    QCOMPARE(markSent(u"c-1"_s, 42, 5000), true);
    page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{42, 0}));
    QCOMPARE(states(page), (QStringList{u"sent"_s, u"queued"_s}));
    QCOMPARE(cids(outbox()), QStringList{u"c-2"_s});
}

void TestLocalStore::markFailedDropsFromOutbox()
{
    QVERIFY(queue(u"c-1"_s, u"nobody"_s, u"lost"_s, 1000));
    QVERIFY(queue(u"c-2"_s, u"bob"_s, u"fine"_s, 2000));
    QCOMPARE(markSent(u"c-2"_s, 7, 2500), true);

    QCOMPARE(markFailed(u"c-1"_s), true);
    QVERIFY(outbox().isEmpty());
    const QList<LocalMessage> page = load(u"nobody"_s);
    QCOMPARE(page.size(), 1);
    QCOMPARE(messageStateName(page.at(0).state), u"failed"_s);
    QCOMPARE(page.at(0).id, 0);
    QCOMPARE(page.at(0).body, u"lost"_s);

    // A message the server already took is never marked failed.
    QCOMPARE(markFailed(u"c-2"_s), true);
    QCOMPARE(states(load(u"bob"_s)), QStringList{u"sent"_s});
}

void TestLocalStore::storeMessagesDedupesById()
{
    const ChatMessage hello = chat(10, u"bob"_s, u"alice"_s, u"hello"_s, 1000);
    const QList<LocalMessage> fresh = store({hello});
    QCOMPARE(fresh.size(), 1);
    const LocalMessage &m = fresh.at(0);
    QCOMPARE(m.id, 10);
    QCOMPARE(m.cid, u"cid-10"_s);
    QCOMPARE(m.peer, u"bob"_s);
    QCOMPARE(m.from, u"bob"_s);
    QCOMPARE(m.to, u"alice"_s);
    QCOMPARE(m.body, u"hello"_s);
    QCOMPARE(m.tsMs, 1000);
    QCOMPARE(messageStateName(m.state), u"received"_s);
    QVERIFY(!m.isOwn);

    // Again (live, then from the queue after a reconnect, then from history): known, not fresh.
    QVERIFY(store({hello}).isEmpty());
    QVERIFY(store({hello}, false).isEmpty());

    // Twice in one batch, next to a known one: fresh once.
    const ChatMessage next = chat(11, u"bob"_s, u"alice"_s, u"again"_s, 2000);
    QCOMPARE(ids(store({next, hello, next})), QList<qint64>{11});

    const QList<LocalMessage> page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{10, 11}));
    QCOMPARE(states(page), (QStringList{u"received"_s, u"received"_s}));

    QCOMPARE(summaries(), QStringList{u"bob 11 2000 bob again 2"_s}); // duplicates are not unread twice
}

void TestLocalStore::liveAfterHistoryCountsAsNew()
{
    // A history page asked for a moment before brings the message first; its live delivery follows.
    QCOMPARE(store({chat(10, u"bob"_s, u"alice"_s, u"old"_s, 1000)}, false).size(), 1);
    QCOMPARE(store({chat(11, u"bob"_s, u"alice"_s, u"just now"_s, 2000)}, false).size(), 1);
    QCOMPARE(summaries(), QStringList{u"bob 11 2000 bob just now 0"_s});

    const QList<LocalMessage> live = store({chat(11, u"bob"_s, u"alice"_s, u"just now"_s, 2000)});
    QCOMPARE(ids(live), QList<qint64>{11}); // reported as new: the views count it
    QCOMPARE(summaries(), QStringList{u"bob 11 2000 bob just now 1"_s});

    // Its live delivery again (redelivered after a reconnect) is a duplicate; so is history again.
    QVERIFY(store({chat(11, u"bob"_s, u"alice"_s, u"just now"_s, 2000)}).isEmpty());
    QVERIFY(store({chat(11, u"bob"_s, u"alice"_s, u"just now"_s, 2000)}, false).isEmpty());
    QCOMPARE(summaries(), QStringList{u"bob 11 2000 bob just now 1"_s});
}

void TestLocalStore::receiptsBeforeSent()
{
    // Long polling answers /send and /poll on different requests: a receipt may come before the `sent`.
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"one"_s, 1000));
    QVERIFY(queue(u"c-2"_s, u"bob"_s, u"two"_s, 1100));
    QVERIFY(queue(u"c-3"_s, u"carol"_s, u"three"_s, 1200));

    QCOMPARE(delivered(11), false); // nothing here has id 11 yet
    QCOMPARE(markSent(u"c-1"_s, 11, 1500), true);
    QCOMPARE(messageStateName(m_lastSentState), u"delivered"_s);

    // bob read up to 12 before the `sent` of c-2 (id 12) came; carol read nothing.
    QVERIFY(readByPeer(u"bob"_s, 12).contains(11));
    QCOMPARE(markSent(u"c-2"_s, 12, 1600), true);
    QCOMPARE(messageStateName(m_lastSentState), u"read"_s);
    QCOMPARE(markSent(u"c-3"_s, 13, 1700), true);
    QCOMPARE(messageStateName(m_lastSentState), u"sent"_s);

    QCOMPARE(states(load(u"bob"_s)), (QStringList{u"read"_s, u"read"_s}));
    QCOMPARE(states(load(u"carol"_s)), QStringList{u"sent"_s});

    // A repeated `sent` changes nothing and reports the state as it is.
    QCOMPARE(markSent(u"c-3"_s, 13, 1700), true);
    QCOMPARE(messageStateName(m_lastSentState), u"sent"_s);
    // A receipt for a message of someone else's device that never comes here is kept, not applied to
    // anything, and does not change a later message with another id.
    QCOMPARE(delivered(99), false);
    QVERIFY(queue(u"c-4"_s, u"carol"_s, u"four"_s, 1800));
    QCOMPARE(markSent(u"c-4"_s, 14, 1900), true);
    QCOMPARE(messageStateName(m_lastSentState), u"sent"_s);
}

void TestLocalStore::ownQueuedMessageMatchedByCid()
{
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"hi bob"_s, 1000));
    QVERIFY(queue(u"c-2"_s, u"bob"_s, u"later"_s, 1100));

    // The `sent` for c-1 was lost with the connection; history brings the message with its id (and a
    // receipt state). It is the queued row, now with the server's id, time and state: no second row.
    QVERIFY(store({chat(7, u"alice"_s, u"bob"_s, u"hi bob"_s, 1500, u"c-1"_s, u"delivered"_s)}, false).isEmpty());
    // It is reported as adopted (the client tells the views it left the queued state).
    QCOMPARE(cids(m_lastAdopted), QStringList{u"c-1"_s});
    QCOMPARE(ids(m_lastAdopted), QList<qint64>{7});
    QCOMPARE(states(m_lastAdopted), QStringList{u"delivered"_s});

    QList<LocalMessage> page = load(u"bob"_s);
    QCOMPARE(cids(page), (QStringList{u"c-1"_s, u"c-2"_s}));
    QCOMPARE(ids(page), (QList<qint64>{7, 0}));
    QCOMPARE(states(page), (QStringList{u"delivered"_s, u"queued"_s}));
    QCOMPARE(page.at(0).tsMs, 1500);

    // The resent message's `sent` arrives later: still one row, the state does not fall back to sent.
    QCOMPARE(markSent(u"c-1"_s, 7, 1500), true);
    page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{7, 0}));
    QCOMPARE(states(page), (QStringList{u"delivered"_s, u"queued"_s}));
    QCOMPARE(cids(outbox()), QStringList{u"c-2"_s});

    // The same message from history once more: known by id now, still one row.
    QVERIFY(store({chat(7, u"alice"_s, u"bob"_s, u"hi bob"_s, 1500, u"c-1"_s, u"sent"_s)}, false).isEmpty());
    QVERIFY(m_lastAdopted.isEmpty());
    page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{7, 0}));
    QCOMPARE(states(page), (QStringList{u"delivered"_s, u"queued"_s}));

    // The other order: `sent` first, then history: one row, history's receipt is taken.
    QCOMPARE(markSent(u"c-2"_s, 9, 1600), true);
    QVERIFY(store({chat(9, u"alice"_s, u"bob"_s, u"later"_s, 1600, u"c-2"_s, u"read"_s)}, false).isEmpty());
    page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{7, 9}));
    QCOMPARE(states(page), (QStringList{u"delivered"_s, u"read"_s}));
    QVERIFY(outbox().isEmpty());
}

void TestLocalStore::ownMessageFromElsewhere()
{
    // Written on another device (or before a reinstall): own, new here, state from history or "sent".
    const QList<LocalMessage> fresh =
        store({chat(3, u"Alice"_s, u"bob"_s, u"from my phone"_s, 300, u"p-1"_s, u"read"_s),
               chat(4, u"alice"_s, u"bob"_s, u"live echo"_s, 400, u"p-2"_s)});
    QCOMPARE(ids(fresh), (QList<qint64>{3, 4}));
    QVERIFY(fresh.at(0).isOwn);
    QVERIFY(fresh.at(1).isOwn);
    QCOMPARE(fresh.at(0).peer, u"bob"_s);
    QCOMPARE(states(fresh), (QStringList{u"read"_s, u"sent"_s}));

    QCOMPARE(summaries(), QStringList{u"bob 4 400 alice live echo 0"_s}); // own: never unread
}

void TestLocalStore::receiptsOnlyMoveForward()
{
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"one"_s, 100));
    QCOMPARE(markSent(u"c-1"_s, 1, 100), true);
    QCOMPARE(store({chat(2, u"alice"_s, u"bob"_s, u"two"_s, 200), chat(3, u"alice"_s, u"bob"_s, u"three"_s, 300),
                    chat(4, u"bob"_s, u"alice"_s, u"bob's"_s, 400), chat(5, u"alice"_s, u"carol"_s, u"carol's"_s, 500),
                    chat(6, u"alice"_s, u"bob"_s, u"six"_s, 600)})
                 .size(),
             5);
    QVERIFY(queue(u"c-q"_s, u"bob"_s, u"queued"_s, 700));

    QCOMPARE(delivered(2), true);
    QCOMPARE(delivered(2), false); // already delivered
    QCOMPARE(delivered(4), false); // not ours
    QCOMPARE(delivered(999), false); // unknown

    // Read up to 2: the own messages to bob with id <= 2 that were not read yet.
    QCOMPARE(readByPeer(u"bob"_s, 2), (QList<qint64>{1, 2}));
    QCOMPARE(delivered(2), false); // delivered after read does not downgrade
    QCOMPARE(delivered(1), false);
    QCOMPARE(delivered(3), true);

    // Not bob's own message (4), not carol's conversation (5), not the queued one (no id), not 6 > upto.
    QCOMPARE(readByPeer(u"Bob"_s, 5), QList<qint64>{3});
    QCOMPARE(readByPeer(u"bob"_s, 5), QList<qint64>{}); // nothing left to change
    QCOMPARE(readByPeer(u"dave"_s, 1000), QList<qint64>{});

    // History reporting an older state does not downgrade either.
    QVERIFY(store({chat(1, u"alice"_s, u"bob"_s, u"one"_s, 100, u"c-1"_s, u"sent"_s),
                   chat(6, u"alice"_s, u"bob"_s, u"six"_s, 600, u"cid-6"_s, u"delivered"_s)},
                  false)
                .isEmpty());

    const QList<LocalMessage> page = load(u"bob"_s);
    QCOMPARE(ids(page), (QList<qint64>{1, 2, 3, 4, 6, 0}));
    QCOMPARE(states(page), (QStringList{u"read"_s, u"read"_s, u"read"_s, u"received"_s, u"delivered"_s, u"queued"_s}));
    QCOMPARE(states(load(u"carol"_s)), QStringList{u"sent"_s});

    QCOMPARE(readByPeer(u"bob"_s, 1000), QList<qint64>{6});
    QCOMPARE(states(load(u"bob"_s)),
             (QStringList{u"read"_s, u"read"_s, u"read"_s, u"received"_s, u"read"_s, u"queued"_s}));
}

void TestLocalStore::peerOf_data()
{
    QTest::addColumn<QString>("self");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("peer");
    QTest::newRow("direct, own") << u"alice"_s << u"alice"_s << u"bob"_s << u"bob"_s;
    QTest::newRow("direct, incoming") << u"alice"_s << u"bob"_s << u"alice"_s << u"bob"_s;
    QTest::newRow("direct, own, other case") << u"alice"_s << u"Alice"_s << u"Bob"_s << u"Bob"_s;
    QTest::newRow("direct, incoming, self in other case") << u"Alice"_s << u"bob"_s << u"alice"_s << u"bob"_s;
    QTest::newRow("room, own") << u"alice"_s << u"alice"_s << u"#general"_s << u"#general"_s;
    QTest::newRow("room, other") << u"alice"_s << u"bob"_s << u"#general"_s << u"#general"_s;
    QTest::newRow("notes") << u"alice"_s << u"alice"_s << u"alice"_s << u"alice"_s;
    QTest::newRow("notes, other case") << u"alice"_s << u"ALICE"_s << u"alice"_s << u"alice"_s;
}

void TestLocalStore::peerOf()
{
    QFETCH(QString, self);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, peer);
    QCOMPARE(natter::client::peerOf(self, from, to), peer);
}

void TestLocalStore::notesAndRooms()
{
    QVERIFY(queue(u"n-1"_s, u"alice"_s, u"note to self"_s, 100));
    const QList<LocalMessage> fresh = store({chat(1, u"alice"_s, u"alice"_s, u"synced note"_s, 50),
                                             chat(2, u"bob"_s, u"#general"_s, u"hi all"_s, 60),
                                             chat(3, u"alice"_s, u"#general"_s, u"hi bob"_s, 70)});
    QCOMPARE(fresh.size(), 3);
    QCOMPARE(fresh.at(0).peer, u"alice"_s);
    QVERIFY(fresh.at(0).isOwn);
    QCOMPARE(fresh.at(1).peer, u"#general"_s);
    QVERIFY(!fresh.at(1).isOwn);
    QCOMPARE(fresh.at(2).peer, u"#general"_s);
    QVERIFY(fresh.at(2).isOwn);

    const QList<LocalMessage> notes = load(u"alice"_s);
    QCOMPARE(ids(notes), (QList<qint64>{1, 0}));
    QCOMPARE(states(notes), (QStringList{u"sent"_s, u"queued"_s}));
    QCOMPARE(ids(load(u"#general"_s)), (QList<qint64>{2, 3}));

    QCOMPARE(summaries(), (QStringList{u"alice 1 100 alice note to self 0"_s, u"#general 3 70 alice hi bob 1"_s}));
}

void TestLocalStore::conversations()
{
    QVERIFY(summaries().isEmpty());

    QCOMPARE(store({chat(10, u"bob"_s, u"alice"_s, u"hi"_s, 1000)}).size(), 1);
    QCOMPARE(summaries(), QStringList{u"bob 10 1000 bob hi 1"_s});

    QCOMPARE(store({chat(20, u"carol"_s, u"alice"_s, u"yo"_s, 2000)}).size(), 1);
    QCOMPARE(summaries(), (QStringList{u"carol 20 2000 carol yo 1"_s, u"bob 10 1000 bob hi 1"_s}));

    // Own message (echo from another device) moves bob up; no unread for own messages.
    QCOMPARE(store({chat(30, u"alice"_s, u"bob"_s, u"hey"_s, 3000)}).size(), 1);
    const QStringList three{u"bob 30 3000 alice hey 1"_s, u"carol 20 2000 carol yo 1"_s};
    QCOMPARE(summaries(), three);

    // An older message from history: neither the last message nor unread.
    QCOMPARE(store({chat(5, u"bob"_s, u"alice"_s, u"old"_s, 500)}, false).size(), 1);
    QCOMPARE(summaries(), three);

    // Newer, but from history (countUnread = false): the last message changes, unread does not.
    QCOMPARE(store({chat(40, u"bob"_s, u"alice"_s, u"from history"_s, 4000)}, false).size(), 1);
    QCOMPARE(summaries(), (QStringList{u"bob 40 4000 bob from history 1"_s, u"carol 20 2000 carol yo 1"_s}));

    // Live: unread counts up; a duplicate does not.
    QCOMPARE(store({chat(50, u"bob"_s, u"alice"_s, u"live"_s, 5000)}).size(), 1);
    QVERIFY(store({chat(50, u"bob"_s, u"alice"_s, u"live"_s, 5000)}).isEmpty());
    QCOMPARE(summaries(), (QStringList{u"bob 50 5000 bob live 2"_s, u"carol 20 2000 carol yo 1"_s}));

    // Carol writes again (her name in another case is the same conversation): carol first.
    QCOMPARE(store({chat(60, u"Carol"_s, u"alice"_s, u"again"_s, 6000)}).size(), 1);
    QCOMPARE(summaries(), (QStringList{u"carol 60 6000 Carol again 2"_s, u"bob 50 5000 bob live 2"_s}));

    // Seen: bob's unread to 0, carol untouched.
    QCOMPARE(seen(u"bob"_s, 50), true);
    const QStringList seenBob{u"carol 60 6000 Carol again 2"_s, u"bob 50 5000 bob live 0"_s};
    QCOMPARE(summaries(), seenBob);

    // A late message at or below what was seen is not unread; a newer one is.
    QCOMPARE(store({chat(45, u"bob"_s, u"alice"_s, u"late"_s, 4500)}).size(), 1);
    QCOMPARE(summaries(), seenBob);
    QCOMPARE(store({chat(70, u"bob"_s, u"alice"_s, u"new"_s, 7000)}).size(), 1);
    const QStringList newBob{u"bob 70 7000 bob new 1"_s, u"carol 60 6000 Carol again 2"_s};
    QCOMPARE(summaries(), newBob);

    // Seen with an older upto (another device lagging) does not bring old messages back as unread.
    QCOMPARE(seen(u"Bob"_s, 20), true);
    QCOMPARE(summaries(), newBob);
    QCOMPARE(seen(u"carol"_s, 60), true);
    QCOMPARE(seen(u"bob"_s, 70), true);
    QCOMPARE(summaries(), (QStringList{u"bob 70 7000 bob new 0"_s, u"carol 60 6000 Carol again 0"_s}));

    // A queued message starts a conversation (and is its last activity).
    QVERIFY(queue(u"c-1"_s, u"dave"_s, u"hello dave"_s, 8000));
    QCOMPARE(summaries(), (QStringList{u"dave 0 8000 alice hello dave 0"_s, u"bob 70 7000 bob new 0"_s,
                                       u"carol 60 6000 Carol again 0"_s}));
}

void TestLocalStore::loadConversationPaging()
{
    // 25 messages with bob (even ids, alternating directions) interleaved with 25 with carol (odd ids).
    QList<ChatMessage> all;
    for (int i = 1; i <= 50; ++i) {
        if (i % 2 == 0) {
            const bool mine = i % 4 == 0;
            all.append(chat(i, mine ? u"alice"_s : u"bob"_s, mine ? u"bob"_s : u"alice"_s, u"bob #%1"_s.arg(i),
                            i * 1000));
        } else {
            all.append(chat(i, u"carol"_s, u"alice"_s, u"carol #%1"_s.arg(i), i * 1000));
        }
    }
    // Stored newest first, as history pages arrive: the order of storing does not matter.
    std::reverse(all.begin(), all.end());
    QCOMPARE(store(all, false).size(), 50);
    QVERIFY(queue(u"q-1"_s, u"bob"_s, u"queued 1"_s, 100'000));
    QVERIFY(queue(u"q-2"_s, u"bob"_s, u"queued 2"_s, 100'001));

    const auto evenIds = [](int from, int to) {
        QList<qint64> out;
        for (int i = from; i <= to; i += 2)
            out.append(i);
        return out;
    };

    // Newest page: the newest 8 with ids, oldest first, then the 2 queued ones in creation order.
    const QList<LocalMessage> newest = load(u"bob"_s, 0, 10);
    QCOMPARE(ids(newest), evenIds(36, 50) + QList<qint64>(2, 0));
    QCOMPARE(newest.at(8).cid, u"q-1"_s);
    QCOMPARE(newest.at(9).cid, u"q-2"_s);
    QCOMPARE(newest.at(0).body, u"bob #36"_s);
    QCOMPARE(newest.at(0).tsMs, 36'000);
    QVERIFY(newest.at(0).isOwn); // 36 % 4 == 0
    QVERIFY(!newest.at(1).isOwn);
    QCOMPARE(newest.at(1).from, u"bob"_s);

    // Older pages: before the oldest id shown; queued messages never appear there.
    QCOMPARE(ids(load(u"bob"_s, 36, 10)), evenIds(16, 34));
    QCOMPARE(ids(load(u"Bob"_s, 16, 10)), evenIds(2, 14));
    QVERIFY(load(u"bob"_s, 2, 10).isEmpty());
    QCOMPARE(ids(load(u"bob"_s, 1000, 3)), (QList<qint64>{46, 48, 50}));

    // A page holding only the queued ones; everything at once.
    QCOMPARE(cids(load(u"bob"_s, 0, 2)), (QStringList{u"q-1"_s, u"q-2"_s}));
    QCOMPARE(ids(load(u"bob"_s, 0, 1000)), evenIds(2, 50) + QList<qint64>(2, 0));

    QCOMPARE(ids(load(u"carol"_s, 11, 3)), (QList<qint64>{5, 7, 9}));
    QVERIFY(load(u"dave"_s).isEmpty());

    // Once sent, the message takes its place by id.
    QCOMPARE(markSent(u"q-1"_s, 60, 60'000), true);
    const QList<LocalMessage> after = load(u"bob"_s, 0, 3);
    QCOMPARE(ids(after), (QList<qint64>{50, 60, 0}));
    QCOMPARE(after.at(2).cid, u"q-2"_s);
}

void TestLocalStore::values()
{
    QCOMPARE(valueOf(u"device"_s), QString());
    QCOMPARE(m_store->valueNow(u"device"_s), QString());

    m_store->setValue(u"device"_s, u"laptop-1"_s);
    QCOMPARE(valueOf(u"device"_s), u"laptop-1"_s);
    QCOMPARE(m_store->valueNow(u"device"_s), u"laptop-1"_s);

    // setValue is asynchronous; valueNow right after it still sees it (jobs run in order).
    const QString token = u"t\u00f6k\u00e9n \U0001F511"_s;
    m_store->setValue(u"device"_s, u"laptop-2"_s);
    m_store->setValue(u"token"_s, token);
    QCOMPARE(m_store->valueNow(u"device"_s), u"laptop-2"_s);
    QCOMPARE(m_store->valueNow(u"token"_s), token);
    QCOMPARE(valueOf(u"token"_s), token);

    // Clearing: an empty or a null QString replaces the old value.
    m_store->setValue(u"device"_s, u""_s);
    QCOMPARE(valueOf(u"device"_s), QString());
    m_store->setValue(u"token"_s, QString());
    QCOMPARE(valueOf(u"token"_s), QString());
    QCOMPARE(m_store->valueNow(u"token"_s), QString());

    m_store->setValue(u"Device"_s, u"upper"_s);
    QCOMPARE(valueOf(u"Device"_s), u"upper"_s);
    QCOMPARE(valueOf(u"device"_s), QString()); // keys are exact
}

void TestLocalStore::persistsAcrossReopen()
{
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"first"_s, 1000));
    QVERIFY(queue(u"c-2"_s, u"#lobby"_s, u"second"_s, 2000));
    QVERIFY(queue(u"c-3"_s, u"bob"_s, u"third"_s, 3000));
    QCOMPARE(markSent(u"c-2"_s, 20, 2100), true);
    QCOMPARE(store({chat(30, u"bob"_s, u"alice"_s, u"while you were away"_s, 3100)}).size(), 1);
    QCOMPARE(store({chat(31, u"carol"_s, u"alice"_s, u"read already"_s, 3200)}).size(), 1);
    QCOMPARE(seen(u"carol"_s, 31), true);
    QCOMPARE(store({chat(15, u"alice"_s, u"bob"_s, u"older"_s, 1500, u"x-15"_s)}, false).size(), 1);
    QCOMPARE(delivered(15), true);
    m_store->setValue(u"device"_s, u"laptop"_s);

    // The app restarts: a new store on the same file.
    QString error;
    QVERIFY2(reopen(&error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(m_store->self(), u"alice"_s);

    const QList<OutboxEntry> pending = outbox();
    QCOMPARE(cids(pending), (QStringList{u"c-1"_s, u"c-3"_s}));
    QCOMPARE(pending.at(1).body, u"third"_s);
    QCOMPARE(pending.at(1).to, u"bob"_s);
    QCOMPARE(pending.at(1).createdMs, 3000);

    const QList<LocalMessage> bob = load(u"bob"_s);
    QCOMPARE(ids(bob), (QList<qint64>{15, 30, 0, 0}));
    QCOMPARE(cids(bob), (QStringList{u"x-15"_s, u"cid-30"_s, u"c-1"_s, u"c-3"_s}));
    QCOMPARE(states(bob), (QStringList{u"delivered"_s, u"received"_s, u"queued"_s, u"queued"_s}));
    QCOMPARE(ids(load(u"#lobby"_s)), QList<qint64>{20});
    QCOMPARE(states(load(u"#lobby"_s)), QStringList{u"sent"_s});

    const QStringList list = summaries();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.mid(0, 2),
             (QStringList{u"carol 31 3200 carol read already 0"_s, u"bob 30 3100 bob while you were away 1"_s}));
    // (Whether `sent` updates the conversation's last id and time is not pinned down here.)
    QVERIFY2(QRegularExpression(u"^#lobby \\d+ \\d+ alice second 0$"_s).match(list.at(2)).hasMatch(),
             qPrintable(list.at(2)));
    QCOMPARE(m_store->valueNow(u"device"_s), u"laptop"_s);

    // Deduplication, matching by cid and the outbox keep working after the restart.
    QVERIFY(store({chat(30, u"bob"_s, u"alice"_s, u"while you were away"_s, 3100)}).isEmpty());
    QVERIFY(store({chat(40, u"alice"_s, u"bob"_s, u"first"_s, 4000, u"c-1"_s)}, false).isEmpty());
    QCOMPARE(markSent(u"c-1"_s, 40, 4000), true);
    QCOMPARE(markSent(u"c-3"_s, 41, 4100), true);
    QVERIFY(outbox().isEmpty());
    QCOMPARE(ids(load(u"bob"_s)), (QList<qint64>{15, 30, 40, 41}));
}

void TestLocalStore::closeWritesPendingJobs()
{
    // Fire-and-forget work submitted right before close() is on disk afterwards.
    m_store->setValue(u"token"_s, u"abc"_s);
    m_store->queueOutgoing({u"c-1"_s, u"bob"_s, u"last words"_s, 1000}, nullptr, [](bool, LocalMessage) {});
    m_store->close();
    m_store->close(); // twice is fine

    QString error;
    QVERIFY2(reopen(&error), qPrintable(error));
    QCOMPARE(m_store->valueNow(u"token"_s), u"abc"_s);
    QCOMPARE(cids(outbox()), QStringList{u"c-1"_s});
    QCOMPARE(states(load(u"bob"_s)), QStringList{u"queued"_s});
}

void TestLocalStore::openFails_data()
{
    QTest::addColumn<QString>("relative"); // below the temporary folder; "plain" is a regular file
    QTest::addColumn<QString>("mentions");
    QTest::newRow("under a regular file") << u"plain/alice.sqlite"_s << u"plain"_s;
    QTest::newRow("deeper under a regular file") << u"plain/sub/alice.sqlite"_s << u"plain"_s;
    QTest::newRow("a folder") << u"folder"_s << u"folder"_s;
}

void TestLocalStore::openFails()
{
    QFETCH(QString, relative);
    QFETCH(QString, mentions);
    QFile plain(m_dir->filePath(u"plain"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    QVERIFY(plain.write("not a folder") > 0);
    plain.close();
    QVERIFY(QDir(m_dir->path()).mkdir(u"folder"_s));

    const QString path = m_dir->filePath(relative);
    LocalStore store(path);
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(!error.isEmpty(), "no error text");
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY2(error.contains(m_dir->path()), qPrintable(error)); // names the place, not just "failed"

    // A store that did not open answers nothing, but does not hang or crash, and closes cleanly.
    QCOMPARE(store.valueNow(u"device"_s), QString());
    store.close();
    QVERIFY(QFileInfo(m_dir->filePath(u"plain"_s)).isFile());
}

void TestLocalStore::newerSchemaRefused()
{
    const QString future = m_dir->filePath(u"future.sqlite"_s);
    QVERIFY(setUserVersion(future, 99));

    LocalStore store(future);
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    QVERIFY2(error.contains(u"99"_s), qPrintable(error));
    QVERIFY2(error.contains(future), qPrintable(error));
    store.close();

    // Left as it was: not migrated, not downgraded.
    QCOMPARE(userVersion(future), 99);

    // A file at the current version (the fixture's, created in init()) opens again.
    m_store.reset();
    QCOMPARE(userVersion(m_path), 2);
    QVERIFY2(reopen(&error), qPrintable(error));
}

void TestLocalStore::upgradesFromVersion1()
{
    // A store written by 0.1.0 (schema 1: no early-receipt tables) with a message still queued.
    QVERIFY(queue(u"c-1"_s, u"bob"_s, u"from before"_s, 1000));
    m_store.reset();
    {
        const QString name = u"tst-localstore-downgrade"_s;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(m_path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"DROP TABLE early_receipts"_s));
            QVERIFY(q.exec(u"DROP TABLE peer_reads"_s));
            QVERIFY(q.exec(u"ALTER TABLE messages DROP COLUMN live"_s));
            QVERIFY(q.exec(u"PRAGMA user_version = 1"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    QString error;
    QVERIFY2(reopen(&error), qPrintable(error));
    QCOMPARE(userVersion(m_path), 2);
    QCOMPARE(cids(outbox()), QStringList{u"c-1"_s});
    QCOMPARE(delivered(5), false); // kept in the new table
    QCOMPARE(markSent(u"c-1"_s, 5, 1100), true);
    QCOMPARE(messageStateName(m_lastSentState), u"delivered"_s);
}

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
