#pragma once

#include "server/routing/context.h"
#include "server/routing/reply.h"

namespace natter::server {

class Session;

// What every request handler is: a set of handle(Session *, const XRequest &, const Reply &) overloads over
// the services of the RouterContext. The Router dispatches each request type to one handler.
class Handler
{
public:
    explicit Handler(RouterContext &ctx)
        : m_ctx(ctx)
    {}

protected:
    RouterContext &m_ctx;
};

} // namespace natter::server
