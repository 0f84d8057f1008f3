#pragma once

// Shared by the desktop-app tests that check where a session token lives: in the account's local store
// (or keychain, through TokenStore), and whether the server still takes it.

#include "client/app/chatsession.h"
#include "client/app/tokenstore.h"
#include "client/net/connection.h"
#include "client/storage/localstore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

namespace natter::test {

// Whether the app keeps a token for `user` on `server` (the account's store under `dataDir`).
inline bool hasStoredToken(const QString &dataDir, const QUrl &server, const QString &user)
{
    client::LocalStore store(app::ChatSession::storePath(dataDir, server, user));
    QString error;
    if (!store.open(&error))
        return false;
    app::TokenStore tokens(app::TokenStore::keyFor(QStringLiteral("data"), server, user), store);
    const bool has = tokens.hasStoredTokenNow();
    store.close();
    return has;
}

// Whether the server welcomes a resume with `token` for `user` from `device`.
inline bool serverAcceptsToken(const QUrl &server, const QString &user, const QString &device, const QString &token,
                               int waitMs)
{
    client::Connection connection;
    connection.setServer(server);
    connection.setCredentials({user, QString(), device, token, false});
    QSignalSpy welcomed(&connection, &client::Connection::welcomed);
    QSignalSpy refused(&connection, &client::Connection::authenticationFailed);
    connection.start();
    if (!QTest::qWaitFor([&] { return welcomed.size() + refused.size() > 0; }, waitMs))
        qWarning() << "no answer to a resume";
    connection.stop();
    return welcomed.size() == 1;
}

} // namespace natter::test
