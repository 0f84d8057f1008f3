#pragma once

#include <QDialog>
#include <QUrl>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace natter::client {
class ServerBrowser;
struct DiscoveredServer;
}

namespace natter::app {

class ChatSession;
class Settings;

// Sign in or create an account: the servers heard on the LAN (live), a manual host:port, user, password.
// Signing in builds a ChatSession and waits for the server's answer; on success signedIn() is emitted and
// the receiver takes the session with takeSession(). Errors are shown in the dialog: wrong password, name
// taken, server unreachable. The password is never stored.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    SignInDialog(Settings &settings, client::ServerBrowser &browser, QString dataDir, QWidget *parent = nullptr);
    ~SignInDialog() override;

    void setServerText(const QString &hostPort);
    QString serverText() const;
    std::unique_ptr<ChatSession> takeSession();
    QString errorText() const;
    bool isBusy() const { return m_pending != nullptr; }
    // Shows a message in the dialog's error line (for example why a resumed session ended).
    void showMessage(const QString &message);
    // Fills the server and user (either may be empty), clears the password and focuses the user name, or
    // the password when the user is given.
    void prefill(const QString &server, const QString &user);

signals:
    void signedIn();

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void reloadAccounts();
    void applyErrorColour();
    void signIn();
    void fail(const QString &message);
    void setBusy(bool busy);
    void addServer(const client::DiscoveredServer &server);
    void removeServer(const client::DiscoveredServer &server);

    Settings &m_settings;
    client::ServerBrowser &m_browser;
    QString m_dataDir;
    QListWidget *m_accounts;
    QLabel *m_accountsLabel;
    QListWidget *m_servers;
    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_create;
    QLabel *m_error = nullptr;
    QPushButton *m_signIn;
    ChatSession *m_pending = nullptr; // owned while signing in
    std::unique_ptr<ChatSession> m_done;
};

} // namespace natter::app
