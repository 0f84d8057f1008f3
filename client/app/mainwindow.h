#pragma once

#include "client/app/signindialog.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QListView;
class QTabWidget;

namespace natter::client {
class ServerBrowser;
}

namespace natter::app {

class ChatSession;
class Composer;
class ConnectionStatusLabel;
class DiagnosticsDialog;
class LocalServerController;
class MessageView;
class Notifier;
class Settings;
class SettingsDialog;
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

    // Takes over a signed-in session (null: signed out).
    void setSession(std::unique_ptr<ChatSession> session);
    ChatSession *session() const { return m_session.get(); }
    // Opens a direct chat ("alice") or a room ("#room") and puts the keyboard in the composer.
    void openConversation(const QString &peer);
    QString currentConversation() const { return m_current; }
    // Shows the sign-in dialog (created on demand), with a server filled in when given.
    void showSignIn(const QString &server = {});
    // At launch: resumes the session of the account this profile last signed in to when its token is
    // stored (no dialog; offline it keeps reconnecting, with the local history shown), else shows the
    // sign-in dialog. A resumed session the server refuses ends in the sign-in dialog with the reason.
    // Returns whether a session was resumed.
    bool resumeOrSignIn();
    // Asks the server to revoke the session, forgets the token and goes back to the sign-in dialog.
    // With unsent messages, asks first (they stay in the local store for the next sign-in).
    void signOut();
    // Closes the session but keeps its token (signing in to it again needs no password), then shows the
    // sign-in dialog to sign in as someone else. With unsent messages, says when they will leave.
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

    SignInDialog *signInDialog() const { return m_signIn; }
    DiagnosticsDialog *diagnosticsDialog() const; // null while closed
    QListView *conversationView() const { return m_conversations; }
    QListView *peopleView() const { return m_people; }
    MessageView *messageView() const { return m_messages; }
    Composer *composer() const { return m_composer; }
    QLabel *typingLabel() const { return m_typing; }
    QLabel *conversationTitle() const { return m_title; }
    ConnectionStatusLabel *connectionStatus() const { return m_status; }
    QAction *signInAction() const { return m_signInAction; }
    QAction *startServerAction() const { return m_startServer; }
    QAction *stopServerAction() const { return m_stopServer; }
    QAction *settingsAction() const { return m_settingsAction; }
    QAction *signOutAction() const { return m_signOutAction; }
    QAction *switchAccountAction() const { return m_switchAccountAction; }
    QAction *diagnosticsAction() const { return m_diagnosticsAction; }
    QAction *newChatAction() const { return m_newChatAction; }
    QAction *joinRoomAction() const { return m_joinRoomAction; }
    QAction *goToConversationAction() const { return m_goToConversationAction; }
    QAction *quitAction() const { return m_quitAction; }
    Notifier *notifier() const { return m_notifier; }
    TrayIcon *trayIcon() const { return m_tray; } // null without a system tray

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
    QWidget *buildSidebar();
    QWidget *buildConversationPane();
    void updateActions();
    void updateServerStatus();
    void updateTyping();
    void syncSelection();
    // Shows a conversation without moving the keyboard focus (browsing the list with the arrow keys).
    void showConversation(const QString &peer);
    void askRoomName();
    void joinRoom(const QString &name);
    void sendCurrent(const QString &text);
    // The active session's token was refused (revoked elsewhere): back to the sign-in dialog with why.
    void onAuthenticationFailed();
    // Leaves the session (deferred: we may be inside one of its signals) and shows the sign-in dialog.
    enum class Leave { SignedOut, SignedOutLocally, Switch, SessionEnded };
    void leaveSession(ChatSession *session, Leave how);

    Settings &m_settings;
    client::ServerBrowser &m_browser;
    LocalServerController &m_server;
    QString m_dataDir;
    std::unique_ptr<ChatSession> m_session;
    QString m_current;
    QString m_joinRid;
    QString m_joinRoom;
    bool m_syncing = false;
    bool m_quitting = false;
    Notifier *m_notifier = nullptr;
    TrayIcon *m_tray = nullptr;

    QPointer<SignInDialog> m_signIn;
    QPointer<DiagnosticsDialog> m_diagnostics;
    QListView *m_conversations = nullptr;
    QListView *m_people = nullptr;
    MessageView *m_messages = nullptr;
    Composer *m_composer = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_typing = nullptr;
    QLabel *m_serverStatus = nullptr;
    ConnectionStatusLabel *m_status = nullptr;
    QAction *m_signInAction = nullptr;
    QAction *m_startServer = nullptr;
    QAction *m_stopServer = nullptr;
    QAction *m_joinRoomAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_signOutAction = nullptr;
    QAction *m_switchAccountAction = nullptr;
    QAction *m_diagnosticsAction = nullptr;
    QAction *m_newChatAction = nullptr;
    QAction *m_goToConversationAction = nullptr;
    QAction *m_quitAction = nullptr;
    QTabWidget *m_sidebar = nullptr;
};

} // namespace natter::app
