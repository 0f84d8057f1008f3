#pragma once

#include "server/routing/fanout.h"
#include "server/routing/frame.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace natter::server {

class Session;

// Which sessions are signed in for which device and user, and delivery to them on this server.
// Tells when a user's first device comes online and when the last one goes.
class SessionRegistry : public QObject, public Fanout
{
    Q_OBJECT
public:
    // Whether an attached session makes its user online: a WebSocket at once; a long-polling device only
    // once it polls (before that it cannot receive anything).
    enum class Presence { Online, NotYetOnline };

    using QObject::QObject;

    // The session must be signed in. Attaching twice is harmless.
    void attach(Session *session, Presence presence = Presence::Online);
    // An attached session that was NotYetOnline counts as online from now on. Harmless otherwise.
    void setOnline(Session *session);
    // Safe for sessions that are not attached.
    void detach(Session *session);

    bool isOnline(qint64 userId) const { return m_onlineCount.contains(userId); }
    QList<Session *> sessionsOfUser(qint64 userId) const { return m_byUser.value(userId); }
    QList<Session *> sessionsOfDevice(qint64 deviceId) const { return m_byDevice.value(deviceId); }
    QList<Session *> sessionsWithToken(const QByteArray &tokenHash) const;
    qsizetype sessionCount() const { return m_all.size(); }

    void deliverToDevices(const QList<qint64> &deviceIds, const Frame &frame, const Session *except = nullptr) override;
    void deliverToUsers(const QList<qint64> &userIds, const Frame &frame, const Session *except = nullptr) override;
    void deliverToPresenceWatchers(const Frame &frame, const QList<qint64> &exceptUsers) override;

signals:
    void userOnlineChanged(qint64 userId, bool online);

private:
    using Index = QHash<qint64, QList<Session *>>;
    static void deliverVia(const Index &index, const QList<qint64> &keys, const Frame &frame, const Session *except);
    static void remove(Index &index, qint64 key, Session *session);
    void countOnline(qint64 userId, int delta);

    QSet<Session *> m_all;
    QSet<Session *> m_notYetOnline; // attached, but not counted for presence
    Index m_byDevice;
    Index m_byUser;
    QHash<qint64, int> m_onlineCount; // user -> attached sessions that count as online
};

} // namespace natter::server
