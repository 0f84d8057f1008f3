#pragma once

#include <QList>

namespace natter::server {

class Frame;
class Session;

// Where the router's decisions go: "these devices / these users get this frame". The handlers decide who;
// a Fanout carries it. Today the one implementation is the SessionRegistry of this process; a multi-node
// backend (PostgreSQL LISTEN/NOTIFY) would publish the same calls to the other nodes and deliver locally,
// with no change to the handlers.
class Fanout
{
public:
    virtual ~Fanout() = default;
    virtual void deliverToDevices(const QList<qint64> &deviceIds, const Frame &frame, const Session *except = nullptr) = 0;
    virtual void deliverToUsers(const QList<qint64> &userIds, const Frame &frame, const Session *except = nullptr) = 0;
    // Every session that asked for `users` (it hears every presence change), except those of these users.
    virtual void deliverToPresenceWatchers(const Frame &frame, const QList<qint64> &exceptUsers) = 0;
};

} // namespace natter::server
