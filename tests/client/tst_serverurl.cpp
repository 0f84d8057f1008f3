// serverUrlFromText / serverAddressText: what people type as a server (the sign-in dialog, natter-cli
// --server) and the URL the client connects to, row by row.
#include "client/net/serverurl.h"

#include <QObject>
#include <QString>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

class TestServerUrl : public QObject
{
    Q_OBJECT

private slots:
    void fromText_data();
    void fromText();
    void addressText_data();
    void addressText();
};

void TestServerUrl::fromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QUrl>("url");
    QTest::newRow("host:port") << u"192.168.1.5:7471"_s << QUrl(u"http://192.168.1.5:7471"_s);
    QTest::newRow("host only") << u"chat.lan"_s << QUrl(u"http://chat.lan:7470"_s);
    QTest::newRow("ip only") << u"10.0.0.2"_s << QUrl(u"http://10.0.0.2:7470"_s);
    QTest::newRow("ws url") << u"ws://10.0.0.2:7470/ws"_s << QUrl(u"http://10.0.0.2:7470"_s);
    QTest::newRow("wss url") << u"wss://chat.example:443/ws"_s << QUrl(u"https://chat.example:443"_s);
    QTest::newRow("http url") << u"http://127.0.0.1:7470"_s << QUrl(u"http://127.0.0.1:7470"_s);
    QTest::newRow("http url, no port") << u"http://chat.lan"_s << QUrl(u"http://chat.lan:7470"_s);
    QTest::newRow("http url with path") << u"http://chat.lan:8000/api/v1/poll"_s << QUrl(u"http://chat.lan:8000"_s);
    QTest::newRow("spaces") << u"  127.0.0.1:1234 "_s << QUrl(u"http://127.0.0.1:1234"_s);
    QTest::newRow("upper-case host") << u"Chat.LAN:7471"_s << QUrl(u"http://chat.lan:7471"_s);
    QTest::newRow("ipv6") << u"[::1]:7471"_s << QUrl(u"http://[::1]:7471"_s);
    QTest::newRow("empty") << QString() << QUrl();
    QTest::newRow("only spaces") << u"   "_s << QUrl();
    QTest::newRow("no host") << u"http://:7470"_s << QUrl();
}

void TestServerUrl::fromText()
{
    QFETCH(QString, text);
    QFETCH(QUrl, url);
    QCOMPARE(natter::client::serverUrlFromText(text), url);
}

void TestServerUrl::addressText_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("text");
    QTest::newRow("host and port") << QUrl(u"http://192.168.1.5:7471"_s) << u"192.168.1.5:7471"_s;
    QTest::newRow("default port") << QUrl(u"http://chat.lan"_s) << u"chat.lan:7470"_s;
    QTest::newRow("round trip") << natter::client::serverUrlFromText(u"ws://10.0.0.2:9000/ws"_s) << u"10.0.0.2:9000"_s;
}

void TestServerUrl::addressText()
{
    QFETCH(QUrl, url);
    QFETCH(QString, text);
    QCOMPARE(natter::client::serverAddressText(url), text);
}

QTEST_GUILESS_MAIN(TestServerUrl)
#include "tst_serverurl.moc"
