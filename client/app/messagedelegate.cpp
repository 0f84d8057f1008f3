#include "messagedelegate.h"

#include "models/messagelistmodel.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QLocale>
#include <QPainter>

namespace natter::app {

using client::MessageListModel;
using client::MessageState;

namespace {
constexpr int kPad = 6;
constexpr int kMargin = 10;

int viewWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    return option.rect.width() > 0 ? option.rect.width() : 480;
}
} // namespace

QString MessageDelegate::stateText(int state)
{
    switch (MessageState(state)) {
    case MessageState::Queued: return tr("queued");
    case MessageState::Sent: return tr("sent");
    case MessageState::Delivered: return tr("delivered");
    case MessageState::Read: return tr("read");
    case MessageState::Failed: return tr("not sent");
    case MessageState::Received: break;
    }
    return {};
}

QString MessageDelegate::metaText(const QModelIndex &index)
{
    const QDateTime time = index.data(MessageListModel::TimeRole).toDateTime();
    QString text = QLocale().toString(time.time(), QLocale::ShortFormat);
    if (index.data(MessageListModel::IsOwnRole).toBool()) {
        const QString state = stateText(index.data(MessageListModel::StateRole).toInt());
        if (!state.isEmpty())
            text = tr("%1 · %2").arg(text, state);
    }
    return text;
}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option, const QModelIndex &index, int width) const
{
    Layout l;
    const QFontMetrics fm(option.font);
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics sfm(small);
    int y = option.rect.top() + kPad / 2;
    const int left = option.rect.left() + kMargin;
    const int inner = std::max(width - 2 * kMargin, 80);
    if (index.data(MessageListModel::ShowDaySeparatorRole).toBool()) {
        l.day = QRect(left, y, inner, sfm.height() + kPad);
        y += l.day.height() + kPad;
    }
    if (index.data(MessageListModel::ShowSenderRole).toBool()) {
        QFont bold = option.font;
        bold.setBold(true);
        l.sender = QRect(left, y, inner, QFontMetrics(bold).height());
        y += l.sender.height() + 2;
    }
    const int metaWidth = sfm.horizontalAdvance(metaText(index)) + kPad;
    const int textWidth = std::max(inner - metaWidth - 3 * kPad, 40);
    const QString body = index.data(MessageListModel::BodyRole).toString();
    const QRect text = fm.boundingRect(QRect(0, 0, textWidth, 1 << 20), Qt::TextWordWrap, body);
    l.bubble = QRect(left, y, inner, std::max(text.height(), fm.height()) + kPad);
    l.body = QRect(left + kPad, y + kPad / 2, textWidth, text.height());
    l.meta = QRect(l.bubble.right() - metaWidth - kPad / 2, y + kPad / 2, metaWidth, sfm.height());
    l.height = l.bubble.bottom() - option.rect.top() + kPad / 2;
    return l;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    opt.rect = QRect(0, 0, viewWidth(option), 0);
    return {opt.rect.width(), layout(opt, index, opt.rect.width()).height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout l = layout(option, index, option.rect.width());
    const QPalette &pal = option.palette;
    QColor dim = pal.color(QPalette::Text);
    dim.setAlphaF(0.6f);
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const bool own = index.data(MessageListModel::IsOwnRole).toBool();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (!l.day.isEmpty()) {
        painter->setFont(small);
        painter->setPen(dim);
        const QString label = index.data(MessageListModel::DayLabelRole).toString();
        const int w = QFontMetrics(small).horizontalAdvance(label) + 4 * kPad;
        const int mid = l.day.center().y();
        painter->drawLine(l.day.left(), mid, l.day.center().x() - w / 2, mid);
        painter->drawLine(l.day.center().x() + w / 2, mid, l.day.right(), mid);
        painter->drawText(l.day, Qt::AlignCenter, label);
    }
    if (!l.sender.isEmpty()) {
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(own ? pal.color(QPalette::Link) : pal.color(QPalette::Text));
        painter->drawText(l.sender, Qt::AlignLeft | Qt::AlignVCenter, index.data(MessageListModel::FromRole).toString());
    }
    QColor bubble = own ? pal.color(QPalette::Highlight) : pal.color(QPalette::AlternateBase);
    bubble.setAlphaF(own ? 0.14f : 1.0f);
    if (option.state & QStyle::State_Selected)
        bubble = pal.color(QPalette::Highlight).lighter(150);
    painter->setPen(Qt::NoPen);
    painter->setBrush(bubble);
    painter->drawRoundedRect(l.bubble, 6, 6);

    painter->setFont(option.font);
    painter->setPen(pal.color(QPalette::Text));
    painter->drawText(l.body, Qt::TextWordWrap, index.data(MessageListModel::BodyRole).toString());

    const bool failed = index.data(MessageListModel::StateRole).toInt() == int(MessageState::Failed);
    painter->setFont(small);
    painter->setPen(failed ? QColor(0xc0, 0x39, 0x2b) : dim);
    painter->drawText(l.meta, Qt::AlignRight | Qt::AlignTop, metaText(index));
    painter->restore();
}

} // namespace natter::app
