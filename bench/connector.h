#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace natter::bench {

class BenchUser;

// Opens and authenticates a list of users with a bounded number in flight, each within a time limit,
// printing progress. Ends in finished(): every user ready, or the first timeout (failures of the users
// themselves are reported by their own failed() signal, which the run watches).
class Connector : public QObject
{
    Q_OBJECT
public:
    // `authenticate` starts one user's connection (e.g. calls registerUser() or resume()).
    Connector(QString label, QList<BenchUser *> users, int concurrency, int timeoutMs, bool quiet,
              std::function<void(BenchUser *)> authenticate, QObject *parent = nullptr);

    void start();
    void stop();
    double elapsedS() const;
    int readyCount() const { return m_ready; }

signals:
    void finished(bool ok, const QString &error);

private:
    void launchMore();
    void onReady(BenchUser *user);
    void tick();
    void finish(bool ok, const QString &error);

    QString m_label;
    QList<BenchUser *> m_users;
    int m_concurrency;
    int m_timeoutMs;
    bool m_quiet;
    std::function<void(BenchUser *)> m_authenticate;
    qsizetype m_next = 0;
    int m_ready = 0;
    QHash<BenchUser *, qint64> m_deadlines; // in flight: deadline in nowNs()
    QTimer m_tick;
    qint64 m_startNs = 0;
    qint64 m_endNs = 0;
    qint64 m_lastReportNs = 0;
    bool m_done = false;
};

} // namespace natter::bench
