#include "client/app/persondelegate.h"

#include "client/models/peoplemodel.h"

#include <QPainter>

namespace natter::app {

using client::PeopleModel;

QString PersonDelegate::nameText(const QModelIndex &index)
{
    const QString name = index.data(PeopleModel::NameRole).toString();
    return index.data(PeopleModel::IsSelfRole).toBool() ? tr("%1 (you)").arg(name) : name;
}

QString PersonDelegate::presenceText(bool online)
{
    return online ? tr("online") : tr("offline");
}

void PersonDelegate::paintRow(QPainter *painter, const QStyleOptionViewItem &opt, const QModelIndex &index,
                              const colors::RowColors &c, const QRect &r) const
{
    const bool online = index.data(PeopleModel::OnlineRole).toBool();
    const QFontMetrics fm(opt.font);
    paintPresenceDot(painter, r.left(), r.top(), fm.height(), online ? c.online : c.offline);

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
}

} // namespace natter::app
