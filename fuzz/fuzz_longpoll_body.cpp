// parseRequestBatch(), the long-polling door's POST /api/v1/send body step, on any bytes (up to the
// door's 64 KiB): no crash, no sanitizer report; every envelope that parses round-trips like a single
// request, and a body that parseRequest() takes as one envelope is a batch of exactly that request.
#include "common/protocol/batch.h"
#include "common/protocol/events.h"
#include "common/protocol/requests.h"
#include "common/protocol/validation.h"
#include "fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace natter;
using namespace natter::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > std::size_t(kMaxEnvelopeBytes))
        return 0; // the door answers too_large before it reads the body
    const QByteArrayView input(data, qsizetype(size));
    const ParsedBatch batch = parseRequestBatch(input);
    if (batch.error) {
        fuzz::require(batch.items.isEmpty() && !batch.error->message.isEmpty(),
                      "a rejected body has no envelopes and says why", input);
        fuzz::require(!parseRequest(input).ok(), "a body the batch rejects is not one request", input);
        return 0;
    }
    for (const ParsedRequest &item : batch.items) {
        if (!item.ok()) {
            fuzz::require(!item.error().message.isEmpty(), "an envelope error says why", input);
            continue;
        }
        const QJsonObject json = item.request().toJson();
        const ParsedRequest again = parseRequest(json);
        fuzz::require(again.ok() && again.request() == item.request(), "a batched request round-trips", input,
                      encode(json));
    }
    const ParsedRequest single = parseRequest(input);
    if (single.ok()) {
        fuzz::require(batch.items.size() == 1 && batch.items.first().ok() &&
                          batch.items.first().request() == single.request(),
                      "a single envelope is a batch of one", input);
    }
    return 0;
}
