#include "client/app/linkify.h"

namespace natter::app {

using namespace Qt::StringLiterals;

namespace {

struct Prefix {
    QLatin1StringView text;
    enum Kind { Web, Mail, Www } kind;
};

constexpr Prefix kPrefixes[] = {
    {"https://"_L1, Prefix::Web},
    {"http://"_L1, Prefix::Web},
    {"mailto:"_L1, Prefix::Mail},
    {"www."_L1, Prefix::Www},
};

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// Characters that may not precede a link: it would be the middle of a word, a path or an address.
bool joinsPrevious(QChar c)
{
    return c.isLetterOrNumber() || c == u'.' || c == u'@' || c == u'/' || c == u'-' || c == u'_' || c == u':'
        || c == u'+';
}

// Ends a link wherever it is.
bool endsLink(QChar c)
{
    return c.isSpace() || c.category() == QChar::Other_Control || c == u'<' || c == u'>' || c == u'"' || c == u'`'
        || c == QChar(0x3000); // ideographic space
}

// May be part of the host (and port, user info) of a URL: ASCII only, so that a particle written right after
// a bare host name ("example.com에서") is not taken into it. Internationalised hosts need their punycode.
bool isHostChar(QChar c)
{
    return isAsciiAlnum(c) || c == u'.' || c == u'-' || c == u':' || c == u'@' || c == u'_' || c == u'%'
        || c == u'[' || c == u']';
}

bool isTrailingPunctuation(QChar c)
{
    static const QString kTrailing = u".,:;!?'*~。、，！？：；…"_s;
    return kTrailing.contains(c);
}

QChar openingOf(QChar c)
{
    switch (c.unicode()) {
    case u')': return u'(';
    case u']': return u'[';
    case u'}': return u'{';
    case 0xff09: return QChar(0xff08); // fullwidth parentheses
    case 0x300d: return QChar(0x300c); // 「」
    case 0x300f: return QChar(0x300e); // 『』
    case 0x3011: return QChar(0x3010); // 【】
    default: return {};
    }
}

// Where the link that starts at `from` (at the prefix) ends, before trimming.
qsizetype scanEnd(const QString &text, qsizetype from, qsizetype prefixLength)
{
    qsizetype i = from + prefixLength;
    bool inHost = true;
    for (; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (endsLink(c))
            break;
        if (inHost) {
            if (c == u'/' || c == u'?' || c == u'#')
                inHost = false;
            else if (!isHostChar(c))
                break;
        }
    }
    return i;
}

// Drops sentence punctuation and unbalanced closing brackets from the end of [start, end).
qsizetype trimEnd(const QString &text, qsizetype start, qsizetype end)
{
    while (end > start) {
        const QChar last = text.at(end - 1);
        if (isTrailingPunctuation(last)) {
            --end;
            continue;
        }
        const QChar opening = openingOf(last);
        if (!opening.isNull()) {
            const QStringView link = QStringView(text).mid(start, end - start);
            if (link.count(last) > link.count(opening)) {
                --end;
                continue;
            }
        }
        break;
    }
    return end;
}

bool startsWithAt(const QString &text, qsizetype at, QLatin1StringView prefix)
{
    return QStringView(text).mid(at).startsWith(prefix, Qt::CaseInsensitive);
}

// The URL for the candidate text, or an invalid one when it is not a usable link.
QUrl urlFor(const QString &candidate, Prefix::Kind kind)
{
    switch (kind) {
    case Prefix::Web: {
        const QUrl url(candidate, QUrl::TolerantMode);
        if (!url.isValid() || url.host().isEmpty() || !isAsciiAlnum(url.host().back()))
            return {};
        return url;
    }
    case Prefix::Mail: {
        const QUrl url(candidate, QUrl::TolerantMode);
        const QString address = url.path();
        const qsizetype at = address.indexOf(u'@');
        if (!url.isValid() || at <= 0 || at == address.size() - 1)
            return {};
        return url;
    }
    case Prefix::Www: {
        // "www." and then at least "name.tld".
        const QStringView host = QStringView(candidate).mid(4);
        const qsizetype hostEnd = [&] {
            qsizetype n = 0;
            while (n < host.size() && host.at(n) != u'/' && host.at(n) != u'?' && host.at(n) != u'#'
                   && host.at(n) != u':')
                ++n;
            return n;
        }();
        const QStringView name = host.left(hostEnd);
        const qsizetype dot = name.indexOf(u'.');
        if (dot <= 0 || dot == name.size() - 1 || !isAsciiAlnum(name.back()))
            return {};
        const QUrl url(u"http://"_s + candidate, QUrl::TolerantMode);
        return url.isValid() && !url.host().isEmpty() ? url : QUrl();
    }
    }
    return {};
}

} // namespace

QList<TextLink> findLinks(const QString &text)
{
    QList<TextLink> links;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        // Every prefix starts with h, H, m, M, w or W.
        const char16_t lower = c.toLower().unicode();
        if ((lower != u'h' && lower != u'm' && lower != u'w') || (i > 0 && joinsPrevious(text.at(i - 1)))) {
            ++i;
            continue;
        }
        bool found = false;
        for (const Prefix &prefix : kPrefixes) {
            if (!startsWithAt(text, i, prefix.text))
                continue;
            const qsizetype end = trimEnd(text, i, scanEnd(text, i, prefix.text.size()));
            if (end <= i + prefix.text.size())
                break;
            const QUrl url = urlFor(text.mid(i, end - i), prefix.kind);
            if (url.isValid()) {
                links.append({i, end - i, url});
                i = end;
                found = true;
            }
            break;
        }
        if (!found)
            ++i;
    }
    return links;
}

} // namespace natter::app
