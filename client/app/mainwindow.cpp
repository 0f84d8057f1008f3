#include "client/app/mainwindow.h"

#include "client/app/chatsession.h"
#include "client/app/connectionstatuslabel.h"
#include "client/app/conversationpane.h"
#include "client/app/diagnosticsdialog.h"
#include "client/app/localservercontroller.h"
#include "client/net/serverbrowser.h"
#include "client/net/serverurl.h"
#include "client/app/notifier.h"
#include "common/protocol/validation.h"
#include "client/app/settings.h"
#include "client/app/settingsdialog.h"
#include "client/app/sidebar.h"
#include "client/app/signindialog.h"
#include "client/app/startserverdialog.h"
#include "client/app/trayicon.h"

#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QSysInfo>
#include <QSystemTrayIcon>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::ChatClient;
using client::ConversationListModel;

MainWindow::MainWindow(Settings &settings, client::ServerBrowser &browser, LocalServerController &server,
                       QString dataDir, QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_browser(browser), m_server(server), m_dataDir(std::move(dataDir)),
      m_sessions(new SessionController(m_settings, m_dataDir, this))
{
    setWindowTitle(tr("Natter"));
    auto *splitter = new QSplitter(this);
    m_sidebar = new Sidebar;
    connect(m_sidebar, &Sidebar::conversationOpened, this, &MainWindow::openConversation);
    splitter->addWidget(m_sidebar);
    m_pane = new ConversationPane;
    connect(m_sidebar, &Sidebar::conversationBrowsed, m_pane, &ConversationPane::showConversation);
    connect(m_pane, &ConversationPane::conversationShown, this, [this](const QString &peer) {
        m_sidebar->setCurrentConversation(peer);
        updateActions();
    });
    connect(m_pane, &ConversationPane::statusMessage, statusBar(), &QStatusBar::showMessage);
    splitter->addWidget(m_pane);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 640});
    setCentralWidget(splitter);

    m_status = new ConnectionStatusLabel(this);
    m_status->setObjectName(u"connectionStatus"_s);
    connect(m_status, &ConnectionStatusLabel::activated, this, &MainWindow::showDiagnostics);
    m_serverStatus = new QLabel(this);
    m_serverStatus->setAccessibleName(tr("Local server status"));
    statusBar()->addPermanentWidget(m_serverStatus);
    statusBar()->addPermanentWidget(m_status);
    buildMenus();
    connect(&m_server, &LocalServerController::stateChanged, this, &MainWindow::updateServerStatus);
    connect(&m_server, &LocalServerController::failed, this, [this](const QString &reason) {
        statusBar()->showMessage(tr("The local server did not start: %1").arg(reason));
    });
    m_notifier = new Notifier(this);
    m_notifier->setObjectName(u"notifier"_s);
    m_notifier->setWindowActiveCheck([this] { return isVisible() && !isMinimized() && isActiveWindow(); });
    connect(m_notifier, &Notifier::notify, this, &MainWindow::showNotification);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new TrayIcon(this);
        m_tray->setObjectName(u"trayIcon"_s);
        connect(m_tray, &TrayIcon::showRequested, this, &MainWindow::showFromTray);
        connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    }
    connect(m_sessions, &SessionController::sessionChanged, this, &MainWindow::bindSession);
    connect(m_sessions, &SessionController::signInNeeded, this, &MainWindow::onSignInNeeded);
    connect(m_sessions, &SessionController::confirmationNeeded, this, &MainWindow::confirmLeaving);
    connect(m_sessions, &SessionController::signingOut, this, [this] {
        statusBar()->showMessage(tr("Signing out…"));
        updateActions();
    });
    applySettings();
    updateServerStatus();
    updateActions();
    resize(960, 640);
    if (m_settings.startLocalServerAtLaunch())
        startLocalServer(m_settings.localServerPort());
}

MainWindow::~MainWindow()
{
    m_sessions->setSession(nullptr); // detach the views before the models go
}

void MainWindow::buildMenus()
{
    // Every action has an objectName: tests and accessibility tooling find them by it.
    const auto named = [](QAction *action, const QString &name) {
        action->setObjectName(name);
        return action;
    };
    QMenu *app = menuBar()->addMenu(tr("&Natter"));
    m_signInAction = named(app->addAction(tr("&Sign in…"), this, [this] { showSignIn(); }), u"signInAction"_s);
    // Enabled while signed in, and not signing out.
    m_sessionActions = {
        named(app->addAction(tr("S&witch account…"), this, &MainWindow::switchAccount), u"switchAccountAction"_s),
        named(app->addAction(tr("Sign &out"), this, &MainWindow::signOut), u"signOutAction"_s)};
    app->addSeparator();
    named(app->addAction(tr("Se&ttings…"), QKeySequence::Preferences, this, &MainWindow::showSettings),
          u"settingsAction"_s)
        ->setMenuRole(QAction::PreferencesRole);
    app->addSeparator();
    named(app->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &MainWindow::quit), u"quitAction"_s)
        ->setMenuRole(QAction::QuitRole);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    m_startServer = named(server->addAction(tr("S&tart local server…"), this, &MainWindow::showStartServer),
                          u"startServerAction"_s);
    m_stopServer = named(server->addAction(tr("St&op local server"), &m_server, &LocalServerController::stop),
                         u"stopServerAction"_s);

    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    m_sessionActions.append(named(conversation->addAction(tr("&New direct chat…"), QKeySequence(Qt::CTRL | Qt::Key_N),
                                                          this, &MainWindow::askNewChat),
                                  u"newChatAction"_s));
    m_sessionActions.append(named(conversation->addAction(tr("&Join room…"), QKeySequence(Qt::CTRL | Qt::Key_J), this,
                                                          &MainWindow::askRoomName),
                                  u"joinRoomAction"_s));
    // Ctrl+F first: text fields take Ctrl+K (delete to the end of the line) on Linux desktops.
    m_goToConversationAction =
        named(conversation->addAction(tr("&Find conversation"), this, &MainWindow::focusConversations),
              u"goToConversationAction"_s);
    m_goToConversationAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_F), QKeySequence(Qt::CTRL | Qt::Key_K)});

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    named(help->addAction(tr("Connection &diagnostics…"), this, &MainWindow::showDiagnostics),
          u"diagnosticsAction"_s);
}

void MainWindow::setSession(std::unique_ptr<ChatSession> session)
{
    m_sessions->setSession(std::move(session));
}

ChatSession *MainWindow::session() const
{
    return m_sessions->session();
}

QString MainWindow::currentConversation() const
{
    return m_pane->currentConversation();
}

void MainWindow::joinFailed(const QString &rid, const QString &why)
{
    if (rid == m_joinRid)
        statusBar()->showMessage(tr("Could not join %1: %2").arg(m_joinRoom, why), 8000);
}

void MainWindow::bindSession(ChatSession *s)
{
    m_pane->setSession(s);
    m_sidebar->setSession(s);
    m_status->setConnection(s ? &s->client().connection() : nullptr);
    if (s) {
        connect(&s->conversations(), &ConversationListModel::totalUnreadChanged, this, &MainWindow::updateUnread);
        connect(&s->client(), &ChatClient::messageAdded, m_notifier, &Notifier::addMessage);
        connect(&s->client(), &ChatClient::joined, this, [this](const QString &rid, const QString &room) {
            if (rid == m_joinRid)
                openConversation(room);
        });
        connect(&s->client(), &ChatClient::errorReceived, this,
                [this](const QString &rid, protocol::ErrorCode, const QString &message) { joinFailed(rid, message); });
        connect(&s->client(), &ChatClient::requestNotSent, this,
                [this](const QString &rid) { joinFailed(rid, tr("Not connected to the server.")); });
        setWindowTitle(tr("Natter — %1").arg(s->user()));
        connect(&s->client(), &ChatClient::signedIn, this,
                [this, s] { setWindowTitle(tr("Natter — %1").arg(s->user())); });
    } else {
        setWindowTitle(tr("Natter"));
    }
    if (m_diagnostics)
        m_diagnostics->setConnection(s ? &s->client().connection() : nullptr, m_settings.deviceId());
    updateUnread();
    updateActions();
}

void MainWindow::openConversation(const QString &peer)
{
    m_pane->showConversation(peer);
    if (peer == m_pane->currentConversation())
        m_pane->focusComposer();
}

void MainWindow::updateActions()
{
    const bool running = m_server.state() == LocalServerController::State::Running;
    m_startServer->setEnabled(m_server.state() == LocalServerController::State::Stopped);
    m_stopServer->setEnabled(running);
    const bool signedIn = m_sessions->session() != nullptr;
    const bool leaving = m_sessions->isLeaving();
    m_signInAction->setEnabled(!signedIn);
    for (QAction *action : std::as_const(m_sessionActions))
        action->setEnabled(signedIn && !leaving);
    m_goToConversationAction->setEnabled(signedIn);
}

void MainWindow::updateServerStatus()
{
    switch (m_server.state()) {
    case LocalServerController::State::Running:
        m_serverStatus->setText(tr("Local server on port %1").arg(m_server.port()));
        if (m_signIn && !m_signIn->isBusy())
            m_signIn->setServerText(u"127.0.0.1:%1"_s.arg(m_server.port()));
        break;
    case LocalServerController::State::Starting:
        m_serverStatus->setText(tr("Starting local server…"));
        break;
    case LocalServerController::State::Stopping:
        m_serverStatus->setText(tr("Stopping local server…"));
        break;
    case LocalServerController::State::Stopped:
        m_serverStatus->clear();
        break;
    }
    updateActions();
}

void MainWindow::showSignIn(const QString &server)
{
    if (!m_signIn) {
        m_signIn = new SignInDialog(m_settings, m_browser, m_dataDir, this);
        m_signIn->setObjectName(u"signInDialog"_s);
        m_signIn->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_signIn, &SignInDialog::signedIn, this, [this] { m_sessions->setSession(m_signIn->takeSession()); });
    }
    if (!server.isEmpty())
        m_signIn->setServerText(server);
    else if (m_server.isRunning() && m_signIn->serverText().isEmpty())
        m_signIn->setServerText(u"127.0.0.1:%1"_s.arg(m_server.port()));
    m_signIn->show();
    m_signIn->raise();
}

bool MainWindow::resumeOrSignIn()
{
    return m_sessions->resume();
}

void MainWindow::signOut()
{
    m_sessions->signOut();
}

void MainWindow::switchAccount()
{
    m_sessions->switchAccount();
}

void MainWindow::confirmLeaving(SessionController::Confirmation what, int unsent, const QString &user)
{
    QMessageBox *box = nullptr;
    QPushButton *confirm = nullptr;
    if (what == SessionController::Confirmation::SignOut) {
        box = new QMessageBox(QMessageBox::Question, tr("Sign out"),
                              tr("%n messages you wrote as %1 have not been sent yet.", nullptr, unsent).arg(user),
                              QMessageBox::NoButton, this);
        box->setInformativeText(tr("They stay on this computer and are sent the next time you sign in as %1. "
                                   "Sign out anyway?")
                                    .arg(user));
        confirm = box->addButton(tr("Sign &out"), QMessageBox::AcceptRole);
        box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    } else {
        box = new QMessageBox(QMessageBox::Information, tr("Switch account"),
                              tr("%n messages not sent yet will be sent next time you sign in as %1.", nullptr, unsent)
                                  .arg(user),
                              QMessageBox::NoButton, this);
        confirm = box->addButton(tr("S&witch account"), QMessageBox::AcceptRole);
        box->addButton(QMessageBox::Cancel);
        box->setDefaultButton(confirm);
    }
    box->setAttribute(Qt::WA_DeleteOnClose);
    // The session is the context: if it goes meanwhile, so does the answer.
    connect(box, &QMessageBox::buttonClicked, m_sessions->session(), [this, what, confirm](QAbstractButton *button) {
        if (button != confirm)
            return;
        if (what == SessionController::Confirmation::SignOut)
            m_sessions->signOutAnyway();
        else
            m_sessions->switchAccountAnyway();
    });
    box->open();
}

void MainWindow::onSignInNeeded(SessionController::SignInReason reason, const QString &server, const QString &user)
{
    using Reason = SessionController::SignInReason;
    showSignIn();
    switch (reason) {
    case Reason::NoSession:
        break;
    case Reason::SignedOut:
        m_signIn->prefill(server, user);
        statusBar()->showMessage(tr("Signed out %1.").arg(user), 8000);
        break;
    case Reason::SignedOutLocally:
        m_signIn->prefill(server, user);
        statusBar()->showMessage(tr("Signed out %1 on this computer. The server could not be reached, so it "
                                    "was not told.")
                                     .arg(user),
                                 15000);
        break;
    case Reason::Switched:
        m_signIn->prefill(server, QString());
        statusBar()->showMessage(
            tr("Left the session of %1. It stays on this computer: signing in as %1 again needs no password.")
                .arg(user),
            8000);
        break;
    case Reason::SessionEnded:
        m_signIn->prefill(server, user);
        m_signIn->showMessage(tr("Your session as %1 on %2 has ended: it was signed out, or the server no "
                                 "longer knows it. Enter your password to sign in again.")
                                  .arg(user, server));
        break;
    }
}

void MainWindow::showDiagnostics()
{
    if (!m_diagnostics) {
        m_diagnostics = new DiagnosticsDialog(m_browser, this);
        m_diagnostics->setObjectName(u"diagnosticsDialog"_s);
        m_diagnostics->setAttribute(Qt::WA_DeleteOnClose);
    }
    ChatSession *session = m_sessions->session();
    m_diagnostics->setConnection(session ? &session->client().connection() : nullptr, m_settings.deviceId());
    m_diagnostics->show();
    m_diagnostics->raise();
    m_diagnostics->activateWindow();
}

void MainWindow::askNewChat()
{
    if (!m_sessions->session())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New direct chat"));
    dialog->setLabelText(tr("&User to chat with:"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        const QString user = text.trimmed();
        if (!protocol::isValidUserName(user)) {
            statusBar()->showMessage(tr("User names are 1 to 32 letters, digits, '_', '.' or '-'."), 8000);
            return;
        }
        openConversation(user);
    });
    dialog->open();
}

void MainWindow::focusConversations()
{
    m_sidebar->focusConversations();
}

void MainWindow::showStartServer()
{
    auto *dialog = new StartServerDialog(
        m_browser, m_settings.localServerPort(), [this](const QString &id) { return m_server.isOwnInstance(id); },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &StartServerDialog::startRequested, this, [this](quint16 port) {
        m_settings.setLocalServerPort(port);
        startLocalServer(port);
    });
    connect(dialog, &StartServerDialog::useServerRequested, this, [this](const QUrl &url) {
        if (m_sessions->session() && m_sessions->session()->server() == url)
            return;
        m_sessions->setSession(nullptr);
        showSignIn(client::serverAddressText(url));
    });
    dialog->open();
}

void MainWindow::startLocalServer(quint16 port)
{
    ChatSession *session = m_sessions->session();
    const QString name = session ? tr("%1's Natter").arg(session->client().user()) : QSysInfo::machineHostName();
    m_server.start(port, name);
}

void MainWindow::showSettings()
{
    auto *dialog = new SettingsDialog(m_settings, m_tray != nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this, &MainWindow::applySettings);
    dialog->open();
}

void MainWindow::applySettings()
{
    m_notifier->setEnabled(m_settings.notificationsEnabled());
    // With the window hidden in the tray, closing any dialog must not end the app; Quit does.
    QApplication::setQuitOnLastWindowClosed(closeAction() == CloseAction::Quit);
}

MainWindow::CloseAction MainWindow::closeActionFor(bool keepRunningInTray, bool trayAvailable)
{
    return keepRunningInTray && trayAvailable ? CloseAction::HideToTray : CloseAction::Quit;
}

MainWindow::CloseAction MainWindow::closeAction() const
{
    return closeActionFor(m_settings.keepRunningInTray(), m_tray != nullptr);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_quitting && closeAction() == CloseAction::HideToTray) {
        // The session and the local server keep running; the tray brings the window back.
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::quit()
{
    m_quitting = true;
    if (QApplication::quitOnLastWindowClosed())
        close();
    else
        QCoreApplication::quit();
}

void MainWindow::showFromTray()
{
    show();
    setWindowState(windowState() & ~Qt::WindowMinimized);
    raise();
    activateWindow();
}

void MainWindow::updateUnread()
{
    if (m_tray)
        m_tray->setUnread(m_sessions->session() ? m_sessions->session()->conversations().totalUnread() : 0);
}

void MainWindow::showNotification(const QString &title, const QString &body)
{
    if (m_tray)
        m_tray->showMessage(title, body);
    else
        QApplication::alert(this);
}

void MainWindow::askRoomName()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Join room"));
    dialog->setLabelText(tr("&Room to join or create (for example #general):"));
    dialog->setTextValue(u"#"_s);
    connect(dialog, &QInputDialog::textValueSelected, this, &MainWindow::joinRoom);
    dialog->open();
}

void MainWindow::joinRoom(const QString &name)
{
    QString room = name.trimmed();
    if (!room.startsWith(u'#'))
        room.prepend(u'#');
    if (!m_sessions->session() || !protocol::isValidRoomName(room)) {
        statusBar()->showMessage(tr("Room names are # and 1 to 32 letters, digits, '_', '.' or '-'."), 8000);
        return;
    }
    m_joinRoom = room;
    m_joinRid = m_sessions->session()->client().join(room);
}

} // namespace natter::app
