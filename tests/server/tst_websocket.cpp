// Integration tests of the WebSocket door against PROTOCOL.md: a real in-process natter::server::Server on
// 127.0.0.1 (any free port), a fresh database per test, and real QWebSocket clients (WsClient).
// Expected envelopes are written out literally from the contract, not built with the server's codec.

#include "server/server.h"
#include "tests/support/jsonassert.h"
#include "tests/server/wsclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using natter::server::Server;
using natter::server::ServerConfig;
using natter::test::withField;
using natter::test::withId;
using natter::test::withRid;
using natter::test::WsClient;

using natter::test::fieldMismatch;
using natter::test::jsonText;

namespace {

constexpr int kTimeoutMs = 10'000;


// An error envelope with this code (and rid, when given), with a human-readable message.
#define VERIFY_ERROR(actual, code, rid)                                                                                \
    do {                                                                                                               \
        const QJsonObject e_ = (actual);                                                                               \
        QJsonObject x_{{"type"_L1, u"error"_s}, {"code"_L1, QString(code)}};                                           \
        if (!QString(rid).isEmpty())                                                                                   \
            x_.insert("rid"_L1, QString(rid));                                                                         \
        VERIFY_FIELDS(e_, x_);                                                                                         \
        QVERIFY2(e_.value("message"_L1).isString() && !e_.value("message"_L1).toString().isEmpty(),                    \
                 qPrintable(jsonText(e_)));                                                                            \
    } while (false)

// Nothing of these types (any type when empty) arrived at this client: a grace period and a round trip.
#define VERIFY_QUIET(client, ...)                                                                                      \
    do {                                                                                                               \
        const QList<QJsonObject> got_ = (client)->unexpected(__VA_ARGS__);                                             \
        QVERIFY2(got_.isEmpty(), qPrintable(u"%1 got %2"_s.arg((client)->name(), jsonText(got_.value(0)))));           \
    } while (false)

// Takes the next envelope of this type from the client, failing the test on timeout.
#define TAKE(var, client, ...)                                                                                         \
    const QJsonObject var = (client)->take(__VA_ARGS__);                                                               \
    QVERIFY2(!var.isEmpty(), qPrintable(u"%1: nothing arrived"_s.arg((client)->name())))

QJsonObject sendEnvelope(const QString &to, const QString &body, const QString &cid)
{
    return {{"type"_L1, u"send"_s}, {"to"_L1, to}, {"body"_L1, body}, {"cid"_L1, cid}};
}

QString newCid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QList<qint64> idsOf(const QList<QJsonObject> &messages)
{
    QList<qint64> ids;
    for (const QJsonObject &m : messages)
        ids.append(m.value("id"_L1).toInteger());
    return ids;
}

QList<qint64> idsOf(const QJsonArray &messages)
{
    QList<qint64> ids;
    for (const QJsonValue &m : messages)
        ids.append(m.toObject().value("id"_L1).toInteger());
    return ids;
}

bool isContractTimestamp(const QString &ts)
{
    static const QRegularExpression re(uR"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)"_s);
    return re.match(ts).hasMatch();
}

QString idText(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return u"["_s + parts.join(u',') + u"]"_s;
}

const QString kEmoji = QString::fromUtf8("\xF0\x9F\x98\x80"); // U+1F600, two UTF-16 units, four UTF-8 bytes

struct HttpResult {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// The HTTP status the contract maps each error code to.
int statusOf(const QString &code)
{
    static const QHash<QString, int> map = {
        {u"bad_request"_s, 400}, {u"auth_required"_s, 401}, {u"auth_failed"_s, 401},
        {u"forbidden"_s, 403},   {u"not_found"_s, 404},     {u"user_exists"_s, 409},
        {u"too_large"_s, 413},   {u"rate_limited"_s, 429},  {u"internal"_s, 500},
    };
    return map.value(code, -1);
}

} // namespace

class TstWebSocket : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // HTTP on the same port
    void healthz();
    void unknownPathIs404_data();
    void unknownPathIs404();
    void wsWithoutUpgradeIsAnError();

    // Envelopes
    void firstFrameMustAuthenticate_data();
    void firstFrameMustAuthenticate();
    void unauthenticatedConnectionClosedAfter10s();
    void malformedFrameIsBadRequest_data();
    void malformedFrameIsBadRequest();
    void binaryFrameIsBadRequest();
    void ridIsCopiedIntoReplies();
    void envelopeSizeLimit_data();
    void envelopeSizeLimit();
    void envelopeOverOneMebibyte();

    // Identity
    void registerGivesWelcome();
    void registerValidation_data();
    void registerValidation();
    void registerDuplicateName_data();
    void registerDuplicateName();
    void registerRaceHasOneWinner();
    void login_data();
    void login();
    void resume_data();
    void resume();
    void tokenSurvivesRestart();
    void logoutEndsEverySessionOnTheToken();

    // Direct messages
    void directMessage();
    void bodyRoundTrip_data();
    void bodyRoundTrip();
    void bodyLimits_data();
    void bodyLimits();
    void noteToSelf();
    void sameCidIsIdempotent();
    void sendToUnknown_data();
    void sendToUnknown();
    void oneDeviceOnTwoConnections();

    // Offline queue
    void queueDeliveredAfterWelcomeUntilAcked();
    void queueComesBeforeLiveMessages();
    void neverSeenDeviceHasNoQueue();
    void queueSurvivesRestart();

    // Receipts and history
    void deliveredReceipt();
    void readReceipt();
    void historyStates();
    void historyPaging();
    void historyLimit_data();
    void historyLimit();

    // Rooms
    void joinAndMemberEvents();
    void leaveAndMemberEvents();
    void roomsListsEveryRoom();
    void roomMessage();
    void nonMemberIsForbidden_data();
    void nonMemberIsForbidden();
    void roomRecipientsAreMembersAtStoreTime();
    void pipelinedRoomRequestsApplyInOrder_data();
    void pipelinedRoomRequestsApplyInOrder();
    void pipelinedLogoutEndsTheSession();

    // Users, presence, typing
    void usersListsEveryUser();
    void presenceReachesWatchers();
    void presenceReachesContactsAndRoomMates();
    void presenceDoesNotReachStrangers();
    void typing();

private:
    bool startServer();
    bool restartServer();
    QUrl wsUrl() const;
    HttpResult httpGet(const QString &path);

    // A new connection, not authenticated.
    WsClient *connectClient(const QString &name);
    // A new connection signed in as user on device: registers the user the first time, logs in after.
    WsClient *signIn(const QString &user, const QString &device);
    // Closes the connection and waits until it is gone.
    bool closeClient(WsClient *client);
    // A device that the server knows (it has signed in once) but that is offline now.
    bool knownOfflineDevice(const QString &user, const QString &device);
    // Waits until everything the server sent this client so far has arrived, then empties its inbox.
    void settle(WsClient *client);
    // Joins a room and waits for `joined`.
    bool join(WsClient *client, const QString &room);
    QJsonObject history(WsClient *client, const QString &with, qint64 before = 0, int limit = 0);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dbPath;
    std::unique_ptr<Server> m_server;
    std::vector<std::unique_ptr<WsClient>> m_clients;
    QSet<QString> m_registered;
    QHash<QString, QString> m_tokens; // "user/device" -> last token
    QNetworkAccessManager m_http;
};

// ---------------------------------------------------------------------------------------------------------
// Fixture

void TstWebSocket::initTestCase()
{
    // The server's own chatter hides the test's output; warnings still show.
    QLoggingCategory::setFilterRules(u"natter.*.debug=false\nnatter.*.info=false"_s);
}

void TstWebSocket::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_dbPath = m_dir->filePath(u"natter.db"_s);
    m_registered.clear();
    m_tokens.clear();
    m_http.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(startServer());
}

void TstWebSocket::cleanup()
{
    m_clients.clear();
    m_server.reset();
    m_dir.reset();
}

bool TstWebSocket::startServer()
{
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.dbPath = m_dbPath;
    config.passwordIterations = 1000;
    m_server = std::make_unique<Server>(config);
    if (!m_server->start()) {
        qWarning() << "server did not start:" << m_server->errorString();
        return false;
    }
    return m_server->port() != 0;
}

bool TstWebSocket::restartServer()
{
    m_server.reset();
    for (const auto &c : m_clients) {
        if (!c->waitForDisconnected())
            return false;
    }
    return startServer();
}

QUrl TstWebSocket::wsUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->port()));
}

HttpResult TstWebSocket::httpGet(const QString &path)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
    std::unique_ptr<QNetworkReply> reply(m_http.get(request));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, kTimeoutMs))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

WsClient *TstWebSocket::connectClient(const QString &name)
{
    auto client = std::make_unique<WsClient>(name);
    if (!client->open(wsUrl()))
        return nullptr;
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

WsClient *TstWebSocket::signIn(const QString &user, const QString &device)
{
    WsClient *c = connectClient(u"%1/%2"_s.arg(user, device));
    if (!c)
        return nullptr;
    const bool known = m_registered.contains(user);
    const QString token = known ? c->login(user, device) : c->registerUser(user, device);
    if (token.isEmpty()) {
        qWarning().noquote() << "could not sign in" << user << device << jsonText(c->lastReply());
        return nullptr;
    }
    m_registered.insert(user);
    m_tokens.insert(u"%1/%2"_s.arg(user, device), token);
    return c;
}

bool TstWebSocket::closeClient(WsClient *client)
{
    client->close();
    return client->waitForDisconnected();
}

bool TstWebSocket::knownOfflineDevice(const QString &user, const QString &device)
{
    WsClient *c = signIn(user, device);
    return c && closeClient(c);
}

void TstWebSocket::settle(WsClient *client)
{
    QVERIFY(client->sync());
    client->clearInbox();
}

bool TstWebSocket::join(WsClient *client, const QString &room)
{
    const QJsonObject reply = client->request({{"type"_L1, u"join"_s}, {"room"_L1, room}});
    if (reply.value("type"_L1) != "joined"_L1) {
        qWarning().noquote() << client->name() << "could not join" << room << jsonText(reply);
        return false;
    }
    return true;
}

QJsonObject TstWebSocket::history(WsClient *client, const QString &with, qint64 before, int limit)
{
    QJsonObject req{{"type"_L1, u"history"_s}, {"with"_L1, with}};
    if (before > 0)
        req.insert("before"_L1, before);
    if (limit > 0)
        req.insert("limit"_L1, limit);
    return client->request(req);
}

// ---------------------------------------------------------------------------------------------------------
// HTTP on the same port

void TstWebSocket::healthz()
{
    const HttpResult r = httpGet(u"/healthz"_s);
    QCOMPARE(r.status, 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value("status"_L1).toString(), u"ok"_s);
    QVERIFY2(o.value("protocol"_L1).isDouble(), r.body.constData());
    QCOMPARE(o.value("protocol"_L1).toInt(), 1);
    const QString version = o.value("version"_L1).toString();
    QVERIFY2(QRegularExpression(uR"(^\d+\.\d+\.\d+([-+].*)?$)"_s).match(version).hasMatch(), qPrintable(version));
    QCOMPARE(version, QStringLiteral(NATTER_VERSION));
}

void TstWebSocket::unknownPathIs404_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("root") << u"/"_s;
    QTest::newRow("nope") << u"/nope"_s;
    QTest::newRow("under healthz") << u"/healthz/more"_s;
    QTest::newRow("other api version") << u"/api/v2/session"_s;
}

void TstWebSocket::unknownPathIs404()
{
    QFETCH(QString, path);
    const HttpResult r = httpGet(path);
    QCOMPARE(r.status, 404);
    VERIFY_ERROR(r.json(), u"not_found"_s, QString());
}

void TstWebSocket::wsWithoutUpgradeIsAnError()
{
    const HttpResult r = httpGet(u"/ws"_s);
    QVERIFY2(r.status >= 400 && r.status < 500, qPrintable(QString::number(r.status)));
    const QJsonObject o = r.json();
    QCOMPARE(o.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(statusOf(o.value("code"_L1).toString()), r.status); // "every HTTP error body ... matching status"
    QVERIFY(!o.value("message"_L1).toString().isEmpty());
}

// ---------------------------------------------------------------------------------------------------------
// Envelopes

void TstWebSocket::firstFrameMustAuthenticate_data()
{
    QTest::addColumn<QJsonObject>("envelope");
    QTest::newRow("rooms") << QJsonObject{{"type"_L1, u"rooms"_s}};
    QTest::newRow("users") << QJsonObject{{"type"_L1, u"users"_s}};
    QTest::newRow("send") << sendEnvelope(u"bob"_s, u"hi"_s, u"c-1"_s);
    QTest::newRow("ack") << QJsonObject{{"type"_L1, u"ack"_s}, {"ids"_L1, QJsonArray{1}}};
    QTest::newRow("join") << QJsonObject{{"type"_L1, u"join"_s}, {"room"_L1, u"#general"_s}};
    QTest::newRow("leave") << QJsonObject{{"type"_L1, u"leave"_s}, {"room"_L1, u"#general"_s}};
    QTest::newRow("history") << QJsonObject{{"type"_L1, u"history"_s}, {"with"_L1, u"bob"_s}};
    QTest::newRow("typing") << QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}};
    QTest::newRow("read") << QJsonObject{{"type"_L1, u"read"_s}, {"with"_L1, u"bob"_s}, {"upto"_L1, 1}};
    QTest::newRow("logout") << QJsonObject{{"type"_L1, u"logout"_s}};
}

void TstWebSocket::firstFrameMustAuthenticate()
{
    QFETCH(QJsonObject, envelope);
    WsClient *c = connectClient(u"anon"_s);
    QVERIFY(c);
    envelope.insert("rid"_L1, u"first"_s);
    VERIFY_ERROR(c->request(envelope), u"auth_required"_s, u"first"_s);
    // Still usable: a second refusal, then signing in works and the same request is served.
    VERIFY_ERROR(c->request(envelope), u"auth_required"_s, u"first"_s);
    QVERIFY(c->isConnected());
    QVERIFY(!c->registerUser(u"alice"_s, u"a1"_s).isEmpty());
    const QJsonObject after = c->request({{"type"_L1, u"rooms"_s}});
    QCOMPARE(after.value("type"_L1).toString(), u"rooms"_s);
    QVERIFY(c->garbage().isEmpty());
}

void TstWebSocket::unauthenticatedConnectionClosedAfter10s()
{
    QElapsedTimer clock;
    clock.start();
    WsClient *idle = connectClient(u"idle"_s);
    QVERIFY(idle);
    WsClient *refused = connectClient(u"refused"_s); // talks, but never authenticates
    QVERIFY(refused);
    VERIFY_ERROR(refused->request({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
    WsClient *alice = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(alice);

    QVERIFY(idle->waitForDisconnected(15'000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 9'000 && elapsed <= 13'000, qPrintable(u"closed after %1 ms"_s.arg(elapsed)));
    QVERIFY(refused->waitForDisconnected(5'000));
    // The authenticated connection, opened at the same time, is not closed.
    QVERIFY(alice->isConnected());
    QVERIFY(alice->sync());
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() > 12'000, 5'000);
    QVERIFY(alice->isConnected());
}

void TstWebSocket::malformedFrameIsBadRequest_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("rid"); // expected in the error; empty: none can be read

    QTest::newRow("not JSON") << u"hello"_s << QString();
    QTest::newRow("empty frame") << QString() << QString();
    QTest::newRow("truncated JSON") << uR"({"type":"rooms","rid":"r1")"_s << QString();
    QTest::newRow("array") << uR"([{"type":"rooms","rid":"r1"}])"_s << QString();
    QTest::newRow("string") << uR"("rooms")"_s << QString();
    QTest::newRow("number") << u"42"_s << QString();
    QTest::newRow("null") << u"null"_s << QString();
    QTest::newRow("missing type") << uR"({"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("type is a number") << uR"({"type":5,"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("type is null") << uR"({"type":null,"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("unknown type") << uR"({"type":"frobnicate","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("type in other case") << uR"({"type":"ROOMS","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("send without body") << uR"({"type":"send","to":"bob","cid":"c","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("send body is a number")
        << uR"({"type":"send","to":"bob","body":5,"cid":"c","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("send without cid") << uR"({"type":"send","to":"bob","body":"x","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("send without to") << uR"({"type":"send","body":"x","cid":"c","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("send to a bad name") << uR"({"type":"send","to":"b b","body":"x","cid":"c","rid":"r1"})"_s
                                        << u"r1"_s;
    QTest::newRow("send to a bad room") << uR"({"type":"send","to":"#a b","body":"x","cid":"c","rid":"r1"})"_s
                                        << u"r1"_s;
    QTest::newRow("ack ids not an array") << uR"({"type":"ack","ids":5,"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("ack id is a string") << uR"({"type":"ack","ids":["5"],"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("join without #") << uR"({"type":"join","room":"general","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("join bare #") << uR"({"type":"join","room":"#","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("join 33 chars") << uR"({"type":"join","room":"#%1","rid":"r1"})"_s.arg(QString(33, u'x')) << u"r1"_s;
    QTest::newRow("join room missing") << uR"({"type":"join","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("leave room is a number") << uR"({"type":"leave","room":7,"rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("history without with") << uR"({"type":"history","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("history before is a string")
        << uR"({"type":"history","with":"bob","before":"9","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("typing without to") << uR"({"type":"typing","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("read without upto") << uR"({"type":"read","with":"bob","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("register without password")
        << uR"({"type":"register","user":"x","device":"d","rid":"r1"})"_s << u"r1"_s;
    QTest::newRow("resume without token") << uR"({"type":"resume","device":"d","rid":"r1"})"_s << u"r1"_s;
}

void TstWebSocket::malformedFrameIsBadRequest()
{
    QFETCH(QString, frame);
    QFETCH(QString, rid);
    WsClient *c = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(c);
    QVERIFY(signIn(u"bob"_s, u"b1"_s));
    c->sendText(frame);
    TAKE(error, c, u"error"_s);
    VERIFY_ERROR(error, u"bad_request"_s, rid);
    if (rid.isEmpty())
        QVERIFY2(!error.contains("rid"_L1), qPrintable(jsonText(error)));
    // The connection stays usable and still signed in; nothing else came.
    VERIFY_QUIET(c);
    QVERIFY(c->isConnected());
    QVERIFY(c->sendMessage(u"bob"_s, u"still here"_s) > 0);
    QVERIFY(c->garbage().isEmpty());
}

void TstWebSocket::binaryFrameIsBadRequest()
{
    WsClient *c = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(c);
    c->sendBinary(R"({"type":"rooms","rid":"bin"})");
    TAKE(error, c, u"error"_s);
    VERIFY_ERROR(error, u"bad_request"_s, QString());
    VERIFY_QUIET(c);
    QVERIFY(c->isConnected());
    QCOMPARE(c->request({{"type"_L1, u"users"_s}}).value("type"_L1).toString(), u"users"_s);

    // Before authentication too: an error, and the connection stays usable.
    WsClient *anon = connectClient(u"anon"_s);
    QVERIFY(anon);
    anon->sendBinary("\x01\x02\x03");
    TAKE(anonError, anon, u"error"_s);
    QCOMPARE(anonError.value("type"_L1).toString(), u"error"_s);
    QVERIFY(!anon->registerUser(u"bob"_s, u"b1"_s).isEmpty());
}

void TstWebSocket::ridIsCopiedIntoReplies()
{
    WsClient *c = connectClient(u"alice"_s);
    QVERIFY(c);
    QVERIFY(signIn(u"bob"_s, u"b1"_s));
    const QString rid = u"Rid ünïcode ☃ 1"_s;
    auto ask = [&](QJsonObject req) {
        req.insert("rid"_L1, rid);
        return c->request(req);
    };
    VERIFY_FIELDS(
        ask({{"type"_L1, u"register"_s}, {"user"_L1, u"alice"_s}, {"password"_L1, u"pw"_s}, {"device"_L1, u"a1"_s}}),
        (QJsonObject{{"type"_L1, u"welcome"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask(sendEnvelope(u"bob"_s, u"hi"_s, u"c1"_s)),
                  (QJsonObject{{"type"_L1, u"sent"_s}, {"rid"_L1, rid}}));
    VERIFY_ERROR(ask(sendEnvelope(u"nobody"_s, u"hi"_s, u"c2"_s)), u"not_found"_s, rid);
    VERIFY_FIELDS(ask({{"type"_L1, u"join"_s}, {"room"_L1, u"#r"_s}}),
                  (QJsonObject{{"type"_L1, u"joined"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask({{"type"_L1, u"rooms"_s}}), (QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask({{"type"_L1, u"users"_s}}), (QJsonObject{{"type"_L1, u"users"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask({{"type"_L1, u"history"_s}, {"with"_L1, u"bob"_s}}),
                  (QJsonObject{{"type"_L1, u"history"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask({{"type"_L1, u"leave"_s}, {"room"_L1, u"#r"_s}}),
                  (QJsonObject{{"type"_L1, u"left"_s}, {"rid"_L1, rid}}));
    VERIFY_FIELDS(ask({{"type"_L1, u"logout"_s}}), (QJsonObject{{"type"_L1, u"logged_out"_s}, {"rid"_L1, rid}}));
    VERIFY_ERROR(ask({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, rid);
    VERIFY_FIELDS(
        ask({{"type"_L1, u"login"_s}, {"user"_L1, u"alice"_s}, {"password"_L1, u"pw"_s}, {"device"_L1, u"a1"_s}}),
        (QJsonObject{{"type"_L1, u"welcome"_s}, {"rid"_L1, rid}}));
    VERIFY_ERROR(
        ask({{"type"_L1, u"login"_s}, {"user"_L1, u"alice"_s}, {"password"_L1, u"wrong"_s}, {"device"_L1, u"a1"_s}}),
        u"auth_failed"_s, rid);

    // ack has no reply, rid or not.
    c->sendJson({{"type"_L1, u"ack"_s}, {"ids"_L1, QJsonArray{12345}}, {"rid"_L1, u"ack-rid"_s}});
    QVERIFY(c->sync());
    QCOMPARE(c->count(QString(), withRid(u"ack-rid"_s)), 0);

    // Without a rid, replies carry none.
    c->sendJson({{"type"_L1, u"users"_s}});
    TAKE(users, c, u"users"_s);
    QVERIFY2(!users.contains("rid"_L1), qPrintable(jsonText(users)));
    c->sendJson(sendEnvelope(u"bob"_s, u"no rid"_s, u"c3"_s));
    TAKE(sent, c, u"sent"_s);
    QVERIFY2(!sent.contains("rid"_L1), qPrintable(jsonText(sent)));
    c->sendJson({{"type"_L1, u"join"_s}});
    TAKE(error, c, u"error"_s);
    QVERIFY2(!error.contains("rid"_L1), qPrintable(jsonText(error)));
}

void TstWebSocket::envelopeSizeLimit_data()
{
    QTest::addColumn<int>("utf8Bytes");   // size of the whole envelope
    QTest::addColumn<QString>("padUnit"); // what an unknown "pad" field is filled with
    QTest::addColumn<bool>("tooLarge");
    QTest::newRow("64 KiB exactly") << 65536 << u"a"_s << false;
    QTest::newRow("64 KiB + 1 byte") << 65537 << u"a"_s << true;
    QTest::newRow("over 64 KiB in UTF-8, under in UTF-16 units") << 65538 << u"é"_s << true;
    QTest::newRow("500 KiB") << 500 * 1024 << u"a"_s << true;
    QTest::newRow("1 MiB - 1 KiB") << 1023 * 1024 << u"a"_s << true;
}

void TstWebSocket::envelopeSizeLimit()
{
    QFETCH(int, utf8Bytes);
    QFETCH(QString, padUnit);
    QFETCH(bool, tooLarge);
    WsClient *c = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(c);
    const QString shape = uR"({"type":"rooms","rid":"big","pad":"%1"})"_s;
    const qsizetype overhead = shape.arg(QString()).toUtf8().size();
    const qsizetype unitBytes = padUnit.toUtf8().size();
    const QString frame = shape.arg(padUnit.repeated((utf8Bytes - overhead) / unitBytes));
    const qsizetype size = frame.toUtf8().size();
    QVERIFY2(tooLarge ? size > 65536 : size <= 65536, qPrintable(QString::number(size)));
    QVERIFY(size >= utf8Bytes - 1 && size <= utf8Bytes);
    c->sendText(frame);
    TAKE(reply, c, QString(), withRid(u"big"_s));
    if (tooLarge)
        VERIFY_ERROR(reply, u"too_large"_s, u"big"_s);
    else
        QCOMPARE(reply.value("type"_L1).toString(), u"rooms"_s);
    QVERIFY(c->isConnected());
    QCOMPARE(c->request({{"type"_L1, u"users"_s}}).value("type"_L1).toString(), u"users"_s);
}

void TstWebSocket::envelopeOverOneMebibyte()
{
    // The contract allows either `too_large` or closing with 1009 here.
    WsClient *c = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(c);
    c->sendText(uR"({"type":"rooms","rid":"huge","pad":"%1"})"_s.arg(QString(2 * 1024 * 1024, u'a')));
    QVERIFY(QTest::qWaitFor([&] { return !c->isConnected() || c->count(u"error"_s) > 0; }, kTimeoutMs));
    if (c->isConnected()) {
        TAKE(error, c, u"error"_s);
        QCOMPARE(error.value("code"_L1).toString(), u"too_large"_s);
        QVERIFY(c->sync());
    } else {
        QCOMPARE(c->socket().closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Identity

void TstWebSocket::registerGivesWelcome()
{
    WsClient *c = connectClient(u"alice"_s);
    QVERIFY(c);
    const QJsonObject welcome = c->request({{"type"_L1, u"register"_s},
                                            {"user"_L1, u"alice"_s},
                                            {"password"_L1, u"secret"_s},
                                            {"device"_L1, u"d-1"_s},
                                            {"rid"_L1, u"reg"_s}});
    VERIFY_FIELDS(
        welcome,
        (QJsonObject{
            {"type"_L1, u"welcome"_s}, {"user"_L1, u"alice"_s}, {"device"_L1, u"d-1"_s}, {"rid"_L1, u"reg"_s}}));
    QVERIFY(welcome.value("token"_L1).isString());
    const QString token = welcome.value("token"_L1).toString();
    QVERIFY(token.size() >= 16);
    QVERIFY(!token.contains(u"secret"_s));
    // A second register on the same connection issues a new token for another user.
    const QString other = c->registerUser(u"bob"_s, u"d-1"_s);
    QVERIFY(!other.isEmpty());
    QVERIFY(other != token);
    QCOMPARE(c->lastReply().value("user"_L1).toString(), u"bob"_s);
}

void TstWebSocket::registerValidation_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("expected"); // welcome or an error code

    const QString ok = u"welcome"_s;
    const QString bad = u"bad_request"_s;
    QTest::newRow("plain") << u"alice"_s << u"pw"_s << u"d-1"_s << ok;
    QTest::newRow("every name char") << u"A-z_0.9"_s << u"pw"_s << u"d"_s << ok;
    QTest::newRow("32-char name") << QString(32, u'n') << u"pw"_s << u"d"_s << ok;
    QTest::newRow("64-char device") << u"alice"_s << u"pw"_s << QString(64, u'd') << ok;
    QTest::newRow("device of ! and ~") << u"alice"_s << u"pw"_s << u"!#$%&'()*+,-./:;<=>?@[]^_`{|}~"_s << ok;
    QTest::newRow("unicode password") << u"alice"_s << u"pässwörd ☃"_s << u"d"_s << ok;
    QTest::newRow("empty name") << QString() << u"pw"_s << u"d"_s << bad;
    QTest::newRow("33-char name") << QString(33, u'n') << u"pw"_s << u"d"_s << bad;
    QTest::newRow("space in name") << u"al ice"_s << u"pw"_s << u"d"_s << bad;
    QTest::newRow("# in name") << u"#alice"_s << u"pw"_s << u"d"_s << bad;
    QTest::newRow("@ in name") << u"al@ice"_s << u"pw"_s << u"d"_s << bad;
    QTest::newRow("non-ASCII name") << u"älice"_s << u"pw"_s << u"d"_s << bad;
    QTest::newRow("empty device") << u"alice"_s << u"pw"_s << QString() << bad;
    QTest::newRow("65-char device") << u"alice"_s << u"pw"_s << QString(65, u'd') << bad;
    QTest::newRow("space in device") << u"alice"_s << u"pw"_s << u"my phone"_s << bad;
    QTest::newRow("non-ASCII device") << u"alice"_s << u"pw"_s << u"téléphone"_s << bad;
    QTest::newRow("empty password") << u"alice"_s << QString() << u"d"_s << bad;
}

void TstWebSocket::registerValidation()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, device);
    QFETCH(QString, expected);
    WsClient *c = connectClient(u"c"_s);
    QVERIFY(c);
    const QJsonObject reply =
        c->request({{"type"_L1, u"register"_s}, {"user"_L1, user}, {"password"_L1, password}, {"device"_L1, device}});
    if (expected == "welcome"_L1) {
        VERIFY_FIELDS(reply, (QJsonObject{{"type"_L1, u"welcome"_s}, {"user"_L1, user}, {"device"_L1, device}}));
        // The password works for login.
        WsClient *again = connectClient(u"again"_s);
        QVERIFY(again);
        QVERIFY(!again->login(user, device, password).isEmpty());
    } else {
        VERIFY_ERROR(reply, expected, QString());
        QVERIFY(c->isConnected());
        QVERIFY(!c->registerUser(u"valid"_s, u"d"_s).isEmpty()); // still usable
    }
}

void TstWebSocket::registerDuplicateName_data()
{
    QTest::addColumn<QString>("second");
    QTest::newRow("same") << u"alice"_s;
    QTest::newRow("upper case") << u"ALICE"_s;
    QTest::newRow("mixed case") << u"aLiCe"_s;
    QTest::newRow("look-alike: capital I for l") << u"aIice"_s;
    QTest::newRow("look-alike: digit 1 for l") << u"a1ice"_s;
}

void TstWebSocket::registerDuplicateName()
{
    QFETCH(QString, second);
    QVERIFY(signIn(u"alice"_s, u"a1"_s));
    WsClient *c = connectClient(u"c"_s);
    QVERIFY(c);
    QVERIFY(c->registerUser(second, u"x1"_s, u"other password"_s).isEmpty());
    VERIFY_ERROR(c->lastReply(), u"user_exists"_s, c->lastReply().value("rid"_L1).toString());
    // The first registration is intact, and the connection is usable.
    QVERIFY(!c->login(u"alice"_s, u"a2"_s).isEmpty());
    QVERIFY(c->login(u"alice"_s, u"a3"_s, u"other password"_s).isEmpty());
}

void TstWebSocket::registerRaceHasOneWinner()
{
    WsClient *a = connectClient(u"a"_s);
    WsClient *b = connectClient(u"b"_s);
    QVERIFY(a && b);
    const QJsonObject reg{{"type"_L1, u"register"_s},
                          {"user"_L1, u"zed"_s},
                          {"password"_L1, u"pw"_s},
                          {"device"_L1, u"d"_s},
                          {"rid"_L1, u"race"_s}};
    a->sendJson(reg);
    QJsonObject regUpper = reg;
    regUpper.insert("user"_L1, u"ZED"_s);
    b->sendJson(regUpper);
    TAKE(ra, a, QString(), withRid(u"race"_s));
    TAKE(rb, b, QString(), withRid(u"race"_s));
    const QStringList types = {ra.value("type"_L1).toString(), rb.value("type"_L1).toString()};
    QCOMPARE(types.count(u"welcome"_s), 1);
    const QJsonObject loser = ra.value("type"_L1) == "error"_L1 ? ra : rb;
    VERIFY_ERROR(loser, u"user_exists"_s, u"race"_s);
}

void TstWebSocket::login_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("ok");
    QTest::newRow("right password") << u"alice"_s << u"pw-alice"_s << true;
    QTest::newRow("name in other case") << u"ALICE"_s << u"pw-alice"_s << true;
    QTest::newRow("wrong password") << u"alice"_s << u"pw-bob"_s << false;
    QTest::newRow("password in other case") << u"alice"_s << u"PW-ALICE"_s << false;
    QTest::newRow("unknown user") << u"carol"_s << u"pw-alice"_s << false;
}

void TstWebSocket::login()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(bool, ok);
    QVERIFY(signIn(u"alice"_s, u"a1"_s));
    QVERIFY(signIn(u"bob"_s, u"b1"_s));
    const QString firstToken = m_tokens.value(u"alice/a1"_s);

    WsClient *c = connectClient(u"c"_s);
    QVERIFY(c);
    const QJsonObject reply = c->request({{"type"_L1, u"login"_s},
                                          {"user"_L1, user},
                                          {"password"_L1, password},
                                          {"device"_L1, u"a1"_s},
                                          {"rid"_L1, u"in"_s}});
    if (!ok) {
        VERIFY_ERROR(reply, u"auth_failed"_s, u"in"_s);
        VERIFY_ERROR(c->request({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
        return;
    }
    QCOMPARE(reply.value("type"_L1).toString(), u"welcome"_s);
    QCOMPARE(reply.value("user"_L1).toString().toLower(), u"alice"_s);
    QCOMPARE(reply.value("device"_L1).toString(), u"a1"_s);
    const QString token = reply.value("token"_L1).toString();
    QVERIFY(!token.isEmpty());
    QVERIFY(token != firstToken); // each login issues a new token
    // Both tokens stay valid.
    WsClient *r1 = connectClient(u"r1"_s);
    QVERIFY(r1);
    QCOMPARE(r1->resume(firstToken, u"a1"_s), firstToken);
    WsClient *r2 = connectClient(u"r2"_s);
    QVERIFY(r2);
    QCOMPARE(r2->resume(token, u"a1"_s), token);
}

void TstWebSocket::resume_data()
{
    QTest::addColumn<QString>("token"); // <alice>: alice's token of device a1, <bob>: bob's of b1
    QTest::addColumn<QString>("device");
    QTest::addColumn<bool>("ok");
    QTest::newRow("own token and device") << u"<alice>"_s << u"a1"_s << true;
    QTest::newRow("other device of the same user") << u"<alice>"_s << u"a2"_s << false;
    QTest::newRow("unknown device") << u"<alice>"_s << u"zz"_s << false;
    QTest::newRow("device in other case") << u"<alice>"_s << u"A1"_s << false;
    QTest::newRow("made-up token") << u"not-a-token"_s << u"a1"_s << false;
    QTest::newRow("token with a suffix") << u"<alice>x"_s << u"a1"_s << false;
    QTest::newRow("token without its last char") << u"<alice>-"_s << u"a1"_s << false;
    QTest::newRow("bob's token on alice's device") << u"<bob>"_s << u"a1"_s << false;
}

void TstWebSocket::resume()
{
    QFETCH(QString, token);
    QFETCH(QString, device);
    QFETCH(bool, ok);
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a1"_s));
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a2"_s));
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    QString alice = m_tokens.value(u"alice/a1"_s);
    if (token.endsWith(u"-"_s)) {
        alice.chop(1);
        token.chop(1);
    }
    token.replace(u"<alice>"_s, alice);
    token.replace(u"<bob>"_s, m_tokens.value(u"bob/b1"_s));

    WsClient *c = connectClient(u"c"_s);
    QVERIFY(c);
    const QJsonObject reply =
        c->request({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, device}, {"rid"_L1, u"re"_s}});
    if (ok) {
        VERIFY_FIELDS(reply, (QJsonObject{{"type"_L1, u"welcome"_s},
                                          {"user"_L1, u"alice"_s},
                                          {"device"_L1, device},
                                          {"token"_L1, token},
                                          {"rid"_L1, u"re"_s}}));
        QCOMPARE(c->request({{"type"_L1, u"rooms"_s}}).value("type"_L1).toString(), u"rooms"_s);
    } else {
        VERIFY_ERROR(reply, u"auth_failed"_s, u"re"_s);
        VERIFY_ERROR(c->request({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
        QVERIFY(!c->resume(m_tokens.value(u"alice/a1"_s), u"a1"_s).isEmpty()); // still usable
    }
}

void TstWebSocket::tokenSurvivesRestart()
{
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a1"_s));
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b);
    const QString bobToken = m_tokens.value(u"bob/b1"_s);
    QCOMPARE(b->request({{"type"_L1, u"logout"_s}}).value("type"_L1).toString(), u"logged_out"_s);

    QVERIFY(restartServer());

    WsClient *c = connectClient(u"c"_s);
    QVERIFY(c);
    const QString token = m_tokens.value(u"alice/a1"_s);
    QCOMPARE(c->resume(token, u"a1"_s), token);
    VERIFY_FIELDS(c->lastReply(), (QJsonObject{{"user"_L1, u"alice"_s}, {"device"_L1, u"a1"_s}}));
    // The password survives too; a revoked token stays revoked.
    WsClient *d = connectClient(u"d"_s);
    QVERIFY(d);
    QVERIFY(!d->login(u"alice"_s, u"a2"_s).isEmpty());
    WsClient *e = connectClient(u"e"_s);
    QVERIFY(e);
    QVERIFY(e->resume(bobToken, u"b1"_s).isEmpty());
    VERIFY_ERROR(e->lastReply(), u"auth_failed"_s, e->lastReply().value("rid"_L1).toString());
}

void TstWebSocket::logoutEndsEverySessionOnTheToken()
{
    WsClient *c1 = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(c1);
    const QString t1 = m_tokens.value(u"alice/a1"_s);
    WsClient *c2 = connectClient(u"alice/a1 second"_s);
    QVERIFY(c2);
    QCOMPARE(c2->resume(t1, u"a1"_s), t1);
    WsClient *c3 = signIn(u"alice"_s, u"a2"_s);
    QVERIFY(c3);
    const QString t2 = m_tokens.value(u"alice/a2"_s);
    WsClient *bob = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(bob);

    VERIFY_FIELDS(c1->request({{"type"_L1, u"logout"_s}, {"rid"_L1, u"bye"_s}}),
                  (QJsonObject{{"type"_L1, u"logged_out"_s}, {"rid"_L1, u"bye"_s}}));

    // Every session on t1 must authenticate again; the WebSockets stay open.
    VERIFY_ERROR(c2->request({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
    VERIFY_ERROR(c1->request({{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
    VERIFY_ERROR(c2->request(sendEnvelope(u"bob"_s, u"x"_s, newCid())), u"auth_required"_s, QString());
    QVERIFY(c1->isConnected());
    QVERIFY(c2->isConnected());
    // The other token of the same user is untouched, and signed-out sessions get no messages.
    QCOMPARE(c3->request({{"type"_L1, u"rooms"_s}}).value("type"_L1).toString(), u"rooms"_s);
    const qint64 id = bob->sendMessage(u"alice"_s, u"after logout"_s);
    QVERIFY(id > 0);
    TAKE(onA2, c3, u"message"_s, withId(id));
    VERIFY_QUIET(c1, {u"message"_s});
    VERIFY_QUIET(c2, {u"message"_s});

    // The token no longer resumes, not even after a restart; the other one does.
    WsClient *r = connectClient(u"r"_s);
    QVERIFY(r);
    QVERIFY(r->resume(t1, u"a1"_s).isEmpty());
    VERIFY_ERROR(r->lastReply(), u"auth_failed"_s, r->lastReply().value("rid"_L1).toString());
    QCOMPARE(r->resume(t2, u"a2"_s), t2);

    // A signed-out connection can sign in again, and device a1 then gets what was queued for it.
    QVERIFY(!c2->login(u"alice"_s, u"a1"_s).isEmpty());
    TAKE(queued, c2, u"message"_s, withId(id));
    QCOMPARE(queued.value("body"_L1).toString(), u"after logout"_s);
}

// ---------------------------------------------------------------------------------------------------------
// Direct messages

void TstWebSocket::directMessage()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a1 && a2 && b1 && b2 && carol);

    const QString cid = newCid();
    QJsonObject req = sendEnvelope(u"bob"_s, u"hi"_s, cid);
    req.insert("rid"_L1, u"m-1"_s);
    req.insert("x-unknown"_L1, QJsonObject{{"ignored"_L1, true}}); // unknown fields are ignored
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-2);
    const QJsonObject sent = a1->request(req);
    QCOMPARE(sent.value("type"_L1).toString(), u"sent"_s);
    QCOMPARE(sent.value("cid"_L1).toString(), cid);
    QCOMPARE(sent.value("rid"_L1).toString(), u"m-1"_s);
    QVERIFY2(sent.value("id"_L1).isDouble() && sent.value("id"_L1).toInteger() > 0, qPrintable(jsonText(sent)));
    const QString ts = sent.value("ts"_L1).toString();
    QVERIFY2(isContractTimestamp(ts), qPrintable(ts));
    const QDateTime when = QDateTime::fromString(ts, Qt::ISODateWithMs);
    QVERIFY(when >= before && when <= QDateTime::currentDateTimeUtc().addSecs(2));

    const qint64 id = sent.value("id"_L1).toInteger();
    const QJsonObject expected{{"type"_L1, u"message"_s}, {"id"_L1, id}, {"from"_L1, u"alice"_s}, {"to"_L1, u"bob"_s},
                               {"body"_L1, u"hi"_s},      {"ts"_L1, ts}, {"cid"_L1, cid}};
    // Every device of the recipient and every other device of the sender; not the sending device.
    for (WsClient *c : {b1, b2, a2}) {
        TAKE(m, c, u"message"_s);
        VERIFY_FIELDS(m, expected);
        QVERIFY2(!m.contains("rid"_L1), qPrintable(jsonText(m)));
    }
    VERIFY_QUIET(a1, {u"message"_s});
    VERIFY_QUIET(carol, {u"message"_s});
    VERIFY_QUIET(b1, {u"message"_s});

    // Ids grow in storage order; the name is matched case-insensitively.
    const qint64 id2 = a1->sendMessage(u"BoB"_s, u"second"_s);
    QVERIFY(id2 > id);
    for (WsClient *c : {b1, b2, a2}) {
        TAKE(m2, c, u"message"_s, withId(id2));
        QCOMPARE(m2.value("from"_L1).toString(), u"alice"_s);
        QCOMPARE(m2.value("to"_L1).toString().toLower(), u"bob"_s);
    }
    // And back.
    const qint64 id3 = b2->sendMessage(u"alice"_s, u"reply"_s);
    QVERIFY(id3 > id2);
    for (WsClient *c : {a1, a2, b1}) {
        TAKE(m, c, u"message"_s, withId(id3));
        VERIFY_FIELDS(m, (QJsonObject{{"from"_L1, u"bob"_s}, {"to"_L1, u"alice"_s}, {"body"_L1, u"reply"_s}}));
    }
    VERIFY_QUIET(b2, {u"message"_s});
    QVERIFY(a1->garbage().isEmpty() && b1->garbage().isEmpty());
}

void TstWebSocket::bodyRoundTrip_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("one char") << u"x"_s;
    QTest::newRow("accents") << u"héllo wörld, ça va ?"_s;
    QTest::newRow("CJK and Hangul") << u"你好，世界 안녕하세요"_s;
    QTest::newRow("emoji") << (kEmoji + u" and 👍🏽 and 👨‍👩‍👧"_s);
    QTest::newRow("JSON specials") << uR"(quote " backslash \ slash / tab	 newline
end)"_s;
    QTest::newRow("control chars") << QString::fromUtf16(u"a\u0001b\u001fc");
    QTest::newRow("NUL inside") << QString::fromUtf16(u"a\u0000b", 3);
    QTest::newRow("8000 emoji") << kEmoji.repeated(8000);
    QTest::newRow("leading and trailing spaces") << u"  spaced  "_s;
}

void TstWebSocket::bodyRoundTrip()
{
    QFETCH(QString, body);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    const qint64 id = a->sendMessage(u"bob"_s, body);
    QVERIFY2(id > 0, qPrintable(jsonText(a->lastReply())));
    TAKE(live, b, u"message"_s, withId(id));
    QCOMPARE(live.value("body"_L1).toString(), body);
    const QJsonArray stored = history(b, u"alice"_s).value("messages"_L1).toArray();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.at(0).toObject().value("body"_L1).toString(), body);
}

void TstWebSocket::bodyLimits_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected"); // sent or an error code
    QTest::newRow("empty") << QString() << u"bad_request"_s;
    QTest::newRow("8000 ASCII") << QString(8000, u'a') << u"sent"_s;
    QTest::newRow("8001 ASCII") << QString(8001, u'a') << u"bad_request"_s;
    QTest::newRow("8000 emoji (16000 UTF-16 units)") << kEmoji.repeated(8000) << u"sent"_s;
    QTest::newRow("8001 emoji") << kEmoji.repeated(8001) << u"bad_request"_s;
    QTest::newRow("7999 ASCII + 1 emoji") << (QString(7999, u'a') + kEmoji) << u"sent"_s;
    QTest::newRow("8000 ASCII + 1 emoji") << (QString(8000, u'a') + kEmoji) << u"bad_request"_s;
    QTest::newRow("8000 three-byte chars") << QString(8000, QChar(0x20AC)) << u"sent"_s;
}

void TstWebSocket::bodyLimits()
{
    QFETCH(QString, body);
    QFETCH(QString, expected);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    const QString cid = newCid();
    const QJsonObject reply = a->request(sendEnvelope(u"bob"_s, body, cid));
    if (expected == "sent"_L1) {
        QCOMPARE(reply.value("type"_L1).toString(), u"sent"_s);
        TAKE(m, b, u"message"_s);
        QCOMPARE(m.value("body"_L1).toString(), body);
    } else {
        VERIFY_ERROR(reply, expected, reply.value("rid"_L1).toString());
        VERIFY_QUIET(b, {u"message"_s});
        QVERIFY(a->sendMessage(u"bob"_s, u"ok"_s) > 0); // still usable
    }
}

void TstWebSocket::noteToSelf()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    QVERIFY(a1 && a2);
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a3"_s));
    WsClient *bob = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(bob);

    const qint64 id = a1->sendMessage(u"alice"_s, u"note"_s);
    QVERIFY(id > 0);
    TAKE(m, a2, u"message"_s, withId(id));
    VERIFY_FIELDS(m, (QJsonObject{{"from"_L1, u"alice"_s}, {"to"_L1, u"alice"_s}, {"body"_L1, u"note"_s}}));
    VERIFY_QUIET(a1, {u"message"_s});
    VERIFY_QUIET(bob, {u"message"_s});

    // No receipts: acking on another device makes no `delivered`, reading makes no `read`.
    a2->ack({id});
    a2->sendJson({{"type"_L1, u"read"_s}, {"with"_L1, u"alice"_s}, {"upto"_L1, id}, {"rid"_L1, u"rd"_s}});
    VERIFY_QUIET(a2, {u"delivered"_s, u"read"_s, u"error"_s});
    VERIFY_QUIET(a1, {u"delivered"_s, u"read"_s});

    // The notes are a conversation of their own.
    QCOMPARE(idsOf(history(a1, u"alice"_s).value("messages"_L1).toArray()), QList<qint64>{id});

    // An offline device of the same user gets the note from its queue.
    WsClient *a3 = signIn(u"alice"_s, u"a3"_s);
    QVERIFY(a3);
    TAKE(queued, a3, u"message"_s, withId(id));
    QCOMPARE(queued.value("body"_L1).toString(), u"note"_s);
}

void TstWebSocket::sameCidIsIdempotent()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a1 && a2 && b);
    const QString cid = newCid();

    const QJsonObject first = a1->request(sendEnvelope(u"bob"_s, u"once"_s, cid));
    QCOMPARE(first.value("type"_L1).toString(), u"sent"_s);
    const qint64 id = first.value("id"_L1).toInteger();
    auto sameSent = [&](const QJsonObject &again) {
        return again.value("type"_L1) == "sent"_L1 && again.value("id"_L1) == first.value("id"_L1) &&
               again.value("cid"_L1) == first.value("cid"_L1) && again.value("ts"_L1) == first.value("ts"_L1);
    };

    // Again on the same connection, with another body, after a reconnect, and from another device.
    QVERIFY2(sameSent(a1->request(sendEnvelope(u"bob"_s, u"once"_s, cid))), qPrintable(jsonText(a1->lastReply())));
    QVERIFY2(sameSent(a1->request(sendEnvelope(u"bob"_s, u"changed"_s, cid))), qPrintable(jsonText(a1->lastReply())));
    QVERIFY(closeClient(a1));
    WsClient *a1again = connectClient(u"alice/a1 again"_s);
    QVERIFY(a1again);
    QVERIFY(!a1again->resume(m_tokens.value(u"alice/a1"_s), u"a1"_s).isEmpty());
    QVERIFY2(sameSent(a1again->request(sendEnvelope(u"bob"_s, u"once"_s, cid))),
             qPrintable(jsonText(a1again->lastReply())));
    QVERIFY2(sameSent(a2->request(sendEnvelope(u"bob"_s, u"once"_s, cid))), qPrintable(jsonText(a2->lastReply())));

    // Two copies in flight at once (they may share a commit).
    const QString cid2 = newCid();
    a2->sendJson(sendEnvelope(u"bob"_s, u"twin"_s, cid2));
    a2->sendJson(sendEnvelope(u"bob"_s, u"twin"_s, cid2));
    TAKE(s1, a2, u"sent"_s, withField(u"cid"_s, cid2));
    TAKE(s2, a2, u"sent"_s, withField(u"cid"_s, cid2));
    QCOMPARE(s1.value("id"_L1).toInteger(), s2.value("id"_L1).toInteger());

    // The recipient got each message once, and the history holds each once, with the first body.
    QVERIFY(b->sync());
    QCOMPARE(b->count(u"message"_s, withField(u"cid"_s, cid)), 1);
    QCOMPARE(b->count(u"message"_s, withField(u"cid"_s, cid2)), 1);
    VERIFY_QUIET(b, {u"error"_s});
    const QJsonArray h = history(b, u"alice"_s).value("messages"_L1).toArray();
    QCOMPARE(idsOf(h), (QList<qint64>{id, s1.value("id"_L1).toInteger()}));
    QCOMPARE(h.at(0).toObject().value("body"_L1).toString(), u"once"_s);

    // The same cid from another user is another message.
    const qint64 other = b->sendMessage(u"alice"_s, u"mine"_s, cid);
    QVERIFY(other > 0);
    QVERIFY(other != id);
}

void TstWebSocket::sendToUnknown_data()
{
    QTest::addColumn<QString>("to");
    QTest::newRow("unknown user") << u"nobody"_s;
    QTest::newRow("unknown room") << u"#nowhere"_s;
}

void TstWebSocket::sendToUnknown()
{
    QFETCH(QString, to);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a);
    QJsonObject req = sendEnvelope(to, u"hello?"_s, newCid());
    req.insert("rid"_L1, u"s"_s);
    VERIFY_ERROR(a->request(req), u"not_found"_s, u"s"_s);
    req = {{"type"_L1, u"history"_s}, {"with"_L1, to}, {"rid"_L1, u"h"_s}};
    VERIFY_ERROR(a->request(req), u"not_found"_s, u"h"_s);
    QVERIFY(a->sync());
}

void TstWebSocket::oneDeviceOnTwoConnections()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *x = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && x);
    WsClient *y = connectClient(u"bob/b1 second"_s);
    QVERIFY(y);
    QVERIFY(!y->resume(m_tokens.value(u"bob/b1"_s), u"b1"_s).isEmpty());
    WsClient *z = signIn(u"bob"_s, u"b1"_s); // a third one through login
    QVERIFY(z);

    const qint64 id = a->sendMessage(u"bob"_s, u"to every connection"_s);
    QVERIFY(id > 0);
    for (WsClient *c : {x, y, z}) {
        TAKE(m, c, u"message"_s, withId(id));
        QCOMPARE(m.value("body"_L1).toString(), u"to every connection"_s);
    }
    // Each connection is served: the second one can send as well.
    const qint64 back = y->sendMessage(u"alice"_s, u"from the second connection"_s);
    QVERIFY(back > id);
    TAKE(reply, a, u"message"_s, withId(back));
    QCOMPARE(reply.value("from"_L1).toString(), u"bob"_s);
}

// ---------------------------------------------------------------------------------------------------------
// Offline queue

void TstWebSocket::queueDeliveredAfterWelcomeUntilAcked()
{
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a);
    QList<qint64> ids;
    for (int i = 1; i <= 3; ++i) {
        ids.append(a->sendMessage(u"bob"_s, u"offline %1"_s.arg(i)));
        QVERIFY(ids.last() > 0);
    }

    // Logs in on the same device: welcome first, then the queue, oldest first.
    auto signInAndCheck = [&](const QList<qint64> &expected) -> QString {
        WsClient *b = signIn(u"bob"_s, u"b1"_s);
        if (!b)
            return u"sign-in failed"_s;
        if (!b->waitForCount(u"message"_s, expected.size()))
            return u"queue incomplete: %1"_s.arg(b->dump());
        QTest::qWait(150);
        if (!b->sync() || b->count(u"message"_s) != expected.size())
            return u"unexpected messages: %1"_s.arg(b->dump());
        const QList<QJsonObject> &all = b->history();
        if (all.isEmpty() || all.first().value("type"_L1) != "welcome"_L1)
            return u"welcome is not the first envelope"_s;
        QList<qint64> got;
        for (const QJsonObject &o : all) {
            if (o.value("type"_L1) == "message"_L1)
                got.append(o.value("id"_L1).toInteger());
        }
        if (got != expected)
            return u"got ids %1, expected %2"_s.arg(idText(got), idText(expected));
        return {};
    };
    QString problem = signInAndCheck(ids);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    WsClient *b = m_clients.back().get();
    const QJsonObject first = b->history().at(1);
    VERIFY_FIELDS(first, (QJsonObject{{"type"_L1, u"message"_s},
                                      {"id"_L1, ids.first()},
                                      {"from"_L1, u"alice"_s},
                                      {"to"_L1, u"bob"_s},
                                      {"body"_L1, u"offline 1"_s}}));
    QVERIFY(isContractTimestamp(first.value("ts"_L1).toString()));
    QVERIFY(!first.value("cid"_L1).toString().isEmpty());

    // Not acked: everything comes again at the next welcome (resume this time).
    QVERIFY(closeClient(b));
    WsClient *b2 = connectClient(u"bob/b1 resumed"_s);
    QVERIFY(b2);
    QVERIFY(!b2->resume(m_tokens.value(u"bob/b1"_s), u"b1"_s).isEmpty());
    QVERIFY(b2->waitForCount(u"message"_s, 3));
    QCOMPARE(idsOf(b2->takeAll(u"message"_s)), ids);

    // A message that arrived live and was not acked comes again as well.
    const qint64 live = a->sendMessage(u"bob"_s, u"live"_s);
    TAKE(liveMsg, b2, u"message"_s, withId(live));
    ids.append(live);

    // Acked ones do not come again.
    b2->ack({ids.at(0), ids.at(1)});
    QVERIFY(b2->sync());
    QVERIFY(closeClient(b2));
    problem = signInAndCheck({ids.at(2), ids.at(3)});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    WsClient *b3 = m_clients.back().get();
    b3->ack({ids.at(2), ids.at(3)});
    QVERIFY(b3->sync());
    QVERIFY(closeClient(b3));
    problem = signInAndCheck({});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TstWebSocket::queueComesBeforeLiveMessages()
{
    // More than one page of queue (if the server pages it), with new messages arriving during the catch-up.
    constexpr int kQueued = 600;
    constexpr int kLive = 40;
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a);
    for (int i = 0; i < kQueued; ++i)
        a->sendJson(sendEnvelope(u"bob"_s, u"queued %1"_s.arg(i), newCid()));
    QVERIFY(a->waitForCount(u"sent"_s, kQueued, {}, 30'000));
    QCOMPARE(a->count(u"error"_s), 0);
    a->takeAll(u"sent"_s);

    WsClient *b = connectClient(u"bob/b1"_s);
    QVERIFY(b);
    b->sendJson({{"type"_L1, u"resume"_s}, {"token"_L1, m_tokens.value(u"bob/b1"_s)}, {"device"_L1, u"b1"_s}});
    for (int i = 0; i < kLive; ++i)
        a->sendJson(sendEnvelope(u"bob"_s, u"live %1"_s.arg(i), newCid()));
    QVERIFY(a->waitForCount(u"sent"_s, kLive, {}, 30'000));
    QVERIFY(b->waitForCount(u"message"_s, kQueued + kLive, {}, 30'000));
    QVERIFY(b->sync());

    QCOMPARE(b->history().first().value("type"_L1).toString(), u"welcome"_s);
    QList<qint64> ids = idsOf(b->takeAll(u"message"_s));
    QSet<qint64> seen;
    QList<qint64> firstSeen;
    for (qint64 id : std::as_const(ids)) {
        if (!seen.contains(id))
            firstSeen.append(id);
        seen.insert(id);
    }
    if (firstSeen.size() != ids.size())
        qInfo() << ids.size() - firstSeen.size() << "duplicate deliveries (allowed: at-least-once)";
    QCOMPARE(firstSeen.size(), kQueued + kLive);
    QVERIFY2(std::is_sorted(firstSeen.cbegin(), firstSeen.cend()), "messages did not arrive oldest first");
}

void TstWebSocket::neverSeenDeviceHasNoQueue()
{
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a);
    const qint64 id = a->sendMessage(u"bob"_s, u"while you were away"_s);
    QVERIFY(id > 0);

    WsClient *fresh = signIn(u"bob"_s, u"b-new"_s);
    QVERIFY(fresh);
    VERIFY_QUIET(fresh, {u"message"_s});
    // It catches up through history.
    QCOMPARE(idsOf(history(fresh, u"alice"_s).value("messages"_L1).toArray()), QList<qint64>{id});
    // The known device does get it.
    WsClient *known = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(known);
    TAKE(m, known, u"message"_s, withId(id));
}

void TstWebSocket::queueSurvivesRestart()
{
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    QVERIFY(a && b2);
    QList<qint64> ids;
    for (int i = 1; i <= 3; ++i)
        ids.append(a->sendMessage(u"bob"_s, u"before restart %1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    // b2 received them live but does not ack.
    QVERIFY(b2->waitForCount(u"message"_s, 3));

    QVERIFY(restartServer());

    for (const QString &device : {u"b1"_s, u"b2"_s}) {
        WsClient *b = signIn(u"bob"_s, device);
        QVERIFY(b);
        QVERIFY(b->waitForCount(u"message"_s, 3));
        QVERIFY(b->sync());
        QCOMPARE(idsOf(b->takeAll(u"message"_s)), ids);
    }
    // Ids keep growing after the restart.
    WsClient *a2 = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a2);
    QVERIFY(a2->sendMessage(u"bob"_s, u"after restart"_s) > ids.last());
}

// ---------------------------------------------------------------------------------------------------------
// Receipts and history

void TstWebSocket::deliveredReceipt()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    QVERIFY(a1 && a2 && b1 && b2);
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a3"_s));
    const qint64 id = a1->sendMessage(u"bob"_s, u"did you get this?"_s);
    QVERIFY(id > 0);
    TAKE(m1, b1, u"message"_s, withId(id));
    TAKE(m2, b2, u"message"_s, withId(id));
    TAKE(m3, a2, u"message"_s, withId(id));

    // The sender's own other device acking makes no receipt.
    a2->ack({id});
    VERIFY_QUIET(a1, {u"delivered"_s});
    VERIFY_QUIET(a2, {u"delivered"_s});

    // The recipient's first ack reaches every device of the sender.
    b1->ack({id});
    const QJsonObject receipt{{"type"_L1, u"delivered"_s}, {"id"_L1, id}, {"by"_L1, u"bob"_s}};
    for (WsClient *c : {a1, a2}) {
        TAKE(d, c, u"delivered"_s);
        VERIFY_FIELDS(d, receipt);
    }
    // The second device's ack makes no second receipt; acking again or unknown ids neither.
    b2->ack({id});
    b1->ack({id, id + 1000});
    VERIFY_QUIET(a1, {u"delivered"_s});
    VERIFY_QUIET(a2, {u"delivered"_s});
    VERIFY_QUIET(b1, {u"error"_s});
    // Receipts are live only: the sender's device that was offline gets the message, not the receipt.
    WsClient *a3 = signIn(u"alice"_s, u"a3"_s);
    QVERIFY(a3);
    TAKE(copy, a3, u"message"_s, withId(id));
    VERIFY_QUIET(a3, {u"delivered"_s});
}

void TstWebSocket::readReceipt()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a1 && a2 && b1 && b2 && carol);
    const qint64 m1 = b1->sendMessage(u"alice"_s, u"one"_s);
    const qint64 m2 = b1->sendMessage(u"alice"_s, u"two"_s);
    const qint64 other = carol->sendMessage(u"alice"_s, u"another conversation"_s); // a later id elsewhere
    QVERIFY(m1 > 0 && m2 > m1 && other > m2);
    for (WsClient *c : {a1, a2, b1, b2, carol})
        settle(c);

    // Alice has read up to m1: bob's devices hear it; no reply to alice.
    a1->sendJson({{"type"_L1, u"read"_s}, {"with"_L1, u"bob"_s}, {"upto"_L1, m1}, {"rid"_L1, u"rd"_s}});
    for (WsClient *c : {b1, b2}) {
        TAKE(r, c, u"read"_s);
        VERIFY_FIELDS(
            r, (QJsonObject{{"type"_L1, u"read"_s}, {"by"_L1, u"alice"_s}, {"with"_L1, u"alice"_s}, {"upto"_L1, m1}}));
        QVERIFY(!r.contains("rid"_L1));
    }
    VERIFY_QUIET(a1); // nothing at all, not even an envelope with the rid
    VERIFY_QUIET(carol, {u"read"_s});

    // upto past the end is capped at the conversation's last message (not another conversation's).
    a2->sendJson({{"type"_L1, u"read"_s}, {"with"_L1, u"BOB"_s}, {"upto"_L1, other + 1000}});
    TAKE(capped, b1, u"read"_s);
    QCOMPARE(capped.value("upto"_L1).toInteger(), m2);
    QCOMPARE(capped.value("by"_L1).toString(), u"alice"_s);
}

void TstWebSocket::historyStates()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    QList<qint64> ids;
    for (int i = 1; i <= 3; ++i)
        ids.append(a->sendMessage(u"bob"_s, u"m%1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    QVERIFY(b->waitForCount(u"message"_s, 3));
    QCOMPARE(idsOf(history(a, u"bob"_s).value("messages"_L1).toArray()), ids);

    b->ack({ids.at(0), ids.at(1)});
    b->sendJson({{"type"_L1, u"read"_s}, {"with"_L1, u"alice"_s}, {"upto"_L1, ids.at(0)}});
    QVERIFY(a->waitForCount(u"delivered"_s, 2));
    TAKE(readEvent, a, u"read"_s);
    const qint64 reply = b->sendMessage(u"alice"_s, u"bob's own"_s);
    QVERIFY(reply > 0);

    const QJsonObject h = history(a, u"bob"_s);
    QCOMPARE(h.value("type"_L1).toString(), u"history"_s);
    QCOMPARE(h.value("with"_L1).toString(), u"bob"_s);
    const QJsonArray messages = h.value("messages"_L1).toArray();
    QCOMPARE(messages.size(), 4);
    const QStringList expectedStates = {u"read"_s, u"delivered"_s, u"sent"_s};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject m = messages.at(i).toObject();
        VERIFY_FIELDS(m, (QJsonObject{{"id"_L1, ids.at(i)},
                                      {"from"_L1, u"alice"_s},
                                      {"to"_L1, u"bob"_s},
                                      {"body"_L1, u"m%1"_s.arg(i + 1)},
                                      {"state"_L1, expectedStates.at(i)}}));
        QVERIFY(isContractTimestamp(m.value("ts"_L1).toString()));
        QVERIFY(!m.value("cid"_L1).toString().isEmpty());
    }
    QCOMPARE(messages.at(3).toObject().value("id"_L1).toInteger(), reply);

    // The state is in the database: it holds for a device that was offline, and after a restart.
    QVERIFY(restartServer());
    WsClient *later = signIn(u"alice"_s, u"a2"_s);
    QVERIFY(later);
    const QJsonArray again = history(later, u"bob"_s).value("messages"_L1).toArray();
    QCOMPARE(again.size(), 4);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(again.at(i).toObject().value("state"_L1).toString(), expectedStates.at(i));
    // From bob's side, his own message is "sent" (alice never acked it).
    WsClient *b2 = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b2);
    const QJsonArray bobs = history(b2, u"alice"_s).value("messages"_L1).toArray();
    QCOMPARE(bobs.size(), 4);
    QCOMPARE(bobs.at(3).toObject().value("state"_L1).toString(), u"sent"_s);
}

void TstWebSocket::historyPaging()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *c = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a && b && c);
    QList<qint64> ids;
    for (int i = 0; i < 7; ++i) {
        WsClient *from = i % 2 ? b : a;
        ids.append(from->sendMessage(from == a ? u"bob"_s : u"alice"_s, u"p%1"_s.arg(i)));
        QVERIFY(c->sendMessage(u"alice"_s, u"noise %1"_s.arg(i)) > 0); // another conversation in between
    }
    QVERIFY(!ids.contains(0));

    // Newest page first, each page oldest first.
    QCOMPARE(idsOf(history(a, u"bob"_s).value("messages"_L1).toArray()), ids);
    QCOMPARE(idsOf(history(a, u"bob"_s, 0, 3).value("messages"_L1).toArray()), ids.mid(4, 3));
    QCOMPARE(idsOf(history(a, u"bob"_s, ids.at(4), 3).value("messages"_L1).toArray()), ids.mid(1, 3));
    QCOMPARE(idsOf(history(a, u"bob"_s, ids.at(1), 3).value("messages"_L1).toArray()), ids.mid(0, 1));
    QCOMPARE(idsOf(history(a, u"bob"_s, ids.at(0), 3).value("messages"_L1).toArray()), QList<qint64>{});
    // before need not be an id of this conversation.
    QCOMPARE(idsOf(history(a, u"bob"_s, ids.at(3) + 1, 2).value("messages"_L1).toArray()), ids.mid(2, 2));
    // The other side sees the same conversation; a stranger's conversation is apart.
    const QJsonObject fromBob = history(b, u"ALICE"_s);
    QCOMPARE(fromBob.value("with"_L1).toString().toLower(), u"alice"_s);
    QCOMPARE(idsOf(fromBob.value("messages"_L1).toArray()), ids);
    QCOMPARE(history(c, u"bob"_s).value("messages"_L1).toArray().size(), 0);
}

void TstWebSocket::historyLimit_data()
{
    QTest::addColumn<QJsonValue>("limit");
    QTest::addColumn<int>("expected"); // messages returned, or -1 for bad_request
    QTest::newRow("absent: default 50") << QJsonValue(QJsonValue::Undefined) << 50;
    QTest::newRow("1") << QJsonValue(1) << 1;
    QTest::newRow("200") << QJsonValue(200) << 200;
    QTest::newRow("199") << QJsonValue(199) << 199;
    QTest::newRow("0") << QJsonValue(0) << -1;
    QTest::newRow("201") << QJsonValue(201) << -1;
    QTest::newRow("-5") << QJsonValue(-5) << -1;
    QTest::newRow("2.5") << QJsonValue(2.5) << -1;
    QTest::newRow("string") << QJsonValue(u"10"_s) << -1;
}

void TstWebSocket::historyLimit()
{
    QFETCH(QJsonValue, limit);
    QFETCH(int, expected);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    constexpr int kMessages = 230;
    for (int i = 0; i < kMessages; ++i)
        a->sendJson(sendEnvelope(u"bob"_s, u"n%1"_s.arg(i), newCid()));
    QVERIFY(a->waitForCount(u"sent"_s, kMessages, {}, 30'000));
    QList<qint64> ids = idsOf(a->takeAll(u"sent"_s));
    std::sort(ids.begin(), ids.end());

    QJsonObject req{{"type"_L1, u"history"_s}, {"with"_L1, u"bob"_s}, {"rid"_L1, u"h"_s}};
    if (!limit.isUndefined())
        req.insert("limit"_L1, limit);
    const QJsonObject reply = a->request(req);
    if (expected < 0) {
        VERIFY_ERROR(reply, u"bad_request"_s, u"h"_s);
        return;
    }
    QCOMPARE(reply.value("type"_L1).toString(), u"history"_s);
    QCOMPARE(idsOf(reply.value("messages"_L1).toArray()), ids.mid(kMessages - expected));
}

// ---------------------------------------------------------------------------------------------------------
// Rooms

void TstWebSocket::joinAndMemberEvents()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a1 && a2 && b1 && b2 && carol);

    // Joining creates the room.
    VERIFY_FIELDS(a1->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#general"_s}, {"rid"_L1, u"j"_s}}),
                  (QJsonObject{{"type"_L1, u"joined"_s},
                               {"room"_L1, u"#general"_s},
                               {"members"_L1, QJsonArray{u"alice"_s}},
                               {"rid"_L1, u"j"_s}}));
    TAKE(own, a2, u"member"_s);
    VERIFY_FIELDS(
        own, (QJsonObject{
                 {"type"_L1, u"member"_s}, {"room"_L1, u"#general"_s}, {"user"_L1, u"alice"_s}, {"joined"_L1, true}}));

    const QJsonObject joined = b1->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#general"_s}});
    QCOMPARE(joined.value("type"_L1).toString(), u"joined"_s);
    QCOMPARE(joined.value("room"_L1).toString(), u"#general"_s);
    QStringList members;
    for (const QJsonValue &v : joined.value("members"_L1).toArray())
        members.append(v.toString());
    members.sort();
    QCOMPARE(members, (QStringList{u"alice"_s, u"bob"_s}));
    const QJsonObject bobJoined{
        {"type"_L1, u"member"_s}, {"room"_L1, u"#general"_s}, {"user"_L1, u"bob"_s}, {"joined"_L1, true}};
    for (WsClient *c : {a1, a2, b2}) {
        TAKE(ev, c, u"member"_s);
        VERIFY_FIELDS(ev, bobJoined);
    }
    VERIFY_QUIET(carol, {u"member"_s});

    // Joining again is harmless.
    QCOMPARE(a1->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#general"_s}}).value("type"_L1).toString(),
             u"joined"_s);
    VERIFY_QUIET(carol, {u"member"_s});
}

void TstWebSocket::leaveAndMemberEvents()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a && b1 && b2 && carol);
    QVERIFY(knownOfflineDevice(u"alice"_s, u"a2"_s));
    QVERIFY(join(a, u"#general"_s));
    QVERIFY(join(b1, u"#general"_s));
    QVERIFY(a->waitForCount(u"member"_s, 1));
    QVERIFY(b2->waitForCount(u"member"_s, 1));
    a->clearInbox();
    b2->clearInbox();

    VERIFY_FIELDS(b1->request({{"type"_L1, u"leave"_s}, {"room"_L1, u"#general"_s}, {"rid"_L1, u"l"_s}}),
                  (QJsonObject{{"type"_L1, u"left"_s}, {"room"_L1, u"#general"_s}, {"rid"_L1, u"l"_s}}));
    const QJsonObject bobLeft{
        {"type"_L1, u"member"_s}, {"room"_L1, u"#general"_s}, {"user"_L1, u"bob"_s}, {"joined"_L1, false}};
    for (WsClient *c : {a, b2}) {
        TAKE(ev, c, u"member"_s);
        VERIFY_FIELDS(ev, bobLeft);
    }
    VERIFY_QUIET(carol, {u"member"_s});
    const QJsonArray rooms = a->request({{"type"_L1, u"rooms"_s}}).value("rooms"_L1).toArray();
    QCOMPARE(rooms.size(), 1);
    VERIFY_FIELDS(rooms.at(0).toObject(), (QJsonObject{{"room"_L1, u"#general"_s}, {"members"_L1, 1}}));

    // A former member is no longer allowed in.
    VERIFY_ERROR(b1->request(sendEnvelope(u"#general"_s, u"still here?"_s, newCid())), u"forbidden"_s, QString());
    VERIFY_ERROR(history(b2, u"#general"_s), u"forbidden"_s, QString());
    // And gets nothing more from the room.
    QVERIFY(a->sendMessage(u"#general"_s, u"bob is gone"_s) > 0);
    VERIFY_QUIET(b1, {u"message"_s});
    VERIFY_QUIET(b2, {u"message"_s});
    // Member events are live only: alice's device that was offline gets none later.
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    QVERIFY(a2);
    VERIFY_QUIET(a2, {u"member"_s});
}

void TstWebSocket::roomsListsEveryRoom()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *c = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a && b && c);
    const QJsonObject none = a->request({{"type"_L1, u"rooms"_s}});
    QCOMPARE(none.value("type"_L1).toString(), u"rooms"_s);
    QVERIFY(none.value("rooms"_L1).isArray());
    QCOMPARE(none.value("rooms"_L1).toArray().size(), 0);
    QVERIFY(join(a, u"#general"_s));
    QVERIFY(join(b, u"#general"_s));
    QVERIFY(join(c, u"#general"_s));
    QVERIFY(join(b, u"#random"_s));
    QVERIFY(join(c, u"#dev"_s));
    QVERIFY(join(c, u"#random"_s));

    // Every room on the server, also those the asker is not in.
    const QJsonArray rooms = a->request({{"type"_L1, u"rooms"_s}}).value("rooms"_L1).toArray();
    QHash<QString, int> counts;
    for (const QJsonValue &v : rooms)
        counts.insert(v.toObject().value("room"_L1).toString(), v.toObject().value("members"_L1).toInt(-1));
    QCOMPARE(rooms.size(), 3);
    QCOMPARE(counts, (QHash<QString, int>{{u"#general"_s, 3}, {u"#random"_s, 2}, {u"#dev"_s, 1}}));

    // Rooms and memberships survive a restart.
    QVERIFY(restartServer());
    WsClient *again = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(again);
    const QJsonArray after = again->request({{"type"_L1, u"rooms"_s}}).value("rooms"_L1).toArray();
    QCOMPARE(after.size(), 3);
    QVERIFY(again->sendMessage(u"#general"_s, u"still a member"_s) > 0);
}

void TstWebSocket::roomMessage()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a1 && a2 && b && carol);
    QVERIFY(join(a1, u"#general"_s));
    QVERIFY(join(b, u"#general"_s));

    const QString cid = newCid();
    const QJsonObject sent = a1->request(sendEnvelope(u"#general"_s, u"hello room"_s, cid));
    QCOMPARE(sent.value("type"_L1).toString(), u"sent"_s);
    const QJsonObject expected{
        {"type"_L1, u"message"_s},    {"id"_L1, sent.value("id"_L1)}, {"from"_L1, u"alice"_s}, {"to"_L1, u"#general"_s},
        {"body"_L1, u"hello room"_s}, {"ts"_L1, sent.value("ts"_L1)}, {"cid"_L1, cid}};
    for (WsClient *c : {b, a2}) {
        TAKE(m, c, u"message"_s);
        VERIFY_FIELDS(m, expected);
    }
    VERIFY_QUIET(a1, {u"message"_s});
    VERIFY_QUIET(carol, {u"message"_s});

    // Room messages make no delivered receipts.
    b->ack({sent.value("id"_L1).toInteger()});
    VERIFY_QUIET(a1, {u"delivered"_s});
    // The room's history, for members.
    const QJsonObject h = history(b, u"#general"_s);
    QCOMPARE(h.value("with"_L1).toString(), u"#general"_s);
    QCOMPARE(idsOf(h.value("messages"_L1).toArray()), QList<qint64>{sent.value("id"_L1).toInteger()});
}

void TstWebSocket::nonMemberIsForbidden_data()
{
    QTest::addColumn<QJsonObject>("request");
    QTest::newRow("send") << sendEnvelope(u"#general"_s, u"let me in"_s, u"c-x"_s);
    QTest::newRow("history") << QJsonObject{{"type"_L1, u"history"_s}, {"with"_L1, u"#general"_s}};
}

void TstWebSocket::nonMemberIsForbidden()
{
    QFETCH(QJsonObject, request);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a && carol);
    QVERIFY(join(a, u"#general"_s));
    QVERIFY(a->sendMessage(u"#general"_s, u"members only"_s) > 0);
    request.insert("rid"_L1, u"nm"_s);
    VERIFY_ERROR(carol->request(request), u"forbidden"_s, u"nm"_s);
    VERIFY_QUIET(a, {u"message"_s});
    VERIFY_QUIET(carol, {u"message"_s, u"history"_s});
}

void TstWebSocket::roomRecipientsAreMembersAtStoreTime()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *dave = signIn(u"dave"_s, u"d1"_s);
    QVERIFY(a && b && dave);
    QVERIFY(knownOfflineDevice(u"erin"_s, u"e1"_s));
    QVERIFY(join(a, u"#general"_s));
    QVERIFY(join(b, u"#general"_s));
    QVERIFY(join(dave, u"#general"_s));
    QVERIFY(closeClient(dave)); // an offline member with a known device

    const qint64 m1 = a->sendMessage(u"#general"_s, u"m1"_s);
    QVERIFY(m1 > 0);
    TAKE(bm1, b, u"message"_s, withId(m1));

    // erin joins afterwards: m1 is not queued for her, but history shows it.
    WsClient *erin = signIn(u"erin"_s, u"e1"_s);
    QVERIFY(erin);
    QVERIFY(join(erin, u"#general"_s));
    VERIFY_QUIET(erin, {u"message"_s});
    QVERIFY(closeClient(erin));
    WsClient *erin2 = signIn(u"erin"_s, u"e1"_s);
    QVERIFY(erin2);
    VERIFY_QUIET(erin2, {u"message"_s});
    QCOMPARE(idsOf(history(erin2, u"#general"_s).value("messages"_L1).toArray()), QList<qint64>{m1});

    // The offline member gets it from the queue.
    WsClient *dave2 = signIn(u"dave"_s, u"d1"_s);
    QVERIFY(dave2);
    TAKE(dm1, dave2, u"message"_s, withId(m1));
    QCOMPARE(dm1.value("to"_L1).toString(), u"#general"_s);

    // bob leaves: a later message reaches neither his connection nor his queue.
    b->ack({m1});
    QCOMPARE(b->request({{"type"_L1, u"leave"_s}, {"room"_L1, u"#general"_s}}).value("type"_L1).toString(), u"left"_s);
    const qint64 m2 = a->sendMessage(u"#general"_s, u"m2"_s);
    QVERIFY(m2 > m1);
    TAKE(em2, erin2, u"message"_s, withId(m2));
    VERIFY_QUIET(b, {u"message"_s});
    QVERIFY(closeClient(b));
    WsClient *b2 = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b2);
    VERIFY_QUIET(b2, {u"message"_s});
}

void TstWebSocket::pipelinedRoomRequestsApplyInOrder_data()
{
    // Requests sent back to back on one connection, without waiting for replies, and the reply each must get:
    // the server applies a connection's requests in the order it sent them.
    QTest::addColumn<QStringList>("steps"); // join, leave, send, history
    QTest::addColumn<QStringList>("replies");
    QTest::newRow("join, send") << QStringList{u"join"_s, u"send"_s} << QStringList{u"joined"_s, u"sent"_s};
    QTest::newRow("join, history") << QStringList{u"join"_s, u"history"_s} << QStringList{u"joined"_s, u"history"_s};
    QTest::newRow("leave, send") << QStringList{u"leave"_s, u"send"_s} << QStringList{u"left"_s, u"forbidden"_s};
    QTest::newRow("leave, history") << QStringList{u"leave"_s, u"history"_s} << QStringList{u"left"_s, u"forbidden"_s};
    QTest::newRow("leave, join, send") << QStringList{u"leave"_s, u"join"_s, u"send"_s}
                                       << QStringList{u"left"_s, u"joined"_s, u"sent"_s};
}

void TstWebSocket::pipelinedRoomRequestsApplyInOrder()
{
    QFETCH(QStringList, steps);
    QFETCH(QStringList, replies);
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    QVERIFY(join(a, u"#general"_s));
    if (steps.first() == "leave"_L1)
        QVERIFY(join(b, u"#general"_s));

    for (int i = 0; i < steps.size(); ++i) {
        const QString &step = steps.at(i);
        QJsonObject req;
        if (step == "join"_L1 || step == "leave"_L1)
            req = {{"type"_L1, step}, {"room"_L1, u"#general"_s}};
        else if (step == "send"_L1)
            req = sendEnvelope(u"#general"_s, u"right after %1"_s.arg(steps.at(i - 1)), newCid());
        else
            req = {{"type"_L1, u"history"_s}, {"with"_L1, u"#general"_s}};
        req.insert("rid"_L1, u"step-%1"_s.arg(i));
        b->sendJson(req);
    }
    for (int i = 0; i < steps.size(); ++i) {
        TAKE(reply, b, QString(), withRid(u"step-%1"_s.arg(i)));
        const QString got = reply.value("type"_L1) == "error"_L1 ? reply.value("code"_L1).toString()
                                                                 : reply.value("type"_L1).toString();
        QVERIFY2(
            got == replies.at(i),
            qPrintable(
                u"%1 (step %2) got %3, expected %4"_s.arg(steps.at(i)).arg(i).arg(jsonText(reply), replies.at(i))));
    }
    // The end state is what the last join/leave said: a member after `joined`, none after `left`.
    const bool member = steps.lastIndexOf(u"join"_s) > steps.lastIndexOf(u"leave"_s);
    const QJsonObject after = history(b, u"#general"_s);
    QVERIFY2(
        member ? after.value("type"_L1) == "history"_L1 : after.value("code"_L1) == "forbidden"_L1,
        qPrintable(u"%1 after the sequence: %2"_s.arg(member ? u"a member"_s : u"not a member"_s, jsonText(after))));
    // A message bob could not send did not reach alice.
    if (replies.last() == "forbidden"_L1)
        VERIFY_QUIET(a, {u"message"_s});
}

void TstWebSocket::pipelinedLogoutEndsTheSession()
{
    // logout, then a send right behind it on the same connection: the send comes after the session ended.
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(a && b);
    a->sendJson({{"type"_L1, u"logout"_s}, {"rid"_L1, u"out"_s}});
    QJsonObject send = sendEnvelope(u"bob"_s, u"after logout"_s, newCid());
    send.insert("rid"_L1, u"late"_s);
    a->sendJson(send);
    TAKE(out, a, QString(), withRid(u"out"_s));
    QCOMPARE(out.value("type"_L1).toString(), u"logged_out"_s);
    TAKE(late, a, QString(), withRid(u"late"_s));
    VERIFY_ERROR(late, u"auth_required"_s, u"late"_s);
    VERIFY_QUIET(b, {u"message"_s});
}

// ---------------------------------------------------------------------------------------------------------
// Users, presence, typing

void TstWebSocket::usersListsEveryUser()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *c = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(a && b && c);
    QVERIFY(knownOfflineDevice(u"dave"_s, u"d1"_s));
    // carol watches presence; wait until she has seen bob go offline.
    QCOMPARE(c->request({{"type"_L1, u"users"_s}}).value("type"_L1).toString(), u"users"_s);
    QVERIFY(closeClient(b));
    TAKE(gone, c, u"presence"_s, withField(u"user"_s, u"bob"_s));

    const QJsonObject reply = a->request({{"type"_L1, u"users"_s}, {"rid"_L1, u"u"_s}});
    QCOMPARE(reply.value("type"_L1).toString(), u"users"_s);
    QCOMPARE(reply.value("rid"_L1).toString(), u"u"_s);
    QHash<QString, bool> online;
    for (const QJsonValue &v : reply.value("users"_L1).toArray()) {
        const QJsonObject u = v.toObject();
        QVERIFY2(u.value("online"_L1).isBool(), qPrintable(jsonText(u)));
        online.insert(u.value("user"_L1).toString(), u.value("online"_L1).toBool());
    }
    QCOMPARE(reply.value("users"_L1).toArray().size(), 4);
    QCOMPARE(online,
             (QHash<QString, bool>{{u"alice"_s, true}, {u"bob"_s, false}, {u"carol"_s, true}, {u"dave"_s, false}}));
}

void TstWebSocket::presenceReachesWatchers()
{
    WsClient *watcher = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(watcher);
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    QCOMPARE(watcher->request({{"type"_L1, u"users"_s}}).value("type"_L1).toString(), u"users"_s);

    const QJsonObject online{{"type"_L1, u"presence"_s}, {"user"_L1, u"bob"_s}, {"online"_L1, true}};
    const QJsonObject offline{{"type"_L1, u"presence"_s}, {"user"_L1, u"bob"_s}, {"online"_L1, false}};
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b1);
    TAKE(p1, watcher, u"presence"_s);
    VERIFY_FIELDS(p1, online);
    // A second device changes nothing; presence goes off with the last one.
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    QVERIFY(b2);
    VERIFY_QUIET(watcher, {u"presence"_s});
    QVERIFY(closeClient(b1));
    VERIFY_QUIET(watcher, {u"presence"_s});
    QVERIFY(closeClient(b2));
    TAKE(p2, watcher, u"presence"_s);
    VERIFY_FIELDS(p2, offline);
    // A user who registers comes online too.
    WsClient *newcomer = signIn(u"zoe"_s, u"z1"_s);
    QVERIFY(newcomer);
    TAKE(p3, watcher, u"presence"_s);
    VERIFY_FIELDS(p3, (QJsonObject{{"type"_L1, u"presence"_s}, {"user"_L1, u"zoe"_s}, {"online"_L1, true}}));
}

void TstWebSocket::presenceReachesContactsAndRoomMates()
{
    WsClient *a = signIn(u"alice"_s, u"a1"_s);
    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    WsClient *d = signIn(u"dave"_s, u"d1"_s);
    QVERIFY(a && b && d);
    // alice and bob share a direct conversation; alice and dave share a room.
    const qint64 id = a->sendMessage(u"bob"_s, u"hi"_s);
    QVERIFY(id > 0);
    QVERIFY(join(a, u"#r"_s));
    QVERIFY(join(d, u"#r"_s));
    QVERIFY(a->sync());
    a->clearInbox();

    QVERIFY(closeClient(b));
    TAKE(bobOff, a, u"presence"_s, withField(u"user"_s, u"bob"_s));
    QCOMPARE(bobOff.value("online"_L1), QJsonValue(false));
    WsClient *b2 = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b2);
    TAKE(bobOn, a, u"presence"_s, withField(u"user"_s, u"bob"_s));
    QCOMPARE(bobOn.value("online"_L1), QJsonValue(true));

    QVERIFY(closeClient(d));
    TAKE(daveOff, a, u"presence"_s, withField(u"user"_s, u"dave"_s));
    QCOMPARE(daveOff.value("online"_L1), QJsonValue(false));
    // The other way round: bob (contact) hears about alice, and after a restart too.
    QVERIFY(closeClient(a));
    TAKE(aliceOff, b2, u"presence"_s, withField(u"user"_s, u"alice"_s));
    QCOMPARE(aliceOff.value("online"_L1), QJsonValue(false));

    QVERIFY(restartServer());
    WsClient *b3 = signIn(u"bob"_s, u"b1"_s);
    WsClient *d2 = signIn(u"dave"_s, u"d1"_s);
    QVERIFY(b3 && d2);
    WsClient *a2 = signIn(u"alice"_s, u"a1"_s);
    QVERIFY(a2);
    TAKE(toBob, b3, u"presence"_s, withField(u"user"_s, u"alice"_s));
    QCOMPARE(toBob.value("online"_L1), QJsonValue(true));
    TAKE(toDave, d2, u"presence"_s, withField(u"user"_s, u"alice"_s));
    QCOMPARE(toDave.value("online"_L1), QJsonValue(true));
}

void TstWebSocket::presenceDoesNotReachStrangers()
{
    WsClient *erin = signIn(u"erin"_s, u"e1"_s); // shares nothing with bob, never asks for users
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(erin && carol);
    QVERIFY(knownOfflineDevice(u"bob"_s, u"b1"_s));
    // carol asks for users on one connection only: the watch lasts for that connection.
    QCOMPARE(carol->request({{"type"_L1, u"users"_s}}).value("type"_L1).toString(), u"users"_s);
    QVERIFY(closeClient(carol));
    WsClient *carol2 = signIn(u"carol"_s, u"c1"_s);
    QVERIFY(carol2);

    WsClient *b = signIn(u"bob"_s, u"b1"_s);
    QVERIFY(b);
    QVERIFY(closeClient(b));
    VERIFY_QUIET(erin, {u"presence"_s});
    VERIFY_QUIET(carol2, {u"presence"_s});
}

void TstWebSocket::typing()
{
    WsClient *a1 = signIn(u"alice"_s, u"a1"_s);
    WsClient *a2 = signIn(u"alice"_s, u"a2"_s);
    WsClient *b1 = signIn(u"bob"_s, u"b1"_s);
    WsClient *b2 = signIn(u"bob"_s, u"b2"_s);
    WsClient *carol = signIn(u"carol"_s, u"c1"_s);
    WsClient *erin = signIn(u"erin"_s, u"e1"_s);
    QVERIFY(a1 && a2 && b1 && b2 && carol && erin);

    // To a user: every device of the recipient; nothing answers the typist.
    a1->sendJson({{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}, {"rid"_L1, u"t1"_s}});
    const QJsonObject toBob{{"type"_L1, u"typing"_s}, {"from"_L1, u"alice"_s}, {"to"_L1, u"bob"_s}};
    for (WsClient *c : {b1, b2}) {
        TAKE(t, c, u"typing"_s);
        VERIFY_FIELDS(t, toBob);
        QVERIFY(!t.contains("rid"_L1));
    }
    VERIFY_QUIET(a1);
    VERIFY_QUIET(carol, {u"typing"_s});

    // To a room: the other members.
    QVERIFY(join(a1, u"#r"_s));
    QVERIFY(join(b1, u"#r"_s));
    QVERIFY(join(carol, u"#r"_s));
    for (WsClient *c : {a1, a2, b1, b2, carol})
        settle(c);
    a1->sendJson({{"type"_L1, u"typing"_s}, {"to"_L1, u"#r"_s}, {"rid"_L1, u"t2"_s}});
    const QJsonObject toRoom{{"type"_L1, u"typing"_s}, {"from"_L1, u"alice"_s}, {"to"_L1, u"#r"_s}};
    for (WsClient *c : {b1, b2, carol}) {
        TAKE(t, c, u"typing"_s);
        VERIFY_FIELDS(t, toRoom);
    }
    VERIFY_QUIET(a1);
    VERIFY_QUIET(erin, {u"typing"_s});
    // Typing is live only: a device that connects later gets nothing.
    WsClient *b3 = signIn(u"bob"_s, u"b3"_s);
    QVERIFY(b3);
    VERIFY_QUIET(b3, {u"typing"_s});
}

QTEST_GUILESS_MAIN(TstWebSocket)
#include "tst_websocket.moc"
