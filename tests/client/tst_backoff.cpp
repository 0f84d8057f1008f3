// BackoffPolicy: reconnect delays with full jitter above a floor. The random source is injected, so every
// bound is checked exactly, with no clock and no sleeps.
#include "client/net/backoff.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTest>

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

using natter::client::BackoffConfig;
using natter::client::BackoffPolicy;

namespace {

constexpr double kAlmostOne = 0.99999999;

// A random source that always returns `value`.
std::function<double()> constant(double value)
{
    return [value] { return value; };
}

// The documented ceiling for the default configuration: min(30 s, 1 s * 2^n), computed without shifting.
int expectedDefaultCeiling(int attempt)
{
    qint64 ceiling = 1000;
    for (int i = 0; i < attempt && ceiling < 30'000; ++i)
        ceiling *= 2;
    return int(std::min<qint64>(ceiling, 30'000));
}

} // namespace

class TestBackoff : public QObject
{
    Q_OBJECT

private slots:
    void firstDelay_data();
    void firstDelay();
    void ceilingDoublesAndCaps();
    void delayWithinBounds_data();
    void delayWithinBounds();
    void hugeAttemptCounts();
    void delaysGrowWithAttempts();
    void resetStartsOver();
    void customConfig();
    void defaultRandomSpreads();
};

void TestBackoff::firstDelay_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("expected");
    QTest::newRow("0") << 0.0 << 500;
    QTest::newRow("0.5") << 0.5 << 750;
    QTest::newRow("almost 1") << kAlmostOne << 999;
    QTest::newRow("1") << 1.0 << 1000;
    // Out-of-contract values from a broken source are clamped, never below the floor or above the ceiling.
    QTest::newRow("negative") << -3.0 << 500;
    QTest::newRow("above 1") << 7.0 << 1000;
}

void TestBackoff::firstDelay()
{
    QFETCH(double, random);
    QFETCH(int, expected);
    BackoffPolicy policy({}, constant(random));
    QCOMPARE(policy.attempts(), 0);
    const int delay = policy.nextDelayMs();
    QCOMPARE(delay, expected);
    QVERIFY(delay >= 500 && delay <= 1000);
    QCOMPARE(policy.attempts(), 1);
}

void TestBackoff::ceilingDoublesAndCaps()
{
    const BackoffPolicy policy;
    QCOMPARE(policy.ceilingMs(0), 1000);
    QCOMPARE(policy.ceilingMs(1), 2000);
    QCOMPARE(policy.ceilingMs(2), 4000);
    QCOMPARE(policy.ceilingMs(3), 8000);
    QCOMPARE(policy.ceilingMs(4), 16'000);
    QCOMPARE(policy.ceilingMs(5), 30'000); // 32 s capped
    QCOMPARE(policy.ceilingMs(6), 30'000);
    for (int n = 1; n <= 40; ++n) {
        const int previous = policy.ceilingMs(n - 1);
        const int current = policy.ceilingMs(n);
        QCOMPARE(current, std::min(previous * 2, 30'000));
    }
}

void TestBackoff::delayWithinBounds_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("attempt");
    const QList<std::pair<const char *, double>> randoms = {
        {"0", 0.0}, {"0.5", 0.5}, {"0.999", kAlmostOne}, {"1", 1.0}};
    for (const auto &[name, random] : randoms) {
        for (int attempt = 0; attempt <= 40; ++attempt)
            QTest::addRow("r=%s n=%d", name, attempt) << random << attempt;
    }
}

void TestBackoff::delayWithinBounds()
{
    QFETCH(double, random);
    QFETCH(int, attempt);
    BackoffPolicy policy({}, constant(random));
    for (int i = 0; i < attempt; ++i)
        policy.nextDelayMs();
    QCOMPARE(policy.attempts(), attempt);

    const int ceiling = policy.ceilingMs(attempt);
    QCOMPARE(ceiling, expectedDefaultCeiling(attempt));
    const int delay = policy.nextDelayMs();
    QVERIFY2(delay >= 500, qPrintable(QString::number(delay)));
    QVERIFY2(delay <= ceiling, qPrintable(QString::number(delay)));
    QVERIFY(delay <= 30'000);
    // Full jitter: the delay is the floor plus the random share of the span, exactly.
    QCOMPARE(delay, 500 + int(random * (ceiling - 500)));
    if (random == 0.0)
        QCOMPARE(delay, 500);
    if (random == 1.0)
        QCOMPARE(delay, ceiling);
}

void TestBackoff::hugeAttemptCounts()
{
    const BackoffPolicy policy({}, constant(1.0));
    for (int attempt : {41, 62, 63, 64, 65, 1000, 1 << 20, std::numeric_limits<int>::max() - 1,
                        std::numeric_limits<int>::max()}) {
        QCOMPARE(policy.ceilingMs(attempt), 30'000);
    }
    // Negative attempts (never produced, but harmless) count as the first one.
    QCOMPARE(policy.ceilingMs(-1), 1000);
    QCOMPARE(policy.ceilingMs(std::numeric_limits<int>::min()), 1000);

    // Many consecutive attempts stay at the cap and never wrap around.
    BackoffPolicy running({}, constant(1.0));
    for (int i = 0; i < 10'000; ++i) {
        const int delay = running.nextDelayMs();
        QVERIFY(delay >= 500 && delay <= 30'000);
    }
    QCOMPARE(running.attempts(), 10'000);
    QCOMPARE(running.nextDelayMs(), 30'000);
}

void TestBackoff::delaysGrowWithAttempts()
{
    // With the largest random value the sequence is exactly the ceilings: 1, 2, 4, 8, 16, 30, 30 s.
    BackoffPolicy policy({}, constant(1.0));
    QList<int> delays;
    for (int i = 0; i < 7; ++i)
        delays.append(policy.nextDelayMs());
    QCOMPARE(delays, (QList<int>{1000, 2000, 4000, 8000, 16'000, 30'000, 30'000}));
}

void TestBackoff::resetStartsOver()
{
    BackoffPolicy policy({}, constant(1.0));
    for (int i = 0; i < 10; ++i)
        policy.nextDelayMs();
    QCOMPARE(policy.attempts(), 10);
    QCOMPARE(policy.nextDelayMs(), 30'000);

    policy.reset();
    QCOMPARE(policy.attempts(), 0);
    QCOMPARE(policy.nextDelayMs(), 1000);
    QCOMPARE(policy.nextDelayMs(), 2000);
    QCOMPARE(policy.attempts(), 2);

    policy.reset();
    policy.reset(); // idempotent
    QCOMPARE(policy.attempts(), 0);
    QCOMPARE(policy.nextDelayMs(), 1000);
}

void TestBackoff::customConfig()
{
    BackoffConfig config;
    config.floorMs = 100;
    config.baseMs = 250;
    config.capMs = 5000;

    const BackoffPolicy ceilings(config);
    QCOMPARE(ceilings.ceilingMs(0), 250);
    QCOMPARE(ceilings.ceilingMs(1), 500);
    QCOMPARE(ceilings.ceilingMs(2), 1000);
    QCOMPARE(ceilings.ceilingMs(3), 2000);
    QCOMPARE(ceilings.ceilingMs(4), 4000);
    QCOMPARE(ceilings.ceilingMs(5), 5000);
    QCOMPARE(ceilings.ceilingMs(40), 5000);
    QCOMPARE(ceilings.ceilingMs(std::numeric_limits<int>::max()), 5000);

    BackoffPolicy low(config, constant(0.0));
    BackoffPolicy high(config, constant(1.0));
    for (int n = 0; n <= 40; ++n) {
        QCOMPARE(low.nextDelayMs(), 100);
        QCOMPARE(high.nextDelayMs(), ceilings.ceilingMs(n));
    }

    // A base below the floor: the ceiling never drops below the floor, so the delay is the floor.
    BackoffConfig tiny;
    tiny.floorMs = 800;
    tiny.baseMs = 100;
    tiny.capMs = 1000;
    BackoffPolicy clamped(tiny, constant(1.0));
    QCOMPARE(clamped.ceilingMs(0), 800);
    QCOMPARE(clamped.nextDelayMs(), 800);
    QCOMPARE(clamped.nextDelayMs(), 800); // 200 -> floor
    QCOMPARE(clamped.nextDelayMs(), 800); // 400 -> floor
    QCOMPARE(clamped.nextDelayMs(), 800); // 800
    QCOMPARE(clamped.nextDelayMs(), 1000); // 1600 -> cap
}

void TestBackoff::defaultRandomSpreads()
{
    BackoffPolicy policy; // QRandomGenerator::global()
    const int attempt = 5;
    const int ceiling = policy.ceilingMs(attempt);
    QCOMPARE(ceiling, 30'000);
    QSet<int> seen;
    qint64 sum = 0;
    const int draws = 1000;
    for (int i = 0; i < draws; ++i) {
        policy.reset();
        for (int n = 0; n < attempt; ++n)
            policy.nextDelayMs();
        const int delay = policy.nextDelayMs();
        QVERIFY2(delay >= 500 && delay <= ceiling, qPrintable(QString::number(delay)));
        seen.insert(delay);
        sum += delay;
    }
    // 1000 uniform draws from [500, 30000]: far more than a handful of distinct values, and the mean
    // lies well inside the span (expected 15250; the bounds are many standard deviations wide).
    QVERIFY2(seen.size() > 100, qPrintable(QString::number(seen.size())));
    const double mean = double(sum) / draws;
    QVERIFY2(mean > 10'000 && mean < 20'500, qPrintable(QString::number(mean)));
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
