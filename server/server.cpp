#include "server/server.h"

#include "server/serverlogging.h"
#include "server/net/announcer.h"
#include "server/net/connectionlimits.h"
#include "server/net/httpfront.h"
#include "server/net/longpolldoor.h"
#include "common/protocol/discovery.h"
#include "common/protocol/validation.h"
#include "server/routing/directory.h"
#include "server/routing/router.h"
#include "server/routing/sessionregistry.h"
#include "server/storage/storage.h"

#include <QSysInfo>

#include <algorithm>

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
    std::unique_ptr<Announcer> announcer;
    int maxConnections = 0;

    void startAnnouncer(quint16 port);
};

void Server::Private::startAnnouncer(quint16 port)
{
    protocol::Announcement announcement;
    announcement.id = protocol::isValidInstanceId(config.instanceId) ? config.instanceId : protocol::newInstanceId();
    announcement.name =
        protocol::sanitizeServerName(config.serverName.isEmpty() ? QSysInfo::machineHostName() : config.serverName);
    announcement.port = port;
    announcement.protocol = protocol::kProtocolVersion;
    announcement.version = QStringLiteral(NATTER_VERSION);
    AnnouncerConfig ac;
    ac.discoveryPort = config.discoveryPort;
    ac.intervalMs = config.announceIntervalMs;
    ac.lan = config.announceOnLan;
    ac.listenHost = config.host;
    ac.extraTargets = config.extraAnnounceTargets;
    announcer = std::make_unique<Announcer>(std::move(announcement), std::move(ac));
    QString why;
    if (!announcer->start(&why)) {
        // Discovery is a convenience: the server runs without it.
        qCWarning(lcNet).noquote() << u"not announcing this server: %1"_s.arg(why);
        announcer.reset();
    }
}

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
    const DirectorySnapshot snapshot = d->storage->loadDirectory(&d->error);
    if (!d->error.isEmpty()) {
        stop();
        return false;
    }
    d->directory = std::make_unique<Directory>();
    d->directory->load(snapshot);
    d->registry = std::make_unique<SessionRegistry>();
    d->router = std::make_unique<Router>(*d->storage, *d->directory, *d->registry, *d->registry,
                                         d->config.passwordIterations);
    ConnectionLimits limits;
    limits.requestDeadlineMs = d->config.requestDeadlineMs > 0 ? d->config.requestDeadlineMs
                                                               : ConnectionLimits::kDefaultRequestDeadlineMs;
    QString note;
    limits.maxConnections = effectiveMaxConnections(d->config.maxConnections, &note);
    if (!note.isEmpty())
        qCWarning(lcServer).noquote() << note;
    limits.maxPerAddress = std::max(0, d->config.maxConnectionsPerAddress);
    limits.limitLoopback = d->config.limitLoopback;
    d->maxConnections = limits.maxConnections;
    d->front = std::make_unique<HttpFront>(*d->router, limits);
    d->front->longPoll().setPresenceWindow(d->config.presenceWindowMs);
    if (!d->front->listen(d->config.host, d->config.port, &d->error)) {
        stop();
        return false;
    }
    qCInfo(lcServer).noquote() << u"at most %1 connections, %2 from one address%3"_s.arg(limits.maxConnections)
                                      .arg(limits.maxPerAddress > 0 ? QString::number(limits.maxPerAddress) : u"any"_s,
                                           limits.limitLoopback ? QString() : u" (loopback not limited)"_s);
    qCInfo(lcServer).noquote() << u"database %1 (sync %2)"_s.arg(
        d->config.dbPath, d->config.sync == SyncMode::Full ? u"full"_s : u"normal"_s);
    if (d->config.announce)
        d->startAnnouncer(port());
    return true;
}

void Server::stop()
{
    d->announcer.reset(); // first: nobody should find a server that is going away
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
        s.openConnections = d->front->openConnections();
        s.pendingRequests = d->front->pendingRequests();
        s.refusedConnections = d->front->refusedConnections();
        s.maxConnections = d->maxConnections;
        s.webSockets = d->front->webSocketCount();
        s.longPollDevices = d->front->longPoll().sessionCount();
        s.heldPolls = d->front->longPoll().heldPollCount();
    }
    if (d->storage) {
        s.transactions = d->storage->transactionCount();
        s.storageJobs = d->storage->jobCount();
    }
    if (d->announcer)
        s.announcements = d->announcer->datagramCount();
    return s;
}

const ServerConfig &Server::config() const
{
    return d->config;
}

} // namespace natter::server
