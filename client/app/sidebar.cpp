#include "client/app/sidebar.h"

#include "client/app/chatsession.h"
#include "client/app/conversationdelegate.h"
#include "client/app/persondelegate.h"

#include <QListView>
#include <QTabBar>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::ConversationListModel;

Sidebar::Sidebar(QWidget *parent)
    : QTabWidget(parent)
{
    m_conversations = new QListView;
    m_conversations->setObjectName(u"conversationList"_s);
    m_conversations->setItemDelegate(new ConversationDelegate(m_conversations));
    m_conversations->setAccessibleName(tr("Conversations"));
    m_conversations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    const auto open = [this](const QModelIndex &index) {
        emit conversationOpened(index.data(ConversationListModel::PeerRole).toString());
    };
    connect(m_conversations, &QListView::activated, this, open);
    connect(m_conversations, &QListView::clicked, this, open);
    m_people = new QListView;
    m_people->setObjectName(u"peopleList"_s);
    m_people->setAccessibleName(tr("People"));
    m_people->setItemDelegate(new PersonDelegate(m_people));
    m_people->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_people->setToolTip(tr("Double-click a person, or press Enter, to chat"));
    connect(m_people, &QListView::activated, this, [this](const QModelIndex &index) {
        emit conversationOpened(index.data(client::PeopleModel::NameRole).toString());
    });
    setAccessibleName(tr("Chats and people"));
    tabBar()->setAccessibleName(tr("Chats and people"));
    addTab(m_conversations, tr("Cha&ts")); // Alt+H is the Help menu's
    addTab(m_people, tr("&People"));
}

void Sidebar::setSession(ChatSession *session)
{
    m_conversations->setModel(nullptr);
    m_people->setModel(nullptr);
    m_session = session;
    m_current.clear();
    if (!session)
        return;
    m_conversations->setModel(&session->conversations());
    m_people->setModel(&session->people());
    connect(m_conversations->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                if (!m_syncing && index.isValid())
                    emit conversationBrowsed(index.data(ConversationListModel::PeerRole).toString());
            });
    ConversationListModel &conversations = session->conversations();
    connect(&conversations, &QAbstractItemModel::rowsInserted, this, &Sidebar::syncSelection);
    connect(&conversations, &QAbstractItemModel::rowsMoved, this, &Sidebar::syncSelection);
    connect(&conversations, &QAbstractItemModel::modelReset, this, &Sidebar::syncSelection);
}

void Sidebar::setCurrentConversation(const QString &peer)
{
    m_current = peer;
    syncSelection();
}

void Sidebar::syncSelection()
{
    if (!m_session)
        return;
    const int row = m_session->conversations().rowOf(m_current);
    m_syncing = true;
    if (row >= 0)
        m_conversations->setCurrentIndex(m_session->conversations().index(row, 0));
    else
        m_conversations->clearSelection();
    m_syncing = false;
}

void Sidebar::focusConversations()
{
    setCurrentWidget(m_conversations);
    m_conversations->setFocus(Qt::ShortcutFocusReason);
}

} // namespace natter::app
