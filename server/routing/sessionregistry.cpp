#include "server/routing/sessionregistry.h"

#include "server/routing/session.h"

namespace natter::server {

void SessionRegistry::attach(Session *session, Presence presence)
{
    const SessionState &state = session->routing();
    if (m_all.contains(session) || !state.isAuthenticated())
        return;
    m_all.insert(session);
    const Identity &id = state.identity();
    m_byDevice[id.deviceId].append(session);
    m_byUser[id.userId].append(session);
    if (presence == Presence::NotYetOnline)
        m_notYetOnline.insert(session);
    else
        countOnline(id.userId, +1);
}

void SessionRegistry::setOnline(Session *session)
{
    if (m_notYetOnline.remove(session))
        countOnline(session->routing().identity().userId, +1);
}

void SessionRegistry::detach(Session *session)
{
    if (!m_all.remove(session))
        return;
    const Identity &id = session->routing().identity();
    remove(m_byDevice, id.deviceId, session);
    remove(m_byUser, id.userId, session);
    if (!m_notYetOnline.remove(session))
        countOnline(id.userId, -1);
}

void SessionRegistry::remove(Index &index, qint64 key, Session *session)
{
    const auto it = index.find(key);
    if (it == index.end())
        return;
    it->removeOne(session);
    if (it->isEmpty())
        index.erase(it);
}

void SessionRegistry::countOnline(qint64 userId, int delta)
{
    int &count = m_onlineCount[userId];
    count += delta;
    if (count <= 0) {
        m_onlineCount.remove(userId);
        emit userOnlineChanged(userId, false);
    } else if (count == 1 && delta > 0) {
        emit userOnlineChanged(userId, true);
    }
}

QList<Session *> SessionRegistry::sessionsWithToken(const QByteArray &tokenHash) const
{
    QList<Session *> out;
    for (Session *s : m_all) {
        if (s->routing().identity().tokenHash == tokenHash)
            out.append(s);
    }
    return out;
}

void SessionRegistry::deliverVia(const Index &index, const QList<qint64> &keys, const Frame &frame,
                                 const Session *except)
{
    for (qint64 key : keys) {
        const auto it = index.constFind(key);
        if (it == index.cend())
            continue;
        for (Session *s : *it) {
            if (s != except)
                s->routing().holdOrDeliver(frame);
        }
    }
}

void SessionRegistry::deliverToDevices(const QList<qint64> &deviceIds, const Frame &frame, const Session *except)
{
    deliverVia(m_byDevice, deviceIds, frame, except);
}

void SessionRegistry::deliverToUsers(const QList<qint64> &userIds, const Frame &frame, const Session *except)
{
    deliverVia(m_byUser, userIds, frame, except);
}

void SessionRegistry::deliverToPresenceWatchers(const Frame &frame, const QList<qint64> &exceptUsers)
{
    const QSet<Session *> all = m_all; // a copy: delivering may not change whom we iterate
    for (Session *s : all) {
        const SessionState &state = s->routing();
        if (state.watchesPresence() && !exceptUsers.contains(state.identity().userId))
            s->routing().holdOrDeliver(frame);
    }
}

} // namespace natter::server
