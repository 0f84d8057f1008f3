// natterd: the headless Natter chat server.
#include "server/server.h"

#include "server/net/connectionlimits.h"
#include "server/serverlogging.h"
#include "common/os/appidentity.h"
#include "common/os/quitonsignal.h"
#include "common/protocol/discovery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QSysInfo>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

void fail(const QString &message)
{
    std::fprintf(stderr, "natterd: %s\n", qPrintable(message));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    natter::os::setApplicationIdentity(u"natterd"_s);
    qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-category}%{category} %{endif}%{type}: %{message}"_s);

    const QString defaultDb =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/natterd.db"_s;

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Natter chat server: WebSocket, HTTP long polling and a health check on one port."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOpt(u"host"_s, u"Address to listen on (default 0.0.0.0)."_s, u"addr"_s, u"0.0.0.0"_s);
    const QCommandLineOption portOpt(u"port"_s, u"TCP port (default 7470; 0 picks a free one)."_s, u"n"_s, u"7470"_s);
    const QCommandLineOption dbOpt(u"db"_s, u"SQLite database file (default %1)."_s.arg(defaultDb), u"file"_s, defaultDb);
    const QCommandLineOption syncOpt(u"sync"_s,
                                     u"normal: a message acked as sent survives a crash of natterd; full: it survives "
                                     "a power cut too, at a cost in throughput (default normal)."_s,
                                     u"mode"_s, u"normal"_s);
    const QCommandLineOption iterOpt(u"password-iterations"_s,
                                     u"PBKDF2 iterations for new password hashes (default 120000; lower only for "
                                     "tests and benchmarks)."_s,
                                     u"n"_s, u"120000"_s);
    const QString defaultName = natter::protocol::sanitizeServerName(QSysInfo::machineHostName());
    const QCommandLineOption nameOpt(u"name"_s,
                                     u"Server name announced on the LAN, up to 64 characters (default: the host "
                                     "name, '%1')."_s.arg(defaultName),
                                     u"name"_s, defaultName);
    const QCommandLineOption noAnnounceOpt(u"no-announce"_s,
                                           u"Do not announce this server on the LAN (UDP multicast/broadcast to "
                                           "port 7471 every 3 s, so that clients can list it)."_s);
    const QCommandLineOption maxConnOpt(u"max-connections"_s,
                                        u"Open TCP connections allowed in all; more are answered 429 and closed "
                                        "(default: the open-file limit minus 128)."_s,
                                        u"n"_s);
    const QCommandLineOption maxPerAddrOpt(u"max-connections-per-address"_s,
                                           u"Open TCP connections allowed from one remote address, loopback "
                                           "excepted; 0: no limit (default 64)."_s,
                                           u"n"_s, u"64"_s);
    const QCommandLineOption verboseOpt(u"verbose"_s, u"Log debug messages too."_s);
    parser.addOptions({hostOpt, portOpt, dbOpt, syncOpt, iterOpt, nameOpt, noAnnounceOpt, maxConnOpt, maxPerAddrOpt,
                       verboseOpt});
    parser.process(app);

    if (!parser.positionalArguments().isEmpty()) {
        fail(u"unexpected argument '%1' (see --help)"_s.arg(parser.positionalArguments().constFirst()));
        return 2;
    }
    natter::server::ServerConfig config;
    if (!config.host.setAddress(parser.value(hostOpt))) {
        fail(u"--host: '%1' is not an IP address"_s.arg(parser.value(hostOpt)));
        return 2;
    }
    bool ok = false;
    const uint port = parser.value(portOpt).toUInt(&ok);
    if (!ok || port > 65535) {
        fail(u"--port: '%1' is not a port number (0-65535)"_s.arg(parser.value(portOpt)));
        return 2;
    }
    config.port = quint16(port);
    config.dbPath = QDir::cleanPath(parser.value(dbOpt));
    if (config.dbPath.isEmpty()) {
        fail(u"--db: a file name is needed"_s);
        return 2;
    }
    if (parser.value(syncOpt) == "full"_L1) {
        config.sync = natter::server::SyncMode::Full;
    } else if (parser.value(syncOpt) != "normal"_L1) {
        fail(u"--sync: use 'normal' or 'full'"_s);
        return 2;
    }
    config.passwordIterations = parser.value(iterOpt).toInt(&ok);
    if (!ok || config.passwordIterations < 1) {
        fail(u"--password-iterations: a positive number is needed"_s);
        return 2;
    }
    config.announce = !parser.isSet(noAnnounceOpt);
    config.serverName = parser.value(nameOpt);
    if (!natter::protocol::isValidServerName(config.serverName)) {
        fail(u"--name: 1-64 characters without control characters are needed"_s);
        return 2;
    }
    // Before the automatic --max-connections is derived from it.
    natter::server::raiseFileDescriptorLimit();
    if (parser.isSet(maxConnOpt)) {
        config.maxConnections = parser.value(maxConnOpt).toInt(&ok);
        if (!ok || config.maxConnections < 1) {
            fail(u"--max-connections: a positive number is needed"_s);
            return 2;
        }
    }
    config.maxConnectionsPerAddress = parser.value(maxPerAddrOpt).toInt(&ok);
    if (!ok || config.maxConnectionsPerAddress < 0) {
        fail(u"--max-connections-per-address: a number from 0 (no limit) up is needed"_s);
        return 2;
    }
    if (!parser.isSet(verboseOpt))
        QLoggingCategory::setFilterRules(u"natter.*.debug=false"_s);

    // SIGINT/SIGTERM end the event loop, so the server closes its connections and database cleanly.
    const natter::os::QuitOnSignal quitOnSignal;
    natter::server::Server server(config);
    if (!server.start()) {
        fail(server.errorString());
        return 1;
    }
    std::printf("natterd %s listening on %s:%u\n", NATTER_VERSION, qPrintable(config.host.toString()),
                unsigned(server.port()));
    std::fflush(stdout);
    const int rc = app.exec();
    server.stop();
    qCInfo(lcServer) << "stopped";
    return rc;
}
