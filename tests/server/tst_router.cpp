// The Router and its handlers without sockets: fake sessions (a door that records what it is given), a
// recording Fanout in front of the real SessionRegistry, and a real Storage on a temporary SQLite file.
#include "common/protocol/events.h"
#include "server/routing/directory.h"
#include "server/routing/fanout.h"
#include "server/routing/router.h"
#include "server/routing/session.h"
#include "server/routing/sessionregistry.h"
#include "server/storage/storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using namespace Qt::StringLiterals;

namespace {

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// "type" or "error:code": what a test compares replies and frames by.
QString kindOf(const QJsonObject &o)
{
    const QString type = o.value("type"_L1).toString();
    return type == "error"_L1 ? u"error:"_s + o.value("code"_L1).toString() : type;
}

// A door that keeps everything it is given.
class FakeSession : public Session
{
    Q_OBJECT
public:
    using Session::Session;
    QString describe() const override { return u"fake"_s; }
    void deliver(const Frame &frame) override
    {
        frames.append(parse(frame.json()));
        emit delivered();
    }
    void signedOut() override { ++signedOutCount; }
    void caughtUpWithQueue() override { emit caughtUp(); }

    // The "type" of each frame delivered so far, in order.
    QStringList frameKinds() const
    {
        QStringList out;
        for (const QJsonObject &f : frames)
            out.append(kindOf(f));
        return out;
    }

    QList<QJsonObject> frames;
    QHash<QString, QJsonObject> replies; // by rid
    int signedOutCount = 0;

signals:
    void delivered();
    void caughtUp();
    void replied();
};

// Records every call, then hands it on to the local registry so that sessions still get their frames.
class RecordingFanout : public Fanout
{
public:
    struct Call {
        QString kind; // "devices", "users" or "watchers"
        QList<qint64> ids;
        QJsonObject frame;
        const Session *except = nullptr;
    };

    explicit RecordingFanout(Fanout &inner)
        : m_inner(inner)
    {}

    void deliverToDevices(const QList<qint64> &ids, const Frame &frame, const Session *except = nullptr) override
    {
        calls.append({u"devices"_s, ids, parse(frame.json()), except});
        m_inner.deliverToDevices(ids, frame, except);
    }
    void deliverToUsers(const QList<qint64> &ids, const Frame &frame, const Session *except = nullptr) override
    {
        calls.append({u"users"_s, ids, parse(frame.json()), except});
        m_inner.deliverToUsers(ids, frame, except);
    }
    void deliverToPresenceWatchers(const Frame &frame, const QList<qint64> &exceptUsers) override
    {
        calls.append({u"watchers"_s, exceptUsers, parse(frame.json()), nullptr});
        m_inner.deliverToPresenceWatchers(frame, exceptUsers);
    }

    QList<Call> callsOfType(const QString &frameType) const
    {
        QList<Call> out;
        for (const Call &c : calls) {
            if (c.frame.value("type"_L1).toString() == frameType)
                out.append(c);
        }
        return out;
    }

    QList<Call> calls;

private:
    Fanout &m_inner;
};

QList<qint64> sorted(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sessionStateHoldsAndDeduplicates();
    void requestsWaitForPendingLogin_data();
    void requestsWaitForPendingLogin();
    void requestsApplyInArrivalOrder_data();
    void requestsApplyInArrivalOrder();
    void catchUpHoldsLiveFramesAfterQueue();
    void sendToUserFansOutToDevices();
    void roomMembershipRules_data();
    void roomMembershipRules();
    void presenceGoesThroughFanout();
    void logoutSignsOutOtherSessionsOnToken();

private:
    FakeSession *newSession();
    // Hands one raw envelope to the router; its reply (if any) lands in session->replies[rid].
    void request(FakeSession *s, const QString &rid, QJsonObject envelope);
    // register (or login) on a new session and wait until its queue has been delivered.
    FakeSession *signUp(const QString &user, const QString &device, bool registerFirst = true);
    qint64 deviceId(const QString &user, const QString &device) const;
    qint64 userId(const QString &user) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Storage> m_storage;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<SessionRegistry> m_registry;
    std::unique_ptr<RecordingFanout> m_fanout;
    std::unique_ptr<Router> m_router;
    std::vector<std::unique_ptr<FakeSession>> m_sessions;
};

void TestRouter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storage = std::make_unique<Storage>(m_dir->filePath(u"router.db"_s), SyncMode::Normal);
    QString error;
    QVERIFY2(m_storage->open(&error), qPrintable(error));
    m_directory = std::make_unique<Directory>();
    m_directory->load(m_storage->loadDirectory());
    m_registry = std::make_unique<SessionRegistry>();
    m_fanout = std::make_unique<RecordingFanout>(*m_registry);
    m_router = std::make_unique<Router>(*m_storage, *m_directory, *m_registry, *m_fanout, 1);
}

void TestRouter::cleanup()
{
    for (const auto &s : m_sessions)
        m_router->sessionClosed(s.get());
    m_sessions.clear();
    m_router.reset();
    m_fanout.reset();
    m_registry.reset();
    m_directory.reset();
    m_storage.reset();
    m_dir.reset();
}

FakeSession *TestRouter::newSession()
{
    m_sessions.push_back(std::make_unique<FakeSession>());
    return m_sessions.back().get();
}

void TestRouter::request(FakeSession *s, const QString &rid, QJsonObject envelope)
{
    envelope.insert("rid"_L1, rid);
    QPointer<FakeSession> guard(s);
    m_router->handleRaw(s, QJsonDocument(envelope).toJson(QJsonDocument::Compact),
                        [guard, rid](std::optional<QJsonObject> reply) {
                            if (!guard)
                                return;
                            guard->replies.insert(rid, reply.value_or(QJsonObject{{"type"_L1, u"none"_s}}));
                            emit guard->replied();
                        });
}

FakeSession *TestRouter::signUp(const QString &user, const QString &device, bool registerFirst)
{
    FakeSession *s = newSession();
    QSignalSpy caughtUp(s, &FakeSession::caughtUp);
    request(s, u"auth"_s,
            {{"type"_L1, registerFirst ? u"register"_s : u"login"_s},
             {"user"_L1, user},
             {"password"_L1, u"secret-pw"_s},
             {"device"_L1, device}});
    [&] { QTRY_COMPARE(caughtUp.size(), 1); }();
    if (kindOf(s->replies.value(u"auth"_s)) != "welcome"_L1)
        qWarning() << "no welcome for" << user << s->replies.value(u"auth"_s);
    return s;
}

qint64 TestRouter::userId(const QString &user) const
{
    const UserEntry *u = m_directory->userByName(user);
    return u ? u->id : 0;
}

qint64 TestRouter::deviceId(const QString &user, const QString &device) const
{
    const UserEntry *u = m_directory->userByName(user);
    return u ? u->devices.value(device) : 0;
}

// The state object alone: live frames wait during a catch-up and come after the queue, minus duplicates.
void TestRouter::sessionStateHoldsAndDeduplicates()
{
    FakeSession s;
    SessionState &state = s.routing();
    const natter::protocol::ChatMessage m1{1, u"a"_s, u"b"_s, u"one"_s, u"c1"_s, 10, {}};
    const natter::protocol::ChatMessage m2{2, u"a"_s, u"b"_s, u"two"_s, u"c2"_s, 20, {}};

    state.holdOrDeliver(Frame(m1)); // not catching up: at once
    QCOMPARE(s.frames.size(), 1);

    const quint64 ticket = state.signIn({7, 8, "hash"});
    QVERIFY(state.isCatchingUp(ticket));
    state.holdOrDeliver(Frame(m2));
    state.holdOrDeliver(Frame(natter::protocol::events::presence(u"c"_s, true)));
    QCOMPARE(s.frames.size(), 1); // held
    state.deliverQueued(Frame(m2));
    QCOMPARE(s.frames.size(), 2);
    const QList<Frame> rest = state.finishCatchUp();
    QCOMPARE(rest.size(), 1); // the presence; m2 came with the queue already
    QVERIFY(!rest.constFirst().isMessage());
    QVERIFY(!state.isCatchingUp(ticket));

    // A second sign-in makes the first catch-up stale; a sign-off drops what was held.
    const quint64 second = state.signIn({7, 8, "hash"});
    QVERIFY(!state.isCatchingUp(ticket));
    QVERIFY(state.isCatchingUp(second));
    state.holdOrDeliver(Frame(m1));
    state.signOff();
    QVERIFY(!state.isAuthenticated());
    QVERIFY(state.finishCatchUp().isEmpty());
}

void TestRouter::requestsWaitForPendingLogin_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QStringList>("expected"); // replies to login, join, send, rooms

    QTest::newRow("login succeeds") << u"secret-pw"_s << QStringList{u"welcome"_s, u"joined"_s, u"sent"_s, u"rooms"_s};
    QTest::newRow("login fails") << u"wrong-pw"_s
                                 << QStringList{u"error:auth_failed"_s, u"error:auth_required"_s,
                                                u"error:auth_required"_s, u"error:auth_required"_s};
}

void TestRouter::requestsWaitForPendingLogin()
{
    QFETCH(QString, password);
    QFETCH(QStringList, expected);
    FakeSession *first = signUp(u"alice"_s, u"a1"_s);
    m_router->sessionClosed(first);

    FakeSession *s = newSession();
    request(s, u"1"_s,
            {{"type"_L1, u"login"_s}, {"user"_L1, u"alice"_s}, {"password"_L1, password}, {"device"_L1, u"a2"_s}});
    request(s, u"2"_s, {{"type"_L1, u"join"_s}, {"room"_L1, u"#lobby"_s}});
    request(s, u"3"_s, {{"type"_L1, u"send"_s}, {"to"_L1, u"#lobby"_s}, {"body"_L1, u"hi"_s}, {"cid"_L1, u"c-1"_s}});
    request(s, u"4"_s, {{"type"_L1, u"rooms"_s}});
    QVERIFY(s->replies.isEmpty()); // the hash runs on the pool: nothing is decided yet
    QTRY_COMPARE(s->replies.size(), 4);
    QStringList kinds;
    for (const QString &rid : {u"1"_s, u"2"_s, u"3"_s, u"4"_s})
        kinds.append(kindOf(s->replies.value(rid)));
    QCOMPARE(kinds, expected);
    if (expected.constFirst() == "welcome"_L1) {
        // rooms was handled after the join had applied
        const QJsonArray rooms = s->replies.value(u"4"_s).value("rooms"_L1).toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.at(0)["room"_L1].toString(), u"#lobby"_s);
        QCOMPARE(rooms.at(0)["members"_L1].toInt(), 1);
    } else {
        QVERIFY(!s->routing().isAuthenticated());
    }
}

void TestRouter::requestsApplyInArrivalOrder_data()
{
    QTest::addColumn<QStringList>("requests"); // compact JSON, one request each (rid added: 1, 2, ...)
    QTest::addColumn<QStringList>("expected");

    const QString join = uR"({"type":"join","room":"#r"})"_s;
    const QString leave = uR"({"type":"leave","room":"#r"})"_s;
    const QString sendRoom = uR"({"type":"send","to":"#r","body":"x","cid":"%1"})"_s;
    const QString sendBob = uR"({"type":"send","to":"bob","body":"x","cid":"%1"})"_s;
    const QString logout = uR"({"type":"logout"})"_s;
    QTest::newRow("join send leave send") << QStringList{join, sendRoom.arg(1), leave, sendRoom.arg(2)}
                                          << QStringList{u"joined"_s, u"sent"_s, u"left"_s, u"error:forbidden"_s};
    QTest::newRow("join leave join send") << QStringList{join, leave, join, sendRoom.arg(1)}
                                          << QStringList{u"joined"_s, u"left"_s, u"joined"_s, u"sent"_s};
    QTest::newRow("logout then send") << QStringList{logout, sendBob.arg(1)}
                                      << QStringList{u"logged_out"_s, u"error:auth_required"_s};
    QTest::newRow("send then logout") << QStringList{sendBob.arg(1), logout} << QStringList{u"sent"_s, u"logged_out"_s};
}

void TestRouter::requestsApplyInArrivalOrder()
{
    QFETCH(QStringList, requests);
    QFETCH(QStringList, expected);
    signUp(u"bob"_s, u"b1"_s);
    FakeSession *s = signUp(u"alice"_s, u"a1"_s);
    for (qsizetype i = 0; i < requests.size(); ++i)
        request(s, QString::number(i + 1), QJsonDocument::fromJson(requests[i].toUtf8()).object());
    QTRY_COMPARE(s->replies.size(), requests.size() + 1); // and the register
    QStringList kinds;
    for (qsizetype i = 0; i < requests.size(); ++i)
        kinds.append(kindOf(s->replies.value(QString::number(i + 1))));
    QCOMPARE(kinds, expected);
}

void TestRouter::catchUpHoldsLiveFramesAfterQueue()
{
    FakeSession *alice = signUp(u"alice"_s, u"a1"_s);
    FakeSession *bob = signUp(u"bob"_s, u"b1"_s);
    m_router->sessionClosed(bob); // bob's device is offline: what alice sends is queued for it
    for (int i = 1; i <= 3; ++i)
        request(
            alice, QString::number(i),
            {{"type"_L1, u"send"_s}, {"to"_L1, u"bob"_s}, {"body"_L1, u"m%1"_s.arg(i)}, {"cid"_L1, u"c%1"_s.arg(i)}});
    QTRY_COMPARE(alice->replies.size(), 4); // with the auth reply
    const qint64 queuedId = alice->replies.value(u"2"_s).value("id"_L1).toInteger();
    QVERIFY(queuedId > 0);

    // Bob comes back on the same device. The moment he is welcomed his queue is still to be read: live
    // frames that arrive now (a copy of a queued message, a new message) are held back.
    FakeSession *back = newSession();
    QSignalSpy caughtUp(back, &FakeSession::caughtUp);
    const qint64 device = deviceId(u"bob"_s, u"b1"_s);
    const natter::protocol::ChatMessage copy{queuedId, u"alice"_s, u"bob"_s, u"m2"_s, u"c2"_s, 1, {}};
    const natter::protocol::ChatMessage live{queuedId + 100, u"alice"_s, u"bob"_s, u"live"_s, u"c9"_s, 2, {}};
    bool injected = false;
    m_router->handleRaw(back, R"({"type":"login","user":"bob","password":"secret-pw","device":"b1"})",
                        [&](std::optional<QJsonObject> reply) {
                            QCOMPARE(kindOf(*reply), u"welcome"_s);
                            QVERIFY(back->routing().isCatchingUp());
                            m_fanout->deliverToDevices({device}, Frame(copy));
                            m_fanout->deliverToDevices({device}, Frame(live));
                            QVERIFY(back->frames.isEmpty());
                            injected = true;
                        });
    QTRY_VERIFY(injected);
    QTRY_COMPARE(caughtUp.size(), 1);
    QStringList bodies;
    for (const QJsonObject &f : std::as_const(back->frames))
        bodies.append(f.value("body"_L1).toString());
    QCOMPARE(bodies, (QStringList{u"m1"_s, u"m2"_s, u"m3"_s, u"live"_s}));
}

void TestRouter::sendToUserFansOutToDevices()
{
    FakeSession *a1 = signUp(u"alice"_s, u"a1"_s);
    FakeSession *a2 = signUp(u"alice"_s, u"a2"_s, false);
    FakeSession *b1 = signUp(u"bob"_s, u"b1"_s);
    FakeSession *b2 = signUp(u"bob"_s, u"b2"_s, false);
    m_router->sessionClosed(b2); // offline devices are recipients too (their queue)
    m_fanout->calls.clear();

    QSignalSpy a2Got(a2, &FakeSession::delivered);
    QSignalSpy b1Got(b1, &FakeSession::delivered);
    request(a1, u"s"_s, {{"type"_L1, u"send"_s}, {"to"_L1, u"bob"_s}, {"body"_L1, u"hello"_s}, {"cid"_L1, u"c"_s}});
    QTRY_COMPARE(a1->replies.value(u"s"_s).value("type"_L1).toString(), u"sent"_s);
    const QList<RecordingFanout::Call> calls = m_fanout->callsOfType(u"message"_s);
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls[0].kind, u"devices"_s);
    QCOMPARE(sorted(calls[0].ids),
             sorted({deviceId(u"bob"_s, u"b1"_s), deviceId(u"bob"_s, u"b2"_s), deviceId(u"alice"_s, u"a2"_s)}));
    QVERIFY(!calls[0].ids.contains(deviceId(u"alice"_s, u"a1"_s)));
    QCOMPARE(calls[0].frame.value("body"_L1).toString(), u"hello"_s);
    QTRY_COMPARE(b1Got.size(), 1);
    QTRY_COMPARE(a2Got.size(), 1);
    QVERIFY(!a1->frameKinds().contains(u"message"_s));
}

void TestRouter::roomMembershipRules_data()
{
    QTest::addColumn<QString>("envelope"); // sent by carol, who is not in #club (alice and bob are)
    QTest::addColumn<QString>("expected");

    QTest::newRow("send to a room one is not in")
        << uR"({"type":"send","to":"#club","body":"x","cid":"c"})"_s << u"error:forbidden"_s;
    QTest::newRow("history of a room one is not in")
        << uR"({"type":"history","with":"#club"})"_s << u"error:forbidden"_s;
    QTest::newRow("typing in a room one is not in") << uR"({"type":"typing","to":"#club"})"_s << u"error:forbidden"_s;
    QTest::newRow("read in a room one is not in")
        << uR"({"type":"read","with":"#club","upto":1})"_s << u"error:forbidden"_s;
    QTest::newRow("send to no room") << uR"({"type":"send","to":"#nowhere","body":"x","cid":"c"})"_s
                                     << u"error:not_found"_s;
    QTest::newRow("leave no room") << uR"({"type":"leave","room":"#nowhere"})"_s << u"error:not_found"_s;
    QTest::newRow("leave a room one is not in") << uR"({"type":"leave","room":"#club"})"_s << u"left"_s;
    QTest::newRow("join, then it is one's room") << uR"({"type":"join","room":"#club"})"_s << u"joined"_s;
}

void TestRouter::roomMembershipRules()
{
    QFETCH(QString, envelope);
    QFETCH(QString, expected);
    FakeSession *alice = signUp(u"alice"_s, u"a1"_s);
    FakeSession *bob = signUp(u"bob"_s, u"b1"_s);
    FakeSession *carol = signUp(u"carol"_s, u"c1"_s);
    request(alice, u"j"_s, {{"type"_L1, u"join"_s}, {"room"_L1, u"#club"_s}});
    request(bob, u"j"_s, {{"type"_L1, u"join"_s}, {"room"_L1, u"#club"_s}});
    QTRY_COMPARE(bob->replies.value(u"j"_s).value("type"_L1).toString(), u"joined"_s);
    m_fanout->calls.clear();

    request(carol, u"x"_s, QJsonDocument::fromJson(envelope.toUtf8()).object());
    QTRY_VERIFY(carol->replies.contains(u"x"_s));
    QCOMPARE(kindOf(carol->replies.value(u"x"_s)), expected);
    if (expected.startsWith("error"_L1)) {
        // nothing reached the members
        QVERIFY(m_fanout->calls.isEmpty());
        QVERIFY(!alice->frameKinds().contains(u"message"_s));
    } else if (expected == "joined"_L1) {
        const QList<RecordingFanout::Call> member = m_fanout->callsOfType(u"member"_s);
        QCOMPARE(member.size(), 1);
        QCOMPARE(sorted(member[0].ids), sorted({userId(u"alice"_s), userId(u"bob"_s), userId(u"carol"_s)}));
        QCOMPARE(member[0].except, static_cast<const Session *>(carol));
    }
}

void TestRouter::presenceGoesThroughFanout()
{
    FakeSession *alice = signUp(u"alice"_s, u"a1"_s);
    FakeSession *bob = signUp(u"bob"_s, u"b1"_s);
    FakeSession *carol = signUp(u"carol"_s, u"c1"_s);
    request(alice, u"j"_s, {{"type"_L1, u"join"_s}, {"room"_L1, u"#r"_s}});
    request(bob, u"j"_s, {{"type"_L1, u"join"_s}, {"room"_L1, u"#r"_s}});
    request(carol, u"u"_s, {{"type"_L1, u"users"_s}}); // carol watches presence from now on
    QTRY_COMPARE(bob->replies.value(u"j"_s).value("type"_L1).toString(), u"joined"_s);
    QTRY_VERIFY(carol->replies.contains(u"u"_s));
    m_fanout->calls.clear();

    m_router->sessionClosed(bob); // bob's last device: offline
    QList<RecordingFanout::Call> presence = m_fanout->callsOfType(u"presence"_s);
    QCOMPARE(presence.size(), 2);
    QCOMPARE(presence[0].kind, u"users"_s);
    QCOMPARE(presence[0].ids, QList<qint64>{userId(u"alice"_s)}); // the room mate
    QCOMPARE(presence[0].frame.value("online"_L1).toBool(), false);
    QCOMPARE(presence[1].kind, u"watchers"_s);
    QVERIFY(presence[1].ids.contains(userId(u"bob"_s)));
    QCOMPARE(alice->frames.constLast().value("user"_L1).toString(), u"bob"_s);
    QCOMPARE(carol->frames.constLast().value("user"_L1).toString(), u"bob"_s);
    QCOMPARE(carol->frameKinds().count(u"presence"_s), 1);

    // A second device of alice's coming online is no presence change; bob's coming back is.
    m_fanout->calls.clear();
    signUp(u"alice"_s, u"a2"_s, false);
    QVERIFY(m_fanout->callsOfType(u"presence"_s).isEmpty());
    signUp(u"bob"_s, u"b1"_s, false);
    presence = m_fanout->callsOfType(u"presence"_s);
    QCOMPARE(presence.size(), 2);
    QCOMPARE(presence[0].frame.value("online"_L1).toBool(), true);
}

void TestRouter::logoutSignsOutOtherSessionsOnToken()
{
    FakeSession *a = signUp(u"alice"_s, u"a1"_s);
    const QString token = a->replies.value(u"auth"_s).value("token"_L1).toString();
    FakeSession *same = newSession();
    QSignalSpy caughtUp(same, &FakeSession::caughtUp);
    request(same, u"r"_s, {{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, u"a1"_s}});
    QTRY_COMPARE(caughtUp.size(), 1);
    FakeSession *other = signUp(u"alice"_s, u"a2"_s, false);

    request(a, u"out"_s, {{"type"_L1, u"logout"_s}});
    QVERIFY(!same->routing().isAuthenticated()); // at once, before the revocation is on disk
    QCOMPARE(same->signedOutCount, 1);
    QTRY_COMPARE(kindOf(a->replies.value(u"out"_s)), u"logged_out"_s);
    QCOMPARE(a->signedOutCount, 1);
    QVERIFY(other->routing().isAuthenticated()); // another token
    QCOMPARE(other->signedOutCount, 0);
}

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
