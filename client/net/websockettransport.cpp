#include "client/net/websockettransport.h"

#include "client/clientlogging.h"
#include "common/protocol/events.h"


namespace natter::client {

using namespace Qt::StringLiterals;

WebSocketTransport::WebSocketTransport(WebSocketConfig config, QObject *parent) : Transport(parent), m_config(config)
{
    m_openTimer.setSingleShot(true);
    connect(&m_openTimer, &QTimer::timeout, this, [this] { fail(u"no WebSocket handshake within %1 ms"_s.arg(m_config.openTimeoutMs)); });
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_lastHeard.elapsed() > m_config.deadAfterMs) {
            fail(u"no answer to heartbeats for %1 ms"_s.arg(m_lastHeard.elapsed()));
            return;
        }
        if (m_socket)
            m_socket->ping();
    });
}

WebSocketTransport::~WebSocketTransport()
{
    reset();
}

QUrl WebSocketTransport::webSocketUrl(const QUrl &server)
{
    QUrl url = server;
    url.setScheme(server.scheme() == "https"_L1 ? u"wss"_s : u"ws"_s);
    url.setPath(u"/ws"_s);
    return url;
}

void WebSocketTransport::reset()
{
    m_openTimer.stop();
    m_heartbeat.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.release()->deleteLater();
    }
}

void WebSocketTransport::open(const QUrl &server)
{
    reset();
    m_socket = std::make_unique<QWebSocket>();
    QWebSocket *ws = m_socket.get();
    connect(ws, &QWebSocket::connected, this, [this] {
        m_openTimer.stop();
        m_lastHeard.start();
        m_heartbeat.start(m_config.heartbeatMs);
        emit opened();
    });
    connect(ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_lastHeard.restart();
        emit heard();
        receive(protocol::parseServerEvent(text.toUtf8()));
    });
    connect(ws, &QWebSocket::pong, this, [this](quint64 elapsed) {
        m_lastHeard.restart();
        m_rtt = int(elapsed);
        emit heard();
    });
    connect(ws, &QWebSocket::disconnected, this, [this] {
        if (!m_socket)
            return;
        if (m_socket->error() != QAbstractSocket::UnknownSocketError)
            fail(m_socket->errorString());
        else
            fail(u"the WebSocket closed (%1 %2)"_s.arg(int(m_socket->closeCode())).arg(m_socket->closeReason()));
    });
    connect(ws, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) { fail(m_socket ? m_socket->errorString() : u"socket error"_s); });
    m_openTimer.start(m_config.openTimeoutMs);
    ws->open(webSocketUrl(server));
}

void WebSocketTransport::close()
{
    reset();
}

void WebSocketTransport::send(const protocol::Request &request)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(QString::fromUtf8(protocol::encode(request.toJson())));
}


} // namespace natter::client
