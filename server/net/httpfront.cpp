#include "server/net/httpfront.h"

#include "server/serverlogging.h"
#include "server/net/connectionguard.h"
#include "server/net/httpreply.h"
#include "server/net/longpolldoor.h"
#include "server/net/nodelaytcpserver.h"
#include "server/net/websocketsession.h"
#include "common/protocol/events.h"
#include "common/protocol/validation.h"
#include "server/routing/router.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QTcpSocket>
#include <QWebSocket>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;

namespace {
constexpr int kKeepAliveIntervalMs = 30'000;
constexpr qint64 kMaxSilenceMs = 75'000;

bool asksForWebSocket(const QHttpServerRequest &request)
{
    return request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

// QHttpServer passes a request on to its QWebSocketServer only when `Connection` also names `upgrade`
// (any case, among other tokens); the same test as its own.
bool isUpgrade(const QHttpServerRequest &request)
{
    return asksForWebSocket(request) && request.value("connection").toLower().contains("upgrade");
}

template <typename Socket>
QPair<QPair<QHostAddress, quint16>, QPair<QHostAddress, quint16>> endpointsOf(const Socket &socket)
{
    return {{socket.localAddress(), socket.localPort()}, {socket.peerAddress(), socket.peerPort()}};
}
} // namespace

HttpFront::HttpFront(Router &router, ConnectionLimits limits, QObject *parent)
    : QObject(parent), m_router(router), m_limits(limits)
{
    addRoutes();
    m_longPoll = new LongPollDoor(router, m_http, this);
    connect(&m_http, &QHttpServer::newWebSocketConnection, this, &HttpFront::acceptWebSockets);
    m_keepAlive.setInterval(kKeepAliveIntervalMs);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        const auto sessions = m_sessions;
        for (WebSocketSession *s : sessions)
            s->checkAlive(kMaxSilenceMs);
    });
}

HttpFront::~HttpFront()
{
    close();
}

void HttpFront::addRoutes()
{
    m_http.route(u"/ws"_s, QHttpServerRequest::Method::Get,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     if (isUpgrade(request)) {
                         // QHttpServer hands the socket over for the WebSocket handshake: write nothing.
                         upgradeRequested(responder.socket());
                         return;
                     }
                     http::writeError(responder, ErrorCode::BadRequest,
                                      asksForWebSocket(request)
                                          ? u"a WebSocket upgrade needs 'Connection: Upgrade' too"_s
                                          : u"/ws is a WebSocket endpoint: send 'Upgrade: websocket'"_s);
                 });
    m_http.route(u"/healthz"_s, QHttpServerRequest::Method::Get,
                 [](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     http::writeJson(responder, QJsonObject{{"status"_L1, u"ok"_s},
                                                     {"version"_L1, QStringLiteral(NATTER_VERSION)},
                                                     {"protocol"_L1, protocol::kProtocolVersion}});
                 });
    m_http.setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        http::writeError(responder, ErrorCode::NotFound, u"no such endpoint: %1"_s.arg(request.url().path()));
    });
}

bool HttpFront::listen(const QHostAddress &host, quint16 port, QString *error)
{
    m_tcp = new NoDelayTcpServer(m_limits, this);
    if (!m_tcp->listen(host, port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(host.toString()).arg(port).arg(m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    m_http.bind(m_tcp);
    m_keepAlive.start();
    const QString where = u"%1:%2"_s.arg(host.toString()).arg(m_tcp->serverPort());
    qCInfo(lcNet).noquote() << u"WebSocket door listening on ws://%1/ws"_s.arg(where);
    qCInfo(lcNet).noquote() << u"long-polling door listening on http://%1/api/v1/{session,send,poll}"_s.arg(where);
    qCInfo(lcNet).noquote() << u"health check listening on http://%1/healthz"_s.arg(where);
    return true;
}

quint64 HttpFront::acceptedConnections() const
{
    return m_tcp ? m_tcp->acceptedCount() : 0;
}

int HttpFront::openConnections() const
{
    return m_tcp ? m_tcp->counts().open() : 0;
}

int HttpFront::pendingRequests() const
{
    return m_tcp ? m_tcp->counts().pendingRequests() : 0;
}

quint64 HttpFront::refusedConnections() const
{
    return m_tcp ? m_tcp->counts().refusedCount() : 0;
}

quint16 HttpFront::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void HttpFront::close()
{
    m_keepAlive.stop();
    if (m_tcp)
        m_tcp->close();
    m_longPoll->close();
    m_upgrading.clear();
    const auto sessions = m_sessions;
    for (WebSocketSession *s : sessions) {
        s->disconnect(this);
        m_router.sessionClosed(s);
        delete s;
    }
    m_sessions.clear();
}

void HttpFront::upgradeRequested(QTcpSocket *socket)
{
    auto *guard = ConnectionGuard::of(socket);
    if (!guard)
        return;
    guard->upgradeRequested();
    // Entries of upgrades that never completed (the socket is gone) are dropped on the way.
    if (m_upgrading.size() >= 16)
        m_upgrading.removeIf([](const auto &it) { return it.value().isNull(); });
    m_upgrading.insert(endpointsOf(*socket), guard);
}

void HttpFront::acceptWebSockets()
{
    while (m_http.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_http.nextPendingWebSocketConnection();
        if (!socket)
            continue;
        // The handshake is complete (QWebSocketServer sent the 101): the HTTP guard steps aside.
        if (const QPointer<ConnectionGuard> guard = m_upgrading.take(endpointsOf(*socket)))
            guard->becameWebSocket();
        else
            qCWarning(lcNet) << "WebSocket from" << socket->peerAddress().toString() << "without its HTTP guard";
        auto *session = new WebSocketSession(std::move(socket), m_router, this);
        m_sessions.insert(session);
        connect(session, &WebSocketSession::finished, this, [this](WebSocketSession *s) {
            m_sessions.remove(s);
            m_router.sessionClosed(s);
            s->deleteLater();
        });
        qCDebug(lcNet) << session->describe() << "connected";
    }
}

} // namespace natter::server
