#pragma once

#include <QStyledItemDelegate>

namespace natter::app {

// One message: an optional day separator, the sender at the start of a run, the word-wrapped text, and on
// the right the time and, for own messages, their state (queued, sent, delivered, read, failed).
// Own messages sit on a tinted bubble. Heights depend on the view's width (set the view's resize mode to
// Adjust so that rows are measured again when it changes).
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QString stateText(int state); // translated "queued", "sent", ...

private:
    struct Layout {
        QRect day;    // empty when no separator
        QRect sender; // empty when the sender is not shown
        QRect bubble;
        QRect body;
        QRect meta;
        int height = 0;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, int width) const;
    static QString metaText(const QModelIndex &index);
};

} // namespace natter::app
