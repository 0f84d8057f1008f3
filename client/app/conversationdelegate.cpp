#include "client/app/conversationdelegate.h"

#include "client/models/conversationlistmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>

namespace natter::app {

using client::ConversationListModel;

void ConversationDelegate::paintRow(QPainter *painter, const QStyleOptionViewItem &opt, const QModelIndex &index,
                                    const colors::RowColors &c, const QRect &r) const
{
    const QString name = index.data(ConversationListModel::DisplayNameRole).toString();
    const bool isRoom = index.data(ConversationListModel::IsRoomRole).toBool();
    const bool online = index.data(ConversationListModel::OnlineRole).toBool();
    const int unread = index.data(ConversationListModel::UnreadRole).toInt();
    const bool typing = index.data(ConversationListModel::TypingRole).toBool();
    const QDateTime time = index.data(ConversationListModel::LastTimeRole).toDateTime();
    QString last = index.data(ConversationListModel::LastBodyRole).toString().simplified();
    if (typing)
        last = tr("typing…");

    QFont bold = opt.font;
    bold.setBold(true);
    const QFontMetrics fm(opt.font);
    const QFontMetrics bfm(bold);
    int x = r.left();

    if (!isRoom) {
        paintPresenceDot(painter, x, r.top(), bfm.height(), online ? c.online : c.offline);
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
}

} // namespace natter::app
