#include "client/app/diagnosticsdialog.h"

#include "client/net/connection.h"
#include "client/net/serverbrowser.h"
#include "common/protocol/validation.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;

using client::Connection;
using Field = ConnectionDiagnostics::Field;

DiagnosticsDialog::DiagnosticsDialog(client::ServerBrowser &browser, QWidget *parent)
    : QDialog(parent)
    , m_browser(browser)
{
    setWindowTitle(tr("Connection diagnostics"));
    auto *form = new QFormLayout;
    const auto fields = ConnectionDiagnostics::fields();
    for (Field f : fields) {
        auto *value = new QLabel(this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        value->setAccessibleName(ConnectionDiagnostics::label(f));
        auto *label = new QLabel(tr("%1:").arg(ConnectionDiagnostics::label(f)), this);
        label->setBuddy(value);
        form->addRow(label, value);
        m_values.insert(f, value);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_reconnect = buttons->addButton(tr("&Reconnect now"), QDialogButtonBox::ActionRole);
    m_reconnect->setObjectName(u"reconnectButton"_s);
    m_reconnect->setAccessibleDescription(tr("Skips the wait and tries to reach the server at once"));
    m_copy = buttons->addButton(tr("&Copy to clipboard"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(u"copyButton"_s);
    m_copy->setAccessibleDescription(tr("Copies this report as plain text, for a bug report"));
    m_copied = new QLabel(this);
    m_copied->setAccessibleName(tr("Copy result"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_reconnect, &QPushButton::clicked, this, [this] {
        if (m_connection)
            m_connection->retryNow();
        refresh();
    });
    connect(m_copy, &QPushButton::clicked, this, &DiagnosticsDialog::copyReport);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_copied);
    layout->addWidget(buttons);

    setMinimumWidth(fontMetrics().averageCharWidth() * 72); // room for an error message on one or two lines

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &DiagnosticsDialog::refresh);
    m_tick.start();
    refresh();
}

DiagnosticsDialog::~DiagnosticsDialog() = default;

void DiagnosticsDialog::setConnection(Connection *connection, const QString &device)
{
    if (m_connection)
        m_connection->disconnect(this);
    m_connection = connection;
    m_device = device;
    if (connection) {
        connect(connection, &Connection::stateChanged, this, &DiagnosticsDialog::refresh);
        connect(connection, &Connection::transportChanged, this, &DiagnosticsDialog::refresh);
    }
    m_copied->clear();
    refresh();
}

ConnectionDiagnostics::Facts DiagnosticsDialog::facts() const
{
    QString name;
    QString version;
    if (m_connection) {
        const QUrl server = m_connection->server();
        const auto heard = m_browser.servers();
        for (const client::DiscoveredServer &s : heard) {
            const QUrl url = s.url();
            if (url.host() == server.host() && url.port() == server.port(protocol::kDefaultPort)) {
                name = s.name;
                version = s.version;
                break;
            }
        }
    }
    return ConnectionDiagnostics::gather(m_connection.data(), m_device, name, version);
}

QString DiagnosticsDialog::valueText(Field field) const
{
    return m_values.value(field)->text();
}

QString DiagnosticsDialog::reportText() const
{
    return ConnectionDiagnostics::plainText(facts(), QDateTime::currentDateTimeUtc());
}

void DiagnosticsDialog::refresh()
{
    const ConnectionDiagnostics::Facts now = facts();
    const QDateTime time = QDateTime::currentDateTimeUtc();
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        it.value()->setText(ConnectionDiagnostics::value(now, it.key(), time));
    m_reconnect->setEnabled(m_connection && m_connection->state() == Connection::State::Reconnecting);
}

void DiagnosticsDialog::copyReport()
{
    QGuiApplication::clipboard()->setText(reportText());
    m_copied->setText(tr("The report is on the clipboard."));
}

} // namespace natter::app
