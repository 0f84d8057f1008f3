#pragma once

#include <QElapsedTimer>
#include <QPlainTextEdit>

namespace natter::app {

// The message editor: Enter sends, Shift+Enter starts a new line. While the user types, typing() is
// emitted at most once per typingIntervalMs() (the other side shows "typing…" for a few seconds).
class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    int typingIntervalMs() const { return m_typingIntervalMs; }
    void setTypingIntervalMs(int ms) { m_typingIntervalMs = ms; }

signals:
    void sendRequested(const QString &text);
    void typing();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onTextChanged();

    QElapsedTimer m_sinceTyping;
    int m_typingIntervalMs = 3000;
    bool m_clearing = false;
};

} // namespace natter::app
