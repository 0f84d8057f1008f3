#include "client/app/palettecolors.h"

#include <algorithm>
#include <cmath>

namespace natter::app::colors {

namespace {
double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor blend(const QColor &from, const QColor &to, double amount)
{
    const QColor f = from.toRgb();
    const QColor t = to.toRgb();
    const auto mix = [amount](double x, double y) { return x + (y - x) * amount; };
    return QColor::fromRgbF(float(mix(f.redF(), t.redF())), float(mix(f.greenF(), t.greenF())),
                            float(mix(f.blueF(), t.blueF())));
}

QColor readable(const QColor &background, std::initializer_list<QColor> candidates, double minimum)
{
    QColor best;
    double bestRatio = 0;
    for (const QColor &c : candidates) {
        const double ratio = contrastRatio(c, background);
        if (ratio >= minimum)
            return c;
        if (ratio > bestRatio) {
            best = c;
            bestRatio = ratio;
        }
    }
    return best;
}

QColor dimmed(const QColor &text, const QColor &background)
{
    for (double amount = 0.4; amount > 0.01; amount -= 0.05) {
        const QColor c = blend(text, background, amount);
        if (contrastRatio(c, background) >= 4.5)
            return c;
    }
    return text;
}

RowColors rowColors(const QPalette &palette, bool selected)
{
    RowColors c;
    const QColor background = palette.color(selected ? QPalette::Highlight : QPalette::Base);
    c.text = readable(background, {palette.color(selected ? QPalette::HighlightedText : QPalette::Text),
                                   palette.color(QPalette::Text), palette.color(QPalette::Base)});
    c.dim = dimmed(c.text, background);
    c.typing = selected ? c.text : readable(background, {palette.color(QPalette::Link), c.text});
    // The badge stands out from the row: the highlight colour, or the row's text colour on a selected row.
    c.badge = selected ? c.text : palette.color(QPalette::Highlight);
    c.badgeText = readable(c.badge, {palette.color(selected ? QPalette::Highlight : QPalette::HighlightedText),
                                     palette.color(QPalette::Base), palette.color(QPalette::Text)});
    // Presence is not a palette role: a green that reads on this background, and "offline" as dim text.
    // (On a selected row, where no green reads well, the text colour.)
    c.online = readable(background, {QColor(0x1e, 0x8e, 0x3e), QColor(0x4c, 0xd9, 0x64), c.text}, 3.0);
    c.offline = dimmed(c.text, background);
    return c;
}

MessageColors messageColors(const QPalette &palette, bool own, bool selected)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor highlight = palette.color(QPalette::Highlight);
    MessageColors c;
    if (selected) {
        c.background = highlight;
        c.text = readable(highlight, {palette.color(QPalette::HighlightedText), palette.color(QPalette::Text),
                                      palette.color(QPalette::Base)});
        c.dim = dimmed(c.text, c.background);
        c.link = c.text; // underlined: still a link
        c.failed = c.text;
        return c;
    }
    const QColor text = palette.color(QPalette::Text);
    if (own) {
        // A tint of the highlight colour, as strong as the text's contrast allows.
        c.background = base;
        for (double amount = 0.25; amount > 0.01; amount -= 0.05) {
            const QColor tint = blend(base, highlight, amount);
            if (contrastRatio(text, tint) >= 4.5) {
                c.background = tint;
                break;
            }
        }
    } else {
        const QColor alternate = palette.color(QPalette::AlternateBase);
        c.background = contrastRatio(text, alternate) >= 4.5 ? alternate : base;
    }
    c.text = text;
    c.dim = dimmed(text, c.background);
    c.link = readable(c.background, {palette.color(QPalette::Link), palette.color(QPalette::LinkVisited), text});
    // Not a palette role: a red that reads on this background (dark on light, light on dark).
    c.failed = readable(c.background, {QColor(0xc0, 0x39, 0x2b), QColor(0xff, 0x8a, 0x80), text});
    return c;
}

} // namespace natter::app::colors
