#pragma once

#include "client/storage/localstore.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace natter::app {

// Decides which incoming messages deserve a desktop notification and says so with notify(title, body);
// the main window shows it (tray balloon, or QApplication::alert() without a tray). A message notifies when
// notifications are on, it is someone else's, it arrived live (not with a history page) and the window
// is not active. Messages are looked at once per event-loop pass; several in one pass give one summary
// notification.
class Notifier : public QObject
{
    Q_OBJECT
public:
    explicit Notifier(QObject *parent = nullptr);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled) { m_enabled = enabled; }
    // Asked when a message is looked at; without one the window counts as inactive.
    void setWindowActiveCheck(std::function<bool()> check) { m_windowActive = std::move(check); }
    bool isWindowActive() const { return m_windowActive && m_windowActive(); }

    // The decision for one live message.
    bool shouldNotify(const client::LocalMessage &message) const;
    static QString titleFor(const client::LocalMessage &message);
    static QString bodyFor(const client::LocalMessage &message);

public slots:
    // ChatClient::messageAdded feeds this; messages first seen in a history page (live false) never notify.
    void addMessage(const natter::client::LocalMessage &message, bool live = true);

signals:
    void notify(const QString &title, const QString &body);

private:
    void flush();

    bool m_enabled = true;
    std::function<bool()> m_windowActive;
    QList<client::LocalMessage> m_pending;
    bool m_flushScheduled = false;
};

} // namespace natter::app
