#include "client/app/messagerowlayout.h"

#include "client/app/linkify.h"
#include "client/app/messagedelegate.h" // the texts of the time/state column
#include "client/models/messagelistmodel.h"

#include <QAbstractItemModel>
#include <QLocale>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace natter::app {

using client::MessageListModel;
using client::MessageState;

namespace {
constexpr size_t kRecentLayouts = 256; // a few screens of rows

int layoutHeight(const QTextLayout &layout)
{
    if (layout.lineCount() == 0)
        return 0;
    const QTextLine last = layout.lineAt(layout.lineCount() - 1);
    return int(std::ceil(last.y() + last.height()));
}
} // namespace

MessageRowLayout::MessageRowLayout(QObject *parent)
    : QObject(parent)
{
}

MessageRowLayout::~MessageRowLayout() = default;

int MessageRowLayout::rowHeight(const QModelIndex &index, int width)
{
    // QListView asks for every row after each insertion: the common case is one lookup.
    if (m_model && index.model() == m_model.data() && size_t(index.row()) < m_rows.size()) {
        const Entry &cached = m_rows[size_t(index.row())];
        if (cached.rowWidth == width && cached.rowHeight >= 0 && cached.generation == m_fontGeneration)
            return cached.rowHeight;
    }
    Entry &entry = entryFor(index, false);
    entry.rowHeight = geometry(entry, QRect(0, 0, width, 0)).height;
    entry.rowWidth = width;
    return entry.rowHeight;
}

void MessageRowLayout::setModel(QAbstractItemModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    clearRows();
    if (!model)
        return;
    m_rows.resize(size_t(model->rowCount()));
    connect(model, &QAbstractItemModel::rowsInserted, this, &MessageRowLayout::onRowsInserted);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &MessageRowLayout::onRowsRemoved);
    connect(model, &QAbstractItemModel::dataChanged, this, &MessageRowLayout::onDataChanged);
    const auto reset = [this] {
        clearRows();
        if (m_model)
            m_rows.resize(size_t(m_model->rowCount()));
    };
    connect(model, &QAbstractItemModel::modelReset, this, reset);
    connect(model, &QAbstractItemModel::layoutChanged, this, reset);
    connect(model, &QAbstractItemModel::rowsMoved, this, reset);
}

void MessageRowLayout::clearRows()
{
    m_rows.clear();
    m_recentLayouts.clear();
}

void MessageRowLayout::invalidateAll()
{
    m_metrics.reset(); // the next call measures the font again and starts a new generation
    ++m_fontGeneration;
    m_recentLayouts.clear();
}

void MessageRowLayout::onRowsInserted(const QModelIndex &parent, int first, int last)
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

void MessageRowLayout::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || size_t(first) >= m_rows.size())
        return;
    const size_t end = std::min(m_rows.size(), size_t(last) + 1);
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + qsizetype(end));
}

void MessageRowLayout::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
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
            emit rowHeightChanged(index);
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
        emit rowHeightChanged(index);
    }
}

const MessageRowLayout::Metrics &MessageRowLayout::metrics(const QFont &font)
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
            const QString text = MessageDelegate::timeAndState(clock, MessageDelegate::stateText(int(state)));
            m->metaOwn = std::max(m->metaOwn, sfm.horizontalAdvance(text) + kPad);
        }
    }
    m_metrics = std::move(m);
    return *m_metrics;
}

MessageRowLayout::Entry &MessageRowLayout::entryFor(const QModelIndex &index, bool check)
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

void MessageRowLayout::measure(Entry &entry, const QModelIndex &index)
{
    entry.text = index.data(MessageListModel::BodyRole).toString();
    entry.naturalWidth = -1; // found by the first layout in which no line wraps
    entry.wrapWidth = -1;
    entry.rowHeight = -1;
    entry.layout.reset();
    entry.generation = m_fontGeneration;
}

int MessageRowLayout::textWidth(int width, bool own) const
{
    const int inner = std::max(width - 2 * kMargin, 80);
    return std::max(inner - (own ? m_metrics->metaOwn : m_metrics->metaOther) - 3 * kPad, 40);
}

int MessageRowLayout::textHeight(Entry &entry, int width)
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

std::shared_ptr<QTextLayout> MessageRowLayout::makeLayout(const Entry &entry, int lineWidth,
                                                         const QColor &linkColor)
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

std::shared_ptr<QTextLayout> MessageRowLayout::bodyLayout(Entry &entry, int width, const QColor &link)
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

MessageRowLayout::Geometry MessageRowLayout::geometry(Entry &entry, const QRect &rect)
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

} // namespace natter::app
