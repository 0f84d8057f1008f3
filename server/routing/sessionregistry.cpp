#include "server/routing/sessionregistry.h"

#include "server/routing/session.h"

namespace natter::server {

void SessionRegistry::attach(Session *session)
{
    if (m_all.contains(session) || !session->isAuthenticated())
        return;
    m_all.insert(session);
    const Identity &id = session->identity();
    m_byDevice[id.deviceId].append(session);
    QList<Session *> &ofUser = m_byUser[id.userId];
    ofUser.append(session);
    if (ofUser.size() == 1)
        emit userOnlineChanged(id.userId, true);
}

void SessionRegistry::detach(Session *session)
{
    if (!m_all.remove(session))
        return;
    const Identity &id = session->identity();
    auto dev = m_byDevice.find(id.deviceId);
    if (dev != m_byDevice.end()) {
        dev->removeOne(session);
        if (dev->isEmpty())
            m_byDevice.erase(dev);
    }
    auto user = m_byUser.find(id.userId);
    if (user != m_byUser.end()) {
        user->removeOne(session);
        if (user->isEmpty()) {
            m_byUser.erase(user);
            emit userOnlineChanged(id.userId, false);
        }
    }
}

QList<Session *> SessionRegistry::sessionsWithToken(const QByteArray &tokenHash) const
{
    QList<Session *> out;
    for (Session *s : m_all) {
        if (s->identity().tokenHash == tokenHash)
            out.append(s);
    }
    return out;
}

QList<Session *> SessionRegistry::presenceWatchers() const
{
    QList<Session *> out;
    for (Session *s : m_all) {
        if (s->watchesPresence())
            out.append(s);
    }
    return out;
}

void SessionRegistry::deliver(Session *session, const Frame &frame)
{
    if (session->isCatchingUp())
        session->heldFrames().append(frame);
    else
        session->deliver(frame);
}

void SessionRegistry::deliverToDevices(const QList<qint64> &deviceIds, const Frame &frame, const Session *except)
{
    for (qint64 device : deviceIds) {
        const auto it = m_byDevice.constFind(device);
        if (it == m_byDevice.cend())
            continue;
        for (Session *s : *it) {
            if (s != except)
                deliver(s, frame);
        }
    }
}

void SessionRegistry::deliverToUsers(const QList<qint64> &userIds, const Frame &frame, const Session *except)
{
    for (qint64 user : userIds) {
        const auto it = m_byUser.constFind(user);
        if (it == m_byUser.cend())
            continue;
        for (Session *s : *it) {
            if (s != except)
                deliver(s, frame);
        }
    }
}

} // namespace natter::server
