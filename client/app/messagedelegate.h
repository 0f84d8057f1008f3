#pragma once

#include "client/app/linkify.h"

#include <QFont>
#include <QPointer>
#include <QStyledItemDelegate>
#include <QUrl>

#include <deque>
#include <memory>

class QAbstractItemModel;
class QAbstractItemView;
class QTextLayout;

namespace natter::app {

// One message: an optional day separator, the sender at the start of a run, the word-wrapped text with its
// links, and on the right the time and, for own messages, their state (queued, sent, delivered, read,
// failed). Own messages sit on a bubble tinted towards the palette's highlight colour (colors::messageColors).
//
// Measuring text is what costs, so heights are cached per row: the delegate follows the rows of the model
// given to setModel() (inserted, removed, reset, changed) in a deque parallel to them. Each entry keeps the
// text it measured (shared with the model, no copy), the height at the last text width, and, once it has
// been laid out at a width where none of its lines wraps, that unwrapped width and height: at any width at
// least as wide it needs no new layout (most messages are short, so a width change re-lays out only the
// long ones). A change of state or id does not touch the text, so it
// costs no layout; the day separator and sender line are flags read again only when the model says they
// changed. The text column has the same width whatever the message's state (the time/state column is as
// wide as its widest content), so a state change never re-wraps the text. Laid-out text for painting and
// hit-testing is kept for the rows painted most recently.
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
    int textLayoutCount() const { return m_layoutCount; }

private:
    struct Metrics; // per font
    struct Entry;   // per row
    struct Geometry {
        QRect day;    // empty when no separator
        QRect sender; // empty when the sender is not shown
        QRect bubble;
        QRect body;
        QRect meta;
        int height = 0;
    };

    const Metrics &metrics(const QFont &font) const;
    int viewWidth(const QStyleOptionViewItem &option) const;
    // The row's entry, measured for the current font and the text the model has now (`check`: compare
    // the text with the model's; sizeHint trusts the cache, painting and hit-testing check).
    Entry &entryFor(const QModelIndex &index, bool check) const;
    void measure(Entry &entry, const QModelIndex &index) const;
    int textWidth(int width, bool own) const;
    int textHeight(Entry &entry, int textWidth) const;
    Geometry geometry(Entry &entry, const QRect &rect) const;
    // The laid-out text for painting (links in `link`; invalid: in whatever colour it has).
    std::shared_ptr<QTextLayout> bodyLayout(Entry &entry, int textWidth, const QColor &link) const;
    std::shared_ptr<QTextLayout> makeLayout(const Entry &entry, int lineWidth, const QColor &linkColor = {}) const;
    static QString metaText(const QModelIndex &index);

    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void clearRows();

    QPointer<QAbstractItemModel> m_model;
    mutable QPointer<const QAbstractItemView> m_view; // the view sizes are asked for (guards m_viewWidget)
    mutable const QWidget *m_viewWidget = nullptr;
    mutable std::deque<Entry> m_rows;
    mutable std::unique_ptr<Metrics> m_metrics;
    mutable int m_fontGeneration = 0;
    // Strong references to the laid-out text of the rows painted last; the entries hold weak ones.
    mutable std::deque<std::shared_ptr<QTextLayout>> m_recentLayouts;
    mutable int m_layoutCount = 0;
};

} // namespace natter::app
