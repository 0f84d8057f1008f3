#pragma once

#include <QObject>

class QSocketNotifier;

namespace natter::os {

// Quits the application on SIGINT and SIGTERM, safely: the signal handler only writes one byte to a socket
// pair (async-signal-safe); a QSocketNotifier reads it on the event loop and calls QCoreApplication::quit(),
// so the program leaves exec() and cleans up as on any other quit. Create one after the QCoreApplication,
// for as long as signals should quit it (one at a time per process). Elsewhere than on Unix it does nothing.
class QuitOnSignal : public QObject
{
    Q_OBJECT
public:
    explicit QuitOnSignal(QObject *parent = nullptr);
    ~QuitOnSignal() override;

    // False when the handlers could not be installed (or not on Unix): signals then do what they did before.
    bool isActive() const { return m_notifier != nullptr; }

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace natter::os
