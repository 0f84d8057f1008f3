#include "client/app/conversationdelegate.h"

#include "client/app/messagedelegate.h" // colors::
#include "client/models/conversationlistmodel.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace natter::app {

using client::ConversationListModel;

namespace {
constexpr int kPad = 6;
constexpr int kDot = 8;
} // namespace

ConversationDelegate::Colors ConversationDelegate::colorsFor(const QPalette &palette, bool selected)
{
    Colors c;
    const QColor background = palette.color(selected ? QPalette::Highlight : QPalette::Base);
    c.text = colors::readable(background, {palette.color(selected ? QPalette::HighlightedText : QPalette::Text),
                                           palette.color(QPalette::Text), palette.color(QPalette::Base)});
    c.dim = colors::dimmed(c.text, background);
    c.typing = selected ? c.text : colors::readable(background, {palette.color(QPalette::Link), c.text});
    // The badge stands out from the row: the highlight colour, or the row's text colour on a selected row.
    c.badge = selected ? c.text : palette.color(QPalette::Highlight);
    c.badgeText = colors::readable(c.badge, {palette.color(selected ? QPalette::Highlight : QPalette::HighlightedText),
                                             palette.color(QPalette::Base), palette.color(QPalette::Text)});
    // Presence is not a palette role: a green that reads on this background, and "offline" as dim text.
    // (On a selected row, where no green reads well, the text colour.)
    c.online = colors::readable(background, {QColor(0x1e, 0x8e, 0x3e), QColor(0x4c, 0xd9, 0x64), c.text}, 3.0);
    c.offline = colors::dimmed(c.text, background);
    return c;
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {200, 2 * fm.height() + 3 * kPad};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const Colors c = colorsFor(opt.palette, selected);
    const QString name = index.data(ConversationListModel::DisplayNameRole).toString();
    const bool isRoom = index.data(ConversationListModel::IsRoomRole).toBool();
    const bool online = index.data(ConversationListModel::OnlineRole).toBool();
    const int unread = index.data(ConversationListModel::UnreadRole).toInt();
    const bool typing = index.data(ConversationListModel::TypingRole).toBool();
    const QDateTime time = index.data(ConversationListModel::LastTimeRole).toDateTime();
    QString last = index.data(ConversationListModel::LastBodyRole).toString().simplified();
    if (typing)
        last = tr("typing…");

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont bold = opt.font;
    bold.setBold(true);
    const QFontMetrics fm(opt.font);
    const QFontMetrics bfm(bold);
    const QRect r = opt.rect.adjusted(kPad, kPad, -kPad, -kPad);
    int x = r.left();

    if (!isRoom) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(online ? c.online : c.offline);
        painter->drawEllipse(QRect(x, r.top() + (bfm.height() - kDot) / 2, kDot, kDot));
        x += kDot + kPad;
    }

    // Right column: time on the first line, unread badge on the second.
    const QString timeText = !time.isValid() ? QString()
        : time.date() == QDate::currentDate() ? QLocale().toString(time.time(), QLocale::ShortFormat)
                                              : QLocale().toString(time.date(), QLocale::ShortFormat);
    const int timeWidth = fm.horizontalAdvance(timeText);
    painter->setPen(c.dim);
    painter->setFont(opt.font);
    painter->drawText(QRect(r.right() - timeWidth, r.top(), timeWidth, fm.height()), Qt::AlignRight, timeText);

    int badgeWidth = 0;
    if (unread > 0) {
        const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        badgeWidth = std::max(bfm.horizontalAdvance(count) + kPad * 2, bfm.height());
        const QRect badge(r.right() - badgeWidth, r.top() + fm.height() + kPad, badgeWidth, bfm.height());
        painter->setPen(Qt::NoPen);
        painter->setBrush(c.badge);
        painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
        painter->setPen(c.badgeText);
        painter->setFont(bold);
        painter->drawText(badge, Qt::AlignCenter, count);
    }

    painter->setFont(unread > 0 ? bold : opt.font);
    painter->setPen(c.text);
    const int nameWidth = r.right() - timeWidth - kPad - x;
    painter->drawText(QRect(x, r.top(), nameWidth, bfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      bfm.elidedText(name, Qt::ElideRight, nameWidth));

    painter->setFont(opt.font);
    painter->setPen(typing ? c.typing : c.dim);
    const int lastWidth = r.right() - badgeWidth - kPad - x;
    painter->drawText(QRect(x, r.top() + fm.height() + kPad, lastWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(last, Qt::ElideRight, lastWidth));
    painter->restore();
}

} // namespace natter::app
