#pragma once

#include "common/protocol/events.h"

#include <QString>

namespace natter::client {

enum class MessageState { Queued, Sent, Delivered, Read, Received, Failed };
QString messageStateName(MessageState state); // "queued", "sent", ...
MessageState messageStateFromName(const QString &name); // history's state field; unknown -> Sent

// One message as the user sees it. `id` is 0 while it waits in the outbox.
struct LocalMessage {
    qint64 id = 0;
    QString cid;
    QString peer; // the conversation: the other user, "#room", or the user themself for notes
    QString from;
    QString to;
    QString body;
    qint64 tsMs = 0;
    MessageState state = MessageState::Received;
    bool isOwn = false;
};

struct OutboxEntry {
    QString cid;
    QString to;
    QString body;
    qint64 createdMs = 0;
};

struct ConversationSummary {
    QString peer;
    qint64 lastId = 0;
    qint64 lastTsMs = 0;
    QString lastFrom;
    QString lastBody;
    int unread = 0;
};

// Whether an own message may go from `current` to `next`: forward only (queued < sent < delivered < read),
// failed only from queued; a failed one the server did take after all (history says so) comes back.
bool stateAdvances(MessageState current, MessageState next);

// A server message as `self` sees it: its conversation, whether it is their own, its state.
LocalMessage fromChatMessage(const QString &self, const protocol::ChatMessage &message);
// The conversation a message belongs to, seen from `self`.
QString peerOf(const QString &self, const QString &from, const QString &to);

} // namespace natter::client
