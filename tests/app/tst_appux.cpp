// The desktop app's user experience around the session and the connection: connection diagnostics, sign
// out, switch account, resuming at launch, the command line, and keyboard and screen-reader access. Driven
// like a user drives the app (menus, clicks, keys) against a real in-process server on loopback, port 0,
// on the offscreen platform.

#include "client/app/chatsession.h"
#include "client/app/commandline.h"
#include "client/app/composer.h"
#include "client/app/connectiondiagnostics.h"
#include "client/app/connectionstatuslabel.h"
#include "client/app/diagnosticsdialog.h"
#include "client/app/localservercontroller.h"
#include "client/app/mainwindow.h"
#include "client/app/messageview.h"
#include "client/app/settings.h"
#include "client/app/settingsdialog.h"
#include "client/app/signindialog.h"
#include "client/app/startserverdialog.h"
#include "client/app/tokenstore.h"
#include "client/chatclient.h"
#include "client/models/conversationlistmodel.h"
#include "client/models/messagelistmodel.h"
#include "client/net/serverbrowser.h"
#include "server/server.h"
#include "tests/client/tcpproxy.h"
#include "tests/support/tokenchecks.h"
#include "tests/support/apppeer.h"
#include "tests/support/findchild.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using natter::app::ChatSession;
using natter::app::CommandLine;
using natter::app::Composer;
using natter::app::ConnectionDiagnostics;
using natter::app::ConnectionStatusLabel;
using natter::app::DiagnosticsDialog;
using natter::app::KnownAccount;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::MessageView;
using natter::app::Settings;
using natter::app::SettingsDialog;
using natter::app::SignInDialog;
using natter::app::StartServerDialog;
using natter::app::TokenStore;
using natter::client::ChatClient;
using natter::client::Connection;
using natter::client::ConnectionConfig;
using natter::client::ConnectionMode;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::ServerBrowser;
using natter::client::TransportKind;
using natter::server::Server;
using natter::server::ServerConfig;
using natter::test::find;
using natter::test::TcpProxy;
using Field = ConnectionDiagnostics::Field;

using natter::test::Peer;

using natter::test::freeLoopbackPort;

namespace {

constexpr int kWaitMs = 15'000;
const QString kPassword = natter::test::kPeerPassword;
const QHostAddress kLoopback(QHostAddress::LocalHost);

// The visible widgets of a window that take focus by Tab, in no particular order.
QList<QWidget *> tabStops(QWidget *window)
{
    QList<QWidget *> out;
    const auto all = window->findChildren<QWidget *>();
    for (QWidget *w : all) {
        if (w->window() == window && w->isVisibleTo(window) && w->isEnabled() && !w->focusProxy() &&
            (w->focusPolicy() & Qt::TabFocus))
            out.append(w);
    }
    return out;
}

QString describe(const QWidget *w)
{
    return u"%1 \"%2\" (%3)"_s.arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(),
                                   w->accessibleName());
}

// The session's outbox size, waited for.
int unsentNow(ChatSession *session)
{
    int count = -1;
    session->countUnsent(session, [&count](int n) { count = n; });
    return QTest::qWaitFor([&count] { return count >= 0; }, kWaitMs) ? count : -1;
}

// What a screen reader announces for a widget.
QString accessibleName(QWidget *w)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    return iface ? iface->text(QAccessible::Name).trimmed() : QString();
}

template <typename T> T *visibleChild(QWidget *parent)
{
    const auto all = parent->findChildren<T *>();
    for (T *w : all) {
        if (w->isVisible())
            return w;
    }
    return nullptr;
}

} // namespace

class TestAppUx : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void commandLine_data();
    void commandLine();
    void knownAccounts();
    void diagnosticsText_data();
    void diagnosticsText();
    void diagnosticsLive_data();
    void diagnosticsLive();
    void diagnosticsShowsWhyWebSocketFailed();
    void diagnosticsReconnectNow();
    void signOutRevokesToken();
    void signOutWithoutAnswer();
    void signOutWithUnsentMessagesAsks_data();
    void signOutWithUnsentMessagesAsks();
    void switchAccount();
    void switchAccountWarnsAboutUnsentMessages();
    void savedSessionRevokedElsewhere();
    void launch_data();
    void launch();
    void tabReachesEveryControl_data();
    void tabReachesEveryControl();
    void controlsHaveAccessibleNames_data();
    void controlsHaveAccessibleNames();
    void shortcuts();
    void errorColourFollowsPalette();

private:
    void startServer();
    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())); }
    QString address() const { return u"127.0.0.1:%1"_s.arg(m_server->port()); }
    QString dataDir() const { return m_dir->filePath(u"data"_s); }
    std::unique_ptr<MainWindow> newWindow();
    // Signs in through the window's sign-in dialog, like a user; returns the token the server issued.
    QString signIn(MainWindow &window, const QString &user, bool create);
    // A session built directly (for connection settings a test needs), handed to the window and started.
    ChatSession *startSession(MainWindow &window, const QUrl &server, const QString &user,
                              const ConnectionConfig &config, bool create = true);
    // Whether the account's store still has a token (a fresh TokenStore over a fresh LocalStore, as at launch).
    bool hasStoredToken(const QUrl &server, const QString &user);
    // Whether the server takes a token (a bare Connection resumes with it).
    bool serverAcceptsToken(const QString &user, const QString &token);
    // Opens a window (or dialog) for the keyboard tests, focused.
    static void activate(QWidget *window);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<ServerBrowser> m_browser;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<LocalServerController> m_controller;
};

void TestAppUx::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_browser = std::make_unique<ServerBrowser>(natter::client::ServerBrowserConfig{0, 60'000, false});
    QVERIFY2(m_browser->start(), qPrintable(m_browser->errorString()));
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
    ServerConfig unused;
    unused.dbPath = m_dir->filePath(u"unused.db"_s);
    m_controller = std::make_unique<LocalServerController>(unused);
}

void TestAppUx::cleanup()
{
    m_server.reset();
    m_controller.reset();
    m_browser.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestAppUx::startServer()
{
    ServerConfig config;
    config.host = kLoopback;
    config.port = 0;
    config.dbPath = m_dir->filePath(u"server.db"_s);
    config.passwordIterations = 1000;
    config.announce = true;
    config.announceOnLan = false;
    config.announceIntervalMs = 200;
    config.serverName = u"Test server"_s;
    config.extraAnnounceTargets = {{kLoopback, m_browser->port()}};
    m_server = std::make_unique<Server>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

std::unique_ptr<MainWindow> TestAppUx::newWindow()
{
    auto window = std::make_unique<MainWindow>(*m_settings, *m_browser, *m_controller, dataDir());
    window->resize(900, 600);
    window->show();
    return window;
}

QString TestAppUx::signIn(MainWindow &window, const QString &user, bool create)
{
    window.showSignIn();
    SignInDialog *dialog = find<SignInDialog>(window, u"signInDialog"_s);
    if (!dialog)
        return {};
    find<QLineEdit>(dialog, u"serverField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"serverField"_s), address());
    find<QLineEdit>(dialog, u"userField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"userField"_s), user);
    find<QLineEdit>(dialog, u"passwordField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"passwordField"_s), kPassword);
    find<QCheckBox>(dialog, u"createAccountBox"_s)->setChecked(create);
    QTest::mouseClick(find<QPushButton>(dialog, u"signInButton"_s), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return window.session() && window.session()->client().isOnline(); }, kWaitMs))
        return {};
    // The welcome carried the token; the session keeps it in the TokenStore.
    const QString token = window.session()->client().connection().credentials().token;
    return QTest::qWaitFor([&] { return hasStoredToken(serverUrl(), user); }, kWaitMs) ? token : QString();
}

ChatSession *TestAppUx::startSession(MainWindow &window, const QUrl &server, const QString &user,
                                     const ConnectionConfig &config, bool create)
{
    ChatSession::Options options;
    options.server = server;
    options.user = user;
    options.password = kPassword;
    options.device = m_settings->deviceId();
    options.registerNew = create;
    options.dataDir = dataDir();
    options.connection = config;
    auto session = std::make_unique<ChatSession>(options);
    if (!session->isOpen())
        return nullptr;
    ChatSession *s = session.get();
    window.setSession(std::move(session));
    s->start();
    return s;
}

bool TestAppUx::hasStoredToken(const QUrl &server, const QString &user)
{
    return natter::test::hasStoredToken(dataDir(), server, user);
}

bool TestAppUx::serverAcceptsToken(const QString &user, const QString &token)
{
    return natter::test::serverAcceptsToken(serverUrl(), user, m_settings->deviceId(), token, kWaitMs);
}

void TestAppUx::activate(QWidget *window)
{
    window->show();
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
}

void TestAppUx::commandLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("localServer");
    QTest::addColumn<int>("port"); // -1: none
    QTest::addColumn<QString>("error");
    QTest::newRow("nothing") << QStringList{} << true << false << -1 << QString();
    QTest::newRow("local server") << QStringList{u"--local-server"_s} << true << true << -1 << QString();
    QTest::newRow("local server on a port")
        << QStringList{u"--local-server"_s, u"--port"_s, u"7475"_s} << true << true << 7475 << QString();
    QTest::newRow("port first") << QStringList{u"--port=0"_s, u"--local-server"_s} << true << true << 0 << QString();
    QTest::newRow("port alone") << QStringList{u"--port"_s, u"7475"_s} << false << false << -1
                                << u"use it with --local-server"_s;
    QTest::newRow("bad port") << QStringList{u"--local-server"_s, u"--port"_s, u"70000"_s} << false << false << -1
                              << u"from 0 to 65535"_s;
    QTest::newRow("bad profile") << QStringList{u"--profile"_s, u"../x"_s} << false << false << -1
                                 << u"profile names"_s;
    QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << false << false << -1 << u"frobnicate"_s;
}

void TestAppUx::commandLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, ok);
    QFETCH(bool, localServer);
    QFETCH(int, port);
    QFETCH(QString, error);
    CommandLine commandLine;
    const auto options = commandLine.parse(QStringList{u"natter"_s} + arguments);
    QCOMPARE(options.has_value(), ok);
    if (!ok) {
        QVERIFY2(commandLine.errorText().startsWith(u"natter: "_s), qPrintable(commandLine.errorText()));
        QVERIFY2(commandLine.errorText().contains(error), qPrintable(commandLine.errorText()));
        return;
    }
    QCOMPARE(options->localServer, localServer);
    QCOMPARE(options->port.has_value(), port >= 0);
    if (port >= 0)
        QCOMPARE(int(*options->port), port);
    // --help says what --port needs.
    QVERIFY(commandLine.helpText().simplified().contains(u"only together with --local-server"_s));
}

void TestAppUx::knownAccounts()
{
    const QUrl a(u"http://10.0.0.1:7470"_s);
    const QUrl b(u"http://10.0.0.2:7471"_s);
    QVERIFY(m_settings->knownAccounts().isEmpty());
    m_settings->addKnownAccount({a, u"alice"_s});
    m_settings->addKnownAccount({b, u"bob"_s});
    m_settings->addKnownAccount({a, u"Alice"_s}); // the same account: moves to the front, newest spelling
    QCOMPARE(m_settings->knownAccounts(), (QList<KnownAccount>{{a, u"Alice"_s}, {b, u"bob"_s}}));
    for (int i = 0; i < 30; ++i)
        m_settings->addKnownAccount({a, u"user%1"_s.arg(i)});
    m_settings->sync();
    Settings again(m_settings->fileName());
    QCOMPARE(again.knownAccounts().size(), 20);
    QCOMPARE(again.knownAccounts().first().user, u"user29"_s);
}

void TestAppUx::diagnosticsText_data()
{
    QTest::addColumn<bool>("signedIn");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("transport");
    QTest::addColumn<QString>("webSocketError");
    QTest::addColumn<int>("rtt");
    QTest::addColumn<int>("heardSecondsAgo");  // -1: never
    QTest::addColumn<QStringList>("expected"); // lines of the plain-text report
    using S = Connection::State;
    QTest::newRow("online over WebSocket")
        << true << int(S::Online) << int(TransportKind::WebSocket) << QString() << 12 << 3
        << QStringList{u"State: Online"_s,
                       u"Transport: WebSocket"_s,
                       u"Why WebSocket failed: None: WebSocket has not failed"_s,
                       u"Round-trip time: 12 ms"_s,
                       u"s ago)"_s,
                       u"Server: 192.168.1.5:7470 (Office)"_s,
                       u"Server version: 0.1.0"_s,
                       u"User: alice"_s,
                       u"Device: desktop-1"_s,
                       u"Reconnect attempts: 2"_s};
    QTest::newRow("long polling after a refused upgrade")
        << true << int(S::Online) << int(TransportKind::LongPolling) << u"403 Forbidden"_s << -1 << -1
        << QStringList{u"Transport: Long polling"_s, u"Why WebSocket failed: 403 Forbidden"_s,
                       u"Round-trip time: Not measured yet"_s, u"Last heard from the server: Nothing heard yet"_s};
    QTest::newRow("reconnecting") << true << int(S::Reconnecting) << int(TransportKind::WebSocket) << QString() << -1
                                  << -1 << QStringList{u"State: Reconnecting in 4 s"_s};
    QTest::newRow("signed out") << false << int(S::Offline) << int(TransportKind::WebSocket) << QString() << -1 << -1
                                << QStringList{u"State: Not signed in"_s, u"Device: desktop-1"_s, u"Transport: —"_s};
}

void TestAppUx::diagnosticsText()
{
    QFETCH(bool, signedIn);
    QFETCH(int, state);
    QFETCH(int, transport);
    QFETCH(QString, webSocketError);
    QFETCH(int, rtt);
    QFETCH(int, heardSecondsAgo);
    QFETCH(QStringList, expected);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ConnectionDiagnostics::Facts facts = ConnectionDiagnostics::gather(nullptr, u"desktop-1"_s);
    QVERIFY(!facts.signedIn);
    facts.signedIn = signedIn;
    facts.server = QUrl(u"http://192.168.1.5:7470"_s);
    facts.serverName = u"Office"_s;
    facts.serverVersion = u"0.1.0"_s;
    facts.state = Connection::State(state);
    facts.reconnectInMs = 3200;
    facts.transport = TransportKind(transport);
    facts.webSocketError = webSocketError;
    facts.roundTripMs = rtt;
    if (heardSecondsAgo >= 0)
        facts.lastHeartbeat = now.addSecs(-heardSecondsAgo);
    facts.reconnectAttempts = 2;
    facts.user = u"alice"_s;
    const QString text = ConnectionDiagnostics::plainText(facts, now);
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), ConnectionDiagnostics::fields().size() + 1); // a heading, then one line per field
    for (const QString &line : expected)
        QVERIFY2(text.contains(line), qPrintable(u"missing \"%1\" in:\n%2"_s.arg(line, text)));
    if (heardSecondsAgo >= 0)
        QVERIFY(text.contains(u"(%1 s ago)"_s.arg(heardSecondsAgo)));
}

void TestAppUx::diagnosticsLive_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("transport");
    QTest::newRow("websocket") << int(ConnectionMode::WebSocketOnly) << u"WebSocket"_s;
    QTest::newRow("long polling") << int(ConnectionMode::LongPollingOnly) << u"Long polling"_s;
}

void TestAppUx::diagnosticsLive()
{
    QFETCH(int, mode);
    QFETCH(QString, transport);
    startServer();
    auto window = newWindow();
    ConnectionConfig config;
    config.mode = ConnectionMode(mode);
    config.webSocket.heartbeatMs = 200;  // a ping soon, so that a round trip is measured
    config.longPolling.pollTimeoutS = 1; // empty polls come back every second: heartbeats too
    ChatSession *session = startSession(*window, serverUrl(), u"alice"_s, config);
    QVERIFY(session);
    Connection &connection = session->client().connection();
    QTRY_VERIFY_WITH_TIMEOUT(session->client().isOnline(), kWaitMs);

    // Clicking the status line opens the diagnostics, which follow the connection while open.
    QTest::mouseClick(find<ConnectionStatusLabel>(window, u"connectionStatus"_s), Qt::LeftButton);
    DiagnosticsDialog *dialog = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal());
    QCOMPARE(dialog->valueText(Field::State), u"Online"_s);
    QCOMPARE(dialog->valueText(Field::Transport), transport);
    QCOMPARE(dialog->valueText(Field::User), u"alice"_s);
    QCOMPARE(dialog->valueText(Field::Device), m_settings->deviceId());
    QCOMPARE(dialog->valueText(Field::WebSocketProblem), u"None: WebSocket has not failed"_s);
    QVERIFY(!find<QPushButton>(dialog, u"reconnectButton"_s)->isEnabled()); // online: nothing to skip
    // The server is heard on the LAN (the test's browser): its name and version.
    QTRY_VERIFY_WITH_TIMEOUT(dialog->valueText(Field::Server).contains(u"Test server"_s), kWaitMs);
    QVERIFY(dialog->valueText(Field::Server).startsWith(address()));
    QCOMPARE(dialog->valueText(Field::ServerVersion), QStringLiteral(NATTER_VERSION));

    // The heartbeat: the transport heard the server, and later again.
    QTRY_VERIFY_WITH_TIMEOUT(connection.lastHeartbeat().isValid(), kWaitMs);
    const QDateTime first = connection.lastHeartbeat();
    QTRY_VERIFY_WITH_TIMEOUT(connection.lastHeartbeat() > first, kWaitMs);
    QVERIFY(connection.lastHeartbeat() <= QDateTime::currentDateTimeUtc());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->valueText(Field::LastHeartbeat).contains(u"s ago)"_s), kWaitMs);
    // A measured round trip.
    QTRY_VERIFY_WITH_TIMEOUT(connection.roundTripMs() >= 0, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(QRegularExpression(u"^\\d+ ms$"_s).match(dialog->valueText(Field::RoundTrip)).hasMatch(),
                             kWaitMs);

    // Copy to clipboard: the plain-text report.
    QTest::mouseClick(find<QPushButton>(dialog, u"copyButton"_s), Qt::LeftButton);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(u"Transport: %1"_s.arg(transport)), qPrintable(copied));
    QVERIFY(copied.contains(u"State: Online"_s));
    QVERIFY(copied.contains(u"Device: %1"_s.arg(m_settings->deviceId())));

    // Live: the server goes away and the dialog says so without being reopened.
    m_server.reset();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->valueText(Field::State).startsWith(u"Reconnecting in"_s) ||
                                 dialog->valueText(Field::State) == u"Connecting"_s,
                             kWaitMs);
    QVERIFY(dialog->valueText(Field::LastError) != u"None"_s);

    // Esc closes it.
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s));
}

void TestAppUx::diagnosticsShowsWhyWebSocketFailed()
{
    startServer();
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.setMode(TcpProxy::Mode::RefuseUpgrade); // a proxy that does not pass WebSocket
    auto window = newWindow();
    ChatSession *session = startSession(*window, proxy.url(), u"alice"_s, ConnectionConfig{});
    QVERIFY(session);
    QTRY_VERIFY_WITH_TIMEOUT(session->client().isOnline(), kWaitMs);
    QCOMPARE(session->client().connection().transport(), TransportKind::LongPolling);
    QVERIFY(proxy.refusedUpgrades() > 0);

    find<QAction>(window, u"diagnosticsAction"_s)->trigger(); // Help > Connection diagnostics
    DiagnosticsDialog *dialog = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    QVERIFY(dialog);
    QCOMPARE(dialog->valueText(Field::Transport), u"Long polling"_s);
    const QString why = dialog->valueText(Field::WebSocketProblem);
    QVERIFY(!why.isEmpty());
    QVERIFY2(why != u"None: WebSocket has not failed"_s, qPrintable(why));
    QCOMPARE(why, session->client().connection().lastWebSocketError());
    QVERIFY2(dialog->reportText().contains(u"Why WebSocket failed: "_s + why), qPrintable(dialog->reportText()));
}

void TestAppUx::diagnosticsReconnectNow()
{
    // Nothing listens: the connection waits between attempts. The wait is long, so that only the button
    // can bring the next attempt.
    ConnectionConfig config;
    config.backoff = {60'000, 60'000, 60'000};
    config.healthTimeoutMs = 2000;
    auto window = newWindow();
    ChatSession *session = startSession(*window, QUrl(u"http://127.0.0.1:%1"_s.arg(freeLoopbackPort())), u"alice"_s, config);
    QVERIFY(session);
    Connection &connection = session->client().connection();
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), Connection::State::Reconnecting, kWaitMs);
    QCOMPARE(connection.reconnectAttempts(), 1);

    window->showDiagnostics();
    DiagnosticsDialog *dialog = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->valueText(Field::State).startsWith(u"Reconnecting in"_s));
    QCOMPARE(dialog->valueText(Field::ReconnectAttempts), u"1"_s);
    QCOMPARE(dialog->valueText(Field::RoundTrip), u"Not measured yet"_s);
    QCOMPARE(dialog->valueText(Field::LastHeartbeat), u"Nothing heard yet"_s);
    QVERIFY(dialog->valueText(Field::LastError) != u"None"_s);
    QVERIFY(find<QPushButton>(dialog, u"reconnectButton"_s)->isEnabled());
    QTest::mouseClick(find<QPushButton>(dialog, u"reconnectButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(connection.reconnectAttempts(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->valueText(Field::ReconnectAttempts), u"2"_s, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), Connection::State::Reconnecting, kWaitMs);
}

void TestAppUx::signOutRevokesToken()
{
    startServer();
    auto window = newWindow();
    const QString token = signIn(*window, u"alice"_s, true);
    QVERIFY(!token.isEmpty());
    QVERIFY(hasStoredToken(serverUrl(), u"alice"_s));
    QVERIFY(serverAcceptsToken(u"alice"_s, token)); // the check below can fail
    QVERIFY(find<QAction>(window, u"signOutAction"_s)->isEnabled());
    QVERIFY(!find<QAction>(window, u"signInAction"_s)->isEnabled());

    find<QAction>(window, u"signOutAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    // Back at the sign-in dialog, filled in for the same account; the views are empty.
    QVERIFY(find<SignInDialog>(window, u"signInDialog"_s));
    QTRY_VERIFY(find<SignInDialog>(window, u"signInDialog"_s)->isVisible());
    QCOMPARE(find<QLineEdit>(find<SignInDialog>(window, u"signInDialog"_s), u"userField"_s)->text(), u"alice"_s);
    QCOMPARE(find<QLineEdit>(find<SignInDialog>(window, u"signInDialog"_s), u"serverField"_s)->text(), address());
    QVERIFY(find<QLineEdit>(find<SignInDialog>(window, u"signInDialog"_s), u"passwordField"_s)->text().isEmpty());
    QVERIFY(!find<QListView>(window, u"conversationList"_s)->model());
    QVERIFY(!find<QListView>(window, u"peopleList"_s)->model());
    QCOMPARE(find<ConnectionStatusLabel>(window, u"connectionStatus"_s)->text(), u"Not signed in"_s);
    QVERIFY(!find<QAction>(window, u"signOutAction"_s)->isEnabled());
    QVERIFY(find<QAction>(window, u"signInAction"_s)->isEnabled());

    // The server no longer takes the token, and this computer no longer keeps it.
    QVERIFY(!serverAcceptsToken(u"alice"_s, token));
    QVERIFY(!hasStoredToken(serverUrl(), u"alice"_s));
    // So the next launch asks instead of resuming.
    auto next = newWindow();
    QVERIFY(!next->resumeOrSignIn());
    QVERIFY(find<SignInDialog>(next, u"signInDialog"_s));
}

void TestAppUx::signOutWithoutAnswer()
{
    // Online through a relay that then goes silent: the logout gets no answer.
    startServer();
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    auto window = newWindow();
    ChatSession *session = startSession(*window, proxy.url(), u"alice"_s, ConnectionConfig{});
    QVERIFY(session);
    QTRY_VERIFY_WITH_TIMEOUT(session->client().isOnline(), kWaitMs);
    const QString token = session->client().connection().credentials().token;
    QVERIFY(!token.isEmpty());
    proxy.silenceOpenConnections();
    session->setSignOutTimeoutMs(500);

    find<QAction>(window, u"signOutAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    QTRY_VERIFY(find<SignInDialog>(window, u"signInDialog"_s) &&
                find<SignInDialog>(window, u"signInDialog"_s)->isVisible());
    // Forgotten here, and the user is told that the server was not: the token still works there.
    QVERIFY2(window->statusBar()->currentMessage().contains(u"could not be reached"_s),
             qPrintable(window->statusBar()->currentMessage()));
    QVERIFY(!hasStoredToken(proxy.url(), u"alice"_s));
    QVERIFY(serverAcceptsToken(u"alice"_s, token));
}

void TestAppUx::signOutWithUnsentMessagesAsks_data()
{
    QTest::addColumn<bool>("confirm");
    QTest::newRow("cancel") << false;
    QTest::newRow("sign out") << true;
}

void TestAppUx::signOutWithUnsentMessagesAsks()
{
    QFETCH(bool, confirm);
    // Offline (nothing listens), with a message written: it waits in the outbox.
    ConnectionConfig config;
    config.healthTimeoutMs = 2000;
    auto window = newWindow();
    const QUrl nowhere(u"http://127.0.0.1:%1"_s.arg(freeLoopbackPort()));
    ChatSession *session = startSession(*window, nowhere, u"alice"_s, config);
    QVERIFY(session);
    window->openConversation(u"bob"_s);
    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"are you there?"_s);
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(unsentNow(session), 1, kWaitMs);

    find<QAction>(window, u"signOutAction"_s)->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = visibleChild<QMessageBox>(window.get())) != nullptr, kWaitMs);
    QVERIFY2(box->text().startsWith(u"1 "_s), qPrintable(box->text())); // "message" once the English plurals are in
    QVERIFY2(box->text().contains(u"you wrote as alice have not been sent yet"_s), qPrintable(box->text()));
    QVERIFY(box->informativeText().contains(u"next time you sign in as alice"_s));
    QAbstractButton *cancel = box->button(QMessageBox::Cancel);
    QVERIFY(cancel);
    QAbstractButton *signOut = nullptr;
    const auto buttons = box->buttons();
    for (QAbstractButton *b : buttons) {
        if (b != cancel)
            signOut = b;
    }
    QVERIFY(signOut);
    QTest::mouseClick(confirm ? signOut : cancel, Qt::LeftButton);
    if (!confirm) {
        QTest::qWait(100); // nothing may follow; give it a chance to go wrong
        QCOMPARE(window->session(), session);
        QVERIFY(!find<SignInDialog>(window, u"signInDialog"_s));
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    QTRY_VERIFY(find<SignInDialog>(window, u"signInDialog"_s) &&
                find<SignInDialog>(window, u"signInDialog"_s)->isVisible());
    // Offline, the server could not be told: the status bar says so. The message stays in the store.
    QVERIFY(window->statusBar()->currentMessage().contains(u"could not be reached"_s));
    QVERIFY(!hasStoredToken(nowhere, u"alice"_s));
    LocalStore store(ChatSession::storePath(dataDir(), nowhere, u"alice"_s));
    QString error;
    QVERIFY(store.open(&error));
    int left = -1;
    store.pendingOutbox(this, [&left](QList<natter::client::OutboxEntry> entries) { left = int(entries.size()); });
    QTRY_COMPARE_WITH_TIMEOUT(left, 1, kWaitMs);
    store.close();
}

void TestAppUx::switchAccount()
{
    startServer();
    auto window = newWindow();
    const QString aliceToken = signIn(*window, u"alice"_s, true);
    QVERIFY(!aliceToken.isEmpty());

    find<QAction>(window, u"switchAccountAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    SignInDialog *dialog = find<SignInDialog>(window, u"signInDialog"_s);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // Ready for someone else on the same server; alice is listed among this computer's accounts.
    QCOMPARE(find<QLineEdit>(dialog, u"serverField"_s)->text(), address());
    QVERIFY(find<QLineEdit>(dialog, u"userField"_s)->text().isEmpty());
    QVERIFY(find<QListWidget>(dialog, u"accountList"_s)->isVisible());
    QCOMPARE(find<QListWidget>(dialog, u"accountList"_s)->count(), 1);
    QVERIFY(find<QListWidget>(dialog, u"accountList"_s)->item(0)->text().contains(u"alice"_s));
    // Alice's session was kept: her token still works and is still stored.
    QVERIFY(hasStoredToken(serverUrl(), u"alice"_s));
    QVERIFY(serverAcceptsToken(u"alice"_s, aliceToken));

    // Bob signs in (a new account).
    QVERIFY(!signIn(*window, u"bob"_s, true).isEmpty());
    QCOMPARE(window->session()->client().user(), u"bob"_s);
    QVERIFY(window->windowTitle().contains(u"bob"_s));

    // Back to alice: pick her from the list and press Enter, no password.
    find<QAction>(window, u"switchAccountAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    dialog = find<SignInDialog>(window, u"signInDialog"_s);
    QTRY_VERIFY(dialog && dialog->isVisible());
    QCOMPARE(find<QListWidget>(dialog, u"accountList"_s)->count(), 2);
    QVERIFY(find<QListWidget>(dialog, u"accountList"_s)->item(0)->text().contains(u"bob"_s)); // most recent first
    activate(dialog);
    find<QListWidget>(dialog, u"accountList"_s)->setFocus();
    find<QListWidget>(dialog, u"accountList"_s)->setCurrentRow(1);
    QCOMPARE(find<QLineEdit>(dialog, u"userField"_s)->text(), u"alice"_s);
    QCOMPARE(find<QLineEdit>(dialog, u"serverField"_s)->text(), address());
    QTest::keyClick(find<QListWidget>(dialog, u"accountList"_s), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->client().isOnline(), kWaitMs);
    QCOMPARE(window->session()->client().user(), u"alice"_s);
    QCOMPARE(m_settings->lastUser(), u"alice"_s);
}

void TestAppUx::switchAccountWarnsAboutUnsentMessages()
{
    ConnectionConfig config;
    config.healthTimeoutMs = 2000;
    auto window = newWindow();
    const QUrl nowhere(u"http://127.0.0.1:%1"_s.arg(freeLoopbackPort()));
    ChatSession *session = startSession(*window, nowhere, u"carol"_s, config);
    QVERIFY(session);
    session->client().sendMessage(u"bob"_s, u"one"_s);
    session->client().sendMessage(u"bob"_s, u"two"_s);
    QTRY_COMPARE_WITH_TIMEOUT(unsentNow(session), 2, kWaitMs);

    find<QAction>(window, u"switchAccountAction"_s)->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = visibleChild<QMessageBox>(window.get())) != nullptr, kWaitMs);
    QCOMPARE(box->text(), u"2 messages not sent yet will be sent next time you sign in as carol."_s);
    QTest::keyClick(box, Qt::Key_Return); // the default: switch
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    QTRY_VERIFY(find<SignInDialog>(window, u"signInDialog"_s) &&
                find<SignInDialog>(window, u"signInDialog"_s)->isVisible());
    QVERIFY(find<QLineEdit>(find<SignInDialog>(window, u"signInDialog"_s), u"userField"_s)->text().isEmpty());
}

void TestAppUx::savedSessionRevokedElsewhere()
{
    startServer();
    auto window = newWindow();
    QVERIFY(!signIn(*window, u"alice"_s, true).isEmpty());
    // Alice's token is revoked on the server, but this computer still keeps it.
    QSignalSpy loggedOut(&window->session()->client(), &ChatClient::loggedOut);
    window->session()->client().logout();
    QTRY_COMPARE_WITH_TIMEOUT(loggedOut.size(), 1, kWaitMs);
    QVERIFY(hasStoredToken(serverUrl(), u"alice"_s)); // this computer does not know yet

    find<QAction>(window, u"switchAccountAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->session(), kWaitMs);
    SignInDialog *dialog = find<SignInDialog>(window, u"signInDialog"_s);
    QTRY_VERIFY(dialog && dialog->isVisible());
    find<QListWidget>(dialog, u"accountList"_s)->setCurrentRow(0);
    QCOMPARE(find<QLineEdit>(dialog, u"userField"_s)->text(), u"alice"_s);
    QTest::mouseClick(find<QPushButton>(dialog, u"signInButton"_s), Qt::LeftButton); // no password: the saved session
    QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(u"The saved session of alice has ended"_s), kWaitMs);
    QVERIFY(!window->session());
    QTRY_VERIFY_WITH_TIMEOUT(!hasStoredToken(serverUrl(), u"alice"_s), kWaitMs);
    // The password still works.
    QTest::keyClicks(find<QLineEdit>(dialog, u"passwordField"_s), kPassword);
    QTest::mouseClick(find<QPushButton>(dialog, u"signInButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->client().isOnline(), kWaitMs);
    QCOMPARE(window->session()->client().user(), u"alice"_s);
}

void TestAppUx::launch_data()
{
    QTest::addColumn<QString>("before"); // what happened before this launch
    QTest::addColumn<bool>("resumed");
    QTest::addColumn<bool>("dialog");
    QTest::addColumn<QString>("message"); // in the sign-in dialog
    QTest::newRow("signed in before") << u"signed in"_s << true << false << QString();
    QTest::newRow("server unreachable") << u"server gone"_s << true << false << QString();
    QTest::newRow("token revoked") << u"revoked"_s << true << true << u"has ended"_s;
    QTest::newRow("signed out") << u"signed out"_s << false << true << QString();
    QTest::newRow("first launch") << QString() << false << true << QString();
}

void TestAppUx::launch()
{
    QFETCH(QString, before);
    QFETCH(bool, resumed);
    QFETCH(bool, dialog);
    QFETCH(QString, message);
    startServer();
    std::unique_ptr<Peer> bob;
    if (!before.isEmpty()) {
        bob = std::make_unique<Peer>(serverUrl(), u"bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bob->client->isOnline(), kWaitMs);
        auto first = newWindow();
        QVERIFY(!signIn(*first, u"alice"_s, true).isEmpty());
        first->openConversation(u"bob"_s);
        QTest::keyClicks(find<Composer>(first, u"composer"_s), u"see you"_s);
        QTest::keyClick(find<Composer>(first, u"composer"_s), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(first->session()->conversations().rowOf(u"bob"_s) >= 0, kWaitMs);
        // Sent (not waiting in the outbox): signing out with unsent messages would ask first.
        const MessageListModel &messages = first->session()->messages();
        QTRY_VERIFY_WITH_TIMEOUT(messages.rowCount() == 1
                                     && messages.index(0).data(MessageListModel::IdRole).toLongLong() > 0,
                                 kWaitMs);
        if (before == "revoked"_L1) {
            // Signed out from elsewhere: the server revokes the token this computer still keeps.
            QSignalSpy loggedOut(&first->session()->client(), &ChatClient::loggedOut);
            first->session()->client().logout();
            QTRY_COMPARE_WITH_TIMEOUT(loggedOut.size(), 1, kWaitMs);
        } else if (before == "signed out"_L1) {
            find<QAction>(first, u"signOutAction"_s)->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(!first->session(), kWaitMs);
        }
    }
    if (before == "server gone"_L1)
        m_server.reset();

    auto window = newWindow();
    QCOMPARE(window->resumeOrSignIn(), resumed);
    if (dialog) {
        QTRY_VERIFY_WITH_TIMEOUT(!window->session() && find<SignInDialog>(window, u"signInDialog"_s) &&
                                     find<SignInDialog>(window, u"signInDialog"_s)->isVisible(),
                                 kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(find<SignInDialog>(window, u"signInDialog"_s)->errorText().contains(message), kWaitMs);
        if (!before.isEmpty())
            QCOMPARE(find<QLineEdit>(find<SignInDialog>(window, u"signInDialog"_s), u"userField"_s)->text(),
                     u"alice"_s);
        if (!message.isEmpty()) // the dead token is forgotten: the next launch asks at once
            QVERIFY(!hasStoredToken(serverUrl(), u"alice"_s));
        return;
    }
    // Straight into the chats: no dialog, the history from this computer's store.
    QVERIFY(window->session());
    QVERIFY(!find<SignInDialog>(window, u"signInDialog"_s));
    QCOMPARE(window->session()->client().connection().credentials().user, u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->conversations().rowOf(u"bob"_s) >= 0, kWaitMs);
    if (before == "server gone"_L1) {
        QTRY_COMPARE_WITH_TIMEOUT(window->session()->client().connection().state(), Connection::State::Reconnecting,
                                  kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            find<ConnectionStatusLabel>(window, u"connectionStatus"_s)->text().startsWith(u"Reconnecting"_s), kWaitMs);
        QTest::qWait(100);
        QVERIFY(!find<SignInDialog>(window, u"signInDialog"_s));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->client().isOnline(), kWaitMs);
        QVERIFY(window->windowTitle().contains(u"alice"_s));
    }
}

void TestAppUx::tabReachesEveryControl_data()
{
    QTest::addColumn<QString>("which");
    QTest::newRow("main window") << u"main"_s;
    QTest::newRow("sign in") << u"signin"_s;
    QTest::newRow("start server") << u"startserver"_s;
    QTest::newRow("settings") << u"settings"_s;
    QTest::newRow("diagnostics") << u"diagnostics"_s;
}

void TestAppUx::tabReachesEveryControl()
{
    QFETCH(QString, which);
    startServer();
    m_settings->addKnownAccount({serverUrl(), u"zoe"_s}); // the sign-in dialog lists accounts
    auto window = newWindow();
    QWidget *target = window.get();
    if (which == "main"_L1) {
        QVERIFY(!signIn(*window, u"alice"_s, true).isEmpty());
        window->openConversation(u"alice"_s); // the composer is enabled with a conversation open
    } else if (which == "signin"_L1) {
        window->showSignIn();
        target = find<SignInDialog>(window, u"signInDialog"_s);
    } else if (which == "startserver"_L1) {
        find<QAction>(window, u"startServerAction"_s)->trigger();
        target = window->findChild<StartServerDialog *>();
    } else if (which == "settings"_L1) {
        find<QAction>(window, u"settingsAction"_s)->trigger();
        target = window->findChild<SettingsDialog *>();
    } else {
        window->showDiagnostics();
        target = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    }
    QVERIFY(target);
    activate(target);
    const QList<QWidget *> expected = tabStops(target);
    QVERIFY(expected.size() >= 2);

    // Tab from the first control (in the focus chain) around the window and back.
    QWidget *first = nullptr;
    for (QWidget *w = target->nextInFocusChain(); w != target && !first; w = w->nextInFocusChain()) {
        if (expected.contains(w))
            first = w;
    }
    QVERIFY(first);
    first->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), first);
    QList<QWidget *> visited{first};
    for (int i = 0; i < expected.size() * 2; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *now = QApplication::focusWidget();
        QVERIFY(now);
        if (now == first)
            break;
        QVERIFY2(!visited.contains(now), qPrintable(u"Tab went back to "_s + describe(now)));
        visited.append(now);
    }
    QCOMPARE(QApplication::focusWidget(), first); // around, not stuck
    for (QWidget *w : expected)
        QVERIFY2(visited.contains(w), qPrintable(u"Tab never reaches "_s + describe(w)));
    if (which == "main"_L1) {
        // Reading order: the chats, the messages, the composer.
        const qsizetype chats = visited.indexOf(find<QListView>(window, u"conversationList"_s));
        const qsizetype messages = visited.indexOf(find<MessageView>(window, u"messageView"_s));
        const qsizetype composer = visited.indexOf(find<Composer>(window, u"composer"_s));
        QVERIFY(chats >= 0 && chats < messages && messages < composer);
    }
}

void TestAppUx::controlsHaveAccessibleNames_data()
{
    tabReachesEveryControl_data();
}

void TestAppUx::controlsHaveAccessibleNames()
{
    QFETCH(QString, which);
    startServer();
    m_settings->addKnownAccount({serverUrl(), u"zoe"_s});
    auto window = newWindow();
    QWidget *target = window.get();
    if (which == "main"_L1) {
        QVERIFY(!signIn(*window, u"alice"_s, true).isEmpty());
        window->openConversation(u"alice"_s);
    } else if (which == "signin"_L1) {
        window->showSignIn();
        target = find<SignInDialog>(window, u"signInDialog"_s);
    } else if (which == "startserver"_L1) {
        find<QAction>(window, u"startServerAction"_s)->trigger();
        target = window->findChild<StartServerDialog *>();
    } else if (which == "settings"_L1) {
        find<QAction>(window, u"settingsAction"_s)->trigger();
        target = window->findChild<SettingsDialog *>();
    } else {
        window->showDiagnostics();
        target = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    }
    QVERIFY(target);
    QTRY_VERIFY(target->isVisible());
    // Every button (icon-only ones included), and every control a screen reader lands on, has a name.
    int checked = 0;
    const auto all = target->findChildren<QWidget *>();
    for (QWidget *w : all) {
        if (w->window() != target || !w->isVisibleTo(target))
            continue;
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QAbstractItemView *>(w) ||
                             qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractSpinBox *>(w) ||
                             qobject_cast<QComboBox *>(w) || qobject_cast<QPlainTextEdit *>(w) ||
                             (w->focusPolicy() & Qt::TabFocus);
        if (!control || w->focusProxy())
            continue;
        ++checked;
        QVERIFY2(!accessibleName(w).isEmpty(), qPrintable(u"no accessible name: "_s + describe(w)));
    }
    QVERIFY(checked >= 3);

    // No two mnemonics (Alt+key) in one window: labels with a buddy, buttons, and in the main window the
    // menus and the sidebar's tabs.
    QMultiHash<QChar, QString> keys;
    const auto note = [&keys](const QString &text) {
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text.at(i) != u'&')
                continue;
            if (text.at(i + 1) != u'&') {
                keys.insert(text.at(i + 1).toLower(), text);
                return;
            }
            ++i; // "&&" is a literal ampersand
        }
    };
    for (QWidget *w : all) {
        if (w->window() != target || !w->isVisibleTo(target))
            continue;
        if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            note(label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            note(button->text());
    }
    if (which == "main"_L1) {
        const auto menus = window->menuBar()->actions();
        for (QAction *menu : menus)
            note(menu->text());
        auto *tabs = window->findChild<QTabWidget *>();
        for (int i = 0; i < tabs->count(); ++i)
            note(tabs->tabText(i));
    }
    const auto used = keys.uniqueKeys();
    for (const QChar key : used)
        QVERIFY2(keys.count(key) == 1, qPrintable(u"Alt+%1 for: %2"_s.arg(key).arg(keys.values(key).join(u" | "_s))));
    QVERIFY(!keys.isEmpty());

    if (which == "main"_L1) {
        QCOMPARE(find<QListView>(window, u"conversationList"_s)->accessibleName(), u"Conversations"_s);
        QCOMPARE(find<MessageView>(window, u"messageView"_s)->accessibleName(), u"Messages"_s);
        QCOMPARE(accessibleName(find<ConnectionStatusLabel>(window, u"connectionStatus"_s)),
                 find<ConnectionStatusLabel>(window, u"connectionStatus"_s)->accessibleName());
        QVERIFY(!find<ConnectionStatusLabel>(window, u"connectionStatus"_s)->accessibleDescription().isEmpty());
        QVERIFY(!find<Composer>(window, u"composer"_s)->accessibleDescription().isEmpty());
    }
}

void TestAppUx::shortcuts()
{
    startServer();
    auto window = newWindow();
    QVERIFY(!signIn(*window, u"alice"_s, true).isEmpty());
    activate(window.get());
    QCOMPARE(find<QAction>(window, u"quitAction"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));

    // Ctrl+N: a new direct chat, by name.
    QTest::keyClick(window.get(), Qt::Key_N, Qt::ControlModifier);
    QInputDialog *ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = visibleChild<QInputDialog>(window.get())) != nullptr, kWaitMs);
    QCOMPARE(ask->windowTitle(), u"New direct chat"_s);
    activate(ask);
    QLineEdit *field = ask->findChild<QLineEdit *>();
    QVERIFY(field);
    QTest::keyClicks(field, u"bob"_s);
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_COMPARE(window->currentConversation(), u"bob"_s);

    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"hi"_s);
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->conversations().rowOf(u"bob"_s) >= 0, kWaitMs);

    // Ctrl+J: join a room, by name.
    activate(window.get());
    QTest::keyClick(window.get(), Qt::Key_J, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT((ask = visibleChild<QInputDialog>(window.get())) != nullptr, kWaitMs);
    QCOMPARE(ask->windowTitle(), u"Join room"_s);
    activate(ask);
    field = ask->findChild<QLineEdit *>();
    QVERIFY(field);
    QTest::keyClick(field, Qt::Key_End);
    QTest::keyClicks(field, u"lobby"_s);
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window->currentConversation(), u"#lobby"_s, kWaitMs);
    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"hello room"_s);
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->conversations().rowOf(u"#lobby"_s) >= 0, kWaitMs);

    // Ctrl+F, from the composer too: the keyboard goes to the conversation list. The arrow keys show one
    // conversation after the other and leave the keyboard in the list; Enter goes on to write.
    activate(window.get());
    find<Composer>(window, u"composer"_s)->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), find<Composer>(window, u"composer"_s));
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), find<QListView>(window, u"conversationList"_s));
    const QString before = window->currentConversation();
    const int row = window->session()->conversations().rowOf(before);
    QTest::keyClick(find<QListView>(window, u"conversationList"_s), row == 0 ? Qt::Key_Down : Qt::Key_Up);
    QTRY_VERIFY(window->currentConversation() != before);
    QCOMPARE(QApplication::focusWidget(), find<QListView>(window, u"conversationList"_s));
    QTest::keyClick(find<QListView>(window, u"conversationList"_s), Qt::Key_Return);
    QTRY_COMPARE(QApplication::focusWidget(), find<Composer>(window, u"composer"_s));
    // Ctrl+K from anywhere else.
    find<MessageView>(window, u"messageView"_s)->setFocus();
    QTest::keyClick(find<MessageView>(window, u"messageView"_s), Qt::Key_K, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), find<QListView>(window, u"conversationList"_s));

    // Esc closes a dialog.
    window->showDiagnostics();
    QPointer<DiagnosticsDialog> diagnostics = find<DiagnosticsDialog>(window, u"diagnosticsDialog"_s);
    activate(diagnostics);
    QTest::keyClick(diagnostics, Qt::Key_Escape);
    QTRY_VERIFY(!diagnostics);

    // Every menu and every action in them has a mnemonic, and no two menus share one.
    QSet<QChar> menuKeys;
    const auto menus = window->menuBar()->actions();
    for (QAction *menu : menus) {
        const QString text = menu->text();
        const qsizetype amp = text.indexOf(u'&');
        QVERIFY2(amp >= 0 && amp + 1 < text.size(), qPrintable(text));
        const QChar key = text.at(amp + 1).toLower();
        QVERIFY2(!menuKeys.contains(key), qPrintable(u"two menus on Alt+"_s + key));
        menuKeys.insert(key);
        const auto actions = menu->menu()->actions();
        for (QAction *a : actions) {
            if (!a->isSeparator())
                QVERIFY2(a->text().contains(u'&'), qPrintable(a->text()));
        }
    }
    // The sidebar's tabs do not steal a menu's Alt key.
    auto *tabs = window->findChild<QTabWidget *>();
    QVERIFY(tabs);
    for (int i = 0; i < tabs->count(); ++i) {
        const QString text = tabs->tabText(i);
        const qsizetype amp = text.indexOf(u'&');
        QVERIFY(amp >= 0);
        QVERIFY2(!menuKeys.contains(text.at(amp + 1).toLower()), qPrintable(text));
    }
}

void TestAppUx::errorColourFollowsPalette()
{
    SignInDialog dialog(*m_settings, *m_browser, dataDir());
    dialog.show();
    dialog.showMessage(u"Something went wrong"_s);
    auto *error = [&dialog]() -> QLabel * {
        const auto labels = dialog.findChildren<QLabel *>();
        for (QLabel *l : labels) {
            if (l->text() == u"Something went wrong"_s)
                return l;
        }
        return nullptr;
    }();
    QVERIFY(error);
    QVERIFY(error->styleSheet().isEmpty());
    for (const bool dark : {false, true}) {
        QPalette palette = dialog.palette();
        palette.setColor(QPalette::Window, dark ? QColor(0x20, 0x20, 0x20) : QColor(0xf0, 0xf0, 0xf0));
        palette.setColor(QPalette::WindowText, dark ? QColor(0xee, 0xee, 0xee) : QColor(0x10, 0x10, 0x10));
        dialog.setPalette(palette);
        const QColor text = error->palette().color(QPalette::WindowText);
        const QColor background = palette.color(QPalette::Window);
        QVERIFY2(text.hslHue() <= 10 || text.hslHue() >= 350, qPrintable(text.name())); // red
        // Readable: clearly lighter than a dark background, clearly darker than a light one.
        QVERIFY2(dark ? text.lightnessF() > background.lightnessF() + 0.4
                      : text.lightnessF() < background.lightnessF() - 0.4,
                 qPrintable(text.name()));
    }
}

QTEST_MAIN(TestAppUx)
#include "tst_appux.moc"
