#include "common/protocol/envelope.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace natter::protocol {

using namespace Qt::StringLiterals;

namespace {
// Larger texts are not even parsed to find their rid.
constexpr qsizetype kMaxRidScanBytes = 1024 * 1024;
} // namespace

std::variant<QJsonObject, Error> parseEnvelopeText(QByteArrayView utf8, qsizetype maxBytes, Rid *rid)
{
    const QByteArray text = QByteArray::fromRawData(utf8.data(), utf8.size());
    if (utf8.size() > maxBytes) {
        if (rid && utf8.size() <= kMaxRidScanBytes)
            *rid = readRid(QJsonDocument::fromJson(text).object());
        return Error{ErrorCode::TooLarge, u"envelope exceeds %1 KiB"_s.arg(maxBytes / 1024)};
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
    if (err.error != QJsonParseError::NoError)
        return Error{ErrorCode::BadRequest,
                     u"not valid JSON: %1 at offset %2"_s.arg(err.errorString()).arg(err.offset)};
    if (!doc.isObject())
        return Error{ErrorCode::BadRequest, u"an envelope must be a JSON object"_s};
    QJsonObject object = doc.object();
    if (rid)
        *rid = readRid(object);
    return object;
}

} // namespace natter::protocol
