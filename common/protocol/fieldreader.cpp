#include "common/protocol/fieldreader.h"

#include "common/protocol/events.h"
#include "common/protocol/validation.h"

#include <QJsonArray>

#include <cmath>

namespace natter::protocol {

using namespace Qt::StringLiterals;

QJsonValue FieldReader::required(QLatin1StringView key, bool (QJsonValue::*is)() const, QLatin1StringView what)
{
    const QJsonValue v = m_o.value(key);
    if (!(v.*is)()) {
        fail(v.isUndefined() ? u"missing field '%1'"_s.arg(key) : u"field '%1' must be %2"_s.arg(key, what));
        return {};
    }
    return v;
}

QString FieldReader::string(QLatin1StringView key)
{
    return required(key, &QJsonValue::isString, "a string"_L1).toString();
}

namespace rules {
const StringRule userName{isValidUserName, "a user name: 1-32 of A-Z a-z 0-9 _ . -"};
const StringRule roomName{isValidRoomName, "a #room: '#' and 1-32 of A-Z a-z 0-9 _ . -"};
const StringRule destination{isValidDestination, "a user name or #room"};
const StringRule device{isValidDevice, "1-64 characters from '!' to '~'"};
const StringRule cid{isValidCid, "1-128 characters"};
const StringRule body{isValidBody, "1 to 8000 characters"};
const StringRule password{[](QStringView p) { return !p.isEmpty() && p.size() <= kMaxPasswordLength; },
                          "1-1024 characters"};
const StringRule nonEmpty{[](QStringView v) { return !v.isEmpty(); }, "non-empty"};
} // namespace rules

QString FieldReader::string(QLatin1StringView key, const StringRule &rule)
{
    const QString value = string(key);
    if (!failed() && !rule.valid(value))
        fail(u"'%1' must be %2"_s.arg(key, QLatin1StringView(rule.what)));
    return value;
}

qint64 FieldReader::timestamp(QLatin1StringView key)
{
    const QString text = string(key);
    if (failed())
        return 0;
    const std::optional<qint64> ms = parseTimestamp(text);
    if (!ms)
        fail(u"field '%1' must be an ISO 8601 timestamp"_s.arg(key));
    return ms.value_or(0);
}

QList<qint64> FieldReader::ids(QLatin1StringView key)
{
    QList<qint64> out;
    const QJsonValue v = m_o.value(key);
    if (!v.isArray()) {
        fail(u"field '%1' must be an array of message ids"_s.arg(key));
        return out;
    }
    const QJsonArray a = v.toArray();
    out.reserve(a.size());
    for (const QJsonValue &e : a) {
        qint64 id = 0;
        if (!toId(e, &id)) {
            fail(u"field '%1' must hold positive integers"_s.arg(key));
            return {};
        }
        out.append(id);
    }
    return out;
}

bool FieldReader::boolean(QLatin1StringView key)
{
    return required(key, &QJsonValue::isBool, "true or false"_L1).toBool();
}

QJsonArray FieldReader::array(QLatin1StringView key)
{
    return required(key, &QJsonValue::isArray, "an array"_L1).toArray();
}

qint64 FieldReader::id(QLatin1StringView key, bool isRequired, qint64 fallback)
{
    const QJsonValue v = m_o.value(key);
    if (v.isUndefined() || (!isRequired && v.isNull())) {
        if (isRequired)
            fail(u"missing field '%1'"_s.arg(key));
        return fallback;
    }
    qint64 out = 0;
    if (!toId(v, &out))
        fail(u"field '%1' must be a positive integer"_s.arg(key));
    return out;
}

qint64 FieldReader::count(QLatin1StringView key)
{
    const QJsonValue v = required(key, &QJsonValue::isDouble, "a number"_L1);
    const double d = v.toDouble();
    if (!v.isDouble())
        return 0;
    if (!(d >= 0) || d > 9007199254740991.0 || std::floor(d) != d) {
        fail(u"field '%1' must be a whole number >= 0"_s.arg(key));
        return 0;
    }
    return static_cast<qint64>(d);
}

bool FieldReader::toId(const QJsonValue &v, qint64 *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!(d >= 1) || d > 9007199254740991.0 || std::floor(d) != d)
        return false;
    *out = static_cast<qint64>(d);
    return true;
}

void FieldReader::fail(const QString &message)
{
    if (!m_error)
        m_error = message;
}

bool FieldReader::check(bool valid, const QString &message)
{
    if (!valid)
        fail(message);
    return valid;
}

Rid readRid(const QJsonObject &o)
{
    const QJsonValue rid = o.value("rid"_L1);
    return rid.isString() ? Rid{rid.toString(), true} : Rid{};
}

} // namespace natter::protocol
