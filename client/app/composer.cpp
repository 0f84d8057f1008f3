#include "client/app/composer.h"

#include "common/protocol/validation.h"

#include <QKeyEvent>

namespace natter::app {

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setAccessibleName(tr("Message"));
    setTabChangesFocus(true);
    connect(this, &QPlainTextEdit::textChanged, this, &Composer::onTextChanged);
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText().trimmed();
        if (!text.isEmpty()) {
            emit sendRequested(text);
            if (!protocol::isValidBody(text)) // refused (too long): keep it for the user to shorten
                return event->accept();
            m_clearing = true;
            clear();
            m_clearing = false;
            m_sinceTyping.invalidate(); // the next keystroke announces typing again
        }
        event->accept();
        return;
    }
    if (enter) { // Shift+Enter: a plain new line, not a paragraph separator
        insertPlainText(QStringLiteral("\n"));
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void Composer::onTextChanged()
{
    if (m_clearing || document()->isEmpty())
        return;
    if (m_sinceTyping.isValid() && m_sinceTyping.elapsed() < m_typingIntervalMs)
        return;
    m_sinceTyping.start();
    emit typing();
}

} // namespace natter::app
