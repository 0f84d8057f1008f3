#pragma once

#include <QByteArray>
#include <QString>

namespace natter::server::credentials {

// "pbkdf2-sha256$<iterations>$<salt base64>$<key base64>": salted, slow, self-describing so that the
// iteration count can grow without breaking stored hashes.
QString hashPassword(const QString &password, int iterations);
// Constant-time comparison; false for malformed hashes.
bool verifyPassword(const QString &password, const QString &storedHash);

// A new random bearer token (256 bits, base64url) and the hash under which it is stored.
QString newToken();
QByteArray tokenHash(const QString &token);

} // namespace natter::server::credentials
