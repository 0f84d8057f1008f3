#include "client/storage/localmessage.h"

#include "common/protocol/validation.h"

namespace natter::client {

using namespace Qt::StringLiterals;
using protocol::ChatMessage;

QString messageStateName(MessageState state)
{
    switch (state) {
    case MessageState::Queued: return u"queued"_s;
    case MessageState::Sent: return u"sent"_s;
    case MessageState::Delivered: return u"delivered"_s;
    case MessageState::Read: return u"read"_s;
    case MessageState::Received: return u"received"_s;
    case MessageState::Failed: return u"failed"_s;
    }
    return u"sent"_s;
}

MessageState messageStateFromName(const QString &name)
{
    if (name == "delivered"_L1)
        return MessageState::Delivered;
    if (name == "read"_L1)
        return MessageState::Read;
    return MessageState::Sent;
}

bool stateAdvances(MessageState current, MessageState next)
{
    if (current == next || next == MessageState::Received || current == MessageState::Received)
        return false;
    if (next == MessageState::Failed)
        return current == MessageState::Queued;
    if (current == MessageState::Failed)
        return next != MessageState::Queued;
    return int(next) > int(current);
}

LocalMessage fromChatMessage(const QString &self, const ChatMessage &c)
{
    const bool own = protocol::nameKey(c.from) == protocol::nameKey(self);
    const MessageState state =
        own ? (c.state.isEmpty() ? MessageState::Sent : messageStateFromName(c.state)) : MessageState::Received;
    return {c.id, c.cid, peerOf(self, c.from, c.to), c.from, c.to, c.body, c.tsMs, state, own};
}

QString peerOf(const QString &self, const QString &from, const QString &to)
{
    if (to.startsWith(u'#'))
        return to;
    return protocol::nameKey(from) == protocol::nameKey(self) ? to : from;
}

} // namespace natter::client
