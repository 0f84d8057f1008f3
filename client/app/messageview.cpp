#include "messageview.h"

#include "messagedelegate.h"
#include "models/messagelistmodel.h"

#include <QIdentityProxyModel>
#include <QScrollBar>
#include <QTimer>

namespace natter::app {

namespace {
// Hides canFetchMore() from the view; MessageView fetches older pages itself.
class NoAutoFetchProxy : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
};
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent), m_proxy(new NoAutoFetchProxy(this))
{
    setItemDelegate(new MessageDelegate(this));
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::StrongFocus);
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

} // namespace natter::app
