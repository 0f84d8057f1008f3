#include "server/auth/credentials.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

namespace natter::server::credentials {

using namespace Qt::StringLiterals;

namespace {
constexpr int kSaltBytes = 16;
constexpr int kKeyBytes = 32;
constexpr int kTokenBytes = 32;

QByteArray randomBytes(int n)
{
    QByteArray out(n, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(out.data()), n / 4);
    return out;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt, iterations,
                                              kKeyBytes);
}
} // namespace

QString hashPassword(const QString &password, int iterations)
{
    const QByteArray salt = randomBytes(kSaltBytes);
    return u"pbkdf2-sha256$%1$%2$%3"_s.arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(derive(password, salt, iterations).toBase64()));
}

bool verifyPassword(const QString &password, const QString &storedHash)
{
    const QStringList parts = storedHash.split(u'$');
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256"_L1)
        return false;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1)
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts[2].toLatin1());
    const QByteArray key = QByteArray::fromBase64(parts[3].toLatin1());
    return constantTimeEquals(derive(password, salt, iterations), key);
}

QString newToken()
{
    return QString::fromLatin1(
        randomBytes(kTokenBytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenHash(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace natter::server::credentials
