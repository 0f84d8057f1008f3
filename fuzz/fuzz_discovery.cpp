// Announcement::fromBytes() on any datagram: no crash, no sanitizer report; whatever parses is valid and
// survives toBytes() -> fromBytes() unchanged, within the datagram limit. sanitizeServerName() makes a
// valid server name of any text.
#include "common/protocol/discovery.h"
#include "fuzz/fuzzcheck.h"

#include <QString>

#include <cstddef>
#include <cstdint>

using namespace natter;
using namespace natter::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(data, qsizetype(size));

    // Any text as a name (UTF-8, and raw UTF-16 with its lone surrogates).
    const QString utf8Name = QString::fromUtf8(input);
    fuzz::require(isValidServerName(sanitizeServerName(utf8Name)), "sanitizeServerName(UTF-8) is valid", input,
                  sanitizeServerName(utf8Name).toUtf8());
    const QStringView utf16Name(reinterpret_cast<const char16_t *>(data), qsizetype(size / 2));
    fuzz::require(isValidServerName(sanitizeServerName(utf16Name)), "sanitizeServerName(UTF-16) is valid", input,
                  sanitizeServerName(utf16Name).toUtf8());

    QString error;
    const std::optional<Announcement> announcement = Announcement::fromBytes(input, &error);
    if (!announcement) {
        fuzz::require(!error.isEmpty(), "a rejected datagram says why", input);
        return 0;
    }
    fuzz::require(announcement->isValid(), "a parsed announcement is valid", input);
    const QByteArray bytes = announcement->toBytes();
    fuzz::require(!bytes.isEmpty() && bytes.size() <= kMaxDiscoveryDatagram, "an announcement fits a datagram",
                  input, bytes);
    const std::optional<Announcement> again = Announcement::fromBytes(bytes, &error);
    fuzz::require(again.has_value(), "a re-encoded announcement parses", input, bytes + "\n*** " + error.toUtf8());
    fuzz::require(*again == *announcement, "the announcement round trip gives an equal Announcement", input, bytes);
    return 0;
}
