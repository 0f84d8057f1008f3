#include "bench/wstransport.h"

#include "bench/benchlog.h"
#include "common/protocol/events.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

WebSocketTransport::WebSocketTransport(QUrl url, QObject *parent)
    : Transport(parent)
    , m_url(std::move(url))
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_connected = true;
        emit opened();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this] { fail(u"server sent a binary frame (the contract uses text frames)"_s); });
    connect(m_socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
    // Qt 6.4 has no errorOccurred on QWebSocket.
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (!m_closing)
                    fail(m_socket->errorString());
            });
}

void WebSocketTransport::open()
{
    m_socket->open(m_url);
}

void WebSocketTransport::send(const protocol::Request &request)
{
    m_socket->sendTextMessage(QString::fromUtf8(protocol::encode(request.toJson())));
}

bool WebSocketTransport::close()
{
    if (m_closing)
        return true;
    m_closing = true;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_socket->disconnect(this); // no closed() for this one
        m_socket->abort(); // a handshake in progress has nothing to say goodbye to
        return false;
    }
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"benchmark done"_s);
    return true;
}

bool WebSocketTransport::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState && !m_closing;
}

void WebSocketTransport::onTextMessage(const QString &text)
{
    const protocol::ParsedServerEvent parsed = protocol::parseServerEvent(QByteArrayView(text.toUtf8()));
    if (!parsed.ok()) {
        fail(u"server sent a frame that breaks the contract (%1): %2"_s.arg(parsed.error().message, text.left(120)));
        return;
    }
    emit eventReceived(parsed.event());
}

void WebSocketTransport::onDisconnected()
{
    if (m_closing) {
        emit closed();
        return;
    }
    if (!m_connected) {
        fail(u"cannot connect to %1: %2"_s.arg(m_url.toString(), m_socket->errorString()));
        return;
    }
    const auto code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    fail(u"connection closed by the server (close code %1%2)"_s.arg(int(code)).arg(
        reason.isEmpty() ? QString() : u": "_s + reason));
}

void WebSocketTransport::fail(const QString &reason)
{
    if (m_failed || m_closing)
        return;
    m_failed = true;
    qCDebug(lcBench) << "transport failed:" << reason;
    emit failed(reason);
}

} // namespace natter::bench
