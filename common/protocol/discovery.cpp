#include "common/protocol/discovery.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QList>
#include <QUuid>

#include <cmath>
#include <limits>

namespace natter::protocol {

using namespace Qt::StringLiterals;

namespace {

bool isAllowedNameCharacter(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Surrogate:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// 1..max characters, each alphanumeric ASCII or one of `extra`.
bool isAsciiToken(QStringView text, qsizetype max, QStringView extra)
{
    if (text.isEmpty() || text.size() > max)
        return false;
    for (QChar c : text) {
        if (!isAsciiAlnum(c) && !extra.contains(c))
            return false;
    }
    return true;
}

// A JSON number that is a whole number in [min, max].
std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

std::optional<Announcement> failure(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace

bool isValidServerName(QStringView name)
{
    if (name.trimmed().isEmpty())
        return false;
    const QList<uint> codePoints = name.toUcs4();
    if (codePoints.size() > kMaxServerNameLength)
        return false;
    for (uint c : codePoints) {
        if (!isAllowedNameCharacter(char32_t(c)))
            return false;
    }
    // toUcs4() turns a lone surrogate into U+FFFD: check the UTF-16 too.
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        if (c.isHighSurrogate()) {
            if (i + 1 >= name.size() || !name[i + 1].isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

bool isValidInstanceId(QStringView id)
{
    return isAsciiToken(id, kMaxInstanceIdLength, u"_.:-");
}

bool isValidServerVersion(QStringView version)
{
    return isAsciiToken(version, kMaxServerVersionLength, u"._+~-");
}

QString sanitizeServerName(QStringView raw)
{
    QString cleaned;
    cleaned.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw[i];
        if (c.isHighSurrogate() && i + 1 < raw.size() && raw[i + 1].isLowSurrogate()) {
            const char32_t cp = QChar::surrogateToUcs4(c, raw[i + 1]);
            if (isAllowedNameCharacter(cp)) {
                cleaned.append(c);
                cleaned.append(raw[i + 1]);
            } else {
                cleaned.append(u' ');
            }
            ++i;
        } else {
            cleaned.append(isAllowedNameCharacter(c.unicode()) ? c : QChar(u' '));
        }
    }
    cleaned = cleaned.simplified();
    // Cut to the limit without splitting a surrogate pair.
    qsizetype units = 0;
    for (qsizetype codePoints = 0; units < cleaned.size() && codePoints < kMaxServerNameLength; ++codePoints)
        units += (cleaned[units].isHighSurrogate() && units + 1 < cleaned.size()) ? 2 : 1;
    cleaned.truncate(units);
    cleaned = cleaned.trimmed();
    return cleaned.isEmpty() ? u"natterd"_s : cleaned;
}

QString newInstanceId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool Announcement::isValid() const
{
    return isValidInstanceId(id) && isValidServerName(name) && port != 0 && protocol >= 1 &&
           isValidServerVersion(version);
}

QByteArray Announcement::toBytes() const
{
    if (!isValid())
        return {};
    const QJsonObject o{
        {"natter"_L1, kDiscoveryFormat}, {"id"_L1, id},           {"name"_L1, name}, {"port"_L1, int(port)},
        {"protocol"_L1, protocol},       {"version"_L1, version},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<Announcement> Announcement::fromBytes(QByteArrayView bytes, QString *error)
{
    if (bytes.isEmpty())
        return failure(error, u"empty datagram"_s);
    if (bytes.size() > kMaxDiscoveryDatagram)
        return failure(error, u"datagram over %1 bytes"_s.arg(kMaxDiscoveryDatagram));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(error, u"not JSON: %1"_s.arg(parseError.errorString()));
    if (!doc.isObject())
        return failure(error, u"not a JSON object"_s);
    const QJsonObject o = doc.object();

    const QJsonValue format = o.value("natter"_L1);
    if (format.isUndefined())
        return failure(error, u"'natter' missing: not a Natter announcement"_s);
    const auto formatNumber = wholeNumber(format, 1, std::numeric_limits<int>::max());
    if (!formatNumber)
        return failure(error, u"'natter' must be a positive whole number"_s);
    if (*formatNumber != kDiscoveryFormat)
        return failure(error, u"unsupported discovery format %1"_s.arg(*formatNumber));

    Announcement a;
    const QJsonValue id = o.value("id"_L1);
    if (!id.isString() || !isValidInstanceId(id.toString()))
        return failure(error, u"'id' must be 1-%1 of A-Z a-z 0-9 _ . : -"_s.arg(kMaxInstanceIdLength));
    a.id = id.toString();
    const QJsonValue name = o.value("name"_L1);
    if (!name.isString() || !isValidServerName(name.toString()))
        return failure(error, u"'name' must be 1-%1 characters without control characters"_s.arg(kMaxServerNameLength));
    a.name = name.toString();
    const auto port = wholeNumber(o.value("port"_L1), 1, 65535);
    if (!port)
        return failure(error, u"'port' must be a whole number from 1 to 65535"_s);
    a.port = quint16(*port);
    const auto protocol = wholeNumber(o.value("protocol"_L1), 1, std::numeric_limits<int>::max());
    if (!protocol)
        return failure(error, u"'protocol' must be a positive whole number"_s);
    a.protocol = int(*protocol);
    const QJsonValue version = o.value("version"_L1);
    if (!version.isString() || !isValidServerVersion(version.toString()))
        return failure(error, u"'version' must be 1-%1 of A-Z a-z 0-9 . _ + ~ -"_s.arg(kMaxServerVersionLength));
    a.version = version.toString();
    return a;
}

} // namespace natter::protocol
