// Tests of the natter_common wire codec against PROTOCOL.md: request parsing and validation,
// event builders, timestamps and error codes. Everything is fed as bytes or JSON values; no sockets.

#include "common/protocol/batch.h"
#include "common/protocol/errors.h"
#include "common/protocol/events.h"
#include "common/protocol/requests.h"
#include "common/protocol/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

#include <type_traits>

using namespace natter::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(natter::protocol::ErrorCode)
Q_DECLARE_METATYPE(natter::protocol::Request)
Q_DECLARE_METATYPE(natter::protocol::ChatMessage)

namespace {

constexpr qint64 kContractTs = 1795860000000; // 2026-11-28T10:00:00.000Z, the contract's example
constexpr qint64 kMaxSafeInteger = 9007199254740991; // 2^53 - 1, the largest id JSON carries exactly

// A one-line description of a typed request, read from its fields (not via toJson()), for tables to state.
QString describe(const RequestBody &body)
{
    return std::visit(
        [](const auto &b) -> QString {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, RegisterRequest>)
                return u"register user=%1 password=%2 device=%3"_s.arg(b.user, b.password, b.device);
            else if constexpr (std::is_same_v<T, LoginRequest>)
                return u"login user=%1 password=%2 device=%3"_s.arg(b.user, b.password, b.device);
            else if constexpr (std::is_same_v<T, ResumeRequest>)
                return u"resume token=%1 device=%2"_s.arg(b.token, b.device);
            else if constexpr (std::is_same_v<T, LogoutRequest>)
                return u"logout"_s;
            else if constexpr (std::is_same_v<T, SendRequest>)
                return u"send to=%1 body=%2 cid=%3"_s.arg(b.to, b.body, b.cid);
            else if constexpr (std::is_same_v<T, AckRequest>) {
                QStringList ids;
                for (qint64 id : b.ids)
                    ids << QString::number(id);
                return u"ack ids=%1"_s.arg(ids.join(u','));
            } else if constexpr (std::is_same_v<T, JoinRequest>)
                return u"join room=%1"_s.arg(b.room);
            else if constexpr (std::is_same_v<T, LeaveRequest>)
                return u"leave room=%1"_s.arg(b.room);
            else if constexpr (std::is_same_v<T, RoomsRequest>)
                return u"rooms"_s;
            else if constexpr (std::is_same_v<T, UsersRequest>)
                return u"users"_s;
            else if constexpr (std::is_same_v<T, HistoryRequest>)
                return u"history with=%1 before=%2 limit=%3"_s.arg(b.with, QString::number(b.before),
                                                                   QString::number(b.limit));
            else if constexpr (std::is_same_v<T, TypingRequest>)
                return u"typing to=%1"_s.arg(b.to);
            else {
                static_assert(std::is_same_v<T, ReadRequest>, "describe() misses a request type");
                return u"read with=%1 upto=%2"_s.arg(b.with, QString::number(b.upto));
            }
        },
        body);
}

QString why(const ParsedRequest &p)
{
    return p.ok() ? u"parsed as: "_s + describe(p.request().body)
                  : errorCodeName(p.error().code) + u": "_s + p.error().message;
}

// Stable text of a JSON object (Qt sorts keys), so QCOMPARE prints both sides on failure.
QByteArray canonical(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
QByteArray canonical(const QByteArray &json)
{
    return canonical(QJsonDocument::fromJson(json).object());
}

Request makeRequest(RequestBody body, const QString &rid = {}, bool hasRid = false)
{
    return Request{rid, hasRid, std::move(body)};
}

// A valid `rooms` envelope padded with an ignored field to exactly `totalBytes` bytes of UTF-8.
QByteArray paddedEnvelope(qsizetype totalBytes, const QByteArray &unit)
{
    const QByteArray tail = R"("})";
    QByteArray env = R"({"type":"rooms","rid":"big","pad":")";
    while (env.size() + unit.size() + tail.size() <= totalBytes)
        env += unit;
    while (env.size() + tail.size() < totalBytes)
        env += 'x';
    return env + tail;
}

QString controlCharacters()
{
    QString s;
    for (char16_t c : {u'\t', u'\n', u'\r', char16_t(0x01), char16_t(0x1b), char16_t(0x7f), char16_t(0x85)})
        s += QChar(c);
    return s;
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private slots:
    // Requests, client -> server.
    void goodEnvelopes_data(); void goodEnvelopes();
    void malformedEnvelopes_data(); void malformedEnvelopes();
    void envelopeSizeLimit_data(); void envelopeSizeLimit();
    void body_data(); void body();
    void names_data(); void names();
    void messageIds_data(); void messageIds();
    void rid_data(); void rid();
    void requestRoundTrip_data(); void requestRoundTrip();
    void requestBatch_data(); void requestBatch();
    // Validation helpers.
    void codePointCount_data(); void codePointCount();
    void nameKey_data(); void nameKey();
    void lookalikes_data(); void lookalikes();
    // Events, server -> client.
    void timestamps_data(); void timestamps();
    void eventBuilders_data(); void eventBuilders();
    void chatMessageRoundTrip_data(); void chatMessageRoundTrip();
    void chatMessageRejects_data(); void chatMessageRejects();
    void encodeMessageMatchesJsonDocument_data(); void encodeMessageMatchesJsonDocument();
    void withRid();
    void encodeIsCompactUtf8_data(); void encodeIsCompactUtf8();
    void errorCodes_data(); void errorCodes();
};

// ---------------------------------------------------------------- requests: good envelopes

void TestCodec::goodEnvelopes_data()
{
    QTest::addColumn<QByteArray>("envelope");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("rid");
    QTest::addColumn<bool>("hasRid");

    auto row = [](const char *name, const char *json, const QString &expected, const QString &rid = {},
                  bool hasRid = false) {
        QTest::newRow(name) << QByteArray(json) << expected << rid << hasRid;
    };

    row("register", R"({"type":"register","user":"alice","password":"pw","device":"d-1"})",
        u"register user=alice password=pw device=d-1"_s);
    row("register at limits",
        R"({"type":"register","user":"Abcdefghijklmnopqrstuvwxyz_.-019","password":"correct horse ✓",)"
        R"("device":"!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"})", // 64: '!'..'`'
        u"register user=Abcdefghijklmnopqrstuvwxyz_.-019 password=correct horse ✓ "
        u"device=!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"_s);
    row("login", R"({"type":"login","user":"alice","password":"pw","device":"d-1"})",
        u"login user=alice password=pw device=d-1"_s);
    row("login with rid", R"({"type":"login","user":"Alice","password":"pw","device":"d-1","rid":"r-7"})",
        u"login user=Alice password=pw device=d-1"_s, u"r-7"_s, true);
    row("resume", R"({"type":"resume","token":"T","device":"d-1"})", u"resume token=T device=d-1"_s);
    row("logout", R"({"type":"logout"})", u"logout"_s);
    row("logout with rid", R"({"type":"logout","rid":"bye"})", u"logout"_s, u"bye"_s, true);
    row("send to user", R"({"type":"send","to":"bob","body":"hi","cid":"c-1"})",
        u"send to=bob body=hi cid=c-1"_s);
    row("send to room",
        R"({"type":"send","to":"#general","body":"hello all","cid":"3f2b6c1e-0d4a-4c2e-9b1a-2f4e5d6c7b8a"})",
        u"send to=#general body=hello all cid=3f2b6c1e-0d4a-4c2e-9b1a-2f4e5d6c7b8a"_s);
    row("send, unknown fields ignored",
        R"({"type":"send","to":"bob","body":"hi","cid":"c-1","v":2,"extra":{"nested":[1,null]},"rid":"r1"})",
        u"send to=bob body=hi cid=c-1"_s, u"r1"_s, true);
    row("send, keys in any order", R"({"cid":"c-1","body":"hi","to":"bob","type":"send"})",
        u"send to=bob body=hi cid=c-1"_s);
    row("send, escaped body", R"({"type":"send","to":"bob","body":"a\"b\\c\u00e9\ud83d\ude00","cid":"c"})",
        u"send to=bob body=a\"b\\cé😀 cid=c"_s);
    row("ack", R"({"type":"ack","ids":[123,124]})", u"ack ids=123,124"_s);
    row("ack largest safe id", R"({"type":"ack","ids":[9007199254740991]})", u"ack ids=9007199254740991"_s);
    row("join", R"({"type":"join","room":"#general"})", u"join room=#general"_s);
    row("leave", R"({"type":"leave","room":"#general"})", u"leave room=#general"_s);
    row("rooms", R"({"type":"rooms"})", u"rooms"_s);
    row("users", R"({"type":"users","rid":"u"})", u"users"_s, u"u"_s, true);
    row("history, newest page", R"({"type":"history","with":"bob"})",
        u"history with=bob before=0 limit=50"_s);
    row("history, before and limit", R"({"type":"history","with":"#general","before":100,"limit":20})",
        u"history with=#general before=100 limit=20"_s);
    row("history, limit 1", R"({"type":"history","with":"bob","limit":1})",
        u"history with=bob before=0 limit=1"_s);
    row("history, limit 200", R"({"type":"history","with":"bob","limit":200})",
        u"history with=bob before=0 limit=200"_s);
    row("history, null before and limit", R"({"type":"history","with":"bob","before":null,"limit":null})",
        u"history with=bob before=0 limit=50"_s);
    row("typing to user", R"({"type":"typing","to":"bob"})", u"typing to=bob"_s);
    row("typing to room", R"({"type":"typing","to":"#general"})", u"typing to=#general"_s);
    row("read", R"({"type":"read","with":"bob","upto":42})", u"read with=bob upto=42"_s);
    row("read in room", R"({"type":"read","with":"#general","upto":7})", u"read with=#general upto=7"_s);
    row("pretty-printed", "{\n  \"type\" : \"rooms\",\n  \"rid\" : \"p\"\n}\n", u"rooms"_s, u"p"_s, true);
    row("empty rid", R"({"type":"rooms","rid":""})", u"rooms"_s, QString(), true);
    row("unicode rid", R"({"type":"rooms","rid":"ключ-1"})", u"rooms"_s, u"ключ-1"_s, true);
}

void TestCodec::goodEnvelopes()
{
    QFETCH(QByteArray, envelope);
    QFETCH(QString, expected);
    QFETCH(QString, rid);
    QFETCH(bool, hasRid);

    const ParsedRequest p = parseRequest(envelope);
    QVERIFY2(p.ok(), qPrintable(why(p)));
    QCOMPARE(describe(p.request().body), expected);
    QCOMPARE(p.request().hasRid, hasRid);
    QCOMPARE(p.request().rid, rid);
    QCOMPARE(p.hasRid, hasRid);
    QCOMPARE(p.rid, rid);
    const bool auth = expected.startsWith("register "_L1) || expected.startsWith("login "_L1)
        || expected.startsWith("resume "_L1);
    QCOMPARE(p.request().isAuthentication(), auth);
}

// ---------------------------------------------------------------- requests: malformed envelopes

void TestCodec::malformedEnvelopes_data()
{
    QTest::addColumn<QByteArray>("envelope");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mention"); // a word the message must contain, or empty

    auto bad = [](const char *name, const QByteArray &json, const QString &mention = {}) {
        QTest::newRow(name) << json << u"bad_request"_s << mention;
    };

    // Not an object.
    bad("empty input", "");
    bad("whitespace only", "  \n");
    bad("not JSON", "hello");
    bad("truncated JSON", R"({"type":"send","to":"bob")");
    bad("trailing garbage", R"({"type":"rooms"} x)");
    bad("array", R"([{"type":"rooms"}])");
    bad("number", "42");
    bad("string", R"("rooms")");
    bad("null", "null");
    // The type.
    bad("missing type", R"({"user":"alice"})", u"type"_s);
    bad("empty object", "{}", u"type"_s);
    bad("type is a number", R"({"type":1})", u"type"_s);
    bad("type is an array", R"({"type":["rooms"]})", u"type"_s);
    bad("unknown type", R"({"type":"frobnicate"})", u"frobnicate"_s);
    bad("empty type", R"({"type":""})");
    bad("type in other case", R"({"type":"Send","to":"bob","body":"hi","cid":"c"})", u"Send"_s);
    bad("server-only type", R"({"type":"welcome","user":"alice","device":"d","token":"T"})", u"welcome"_s);
    // Identity.
    bad("register without user", R"({"type":"register","password":"pw","device":"d-1"})", u"user"_s);
    bad("register, user is a number", R"({"type":"register","user":5,"password":"pw","device":"d-1"})",
        u"user"_s);
    bad("register without password", R"({"type":"register","user":"alice","device":"d-1"})", u"password"_s);
    bad("register, empty password", R"({"type":"register","user":"alice","password":"","device":"d-1"})",
        u"password"_s);
    bad("register without device", R"({"type":"register","user":"alice","password":"pw"})", u"device"_s);
    bad("login, password is null", R"({"type":"login","user":"alice","password":null,"device":"d-1"})",
        u"password"_s);
    bad("resume without token", R"({"type":"resume","device":"d-1"})", u"token"_s);
    bad("resume, empty token", R"({"type":"resume","token":"","device":"d-1"})", u"token"_s);
    bad("resume without device", R"({"type":"resume","token":"T"})", u"device"_s);
    // send
    bad("send without to", R"({"type":"send","body":"hi","cid":"c"})", u"to"_s);
    bad("send to a bad name", R"({"type":"send","to":"bob smith","body":"hi","cid":"c"})", u"to"_s);
    bad("send without body", R"({"type":"send","to":"bob","cid":"c"})", u"body"_s);
    bad("send, body is a number", R"({"type":"send","to":"bob","body":42,"cid":"c"})", u"body"_s);
    bad("send, empty body", R"({"type":"send","to":"bob","body":"","cid":"c"})", u"body"_s);
    bad("send without cid", R"({"type":"send","to":"bob","body":"hi"})", u"cid"_s);
    bad("send, empty cid", R"({"type":"send","to":"bob","body":"hi","cid":""})", u"cid"_s);
    bad("send, cid is a number", R"({"type":"send","to":"bob","body":"hi","cid":7})", u"cid"_s);
    bad("send, cid of 129 characters",
        R"({"type":"send","to":"bob","body":"hi","cid":")" + QByteArray(129, 'c') + R"("})", u"cid"_s);
    // ack
    bad("ack without ids", R"({"type":"ack"})", u"ids"_s);
    bad("ack, ids is a number", R"({"type":"ack","ids":123})", u"ids"_s);
    bad("ack, id is a string", R"({"type":"ack","ids":["123"]})", u"ids"_s);
    bad("ack, id beyond int64", R"({"type":"ack","ids":[99999999999999999999]})", u"ids"_s);
    bad("ack, one bad id among good", R"({"type":"ack","ids":[1,2,-3]})", u"ids"_s);
    // join / leave
    bad("join without room", R"({"type":"join"})", u"room"_s);
    bad("join, room is a number", R"({"type":"join","room":1})", u"room"_s);
    bad("leave without room", R"({"type":"leave"})", u"room"_s);
    // history
    bad("history without with", R"({"type":"history"})", u"with"_s);
    bad("history, with is null", R"({"type":"history","with":null})", u"with"_s);
    bad("history, limit 0", R"({"type":"history","with":"bob","limit":0})", u"limit"_s);
    bad("history, limit 201", R"({"type":"history","with":"bob","limit":201})", u"limit"_s);
    bad("history, limit 2.5", R"({"type":"history","with":"bob","limit":2.5})", u"limit"_s);
    bad("history, limit is a string", R"({"type":"history","with":"bob","limit":"50"})", u"limit"_s);
    bad("history, before is a string", R"({"type":"history","with":"bob","before":"100"})", u"before"_s);
    // typing / read
    bad("typing without to", R"({"type":"typing"})", u"to"_s);
    bad("read without with", R"({"type":"read","upto":1})", u"with"_s);
    bad("read without upto", R"({"type":"read","with":"bob"})", u"upto"_s);
    bad("read, upto is a string", R"({"type":"read","with":"bob","upto":"1"})", u"upto"_s);
    // The size limit wins over everything else.
    QTest::newRow("oversize garbage") << QByteArray(70000, '[') << u"too_large"_s << QString();
    QTest::newRow("oversize array") << (R"([")" + QByteArray(70000, 'a') + R"("])") << u"too_large"_s
                                    << QString();
}

void TestCodec::malformedEnvelopes()
{
    QFETCH(QByteArray, envelope);
    QFETCH(QString, code);
    QFETCH(QString, mention);

    const ParsedRequest p = parseRequest(envelope);
    QVERIFY2(!p.ok(), qPrintable(why(p)));
    QCOMPARE(errorCodeName(p.error().code), code);
    QVERIFY(!p.error().message.isEmpty());
    if (!mention.isEmpty())
        QVERIFY2(p.error().message.contains(mention), qPrintable(p.error().message));
    // The error must become a well-formed error envelope.
    const QJsonObject reply = events::error(p.error());
    QCOMPARE(reply.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(reply.value("code"_L1).toString(), code);
}

void TestCodec::envelopeSizeLimit_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QByteArray>("unit");
    QTest::addColumn<bool>("tooLarge");

    QTest::newRow("1 byte under 64 KiB") << 65535 << QByteArray("x") << false;
    QTest::newRow("exactly 64 KiB") << 65536 << QByteArray("x") << false;
    QTest::newRow("1 byte over 64 KiB") << 65537 << QByteArray("x") << true;
    QTest::newRow("exactly 64 KiB of 2-byte UTF-8") << 65536 << QByteArray("é") << false;
    QTest::newRow("over in UTF-8 bytes, under in characters") << 65537 << QByteArray("é") << true;
    QTest::newRow("exactly 64 KiB of 4-byte UTF-8") << 65536 << QByteArray("😀") << false;
    QTest::newRow("1 MiB") << 1024 * 1024 << QByteArray("x") << true;
}

void TestCodec::envelopeSizeLimit()
{
    QFETCH(int, bytes);
    QFETCH(QByteArray, unit);
    QFETCH(bool, tooLarge);

    const QByteArray envelope = paddedEnvelope(bytes, unit);
    QCOMPARE(envelope.size(), qsizetype(bytes));
    const ParsedRequest p = parseRequest(envelope);
    if (tooLarge) {
        QVERIFY2(!p.ok(), qPrintable(why(p)));
        QCOMPARE(p.error().code, ErrorCode::TooLarge);
    } else {
        QVERIFY2(p.ok(), qPrintable(why(p)));
        QVERIFY(std::holds_alternative<RoomsRequest>(p.request().body));
        QCOMPARE(p.request().rid, u"big"_s);
    }
}

// ---------------------------------------------------------------- requests: field validation

void TestCodec::body_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("codePoints");
    QTest::addColumn<bool>("valid");

    const QString emoji = u"😀"_s; // U+1F600: one code point, two UTF-16 units, four UTF-8 bytes
    QTest::newRow("empty") << QString() << 0 << false;
    QTest::newRow("one character") << u"x"_s << 1 << true;
    QTest::newRow("whitespace only") << u"   "_s << 3 << true;
    QTest::newRow("8000 ASCII") << QString(8000, u'a') << 8000 << true;
    QTest::newRow("8001 ASCII") << QString(8001, u'a') << 8001 << false;
    QTest::newRow("8000 emoji (16000 UTF-16 units)") << emoji.repeated(8000) << 8000 << true;
    QTest::newRow("8001 emoji") << emoji.repeated(8001) << 8001 << false;
    QTest::newRow("7999 ASCII + 1 emoji") << QString(7999, u'a') + emoji << 8000 << true;
    QTest::newRow("8000 ASCII + 1 emoji") << QString(8000, u'a') + emoji << 8001 << false;
    QTest::newRow("8000 Hangul syllables") << QString(8000, QChar(0xD55C)) << 8000 << true;
    QTest::newRow("Hangul") << u"안녕하세요, 세계!"_s << 10 << true;
    QTest::newRow("combining characters") << u"e\u0301 a\u0308\u0304 Z\u0335\u0336"_s << 10 << true;
    QTest::newRow("RTL Hebrew and Arabic") << u"שלום مرحبا"_s << 10 << true;
    QTest::newRow("bidi marks") << u"\u200Fabc\u202Edef\u202C"_s << 9 << true;
    QTest::newRow("control characters") << controlCharacters() << 7 << true;
    QTest::newRow("ZWJ family emoji") << u"👨‍👩‍👧"_s << 5 << true;
}

void TestCodec::body()
{
    QFETCH(QString, body);
    QFETCH(int, codePoints);
    QFETCH(bool, valid);

    QCOMPARE(natter::protocol::codePointCount(body), qsizetype(codePoints));
    QCOMPARE(isValidBody(body), valid);

    const QJsonObject o{{"type"_L1, u"send"_s}, {"to"_L1, u"bob"_s}, {"body"_L1, body}, {"cid"_L1, u"c-1"_s}};
    const ParsedRequest p = parseRequest(encode(o));
    if (!valid) {
        QVERIFY2(!p.ok(), qPrintable(why(p)));
        QCOMPARE(p.error().code, ErrorCode::BadRequest); // not too_large: that is for the envelope
        return;
    }
    QVERIFY2(p.ok(), qPrintable(why(p)));
    const auto *send = std::get_if<SendRequest>(&p.request().body);
    QVERIFY(send);
    QCOMPARE(send->body, body);
}

void TestCodec::names_data()
{
    QTest::addColumn<QString>("kind"); // user, room, device or cid
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    auto row = [](const char *kind, const char *tag, const QString &value, bool valid) {
        QTest::addRow("%s: %s", kind, tag) << QString::fromLatin1(kind) << value << valid;
    };
    row("user", "one letter", u"a"_s, true);
    row("user", "every allowed kind", u"Alice_B.c-9"_s, true);
    row("user", "digits only", u"123"_s, true);
    row("user", "32 characters", QString(32, u'z'), true);
    row("user", "33 characters", QString(33, u'z'), false);
    row("user", "empty", QString(), false);
    row("user", "inner space", u"al ice"_s, false);
    row("user", "leading space", u" alice"_s, false);
    row("user", "trailing space", u"alice "_s, false);
    row("user", "tab", u"al\tice"_s, false);
    row("user", "accented letter", u"élodie"_s, false);
    row("user", "Cyrillic", u"Алиса"_s, false);
    row("user", "Hangul", u"앨리스"_s, false);
    row("user", "fullwidth a", u"ａlice"_s, false);
    row("user", "leading '#'", u"#alice"_s, false);
    row("user", "inner '#'", u"al#ice"_s, false);
    row("user", "'@'", u"alice@host"_s, false);

    row("room", "plain", u"#general"_s, true);
    row("room", "one character", u"#a"_s, true);
    row("room", "every allowed kind", u"#Team_B.c-9"_s, true);
    row("room", "32 characters after '#'", u"#"_s + QString(32, u'r'), true);
    row("room", "33 characters after '#'", u"#"_s + QString(33, u'r'), false);
    row("room", "no '#'", u"general"_s, false);
    row("room", "'#' alone", u"#"_s, false);
    row("room", "'##x'", u"##x"_s, false);
    row("room", "trailing '#'", u"#general#"_s, false);
    row("room", "empty", QString(), false);
    row("room", "space before '#'", u" #general"_s, false);
    row("room", "inner space", u"#gen eral"_s, false);
    row("room", "accented letter", u"#café"_s, false);

    row("device", "plain", u"d-1"_s, true);
    row("device", "'!' alone", u"!"_s, true);
    row("device", "'~' alone", u"~"_s, true);
    row("device", "punctuation", u"laptop/{work}#2@home"_s, true);
    row("device", "64 characters", QString(64, u'd'), true);
    row("device", "65 characters", QString(65, u'd'), false);
    row("device", "empty", QString(), false);
    row("device", "space", u"my laptop"_s, false);
    row("device", "tab", u"my\tlaptop"_s, false);
    row("device", "newline", u"laptop\n"_s, false);
    row("device", "control U+0001", u"d"_s + QChar(0x01), false);
    row("device", "DEL", u"d"_s + QChar(0x7f), false);
    row("device", "accented letter", u"dévice"_s, false);
    row("device", "CJK", u"设备"_s, false);
    row("device", "emoji", u"📱"_s, false);

    row("cid", "one character", u"c"_s, true);
    row("cid", "UUID", u"3f2b6c1e-0d4a-4c2e-9b1a-2f4e5d6c7b8a"_s, true);
    row("cid", "braced UUID", u"{3f2b6c1e-0d4a-4c2e-9b1a-2f4e5d6c7b8a}"_s, true);
    row("cid", "128 characters", QString(128, u'c'), true);
    row("cid", "129 characters", QString(129, u'c'), false);
    row("cid", "empty", QString(), false);
}

void TestCodec::names()
{
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(bool, valid);

    auto credentials = [](const QString &type, const QString &user, const QString &device) {
        return QJsonObject{
            {"type"_L1, type}, {"user"_L1, user}, {"password"_L1, u"pw"_s}, {"device"_L1, device}};
    };
    QList<QJsonObject> envelopes; // each must parse exactly when the value is valid
    if (kind == "user"_L1) {
        QCOMPARE(isValidUserName(value), valid);
        envelopes = {credentials(u"register"_s, value, u"d-1"_s), credentials(u"login"_s, value, u"d-1"_s)};
        if (!value.startsWith(u'#')) // as a destination, "#x" is a room
            envelopes.append({{"type"_L1, u"history"_s}, {"with"_L1, value}});
    } else if (kind == "room"_L1) {
        QCOMPARE(isValidRoomName(value), valid);
        envelopes = {{{"type"_L1, u"join"_s}, {"room"_L1, value}},
                     {{"type"_L1, u"leave"_s}, {"room"_L1, value}}};
        if (value.startsWith(u'#')) // as a destination, a name without '#' is a user
            envelopes.append({{"type"_L1, u"typing"_s}, {"to"_L1, value}});
    } else if (kind == "device"_L1) {
        QCOMPARE(isValidDevice(value), valid);
        envelopes = {credentials(u"register"_s, u"alice"_s, value),
                     credentials(u"login"_s, u"alice"_s, value),
                     {{"type"_L1, u"resume"_s}, {"token"_L1, u"T"_s}, {"device"_L1, value}}};
    } else {
        QCOMPARE(isValidCid(value), valid);
        envelopes = {{{"type"_L1, u"send"_s}, {"to"_L1, u"bob"_s}, {"body"_L1, u"hi"_s}, {"cid"_L1, value}}};
    }
    for (const QJsonObject &o : std::as_const(envelopes)) {
        const ParsedRequest p = parseRequest(encode(o));
        const QByteArray what = (o.value("type"_L1).toString() + u": "_s + why(p)).toUtf8();
        QVERIFY2(p.ok() == valid, what.constData());
        QVERIFY2(valid || p.error().code == ErrorCode::BadRequest, what.constData());
    }
}

void TestCodec::messageIds_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("1") << QJsonValue(1) << true;
    QTest::newRow("123") << QJsonValue(123) << true;
    QTest::newRow("2^53 - 1") << QJsonValue(kMaxSafeInteger) << true;
    QTest::newRow("whole double") << QJsonValue(77.0) << true;
    QTest::newRow("0") << QJsonValue(0) << false;
    QTest::newRow("-1") << QJsonValue(-1) << false;
    QTest::newRow("-0.5") << QJsonValue(-0.5) << false;
    QTest::newRow("0.5") << QJsonValue(0.5) << false;
    QTest::newRow("1.5") << QJsonValue(1.5) << false;
    QTest::newRow("2^53") << QJsonValue(9007199254740992.0) << false;
    QTest::newRow("1e300") << QJsonValue(1e300) << false;
    QTest::newRow("string") << QJsonValue(u"5"_s) << false;
    QTest::newRow("bool") << QJsonValue(true) << false;
    QTest::newRow("array") << QJsonValue(QJsonArray{5}) << false;
    QTest::newRow("object") << QJsonValue(QJsonObject{{"id"_L1, 5}}) << false;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << false; // except as history's optional `before`
}

void TestCodec::messageIds()
{
    QFETCH(QJsonValue, value);
    QFETCH(bool, valid);
    const qint64 expected = valid ? qint64(value.toDouble()) : 0;

    const ParsedRequest read = parseRequest(
        encode({{"type"_L1, u"read"_s}, {"with"_L1, u"bob"_s}, {"upto"_L1, value}}));
    QVERIFY2(read.ok() == valid, qPrintable(why(read)));
    if (valid)
        QCOMPARE(std::get<ReadRequest>(read.request().body).upto, expected);
    else
        QVERIFY(read.error().message.contains("upto"_L1));

    const ParsedRequest ack = parseRequest(encode({{"type"_L1, u"ack"_s}, {"ids"_L1, QJsonArray{1, value}}}));
    QVERIFY2(ack.ok() == valid, qPrintable(why(ack)));
    if (valid)
        QCOMPARE(std::get<AckRequest>(ack.request().body).ids, (QList<qint64>{1, expected}));

    const ParsedRequest history = parseRequest(
        encode({{"type"_L1, u"history"_s}, {"with"_L1, u"bob"_s}, {"before"_L1, value}}));
    QVERIFY2(history.ok() == (valid || value.isNull()), qPrintable(why(history)));
    if (valid)
        QCOMPARE(std::get<HistoryRequest>(history.request().body).before, expected);
}

void TestCodec::rid_data()
{
    QTest::addColumn<QByteArray>("envelope");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("rid");
    QTest::addColumn<bool>("hasRid");

    auto row = [](const char *tag, const char *json, bool ok, const QString &rid, bool hasRid) {
        QTest::newRow(tag) << QByteArray(json) << ok << rid << hasRid;
    };
    // The rid is copied into the error even when the error is about another field.
    row("bad body", R"({"type":"send","to":"bob","body":"","cid":"c","rid":"r1"})", false, u"r1"_s, true);
    row("bad user", R"({"rid":"r2","type":"login","user":"a b","password":"p","device":"d"})", false, u"r2"_s,
        true);
    row("unknown type", R"({"type":"nope","rid":"r3"})", false, u"r3"_s, true);
    row("missing type", R"({"rid":"r4"})", false, u"r4"_s, true);
    row("type not a string", R"({"type":7,"rid":"r5"})", false, u"r5"_s, true);
    row("missing upto", R"({"type":"read","with":"bob","rid":"r6"})", false, u"r6"_s, true);
    // A rid that is not a string is ignored.
    row("numeric rid", R"({"type":"rooms","rid":5})", true, QString(), false);
    row("null rid", R"({"type":"rooms","rid":null})", true, QString(), false);
    row("object rid", R"({"type":"rooms","rid":{"a":"b"}})", true, QString(), false);
    row("array rid", R"({"type":"rooms","rid":["x"]})", true, QString(), false);
    row("numeric rid, bad request", R"({"type":"join","rid":5})", false, QString(), false);
}

void TestCodec::rid()
{
    QFETCH(QByteArray, envelope);
    QFETCH(bool, ok);
    QFETCH(QString, rid);
    QFETCH(bool, hasRid);

    const ParsedRequest p = parseRequest(envelope);
    QVERIFY2(p.ok() == ok, qPrintable(why(p)));
    QCOMPARE(p.rid, rid);
    QCOMPARE(p.hasRid, hasRid);
    if (ok) {
        QCOMPARE(p.request().rid, rid);
        QCOMPARE(p.request().hasRid, hasRid);
    } else {
        const QJsonObject reply = natter::protocol::withRid(events::error(p.error()), p.rid, p.hasRid);
        QCOMPARE(reply.contains("rid"_L1), hasRid);
        QCOMPARE(reply.value("rid"_L1).toString(), rid);
        QCOMPARE(reply.value("code"_L1).toString(), u"bad_request"_s);
    }
}

void TestCodec::requestRoundTrip_data()
{
    QTest::addColumn<Request>("request");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("authentication");

    auto row = [](const char *tag, const Request &request, const char *type, bool authentication = false) {
        QTest::newRow(tag) << request << QString::fromLatin1(type) << authentication;
    };
    row("register", makeRequest(RegisterRequest{u"alice"_s, u"pässwörd ✓"_s, u"d-1"_s}, u"r"_s, true),
        "register", true);
    row("login", makeRequest(LoginRequest{u"Alice"_s, u"pw"_s, u"laptop"_s}), "login", true);
    row("resume", makeRequest(ResumeRequest{u"opaque-token"_s, u"d-1"_s}), "resume", true);
    row("logout", makeRequest(LogoutRequest{}, u"x"_s, true), "logout");
    row("send to user", makeRequest(SendRequest{u"bob"_s, u"hi\nthere 😀"_s, u"c-1"_s}), "send");
    row("send to room, empty rid", makeRequest(SendRequest{u"#general"_s, u"שלום"_s, u"c-2"_s}, {}, true),
        "send");
    row("ack", makeRequest(AckRequest{{1, 2, kMaxSafeInteger}}), "ack");
    row("join", makeRequest(JoinRequest{u"#general"_s}), "join");
    row("leave", makeRequest(LeaveRequest{u"#general"_s}), "leave");
    row("rooms", makeRequest(RoomsRequest{}), "rooms");
    row("users", makeRequest(UsersRequest{}), "users");
    row("history, newest", makeRequest(HistoryRequest{u"bob"_s, 0, 50}), "history");
    row("history, page", makeRequest(HistoryRequest{u"#general"_s, 1000, 200}, u"h"_s, true), "history");
    row("typing", makeRequest(TypingRequest{u"bob"_s}), "typing");
    row("read", makeRequest(ReadRequest{u"bob"_s, 42}), "read");
}

void TestCodec::requestRoundTrip()
{
    QFETCH(Request, request);
    QFETCH(QString, type);
    QFETCH(bool, authentication);

    QCOMPARE(request.isAuthentication(), authentication);
    const QJsonObject json = request.toJson();
    QCOMPARE(json.value("type"_L1).toString(), type);

    for (const ParsedRequest &p : {parseRequest(encode(json)), parseRequest(json)}) {
        QVERIFY2(p.ok(), qPrintable(why(p)));
        QCOMPARE(describe(p.request().body), describe(request.body));
        QCOMPARE(p.request().rid, request.rid);
        QCOMPARE(p.request().hasRid, request.hasRid);
        QCOMPARE(canonical(p.request().toJson()), canonical(json));
    }
}

// ---------------------------------------------------------------- validation helpers

void TestCodec::codePointCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");

    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("ASCII") << u"abc"_s << 3;
    QTest::newRow("precomposed é") << u"\u00e9"_s << 1;
    QTest::newRow("e + combining acute") << u"e\u0301"_s << 2;
    QTest::newRow("emoji (surrogate pair)") << u"😀"_s << 1;
    QTest::newRow("emoji with skin tone") << u"👍🏽"_s << 2;
    QTest::newRow("Hangul") << u"한국어"_s << 3;
    QTest::newRow("mixed") << u"a😀b😀"_s << 4;
    QTest::newRow("lone high surrogate") << QString(QChar(0xD83D)) << 1;
    QTest::newRow("lone low surrogate") << QString(QChar(0xDE00)) << 1;
    QTest::newRow("low before high") << QString(QChar(0xDE00)) + QChar(0xD83D) << 2;
}

void TestCodec::codePointCount()
{
    QFETCH(QString, text);
    QFETCH(int, count);
    QCOMPARE(natter::protocol::codePointCount(text), qsizetype(count));
}

void TestCodec::nameKey_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");

    QTest::newRow("lower/upper") << u"alice"_s << u"ALICE"_s << true;
    QTest::newRow("mixed case") << u"Alice"_s << u"aLiCe"_s << true;
    QTest::newRow("all allowed kinds") << u"a.b-C_9"_s << u"A.B-c_9"_s << true;
    QTest::newRow("rooms") << u"#General"_s << u"#general"_s << true;
    QTest::newRow("identical") << u"bob"_s << u"bob"_s << true;
    QTest::newRow("different") << u"bob"_s << u"bob2"_s << false;
    QTest::newRow("dot vs dash") << u"a.b"_s << u"a-b"_s << false;
    QTest::newRow("user vs room") << u"general"_s << u"#general"_s << false;
}

void TestCodec::nameKey()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);

    QCOMPARE(natter::protocol::nameKey(a) == natter::protocol::nameKey(b), same);
    QCOMPARE(natter::protocol::nameKey(natter::protocol::nameKey(a)), natter::protocol::nameKey(a));
}

void TestCodec::lookalikes_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("alike");

    QTest::newRow("capital I for l") << u"alice"_s << u"aIice"_s << true;
    QTest::newRow("digit 1 for l") << u"alice"_s << u"a1ice"_s << true;
    QTest::newRow("capital I for l, other way") << u"aIice"_s << u"alice"_s << true;
    QTest::newRow("digit 0 for o") << u"bob"_s << u"b0b"_s << true;
    QTest::newRow("capital O and 0") << u"BOB"_s << u"b0b"_s << true;
    QTest::newRow("rn for m") << u"mary"_s << u"rnary"_s << true;
    QTest::newRow("vv for w") << u"walt"_s << u"vvalt"_s << true;
    QTest::newRow("same name, other case") << u"Alice"_s << u"alice"_s << true;
    QTest::newRow("different names") << u"alice"_s << u"alina"_s << false;
    QTest::newRow("i and l differ in lower case") << u"ivan"_s << u"lvan"_s << false;
    QTest::newRow("dot vs dash") << u"a.b"_s << u"a-b"_s << false;
    QTest::newRow("digits other than 0 and 1") << u"user2"_s << u"user3"_s << false;
}

void TestCodec::lookalikes()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, alike);
    QCOMPARE(natter::protocol::confusableSkeleton(a) == natter::protocol::confusableSkeleton(b), alike);
}

// ---------------------------------------------------------------- events

void TestCodec::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1: not a timestamp
    QTest::addColumn<bool>("canonical"); // formatTimestamp(ms) gives back exactly `text`

    QTest::newRow("contract example") << u"2026-11-28T10:00:00.000Z"_s << kContractTs << true;
    QTest::newRow("epoch") << u"1970-01-01T00:00:00.000Z"_s << qint64(0) << true;
    QTest::newRow("milliseconds padded") << u"2026-11-28T10:00:00.007Z"_s << kContractTs + 7 << true;
    QTest::newRow("leap day, last ms") << u"2000-02-29T23:59:59.999Z"_s << qint64(951868799999) << true;
    QTest::newRow("offset +02:00") << u"2026-11-28T12:00:00.000+02:00"_s << kContractTs << false;
    QTest::newRow("empty") << QString() << qint64(-1) << false;
    QTest::newRow("words") << u"yesterday"_s << qint64(-1) << false;
    QTest::newRow("31 November") << u"2026-11-31T10:00:00.000Z"_s << qint64(-1) << false;
    QTest::newRow("hour 25") << u"2026-11-28T25:00:00.000Z"_s << qint64(-1) << false;
}

void TestCodec::timestamps()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QFETCH(bool, canonical);

    const std::optional<qint64> parsed = parseTimestamp(text);
    QCOMPARE(parsed.has_value(), ms >= 0);
    if (parsed)
        QCOMPARE(*parsed, ms);
    if (canonical)
        QCOMPARE(formatTimestamp(ms), text);
}

void TestCodec::eventBuilders_data()
{
    QTest::addColumn<QJsonObject>("actual");
    QTest::addColumn<QByteArray>("expected"); // as written in PROTOCOL.md

    auto row = [](const char *tag, const QJsonObject &actual, const char *expected) {
        QTest::newRow(tag) << actual << QByteArray(expected);
    };
    const ChatMessage hi{123, u"alice"_s, u"bob"_s, u"hi"_s, u"c-1"_s, kContractTs, {}};
    ChatMessage read = hi;
    read.state = u"read"_s;

    row("welcome", events::welcome(u"alice"_s, u"d-1"_s, u"T"_s),
        R"({"type":"welcome","user":"alice","device":"d-1","token":"T"})");
    row("sent", events::sent(u"c-1"_s, 123, kContractTs),
        R"({"type":"sent","cid":"c-1","id":123,"ts":"2026-11-28T10:00:00.000Z"})");
    row("sent, largest id", events::sent(u"c"_s, kMaxSafeInteger, 0),
        R"({"type":"sent","cid":"c","id":9007199254740991,"ts":"1970-01-01T00:00:00.000Z"})");
    row("error", events::error({ErrorCode::NotFound, u"no such room"_s}),
        R"({"type":"error","code":"not_found","message":"no such room"})");
    row("logged_out", events::loggedOut(), R"({"type":"logged_out"})");
    row("message", hi.toJson(),
        R"({"type":"message","id":123,"from":"alice","to":"bob","body":"hi","ts":"2026-11-28T10:00:00.000Z",)"
        R"("cid":"c-1"})");
    row("joined", events::joined(u"#general"_s, {u"alice"_s, u"bob"_s}),
        R"({"type":"joined","room":"#general","members":["alice","bob"]})");
    row("left", events::left(u"#general"_s), R"({"type":"left","room":"#general"})");
    row("rooms", events::rooms({{u"#general"_s, 3}}),
        R"({"type":"rooms","rooms":[{"room":"#general","members":3}]})");
    row("rooms, none", events::rooms({}), R"({"type":"rooms","rooms":[]})");
    row("users", events::users({{u"bob"_s, true}, {u"carol"_s, false}}),
        R"({"type":"users","users":[{"user":"bob","online":true},{"user":"carol","online":false}]})");
    row("history", events::history(u"bob"_s, {read}),
        R"({"type":"history","with":"bob","messages":[{"type":"message","id":123,"from":"alice","to":"bob",)"
        R"("body":"hi","ts":"2026-11-28T10:00:00.000Z","cid":"c-1","state":"read"}]})");
    row("typing", events::typing(u"alice"_s, u"bob"_s), R"({"type":"typing","from":"alice","to":"bob"})");
    row("read", events::read(u"alice"_s, u"alice"_s, 42),
        R"({"type":"read","by":"alice","with":"alice","upto":42})");
    row("member joined", events::member(u"#general"_s, u"dave"_s, true),
        R"({"type":"member","room":"#general","user":"dave","joined":true})");
    row("member left", events::member(u"#general"_s, u"dave"_s, false),
        R"({"type":"member","room":"#general","user":"dave","joined":false})");
    row("delivered", events::delivered(123, u"bob"_s), R"({"type":"delivered","id":123,"by":"bob"})");
    row("presence", events::presence(u"bob"_s, false), R"({"type":"presence","user":"bob","online":false})");
}

void TestCodec::eventBuilders()
{
    QFETCH(QJsonObject, actual);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonical(actual), canonical(expected));
}

void TestCodec::chatMessageRoundTrip_data()
{
    QTest::addColumn<ChatMessage>("message");

    const QString alice = u"alice"_s, bob = u"bob"_s;
    QTest::newRow("direct") << ChatMessage{123, alice, bob, u"hi"_s, u"c-1"_s, kContractTs, {}};
    QTest::newRow("room") << ChatMessage{7, alice, u"#general"_s, u"hello"_s, u"c-2"_s, kContractTs + 9, {}};
    QTest::newRow("with state") << ChatMessage{8, alice, bob, u"x"_s, u"c-3"_s, 1, u"delivered"_s};
    QTest::newRow("unicode body") << ChatMessage{9, bob, alice, u"안녕 😀 e\u0301 שלום\n\t"_s, u"c"_s, 0, {}};
    QTest::newRow("largest id") << ChatMessage{kMaxSafeInteger, alice, bob, u"z"_s, u"c"_s, kContractTs, {}};
}

void TestCodec::chatMessageRoundTrip()
{
    QFETCH(ChatMessage, message);

    const QJsonObject json = message.toJson();
    QCOMPARE(json.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(json.value("ts"_L1).toString(), formatTimestamp(message.tsMs));
    QCOMPARE(json.contains("state"_L1), !message.state.isEmpty());

    // Through the wire form, as a client receives it.
    const QJsonObject received = QJsonDocument::fromJson(encode(json)).object();
    const std::optional<ChatMessage> back = ChatMessage::fromJson(received);
    QVERIFY(back.has_value());
    QCOMPARE(back->id, message.id);
    QCOMPARE(back->from, message.from);
    QCOMPARE(back->to, message.to);
    QCOMPARE(back->body, message.body);
    QCOMPARE(back->cid, message.cid);
    QCOMPARE(back->tsMs, message.tsMs);
    QCOMPARE(back->state, message.state);
}

void TestCodec::chatMessageRejects_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // undefined: the field is removed

    const QJsonValue missing(QJsonValue::Undefined);
    QTest::newRow("missing id") << u"id"_s << missing;
    QTest::newRow("id 0") << u"id"_s << QJsonValue(0);
    QTest::newRow("id -3") << u"id"_s << QJsonValue(-3);
    QTest::newRow("id 1.5") << u"id"_s << QJsonValue(1.5);
    QTest::newRow("id as a string") << u"id"_s << QJsonValue(u"5"_s);
    QTest::newRow("missing from") << u"from"_s << missing;
    QTest::newRow("from is a number") << u"from"_s << QJsonValue(1);
    QTest::newRow("missing to") << u"to"_s << missing;
    QTest::newRow("missing body") << u"body"_s << missing;
    QTest::newRow("missing ts") << u"ts"_s << missing;
    QTest::newRow("ts is not a timestamp") << u"ts"_s << QJsonValue(u"soon"_s);
    QTest::newRow("ts is a number") << u"ts"_s << QJsonValue(double(kContractTs));
}

void TestCodec::chatMessageRejects()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);

    QJsonObject o = ChatMessage{1, u"alice"_s, u"bob"_s, u"hi"_s, u"c-1"_s, kContractTs, {}}.toJson();
    QVERIFY(ChatMessage::fromJson(o).has_value());
    if (value.isUndefined())
        o.remove(field);
    else
        o.insert(field, value);
    QVERIFY(!ChatMessage::fromJson(o).has_value());
}

void TestCodec::withRid()
{
    const QJsonObject sent = events::sent(u"c"_s, 1, 0);
    QCOMPARE(natter::protocol::withRid(sent, u"r-1"_s, true).value("rid"_L1).toString(), u"r-1"_s);
    QVERIFY(natter::protocol::withRid(sent, u"ignored"_s, false) == sent);
    const QJsonObject empty = natter::protocol::withRid(sent, QString(), true);
    QVERIFY(empty.contains("rid"_L1)); // an empty rid is still a rid
    QCOMPARE(empty.value("rid"_L1).toString(), QString());
    QCOMPARE(empty.value("id"_L1).toInteger(), 1); // the rest is untouched
}

void TestCodec::encodeIsCompactUtf8_data()
{
    QTest::addColumn<QJsonObject>("envelope");
    QTest::addColumn<QByteArray>("mustContain");

    const QString body = u"line 1\nline 2\r\n\t\"quoted\" \\ 안녕 é 😀"_s;
    const ChatMessage m{5, u"alice"_s, u"bob"_s, body, u"c"_s, 0, {}};
    QTest::newRow("logged_out") << events::loggedOut() << QByteArray(R"({"type":"logged_out"})");
    QTest::newRow("welcome") << events::welcome(u"alice"_s, u"d-1"_s, u"T"_s)
                             << QByteArray(R"("user":"alice")");
    QTest::newRow("escaped newlines") << m.toJson() << QByteArray(R"(line 1\nline 2\r\n\t\"quoted\" \\ )");
    QTest::newRow("raw UTF-8") << m.toJson() << QByteArray("안녕 é 😀");
    QTest::newRow("nested") << events::history(u"bob"_s, {m}) << QByteArray(R"("messages":[{)");
}

void TestCodec::encodeIsCompactUtf8()
{
    QFETCH(QJsonObject, envelope);
    QFETCH(QByteArray, mustContain);

    const QByteArray bytes = encode(envelope);
    QVERIFY(!bytes.contains('\n'));
    QVERIFY(!bytes.contains('\r'));
    QVERIFY(!bytes.contains("\": "));
    QVERIFY(!bytes.contains(", \""));
    QVERIFY(bytes.startsWith('{') && bytes.endsWith('}'));
    QVERIFY2(bytes.contains(mustContain), bytes.constData());
    QVERIFY(QJsonDocument::fromJson(bytes).object() == envelope);
}

void TestCodec::errorCodes_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");

    QTest::newRow("bad_request") << ErrorCode::BadRequest << u"bad_request"_s << 400;
    QTest::newRow("auth_required") << ErrorCode::AuthRequired << u"auth_required"_s << 401;
    QTest::newRow("auth_failed") << ErrorCode::AuthFailed << u"auth_failed"_s << 401;
    QTest::newRow("user_exists") << ErrorCode::UserExists << u"user_exists"_s << 409;
    QTest::newRow("not_found") << ErrorCode::NotFound << u"not_found"_s << 404;
    QTest::newRow("forbidden") << ErrorCode::Forbidden << u"forbidden"_s << 403;
    QTest::newRow("too_large") << ErrorCode::TooLarge << u"too_large"_s << 413;
    QTest::newRow("rate_limited") << ErrorCode::RateLimited << u"rate_limited"_s << 429;
    QTest::newRow("internal") << ErrorCode::Internal << u"internal"_s << 500;
    // Nine rows for the nine codes of the contract; Internal is the last enumerator.
    static_assert(int(ErrorCode::Internal) == 8);
}

void TestCodec::errorCodes()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QFETCH(int, status);

    QCOMPARE(errorCodeName(code), name);
    QCOMPARE(httpStatus(code), status);
    QCOMPARE(events::error({code, u"m"_s}).value("code"_L1).toString(), name);
}

// The long-polling send body: one envelope or an array of them; only a body that is neither is refused as a
// whole. Each entry is "ok", "error" or "error rid=<rid>".
void TestCodec::requestBatch_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QStringList>("items");
    QTest::newRow("one envelope") << "{\"type\":\"rooms\",\"rid\":\"a\"}"_ba << false << QStringList{u"ok"_s};
    QTest::newRow("empty array") << "[]"_ba << false << QStringList{};
    QTest::newRow("array") << R"([{"type":"users"},7,"x",null,{"type":"bogus","rid":"b"},{"type":"logout"}])"_ba << false
                           << QStringList{u"ok"_s, u"error"_s, u"error"_s, u"error"_s, u"error rid=b"_s, u"ok"_s};
    QTest::newRow("invalid envelope alone") << R"({"type":"ack","ids":[0],"rid":"c"})"_ba << false
                                            << QStringList{u"error rid=c"_s};
    QTest::newRow("string") << "\"rooms\""_ba << true << QStringList{};
    QTest::newRow("number") << "42"_ba << true << QStringList{};
    QTest::newRow("not JSON") << "[{\"type\":\"rooms\"},"_ba << true << QStringList{};
    QTest::newRow("empty") << QByteArray() << true << QStringList{};
}

void TestCodec::requestBatch()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, refused);
    QFETCH(QStringList, items);
    const ParsedBatch batch = parseRequestBatch(body);
    QCOMPARE(batch.error.has_value(), refused);
    if (refused)
        QCOMPARE(batch.error->code, ErrorCode::BadRequest);
    QStringList got;
    for (const ParsedRequest &item : batch.items)
        got << (item.ok() ? u"ok"_s : item.hasRid ? u"error rid=%1"_s.arg(item.rid) : u"error"_s);
    QCOMPARE(got, items);
}

// The server encodes `message` envelopes by hand on its hot path: the text must be exactly what
// QJsonDocument writes, for every body a client can send.
void TestCodec::encodeMessageMatchesJsonDocument_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("state");
    QTest::newRow("plain") << u"hi"_s << QString();
    QTest::newRow("quotes and backslashes") << u"say \"hi\" \\o/ C:\\path"_s << QString();
    QTest::newRow("newlines and tabs") << u"a\nb\r\nc\td"_s << QString();
    QTest::newRow("control characters") << QString::fromUtf16(u"\u0001\u0008\u000c\u001f\u007f") << QString();
    QTest::newRow("hangul") << u"안녕하세요, 세계"_s << QString();
    QTest::newRow("emoji") << u"👩‍👩‍👧 🎉"_s << QString();
    QTest::newRow("slash and html") << u"</script><b>&amp;"_s << QString();
    QTest::newRow("with state") << u"x"_s << u"read"_s;
    QTest::newRow("8000 code points") << QString(8000, u'가') << QString();
    // Found by fuzz/fuzz_server_event: toUtf8() wrote '?' for a lone surrogate, where QJsonDocument writes an escape.
    QTest::newRow("lone high surrogate") << (u"a"_s + QChar(0xd83d) + u"\tb"_s) << QString();
    QTest::newRow("lone low surrogate at the end") << (u"a"_s + QChar(0xde00)) << QString();
    QTest::newRow("surrogates reversed") << (QString(QChar(0xde00)) + QChar(0xd83d)) << QString();
}

void TestCodec::encodeMessageMatchesJsonDocument()
{
    QFETCH(QString, body);
    QFETCH(QString, state);
    const ChatMessage m{9007199254740991, u"Alice.B-1"_s, u"#room_2"_s, body, u"c\"id"_s, 1'800'000'000'123, state};
    QCOMPARE(encodeMessage(m), encode(m.toJson()));
}

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
