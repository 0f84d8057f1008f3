#include "server/net/websocketsession.h"

#include "server/serverlogging.h"
#include "common/protocol/events.h"
#include "common/protocol/validation.h"
#include "server/routing/router.h"

namespace natter::server {

using namespace Qt::StringLiterals;

namespace {
// Frames past this are refused by Qt with close code 1009; between 64 KiB and this they get `too_large`.
constexpr quint64 kMaxIncomingMessage = 1024 * 1024;
} // namespace

WebSocketSession::WebSocketSession(std::unique_ptr<QWebSocket> socket, Router &router, QObject *parent)
    : Session(parent), m_socket(std::move(socket)), m_router(router)
{
    m_peer = u"%1:%2"_s.arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    m_socket->setMaxAllowedIncomingMessageSize(kMaxIncomingMessage);
    m_lastHeard.start();

    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &WebSocketSession::onText);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        m_lastHeard.restart();
        send(QString::fromUtf8(protocol::encode(protocol::events::error(
            {protocol::ErrorCode::BadRequest, u"send text frames holding one JSON object each"_s}))));
    });
    connect(m_socket.get(), &QWebSocket::pong, this, [this] { m_lastHeard.restart(); });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] {
        qCDebug(lcNet) << describe() << "closed";
        m_authTimer.stop();
        emit finished(this);
    });

    m_authTimer.setSingleShot(true);
    m_authTimer.setInterval(protocol::kAuthTimeoutMs);
    connect(&m_authTimer, &QTimer::timeout, this,
            [this] { close(QWebSocketProtocol::CloseCodePolicyViolated, u"authentication timeout"_s); });
    m_authTimer.start();
}

WebSocketSession::~WebSocketSession()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

QString WebSocketSession::describe() const
{
    return u"ws "_s + m_peer;
}

void WebSocketSession::send(const QString &text)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(text);
}

void WebSocketSession::deliver(const Frame &frame)
{
    send(frame.text());
}

void WebSocketSession::signedIn()
{
    m_authTimer.stop(); // runs again from the next sign-out
}

void WebSocketSession::signedOut()
{
    m_authTimer.start();
}

void WebSocketSession::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    qCInfo(lcNet) << describe() << "closing:" << reason;
    m_socket->close(code, reason);
}

void WebSocketSession::checkAlive(qint64 maxSilenceMs)
{
    if (m_lastHeard.elapsed() > maxSilenceMs) {
        qCInfo(lcNet) << describe() << "silent for" << m_lastHeard.elapsed() << "ms, dropping";
        m_socket->abort();
        return;
    }
    m_socket->ping();
}

void WebSocketSession::onText(const QString &text)
{
    m_lastHeard.restart();
    QPointer<WebSocketSession> self(this);
    m_router.handleRaw(this, text.toUtf8(), [self](std::optional<QJsonObject> reply) {
        if (self && reply)
            self->send(QString::fromUtf8(protocol::encode(*reply)));
    });
}

} // namespace natter::server
