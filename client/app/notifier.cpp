#include "client/app/notifier.h"

#include <QTimer>

namespace natter::app {

using namespace Qt::StringLiterals;

namespace {
constexpr int kMaxBody = 200;
}

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{}

bool Notifier::shouldNotify(const client::LocalMessage &message) const
{
    return m_enabled && !message.isOwn && !isWindowActive();
}

QString Notifier::titleFor(const client::LocalMessage &message)
{
    if (message.peer.startsWith(u'#'))
        return tr("%1 in %2").arg(message.from, message.peer);
    return message.from;
}

QString Notifier::bodyFor(const client::LocalMessage &message)
{
    QString body = message.body.simplified();
    if (body.size() > kMaxBody)
        body = body.left(kMaxBody - 1) + u'…';
    return body;
}

void Notifier::addMessage(const client::LocalMessage &message, bool live)
{
    if (message.isOwn || !live)
        return;
    m_pending.append(message);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QTimer::singleShot(0, this, &Notifier::flush);
    }
}

void Notifier::flush()
{
    m_flushScheduled = false;
    QList<client::LocalMessage> live;
    for (const client::LocalMessage &m : std::as_const(m_pending)) {
        if (shouldNotify(m))
            live.append(m);
    }
    m_pending.clear();
    if (live.size() == 1) {
        emit notify(titleFor(live.first()), bodyFor(live.first()));
    } else if (live.size() > 1) {
        QStringList from;
        for (const client::LocalMessage &m : std::as_const(live)) {
            if (!from.contains(m.from))
                from.append(m.from);
        }
        emit notify(tr("%n new messages", nullptr, int(live.size())), tr("From %1").arg(from.join(u", "_s)));
    }
}

} // namespace natter::app
