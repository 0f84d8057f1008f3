#include "client/app/tokenstore.h"

#include "client/app/applogging.h"
#include "client/storage/localstore.h"

#ifdef NATTER_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace natter::app {

using namespace Qt::StringLiterals;

namespace {
const auto kTokenKey = u"token"_s;             // the fallback's token (the key natter-cli uses too)
const auto kLocationKey = u"tokenLocation"_s;  // "keychain" or "store"; never the token itself
const auto kInKeychain = u"keychain"_s;
const auto kInStore = u"store"_s;
bool s_loggedFallback = false;
} // namespace

TokenStore::TokenStore(QString key, client::LocalStore &fallback, QObject *parent)
    : QObject(parent), m_key(std::move(key)), m_fallback(fallback)
{}

TokenStore::~TokenStore() = default;

QString TokenStore::keyFor(const QString &profile, const QUrl &server, const QString &user)
{
    return u"%1/%2:%3/%4"_s.arg(profile, server.host()).arg(server.port()).arg(user);
}

QString TokenStore::service()
{
    return u"Natter"_s;
}

bool TokenStore::hasKeychainSupport()
{
#ifdef NATTER_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

bool TokenStore::hasStoredTokenNow()
{
    return m_fallback.valueNow(kLocationKey) == kInKeychain || !m_fallback.valueNow(kTokenKey).isEmpty();
}

void TokenStore::logFallbackOnce(const QString &reason)
{
    if (s_loggedFallback)
        return;
    s_loggedFallback = true;
    qCInfo(lcUi).noquote() << u"The OS keychain is not available (%1): session tokens are kept in the local "
                              u"message store instead."_s.arg(reason);
}

void TokenStore::read()
{
#ifdef NATTER_HAVE_QTKEYCHAIN
    if (m_keychainEnabled) {
        auto *job = new QKeychain::ReadPasswordJob(service());
        job->setAutoDelete(true);
        job->setKey(m_key);
        connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
            const auto *reader = static_cast<QKeychain::ReadPasswordJob *>(done);
            if (done->error() == QKeychain::NoError && !reader->textData().isEmpty()) {
                m_lastBackend = Backend::Keychain;
                emit readFinished(reader->textData());
                return;
            }
            if (done->error() != QKeychain::EntryNotFound)
                logFallbackOnce(done->errorString());
            readFallback(); // also finds a token stored while the keychain was away
        });
        job->start();
        return;
    }
#endif
    logFallbackOnce(hasKeychainSupport() ? u"disabled"_s : u"built without QtKeychain"_s);
    readFallback();
}

void TokenStore::readFallback()
{
    m_fallback.value(kTokenKey, this, [this](const QString &token) {
        m_lastBackend = Backend::LocalStore;
        emit readFinished(token);
    });
}

void TokenStore::write(const QString &token)
{
#ifdef NATTER_HAVE_QTKEYCHAIN
    if (m_keychainEnabled) {
        auto *job = new QKeychain::WritePasswordJob(service());
        job->setAutoDelete(true);
        job->setKey(m_key);
        job->setTextData(token);
        connect(job, &QKeychain::Job::finished, this, [this, token](QKeychain::Job *done) {
            if (done->error() == QKeychain::NoError) {
                m_lastBackend = Backend::Keychain;
                m_fallback.setValue(kTokenKey, QString()); // no second copy on disk
                m_fallback.setValue(kLocationKey, kInKeychain);
                emit written(true);
                return;
            }
            logFallbackOnce(done->errorString());
            writeFallback(token);
        });
        job->start();
        return;
    }
#endif
    logFallbackOnce(hasKeychainSupport() ? u"disabled"_s : u"built without QtKeychain"_s);
    writeFallback(token);
}

void TokenStore::writeFallback(const QString &token)
{
    m_lastBackend = Backend::LocalStore;
    m_fallback.setValue(kTokenKey, token);
    m_fallback.setValue(kLocationKey, kInStore);
    emit written(true);
}

void TokenStore::remove()
{
    m_fallback.setValue(kTokenKey, QString());
    m_fallback.setValue(kLocationKey, QString());
#ifdef NATTER_HAVE_QTKEYCHAIN
    if (m_keychainEnabled) {
        auto *job = new QKeychain::DeletePasswordJob(service());
        job->setAutoDelete(true);
        job->setKey(m_key);
        connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *) { emit removed(); });
        job->start();
        return;
    }
#endif
    emit removed();
}

} // namespace natter::app
