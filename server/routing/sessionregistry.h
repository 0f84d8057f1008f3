#pragma once

#include "server/routing/fanout.h"
#include "server/routing/frame.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace natter::server {

class Session;

// Which sessions are online for which device and user, and delivery to them on this server.
// Tells when a user's first device comes online and when the last one goes.
class SessionRegistry : public QObject, public Fanout
{
    Q_OBJECT
public:
    using QObject::QObject;

    // The session's identity must be set. Attaching twice is harmless.
    void attach(Session *session);
    // Safe for sessions that are not attached.
    void detach(Session *session);

    bool isOnline(qint64 userId) const { return m_byUser.contains(userId); }
    QList<Session *> sessionsOfUser(qint64 userId) const { return m_byUser.value(userId); }
    QList<Session *> sessionsOfDevice(qint64 deviceId) const { return m_byDevice.value(deviceId); }
    QList<Session *> sessionsWithToken(const QByteArray &tokenHash) const;
    QList<Session *> presenceWatchers() const;
    qsizetype sessionCount() const { return m_all.size(); }

    // Hands a frame to one session, holding it back while the session catches up with its queue.
    static void deliver(Session *session, const Frame &frame);
    void deliverToDevices(const QList<qint64> &deviceIds, const Frame &frame, const Session *except = nullptr) override;
    void deliverToUsers(const QList<qint64> &userIds, const Frame &frame, const Session *except = nullptr) override;

signals:
    void userOnlineChanged(qint64 userId, bool online);

private:
    QSet<Session *> m_all;
    QHash<qint64, QList<Session *>> m_byDevice;
    QHash<qint64, QList<Session *>> m_byUser;
};

} // namespace natter::server
