#include "server/net/httpfront.h"

#include "server/serverlogging.h"
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

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;

namespace {
constexpr int kKeepAliveIntervalMs = 30'000;
constexpr qint64 kMaxSilenceMs = 75'000;

bool isUpgrade(const QHttpServerRequest &request)
{
    return request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}
} // namespace

HttpFront::HttpFront(Router &router, QObject *parent) : QObject(parent), m_router(router)
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
                 [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     if (isUpgrade(request))
                         return; // QHttpServer hands the socket over for the WebSocket handshake
                     http::writeError(responder, ErrorCode::BadRequest,
                                u"/ws is a WebSocket endpoint: send 'Upgrade: websocket'"_s);
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
    m_tcp = new NoDelayTcpServer(this);
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
    const auto sessions = m_sessions;
    for (WebSocketSession *s : sessions) {
        s->disconnect(this);
        m_router.sessionClosed(s);
        delete s;
    }
    m_sessions.clear();
}

void HttpFront::acceptWebSockets()
{
    while (m_http.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_http.nextPendingWebSocketConnection();
        if (!socket)
            continue;
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
