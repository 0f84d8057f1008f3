#include "client/app/connectionstatuslabel.h"

#include "client/net/connection.h"
#include "client/net/serverurl.h"

#include <QMouseEvent>

#include <cmath>

namespace natter::app {

using client::Connection;
using client::TransportKind;

ConnectionStatusLabel::ConnectionStatusLabel(QWidget *parent)
    : QLabel(parent)
{
    setAccessibleName(tr("Connection status"));
    setAccessibleDescription(tr("Click for the connection diagnostics"));
    setToolTip(tr("Click for the connection diagnostics"));
    setCursor(Qt::PointingHandCursor);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionStatusLabel::refresh);
    refresh();
}

void ConnectionStatusLabel::setConnection(Connection *connection)
{
    if (m_connection)
        m_connection->disconnect(this);
    m_connection = connection;
    if (connection) {
        connect(connection, &Connection::stateChanged, this, [this](Connection::State state) {
            if (state == Connection::State::Reconnecting)
                m_retryAt = QDeadlineTimer(m_connection->reconnectDelayMs());
            refresh();
        });
        connect(connection, &Connection::transportChanged, this, &ConnectionStatusLabel::refresh);
    }
    refresh();
}

void ConnectionStatusLabel::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint())) {
        event->accept();
        emit activated();
        return;
    }
    QLabel::mouseReleaseEvent(event);
}

void ConnectionStatusLabel::refresh()
{
    if (!m_connection) {
        m_tick.stop();
        setText(tr("Not signed in"));
        return;
    }
    const QString address = client::serverAddressText(m_connection->server());
    const QString transport = m_connection->transport() == TransportKind::WebSocket ? tr("WebSocket") : tr("long polling");
    switch (m_connection->state()) {
    case Connection::State::Online:
        m_tick.stop();
        setText(tr("Online · %1 · %2").arg(transport, address));
        break;
    case Connection::State::Connecting:
        m_tick.stop();
        setText(tr("Connecting to %1…").arg(address));
        break;
    case Connection::State::Reconnecting: {
        m_tick.start();
        const int seconds = int(std::ceil(double(m_retryAt.remainingTime()) / 1000.0));
        setText(tr("Reconnecting in %n s · %1", nullptr, std::max(seconds, 0)).arg(address));
        break;
    }
    case Connection::State::Offline:
        m_tick.stop();
        setText(tr("Offline · %1").arg(address));
        break;
    }
}

} // namespace natter::app
