// The item models of the client core (ConversationListModel, MessageListModel, PeopleModel). Each model
// runs under QAbstractItemModelTester while it changes. They are fed through a real LocalStore in a
// QTemporaryDir, by their slots where that is simpler, and by ChatClients against an in-process server
// for paging from the server, receipts, typing and presence.

#include "client/chatclient.h"
#include "client/models/conversationlistmodel.h"
#include "client/models/messagelistmodel.h"
#include "client/models/peoplemodel.h"
#include "common/protocol/events.h"
#include "server/server.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using natter::client::ChatClient;
using natter::client::Connection;
using natter::client::ConversationListModel;
using natter::client::ConversationSummary;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::MessageState;
using natter::client::PeopleModel;
using natter::protocol::ChatMessage;
using natter::protocol::UserInfo;

namespace {

constexpr int kWaitMs = 15'000;
const QString kSelf = u"me"_s;
const QString kPassword = u"correct horse"_s;

using Tester = QAbstractItemModelTester;
std::unique_ptr<Tester> testerFor(QAbstractItemModel *model)
{
    return std::make_unique<Tester>(model, Tester::FailureReportingMode::QtTest);
}

ChatMessage chat(qint64 id, const QString &from, const QString &to, const QString &body, qint64 tsMs,
                 const QString &cid = {})
{
    ChatMessage m;
    m.id = id;
    m.from = from;
    m.to = to;
    m.body = body;
    m.tsMs = tsMs;
    m.cid = cid.isEmpty() ? u"cid-%1"_s.arg(id) : cid;
    return m;
}

LocalMessage local(qint64 id, const QString &from, const QString &to, const QString &body, qint64 tsMs,
                   const QString &cid = {})
{
    return natter::client::fromChatMessage(kSelf, chat(id, from, to, body, tsMs, cid));
}

// An own message as sendMessage() shows it before the server has it.
LocalMessage queued(const QString &cid, const QString &to, const QString &body, qint64 tsMs)
{
    LocalMessage m;
    m.cid = cid;
    m.from = kSelf;
    m.to = to;
    m.peer = to;
    m.body = body;
    m.tsMs = tsMs;
    m.state = MessageState::Queued;
    m.isOwn = true;
    return m;
}

qint64 ms(int year, int month, int day, int hour, int minute = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute)).toMSecsSinceEpoch();
}

// A LocalStore for the user kSelf in its own temporary folder.
struct Store {
    Store()
    {
        store = std::make_unique<LocalStore>(dir.filePath(u"local.db"_s));
        QString error;
        opened = store->open(&error);
        if (!opened)
            qWarning().noquote() << "local store:" << error;
        store->setSelf(kSelf);
    }
    bool write(const QList<ChatMessage> &messages, bool countUnread = true)
    {
        std::optional<bool> ok;
        QObject context;
        store->storeMessages(messages, countUnread, &context, [&](bool done, QList<LocalMessage>, QList<LocalMessage>) { ok = done; });
        return QTest::qWaitFor([&] { return ok.has_value(); }, kWaitMs) && *ok;
    }
    std::optional<QList<ConversationSummary>> conversations()
    {
        std::optional<QList<ConversationSummary>> out;
        QObject context;
        store->conversations(&context, [&](QList<ConversationSummary> list) { out = list; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, kWaitMs))
            return std::nullopt;
        return out;
    }

    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store;
    bool opened = false;
};

QVariant value(const QAbstractItemModel &model, int row, int role)
{
    return model.data(model.index(row, 0), role);
}

QStringList peers(const ConversationListModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(value(model, i, ConversationListModel::PeerRole).toString());
    return out;
}

int unreadOf(const ConversationListModel &model, const QString &peer)
{
    const int row = model.rowOf(peer);
    return row < 0 ? -1 : value(model, row, ConversationListModel::UnreadRole).toInt();
}

QVariant conversationValue(const ConversationListModel &model, const QString &peer, int role)
{
    const int row = model.rowOf(peer);
    return row < 0 ? QVariant() : value(model, row, role);
}

QList<qint64> ids(const MessageListModel &model)
{
    QList<qint64> out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(value(model, i, MessageListModel::IdRole).toLongLong());
    return out;
}

QStringList bodies(const MessageListModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(value(model, i, MessageListModel::BodyRole).toString());
    return out;
}

QList<bool> flags(const MessageListModel &model, int role)
{
    QList<bool> out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(value(model, i, role).toBool());
    return out;
}

QStringList names(const PeopleModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(value(model, i, PeopleModel::NameRole).toString());
    return out;
}

bool strictlyIncreasing(const QList<qint64> &list)
{
    for (qsizetype i = 1; i < list.size(); ++i) {
        if (list[i] <= list[i - 1])
            return false;
    }
    return true;
}

// One account on one device against the in-process server.
struct Account {
    Account(const QUrl &server, const QString &user, bool registerNew)
    {
        store = std::make_unique<LocalStore>(dir.filePath(u"local.db"_s));
        QString error;
        opened = store->open(&error);
        client = std::make_unique<ChatClient>(*store);
        client->setServer(server);
        const QString device = user + u"-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
        client->setCredentials({user, kPassword, device, QString(), registerNew});
        client->start();
    }
    ~Account()
    {
        client.reset(); // it holds a reference to the store
        store.reset();
    }
    Q_DISABLE_COPY_MOVE(Account)

    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<ChatClient> client;
    bool opened = false;
};

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void conversationsOrderAndUnread();
    void conversationsActiveAndMarkRead();
    void conversationsTypingExpires();
    void conversationsPresence();
    void messagesDedupeAndState();
    void messagesDaySeparatorsAndSenders();
    void messagesPagingFromStore();
    void messagesIgnoreOtherConversations();
    void peopleSortedByPresence();
    void liveWithServer();
    void pagingFromServer();
    void messagesPerformance();

private:
    std::unique_ptr<Account> signIn(const QString &user, bool registerNew);

    QTemporaryDir m_serverDir;
    std::unique_ptr<natter::server::Server> m_server;
    QUrl m_url;
};

void TestModels::initTestCase()
{
    QVERIFY(m_serverDir.isValid());
    natter::server::ServerConfig config;
    config.host = QHostAddress(u"127.0.0.1"_s);
    config.port = 0;
    config.dbPath = m_serverDir.filePath(u"server.db"_s);
    config.passwordIterations = 1000;
    config.announce = false;
    m_server = std::make_unique<natter::server::Server>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port()));
}

void TestModels::cleanupTestCase()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
}

std::unique_ptr<Account> TestModels::signIn(const QString &user, bool registerNew)
{
    auto account = std::make_unique<Account>(m_url, user, registerNew);
    if (!account->opened || !QTest::qWaitFor([&] { return account->client->isOnline(); }, kWaitMs))
        return nullptr;
    return account;
}

// ---- ConversationListModel ----

void TestModels::conversationsOrderAndUnread()
{
    Store s;
    QVERIFY(s.opened);
    QVERIFY(s.write({chat(1, u"alice"_s, kSelf, u"hi from alice"_s, 1000), chat(2, u"bob"_s, kSelf, u"b1"_s, 2000),
                     chat(3, u"carol"_s, u"#room"_s, u"r1"_s, 3000), chat(4, u"bob"_s, kSelf, u"b2"_s, 2500)}));

    ConversationListModel model(*s.store);
    auto tester = testerFor(&model);
    QSignalSpy loaded(&model, &ConversationListModel::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), kWaitMs);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(peers(model), (QStringList{u"#room"_s, u"bob"_s, u"alice"_s}));
    QCOMPARE(unreadOf(model, u"bob"_s), 2);
    QCOMPARE(unreadOf(model, u"alice"_s), 1);
    QCOMPARE(model.totalUnread(), 4);
    QCOMPARE(conversationValue(model, u"#room"_s, ConversationListModel::IsRoomRole).toBool(), true);
    QCOMPARE(conversationValue(model, u"bob"_s, ConversationListModel::IsRoomRole).toBool(), false);
    QCOMPARE(conversationValue(model, u"bob"_s, ConversationListModel::LastBodyRole).toString(), u"b2"_s);
    QCOMPARE(conversationValue(model, u"#room"_s, ConversationListModel::LastFromRole).toString(), u"carol"_s);
    QCOMPARE(conversationValue(model, u"alice"_s, ConversationListModel::LastTimeRole).toDateTime(),
             QDateTime::fromMSecsSinceEpoch(1000));

    // A new message moves its conversation to the top and counts as unread.
    QSignalSpy total(&model, &ConversationListModel::totalUnreadChanged);
    model.addMessage(local(5, u"alice"_s, kSelf, u"again"_s, 4000));
    QCOMPARE(peers(model), (QStringList{u"alice"_s, u"#room"_s, u"bob"_s}));
    QCOMPARE(unreadOf(model, u"alice"_s), 2);
    QCOMPARE(model.totalUnread(), 5);
    QCOMPARE(total.size(), 1);
    QCOMPARE(conversationValue(model, u"alice"_s, ConversationListModel::LastBodyRole).toString(), u"again"_s);

    // The same message again (a second signal, or one the store's summary had): nothing counts twice.
    model.addMessage(local(5, u"alice"_s, kSelf, u"again"_s, 4000));
    model.addMessage(local(4, u"bob"_s, kSelf, u"b2"_s, 2500));
    QCOMPARE(unreadOf(model, u"alice"_s), 2);
    QCOMPARE(unreadOf(model, u"bob"_s), 2);

    // Own messages move the conversation but are never unread.
    model.addMessage(queued(u"q1"_s, u"bob"_s, u"reply"_s, 5000));
    QCOMPARE(peers(model), (QStringList{u"bob"_s, u"alice"_s, u"#room"_s}));
    QCOMPARE(unreadOf(model, u"bob"_s), 2);
    QCOMPARE(conversationValue(model, u"bob"_s, ConversationListModel::LastFromRole).toString(), kSelf);

    // History (not live): older, so neither unread nor a move; a new conversation from history starts at 0.
    model.addMessage(local(1, u"alice"_s, kSelf, u"hi from alice"_s, 1000), false);
    model.addMessage(local(6, u"dave"_s, kSelf, u"old news"_s, 500), false);
    QCOMPARE(peers(model), (QStringList{u"bob"_s, u"alice"_s, u"#room"_s, u"dave"_s}));
    QCOMPARE(unreadOf(model, u"dave"_s), 0);
    QCOMPARE(unreadOf(model, u"alice"_s), 2);

    // A new direct peer appears at the top; notes to oneself are named so.
    model.addMessage(local(7, u"erin"_s, kSelf, u"new here"_s, 6000));
    QCOMPARE(peers(model).first(), u"erin"_s);
    QCOMPARE(unreadOf(model, u"erin"_s), 1);
    model.addMessage(queued(u"q2"_s, kSelf, u"note"_s, 7000));
    QCOMPARE(peers(model).first(), kSelf);
    QCOMPARE(value(model, 0, ConversationListModel::DisplayNameRole).toString(), u"me (you)"_s);
    QCOMPARE(value(model, 0, Qt::DisplayRole).toString(), u"me (you)"_s);

    // A joined room without messages shows up; a reload from the store keeps it and agrees with the model.
    model.addRoom(u"#fresh"_s);
    QCOMPARE(model.rowOf(u"#fresh"_s), 0);
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, kWaitMs);
    QVERIFY(model.rowOf(u"#fresh"_s) >= 0);
    QCOMPARE(unreadOf(model, u"alice"_s), 1); // the store saw only what was written to it
}

void TestModels::conversationsActiveAndMarkRead()
{
    Store s;
    QVERIFY(s.opened);
    QVERIFY(s.write({chat(1, u"alice"_s, kSelf, u"a1"_s, 1000), chat(2, u"alice"_s, kSelf, u"a2"_s, 1100),
                     chat(3, u"bob"_s, kSelf, u"b1"_s, 2000)}));
    ConversationListModel model(*s.store);
    auto tester = testerFor(&model);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), kWaitMs);
    QCOMPARE(unreadOf(model, u"alice"_s), 2);

    QSignalSpy active(&model, &ConversationListModel::activeConversationChanged);
    model.setActiveConversation(u"Alice"_s); // names are case-insensitive
    QCOMPARE(active.size(), 1);
    QCOMPARE(unreadOf(model, u"alice"_s), 0);
    QCOMPARE(conversationValue(model, u"alice"_s, ConversationListModel::IsActiveRole).toBool(), true);
    QCOMPARE(model.totalUnread(), 1);

    // Messages in the active conversation are read at once; elsewhere they count.
    model.addMessage(local(4, u"alice"_s, kSelf, u"a3"_s, 3000));
    model.addMessage(local(5, u"bob"_s, kSelf, u"b2"_s, 3100));
    QCOMPARE(unreadOf(model, u"alice"_s), 0);
    QCOMPARE(unreadOf(model, u"bob"_s), 2);

    // The store agrees (markConversationSeen went through) once the writes are in.
    QVERIFY(s.write({chat(4, u"alice"_s, kSelf, u"a3"_s, 3000)}));
    const auto summaries = s.conversations();
    QVERIFY(summaries.has_value());
    for (const ConversationSummary &c : *summaries) {
        if (c.peer == u"alice"_s)
            QCOMPARE(c.unread, 0);
    }

    model.markRead(u"bob"_s);
    QCOMPARE(unreadOf(model, u"bob"_s), 0);
    QCOMPARE(model.totalUnread(), 0);
    model.setActiveConversation(QString());
    QCOMPARE(conversationValue(model, u"alice"_s, ConversationListModel::IsActiveRole).toBool(), false);
    model.addMessage(local(6, u"alice"_s, kSelf, u"a4"_s, 4000));
    QCOMPARE(unreadOf(model, u"alice"_s), 1);
}

void TestModels::conversationsTypingExpires()
{
    Store s;
    QVERIFY(s.opened);
    QVERIFY(s.write({chat(1, u"alice"_s, kSelf, u"a1"_s, 1000), chat(2, u"bob"_s, u"#room"_s, u"r1"_s, 2000)}));
    ConversationListModel model(*s.store);
    model.setTypingTimeoutMs(500);
    auto tester = testerFor(&model);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), kWaitMs);

    auto typing = [&](const QString &peer) {
        return conversationValue(model, peer, ConversationListModel::TypingRole).toBool();
    };
    QVERIFY(!typing(u"alice"_s));
    QElapsedTimer clock;
    clock.start();
    model.noteTyping(u"alice"_s, u"alice"_s);
    QVERIFY(typing(u"alice"_s));
    QCOMPARE(conversationValue(model, u"alice"_s, ConversationListModel::TypingUsersRole).toStringList(),
             QStringList{u"alice"_s});
    QTRY_VERIFY_WITH_TIMEOUT(!typing(u"alice"_s), kWaitMs);
    QVERIFY2(clock.elapsed() >= 450, qPrintable(QString::number(clock.elapsed())));

    // Two people in a room; a fresh notice keeps one typing, the other expires.
    model.noteTyping(u"#room"_s, u"bob"_s);
    model.noteTyping(u"#room"_s, u"carol"_s);
    QCOMPARE(conversationValue(model, u"#room"_s, ConversationListModel::TypingUsersRole).toStringList(),
             (QStringList{u"bob"_s, u"carol"_s}));
    for (int i = 0; i < 7; ++i) {
        QTest::qWait(100);
        model.noteTyping(u"#room"_s, u"carol"_s);
    }
    QCOMPARE(conversationValue(model, u"#room"_s, ConversationListModel::TypingUsersRole).toStringList(),
             QStringList{u"carol"_s});
    QTRY_VERIFY_WITH_TIMEOUT(!typing(u"#room"_s), kWaitMs);

    // The message they typed ends the notice at once.
    model.setTypingTimeoutMs(60'000);
    model.noteTyping(u"alice"_s, u"alice"_s);
    QVERIFY(typing(u"alice"_s));
    model.addMessage(local(3, u"alice"_s, kSelf, u"done typing"_s, 3000));
    QVERIFY(!typing(u"alice"_s));
}

void TestModels::conversationsPresence()
{
    Store s;
    QVERIFY(s.opened);
    QVERIFY(s.write({chat(1, u"alice"_s, kSelf, u"a1"_s, 1000), chat(2, u"alice"_s, u"#room"_s, u"r1"_s, 2000)}));
    ConversationListModel model(*s.store);
    auto tester = testerFor(&model);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), kWaitMs);
    auto online = [&](const QString &peer) {
        return conversationValue(model, peer, ConversationListModel::OnlineRole).toBool();
    };
    QVERIFY(!online(u"alice"_s));
    model.setPresence(u"ALICE"_s, true);
    QVERIFY(online(u"alice"_s));
    QVERIFY(!online(u"#room"_s)); // rooms have no presence
    model.setPresence(u"alice"_s, false);
    QVERIFY(!online(u"alice"_s));
    model.setPresence(u"bob"_s, true); // before bob's conversation exists
    model.addMessage(local(3, u"bob"_s, kSelf, u"b1"_s, 3000));
    QVERIFY(online(u"bob"_s));
    model.setAllOffline();
    QVERIFY(!online(u"bob"_s));
}

// ---- MessageListModel ----

void TestModels::messagesDedupeAndState()
{
    Store s;
    QVERIFY(s.opened);
    MessageListModel model(*s.store);
    auto tester = testerFor(&model);
    QSignalSpy newest(&model, &MessageListModel::newestPageLoaded);
    model.setConversation(u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({})); // no store rows, no client

    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    model.addMessage(local(10, u"alice"_s, kSelf, u"hello"_s, t));
    model.addMessage(queued(u"c1"_s, u"alice"_s, u"hi back"_s, t + 1000));
    model.addMessage(queued(u"c2"_s, u"alice"_s, u"doomed"_s, t + 2000));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(value(model, 1, MessageListModel::StateRole).toInt(), int(MessageState::Queued));
    QCOMPARE(value(model, 1, MessageListModel::StateNameRole).toString(), u"queued"_s);
    QCOMPARE(value(model, 0, MessageListModel::StateNameRole).toString(), u"received"_s);
    QCOMPARE(value(model, 1, MessageListModel::IsOwnRole).toBool(), true);
    QCOMPARE(value(model, 0, MessageListModel::IsOwnRole).toBool(), false);

    // Duplicates by id, and own ones by cid, are not shown twice.
    model.addMessage(local(10, u"alice"_s, kSelf, u"hello"_s, t));
    model.addMessage(queued(u"c1"_s, u"alice"_s, u"hi back"_s, t + 1000));
    QCOMPARE(model.rowCount(), 3);

    // `sent`: the queued row gets its id in place; later receipts find it by id (O(1) index).
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateMessageState(u"c1"_s, 11, MessageState::Sent);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.rowOfId(11), 1);
    QCOMPARE(model.rowOfCid(u"c1"_s), 1);
    QCOMPARE(value(model, 1, MessageListModel::IdRole).toLongLong(), 11);
    model.updateMessageState({}, 11, MessageState::Delivered);
    QCOMPARE(value(model, 1, MessageListModel::StateNameRole).toString(), u"delivered"_s);
    model.updateMessageState({}, 11, MessageState::Sent); // states only move forward
    QCOMPARE(value(model, 1, MessageListModel::StateNameRole).toString(), u"delivered"_s);
    model.updateMessageState({}, 11, MessageState::Read);
    QCOMPARE(value(model, 1, MessageListModel::StateRole).toInt(), int(MessageState::Read));
    model.updateMessageState({}, 10, MessageState::Read); // not ours: no receipts
    QCOMPARE(value(model, 0, MessageListModel::StateNameRole).toString(), u"received"_s);
    model.updateMessageState({}, 999, MessageState::Read); // unknown: ignored
    model.updateMessageState(u"c2"_s, 0, MessageState::Failed);
    QCOMPARE(value(model, 2, MessageListModel::StateNameRole).toString(), u"failed"_s);

    // The same own message coming back with its id and cid (history, another path): still one row.
    LocalMessage echoed = local(11, kSelf, u"alice"_s, u"hi back"_s, t + 1000, u"c1"_s);
    echoed.state = MessageState::Read;
    model.addMessage(echoed);
    QCOMPARE(model.rowCount(), 3);

    // A queued message that a history page shows as stored (the `sent` was missed): adopted by cid.
    model.addMessage(queued(u"c3"_s, u"alice"_s, u"while away"_s, t + 3000));
    QCOMPARE(model.rowCount(), 4);
    model.addMessage(local(12, kSelf, u"alice"_s, u"while away"_s, t + 3100, u"c3"_s));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOfId(12), 3);
    QCOMPARE(value(model, 3, MessageListModel::StateNameRole).toString(), u"sent"_s);

    // A newer message from the peer goes after the rows with smaller ids, before still-unsent ones.
    model.addMessage(queued(u"c4"_s, u"alice"_s, u"pending"_s, t + 4000));
    model.addMessage(local(13, u"alice"_s, kSelf, u"live"_s, t + 4100));
    QCOMPARE(bodies(model),
             (QStringList{u"hello"_s, u"hi back"_s, u"doomed"_s, u"while away"_s, u"live"_s, u"pending"_s}));
    QCOMPARE(model.rowOfCid(u"c4"_s), 5);
    model.updateMessageState(u"c4"_s, 14, MessageState::Sent);
    QCOMPARE(model.rowOfId(14), 5);
    QCOMPARE(ids(model), (QList<qint64>{10, 11, 0, 12, 13, 14}));
}

void TestModels::messagesDaySeparatorsAndSenders()
{
    Store s;
    QVERIFY(s.opened);
    MessageListModel model(*s.store);
    auto tester = testerFor(&model);
    QSignalSpy newest(&model, &MessageListModel::newestPageLoaded);
    model.setConversation(u"#room"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);

    model.addMessages({
        local(10, u"alice"_s, u"#room"_s, u"d1 a"_s, ms(2024, 3, 1, 9)),
        local(11, u"alice"_s, u"#room"_s, u"d1 a again"_s, ms(2024, 3, 1, 9, 1)),
        local(12, kSelf, u"#room"_s, u"d1 me"_s, ms(2024, 3, 1, 10)),
        local(13, kSelf, u"#room"_s, u"d2 me"_s, ms(2024, 3, 2, 8)),
        local(14, u"bob"_s, u"#room"_s, u"d2 bob"_s, ms(2024, 3, 2, 8, 5)),
        local(15, u"Bob"_s, u"#room"_s, u"d2 bob again"_s, ms(2024, 3, 2, 8, 6)),
    });
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(flags(model, MessageListModel::ShowDaySeparatorRole), (QList<bool>{true, false, false, true, false, false}));
    QCOMPARE(flags(model, MessageListModel::ShowSenderRole), (QList<bool>{true, false, true, true, true, false}));
    QCOMPARE(value(model, 0, MessageListModel::TimeRole).toDateTime(), QDateTime(QDate(2024, 3, 1), QTime(9, 0)));
    QCOMPARE(value(model, 3, MessageListModel::DayLabelRole).toString(),
             QLocale().toString(QDate(2024, 3, 2), QLocale::LongFormat));

    // Today and yesterday have names.
    const QDateTime now = QDateTime::currentDateTime();
    model.addMessage(local(16, u"bob"_s, u"#room"_s, u"yesterday"_s, now.addDays(-1).toMSecsSinceEpoch()));
    model.addMessage(local(17, u"bob"_s, u"#room"_s, u"today"_s, now.toMSecsSinceEpoch()));
    QCOMPARE(value(model, 6, MessageListModel::DayLabelRole).toString(), u"Yesterday"_s);
    QCOMPARE(value(model, 7, MessageListModel::DayLabelRole).toString(), u"Today"_s);
    QCOMPARE(value(model, 6, MessageListModel::ShowDaySeparatorRole).toBool(), true);
    QCOMPARE(value(model, 6, MessageListModel::ShowSenderRole).toBool(), true); // a new day starts a run
    QCOMPARE(value(model, 7, MessageListModel::ShowSenderRole).toBool(), true);
}

void TestModels::messagesPagingFromStore()
{
    Store s;
    QVERIFY(s.opened);
    QList<ChatMessage> history;
    const qint64 t0 = ms(2024, 1, 1, 0);
    for (int i = 1; i <= 120; ++i) {
        const bool mine = i % 3 == 0;
        history.append(chat(i, mine ? kSelf : u"alice"_s, mine ? u"alice"_s : kSelf, u"m%1"_s.arg(i),
                            t0 + qint64(i) * 3'600'000)); // one an hour: five days
    }
    QVERIFY(s.write(history, false));

    MessageListModel model(*s.store);
    model.setPageSize(50);
    auto tester = testerFor(&model);
    QSignalSpy newest(&model, &MessageListModel::newestPageLoaded);
    QSignalSpy older(&model, &MessageListModel::olderMessagesLoaded);
    QSignalSpy beginning(&model, &MessageListModel::beginningReached);
    QSignalSpy rowsInserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setConversation(u"alice"_s);
    QVERIFY(model.isFetching());
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);
    QCOMPARE(newest.first().at(0).toInt(), 50);
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(ids(model).first(), 71);
    QCOMPARE(ids(model).last(), 120);
    QVERIFY(model.canFetchMore({}));
    QCOMPARE(value(model, 0, MessageListModel::ShowDaySeparatorRole).toBool(), true);

    rowsInserted.clear();
    changed.clear();
    model.fetchMore({});
    model.fetchMore({}); // in flight: ignored
    QTRY_COMPARE_WITH_TIMEOUT(older.size(), 1, kWaitMs);
    QCOMPARE(older.first().at(0).toInt(), 50);
    QCOMPARE(older.first().at(1).toBool(), false);
    QCOMPARE(model.rowCount(), 100);
    // One insertion of the whole page at the top.
    QCOMPARE(rowsInserted.size(), 1);
    QCOMPARE(rowsInserted.first().at(1).toInt(), 0);
    QCOMPARE(rowsInserted.first().at(2).toInt(), 49);
    // The former first row is told that its separator may have gone: id 71 at 23:00 follows id 70 at 22:00.
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().at(0).toModelIndex().row(), 50);
    QCOMPARE(value(model, 50, MessageListModel::ShowDaySeparatorRole).toBool(), false);

    model.fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(older.size(), 2, kWaitMs);
    QCOMPARE(model.rowCount(), 120);
    QCOMPARE(beginning.size(), 1);
    QVERIFY(!model.canFetchMore({}));
    const QList<qint64> all = ids(model);
    QVERIFY(strictlyIncreasing(all));
    QCOMPARE(all.first(), 1);
    QCOMPARE(all.last(), 120);
    const QList<bool> separators = flags(model, MessageListModel::ShowDaySeparatorRole);
    QCOMPARE(separators.count(true), 6); // Jan 1 (from 01:00) .. Jan 6
    QCOMPARE(value(model, 0, MessageListModel::IsOwnRole).toBool(), false);
    QCOMPARE(value(model, 2, MessageListModel::IsOwnRole).toBool(), true);
    QCOMPARE(value(model, 2, MessageListModel::StateNameRole).toString(), u"sent"_s);

    // Changing conversation drops the rows; a late answer for the old one is ignored.
    model.setConversation(u"nobody"_s);
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 2, kWaitMs);
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::messagesIgnoreOtherConversations()
{
    Store s;
    QVERIFY(s.opened);
    QVERIFY(s.write({chat(1, u"alice"_s, kSelf, u"a1"_s, 1000), chat(2, u"bob"_s, kSelf, u"b1"_s, 2000)}));
    MessageListModel model(*s.store);
    auto tester = testerFor(&model);
    QSignalSpy newest(&model, &MessageListModel::newestPageLoaded);
    model.setConversation(u"bob"_s);
    // A live message that arrives while the first page is loading is neither lost nor doubled.
    model.addMessage(local(3, u"bob"_s, kSelf, u"b2"_s, 3000));
    model.addMessage(local(2, u"bob"_s, kSelf, u"b1"_s, 2000));
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);
    QCOMPARE(ids(model), (QList<qint64>{2, 3}));
    model.addMessage(local(4, u"alice"_s, kSelf, u"a2"_s, 4000));
    model.addMessage(local(5, u"carol"_s, u"#room"_s, u"r"_s, 4000));
    model.addMessage(queued(u"x"_s, u"alice"_s, u"to alice"_s, 5000));
    QCOMPARE(ids(model), (QList<qint64>{2, 3}));
}

// ---- PeopleModel ----

void TestModels::peopleSortedByPresence()
{
    PeopleModel model;
    auto tester = testerFor(&model);
    QSignalSpy onlineCount(&model, &PeopleModel::onlineCountChanged);
    model.setUsers({{u"carol"_s, false}, {u"Alice"_s, true}, {u"bob"_s, false}, {u"dave"_s, true}});
    QCOMPARE(names(model), (QStringList{u"Alice"_s, u"dave"_s, u"bob"_s, u"carol"_s}));
    QCOMPARE(model.onlineCount(), 2);
    QCOMPARE(onlineCount.size(), 1);
    QCOMPARE(value(model, 0, PeopleModel::OnlineRole).toBool(), true);
    QCOMPARE(value(model, 3, PeopleModel::OnlineRole).toBool(), false);

    model.setPresence(u"carol"_s, true);
    QCOMPARE(names(model), (QStringList{u"Alice"_s, u"carol"_s, u"dave"_s, u"bob"_s}));
    model.setPresence(u"alice"_s, false);
    QCOMPARE(names(model), (QStringList{u"carol"_s, u"dave"_s, u"Alice"_s, u"bob"_s}));
    model.setPresence(u"erin"_s, true); // first seen in a presence notice
    QCOMPARE(names(model), (QStringList{u"carol"_s, u"dave"_s, u"erin"_s, u"Alice"_s, u"bob"_s}));
    QCOMPARE(model.onlineCount(), 3);

    // A new complete list: updates in place, drops who is gone.
    model.setUsers({{u"Alice"_s, true}, {u"bob"_s, true}, {u"carol"_s, false}, {u"erin"_s, false}});
    QCOMPARE(names(model), (QStringList{u"Alice"_s, u"bob"_s, u"carol"_s, u"erin"_s}));
    model.setAllOffline();
    QCOMPARE(model.onlineCount(), 0);
    QCOMPARE(names(model), (QStringList{u"Alice"_s, u"bob"_s, u"carol"_s, u"erin"_s}));
}

// ---- against a server ----

void TestModels::liveWithServer()
{
    auto alice = signIn(u"alice_live"_s, true);
    QVERIFY(alice);
    auto bob = signIn(u"bob_live"_s, true);
    QVERIFY(bob);

    ConversationListModel conversations(*alice->store, alice->client.get());
    conversations.setTypingTimeoutMs(400);
    auto t1 = testerFor(&conversations);
    MessageListModel messages(*alice->store, alice->client.get());
    auto t2 = testerFor(&messages);
    PeopleModel people(alice->client.get());
    auto t3 = testerFor(&people);
    QTRY_VERIFY_WITH_TIMEOUT(conversations.isLoaded(), kWaitMs);
    QSignalSpy newest(&messages, &MessageListModel::newestPageLoaded);
    messages.setConversation(u"bob_live"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);

    // People: the list came after the welcome; bob is online.
    QTRY_VERIFY_WITH_TIMEOUT(people.rowOf(u"bob_live"_s) >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(value(people, people.rowOf(u"bob_live"_s), PeopleModel::OnlineRole).toBool(), kWaitMs);
    QCOMPARE(value(people, people.rowOf(u"alice_live"_s), PeopleModel::IsSelfRole).toBool(), true);

    // bob writes: a new conversation at the top, unread, the message in the open conversation.
    bob->client->sendMessage(u"alice_live"_s, u"hello alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(unreadOf(conversations, u"bob_live"_s), 1, kWaitMs);
    QCOMPARE(peers(conversations).first(), u"bob_live"_s);
    QCOMPARE(value(messages, 0, MessageListModel::FromRole).toString(), u"bob_live"_s);
    // bob's presence reaches the conversation list (the users reply, then presence notices).
    QTRY_VERIFY_WITH_TIMEOUT(conversationValue(conversations, u"bob_live"_s, ConversationListModel::OnlineRole).toBool(),
                             kWaitMs);

    // alice answers: queued, then sent, then delivered (bob's device acks it), then read.
    const QString cid = alice->client->sendMessage(u"bob_live"_s, u"hi bob"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 2, kWaitMs);
    const int row = messages.rowOfCid(cid);
    QCOMPARE(row, 1);
    QTRY_COMPARE_WITH_TIMEOUT(value(messages, row, MessageListModel::StateNameRole).toString(), u"delivered"_s,
                              kWaitMs);
    const qint64 id = value(messages, row, MessageListModel::IdRole).toLongLong();
    QVERIFY(id > 0);
    QCOMPARE(messages.rowOfId(id), row);
    bob->client->markRead(u"alice_live"_s, id);
    QTRY_COMPARE_WITH_TIMEOUT(value(messages, row, MessageListModel::StateNameRole).toString(), u"read"_s, kWaitMs);
    QCOMPARE(messages.rowCount(), 2);
    QCOMPARE(unreadOf(conversations, u"bob_live"_s), 1); // own messages are not unread

    // Opening the conversation reads it; the next message there is read at once.
    conversations.setActiveConversation(u"bob_live"_s);
    QCOMPARE(unreadOf(conversations, u"bob_live"_s), 0);
    bob->client->sendMessage(u"alice_live"_s, u"are you there?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 3, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(conversationValue(conversations, u"bob_live"_s, ConversationListModel::LastBodyRole)
                                  .toString(),
                              u"are you there?"_s, kWaitMs);
    QCOMPARE(unreadOf(conversations, u"bob_live"_s), 0);

    // Typing: shown, then gone without a new notice.
    bob->client->sendTyping(u"alice_live"_s);
    QTRY_VERIFY_WITH_TIMEOUT(conversationValue(conversations, u"bob_live"_s, ConversationListModel::TypingRole).toBool(),
                             kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        !conversationValue(conversations, u"bob_live"_s, ConversationListModel::TypingRole).toBool(), kWaitMs);

    // bob goes away: offline in both lists, sorted after the online ones.
    bob->client->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!value(people, people.rowOf(u"bob_live"_s), PeopleModel::OnlineRole).toBool(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        !conversationValue(conversations, u"bob_live"_s, ConversationListModel::OnlineRole).toBool(), kWaitMs);
    QCOMPARE(value(people, 0, PeopleModel::OnlineRole).toBool(), true); // alice herself
    QCOMPARE(value(people, people.rowCount() - 1, PeopleModel::OnlineRole).toBool(), false);

    // alice goes offline: nobody shows online.
    alice->client->stop();
    QTRY_COMPARE_WITH_TIMEOUT(people.onlineCount(), 0, kWaitMs);
}

void TestModels::pagingFromServer()
{
    auto bob = signIn(u"bob_pages"_s, true);
    QVERIFY(bob);
    {
        auto alice = signIn(u"alice_pages"_s, true);
        QVERIFY(alice);
        int sent = 0;
        connect(bob->client.get(), &ChatClient::messageStateChanged, this,
                [&sent](const QString &, qint64, MessageState state) { sent += state == MessageState::Sent; });
        for (int i = 1; i <= 25; ++i)
            bob->client->sendMessage(u"alice_pages"_s, u"old %1"_s.arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(sent, 25, kWaitMs);
        bob->client->disconnect(this);
    }
    // alice on a new device: nothing of the above is stored there.
    auto alice = signIn(u"alice_pages"_s, false);
    QVERIFY(alice);
    ConversationListModel conversations(*alice->store, alice->client.get());
    auto t1 = testerFor(&conversations);
    QTRY_VERIFY_WITH_TIMEOUT(conversations.isLoaded(), kWaitMs);
    QCOMPARE(conversations.rowCount(), 0);

    MessageListModel messages(*alice->store, alice->client.get());
    messages.setPageSize(10);
    auto tester = testerFor(&messages); // it fetches more on its own too: everything must stay consistent
    QSignalSpy newest(&messages, &MessageListModel::newestPageLoaded);
    QSignalSpy older(&messages, &MessageListModel::olderMessagesLoaded);
    QSignalSpy beginning(&messages, &MessageListModel::beginningReached);
    messages.setConversation(u"bob_pages"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);
    QCOMPARE(messages.rowCount(), 0);

    // The store has nothing: the server's history, one page at a time, until its beginning.
    QVERIFY(messages.canFetchMore({}));
    QTRY_VERIFY_WITH_TIMEOUT((messages.fetchMore({}), beginning.size() == 1), kWaitMs);
    QVERIFY(!messages.canFetchMore({}));
    QVERIFY(std::all_of(older.cbegin(), older.cend(), [](const QList<QVariant> &a) { return a.at(1).toBool(); }));
    QCOMPARE(messages.rowCount(), 25);
    QVERIFY(strictlyIncreasing(ids(messages)));
    QCOMPARE(bodies(messages).first(), u"old 1"_s);
    QCOMPARE(bodies(messages).last(), u"old 25"_s);

    // History is not news: the conversation shows up, with nothing unread.
    QTRY_VERIFY_WITH_TIMEOUT(conversations.rowOf(u"bob_pages"_s) >= 0, kWaitMs);
    QTest::qWait(50);
    QCOMPARE(unreadOf(conversations, u"bob_pages"_s), 0);
    QCOMPARE(conversationValue(conversations, u"bob_pages"_s, ConversationListModel::LastBodyRole).toString(),
             u"old 25"_s);

    // Live ones come after it, and are news.
    for (int i = 1; i <= 3; ++i)
        bob->client->sendMessage(u"alice_pages"_s, u"new %1"_s.arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 28, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(unreadOf(conversations, u"bob_pages"_s), 3, kWaitMs);
    const QList<qint64> all = ids(messages);
    QVERIFY(strictlyIncreasing(all));
    const QStringList texts = bodies(messages);
    QCOMPARE(texts.at(24), u"old 25"_s);
    QCOMPARE(texts.last(), u"new 3"_s);
    QCOMPARE(QSet<QString>(texts.cbegin(), texts.cend()).size(), 28);

    // Paging again from scratch finds everything in the local store now, then asks the server once more.
    messages.setConversation(u"bob_pages"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 2, kWaitMs);
    QCOMPARE(messages.rowCount(), 10);
    QTRY_VERIFY_WITH_TIMEOUT((messages.fetchMore({}), !messages.canFetchMore({}) && !messages.isFetching()), kWaitMs);
    QCOMPARE(ids(messages), all);
    QCOMPARE(beginning.size(), 2);
}

void TestModels::messagesPerformance()
{
    // No tester here: it walks every row on every change.
    Store s;
    QVERIFY(s.opened);
    MessageListModel model(*s.store);
    QSignalSpy newest(&model, &MessageListModel::newestPageLoaded);
    model.setConversation(u"perf"_s);
    QTRY_COMPARE_WITH_TIMEOUT(newest.size(), 1, kWaitMs);

    constexpr int kCount = 100'000;
    QList<LocalMessage> input;
    input.reserve(kCount);
    const qint64 t0 = ms(2024, 1, 1, 0);
    for (int i = 1; i <= kCount; ++i) {
        const bool mine = i % 2 == 0;
        input.append(local(i, mine ? kSelf : u"perf"_s, mine ? u"perf"_s : kSelf, u"message number %1"_s.arg(i),
                           t0 + qint64(i) * 60'000));
    }
    int inserted = 0;
    int lastInserted = -1;
    connect(&model, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int first, int last) {
        inserted += last - first + 1;
        lastInserted = last;
    });
    QElapsedTimer clock;
    clock.start();
    for (const LocalMessage &m : std::as_const(input))
        model.addMessage(m);
    const qint64 appendMs = clock.elapsed();
    QElapsedTimer one;
    one.start();
    model.updateMessageState({}, 50'000, MessageState::Delivered);
    const qint64 updateNs = one.nsecsElapsed();
    const qint64 totalMs = clock.elapsed();
    qInfo().noquote() << u"appended %1 messages in %2 ms; one state update by id in %3 us; total %4 ms"_s.arg(kCount)
                             .arg(appendMs)
                             .arg(updateNs / 1000)
                             .arg(totalMs);
    QCOMPARE(model.rowCount(), kCount);
    QCOMPARE(inserted, kCount);
    QCOMPARE(lastInserted, kCount - 1);
    QCOMPARE(value(model, 49'999, MessageListModel::StateNameRole).toString(), u"delivered"_s);
    QCOMPARE(model.rowOfId(77'777), 77'776);
    QVERIFY2(totalMs < 5000, qPrintable(u"%1 ms"_s.arg(totalMs)));

    // Reading the derived roles of a screenful near the end stays cheap too.
    clock.restart();
    for (int row = kCount - 50; row < kCount; ++row) {
        value(model, row, MessageListModel::ShowDaySeparatorRole);
        value(model, row, MessageListModel::ShowSenderRole);
    }
    QVERIFY(clock.elapsed() < 1000);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
