// Tests of the server -> client half of the wire codec (common/protocol/serverevents.h): every envelope of
// PROTOCOL.md as the contract writes it, parsed into its typed value and encoded back; every typed event
// through the wire form and back; and malformed server envelopes, each rejected with a reason. A new server
// envelope is one row in each table (the round trip fails when an alternative of ServerEventBody has none).

#include "common/protocol/serverevents.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace natter::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(natter::protocol::ServerEvent)

namespace {

constexpr qint64 kContractTs = 1795860000000; // 2026-11-28T10:00:00.000Z, the contract's example
constexpr qint64 kMaxSafeInteger = 9007199254740991; // 2^53 - 1

ServerEvent serverEvent(ServerEventBody body, const QString &rid = {}, bool hasRid = false)
{
    return ServerEvent{rid, hasRid, std::move(body)};
}

QByteArray canonical(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString why(const ParsedServerEvent &p)
{
    return p.ok() ? u"parsed as "_s + QString::fromUtf8(canonical(p.event().toJson()))
                  : errorCodeName(p.error().code) + u": "_s + p.error().message;
}

const ChatMessage kHi{123, u"alice"_s, u"bob"_s, u"hi"_s, u"c-1"_s, kContractTs, {}};

ChatMessage withState(ChatMessage m, const QString &state)
{
    m.state = state;
    return m;
}

} // namespace

class TestServerEvents : public QObject
{
    Q_OBJECT

private slots:
    void contractEnvelopes_data();
    void contractEnvelopes();
    void roundTrip_data();
    void roundTrip();
    void everyEventHasARoundTripRow();
    void malformed_data();
    void malformed();
    void ridOfMalformedReply();
    void noSizeLimit();
};

// Each server envelope exactly as PROTOCOL.md writes it (plus a rid where the contract says it is copied).
void TestServerEvents::contractEnvelopes_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<ServerEvent>("expected");

    auto row = [](const char *tag, const char *wire, const ServerEvent &expected) {
        QTest::newRow(tag) << QByteArray(wire) << expected;
    };
    row("welcome", R"({"type":"welcome","user":"alice","device":"d-1","token":"T"})",
        serverEvent(WelcomeEvent{u"alice"_s, u"d-1"_s, u"T"_s}));
    row("welcome with rid", R"({"type":"welcome","user":"alice","device":"d-1","token":"T","rid":"r1"})",
        serverEvent(WelcomeEvent{u"alice"_s, u"d-1"_s, u"T"_s}, u"r1"_s, true));
    row("sent", R"({"type":"sent","cid":"c-1","id":123,"ts":"2026-11-28T10:00:00.000Z"})",
        serverEvent(SentEvent{u"c-1"_s, 123, kContractTs}));
    row("message", R"({"type":"message","id":123,"from":"alice","to":"bob","body":"hi","ts":"2026-11-28T10:00:00.000Z","cid":"c-1"})",
        serverEvent(kHi));
    row("message to a room", R"({"type":"message","id":7,"from":"alice","to":"#general","body":"x","ts":"2026-11-28T10:00:00.000Z","cid":"c"})",
        serverEvent(ChatMessage{7, u"alice"_s, u"#general"_s, u"x"_s, u"c"_s, kContractTs, {}}));
    row("error", R"({"type":"error","code":"not_found","message":"human-readable","rid":"r2"})",
        serverEvent(ErrorEvent{ErrorCode::NotFound, u"human-readable"_s}, u"r2"_s, true));
    row("logged_out", R"({"type":"logged_out"})", serverEvent(LoggedOutEvent{}));
    row("joined", R"({"type":"joined","room":"#general","members":["alice","bob"]})",
        serverEvent(JoinedEvent{u"#general"_s, {u"alice"_s, u"bob"_s}}));
    row("left", R"({"type":"left","room":"#general"})", serverEvent(LeftEvent{u"#general"_s}));
    row("rooms", R"({"type":"rooms","rooms":[{"room":"#general","members":3}]})",
        serverEvent(RoomsEvent{{{u"#general"_s, 3}}}));
    row("users", R"({"type":"users","users":[{"user":"bob","online":true}]})",
        serverEvent(UsersEvent{{{u"bob"_s, true}}}));
    row("history", R"({"type":"history","with":"bob","messages":[{"type":"message","id":123,"from":"alice","to":"bob","body":"hi","ts":"2026-11-28T10:00:00.000Z","cid":"c-1","state":"delivered"}]})",
        serverEvent(HistoryEvent{u"bob"_s, {withState(kHi, u"delivered"_s)}}));
    row("typing", R"({"type":"typing","from":"alice","to":"bob"})", serverEvent(TypingEvent{u"alice"_s, u"bob"_s}));
    row("read", R"({"type":"read","by":"alice","with":"alice","upto":42})",
        serverEvent(ReadEvent{u"alice"_s, u"alice"_s, 42}));
    row("member", R"({"type":"member","room":"#general","user":"dave","joined":true})",
        serverEvent(MemberEvent{u"#general"_s, u"dave"_s, true}));
    row("delivered", R"({"type":"delivered","id":123,"by":"bob"})", serverEvent(DeliveredEvent{123, u"bob"_s}));
    row("presence", R"({"type":"presence","user":"bob","online":false})", serverEvent(PresenceEvent{u"bob"_s, false}));
    row("unknown fields are ignored", R"({"type":"presence","user":"bob","online":true,"since":5,"x":{}})",
        serverEvent(PresenceEvent{u"bob"_s, true}));
}

void TestServerEvents::contractEnvelopes()
{
    QFETCH(QByteArray, wire);
    QFETCH(ServerEvent, expected);

    const ParsedServerEvent parsed = parseServerEvent(wire);
    QVERIFY2(parsed.ok(), qPrintable(why(parsed)));
    QCOMPARE(canonical(parsed.event().toJson()), canonical(expected.toJson()));
    QVERIFY(parsed.event() == expected);
    // Encoding the typed value gives the contract's text back (unknown fields aside).
    QJsonObject contract = QJsonDocument::fromJson(wire).object();
    contract.remove("since"_L1);
    contract.remove("x"_L1);
    QCOMPARE(canonical(expected.toJson()), canonical(contract));
}

// Typed events of every kind, with awkward values: the rows of roundTrip().
QList<QPair<QString, ServerEvent>> roundTripRows()
{
    QList<QPair<QString, ServerEvent>> rows{
        {u"welcome"_s, serverEvent(WelcomeEvent{u"Alice.B-2"_s, u"laptop:\"x\""_s, u"tökén"_s}, u"r"_s, true)},
        {u"sent"_s, serverEvent(SentEvent{u"c-1"_s, kMaxSafeInteger, 0}, u""_s, true)},
        {u"message"_s, serverEvent(ChatMessage{9, u"bob"_s, u"alice"_s, u"안녕 😀 e\u0301 שלום\n\t\"\\"_s, u"c"_s, 1, {}})},
        {u"message with state"_s, serverEvent(withState(kHi, u"read"_s))},
        {u"delivered"_s, serverEvent(DeliveredEvent{1, u"bob"_s})},
        {u"read"_s, serverEvent(ReadEvent{u"bob"_s, u"alice"_s, kMaxSafeInteger})},
        {u"typing in a room"_s, serverEvent(TypingEvent{u"bob"_s, u"#team"_s})},
        {u"presence"_s, serverEvent(PresenceEvent{u"carol"_s, true})},
        {u"member left"_s, serverEvent(MemberEvent{u"#team"_s, u"dave"_s, false})},
        {u"joined, alone"_s, serverEvent(JoinedEvent{u"#new"_s, {u"alice"_s}}, u"j"_s, true)},
        {u"left"_s, serverEvent(LeftEvent{u"#team"_s}, u"l"_s, true)},
        {u"rooms, none"_s, serverEvent(RoomsEvent{})},
        {u"rooms, several"_s, serverEvent(RoomsEvent{{{u"#a"_s, 1}, {u"#b"_s, 0}}})},
        {u"users, none"_s, serverEvent(UsersEvent{})},
        {u"users, several"_s, serverEvent(UsersEvent{{{u"bob"_s, true}, {u"carol"_s, false}}})},
        {u"history, empty"_s, serverEvent(HistoryEvent{u"#team"_s, {}}, u"h"_s, true)},
        {u"history, page"_s, serverEvent(HistoryEvent{u"bob"_s, {kHi, withState(kHi, u"sent"_s)}})},
        {u"logged_out"_s, serverEvent(LoggedOutEvent{}, u"bye"_s, true)},
    };
    for (ErrorCode code : {ErrorCode::BadRequest, ErrorCode::AuthRequired, ErrorCode::AuthFailed,
                           ErrorCode::UserExists, ErrorCode::NotFound, ErrorCode::Forbidden, ErrorCode::TooLarge,
                           ErrorCode::RateLimited, ErrorCode::Internal})
        rows.append({u"error "_s + errorCodeName(code), serverEvent(ErrorEvent{code, u"why"_s}, u"e"_s, true)});
    return rows;
}

void TestServerEvents::roundTrip_data()
{
    QTest::addColumn<ServerEvent>("original");
    for (const auto &[tag, e] : roundTripRows())
        QTest::newRow(qPrintable(tag)) << e;
}

void TestServerEvents::roundTrip()
{
    QFETCH(ServerEvent, original);

    const QJsonObject json = original.toJson();
    QCOMPARE(json.value("type"_L1).toString(), original.typeName());
    QCOMPARE(json.contains("rid"_L1), original.hasRid);
    for (const ParsedServerEvent &p : {parseServerEvent(encode(json)), parseServerEvent(json)}) {
        QVERIFY2(p.ok(), qPrintable(why(p)));
        QCOMPARE(canonical(p.event().toJson()), canonical(json));
        QVERIFY(p.event() == original);
        QCOMPARE(p.rid, original.rid);
        QCOMPARE(p.hasRid, original.hasRid);
    }
}

// The round-trip table names every alternative of ServerEventBody: adding an envelope without a row fails.
void TestServerEvents::everyEventHasARoundTripRow()
{
    QSet<std::size_t> covered;
    for (const auto &row : roundTripRows())
        covered.insert(row.second.body.index());
    QCOMPARE(std::size_t(covered.size()), std::variant_size_v<ServerEventBody>);
}

void TestServerEvents::malformed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("reason"); // a part of the error message

    auto row = [](const char *tag, const char *wire, const char *reason) {
        QTest::newRow(tag) << QByteArray(wire) << QString::fromUtf8(reason);
    };
    // The envelope itself.
    row("not JSON", R"({"type":"sent")", "not valid JSON");
    row("an array", R"([{"type":"logged_out"}])", "must be a JSON object");
    row("no type", R"({"user":"alice"})", "missing field 'type'");
    row("type not a string", R"({"type":7})", "field 'type' must be a string");
    row("unknown type", R"({"type":"teleport"})", "unknown type 'teleport'");
    // welcome
    row("welcome without token", R"({"type":"welcome","user":"alice","device":"d-1"})", "missing field 'token'");
    row("welcome, empty token", R"({"type":"welcome","user":"alice","device":"d-1","token":""})", "'token' must be non-empty");
    row("welcome, bad user", R"({"type":"welcome","user":"al ice","device":"d-1","token":"T"})", "'user' must be a user name");
    row("welcome, bad device", R"({"type":"welcome","user":"alice","device":"d 1","token":"T"})", "'device' must be 1-64");
    // sent
    row("sent, id 0", R"({"type":"sent","cid":"c","id":0,"ts":"2026-11-28T10:00:00.000Z"})", "'id' must be a positive integer");
    row("sent, id 1.5", R"({"type":"sent","cid":"c","id":1.5,"ts":"2026-11-28T10:00:00.000Z"})", "'id' must be a positive integer");
    row("sent, id a string", R"({"type":"sent","cid":"c","id":"5","ts":"2026-11-28T10:00:00.000Z"})", "'id' must be a positive integer");
    row("sent, id past 2^53", R"({"type":"sent","cid":"c","id":9007199254740993,"ts":"2026-11-28T10:00:00.000Z"})", "'id' must be a positive integer");
    row("sent, no ts", R"({"type":"sent","cid":"c","id":1})", "missing field 'ts'");
    row("sent, ts not a time", R"({"type":"sent","cid":"c","id":1,"ts":"soon"})", "'ts' must be an ISO 8601 timestamp");
    row("sent, empty cid", R"({"type":"sent","cid":"","id":1,"ts":"2026-11-28T10:00:00.000Z"})", "'cid' must be 1-128");
    // message
    row("message, no body", R"({"type":"message","id":1,"from":"a","to":"b","ts":"2026-11-28T10:00:00.000Z","cid":"c"})", "missing field 'body'");
    row("message, empty body", R"({"type":"message","id":1,"from":"a","to":"b","body":"","ts":"2026-11-28T10:00:00.000Z","cid":"c"})", "'body' must be 1 to 8000");
    row("message, bad to", R"({"type":"message","id":1,"from":"a","to":"#","body":"x","ts":"2026-11-28T10:00:00.000Z","cid":"c"})", "'to' must be a user name or #room");
    row("message, no cid", R"({"type":"message","id":1,"from":"a","to":"b","body":"x","ts":"2026-11-28T10:00:00.000Z"})", "missing field 'cid'");
    row("message, unknown state", R"({"type":"message","id":1,"from":"a","to":"b","body":"x","ts":"2026-11-28T10:00:00.000Z","cid":"c","state":"seen"})", "state must be sent, delivered or read");
    // receipts, typing, presence, member
    row("delivered, no by", R"({"type":"delivered","id":1})", "missing field 'by'");
    row("read, upto negative", R"({"type":"read","by":"a","with":"b","upto":-1})", "'upto' must be a positive integer");
    row("typing, from a room", R"({"type":"typing","from":"#r","to":"b"})", "'from' must be a user name");
    row("presence, online a string", R"({"type":"presence","user":"bob","online":"yes"})", "'online' must be true or false");
    row("member, no joined", R"({"type":"member","room":"#r","user":"bob"})", "missing field 'joined'");
    row("member, room without #", R"({"type":"member","room":"r","user":"bob","joined":true})", "'room' must be a #room");
    // replies with lists
    row("joined, members not a list", R"({"type":"joined","room":"#r","members":"alice"})", "'members' must be an array");
    row("joined, a member not a name", R"({"type":"joined","room":"#r","members":["alice",3]})", "members must be user names");
    row("left, no room", R"({"type":"left"})", "missing field 'room'");
    row("rooms, negative members", R"({"type":"rooms","rooms":[{"room":"#r","members":-1}]})", "whole number >= 0");
    row("rooms, an entry not an object", R"({"type":"rooms","rooms":["#r"]})", "'rooms' must hold objects");
    row("users, no online", R"({"type":"users","users":[{"user":"bob"}]})", "in 'users': missing field 'online'");
    row("history, no messages", R"({"type":"history","with":"bob"})", "missing field 'messages'");
    row("history, a broken message", R"({"type":"history","with":"bob","messages":[{"id":1,"from":"a","to":"b","body":"x","ts":"x","cid":"c"}]})", "in 'messages': field 'ts' must be an ISO 8601 timestamp");
    // error
    row("error, unknown code", R"({"type":"error","code":"teapot","message":"m"})", "unknown error code 'teapot'");
    row("error, no message", R"({"type":"error","code":"internal"})", "missing field 'message'");
}

void TestServerEvents::malformed()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, reason);

    const ParsedServerEvent p = parseServerEvent(wire);
    QVERIFY2(!p.ok(), qPrintable(why(p)));
    QCOMPARE(p.error().code, ErrorCode::BadRequest);
    QVERIFY2(p.error().message.contains(reason), qPrintable(p.error().message));
}

// A reply that breaks the contract still names the request it answers, so a client can stop waiting for it.
void TestServerEvents::ridOfMalformedReply()
{
    const ParsedServerEvent p = parseServerEvent(R"({"type":"rooms","rooms":7,"rid":"q-1"})"_ba);
    QVERIFY(!p.ok());
    QVERIFY(p.hasRid);
    QCOMPARE(p.rid, u"q-1"_s);
    const ParsedServerEvent none = parseServerEvent(R"({"type":"rooms","rooms":7})"_ba);
    QVERIFY(!none.ok());
    QVERIFY(!none.hasRid);
}

// Requests are held to 64 KiB; a server's history page may be larger and still parses.
void TestServerEvents::noSizeLimit()
{
    HistoryEvent page{u"bob"_s, {}};
    for (qint64 id = 1; id <= 200; ++id)
        page.messages.append(ChatMessage{id, u"alice"_s, u"bob"_s, QString(2000, u'x'), u"c-%1"_s.arg(id), kContractTs, {}});
    const QByteArray wire = encode(serverEvent(page).toJson());
    QVERIFY(wire.size() > 64 * 1024);
    const ParsedServerEvent p = parseServerEvent(wire);
    QVERIFY2(p.ok(), qPrintable(why(p)));
    QCOMPARE(std::get<HistoryEvent>(p.event().body).messages.size(), 200);
}

QTEST_GUILESS_MAIN(TestServerEvents)
#include "tst_serverevents.moc"
