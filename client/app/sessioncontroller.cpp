#include "client/app/sessioncontroller.h"

#include "client/app/chatsession.h"
#include "client/app/settings.h"
#include "client/net/serverurl.h"
#include "common/protocol/validation.h"

namespace natter::app {

using client::ChatClient;

SessionController::SessionController(Settings &settings, QString dataDir, QObject *parent)
    : QObject(parent), m_settings(settings), m_dataDir(std::move(dataDir))
{
}

SessionController::~SessionController() = default;

void SessionController::setSession(std::unique_ptr<ChatSession> session)
{
    std::unique_ptr<ChatSession> old = std::move(m_session);
    m_session = std::move(session);
    if (ChatSession *s = m_session.get()) {
        s->setParent(nullptr);
        // One small slot: whatever the refusal says, the stored token is no good any more.
        connect(&s->client(), &ChatClient::authenticationFailed, this, [this, s] { onSessionRefused(s); });
    }
    emit sessionChanged(m_session.get()); // the views let go of the old session's models first
    old.reset();
}

bool SessionController::resume()
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
    emit signInNeeded(SignInReason::NoSession, {}, {});
    return false;
}

bool SessionController::isLeaving() const
{
    return m_session && m_session->isSigningOut();
}

void SessionController::signOut()
{
    confirmUnlessAllSent(Confirmation::SignOut);
}

void SessionController::signOutAnyway()
{
    if (!m_session || m_session->isSigningOut())
        return;
    ChatSession *session = m_session.get();
    connect(session, &ChatSession::signedOut, this, [this, session](bool revoked) {
        leave(session, revoked ? SignInReason::SignedOut : SignInReason::SignedOutLocally);
    });
    session->signOut();
    emit signingOut();
}

void SessionController::switchAccount()
{
    confirmUnlessAllSent(Confirmation::SwitchAccount);
}

void SessionController::confirmUnlessAllSent(Confirmation what)
{
    if (!m_session || m_session->isSigningOut())
        return;
    ChatSession *session = m_session.get();
    // The session is the context: if it goes meanwhile, so does the question.
    session->countUnsent(session, [this, session, what](int count) {
        if (count > 0)
            emit confirmationNeeded(what, count, session->user());
        else if (what == Confirmation::SignOut)
            signOutAnyway();
        else
            switchAccountAnyway();
    });
}

void SessionController::switchAccountAnyway()
{
    if (!m_session || m_session->isSigningOut())
        return;
    leave(m_session.get(), SignInReason::Switched);
}

void SessionController::onSessionRefused(ChatSession *session)
{
    if (m_session.get() != session || session->isSigningOut())
        return; // signing out: the session handles it
    // The stored token is refused for good: forget it, so the next launch asks instead of failing again.
    session->tokens().remove();
    leave(session, SignInReason::SessionEnded);
}

void SessionController::leave(ChatSession *session, SignInReason reason)
{
    // Deferred: this runs inside the session's own signals, and setSession() deletes it.
    QMetaObject::invokeMethod(
        this,
        [this, session, reason] {
            if (!m_session || m_session.get() != session)
                return;
            const QString server = client::serverAddressText(session->server());
            const QString user = session->user();
            setSession(nullptr);
            if (reason == SignInReason::SignedOut || reason == SignInReason::SignedOutLocally)
                emit signedOut(user, reason == SignInReason::SignedOut);
            emit signInNeeded(reason, server, user);
        },
        Qt::QueuedConnection);
}

} // namespace natter::app
