// Two people on one machine: two complete app stacks in one process (two profiles, each with its own
// Settings, ServerBrowser, LocalServerController and MainWindow, wired as client/app/main.cpp wires them),
// driven like users drive them: menu actions, dialog fields, clicks, keys typed into the composer, Enter.
// Alice starts the server from her Server menu; Bob hears it through LAN discovery (on loopback only) and
// picks it in his sign-in dialog. Every test runs over WebSocket and over long polling for Bob.
//
// What the delegates show is read back through a paint engine that records the text and ellipse colours
// they draw: no pixels are compared.

#include "client/app/chatsession.h"
#include "client/app/composer.h"
#include "client/app/connectionstatuslabel.h"
#include "client/app/localservercontroller.h"
#include "client/app/mainwindow.h"
#include "client/app/messageview.h"
#include "client/app/settings.h"
#include "client/app/signindialog.h"
#include "client/app/startserverdialog.h"
#include "client/chatclient.h"
#include "client/models/conversationlistmodel.h"
#include "client/models/messagelistmodel.h"
#include "client/models/peoplemodel.h"
#include "client/net/connection.h"
#include "client/net/serverbrowser.h"
#include "common/protocol/discovery.h"
#include "server/server.h"
#include "tests/support/apppeer.h"
#include "tests/support/findchild.h"

#include "tests/client/tcpproxy.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenuBar>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>

using namespace Qt::StringLiterals;
using natter::app::Composer;
using natter::app::ConnectionStatusLabel;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::MessageView;
using natter::app::Profile;
using natter::app::Settings;
using natter::app::SignInDialog;
using natter::app::StartServerDialog;
using natter::client::Connection;
using natter::client::ConversationListModel;
using natter::client::MessageListModel;
using natter::client::MessageState;
using natter::client::PeopleModel;
using natter::client::ServerBrowser;
using natter::client::TransportKind;
using natter::server::ServerConfig;
using natter::test::find;
using natter::test::freeLoopbackPort;
using natter::test::TcpProxy;

namespace {

// Generous: a slow, shared machine. Reconnecting after the server comes back waits for the backoff
// (at most 16 s after a few seconds without a server), hence the longer one.
constexpr int kWaitMs = 20'000;
constexpr int kReconnectWaitMs = 45'000;
const QString kPassword = natter::test::kPeerPassword;
const QHostAddress kLoopback(QHostAddress::LocalHost);

// A paint engine that keeps the text drawn and the brush colour of every ellipse, and draws nothing.
class RecordingEngine final : public QPaintEngine
{
public:
    RecordingEngine() : QPaintEngine(QPaintEngine::AllFeatures) {}

    bool begin(QPaintDevice *) override { return true; }
    bool end() override { return true; }
    void updateState(const QPaintEngineState &state) override
    {
        if (state.state() & QPaintEngine::DirtyBrush)
            m_brush = state.brush();
    }
    void drawTextItem(const QPointF &, const QTextItem &item) override { texts.append(item.text()); }
    void drawEllipse(const QRectF &) override { ellipses.append(m_brush.color()); }
    void drawEllipse(const QRect &r) override { drawEllipse(QRectF(r)); }
    void drawPixmap(const QRectF &, const QPixmap &, const QRectF &) override {}
    void drawImage(const QRectF &, const QImage &, const QRectF &, Qt::ImageConversionFlags) override {}
    void drawTiledPixmap(const QRectF &, const QPixmap &, const QPointF &) override {}
    void drawPath(const QPainterPath &) override {}
    void drawPolygon(const QPointF *, int, PolygonDrawMode) override {}
    void drawPolygon(const QPoint *, int, PolygonDrawMode) override {}
    void drawRects(const QRectF *, int) override {}
    void drawRects(const QRect *, int) override {}
    void drawLines(const QLineF *, int) override {}
    void drawLines(const QLine *, int) override {}
    void drawPoints(const QPointF *, int) override {}
    void drawPoints(const QPoint *, int) override {}
    Type type() const override { return QPaintEngine::User; }

    QStringList texts;
    QList<QColor> ellipses;

private:
    QBrush m_brush;
};

class RecordingDevice final : public QPaintDevice
{
public:
    explicit RecordingDevice(QSize size) : m_size(size) {}
    QPaintEngine *paintEngine() const override { return &m_engine; }
    RecordingEngine &engine() { return m_engine; }

protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth: return m_size.width();
        case PdmHeight: return m_size.height();
        case PdmWidthMM: return m_size.width() * 254 / 960;
        case PdmHeightMM: return m_size.height() * 254 / 960;
        case PdmNumColors: return std::numeric_limits<int>::max();
        case PdmDepth: return 32;
        case PdmDevicePixelRatio: return 1;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY: return 96;
        default: return QPaintDevice::metric(metric);
        }
    }

private:
    QSize m_size;
    mutable RecordingEngine m_engine;
};

// What the view's delegate draws for one row: its texts and the colours of its dots.
struct Painted {
    QStringList texts;
    QList<QColor> dots;
    bool shows(const QString &text) const { return texts.join(u'\n').contains(text); }
};

Painted paintRow(QAbstractItemView *view, int row)
{
    const QModelIndex index = view->model()->index(row, 0);
    QStyleOptionViewItem option;
    option.initFrom(view->viewport());
    option.font = view->font();
    option.widget = view;
    option.rect = QRect(0, 0, view->viewport()->width(), 0);
    const QSize hint = view->itemDelegateForIndex(index)->sizeHint(option, index);
    option.rect = QRect(QPoint(0, 0), QSize(view->viewport()->width(), hint.height()));
    RecordingDevice device(option.rect.size().expandedTo(QSize(1, 1)));
    {
        QPainter painter(&device);
        view->itemDelegateForIndex(index)->paint(&painter, option, index);
    }
    return {device.engine().texts, device.engine().ellipses};
}

// The row of the view's model whose `role` holds `value`, or -1.
int rowWhere(const QAbstractItemModel *model, int role, const QVariant &value)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(role) == value)
            return row;
    }
    return -1;
}

int countWhere(const QAbstractItemModel *model, int role, const QVariant &value)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        n += model->index(row, 0).data(role) == value ? 1 : 0;
    return n;
}

QVariant dataWhere(const QAbstractItemModel *model, int findRole, const QVariant &value, int role)
{
    const int row = rowWhere(model, findRole, value);
    return row < 0 ? QVariant() : model->index(row, 0).data(role);
}

// "from: body" for every row of a message view, in order.
QStringList transcript(const QAbstractItemView *view)
{
    QStringList out;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        out.append(index.data(MessageListModel::FromRole).toString() + u": "_s
                   + index.data(MessageListModel::BodyRole).toString());
    }
    return out;
}

// One person's app, as main.cpp builds it. Only what a test on one machine must change differs: the
// server listens on 127.0.0.1 and announces by unicast to the test's browsers instead of the LAN, every
// 200 ms; browsers bind a free port and join no multicast group; passwords hash with fewer iterations.
struct App {
    App(const QString &name, const QString &root)
        : profile(Profile::inFolder(name, root))
    {
        QDir().mkpath(profile.dataDir);
        settings = std::make_unique<Settings>(profile.settingsFile);
        browser = std::make_unique<ServerBrowser>(
            natter::client::ServerBrowserConfig{0, natter::protocol::kAnnounceExpiryMs, false});
    }
    ~App()
    {
        window.reset();
        server.reset();
        browser.reset();
        settings.reset();
    }
    // The machine's "LAN": every app's browser hears every server.
    void start(const QList<QPair<QHostAddress, quint16>> &listeners)
    {
        ServerConfig config;
        config.dbPath = QDir(profile.dataDir).filePath(u"server/natter.db"_s);
        config.host = kLoopback;
        config.announceOnLan = false;
        config.extraAnnounceTargets = listeners;
        config.announceIntervalMs = 200;
        config.passwordIterations = 1000;
        server = std::make_unique<LocalServerController>(config);
        window = std::make_unique<MainWindow>(*settings, *browser, *server, profile.dataDir);
        window->show();
        window->showSignIn();
    }

    natter::app::ChatSession *session() const { return window->session(); }
    bool isOnline() const { return session() && session()->client().isOnline(); }
    QAbstractItemView *messages() const { return find<MessageView>(window, u"messageView"_s); }
    QAbstractItemView *conversations() const { return find<QListView>(window, u"conversationList"_s); }
    QAbstractItemView *people() const { return find<QListView>(window, u"peopleList"_s); }
    QString status() const { return find<ConnectionStatusLabel>(window, u"connectionStatus"_s)->text(); }

    // A conversation row's data as the conversation list shows it; invalid without such a row.
    QVariant conversation(const QString &peer, int role) const
    {
        return dataWhere(conversations()->model(), ConversationListModel::PeerRole, peer, role);
    }
    int unread(const QString &peer) const
    {
        const QVariant v = conversation(peer, ConversationListModel::UnreadRole);
        return v.isValid() ? v.toInt() : -1;
    }
    // The state of the own message with this body in the message view, or -1.
    int stateOf(const QString &body) const
    {
        const QVariant v = dataWhere(messages()->model(), MessageListModel::BodyRole, body, MessageListModel::StateRole);
        return v.isValid() ? v.toInt() : -1;
    }
    Painted paintedMessage(const QString &body) const
    {
        return paintRow(messages(), rowWhere(messages()->model(), MessageListModel::BodyRole, body));
    }
    Painted paintedConversation(const QString &peer) const
    {
        return paintRow(conversations(), rowWhere(conversations()->model(), ConversationListModel::PeerRole, peer));
    }
    Painted paintedPerson(const QString &user) const
    {
        return paintRow(people(), rowWhere(people()->model(), PeopleModel::NameRole, user));
    }
    // Presence as the people list has it; invalid when the person is not listed.
    QVariant personOnline(const QString &user) const
    {
        return dataWhere(people()->model(), PeopleModel::NameRole, user, PeopleModel::OnlineRole);
    }

    // The Start local server dialog on screen, if any (closed ones may linger until deleted).
    StartServerDialog *startServerDialog() const
    {
        const auto dialogs = window->findChildren<StartServerDialog *>();
        for (StartServerDialog *d : dialogs) {
            if (d->isVisible())
                return d;
        }
        return nullptr;
    }

    QAction *action(const QString &text) const
    {
        const auto actions = window->menuBar()->findChildren<QAction *>();
        for (QAction *a : actions) {
            if (a->text() == text)
                return a;
        }
        return nullptr;
    }

    Profile profile;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<ServerBrowser> browser;
    std::unique_ptr<LocalServerController> server;
    std::unique_ptr<MainWindow> window;
};

void typeInto(QWidget *field, const QString &text)
{
    if (auto *edit = qobject_cast<QLineEdit *>(field))
        edit->selectAll();
    QTest::keyClicks(field, text);
}

void clickTab(QWidget *page)
{
    for (QWidget *w = page->parentWidget(); w; w = w->parentWidget()) {
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            const int i = tabs->indexOf(page);
            QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(i).center());
            return;
        }
    }
}

void clickRow(QAbstractItemView *view, int row)
{
    const QModelIndex index = view->model()->index(row, 0);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

// What a real double-click delivers: press, release, double-click, release (QTest::mouseDClick alone sends
// only the double-click event, which item views ignore without the press before it).
void doubleClickRow(QAbstractItemView *view, int row)
{
    const QModelIndex index = view->model()->index(row, 0);
    view->scrollTo(index);
    const QPoint at = view->visualRect(index).center();
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
}

void typeAndSend(natter::app::Composer *composer, const QString &text)
{
    QTest::keyClicks(composer, text);
    QTest::keyClick(composer, Qt::Key_Return);
}

} // namespace

class TestTwoProfiles : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void directChat_data() { transports(); }
    void directChat();
    void roomChat_data() { transports(); }
    void roomChat();
    void queuedUntilServerReturns_data() { transports(); }
    void queuedUntilServerReturns();
    void restartDoesNotOfferOwnStoppedServer();

private:
    static void transports();
    // Alice starts a server from her menu and registers; Bob picks it from the servers his sign-in
    // dialog heard and registers (over long polling through a proxy that refuses WebSocket upgrades when
    // the row says so).
    void meet();
    // Alice's Server menu -> Start local server… -> port -> Start.
    void startServerFromMenu(quint16 port);
    static void signUp(App &app, const QString &user);
    // Bob opens a direct chat with Alice from his people list.
    void bobOpensAlice();
    // Conversation → Join room… -> name -> OK.
    static void joinRoom(App &app, const QString &room);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<App> m_alice;
    std::unique_ptr<App> m_bob;
    std::unique_ptr<TcpProxy> m_proxy;
    quint16 m_port = 0;
};

void TestTwoProfiles::transports()
{
    QTest::addColumn<bool>("longPolling");
    QTest::newRow("websocket") << false;
    QTest::newRow("long polling") << true;
}

void TestTwoProfiles::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_alice = std::make_unique<App>(u"alice-profile"_s, m_dir->path());
    m_bob = std::make_unique<App>(u"bob-profile"_s, m_dir->path());
    QVERIFY2(m_alice->browser->start(), qPrintable(m_alice->browser->errorString()));
    QVERIFY2(m_bob->browser->start(), qPrintable(m_bob->browser->errorString()));
    const QList<QPair<QHostAddress, quint16>> lan = {{kLoopback, m_alice->browser->port()},
                                                      {kLoopback, m_bob->browser->port()}};
    m_alice->start(lan);
    m_bob->start(lan);
    QVERIFY(m_alice->profile.dataDir != m_bob->profile.dataDir);
    QVERIFY(m_alice->settings->deviceId() != m_bob->settings->deviceId());
}

void TestTwoProfiles::cleanup()
{
    m_bob.reset();
    m_alice.reset();
    m_proxy.reset();
    m_dir.reset();
    m_port = 0;
}

void TestTwoProfiles::startServerFromMenu(quint16 port)
{
    QAction *start = find<QAction>(m_alice->window, u"startServerAction"_s);
    QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kWaitMs);
    start->trigger();
    StartServerDialog *dialog = m_alice->startServerDialog();
    QVERIFY(dialog);
    find<QSpinBox>(dialog, u"portField"_s)->selectAll();
    QTest::keyClicks(find<QSpinBox>(dialog, u"portField"_s), QString::number(port));
    QCOMPARE(dialog->port(), port);
    QTest::mouseClick(find<QPushButton>(dialog, u"startButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->server->state(), LocalServerController::State::Running, kWaitMs);
    QCOMPARE(m_alice->server->port(), port);
    QVERIFY(find<QAction>(m_alice->window, u"stopServerAction"_s)->isEnabled());
}

void TestTwoProfiles::signUp(App &app, const QString &user)
{
    QPointer<SignInDialog> dialog = find<SignInDialog>(app.window, u"signInDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    typeInto(find<QLineEdit>(dialog, u"userField"_s), user);
    typeInto(find<QLineEdit>(dialog, u"passwordField"_s), kPassword);
    if (!find<QCheckBox>(dialog, u"createAccountBox"_s)->isChecked())
        QTest::mouseClick(find<QCheckBox>(dialog, u"createAccountBox"_s), Qt::LeftButton);
    QVERIFY(find<QCheckBox>(dialog, u"createAccountBox"_s)->isChecked());
    QTest::mouseClick(find<QPushButton>(dialog, u"signInButton"_s), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(app.isOnline(), qPrintable(dialog ? dialog->errorText() : QString()), kWaitMs);
    QCOMPARE(app.session()->client().user(), user);
    QTRY_VERIFY_WITH_TIMEOUT(app.status().startsWith(u"Online · "_s), kWaitMs);
}

void TestTwoProfiles::meet()
{
    QFETCH(bool, longPolling);
    m_port = freeLoopbackPort();
    QVERIFY(m_port != 0);

    // Alice: Server → Start local server…; her sign-in dialog is filled with its address.
    startServerFromMenu(m_port);
    if (QTest::currentTestFailed())
        return;
    const QString address = u"127.0.0.1:%1"_s.arg(m_port);
    QTRY_COMPARE_WITH_TIMEOUT(
        find<QLineEdit>(find<SignInDialog>(m_alice->window, u"signInDialog"_s), u"serverField"_s)->text(), address,
        kWaitMs);
    signUp(*m_alice, u"alice"_s);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_alice->session()->client().connection().transport(), TransportKind::WebSocket);

    // Bob: his sign-in dialog lists Alice's server, heard on the "LAN"; he picks it.
    SignInDialog *dialog = find<SignInDialog>(m_bob->window, u"signInDialog"_s);
    QVERIFY(dialog);
    QListWidget *servers = find<QListWidget>(dialog, u"serverList"_s);
    const auto itemFor = [&]() -> QListWidgetItem * {
        for (int i = 0; i < servers->count(); ++i) {
            if (servers->item(i)->text().contains(u'(' + address + u')'))
                return servers->item(i);
        }
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(itemFor() != nullptr, kWaitMs);
    QTest::mouseClick(servers->viewport(), Qt::LeftButton, {}, servers->visualItemRect(itemFor()).center());
    QCOMPARE(find<QLineEdit>(dialog, u"serverField"_s)->text(), address);
    if (longPolling) {
        // Bob's network lets plain HTTP through but not WebSocket: he types the proxy's address.
        m_proxy = std::make_unique<TcpProxy>(m_port);
        m_proxy->setMode(TcpProxy::Mode::RefuseUpgrade);
        QVERIFY(m_proxy->listen());
        typeInto(find<QLineEdit>(dialog, u"serverField"_s), u"127.0.0.1:%1"_s.arg(m_proxy->port()));
    }
    signUp(*m_bob, u"bob"_s);
    if (QTest::currentTestFailed())
        return;
    const Connection &connection = m_bob->session()->client().connection();
    // A trace in the log, for when something fails.
    connect(&connection, &Connection::stateChanged, this, [&connection](Connection::State state) {
        qInfo() << "bob's connection:" << state << connection.lastError();
    });
    connect(&connection, &Connection::transportChanged, this, [](TransportKind kind) {
        qInfo() << "bob's transport:" << natter::client::transportName(kind);
    });
    if (longPolling) {
        connect(m_proxy.get(), &TcpProxy::upgradeRefused, this, [] { qInfo() << "the proxy refused a WebSocket upgrade"; });
        QCOMPARE(connection.transport(), TransportKind::LongPolling);
        QVERIFY(m_proxy->refusedUpgrades() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->status(), u"Online · long polling · 127.0.0.1:%1"_s.arg(m_proxy->port()), kWaitMs);
    } else {
        QCOMPARE(connection.transport(), TransportKind::WebSocket);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->status(), u"Online · WebSocket · "_s + address, kWaitMs);
    }
    // Each sees the other in the people list, online.
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->personOnline(u"alice"_s), QVariant(true), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->personOnline(u"bob"_s), QVariant(true), kWaitMs);
}

void TestTwoProfiles::bobOpensAlice()
{
    clickTab(m_bob->people());
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->people()->isVisible(), kWaitMs);
    const int row = rowWhere(m_bob->people()->model(), PeopleModel::NameRole, u"alice"_s);
    QVERIFY(row >= 0);
    doubleClickRow(m_bob->people(), row);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->window->currentConversation(), u"alice"_s, kWaitMs);
    QCOMPARE(find<QLabel>(m_bob->window, u"conversationTitle"_s)->text(), u"alice"_s);
    QVERIFY(find<Composer>(m_bob->window, u"composer"_s)->isEnabled());
}

void TestTwoProfiles::joinRoom(App &app, const QString &room)
{
    QAction *join = app.action(u"&Join room…"_s);
    QVERIFY2(join, "no Conversation → Join room… action");
    QVERIFY(join->isEnabled());
    join->trigger();
    QInputDialog *dialog = nullptr;
    const auto dialogs = app.window->findChildren<QInputDialog *>();
    for (QInputDialog *d : dialogs) {
        if (d->isVisible())
            dialog = d;
    }
    QVERIFY(dialog);
    auto *field = dialog->findChild<QLineEdit *>();
    QVERIFY(field);
    QCOMPARE(field->text(), u"#"_s);
    field->end(false);
    QTest::keyClicks(field, room.mid(1));
    QCOMPARE(field->text(), room);
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    // The room opens once the server confirms the join.
    QTRY_COMPARE_WITH_TIMEOUT(app.window->currentConversation(), room, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(app.conversation(room, ConversationListModel::PeerRole).isValid(), kWaitMs);
}

void TestTwoProfiles::directChat()
{
    meet();
    if (QTest::currentTestFailed())
        return;

    // Bob double-clicks Alice in his people list and writes.
    bobOpensAlice();
    if (QTest::currentTestFailed())
        return;
    const QString hello = u"Hi Alice, lunch today?"_s;
    typeAndSend(find<Composer>(m_bob->window, u"composer"_s), hello);
    QVERIFY(find<Composer>(m_bob->window, u"composer"_s)->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->stateOf(hello) >= 0, kWaitMs);
    QVERIFY(dataWhere(m_bob->messages()->model(), MessageListModel::BodyRole, hello, MessageListModel::IsOwnRole).toBool());

    // Alice's conversation list: the chat with Bob, one unread, his message as the last one.
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->unread(u"bob"_s), 1, kWaitMs);
    QCOMPARE(m_alice->conversation(u"bob"_s, ConversationListModel::LastBodyRole).toString(), hello);
    QCOMPARE(m_alice->conversation(u"bob"_s, ConversationListModel::OnlineRole), QVariant(true));
    const Painted aliceRow = m_alice->paintedConversation(u"bob"_s);
    QVERIFY2(aliceRow.shows(u"bob"_s) && aliceRow.shows(hello) && aliceRow.texts.contains(u"1"_s),
             qPrintable(aliceRow.texts.join(u" | "_s)));
    QVERIFY(m_alice->window->currentConversation().isEmpty());

    // Alice's app has it (acked): delivered in Bob's view, and it stays delivered until she opens it.
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(hello), int(MessageState::Delivered), kWaitMs);
    QCOMPARE(dataWhere(m_bob->messages()->model(), MessageListModel::BodyRole, hello, MessageListModel::StateNameRole),
             QVariant(u"delivered"_s));
    Painted bobRow = m_bob->paintedMessage(hello);
    QVERIFY2(bobRow.shows(hello) && bobRow.shows(u"delivered"_s), qPrintable(bobRow.texts.join(u" | "_s)));

    // She opens it by clicking the row: read, in Bob's view too.
    clickRow(m_alice->conversations(), rowWhere(m_alice->conversations()->model(), ConversationListModel::PeerRole, u"bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->window->currentConversation(), u"bob"_s, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_alice->messages()), QStringList{u"bob: "_s + hello}, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->unread(u"bob"_s), 0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(hello), int(MessageState::Read), kWaitMs);
    bobRow = m_bob->paintedMessage(hello);
    QVERIFY2(bobRow.shows(u"read"_s) && !bobRow.shows(u"delivered"_s), qPrintable(bobRow.texts.join(u" | "_s)));

    // Alice replies; Bob has the chat open: it shows at once, nothing unread, and it is read.
    const QString reply = u"Yes! 12:30 at the usual place"_s;
    typeAndSend(find<Composer>(m_alice->window, u"composer"_s), reply);
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_bob->messages()), (QStringList{u"bob: "_s + hello, u"alice: "_s + reply}),
                              kWaitMs);
    const Painted received = m_bob->paintedMessage(reply);
    QVERIFY2(received.shows(u"alice"_s) && received.shows(reply), qPrintable(received.texts.join(u" | "_s)));
    QCOMPARE(m_bob->unread(u"alice"_s), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->stateOf(reply), int(MessageState::Read), kWaitMs);
    QCOMPARE(transcript(m_alice->messages()), (QStringList{u"bob: "_s + hello, u"alice: "_s + reply}));
}

void TestTwoProfiles::roomChat()
{
    meet();
    if (QTest::currentTestFailed())
        return;
    const QString room = u"#lunch"_s;

    // Alice creates the room from the Conversation menu; Bob joins it the same way.
    joinRoom(*m_alice, room);
    if (QTest::currentTestFailed())
        return;
    joinRoom(*m_bob, room);
    if (QTest::currentTestFailed())
        return;
    // Bob turns to a direct chat with Alice: the room is not open on his side any more.
    bobOpensAlice();
    if (QTest::currentTestFailed())
        return;

    // Bob's view asked the server for the room's history when he opened it; the answer may come in the
    // same event-loop pass as Alice's live message (often over long polling, where one poll carries both).
    // It is still a new message for him: unread.
    const QString question = u"Pizza at noon?"_s;
    typeAndSend(find<Composer>(m_alice->window, u"composer"_s), question);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->unread(room), 1, kWaitMs);
    QCOMPARE(m_bob->conversation(room, ConversationListModel::LastBodyRole).toString(), question);
    QCOMPARE(m_bob->conversation(room, ConversationListModel::LastFromRole).toString(), u"alice"_s);
    QCOMPARE(m_alice->unread(room), 0); // open on her side
    // Nothing of the room shows in the direct chat Bob has open.
    QCOMPARE(transcript(m_bob->messages()), QStringList());

    // Bob opens the room from his chats and answers.
    clickTab(m_bob->conversations());
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->conversations()->isVisible(), kWaitMs);
    clickRow(m_bob->conversations(), rowWhere(m_bob->conversations()->model(), ConversationListModel::PeerRole, room));
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->window->currentConversation(), room, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->unread(room), 0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_bob->messages()), QStringList{u"alice: "_s + question}, kWaitMs);
    const QString answer = u"Count me in"_s;
    typeAndSend(find<Composer>(m_bob->window, u"composer"_s), answer);

    const QStringList both = {u"alice: "_s + question, u"bob: "_s + answer};
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_alice->messages()), both, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_bob->messages()), both, kWaitMs);
    QCOMPARE(m_alice->unread(room), 0);
    QCOMPARE(m_bob->unread(room), 0);
    // Each side: the other's message carries the sender's name, own messages are own.
    const Painted atAlice = m_alice->paintedMessage(answer);
    QVERIFY2(atAlice.shows(u"bob"_s) && atAlice.shows(answer), qPrintable(atAlice.texts.join(u" | "_s)));
    const Painted atBob = m_bob->paintedMessage(question);
    QVERIFY2(atBob.shows(u"alice"_s) && atBob.shows(question), qPrintable(atBob.texts.join(u" | "_s)));
    QVERIFY(dataWhere(m_alice->messages()->model(), MessageListModel::BodyRole, question, MessageListModel::IsOwnRole).toBool());
    QVERIFY(!dataWhere(m_alice->messages()->model(), MessageListModel::BodyRole, answer, MessageListModel::IsOwnRole).toBool());
    QVERIFY(dataWhere(m_bob->messages()->model(), MessageListModel::BodyRole, answer, MessageListModel::IsOwnRole).toBool());
    // Room messages are sent (no per-reader receipts in rooms).
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->stateOf(answer) >= int(MessageState::Sent), kWaitMs);
    QVERIFY(m_bob->stateOf(answer) != int(MessageState::Failed));
}

void TestTwoProfiles::queuedUntilServerReturns()
{
    meet();
    if (QTest::currentTestFailed())
        return;
    const QString dbPath = m_alice->server->databasePath();
    QVERIFY(QFileInfo::exists(dbPath));

    // Bob opens the chat with Alice while all is well: her dot in the chat row is "online".
    bobOpensAlice();
    if (QTest::currentTestFailed())
        return;
    const QString before = u"Are you there?"_s;
    typeAndSend(find<Composer>(m_bob->window, u"composer"_s), before);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(before), int(MessageState::Delivered), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->conversation(u"alice"_s, ConversationListModel::OnlineRole), QVariant(true), kWaitMs);
    const Painted onlineRow = m_bob->paintedConversation(u"alice"_s);
    QCOMPARE(onlineRow.dots.size(), 1);
    // The people list shows it too, in words and with the same dot.
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->personOnline(u"alice"_s), QVariant(true), kWaitMs);
    const Painted onlinePerson = m_bob->paintedPerson(u"alice"_s);
    QVERIFY2(onlinePerson.texts.contains(u"online"_s), qPrintable(onlinePerson.texts.join(u'|')));
    QCOMPARE(onlinePerson.dots, onlineRow.dots);
    QVERIFY(m_bob->paintedPerson(u"bob"_s).texts.contains(u"bob (you)"_s));
    QCOMPARE(dataWhere(m_bob->people()->model(), PeopleModel::NameRole, u"alice"_s, Qt::AccessibleTextRole).toString(),
             u"alice, online"_s); // what a screen reader says

    // Alice: Server → Stop local server. Bob's app says it is reconnecting, and shows nobody online.
    find<QAction>(m_alice->window, u"stopServerAction"_s)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->server->state(), LocalServerController::State::Stopped, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_bob->isOnline(), kWaitMs);
    QTRY_VERIFY2_WITH_TIMEOUT(m_bob->status().startsWith(u"Reconnecting in "_s), qPrintable(m_bob->status()), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_alice->isOnline(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->personOnline(u"alice"_s), QVariant(false), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->conversation(u"alice"_s, ConversationListModel::OnlineRole), QVariant(false), kWaitMs);
    const Painted offlineRow = m_bob->paintedConversation(u"alice"_s);
    QCOMPARE(offlineRow.dots.size(), 1);
    QVERIFY2(offlineRow.dots.first() != onlineRow.dots.first(), "the presence dot does not change when offline");
    const Painted offlinePerson = m_bob->paintedPerson(u"alice"_s);
    QVERIFY2(offlinePerson.texts.contains(u"offline"_s), qPrintable(offlinePerson.texts.join(u'|')));
    QCOMPARE(offlinePerson.dots, offlineRow.dots);

    // Bob writes anyway: queued, and the view says so.
    const QString queued = u"Ping me when the server is back"_s;
    typeAndSend(find<Composer>(m_bob->window, u"composer"_s), queued);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(queued), int(MessageState::Queued), kWaitMs);
    QCOMPARE(dataWhere(m_bob->messages()->model(), MessageListModel::BodyRole, queued, MessageListModel::IdRole),
             QVariant(qint64(0)));
    const Painted queuedRow = m_bob->paintedMessage(queued);
    QVERIFY2(queuedRow.shows(u"queued"_s), qPrintable(queuedRow.texts.join(u" | "_s)));
    QCOMPARE(m_bob->stateOf(queued), int(MessageState::Queued)); // nobody to take it

    // Alice starts the server again from the menu: the dialog offers the same port; same database.
    QAction *start = find<QAction>(m_alice->window, u"startServerAction"_s);
    QVERIFY(start->isEnabled());
    start->trigger();
    StartServerDialog *dialog = m_alice->startServerDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->port(), m_port);
    QTest::mouseClick(find<QPushButton>(dialog, u"startButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->server->state(), LocalServerController::State::Running, kWaitMs);
    QCOMPARE(m_alice->server->port(), m_port);
    QCOMPARE(m_alice->server->databasePath(), dbPath);

    // Bob's app reconnects by itself and sends it: sent, then delivered once Alice's app is back too.
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->stateOf(queued) >= int(MessageState::Sent), kReconnectWaitMs);
    QVERIFY(m_bob->isOnline());
    QTRY_VERIFY_WITH_TIMEOUT(m_alice->isOnline(), kReconnectWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(queued), int(MessageState::Delivered), kWaitMs);
    QVERIFY(dataWhere(m_bob->messages()->model(), MessageListModel::BodyRole, queued, MessageListModel::IdRole).toLongLong() > 0);
    const Painted sentRow = m_bob->paintedMessage(queued);
    QVERIFY2(sentRow.shows(u"delivered"_s) && !sentRow.shows(u"queued"_s), qPrintable(sentRow.texts.join(u" | "_s)));
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->personOnline(u"alice"_s), QVariant(true), kReconnectWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->conversation(u"alice"_s, ConversationListModel::OnlineRole), QVariant(true), kWaitMs);
    if (m_proxy)
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->status().startsWith(u"Online · long polling · "_s), kWaitMs);
    else
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->status().startsWith(u"Online · WebSocket · "_s), kWaitMs);

    // Alice: the chat with Bob has both messages unread, the queued one last; she opens it; each message is
    // there once.
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->unread(u"bob"_s), 2, kWaitMs);
    QCOMPARE(m_alice->conversation(u"bob"_s, ConversationListModel::LastBodyRole).toString(), queued);
    clickRow(m_alice->conversations(), rowWhere(m_alice->conversations()->model(), ConversationListModel::PeerRole, u"bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->window->currentConversation(), u"bob"_s, kWaitMs);
    const QStringList expected = {u"bob: "_s + before, u"bob: "_s + queued};
    QTRY_COMPARE_WITH_TIMEOUT(transcript(m_alice->messages()), expected, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->stateOf(queued), int(MessageState::Read), kWaitMs);
    QCOMPARE(transcript(m_bob->messages()), expected);
    QCOMPARE(countWhere(m_bob->messages()->model(), MessageListModel::BodyRole, queued), 1);
    QCOMPARE(countWhere(m_alice->messages()->model(), MessageListModel::BodyRole, queued), 1);
    QCOMPARE(m_alice->unread(u"bob"_s), 0);
}

void TestTwoProfiles::restartDoesNotOfferOwnStoppedServer()
{
    // Alice's own app hears her server, as it does on a LAN (multicast and broadcast loop back).
    const quint16 port = freeLoopbackPort();
    startServerFromMenu(port);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!m_alice->browser->servers().isEmpty(), kWaitMs);

    find<QAction>(m_alice->window, u"stopServerAction"_s)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->server->state(), LocalServerController::State::Stopped, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(find<QAction>(m_alice->window, u"startServerAction"_s)->isEnabled(), kWaitMs);
    find<QAction>(m_alice->window, u"startServerAction"_s)->trigger();
    StartServerDialog *dialog = m_alice->startServerDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->port(), port);
    // Her stopped server is still in the browser's list until the announcement expires (10 s). The dialog
    // must not present it as another server "already running on this network", nor make "Use that
    // server" the default button: Enter would sign her out and point the sign-in dialog at a dead server.
    QVERIFY2(find<QPushButton>(dialog, u"useHeardButton"_s)->isHidden(),
             qPrintable(find<QLabel>(dialog, u"heardLabel"_s)->text()));
    QVERIFY(find<QPushButton>(dialog, u"startButton"_s)->isEnabled());
}

QTEST_MAIN(TestTwoProfiles)
#include "tst_twoprofiles.moc"
