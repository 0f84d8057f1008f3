#pragma once

#include "common/protocol/requests.h"
#include "server/routing/context.h"
#include "server/routing/reply.h"

namespace natter::server {

class Session;
struct UserEntry;
struct RoomEntry;

// send, ack, history, read, typing: the conversation traffic.
class MessageHandler
{
public:
    explicit MessageHandler(RouterContext &ctx) : m_ctx(ctx) {}

    void handle(Session *s, const protocol::SendRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::AckRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::HistoryRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::ReadRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::TypingRequest &req, const Reply &reply);

private:
    // Resolves a user name or #room for the session's user; answers not_found/forbidden itself.
    struct Target {
        const UserEntry *user = nullptr;
        const RoomEntry *room = nullptr;
    };
    std::optional<Target> resolve(Session *s, const QString &name, const Reply &reply) const;

    RouterContext &m_ctx;
};

} // namespace natter::server
