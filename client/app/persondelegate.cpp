#include "client/app/persondelegate.h"

#include "client/app/conversationdelegate.h"
#include "client/models/peoplemodel.h"

#include <QApplication>
#include <QPainter>

namespace natter::app {

using client::PeopleModel;

namespace {
constexpr int kPad = 6;
constexpr int kDot = 8;
} // namespace

QString PersonDelegate::nameText(const QModelIndex &index)
{
    const QString name = index.data(PeopleModel::NameRole).toString();
    return index.data(PeopleModel::IsSelfRole).toBool() ? tr("%1 (you)").arg(name) : name;
}

QString PersonDelegate::presenceText(bool online)
{
    return online ? tr("online") : tr("offline");
}

QSize PersonDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {160, fm.height() + 2 * kPad};
}

void PersonDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const ConversationDelegate::Colors c = ConversationDelegate::colorsFor(opt.palette, selected);
    const bool online = index.data(PeopleModel::OnlineRole).toBool();
    const QFontMetrics fm(opt.font);
    const QRect r = opt.rect.adjusted(kPad, kPad, -kPad, -kPad);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(online ? c.online : c.offline);
    painter->drawEllipse(QRect(r.left(), r.top() + (fm.height() - kDot) / 2, kDot, kDot));

    const QString presence = presenceText(online);
    const int presenceWidth = fm.horizontalAdvance(presence);
    painter->setFont(opt.font);
    painter->setPen(c.dim);
    painter->drawText(QRect(r.right() - presenceWidth, r.top(), presenceWidth, fm.height()),
                      Qt::AlignRight | Qt::AlignVCenter, presence);

    const int x = r.left() + kDot + kPad;
    const int nameWidth = std::max(0, r.right() - presenceWidth - kPad - x);
    painter->setPen(online ? c.text : c.dim);
    painter->drawText(QRect(x, r.top(), nameWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(nameText(index), Qt::ElideRight, nameWidth));
    painter->restore();
}

} // namespace natter::app
