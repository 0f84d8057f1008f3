#include "client/app/listrowdelegate.h"

#include <QApplication>
#include <QPainter>

namespace natter::app {

ListRowDelegate::ListRowDelegate(int lines, int minimumWidth, QObject *parent)
    : QStyledItemDelegate(parent), m_lines(lines), m_minimumWidth(minimumWidth)
{
}

QSize ListRowDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {m_minimumWidth, m_lines * fm.height() + (m_lines + 1) * kPad};
}

void ListRowDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);

    const colors::RowColors c = colors::rowColors(opt.palette, opt.state & QStyle::State_Selected);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    paintRow(painter, opt, index, c, opt.rect.adjusted(kPad, kPad, -kPad, -kPad));
    painter->restore();
}

void ListRowDelegate::paintPresenceDot(QPainter *painter, int left, int top, int lineHeight, const QColor &color)
{
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawEllipse(QRect(left, top + (lineHeight - kDot) / 2, kDot, kDot));
}

} // namespace natter::app
