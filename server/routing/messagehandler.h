#pragma once

#include "common/protocol/requests.h"
#include "server/routing/handler.h"

namespace natter::server {

struct UserEntry;
struct RoomEntry;

// send, ack, history, read, typing: the conversation traffic.
class MessageHandler : public Handler
{
public:
    using Handler::Handler;

    void handle(Session *s, const protocol::SendRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::AckRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::HistoryRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::ReadRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::TypingRequest &req, const Reply &reply);

private:
    // Resolves a user name or #room for the session's user (me); answers not_found/forbidden itself.
    struct Target {
        qint64 me = 0;
        const UserEntry *user = nullptr;
        const RoomEntry *room = nullptr;
    };
    std::optional<Target> resolve(Session *s, const QString &name, const Reply &reply) const;
    // The same for requests that have no reply (read, typing): answers "none" once the name is resolved.
    std::optional<Target> resolveUnanswered(Session *s, const QString &name, const Reply &reply) const;
};

} // namespace natter::server
