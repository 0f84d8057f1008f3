#pragma once

#include "client/app/sessioncontroller.h"
#include "client/app/signindialog.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;

namespace natter::client {
class ServerBrowser;
}

namespace natter::app {

class ChatSession;
class ConnectionStatusLabel;
class ConversationPane;
class DiagnosticsDialog;
class LocalServerController;
class Notifier;
class Settings;
class SettingsDialog;
class Sidebar;
class TrayIcon;

// The main window: conversations and people on the left, the open conversation on the right, the
// connection in the status bar, and the Server menu that starts or stops a local server. Widgets bind the
// session's models and forward what the user asks for; the session does the work.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Settings &settings, client::ServerBrowser &browser, LocalServerController &server,
               QString dataDir, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Takes over a signed-in session (null: signed out); SessionController::setSession().
    void setSession(std::unique_ptr<ChatSession> session);
    ChatSession *session() const;
    // Opens a direct chat ("alice") or a room ("#room") and puts the keyboard in the composer.
    void openConversation(const QString &peer);
    QString currentConversation() const;
    // Shows the sign-in dialog (created on demand), with a server filled in when given.
    void showSignIn(const QString &server = {});
    // At launch: resumes the stored session of the account this profile last signed in to, else shows
    // the sign-in dialog (SessionController::resume()). Returns whether a session was resumed.
    bool resumeOrSignIn();
    // Signs out (the server revokes the token) and goes back to the sign-in dialog; with unsent messages,
    // asks first (they stay in the local store for the next sign-in).
    void signOut();
    // Closes the session but keeps its token, then shows the sign-in dialog to sign in as someone else.
    // With unsent messages, says when they will leave.
    void switchAccount();
    void showDiagnostics();
    // Asks for a user name and opens the direct chat with them.
    void askNewChat();
    // Shows the chats and puts the keyboard in the conversation list (typing a name jumps to it).
    void focusConversations();
    void showStartServer();
    void showSettings();

    // What closing the window does: quit, or hide to the tray (only with a tray and the setting on).
    enum class CloseAction { Quit, HideToTray };
    static CloseAction closeActionFor(bool keepRunningInTray, bool trayAvailable);
    CloseAction closeAction() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void applySettings();
    void startLocalServer(quint16 port);
    void updateUnread();
    void showNotification(const QString &title, const QString &body);
    void showFromTray();
    void quit();
    void updateActions();
    void updateServerStatus();
    void askRoomName();
    void joinRoom(const QString &name);
    // Binds the views to the controller's session (null: none).
    // The join asked for last (m_joinRid) failed: says why in the status bar.
    void joinFailed(const QString &rid, const QString &why);
    void bindSession(ChatSession *session);
    // The sign-in dialog, filled in and with a message saying why it is back.
    void onSignInNeeded(SessionController::SignInReason reason, const QString &server, const QString &user);
    void confirmLeaving(SessionController::Confirmation what, int unsent, const QString &user);

    Settings &m_settings;
    client::ServerBrowser &m_browser;
    LocalServerController &m_server;
    QString m_dataDir;
    SessionController *m_sessions;
    QString m_joinRid;
    QString m_joinRoom;
    bool m_quitting = false;
    Notifier *m_notifier = nullptr;
    TrayIcon *m_tray = nullptr;

    QPointer<SignInDialog> m_signIn;
    QPointer<DiagnosticsDialog> m_diagnostics;
    ConversationPane *m_pane = nullptr;
    QLabel *m_serverStatus = nullptr;
    ConnectionStatusLabel *m_status = nullptr;
    QAction *m_signInAction = nullptr;
    QList<QAction *> m_sessionActions; // switch account, sign out, new chat, join room
    QAction *m_goToConversationAction = nullptr;
    QAction *m_startServer = nullptr;
    QAction *m_stopServer = nullptr;
    Sidebar *m_sidebar = nullptr;
};

} // namespace natter::app
