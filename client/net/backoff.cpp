#include "client/net/backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace natter::client {

BackoffPolicy::BackoffPolicy(BackoffConfig config, std::function<double()> random)
    : m_config(config), m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

int BackoffPolicy::ceilingMs(int attempt) const
{
    const int shift = std::clamp(attempt, 0, 20);
    const qint64 grown = qint64(m_config.baseMs) << shift;
    return int(std::clamp<qint64>(grown, m_config.floorMs, m_config.capMs));
}

int BackoffPolicy::nextDelayMs()
{
    const int ceiling = ceilingMs(m_attempt);
    ++m_attempt;
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return m_config.floorMs + int(r * (ceiling - m_config.floorMs));
}

} // namespace natter::client
