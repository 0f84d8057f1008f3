#pragma once

#include "server/server.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QThread>

namespace natter::app {

class ServerWorker;

// Runs a natter::server::Server inside the app, on its own QThread: Server::start() opens SQLite and
// blocks briefly, and the server's sockets and router should not compete with the GUI for the event
// loop. The GUI thread only posts start/stop requests and hears back through signals.
class LocalServerController : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    // `base` gives everything but the port and name (database path, iterations, announce settings).
    explicit LocalServerController(server::ServerConfig base, QObject *parent = nullptr);
    // Stops the server and waits for its thread (at shutdown only).
    ~LocalServerController() override;

    // Asynchronous; stateChanged(Running) or failed(reason) follow. Ignored unless Stopped.
    void start(quint16 port, const QString &announcedName);
    // Asynchronous; stateChanged(Stopped) follows. Connected clients see the server go away.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    quint16 port() const { return m_port; } // the port listened on (Running only)
    QString errorString() const { return m_error; }
    QString databasePath() const { return m_base.dbPath; }
    // Whether a server heard on the LAN is one this controller ran (running, or stopped a moment ago and
    // still in the browser's list until its announcement expires).
    bool isOwnInstance(const QString &instanceId) const { return m_instanceIds.contains(instanceId); }

signals:
    void stateChanged(natter::app::LocalServerController::State state);
    void failed(const QString &reason);

private:
    void setState(State state);
    void onStarted(bool ok, quint16 port, const QString &error);

    server::ServerConfig m_base;
    QThread m_thread;
    ServerWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    State m_state = State::Stopped;
    quint16 m_port = 0;
    QString m_error;
    QSet<QString> m_instanceIds; // announced ids of the servers started here
};

} // namespace natter::app
