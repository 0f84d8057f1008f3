#pragma once

#include "client/app/linkify.h"

#include <QPointer>
#include <QStyledItemDelegate>
#include <QUrl>

class QAbstractItemModel;
class QAbstractItemView;

namespace natter::app {

class MessageRowLayout;

// One message: an optional day separator, the sender at the start of a run, the word-wrapped text with its
// links, and on the right the time and, for own messages, their state (queued, sent, delivered, read,
// failed). Own messages sit on a bubble tinted towards the palette's highlight colour (colors::messageColors).
//
// The delegate paints, sizes and hit-tests; where each part of a row goes, and the per-row cache of
// heights and laid-out text that makes this cheap, is MessageRowLayout's.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The model whose rows the cache follows (the one the view shows); set it before the view's model so
    // the cache is up to date before the view lays out. Null: no cache, every row is measured each time.
    void setModel(QAbstractItemModel *model);
    // Forgets every measurement (the font or style changed).
    void invalidateAll();

    static QString stateText(int state); // translated "queued", "sent", ...
    // The time/state column of an own message: "10:58 · delivered".
    static QString timeAndState(const QString &time, const QString &state);

    // Hit-testing, in the coordinates of option.rect (the item's visual rect in the view).
    struct LinkRect {
        QUrl url;
        QRect rect; // one per line a link covers
    };
    QList<LinkRect> linkRects(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QUrl linkAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;
    // The links of a message, in text order.
    QList<TextLink> links(const QModelIndex &index) const;
    // The text exactly as it is laid out and drawn (plain text, never markup).
    QString displayedText(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    // For tests: how many times text has been laid out (measured or prepared for painting).
    int textLayoutCount() const;

private:
    int viewWidth(const QStyleOptionViewItem &option) const;
    static QString metaText(const QModelIndex &index);

    MessageRowLayout *m_rows;
    mutable QPointer<const QAbstractItemView> m_view; // the view sizes are asked for (guards m_viewWidget)
    mutable const QWidget *m_viewWidget = nullptr;
};

} // namespace natter::app
