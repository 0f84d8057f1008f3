#include "server/net/connectionguard.h"

#include "server/serverlogging.h"
#include "server/net/httpreply.h"
#include "common/protocol/events.h"

#include <QTcpSocket>

#include <algorithm>

namespace natter::server {

using namespace Qt::StringLiterals;

ConnectionGuard::ConnectionGuard(QTcpSocket *socket) : QObject(socket), m_socket(socket)
{
    setObjectName(u"natter-connection-guard"_s);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(kRequestDeadlineMs);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcNet) << "request from" << m_socket->peerAddress().toString() << "incomplete after"
                      << kRequestDeadlineMs << "ms: closing";
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
    m_idle.start();
}

ConnectionGuard *ConnectionGuard::of(QObject *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(u"natter-connection-guard"_s, Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::requestReceived()
{
    if (m_state == State::Passive || m_state == State::Rejected)
        return;
    m_state = State::Handling;
    m_deadline.stop();
    m_idle.stop();
    m_received = 0;
}

void ConnectionGuard::onBytesWritten()
{
    // A whole response went out: the request it answered had arrived.
    if ((m_state == State::Handling || m_state == State::Receiving) && m_socket->bytesToWrite() == 0) {
        m_deadline.stop();
        m_state = State::Idle;
        m_idle.start();
    }
}

void ConnectionGuard::onReadyRead()
{
    switch (m_state) {
    case State::Passive:
        return;
    case State::Rejected:
        drain();
        return;
    case State::Idle:
    case State::Handling: // the next request of a keep-alive connection (clients do not pipeline)
        m_state = State::Receiving;
        m_received = 0;
        m_idle.stop();
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
    if (headers.contains("\r\nupgrade: websocket")) {
        // QHttpServer hands this socket to the WebSocket side, which keeps its own watch.
        m_state = State::Passive;
        m_deadline.stop();
        m_idle.stop();
        disconnect(m_socket, nullptr, this, nullptr);
        return;
    }
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
    qCInfo(lcNet) << "rejecting a request from" << m_socket->peerAddress().toString() << ":" << reason;
    m_state = State::Rejected;
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
