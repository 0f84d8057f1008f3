// The connection guard and the connection caps against real sockets on loopback: an in-process
// natter::server::Server on 127.0.0.1 (any free port) with a short request deadline, and raw QTcpSockets
// that write exactly the bytes a test wants, split where it wants (docs/protocol.md, "Connection limits").
//
// The WebSocket rows speak RFC 6455 by hand after the 101 (masked text frames out, plain frames in), so
// that the upgrade request can be split and spelled in ways QWebSocket never sends.

#include "server/server.h"
#include "server/net/connectionlimits.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using natter::server::Server;
using natter::server::ServerConfig;

namespace {

constexpr int kDeadlineMs = 1'000; // the request deadline of the test server (natterd's default is 10 s)
constexpr int kTimeoutMs = 10'000;

// An upgrade request with the Upgrade and Connection lines as given; Host comes after them, so that byte
// offsets into the first lines do not depend on the port.
QByteArray upgradeRequest(const QByteArray &upgradeLine, const QByteArray &connectionLine, quint16 port,
                          const QByteArray &eol = "\r\n")
{
    return "GET /ws HTTP/1.1" + eol + upgradeLine + eol + connectionLine + eol + "Host: 127.0.0.1:"
        + QByteArray::number(port) + eol + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" + eol
        + "Sec-WebSocket-Version: 13" + eol + eol;
}

// A client-to-server text frame (masked, as RFC 6455 requires of clients).
QByteArray maskedTextFrame(const QByteArray &payload)
{
    static const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray frame;
    frame.append(char(0x81)); // FIN, text
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char((payload.size() >> 8) & 0xff));
        frame.append(char(payload.size() & 0xff));
    }
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ mask[i % 4]));
    return frame;
}

// Takes one whole server frame from the front of buffer; false while it is incomplete.
bool takeFrame(QByteArray &buffer, int *opcode, QByteArray *payload)
{
    if (buffer.size() < 2)
        return false;
    const auto byte = [&](qsizetype i) { return quint64(quint8(buffer.at(i))); };
    quint64 length = byte(1) & 0x7f;
    qsizetype at = 2;
    if (length == 126) {
        if (buffer.size() < 4)
            return false;
        length = byte(2) << 8 | byte(3);
        at = 4;
    } else if (length == 127) {
        if (buffer.size() < 10)
            return false;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = length << 8 | byte(2 + i);
        at = 10;
    }
    if (byte(1) & 0x80)
        at += 4; // a server must not mask, but skip the key if it does
    if (quint64(buffer.size()) < at + length)
        return false;
    *opcode = int(byte(0) & 0x0f);
    *payload = buffer.mid(at, qsizetype(length));
    buffer.remove(0, at + qsizetype(length));
    return true;
}

// One raw TCP connection to the server under test.
class Raw
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, kTimeoutMs);
    }
    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Waits until the server has closed the connection (false on timeout).
    bool waitForClosed(int timeoutMs)
    {
        return QTest::qWaitFor(
            [&] {
                m_in.append(m_socket.readAll());
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }
    // Stays open for this long: false as soon as the server closes it.
    bool staysOpen(int ms)
    {
        return !QTest::qWaitFor([&] { return !isConnected(); }, ms) && isConnected();
    }
    void close() { m_socket.abort(); }

    // Reads until a whole HTTP response head is in; returns it (empty on timeout). The body stays in body().
    QByteArray readHead(int timeoutMs = kTimeoutMs)
    {
        qsizetype end = -1;
        (void)QTest::qWaitFor(
            [&] {
                m_in.append(m_socket.readAll());
                end = m_in.indexOf("\r\n\r\n");
                return end >= 0;
            },
            timeoutMs);
        if (end < 0)
            return {};
        const QByteArray head = m_in.left(end + 4);
        m_in.remove(0, end + 4);
        return head;
    }
    static int statusOf(const QByteArray &head)
    {
        // "HTTP/1.1 101 Switching Protocols"
        return head.startsWith("HTTP/1.1 ") ? head.mid(9, 3).toInt() : 0;
    }
    static qsizetype contentLength(const QByteArray &head)
    {
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                return line.mid(15).trimmed().toLongLong();
        }
        return -1;
    }
    // A whole HTTP response: its status and JSON body.
    bool readResponse(int *status, QJsonObject *body, QByteArray *head = nullptr, int timeoutMs = kTimeoutMs)
    {
        const QByteArray h = readHead(timeoutMs);
        const qsizetype length = contentLength(h);
        if (h.isEmpty() || length < 0)
            return false;
        if (!QTest::qWaitFor(
                [&] {
                    m_in.append(m_socket.readAll());
                    return m_in.size() >= length;
                },
                timeoutMs))
            return false;
        *status = statusOf(h);
        *body = QJsonDocument::fromJson(m_in.left(length)).object();
        m_in.remove(0, length);
        if (head)
            *head = h;
        return true;
    }

    void sendJson(const QJsonObject &envelope) { write(maskedTextFrame(QJsonDocument(envelope).toJson(QJsonDocument::Compact))); }
    // The next envelope with this rid (other frames are skipped); empty on timeout or close.
    QJsonObject reply(const QString &rid, int timeoutMs = kTimeoutMs)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                m_in.append(m_socket.readAll());
                int opcode = 0;
                QByteArray payload;
                while (found.isEmpty() && takeFrame(m_in, &opcode, &payload)) {
                    const QJsonObject o = QJsonDocument::fromJson(payload).object();
                    if (opcode == 1 && o.value("rid"_L1).toString() == rid)
                        found = o;
                }
                return !found.isEmpty() || m_socket.state() != QAbstractSocket::ConnectedState;
            },
            timeoutMs);
        return found;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_in;
};

QByteArray headersOf(const QByteArray &head)
{
    return head.toLower();
}

} // namespace

class TstGuard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // The hand-over: an upgrade is an HTTP request until its 101, then never cut by the HTTP guard.
    void upgradeSurvivesTheDeadline_data();
    void upgradeSurvivesTheDeadline();
    void halfOpenUpgradeClosedAtDeadline_data();
    void halfOpenUpgradeClosedAtDeadline();
    void slowRequestClosedAtDeadline_data();
    void slowRequestClosedAtDeadline();
    void upgradeWithoutConnectionUpgradeIs400();

    // Caps
    void capRefusesWithRateLimited_data();
    void capRefusesWithRateLimited();
    void loopbackNotCappedPerAddressByDefault();
    void healthzAnswersWhileHalfOpenRequestsAreHeld();

private:
    bool startServer(const std::function<void(ServerConfig &)> &tweak = {});
    quint16 port() const { return m_server->port(); }
    // Opens a WebSocket by hand (request written in the given segments) and signs a user in.
    bool openWebSocket(Raw &raw, const QList<QByteArray> &segments, const QString &user);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
};

void TstGuard::initTestCase()
{
    QLoggingCategory::setFilterRules(u"natter.*.debug=false\nnatter.*.info=false"_s);
    // 200 held connections are 400 descriptors in this process (both ends).
    natter::server::raiseFileDescriptorLimit();
}

void TstGuard::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstGuard::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

bool TstGuard::startServer(const std::function<void(ServerConfig &)> &tweak)
{
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.dbPath = m_dir->filePath(u"natter.db"_s);
    config.passwordIterations = 1000;
    config.announce = false;
    config.requestDeadlineMs = kDeadlineMs;
    if (tweak)
        tweak(config);
    m_server = std::make_unique<Server>(config);
    if (!m_server->start()) {
        qWarning() << "server did not start:" << m_server->errorString();
        return false;
    }
    return true;
}

bool TstGuard::openWebSocket(Raw &raw, const QList<QByteArray> &segments, const QString &user)
{
    if (!raw.connectTo(port()))
        return false;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        raw.write(segments.at(i));
        if (i + 1 < segments.size()) {
            // The server has read this segment on its own before the next one is written.
            if (i == 0 && !QTest::qWaitFor([&] { return m_server->stats().pendingRequests == 1; }, kTimeoutMs)) {
                qWarning() << "the server never saw the first segment";
                return false;
            }
            QTest::qWait(100);
        }
    }
    const QByteArray head = raw.readHead();
    if (Raw::statusOf(head) != 101) {
        qWarning().noquote() << "no 101:" << head;
        return false;
    }
    raw.sendJson({{"type"_L1, u"register"_s}, {"user"_L1, user}, {"password"_L1, u"pw-guard"_s},
                  {"device"_L1, u"d-1"_s}, {"rid"_L1, u"r-welcome"_s}});
    const QJsonObject reply = raw.reply(u"r-welcome"_s);
    if (reply.value("type"_L1) != "welcome"_L1) {
        qWarning().noquote() << "no welcome:" << QJsonDocument(reply).toJson(QJsonDocument::Compact);
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// The hand-over

void TstGuard::upgradeSurvivesTheDeadline_data()
{
    QTest::addColumn<QByteArray>("upgradeLine");
    QTest::addColumn<QByteArray>("connectionLine");
    // Byte offsets where the request is cut into segments; negative: counted from the end.
    QTest::addColumn<QList<int>>("splits");

    const QByteArray upgrade = "Upgrade: websocket";
    const QByteArray connection = "Connection: Upgrade";
    const int requestLine = int(qstrlen("GET /ws HTTP/1.1\r\n"));
    QTest::newRow("one segment") << upgrade << connection << QList<int>{};
    QTest::newRow("split in the request line") << upgrade << connection << QList<int>{6};
    QTest::newRow("split after the request line") << upgrade << connection << QList<int>{requestLine};
    QTest::newRow("split in the Upgrade name") << upgrade << connection << QList<int>{requestLine + 3};
    QTest::newRow("split in the Upgrade value") << upgrade << connection << QList<int>{requestLine + 13};
    QTest::newRow("split before the blank line") << upgrade << connection << QList<int>{-2};
    QTest::newRow("three segments") << upgrade << connection << QList<int>{6, requestLine + 13, -2};
    QTest::newRow("Upgrade:websocket") << QByteArray("Upgrade:websocket") << connection << QList<int>{};
    QTest::newRow("upgrade: WebSocket") << QByteArray("upgrade: WebSocket") << connection << QList<int>{};
    QTest::newRow("UPGRADE:   websocket   (spaces)")
        << QByteArray("UPGRADE:   websocket   ") << QByteArray("CONNECTION:  upgrade ") << QList<int>{};
    QTest::newRow("Connection: keep-alive, Upgrade")
        << upgrade << QByteArray("Connection: keep-alive, Upgrade") << QList<int>{};
    QTest::newRow("Upgrade:WebSocket, split before the blank line")
        << QByteArray("Upgrade:WebSocket") << QByteArray("connection:upgrade") << QList<int>{-2};
}

void TstGuard::upgradeSurvivesTheDeadline()
{
    QFETCH(QByteArray, upgradeLine);
    QFETCH(QByteArray, connectionLine);
    QFETCH(QList<int>, splits);
    QVERIFY(startServer());

    const QByteArray request = upgradeRequest(upgradeLine, connectionLine, port());
    QList<QByteArray> segments;
    qsizetype from = 0;
    for (int split : splits) {
        const qsizetype at = split < 0 ? request.size() + split : split;
        segments.append(request.mid(from, at - from));
        from = at;
    }
    segments.append(request.mid(from));

    Raw ws;
    QVERIFY(openWebSocket(ws, segments, u"guard"_s));
    // Handed over at the 101: no HTTP request is pending any more.
    QCOMPARE(m_server->stats().pendingRequests, 0);
    QCOMPARE(m_server->stats().webSockets, qsizetype(1));

    // Well past the request deadline, the WebSocket is open and answers.
    QVERIFY2(ws.staysOpen(kDeadlineMs * 5 / 2), "the WebSocket was cut");
    ws.sendJson({{"type"_L1, u"users"_s}, {"rid"_L1, u"r-users"_s}});
    const QJsonObject users = ws.reply(u"r-users"_s);
    QCOMPARE(users.value("type"_L1).toString(), u"users"_s);
    QVERIFY(ws.isConnected());
}

void TstGuard::halfOpenUpgradeClosedAtDeadline_data()
{
    QTest::addColumn<QList<QByteArray>>("segments");
    QTest::addColumn<int>("trickleMs"); // >0: the segments after the first come at this interval

    const QByteArray start = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    QTest::newRow("headers never finished") << QList<QByteArray>{start} << 0;
    QTest::newRow("Upgrade:websocket, headers never finished")
        << QList<QByteArray>{"GET /ws HTTP/1.1\r\nUpgrade:websocket\r\nConnection: Upgrade\r\n"} << 0;
    QTest::newRow("request line only") << QList<QByteArray>{"GET /ws HTTP/1.1\r\n"} << 0;
    // QHttpServer accepts a blank line of LF alone and passes the socket on; QWebSocketServer waits for
    // CR LF CR LF forever: the deadline still runs.
    QTest::newRow("complete for QHttpServer, never for QWebSocketServer")
        << QList<QByteArray>{start + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\n"}
        << 0;
    QTest::newRow("headers trickled, never finished")
        << QList<QByteArray>{start, "Host: 127.0.0.1\r\n", "X-A: 1\r\n", "X-B: 2\r\n", "X-C: 3\r\n", "X-D: 4\r\n",
                             "X-E: 5\r\n", "X-F: 6\r\n"}
        << kDeadlineMs / 4;
}

void TstGuard::halfOpenUpgradeClosedAtDeadline()
{
    QFETCH(QList<QByteArray>, segments);
    QFETCH(int, trickleMs);
    QVERIFY(startServer());

    Raw raw;
    QVERIFY(raw.connectTo(port()));
    QElapsedTimer clock;
    clock.start();
    raw.write(segments.constFirst());
    for (qsizetype i = 1; i < segments.size() && raw.isConnected(); ++i) {
        QTest::qWait(trickleMs);
        raw.write(segments.at(i));
    }
    QVERIFY2(raw.waitForClosed(kDeadlineMs * 4), "a half-open upgrade request is held past the deadline");
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kDeadlineMs * 9 / 10 && elapsed <= kDeadlineMs + 1'500,
             qPrintable(u"closed after %1 ms (deadline %2 ms)"_s.arg(elapsed).arg(kDeadlineMs)));
    QCOMPARE(m_server->stats().webSockets, qsizetype(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, 0, kTimeoutMs);
    QCOMPARE(m_server->stats().pendingRequests, 0);
}

void TstGuard::slowRequestClosedAtDeadline_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<int>("trickleMs");
    const QByteArray start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    QTest::newRow("silent after the first bytes") << start << 0;
    QTest::newRow("one header every 200 ms") << start << 200;
    QTest::newRow("connected, not a byte sent") << QByteArray() << 0;
}

void TstGuard::slowRequestClosedAtDeadline()
{
    QFETCH(QByteArray, start);
    QFETCH(int, trickleMs);
    QVERIFY(startServer());

    Raw raw;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(raw.connectTo(port()));
    if (!start.isEmpty())
        raw.write(start);
    int n = 0;
    const bool closed = QTest::qWaitFor(
        [&] {
            if (trickleMs > 0 && raw.isConnected() && clock.elapsed() > trickleMs * (n + 1))
                raw.write("X-Slow-" + QByteArray::number(n++) + ": 1\r\n");
            return !raw.isConnected();
        },
        kDeadlineMs * 4);
    QVERIFY2(closed, "a slow request is held past the deadline");
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kDeadlineMs * 9 / 10 && elapsed <= kDeadlineMs + 1'500,
             qPrintable(u"closed after %1 ms (deadline %2 ms)"_s.arg(elapsed).arg(kDeadlineMs)));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, 0, kTimeoutMs);
}

void TstGuard::upgradeWithoutConnectionUpgradeIs400()
{
    // QHttpServer does not upgrade without `Connection: upgrade`; the route answers instead of leaving the
    // request unanswered until the deadline.
    QVERIFY(startServer());
    Raw raw;
    QVERIFY(raw.connectTo(port()));
    raw.write(upgradeRequest("Upgrade: websocket", "Connection: keep-alive", port()));
    int status = 0;
    QJsonObject body;
    QVERIFY(raw.readResponse(&status, &body, nullptr, kDeadlineMs / 2));
    QCOMPARE(status, 400);
    QCOMPARE(body.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(body.value("code"_L1).toString(), u"bad_request"_s);
}

// ---------------------------------------------------------------------------------------------------------
// Caps

void TstGuard::capRefusesWithRateLimited_data()
{
    QTest::addColumn<int>("perAddress");
    QTest::addColumn<int>("total");
    QTest::newRow("per address (loopback limited)") << 3 << 0;
    QTest::newRow("in total") << 0 << 3;
}

void TstGuard::capRefusesWithRateLimited()
{
    QFETCH(int, perAddress);
    QFETCH(int, total);
    QVERIFY(startServer([&](ServerConfig &c) {
        c.maxConnectionsPerAddress = perAddress;
        c.maxConnections = total;
        c.limitLoopback = true;
        c.requestDeadlineMs = 10'000;
    }));
    const int cap = std::max(perAddress, total);

    // cap connections: plain HTTP ones, and one WebSocket (it counts too).
    std::vector<std::unique_ptr<Raw>> held;
    for (int i = 0; i < cap - 1; ++i) {
        held.push_back(std::make_unique<Raw>());
        QVERIFY(held.back()->connectTo(port()));
    }
    auto ws = std::make_unique<Raw>();
    QVERIFY(openWebSocket(*ws, {upgradeRequest("Upgrade: websocket", "Connection: Upgrade", port())}, u"capped"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, cap, kTimeoutMs);

    // One more: refused with the documented answer, then closed.
    Raw extra;
    QVERIFY(extra.connectTo(port()));
    extra.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    int status = 0;
    QJsonObject body;
    QByteArray head;
    QVERIFY(extra.readResponse(&status, &body, &head));
    QCOMPARE(status, 429);
    QCOMPARE(body.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(body.value("code"_L1).toString(), u"rate_limited"_s);
    QVERIFY2(!body.value("message"_L1).toString().isEmpty(), head.constData());
    QVERIFY2(headersOf(head).contains("\r\nretry-after: "), head.constData());
    QVERIFY2(headersOf(head).contains("\r\nconnection: close"), head.constData());
    QVERIFY(extra.waitForClosed(kTimeoutMs));
    QCOMPARE(m_server->stats().refusedConnections, quint64(1));
    QCOMPARE(m_server->stats().openConnections, cap);

    // The held ones are served as before.
    held.front()->write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(held.front()->readResponse(&status, &body));
    QCOMPARE(status, 200);
    ws->sendJson({{"type"_L1, u"users"_s}, {"rid"_L1, u"r-users"_s}});
    QCOMPARE(ws->reply(u"r-users"_s).value("type"_L1).toString(), u"users"_s);

    // Closing one (the WebSocket) lets a new one in.
    ws->close();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, cap - 1, kTimeoutMs);
    Raw next;
    QVERIFY(next.connectTo(port()));
    next.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(next.readResponse(&status, &body));
    QCOMPARE(status, 200);
    QCOMPARE(body.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(m_server->stats().refusedConnections, quint64(1));
}

void TstGuard::loopbackNotCappedPerAddressByDefault()
{
    QVERIFY(startServer([](ServerConfig &c) { c.maxConnectionsPerAddress = 2; }));
    std::vector<std::unique_ptr<Raw>> held;
    for (int i = 0; i < 5; ++i) {
        held.push_back(std::make_unique<Raw>());
        QVERIFY(held.back()->connectTo(port()));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, 5, kTimeoutMs);
    for (auto &raw : held) {
        raw->write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        int status = 0;
        QJsonObject body;
        QVERIFY(raw->readResponse(&status, &body));
        QCOMPARE(status, 200);
    }
    QCOMPARE(m_server->stats().refusedConnections, quint64(0));
}

void TstGuard::healthzAnswersWhileHalfOpenRequestsAreHeld()
{
    constexpr int kHalfOpen = 200;
    constexpr int kLongDeadlineMs = 5'000; // long enough to measure while all of them are held
    QVERIFY(startServer([](ServerConfig &c) { c.requestDeadlineMs = kLongDeadlineMs; }));
    QVERIFY2(m_server->stats().maxConnections > kHalfOpen + 10,
             qPrintable(u"cap %1: raise the open-file limit"_s.arg(m_server->stats().maxConnections)));

    // Half of them upgrade requests, half plain ones, none ever finished.
    std::vector<std::unique_ptr<Raw>> slow;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kHalfOpen; ++i) {
        slow.push_back(std::make_unique<Raw>());
        QVERIFY(slow.back()->connectTo(port()));
        slow.back()->write(i % 2 ? QByteArray("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                                 : QByteArray("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().pendingRequests, kHalfOpen, kLongDeadlineMs);
    const qint64 heldAfter = clock.elapsed();

    QElapsedTimer health;
    health.start();
    Raw probe;
    QVERIFY(probe.connectTo(port()));
    probe.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    int status = 0;
    QJsonObject body;
    QVERIFY(probe.readResponse(&status, &body));
    const qint64 healthMs = health.elapsed();
    QCOMPARE(status, 200);
    QVERIFY2(healthMs < 1'000, qPrintable(u"/healthz took %1 ms"_s.arg(healthMs)));
    QVERIFY2(clock.elapsed() < kLongDeadlineMs, "the measurement was not made while the requests were held");
    QCOMPARE(m_server->stats().pendingRequests, kHalfOpen);

    // Every one of them is closed at its deadline.
    const bool allClosed = QTest::qWaitFor(
        [&] {
            return std::all_of(slow.begin(), slow.end(), [](const auto &r) { return !r->isConnected(); });
        },
        kLongDeadlineMs * 3);
    const qint64 closedAfter = clock.elapsed();
    const int stillOpen = int(std::count_if(slow.begin(), slow.end(), [](const auto &r) { return r->isConnected(); }));
    QVERIFY2(allClosed, qPrintable(u"%1 of %2 still open after %3 ms"_s.arg(stillOpen).arg(kHalfOpen).arg(closedAfter)));
    QVERIFY2(closedAfter <= kLongDeadlineMs + 3'000, qPrintable(u"all closed only after %1 ms"_s.arg(closedAfter)));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().pendingRequests, 0, kTimeoutMs);
    qInfo().noquote() << u"%1 half-open requests held after %2 ms; /healthz answered in %3 ms; all closed %4 ms "
                         "after the first was opened (deadline %5 ms)"_s.arg(kHalfOpen)
                             .arg(heldAfter)
                             .arg(healthMs)
                             .arg(closedAfter)
                             .arg(kLongDeadlineMs);
}

QTEST_GUILESS_MAIN(TstGuard)
#include "tst_guard.moc"
