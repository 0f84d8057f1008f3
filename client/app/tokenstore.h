#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace natter::client {
class LocalStore;
}

namespace natter::app {

// Where an account's session token is kept: in the OS keychain through QtKeychain (service "Natter", key
// "<profile>/<host:port>/<user>") when the app is built with it and a keychain service answers, otherwise
// in the account's LocalStore meta table (one log line says so, once per run). Asynchronous, like
// QtKeychain's jobs: each call is answered by exactly one signal. The password is never stored.
//
// The LocalStore also keeps a non-secret marker of where the token went ("tokenLocation"), so that the
// sign-in dialog can tell at once whether a stored session can resume.
class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Keychain, LocalStore };
    Q_ENUM(Backend)

    // `fallback` must outlive this object.
    TokenStore(QString key, client::LocalStore &fallback, QObject *parent = nullptr);
    ~TokenStore() override;

    static QString keyFor(const QString &profile, const QUrl &server, const QString &user);
    static QString service();
    // Built with QtKeychain (Qt6Keychain found at configure time).
    static bool hasKeychainSupport();

    QString key() const { return m_key; }
    // Tests: skip the keychain and use the LocalStore only.
    void setKeychainEnabled(bool enabled) { m_keychainEnabled = enabled; }
    // Whether a token was stored earlier (keychain marker or a token in the LocalStore). Blocks briefly on
    // the store: start-up code only.
    bool hasStoredTokenNow();
    // Where the last finished operation went.
    Backend lastBackend() const { return m_lastBackend; }

    void read();                      // -> readFinished(token); empty when none
    void write(const QString &token); // -> written(ok)
    void remove();                    // -> removed()

signals:
    void readFinished(const QString &token);
    void written(bool ok);
    void removed();

private:
    void readFallback();
    void writeFallback(const QString &token);
    static void logFallbackOnce(const QString &reason);

    QString m_key;
    client::LocalStore &m_fallback;
    bool m_keychainEnabled = true;
    Backend m_lastBackend = Backend::LocalStore;
};

} // namespace natter::app
