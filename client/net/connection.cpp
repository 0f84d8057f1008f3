#include "client/net/connection.h"

#include "client/clientlogging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QNetworkReply>

#include <algorithm>

namespace natter::client {

using namespace Qt::StringLiterals;

Connection::Connection(ConnectionConfig config, QObject *parent)
    : QObject(parent), m_config(config), m_backoff(config.backoff), m_nam(new QNetworkAccessManager(this))
{
    m_kind = m_config.mode == Mode::LongPollingOnly ? TransportKind::LongPolling : TransportKind::WebSocket;
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Connection::connectNow);
    m_stableTimer.setSingleShot(true);
    connect(&m_stableTimer, &QTimer::timeout, this, [this] { m_backoff.reset(); });
    connect(&m_probeTimer, &QTimer::timeout, this, &Connection::probeWebSocket);

    // When the network comes back, do not wait out the backoff.
    if (QNetworkInformation::loadDefaultBackend() && QNetworkInformation::instance()) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability r) {
                    if (r == QNetworkInformation::Reachability::Online && m_state == State::Reconnecting) {
                        qCInfo(lcClientNet) << "the network is back: reconnecting now";
                        retryNow();
                    }
                });
    }
}

Connection::~Connection()
{
    stop();
}

void Connection::setServer(const QUrl &server)
{
    m_server = server;
}

void Connection::setCredentials(const Credentials &credentials)
{
    m_credentials = credentials;
}

void Connection::setState(State state)
{
    if (m_state == state && state != State::Reconnecting)
        return;
    m_state = state;
    emit stateChanged(state);
}

void Connection::start()
{
    if (m_state != State::Offline)
        return;
    m_backoff.reset();
    setState(State::Connecting);
    connectNow();
}

void Connection::stop()
{
    m_retryTimer.stop();
    m_stableTimer.stop();
    m_probeTimer.stop();
    m_probe.reset();
    dropTransport();
    if (m_state != State::Offline)
        setState(State::Offline);
}

void Connection::retryNow()
{
    if (m_state == State::Reconnecting) {
        m_retryTimer.stop();
        connectNow();
    }
}

bool Connection::send(const protocol::Request &request)
{
    if (m_state != State::Online || !m_transport)
        return false;
    m_transport->send(request);
    return true;
}

void Connection::useTransport(TransportKind kind)
{
    if (m_kind == kind)
        return;
    m_kind = kind;
    qCInfo(lcClientNet) << "transport:" << transportName(kind);
    emit transportChanged(kind);
}

void Connection::dropTransport()
{
    if (m_transport) {
        m_transport->close();
        m_transport.release()->deleteLater(); // it may be in the middle of emitting a signal
    }
    m_authenticated = false;
}

void Connection::connectNow()
{
    dropTransport();
    if (m_state != State::Connecting)
        setState(State::Connecting);
    if (m_kind == TransportKind::WebSocket)
        m_transport = std::make_unique<WebSocketTransport>(m_config.webSocket);
    else
        m_transport = std::make_unique<LongPollTransport>(m_config.longPolling);
    Transport *t = m_transport.get();
    connect(t, &Transport::opened, this, &Connection::authenticate);
    connect(t, &Transport::received, this, &Connection::onReceived);
    connect(t, &Transport::failed, this, &Connection::onFailed);
    connect(t, &Transport::heard, this, [this] { m_lastHeartbeat = QDateTime::currentDateTimeUtc(); });
    t->open(m_server);
}

void Connection::authenticate()
{
    const Credentials &c = m_credentials;
    protocol::Request request;
    m_usedToken = !c.token.isEmpty();
    if (m_usedToken)
        request.body = protocol::ResumeRequest{c.token, c.device};
    else if (c.registerNew)
        request.body = protocol::RegisterRequest{c.user, c.password, c.device};
    else
        request.body = protocol::LoginRequest{c.user, c.password, c.device};
    m_transport->send(request);
}

void Connection::onReceived(const protocol::ServerEvent &event)
{
    using protocol::ErrorCode;
    const auto *error = std::get_if<protocol::ErrorEvent>(&event.body);
    const bool authError = error
        && (error->code == ErrorCode::AuthFailed || error->code == ErrorCode::AuthRequired
            || error->code == ErrorCode::UserExists);
    if (!m_authenticated) {
        if (const auto *welcome = std::get_if<protocol::WelcomeEvent>(&event.body)) {
            m_authenticated = true;
            m_credentials.token = welcome->token;
            m_credentials.registerNew = false; // registered now: log in from here on
            m_user = welcome->user;
            m_lastError.clear();
            m_stableTimer.start(m_config.stableAfterMs);
            if (m_kind == TransportKind::LongPolling && m_config.mode == Mode::Auto)
                m_probeTimer.start(std::min(m_config.webSocketFirstProbeMs, m_config.webSocketProbeMs));
            else
                m_probeTimer.stop();
            setState(State::Online);
            emit welcomed(*welcome);
            return;
        }
        if (authError) {
            if (m_usedToken && !m_credentials.password.isEmpty()) {
                qCInfo(lcClientNet) << "the stored token was refused: logging in with the password";
                m_credentials.token.clear();
                authenticate();
                return;
            }
            m_lastError = error->message;
            stop();
            emit authenticationFailed(error->code, error->message);
            return;
        }
        if (error && error->code == ErrorCode::BadRequest) {
            // The sign-in itself is malformed (a name with a space, an empty password): asking again will
            // not help, and waiting for a welcome would hang.
            m_lastError = error->message;
            stop();
            emit authenticationFailed(error->code, error->message);
            return;
        }
        qCWarning(lcClientNet) << "unexpected before welcome:" << event.typeName();
        return;
    }
    if (authError) {
        // The token was revoked while we were online (a logout elsewhere): sign in again if we can.
        m_credentials.token.clear();
        if (!m_credentials.password.isEmpty()) {
            m_authenticated = false;
            m_transport->close();
            connectNow();
        } else {
            stop();
            emit authenticationFailed(error->code, error->message);
        }
        return;
    }
    emit received(event);
}

void Connection::onFailed(const QString &reason)
{
    const bool wasOnline = m_authenticated;
    m_lastError = reason;
    m_authenticated = false;
    m_stableTimer.stop();
    m_probeTimer.stop();
    if (m_transport)
        m_transport.release()->deleteLater();
    if (m_kind == TransportKind::WebSocket) {
        m_lastWebSocketError = reason;
        if (!wasOnline && m_config.mode == Mode::Auto) {
            checkHttpThenFallBack();
            return;
        }
    }
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    m_reconnectDelayMs = m_backoff.nextDelayMs();
    qCInfo(lcClientNet) << "reconnecting in" << m_reconnectDelayMs << "ms:" << m_lastError;
    m_retryTimer.start(m_reconnectDelayMs);
    setState(State::Reconnecting);
}

void Connection::checkHttpThenFallBack()
{
    // WebSocket failed before it was ever welcomed. If plain HTTP reaches the server, something in the
    // way (a proxy without Upgrade, a blocked /ws) stops WebSocket: use long polling right away.
    QUrl url = m_server;
    url.setPath(u"/healthz"_s);
    QNetworkRequest request(url);
    request.setTransferTimeout(m_config.healthTimeoutMs);
    QNetworkReply *reply = m_nam->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_state == State::Offline)
            return;
        const QJsonObject health = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() == QNetworkReply::NoError && health.value("status"_L1) == "ok"_L1) {
            qCInfo(lcClientNet) << "HTTP works but WebSocket does not (" << m_lastWebSocketError
                                << "): falling back to long polling";
            useTransport(TransportKind::LongPolling);
            connectNow();
            return;
        }
        scheduleReconnect();
    });
}

void Connection::probeWebSocket()
{
    if (m_kind != TransportKind::LongPolling || m_state != State::Online || m_probe)
        return;
    if (m_probeTimer.interval() != m_config.webSocketProbeMs)
        m_probeTimer.start(m_config.webSocketProbeMs); // after the first probe: the usual pace
    m_probe = std::make_unique<WebSocketTransport>(m_config.webSocket);
    connect(m_probe.get(), &Transport::opened, this, [this] {
        qCInfo(lcClientNet) << "WebSocket gets through again: switching back";
        m_probe->close();
        m_probe.release()->deleteLater();
        useTransport(TransportKind::WebSocket);
        connectNow(); // the queue comes again after the welcome; the client drops what it has by id
    });
    connect(m_probe.get(), &Transport::failed, this, [this](const QString &reason) {
        m_lastWebSocketError = reason;
        m_probe.release()->deleteLater();
    });
    m_probe->open(m_server);
}

} // namespace natter::client
