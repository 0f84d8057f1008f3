#include "tests/client/tcpproxy.h"

#include <QTcpSocket>

#include <algorithm>

namespace natter::test {

using namespace Qt::StringLiterals;

// One accepted connection and its connection to the target.
class ProxyLink : public QObject
{
public:
    ProxyLink(TcpProxy *proxy, QTcpSocket *client, TcpProxy::Mode mode)
        : QObject(proxy), m_proxy(proxy), m_client(client), m_mode(mode)
    {
        m_client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, &ProxyLink::fromClient);
        connect(m_client, &QTcpSocket::disconnected, this, &ProxyLink::clientGone);
        if (m_mode == TcpProxy::Mode::Blackhole) {
            m_silent = true; // never reaches the target, never closes
            return;
        }
        m_upstream = new QTcpSocket(this);
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (!m_silent && !m_pendingToServer.isEmpty())
                m_upstream->write(std::exchange(m_pendingToServer, {}));
            if (m_clientGone && !m_silent)
                m_upstream->disconnectFromHost();
        });
        connect(m_upstream, &QTcpSocket::readyRead, this, &ProxyLink::fromServer);
        connect(m_upstream, &QTcpSocket::disconnected, this, &ProxyLink::upstreamGone);
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            // Could not reach the target at all: the client sees its connection close.
            if (e != QAbstractSocket::RemoteHostClosedError && m_upstream->state() != QAbstractSocket::ConnectedState)
                upstreamGone();
        });
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_upstream->connectToHost(proxy->m_targetHost, proxy->m_targetPort);
    }

    void silence() { m_silent = true; }

    void abort()
    {
        m_silent = true;
        m_client->abort();
        if (m_upstream)
            m_upstream->abort();
        deleteLater();
    }

    bool isOpen() const
    {
        return m_client->state() != QAbstractSocket::UnconnectedState
            || (m_upstream && m_upstream->state() != QAbstractSocket::UnconnectedState);
    }

private:
    void fromClient()
    {
        const QByteArray data = m_client->readAll();
        if (m_silent || m_refused)
            return;
        if (m_mode == TcpProxy::Mode::RefuseUpgrade)
            relayHttp(data);
        else
            toServer(data);
    }

    void fromServer()
    {
        const QByteArray data = m_upstream->readAll();
        if (m_silent || m_refused)
            return;
        m_client->write(data);
    }

    void toServer(const QByteArray &data)
    {
        if (data.isEmpty())
            return;
        if (m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->write(data);
        else
            m_pendingToServer.append(data);
    }

    // Splits the client's byte stream into HTTP/1.1 requests: refuses a WebSocket upgrade, forwards the rest.
    void relayHttp(const QByteArray &data)
    {
        m_http.append(data);
        while (!m_http.isEmpty() && !m_refused) {
            if (m_raw) {
                toServer(std::exchange(m_http, {}));
                return;
            }
            if (m_bodyLeft > 0) {
                const qsizetype n = qsizetype(std::min<qint64>(m_bodyLeft, m_http.size()));
                toServer(m_http.left(n));
                m_http.remove(0, n);
                m_bodyLeft -= n;
                continue;
            }
            const qsizetype end = m_http.indexOf("\r\n\r\n"_ba);
            if (end < 0) {
                if (m_http.size() > 64 * 1024)
                    m_raw = true; // not HTTP as we know it: stop looking
                return;
            }
            const QByteArray head = m_http.left(end + 4);
            bool upgrade = false;
            qint64 contentLength = 0;
            const QList<QByteArray> lines = head.split('\n');
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed().toLower();
                if (name == "upgrade"_ba && value.contains("websocket"_ba))
                    upgrade = true;
                else if (name == "content-length"_ba)
                    contentLength = value.toLongLong();
                else if (name == "transfer-encoding"_ba && value.contains("chunked"_ba))
                    m_raw = true; // no framing to follow: pass the rest through
            }
            if (upgrade) {
                refuse();
                return;
            }
            toServer(head);
            m_http.remove(0, end + 4);
            m_bodyLeft = contentLength;
        }
    }

    void refuse()
    {
        m_refused = true;
        m_http.clear();
        const QByteArray body = "WebSocket upgrades are not forwarded here\n"_ba;
        m_client->write("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: "_ba
                        + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"_ba + body);
        m_client->disconnectFromHost();
        if (m_upstream)
            m_upstream->abort();
        m_proxy->noteRefusedUpgrade();
    }

    void clientGone()
    {
        m_clientGone = true;
        if (!m_silent && m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->disconnectFromHost(); // after what is still being written
        deleteIfDone();
    }

    void upstreamGone()
    {
        if (!m_silent && m_upstream->bytesAvailable() > 0 && !m_refused)
            m_client->write(m_upstream->readAll());
        if (!m_silent && m_client->state() == QAbstractSocket::ConnectedState)
            m_client->disconnectFromHost();
        deleteIfDone();
    }

    void deleteIfDone()
    {
        if (!isOpen())
            deleteLater();
    }

    TcpProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream = nullptr;
    TcpProxy::Mode m_mode;
    bool m_silent = false;
    bool m_refused = false;
    bool m_clientGone = false;
    QByteArray m_pendingToServer;
    // RefuseUpgrade: the request being read, and how much of the current body is still to come.
    QByteArray m_http;
    qint64 m_bodyLeft = 0;
    bool m_raw = false;
};

TcpProxy::TcpProxy(const QHostAddress &targetHost, quint16 targetPort, QObject *parent)
    : QObject(parent), m_targetHost(targetHost), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

TcpProxy::~TcpProxy()
{
    m_server.close();
    for (const QPointer<ProxyLink> &link : std::as_const(m_links)) {
        if (link)
            link->abort();
    }
}

bool TcpProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl TcpProxy::url() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port()));
}

void TcpProxy::setTarget(const QHostAddress &host, quint16 port)
{
    m_targetHost = host;
    m_targetPort = port;
}

void TcpProxy::setMode(Mode mode)
{
    m_mode = mode;
    if (mode == Mode::Blackhole)
        silenceOpenConnections();
}

void TcpProxy::silenceOpenConnections()
{
    for (const QPointer<ProxyLink> &link : std::as_const(m_links)) {
        if (link)
            link->silence();
    }
}

void TcpProxy::closeAll()
{
    for (const QPointer<ProxyLink> &link : std::as_const(m_links)) {
        if (link)
            link->abort();
    }
    m_links.clear();
}

int TcpProxy::openConnections() const
{
    return int(std::count_if(m_links.cbegin(), m_links.cend(),
                             [](const QPointer<ProxyLink> &l) { return l && l->isOpen(); }));
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_accepted;
        m_links.removeAll(QPointer<ProxyLink>());
        m_links.append(new ProxyLink(this, socket, m_mode));
        emit connectionAccepted();
    }
}

void TcpProxy::noteRefusedUpgrade()
{
    ++m_refusedUpgrades;
    emit upgradeRefused();
}

} // namespace natter::test
