#pragma once

#include "common/protocol/events.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace natter::server {

// One server -> client envelope, serialised once and shared (implicitly) by every recipient of a fan-out.
class Frame
{
public:
    Frame() = default;
    // messageId > 0 marks a chat message: it stays queued for the device until acked.
    explicit Frame(const QJsonObject &envelope, qint64 messageId = 0);
    // A `message` envelope, encoded without a QJsonObject.
    explicit Frame(const protocol::ChatMessage &message);

    const QByteArray &json() const { return m_json; }
    const QString &text() const { return m_text; }
    qint64 messageId() const { return m_messageId; }
    bool isMessage() const { return m_messageId > 0; }

private:
    QByteArray m_json;
    QString m_text;
    qint64 m_messageId = 0;
};

} // namespace natter::server
