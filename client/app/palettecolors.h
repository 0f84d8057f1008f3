#pragma once

#include <QColor>
#include <QPalette>

#include <initializer_list>


namespace natter::app::colors {

// Colours for text on a background, all derived from a QPalette so that light and dark themes both read
// well (WCAG 2 contrast ratios; body text aims at >= 4.5). The delegates of the conversation list, the
// people list and the message view take every colour from here.

// WCAG 2 contrast ratio of two opaque colours, 1 (none) to 21 (black on white).
double contrastRatio(const QColor &a, const QColor &b);
// `from` moved towards `to` by `amount` (0: from, 1: to), opaque.
QColor blend(const QColor &from, const QColor &to, double amount);
// The first of `candidates` with at least `minimum` contrast on `background`, else the one with the most.
QColor readable(const QColor &background, std::initializer_list<QColor> candidates, double minimum = 4.5);
// Secondary text (times, states, separators): `text` faded towards `background`, as far as a contrast
// of 4.5 allows.
QColor dimmed(const QColor &text, const QColor &background);

// A row of the conversation or people list.
struct RowColors {
    QColor text;
    QColor dim; // last message, time, "offline"
    QColor typing;
    QColor badge;
    QColor badgeText;
    QColor online;
    QColor offline;
};
// The row's colours under `palette` (selected: on the highlight colour); text keeps a contrast >= 4.5.
RowColors rowColors(const QPalette &palette, bool selected);

// A message's bubble.
struct MessageColors {
    QColor background; // of the bubble
    QColor text;
    QColor dim; // time, state
    QColor link;
    QColor failed; // the state of a message that was not sent
};
// The bubble's colours for a message under `palette`: own messages on Base blended towards Highlight,
// others on AlternateBase, the selected one on Highlight; every text colour keeps a contrast >= 4.5 on
// its background when the palette's own Text/Base pair does.
MessageColors messageColors(const QPalette &palette, bool own, bool selected);

} // namespace natter::app::colors
