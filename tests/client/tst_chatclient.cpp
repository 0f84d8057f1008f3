// End-to-end tests of the client core (ChatClient over Connection, both transports, LocalStore) against a
// real server: in-process natter::server::Server, or natterd as a child process where it must be SIGKILLed.
// A TcpProxy in between plays the network that blocks WebSocket upgrades or silently drops a link.
// natter-cli is run as a child process for its exit codes and JSON lines.

#include "client/chatclient.h"
#include "server/server.h"
#include "tests/client/tcpproxy.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using natter::client::ChatClient;
using natter::client::Connection;
using natter::client::ConnectionConfig;
using natter::client::ConnectionMode;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageState;
using natter::client::OutboxEntry;
using natter::client::TransportKind;
using natter::protocol::ErrorCode;
using natter::test::TcpProxy;

namespace {

constexpr int kWaitMs = 15'000; // generous: a loaded machine must not fail the suite
const QString kPassword = u"correct horse"_s;

// Short timings so that every reconnect, fallback and probe happens within a second or two.
ConnectionConfig fastConfig(ConnectionMode mode = ConnectionMode::Auto)
{
    ConnectionConfig c;
    c.mode = mode;
    c.webSocket.openTimeoutMs = 2000;
    c.webSocket.heartbeatMs = 300;
    c.webSocket.deadAfterMs = 1200;
    c.longPolling.pollTimeoutS = 5;
    c.longPolling.requestTimeoutMs = 3000;
    c.longPolling.ackDelayMs = 20;
    c.backoff.floorMs = 100;
    c.backoff.baseMs = 100;
    c.backoff.capMs = 1000;
    c.stableAfterMs = 2000;
    c.webSocketProbeMs = 1000;
    c.healthTimeoutMs = 2000;
    return c;
}

QString newDevice(const QString &user)
{
    return user + u"-dev-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
}

Connection::Credentials credentials(const QString &user, bool registerNew, const QString &password = kPassword,
                                    const QString &device = {})
{
    return {user, password, device.isEmpty() ? newDevice(user) : device, QString(), registerNew};
}

// A port nothing listens on (it was free a moment ago).
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Milliseconds on one monotonic clock, so that event times can be compared.
qint64 nowMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer c;
        c.start();
        return c;
    }();
    return clock.elapsed();
}

QUrl localUrl(quint16 port)
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

// One user on one device: a LocalStore and a ChatClient, with everything they report written down.
class Peer
{
public:
    explicit Peer(const QString &storePath, ConnectionConfig config = fastConfig())
        : store(std::make_unique<LocalStore>(storePath))
    {
        QString error;
        opened = store->open(&error);
        if (!opened)
            qWarning().noquote() << "local store:" << error;
        client = std::make_unique<ChatClient>(*store, config);
        ChatClient *c = client.get();
        QObject::connect(c, &ChatClient::messageAdded, c, [this](const LocalMessage &m) {
            if (m.isOwn) {
                ++ownAdded[m.cid];
            } else {
                ++addedById[m.id];
                ++addedByCid[m.cid];
                receivedAtMs.insert(m.cid, nowMs());
                received.append(m);
            }
        });
        QObject::connect(c, &ChatClient::messageStateChanged, c, [this](const QString &cid, qint64 id, MessageState s) {
            if (s == MessageState::Sent) {
                sentIds.insert(cid, id);
                sentOrder.append(cid);
            }
            if (s == MessageState::Failed)
                failed.append(cid);
            if (id > 0) {
                stateLog[id].append(s);
                stateAtMs[id].insert(int(s), nowMs());
            }
        });
        QObject::connect(c, &ChatClient::signedIn, c, [this](const QString &user, const QString &t) {
            signedInAs = user;
            token = t;
            ++signIns;
        });
        QObject::connect(c, &ChatClient::authenticationFailed, c,
                         [this](ErrorCode code, const QString &) { authFailures.append(code); });
        QObject::connect(c, &ChatClient::transportChanged, c, [this](TransportKind k) {
            transports.append(k);
            transportAtMs.append(nowMs());
        });
        QObject::connect(c, &ChatClient::connectionStateChanged, c, [this](Connection::State s) {
            states.append(s);
            stateTimesMs.append(nowMs());
        });
        QObject::connect(c, &ChatClient::historyReceived, c,
                         [this](const QString &rid, const QString &, const QList<LocalMessage> &page) {
                             histories.insert(rid, page);
                         });
    }
    ~Peer()
    {
        client.reset(); // it holds a reference to the store
        store.reset();
    }
    Q_DISABLE_COPY_MOVE(Peer)

    void start(const QUrl &server, const Connection::Credentials &creds)
    {
        client->setServer(server);
        client->setCredentials(creds);
        client->start();
    }
    bool isOnline() const { return client->isOnline(); }
    // When the connection last entered state s, or -1.
    qint64 lastStateMs(Connection::State s) const
    {
        for (qsizetype i = states.size() - 1; i >= 0; --i) {
            if (states[i] == s)
                return stateTimesMs[i];
        }
        return -1;
    }
    TransportKind transport() { return client->connection().transport(); }

    // The server's history of a conversation (newest 200), or nullopt on timeout.
    std::optional<QList<LocalMessage>> serverHistory(const QString &with)
    {
        const QString rid = client->requestHistory(with, 0, 200);
        if (!QTest::qWaitFor([&] { return histories.contains(rid); }, kWaitMs))
            return std::nullopt;
        return histories.take(rid);
    }

    // The local store's view of a conversation.
    std::optional<QList<LocalMessage>> localConversation(const QString &peer)
    {
        std::optional<QList<LocalMessage>> out;
        store->loadConversation(peer, 0, 500, client.get(), [&out](QList<LocalMessage> page) { out = page; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, kWaitMs))
            return std::nullopt;
        return out;
    }

    std::unique_ptr<LocalStore> store;
    std::unique_ptr<ChatClient> client;
    bool opened = false;

    QHash<QString, int> ownAdded; // cid -> messageAdded count for own messages
    QHash<qint64, int> addedById; // id -> messageAdded count for messages from others
    QHash<QString, int> addedByCid;
    QHash<QString, qint64> receivedAtMs; // cid -> nowMs() when shown
    QList<LocalMessage> received;
    QHash<QString, qint64> sentIds; // cid -> id, from the Sent state
    QStringList sentOrder;
    QStringList failed;
    QHash<qint64, QList<MessageState>> stateLog;
    QHash<qint64, QHash<int, qint64>> stateAtMs; // id -> state -> nowMs()
    QString signedInAs;
    QString token;
    int signIns = 0;
    QList<ErrorCode> authFailures;
    QList<TransportKind> transports;
    QList<qint64> transportAtMs;
    QList<Connection::State> states;
    QList<qint64> stateTimesMs;
    QHash<QString, QList<LocalMessage>> histories;
};

// Checks that every cid arrived exactly once at `to` (by id and by cid) and was acknowledged as sent
// exactly once to the sender. Returns an empty string or what went wrong.
QString checkExactlyOnce(const Peer &to, const QStringList &cids)
{
    for (auto it = to.addedById.cbegin(); it != to.addedById.cend(); ++it) {
        if (it.value() != 1)
            return u"message id %1 was shown %2 times"_s.arg(it.key()).arg(it.value());
    }
    for (const QString &cid : cids) {
        if (to.addedByCid.value(cid) != 1)
            return u"cid %1 was shown %2 times"_s.arg(cid).arg(to.addedByCid.value(cid));
    }
    return {};
}

bool allArrived(const Peer &to, const QStringList &cids)
{
    for (const QString &cid : cids) {
        if (!to.addedByCid.contains(cid))
            return false;
    }
    return true;
}

bool allSent(const Peer &from, const QStringList &cids)
{
    for (const QString &cid : cids) {
        if (!from.sentIds.contains(cid))
            return false;
    }
    return true;
}

// Each cid exactly once in a server history page; returns what went wrong, or an empty string.
QString checkHistory(const QList<LocalMessage> &page, const QStringList &cids)
{
    QHash<QString, int> count;
    qint64 lastId = 0;
    for (const LocalMessage &m : page) {
        ++count[m.cid];
        if (m.id <= lastId)
            return u"history ids are not increasing (%1 after %2)"_s.arg(m.id).arg(lastId);
        lastId = m.id;
    }
    for (const QString &cid : cids) {
        if (count.value(cid) != 1)
            return u"cid %1 is %2 times in the server history"_s.arg(cid).arg(count.value(cid));
    }
    return {};
}

// natterd as a child process, so that it can be SIGKILLed and started again on the same port and db.
class Natterd
{
public:
    ~Natterd() { kill(); }

    bool start(quint16 port, const QString &db)
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProgram(QStringLiteral(NATTERD_PATH));
        m_process->setArguments({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--db"_s, db,
                                 u"--password-iterations"_s, u"1000"_s});
        m_process->start();
        QString out;
        const bool up = QTest::qWaitFor(
            [&] {
                out += QString::fromUtf8(m_process->readAllStandardOutput());
                return out.contains(u"listening on"_s) || m_process->state() == QProcess::NotRunning;
            },
            kWaitMs);
        if (!up || m_process->state() != QProcess::Running) {
            qWarning().noquote() << "natterd did not start:" << out
                                 << QString::fromUtf8(m_process->readAllStandardError());
            return false;
        }
        return true;
    }

    void kill()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        m_process->kill();
        m_process->waitForFinished(kWaitMs); // a SIGKILLed process is gone at once
    }

private:
    std::unique_ptr<QProcess> m_process;
};

// One natter-cli run; stdout is read as JSON lines while it runs.
class Cli
{
public:
    explicit Cli(const QStringList &args)
    {
        m_process.setProgram(QStringLiteral(NATTER_CLI_PATH));
        m_process.setArguments(args);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"NATTER_PASSWORD"_s);
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] { readLines(); });
        QObject::connect(&m_process, &QProcess::finished, &m_process, [this] {
            readLines();
            err += QString::fromUtf8(m_process.readAllStandardError());
        });
        m_process.start();
    }
    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(kWaitMs);
        }
    }
    Q_DISABLE_COPY_MOVE(Cli)

    // Waits (spinning the event loop, so an in-process server keeps serving) until it exits.
    bool waitForExit(int timeoutMs = kWaitMs)
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    }
    int exitCode() const { return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1; }
    void terminate() { m_process.terminate(); }

    bool hasLine(const std::function<bool(const QJsonObject &)> &match) const
    {
        return std::any_of(lines.cbegin(), lines.cend(), match);
    }
    QString output() const { return rawLines.join(u'\n') + u"\nstderr: "_s + err; }

    QList<QJsonObject> lines;
    QStringList rawLines;
    QString err;

private:
    void readLines()
    {
        while (m_process.canReadLine()) {
            const QByteArray line = m_process.readLine().trimmed();
            rawLines.append(QString::fromUtf8(line));
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                lines.append(doc.object());
        }
    }

    QProcess m_process;
};

} // namespace

class TstChatClient : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void basicExchange();
    void serverKilledWhileSending();
    void webSocketBlockedFallsBackAndReturns();
    void passingOutageReturnsToWebSocketSoon();
    void silentDeadLink_data();
    void silentDeadLink();
    void queuedMessagesSurviveAppRestart();
    void wrongPassword();
    void tokenResume();
    void bogusTokenFallsBackToLogin();
    void revokedToken();

    void cliSendAndListen();
    void cliListenThroughRefusingProxy();
    void cliExitCodes_data();
    void cliExitCodes();

private:
    bool startServer();
    QUrl serverUrl() const { return localUrl(m_server->port()); }
    QString storePath(const QString &name) const { return m_dir->filePath(name + u".db"_s); }
    // A peer on the in-process server, signed in (registered first when asked).
    std::unique_ptr<Peer> onlinePeer(const QString &user, bool registerNew = true,
                                     ConnectionConfig config = fastConfig());

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<natter::server::Server> m_server;
};

void TstChatClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstChatClient::cleanup()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
    m_dir.reset();
}

bool TstChatClient::startServer()
{
    natter::server::ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.dbPath = m_dir->filePath(u"server/natter.db"_s);
    config.passwordIterations = 1000;
    m_server = std::make_unique<natter::server::Server>(config);
    if (!m_server->start()) {
        qWarning().noquote() << "server:" << m_server->errorString();
        return false;
    }
    return true;
}

std::unique_ptr<Peer> TstChatClient::onlinePeer(const QString &user, bool registerNew, ConnectionConfig config)
{
    auto peer = std::make_unique<Peer>(storePath(user), config);
    if (!peer->opened)
        return nullptr;
    peer->start(serverUrl(), credentials(user, registerNew));
    if (!QTest::qWaitFor([&] { return peer->isOnline(); }, kWaitMs)) {
        qWarning().noquote() << user << "did not come online:" << peer->client->connection().lastError();
        return nullptr;
    }
    return peer;
}

// Register, send, receive once; sent -> delivered -> read; history merges without duplicates.
void TstChatClient::basicExchange()
{
    QVERIFY(startServer());
    const qint64 t0 = nowMs();
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);
    auto bob = onlinePeer(u"bob"_s);
    QVERIFY(bob);
    qInfo() << "register + online: alice" << alice->lastStateMs(Connection::State::Online) - t0 << "ms, bob"
            << bob->lastStateMs(Connection::State::Online) - alice->lastStateMs(Connection::State::Online) << "ms";
    QCOMPARE(alice->signedInAs, u"alice"_s);
    QVERIFY(!alice->token.isEmpty());
    QCOMPARE(alice->transport(), TransportKind::WebSocket);

    const qint64 t1 = nowMs();
    const QString first = alice->client->sendMessage(u"bob"_s, u"hello bob"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bob->addedByCid.contains(first), kWaitMs);
    const LocalMessage got = bob->received.constLast();
    QCOMPARE(got.body, u"hello bob"_s);
    QCOMPARE(got.from, u"alice"_s);
    QCOMPARE(got.peer, u"alice"_s);
    QVERIFY(got.id > 0);
    QCOMPARE(alice->ownAdded.value(first), 1); // shown once, queued, at once

    QTRY_VERIFY_WITH_TIMEOUT(alice->sentIds.contains(first), kWaitMs);
    const qint64 id = alice->sentIds.value(first);
    QCOMPARE(id, got.id);
    QTRY_VERIFY_WITH_TIMEOUT(alice->stateLog.value(id).contains(MessageState::Delivered), kWaitMs);
    const qint64 t2 = nowMs();
    bob->client->markRead(u"alice"_s, id);
    QTRY_VERIFY_WITH_TIMEOUT(alice->stateLog.value(id).contains(MessageState::Read), kWaitMs);
    const auto &at = alice->stateAtMs[id];
    qInfo() << "first message: sent after" << at.value(int(MessageState::Sent)) - t1 << "ms, shown to bob after"
            << bob->receivedAtMs.value(first) - t1 << "ms, delivered receipt after"
            << at.value(int(MessageState::Delivered)) - t1 << "ms; read receipt"
            << at.value(int(MessageState::Read)) - t2 << "ms after markRead";
    QCOMPARE(alice->stateLog.value(id),
             (QList<MessageState>{MessageState::Sent, MessageState::Delivered, MessageState::Read}));

    // More both ways.
    QStringList toBob{first}, toAlice;
    for (int i = 0; i < 5; ++i) {
        toBob.append(alice->client->sendMessage(u"bob"_s, u"a->b %1"_s.arg(i)));
        toAlice.append(bob->client->sendMessage(u"alice"_s, u"b->a %1"_s.arg(i)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, toBob) && allArrived(*alice, toAlice), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*alice, toBob) && allSent(*bob, toAlice), kWaitMs);
    QCOMPARE(alice->sentOrder, toBob); // acknowledged in the order written
    QCOMPARE(bob->sentOrder, toAlice);

    // History merges into what the store has: nothing shown again.
    const int aliceShown = int(alice->received.size());
    const int bobShown = int(bob->received.size());
    const auto aliceHistory = alice->serverHistory(u"bob"_s);
    QVERIFY(aliceHistory);
    const auto bobHistory = bob->serverHistory(u"alice"_s);
    QVERIFY(bobHistory);
    QCOMPARE(aliceHistory->size(), 11);
    QCOMPARE(bobHistory->size(), 11);
    const QString historyProblem = checkHistory(*aliceHistory, toBob + toAlice);
    QVERIFY2(historyProblem.isEmpty(), qPrintable(historyProblem));
    QCOMPARE(aliceHistory->constFirst().cid, first);
    QCOMPARE(aliceHistory->constFirst().state, MessageState::Read);
    QCOMPARE(alice->received.size(), aliceShown);
    QCOMPARE(bob->received.size(), bobShown);
    for (const QString &cid : std::as_const(toBob))
        QCOMPARE(alice->ownAdded.value(cid), 1);
    QString problem = checkExactlyOnce(*bob, toBob);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkExactlyOnce(*alice, toAlice);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The local store holds each message once, under its id.
    const auto local = alice->localConversation(u"bob"_s);
    QVERIFY(local);
    QCOMPARE(local->size(), 11);
    QSet<qint64> ids;
    for (const LocalMessage &m : *local) {
        QVERIFY(m.id > 0);
        ids.insert(m.id);
        if (m.isOwn)
            QCOMPARE(m.from, u"alice"_s);
    }
    QCOMPARE(ids.size(), 11);
    QVERIFY(alice->failed.isEmpty());
}

// natterd is SIGKILLed while alice keeps writing; it comes back on the same port and database. The outbox
// drains by itself, bob sees every message once, and the server stored each cid once.
void TstChatClient::serverKilledWhileSending()
{
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QString db = m_dir->filePath(u"natterd/natter.db"_s);
    Natterd natterd;
    QVERIFY(natterd.start(port, db));

    Peer alice(storePath(u"alice"_s));
    Peer bob(storePath(u"bob"_s));
    alice.start(localUrl(port), credentials(u"alice"_s, true));
    bob.start(localUrl(port), credentials(u"bob"_s, true));
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline() && bob.isOnline(), kWaitMs);

    constexpr int kTotal = 40;
    QStringList cids;
    QTimer ticker;
    ticker.setInterval(25);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        cids.append(alice.client->sendMessage(u"bob"_s, u"message %1"_s.arg(cids.size())));
        if (cids.size() == kTotal)
            ticker.stop();
    });
    ticker.start();

    QTRY_VERIFY_WITH_TIMEOUT(cids.size() >= 10, kWaitMs);
    const qint64 killedAt = nowMs();
    natterd.kill();
    const int sentBeforeKill = int(alice.sentIds.size());
    QTRY_VERIFY_WITH_TIMEOUT(!alice.isOnline() && !bob.isOnline(), kWaitMs);
    qInfo() << "natterd SIGKILLed after" << cids.size() << "messages written," << sentBeforeKill
            << "acknowledged; clients noticed after" << alice.lastStateMs(Connection::State::Reconnecting) - killedAt
            << "/" << bob.lastStateMs(Connection::State::Reconnecting) - killedAt << "ms";
    // Messages written while the server is down wait in the outbox.
    QTRY_VERIFY_WITH_TIMEOUT(cids.size() >= 25, kWaitMs);
    QVERIFY(!alice.isOnline());
    QVERIFY(alice.sentIds.size() < cids.size());

    const qint64 restartAt = nowMs();
    QVERIFY(natterd.start(port, db));
    const qint64 upAt = nowMs();
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline() && bob.isOnline(), kWaitMs);
    qInfo() << "natterd up again" << upAt - restartAt << "ms after the restart began; clients online"
            << alice.lastStateMs(Connection::State::Online) - upAt << "/"
            << bob.lastStateMs(Connection::State::Online) - upAt << "ms after that (backoff cap"
            << fastConfig().backoff.capMs << "ms)";

    QTRY_COMPARE_WITH_TIMEOUT(cids.size(), kTotal, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(alice, cids), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allArrived(bob, cids), kWaitMs);
    qint64 lastArrival = 0;
    for (const QString &cid : std::as_const(cids))
        lastArrival = std::max(lastArrival, bob.receivedAtMs.value(cid));
    qInfo() << "all" << kTotal << "messages at bob" << lastArrival - upAt << "ms after natterd was up again";
    const QString problem = checkExactlyOnce(bob, cids);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(bob.received.size(), kTotal);

    const auto history = alice.serverHistory(u"bob"_s);
    QVERIFY(history);
    QCOMPARE(history->size(), kTotal);
    const QString historyProblem = checkHistory(*history, cids);
    QVERIFY2(historyProblem.isEmpty(), qPrintable(historyProblem));
    QStringList stored;
    for (const LocalMessage &m : *history)
        stored.append(m.cid);
    // Stored in the order written, across the crash: print the order as indices when it is not.
    QStringList order;
    for (const QString &cid : std::as_const(stored))
        order.append(QString::number(cids.indexOf(cid)));
    QVERIFY2(stored == cids, qPrintable(u"stored in this order: "_s + order.join(u' ')));
    QVERIFY(alice.failed.isEmpty());
}

// A proxy that refuses WebSocket upgrades: the client falls back to long polling by itself and chats with
// a WebSocket user; once upgrades get through again it probes its way back to WebSocket, while both write.
void TstChatClient::webSocketBlockedFallsBackAndReturns()
{
    QVERIFY(startServer());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.setMode(TcpProxy::Mode::RefuseUpgrade);

    auto bob = onlinePeer(u"bob"_s);
    QVERIFY(bob);
    Peer alice(storePath(u"alice"_s));
    const qint64 t0 = nowMs();
    alice.start(proxy.url(), credentials(u"alice"_s, true));
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline(), kWaitMs);
    qInfo() << "WebSocket refused: on long polling after" << alice.transportAtMs.value(0) - t0 << "ms, online after"
            << alice.lastStateMs(Connection::State::Online) - t0 << "ms";
    QCOMPARE(alice.transport(), TransportKind::LongPolling);
    QCOMPARE(alice.transports, QList<TransportKind>{TransportKind::LongPolling});
    QVERIFY(proxy.refusedUpgrades() >= 1);
    QVERIFY(alice.client->connection().lastWebSocketError().size() > 0);

    QStringList toBob, toAlice;
    for (int i = 0; i < 3; ++i) {
        toBob.append(alice.client->sendMessage(u"bob"_s, u"over long polling %1"_s.arg(i)));
        toAlice.append(bob->client->sendMessage(u"alice"_s, u"to long polling %1"_s.arg(i)));
    }
    const qint64 t1 = nowMs();
    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, toBob) && allArrived(alice, toAlice), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(alice, toBob), kWaitMs);
    qInfo() << "over long polling: alice -> bob" << bob->receivedAtMs.value(toBob.constLast()) - t1
            << "ms, bob -> alice" << alice.receivedAtMs.value(toAlice.constLast()) - t1 << "ms (3 messages each)";
    // Probes keep failing while the proxy refuses: still on long polling.
    const int refusedBefore = proxy.refusedUpgrades();
    QTRY_VERIFY_WITH_TIMEOUT(proxy.refusedUpgrades() > refusedBefore, kWaitMs);
    QCOMPARE(alice.transport(), TransportKind::LongPolling);
    QVERIFY(alice.isOnline());

    // Both keep writing while the proxy starts passing upgrades and the client switches.
    QTimer ticker;
    ticker.setInterval(40);
    int afterSwitch = 0;
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        toBob.append(alice.client->sendMessage(u"bob"_s, u"during the switch %1"_s.arg(toBob.size())));
        toAlice.append(bob->client->sendMessage(u"alice"_s, u"during the switch %1"_s.arg(toAlice.size())));
        if (alice.transport() == TransportKind::WebSocket && alice.isOnline() && ++afterSwitch == 10)
            ticker.stop();
    });
    ticker.start();
    QTRY_VERIFY_WITH_TIMEOUT(toBob.size() >= 8, kWaitMs);
    const qint64 openedAt = nowMs();
    proxy.setMode(TcpProxy::Mode::PassThrough);
    QTRY_COMPARE_WITH_TIMEOUT(alice.transport(), TransportKind::WebSocket, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline(), kWaitMs);
    qInfo() << "upgrades let through: probe switched to WebSocket after" << alice.transportAtMs.constLast() - openedAt
            << "ms, online after" << alice.lastStateMs(Connection::State::Online) - openedAt << "ms (probe every"
            << fastConfig().webSocketProbeMs << "ms)";
    QTRY_VERIFY_WITH_TIMEOUT(!ticker.isActive(), kWaitMs);

    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, toBob) && allArrived(alice, toAlice), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(alice, toBob) && allSent(*bob, toAlice), kWaitMs);
    qInfo() << toBob.size() << "+" << toAlice.size() << "messages across the switch, all delivered";
    QString problem = checkExactlyOnce(*bob, toBob);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkExactlyOnce(alice, toAlice);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(alice.received.size(), toAlice.size());
    QCOMPARE(bob->received.size(), toBob.size());
    QCOMPARE(alice.transports, (QList<TransportKind>{TransportKind::LongPolling, TransportKind::WebSocket}));

    const auto history = bob->serverHistory(u"alice"_s);
    QVERIFY(history);
    QCOMPARE(history->size(), toBob.size() + toAlice.size());
    const QString historyProblem = checkHistory(*history, toBob + toAlice);
    QVERIFY2(historyProblem.isEmpty(), qPrintable(historyProblem));
    QVERIFY(alice.failed.isEmpty());
}

void TstChatClient::passingOutageReturnsToWebSocketSoon()
{
    // WebSocket failed and /healthz then worked: on long polling. Had it been a passing outage rather than
    // a proxy, WebSocket works at once again: the first probe comes soon, not after the usual (long) pace.
    QVERIFY(startServer());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.setMode(TcpProxy::Mode::RefuseUpgrade);
    ConnectionConfig config = fastConfig();
    config.webSocketProbeMs = 3'600'000; // an hour: only the first probe can bring WebSocket back here
    config.webSocketFirstProbeMs = 300;
    Peer alice(storePath(u"alice"_s), config);
    // The way is clear again the moment the client turns to long polling (before its first probe).
    QObject::connect(alice.client.get(), &ChatClient::transportChanged, &proxy, [&proxy](TransportKind kind) {
        if (kind == TransportKind::LongPolling)
            proxy.setMode(TcpProxy::Mode::PassThrough);
    });
    alice.start(proxy.url(), credentials(u"alice"_s, true));
    // (transport() is WebSocket from the start: wait for the changes themselves.)
    QTRY_COMPARE_WITH_TIMEOUT(alice.transports, (QList<TransportKind>{TransportKind::LongPolling, TransportKind::WebSocket}),
                              kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline(), kWaitMs);
    QCOMPARE(alice.transport(), TransportKind::WebSocket);
    QVERIFY(proxy.refusedUpgrades() >= 1);
}

void TstChatClient::silentDeadLink_data()
{
    QTest::addColumn<bool>("newConnectionsForward");
    QTest::newRow("old link dead, new connections forward") << true;
    QTest::newRow("everything dead, then restored") << false;
}

// The link through the proxy goes silent without closing. The heartbeat notices, the client reconnects,
// and what both sides wrote meanwhile arrives once.
void TstChatClient::silentDeadLink()
{
    QFETCH(bool, newConnectionsForward);
    QVERIFY(startServer());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());

    auto bob = onlinePeer(u"bob"_s);
    QVERIFY(bob);
    const ConnectionConfig config = fastConfig();
    Peer alice(storePath(u"alice"_s), config);
    alice.start(proxy.url(), credentials(u"alice"_s, true));
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline(), kWaitMs);
    QCOMPARE(alice.transport(), TransportKind::WebSocket);
    QStringList toBob{alice.client->sendMessage(u"bob"_s, u"before"_s)};
    QStringList toAlice{bob->client->sendMessage(u"alice"_s, u"before"_s)};
    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, toBob) && allArrived(alice, toAlice), kWaitMs);
    const int acceptedBefore = proxy.acceptedConnections();

    const qint64 diedAt = nowMs();
    if (newConnectionsForward)
        proxy.silenceOpenConnections();
    else
        proxy.setMode(TcpProxy::Mode::Blackhole);
    for (int i = 0; i < 3; ++i) {
        toBob.append(alice.client->sendMessage(u"bob"_s, u"into the void %1"_s.arg(i)));
        toAlice.append(bob->client->sendMessage(u"alice"_s, u"while dead %1"_s.arg(i)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(!alice.isOnline(), kWaitMs);
    const qint64 detectMs = alice.lastStateMs(Connection::State::Reconnecting) - diedAt;
    qInfo() << "silent link noticed after" << detectMs << "ms (heartbeat" << config.webSocket.heartbeatMs
            << "ms, dead after" << config.webSocket.deadAfterMs << "ms)";
    QVERIFY2(detectMs >= config.webSocket.deadAfterMs - config.webSocket.heartbeatMs,
             qPrintable(u"noticed after %1 ms, before the timeout"_s.arg(detectMs)));
    QVERIFY2(detectMs <= config.webSocket.deadAfterMs + 2 * config.webSocket.heartbeatMs + 1000,
             qPrintable(u"noticed only after %1 ms"_s.arg(detectMs)));
    QVERIFY(alice.client->connection().lastError().contains(u"heartbeat"_s));

    if (!newConnectionsForward) {
        // A reconnect attempt hangs in the black hole; then the network comes back.
        QTRY_VERIFY_WITH_TIMEOUT(proxy.acceptedConnections() > acceptedBefore, kWaitMs);
        toBob.append(alice.client->sendMessage(u"bob"_s, u"still dead"_s));
        proxy.setMode(TcpProxy::Mode::PassThrough);
    }
    QTRY_VERIFY_WITH_TIMEOUT(alice.isOnline(), kWaitMs);
    qInfo() << "online again" << alice.lastStateMs(Connection::State::Online) - diedAt << "ms after the link died, over"
            << natter::client::transportName(alice.transport());
    QVERIFY(proxy.acceptedConnections() > acceptedBefore);
    toBob.append(alice.client->sendMessage(u"bob"_s, u"after"_s));
    toAlice.append(bob->client->sendMessage(u"alice"_s, u"after"_s));

    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, toBob) && allArrived(alice, toAlice), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(alice, toBob), kWaitMs);
    qint64 lastArrival = 0;
    for (const QString &cid : std::as_const(toBob))
        lastArrival = std::max(lastArrival, bob->receivedAtMs.value(cid));
    for (const QString &cid : std::as_const(toAlice))
        lastArrival = std::max(lastArrival, alice.receivedAtMs.value(cid));
    qInfo() << "everything written during the outage delivered" << lastArrival - diedAt << "ms after the link died";
    QString problem = checkExactlyOnce(*bob, toBob);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkExactlyOnce(alice, toAlice);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(alice.received.size(), toAlice.size());
    const auto history = bob->serverHistory(u"alice"_s);
    QVERIFY(history);
    const QString historyProblem = checkHistory(*history, toBob + toAlice);
    QVERIFY2(historyProblem.isEmpty(), qPrintable(historyProblem));
    QCOMPARE(history->size(), toBob.size() + toAlice.size());
}

// Written while the server cannot be reached, the app closes; the next run sends them, once, in order.
void TstChatClient::queuedMessagesSurviveAppRestart()
{
    QVERIFY(startServer());
    auto bob = onlinePeer(u"bob"_s);
    QVERIFY(bob);
    const quint16 closedPort = freePort();
    QVERIFY(closedPort != 0);
    const QString path = storePath(u"alice"_s);
    const QString device = newDevice(u"alice"_s);
    const QStringList bodies{u"one"_s, u"two"_s, u"three"_s};
    QStringList cids;
    {
        Peer alice(path);
        QVERIFY(alice.opened);
        alice.start(localUrl(closedPort), credentials(u"alice"_s, true, kPassword, device));
        for (const QString &body : bodies)
            cids.append(alice.client->sendMessage(u"bob"_s, body));
        QTRY_COMPARE_WITH_TIMEOUT(alice.ownAdded.size(), 3, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(alice.states.contains(Connection::State::Reconnecting), kWaitMs);
        QVERIFY(!alice.isOnline());
        const auto local = alice.localConversation(u"bob"_s);
        QVERIFY(local);
        QCOMPARE(local->size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(local->at(i).cid, cids[i]);
            QCOMPARE(local->at(i).state, MessageState::Queued);
            QCOMPARE(local->at(i).id, qint64(0));
        }
    } // the app quits: client and store gone

    Peer alice(path);
    QVERIFY(alice.opened);
    const auto before = alice.localConversation(u"bob"_s);
    QVERIFY(before);
    QCOMPARE(before->size(), 3);
    QCOMPARE(before->constFirst().state, MessageState::Queued);
    const qint64 t0 = nowMs();
    alice.start(serverUrl(), credentials(u"alice"_s, true, kPassword, device));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(alice, cids), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allArrived(*bob, cids), kWaitMs);
    qInfo() << "after the app restart: online" << alice.lastStateMs(Connection::State::Online) - t0
            << "ms, 3 queued messages at bob" << bob->receivedAtMs.value(cids.constLast()) - t0 << "ms";
    QCOMPARE(alice.sentOrder, cids);
    QVERIFY(alice.ownAdded.isEmpty()); // shown from the store, not added again
    const QString problem = checkExactlyOnce(*bob, cids);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QStringList receivedBodies;
    for (const LocalMessage &m : std::as_const(bob->received))
        receivedBodies.append(m.body);
    QCOMPARE(receivedBodies, bodies);

    const auto history = alice.serverHistory(u"bob"_s);
    QVERIFY(history);
    QCOMPARE(history->size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(history->at(i).cid, cids[i]);
        QCOMPARE(history->at(i).body, bodies[i]);
    }
    const auto after = alice.localConversation(u"bob"_s);
    QVERIFY(after);
    QCOMPARE(after->size(), 3);
    for (const LocalMessage &m : *after) {
        QVERIFY(m.id > 0);
        QVERIFY(m.state == MessageState::Sent || m.state == MessageState::Delivered);
    }
    std::optional<QList<OutboxEntry>> outbox;
    alice.store->pendingOutbox(alice.client.get(), [&outbox](QList<OutboxEntry> e) { outbox = e; });
    QTRY_VERIFY_WITH_TIMEOUT(outbox.has_value(), kWaitMs);
    QVERIFY(outbox->isEmpty());
}

// A wrong password: authenticationFailed, Offline, and no retries.
void TstChatClient::wrongPassword()
{
    QVERIFY(startServer());
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);

    for (const bool registerNew : {false, true}) {
        // login with the wrong password, or register a name that is taken
        Peer mallory(storePath(u"mallory%1"_s.arg(int(registerNew))));
        QSignalSpy failed(mallory.client.get(), &ChatClient::authenticationFailed);
        QElapsedTimer clock;
        clock.start();
        mallory.start(serverUrl(), credentials(u"alice"_s, registerNew, u"wrong password"_s));
        QVERIFY(failed.wait(kWaitMs));
        qInfo() << (registerNew ? "register of a taken name" : "wrong password") << "refused in" << clock.elapsed()
                << "ms";
        QCOMPARE(failed.constFirst().constFirst().value<ErrorCode>(), registerNew ? ErrorCode::UserExists : ErrorCode::AuthFailed);
        QCOMPARE(mallory.client->connection().state(), Connection::State::Offline);
        QCOMPARE(mallory.states.constLast(), Connection::State::Offline);
        QCOMPARE(mallory.signIns, 0);
        // No retry loop: nothing more happens (a negative condition, so a fixed wait).
        const quint64 accepted = m_server->stats().acceptedConnections;
        const qsizetype stateChanges = mallory.states.size();
        QTest::qWait(1500);
        QCOMPARE(m_server->stats().acceptedConnections, accepted);
        QCOMPARE(mallory.states.size(), stateChanges);
        QCOMPARE(failed.size(), 1);
        QVERIFY(!mallory.states.contains(Connection::State::Reconnecting));
    }
}

// A stored token signs in without the password, on the same device.
void TstChatClient::tokenResume()
{
    QVERIFY(startServer());
    const QString device = newDevice(u"alice"_s);
    QString token;
    {
        Peer first(storePath(u"alice"_s));
        first.start(serverUrl(), credentials(u"alice"_s, true, kPassword, device));
        QTRY_VERIFY_WITH_TIMEOUT(first.isOnline(), kWaitMs);
        token = first.token;
    }
    QVERIFY(!token.isEmpty());
    Peer again(storePath(u"alice"_s));
    const qint64 t0 = nowMs();
    again.start(serverUrl(), {u"alice"_s, QString(), device, token, false});
    QTRY_VERIFY_WITH_TIMEOUT(again.isOnline(), kWaitMs);
    qInfo() << "resumed with the token in" << again.lastStateMs(Connection::State::Online) - t0 << "ms";
    QCOMPARE(again.signedInAs, u"alice"_s);
    QVERIFY(again.authFailures.isEmpty());
    QVERIFY(!again.token.isEmpty());
    // The session works.
    auto bob = onlinePeer(u"bob"_s);
    QVERIFY(bob);
    const QString cid = again.client->sendMessage(u"bob"_s, u"resumed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bob->addedByCid.contains(cid), kWaitMs);
}

// A token the server does not know, with the right password: the client logs in instead.
// Without a password the same token is a failure.
void TstChatClient::bogusTokenFallsBackToLogin()
{
    QVERIFY(startServer());
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);
    const QString bogus = u"bogus-token-0000"_s;

    Peer withPassword(storePath(u"alice2"_s));
    withPassword.start(serverUrl(), {u"alice"_s, kPassword, newDevice(u"alice"_s), bogus, false});
    QTRY_VERIFY_WITH_TIMEOUT(withPassword.isOnline(), kWaitMs);
    QCOMPARE(withPassword.signedInAs, u"alice"_s);
    QVERIFY(!withPassword.token.isEmpty());
    QVERIFY(withPassword.token != bogus);
    QVERIFY(withPassword.authFailures.isEmpty());
    QCOMPARE(withPassword.signIns, 1);

    Peer withoutPassword(storePath(u"alice3"_s));
    QSignalSpy failed(withoutPassword.client.get(), &ChatClient::authenticationFailed);
    withoutPassword.start(serverUrl(), {u"alice"_s, QString(), newDevice(u"alice"_s), bogus, false});
    QVERIFY(failed.wait(kWaitMs));
    QCOMPARE(failed.constFirst().constFirst().value<ErrorCode>(), ErrorCode::AuthFailed);
    QCOMPARE(withoutPassword.client->connection().state(), Connection::State::Offline);
    QCOMPARE(withoutPassword.signIns, 0);
}

// After logout the token is refused; with the password the client logs in again.
void TstChatClient::revokedToken()
{
    QVERIFY(startServer());
    const QString device = newDevice(u"alice"_s);
    auto alice = std::make_unique<Peer>(storePath(u"alice"_s));
    alice->start(serverUrl(), credentials(u"alice"_s, true, kPassword, device));
    QTRY_VERIFY_WITH_TIMEOUT(alice->isOnline(), kWaitMs);
    const QString token = alice->token;
    QSignalSpy loggedOut(alice->client.get(), &ChatClient::loggedOut);
    alice->client->logout();
    QVERIFY(loggedOut.wait(kWaitMs));
    QCOMPARE(alice->client->connection().state(), Connection::State::Offline);
    alice.reset();

    Peer tokenOnly(storePath(u"alice2"_s));
    QSignalSpy failed(tokenOnly.client.get(), &ChatClient::authenticationFailed);
    tokenOnly.start(serverUrl(), {u"alice"_s, QString(), device, token, false});
    QVERIFY(failed.wait(kWaitMs));
    QCOMPARE(tokenOnly.client->connection().state(), Connection::State::Offline);

    Peer withPassword(storePath(u"alice3"_s));
    withPassword.start(serverUrl(), {u"alice"_s, kPassword, device, token, false});
    QTRY_VERIFY_WITH_TIMEOUT(withPassword.isOnline(), kWaitMs);
    QVERIFY(withPassword.token != token);
    QVERIFY(withPassword.authFailures.isEmpty());
}

// natter-cli: `send` exits 0 with a sent line; `listen` prints connection state and incoming messages.
void TstChatClient::cliSendAndListen()
{
    QVERIFY(startServer());
    const QString server = u"127.0.0.1:%1"_s.arg(m_server->port());
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);

    Cli listen({u"--server"_s, server, u"--user"_s, u"bob"_s, u"--password"_s, kPassword, u"--register"_s,
                u"--data"_s, m_dir->filePath(u"cli-bob"_s), u"listen"_s});
    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "connection"_L1 && o.value("state"_L1) == "online"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);
    QVERIFY(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "connection"_L1 && o.value("state"_L1) == "connecting"_L1;
    }));

    QElapsedTimer clock;
    clock.start();
    Cli send({u"--server"_s, server, u"--user"_s, u"carol"_s, u"--password"_s, kPassword, u"--register"_s,
              u"--data"_s, m_dir->filePath(u"cli-carol"_s), u"send"_s, u"bob"_s, u"hello from the command line"_s});
    QVERIFY(send.waitForExit());
    qInfo() << "natter-cli send (register + send) took" << clock.elapsed() << "ms";
    QCOMPARE(send.exitCode(), 0);
    QVERIFY2(send.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "sent"_L1 && o.value("id"_L1).toInteger() > 0
            && !o.value("cid"_L1).toString().isEmpty();
    }),
             qPrintable(send.output()));

    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "message"_L1 && o.value("from"_L1) == "carol"_L1
            && o.value("body"_L1) == "hello from the command line"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);
    const QString cid = alice->client->sendMessage(u"bob"_s, u"hello from the library"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([&cid](const QJsonObject &o) {
        return o.value("type"_L1) == "message"_L1 && o.value("cid"_L1) == cid && o.value("from"_L1) == "alice"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);

    // A second `send` on the same data folder resumes with the stored token (no password given).
    Cli again({u"--server"_s, server, u"--user"_s, u"carol"_s, u"--data"_s, m_dir->filePath(u"cli-carol"_s),
               u"send"_s, u"bob"_s, u"again"_s});
    QVERIFY(again.waitForExit());
    QCOMPARE(again.exitCode(), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "message"_L1 && o.value("body"_L1) == "again"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);
    int messages = 0;
    for (const QJsonObject &o : std::as_const(listen.lines))
        messages += o.value("type"_L1) == "message"_L1;
    QCOMPARE(messages, 3);

    listen.terminate();
    QVERIFY(listen.waitForExit());
    QCOMPARE(listen.exitCode(), 0);
}

// Through a proxy that refuses WebSocket upgrades, `listen` ends up on long polling and still receives.
void TstChatClient::cliListenThroughRefusingProxy()
{
    QVERIFY(startServer());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.setMode(TcpProxy::Mode::RefuseUpgrade);
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);

    const qint64 t0 = nowMs();
    Cli listen({u"--server"_s, u"127.0.0.1:%1"_s.arg(proxy.port()), u"--user"_s, u"dave"_s, u"--password"_s,
                kPassword, u"--register"_s, u"--data"_s, m_dir->filePath(u"cli-dave"_s), u"listen"_s});
    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "connection"_L1 && o.value("state"_L1) == "online"_L1
            && o.value("transport"_L1) == "long polling"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);
    qInfo() << "natter-cli listen online over long polling within" << nowMs() - t0 << "ms";
    QVERIFY(listen.hasLine([](const QJsonObject &o) {
        return o.value("type"_L1) == "transport"_L1 && o.value("transport"_L1) == "long polling"_L1;
    }));
    QVERIFY(proxy.refusedUpgrades() >= 1);

    const qint64 t1 = nowMs();
    const QString cid = alice->client->sendMessage(u"dave"_s, u"through the proxy"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(listen.hasLine([&cid](const QJsonObject &o) {
        return o.value("type"_L1) == "message"_L1 && o.value("cid"_L1) == cid
            && o.value("body"_L1) == "through the proxy"_L1;
    }),
                              qPrintable(listen.output()), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(alice->stateLog.value(alice->sentIds.value(cid)).contains(MessageState::Delivered),
                             kWaitMs);
    qInfo() << "natter-cli over long polling acked the message (delivered receipt)"
            << alice->stateAtMs.value(alice->sentIds.value(cid)).value(int(MessageState::Delivered)) - t1 << "ms after it was sent";
    listen.terminate();
    QVERIFY(listen.waitForExit());
    QCOMPARE(listen.exitCode(), 0);
}

void TstChatClient::cliExitCodes_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("wrong password") << u"wrong-password"_s << 3;
    QTest::newRow("unreachable server") << u"unreachable"_s << 4;
    QTest::newRow("unknown command") << u"unknown-command"_s << 2;
    QTest::newRow("missing argument") << u"missing-argument"_s << 2;
}

void TstChatClient::cliExitCodes()
{
    QFETCH(QString, what);
    QFETCH(int, exitCode);
    QVERIFY(startServer());
    auto alice = onlinePeer(u"alice"_s);
    QVERIFY(alice);
    const QString live = u"127.0.0.1:%1"_s.arg(m_server->port());
    const QString data = m_dir->filePath(u"cli"_s);

    QStringList args;
    if (what == "wrong-password"_L1)
        args = {u"--server"_s, live, u"--user"_s, u"alice"_s, u"--password"_s, u"nope"_s, u"send"_s, u"alice"_s, u"x"_s};
    else if (what == "unreachable"_L1)
        args = {u"--server"_s, u"127.0.0.1:%1"_s.arg(freePort()), u"--user"_s, u"alice"_s, u"--password"_s, kPassword,
                u"--timeout"_s, u"2"_s, u"send"_s, u"alice"_s, u"x"_s};
    else if (what == "unknown-command"_L1)
        args = {u"--server"_s, live, u"--user"_s, u"alice"_s, u"--password"_s, kPassword, u"frobnicate"_s};
    else
        args = {u"--server"_s, live, u"--user"_s, u"alice"_s, u"--password"_s, kPassword, u"send"_s, u"bob"_s};
    args << u"--data"_s << data;

    QElapsedTimer clock;
    clock.start();
    Cli cli(args);
    QVERIFY(cli.waitForExit());
    qInfo().noquote() << what << "-> exit" << cli.exitCode() << "after" << clock.elapsed() << "ms:" << cli.err.trimmed();
    QCOMPARE(cli.exitCode(), exitCode);
    QVERIFY(!cli.err.isEmpty()); // every failure says why
    if (what == "unreachable"_L1) {
        QVERIFY(clock.elapsed() >= 1500); // --timeout 2 (a coarse timer may fire a little early)
        QVERIFY(clock.elapsed() < 10'000);
    }
}

QTEST_GUILESS_MAIN(TstChatClient)
#include "tst_chatclient.moc"
