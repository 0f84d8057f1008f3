#pragma once

#include <QWidget>

class QLabel;

namespace natter::app {

class ChatSession;
class Composer;
class MessageView;

// The open conversation: its title, the messages, who is typing, and the composer. It binds the session's
// message model and sends what the user writes; the main window says which conversation to show.
class ConversationPane : public QWidget
{
    Q_OBJECT
public:
    explicit ConversationPane(QWidget *parent = nullptr);
    ~ConversationPane() override;

    // Binds a session's models (null: none) and closes the conversation.
    void setSession(ChatSession *session);
    // Shows a conversation ("alice" or "#room") without moving the keyboard focus.
    void showConversation(const QString &peer);
    QString currentConversation() const { return m_current; }
    void focusComposer();

signals:
    void conversationShown(const QString &peer);
    // Something for the status bar (a message too long to send).
    void statusMessage(const QString &message, int timeoutMs);

private:
    void updateTyping();
    void send(const QString &text);

    ChatSession *m_session = nullptr;
    QString m_current;
    QLabel *m_title;
    MessageView *m_messages;
    QLabel *m_typing;
    Composer *m_composer;
};

} // namespace natter::app
