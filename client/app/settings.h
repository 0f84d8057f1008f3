#pragma once

#include <QList>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

namespace natter::app {

// A profile is one person on this machine: its own settings file and its own app-data folder, so that two
// instances started with different `--profile` names are two users (tests and demos on one machine).
struct Profile {
    QString name;        // "default" unless --profile is given
    QString settingsFile; // an INI file
    QString dataDir;     // local stores, the local server's database

    // The profile's files under the standard config and app-data locations.
    static Profile named(const QString &name);
    // Everything under one folder (tests).
    static Profile inFolder(const QString &name, const QString &folder);
    static bool isValidName(const QString &name); // 1-64 of A-Z a-z 0-9 _ . -
};

// An account this profile has signed in to: the sign-in dialog lists them, most recent first.
struct KnownAccount {
    QUrl server;
    QString user;
    bool operator==(const KnownAccount &) const = default;
};

// The typed settings of one profile. Never holds a password; the session token lives in the account's
// LocalStore (see ChatSession).
class Settings
{
public:
    explicit Settings(const QString &file);
    ~Settings();

    QUrl lastServer() const;
    void setLastServer(const QUrl &server);
    QString lastUser() const;
    void setLastUser(const QString &user);
    // Accounts signed in to from this profile, most recent first (at most 20).
    QList<KnownAccount> knownAccounts() const;
    // Moves (or adds) the account to the front; the same name in another case is the same account.
    void addKnownAccount(const KnownAccount &account);
    // Generated on first use and kept for the profile: this installation is one device to the server.
    QString deviceId();
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    quint16 localServerPort() const;
    void setLocalServerPort(quint16 port);
    // Start the in-app server (on localServerPort()) when the main window comes up.
    bool startLocalServerAtLaunch() const;
    void setStartLocalServerAtLaunch(bool enabled);
    // Closing the window hides it to the tray (when a tray is available) instead of quitting.
    bool keepRunningInTray() const;
    void setKeepRunningInTray(bool enabled);
    // UI language code ("en", "ko"); empty = follow the system. Applies after a restart.
    QString language() const;
    void setLanguage(const QString &code);

    void sync();
    QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace natter::app
