#pragma once

#include "common/protocol/errors.h"
#include "common/protocol/fieldreader.h"

#include <QByteArrayView>
#include <QJsonObject>

#include <optional>
#include <variant>

namespace natter::protocol {

// The first step of parsing an envelope in either direction: UTF-8 text to a JSON object, too_large over
// maxBytes (requests: the 64 KiB of the contract) and bad_request for text that is not JSON or not an
// object. `rid` is filled whenever it can be read, so that an error can still be matched to its request.
std::variant<QJsonObject, Error> parseEnvelopeText(QByteArrayView utf8, qsizetype maxBytes, Rid *rid = nullptr);

// The head of an envelope object in either direction: copies its rid into `out` and returns its "type", or
// returns nothing with the error in out.value when the type is missing or not a string.
template <typename Parsed> std::optional<QString> readHead(const QJsonObject &o, Parsed &out)
{
    const Rid rid = readRid(o);
    out.rid = rid.value;
    out.hasRid = rid.present;
    FieldReader r(o);
    QString type = r.string(QLatin1StringView("type"));
    if (r.failed()) {
        out.value = r.error();
        return std::nullopt;
    }
    return type;
}

// Text to a parsed envelope of either direction (ParsedRequest, ParsedServerEvent): parseEnvelopeText(),
// then `fromObject` on the object; a failure of the first step keeps the rid when it could be read.
template <typename Parsed, typename FromObject>
Parsed parseEnvelope(QByteArrayView utf8, qsizetype maxBytes, FromObject fromObject)
{
    Rid rid;
    auto object = parseEnvelopeText(utf8, maxBytes, &rid);
    if (auto *error = std::get_if<Error>(&object)) {
        Parsed out;
        out.rid = rid.value;
        out.hasRid = rid.present;
        out.value = std::move(*error);
        return out;
    }
    return fromObject(std::get<QJsonObject>(object));
}

} // namespace natter::protocol
