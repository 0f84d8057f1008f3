#include "client/app/mainwindow.h"

#include "client/app/chatsession.h"
#include "client/app/composer.h"
#include "client/app/connectionstatuslabel.h"
#include "client/app/conversationdelegate.h"
#include "client/app/persondelegate.h"
#include "client/app/diagnosticsdialog.h"
#include "client/app/localservercontroller.h"
#include "client/app/messageview.h"
#include "client/net/serverbrowser.h"
#include "client/app/notifier.h"
#include "common/protocol/validation.h"
#include "client/app/settings.h"
#include "client/app/settingsdialog.h"
#include "client/app/signindialog.h"
#include "client/app/startserverdialog.h"
#include "client/app/trayicon.h"

#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QSysInfo>
#include <QSystemTrayIcon>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::ChatClient;
using client::ConversationListModel;

MainWindow::MainWindow(Settings &settings, client::ServerBrowser &browser, LocalServerController &server,
                       QString dataDir, QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_browser(browser), m_server(server), m_dataDir(std::move(dataDir))
{
    setWindowTitle(tr("Natter"));
    auto *splitter = new QSplitter(this);
    splitter->addWidget(buildSidebar());
    splitter->addWidget(buildConversationPane());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 640});
    setCentralWidget(splitter);

    m_status = new ConnectionStatusLabel(this);
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
    m_notifier->setWindowActiveCheck([this] { return isVisible() && !isMinimized() && isActiveWindow(); });
    connect(m_notifier, &Notifier::notify, this, &MainWindow::showNotification);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new TrayIcon(this);
        connect(m_tray, &TrayIcon::showRequested, this, &MainWindow::showFromTray);
        connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    }
    applySettings();
    updateServerStatus();
    updateActions();
    resize(960, 640);
    if (m_settings.startLocalServerAtLaunch())
        startLocalServer(m_settings.localServerPort());
}

MainWindow::~MainWindow()
{
    setSession(nullptr); // detach the views before the models go
}

void MainWindow::buildMenus()
{
    QMenu *app = menuBar()->addMenu(tr("&Natter"));
    m_signInAction = app->addAction(tr("&Sign in…"), this, [this] { showSignIn(); });
    m_switchAccountAction = app->addAction(tr("S&witch account…"), this, &MainWindow::switchAccount);
    m_signOutAction = app->addAction(tr("Sign &out"), this, &MainWindow::signOut);
    app->addSeparator();
    m_settingsAction = app->addAction(tr("Se&ttings…"), QKeySequence::Preferences, this, &MainWindow::showSettings);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    app->addSeparator();
    m_quitAction = app->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &MainWindow::quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    m_startServer = server->addAction(tr("S&tart local server…"), this, &MainWindow::showStartServer);
    m_stopServer = server->addAction(tr("St&op local server"), &m_server, &LocalServerController::stop);

    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    m_newChatAction = conversation->addAction(tr("&New direct chat…"), QKeySequence(Qt::CTRL | Qt::Key_N), this,
                                              &MainWindow::askNewChat);
    m_joinRoomAction =
        conversation->addAction(tr("&Join room…"), QKeySequence(Qt::CTRL | Qt::Key_J), this, &MainWindow::askRoomName);
    // Ctrl+F first: text fields take Ctrl+K (delete to the end of the line) on Linux desktops.
    m_goToConversationAction = conversation->addAction(tr("&Find conversation"), this, &MainWindow::focusConversations);
    m_goToConversationAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_F), QKeySequence(Qt::CTRL | Qt::Key_K)});

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_diagnosticsAction = help->addAction(tr("Connection &diagnostics…"), this, &MainWindow::showDiagnostics);
}

QWidget *MainWindow::buildSidebar()
{
    m_conversations = new QListView;
    m_conversations->setItemDelegate(new ConversationDelegate(m_conversations));
    m_conversations->setAccessibleName(tr("Conversations"));
    m_conversations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Moving through the list with the keyboard shows each conversation and leaves the keyboard in the
    // list; Enter, or a click, goes on to write.
    const auto open = [this](const QModelIndex &index) {
        openConversation(index.data(ConversationListModel::PeerRole).toString());
    };
    connect(m_conversations, &QListView::activated, this, open);
    connect(m_conversations, &QListView::clicked, this, open);
    m_people = new QListView;
    m_people->setAccessibleName(tr("People"));
    m_people->setItemDelegate(new PersonDelegate(m_people));
    m_people->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_people->setToolTip(tr("Double-click a person, or press Enter, to chat"));
    connect(m_people, &QListView::activated, this, [this](const QModelIndex &index) {
        openConversation(index.data(client::PeopleModel::NameRole).toString());
    });
    m_sidebar = new QTabWidget;
    m_sidebar->setAccessibleName(tr("Chats and people"));
    m_sidebar->tabBar()->setAccessibleName(tr("Chats and people"));
    m_sidebar->addTab(m_conversations, tr("Cha&ts")); // Alt+H is the Help menu's
    m_sidebar->addTab(m_people, tr("&People"));
    return m_sidebar;
}

QWidget *MainWindow::buildConversationPane()
{
    auto *pane = new QWidget;
    m_title = new QLabel(tr("Pick a conversation, or double-click a person."));
    QFont font = m_title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    m_title->setFont(font);
    m_messages = new MessageView;
    m_messages->setAccessibleName(tr("Messages"));
    m_typing = new QLabel;
    m_typing->setAccessibleName(tr("Typing"));
    m_composer = new Composer;
    m_composer->setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line"));
    m_composer->setMaximumHeight(m_composer->fontMetrics().height() * 5);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::sendCurrent);
    connect(m_composer, &Composer::typing, this, [this] {
        if (m_session && !m_current.isEmpty())
            m_session->client().sendTyping(m_current);
    });
    auto *layout = new QVBoxLayout(pane);
    layout->addWidget(m_title);
    layout->addWidget(m_messages, 1);
    layout->addWidget(m_typing);
    layout->addWidget(m_composer);
    return pane;
}

void MainWindow::setSession(std::unique_ptr<ChatSession> session)
{
    m_messages->setMessages(nullptr);
    m_conversations->setModel(nullptr);
    m_people->setModel(nullptr);
    m_status->setConnection(nullptr);
    m_current.clear();
    m_session = std::move(session);
    m_typing->clear();
    m_title->setText(tr("Pick a conversation, or double-click a person."));
    if (m_session) {
        ChatSession *s = m_session.get();
        s->setParent(nullptr);
        m_conversations->setModel(&s->conversations());
        m_people->setModel(&s->people());
        m_messages->setMessages(&s->messages());
        m_status->setConnection(&s->client().connection());
        connect(m_conversations->selectionModel(), &QItemSelectionModel::currentChanged, this,
                [this](const QModelIndex &index) {
                    if (!m_syncing && index.isValid())
                        showConversation(index.data(ConversationListModel::PeerRole).toString());
                });
        ConversationListModel &conversations = s->conversations();
        connect(&conversations, &QAbstractItemModel::rowsInserted, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::rowsMoved, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::modelReset, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::dataChanged, this, &MainWindow::updateTyping);
        connect(&conversations, &ConversationListModel::totalUnreadChanged, this, &MainWindow::updateUnread);
        connect(&s->client(), &ChatClient::messageAdded, m_notifier, &Notifier::addMessage);
        connect(&s->client(), &ChatClient::joined, this, [this](const QString &rid, const QString &room) {
            if (rid == m_joinRid)
                openConversation(room);
        });
        connect(&s->client(), &ChatClient::authenticationFailed, this, &MainWindow::onAuthenticationFailed);
        connect(&s->client(), &ChatClient::errorReceived, this,
                [this](const QString &rid, protocol::ErrorCode, const QString &message) {
                    if (rid == m_joinRid)
                        statusBar()->showMessage(tr("Could not join %1: %2").arg(m_joinRoom, message), 8000);
                });
        setWindowTitle(tr("Natter — %1").arg(s->user()));
        connect(&s->client(), &ChatClient::signedIn, this,
                [this, s] { setWindowTitle(tr("Natter — %1").arg(s->user())); });
    } else {
        setWindowTitle(tr("Natter"));
    }
    if (m_diagnostics)
        m_diagnostics->setConnection(m_session ? &m_session->client().connection() : nullptr, m_settings.deviceId());
    updateUnread();
    updateActions();
}

void MainWindow::openConversation(const QString &peer)
{
    showConversation(peer);
    if (m_session && peer == m_current)
        m_composer->setFocus();
}

void MainWindow::showConversation(const QString &peer)
{
    if (!m_session || peer.isEmpty() || peer == m_current)
        return;
    m_current = peer;
    m_session->conversations().setActiveConversation(peer);
    m_session->messages().setConversation(peer);
    m_title->setText(peer);
    syncSelection();
    updateTyping();
    updateActions();
}

void MainWindow::syncSelection()
{
    if (!m_session)
        return;
    const int row = m_session->conversations().rowOf(m_current);
    m_syncing = true;
    if (row >= 0)
        m_conversations->setCurrentIndex(m_session->conversations().index(row, 0));
    else
        m_conversations->clearSelection();
    m_syncing = false;
}

void MainWindow::updateTyping()
{
    QStringList who;
    if (m_session) {
        const int row = m_session->conversations().rowOf(m_current);
        if (row >= 0)
            who = m_session->conversations().index(row, 0).data(ConversationListModel::TypingUsersRole).toStringList();
    }
    if (who.isEmpty())
        m_typing->clear();
    else if (who.size() == 1)
        m_typing->setText(tr("%1 is typing…").arg(who.first()));
    else
        m_typing->setText(tr("%1 are typing…").arg(who.join(u", "_s)));
}

void MainWindow::updateActions()
{
    const bool running = m_server.state() == LocalServerController::State::Running;
    m_startServer->setEnabled(m_server.state() == LocalServerController::State::Stopped);
    m_stopServer->setEnabled(running);
    m_signInAction->setEnabled(!m_session);
    const bool leaving = m_session && m_session->isSigningOut();
    m_signOutAction->setEnabled(m_session && !leaving);
    m_switchAccountAction->setEnabled(m_session && !leaving);
    m_newChatAction->setEnabled(m_session && !leaving);
    m_joinRoomAction->setEnabled(m_session && !leaving);
    m_goToConversationAction->setEnabled(bool(m_session));
    m_composer->setEnabled(m_session && !m_current.isEmpty());
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
        m_signIn->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_signIn, &SignInDialog::signedIn, this, [this] { setSession(m_signIn->takeSession()); });
    }
    if (!server.isEmpty())
        m_signIn->setServerText(server);
    else if (m_server.isRunning() && m_signIn->serverField()->text().isEmpty())
        m_signIn->setServerText(u"127.0.0.1:%1"_s.arg(m_server.port()));
    m_signIn->show();
    m_signIn->raise();
}

bool MainWindow::resumeOrSignIn()
{
    const QUrl server = m_settings.lastServer();
    const QString user = m_settings.lastUser();
    if (!m_session && server.isValid() && protocol::isValidUserName(user)) {
        ChatSession::Options options;
        options.server = server;
        options.user = user;
        options.device = m_settings.deviceId();
        options.dataDir = m_dataDir;
        auto session = std::make_unique<ChatSession>(options);
        if (session->isOpen() && session->hasStoredToken()) {
            ChatSession *s = session.get();
            setSession(std::move(session));
            s->start();
            return true;
        }
    }
    showSignIn();
    return false;
}

void MainWindow::signOut()
{
    if (!m_session || m_session->isSigningOut())
        return;
    ChatSession *session = m_session.get();
    const auto proceed = [this, session] {
        if (m_session.get() != session || session->isSigningOut())
            return;
        connect(session, &ChatSession::signedOut, this, [this, session](bool revoked) {
            leaveSession(session, revoked ? Leave::SignedOut : Leave::SignedOutLocally);
        });
        statusBar()->showMessage(tr("Signing out…"));
        session->signOut();
        updateActions();
    };
    // The session is the context: if it goes meanwhile, so does the question.
    session->countUnsent(session, [this, session, proceed](int count) {
        if (count == 0)
            return proceed();
        auto *box = new QMessageBox(
            QMessageBox::Question, tr("Sign out"),
            tr("%n messages you wrote as %1 have not been sent yet.", nullptr, count).arg(session->user()),
            QMessageBox::NoButton, this);
        box->setInformativeText(tr("They stay on this computer and are sent the next time you sign in as %1. "
                                   "Sign out anyway?")
                                    .arg(session->user()));
        QPushButton *confirm = box->addButton(tr("Sign &out"), QMessageBox::AcceptRole);
        box->setDefaultButton(box->addButton(QMessageBox::Cancel));
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, session, [confirm, proceed](QAbstractButton *button) {
            if (button == confirm)
                proceed();
        });
        box->open();
    });
}

void MainWindow::switchAccount()
{
    if (!m_session || m_session->isSigningOut())
        return;
    ChatSession *session = m_session.get();
    session->countUnsent(session, [this, session](int count) {
        if (count == 0)
            return leaveSession(session, Leave::Switch);
        auto *box =
            new QMessageBox(QMessageBox::Information, tr("Switch account"),
                            tr("%n messages not sent yet will be sent next time you sign in as %1.", nullptr, count)
                                .arg(session->user()),
                            QMessageBox::NoButton, this);
        QPushButton *confirm = box->addButton(tr("S&witch account"), QMessageBox::AcceptRole);
        box->addButton(QMessageBox::Cancel);
        box->setDefaultButton(confirm);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, session, [this, session, confirm](QAbstractButton *button) {
            if (button == confirm)
                leaveSession(session, Leave::Switch);
        });
        box->open();
    });
}

void MainWindow::onAuthenticationFailed()
{
    if (!m_session || m_session->isSigningOut())
        return; // signing out: the session handles it
    // The stored token is refused for good: forget it, so the next launch asks instead of failing again.
    m_session->tokens().remove();
    leaveSession(m_session.get(), Leave::SessionEnded);
}

void MainWindow::leaveSession(ChatSession *session, Leave how)
{
    // Deferred: this runs inside the session's own signals, and setSession() deletes it.
    QMetaObject::invokeMethod(
        this,
        [this, session, how] {
            if (!m_session || m_session.get() != session)
                return;
            const QUrl server = session->server();
            const QString user = session->user();
            setSession(nullptr);
            const QString address = u"%1:%2"_s.arg(server.host()).arg(server.port());
            showSignIn();
            switch (how) {
            case Leave::SignedOut:
                m_signIn->prefill(address, user);
                statusBar()->showMessage(tr("Signed out %1.").arg(user), 8000);
                break;
            case Leave::SignedOutLocally:
                m_signIn->prefill(address, user);
                statusBar()->showMessage(tr("Signed out %1 on this computer. The server could not be reached, so it "
                                            "was not told.")
                                             .arg(user),
                                         15000);
                break;
            case Leave::Switch:
                m_signIn->prefill(address, QString());
                statusBar()->showMessage(
                    tr("Left the session of %1. It stays on this computer: signing in as %1 again needs no password.")
                        .arg(user),
                    8000);
                break;
            case Leave::SessionEnded:
                m_signIn->prefill(address, user);
                m_signIn->showMessage(tr("Your session as %1 on %2 has ended: it was signed out, or the server no "
                                         "longer knows it. Enter your password to sign in again.")
                                          .arg(user, address));
                break;
            }
        },
        Qt::QueuedConnection);
}

DiagnosticsDialog *MainWindow::diagnosticsDialog() const
{
    return m_diagnostics.data();
}

void MainWindow::showDiagnostics()
{
    if (!m_diagnostics) {
        m_diagnostics = new DiagnosticsDialog(m_browser, this);
        m_diagnostics->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_diagnostics->setConnection(m_session ? &m_session->client().connection() : nullptr, m_settings.deviceId());
    m_diagnostics->show();
    m_diagnostics->raise();
    m_diagnostics->activateWindow();
}

void MainWindow::askNewChat()
{
    if (!m_session)
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
    m_sidebar->setCurrentWidget(m_conversations);
    m_conversations->setFocus(Qt::ShortcutFocusReason);
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
        if (m_session && m_session->server() == url)
            return;
        setSession(nullptr);
        showSignIn(u"%1:%2"_s.arg(url.host()).arg(url.port()));
    });
    dialog->open();
}

void MainWindow::startLocalServer(quint16 port)
{
    const QString name = m_session ? tr("%1's Natter").arg(m_session->client().user()) : QSysInfo::machineHostName();
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
        m_tray->setUnread(m_session ? m_session->conversations().totalUnread() : 0);
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
    if (!m_session || !protocol::isValidRoomName(room)) {
        statusBar()->showMessage(tr("Room names are # and 1 to 32 letters, digits, '_', '.' or '-'."), 8000);
        return;
    }
    m_joinRoom = room;
    m_joinRid = m_session->client().join(room);
}

void MainWindow::sendCurrent(const QString &text)
{
    if (!m_session || m_current.isEmpty())
        return;
    if (!protocol::isValidBody(text)) {
        statusBar()->showMessage(tr("The message is too long."), 8000);
        return;
    }
    m_session->client().sendMessage(m_current, text);
}

} // namespace natter::app
