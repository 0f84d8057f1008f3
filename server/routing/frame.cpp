#include "server/routing/frame.h"

#include "common/protocol/events.h"

namespace natter::server {

Frame::Frame(const QJsonObject &envelope, qint64 messageId)
    : m_json(protocol::encode(envelope)), m_text(QString::fromUtf8(m_json)), m_messageId(messageId)
{
}

Frame::Frame(const protocol::ChatMessage &message)
    : m_json(protocol::encodeMessage(message)), m_text(QString::fromUtf8(m_json)), m_messageId(message.id)
{
}

} // namespace natter::server
