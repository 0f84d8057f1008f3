#pragma once

#include "common/protocol/errors.h"
#include "server/routing/session.h"

#include <QJsonObject>
#include <QString>

namespace natter::server {

// The answer to one request: copies the request's rid into whatever is sent. Cheap to copy into callbacks.
class Reply
{
public:
    Reply(ReplyFn fn, QString rid, bool hasRid) : m_fn(std::move(fn)), m_rid(std::move(rid)), m_hasRid(hasRid) {}

    void send(QJsonObject envelope) const;
    void error(protocol::ErrorCode code, const QString &message) const;
    void none() const { m_fn(std::nullopt); }

private:
    ReplyFn m_fn;
    QString m_rid;
    bool m_hasRid = false;
};

} // namespace natter::server
