// Tests of the LAN discovery datagram (docs/protocol.md, "LAN discovery"): encoding, strict decoding of good
// and malformed datagrams, the size limit and server-name sanitising. Bytes in, values out; no sockets.

#include "common/protocol/discovery.h"

#include <QTest>

#include <limits>

using namespace natter::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(natter::protocol::Announcement)

namespace {

Announcement sample()
{
    Announcement a;
    a.id = u"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44"_s;
    a.name = u"Office"_s;
    a.port = 7470;
    a.protocol = 1;
    a.version = u"0.1.0"_s;
    return a;
}

Announcement with(Announcement a, auto change)
{
    change(a);
    return a;
}

QString describe(const Announcement &a)
{
    return u"id=%1 name=%2 port=%3 protocol=%4 version=%5"_s.arg(a.id, a.name, QString::number(a.port),
                                                                 QString::number(a.protocol), a.version);
}

// A string of n copies of a code point given as UTF-16.
QString repeated(const QString &unit, int n)
{
    QString s;
    for (int i = 0; i < n; ++i)
        s += unit;
    return s;
}

const QString kEmoji = u"\U0001F600"_s; // one code point, two UTF-16 units, four UTF-8 bytes

} // namespace

class TstDiscovery : public QObject
{
    Q_OBJECT
private slots:
    void constants();
    void encodes();
    void roundTrip_data();
    void roundTrip();
    void decodesGood_data();
    void decodesGood();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void invalidEncodesToNothing_data();
    void invalidEncodesToNothing();
    void largestFitsTheLimit();
    void sanitizesNames_data();
    void sanitizesNames();
    void instanceIds();
};

void TstDiscovery::constants()
{
    QCOMPARE(kDiscoveryPort, quint16(7471));
    QCOMPARE(kDiscoveryGroupIPv4.toString(), u"239.255.74.70"_s);
    QCOMPARE(kDiscoveryFormat, 1);
    QCOMPARE(kMaxDiscoveryDatagram, qsizetype(512));
    QVERIFY(kAnnounceExpiryMs > 3 * kAnnounceIntervalMs); // three datagrams can get lost before a server is
}

void TstDiscovery::encodes()
{
    // Written out literally: compact JSON, keys in order.
    QCOMPARE(sample().toBytes(), QByteArray(R"({"id":"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44","name":"Office",)"
                                            R"("natter":1,"port":7470,"protocol":1,"version":"0.1.0"})"));
    // Non-ASCII goes as UTF-8, quotes and backslashes are escaped.
    const Announcement a = with(sample(), [](Announcement &a) { a.name = u"Büro \"3\" \\ ✓"_s; });
    QCOMPARE(a.toBytes(), QByteArray(R"({"id":"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44","name":"Büro \"3\" \\ ✓",)"
                                     R"("natter":1,"port":7470,"protocol":1,"version":"0.1.0"})"));
}

void TstDiscovery::roundTrip_data()
{
    QTest::addColumn<Announcement>("announcement");
    QTest::newRow("sample") << sample();
    QTest::newRow("port 1") << with(sample(), [](Announcement &a) { a.port = 1; });
    QTest::newRow("port 65535") << with(sample(), [](Announcement &a) { a.port = 65535; });
    QTest::newRow("protocol max") << with(sample(),
                                          [](Announcement &a) { a.protocol = std::numeric_limits<int>::max(); });
    QTest::newRow("name 64 emoji") << with(sample(), [](Announcement &a) { a.name = repeated(kEmoji, 64); });
    QTest::newRow("name with quotes, backslash, tab-free spaces")
        << with(sample(), [](Announcement &a) { a.name = uR"(a "b" \c  d)"_s; });
    QTest::newRow("id with dots and colons") << with(sample(), [](Announcement &a) { a.id = u"host:7470.a_b-c"_s; });
    QTest::newRow("version with build metadata")
        << with(sample(), [](Announcement &a) { a.version = u"1.2.3-rc.1+git~abc"_s; });
}

void TstDiscovery::roundTrip()
{
    QFETCH(Announcement, announcement);
    QVERIFY(announcement.isValid());
    const QByteArray bytes = announcement.toBytes();
    QVERIFY(!bytes.isEmpty());
    QVERIFY(bytes.size() <= kMaxDiscoveryDatagram);
    QString error;
    const auto back = Announcement::fromBytes(bytes, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(describe(*back), describe(announcement));
    QVERIFY(*back == announcement);
}

void TstDiscovery::decodesGood_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    const QString base = describe(sample());
    QTest::newRow("canonical") << QByteArray(R"({"natter":1,"name":"Office","port":7470,"protocol":1,)"
                                             R"("version":"0.1.0","id":"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44"})")
                               << base;
    QTest::newRow("white space, any key order")
        << QByteArray(" {\n \"version\" : \"0.1.0\", \"port\": 7470, \"protocol\": 1, \"natter\": 1,\n"
                      " \"id\": \"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44\", \"name\": \"Office\" }\n")
        << base;
    QTest::newRow("unknown fields ignored")
        << QByteArray(R"({"natter":1,"name":"Office","port":7470,"protocol":1,"version":"0.1.0",)"
                      R"("id":"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44","tls":true,"motd":{"x":[1,2]}})")
        << base;
    QTest::newRow("numbers written as decimals")
        << QByteArray(R"({"natter":1.0,"name":"Office","port":7470.0,"protocol":1e0,"version":"0.1.0",)"
                      R"("id":"5f0c2a9e-7d1b-4c7a-9d55-2f3b0e8a1c44"})")
        << base;
    QTest::newRow("a newer chat protocol is still listed")
        << QByteArray(R"({"natter":1,"name":"N","port":1,"protocol":7,"version":"9","id":"x"})")
        << u"id=x name=N port=1 protocol=7 version=9"_s;
    QTest::newRow("escaped unicode name")
        << QByteArray(R"({"natter":1,"name":"\u00e9t\u00e9 \ud83d\ude00","port":65535,"protocol":1,)"
                      R"("version":"0.1.0","id":"x"})")
        << u"id=x name=été \U0001F600 port=65535 protocol=1 version=0.1.0"_s;
    QTest::newRow("name of 64 code points")
        << (R"({"natter":1,"name":")" + repeated(kEmoji, 64).toUtf8() +
            R"(","port":7470,"protocol":1,"version":"0.1.0","id":"x"})")
        << u"id=x name=%1 port=7470 protocol=1 version=0.1.0"_s.arg(repeated(kEmoji, 64));
}

void TstDiscovery::decodesGood()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QString error;
    const auto a = Announcement::fromBytes(bytes, &error);
    QVERIFY2(a.has_value(), qPrintable(error));
    QCOMPARE(describe(*a), expected);
}

void TstDiscovery::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason"); // a word the error must contain

    // A valid datagram with one field replaced (or removed, when the value is empty).
    auto replaced = [](const char *field, const QByteArray &value) {
        QByteArray fields[][2] = {{"natter", "1"},  {"id", R"("x")"},  {"name", R"("Office")"},
                                  {"port", "7470"}, {"protocol", "1"}, {"version", R"("0.1.0")"}};
        QByteArray out = "{";
        for (auto &[key, v] : fields) {
            const QByteArray val = key == field ? value : v;
            if (val.isEmpty())
                continue;
            if (out.size() > 1)
                out += ',';
            out += '"' + key + "\":" + val;
        }
        return out + '}';
    };
    QCOMPARE(replaced("", {}), QByteArray(R"({"natter":1,"id":"x","name":"Office","port":7470,"protocol":1,)"
                                          R"("version":"0.1.0"})"));
    QVERIFY(Announcement::fromBytes(replaced("", {})).has_value());

    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("over 512 bytes") << (replaced("", {}).chopped(1) + R"(,"pad":")" + QByteArray(600, 'x') + "\"}")
                                    << u"512"_s;
    QTest::newRow("513 bytes") << [&] {
        QByteArray b = replaced("", {}).chopped(1) + R"(,"pad":")";
        b += QByteArray(513 - b.size() - 2, 'x') + "\"}";
        Q_ASSERT(b.size() == 513);
        return b;
    }() << u"512"_s;
    QTest::newRow("not JSON") << QByteArray("natter 1 Office 7470") << u"JSON"_s;
    QTest::newRow("trailing garbage") << (replaced("", {}) + "x") << u"JSON"_s;
    QTest::newRow("truncated") << replaced("", {}).chopped(3) << u"JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << u"object"_s;
    QTest::newRow("invalid UTF-8") << replaced("name", "\"\xff\xfe\"") << u"JSON"_s;

    QTest::newRow("natter missing") << replaced("natter", {}) << u"natter"_s;
    QTest::newRow("natter 2") << replaced("natter", "2") << u"format 2"_s;
    QTest::newRow("natter 0") << replaced("natter", "0") << u"natter"_s;
    QTest::newRow("natter string") << replaced("natter", R"("1")") << u"natter"_s;
    QTest::newRow("natter 1.5") << replaced("natter", "1.5") << u"natter"_s;
    QTest::newRow("someone else's JSON") << QByteArray(R"({"service":"printer","port":631})") << u"natter"_s;

    QTest::newRow("id missing") << replaced("id", {}) << u"'id'"_s;
    QTest::newRow("id empty") << replaced("id", R"("")") << u"'id'"_s;
    QTest::newRow("id number") << replaced("id", "5") << u"'id'"_s;
    QTest::newRow("id with space") << replaced("id", R"("a b")") << u"'id'"_s;
    QTest::newRow("id with slash") << replaced("id", R"("a/b")") << u"'id'"_s;
    QTest::newRow("id of 65") << replaced("id", '"' + QByteArray(65, 'a') + '"') << u"'id'"_s;

    QTest::newRow("name missing") << replaced("name", {}) << u"'name'"_s;
    QTest::newRow("name empty") << replaced("name", R"("")") << u"'name'"_s;
    QTest::newRow("name blank") << replaced("name", R"("   ")") << u"'name'"_s;
    QTest::newRow("name null") << replaced("name", "null") << u"'name'"_s;
    QTest::newRow("name array") << replaced("name", R"(["a"])") << u"'name'"_s;
    QTest::newRow("name with newline") << replaced("name", R"("a\nb")") << u"'name'"_s;
    QTest::newRow("name with NUL") << replaced("name", R"("a\u0000b")") << u"'name'"_s;
    QTest::newRow("name with escape char") << replaced("name", R"("a\u001b[31m")") << u"'name'"_s;
    QTest::newRow("name with line separator") << replaced("name", R"("a\u2028b")") << u"'name'"_s;
    QTest::newRow("name with lone surrogate") << replaced("name", R"("a\ud83db")") << u"'name'"_s;
    QTest::newRow("name of 65") << replaced("name", '"' + QByteArray(65, 'n') + '"') << u"'name'"_s;
    QTest::newRow("name of 65 emoji") << replaced("name", '"' + repeated(kEmoji, 65).toUtf8() + '"') << u"'name'"_s;

    QTest::newRow("port missing") << replaced("port", {}) << u"'port'"_s;
    QTest::newRow("port 0") << replaced("port", "0") << u"'port'"_s;
    QTest::newRow("port 65536") << replaced("port", "65536") << u"'port'"_s;
    QTest::newRow("port -1") << replaced("port", "-1") << u"'port'"_s;
    QTest::newRow("port 7470.5") << replaced("port", "7470.5") << u"'port'"_s;
    QTest::newRow("port string") << replaced("port", R"("7470")") << u"'port'"_s;
    QTest::newRow("port huge") << replaced("port", "1e300") << u"'port'"_s;

    QTest::newRow("protocol missing") << replaced("protocol", {}) << u"'protocol'"_s;
    QTest::newRow("protocol 0") << replaced("protocol", "0") << u"'protocol'"_s;
    QTest::newRow("protocol string") << replaced("protocol", R"("1")") << u"'protocol'"_s;
    QTest::newRow("protocol over int") << replaced("protocol", "2147483648") << u"'protocol'"_s;

    QTest::newRow("version missing") << replaced("version", {}) << u"'version'"_s;
    QTest::newRow("version empty") << replaced("version", R"("")") << u"'version'"_s;
    QTest::newRow("version number") << replaced("version", "1") << u"'version'"_s;
    QTest::newRow("version with space") << replaced("version", R"("0.1 beta")") << u"'version'"_s;
    QTest::newRow("version of 33") << replaced("version", '"' + QByteArray(33, '1') + '"') << u"'version'"_s;
}

void TstDiscovery::rejectsMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QString error;
    const auto a = Announcement::fromBytes(bytes, &error);
    QVERIFY2(!a.has_value(), qPrintable(describe(a.value_or(Announcement{}))));
    QVERIFY2(error.contains(reason), qPrintable(u"'%1' does not mention '%2'"_s.arg(error, reason)));
    QVERIFY(!Announcement::fromBytes(bytes).has_value()); // without an error string too
}

void TstDiscovery::invalidEncodesToNothing_data()
{
    QTest::addColumn<Announcement>("announcement");
    QTest::newRow("default") << Announcement{};
    QTest::newRow("port 0") << with(sample(), [](Announcement &a) { a.port = 0; });
    QTest::newRow("protocol 0") << with(sample(), [](Announcement &a) { a.protocol = 0; });
    QTest::newRow("no name") << with(sample(), [](Announcement &a) { a.name.clear(); });
    QTest::newRow("name too long") << with(sample(), [](Announcement &a) { a.name = QString(65, u'n'); });
    QTest::newRow("control in name") << with(sample(), [](Announcement &a) { a.name = u"a\tb"_s; });
    QTest::newRow("no id") << with(sample(), [](Announcement &a) { a.id.clear(); });
    QTest::newRow("bad version") << with(sample(), [](Announcement &a) { a.version = u"1 2"_s; });
}

void TstDiscovery::invalidEncodesToNothing()
{
    QFETCH(Announcement, announcement);
    QVERIFY(!announcement.isValid());
    QVERIFY(announcement.toBytes().isEmpty());
}

void TstDiscovery::largestFitsTheLimit()
{
    Announcement a;
    a.id = QString(kMaxInstanceIdLength, u'i');
    a.name = repeated(u"\U0010FFFD"_s, int(kMaxServerNameLength)); // 4 UTF-8 bytes each
    a.port = 65535;
    a.protocol = std::numeric_limits<int>::max();
    a.version = QString(kMaxServerVersionLength, u'v');
    QVERIFY(a.isValid());
    const QByteArray bytes = a.toBytes();
    QVERIFY2(bytes.size() <= kMaxDiscoveryDatagram, qPrintable(QString::number(bytes.size())));
    QVERIFY(Announcement::fromBytes(bytes) == a);
}

void TstDiscovery::sanitizesNames_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected");
    QTest::newRow("host name") << u"build-box.local"_s << u"build-box.local"_s;
    QTest::newRow("empty") << QString() << u"natterd"_s;
    QTest::newRow("blank") << u" \t\n "_s << u"natterd"_s;
    QTest::newRow("controls and runs of space") << u"  a\tb\n\nc \x07 d\u2028e  "_s << u"a b c d e"_s;
    QTest::newRow("cut at 64") << QString(70, u'x') << QString(64, u'x');
    QTest::newRow("cut at 64 code points, not inside a pair") << repeated(kEmoji, 70) << repeated(kEmoji, 64);
    QTest::newRow("cut, then trimmed") << (QString(63, u'x') + u"  y"_s) << QString(63, u'x');
    QTest::newRow("lone surrogates") << (u"a"_s + QChar(0xD800) + u"b"_s + QChar(0xDC00)) << u"a b"_s;
    QTest::newRow("unicode kept") << u"Café ☕ 会議室"_s << u"Café ☕ 会議室"_s;
}

void TstDiscovery::sanitizesNames()
{
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    const QString name = sanitizeServerName(raw);
    QCOMPARE(name, expected);
    QVERIFY(isValidServerName(name));
}

void TstDiscovery::instanceIds()
{
    const QString a = newInstanceId();
    const QString b = newInstanceId();
    QVERIFY(isValidInstanceId(a));
    QVERIFY(isValidInstanceId(b));
    QVERIFY(a != b);
}

QTEST_GUILESS_MAIN(TstDiscovery)
#include "tst_discovery.moc"
