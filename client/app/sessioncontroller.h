#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace natter::app {

class ChatSession;
class Settings;

// The app's session logic, without widgets: which account is signed in (it owns the current ChatSession),
// resuming it at launch from the token this profile stored, signing out (the server revokes the token),
// switching account (the token stays), and what happens when the server refuses a stored token. The main
// window binds it to its views and dialogs: it shows the sign-in dialog on signInNeeded(), asks the user on
// confirmationNeeded(), and rebinds its views on sessionChanged().
class SessionController : public QObject
{
    Q_OBJECT
public:
    // Why the sign-in dialog is needed; server ("host:port") and user fill it in (either may be empty).
    enum class SignInReason {
        NoSession,        // at launch, with nothing to resume
        SignedOut,        // signed out; the server revoked the token
        SignedOutLocally, // signed out while the server could not be reached: only this computer forgot it
        Switched,         // left the session to sign in as someone else; its token stays stored
        SessionEnded,     // the server refused the stored token (signed out elsewhere, or unknown)
    };
    Q_ENUM(SignInReason)
    // What the user is asked before leaving a session that still has unsent messages.
    enum class Confirmation { SignOut, SwitchAccount };
    Q_ENUM(Confirmation)

    SessionController(Settings &settings, QString dataDir, QObject *parent = nullptr);
    ~SessionController() override;

    ChatSession *session() const { return m_session.get(); }
    // Takes over a session (signed in by the sign-in dialog, or built by a test); null: none.
    void setSession(std::unique_ptr<ChatSession> session);
    // At launch: resumes the session of the account this profile last signed in to when its token is stored
    // (offline it keeps reconnecting, with the local history shown) and returns true; else signInNeeded().
    // A resumed session the server refuses ends with signInNeeded(SessionEnded).
    bool resume();
    // Signs out: with unsent messages asks first (confirmationNeeded(SignOut)); then the server revokes the
    // token, this computer forgets it, and signedOut() and signInNeeded() follow. Unsent messages stay in
    // the local store for the next sign-in.
    void signOut();
    // Signs out without asking (the user confirmed).
    void signOutAnyway();
    // Closes the session but keeps its token (signing in to it again needs no password): with unsent
    // messages asks first (confirmationNeeded(SwitchAccount)), then signInNeeded(Switched).
    void switchAccount();
    void switchAccountAnyway();
    // Whether the session is being signed out (no new work should start).
    bool isLeaving() const;

signals:
    // The current session changed (null: none); the old one, if any, is deleted right after this.
    void sessionChanged(natter::app::ChatSession *session);
    // Unsent messages would stay behind: the receiver asks the user, then calls signOutAnyway() or
    // switchAccountAnyway() (or nothing).
    void confirmationNeeded(natter::app::SessionController::Confirmation what, int unsent, const QString &user);
    // signOut() went ahead: the server is being told.
    void signingOut();
    // The session of `user` was signed out; revokedOnServer: the server confirmed (or refused the token).
    void signedOut(const QString &user, bool revokedOnServer);
    void signInNeeded(natter::app::SessionController::SignInReason reason, const QString &server,
                      const QString &user);

private:
    // Asks first (confirmationNeeded) when messages are unsent, else goes ahead.
    void confirmUnlessAllSent(Confirmation what);
    void leave(ChatSession *session, SignInReason reason);
    void onSessionRefused(ChatSession *session);

    Settings &m_settings;
    QString m_dataDir;
    std::unique_ptr<ChatSession> m_session;
};

} // namespace natter::app
