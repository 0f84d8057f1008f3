#include "client/app/settings.h"

#include "common/protocol/validation.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUuid>

namespace natter::app {

using namespace Qt::StringLiterals;

namespace {
const auto kLastServer = u"session/lastServer"_s;
const auto kLastUser = u"session/lastUser"_s;
const auto kDevice = u"session/deviceId"_s;
const auto kAccounts = u"accounts"_s;
constexpr qsizetype kMaxAccounts = 20;
const auto kNotifications = u"ui/notifications"_s;
const auto kServerPort = u"localServer/port"_s;
const auto kStartServerAtLaunch = u"localServer/startAtLaunch"_s;
const auto kKeepInTray = u"ui/keepRunningInTray"_s;
const auto kLanguage = u"ui/language"_s;
} // namespace

Profile Profile::named(const QString &name)
{
    const QString config = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return {name, QDir(config).filePath(u"profiles/%1.ini"_s.arg(name)),
            QDir(data).filePath(u"profiles/%1"_s.arg(name))};
}

Profile Profile::inFolder(const QString &name, const QString &folder)
{
    const QDir dir(folder);
    return {name, dir.filePath(name + u".ini"_s), dir.filePath(name)};
}

bool Profile::isValidName(const QString &name)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]{1,64}$"_s);
    return re.match(name).hasMatch();
}

Settings::Settings(const QString &file)
    : m_settings(std::make_unique<QSettings>(file, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QUrl Settings::lastServer() const
{
    return m_settings->value(kLastServer).toUrl();
}

void Settings::setLastServer(const QUrl &server)
{
    m_settings->setValue(kLastServer, server);
}

QString Settings::lastUser() const
{
    return m_settings->value(kLastUser).toString();
}

void Settings::setLastUser(const QString &user)
{
    m_settings->setValue(kLastUser, user);
}

QList<KnownAccount> Settings::knownAccounts() const
{
    QList<KnownAccount> out;
    const int n = m_settings->beginReadArray(kAccounts);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        KnownAccount a{m_settings->value(u"server"_s).toUrl(), m_settings->value(u"user"_s).toString()};
        if (a.server.isValid() && protocol::isValidUserName(a.user))
            out.append(a);
    }
    m_settings->endArray();
    return out;
}

void Settings::addKnownAccount(const KnownAccount &account)
{
    QList<KnownAccount> accounts = knownAccounts();
    accounts.removeIf([&account](const KnownAccount &a) {
        return a.server == account.server && protocol::nameKey(a.user) == protocol::nameKey(account.user);
    });
    accounts.prepend(account);
    if (accounts.size() > kMaxAccounts)
        accounts.resize(kMaxAccounts);
    m_settings->remove(kAccounts);
    m_settings->beginWriteArray(kAccounts, int(accounts.size()));
    for (int i = 0; i < accounts.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(u"server"_s, accounts.at(i).server);
        m_settings->setValue(u"user"_s, accounts.at(i).user);
    }
    m_settings->endArray();
}

QString Settings::deviceId()
{
    QString id = m_settings->value(kDevice).toString();
    if (!protocol::isValidDevice(id)) {
        id = u"desktop-"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
        m_settings->setValue(kDevice, id);
        m_settings->sync();
    }
    return id;
}

bool Settings::notificationsEnabled() const
{
    return m_settings->value(kNotifications, true).toBool();
}

void Settings::setNotificationsEnabled(bool enabled)
{
    m_settings->setValue(kNotifications, enabled);
}

quint16 Settings::localServerPort() const
{
    bool ok = false;
    const uint port = m_settings->value(kServerPort, protocol::kDefaultPort).toUInt(&ok);
    return ok && port <= 65535 ? quint16(port) : quint16(protocol::kDefaultPort);
}

void Settings::setLocalServerPort(quint16 port)
{
    m_settings->setValue(kServerPort, port);
}

bool Settings::startLocalServerAtLaunch() const
{
    return m_settings->value(kStartServerAtLaunch, false).toBool();
}

void Settings::setStartLocalServerAtLaunch(bool enabled)
{
    m_settings->setValue(kStartServerAtLaunch, enabled);
}

bool Settings::keepRunningInTray() const
{
    return m_settings->value(kKeepInTray, false).toBool();
}

void Settings::setKeepRunningInTray(bool enabled)
{
    m_settings->setValue(kKeepInTray, enabled);
}

QString Settings::language() const
{
    return m_settings->value(kLanguage).toString();
}

void Settings::setLanguage(const QString &code)
{
    if (code.isEmpty())
        m_settings->remove(kLanguage);
    else
        m_settings->setValue(kLanguage, code);
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

} // namespace natter::app
