#include "client/app/signindialog.h"

#include "client/app/chatsession.h"
#include "client/net/serverbrowser.h"
#include "client/net/serverurl.h"
#include "common/protocol/validation.h"
#include "client/app/settings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::Connection;
using client::DiscoveredServer;

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kHostPortRole = Qt::UserRole + 2;
constexpr int kUserRole = Qt::UserRole + 3;

// A red that reads on the dialog's own background: dark on light themes, light on dark ones.
QColor errorColour(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() > 0.5 ? QColor::fromHslF(0.0f, 0.65f, 0.40f)
                                                              : QColor::fromHslF(0.0f, 0.75f, 0.72f);
}
} // namespace

SignInDialog::SignInDialog(Settings &settings, client::ServerBrowser &browser, QString dataDir, QWidget *parent)
    : QDialog(parent), m_settings(settings), m_browser(browser), m_dataDir(std::move(dataDir))
{
    setWindowTitle(tr("Sign in to Natter"));
    m_accounts = new QListWidget(this);
    m_accounts->setObjectName(u"accountList"_s);
    m_accounts->setAccessibleName(tr("Accounts on this computer"));
    m_accounts->setAccessibleDescription(tr("Pick an account to fill in its server and user name"));
    m_accounts->setMaximumHeight(m_accounts->fontMetrics().height() * 5);
    m_servers = new QListWidget(this);
    m_servers->setObjectName(u"serverList"_s);
    m_servers->setAccessibleName(tr("Servers on this network"));
    m_server = new QLineEdit(this);
    m_server->setObjectName(u"serverField"_s);
    m_server->setPlaceholderText(tr("host:port"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(u"userField"_s);
    m_password = new QLineEdit(this);
    m_password->setObjectName(u"passwordField"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_create = new QCheckBox(tr("&Create a new account"), this);
    m_create->setObjectName(u"createAccountBox"_s);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Sign-in problem"));
    m_error->hide();
    applyErrorColour();

    auto *form = new QFormLayout;
    m_accountsLabel = new QLabel(tr("Accounts &on this computer:"), this);
    m_accountsLabel->setBuddy(m_accounts);
    form->addRow(m_accountsLabel, m_accounts);
    form->addRow(tr("Servers &heard on this network:"), m_servers);
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_create);

    auto *buttons = new QDialogButtonBox(this);
    m_signIn = buttons->addButton(tr("Sign &in"), QDialogButtonBox::AcceptRole);
    m_signIn->setObjectName(u"signInButton"_s);
    m_signIn->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SignInDialog::signIn);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QCheckBox::toggled, this, [this](bool on) {
        m_signIn->setText(on ? tr("Create &account") : tr("Sign &in"));
    });
    connect(m_servers, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            m_server->setText(item->data(kHostPortRole).toString());
    });
    // Moving through the accounts fills in each one; activating one (Enter, double click) also goes on to
    // the password (not needed when its session can resume: then Enter again signs in).
    const auto fillAccount = [this](QListWidgetItem *item) {
        if (!item)
            return;
        m_create->setChecked(false);
        m_server->setText(item->data(kHostPortRole).toString());
        m_user->setText(item->data(kUserRole).toString());
        m_password->clear();
    };
    connect(m_accounts, &QListWidget::currentItemChanged, this, fillAccount);
    connect(m_accounts, &QListWidget::itemActivated, this, [this, fillAccount](QListWidgetItem *item) {
        fillAccount(item);
        m_password->setFocus();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(&m_browser, &client::ServerBrowser::serverFound, this, &SignInDialog::addServer);
    connect(&m_browser, &client::ServerBrowser::serverUpdated, this, &SignInDialog::addServer);
    connect(&m_browser, &client::ServerBrowser::serverLost, this, &SignInDialog::removeServer);
    const auto heard = m_browser.servers();
    for (const DiscoveredServer &s : heard)
        addServer(s);

    reloadAccounts();
    prefill(m_settings.lastServer().isValid() ? client::serverAddressText(m_settings.lastServer()) : QString(),
            m_settings.lastUser());
}

SignInDialog::~SignInDialog()
{
    delete m_pending;
}

void SignInDialog::setServerText(const QString &text)
{
    m_server->setText(text);
}

void SignInDialog::prefill(const QString &server, const QString &user)
{
    m_server->setText(server);
    m_user->setText(user);
    m_password->clear();
    (user.isEmpty() ? m_user : m_password)->setFocus();
}

void SignInDialog::showMessage(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void SignInDialog::reloadAccounts()
{
    const QList<KnownAccount> accounts = m_settings.knownAccounts();
    const QSignalBlocker blocker(m_accounts); // listing is not picking
    m_accounts->clear();
    for (const KnownAccount &a : accounts) {
        const QString address = client::serverAddressText(a.server);
        auto *item = new QListWidgetItem(tr("%1 on %2").arg(a.user, address), m_accounts);
        item->setData(kHostPortRole, address);
        item->setData(kUserRole, a.user);
    }
    m_accounts->setVisible(!accounts.isEmpty());
    m_accountsLabel->setVisible(!accounts.isEmpty());
}

void SignInDialog::showEvent(QShowEvent *event)
{
    if (!m_pending)
        reloadAccounts();
    QDialog::showEvent(event);
}

void SignInDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyErrorColour();
    QDialog::changeEvent(event);
}

void SignInDialog::applyErrorColour()
{
    if (!m_error)
        return;
    QPalette p = m_error->palette();
    const QColor colour = errorColour(palette());
    if (p.color(QPalette::WindowText) == colour)
        return; // setting it would send another PaletteChange
    p.setColor(QPalette::WindowText, colour);
    m_error->setPalette(p);
}

std::unique_ptr<ChatSession> SignInDialog::takeSession()
{
    return std::move(m_done);
}

QString SignInDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SignInDialog::addServer(const DiscoveredServer &server)
{
    QListWidgetItem *item = nullptr;
    for (int i = 0; i < m_servers->count() && !item; ++i) {
        if (m_servers->item(i)->data(kIdRole).toString() == server.id)
            item = m_servers->item(i);
    }
    if (!item) {
        item = new QListWidgetItem(m_servers);
        item->setData(kIdRole, server.id);
    }
    const QString address = client::serverAddressText(server.url());
    item->setText(tr("%1 (%2)").arg(server.name, address));
    item->setData(kHostPortRole, address);
}

void SignInDialog::removeServer(const DiscoveredServer &server)
{
    for (int i = 0; i < m_servers->count(); ++i) {
        if (m_servers->item(i)->data(kIdRole).toString() == server.id) {
            delete m_servers->takeItem(i);
            return;
        }
    }
}

QString SignInDialog::serverText() const
{
    return m_server->text();
}

void SignInDialog::signIn()
{
    if (m_pending)
        return;
    const QUrl url = client::serverUrlFromText(m_server->text());
    if (!url.isValid())
        return fail(tr("Enter the server's address, for example 192.168.1.5:7470, or pick a server from the list."));
    const QString user = m_user->text().trimmed();
    if (!protocol::isValidUserName(user))
        return fail(tr("User names are 1 to 32 letters, digits, '_', '.' or '-'."));

    ChatSession::Options options;
    options.server = url;
    options.user = user;
    options.password = m_password->text();
    options.device = m_settings.deviceId();
    options.registerNew = m_create->isChecked();
    options.dataDir = m_dataDir;
    auto session = std::make_unique<ChatSession>(options);
    if (!session->isOpen())
        return fail(tr("The local message store cannot be opened: %1").arg(session->errorString()));
    if (options.password.isEmpty() && !session->hasStoredToken())
        return fail(tr("Enter your password."));

    m_pending = session.release();
    client::ChatClient &client = m_pending->client();
    connect(&client, &client::ChatClient::signedIn, this, [this, url, user] {
        m_pending->client().disconnect(this);
        m_done.reset(std::exchange(m_pending, nullptr));
        m_settings.setLastServer(url);
        m_settings.setLastUser(user);
        m_settings.addKnownAccount({url, m_done->client().user().isEmpty() ? user : m_done->client().user()});
        m_settings.sync();
        m_password->clear();
        setBusy(false);
        emit signedIn();
        accept();
    });
    const bool resuming = options.password.isEmpty(); // with the stored token only
    connect(&client, &client::ChatClient::authenticationFailed, this,
            [this, user, resuming](protocol::ErrorCode code, const QString &message) {
                const bool refused = code == protocol::ErrorCode::AuthFailed || code == protocol::ErrorCode::AuthRequired;
                if (refused && resuming) {
                    m_pending->tokens().remove(); // refused for good: next time, ask for the password at once
                    fail(tr("The saved session of %1 has ended. Enter your password to sign in again.").arg(user));
                } else if (refused) {
                    fail(tr("Wrong user name or password."));
                } else if (code == protocol::ErrorCode::UserExists) {
                    fail(tr("The name %1 is taken. Choose another name, or sign in without \"Create a new account\".")
                             .arg(user));
                } else {
                    fail(tr("The server refused to sign you in: %1").arg(message));
                }
            });
    connect(&client, &client::ChatClient::connectionStateChanged, this, [this, url](Connection::State state) {
        if (state == Connection::State::Reconnecting)
            fail(tr("The server at %1 cannot be reached. Check the address, or start a local server from the Server menu.")
                     .arg(client::serverAddressText(url)));
    });
    m_error->hide();
    setBusy(true);
    m_pending->start();
}

void SignInDialog::fail(const QString &message)
{
    if (m_pending) {
        ChatSession *session = std::exchange(m_pending, nullptr);
        session->client().disconnect(this);
        session->client().stop();
        session->deleteLater(); // we may be inside one of its signals
    }
    setBusy(false);
    m_error->setText(message);
    m_error->show();
}

void SignInDialog::setBusy(bool busy)
{
    for (QWidget *w :
         {static_cast<QWidget *>(m_accounts), static_cast<QWidget *>(m_servers), static_cast<QWidget *>(m_server),
          static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_create),
          static_cast<QWidget *>(m_signIn)})
        w->setEnabled(!busy);
}

} // namespace natter::app
