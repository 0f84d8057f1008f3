#pragma once

#include "common/protocol/errors.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace natter::protocol {

// Reads the fields of one envelope for the parsers of both directions (requests.cpp, serverevents.cpp):
// a required field that is absent or of the wrong type is a protocol error, never a default value. The
// first failure is kept; later reads return empty values and change nothing.
// A rule that a string field follows (validation.h), and how an error message says it.
struct StringRule {
    bool (*valid)(QStringView);
    const char *what; // "'to' must be <what>"
};

namespace rules {
extern const StringRule userName;    // 1-32 of A-Z a-z 0-9 _ . -
extern const StringRule roomName;    // '#' and a user-name-shaped name
extern const StringRule destination; // a user name or #room
extern const StringRule device;
extern const StringRule cid;
extern const StringRule body;
extern const StringRule password;
extern const StringRule nonEmpty;
} // namespace rules

class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &o)
        : m_o(o)
    {}

    const QJsonObject &object() const { return m_o; }
    QString string(QLatin1StringView key);
    bool boolean(QLatin1StringView key);
    // A positive whole number up to 2^53 - 1 (a message id); optional ones give `fallback` when absent or null.
    qint64 id(QLatin1StringView key, bool required = true, qint64 fallback = 0);
    // A whole number >= 0.
    qint64 count(QLatin1StringView key);
    // An array; empty (and a failure) when absent or not an array.
    QJsonArray array(QLatin1StringView key);

    // A string that follows one of the contract's rules (below); the failure names the field and the rule.
    QString string(QLatin1StringView key, const struct StringRule &rule);
    // "2026-11-28T10:00:00.000Z" as milliseconds since the epoch.
    qint64 timestamp(QLatin1StringView key);
    // An array of message ids.
    QList<qint64> ids(QLatin1StringView key);

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
