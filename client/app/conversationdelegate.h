#pragma once

#include "client/app/listrowdelegate.h"

namespace natter::app {

// One row of the conversation list: name (with a presence dot for direct chats), the last message or
// "typing…", the time, and an unread badge. Every colour comes from the palette (colors::rowColors()).
class ConversationDelegate : public ListRowDelegate
{
    Q_OBJECT
public:
    explicit ConversationDelegate(QObject *parent = nullptr) : ListRowDelegate(2, 200, parent) {}

protected:
    void paintRow(QPainter *painter, const QStyleOptionViewItem &opt, const QModelIndex &index,
                  const colors::RowColors &c, const QRect &r) const override;
};

} // namespace natter::app
