#pragma once

#include "common/protocol/errors.h"
#include "common/protocol/fieldreader.h"

#include <QByteArrayView>
#include <QJsonObject>

#include <variant>

namespace natter::protocol {

// The first step of parsing an envelope in either direction: UTF-8 text to a JSON object, too_large over
// maxBytes (requests: the 64 KiB of the contract) and bad_request for text that is not JSON or not an
// object. `rid` is filled whenever it can be read, so that an error can still be matched to its request.
std::variant<QJsonObject, Error> parseEnvelopeText(QByteArrayView utf8, qsizetype maxBytes, Rid *rid = nullptr);

} // namespace natter::protocol
