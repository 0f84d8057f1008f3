#pragma once

#include <QDialog>
#include <QUrl>

#include <functional>

class QLabel;
class QPushButton;
class QSpinBox;

namespace natter::client {
class ServerBrowser;
}

namespace natter::app {

// "Start local server…": the port, the addresses other people on the LAN should use, and, when a server
// is already announced on the LAN, a notice offering to use that one instead (one LAN, one server).
class StartServerDialog : public QDialog
{
    Q_OBJECT
public:
    // isOwn tells servers this app ran itself (not "another server on this network"); may be empty.
    StartServerDialog(client::ServerBrowser &browser, quint16 port,
                      std::function<bool(const QString &instanceId)> isOwn = {}, QWidget *parent = nullptr);

    quint16 port() const;
    // The addresses (ADDR:PORT) of this machine that others on the LAN can reach.
    static QStringList lanAddresses(quint16 port);

signals:
    void startRequested(quint16 port);
    void useServerRequested(const QUrl &server);

private:
    void updateAddresses();
    void updateHeard();

    client::ServerBrowser &m_browser;
    std::function<bool(const QString &)> m_isOwn;
    QSpinBox *m_port;
    QLabel *m_addresses;
    QLabel *m_heard;
    QPushButton *m_useHeard;
    QPushButton *m_start;
    QUrl m_heardUrl;
};

} // namespace natter::app
