// The message view on the offscreen platform: links (found, drawn, clicked, in the context menu), the
// per-row height cache (invalidated by width and font, not by state changes), scrolling behaviour (stick to
// the bottom, no jump when scrolled up, older history keeps the visible message in place), text that looks
// like markup shown as it is, Hangul wrapping, and colours that keep their contrast under light and dark
// palettes. Set NATTER_SCREENSHOT_DIR to also save a picture of the view under the dark palette.

#include "client/app/linkify.h"
#include "client/app/messagedelegate.h"
#include "client/app/messageview.h"
#include "client/app/palettecolors.h"
#include "client/models/messagelistmodel.h"
#include "common/protocol/events.h"
#include "client/storage/localstore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using natter::app::MessageDelegate;
using natter::app::MessageView;
using natter::app::TextLink;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::MessageState;
using natter::protocol::ChatMessage;
namespace colors = natter::app::colors;

namespace {

constexpr int kWaitMs = 15'000;
const QString kSelf = u"me"_s;
const QString kPeer = u"bob"_s;
const QString kLong = u"This message is long enough to need several lines in a narrow window, and it goes on "
                      u"for a while so that even a wide window wraps it at least once: lorem ipsum dolor sit amet, "
                      u"consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore."_s;

qint64 at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2024, 3, day), QTime(hour, minute)).toMSecsSinceEpoch();
}

LocalMessage message(qint64 id, const QString &body, qint64 tsMs, bool own = false)
{
    LocalMessage m;
    m.id = id;
    m.cid = u"cid-%1"_s.arg(id);
    m.peer = kPeer;
    m.from = own ? kSelf : kPeer;
    m.to = own ? kPeer : kSelf;
    m.body = body;
    m.tsMs = tsMs;
    m.isOwn = own;
    m.state = own ? MessageState::Sent : MessageState::Received;
    return m;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2a, 0x2a));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::LinkVisited, QColor(0xc5, 0x8a, 0xf9));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf3, 0xf3, 0xf3));
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x00, 0x00, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xff, 0x00, 0xff));
    return p;
}

// A local store with a model over one conversation, and a view showing it.
struct Fixture {
    explicit Fixture(QSize size = {480, 360}, int pageSize = 50)
    {
        store = std::make_unique<LocalStore>(dir.filePath(u"local.db"_s));
        QString error;
        opened = store->open(&error);
        store->setSelf(kSelf);
        model = std::make_unique<MessageListModel>(*store);
        model->setPageSize(pageSize);
        view = std::make_unique<MessageView>();
        view->setLinkOpener([this](const QUrl &url) { openedUrls.append(url); });
        view->resize(size);
    }
    ~Fixture()
    {
        view.reset();
        model.reset();
        store->close();
    }
    // Writes messages to the store as if they had come from the server.
    bool write(const QList<LocalMessage> &messages)
    {
        QList<ChatMessage> chats;
        for (const LocalMessage &m : messages) {
            ChatMessage c;
            c.id = m.id;
            c.from = m.from;
            c.to = m.to;
            c.body = m.body;
            c.cid = m.cid;
            c.tsMs = m.tsMs;
            chats.append(c);
        }
        std::optional<bool> ok;
        QObject context;
        store->storeMessages(chats, false, &context,
                             [&](bool done, QList<LocalMessage>, QList<LocalMessage>) { ok = done; });
        return QTest::qWaitFor([&] { return ok.has_value(); }, kWaitMs) && *ok;
    }
    // Opens the conversation (its newest page comes from the store) in the shown view.
    bool open()
    {
        QSignalSpy loaded(model.get(), &MessageListModel::newestPageLoaded);
        view->setMessages(model.get());
        model->setConversation(kPeer);
        view->show();
        return loaded.wait(kWaitMs) || loaded.size() == 1 ? QTest::qWaitForWindowExposed(view.get()) : false;
    }
    QModelIndex row(int r) const { return view->model()->index(r, 0); }
    MessageDelegate *delegate() const { return view->messageDelegate(); }
    QScrollBar *bar() const { return view->verticalScrollBar(); }
    // Lays out now (QListView waits 100 ms after a resize).
    void layout() const
    {
        view->doItemsLayout();
        QCoreApplication::processEvents();
    }

    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<MessageListModel> model;
    std::unique_ptr<MessageView> view;
    QList<QUrl> openedUrls;
    bool opened = false;
};

} // namespace

class TestMessageView : public QObject
{
    Q_OBJECT

private slots:
    void linkify_data();
    void linkify();
    void clickOnLinkEmitsUrl();
    void contextMenuAndCopy();
    void heightCacheFollowsWidthAndFontNotState();
    void sticksToBottomAndDoesNotJump();
    void olderHistoryKeepsVisibleMessage();
    void markupIsShownLiterally();
    void longHangulWraps();
    void contrastRatio_data();
    void contrastRatio();
    void paletteColorsKeepContrast_data();
    void paletteColorsKeepContrast();
    void darkPaletteRenders();
};

// ---- links ----

void TestMessageView::linkify_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("links"); // "start length url"

    QTest::newRow("none") << u"just words, www, http and mailto"_s << QStringList{};
    QTest::newRow("https") << u"see https://example.com/a?b=1#c"_s << QStringList{u"4 27 https://example.com/a?b=1#c"_s};
    QTest::newRow("full stop") << u"read https://example.com."_s << QStringList{u"5 19 https://example.com"_s};
    QTest::newRow("comma, two links") << u"http://a.example, then https://b.example!"_s
                                      << QStringList{u"0 16 http://a.example"_s, u"23 17 https://b.example"_s};
    QTest::newRow("in parentheses") << u"(https://example.com/a)"_s << QStringList{u"1 21 https://example.com/a"_s};
    QTest::newRow("balanced parentheses") << u"https://en.wikipedia.org/wiki/Foo_(bar))."_s
                                          << QStringList{u"0 39 https://en.wikipedia.org/wiki/Foo_(bar)"_s};
    QTest::newRow("www") << u"go to www.example.org/docs, now"_s << QStringList{u"6 20 http://www.example.org/docs"_s};
    QTest::newRow("www needs a domain") << u"www.example and www."_s << QStringList{};
    QTest::newRow("mailto") << u"write to mailto:ops@example.com?"_s
                            << QStringList{u"9 22 mailto:ops@example.com"_s};
    QTest::newRow("mailto needs an address") << u"mailto: mailto:@x"_s << QStringList{};
    QTest::newRow("upper case") << u"HTTPS://EXAMPLE.COM/Path"_s << QStringList{u"0 24 https://example.com/Path"_s};
    QTest::newRow("scheme only") << u"https:// and http://"_s << QStringList{};
    QTest::newRow("inside a word") << u"xhttps://example.com user@www.example.com a.www.example.com"_s
                                   << QStringList{};
    QTest::newRow("port and quotes") << u"\"https://example.com:8080/x\""_s
                                     << QStringList{u"1 26 https://example.com:8080/x"_s};
    QTest::newRow("markup around") << u"<a href=\"https://evil.example\">x</a>"_s
                                   << QStringList{u"9 20 https://evil.example"_s};
    QTest::newRow("hangul particle after host") << u"https://naver.com에서 봐"_s
                                                << QStringList{u"0 17 https://naver.com"_s};
    QTest::newRow("hangul in path") << u"문서: https://wiki.example.com/한글 참고"_s
                                    << QStringList{u"4 27 https://wiki.example.com/한글"_s};
    QTest::newRow("cjk punctuation") << u"「https://example.jp」と https://example.jp/a。"_s
                                     << QStringList{u"1 18 https://example.jp"_s, u"22 20 https://example.jp/a"_s};
    QTest::newRow("new line ends it") << u"https://a.example\nnext"_s << QStringList{u"0 17 https://a.example"_s};
}

void TestMessageView::linkify()
{
    QFETCH(QString, text);
    QFETCH(QStringList, links);
    QStringList found;
    for (const TextLink &link : natter::app::findLinks(text)) {
        found.append(u"%1 %2 %3"_s.arg(link.start).arg(link.length).arg(link.url.toString()));
        QVERIFY(link.url.isValid());
    }
    QCOMPARE(found, links);
}

void TestMessageView::clickOnLinkEmitsUrl()
{
    Fixture f;
    QVERIFY(f.opened);
    QVERIFY(f.open());
    f.model->addMessage(message(1, u"the notes are at https://wiki.example.com/notes (page 2) or ask me"_s, at(1, 9)));
    QTRY_COMPARE(f.view->model()->rowCount(), 1);
    f.layout();

    const QList<QPair<QUrl, QRect>> rects = f.view->linkRects(f.row(0));
    QCOMPARE(rects.size(), 1);
    const QUrl url(u"https://wiki.example.com/notes"_s);
    QCOMPARE(rects.first().first, url);
    const QRect rect = rects.first().second;
    QVERIFY(f.view->viewport()->rect().contains(rect));
    QVERIFY(rect.width() > 40);

    QSignalSpy activated(f.view.get(), &MessageView::linkActivated);
    // Hovering shows the hand; elsewhere on the message it goes.
    QTest::mouseMove(f.view->viewport(), rect.center());
    QTRY_COMPARE(f.view->viewport()->cursor().shape(), Qt::PointingHandCursor);
    const QRect body = f.view->visualRect(f.row(0));
    QTest::mouseMove(f.view->viewport(), QPoint(rect.right() + 30, rect.center().y()));
    QTRY_COMPARE(f.view->viewport()->cursor().shape(), Qt::ArrowCursor);

    // A click beside the link does nothing; on it, the URL goes out once, to the signal and the opener.
    QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, QPoint(rect.right() + 30, rect.center().y()));
    QCOMPARE(activated.size(), 0);
    QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toUrl(), url);
    QCOMPARE(f.openedUrls, QList<QUrl>{url});
    QCOMPARE(f.view->linkAt(rect.center()), url);
    QVERIFY(!f.view->linkAt(QPoint(body.left() + 1, body.top() + 1)).isValid());
}

void TestMessageView::contextMenuAndCopy()
{
    Fixture f;
    QVERIFY(f.opened);
    QVERIFY(f.open());
    const QString two = u"compare https://a.example/x and www.b.example."_s;
    const QString one = u"only https://c.example here"_s;
    f.model->addMessages({message(1, two, at(1, 9)), message(2, one, at(1, 10), true),
                          message(3, u"no links at all"_s, at(1, 11))});
    QTRY_COMPARE(f.view->model()->rowCount(), 3);
    f.layout();
    QSignalSpy activated(f.view.get(), &MessageView::linkActivated);

    // Keyboard: the current message's links, one submenu each for opening and copying.
    f.view->setCurrentIndex(f.row(0));
    std::unique_ptr<QMenu> menu(f.view->createContextMenu(f.row(0)));
    QList<QAction *> actions = menu->actions();
    QCOMPARE(actions.size(), 4); // Open link >, Copy link address >, separator, Copy text
    QCOMPARE(actions.at(0)->text(), u"Open link"_s);
    QVERIFY(actions.at(0)->menu());
    QCOMPARE(actions.at(0)->menu()->actions().size(), 2);
    actions.at(0)->menu()->actions().at(1)->trigger();
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.last().first().toUrl(), QUrl(u"http://www.b.example"_s));
    actions.at(1)->menu()->actions().at(0)->trigger();
    QCOMPARE(QApplication::clipboard()->text(), u"https://a.example/x"_s);
    QCOMPARE(actions.at(3)->text(), u"Copy text"_s);
    actions.at(3)->trigger();
    QCOMPARE(QApplication::clipboard()->text(), two);

    // One link: plain actions. With the mouse on a link, only that one.
    menu.reset(f.view->createContextMenu(f.row(1)));
    actions = menu->actions();
    QCOMPARE(actions.size(), 4);
    QCOMPARE(actions.at(0)->text(), u"Open link"_s);
    QVERIFY(!actions.at(0)->menu());
    actions.at(1)->trigger();
    QCOMPARE(QApplication::clipboard()->text(), u"https://c.example"_s);
    const QRect second = f.view->linkRects(f.row(0)).at(1).second;
    menu.reset(f.view->createContextMenu(f.row(0), second.center()));
    actions = menu->actions();
    QVERIFY(!actions.at(0)->menu());
    actions.at(0)->trigger();
    QCOMPARE(activated.last().first().toUrl(), QUrl(u"http://www.b.example"_s));

    // No links: only "Copy text".
    menu.reset(f.view->createContextMenu(f.row(2)));
    QCOMPARE(menu->actions().size(), 1);

    // Ctrl+C copies the selected message; the menu key opens the menu for it.
    f.view->setFocus();
    f.view->setCurrentIndex(f.row(2));
    QTest::keyClick(f.view.get(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), u"no links at all"_s);
    QTest::keyClick(f.view.get(), Qt::Key_Up);
    QCOMPARE(f.view->currentIndex().row(), 1);
    QTest::keyClick(f.view.get(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), one);
    QContextMenuEvent keyboardMenu(QContextMenuEvent::Keyboard, QPoint(5, 5), f.view->mapToGlobal(QPoint(5, 5)));
    QCoreApplication::sendEvent(f.view.get(), &keyboardMenu);
    QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
    auto *popup = qobject_cast<QMenu *>(QApplication::activePopupWidget());
    QCOMPARE(popup->actions().first()->text(), u"Open link"_s);
    popup->close();
}

// ---- the height cache ----

void TestMessageView::heightCacheFollowsWidthAndFontNotState()
{
    Fixture f({900, 400});
    QVERIFY(f.opened);
    QVERIFY(f.open());
    LocalMessage own = message(2, kLong, at(1, 9), true);
    f.model->addMessages({message(1, u"short one"_s, at(1, 8)), own});
    QTRY_COMPARE(f.view->model()->rowCount(), 2);
    f.layout();
    const int wide = f.view->visualRect(f.row(1)).height();
    const int shortWide = f.view->visualRect(f.row(0)).height();

    // The view lays out again by itself shortly after its width changed.
    f.view->resize(300, 400);
    QTRY_VERIFY2(f.view->visualRect(f.row(1)).height() > wide,
                 qPrintable(u"%1 at 300 px, %2 at 900 px"_s.arg(f.view->visualRect(f.row(1)).height()).arg(wide)));
    const int narrow = f.view->visualRect(f.row(1)).height();
    QCOMPARE(f.view->visualRect(f.row(0)).height(), shortWide); // fits either way: one line
    QVERIFY(f.view->visualRect(f.row(1)).width() <= f.view->viewport()->width());

    // Own message changes state (sent -> delivered -> read): painted again, laid out never.
    f.view->viewport()->repaint();
    QCoreApplication::processEvents();
    const int layouts = f.delegate()->textLayoutCount();
    QSignalSpy changed(f.view->model(), &QAbstractItemModel::dataChanged);
    f.model->updateMessageState(own.cid, own.id, MessageState::Delivered);
    f.model->updateMessageState(own.cid, own.id, MessageState::Read);
    QCOMPARE(changed.size(), 2);
    f.view->viewport()->repaint();
    f.layout();
    QCOMPARE(f.delegate()->textLayoutCount(), layouts);
    QCOMPARE(f.view->visualRect(f.row(1)).height(), narrow);

    // Back to the first width: measured again (the cache keeps the last width only), same height as before.
    f.view->resize(900, 400);
    f.layout();
    QVERIFY(f.delegate()->textLayoutCount() > layouts);
    QCOMPARE(f.view->visualRect(f.row(1)).height(), wide);

    // A bigger font: everything is measured again.
    QFont font = f.view->font();
    font.setPointSizeF(font.pointSizeF() * 2);
    f.view->setFont(font);
    f.layout();
    QVERIFY(f.view->visualRect(f.row(0)).height() > shortWide);
    QVERIFY(f.view->visualRect(f.row(1)).height() > wide);
}

// ---- scrolling ----

void TestMessageView::sticksToBottomAndDoesNotJump()
{
    Fixture f({400, 300});
    QVERIFY(f.opened);
    QVERIFY(f.open());
    QList<LocalMessage> many;
    for (int i = 1; i <= 200; ++i)
        many.append(message(i, i % 7 == 0 ? kLong : u"message %1"_s.arg(i), at(1, 8) + i * 60'000, i % 3 == 0));
    f.model->addMessages(many);
    QTRY_COMPARE(f.view->model()->rowCount(), 200);
    QTRY_VERIFY(f.bar()->maximum() > 0);
    QTRY_VERIFY(f.view->isAtBottom());

    // At the bottom, a new message scrolls into view.
    f.model->addMessage(message(201, kLong, at(1, 12)));
    QTRY_COMPARE(f.view->model()->rowCount(), 201);
    QTRY_VERIFY(f.view->visualRect(f.row(200)).bottom() <= f.view->viewport()->height());
    QVERIFY(f.view->visualRect(f.row(200)).bottom() > f.view->viewport()->height() - 10);
    QVERIFY(f.view->isAtBottom());

    // Page up/down scroll by a page.
    const int bottom = f.bar()->value();
    QTest::keyClick(f.view.get(), Qt::Key_PageUp);
    QCOMPARE(f.bar()->value(), bottom - f.bar()->pageStep());
    QTest::keyClick(f.view.get(), Qt::Key_PageDown);
    QCOMPARE(f.bar()->value(), bottom);

    // Scrolled up, a new message leaves the view where it is.
    f.bar()->setValue(f.bar()->maximum() / 2);
    const int value = f.bar()->value();
    const QModelIndex shown = f.view->indexAt(QPoint(5, 100));
    const int shownTop = f.view->visualRect(shown).top();
    const int max = f.bar()->maximum();
    f.model->addMessage(message(202, kLong, at(1, 13)));
    QTRY_VERIFY(f.bar()->maximum() > max);
    QCOMPARE(f.bar()->value(), value);
    QCOMPARE(f.view->visualRect(shown).top(), shownTop);
    QVERIFY(!f.view->isAtBottom());

    // Back at the bottom, it follows again.
    f.bar()->setValue(f.bar()->maximum());
    f.model->addMessage(message(203, u"and one more"_s, at(1, 14)));
    QTRY_VERIFY(f.bar()->maximum() > max);
    QTRY_VERIFY(f.view->isAtBottom());
    QTRY_VERIFY(f.view->visualRect(f.row(202)).intersects(f.view->viewport()->rect()));
}

void TestMessageView::olderHistoryKeepsVisibleMessage()
{
    // 120 messages in the store, pages of 20: the view opens on the newest 20 and loads older pages when
    // scrolled to the top.
    Fixture f({400, 300}, 20);
    QVERIFY(f.opened);
    QList<LocalMessage> stored;
    for (int i = 1; i <= 120; ++i)
        stored.append(message(i, i % 5 == 0 ? kLong : u"history %1"_s.arg(i), at(1 + i / 40, 8) + i * 60'000));
    QVERIFY(f.write(stored));
    QVERIFY(f.open());
    QTRY_VERIFY(f.view->model()->rowCount() >= 20);
    QTRY_VERIFY(!f.model->isFetching());
    QTRY_VERIFY(f.bar()->maximum() > 0);
    QTRY_VERIFY(f.view->isAtBottom());

    // Scroll to the top: the next older page comes in above, and the message that was on screen stays put.
    f.layout(); // the width without the scroll bar, now (QListView waits 100 ms)
    const int before = f.view->model()->rowCount();
    f.bar()->setValue(f.bar()->minimum() + 1);
    // Below the first row, whose separator and sender line go when older rows of that day come above it.
    const QPersistentModelIndex anchor = f.view->indexAt(QPoint(5, 150));
    QVERIFY(anchor.isValid());
    const int anchorTop = f.view->visualRect(anchor).top();
    const QString anchorBody = anchor.data(MessageListModel::BodyRole).toString();
    QSignalSpy older(f.model.get(), &MessageListModel::olderMessagesLoaded);
    f.bar()->setValue(f.bar()->minimum());
    QTRY_COMPARE(older.size(), 1);
    QTRY_VERIFY(f.view->model()->rowCount() > before);
    f.layout();
    QCOMPARE(anchor.data(MessageListModel::BodyRole).toString(), anchorBody);
    QVERIFY(anchor.row() >= 20);
    QCOMPARE(f.view->visualRect(anchor).top(), anchorTop + 1); // where it was at the top (scrolled 1 px more)
    QVERIFY(f.bar()->value() > 0);
}

// ---- text ----

void TestMessageView::markupIsShownLiterally()
{
    Fixture f;
    QVERIFY(f.opened);
    QVERIFY(f.open());
    const QString body = u"<b>not bold</b> &amp; <a href=\"x\">no link</a>\nsecond line"_s;
    f.model->addMessage(message(1, body, at(1, 9)));
    QTRY_COMPARE(f.view->model()->rowCount(), 1);
    f.layout();
    QStyleOptionViewItem option;
    option.initFrom(f.view.get());
    option.rect = f.view->visualRect(f.row(0));
    QCOMPARE(f.delegate()->displayedText(option, f.row(0)), body);
    QVERIFY(f.view->linkRects(f.row(0)).isEmpty());
}

void TestMessageView::longHangulWraps()
{
    // tst_i18n checks that Hangul wraps in a QTextLayout; here: in the delegate's rows, words without
    // spaces included.
    Fixture f({900, 400});
    QVERIFY(f.opened);
    QVERIFY(f.open());
    const QString words = u"오늘 배포는 오후 네 시에 시작합니다. 배포 중에는 서버가 몇 분 동안 응답하지 않을 수 "
                          u"있으니 급한 일은 미리 처리해 주세요."_s;
    const QString noSpaces = u"가나다라마바사아자차카타파하"_s.repeated(6);
    f.model->addMessages({message(1, words, at(1, 9)), message(2, noSpaces, at(1, 10))});
    QTRY_COMPARE(f.view->model()->rowCount(), 2);
    f.layout();
    const int wideWords = f.view->visualRect(f.row(0)).height();
    const int wideRun = f.view->visualRect(f.row(1)).height();
    f.view->resize(300, 400);
    f.layout();
    QVERIFY(f.view->visualRect(f.row(0)).height() > wideWords);
    QVERIFY(f.view->visualRect(f.row(1)).height() > wideRun);
    QVERIFY(f.view->visualRect(f.row(1)).height() >= 3 * QFontMetrics(f.view->font()).height());
}

// ---- colours ----

void TestMessageView::contrastRatio_data()
{
    QTest::addColumn<QColor>("a");
    QTest::addColumn<QColor>("b");
    QTest::addColumn<double>("ratio");
    QTest::newRow("black on white") << QColor(Qt::black) << QColor(Qt::white) << 21.0;
    QTest::newRow("same") << QColor(0x33, 0x66, 0x99) << QColor(0x33, 0x66, 0x99) << 1.0;
    QTest::newRow("#777 on white") << QColor(0x77, 0x77, 0x77) << QColor(Qt::white) << 4.48;
    QTest::newRow("order does not matter") << QColor(Qt::white) << QColor(0x77, 0x77, 0x77) << 4.48;
    QTest::newRow("blue on white") << QColor(0x00, 0x00, 0xff) << QColor(Qt::white) << 8.59;
}

void TestMessageView::contrastRatio()
{
    QFETCH(QColor, a);
    QFETCH(QColor, b);
    QFETCH(double, ratio);
    QVERIFY2(qAbs(colors::contrastRatio(a, b) - ratio) < 0.01, qPrintable(QString::number(colors::contrastRatio(a, b))));
}

void TestMessageView::paletteColorsKeepContrast_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("light") << lightPalette();
    QTest::newRow("dark") << darkPalette();
    // A dark palette with a link colour that does not read on dark backgrounds: text colour instead.
    QPalette poorLinks = darkPalette();
    poorLinks.setColor(QPalette::Link, QColor(0x00, 0x00, 0x80));
    poorLinks.setColor(QPalette::LinkVisited, QColor(0x40, 0x00, 0x40));
    QTest::newRow("dark, poor link colour") << poorLinks;
    QTest::newRow("application") << QApplication::palette();
}

void TestMessageView::paletteColorsKeepContrast()
{
    QFETCH(QPalette, palette);
    const QColor base = palette.color(QPalette::Base);
    for (const bool own : {false, true}) {
        for (const bool selected : {false, true}) {
            const colors::MessageColors c = colors::messageColors(palette, own, selected);
            const QString what = u"own %1 selected %2: "_s.arg(own).arg(selected);
            QVERIFY2(colors::contrastRatio(c.text, c.background) >= 4.5, qPrintable(what + u"text"_s));
            QVERIFY2(colors::contrastRatio(c.dim, c.background) >= 4.5, qPrintable(what + u"time/state"_s));
            QVERIFY2(colors::contrastRatio(c.link, c.background) >= 4.5, qPrintable(what + u"link"_s));
            QVERIFY2(colors::contrastRatio(c.failed, c.background) >= 4.5, qPrintable(what + u"failed"_s));
            if (own && !selected) // a visible bubble: tinted, not the view's background
                QVERIFY2(c.background != base, qPrintable(what + c.background.name()));
        }
    }
    // The own bubble leans towards the highlight colour, the dark one stays dark.
    const QColor bubble = colors::messageColors(palette, true, false).background;
    QVERIFY(colors::contrastRatio(bubble, palette.color(QPalette::Highlight))
            < colors::contrastRatio(base, palette.color(QPalette::Highlight)));

    for (const bool selected : {false, true}) {
        const colors::RowColors c = colors::rowColors(palette, selected);
        const QColor background = palette.color(selected ? QPalette::Highlight : QPalette::Base);
        QVERIFY(colors::contrastRatio(c.text, background) >= 4.5);
        QVERIFY(colors::contrastRatio(c.dim, background) >= 4.5);
        QVERIFY(colors::contrastRatio(c.typing, background) >= 4.5);
        QVERIFY(colors::contrastRatio(c.badgeText, c.badge) >= 4.5);
        QVERIFY(colors::contrastRatio(c.online, background) >= 3.0);
    }
}

void TestMessageView::darkPaletteRenders()
{
    Fixture f({520, 420});
    QVERIFY(f.opened);
    f.view->setPalette(darkPalette());
    QVERIFY(f.open());
    LocalMessage failed = message(0, u"This one did not go out."_s, at(2, 9, 26), true);
    failed.cid = u"failed-1"_s;
    failed.state = MessageState::Failed;
    f.model->addMessages({
        message(1, u"안녕하세요! 점심 같이 드실래요? 🍜"_s, at(1, 11, 58)),
        message(2, u"Sure — the notes from this morning are at https://wiki.example.com/notes (page 2)."_s,
                at(1, 12, 1), true),
        message(3, u"<b>not bold</b>: markup shows as typed."_s, at(1, 12, 2)),
        message(4, kLong, at(2, 9, 15)),
        message(5, u"www.example.org has the slides 👍"_s, at(2, 9, 20), true),
        failed,
    });
    QTRY_COMPARE(f.view->model()->rowCount(), 6);
    f.layout();
    f.view->setCurrentIndex(f.row(3));
    const QImage image = f.view->grab().toImage();
    QVERIFY(!image.isNull());
    // The view's background is the dark palette's base, and the own bubble is drawn in its tint.
    const QPoint corner = f.view->viewport()->mapTo(f.view.get(), QPoint(2, 2));
    QCOMPARE(image.pixelColor(corner).rgb(), darkPalette().color(QPalette::Base).rgb());
    // Just above the bubble's lower edge, below the text.
    const QRect own = f.view->visualRect(f.row(1));
    const QColor bubble = colors::messageColors(darkPalette(), true, false).background;
    const QPoint inBubble = f.view->viewport()->mapTo(f.view.get(), QPoint(own.left() + 40, own.bottom() - 3));
    QCOMPARE(image.pixelColor(inBubble).rgb(), bubble.rgb());
    const QString dir = qEnvironmentVariable("NATTER_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        const QString shot = QDir(dir).filePath(u"message-view-dark.png"_s);
        QVERIFY(image.save(shot));
        qInfo().noquote() << "screenshot:" << shot;
    }
}

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"
