#include "server/net/longpollsession.h"

#include "server/serverlogging.h"

namespace natter::server {

using namespace Qt::StringLiterals;

LongPollSession::LongPollSession(qint64 userId, qint64 deviceId, int presenceWindowMs, QObject *parent)
    : Session(parent), m_userId(userId), m_deviceId(deviceId)
{
    m_expiry.setSingleShot(true);
    m_expiry.setInterval(presenceWindowMs);
    connect(&m_expiry, &QTimer::timeout, this, &LongPollSession::expired);
}

QString LongPollSession::describe() const
{
    return u"lp user %1 device %2"_s.arg(m_userId).arg(m_deviceId);
}

void LongPollSession::caughtUpWithQueue()
{
    m_caughtUp = true;
    emit caughtUp();
}

void LongPollSession::deliver(const Frame &frame)
{
    if (frame.isMessage()) {
        m_unacked.insert(frame.messageId(), frame.json());
    } else {
        if (m_live.size() >= kMaxLiveEvents) {
            m_live.removeFirst();
            qCDebug(lcNet) << describe() << "live event buffer full, dropped the oldest";
        }
        m_live.append(frame.json());
    }
    emit eventsAvailable();
}

void LongPollSession::signedOut()
{
    emit revoked();
}

void LongPollSession::messagesAcked(const QList<qint64> &ids)
{
    for (qint64 id : ids)
        m_unacked.remove(id);
}

QByteArray LongPollSession::takeEvents()
{
    QByteArray out = "{\"events\":[";
    bool first = true;
    auto append = [&](const QByteArray &json) {
        if (!first)
            out += ',';
        out += json;
        first = false;
    };
    int count = 0;
    for (auto it = m_unacked.cbegin(); it != m_unacked.cend() && count < kMaxMessagesPerPoll; ++it, ++count)
        append(it.value());
    for (const QByteArray &json : std::as_const(m_live))
        append(json);
    m_live.clear();
    out += "]}";
    return out;
}

} // namespace natter::server
