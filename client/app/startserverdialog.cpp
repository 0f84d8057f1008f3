#include "client/app/startserverdialog.h"

#include "client/net/serverbrowser.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;

StartServerDialog::StartServerDialog(client::ServerBrowser &browser, quint16 port,
                                     std::function<bool(const QString &)> isOwn, QWidget *parent)
    : QDialog(parent), m_browser(browser), m_isOwn(std::move(isOwn))
{
    setWindowTitle(tr("Start local server"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(u"portField"_s);
    m_port->setRange(1, 65535);
    m_port->setValue(port == 0 ? 7470 : port);
    m_port->setAccessibleName(tr("Port"));
    m_addresses = new QLabel(this);
    m_addresses->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_addresses->setWordWrap(true);
    m_heard = new QLabel(this);
    m_heard->setObjectName(u"heardLabel"_s);
    m_heard->setWordWrap(true);
    m_useHeard = new QPushButton(tr("&Use that server"), this);
    m_useHeard->setObjectName(u"useHeardButton"_s);

    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("Others connect to:"), m_addresses);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(u"startButton"_s);
    buttons->addButton(QDialogButtonBox::Cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heard);
    layout->addWidget(m_useHeard, 0, Qt::AlignLeft);
    layout->addLayout(form);
    layout->addWidget(buttons);

    // Tab follows the layout: "use that server" comes first on screen.
    setTabOrder(m_useHeard, m_port);
    setTabOrder(m_port, m_start);

    connect(m_port, &QSpinBox::valueChanged, this, &StartServerDialog::updateAddresses);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        emit startRequested(this->port());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_useHeard, &QPushButton::clicked, this, [this] {
        emit useServerRequested(m_heardUrl);
        accept();
    });
    connect(&m_browser, &client::ServerBrowser::serverFound, this, &StartServerDialog::updateHeard);
    connect(&m_browser, &client::ServerBrowser::serverUpdated, this, &StartServerDialog::updateHeard);
    connect(&m_browser, &client::ServerBrowser::serverLost, this, &StartServerDialog::updateHeard);
    updateAddresses();
    updateHeard();
}

quint16 StartServerDialog::port() const
{
    return quint16(m_port->value());
}

QStringList StartServerDialog::lanAddresses(quint16 port)
{
    QStringList out;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            out.append(u"%1:%2"_s.arg(a.toString()).arg(port));
    }
    return out;
}

void StartServerDialog::updateAddresses()
{
    const QStringList list = lanAddresses(port());
    m_addresses->setText(list.isEmpty() ? tr("No network: only this computer (127.0.0.1:%1)").arg(port())
                                        : list.join(u'\n'));
}

void StartServerDialog::updateHeard()
{
    auto servers = m_browser.servers();
    if (m_isOwn)
        servers.removeIf([this](const client::DiscoveredServer &s) { return m_isOwn(s.id); });
    if (servers.isEmpty()) {
        m_heardUrl.clear();
        m_heard->setText(tr("No other Natter server is announced on this network."));
        m_useHeard->hide();
        return;
    }
    const client::DiscoveredServer &first = servers.first();
    m_heardUrl = first.url();
    m_heard->setText(tr("A server is already running on this network: %1 at %2:%3. "
                        "Use it, so that everybody on the network meets in one place?")
                         .arg(first.name.toHtmlEscaped(), first.address.toString())
                         .arg(first.port));
    m_useHeard->show();
    m_useHeard->setDefault(true);
}

} // namespace natter::app
