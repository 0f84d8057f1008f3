#include "client/app/settingsdialog.h"

#include "client/app/settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;

SettingsDialog::SettingsDialog(Settings &settings, bool trayAvailable, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Settings"));

    m_notifications = new QCheckBox(tr("Show a &notification for new messages when the window is not active"));
    m_notifications->setObjectName(u"notificationsBox"_s);
    m_notifications->setChecked(settings.notificationsEnabled());
    m_startServer = new QCheckBox(tr("&Start the local server when Natter starts (port %1)")
                                      .arg(settings.localServerPort()));
    m_startServer->setObjectName(u"startServerBox"_s);
    m_startServer->setChecked(settings.startLocalServerAtLaunch());
    m_tray = new QCheckBox(tr("&Keep running in the system tray when the window is closed"));
    m_tray->setObjectName(u"trayBox"_s);
    m_tray->setChecked(settings.keepRunningInTray());
    if (!trayAvailable)
        m_tray->setToolTip(tr("This desktop has no system tray right now: closing the window quits Natter."));

    m_language = new QComboBox;
    m_language->setObjectName(u"languageBox"_s);
    m_language->addItem(tr("Automatic (system language)"), QString());
    m_language->addItem(u"English"_s, u"en"_s); // language names in their own language, not translated
    m_language->addItem(u"한국어"_s, u"ko"_s);
    const int current = m_language->findData(settings.language());
    m_language->setCurrentIndex(current < 0 ? 0 : current);
    m_restartNote = new QLabel(tr("The language applies after Natter restarts."));
    m_restartNote->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), m_restartNote);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notifications);
    layout->addWidget(m_startServer);
    layout->addWidget(m_tray);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);
}

void SettingsDialog::accept()
{
    m_settings.setNotificationsEnabled(m_notifications->isChecked());
    m_settings.setStartLocalServerAtLaunch(m_startServer->isChecked());
    m_settings.setKeepRunningInTray(m_tray->isChecked());
    m_settings.setLanguage(m_language->currentData().toString());
    m_settings.sync();
    emit applied();
    QDialog::accept();
}

} // namespace natter::app
