// Storage: schema migrations, the offline queue, acks and receipts, idempotent cids, history, group commit.
#include "server/auth/credentials.h"
#include "server/storage/repository.h"
#include "server/storage/schema.h"
#include "server/storage/storage.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace natter::server;
using namespace Qt::StringLiterals;

class TestStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void migrationCreatesLatestSchema();
    void migrationIsIdempotent();
    void refusesNewerSchema();
    void usersAreCaseInsensitive();
    void devicesAndTokens();
    void queueIsPerDeviceOldestFirst();
    void queuePaging();
    void ackRemovesAndMakesReceiptsOnce();
    void ackOfForeignMessageDoesNothing();
    void duplicateCidStoresNothing_data();
    void duplicateCidStoresNothing();
    void historyPagingAndStates();
    void readNeverMovesBackwards();
    void roomsAndMembers();
    void passwordHashes_data();
    void passwordHashes();
    void storageGroupsJobsIntoTransactions();
    void storageSurvivesReopen();
    void failingJobIsRolledBackAlone();

private:
    Repository &repo() { return *m_repo; }
    NewMessage direct(qint64 from, qint64 to, const QString &cid, QList<qint64> devices);

    QTemporaryDir m_dir;
    QString m_connection;
    std::unique_ptr<Repository> m_repo;
};

void TestStore::init()
{
    QVERIFY(m_dir.isValid());
    m_connection = QUuid::createUuid().toString();
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(m_dir.filePath(m_connection + u".db"_s));
    QVERIFY(db.open());
    QString error;
    QVERIFY2(migrateSchema(db, &error), qPrintable(error));
    m_repo = std::make_unique<Repository>(db);
}

void TestStore::cleanup()
{
    m_repo.reset();
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

NewMessage TestStore::direct(qint64 from, qint64 to, const QString &cid, QList<qint64> devices)
{
    NewMessage m;
    m.senderId = from;
    m.cid = cid;
    m.conv = u"d:%1:%2"_s.arg(std::min(from, to)).arg(std::max(from, to));
    m.fromName = u"u%1"_s.arg(from);
    m.toName = u"u%1"_s.arg(to);
    m.body = u"body "_s + cid;
    m.tsMs = 1000 + cid.size();
    m.directPeerId = from == to ? 0 : to;
    m.newContact = from != to;
    m.queueDevices = std::move(devices);
    return m;
}

void TestStore::migrationCreatesLatestSchema()
{
    QSqlQuery q(repo().database());
    QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), latestSchemaVersion());
    for (const char *table : {"users", "devices", "tokens", "rooms", "members", "messages", "queue", "contacts", "reads"}) {
        QSqlQuery t(repo().database());
        QVERIFY2(t.exec(u"SELECT count(*) FROM %1"_s.arg(QLatin1StringView(table))), table);
    }
}

void TestStore::migrationIsIdempotent()
{
    QString error;
    QVERIFY2(migrateSchema(repo().database(), &error), qPrintable(error));
    QSqlQuery q(repo().database());
    QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), latestSchemaVersion());
}

void TestStore::refusesNewerSchema()
{
    QSqlQuery q(repo().database());
    QVERIFY(q.exec(u"PRAGMA user_version = %1"_s.arg(latestSchemaVersion() + 1)));
    QString error;
    QVERIFY(!migrateSchema(repo().database(), &error));
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
}

void TestStore::usersAreCaseInsensitive()
{
    const qint64 alice = repo().createUser(u"Alice"_s, u"h"_s, 1);
    QVERIFY(alice > 0);
    QCOMPARE(repo().createUser(u"aLiCe"_s, u"h2"_s, 2), 0);
    QVERIFY(!repo().failed());
    const DirectorySnapshot s = repo().loadDirectory();
    QCOMPARE(s.users.size(), 1);
    QCOMPARE(s.users.first().name, u"Alice"_s);
    QCOMPARE(s.users.first().passwordHash, u"h"_s);
}

void TestStore::devicesAndTokens()
{
    const qint64 alice = repo().createUser(u"alice"_s, u"h"_s, 1);
    const qint64 d1 = repo().ensureDevice(alice, u"d-1"_s, 1);
    QVERIFY(d1 > 0);
    QCOMPARE(repo().ensureDevice(alice, u"d-1"_s, 2), d1);
    const qint64 d2 = repo().ensureDevice(alice, u"d-2"_s, 2);
    QVERIFY(d2 != d1);
    repo().insertToken("hash-1", alice, d1, 3);
    repo().insertToken("hash-2", alice, d2, 3);
    QVERIFY(!repo().failed());
    QCOMPARE(repo().loadDirectory().tokens.size(), 2);
    repo().deleteToken("hash-1");
    const DirectorySnapshot s = repo().loadDirectory();
    QCOMPARE(s.tokens.size(), 1);
    QCOMPARE(s.tokens.first().hash, QByteArray("hash-2"));
    QCOMPARE(s.tokens.first().deviceId, d2);
    QCOMPARE(s.devices.size(), 2);
}

void TestStore::queueIsPerDeviceOldestFirst()
{
    const StoredMessage m1 = repo().storeMessage(direct(1, 2, u"a"_s, {20, 21}));
    const StoredMessage m2 = repo().storeMessage(direct(1, 2, u"b"_s, {20}));
    const StoredMessage m3 = repo().storeMessage(direct(2, 1, u"c"_s, {10}));
    QVERIFY(m1.id > 0 && m2.id > m1.id && m3.id > m2.id);
    QVERIFY(!m1.duplicate);

    const auto q20 = repo().queuedMessages(20, 0, 100);
    QCOMPARE(q20.size(), 2);
    QCOMPARE(q20[0].id, m1.id);
    QCOMPARE(q20[1].id, m2.id);
    QCOMPARE(q20[0].from, u"u1"_s);
    QCOMPARE(q20[0].to, u"u2"_s);
    QCOMPARE(q20[0].body, u"body a"_s);
    QCOMPARE(q20[0].cid, u"a"_s);
    QCOMPARE(repo().queuedMessages(21, 0, 100).size(), 1);
    QCOMPARE(repo().queuedMessages(10, 0, 100).size(), 1);
    QCOMPARE(repo().queuedMessages(99, 0, 100).size(), 0);
    const DirectorySnapshot s = repo().loadDirectory();
    QCOMPARE(s.contacts.size(), 1); // both directions of 1 <-> 2 are one contact
    QCOMPARE(s.contacts.first().a, qint64(1));
    QCOMPARE(s.contacts.first().b, qint64(2));
}

void TestStore::queuePaging()
{
    QList<qint64> ids;
    for (int i = 0; i < 7; ++i)
        ids.append(repo().storeMessage(direct(1, 2, u"m%1"_s.arg(i), {20})).id);
    const auto first = repo().queuedMessages(20, 0, 3);
    QCOMPARE(first.size(), 3);
    const auto second = repo().queuedMessages(20, first.last().id, 3);
    QCOMPARE(second.size(), 3);
    const auto third = repo().queuedMessages(20, second.last().id, 3);
    QCOMPARE(third.size(), 1);
    QCOMPARE(third.first().id, ids.last());
}

void TestStore::ackRemovesAndMakesReceiptsOnce()
{
    // user 1 sends to user 2 (devices 20, 21); user 1's other device 11 also queues it.
    const StoredMessage m = repo().storeMessage(direct(1, 2, u"x"_s, {11, 20, 21}));
    // The sender's own other device acking is not a delivery.
    QCOMPARE(repo().ack(11, 1, {m.id}).size(), 0);
    const auto first = repo().ack(20, 2, {m.id});
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.first().messageId, m.id);
    QCOMPARE(first.first().senderId, qint64(1));
    // The recipient's second device: no second receipt.
    QCOMPARE(repo().ack(21, 2, {m.id}).size(), 0);
    // Acking twice: nothing.
    QCOMPARE(repo().ack(20, 2, {m.id}).size(), 0);
    QCOMPARE(repo().queuedMessages(20, 0, 10).size(), 0);
    QCOMPARE(repo().queuedMessages(21, 0, 10).size(), 0);
}

void TestStore::ackOfForeignMessageDoesNothing()
{
    const StoredMessage m = repo().storeMessage(direct(1, 2, u"x"_s, {20}));
    // Device 30 of user 3 never had it queued: no receipt, and device 20 keeps it.
    QCOMPARE(repo().ack(30, 3, {m.id}).size(), 0);
    QCOMPARE(repo().queuedMessages(20, 0, 10).size(), 1);
}

void TestStore::duplicateCidStoresNothing_data()
{
    QTest::addColumn<qint64>("secondSender");
    QTest::addColumn<bool>("duplicate");
    QTest::newRow("same sender") << qint64(1) << true;
    QTest::newRow("other sender, same cid") << qint64(3) << false;
}

void TestStore::duplicateCidStoresNothing()
{
    QFETCH(qint64, secondSender);
    QFETCH(bool, duplicate);
    const StoredMessage first = repo().storeMessage(direct(1, 2, u"cid-1"_s, {20}));
    NewMessage again = direct(secondSender, 2, u"cid-1"_s, {20});
    again.tsMs = 999999;
    const StoredMessage second = repo().storeMessage(again);
    QVERIFY(!repo().failed());
    QCOMPARE(second.duplicate, duplicate);
    QCOMPARE(second.id == first.id, duplicate);
    if (duplicate)
        QCOMPARE(second.tsMs, first.tsMs);
    QCOMPARE(repo().queuedMessages(20, 0, 10).size(), duplicate ? 1 : 2);
}

void TestStore::historyPagingAndStates()
{
    const QString conv = u"d:1:2"_s;
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(repo().storeMessage(direct(1, 2, u"h%1"_s.arg(i), {20})).id);
    const qint64 reply = repo().storeMessage(direct(2, 1, u"r"_s, {10})).id;
    repo().ack(20, 2, {ids[0], ids[1], ids[2]}); // delivered
    repo().markRead(2, 1, ids[1]); // user 2 read up to the second

    const auto newest = repo().history(conv, 0, 3, 1, 2);
    QCOMPARE(newest.size(), 3);
    QCOMPARE(newest.last().id, reply); // oldest first, newest page
    QCOMPARE(newest[0].id, ids[3]);
    QCOMPARE(newest[0].state, u"sent"_s);
    QVERIFY(newest.last().state.isEmpty()); // not the asker's own message

    const auto older = repo().history(conv, ids[3], 10, 1, 2);
    QCOMPARE(older.size(), 3);
    QCOMPARE(older[0].state, u"read"_s);
    QCOMPARE(older[1].state, u"read"_s);
    QCOMPARE(older[2].state, u"delivered"_s);

    // The other side sees states only on its own message.
    const auto theirs = repo().history(conv, 0, 10, 2, 1);
    QCOMPARE(theirs.size(), 6);
    QCOMPARE(theirs.last().state, u"sent"_s);
    QVERIFY(theirs.first().state.isEmpty());
    QCOMPARE(repo().lastMessageId(conv), reply);
    QCOMPARE(repo().lastMessageId(u"d:7:8"_s), 0);
}

void TestStore::readNeverMovesBackwards()
{
    QCOMPARE(repo().markRead(2, 1, 10), 10);
    QCOMPARE(repo().markRead(2, 1, 5), 10);
    QCOMPARE(repo().markRead(2, 1, 12), 12);
    QCOMPARE(repo().markRead(1, 2, 3), 3);
}

void TestStore::roomsAndMembers()
{
    const qint64 alice = repo().createUser(u"alice"_s, u"h"_s, 1);
    const qint64 bob = repo().createUser(u"bob"_s, u"h"_s, 1);
    const qint64 room = 7;
    repo().createRoom(room, u"#General"_s, 1);
    QVERIFY(!repo().failed());
    repo().createRoom(8, u"#general"_s, 2); // names are unique case-insensitively
    QVERIFY(repo().failed());
    repo().clearError();
    repo().addMember(room, alice);
    repo().addMember(room, bob);
    repo().addMember(room, bob);
    repo().removeMember(room, alice);
    QVERIFY(!repo().failed());
    const DirectorySnapshot s = repo().loadDirectory();
    QCOMPARE(s.rooms.size(), 1);
    QCOMPARE(s.rooms.first().name, u"#General"_s);
    QCOMPARE(s.rooms.first().members, QList<qint64>{bob});
}

void TestStore::passwordHashes_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("attempt");
    QTest::addColumn<bool>("match");
    QTest::newRow("same") << u"secret"_s << u"secret"_s << true;
    QTest::newRow("case") << u"secret"_s << u"Secret"_s << false;
    QTest::newRow("prefix") << u"secret"_s << u"secre"_s << false;
    QTest::newRow("hangul") << u"비밀번호"_s << u"비밀번호"_s << true;
    QTest::newRow("empty attempt") << u"x"_s << QString() << false;
}

void TestStore::passwordHashes()
{
    QFETCH(QString, password);
    QFETCH(QString, attempt);
    QFETCH(bool, match);
    const QString hash = credentials::hashPassword(password, 1000);
    QVERIFY(hash.startsWith(u"pbkdf2-sha256$1000$"_s));
    if (password.size() >= 6) // a short one may occur in the base64 by chance
        QVERIFY(!hash.contains(password));
    QCOMPARE(credentials::verifyPassword(attempt, hash), match);
    QVERIFY(hash != credentials::hashPassword(password, 1000)); // salted
    QVERIFY(!credentials::verifyPassword(password, u"garbage"_s));
    QVERIFY(!credentials::verifyPassword(password, u"pbkdf2-sha256$x$a$b"_s));
    const QString token = credentials::newToken();
    QVERIFY(token.size() >= 40);
    QVERIFY(token != credentials::newToken());
    QCOMPARE(credentials::tokenHash(token).size(), 32);
}

void TestStore::storageGroupsJobsIntoTransactions()
{
    Storage storage(m_dir.filePath(u"group.db"_s), SyncMode::Normal);
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    constexpr int kJobs = 2000;
    int done = 0;
    QList<qint64> ids;
    for (int i = 0; i < kJobs; ++i) {
        storage.call<StoredMessage>(
            this, [m = direct(1, 2, u"g%1"_s.arg(i), {20})](Repository &r) { return r.storeMessage(m); },
            [&](bool ok, StoredMessage s) {
                QVERIFY(ok);
                ids.append(s.id);
                ++done;
            });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, kJobs, 20000);
    // Completions run in submission order with increasing ids.
    QVERIFY(std::is_sorted(ids.begin(), ids.end()));
    QCOMPARE(storage.jobCount(), quint64(kJobs));
    QVERIFY2(storage.transactionCount() < quint64(kJobs), "jobs submitted together share transactions");
    storage.close();
}

void TestStore::storageSurvivesReopen()
{
    const QString path = m_dir.filePath(u"reopen/deeper/natter.db"_s);
    {
        Storage storage(path, SyncMode::Full);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        bool ok = false;
        storage.submit(this, [](Repository &r) { r.createUser(u"carol"_s, u"h"_s, 1); }, [&](bool c) { ok = c; });
        QTRY_VERIFY(ok);
    }
    Storage storage(path, SyncMode::Normal);
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    const DirectorySnapshot s = storage.loadDirectory();
    QCOMPARE(s.users.size(), 1);
    QCOMPARE(s.users.first().name, u"carol"_s);
}

void TestStore::failingJobIsRolledBackAlone()
{
    Storage storage(m_dir.filePath(u"fail.db"_s), SyncMode::Normal);
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    QList<bool> results;
    storage.submit(this, [](Repository &r) { r.createUser(u"dave"_s, u"h"_s, 1); },
                   [&](bool ok) { results.append(ok); });
    storage.submit(
        this,
        [](Repository &r) {
            r.createUser(u"erin"_s, u"h"_s, 1);
            r.storeMessage(NewMessage{}); // fails: a null cid breaks NOT NULL; erin must not stay behind
        },
        [&](bool ok) { results.append(ok); });
    storage.submit(this, [](Repository &r) { r.createUser(u"frank"_s, u"h"_s, 1); },
                   [&](bool ok) { results.append(ok); });
    QTRY_COMPARE(results.size(), 3);
    QCOMPARE(results, (QList<bool>{true, false, true}));
    QStringList names;
    for (const UserRow &u : storage.loadDirectory().users)
        names.append(u.name);
    names.sort();
    QCOMPARE(names, (QStringList{u"dave"_s, u"frank"_s}));
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
