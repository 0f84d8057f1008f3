#pragma once

#include "client/app/connectiondiagnostics.h"

#include <QDialog>
#include <QMap>
#include <QPointer>
#include <QTimer>

class QLabel;
class QPushButton;

namespace natter::client {
class Connection;
class ServerBrowser;
} // namespace natter::client

namespace natter::app {

// Connection diagnostics: a non-modal window over ConnectionDiagnostics that follows the connection live
// (every second and at every state or transport change), with "Reconnect now" and "Copy to clipboard"
// (the plain-text report, for bug reports).
class DiagnosticsDialog : public QDialog
{
    Q_OBJECT
public:
    DiagnosticsDialog(client::ServerBrowser &browser, QWidget *parent = nullptr);
    ~DiagnosticsDialog() override;

    // connection: null when signed out. device: this installation's device id.
    void setConnection(client::Connection *connection, const QString &device);

    ConnectionDiagnostics::Facts facts() const;
    // What the dialog shows now: one value, or the whole report.
    QString valueText(ConnectionDiagnostics::Field field) const;
    QString reportText() const;

private:
    void refresh();
    void copyReport();

    client::ServerBrowser &m_browser;
    QPointer<client::Connection> m_connection;
    QString m_device;
    QMap<ConnectionDiagnostics::Field, QLabel *> m_values;
    QPushButton *m_reconnect;
    QPushButton *m_copy;
    QLabel *m_copied;
    QTimer m_tick;
};

} // namespace natter::app
