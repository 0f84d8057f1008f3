#pragma once

#include <QList>
#include <QString>
#include <QUrl>

namespace natter::app {

// A link found in plain message text: characters [start, start + length) of the text open `url`.
struct TextLink {
    qsizetype start = 0;
    qsizetype length = 0;
    QUrl url;

    qsizetype end() const { return start + length; }
    friend bool operator==(const TextLink &, const TextLink &) = default;
};

// The links in plain text: http://, https:// and mailto: URLs (scheme in any case) and host names that
// start with "www." (opened as http://). A link starts at the start of a word (not after a letter, digit,
// '.', '@', '/', '-' or '_'), and ends at white space, at < > " ` or at a character that cannot be part of
// a host name before the path starts (so "https://example.com에서" links the host only, while a path may
// hold Hangul). Punctuation that ends a sentence (. , : ; ! ? ' and the CJK 。、，！？：；) is not part of a
// link, nor a closing bracket without its opening one in the link ("(see https://x.org/a_(b))" keeps
// "a_(b)"). The text is never interpreted as markup.
QList<TextLink> findLinks(const QString &text);

} // namespace natter::app
