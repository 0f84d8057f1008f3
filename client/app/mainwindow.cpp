#include "mainwindow.h"

#include "chatsession.h"
#include "composer.h"
#include "connectionstatuslabel.h"
#include "conversationdelegate.h"
#include "localservercontroller.h"
#include "messageview.h"
#include "net/serverbrowser.h"
#include "notifier.h"
#include "protocol/validation.h"
#include "settings.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "startserverdialog.h"
#include "trayicon.h"

#include <QApplication>
#include <QCloseEvent>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QSysInfo>
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
    m_serverStatus = new QLabel(this);
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
    m_settingsAction = app->addAction(tr("Se&ttings…"), QKeySequence::Preferences, this, &MainWindow::showSettings);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    app->addSeparator();
    app->addAction(tr("&Quit"), QKeySequence::Quit, this, &MainWindow::quit);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    m_startServer = server->addAction(tr("S&tart local server…"), this, &MainWindow::showStartServer);
    m_stopServer = server->addAction(tr("St&op local server"), &m_server, &LocalServerController::stop);

    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    m_joinRoomAction = conversation->addAction(tr("&Join room…"), this, &MainWindow::askRoomName);
}

QWidget *MainWindow::buildSidebar()
{
    m_conversations = new QListView;
    m_conversations->setItemDelegate(new ConversationDelegate(m_conversations));
    m_conversations->setAccessibleName(tr("Conversations"));
    m_conversations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_people = new QListView;
    m_people->setAccessibleName(tr("People"));
    m_people->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_people->setToolTip(tr("Double-click a person to chat"));
    connect(m_people, &QListView::activated, this, [this](const QModelIndex &index) {
        openConversation(index.data(client::PeopleModel::NameRole).toString());
    });
    auto *tabs = new QTabWidget;
    tabs->addTab(m_conversations, tr("C&hats"));
    tabs->addTab(m_people, tr("&People"));
    return tabs;
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
    m_typing = new QLabel;
    m_typing->setAccessibleName(tr("Typing"));
    m_composer = new Composer;
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
    setTabOrder(m_composer, m_messages);
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
                        openConversation(index.data(ConversationListModel::PeerRole).toString());
                });
        ConversationListModel &conversations = s->conversations();
        connect(&conversations, &QAbstractItemModel::rowsInserted, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::rowsMoved, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::modelReset, this, &MainWindow::syncSelection);
        connect(&conversations, &QAbstractItemModel::dataChanged, this, &MainWindow::updateTyping);
        connect(&conversations, &ConversationListModel::totalUnreadChanged, this, &MainWindow::updateUnread);
        connect(&s->client(), &ChatClient::messageAdded, m_notifier, &Notifier::addMessage);
        connect(&s->client(), &ChatClient::historyReceived, m_notifier,
                [this](const QString &, const QString &, const QList<client::LocalMessage> &messages) {
                    m_notifier->noteHistory(messages);
                });
        connect(&s->client(), &ChatClient::joined, this, [this](const QString &rid, const QString &room) {
            if (rid == m_joinRid)
                openConversation(room);
        });
        connect(&s->client(), &ChatClient::errorReceived, this,
                [this](const QString &rid, const QString &, const QString &message) {
                    if (rid == m_joinRid)
                        statusBar()->showMessage(tr("Could not join %1: %2").arg(m_joinRoom, message), 8000);
                });
        setWindowTitle(tr("Natter — %1").arg(s->client().user()));
    } else {
        setWindowTitle(tr("Natter"));
    }
    updateUnread();
    updateActions();
}

void MainWindow::openConversation(const QString &peer)
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
    m_composer->setFocus();
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
    m_joinRoomAction->setEnabled(bool(m_session));
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

void MainWindow::showStartServer()
{
    auto *dialog = new StartServerDialog(m_browser, m_settings.localServerPort(), this);
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
    dialog->setLabelText(tr("Room to join or create (for example #general):"));
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
