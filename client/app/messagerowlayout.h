#pragma once

#include <QColor>
#include <QFont>
#include <QObject>
#include <QPointer>
#include <QRect>
#include <QString>

#include <deque>
#include <memory>

class QAbstractItemModel;
class QModelIndex;
class QTextLayout;

namespace natter::app {

// The measuring half of MessageDelegate: where each part of a message row goes and how tall the row is.
//
// Measuring text is what costs, so heights are cached per row: it follows the rows of the model given to
// setModel() (inserted, removed, reset, changed) in a deque parallel to them. Each entry keeps the text it
// measured (shared with the model, no copy), the height at the last text width, and, once it has been laid
// out at a width where none of its lines wraps, that unwrapped width and height: at any width at least as
// wide it needs no new layout (most messages are short, so a width change re-lays out only the long ones).
// A change of state or id does not touch the text, so it costs no layout; the day separator and sender
// line are flags read again only when the model says they changed. The text column has the same width
// whatever the message's state (the time/state column is as wide as its widest content), so a state change
// never re-wraps the text. Laid-out text for painting and hit-testing is kept for the rows painted most
// recently.
class MessageRowLayout : public QObject
{
    Q_OBJECT
public:
    static constexpr int kPad = 6;
    static constexpr int kMargin = 10;

    struct Metrics { // per font
        QFont font;
        QFont small;
        QFont bold;
        int lineHeight = 0;
        int smallHeight = 0;
        int dayHeight = 0;
        int senderHeight = 0;
        int metaOwn = 0;   // width of the time/state column of own messages: the widest it can be
        int metaOther = 0; // of others' messages: the time only
    };
    struct Entry { // per row
        QString text;        // what was measured, shared with the model
        int generation = -1; // font generation of the measurement; -1: not measured
        bool flagsKnown = false;
        bool own = false;
        bool day = false;
        bool sender = false;
        qreal naturalWidth = -1; // the widest line without wrapping; -1: not known yet
        int naturalHeight = 0;
        int wrapWidth = -1; // the text width wrappedHeight is for
        int wrappedHeight = 0;
        int rowHeight = -1; // the whole row's, at rowWidth (-1: to compute)
        int rowWidth = -1;
        std::weak_ptr<QTextLayout> layout; // for painting, at layoutWidth
        int layoutWidth = -1;
        int layoutGeneration = -1;
        QRgb layoutLink = 0; // the links' colour in it
    };
    struct Geometry {
        QRect day;    // empty when no separator
        QRect sender; // empty when the sender is not shown
        QRect bubble;
        QRect body;
        QRect meta;
        int height = 0;
    };

    explicit MessageRowLayout(QObject *parent = nullptr);
    ~MessageRowLayout() override;

    // The model whose rows the cache follows. Null: no cache, every row is measured each time.
    void setModel(QAbstractItemModel *model);
    // Forgets every measurement (the font or style changed).
    void invalidateAll();

    // The metrics of `font`; another font than last time starts a new generation (everything is measured
    // again). Call it before the others.
    const Metrics &metrics(const QFont &font);
    // The row's height at a view width of `width` (cached).
    int rowHeight(const QModelIndex &index, int width);
    // The row's entry, measured for the current font and the text the model has now (`check`: compare
    // the text with the model's; sizes trust the cache, painting and hit-testing check).
    Entry &entryFor(const QModelIndex &index, bool check);
    // Where the parts of the row go in `rect`.
    Geometry geometry(Entry &entry, const QRect &rect);
    // The laid-out text for painting (links in `link`; invalid: in whatever colour it has).
    std::shared_ptr<QTextLayout> bodyLayout(Entry &entry, int textWidth, const QColor &link);

    // How many times text has been laid out (measured or prepared for painting).
    int textLayoutCount() const { return m_layoutCount; }

signals:
    // The model changed what the row's height depends on (its text, day separator, sender line or owner).
    void rowHeightChanged(const QModelIndex &index);

private:
    void measure(Entry &entry, const QModelIndex &index);
    int textWidth(int width, bool own) const;
    int textHeight(Entry &entry, int textWidth);
    std::shared_ptr<QTextLayout> makeLayout(const Entry &entry, int lineWidth, const QColor &linkColor = {});

    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void clearRows();

    QPointer<QAbstractItemModel> m_model;
    std::deque<Entry> m_rows;
    std::unique_ptr<Metrics> m_metrics;
    int m_fontGeneration = 0;
    // Strong references to the laid-out text of the rows painted last; the entries hold weak ones.
    std::deque<std::shared_ptr<QTextLayout>> m_recentLayouts;
    int m_layoutCount = 0;
};

} // namespace natter::app
