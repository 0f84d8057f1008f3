#pragma once

#include "bench/run.h"

#include <QTimer>

#include <optional>

namespace natter::bench {

// Mode `idle`: one user registers, then N connections resume with its token and device and stay idle.
// Reports how long connecting took and, given the server's pid, its RSS growth per idle connection.
class IdleRun final : public Run
{
    Q_OBJECT
public:
    explicit IdleRun(BenchOptions options, QObject *parent = nullptr);

    void start() override;

protected:
    void stopActivity() override;

private:
    void onRegistered();
    void onConnected(double seconds);
    void measureAfter();
    std::optional<qint64> readRss(const char *when);

    BenchUser *m_owner = nullptr;
    QList<BenchUser *> m_idle;
    std::optional<qint64> m_rssBefore;
    double m_connectS = 0;
    QTimer m_settleTimer;
    QTimer m_holdTimer;
};

} // namespace natter::bench
