#pragma once

// Shared by the desktop-app tests (tests/app): a free loopback port, and a plain ChatClient peer for the
// other side of a conversation.

#include "client/chatclient.h"
#include "client/storage/localstore.h"

#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace natter::test {

inline const QString kPeerPassword = QStringLiteral("correct horse");

// A port nothing listens on right now (the probe closes again when it goes).
inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress(QHostAddress::LocalHost), 0);
    return probe.serverPort();
}

// Someone else on the server, with a plain ChatClient that registers `user` and records what it receives.
struct Peer {
    Peer(const QUrl &server, const QString &user)
    {
        store = std::make_unique<client::LocalStore>(dir.filePath(QStringLiteral("peer.db")));
        QString error;
        store->open(&error);
        client = std::make_unique<client::ChatClient>(*store);
        client->setServer(server);
        client->setCredentials({user, kPeerPassword, user + QStringLiteral("-device"), QString(), true});
        QObject::connect(client.get(), &client::ChatClient::messageAdded, client.get(),
                         [this](const client::LocalMessage &m) { received.append(m); });
        client->start();
    }
    ~Peer()
    {
        client.reset();
        store->close();
    }
    QStringList bodiesFrom(const QString &from) const
    {
        QStringList out;
        for (const client::LocalMessage &m : received) {
            if (m.from == from)
                out.append(m.body);
        }
        return out;
    }

    QTemporaryDir dir;
    std::unique_ptr<client::LocalStore> store;
    std::unique_ptr<client::ChatClient> client;
    QList<client::LocalMessage> received;
};

} // namespace natter::test
