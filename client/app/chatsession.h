#pragma once

#include "client/chatclient.h"
#include "client/models/conversationlistmodel.h"
#include "client/models/messagelistmodel.h"
#include "client/models/peoplemodel.h"
#include "client/storage/localstore.h"
#include "client/app/tokenstore.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace natter::app {

// One signed-in account on one server: its LocalStore, its ChatClient and the item models the windows
// bind to. The sign-in dialog creates it; the main window takes it over once signed in.
//
// The session token is kept by a TokenStore: the OS keychain when there is one, else the LocalStore's meta
// table (as natter-cli does), so that the next start can resume without the password. Reading it is
// asynchronous: start() connects once the token is known. The password itself is never written anywhere.
class ChatSession : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QUrl server;
        QString user;
        QString password; // may be empty when a stored token can resume the session
        QString device;
        bool registerNew = false;
        QString dataDir; // the profile's app-data folder
        QString profile; // names the keychain entry; empty: the last folder name of dataDir
        client::ConnectionConfig connection;
    };

    // Opens the account's store (blocks briefly, once); check isOpen().
    explicit ChatSession(const Options &options, QObject *parent = nullptr);
    ~ChatSession() override;

    bool isOpen() const { return m_open; }
    QString errorString() const { return m_error; }
    // A token from an earlier sign-in of this device is available.
    bool hasStoredToken() const { return m_hasStoredToken; }
    // Reads the stored token (if any), then starts the client.
    void start();
    // Signs out for good: tells the server (when online) so that it revokes the token, stops the client and
    // removes the stored token; then signedOut(). The local store (history, unsent messages) stays. Without
    // an answer from the server within signOutTimeoutMs, the token is forgotten here anyway.
    void signOut();
    bool isSigningOut() const { return m_signingOut; }
    void setSignOutTimeoutMs(int ms) { m_signOutTimeoutMs = ms; } // tests
    // Messages written but not accepted by the server yet (the outbox), counted on the store's thread.
    void countUnsent(QObject *context, std::function<void(int count)> done);
    // The account's name: the server's spelling once welcomed, else what the user typed.
    QString user() const;

    QUrl server() const { return m_server; }
    client::ChatClient &client() { return *m_client; }
    client::LocalStore &store() { return *m_store; }
    client::ConversationListModel &conversations() { return *m_conversations; }
    client::MessageListModel &messages() { return *m_messages; }
    client::PeopleModel &people() { return *m_people; }
    TokenStore &tokens() { return *m_tokens; }

    static QString storePath(const QString &dataDir, const QUrl &server, const QString &user);

signals:
    // After signOut(): revokedOnServer says whether the server confirmed (or already refused the token).
    void signedOut(bool revokedOnServer);

private:
    void startClient();
    void forgetToken(bool revokedOnServer);

    Options m_options;
    QUrl m_server;
    QString m_device;
    QString m_token;
    bool m_hasStoredToken = false;
    bool m_starting = false;
    bool m_open = false;
    bool m_signingOut = false;
    bool m_forgetting = false;
    int m_signOutTimeoutMs = 10'000;
    QString m_error;
    std::unique_ptr<client::LocalStore> m_store;
    std::unique_ptr<TokenStore> m_tokens;
    std::unique_ptr<client::ChatClient> m_client;
    std::unique_ptr<client::ConversationListModel> m_conversations;
    std::unique_ptr<client::MessageListModel> m_messages;
    std::unique_ptr<client::PeopleModel> m_people;
};

} // namespace natter::app
