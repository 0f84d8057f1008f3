#include "client/app/conversationpane.h"

#include "client/app/chatsession.h"
#include "client/app/composer.h"
#include "client/app/messageview.h"
#include "common/protocol/validation.h"

#include <QLabel>
#include <QVBoxLayout>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::ConversationListModel;

ConversationPane::ConversationPane(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(tr("Pick a conversation, or double-click a person."));
    m_title->setObjectName(u"conversationTitle"_s);
    QFont font = m_title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    m_title->setFont(font);
    m_messages = new MessageView;
    m_messages->setObjectName(u"messageView"_s);
    m_messages->setAccessibleName(tr("Messages"));
    m_typing = new QLabel;
    m_typing->setObjectName(u"typingLabel"_s);
    m_typing->setAccessibleName(tr("Typing"));
    m_composer = new Composer;
    m_composer->setObjectName(u"composer"_s);
    m_composer->setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line"));
    m_composer->setMaximumHeight(m_composer->fontMetrics().height() * 5);
    m_composer->setEnabled(false);
    connect(m_composer, &Composer::sendRequested, this, &ConversationPane::send);
    connect(m_composer, &Composer::typing, this, [this] {
        if (m_session && !m_current.isEmpty())
            m_session->client().sendTyping(m_current);
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_messages, 1);
    layout->addWidget(m_typing);
    layout->addWidget(m_composer);
}

ConversationPane::~ConversationPane() = default;

void ConversationPane::setSession(ChatSession *session)
{
    m_messages->setMessages(nullptr);
    m_current.clear();
    m_session = session;
    m_typing->clear();
    m_title->setText(tr("Pick a conversation, or double-click a person."));
    if (session) {
        m_messages->setMessages(&session->messages());
        connect(&session->conversations(), &QAbstractItemModel::dataChanged, this, &ConversationPane::updateTyping);
    }
    m_composer->setEnabled(false);
}

void ConversationPane::showConversation(const QString &peer)
{
    if (!m_session || peer.isEmpty() || peer == m_current)
        return;
    m_current = peer;
    m_session->conversations().setActiveConversation(peer);
    m_session->messages().setConversation(peer);
    m_title->setText(peer);
    m_composer->setEnabled(true);
    updateTyping();
    emit conversationShown(peer);
}

void ConversationPane::focusComposer()
{
    if (m_session && !m_current.isEmpty())
        m_composer->setFocus();
}

void ConversationPane::updateTyping()
{
    QStringList who;
    if (m_session) {
        const int row = m_session->conversations().rowOf(m_current);
        if (row >= 0)
            who = m_session->conversations().index(row, 0).data(ConversationListModel::TypingUsersRole).toStringList();
    }
    if (who.isEmpty())
        m_typing->clear();
    else if (who.size() == 1)
        m_typing->setText(tr("%1 is typing…").arg(who.first()));
    else
        m_typing->setText(tr("%1 are typing…").arg(who.join(u", "_s)));
}

void ConversationPane::send(const QString &text)
{
    if (!m_session || m_current.isEmpty())
        return;
    if (!protocol::isValidBody(text)) {
        emit statusMessage(tr("The message is too long."), 8000);
        return;
    }
    m_session->client().sendMessage(m_current, text);
}

} // namespace natter::app
