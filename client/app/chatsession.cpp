#include "client/app/chatsession.h"

#include "common/protocol/validation.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::ChatClient;

namespace {
const auto kDeviceKey = u"device"_s;
} // namespace

QString ChatSession::storePath(const QString &dataDir, const QUrl &server, const QString &user)
{
    return QDir(dataDir).filePath(
        u"accounts/%1@%2_%3.db"_s.arg(protocol::nameKey(user), server.host()).arg(server.port()));
}

ChatSession::ChatSession(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_server(options.server), m_device(options.device)
{
    const QString path = storePath(options.dataDir, options.server, options.user);
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_store = std::make_unique<client::LocalStore>(path);
    m_open = m_store->open(&m_error);
    if (!m_open)
        return;
    const QString profile = options.profile.isEmpty() ? QFileInfo(options.dataDir).fileName() : options.profile;
    m_tokens = std::make_unique<TokenStore>(TokenStore::keyFor(profile, options.server, options.user), *m_store);
    // A token belongs to the device it was issued to; registering asks for a fresh account.
    m_hasStoredToken = !options.registerNew && m_store->valueNow(kDeviceKey) == m_device && m_tokens->hasStoredTokenNow();

    m_client = std::make_unique<ChatClient>(*m_store, options.connection);
    m_client->setServer(options.server);
    m_client->setCredentials({options.user, options.password, m_device, QString(), options.registerNew});
    connect(m_client.get(), &ChatClient::signedIn, this, [this](const QString &, const QString &token) {
        if (token == m_token)
            return; // resumed with the stored token
        m_token = token;
        m_store->setValue(kDeviceKey, m_device);
        m_tokens->write(token);
    });
    m_conversations = std::make_unique<client::ConversationListModel>(*m_store, m_client.get());
    m_messages = std::make_unique<client::MessageListModel>(*m_store, m_client.get());
    m_people = std::make_unique<client::PeopleModel>(m_client.get());
}

ChatSession::~ChatSession()
{
    // Models first (they hold the client), then the client (it uses the store), then the store.
    m_people.reset();
    m_messages.reset();
    m_conversations.reset();
    if (m_client)
        m_client->stop();
    m_client.reset();
    m_tokens.reset();
    if (m_store)
        m_store->close();
}

void ChatSession::start()
{
    if (!m_client || m_starting)
        return;
    m_starting = true;
    if (!m_hasStoredToken)
        return startClient();
    connect(m_tokens.get(), &TokenStore::readFinished, this, [this](const QString &token) {
        m_token = token;
        startClient();
    }, Qt::SingleShotConnection);
    m_tokens->read();
}

QString ChatSession::user() const
{
    const QString welcomed = m_client ? m_client->user() : QString();
    return welcomed.isEmpty() ? m_options.user : welcomed;
}

void ChatSession::countUnsent(QObject *context, std::function<void(int)> done)
{
    m_store->pendingOutbox(context,
                           [done = std::move(done)](QList<client::OutboxEntry> entries) { done(int(entries.size())); });
}

void ChatSession::signOut()
{
    if (!m_client || m_signingOut)
        return;
    m_signingOut = true;
    if (!m_client->isOnline())
        return forgetToken(false);
    // logged_out: revoked (and on disk). An auth error: the server does not take the token anyway.
    // Reconnecting: the link broke before the answer. The timer: no answer at all.
    connect(m_client.get(), &ChatClient::loggedOut, this, [this] { forgetToken(true); });
    connect(m_client.get(), &ChatClient::authenticationFailed, this, [this] { forgetToken(true); });
    connect(m_client.get(), &ChatClient::connectionStateChanged, this, [this](client::Connection::State state) {
        if (state == client::Connection::State::Reconnecting)
            forgetToken(false);
    });
    QTimer::singleShot(m_signOutTimeoutMs, this, [this] { forgetToken(false); });
    m_client->logout();
}

void ChatSession::forgetToken(bool revokedOnServer)
{
    if (m_forgetting)
        return;
    m_forgetting = true;
    m_client->stop();
    m_token.clear();
    connect(
        m_tokens.get(), &TokenStore::removed, this, [this, revokedOnServer] { emit signedOut(revokedOnServer); },
        Qt::SingleShotConnection);
    m_tokens->remove();
}

void ChatSession::startClient()
{
    m_client->setCredentials({m_options.user, m_options.password, m_device, m_token, m_options.registerNew});
    m_options.password.clear(); // the client keeps what it needs
    m_client->start();
}

} // namespace natter::app
