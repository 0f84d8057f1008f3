#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace natter::bench {

// Nanoseconds on a monotonic clock, shared by every part of the tool.
qint64 nowNs();

// One human-readable line to stdout, flushed.
void say(const QString &line);

struct LatencySummary {
    qsizetype count = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;

    QJsonObject toJson() const;
    // "p50 0.412 ms, p90 ..., p99 ..., max ... (n=1000)"
    QString toString() const;
};

// Latency samples in nanoseconds; percentiles by the nearest-rank method.
class LatencySamples
{
public:
    void reserve(qsizetype n) { m_ns.reserve(size_t(n)); }
    void add(qint64 ns) { m_ns.push_back(ns); }
    qsizetype count() const { return qsizetype(m_ns.size()); }
    LatencySummary summarize(); // sorts the samples

private:
    std::vector<qint64> m_ns;
};

// Rounded to three decimals (milliseconds to microseconds, seconds to milliseconds), for JSON.
double round3(double value);

// VmRSS of a process in KiB, from /proc/PID/status.
std::optional<qint64> readVmRssKb(qint64 pid, QString *error);
// The soft "Max open files" limit of a process, from /proc/PID/limits.
std::optional<qint64> readMaxOpenFiles(qint64 pid);
// Raises this process's soft open-file limit to its hard limit; returns the new soft limit.
qint64 raiseOpenFileLimit();

} // namespace natter::bench
