#pragma once

#include "common/protocol/requests.h"
#include "server/routing/handler.h"

namespace natter::server {

// join, leave, rooms, users; and presence: who hears that a user came online or went offline.
class RoomHandler : public Handler
{
public:
    using Handler::Handler;

    void handle(Session *s, const protocol::JoinRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LeaveRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::RoomsRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::UsersRequest &req, const Reply &reply);

    // Tells a user's audience (direct contacts, room mates, those who asked for `users`).
    void announcePresence(qint64 userId, bool online);

private:
    QStringList memberNames(qint64 roomId) const;
    // Tells the room's members and the user's other sessions (all but `except`).
    void announceMember(const Session *except, qint64 userId, qint64 roomId, bool joined);

};

} // namespace natter::server
