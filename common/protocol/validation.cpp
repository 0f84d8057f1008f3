#include "common/protocol/validation.h"

namespace natter::protocol {

using namespace Qt::StringLiterals;

namespace {
bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_'
        || u == u'.' || u == u'-';
}
} // namespace

bool isValidUserName(QStringView name)
{
    if (name.isEmpty() || name.size() > kMaxNameLength)
        return false;
    for (QChar c : name) {
        if (!isNameChar(c))
            return false;
    }
    return true;
}

bool isValidRoomName(QStringView room)
{
    return room.size() >= 2 && room.front() == u'#' && isValidUserName(room.mid(1));
}

bool isValidDestination(QStringView to)
{
    return to.startsWith(u'#') ? isValidRoomName(to) : isValidUserName(to);
}

bool isValidDevice(QStringView device)
{
    if (device.isEmpty() || device.size() > kMaxDeviceLength)
        return false;
    for (QChar c : device) {
        if (c.unicode() < u'!' || c.unicode() > u'~')
            return false;
    }
    return true;
}

bool isValidCid(QStringView cid)
{
    return !cid.isEmpty() && cid.size() <= kMaxCidLength;
}

qsizetype codePointCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

bool isValidBody(QStringView body)
{
    if (body.isEmpty() || body.size() > 2 * kMaxBodyCodePoints)
        return false;
    return codePointCount(body) <= kMaxBodyCodePoints;
}

QString confusableSkeleton(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (QChar c : name) {
        if (c == u'I' || c == u'l' || c == u'1' || c == u'|')
            out += u'l';
        else if (c == u'O' || c == u'0')
            out += u'o';
        else
            out += c.toLower();
    }
    out.replace(u"rn"_s, u"m"_s);
    out.replace(u"vv"_s, u"w"_s);
    return out;
}

QString nameKey(QStringView name)
{
    return name.toString().toLower();
}

} // namespace natter::protocol
