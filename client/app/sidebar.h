#pragma once

#include <QTabWidget>

class QListView;

namespace natter::app {

class ChatSession;

// The left side of the main window: the conversations (sorted by activity) and the people, as two tabs.
// Moving through the conversations with the keyboard browses them (conversationBrowsed: show it, keep the
// keyboard in the list); Enter, a click, or a person's Enter or double-click opens one to write.
class Sidebar : public QTabWidget
{
    Q_OBJECT
public:
    explicit Sidebar(QWidget *parent = nullptr);

    // Binds a session's conversation and people models (null: none).
    void setSession(ChatSession *session);
    // Selects the conversation shown on the right (none when it has no row yet; again when rows move).
    void setCurrentConversation(const QString &peer);
    // Shows the chats and puts the keyboard in the conversation list (typing a name jumps to it).
    void focusConversations();

signals:
    void conversationBrowsed(const QString &peer);
    void conversationOpened(const QString &peer);

private:
    void syncSelection();

    ChatSession *m_session = nullptr;
    QString m_current;
    bool m_syncing = false;
    QListView *m_conversations;
    QListView *m_people;
};

} // namespace natter::app
