#pragma once

#include <QtGlobal>

#include <functional>

namespace natter::client {

struct BackoffConfig {
    int floorMs = 500;
    int baseMs = 1000;
    int capMs = 30'000;
};

// Reconnect delays: exponential with full jitter above a floor. Attempt n waits a uniformly random time in
// [floor, min(cap, base * 2^n)]: 0.5-1 s first, then growing to at most 30 s, forever. The random source
// is injected so that tests can check the bounds without sleeping.
class BackoffPolicy
{
public:
    // random() returns a value in [0, 1).
    explicit BackoffPolicy(BackoffConfig config = {}, std::function<double()> random = {});

    // The delay before the next attempt; counts the attempt.
    int nextDelayMs();
    // The ceiling of the delay for attempt n (without jitter).
    int ceilingMs(int attempt) const;
    int attempts() const { return m_attempt; }
    // After a stable connection: start from the shortest delay again.
    void reset() { m_attempt = 0; }

private:
    BackoffConfig m_config;
    std::function<double()> m_random;
    int m_attempt = 0;
};

} // namespace natter::client
