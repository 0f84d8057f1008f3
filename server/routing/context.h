#pragma once

#include <QObject>

class QThreadPool;

namespace natter::server {

class Directory;
class Fanout;
class SessionRegistry;
class Storage;

// The services every handler works with. Handlers get it through their constructor.
struct RouterContext {
    Storage &storage;
    Directory &directory;
    SessionRegistry &registry; // who is online here
    Fanout &fanout; // where deliveries go
    QThreadPool &cpuPool; // slow work off the network thread: password hashing
    QObject *owner; // the network-thread object that completions run on
    int passwordIterations = 120'000;
};

} // namespace natter::server
