#pragma once

#include "signindialog.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QListView;

namespace natter::client {
class ServerBrowser;
}

namespace natter::app {

class ChatSession;
class Composer;
class ConnectionStatusLabel;
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
    // Opens a direct chat ("alice") or a room ("#room").
    void openConversation(const QString &peer);
    QString currentConversation() const { return m_current; }
    // Shows the sign-in dialog (created on demand), with a server filled in when given.
    void showSignIn(const QString &server = {});
    void showStartServer();
    void showSettings();

    // What closing the window does: quit, or hide to the tray (only with a tray and the setting on).
    enum class CloseAction { Quit, HideToTray };
    static CloseAction closeActionFor(bool keepRunningInTray, bool trayAvailable);
    CloseAction closeAction() const;

    SignInDialog *signInDialog() const { return m_signIn; }
    QListView *conversationView() const { return m_conversations; }
    QListView *peopleView() const { return m_people; }
    MessageView *messageView() const { return m_messages; }
    Composer *composer() const { return m_composer; }
    QLabel *typingLabel() const { return m_typing; }
    QLabel *conversationTitle() const { return m_title; }
    ConnectionStatusLabel *connectionStatus() const { return m_status; }
    QAction *startServerAction() const { return m_startServer; }
    QAction *stopServerAction() const { return m_stopServer; }
    QAction *settingsAction() const { return m_settingsAction; }
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
    void askRoomName();
    void joinRoom(const QString &name);
    void sendCurrent(const QString &text);

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
};

} // namespace natter::app
