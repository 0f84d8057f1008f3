#pragma once

#include <QListView>

class QIdentityProxyModel;

namespace natter::client {
class MessageListModel;
}

namespace natter::app {

// The message list. QAbstractItemView fetches more when its *bottom* row is visible, but older messages
// come at the top: the view binds through a proxy that hides canFetchMore() and asks the model for the
// next older page itself when scrolled to the top, keeping the visible messages in place. While at the
// bottom it follows new messages.
class MessageView : public QListView
{
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setMessages(client::MessageListModel *model); // null: none
    bool isAtBottom() const;

private:
    void onScrolled(int value);
    void onRangeChanged(int min, int max);
    // While the messages do not fill the view, there is no scrolling up: load older pages until they do.
    void fillIfShort();

    client::MessageListModel *m_model = nullptr;
    QIdentityProxyModel *m_proxy;
    bool m_stickToBottom = true;
    int m_anchorFromBottom = -1; // distance from the bottom to keep while older rows come in
};

} // namespace natter::app
