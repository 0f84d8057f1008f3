// Integration tests of the long-polling door against PROTOCOL.md ("Long polling"): a real in-process
// natter::server::Server on 127.0.0.1 (any free port), a fresh database per test, LpClient (plain
// QNetworkAccessManager), raw QTcpSockets for misbehaving clients, and WsClient for the mixed-door tests.
// Expected envelopes are written out literally from the contract, not built with the server's codec.

#include "tests/server/lpclient.h"
#include "server/server.h"
#include "tests/support/jsonassert.h"
#include "tests/server/wsclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using natter::server::Server;
using natter::server::ServerConfig;
using natter::test::LpCall;
using natter::test::LpClient;
using natter::test::LpResponse;
using natter::test::WsClient;
using natter::test::withField;
using natter::test::withId;

using natter::test::fieldMismatch;
using natter::test::jsonText;

namespace {

constexpr int kTimeoutMs = 10'000;


// The HTTP status the contract maps each error code to.
int statusOf(const QString &code)
{
    static const QHash<QString, int> map = {
        {u"bad_request"_s, 400}, {u"auth_required"_s, 401}, {u"auth_failed"_s, 401}, {u"forbidden"_s, 403},
        {u"not_found"_s, 404},   {u"user_exists"_s, 409},   {u"too_large"_s, 413},   {u"rate_limited"_s, 429},
        {u"internal"_s, 500},
    };
    return map.value(code, -1);
}

// An error envelope with this code (and rid, when given) and a human-readable message.
QString errorMismatch(const QJsonObject &e, const QString &code, const QString &rid)
{
    QJsonObject expected{{"type"_L1, u"error"_s}, {"code"_L1, code}};
    if (!rid.isEmpty())
        expected.insert("rid"_L1, rid);
    QString mismatch = fieldMismatch(e, expected);
    if (mismatch.isEmpty() && (!e.value("message"_L1).isString() || e.value("message"_L1).toString().isEmpty()))
        mismatch = u"no human-readable message in %1"_s.arg(jsonText(e));
    return mismatch;
}

// An HTTP error: the status the code maps to, and an error envelope with that code as the body.
QString httpErrorMismatch(const LpResponse &r, const QString &code, const QString &rid)
{
    if (r.status != statusOf(code))
        return u"expected HTTP %1 (%2), got %3"_s.arg(statusOf(code)).arg(code, r.describe());
    if (!r.isJsonObject())
        return u"the body is not a JSON object: %1"_s.arg(r.describe());
    return errorMismatch(r.json(), code, rid);
}

#define VERIFY_ERROR(envelope, code, rid)                                                                       \
    do {                                                                                                       \
        const QString mismatch_ = errorMismatch((envelope), (code), (rid));                                     \
        QVERIFY2(mismatch_.isEmpty(), qPrintable(mismatch_));                                                  \
    } while (false)

#define VERIFY_HTTP_ERROR(response, code, rid)                                                                  \
    do {                                                                                                       \
        const QString mismatch_ = httpErrorMismatch((response), (code), (rid));                                 \
        QVERIFY2(mismatch_.isEmpty(), qPrintable(mismatch_));                                                  \
    } while (false)

#define VERIFY_STATUS(response, expected)                                                                       \
    do {                                                                                                       \
        const LpResponse &r_ = (response);                                                                     \
        QVERIFY2(r_.status == (expected), qPrintable(u"expected HTTP %1, got %2"_s.arg(expected).arg(r_.describe()))); \
    } while (false)

// A 200 poll answer: {"events":[...]}.
#define VERIFY_EVENTS_ANSWER(response)                                                                          \
    do {                                                                                                       \
        const LpResponse &e_ = (response);                                                                     \
        VERIFY_STATUS(e_, 200);                                                                                \
        QVERIFY2(e_.json().value("events"_L1).isArray(), qPrintable(e_.describe()));                           \
    } while (false)

// Takes the next event of this type from an LP client's inbox (polling for it), failing the test on timeout.
#define TAKE_EVENT(var, client, ...)                                                                            \
    const QJsonObject var = (client)->takeEvent(__VA_ARGS__);                                                   \
    QVERIFY2(!var.isEmpty(), qPrintable(u"%1: nothing arrived"_s.arg((client)->name())))

// Takes the next envelope of this type from a WebSocket client, failing the test on timeout.
#define TAKE_WS(var, client, ...)                                                                               \
    const QJsonObject var = (client)->take(__VA_ARGS__);                                                        \
    QVERIFY2(!var.isEmpty(), qPrintable(u"%1: nothing arrived"_s.arg((client)->name())))

// Nothing of these types (any type when empty) reached this client (LpClient or WsClient).
#define VERIFY_QUIET(client, ...)                                                                               \
    do {                                                                                                       \
        const QList<QJsonObject> got_ = (client)->unexpected(__VA_ARGS__);                                      \
        QVERIFY2(got_.isEmpty(), qPrintable(u"%1 got %2"_s.arg((client)->name(), jsonText(got_.value(0)))));   \
    } while (false)

QJsonObject sendEnvelope(const QString &to, const QString &body, const QString &cid, const QString &rid = {})
{
    QJsonObject o{{"type"_L1, u"send"_s}, {"to"_L1, to}, {"body"_L1, body}, {"cid"_L1, cid}};
    if (!rid.isEmpty())
        o.insert("rid"_L1, rid);
    return o;
}

QString newCid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QList<qint64> idsOf(const QJsonArray &events, const QString &type = u"message"_s)
{
    QList<qint64> ids;
    for (const QJsonValue &v : events) {
        if (v.toObject().value("type"_L1).toString() == type)
            ids.append(v.toObject().value("id"_L1).toInteger());
    }
    return ids;
}

QStringList typesOf(const QJsonArray &events)
{
    QStringList types;
    for (const QJsonValue &v : events)
        types.append(v.toObject().value("type"_L1).toString());
    return types;
}

QString idText(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return u"["_s + parts.join(u',') + u"]"_s;
}

#define COMPARE_IDS(actual, expected)                                                                           \
    do {                                                                                                       \
        const QList<qint64> a_ = (actual);                                                                     \
        const QList<qint64> e_ = (expected);                                                                   \
        QVERIFY2(a_ == e_, qPrintable(u"ids %1, expected %2"_s.arg(idText(a_), idText(e_))));                  \
    } while (false)

bool isContractTimestamp(const QString &ts)
{
    static const QRegularExpression re(uR"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)"_s);
    return re.match(ts).hasMatch();
}

QJsonObject firstOfType(const QJsonArray &events, const QString &type)
{
    for (const QJsonValue &v : events) {
        if (v.toObject().value("type"_L1).toString() == type)
            return v.toObject();
    }
    return {};
}

QSet<QString> stringSet(const QJsonArray &a)
{
    QSet<QString> out;
    for (const QJsonValue &v : a)
        out.insert(v.toString());
    return out;
}

// An HTTP/1.1 POST as raw bytes.
QByteArray rawPost(const QByteArray &path, const QByteArray &token, const QByteArray &body)
{
    QByteArray out = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    if (!token.isEmpty())
        out += "Authorization: Bearer " + token + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return out;
}

} // namespace

class TestLongPoll : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sessionWelcome();
    void sessionErrors_data();
    void sessionErrors();
    void authRequired_data();
    void authRequired();
    void notFound_data();
    void notFound();
    void sendBadBody_data();
    void sendBadBody();
    void sendBatch();
    void sendLargeBatch();
    void tooLarge_data();
    void tooLarge();

    void chatAndRedelivery();
    void offlineQueueFirstPoll();
    void offlineQueueAcrossRestart();
    void queueOnShortPoll_data();
    void queueOnShortPoll();
    void pollTimeout_data();
    void pollTimeout();
    void pollBadBody_data();
    void pollBadBody();
    void wakeUp();
    void onePollPerDevice();
    void keepAlive();
    void vanishingClient_data();
    void vanishingClient();
    void slowRequest();

    void mixedMessages();
    void mixedReceipts();
    void mixedTyping();
    void mixedRooms();
    void mixedPresence();
    void sendOnlyIsOffline();

    void logout();
    void manyHeldPolls();
    void logoutEndsHeldPoll();

private:
    bool startServer(int presenceWindowMs = 60'000);
    QUrl httpBase() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())); }
    QUrl wsUrl() const { return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_server->port())); }
    std::unique_ptr<LpClient> newLp(const QString &name) { return std::make_unique<LpClient>(httpBase(), name); }
    natter::server::ServerStats stats() const { return m_server->stats(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
};

// A registered LP client: `var` is a std::unique_ptr<LpClient> signed in as user on device.
#define LP_USER(var, user, device)                                                                              \
    auto var = newLp(user);                                                                                    \
    QVERIFY2(!var->registerUser((user), (device)).isEmpty(), qPrintable(var->lastResponse().describe()))

// A registered WebSocket client.
#define WS_USER(var, user, device)                                                                              \
    auto var = std::make_unique<WsClient>(user);                                                               \
    QVERIFY(var->open(wsUrl()));                                                                               \
    QVERIFY2(!var->registerUser((user), (device)).isEmpty(), qPrintable(jsonText(var->lastReply())))

// A raw TCP connection to the server.
#define RAW_SOCKET(var)                                                                                         \
    auto var = std::make_unique<QTcpSocket>();                                                                 \
    var->setProxy(QNetworkProxy::NoProxy);                                                                     \
    var->connectToHost(QHostAddress(QHostAddress::LocalHost), m_server->port());                               \
    QTRY_COMPARE_WITH_TIMEOUT(var->state(), QAbstractSocket::ConnectedState, kTimeoutMs)

bool TestLongPoll::startServer(int presenceWindowMs)
{
    m_server.reset();
    ServerConfig config;
    config.host = QHostAddress(QHostAddress::LocalHost);
    config.port = 0;
    config.dbPath = m_dir->filePath(u"natter.db"_s);
    config.passwordIterations = 1000;
    config.presenceWindowMs = presenceWindowMs;
    m_server = std::make_unique<Server>(config);
    if (!m_server->start()) {
        qWarning().noquote() << "server did not start:" << m_server->errorString();
        return false;
    }
    return true;
}

void TestLongPoll::initTestCase()
{
    // The server's start-up and per-connection info lines would drown the test's own output.
    QLoggingCategory::setFilterRules(u"natter.*.debug=false\nnatter.*.info=false"_s);
}

void TestLongPoll::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(startServer());
}

void TestLongPoll::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

// ---------------------------------------------------------------------------------------------------------
// /api/v1/session

void TestLongPoll::sessionWelcome()
{
    auto c = newLp(u"alice"_s);
    LpResponse r = c->session({{"type"_L1, u"register"_s},
                               {"user"_L1, u"alice"_s},
                               {"password"_L1, u"secret"_s},
                               {"device"_L1, u"d-1"_s},
                               {"rid"_L1, u"reg-1"_s}});
    VERIFY_STATUS(r, 200);
    VERIFY_FIELDS(r.json(), (QJsonObject{{"type"_L1, u"welcome"_s},
                                         {"user"_L1, u"alice"_s},
                                         {"device"_L1, u"d-1"_s},
                                         {"rid"_L1, u"reg-1"_s}}));
    const QString registered = r.json().value("token"_L1).toString();
    QVERIFY2(!registered.isEmpty(), qPrintable(r.describe()));

    r = c->session({{"type"_L1, u"login"_s},
                    {"user"_L1, u"alice"_s},
                    {"password"_L1, u"secret"_s},
                    {"device"_L1, u"d-2"_s},
                    {"rid"_L1, u"login-1"_s}});
    VERIFY_STATUS(r, 200);
    VERIFY_FIELDS(r.json(), (QJsonObject{{"type"_L1, u"welcome"_s},
                                         {"user"_L1, u"alice"_s},
                                         {"device"_L1, u"d-2"_s},
                                         {"rid"_L1, u"login-1"_s}}));
    const QString loggedIn = r.json().value("token"_L1).toString();
    QVERIFY(!loggedIn.isEmpty());
    QVERIFY2(loggedIn != registered, "each login issues a new token");

    r = c->session({{"type"_L1, u"resume"_s}, {"token"_L1, registered}, {"device"_L1, u"d-1"_s}, {"rid"_L1, u"res-1"_s}});
    VERIFY_STATUS(r, 200);
    VERIFY_FIELDS(r.json(), (QJsonObject{{"type"_L1, u"welcome"_s},
                                         {"user"_L1, u"alice"_s},
                                         {"device"_L1, u"d-1"_s},
                                         {"token"_L1, registered},
                                         {"rid"_L1, u"res-1"_s}}));

    // Both tokens work as bearer tokens.
    for (const QString &token : {registered, loggedIn}) {
        c->setToken(token);
        const LpResponse p = c->pollNow({}, 0);
        VERIFY_EVENTS_ANSWER(p);
    }
}

void TestLongPoll::sessionErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("rid");

    QTest::newRow("wrong password")
        << R"({"type":"login","user":"alice","password":"nope","device":"d-9","rid":"e1"})"_ba << u"auth_failed"_s
        << u"e1"_s;
    QTest::newRow("unknown user") << R"({"type":"login","user":"nobody","password":"pw","device":"d-9"})"_ba
                                  << u"auth_failed"_s << QString();
    QTest::newRow("bad resume token") << R"({"type":"resume","token":"bogus","device":"d-1","rid":"e2"})"_ba
                                      << u"auth_failed"_s << u"e2"_s;
    QTest::newRow("resume on another device")
        << R"({"type":"resume","token":"$TOKEN","device":"d-other"})"_ba << u"auth_failed"_s << QString();
    QTest::newRow("duplicate user") << R"({"type":"register","user":"alice","password":"x","device":"d-2","rid":"e3"})"_ba
                                    << u"user_exists"_s << u"e3"_s;
    QTest::newRow("duplicate user, other case")
        << R"({"type":"register","user":"ALICE","password":"x","device":"d-2"})"_ba << u"user_exists"_s << QString();
    QTest::newRow("not JSON") << "{\"type\":\"login\","_ba << u"bad_request"_s << QString();
    QTest::newRow("empty body") << QByteArray() << u"bad_request"_s << QString();
    QTest::newRow("array") << R"([{"type":"login","user":"alice","password":"pw-alice","device":"d-1"}])"_ba
                           << u"bad_request"_s << QString();
    QTest::newRow("send envelope") << R"({"type":"send","to":"alice","body":"hi","cid":"c-1","rid":"e4"})"_ba
                                   << u"bad_request"_s << u"e4"_s;
    QTest::newRow("rooms envelope") << R"({"type":"rooms","rid":"e5"})"_ba << u"bad_request"_s << u"e5"_s;
    QTest::newRow("unknown type") << R"({"type":"hello","rid":"e6"})"_ba << u"bad_request"_s << u"e6"_s;
    QTest::newRow("no type") << R"({"user":"alice"})"_ba << u"bad_request"_s << QString();
    QTest::newRow("missing password") << R"({"type":"register","user":"bob","device":"d-1","rid":"e7"})"_ba
                                      << u"bad_request"_s << u"e7"_s;
    QTest::newRow("bad user name") << R"({"type":"register","user":"no spaces","password":"x","device":"d-1"})"_ba
                                   << u"bad_request"_s << QString();
    QTest::newRow("bad device") << R"({"type":"register","user":"carol","password":"x","device":"has space"})"_ba
                                << u"bad_request"_s << QString();
}

void TestLongPoll::sessionErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, rid);

    auto c = newLp(u"alice"_s);
    const QString token = c->registerUser(u"alice"_s, u"d-1"_s);
    QVERIFY(!token.isEmpty());
    body.replace("$TOKEN", token.toUtf8());
    c->setToken({});

    const LpResponse r = c->post(LpClient::kSessionPath, body);
    VERIFY_HTTP_ERROR(r, code, rid);
    // The server keeps serving the same connection.
    QVERIFY(!c->login(u"alice"_s, u"d-1"_s).isEmpty());
}

// ---------------------------------------------------------------------------------------------------------
// /api/v1/send and /api/v1/poll: authentication, routing, bodies

void TestLongPoll::authRequired_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization"); // null: no header
    QTest::addColumn<QByteArray>("body");

    const QByteArray sendBody = R"({"type":"rooms","rid":"a1"})"_ba;
    const QByteArray pollBody = R"({"timeout":0})"_ba;
    const struct {
        const char *name;
        QByteArray header;
    } auths[] = {
        {"no header", QByteArray()},
        {"unknown token", "Bearer 0123456789abcdef0123456789abcdef"_ba},
        {"empty bearer", "Bearer "_ba},
        {"basic scheme", "Basic YWxpY2U6cHc="_ba},
        {"token without scheme", "$TOKEN"_ba},
    };
    for (const auto &a : auths) {
        QTest::addRow("send, %s", a.name) << LpClient::kSendPath.toString() << a.header << sendBody;
        QTest::addRow("poll, %s", a.name) << LpClient::kPollPath.toString() << a.header << pollBody;
    }
}

void TestLongPoll::authRequired()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, body);

    LP_USER(c, u"alice"_s, u"d-1"_s);
    const QString token = c->token();
    authorization.replace("$TOKEN", token.toUtf8());
    c->setToken({});
    if (!authorization.isNull())
        c->setRawAuthorization(authorization);

    const LpResponse r = c->post(path, body);
    VERIFY_HTTP_ERROR(r, u"auth_required"_s, QString());

    // The right token then works on the same connection.
    c->setRawAuthorization({});
    c->setToken(token);
    VERIFY_STATUS(c->post(path, body), 200);
}

void TestLongPoll::notFound_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");

    QTest::newRow("POST unknown under /api/v1") << "POST"_ba << u"/api/v1/nope"_s;
    QTest::newRow("POST /api/v1") << "POST"_ba << u"/api/v1"_s;
    QTest::newRow("POST /api/v1/ (slash)") << "POST"_ba << u"/api/v1/"_s;
    QTest::newRow("POST /api/v2/poll") << "POST"_ba << u"/api/v2/poll"_s;
    QTest::newRow("POST /api/v1/poll/extra") << "POST"_ba << u"/api/v1/poll/extra"_s;
    QTest::newRow("GET /api/v1/poll") << "GET"_ba << u"/api/v1/poll"_s;
    QTest::newRow("GET /api/v1/send") << "GET"_ba << u"/api/v1/send"_s;
    QTest::newRow("GET /api/v1/session") << "GET"_ba << u"/api/v1/session"_s;
    QTest::newRow("POST elsewhere") << "POST"_ba << u"/nothing/here"_s;
}

void TestLongPoll::notFound()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);

    LP_USER(c, u"alice"_s, u"d-1"_s); // with a valid token: the path decides
    const LpResponse r = c->call(verb, path, verb == "POST" ? R"({"timeout":0})"_ba : QByteArray());
    VERIFY_HTTP_ERROR(r, u"not_found"_s, QString());
    VERIFY_STATUS(c->pollNow({}, 0), 200);
}

void TestLongPoll::sendBadBody_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << "{\"type\":\"rooms\""_ba;
    QTest::newRow("string") << "\"rooms\""_ba;
    QTest::newRow("number") << "42"_ba;
    QTest::newRow("null") << "null"_ba;
    QTest::newRow("true") << "true"_ba;
    QTest::newRow("plain text") << "type=rooms"_ba;
}

void TestLongPoll::sendBadBody()
{
    QFETCH(QByteArray, body);

    LP_USER(c, u"alice"_s, u"d-1"_s);
    VERIFY_HTTP_ERROR(c->sendRaw(body), u"bad_request"_s, QString());
    const LpResponse ok = c->send(QJsonObject{{"type"_L1, u"rooms"_s}});
    VERIFY_STATUS(ok, 200);
    QCOMPARE(ok.replies().size(), 1);
}

void TestLongPoll::sendBatch()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);

    // Envelopes without replies contribute nothing.
    LpResponse r = alice->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}});
    VERIFY_STATUS(r, 200);
    QCOMPARE(jsonText(r.json()), u"{\"replies\":[]}"_s);
    r = alice->sendRaw("[]");
    VERIFY_STATUS(r, 200);
    QVERIFY2(r.json().value("replies"_L1).isArray() && r.replies().isEmpty(), qPrintable(r.describe()));

    const QString cid = newCid();
    const QJsonArray batch{
        sendEnvelope(u"bob"_s, u"first"_s, cid, u"b1"_s),
        42,
        u"not an envelope"_s,
        QJsonObject{{"type"_L1, u"bogus"_s}, {"rid"_L1, u"b2"_s}},
        sendEnvelope(u"nobody"_s, u"lost"_s, newCid(), u"b3"_s),
        QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}},
        QJsonObject{{"type"_L1, u"ack"_s}, {"ids"_L1, QJsonArray{1}}},
        QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, u"b4"_s}},
        QJsonObject{{"type"_L1, u"join"_s}, {"room"_L1, u"#batch"_s}, {"rid"_L1, u"b5"_s}},
        sendEnvelope(u"bob"_s, QString(), newCid(), u"b6"_s),
        QJsonObject{{"type"_L1, u"ack"_s}, {"ids"_L1, u"nope"_s}, {"rid"_L1, u"b7"_s}},
        sendEnvelope(u"bob"_s, u"second"_s, newCid(), u"b8"_s),
    };
    r = alice->send(batch);
    VERIFY_STATUS(r, 200);
    const QJsonArray replies = r.replies();
    QVERIFY2(replies.size() == 10, qPrintable(u"expected 10 replies, got %1"_s.arg(jsonText(replies))));
    VERIFY_FIELDS(replies[0].toObject(), (QJsonObject{{"type"_L1, u"sent"_s}, {"cid"_L1, cid}, {"rid"_L1, u"b1"_s}}));
    const qint64 first = replies[0].toObject().value("id"_L1).toInteger();
    QVERIFY(first > 0);
    QVERIFY(isContractTimestamp(replies[0].toObject().value("ts"_L1).toString()));
    VERIFY_ERROR(replies[1].toObject(), u"bad_request"_s, QString());
    VERIFY_ERROR(replies[2].toObject(), u"bad_request"_s, QString());
    VERIFY_ERROR(replies[3].toObject(), u"bad_request"_s, u"b2"_s);
    VERIFY_ERROR(replies[4].toObject(), u"not_found"_s, u"b3"_s);
    VERIFY_FIELDS(replies[5].toObject(), (QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, u"b4"_s}}));
    QVERIFY(replies[5].toObject().value("rooms"_L1).isArray());
    VERIFY_FIELDS(replies[6].toObject(), (QJsonObject{{"type"_L1, u"joined"_s},
                                                      {"room"_L1, u"#batch"_s},
                                                      {"members"_L1, QJsonArray{u"alice"_s}},
                                                      {"rid"_L1, u"b5"_s}}));
    VERIFY_ERROR(replies[7].toObject(), u"bad_request"_s, u"b6"_s);
    VERIFY_ERROR(replies[8].toObject(), u"bad_request"_s, u"b7"_s);
    VERIFY_FIELDS(replies[9].toObject(), (QJsonObject{{"type"_L1, u"sent"_s}, {"rid"_L1, u"b8"_s}}));
    const qint64 second = replies[9].toObject().value("id"_L1).toInteger();
    QVERIFY2(second > first, qPrintable(jsonText(replies)));

    // Bob: the two messages, oldest first, then the live typing events.
    const LpResponse p = bob->pollNow({}, 0);
    VERIFY_EVENTS_ANSWER(p);
    const QJsonArray events = p.events();
    COMPARE_IDS(idsOf(events), (QList<qint64>{first, second}));
    QVERIFY2(typesOf(events).mid(0, 2) == (QStringList{u"message"_s, u"message"_s}), qPrintable(jsonText(events)));
    VERIFY_FIELDS(events[0].toObject(), (QJsonObject{{"type"_L1, u"message"_s},
                                                     {"id"_L1, first},
                                                     {"from"_L1, u"alice"_s},
                                                     {"to"_L1, u"bob"_s},
                                                     {"body"_L1, u"first"_s},
                                                     {"cid"_L1, cid}}));
    VERIFY_FIELDS(firstOfType(events, u"typing"_s),
                  (QJsonObject{{"type"_L1, u"typing"_s}, {"from"_L1, u"alice"_s}, {"to"_L1, u"bob"_s}}));
}

void TestLongPoll::sendLargeBatch()
{
    // "Only a body that is not a JSON object or array gets 400": a long batch within 64 KiB is answered 200.
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    constexpr int kEnvelopes = 2'000;
    QJsonArray batch;
    for (int i = 0; i < kEnvelopes; ++i)
        batch.append(QJsonObject{{"type"_L1, u"ack"_s}, {"ids"_L1, QJsonArray{i + 1}}});
    batch.append(QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, u"last"_s}});
    const QByteArray body = QJsonDocument(batch).toJson(QJsonDocument::Compact);
    QVERIFY2(body.size() < 64 * 1024, qPrintable(QString::number(body.size())));

    const LpResponse r = alice->sendRaw(body);
    VERIFY_STATUS(r, 200);
    QCOMPARE(r.replies().size(), 1);
    VERIFY_FIELDS(r.replies()[0].toObject(), (QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, u"last"_s}}));
}

// ---------------------------------------------------------------------------------------------------------
// 64 KiB limit

void TestLongPoll::tooLarge_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");

    const QList<std::pair<const char *, QString>> paths = {
        {"session", LpClient::kSessionPath.toString()},
        {"send", LpClient::kSendPath.toString()},
        {"poll", LpClient::kPollPath.toString()},
    };
    for (const auto &[name, path] : paths) {
        QTest::addRow("%s, 70 KB", name) << path << 70'000 << 413;
        QTest::addRow("%s, 1 MB", name) << path << 1'000'000 << 413;
    }
    QTest::newRow("send, 65,537 bytes") << LpClient::kSendPath.toString() << 64 * 1024 + 1 << 413;
    QTest::newRow("send, 60 KB (allowed)") << LpClient::kSendPath.toString() << 60'000 << 200;
}

void TestLongPoll::tooLarge()
{
    QFETCH(QString, path);
    QFETCH(int, size);
    QFETCH(int, status);

    LP_USER(c, u"alice"_s, u"d-1"_s);
    // A valid JSON object of exactly `size` bytes, padded with an unknown field.
    QByteArray prefix;
    if (path == LpClient::kSessionPath)
        prefix = R"({"type":"login","user":"alice","password":"pw-alice","device":"d-1","pad":")";
    else if (path == LpClient::kSendPath)
        prefix = R"({"type":"rooms","rid":"big","pad":")";
    else
        prefix = R"({"timeout":0,"pad":")";
    QByteArray body = prefix + QByteArray(size - prefix.size() - 2, 'x') + "\"}";
    QCOMPARE(body.size(), qsizetype(size));

    const LpResponse r = c->post(path, body);
    if (status == 413) {
        VERIFY_HTTP_ERROR(r, u"too_large"_s, QString());
    } else {
        VERIFY_STATUS(r, status);
        QCOMPARE(r.replies().size(), 1);
        VERIFY_FIELDS(r.replies()[0].toObject(), (QJsonObject{{"type"_L1, u"rooms"_s}, {"rid"_L1, u"big"_s}}));
    }

    // The server survives and keeps serving, this client and a new one.
    VERIFY_EVENTS_ANSWER(c->pollNow({}, 0));
    auto other = newLp(u"bob"_s);
    QVERIFY(!other->registerUser(u"bob"_s, u"b-1"_s).isEmpty());
    VERIFY_EVENTS_ANSWER(other->pollNow({}, 0));
    QVERIFY(c->sendMessage(u"bob"_s, u"still here"_s) > 0);
}

// ---------------------------------------------------------------------------------------------------------
// Long-polling chat

void TestLongPoll::chatAndRedelivery()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);

    LpResponse p = bob->pollNow({}, 0);
    VERIFY_STATUS(p, 200);
    QCOMPARE(jsonText(p.json()), u"{\"events\":[]}"_s);

    const QString cid1 = newCid();
    const QJsonObject sent = alice->request(sendEnvelope(u"bob"_s, u"hi bob"_s, cid1, u"s1"_s));
    VERIFY_FIELDS(sent, (QJsonObject{{"type"_L1, u"sent"_s}, {"cid"_L1, cid1}, {"rid"_L1, u"s1"_s}}));
    const qint64 id1 = sent.value("id"_L1).toInteger();
    QVERIFY(id1 > 0);
    const QString ts1 = sent.value("ts"_L1).toString();
    QVERIFY2(isContractTimestamp(ts1), qPrintable(ts1));

    p = bob->pollNow({}, 5);
    VERIFY_EVENTS_ANSWER(p);
    QCOMPARE(p.events().size(), 1);
    VERIFY_FIELDS(p.events()[0].toObject(), (QJsonObject{{"type"_L1, u"message"_s},
                                                         {"id"_L1, id1},
                                                         {"from"_L1, u"alice"_s},
                                                         {"to"_L1, u"bob"_s},
                                                         {"body"_L1, u"hi bob"_s},
                                                         {"ts"_L1, ts1},
                                                         {"cid"_L1, cid1}}));

    // Not acked: it comes back in every poll.
    for (int i = 0; i < 2; ++i) {
        p = bob->pollNow({}, 5);
        VERIFY_EVENTS_ANSWER(p);
        COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id1}));
    }

    // A retry with the same cid returns the same sent and delivers nothing again.
    const QJsonObject again = alice->request(sendEnvelope(u"bob"_s, u"hi bob"_s, cid1));
    VERIFY_FIELDS(again, (QJsonObject{{"type"_L1, u"sent"_s}, {"cid"_L1, cid1}, {"id"_L1, id1}}));

    const qint64 id2 = alice->sendMessage(u"bob"_s, u"second"_s);
    const qint64 id3 = alice->sendMessage(u"bob"_s, u"third"_s);
    QVERIFY(id1 < id2 && id2 < id3);
    p = bob->pollNow({}, 5);
    VERIFY_EVENTS_ANSWER(p);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id1, id2, id3}));

    // Ack in the poll body: applied before the answer.
    p = bob->pollNow({id1}, 5);
    VERIFY_EVENTS_ANSWER(p);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id2, id3}));
    p = bob->pollNow({}, 5);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id2, id3}));

    // Ack through /send.
    QVERIFY(bob->ack({id2}));
    p = bob->pollNow({}, 5);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id3}));
    p = bob->pollNow({id3}, 0);
    VERIFY_EVENTS_ANSWER(p);
    COMPARE_IDS(idsOf(p.events()), QList<qint64>());
    p = bob->pollNow({}, 0);
    QCOMPARE(jsonText(p.json()), u"{\"events\":[]}"_s);

    // Alice hears of each first ack.
    for (qint64 id : {id1, id2, id3}) {
        TAKE_EVENT(d, alice, u"delivered"_s, withId(id));
        VERIFY_FIELDS(d, (QJsonObject{{"type"_L1, u"delivered"_s}, {"id"_L1, id}, {"by"_L1, u"bob"_s}}));
    }
}

void TestLongPoll::offlineQueueFirstPoll()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s); // signed in, never polled

    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        ids.append(alice->sendMessage(u"bob"_s, u"queued %1"_s.arg(i)));
        QVERIFY(ids.constLast() > 0);
    }
    QCOMPARE(alice->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}}).status, 200);

    const LpResponse p = bob->pollNow({}, 5);
    VERIFY_EVENTS_ANSWER(p);
    const QJsonArray events = p.events();
    QVERIFY2(typesOf(events) == (QStringList{u"message"_s, u"message"_s, u"message"_s, u"typing"_s}),
             qPrintable(jsonText(events)));
    COMPARE_IDS(idsOf(events), ids);
}

void TestLongPoll::offlineQueueAcrossRestart()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);

    // Polls until the answer carries exactly `expected` (a prefix of it is fine on the way: the server may
    // answer as soon as one event is waiting), oldest first.
    const auto pollFor = [&](const QList<qint64> &expected, QList<qint64> acks) -> QString {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < kTimeoutMs) {
            const LpResponse p = bob->pollNow(std::exchange(acks, {}), 5);
            if (p.status != 200)
                return p.describe();
            const QList<qint64> got = idsOf(p.events());
            if (got == expected)
                return {};
            if (got != expected.mid(0, got.size()))
                return u"got %1, expected %2"_s.arg(idText(got), idText(expected));
        }
        return u"timed out waiting for %1"_s.arg(idText(expected));
    };

    QVERIFY(startServer()); // same database, new port
    alice->setBase(httpBase());
    bob->setBase(httpBase());
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        ids.append(alice->sendMessage(u"bob"_s, u"while bob was away %1"_s.arg(i)));
        QVERIFY2(ids.constLast() > 0, qPrintable(alice->lastResponse().describe()));
    }
    QString failure = pollFor(ids, {});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));

    // Ack the first; the other two survive another restart, before anything newer.
    failure = pollFor(ids.mid(1), {ids[0]});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(startServer());
    alice->setBase(httpBase());
    bob->setBase(httpBase());
    ids.append(alice->sendMessage(u"bob"_s, u"after the second restart"_s));
    QVERIFY(ids.constLast() > 0);
    failure = pollFor(ids.mid(1), {});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestLongPoll::queueOnShortPoll_data()
{
    QTest::addColumn<bool>("restart");

    QTest::newRow("after a server restart") << true;
    QTest::newRow("after the presence window") << false;
}

void TestLongPoll::queueOnShortPoll()
{
    // "Queued messages keep coming back in every poll until acked" - also in a poll with timeout 0 from a
    // device whose long-polling session the server had let go (restart, or no poll for the presence window).
    QFETCH(bool, restart);
    constexpr int kWindowMs = 600;
    QVERIFY(startServer(kWindowMs));

    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);
    const qint64 id = alice->sendMessage(u"bob"_s, u"short polling"_s);
    QVERIFY(id > 0);

    for (int round = 0; round < 2; ++round) {
        if (restart) {
            QVERIFY(startServer(kWindowMs));
            bob->setBase(httpBase());
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(stats().longPollDevices, qsizetype(0), kTimeoutMs);
        }
        const LpResponse p = bob->pollNow({}, 0);
        VERIFY_EVENTS_ANSWER(p);
        QVERIFY2(idsOf(p.events()) == QList<qint64>{id},
                 qPrintable(u"round %1: poll with timeout 0 answered %2, expected the queued message %3"_s.arg(round)
                                .arg(p.describe())
                                .arg(id)));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Poll mechanics

void TestLongPoll::pollTimeout_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("minMs");
    QTest::addColumn<int>("maxMs");

    QTest::newRow("timeout 1") << R"({"timeout":1})"_ba << 800 << 5'000;
    QTest::newRow("timeout 1 with empty ack") << R"({"ack":[],"timeout":1})"_ba << 800 << 5'000;
    QTest::newRow("timeout 0") << R"({"timeout":0})"_ba << 0 << 1'000;
    QTest::newRow("timeout 0, null ack") << R"({"timeout":0,"ack":null})"_ba << 0 << 1'000;
}

void TestLongPoll::pollTimeout()
{
    QFETCH(QByteArray, body);
    QFETCH(int, minMs);
    QFETCH(int, maxMs);

    LP_USER(bob, u"bob"_s, u"b-1"_s);
    const LpResponse r = bob->post(LpClient::kPollPath, body);
    qInfo() << "poll" << body << "answered after" << r.elapsedMs << "ms";
    VERIFY_STATUS(r, 200);
    QCOMPARE(jsonText(r.json()), u"{\"events\":[]}"_s);
    QVERIFY2(r.elapsedMs >= minMs && r.elapsedMs <= maxMs,
             qPrintable(u"answered after %1 ms, expected %2-%3"_s.arg(r.elapsedMs).arg(minMs).arg(maxMs)));
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(0), kTimeoutMs);
}

void TestLongPoll::pollBadBody_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("timeout 61") << R"({"timeout":61})"_ba;
    QTest::newRow("timeout 60.5") << R"({"timeout":60.5})"_ba;
    QTest::newRow("timeout -1") << R"({"timeout":-1})"_ba;
    QTest::newRow("timeout huge") << R"({"timeout":1e12})"_ba;
    QTest::newRow("timeout \"x\"") << R"({"timeout":"x"})"_ba;
    QTest::newRow("timeout \"5\"") << R"({"timeout":"5"})"_ba;
    QTest::newRow("timeout true") << R"({"timeout":true})"_ba;
    QTest::newRow("timeout [1]") << R"({"timeout":[1]})"_ba;
    QTest::newRow("ack not an array") << R"({"ack":5,"timeout":0})"_ba;
    QTest::newRow("ack [0]") << R"({"ack":[0],"timeout":0})"_ba;
    QTest::newRow("ack [-3]") << R"({"ack":[-3],"timeout":0})"_ba;
    QTest::newRow("ack [\"1\"]") << R"({"ack":["1"],"timeout":0})"_ba;
    QTest::newRow("ack [1.5]") << R"({"ack":[1.5],"timeout":0})"_ba;
    QTest::newRow("body array") << R"([{"timeout":0}])"_ba;
    QTest::newRow("body string") << R"("timeout")"_ba;
    QTest::newRow("body not JSON") << R"({"timeout":)"_ba;
}

void TestLongPoll::pollBadBody()
{
    QFETCH(QByteArray, body);

    LP_USER(bob, u"bob"_s, u"b-1"_s);
    const LpResponse r = bob->post(LpClient::kPollPath, body, 5'000);
    VERIFY_HTTP_ERROR(r, u"bad_request"_s, QString());
    QVERIFY2(r.elapsedMs < 2'000, "a bad poll is answered at once, not held");
    QCOMPARE(stats().heldPolls, qsizetype(0));
    VERIFY_EVENTS_ANSWER(bob->pollNow({}, 0));
}

void TestLongPoll::wakeUp()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);
    VERIFY_EVENTS_ANSWER(bob->pollNow({}, 0));

    // A message wakes a held poll.
    std::unique_ptr<LpCall> poll = bob->poll({}, 20);
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
    QVERIFY(!poll->isFinished());
    QElapsedTimer t;
    t.start();
    const qint64 id = alice->sendMessage(u"bob"_s, u"wake up"_s);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(poll->isFinished(), kTimeoutMs);
    const qint64 messageMs = t.elapsed();
    qInfo() << "held poll answered" << messageMs << "ms after the send was posted (message)";
    VERIFY_EVENTS_ANSWER(poll->response());
    COMPARE_IDS(idsOf(poll->response().events()), (QList<qint64>{id}));
    QVERIFY2(messageMs < 2'000, qPrintable(u"took %1 ms"_s.arg(messageMs)));
    QCOMPARE(stats().heldPolls, qsizetype(0));

    // A live event (typing) wakes one too.
    poll = bob->poll({id}, 20);
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
    t.restart();
    QCOMPARE(alice->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"bob"_s}}).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(poll->isFinished(), kTimeoutMs);
    const qint64 typingMs = t.elapsed();
    qInfo() << "held poll answered" << typingMs << "ms after the send was posted (typing)";
    VERIFY_EVENTS_ANSWER(poll->response());
    QCOMPARE(typesOf(poll->response().events()), QStringList{u"typing"_s});
    QVERIFY2(typingMs < 2'000, qPrintable(u"took %1 ms"_s.arg(typingMs)));
}

void TestLongPoll::onePollPerDevice()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);

    // No timeout field: held (default 25 s).
    std::unique_ptr<LpCall> first = bob->poll();
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
    QTest::qWait(1'200);
    QVERIFY2(!first->isFinished(), qPrintable(first->response().describe()));

    QElapsedTimer t;
    t.start();
    std::unique_ptr<LpCall> second = bob->poll({}, 20);
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), kTimeoutMs);
    qInfo() << "superseded poll answered after" << t.elapsed() << "ms";
    QVERIFY2(t.elapsed() < 2'000, qPrintable(u"took %1 ms"_s.arg(t.elapsed())));
    VERIFY_STATUS(first->response(), 200);
    QCOMPARE(jsonText(first->response().json()), u"{\"events\":[]}"_s);
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
    QVERIFY(!second->isFinished());

    // The newer poll gets the next event.
    const qint64 id = alice->sendMessage(u"bob"_s, u"for the second poll"_s);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(second->isFinished(), kTimeoutMs);
    VERIFY_EVENTS_ANSWER(second->response());
    COMPARE_IDS(idsOf(second->response().events()), (QList<qint64>{id}));
    QCOMPARE(stats().heldPolls, qsizetype(0));
}

void TestLongPoll::keepAlive()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    const QString token = alice->token();

    auto c = newLp(u"alice-keepalive"_s);
    c->setToken(token);
    const quint64 before = stats().acceptedConnections;
    for (int i = 0; i < 12; ++i) {
        LpResponse r;
        switch (i % 4) {
        case 0:
            r = c->pollNow({}, 0);
            break;
        case 1:
            r = c->send(QJsonObject{{"type"_L1, u"rooms"_s}});
            break;
        case 2:
            r = c->session({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, u"a-1"_s}});
            break;
        case 3:
            r = c->send(QJsonArray{QJsonObject{{"type"_L1, u"users"_s}}, QJsonObject{{"type"_L1, u"rooms"_s}}});
            break;
        }
        VERIFY_STATUS(r, 200);
    }
    const quint64 after = stats().acceptedConnections;
    qInfo() << "12 sequential requests from one client used" << (after - before) << "new connection(s)";
    QCOMPARE(after - before, quint64(1));

    // An error response keeps the connection too.
    VERIFY_HTTP_ERROR(c->post(u"/api/v1/nope"_s, "{}"), u"not_found"_s, QString());
    VERIFY_HTTP_ERROR(c->sendRaw("42"), u"bad_request"_s, QString());
    VERIFY_STATUS(c->pollNow({}, 0), 200);
    QCOMPARE(stats().acceptedConnections - before, quint64(1));
}

void TestLongPoll::vanishingClient_data()
{
    QTest::addColumn<QString>("how");

    QTest::newRow("QNetworkReply::abort") << u"nam-abort"_s;
    QTest::newRow("raw socket, reset") << u"raw-abort"_s;
    QTest::newRow("raw socket, close") << u"raw-close"_s;
    QTest::newRow("raw socket, close at once, send at once") << u"raw-close-now"_s;
}

void TestLongPoll::vanishingClient()
{
    QFETCH(QString, how);

    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(bob, u"bob"_s, u"b-1"_s);
    VERIFY_EVENTS_ANSWER(bob->pollNow({}, 0));

    std::unique_ptr<LpCall> call;
    std::unique_ptr<QTcpSocket> raw;
    if (how == "nam-abort"_L1) {
        call = bob->poll({}, 30);
        QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
        call->abort();
        QVERIFY(call->isFinished());
        QCOMPARE(call->response().networkError, QNetworkReply::OperationCanceledError);
    } else {
        RAW_SOCKET(s);
        s->write(rawPost("/api/v1/poll", bob->token().toUtf8(), R"({"timeout":30})"));
        if (how == "raw-close-now"_L1) {
            s->flush();
            s->disconnectFromHost();
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);
            if (how == "raw-abort"_L1)
                s->abort();
            else
                s->disconnectFromHost();
        }
        raw = std::move(s);
    }
    if (how != "raw-close-now"_L1)
        QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(0), kTimeoutMs);

    // A message to the device of the vanished poll: no crash, delivered on the next poll.
    const qint64 id = alice->sendMessage(u"bob"_s, u"are you there?"_s);
    QVERIFY(id > 0);
    const LpResponse p = bob->pollNow({}, 5);
    VERIFY_EVENTS_ANSWER(p);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id}));
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(0), kTimeoutMs);

    // Still serving everyone.
    VERIFY_EVENTS_ANSWER(alice->pollNow({}, 0));
    QVERIFY(bob->sendMessage(u"alice"_s, u"yes"_s) > 0);
}

void TestLongPoll::slowRequest()
{
    // One connection sends part of the headers, another the headers and part of the body; then both stall.
    QElapsedTimer t; // declared before the sockets: outlives them and their signals
    qint64 headersClosedMs = -1;
    qint64 bodyClosedMs = -1;
    RAW_SOCKET(partialHeaders);
    RAW_SOCKET(partialBody);
    t.start();
    connect(partialHeaders.get(), &QTcpSocket::disconnected, this, [&] { headersClosedMs = t.elapsed(); });
    connect(partialBody.get(), &QTcpSocket::disconnected, this, [&] { bodyClosedMs = t.elapsed(); });
    partialHeaders->write("POST /api/v1/poll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
    QByteArray head = rawPost("/api/v1/send", "x", R"({"type":"rooms","rid":"slow-slow-slow"})");
    partialBody->write(head.left(head.size() - 20));

    // Meanwhile everyone else is served.
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    VERIFY_EVENTS_ANSWER(alice->pollNow({}, 0));

    QTRY_VERIFY_WITH_TIMEOUT(headersClosedMs >= 0 && bodyClosedMs >= 0, 20'000);
    qInfo() << "stalled requests closed after" << headersClosedMs << "ms (headers) and" << bodyClosedMs
            << "ms (body)";
    QVERIFY2(headersClosedMs <= 15'500, qPrintable(u"%1 ms"_s.arg(headersClosedMs)));
    QVERIFY2(bodyClosedMs <= 15'500, qPrintable(u"%1 ms"_s.arg(bodyClosedMs)));
    VERIFY_EVENTS_ANSWER(alice->pollNow({}, 0));
}

// ---------------------------------------------------------------------------------------------------------
// WebSocket and long-polling users together

void TestLongPoll::mixedMessages()
{
    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    LP_USER(lena, u"lena"_s, u"n-1"_s);
    // Lou is also online over WebSocket on a second device.
    auto louWs = std::make_unique<WsClient>(u"lou-ws"_s);
    QVERIFY(louWs->open(wsUrl()));
    QVERIFY(!louWs->login(u"lou"_s, u"l-2"_s).isEmpty());
    lou->setAutoAck(true);
    lena->setAutoAck(true);

    // WebSocket -> long polling (both of lou's devices).
    const qint64 id1 = wanda->sendMessage(u"lou"_s, u"ws to lp"_s);
    QVERIFY(id1 > 0);
    const QJsonObject expected1{{"type"_L1, u"message"_s},
                                {"id"_L1, id1},
                                {"from"_L1, u"wanda"_s},
                                {"to"_L1, u"lou"_s},
                                {"body"_L1, u"ws to lp"_s}};
    TAKE_EVENT(m1, lou, u"message"_s, withId(id1));
    VERIFY_FIELDS(m1, expected1);
    QVERIFY(isContractTimestamp(m1.value("ts"_L1).toString()));
    TAKE_WS(m1ws, louWs, u"message"_s, withId(id1));
    VERIFY_FIELDS(m1ws, expected1);

    // Long polling -> WebSocket; the sender's WebSocket device gets its copy.
    const qint64 id2 = lou->sendMessage(u"wanda"_s, u"lp to ws"_s);
    QVERIFY(id2 > id1);
    const QJsonObject expected2{{"type"_L1, u"message"_s},
                                {"id"_L1, id2},
                                {"from"_L1, u"lou"_s},
                                {"to"_L1, u"wanda"_s},
                                {"body"_L1, u"lp to ws"_s}};
    TAKE_WS(m2, wanda, u"message"_s, withId(id2));
    VERIFY_FIELDS(m2, expected2);
    TAKE_WS(m2own, louWs, u"message"_s, withId(id2));
    VERIFY_FIELDS(m2own, expected2);

    // Long polling -> long polling; and WebSocket device -> the sender's long-polling device.
    const qint64 id3 = lou->sendMessage(u"lena"_s, u"lp to lp"_s);
    QVERIFY(id3 > id2);
    TAKE_EVENT(m3, lena, u"message"_s, withId(id3));
    VERIFY_FIELDS(m3, (QJsonObject{{"type"_L1, u"message"_s},
                                   {"id"_L1, id3},
                                   {"from"_L1, u"lou"_s},
                                   {"to"_L1, u"lena"_s},
                                   {"body"_L1, u"lp to lp"_s}}));
    const qint64 id4 = louWs->sendMessage(u"lena"_s, u"from lou's other device"_s);
    QVERIFY(id4 > id3);
    TAKE_EVENT(m4, lou, u"message"_s, withId(id4));
    VERIFY_FIELDS(m4, (QJsonObject{{"from"_L1, u"lou"_s}, {"to"_L1, u"lena"_s}}));
    TAKE_EVENT(m4lena, lena, u"message"_s, withId(id4));

    // The long-polling sender's own device only got `sent`: no copies of id2 / id3.
    QVERIFY(lou->takeEvent(u"message"_s, withId(id2), 0).isEmpty());
    QVERIFY(lou->takeEvent(u"message"_s, withId(id3), 0).isEmpty());
    VERIFY_QUIET(lou, {u"message"_s});
    VERIFY_QUIET(wanda, {u"message"_s});
}

void TestLongPoll::mixedReceipts()
{
    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    LP_USER(lena, u"lena"_s, u"n-1"_s);

    // WebSocket sender, long-polling recipient: delivered when the LP device acks (in its poll).
    const qint64 id1 = wanda->sendMessage(u"lou"_s, u"tell me when you got it"_s);
    QVERIFY(id1 > 0);
    LpResponse p = lou->pollNow({}, 5);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id1}));
    VERIFY_QUIET(wanda, {u"delivered"_s});
    p = lou->pollNow({id1}, 0);
    VERIFY_EVENTS_ANSWER(p);
    TAKE_WS(d1, wanda, u"delivered"_s);
    VERIFY_FIELDS(d1, (QJsonObject{{"type"_L1, u"delivered"_s}, {"id"_L1, id1}, {"by"_L1, u"lou"_s}}));

    // Read, long polling -> WebSocket.
    LpResponse r = lou->send(QJsonObject{{"type"_L1, u"read"_s}, {"with"_L1, u"wanda"_s}, {"upto"_L1, id1}});
    VERIFY_STATUS(r, 200);
    QCOMPARE(r.replies().size(), 0);
    TAKE_WS(read1, wanda, u"read"_s);
    VERIFY_FIELDS(read1, (QJsonObject{{"type"_L1, u"read"_s}, {"by"_L1, u"lou"_s}, {"with"_L1, u"lou"_s}, {"upto"_L1, id1}}));

    // Long-polling sender, WebSocket recipient: delivered and read reach the LP device's polls.
    const qint64 id2 = lou->sendMessage(u"wanda"_s, u"and you?"_s);
    QVERIFY(id2 > id1);
    TAKE_WS(m2, wanda, u"message"_s, withId(id2));
    wanda->ack({id2});
    TAKE_EVENT(d2, lou, u"delivered"_s);
    VERIFY_FIELDS(d2, (QJsonObject{{"type"_L1, u"delivered"_s}, {"id"_L1, id2}, {"by"_L1, u"wanda"_s}}));
    wanda->sendJson({{"type"_L1, u"read"_s}, {"with"_L1, u"lou"_s}, {"upto"_L1, id2}});
    TAKE_EVENT(read2, lou, u"read"_s);
    VERIFY_FIELDS(read2,
                  (QJsonObject{{"type"_L1, u"read"_s}, {"by"_L1, u"wanda"_s}, {"with"_L1, u"wanda"_s}, {"upto"_L1, id2}}));

    // History over long polling carries the receipt state of lou's own message.
    const QJsonObject history = lou->request({{"type"_L1, u"history"_s}, {"with"_L1, u"wanda"_s}});
    QCOMPARE(history.value("type"_L1).toString(), u"history"_s);
    bool found = false;
    for (const QJsonValue &v : history.value("messages"_L1).toArray()) {
        if (v.toObject().value("id"_L1).toInteger() == id2) {
            found = true;
            QCOMPARE(v.toObject().value("state"_L1).toString(), u"read"_s);
        }
    }
    QVERIFY2(found, qPrintable(jsonText(history)));

    // Long polling on both sides: the ack goes through /send.
    const qint64 id3 = lou->sendMessage(u"lena"_s, u"lp to lp"_s);
    QVERIFY(id3 > id2);
    p = lena->pollNow({}, 5);
    COMPARE_IDS(idsOf(p.events()), (QList<qint64>{id3}));
    QVERIFY(lena->ack({id3}));
    TAKE_EVENT(d3, lou, u"delivered"_s);
    VERIFY_FIELDS(d3, (QJsonObject{{"type"_L1, u"delivered"_s}, {"id"_L1, id3}, {"by"_L1, u"lena"_s}}));
}

void TestLongPoll::mixedTyping()
{
    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    LP_USER(lena, u"lena"_s, u"n-1"_s);

    wanda->sendJson({{"type"_L1, u"typing"_s}, {"to"_L1, u"lou"_s}});
    TAKE_EVENT(t1, lou, u"typing"_s);
    VERIFY_FIELDS(t1, (QJsonObject{{"type"_L1, u"typing"_s}, {"from"_L1, u"wanda"_s}, {"to"_L1, u"lou"_s}}));

    LpResponse r = lou->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"wanda"_s}});
    VERIFY_STATUS(r, 200);
    QCOMPARE(r.replies().size(), 0);
    TAKE_WS(t2, wanda, u"typing"_s);
    VERIFY_FIELDS(t2, (QJsonObject{{"type"_L1, u"typing"_s}, {"from"_L1, u"lou"_s}, {"to"_L1, u"wanda"_s}}));

    QCOMPARE(lou->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"lena"_s}}).status, 200);
    TAKE_EVENT(t3, lena, u"typing"_s);
    VERIFY_FIELDS(t3, (QJsonObject{{"type"_L1, u"typing"_s}, {"from"_L1, u"lou"_s}, {"to"_L1, u"lena"_s}}));

    // Typing is live only, and goes to nobody else.
    VERIFY_QUIET(lou, {u"typing"_s});
    VERIFY_QUIET(wanda, {u"typing"_s});
    VERIFY_QUIET(lena, {u"typing"_s});
}

void TestLongPoll::mixedRooms()
{
    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    LP_USER(lena, u"lena"_s, u"n-1"_s);
    lou->setAutoAck(true);
    lena->setAutoAck(true);

    QJsonObject joined = lou->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#mix"_s}, {"rid"_L1, u"j1"_s}});
    VERIFY_FIELDS(joined, (QJsonObject{{"type"_L1, u"joined"_s},
                                       {"room"_L1, u"#mix"_s},
                                       {"members"_L1, QJsonArray{u"lou"_s}},
                                       {"rid"_L1, u"j1"_s}}));

    joined = wanda->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#mix"_s}});
    VERIFY_FIELDS(joined, (QJsonObject{{"type"_L1, u"joined"_s}, {"room"_L1, u"#mix"_s}}));
    QCOMPARE(stringSet(joined.value("members"_L1).toArray()), (QSet<QString>{u"lou"_s, u"wanda"_s}));
    TAKE_EVENT(mw, lou, u"member"_s);
    VERIFY_FIELDS(mw, (QJsonObject{{"type"_L1, u"member"_s},
                                   {"room"_L1, u"#mix"_s},
                                   {"user"_L1, u"wanda"_s},
                                   {"joined"_L1, true}}));

    joined = lena->request({{"type"_L1, u"join"_s}, {"room"_L1, u"#mix"_s}});
    QCOMPARE(stringSet(joined.value("members"_L1).toArray()), (QSet<QString>{u"lou"_s, u"wanda"_s, u"lena"_s}));
    const QJsonObject lenaJoined{{"type"_L1, u"member"_s},
                                 {"room"_L1, u"#mix"_s},
                                 {"user"_L1, u"lena"_s},
                                 {"joined"_L1, true}};
    TAKE_WS(ml1, wanda, u"member"_s);
    VERIFY_FIELDS(ml1, lenaJoined);
    TAKE_EVENT(ml2, lou, u"member"_s);
    VERIFY_FIELDS(ml2, lenaJoined);

    // Room messages across doors.
    const qint64 id1 = wanda->sendMessage(u"#mix"_s, u"hello room"_s);
    QVERIFY(id1 > 0);
    const QJsonObject expected1{{"type"_L1, u"message"_s},
                                {"id"_L1, id1},
                                {"from"_L1, u"wanda"_s},
                                {"to"_L1, u"#mix"_s},
                                {"body"_L1, u"hello room"_s}};
    TAKE_EVENT(r1a, lou, u"message"_s, withId(id1));
    VERIFY_FIELDS(r1a, expected1);
    TAKE_EVENT(r1b, lena, u"message"_s, withId(id1));
    VERIFY_FIELDS(r1b, expected1);

    const qint64 id2 = lou->sendMessage(u"#mix"_s, u"hello from lp"_s);
    QVERIFY(id2 > id1);
    TAKE_WS(r2a, wanda, u"message"_s, withId(id2));
    VERIFY_FIELDS(r2a, (QJsonObject{{"from"_L1, u"lou"_s}, {"to"_L1, u"#mix"_s}, {"body"_L1, u"hello from lp"_s}}));
    TAKE_EVENT(r2b, lena, u"message"_s, withId(id2));
    VERIFY_FIELDS(r2b, (QJsonObject{{"from"_L1, u"lou"_s}, {"to"_L1, u"#mix"_s}}));

    // Typing in the room, both ways.
    QCOMPARE(lou->send(QJsonObject{{"type"_L1, u"typing"_s}, {"to"_L1, u"#mix"_s}}).status, 200);
    const QJsonObject louTyping{{"type"_L1, u"typing"_s}, {"from"_L1, u"lou"_s}, {"to"_L1, u"#mix"_s}};
    TAKE_WS(ty1, wanda, u"typing"_s);
    VERIFY_FIELDS(ty1, louTyping);
    TAKE_EVENT(ty2, lena, u"typing"_s);
    VERIFY_FIELDS(ty2, louTyping);
    wanda->sendJson({{"type"_L1, u"typing"_s}, {"to"_L1, u"#mix"_s}});
    TAKE_EVENT(ty3, lou, u"typing"_s);
    VERIFY_FIELDS(ty3, (QJsonObject{{"type"_L1, u"typing"_s}, {"from"_L1, u"wanda"_s}, {"to"_L1, u"#mix"_s}}));

    // Leaving over long polling.
    const QJsonObject left = lena->request({{"type"_L1, u"leave"_s}, {"room"_L1, u"#mix"_s}, {"rid"_L1, u"l1"_s}});
    VERIFY_FIELDS(left, (QJsonObject{{"type"_L1, u"left"_s}, {"room"_L1, u"#mix"_s}, {"rid"_L1, u"l1"_s}}));
    const QJsonObject lenaLeft{{"type"_L1, u"member"_s},
                               {"room"_L1, u"#mix"_s},
                               {"user"_L1, u"lena"_s},
                               {"joined"_L1, false}};
    TAKE_WS(ll1, wanda, u"member"_s);
    VERIFY_FIELDS(ll1, lenaLeft);
    TAKE_EVENT(ll2, lou, u"member"_s);
    VERIFY_FIELDS(ll2, lenaLeft);
    const QJsonObject denied = lena->request(sendEnvelope(u"#mix"_s, u"let me in"_s, newCid(), u"f1"_s));
    VERIFY_ERROR(denied, u"forbidden"_s, u"f1"_s);
    const qint64 id3 = wanda->sendMessage(u"#mix"_s, u"lena is gone"_s);
    TAKE_EVENT(r3, lou, u"message"_s, withId(id3));
    VERIFY_QUIET(lena, {u"message"_s});
}

void TestLongPoll::mixedPresence()
{
    constexpr int kWindowMs = 1'500;
    QVERIFY(startServer(kWindowMs));

    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    const QJsonObject users = wanda->request({{"type"_L1, u"users"_s}});
    QCOMPARE(users.value("type"_L1).toString(), u"users"_s);

    const auto louIs = [](bool online) {
        return [online](const QJsonObject &o) {
            return o.value("user"_L1) == "lou"_L1 && o.value("online"_L1) == online;
        };
    };

    // Online once lou polls.
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    VERIFY_EVENTS_ANSWER(lou->pollNow({}, 0));
    TAKE_WS(on1, wanda, u"presence"_s, louIs(true));
    VERIFY_FIELDS(on1, (QJsonObject{{"type"_L1, u"presence"_s}, {"user"_L1, u"lou"_s}, {"online"_L1, true}}));

    // A poll held longer than the presence window keeps lou online.
    const LpResponse held = lou->pollNow({}, 2, kTimeoutMs);
    VERIFY_EVENTS_ANSWER(held);
    QVERIFY2(held.elapsedMs >= kWindowMs, qPrintable(u"held only %1 ms"_s.arg(held.elapsedMs)));
    QElapsedTimer sinceLastPoll;
    sinceLastPoll.start();
    QCOMPARE(wanda->count(u"presence"_s, louIs(false)), 0);

    // No poll for the presence window: offline.
    TAKE_WS(off, wanda, u"presence"_s, louIs(false), kWindowMs + 5'000);
    const qint64 offlineAfterMs = sinceLastPoll.elapsed();
    qInfo() << "presence offline" << offlineAfterMs << "ms after the last poll (window" << kWindowMs << "ms)";
    QVERIFY2(offlineAfterMs >= kWindowMs - 500, qPrintable(u"offline after %1 ms"_s.arg(offlineAfterMs)));

    // Polling again with the same token: online again.
    VERIFY_EVENTS_ANSWER(lou->pollNow({}, 0));
    TAKE_WS(on2, wanda, u"presence"_s, louIs(true));

    // Lou (long polling) watches presence too: wanda leaving reaches lou's poll.
    const QJsonObject louUsers = lou->request({{"type"_L1, u"users"_s}, {"rid"_L1, u"u1"_s}});
    QCOMPARE(louUsers.value("type"_L1).toString(), u"users"_s);
    bool wandaOnline = false;
    for (const QJsonValue &v : louUsers.value("users"_L1).toArray()) {
        if (v.toObject().value("user"_L1) == "wanda"_L1)
            wandaOnline = v.toObject().value("online"_L1).toBool();
    }
    QVERIFY2(wandaOnline, qPrintable(jsonText(louUsers)));
    wanda->close();
    TAKE_EVENT(wandaOff, lou, u"presence"_s, withField(u"user"_s, u"wanda"_s));
    VERIFY_FIELDS(wandaOff, (QJsonObject{{"type"_L1, u"presence"_s}, {"user"_L1, u"wanda"_s}, {"online"_L1, false}}));
}

// PROTOCOL.md: online while "connected over WebSocket, or with a long poll open or answered within the last
// 60 s". A long-polling device that only sends cannot receive anything: it is not online until it polls.
void TestLongPoll::sendOnlyIsOffline()
{
    WS_USER(wanda, u"wanda"_s, u"w-1"_s);
    const auto louOnline = [&wanda]() -> std::optional<bool> {
        const QJsonObject users = wanda->request({{"type"_L1, u"users"_s}}); // wanda watches presence from now on
        for (const QJsonValue &v : users.value("users"_L1).toArray()) {
            if (v.toObject().value("user"_L1) == "lou"_L1)
                return v.toObject().value("online"_L1).toBool();
        }
        return std::nullopt;
    };
    const auto louIsOnline = [](const QJsonObject &o) {
        return o.value("user"_L1) == "lou"_L1 && o.value("online"_L1) == true;
    };
    QVERIFY(!louOnline().has_value());

    LP_USER(lou, u"lou"_s, u"l-1"_s);
    QVERIFY(lou->sendMessage(u"wanda"_s, u"from a device that only sends"_s) > 0);
    TAKE_WS(message, wanda, u"message"_s);
    QCOMPARE(message.value("from"_L1).toString(), u"lou"_s);
    QCOMPARE(louOnline(), std::optional<bool>(false));
    QCOMPARE(wanda->count(u"presence"_s, louIsOnline), 0);

    // Its first poll: online from now on.
    VERIFY_EVENTS_ANSWER(lou->pollNow({}, 0));
    TAKE_WS(online, wanda, u"presence"_s, louIsOnline);
    QCOMPARE(louOnline(), std::optional<bool>(true));
}

// ---------------------------------------------------------------------------------------------------------
// Logout and load

void TestLongPoll::logout()
{
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    const QString token = lou->token();
    VERIFY_EVENTS_ANSWER(lou->pollNow({}, 0));

    const LpResponse r = lou->send(QJsonObject{{"type"_L1, u"logout"_s}, {"rid"_L1, u"bye"_s}});
    VERIFY_STATUS(r, 200);
    QCOMPARE(r.replies().size(), 1);
    VERIFY_FIELDS(r.replies()[0].toObject(), (QJsonObject{{"type"_L1, u"logged_out"_s}, {"rid"_L1, u"bye"_s}}));

    VERIFY_HTTP_ERROR(lou->pollNow({}, 0), u"auth_required"_s, QString());
    VERIFY_HTTP_ERROR(lou->send(QJsonObject{{"type"_L1, u"rooms"_s}}), u"auth_required"_s, QString());
    VERIFY_HTTP_ERROR(lou->session({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, u"l-1"_s}}),
                      u"auth_failed"_s, QString());

    // Signing in again gives a new, working token.
    QVERIFY(!lou->login(u"lou"_s, u"l-1"_s).isEmpty());
    QVERIFY(lou->token() != token);
    VERIFY_EVENTS_ANSWER(lou->pollNow({}, 0));
}

void TestLongPoll::logoutEndsHeldPoll()
{
    LP_USER(alice, u"alice"_s, u"a-1"_s);
    LP_USER(lou, u"lou"_s, u"l-1"_s);
    std::unique_ptr<LpCall> poll = lou->poll({}, 4);
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(1), kTimeoutMs);

    QElapsedTimer t;
    t.start();
    const LpResponse r = lou->send(QJsonObject{{"type"_L1, u"logout"_s}});
    VERIFY_STATUS(r, 200);
    QCOMPARE(r.replies().size(), 1);
    QCOMPARE(r.replies()[0].toObject().value("type"_L1).toString(), u"logged_out"_s);

    // Logout ends every session on the token: the held poll is answered (empty, or 401), not left hanging.
    QTRY_VERIFY_WITH_TIMEOUT(poll->isFinished(), kTimeoutMs);
    const qint64 endedAfterMs = t.elapsed();
    qInfo() << "held poll ended" << endedAfterMs << "ms after the logout was posted:" << poll->response().describe();
    QVERIFY2(poll->response().status == 200 || poll->response().status == 401, qPrintable(poll->response().describe()));
    QVERIFY2(endedAfterMs < 2'000,
             qPrintable(u"the held poll of the logged-out token ran on for %1 ms (until its own timeout)"_s.arg(
                 endedAfterMs)));
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(0), kTimeoutMs);

    // The server is fine and keeps serving; the old token is refused.
    VERIFY_HTTP_ERROR(lou->pollNow({}, 0), u"auth_required"_s, QString());
    QVERIFY(alice->sendMessage(u"lou"_s, u"you left"_s) > 0);
    VERIFY_EVENTS_ANSWER(alice->pollNow({}, 0));
}

void TestLongPoll::manyHeldPolls()
{
    constexpr int kDevices = 200;
    constexpr int kClientsPerNam = 5; // a NAM opens at most six connections per host

    const auto allFinished = [](const std::vector<std::unique_ptr<LpCall>> &calls) {
        return std::all_of(calls.cbegin(), calls.cend(), [](const auto &c) { return c->isFinished(); });
    };

    // One user, 200 devices: one registration, then 199 logins at once (one password hash each).
    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    std::vector<std::unique_ptr<LpClient>> clients;
    for (int i = 0; i < kDevices; ++i) {
        if (i % kClientsPerNam == 0)
            nams.push_back(std::make_unique<QNetworkAccessManager>());
        clients.push_back(std::make_unique<LpClient>(httpBase(), u"crowd-%1"_s.arg(i), nullptr, nams.back().get()));
    }
    QElapsedTimer t;
    t.start();
    QVERIFY(!clients.front()->registerUser(u"crowd"_s, u"c-0"_s).isEmpty());
    std::vector<std::unique_ptr<LpCall>> logins;
    for (int i = 1; i < kDevices; ++i) {
        const QJsonObject login{{"type"_L1, u"login"_s},
                                {"user"_L1, u"crowd"_s},
                                {"password"_L1, LpClient::defaultPassword(u"crowd"_s)},
                                {"device"_L1, u"c-%1"_s.arg(i)}};
        logins.push_back(clients.at(i)->start("POST", LpClient::kSessionPath,
                                              QJsonDocument(login).toJson(QJsonDocument::Compact)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(logins), 30'000);
    for (int i = 1; i < kDevices; ++i) {
        const LpResponse &r = logins.at(i - 1)->response();
        VERIFY_STATUS(r, 200);
        const QString token = r.json().value("token"_L1).toString();
        QVERIFY2(!token.isEmpty(), qPrintable(r.describe()));
        clients.at(i)->setToken(token);
    }
    LP_USER(boss, u"boss"_s, u"b-1"_s);
    QCOMPARE(stats().longPollDevices, qsizetype(kDevices + 1));
    qInfo() << kDevices << "devices signed in after" << t.elapsed() << "ms";

    // Every device holds a poll.
    t.restart();
    std::vector<std::unique_ptr<LpCall>> polls;
    for (const auto &c : clients)
        polls.push_back(c->poll({}, 30));
    QTRY_COMPARE_WITH_TIMEOUT(stats().heldPolls, qsizetype(kDevices), 30'000);
    qInfo() << kDevices << "polls held after" << t.elapsed() << "ms";
    for (const auto &p : polls)
        QVERIFY2(!p->isFinished(), qPrintable(p->response().describe()));

    t.restart();
    const qint64 id = boss->sendMessage(u"crowd"_s, u"to every device"_s);
    QVERIFY(id > 0);
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(polls), 20'000);
    qInfo() << "all" << kDevices << "held polls answered" << t.elapsed() << "ms after the send was posted";
    for (const auto &p : polls) {
        VERIFY_EVENTS_ANSWER(p->response());
        COMPARE_IDS(idsOf(p->response().events()), (QList<qint64>{id}));
    }
    QCOMPARE(stats().heldPolls, qsizetype(0));
    QCOMPARE(stats().longPollDevices, qsizetype(kDevices + 1));

    // And once more, acking: every device then has an empty queue.
    polls.clear();
    for (int i = 0; i < kDevices; ++i)
        polls.push_back(clients.at(i)->poll({id}, 0));
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(polls), 20'000);
    for (const auto &p : polls) {
        VERIFY_EVENTS_ANSWER(p->response());
        COMPARE_IDS(idsOf(p->response().events()), QList<qint64>());
    }
    TAKE_EVENT(d, boss, u"delivered"_s, withId(id));
    VERIFY_FIELDS(d, (QJsonObject{{"by"_L1, u"crowd"_s}}));
    polls.clear();
    clients.clear();
    nams.clear();
}

QTEST_GUILESS_MAIN(TestLongPoll)

#include "tst_longpoll.moc"
