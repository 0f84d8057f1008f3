#pragma once

#include "client/app/palettecolors.h"

#include <QStyledItemDelegate>

namespace natter::app {

// The rows of the side lists (conversations, people): the style's item panel (selection, hover, focus),
// then the row's own content in colours from colors::rowColors(), inside a padding of kPad. A row is
// `lines` lines of text high.
class ListRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    ListRowDelegate(int lines, int minimumWidth, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const final;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const final;

protected:
    static constexpr int kPad = 6;
    static constexpr int kDot = 8;

    // Paints the content into `rect` (the row inside its padding); the painter is saved and antialiased.
    virtual void paintRow(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                          const colors::RowColors &colors, const QRect &rect) const = 0;
    // The presence dot at `left`, centred on a line of `lineHeight` starting at `top`.
    static void paintPresenceDot(QPainter *painter, int left, int top, int lineHeight, const QColor &color);

private:
    int m_lines;
    int m_minimumWidth;
};

} // namespace natter::app
