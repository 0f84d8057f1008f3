#include "bench/connector.h"

#include "bench/benchuser.h"
#include "bench/stats.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

Connector::Connector(QString label, QList<BenchUser *> users, int concurrency, int timeoutMs, bool quiet,
                     std::function<void(BenchUser *)> authenticate, QObject *parent)
    : QObject(parent)
    , m_label(std::move(label))
    , m_users(std::move(users))
    , m_concurrency(concurrency)
    , m_timeoutMs(timeoutMs)
    , m_quiet(quiet)
    , m_authenticate(std::move(authenticate))
{
    m_tick.setInterval(100);
    connect(&m_tick, &QTimer::timeout, this, &Connector::tick);
}

void Connector::start()
{
    m_startNs = m_lastReportNs = nowNs();
    say(u"%1: %2 connection(s), %3 in flight"_s.arg(m_label).arg(m_users.size()).arg(m_concurrency));
    m_tick.start();
    for (BenchUser *user : std::as_const(m_users))
        connect(user, &BenchUser::ready, this, [this, user] { onReady(user); });
    launchMore();
}

void Connector::stop()
{
    m_done = true;
    m_tick.stop();
    if (m_endNs == 0)
        m_endNs = nowNs();
}

double Connector::elapsedS() const
{
    return double((m_endNs ? m_endNs : nowNs()) - m_startNs) / 1e9;
}

void Connector::launchMore()
{
    while (!m_done && m_deadlines.size() < m_concurrency && m_next < m_users.size()) {
        BenchUser *user = m_users.at(m_next++);
        m_deadlines.insert(user, nowNs() + qint64(m_timeoutMs) * 1'000'000);
        m_authenticate(user);
    }
    if (!m_done && m_ready == m_users.size())
        finish(true, {});
}

void Connector::onReady(BenchUser *user)
{
    if (m_done || !m_deadlines.remove(user))
        return;
    ++m_ready;
    launchMore();
}

void Connector::tick()
{
    if (m_done)
        return;
    const qint64 now = nowNs();
    for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend(); ++it) {
        if (it.value() < now) {
            finish(false, u"%1: no welcome for %2 within %3 s (%4 of %5 ready)"_s.arg(m_label, it.key()->name())
                              .arg(m_timeoutMs / 1000.0)
                              .arg(m_ready)
                              .arg(m_users.size()));
            return;
        }
    }
    if (!m_quiet && now - m_lastReportNs >= 1'000'000'000) {
        m_lastReportNs = now;
        const double s = double(now - m_startNs) / 1e9;
        say(u"  %1: %2/%3 ready after %4 s (%5/s)"_s.arg(m_label)
                .arg(m_ready)
                .arg(m_users.size())
                .arg(s, 0, 'f', 1)
                .arg(double(m_ready) / s, 0, 'f', 1));
    }
}

void Connector::finish(bool ok, const QString &error)
{
    stop();
    if (ok)
        say(u"%1: %2 ready in %3 s"_s.arg(m_label).arg(m_ready).arg(elapsedS(), 0, 'f', 3));
    emit finished(ok, error);
}

} // namespace natter::bench
