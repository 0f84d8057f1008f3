#include "client/app/messageview.h"

#include "client/app/messagedelegate.h"
#include "client/models/messagelistmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QIdentityProxyModel>
#include <QMenu>
#include <QPointer>
#include <QScrollBar>
#include <QTimer>

#include <utility>

namespace natter::app {

namespace {
// Hides canFetchMore() from the view; MessageView fetches older pages itself.
class NoAutoFetchProxy : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
    // QListView asks for the index of every row at each layout; the source is a flat list whose indexes
    // carry no pointer, so the proxy's can be made directly (what mapFromSource() would make).
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override
    {
        if (parent.isValid() || column != 0 || row < 0 || !m_source || row >= m_source->rowCount())
            return {};
        return createIndex(row, column);
    }
    void setSourceModel(QAbstractItemModel *model) override
    {
        m_source = model; // sourceModel() is a bindable property: too slow to read for every row
        QIdentityProxyModel::setSourceModel(model);
    }

private:
    QPointer<QAbstractItemModel> m_source;
};

constexpr int kMenuUrlChars = 60;
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent), m_proxy(new NoAutoFetchProxy(this)), m_delegate(new MessageDelegate(this)),
      m_opener([](const QUrl &url) { QDesktopServices::openUrl(url); })
{
    setItemDelegate(m_delegate);
    // The delegate's cache follows the proxy's rows; connected before the view's own slots, so it is
    // current whenever the view asks for sizes.
    m_delegate->setModel(m_proxy);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Heights depend on the width: a scroll bar that comes and goes would have every row measured twice.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    // Lay out again 100 ms after the width changed (the end of a drag). QListView in list mode does that
    // only for word-wrapped items; without this, rows kept the heights of the old width.
    setResizeMode(QListView::Adjust);
    setWordWrap(true);
    setUniformItemSizes(false);
    // One pass: QListView lays out every row again after each insertion, and in batches the rows not laid
    // out yet would paint as nothing (a blank view at the bottom after each new message). With cached heights
    // a pass over 100,000 rows takes a few milliseconds (docs/benchmarks.md, "Message view").
    setLayoutMode(QListView::SinglePass);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    setAccessibleName(tr("Messages"));
    setModel(m_proxy);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
}

MessageView::~MessageView() = default;

void MessageView::setMessages(client::MessageListModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    m_proxy->setSourceModel(model);
    m_stickToBottom = true;
    m_anchorFromBottom = -1;
    if (!model)
        return;
    connect(model, &client::MessageListModel::newestPageLoaded, this, [this] {
        m_stickToBottom = true;
        scrollToBottom();
        QTimer::singleShot(0, this, &MessageView::fillIfShort);
    });
    connect(model, &client::MessageListModel::olderMessagesLoaded, this, [this] {
        QTimer::singleShot(0, this, &MessageView::fillIfShort);
    });
    connect(model, &client::MessageListModel::conversationChanged, this, [this] {
        m_stickToBottom = true;
        m_anchorFromBottom = -1;
    });
    connect(model, &client::MessageListModel::rowsAboutToBeInserted, this, [this](const QModelIndex &, int first) {
        if (first == 0 && m_model->rowCount() > 0) // older rows at the top: keep what is on screen in place
            m_anchorFromBottom = verticalScrollBar()->maximum() - verticalScrollBar()->value();
    });
}

bool MessageView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 2;
}

void MessageView::onScrolled(int value)
{
    m_stickToBottom = isAtBottom();
    if (value == verticalScrollBar()->minimum() && m_model && !m_model->isFetching()
        && m_model->canFetchMore({}) && verticalScrollBar()->maximum() > 0)
        m_model->fetchMore({});
}

void MessageView::fillIfShort()
{
    if (m_model && verticalScrollBar()->maximum() == 0 && !m_model->isFetching() && m_model->canFetchMore({}))
        m_model->fetchMore({});
}

void MessageView::onRangeChanged(int, int max)
{
    if (m_anchorFromBottom >= 0) {
        verticalScrollBar()->setValue(max - m_anchorFromBottom);
        m_anchorFromBottom = -1;
    } else if (m_stickToBottom) {
        verticalScrollBar()->setValue(max);
    }
}

// ---- links, keyboard, menu ----

QStyleOptionViewItem MessageView::itemOption(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return option;
}

QUrl MessageView::linkAt(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    return index.isValid() ? m_delegate->linkAt(itemOption(index), index, pos) : QUrl();
}

QList<QPair<QUrl, QRect>> MessageView::linkRects(const QModelIndex &index) const
{
    QList<QPair<QUrl, QRect>> out;
    if (!index.isValid())
        return out;
    for (const MessageDelegate::LinkRect &link : m_delegate->linkRects(itemOption(index), index))
        out.append({link.url, link.rect});
    return out;
}

void MessageView::openLink(const QUrl &url)
{
    emit linkActivated(url);
    if (m_opener)
        m_opener(url);
}

void MessageView::copyText(const QModelIndex &index) const
{
    if (index.isValid())
        QApplication::clipboard()->setText(index.data(client::MessageListModel::BodyRole).toString());
}

QMenu *MessageView::createContextMenu(const QModelIndex &index, const QPoint &pos)
{
    auto *menu = new QMenu(this);
    if (!index.isValid())
        return menu;
    QList<QUrl> urls;
    if (const QUrl here = linkAt(pos); pos != QPoint(-1, -1) && here.isValid()) {
        urls.append(here);
    } else {
        for (const TextLink &link : m_delegate->links(index)) {
            if (!urls.contains(link.url))
                urls.append(link.url);
        }
    }
    const auto label = [](const QUrl &url) {
        QString text = url.toDisplayString();
        if (text.size() > kMenuUrlChars)
            text = text.left(kMenuUrlChars - 1) + QChar(0x2026);
        return text.replace(u'&', QStringLiteral("&&"));
    };
    if (urls.size() == 1) {
        const QUrl url = urls.first();
        menu->addAction(tr("Open link"), this, [this, url] { openLink(url); });
        menu->addAction(tr("Copy link address"), this, [url] { QApplication::clipboard()->setText(url.toString()); });
        menu->addSeparator();
    } else if (urls.size() > 1) {
        QMenu *open = menu->addMenu(tr("Open link"));
        QMenu *copy = menu->addMenu(tr("Copy link address"));
        for (const QUrl &url : std::as_const(urls)) {
            open->addAction(label(url), this, [this, url] { openLink(url); });
            copy->addAction(label(url), this, [url] { QApplication::clipboard()->setText(url.toString()); });
        }
        menu->addSeparator();
    }
    const QPersistentModelIndex row(index);
    QAction *copyAction = menu->addAction(tr("Copy text"), this, [this, row] { copyText(row); });
    copyAction->setShortcut(QKeySequence::Copy);
    return menu;
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    QModelIndex index;
    QPoint pos(-1, -1);
    QPoint at;
    if (event->reason() == QContextMenuEvent::Mouse) {
        pos = event->pos(); // delivered through the viewport: in its coordinates
        index = indexAt(pos);
        if (index.isValid())
            setCurrentIndex(index);
        at = event->globalPos();
    } else {
        index = currentIndex();
        if (!index.isValid() && model()->rowCount() > 0) {
            index = indexAt(QPoint(1, viewport()->height() - 2)); // the last message on screen
            if (index.isValid())
                setCurrentIndex(index);
        }
        const QRect rect = visualRect(index).intersected(viewport()->rect());
        at = viewport()->mapToGlobal(rect.isValid() ? rect.center() : viewport()->rect().center());
    }
    if (!index.isValid())
        return;
    QMenu *menu = createContextMenu(index, pos);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(at);
    event->accept();
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copyText(currentIndex());
        event->accept();
        return;
    }
    if ((event->key() == Qt::Key_PageUp || event->key() == Qt::Key_PageDown) && event->modifiers() == Qt::NoModifier) {
        // A page of the conversation, not "the message a page away".
        verticalScrollBar()->triggerAction(event->key() == Qt::Key_PageUp ? QAbstractSlider::SliderPageStepSub
                                                                          : QAbstractSlider::SliderPageStepAdd);
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    m_pressedLink = event->button() == Qt::LeftButton ? linkAt(event->position().toPoint()) : QUrl();
    QListView::mousePressEvent(event);
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    if (linkAt(event->position().toPoint()).isValid())
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QListView::mouseMoveEvent(event);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    const QUrl pressed = std::exchange(m_pressedLink, QUrl());
    QListView::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton && pressed.isValid() && linkAt(event->position().toPoint()) == pressed)
        openLink(pressed);
}

void MessageView::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::StyleChange:
        // Every height depends on the font: measure again. (Colours come from the palette when painting.)
        m_delegate->invalidateAll();
        scheduleDelayedItemsLayout();
        break;
    case QEvent::PaletteChange:
        viewport()->update();
        break;
    default:
        break;
    }
    QListView::changeEvent(event);
}

} // namespace natter::app
