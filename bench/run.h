#pragma once

#include "bench/options.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace natter::bench {

class BenchUser;
class Connector;

// The life of one benchmark mode: users, their failures, the orderly bounded shutdown and the result.
class Run : public QObject
{
    Q_OBJECT
public:
    explicit Run(BenchOptions options, QObject *parent = nullptr);

    virtual void start() = 0;

    int exitCode() const { return m_exitCode; }
    // Parameters, figures, "ok" and, on failure, "error".
    QJsonObject result() const;

signals:
    // The run starts ending (failure or completion); connections are being closed.
    void ending();
    void finished();

protected:
    BenchUser *createUser(int index, const QString &name);
    // Connects `users` with the options' limits; calls `then` when every user is ready. Fails the run otherwise.
    void connectUsers(const QString &label, const QList<BenchUser *> &users, int concurrency,
                      std::function<void(BenchUser *)> authenticate, std::function<void(double seconds)> then);
    // Ends the run as failed (exit code kExitFailed) with the reason. Only the first call counts.
    void fail(const QString &reason);
    // Ends the run with the given exit code: closes every connection (bounded in time), then finished().
    void complete(int exitCode);
    bool isEnding() const { return m_ending; }
    // Called once when the run starts ending, so a mode can stop its timers.
    virtual void stopActivity() {}

    const BenchOptions m_options;
    QList<BenchUser *> m_users;
    QJsonObject m_figures;

private:
    void closeAll();
    void onUserClosed();

    QString m_error;
    int m_exitCode = kExitOk;
    bool m_ending = false;
    int m_pendingCloses = 0;
    QTimer m_closeTimer;
};

} // namespace natter::bench
