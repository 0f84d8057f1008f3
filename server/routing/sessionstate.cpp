#include "server/routing/sessionstate.h"

#include "server/routing/session.h"

namespace natter::server {

quint64 SessionState::signIn(const Identity &identity)
{
    m_identity = identity;
    m_held.clear();
    m_queued.clear();
    m_catchingUp = true;
    return ++m_catchUpTicket;
}

void SessionState::signOff()
{
    m_identity = {};
    m_catchingUp = false;
    m_held.clear();
    m_queued.clear();
    m_watchesPresence = false;
}

void SessionState::holdOrDeliver(const Frame &frame)
{
    if (m_catchingUp)
        m_held.append(frame);
    else
        m_door.deliver(frame);
}

void SessionState::deliverQueued(const Frame &frame)
{
    if (frame.isMessage())
        m_queued.insert(frame.messageId());
    m_door.deliver(frame);
}

QList<Frame> SessionState::finishCatchUp()
{
    m_catchingUp = false;
    QList<Frame> out;
    const QList<Frame> held = std::exchange(m_held, {});
    for (const Frame &f : held) {
        if (!f.isMessage() || !m_queued.contains(f.messageId()))
            out.append(f);
    }
    m_queued.clear();
    return out;
}

bool SessionState::deferWhileAuthenticating(const protocol::Request &request, const ReplyFn &reply)
{
    if (!m_authenticating)
        return false;
    m_deferred.append({request, reply});
    return true;
}

QList<SessionState::DeferredRequest> SessionState::settleAuthentication()
{
    m_authenticating = false;
    return std::exchange(m_deferred, {});
}

} // namespace natter::server
