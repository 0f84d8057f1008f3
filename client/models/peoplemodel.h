#pragma once

#include "common/protocol/events.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace natter::client {

class ChatClient;

// Everybody on the server with their presence: the users listed by `users` replies, kept live by
// presenceChanged (a user first seen in a presence notice is added). Online users first, then by name
// (case-insensitively). With a client, the model asks for the list after every welcome: the server
// sends a connection presence for everybody only once it has asked. While the client is not online,
// everybody shows offline.
//
// Roles (the names in roleNames() are the same, for QML):
//   Qt::DisplayRole  = name
//   NameRole         QString  the user name as the server spells it
//   OnlineRole       bool     online now
//   IsSelfRole       bool     the signed-in user
//   Qt::AccessibleTextRole   "NAME, online" / "NAME, offline" (translated)
class PeopleModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        OnlineRole,
        IsSelfRole,
    };
    Q_ENUM(Role)

    explicit PeopleModel(ChatClient *client = nullptr, QObject *parent = nullptr);
    ~PeopleModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &user) const;
    int onlineCount() const { return m_onlineCount; }

public slots:
    // Asks the server for the list (nothing without a client); the reply updates the model.
    void refresh();
    // A complete list: users not in it are removed.
    void setUsers(const QList<natter::protocol::UserInfo> &users);
    void setPresence(const QString &user, bool online);
    void setAllOffline();

signals:
    void usersReceived();
    void onlineCountChanged(int count);

private:
    struct Person {
        QString key; // protocol::nameKey(name)
        QString name;
        bool online = false;
    };

    static bool before(const Person &a, const Person &b);
    // rename: take this spelling of the name (a `users` list is authoritative, a presence notice not).
    void upsert(const QString &user, bool online, bool rename);
    void reposition(int row);
    void countOnline();

    ChatClient *m_client;
    QList<Person> m_rows;
    int m_onlineCount = 0;
};

} // namespace natter::client
