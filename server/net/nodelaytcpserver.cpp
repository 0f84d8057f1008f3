#include "server/net/nodelaytcpserver.h"

#include "server/serverlogging.h"
#include "server/net/connectionguard.h"
#include "common/protocol/errors.h"
#include "common/protocol/events.h"

#include <QTcpSocket>
#include <QTimer>

namespace natter::server {

using namespace Qt::StringLiterals;

namespace {
// A refused connection gets this long to send its request (read and dropped, so that closing does not
// reset the connection and lose the answer) before it is closed, and is gone after kRefusalAbortMs.
constexpr int kRefusalCloseMs = 1'000;
constexpr int kRefusalAbortMs = 3'000;
// Beyond this many refusals in flight, new ones are closed at once without an answer.
constexpr int kMaxRefusing = 64;
constexpr int kRetryAfterSeconds = 5;
} // namespace

NoDelayTcpServer::NoDelayTcpServer(const ConnectionLimits &limits, QObject *parent)
    : QTcpServer(parent), m_counts(std::make_shared<ConnectionCounts>(limits))
{
}

void NoDelayTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const ConnectionCounts::Verdict verdict = m_counts->admit(socket->peerAddress());
    if (verdict != ConnectionCounts::Verdict::Admitted) {
        refuse(socket, verdict);
        return;
    }
    ++m_accepted;
    // Connects to readyRead before QHttpServer does; releases the connection's count when the socket goes.
    new ConnectionGuard(socket, m_counts->limits().requestDeadlineMs, m_counts);
    addPendingConnection(socket);
}

void NoDelayTcpServer::refuse(QTcpSocket *socket, ConnectionCounts::Verdict verdict)
{
    m_counts->refused();
    const bool addressFull = verdict == ConnectionCounts::Verdict::AddressFull;
    const ConnectionLimits &limits = m_counts->limits();
    const QString message = addressFull
        ? u"too many connections from this address (at most %1): close one and retry"_s.arg(limits.maxPerAddress)
        : u"the server is at its connection limit (%1): retry later"_s.arg(limits.maxConnections);

    ++m_unloggedRefusals;
    if (!m_lastRefusalLog.isValid() || m_lastRefusalLog.hasExpired(1'000)) {
        qCInfo(lcNet).noquote() << u"refusing a connection from %1: %2 (%3 refused since the last such line)"_s.arg(
            socket->peerAddress().toString(), message).arg(m_unloggedRefusals);
        m_unloggedRefusals = 0;
        m_lastRefusalLog.start();
    }

    if (m_refusing >= kMaxRefusing) {
        socket->abort();
        delete socket;
        return;
    }
    ++m_refusing;
    connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);

    const protocol::ErrorCode code = protocol::ErrorCode::RateLimited;
    const int status = protocol::httpStatus(code);
    const QByteArray body = protocol::encode(protocol::events::error({code, message}));
    socket->write("HTTP/1.1 " + QByteArray::number(status) + " Too Many Requests\r\n"
                  "Content-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n"
                  "Retry-After: " + QByteArray::number(kRetryAfterSeconds) + "\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // Read and drop the request; close once its headers are in (or after kRefusalCloseMs).
    auto seen = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, socket, [socket, seen] {
        seen->append(socket->readAll());
        if (seen->contains("\r\n\r\n") || seen->contains("\n\n") || seen->size() > 16 * 1024)
            socket->disconnectFromHost();
        else if (seen->size() > 4)
            seen->remove(0, seen->size() - 4); // enough to find the blank line across segments
    });
    QTimer::singleShot(kRefusalCloseMs, socket, [socket] { socket->disconnectFromHost(); });
    QTimer::singleShot(kRefusalAbortMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

} // namespace natter::server
