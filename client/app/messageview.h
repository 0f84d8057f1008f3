#pragma once

#include <QListView>
#include <QUrl>

#include <functional>

class QIdentityProxyModel;
class QMenu;

namespace natter::client {
class MessageListModel;
}

namespace natter::app {

class MessageDelegate;

// The message list. QAbstractItemView fetches more when its *bottom* row is visible, but older messages
// come at the top: the view binds through a proxy that hides canFetchMore() and asks the model for the
// next older page itself when scrolled to the top, keeping the visible messages in place. While at the
// bottom it follows new messages; scrolled up, new messages do not move it.
//
// Row heights come from MessageDelegate's per-row cache, so laying out even 100,000 rows (which QListView
// does after every insertion) costs no text measuring. Links in messages are drawn as links: clicking one
// (or "Open link" in the context menu, also on the keyboard's menu key) emits linkActivated() and passes
// the URL to the link opener (QDesktopServices::openUrl unless set otherwise). Page Up/Down scroll by a
// page; the arrow keys move the current message, which Ctrl+C and the context menu act on.
class MessageView : public QListView
{
    Q_OBJECT
public:
    using LinkOpener = std::function<void(const QUrl &)>;

    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setMessages(client::MessageListModel *model); // null: none
    bool isAtBottom() const;

    MessageDelegate *messageDelegate() const { return m_delegate; }
    // Replaces QDesktopServices::openUrl (tests; an app that opens links itself). Null: only the signal.
    void setLinkOpener(LinkOpener opener) { m_opener = std::move(opener); }
    // The link under a point of the viewport, or an empty URL.
    QUrl linkAt(const QPoint &pos) const;
    // Where a message's links are, in viewport coordinates (one rectangle per line a link covers).
    QList<QPair<QUrl, QRect>> linkRects(const QModelIndex &index) const;
    // The actions for a message: open/copy its links (the one at `pos`, a viewport point, when there is one
    // there; else every link of the message) and copy its text. The caller owns the menu.
    QMenu *createContextMenu(const QModelIndex &index, const QPoint &pos = QPoint(-1, -1));
    // Puts a message's text on the clipboard.
    void copyText(const QModelIndex &index) const;

signals:
    void linkActivated(const QUrl &url);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QStyleOptionViewItem itemOption(const QModelIndex &index) const;
    void onScrolled(int value);
    void onRangeChanged(int min, int max);
    // While the messages do not fill the view, there is no scrolling up: load older pages until they do.
    void fillIfShort();
    void openLink(const QUrl &url);

    client::MessageListModel *m_model = nullptr;
    QIdentityProxyModel *m_proxy;
    MessageDelegate *m_delegate;
    LinkOpener m_opener;
    QUrl m_pressedLink;
    bool m_stickToBottom = true;
    int m_anchorFromBottom = -1; // distance from the bottom to keep while older rows come in
};

} // namespace natter::app
