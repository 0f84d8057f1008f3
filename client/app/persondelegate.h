#pragma once

#include <QStyledItemDelegate>

namespace natter::app {

// One row of the people list: a presence dot, the name ("(you)" for the signed-in user) and, on the right,
// "online" or "offline" in dim text, so that presence does not rest on colour alone. Colours come from
// ConversationDelegate::colorsFor(), so both lists agree under light and dark palettes.
class PersonDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The texts the row shows: the name and the presence word.
    static QString nameText(const QModelIndex &index);
    static QString presenceText(bool online);
};

} // namespace natter::app
