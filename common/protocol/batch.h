#pragma once

#include "common/protocol/errors.h"
#include "common/protocol/requests.h"

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace natter::protocol {

// The body of a long-polling POST /api/v1/send (docs/protocol.md, "Long-polling door"): one envelope
// object or an array of them. The 64 KiB limit is the caller's (it answers too_large before reading a
// token); this is the pure step from body bytes to parsed envelopes.
struct ParsedBatch {
    // Set when the body as a whole is neither a JSON object nor an array: the door answers 400.
    std::optional<Error> error;
    // One per envelope, in order. An array element that is not an object is an error without a rid.
    QList<ParsedRequest> items;
};

ParsedBatch parseRequestBatch(QByteArrayView utf8);

} // namespace natter::protocol
