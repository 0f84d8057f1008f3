#include "conversationdelegate.h"

#include "models/conversationlistmodel.h"

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
    const QPalette &pal = opt.palette;
    const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);

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
        painter->setBrush(online ? QColor(0x2e, 0xcc, 0x71) : QColor(0x95, 0xa5, 0xa6));
        painter->drawEllipse(QRect(x, r.top() + (bfm.height() - kDot) / 2, kDot, kDot));
        x += kDot + kPad;
    }

    // Right column: time on the first line, unread badge on the second.
    const QString timeText = !time.isValid() ? QString()
        : time.date() == QDate::currentDate() ? QLocale().toString(time.time(), QLocale::ShortFormat)
                                              : QLocale().toString(time.date(), QLocale::ShortFormat);
    const int timeWidth = fm.horizontalAdvance(timeText);
    painter->setPen(dim);
    painter->setFont(opt.font);
    painter->drawText(QRect(r.right() - timeWidth, r.top(), timeWidth, fm.height()), Qt::AlignRight, timeText);

    int badgeWidth = 0;
    if (unread > 0) {
        const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        badgeWidth = std::max(bfm.horizontalAdvance(count) + kPad * 2, bfm.height());
        const QRect badge(r.right() - badgeWidth, r.top() + fm.height() + kPad, badgeWidth, bfm.height());
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0x2f, 0x80, 0xed));
        painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
        painter->setPen(Qt::white);
        painter->setFont(bold);
        painter->drawText(badge, Qt::AlignCenter, count);
    }

    painter->setFont(unread > 0 ? bold : opt.font);
    painter->setPen(text);
    const int nameWidth = r.right() - timeWidth - kPad - x;
    painter->drawText(QRect(x, r.top(), nameWidth, bfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      bfm.elidedText(name, Qt::ElideRight, nameWidth));

    painter->setFont(opt.font);
    painter->setPen(typing ? pal.color(selected ? QPalette::HighlightedText : QPalette::Link) : dim);
    const int lastWidth = r.right() - badgeWidth - kPad - x;
    painter->drawText(QRect(x, r.top() + fm.height() + kPad, lastWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(last, Qt::ElideRight, lastWidth));
    painter->restore();
}

} // namespace natter::app
