#include "bench/idlerun.h"

#include "bench/benchuser.h"
#include "bench/stats.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
// Time for the server to finish its work on the last handshakes before RSS is read again.
constexpr int kSettleMs = 1000;
}

IdleRun::IdleRun(BenchOptions options, QObject *parent) : Run(std::move(options), parent)
{
    m_settleTimer.setSingleShot(true);
    m_settleTimer.setInterval(kSettleMs);
    connect(&m_settleTimer, &QTimer::timeout, this, &IdleRun::measureAfter);
    m_holdTimer.setSingleShot(true);
    m_holdTimer.setInterval(int(m_options.holdS * 1000));
    connect(&m_holdTimer, &QTimer::timeout, this, [this] {
        say(u"held %1 connections for %2 s without a disconnect; closing"_s.arg(m_idle.size()).arg(m_options.holdS));
        complete(kExitOk);
    });
}

void IdleRun::start()
{
    const qint64 ownLimit = raiseOpenFileLimit();
    if (ownLimit > 0 && ownLimit < m_options.connections + 64)
        say(u"warning: this process may open only %1 files; %2 connections need more (ulimit -n)"_s.arg(ownLimit).arg(
            m_options.connections));
    if (m_options.pid > 0) {
        const auto serverLimit = readMaxOpenFiles(m_options.pid);
        if (serverLimit && *serverLimit < m_options.connections + 64)
            say(u"warning: the server (pid %1) may open only %2 files; expect failures beyond that"_s
                    .arg(m_options.pid)
                    .arg(*serverLimit));
    }
    say(u"idle: %1 connections resuming one user's token, run id %2"_s.arg(m_options.connections).arg(m_options.runId));
    m_owner = createUser(0, u"b"_s + m_options.runId + u"-idle"_s);
    connectUsers(u"registering"_s, {m_owner}, 1,
                 [this](BenchUser *u) { u->registerUser(m_options.password, m_options.device); },
                 [this](double) { onRegistered(); });
}

void IdleRun::stopActivity()
{
    m_settleTimer.stop();
    m_holdTimer.stop();
}

std::optional<qint64> IdleRun::readRss(const char *when)
{
    if (m_options.pid <= 0)
        return std::nullopt;
    QString error;
    const auto rss = readVmRssKb(m_options.pid, &error);
    if (!rss)
        say(u"warning: %1"_s.arg(error));
    else
        say(u"server VmRSS %1: %2 KiB"_s.arg(QLatin1StringView(when)).arg(*rss));
    return rss;
}

void IdleRun::onRegistered()
{
    m_rssBefore = readRss("before");
    for (int i = 1; i <= m_options.connections; ++i)
        m_idle.append(createUser(i, m_owner->name()));
    const QString token = m_owner->token();
    connectUsers(u"connecting"_s, m_idle, m_options.connectConcurrency,
                 [this, token](BenchUser *u) { u->resume(token, m_options.device); },
                 [this](double seconds) { onConnected(seconds); });
}

void IdleRun::onConnected(double seconds)
{
    m_connectS = seconds;
    say(u"connected %1 idle connections in %2 s = %3 connections/s"_s.arg(m_idle.size())
            .arg(seconds, 0, 'f', 3)
            .arg(double(m_idle.size()) / seconds, 0, 'f', 0));
    m_figures = {{"connected"_L1, m_idle.size()},
                 {"connect_s"_L1, round3(seconds)},
                 {"connects_per_s"_L1, qRound64(double(m_idle.size()) / seconds)}};
    m_settleTimer.start();
}

void IdleRun::measureAfter()
{
    const auto after = readRss("after");
    if (m_rssBefore && after) {
        const double perConnection = double(*after - *m_rssBefore) / double(m_idle.size());
        say(u"server RSS per idle connection: %1 KiB ((%2 - %3) KiB / %4)"_s.arg(perConnection, 0, 'f', 2)
                .arg(*after)
                .arg(*m_rssBefore)
                .arg(m_idle.size()));
        m_figures.insert("rss_before_kb"_L1, *m_rssBefore);
        m_figures.insert("rss_after_kb"_L1, *after);
        m_figures.insert("rss_per_connection_kb"_L1, round3(perConnection));
    }
    say(u"holding for %1 s"_s.arg(m_options.holdS));
    m_holdTimer.start();
}

} // namespace natter::bench
