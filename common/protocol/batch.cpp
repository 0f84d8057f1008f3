#include "common/protocol/batch.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace natter::protocol {

using namespace Qt::StringLiterals;

ParsedBatch parseRequestBatch(QByteArrayView utf8)
{
    ParsedBatch out;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(utf8.data(), utf8.size()));
    QJsonArray items;
    if (doc.isObject()) {
        items.append(doc.object());
    } else if (doc.isArray()) {
        items = doc.array();
    } else {
        out.error = Error{ErrorCode::BadRequest, u"the body must be a JSON object or an array of them"_s};
        return out;
    }
    out.items.reserve(items.size());
    for (const QJsonValue &item : std::as_const(items)) {
        if (item.isObject()) {
            out.items.append(parseRequest(item.toObject()));
        } else {
            ParsedRequest notObject;
            notObject.value = Error{ErrorCode::BadRequest, u"each envelope must be a JSON object"_s};
            out.items.append(std::move(notObject));
        }
    }
    return out;
}

} // namespace natter::protocol
