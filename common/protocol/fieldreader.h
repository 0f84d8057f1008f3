#pragma once

#include "common/protocol/errors.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace natter::protocol {

// Reads the fields of one envelope for the parsers of both directions (requests.cpp, serverevents.cpp):
// a required field that is absent or of the wrong type is a protocol error, never a default value. The
// first failure is kept; later reads return empty values and change nothing.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &o) : m_o(o) {}

    const QJsonObject &object() const { return m_o; }
    QString string(QLatin1StringView key);
    bool boolean(QLatin1StringView key);
    // A positive whole number up to 2^53 - 1 (a message id); optional ones give `fallback` when absent or null.
    qint64 id(QLatin1StringView key, bool required = true, qint64 fallback = 0);
    // A whole number >= 0.
    qint64 count(QLatin1StringView key);
    // An array; empty (and a failure) when absent or not an array.
    QJsonArray array(QLatin1StringView key);

    static bool toId(const QJsonValue &v, qint64 *out);

    // Records a failure with this message unless one is recorded already.
    void fail(const QString &message);
    // Records `message` when `valid` is false; returns valid.
    bool check(bool valid, const QString &message);
    bool failed() const { return m_error.has_value(); }
    Error error() const { return Error{ErrorCode::BadRequest, m_error.value_or(QString())}; }

private:
    QJsonValue required(QLatin1StringView key, bool (QJsonValue::*is)() const, QLatin1StringView what);

    const QJsonObject &m_o;
    std::optional<QString> m_error;
};

// The optional string "rid" of any envelope.
struct Rid {
    QString value;
    bool present = false;
};
Rid readRid(const QJsonObject &o);

} // namespace natter::protocol
