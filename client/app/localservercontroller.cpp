#include "client/app/localservercontroller.h"

#include "client/app/applogging.h"
#include "common/protocol/discovery.h"

#include <QDir>
#include <QFileInfo>

#include <memory>

namespace natter::app {

// Owns the Server on the server thread; every call arrives as a queued invocation.
class ServerWorker : public QObject
{
    Q_OBJECT
public:
    void start(const server::ServerConfig &config)
    {
        QDir().mkpath(QFileInfo(config.dbPath).absolutePath());
        m_server = std::make_unique<server::Server>(config);
        if (!m_server->start()) {
            const QString error = m_server->errorString();
            m_server.reset();
            emit started(false, 0, error);
            return;
        }
        emit started(true, m_server->port(), {});
    }
    void stop()
    {
        m_server.reset(); // Server's destructor stops it: connections closed, database written and closed
        emit stopped();
    }

signals:
    void started(bool ok, quint16 port, const QString &error);
    void stopped();

private:
    std::unique_ptr<server::Server> m_server;
};

LocalServerController::LocalServerController(server::ServerConfig base, QObject *parent)
    : QObject(parent), m_base(std::move(base))
{
    m_thread.setObjectName(QStringLiteral("natter-local-server"));
    m_worker = new ServerWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ServerWorker::started, this, &LocalServerController::onStarted);
    connect(m_worker, &ServerWorker::stopped, this, [this] {
        m_port = 0;
        setState(State::Stopped);
    });
    m_thread.start();
}

LocalServerController::~LocalServerController()
{
    // The worker's queue runs in order: a pending start is followed by this stop.
    QMetaObject::invokeMethod(m_worker, &ServerWorker::stop, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void LocalServerController::start(quint16 port, const QString &announcedName)
{
    if (m_state != State::Stopped)
        return;
    server::ServerConfig config = m_base;
    config.port = port;
    config.serverName = announcedName.left(64);
    config.instanceId = protocol::newInstanceId();
    m_instanceIds.insert(config.instanceId);
    m_error.clear();
    setState(State::Starting);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, config] { worker->start(config); },
                              Qt::QueuedConnection);
}

void LocalServerController::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(m_worker, &ServerWorker::stop, Qt::QueuedConnection);
}

void LocalServerController::onStarted(bool ok, quint16 port, const QString &error)
{
    if (!ok) {
        m_error = error;
        qCWarning(lcUi) << "local server did not start:" << error;
        setState(State::Stopped);
        emit failed(error);
        return;
    }
    m_port = port;
    qCInfo(lcUi) << "local server listening on port" << port;
    setState(State::Running);
}

void LocalServerController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace natter::app

#include "localservercontroller.moc"
