// LAN discovery end to end, on loopback only: an in-process natter::server::Server announcing to
// 127.0.0.1:<browser port> (its multicast/broadcast sending switched off) and a client ServerBrowser listening
// there (without joining the multicast group). Nothing in this test sends to any other address.

#include "server/net/announcer.h"
#include "client/net/serverbrowser.h"
#include "server/server.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace Qt::StringLiterals;
using natter::client::DiscoveredServer;
using natter::client::ServerBrowser;
using natter::client::ServerBrowserConfig;
using natter::server::Announcer;
using natter::server::AnnouncerConfig;
using natter::server::Server;
using natter::server::ServerConfig;

namespace {

constexpr int kIntervalMs = 100;
constexpr int kExpiryMs = 800;
constexpr int kTimeoutMs = 5000;
const QHostAddress kLoopback(QHostAddress::LocalHost);

} // namespace

class TstAnnounce : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void serverAppears();
    void lostAfterExpiry();
    void restartReplacesInstance();
    void malformedIgnored();
    void announceSwitch_data();
    void announceSwitch();
    void nothingOnLanForLoopbackListener();
    void lanRule_data();
    void lanRule();
    void browserPortTaken();

private:
    ServerConfig config(bool announce, QList<QPair<QHostAddress, quint16>> targets) const;
    bool startBrowser(int expiryMs = kExpiryMs);
    bool startServer(bool announce = true, quint16 port = 0);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerBrowser> m_browser;
    std::unique_ptr<Server> m_server;
};

void TstAnnounce::initTestCase()
{
    QLoggingCategory::setFilterRules(u"natter.*.debug=false\nnatter.*.info=false"_s);
}

void TstAnnounce::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstAnnounce::cleanup()
{
    m_server.reset();
    m_browser.reset();
    m_dir.reset();
}

ServerConfig TstAnnounce::config(bool announce, QList<QPair<QHostAddress, quint16>> targets) const
{
    ServerConfig c;
    c.host = kLoopback;
    c.port = 0;
    c.dbPath = m_dir->filePath(u"natter.db"_s);
    c.passwordIterations = 1000;
    c.announce = announce;
    c.announceOnLan = false; // loopback only
    c.serverName = u"Test server ü"_s;
    c.announceIntervalMs = kIntervalMs;
    c.discoveryPort = targets.isEmpty() ? 0 : targets.constFirst().second;
    c.extraAnnounceTargets = std::move(targets);
    return c;
}

bool TstAnnounce::startBrowser(int expiryMs)
{
    ServerBrowserConfig c;
    c.port = 0; // any free port
    c.expiryMs = expiryMs;
    c.multicast = false; // not even an IGMP report leaves the machine
    m_browser = std::make_unique<ServerBrowser>(c);
    if (!m_browser->start()) {
        qWarning() << "browser did not start:" << m_browser->errorString();
        return false;
    }
    return m_browser->port() != 0;
}

bool TstAnnounce::startServer(bool announce, quint16 port)
{
    ServerConfig c = config(announce, {{kLoopback, m_browser->port()}});
    c.port = port;
    m_server = std::make_unique<Server>(c);
    if (!m_server->start()) {
        qWarning() << "server did not start:" << m_server->errorString();
        return false;
    }
    return true;
}

void TstAnnounce::serverAppears()
{
    QVERIFY(startBrowser());
    QSignalSpy found(m_browser.get(), &ServerBrowser::serverFound);
    QSignalSpy updated(m_browser.get(), &ServerBrowser::serverUpdated);
    QSignalSpy lost(m_browser.get(), &ServerBrowser::serverLost);
    QVERIFY(startServer());

    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    const auto s = found.at(0).at(0).value<DiscoveredServer>();
    QCOMPARE(s.name, u"Test server ü"_s);
    QCOMPARE(s.port, m_server->port());
    QCOMPARE(s.protocol, 1);
    QCOMPARE(s.version, QStringLiteral(NATTER_VERSION));
    QCOMPARE(s.address, kLoopback);
    QCOMPARE(s.url(), QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())));
    QVERIFY(!s.id.isEmpty());
    QVERIFY(s.lastSeen.isValid());
    QCOMPARE(m_browser->servers().size(), 1);
    QCOMPARE(m_browser->server(s.id)->port, s.port);

    // Repeats refresh the entry without signals.
    const quint64 heard = m_browser->announcementCount();
    QTRY_VERIFY_WITH_TIMEOUT(m_browser->announcementCount() >= heard + 3, kTimeoutMs);
    QCOMPARE(found.size(), 1);
    QCOMPARE(updated.size(), 0);
    QCOMPARE(lost.size(), 0);
    QCOMPARE(m_browser->malformedCount(), quint64(0));
    QVERIFY(m_server->stats().announcements >= 4u);
    QVERIFY(m_browser->server(s.id)->lastSeen >= s.lastSeen);

    // The announced address and port are where the server is.
    QTcpSocket tcp;
    tcp.connectToHost(s.address, s.port);
    QTRY_COMPARE_WITH_TIMEOUT(tcp.state(), QAbstractSocket::ConnectedState, kTimeoutMs);
}

void TstAnnounce::lostAfterExpiry()
{
    QVERIFY(startBrowser());
    QSignalSpy found(m_browser.get(), &ServerBrowser::serverFound);
    QSignalSpy lost(m_browser.get(), &ServerBrowser::serverLost);
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);
    const auto s = found.at(0).at(0).value<DiscoveredServer>();

    m_server->stop();
    QElapsedTimer sinceStop;
    sinceStop.start();
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, kTimeoutMs);
    // Not before the expiry counted from the last datagram (sent at most one interval before the stop).
    QVERIFY2(sinceStop.elapsed() >= kExpiryMs - kIntervalMs - 50, qPrintable(QString::number(sinceStop.elapsed())));
    const auto gone = lost.at(0).at(0).value<DiscoveredServer>();
    QCOMPARE(gone.id, s.id);
    QCOMPARE(gone.name, s.name);
    QVERIFY(m_browser->servers().isEmpty());
    QVERIFY(!m_browser->server(s.id).has_value());
    QTest::qWait(2 * kIntervalMs);
    QCOMPARE(found.size(), 1);
    QCOMPARE(lost.size(), 1);
}

void TstAnnounce::restartReplacesInstance()
{
    // A long expiry: the old entry can only go this fast because the new instance replaces it.
    QVERIFY(startBrowser(60'000));
    QStringList events;
    QObject context; // the connections end with this function
    connect(m_browser.get(), &ServerBrowser::serverFound, &context,
            [&](const DiscoveredServer &s) { events << u"found "_s + s.id; });
    connect(m_browser.get(), &ServerBrowser::serverLost, &context,
            [&](const DiscoveredServer &s) { events << u"lost "_s + s.id; });
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, kTimeoutMs);
    const QString first = events.at(0).mid(6);
    const quint16 port = m_server->port();

    m_server.reset();
    QVERIFY(startServer(true, port));
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 3, kTimeoutMs);
    QCOMPARE(events.at(1), u"lost "_s + first);
    QVERIFY(events.at(2).startsWith(u"found "_s));
    const QString second = events.at(2).mid(6);
    QVERIFY(second != first);
    QCOMPARE(m_browser->servers().size(), 1);
    QCOMPARE(m_browser->servers().constFirst().id, second);
}

void TstAnnounce::malformedIgnored()
{
    QVERIFY(startBrowser());
    QSignalSpy found(m_browser.get(), &ServerBrowser::serverFound);
    QSignalSpy updated(m_browser.get(), &ServerBrowser::serverUpdated);
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, kTimeoutMs);

    QUdpSocket sender;
    QVERIFY(sender.bind(kLoopback, 0));
    const QList<QByteArray> junk = {
        QByteArray("hello"),
        QByteArray(2000, '{'),
        QByteArray(R"({"natter":2,"id":"x","name":"Future","port":7470,"protocol":1,"version":"9.0"})"),
        QByteArray(R"({"natter":1,"id":"x","name":"Bad port","port":0,"protocol":1,"version":"0.1.0"})"),
        QByteArray(R"({"natter":1,"id":"x","name":"Bad\nname","port":7470,"protocol":1,"version":"0.1.0"})"),
        QByteArray(R"([{"natter":1}])"),
        QByteArray("\x00\x01\x02", 3),
    };
    for (const QByteArray &bytes : junk)
        QCOMPARE(sender.writeDatagram(bytes, kLoopback, m_browser->port()), bytes.size());
    // A valid announcement last: loopback keeps the order, so when it is found the junk has been read.
    const QByteArray sentinel(R"({"natter":1,"id":"sentinel","name":"Sentinel","port":9,"protocol":1,"version":"1"})");
    QCOMPARE(sender.writeDatagram(sentinel, kLoopback, m_browser->port()), sentinel.size());

    QTRY_COMPARE_WITH_TIMEOUT(found.size(), 2, kTimeoutMs);
    QCOMPARE(found.at(1).at(0).value<DiscoveredServer>().name, u"Sentinel"_s);
    QCOMPARE(m_browser->malformedCount(), quint64(junk.size()));
    QCOMPARE(updated.size(), 0);
    const QList<DiscoveredServer> servers = m_browser->servers();
    QCOMPARE(servers.size(), 2);
    QCOMPARE(servers.at(0).name, u"Sentinel"_s); // sorted by name
    QCOMPARE(servers.at(1).name, u"Test server ü"_s);
    QCOMPARE(servers.at(1).port, m_server->port());
}

void TstAnnounce::announceSwitch_data()
{
    QTest::addColumn<bool>("announce");
    QTest::newRow("on") << true;
    QTest::newRow("off") << false;
}

void TstAnnounce::announceSwitch()
{
    QFETCH(bool, announce);
    // A plain socket as the only target: it sees every datagram, valid or not.
    QUdpSocket listener;
    QVERIFY(listener.bind(kLoopback, 0));
    m_server = std::make_unique<Server>(config(announce, {{kLoopback, listener.localPort()}}));
    QVERIFY(m_server->start());
    QTest::qWait(5 * kIntervalMs);
    int received = 0;
    while (listener.hasPendingDatagrams()) {
        const QNetworkDatagram d = listener.receiveDatagram();
        QVERIFY(d.isValid());
        QCOMPARE(d.senderAddress(), kLoopback);
        const auto a = natter::protocol::Announcement::fromBytes(d.data());
        QVERIFY(a.has_value());
        QCOMPARE(a->port, m_server->port());
        ++received;
    }
    if (announce) {
        QVERIFY2(received >= 3, qPrintable(QString::number(received)));
        QVERIFY(m_server->stats().announcements >= quint64(received));
    } else {
        QCOMPARE(received, 0);
        QCOMPARE(m_server->stats().announcements, quint64(0));
    }
}

// The default configuration (announce and announceOnLan on) with a loopback listener, as every other test
// uses: nothing is sent at all, since nobody on the LAN could connect.
void TstAnnounce::nothingOnLanForLoopbackListener()
{
    ServerConfig c;
    c.host = kLoopback;
    c.port = 0;
    c.dbPath = m_dir->filePath(u"natter.db"_s);
    c.passwordIterations = 1000;
    c.announceIntervalMs = kIntervalMs;
    QVERIFY(c.announce);
    QVERIFY(c.announceOnLan);
    QVERIFY(c.extraAnnounceTargets.isEmpty());
    m_server = std::make_unique<Server>(c);
    QVERIFY(m_server->start());
    QTest::qWait(3 * kIntervalMs);
    QCOMPARE(m_server->stats().announcements, quint64(0));
}

// Which listening addresses make the announcer go on the LAN. Nothing is started, nothing sent.
void TstAnnounce::lanRule_data()
{
    QTest::addColumn<QHostAddress>("host");
    QTest::addColumn<bool>("lan");
    QTest::addColumn<bool>("expected");
    QTest::newRow("any") << QHostAddress(QHostAddress::Any) << true << true;
    QTest::newRow("0.0.0.0") << QHostAddress(u"0.0.0.0"_s) << true << true;
    QTest::newRow("LAN address") << QHostAddress(u"192.168.1.5"_s) << true << true;
    QTest::newRow("127.0.0.1") << QHostAddress(u"127.0.0.1"_s) << true << false;
    QTest::newRow("127.0.0.2") << QHostAddress(u"127.0.0.2"_s) << true << false;
    QTest::newRow("::1") << QHostAddress(u"::1"_s) << true << false;
    QTest::newRow(":: (IPv6 only)") << QHostAddress(u"::"_s) << true << false;
    QTest::newRow("IPv6 address") << QHostAddress(u"fd00::5"_s) << true << false;
    QTest::newRow("any, LAN off") << QHostAddress(QHostAddress::Any) << false << false;
}

void TstAnnounce::lanRule()
{
    QFETCH(QHostAddress, host);
    QFETCH(bool, lan);
    QFETCH(bool, expected);
    natter::protocol::Announcement a;
    a.id = u"x"_s;
    a.name = u"n"_s;
    a.port = 1;
    a.protocol = 1;
    a.version = u"1"_s;
    AnnouncerConfig c;
    c.lan = lan;
    c.listenHost = host;
    const Announcer announcer(a, c);
    QCOMPARE(announcer.sendsOnLan(), expected);
    QVERIFY(!announcer.isActive());
}

void TstAnnounce::browserPortTaken()
{
    // A port held without address sharing cannot be shared: start() says why.
    QUdpSocket holder;
    QVERIFY(holder.bind(QHostAddress::AnyIPv4, 0, QAbstractSocket::DontShareAddress));
    ServerBrowserConfig c;
    c.port = holder.localPort();
    c.multicast = false;
    ServerBrowser browser(c);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"LAN discovery"_s));
    QVERIFY(!browser.start());
    QVERIFY(browser.errorString().contains(QString::number(c.port)));
    QVERIFY(!browser.isActive());
}

QTEST_GUILESS_MAIN(TstAnnounce)
#include "tst_announce.moc"
