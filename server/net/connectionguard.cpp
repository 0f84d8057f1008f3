#include "server/net/connectionguard.h"

#include "server/serverlogging.h"
#include "server/net/httpreply.h"
#include "common/protocol/events.h"

#include <QTcpSocket>

#include <algorithm>
#include <utility>

namespace natter::server {

using namespace Qt::StringLiterals;

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, int requestDeadlineMs, std::shared_ptr<ConnectionCounts> counts)
    : QObject(socket), m_socket(socket), m_counts(std::move(counts)), m_peer(socket->peerAddress())
{
    setObjectName(u"natter-connection-guard"_s);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(requestDeadlineMs);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcNet) << (m_state == State::Upgrading ? "WebSocket upgrade" : "request") << "from"
                      << m_peer.toString() << "incomplete after" << m_deadline.interval() << "ms: closing";
        m_socket->abort();
    });
    m_idle.setSingleShot(true);
    m_idle.setInterval(http::kKeepAliveIdleSeconds * 1000);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_state == State::Idle)
            m_socket->disconnectFromHost();
    });
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &ConnectionGuard::onBytesWritten);
    // A new connection's first request must be complete within the deadline of the connect itself: a
    // connection that never sends a byte is closed like one that never finishes its request.
    m_deadline.start();
}

ConnectionGuard::~ConnectionGuard()
{
    if (m_counts) {
        if (isPending(m_state))
            m_counts->requestEnded();
        m_counts->release(m_peer);
    }
}

ConnectionGuard *ConnectionGuard::of(QObject *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(u"natter-connection-guard"_s, Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::setState(State state)
{
    if (m_counts && isPending(m_state) != isPending(state)) {
        if (isPending(state))
            m_counts->requestStarted();
        else
            m_counts->requestEnded();
    }
    m_state = state;
}

void ConnectionGuard::requestReceived()
{
    if (m_state == State::WebSocket || m_state == State::Rejected || m_state == State::Upgrading)
        return;
    setState(State::Handling);
    m_deadline.stop();
    m_idle.stop();
    m_received = 0;
}

void ConnectionGuard::upgradeRequested()
{
    if (m_state != State::Receiving && m_state != State::Idle && m_state != State::Handling)
        return;
    // The deadline that started with the request's first byte keeps running: the handshake is not done yet
    // (QWebSocketServer answers on a later pass of the event loop, or never, for a request it cannot read).
    setState(State::Upgrading);
    m_idle.stop();
    if (!m_deadline.isActive())
        m_deadline.start();
}

void ConnectionGuard::becameWebSocket()
{
    if (m_state == State::WebSocket)
        return;
    setState(State::WebSocket);
    m_deadline.stop();
    m_idle.stop();
    disconnect(m_socket, nullptr, this, nullptr);
}

void ConnectionGuard::onBytesWritten()
{
    // A whole response went out: the request it answered had arrived.
    if ((m_state == State::Handling || m_state == State::Receiving) && m_socket->bytesToWrite() == 0) {
        m_deadline.stop();
        setState(State::Idle);
        m_idle.start();
    }
}

void ConnectionGuard::onReadyRead()
{
    switch (m_state) {
    case State::WebSocket:
    case State::Upgrading: // QWebSocketServer reads the socket now
        return;
    case State::Rejected:
        drain();
        return;
    case State::Idle:
    case State::Handling: // the next request of a keep-alive connection (clients do not pipeline)
        setState(State::Receiving);
        m_received = 0;
        m_idle.stop();
        if (!m_deadline.isActive()) // still running for the first request of a new connection
            m_deadline.start();
        inspectHeaders();
        if (m_state != State::Receiving)
            return;
        break;
    case State::Receiving:
        break;
    }
    m_received += m_socket->bytesAvailable();
    if (m_received > kMaxRequestBytes)
        reject(413, "request bodies are limited to 64 KiB", -1);
}

void ConnectionGuard::inspectHeaders()
{
    const QByteArray head = m_socket->peek(8192);
    const qsizetype end = head.indexOf("\r\n\r\n");
    const QByteArray headers = (end >= 0 ? head.left(end) : head).toLower();
    // Nothing here decides that a request is a WebSocket upgrade: the first segment may hold only part of
    // the headers, or spell them in any legal way. The GET /ws route and HttpFront say so explicitly.
    const qsizetype at = headers.indexOf("\r\ncontent-length:");
    if (at >= 0) {
        const qsizetype lineEnd = headers.indexOf('\r', at + 2);
        bool ok = false;
        const qint64 length = headers.mid(at + 17, lineEnd < 0 ? -1 : lineEnd - at - 17).trimmed().toLongLong(&ok);
        if (ok && length > kMaxRequestBytes)
            reject(413, "request bodies are limited to 64 KiB", length);
    }
}

void ConnectionGuard::reject(int status, const QByteArray &reason, qint64 announcedLength)
{
    qCInfo(lcNet) << "rejecting a request from" << m_peer.toString() << ":" << reason;
    setState(State::Rejected);
    m_deadline.stop();
    m_idle.stop();
    const QByteArray body = protocol::encode(protocol::events::error(
        {protocol::ErrorCode::TooLarge, QString::fromLatin1(reason)}));
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + " Payload Too Large\r\n"
                    "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Closing while the client still uploads would reset the connection and lose the answer: read and
    // drop what it sends (up to what it announced, within a time and size cap), then close.
    const QByteArray head = m_socket->peek(8192);
    const qsizetype headerEnd = head.indexOf("\r\n\r\n");
    m_discardLeft = announcedLength >= 0 && headerEnd >= 0 ? announcedLength + headerEnd + 4 : kMaxDiscardBytes;
    m_discardLeft = std::min(m_discardLeft, kMaxDiscardBytes);
    QTimer::singleShot(kDiscardMs, m_socket, [socket = m_socket] { socket->abort(); });
    drain();
}

void ConnectionGuard::drain()
{
    const QByteArray dropped = m_socket->read(std::max<qint64>(m_discardLeft, 1));
    m_discardLeft -= dropped.size();
    if (m_discardLeft <= 0) {
        m_socket->readAll();
        m_socket->disconnectFromHost();
    }
}

} // namespace natter::server
