#include "common/protocol/fieldreader.h"

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
