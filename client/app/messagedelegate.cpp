#include "client/app/messagedelegate.h"

#include "client/app/palettecolors.h"
#include "client/models/messagelistmodel.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace natter::app {

using client::MessageListModel;
using client::MessageState;

namespace {
constexpr int kPad = 6;
constexpr int kMargin = 10;
constexpr size_t kRecentLayouts = 256; // a few screens of rows

int layoutHeight(const QTextLayout &layout)
{
    if (layout.lineCount() == 0)
        return 0;
    const QTextLine last = layout.lineAt(layout.lineCount() - 1);
    return int(std::ceil(last.y() + last.height()));
}
} // namespace

// ---- cache ----

struct MessageDelegate::Metrics {
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

struct MessageDelegate::Entry {
    QString text; // what was measured, shared with the model
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

int MessageDelegate::viewWidth(const QStyleOptionViewItem &option) const
{
    if (option.widget != m_viewWidget || !m_view) { // qobject_cast only when the view changes
        m_view = qobject_cast<const QAbstractItemView *>(option.widget);
        m_viewWidget = m_view ? option.widget : nullptr;
    }
    if (m_viewWidget)
        return static_cast<const QAbstractItemView *>(m_viewWidget)->viewport()->width();
    return option.rect.width() > 0 ? option.rect.width() : 480;
}

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

MessageDelegate::~MessageDelegate() = default;

void MessageDelegate::setModel(QAbstractItemModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    clearRows();
    if (!model)
        return;
    m_rows.resize(size_t(model->rowCount()));
    connect(model, &QAbstractItemModel::rowsInserted, this, &MessageDelegate::onRowsInserted);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &MessageDelegate::onRowsRemoved);
    connect(model, &QAbstractItemModel::dataChanged, this, &MessageDelegate::onDataChanged);
    const auto reset = [this] {
        clearRows();
        if (m_model)
            m_rows.resize(size_t(m_model->rowCount()));
    };
    connect(model, &QAbstractItemModel::modelReset, this, reset);
    connect(model, &QAbstractItemModel::layoutChanged, this, reset);
    connect(model, &QAbstractItemModel::rowsMoved, this, reset);
}

void MessageDelegate::clearRows()
{
    m_rows.clear();
    m_recentLayouts.clear();
}

void MessageDelegate::invalidateAll()
{
    m_metrics.reset(); // the next call measures the font again and starts a new generation
    ++m_fontGeneration;
    m_recentLayouts.clear();
}

void MessageDelegate::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    const size_t count = size_t(last - first + 1);
    if (size_t(first) >= m_rows.size()) {
        m_rows.resize(m_rows.size() + count);
    } else if (first == 0) {
        for (size_t i = 0; i < count; ++i)
            m_rows.emplace_front();
    } else {
        m_rows.insert(m_rows.begin() + first, count, Entry{});
    }
}

void MessageDelegate::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || size_t(first) >= m_rows.size())
        return;
    const size_t end = std::min(m_rows.size(), size_t(last) + 1);
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + qsizetype(end));
}

void MessageDelegate::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    const auto has = [&roles](int role) { return roles.isEmpty() || roles.contains(role); };
    const bool text = has(Qt::DisplayRole) || has(MessageListModel::BodyRole);
    const bool flags = has(MessageListModel::ShowDaySeparatorRole) || has(MessageListModel::ShowSenderRole)
        || has(MessageListModel::IsOwnRole);
    if (!text && !flags)
        return; // a state, id or time change: same text, same height
    const int last = std::min(bottomRight.row(), int(m_rows.size()) - 1);
    for (int row = std::max(topLeft.row(), 0); row <= last; ++row) {
        Entry &entry = m_rows[size_t(row)];
        const QModelIndex index = topLeft.siblingAtRow(row);
        if (text) {
            entry.generation = -1;
            entry.layout.reset();
            entry.flagsKnown = false;
            entry.rowHeight = -1;
            emit sizeHintChanged(index);
            continue;
        }
        if (!entry.flagsKnown)
            continue; // read when first needed
        const bool day = index.data(MessageListModel::ShowDaySeparatorRole).toBool();
        const bool sender = index.data(MessageListModel::ShowSenderRole).toBool();
        const bool own = index.data(MessageListModel::IsOwnRole).toBool();
        if (day == entry.day && sender == entry.sender && own == entry.own)
            continue;
        if (own != entry.own)
            entry.wrapWidth = -1; // another time/state column: another text width
        entry.rowHeight = -1;
        entry.day = day;
        entry.sender = sender;
        entry.own = own;
        emit sizeHintChanged(index);
    }
}

const MessageDelegate::Metrics &MessageDelegate::metrics(const QFont &font) const
{
    if (m_metrics && m_metrics->font == font)
        return *m_metrics;
    ++m_fontGeneration;
    m_recentLayouts.clear();
    auto m = std::make_unique<Metrics>();
    m->font = font;
    m->small = font;
    m->small.setPointSizeF(font.pointSizeF() * 0.85);
    m->bold = font;
    m->bold.setBold(true);
    const QFontMetrics fm(font);
    const QFontMetrics sfm(m->small);
    m->lineHeight = fm.height();
    m->smallHeight = sfm.height();
    m->dayHeight = sfm.height() + kPad;
    m->senderHeight = QFontMetrics(m->bold).height();
    // The widest the time column can get in this locale, alone and with each state.
    const QLocale locale;
    for (const QTime time : {QTime(0, 0), QTime(10, 58), QTime(12, 59), QTime(23, 59)}) {
        const QString clock = locale.toString(time, QLocale::ShortFormat);
        m->metaOther = std::max(m->metaOther, sfm.horizontalAdvance(clock) + kPad);
        m->metaOwn = std::max(m->metaOwn, m->metaOther);
        for (const MessageState state : {MessageState::Queued, MessageState::Sent, MessageState::Delivered,
                                         MessageState::Read, MessageState::Failed}) {
            const QString text = tr("%1 · %2").arg(clock, stateText(int(state)));
            m->metaOwn = std::max(m->metaOwn, sfm.horizontalAdvance(text) + kPad);
        }
    }
    m_metrics = std::move(m);
    return *m_metrics;
}

MessageDelegate::Entry &MessageDelegate::entryFor(const QModelIndex &index, bool check) const
{
    static Entry scratch; // rows the cache does not follow (another model): measured every time
    Entry *entry = nullptr;
    if (m_model && index.model() == m_model.data() && size_t(index.row()) < m_rows.size()) {
        entry = &m_rows[size_t(index.row())];
    } else {
        scratch = Entry{};
        entry = &scratch;
    }
    if (check && entry->generation == m_fontGeneration) {
        const QString text = index.data(MessageListModel::BodyRole).toString();
        if (text.constData() != entry->text.constData() && text != entry->text) {
            entry->generation = -1; // changed without a dataChanged
            entry->flagsKnown = false;
        }
    }
    if (!entry->flagsKnown) {
        entry->day = index.data(MessageListModel::ShowDaySeparatorRole).toBool();
        entry->sender = index.data(MessageListModel::ShowSenderRole).toBool();
        const bool own = index.data(MessageListModel::IsOwnRole).toBool();
        if (own != entry->own)
            entry->wrapWidth = -1;
        entry->own = own;
        entry->flagsKnown = true;
        entry->rowHeight = -1;
    }
    if (entry->generation != m_fontGeneration)
        measure(*entry, index);
    return *entry;
}

void MessageDelegate::measure(Entry &entry, const QModelIndex &index) const
{
    entry.text = index.data(MessageListModel::BodyRole).toString();
    entry.naturalWidth = -1; // found by the first layout in which no line wraps
    entry.wrapWidth = -1;
    entry.rowHeight = -1;
    entry.layout.reset();
    entry.generation = m_fontGeneration;
}

int MessageDelegate::textWidth(int width, bool own) const
{
    const int inner = std::max(width - 2 * kMargin, 80);
    return std::max(inner - (own ? m_metrics->metaOwn : m_metrics->metaOther) - 3 * kPad, 40);
}

int MessageDelegate::textHeight(Entry &entry, int width) const
{
    if (entry.naturalWidth >= 0 && entry.naturalWidth <= width)
        return entry.naturalHeight; // fits: the unwrapped lines, at any width this wide
    if (entry.wrapWidth == width)
        return entry.wrappedHeight;
    const std::shared_ptr<QTextLayout> layout = makeLayout(entry, width);
    const int height = layoutHeight(*layout);
    if (layout->lineCount() == entry.text.count(u'\n') + 1) { // no paragraph wrapped
        qreal widest = 0;
        for (int i = 0; i < layout->lineCount(); ++i)
            widest = std::max(widest, layout->lineAt(i).naturalTextWidth());
        entry.naturalWidth = widest;
        entry.naturalHeight = height;
    }
    entry.wrapWidth = width;
    entry.wrappedHeight = height;
    return height;
}

std::shared_ptr<QTextLayout> MessageDelegate::makeLayout(const Entry &entry, int lineWidth,
                                                         const QColor &linkColor) const
{
    QString text = entry.text;
    text.replace(u'\n', QChar::LineSeparator); // same length: link positions hold
    auto layout = std::make_shared<QTextLayout>(text, m_metrics->font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout->setTextOption(option);
    const QList<TextLink> links = findLinks(entry.text);
    if (!links.isEmpty()) {
        QList<QTextLayout::FormatRange> formats;
        for (const TextLink &link : links) {
            QTextLayout::FormatRange range;
            range.start = int(link.start);
            range.length = int(link.length);
            range.format.setFontUnderline(true);
            if (linkColor.isValid()) // a colour does not change the metrics: measuring leaves it out
                range.format.setForeground(linkColor);
            formats.append(range);
        }
        layout->setFormats(formats);
    }
    layout->setCacheEnabled(true);
    layout->beginLayout();
    qreal y = 0;
    for (QTextLine line = layout->createLine(); line.isValid(); line = layout->createLine()) {
        line.setLineWidth(lineWidth);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    layout->endLayout();
    ++m_layoutCount;
    return layout;
}

std::shared_ptr<QTextLayout> MessageDelegate::bodyLayout(Entry &entry, int width, const QColor &link) const
{
    std::shared_ptr<QTextLayout> layout = entry.layout.lock();
    if (layout && entry.layoutWidth == width && entry.layoutGeneration == m_fontGeneration
        && (!link.isValid() || entry.layoutLink == link.rgba()))
        return layout;
    const QColor color = link.isValid() ? link : QColor::fromRgba(entry.layoutLink);
    layout = makeLayout(entry, width, color);
    entry.layout = layout;
    entry.layoutWidth = width;
    entry.layoutGeneration = m_fontGeneration;
    entry.layoutLink = color.rgba();
    m_recentLayouts.push_back(layout);
    if (m_recentLayouts.size() > kRecentLayouts)
        m_recentLayouts.pop_front();
    return layout;
}

MessageDelegate::Geometry MessageDelegate::geometry(Entry &entry, const QRect &rect) const
{
    const Metrics &m = *m_metrics;
    Geometry g;
    int y = rect.top() + kPad / 2;
    const int left = rect.left() + kMargin;
    const int inner = std::max(rect.width() - 2 * kMargin, 80);
    if (entry.day) {
        g.day = QRect(left, y, inner, m.dayHeight);
        y += m.dayHeight + kPad;
    }
    if (entry.sender) {
        g.sender = QRect(left, y, inner, m.senderHeight);
        y += m.senderHeight + 2;
    }
    const int metaWidth = entry.own ? m.metaOwn : m.metaOther;
    const int width = textWidth(rect.width(), entry.own);
    const int height = textHeight(entry, width);
    g.bubble = QRect(left, y, inner, std::max(height, m.lineHeight) + kPad);
    g.body = QRect(left + kPad, y + kPad / 2, width, height);
    g.meta = QRect(g.bubble.right() - metaWidth - kPad / 2, y + kPad / 2, metaWidth, m.smallHeight);
    g.height = g.bubble.bottom() - rect.top() + kPad / 2;
    return g;
}

// ---- texts ----

QString MessageDelegate::stateText(int state)
{
    switch (MessageState(state)) {
    case MessageState::Queued: return tr("queued");
    case MessageState::Sent: return tr("sent");
    case MessageState::Delivered: return tr("delivered");
    case MessageState::Read: return tr("read");
    case MessageState::Failed: return tr("not sent");
    case MessageState::Received: break;
    }
    return {};
}

QString MessageDelegate::metaText(const QModelIndex &index)
{
    const QDateTime time = index.data(MessageListModel::TimeRole).toDateTime();
    QString text = QLocale().toString(time.time(), QLocale::ShortFormat);
    if (index.data(MessageListModel::IsOwnRole).toBool()) {
        const QString state = stateText(index.data(MessageListModel::StateRole).toInt());
        if (!state.isEmpty())
            text = tr("%1 · %2").arg(text, state);
    }
    return text;
}

// ---- size and painting ----

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // QListView asks for every row after each insertion: the common case is one lookup.
    metrics(option.font);
    const int width = viewWidth(option);
    if (m_model && index.model() == m_model.data() && size_t(index.row()) < m_rows.size()) {
        const Entry &cached = m_rows[size_t(index.row())];
        if (cached.rowWidth == width && cached.rowHeight >= 0 && cached.generation == m_fontGeneration)
            return {width, cached.rowHeight};
    }
    Entry &entry = entryFor(index, false);
    entry.rowHeight = geometry(entry, QRect(0, 0, width, 0)).height;
    entry.rowWidth = width;
    return {width, entry.rowHeight};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Metrics &m = metrics(option.font);
    Entry &entry = entryFor(index, true);
    const Geometry g = geometry(entry, option.rect);
    const bool selected = option.state & QStyle::State_Selected;
    const colors::MessageColors c = colors::messageColors(option.palette, entry.own, selected);
    const QPalette &pal = option.palette;
    const QColor viewBackground = pal.color(QPalette::Base);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (!g.day.isEmpty()) {
        painter->setFont(m.small);
        painter->setPen(colors::dimmed(pal.color(QPalette::Text), viewBackground));
        const QString label = index.data(MessageListModel::DayLabelRole).toString();
        const int w = QFontMetrics(m.small).horizontalAdvance(label) + 4 * kPad;
        const int mid = g.day.center().y();
        painter->drawLine(g.day.left(), mid, g.day.center().x() - w / 2, mid);
        painter->drawLine(g.day.center().x() + w / 2, mid, g.day.right(), mid);
        painter->drawText(g.day, Qt::AlignCenter, label);
    }
    if (!g.sender.isEmpty()) {
        painter->setFont(m.bold);
        const QColor text = pal.color(QPalette::Text);
        painter->setPen(entry.own ? colors::readable(viewBackground, {pal.color(QPalette::Link), text}) : text);
        painter->drawText(g.sender, Qt::AlignLeft | Qt::AlignVCenter, index.data(MessageListModel::FromRole).toString());
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(c.background);
    painter->drawRoundedRect(g.bubble, 6, 6);
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(g.bubble.adjusted(1, 1, -1, -1), 5, 5);
    }

    painter->setPen(c.text);
    bodyLayout(entry, g.body.width(), c.link)->draw(painter, g.body.topLeft());

    const bool failed = index.data(MessageListModel::StateRole).toInt() == int(MessageState::Failed);
    painter->setFont(m.small);
    painter->setPen(failed ? c.failed : c.dim);
    painter->drawText(g.meta, Qt::AlignRight | Qt::AlignTop, metaText(index));
    painter->restore();
}

// ---- hit-testing ----

QList<MessageDelegate::LinkRect> MessageDelegate::linkRects(const QStyleOptionViewItem &option,
                                                            const QModelIndex &index) const
{
    metrics(option.font);
    Entry &entry = entryFor(index, true);
    const Geometry g = geometry(entry, option.rect);
    const std::shared_ptr<QTextLayout> layout = bodyLayout(entry, g.body.width(), {});
    QList<LinkRect> rects;
    for (const TextLink &link : findLinks(entry.text)) {
        for (int i = 0; i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            const qsizetype from = std::max<qsizetype>(link.start, line.textStart());
            const qsizetype to = std::min<qsizetype>(link.end(), line.textStart() + line.textLength());
            if (from >= to)
                continue;
            const qreal x1 = line.cursorToX(int(from));
            const qreal x2 = line.cursorToX(int(to));
            const QRectF r(std::min(x1, x2), line.y(), std::abs(x2 - x1), line.height());
            rects.append({link.url, r.translated(g.body.topLeft()).toAlignedRect()});
        }
    }
    return rects;
}

QUrl MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const
{
    for (const LinkRect &link : linkRects(option, index)) {
        if (link.rect.contains(pos))
            return link.url;
    }
    return {};
}

QList<TextLink> MessageDelegate::links(const QModelIndex &index) const
{
    return findLinks(index.data(MessageListModel::BodyRole).toString());
}

QString MessageDelegate::displayedText(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    metrics(option.font);
    Entry &entry = entryFor(index, true);
    const Geometry g = geometry(entry, option.rect);
    QString text = bodyLayout(entry, g.body.width(), {})->text();
    text.replace(QChar::LineSeparator, u'\n');
    return text;
}

} // namespace natter::app
