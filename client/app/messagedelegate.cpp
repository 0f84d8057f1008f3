#include "client/app/messagedelegate.h"

#include "client/app/messagerowlayout.h"
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
constexpr int kPad = MessageRowLayout::kPad;
} // namespace

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
    : QStyledItemDelegate(parent), m_rows(new MessageRowLayout(this))
{
    connect(m_rows, &MessageRowLayout::rowHeightChanged, this, &MessageDelegate::sizeHintChanged);
}

MessageDelegate::~MessageDelegate() = default;

void MessageDelegate::setModel(QAbstractItemModel *model)
{
    m_rows->setModel(model);
}

void MessageDelegate::invalidateAll()
{
    m_rows->invalidateAll();
}

int MessageDelegate::textLayoutCount() const
{
    return m_rows->textLayoutCount();
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
            text = timeAndState(text, state);
    }
    return text;
}

QString MessageDelegate::timeAndState(const QString &time, const QString &state)
{
    return tr("%1 · %2").arg(time, state);
}

// ---- size and painting ----

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    m_rows->metrics(option.font);
    const int width = viewWidth(option);
    return {width, m_rows->rowHeight(index, width)};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const MessageRowLayout::Metrics &m = m_rows->metrics(option.font);
    MessageRowLayout::Entry &entry = m_rows->entryFor(index, true);
    const MessageRowLayout::Geometry g = m_rows->geometry(entry, option.rect);
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
    m_rows->bodyLayout(entry, g.body.width(), c.link)->draw(painter, g.body.topLeft());

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
    m_rows->metrics(option.font);
    MessageRowLayout::Entry &entry = m_rows->entryFor(index, true);
    const MessageRowLayout::Geometry g = m_rows->geometry(entry, option.rect);
    const std::shared_ptr<QTextLayout> layout = m_rows->bodyLayout(entry, g.body.width(), {});
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
    m_rows->metrics(option.font);
    MessageRowLayout::Entry &entry = m_rows->entryFor(index, true);
    const MessageRowLayout::Geometry g = m_rows->geometry(entry, option.rect);
    QString text = m_rows->bodyLayout(entry, g.body.width(), {})->text();
    text.replace(QChar::LineSeparator, u'\n');
    return text;
}

} // namespace natter::app
