#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

namespace natter::test {

class ProxyLink;

// A TCP relay on 127.0.0.1 (port 0) in front of a server, for tests that need a network that misbehaves.
// Each accepted connection gets its own connection to the target and bytes are copied both ways. The mode
// decides what new connections do:
// - PassThrough: bytes flow unchanged.
// - RefuseUpgrade: the client side is read as HTTP/1.1 requests (keep-alive: several per connection, bodies
//   framed by Content-Length). A request that asks for `Upgrade: websocket` is answered `403 Forbidden` and
//   the connection closes — what a proxy that does not forward Upgrade does. Other requests pass through.
// - Blackhole: nothing is forwarded in either direction and nothing is closed: a silently dead link.
// setMode(Blackhole) silences the open connections as well; silenceOpenConnections() silences only those,
// so that a reconnect through a fresh connection works while the old link stays dead.
class TcpProxy : public QObject
{
    Q_OBJECT
public:
    enum class Mode { PassThrough, RefuseUpgrade, Blackhole };
    Q_ENUM(Mode)

    explicit TcpProxy(quint16 targetPort, QObject *parent = nullptr)
        : TcpProxy(QHostAddress(QHostAddress::LocalHost), targetPort, parent) {}
    TcpProxy(const QHostAddress &targetHost, quint16 targetPort, QObject *parent = nullptr);
    ~TcpProxy() override;

    // Listens on 127.0.0.1, on a free port.
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    // "http://127.0.0.1:<port>", the base URL a client takes.
    QUrl url() const;

    void setTarget(const QHostAddress &host, quint16 port);
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    // The connections open now stop forwarding, without closing; new ones follow mode().
    void silenceOpenConnections();
    // Aborts every open connection (both sides see a reset).
    void closeAll();

    int acceptedConnections() const { return m_accepted; }
    int openConnections() const;
    int refusedUpgrades() const { return m_refusedUpgrades; }

signals:
    void connectionAccepted();
    void upgradeRefused();

private:
    friend class ProxyLink;
    void onNewConnection();
    void noteRefusedUpgrade();

    QTcpServer m_server;
    QHostAddress m_targetHost;
    quint16 m_targetPort = 0;
    Mode m_mode = Mode::PassThrough;
    int m_accepted = 0;
    int m_refusedUpgrades = 0;
    QList<QPointer<ProxyLink>> m_links;
};

} // namespace natter::test
