#include "bench/stats.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace natter::bench {

using namespace Qt::StringLiterals;

qint64 nowNs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}

void say(const QString &line)
{
    static QTextStream out(stdout);
    out << line << Qt::endl;
}

double round3(double value)
{
    return std::round(value * 1000.0) / 1000.0;
}

QJsonObject LatencySummary::toJson() const
{
    return {{"count"_L1, count},          {"mean"_L1, round3(meanMs)}, {"p50"_L1, round3(p50Ms)},
            {"p90"_L1, round3(p90Ms)},    {"p99"_L1, round3(p99Ms)},   {"max"_L1, round3(maxMs)}};
}

QString LatencySummary::toString() const
{
    if (count == 0)
        return u"no samples"_s;
    return u"p50 %1 ms, p90 %2 ms, p99 %3 ms, max %4 ms, mean %5 ms (n=%6)"_s.arg(p50Ms, 0, 'f', 3)
        .arg(p90Ms, 0, 'f', 3)
        .arg(p99Ms, 0, 'f', 3)
        .arg(maxMs, 0, 'f', 3)
        .arg(meanMs, 0, 'f', 3)
        .arg(count);
}

LatencySummary LatencySamples::summarize()
{
    LatencySummary s;
    s.count = count();
    if (m_ns.empty())
        return s;
    std::sort(m_ns.begin(), m_ns.end());
    const auto rank = [this](double p) {
        const auto n = double(m_ns.size());
        const auto idx = size_t(std::max(0.0, std::ceil(p * n) - 1));
        return double(m_ns[std::min(idx, m_ns.size() - 1)]) / 1e6;
    };
    double sum = 0;
    for (qint64 v : m_ns)
        sum += double(v);
    s.meanMs = sum / double(m_ns.size()) / 1e6;
    s.p50Ms = rank(0.50);
    s.p90Ms = rank(0.90);
    s.p99Ms = rank(0.99);
    s.maxMs = double(m_ns.back()) / 1e6;
    return s;
}

namespace {

// The first number on the line of a /proc file that starts with `key`.
std::optional<qint64> readProcNumber(const QString &path, QLatin1StringView key, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return std::nullopt;
    }
    static const QRegularExpression number(u"(\\d+)"_s);
    const QByteArray all = f.readAll();
    for (const QByteArray &line : all.split('\n')) {
        if (!line.startsWith(QByteArrayView(key)))
            continue;
        const auto m = number.match(QString::fromLatin1(line.mid(key.size())));
        if (m.hasMatch())
            return m.captured(1).toLongLong();
    }
    if (error)
        *error = u"no '%1' in %2"_s.arg(key, path);
    return std::nullopt;
}

} // namespace

std::optional<qint64> readVmRssKb(qint64 pid, QString *error)
{
    return readProcNumber(u"/proc/%1/status"_s.arg(pid), "VmRSS:"_L1, error);
}

std::optional<qint64> readMaxOpenFiles(qint64 pid)
{
    return readProcNumber(u"/proc/%1/limits"_s.arg(pid), "Max open files"_L1, nullptr);
}

qint64 raiseOpenFileLimit()
{
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur == RLIM_INFINITY ? -1 : qint64(rl.rlim_cur);
}

} // namespace natter::bench
