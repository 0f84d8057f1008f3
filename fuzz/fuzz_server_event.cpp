// parseServerEvent() on any bytes: no crash, no sanitizer report; whatever parses re-encodes with
// ServerEvent::toJson() to the same ServerEvent, and encodeMessage() writes the same text as the generic
// encoder for every message (the server's fan-out path relies on it).
#include "common/protocol/events.h"
#include "common/protocol/serverevents.h"
#include "fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace natter;
using namespace natter::protocol;

namespace {

void checkMessageEncoding(const ChatMessage &m, QByteArrayView input)
{
    const QByteArray fast = encodeMessage(m);
    const QByteArray generic = encode(m.toJson());
    fuzz::require(fast == generic, "encodeMessage() writes what encode(toJson()) writes", input,
                  fast + "\n*** generic: " + generic);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(data, qsizetype(size));
    const ParsedServerEvent parsed = parseServerEvent(input);
    if (!parsed.ok()) {
        fuzz::require(!parsed.error().message.isEmpty(), "a server event error says why", input);
        return 0;
    }
    const ServerEvent &event = parsed.event();
    fuzz::require(event.rid == parsed.rid && event.hasRid == parsed.hasRid, "the event keeps its rid", input);
    fuzz::require(!event.typeName().isEmpty(), "the event names its type", input);
    const QByteArray text = encode(event.toJson());
    const ParsedServerEvent again = parseServerEvent(QByteArrayView(text));
    fuzz::require(again.ok(), "a re-encoded server event parses", input, text);
    fuzz::require(again.event() == event, "the server event round trip gives an equal ServerEvent", input, text);

    if (const auto *m = std::get_if<ChatMessage>(&event.body)) {
        checkMessageEncoding(*m, input);
    } else if (const auto *h = std::get_if<HistoryEvent>(&event.body)) {
        for (const ChatMessage &m : h->messages)
            checkMessageEncoding(m, input);
    }
    return 0;
}
