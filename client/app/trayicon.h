#pragma once

#include <QIcon>
#include <QObject>

class QMenu;
class QSystemTrayIcon;

namespace natter::app {

// The system tray icon: the unread count in its tooltip and as a badge on the icon, message
// notifications, and a menu with Show and Quit. Create it only when
// QSystemTrayIcon::isSystemTrayAvailable(); without a tray the app quits when its window closes.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    void setUnread(int count);
    int unread() const { return m_unread; }
    void showMessage(const QString &title, const QString &body);

    // The app's icon: the window icon when there is one, else a drawn speech bubble.
    static QIcon baseIcon();
    // `base` with a red badge holding `count` (unchanged for 0).
    static QIcon badgedIcon(const QIcon &base, int count);
    static QString toolTipFor(int count);

signals:
    void showRequested();
    void quitRequested();

private:
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QIcon m_base;
    int m_unread = 0;
};

} // namespace natter::app
