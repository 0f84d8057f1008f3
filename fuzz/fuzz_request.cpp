// parseRequest() on any bytes: no crash, no sanitizer report; whatever parses re-encodes with
// Request::toJson() to the same Request.
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
    const QByteArrayView input(data, qsizetype(size));
    const ParsedRequest parsed = parseRequest(input);
    if (!parsed.ok()) {
        fuzz::require(!parsed.error().message.isEmpty(), "a request error says why", input);
        return 0;
    }
    const Request &request = parsed.request();
    fuzz::require(request.rid == parsed.rid && request.hasRid == parsed.hasRid, "the request keeps its rid", input);
    const QJsonObject json = request.toJson();
    const QByteArray text = encode(json);
    // Re-encoding can lengthen the text past the 64 KiB limit ("ids":[1e15] is written out in full): such
    // a request is re-read from its object instead.
    const ParsedRequest again = text.size() <= kMaxEnvelopeBytes ? parseRequest(QByteArrayView(text)) : parseRequest(json);
    fuzz::require(again.ok(), "a re-encoded request parses", input, text);
    fuzz::require(again.request() == request, "the request round trip gives an equal Request", input, text);
    return 0;
}
