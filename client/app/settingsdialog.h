#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;

namespace natter::app {

class Settings;

// Natter → Settings…: notifications, start the local server at launch, keep running in the tray, and the
// language (applies after a restart). Writes the Settings when accepted.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(Settings &settings, bool trayAvailable, QWidget *parent = nullptr);

    void accept() override;

signals:
    // The settings were written.
    void applied();

private:
    Settings &m_settings;
    QCheckBox *m_notifications = nullptr;
    QCheckBox *m_startServer = nullptr;
    QCheckBox *m_tray = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_restartNote = nullptr;
};

} // namespace natter::app
