#include "server.h"

#include "logging.h"
#include "net/httpfront.h"
#include "net/longpolldoor.h"
#include "routing/directory.h"
#include "routing/router.h"
#include "routing/sessionregistry.h"
#include "storage/storage.h"

namespace natter::server {

using namespace Qt::StringLiterals;

struct Server::Private {
    ServerConfig config;
    QString error;
    // Declared in dependency order: destroyed front first, storage last.
    std::unique_ptr<Storage> storage;
    std::unique_ptr<Directory> directory;
    std::unique_ptr<SessionRegistry> registry;
    std::unique_ptr<Router> router;
    std::unique_ptr<HttpFront> front;
};

Server::Server(ServerConfig config, QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->config = std::move(config);
}

Server::~Server()
{
    stop();
}

bool Server::start()
{
    if (isRunning())
        return true;
    d->error.clear();
    d->storage = std::make_unique<Storage>(d->config.dbPath, d->config.sync);
    if (!d->storage->open(&d->error)) {
        d->storage.reset();
        return false;
    }
    d->directory = std::make_unique<Directory>();
    d->directory->load(d->storage->loadDirectory());
    d->registry = std::make_unique<SessionRegistry>();
    d->router = std::make_unique<Router>(*d->storage, *d->directory, *d->registry, d->config.passwordIterations);
    d->front = std::make_unique<HttpFront>(*d->router);
    d->front->longPoll().setPresenceWindow(d->config.presenceWindowMs);
    if (!d->front->listen(d->config.host, d->config.port, &d->error)) {
        stop();
        return false;
    }
    qCInfo(lcServer).noquote() << u"database %1 (sync %2)"_s.arg(
        d->config.dbPath, d->config.sync == SyncMode::Full ? u"full"_s : u"normal"_s);
    return true;
}

void Server::stop()
{
    if (d->front)
        d->front->close();
    d->front.reset();
    d->router.reset(); // waits for password hashing in flight
    d->registry.reset();
    if (d->storage)
        d->storage->close(); // writes what is pending; completions for the gone router are dropped
    d->storage.reset();
    d->directory.reset();
}

bool Server::isRunning() const
{
    return d->front != nullptr;
}

quint16 Server::port() const
{
    return d->front ? d->front->port() : 0;
}

QString Server::errorString() const
{
    return d->error;
}

ServerStats Server::stats() const
{
    ServerStats s;
    if (d->front) {
        s.acceptedConnections = d->front->acceptedConnections();
        s.webSockets = d->front->webSocketCount();
        s.longPollDevices = d->front->longPoll().sessionCount();
        s.heldPolls = d->front->longPoll().heldPollCount();
    }
    if (d->storage) {
        s.transactions = d->storage->transactionCount();
        s.storageJobs = d->storage->jobCount();
    }
    return s;
}

const ServerConfig &Server::config() const
{
    return d->config;
}

} // namespace natter::server
