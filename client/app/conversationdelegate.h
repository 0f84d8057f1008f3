#pragma once

#include <QStyledItemDelegate>

namespace natter::app {

// One row of the conversation list: name (with a presence dot for direct chats), the last message or
// "typing…", the time, and an unread badge.
class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace natter::app
