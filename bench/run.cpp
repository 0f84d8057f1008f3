#include "bench/run.h"

#include "bench/benchlog.h"
#include "bench/benchuser.h"
#include "bench/connector.h"
#include "bench/stats.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
constexpr int kCloseTimeoutMs = 3000;
}

Run::Run(BenchOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(kCloseTimeoutMs);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcBench) << m_pendingCloses << "connection(s) did not close within" << kCloseTimeoutMs << "ms";
        m_pendingCloses = 0;
        emit finished();
    });
}

QJsonObject Run::result() const
{
    QJsonObject o = m_options.toJson();
    for (auto it = m_figures.begin(); it != m_figures.end(); ++it)
        o.insert(it.key(), it.value());
    o.insert("ok"_L1, m_exitCode == kExitOk);
    o.insert("exit_code"_L1, m_exitCode);
    if (!m_error.isEmpty())
        o.insert("error"_L1, m_error);
    return o;
}

BenchUser *Run::createUser(int index, const QString &name)
{
    auto transport = createTransport(m_options.transport, m_options.url, m_options.lpUsersPerManager);
    auto *user = new BenchUser(index, name, std::move(transport), m_options.ackDelayMs, this);
    connect(user, &BenchUser::failed, this,
            [this, user](const QString &reason) { fail(u"user %1: %2"_s.arg(user->name(), reason)); });
    m_users.append(user);
    return user;
}

void Run::connectUsers(const QString &label, const QList<BenchUser *> &users, int concurrency,
                       std::function<void(BenchUser *)> authenticate, std::function<void(double)> then)
{
    auto *connector = new Connector(label, users, concurrency, m_options.timeoutMs(), m_options.quiet,
                                    std::move(authenticate), this);
    connect(this, &Run::ending, connector, &Connector::stop);
    connect(connector, &Connector::finished, this,
            [this, connector, then = std::move(then)](bool ok, const QString &error) {
                connector->deleteLater();
                if (isEnding())
                    return;
                if (!ok)
                    fail(error);
                else
                    then(connector->elapsedS());
            });
    connector->start();
}

void Run::fail(const QString &reason)
{
    if (m_ending)
        return;
    m_error = reason;
    say(u"error: %1"_s.arg(reason));
    complete(kExitFailed);
}

void Run::complete(int exitCode)
{
    if (m_ending)
        return;
    m_ending = true;
    m_exitCode = exitCode;
    stopActivity();
    emit ending();
    closeAll();
}

void Run::closeAll()
{
    // Counted before closing: a socket may report that it closed from inside close().
    m_pendingCloses = 1;
    for (BenchUser *user : std::as_const(m_users)) {
        ++m_pendingCloses;
        connect(user, &BenchUser::closed, this, &Run::onUserClosed, Qt::SingleShotConnection);
        if (!user->close()) {
            disconnect(user, &BenchUser::closed, this, &Run::onUserClosed);
            --m_pendingCloses;
        }
    }
    m_closeTimer.start();
    onUserClosed(); // the initial 1
}

void Run::onUserClosed()
{
    if (m_pendingCloses > 0 && --m_pendingCloses == 0) {
        m_closeTimer.stop();
        QTimer::singleShot(0, this, &Run::finished);
    }
}

} // namespace natter::bench
