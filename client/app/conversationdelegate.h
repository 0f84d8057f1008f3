#pragma once

#include <QStyledItemDelegate>

namespace natter::app {

// One row of the conversation list: name (with a presence dot for direct chats), the last message or
// "typing…", the time, and an unread badge. Every colour comes from the palette (see colorsFor()).
class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    struct Colors {
        QColor text;
        QColor dim; // last message, time, "offline"
        QColor typing;
        QColor badge;
        QColor badgeText;
        QColor online;
        QColor offline;
    };
    // The row's colours under `palette` (selected: on the highlight colour); text keeps a contrast >= 4.5.
    static Colors colorsFor(const QPalette &palette, bool selected);
};

} // namespace natter::app
