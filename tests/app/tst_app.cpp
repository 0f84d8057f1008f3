// The desktop app's widgets and controllers, driven like a user drives them (fill fields, click, type,
// press Enter) against a real in-process server on loopback, port 0, on the offscreen platform.

#include "client/app/chatsession.h"
#include "client/app/composer.h"
#include "client/app/connectionstatuslabel.h"
#include "client/app/localservercontroller.h"
#include "client/app/mainwindow.h"
#include "client/app/messageview.h"
#include "client/app/notifier.h"
#include "client/app/settings.h"
#include "client/app/settingsdialog.h"
#include "client/app/signindialog.h"
#include "client/app/startserverdialog.h"
#include "client/app/tokenstore.h"
#include "client/app/trayicon.h"
#include "client/chatclient.h"
#include "client/models/conversationlistmodel.h"
#include "client/models/messagelistmodel.h"
#include "client/net/serverbrowser.h"
#include "server/server.h"
#include "tests/support/apppeer.h"
#include "tests/support/findchild.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using natter::app::ChatSession;
using natter::app::Composer;
using natter::app::ConnectionStatusLabel;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::Notifier;
using natter::app::Profile;
using natter::app::Settings;
using natter::app::SettingsDialog;
using natter::app::SignInDialog;
using natter::app::StartServerDialog;
using natter::app::TokenStore;
using natter::app::TrayIcon;
using natter::client::ChatClient;
using natter::client::ConversationListModel;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::MessageState;
using natter::client::ServerBrowser;
using natter::server::Server;
using natter::server::ServerConfig;
using natter::test::find;

using natter::test::Peer;

using natter::test::freeLoopbackPort;

namespace {

constexpr int kWaitMs = 15'000;
const QString kPassword = natter::test::kPeerPassword;
const QHostAddress kLoopback(QHostAddress::LocalHost);

} // namespace

class TestApp : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void settingsPerProfile();
    void localServerStartStop();
    void startAndStopFromMenu();
    void signInErrors();
    void discoveredServerInSignInList();
    void chatInMainWindow();
    void settingsRoundTrip();
    void settingsDialogWrites();
    void notifierDecisions();
    void notifierSkipsHistoryAndSummarises();
    void trayBadgeAndToolTip();
    void closeWithoutTrayQuits();
    void startLocalServerAtLaunch();
    void tokenStoreFallback();
    void sessionResumesWithStoredToken();

private:
    void startServer(bool announceToBrowser = false);
    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())); }
    // Fills the dialog's fields and clicks the button.
    static void fillAndSubmit(SignInDialog &dialog, const QString &server, const QString &user,
                              const QString &password, bool create);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<ServerBrowser> m_browser;
    std::unique_ptr<Settings> m_settings;
};

void TestApp::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_browser = std::make_unique<ServerBrowser>(natter::client::ServerBrowserConfig{0, 60'000, false});
    QVERIFY2(m_browser->start(), qPrintable(m_browser->errorString()));
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
}

void TestApp::cleanup()
{
    m_server.reset();
    m_browser.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestApp::startServer(bool announceToBrowser)
{
    ServerConfig config;
    config.host = kLoopback;
    config.port = 0;
    config.dbPath = m_dir->filePath(u"server.db"_s);
    config.passwordIterations = 1000;
    config.announce = announceToBrowser;
    config.announceOnLan = false;
    config.announceIntervalMs = 200;
    config.serverName = u"Test server"_s;
    if (announceToBrowser)
        config.extraAnnounceTargets = {{kLoopback, m_browser->port()}};
    m_server = std::make_unique<Server>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestApp::fillAndSubmit(SignInDialog &dialog, const QString &server, const QString &user,
                            const QString &password, bool create)
{
    find<QLineEdit>(dialog, u"serverField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"serverField"_s), server);
    find<QLineEdit>(dialog, u"userField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"userField"_s), user);
    find<QLineEdit>(dialog, u"passwordField"_s)->clear();
    QTest::keyClicks(find<QLineEdit>(dialog, u"passwordField"_s), password);
    find<QCheckBox>(dialog, u"createAccountBox"_s)->setChecked(create);
    QTest::mouseClick(find<QPushButton>(dialog, u"signInButton"_s), Qt::LeftButton);
}

void TestApp::settingsPerProfile()
{
    const Profile anna = Profile::inFolder(u"anna"_s, m_dir->path());
    const Profile ben = Profile::inFolder(u"ben"_s, m_dir->path());
    QVERIFY(anna.settingsFile != ben.settingsFile);
    QVERIFY(anna.dataDir != ben.dataDir);
    QVERIFY(Profile::isValidName(u"work-2"_s));
    QVERIFY(!Profile::isValidName(u"../x"_s));
    QVERIFY(!Profile::isValidName(QString()));

    QString annaDevice;
    {
        Settings settings(anna.settingsFile);
        QVERIFY(settings.notificationsEnabled());
        QCOMPARE(settings.localServerPort(), quint16(7470));
        annaDevice = settings.deviceId();
        QVERIFY(!annaDevice.isEmpty());
        QCOMPARE(settings.deviceId(), annaDevice);
        settings.setLastServer(QUrl(u"http://192.168.1.5:7470"_s));
        settings.setLastUser(u"anna"_s);
        settings.setNotificationsEnabled(false);
        settings.setLocalServerPort(7480);
    }
    Settings again(anna.settingsFile);
    QCOMPARE(again.deviceId(), annaDevice); // generated once per profile
    QCOMPARE(again.lastServer(), QUrl(u"http://192.168.1.5:7470"_s));
    QCOMPARE(again.lastUser(), u"anna"_s);
    QVERIFY(!again.notificationsEnabled());
    QCOMPARE(again.localServerPort(), quint16(7480));

    Settings other(ben.settingsFile);
    QVERIFY(other.deviceId() != annaDevice);
    QVERIFY(other.lastUser().isEmpty());
}

void TestApp::localServerStartStop()
{
    ServerConfig base;
    base.host = kLoopback;
    base.dbPath = m_dir->filePath(u"local/server.db"_s);
    base.passwordIterations = 1000;
    base.announce = false;
    LocalServerController controller(base);
    QSignalSpy states(&controller, &LocalServerController::stateChanged);
    controller.start(0, u"Test"_s);
    QCOMPARE(controller.state(), LocalServerController::State::Starting);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Running, kWaitMs);
    QVERIFY(controller.port() != 0);
    QVERIFY(QFileInfo::exists(base.dbPath));

    // A client signs in to it, then sees it go away when it stops.
    Peer peer(QUrl(u"http://127.0.0.1:%1"_s.arg(controller.port())), u"zoe"_s);
    QTRY_VERIFY_WITH_TIMEOUT(peer.client->isOnline(), kWaitMs);
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Stopped, kWaitMs);
    QCOMPARE(controller.port(), quint16(0));
    QTRY_VERIFY_WITH_TIMEOUT(!peer.client->isOnline(), kWaitMs);
    QCOMPARE(states.size(), 4); // starting, running, stopping, stopped

    // A port that is taken: the failure is reported and the controller can start again.
    QTcpServer taken;
    QVERIFY(taken.listen(kLoopback, 0));
    QSignalSpy failed(&controller, &LocalServerController::failed);
    controller.start(taken.serverPort(), u"Test"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWaitMs);
    QCOMPARE(controller.state(), LocalServerController::State::Stopped);
    QVERIFY(!controller.errorString().isEmpty());
}

void TestApp::startAndStopFromMenu()
{
    ServerConfig base;
    base.host = kLoopback;
    base.dbPath = m_dir->filePath(u"local/server.db"_s);
    base.passwordIterations = 1000;
    base.announce = false;
    LocalServerController controller(base);
    MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
    window.show();
    QVERIFY(find<QAction>(window, u"startServerAction"_s)->isEnabled());
    QVERIFY(!find<QAction>(window, u"stopServerAction"_s)->isEnabled());

    find<QAction>(window, u"startServerAction"_s)->trigger();
    auto *dialog = window.findChild<StartServerDialog *>();
    QVERIFY(dialog);
    QVERIFY(find<QPushButton>(dialog, u"useHeardButton"_s)->isHidden()); // nothing is announced on this test's browser
    const quint16 port = freeLoopbackPort();
    find<QSpinBox>(dialog, u"portField"_s)->setValue(port);
    QTest::mouseClick(find<QPushButton>(dialog, u"startButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Running, kWaitMs);
    QCOMPARE(controller.port(), port);
    QCOMPARE(m_settings->localServerPort(), port);
    QVERIFY(find<QAction>(window, u"stopServerAction"_s)->isEnabled());
    QVERIFY(!find<QAction>(window, u"startServerAction"_s)->isEnabled());

    find<QAction>(window, u"stopServerAction"_s)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Stopped, kWaitMs);
    QTRY_VERIFY(find<QAction>(window, u"startServerAction"_s)->isEnabled());
    QVERIFY(!find<QAction>(window, u"stopServerAction"_s)->isEnabled());
}

void TestApp::signInErrors()
{
    startServer();
    const QString address = u"127.0.0.1:%1"_s.arg(m_server->port());
    SignInDialog dialog(*m_settings, *m_browser, m_dir->filePath(u"data"_s));
    dialog.show();

    fillAndSubmit(dialog, u"127.0.0.1:%1"_s.arg(freeLoopbackPort()), u"alice"_s, kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"cannot be reached"_s), kWaitMs);
    QVERIFY(find<QPushButton>(dialog, u"signInButton"_s)->isEnabled());

    fillAndSubmit(dialog, address, u"not a name"_s, kPassword, true);
    QVERIFY(dialog.errorText().contains(u"User names"_s));

    QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
    fillAndSubmit(dialog, address, u"alice"_s, kPassword, true);
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    std::unique_ptr<ChatSession> session = dialog.takeSession();
    QVERIFY(session);
    QCOMPARE(session->client().user(), u"alice"_s);
    QCOMPARE(m_settings->lastUser(), u"alice"_s);
    QCOMPARE(m_settings->lastServer(), serverUrl());
    QVERIFY(find<QLineEdit>(dialog, u"passwordField"_s)->text().isEmpty());
    // The password is stored nowhere in the profile's settings.
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(kPassword.toUtf8()));
    session.reset();

    SignInDialog second(*m_settings, *m_browser, m_dir->filePath(u"data2"_s));
    QCOMPARE(find<QLineEdit>(second, u"userField"_s)->text(), u"alice"_s); // remembered
    QCOMPARE(find<QLineEdit>(second, u"serverField"_s)->text(), address);
    fillAndSubmit(second, address, u"alice"_s, u"wrong"_s, false);
    QTRY_VERIFY_WITH_TIMEOUT(second.errorText().contains(u"Wrong user name or password"_s), kWaitMs);
    fillAndSubmit(second, address, u"Alice"_s, kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(second.errorText().contains(u"is taken"_s), kWaitMs);
}

void TestApp::discoveredServerInSignInList()
{
    SignInDialog dialog(*m_settings, *m_browser, m_dir->filePath(u"data"_s));
    dialog.show();
    QCOMPARE(find<QListWidget>(dialog, u"serverList"_s)->count(), 0);
    startServer(true);
    QTRY_COMPARE_WITH_TIMEOUT(find<QListWidget>(dialog, u"serverList"_s)->count(), 1, kWaitMs);
    QListWidgetItem *item = find<QListWidget>(dialog, u"serverList"_s)->item(0);
    QVERIFY(item->text().contains(u"Test server"_s));
    find<QListWidget>(dialog, u"serverList"_s)->setCurrentItem(item);
    QCOMPARE(find<QLineEdit>(dialog, u"serverField"_s)->text(), u"127.0.0.1:%1"_s.arg(m_server->port()));

    // The start dialog hears it too and offers it instead of a second server on the LAN.
    StartServerDialog start(*m_browser, 7470);
    QVERIFY(!find<QPushButton>(start, u"useHeardButton"_s)->isHidden());
    QVERIFY(find<QLabel>(start, u"heardLabel"_s)->text().contains(u"Test server"_s));
    QSignalSpy use(&start, &StartServerDialog::useServerRequested);
    QTest::mouseClick(find<QPushButton>(start, u"useHeardButton"_s), Qt::LeftButton);
    QCOMPARE(use.size(), 1);
    QCOMPARE(use.first().first().toUrl(), serverUrl());
}

void TestApp::chatInMainWindow()
{
    startServer();
    Peer bob(serverUrl(), u"bob"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bob.client->isOnline(), kWaitMs);

    ServerConfig unused;
    unused.dbPath = m_dir->filePath(u"unused.db"_s);
    LocalServerController controller(unused);
    MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
    window.resize(900, 600);
    window.show();
    window.showSignIn();
    QVERIFY(find<SignInDialog>(window, u"signInDialog"_s));
    fillAndSubmit(*find<SignInDialog>(window, u"signInDialog"_s), u"127.0.0.1:%1"_s.arg(m_server->port()), u"alice"_s,
                  kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(window.session() != nullptr, kWaitMs);
    ChatSession &session = *window.session();
    QTRY_VERIFY_WITH_TIMEOUT(session.client().isOnline(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(find<ConnectionStatusLabel>(window, u"connectionStatus"_s)
                                 ->text()
                                 .startsWith(u"Online · WebSocket · 127.0.0.1:"_s),
                             kWaitMs);

    // Bob writes: a row for him appears with one unread message.
    bob.client->sendMessage(u"alice"_s, u"안녕하세요! Lunch at noon? 🍜"_s);
    ConversationListModel &conversations = session.conversations();
    QTRY_VERIFY_WITH_TIMEOUT(conversations.rowOf(u"bob"_s) >= 0, kWaitMs);
    const auto unread = [&] {
        const int row = conversations.rowOf(u"bob"_s);
        return row < 0 ? -1 : conversations.index(row, 0).data(ConversationListModel::UnreadRole).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 1, kWaitMs);
    QCOMPARE(find<QListView>(window, u"conversationList"_s)->model()->rowCount(), 1);

    // Alice opens it by clicking the row: the message shows, unread goes to 0.
    const QModelIndex row =
        find<QListView>(window, u"conversationList"_s)->model()->index(conversations.rowOf(u"bob"_s), 0);
    QTest::mouseClick(find<QListView>(window, u"conversationList"_s)->viewport(), Qt::LeftButton, {},
                      find<QListView>(window, u"conversationList"_s)->visualRect(row).center());
    QTRY_COMPARE_WITH_TIMEOUT(window.currentConversation(), u"bob"_s, kWaitMs);
    MessageListModel &messages = session.messages();
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 1, kWaitMs);
    QCOMPARE(messages.index(0, 0).data(MessageListModel::BodyRole).toString(), u"안녕하세요! Lunch at noon? 🍜"_s);
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 0, kWaitMs);
    QVERIFY(find<Composer>(window, u"composer"_s)->isEnabled());

    // Typing: Bob's notice shows under the messages; Alice's keystrokes send one notice, not one per key.
    QSignalSpy aliceTyping(bob.client.get(), &ChatClient::typing);
    bob.client->sendTyping(u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(window, u"typingLabel"_s)->text().contains(u"bob"_s), kWaitMs);

    // Alice replies through the composer: Enter sends, Shift+Enter is a new line.
    QSignalSpy composerTyping(find<Composer>(window, u"composer"_s), &natter::app::Composer::typing);
    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"Sure, see you"_s);
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"at the usual place"_s);
    QCOMPARE(composerTyping.size(), 1); // throttled
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Return);
    QVERIFY(find<Composer>(window, u"composer"_s)->toPlainText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(bob.bodiesFrom(u"alice"_s), QStringList{u"Sure, see you\nat the usual place"_s}, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(aliceTyping.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 2, kWaitMs);
    QVERIFY(messages.index(1, 0).data(MessageListModel::IsOwnRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(messages.index(1, 0).data(MessageListModel::StateRole).toInt() >= int(MessageState::Delivered),
                             kWaitMs);

    // One more each way, for the picture.
    bob.client->sendMessage(u"alice"_s, u"Great 👍 I'll bring the slides for Monday's review, they are long this time."_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 3, kWaitMs);
    QCOMPARE(unread(), 0); // the open conversation stays read
    QTest::keyClicks(find<Composer>(window, u"composer"_s), u"Perfect."_s);
    QTest::keyClick(find<Composer>(window, u"composer"_s), Qt::Key_Enter);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 4, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob.bodiesFrom(u"alice"_s).size(), 2, kWaitMs);

    QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
    const QString shot = QDir(QStringLiteral(NATTER_SCREENSHOT_DIR)).filePath(u"main-window.png"_s);
    QVERIFY(window.grab().save(shot));
    qInfo().noquote() << "screenshot:" << shot;
}

void TestApp::settingsRoundTrip()
{
    const QString file = m_dir->filePath(u"roundtrip.ini"_s);
    {
        Settings settings(file);
        QVERIFY(settings.notificationsEnabled());
        QVERIFY(!settings.startLocalServerAtLaunch());
        QVERIFY(!settings.keepRunningInTray());
        QVERIFY(settings.language().isEmpty()); // follow the system
        settings.setNotificationsEnabled(false);
        settings.setStartLocalServerAtLaunch(true);
        settings.setKeepRunningInTray(true);
        settings.setLanguage(u"ko"_s);
    }
    {
        Settings settings(file);
        QVERIFY(!settings.notificationsEnabled());
        QVERIFY(settings.startLocalServerAtLaunch());
        QVERIFY(settings.keepRunningInTray());
        QCOMPARE(settings.language(), u"ko"_s);
        settings.setLanguage(QString());
    }
    Settings settings(file);
    QVERIFY(settings.language().isEmpty());
}

void TestApp::settingsDialogWrites()
{
    SettingsDialog dialog(*m_settings, false);
    QVERIFY(find<QCheckBox>(dialog, u"notificationsBox"_s)->isChecked());
    QVERIFY(!find<QCheckBox>(dialog, u"startServerBox"_s)->isChecked());
    QVERIFY(!find<QCheckBox>(dialog, u"trayBox"_s)->isChecked());
    QCOMPARE(find<QComboBox>(dialog, u"languageBox"_s)->currentData().toString(), QString());
    QCOMPARE(find<QComboBox>(dialog, u"languageBox"_s)->count(), 3);

    find<QCheckBox>(dialog, u"notificationsBox"_s)->setChecked(false);
    find<QCheckBox>(dialog, u"startServerBox"_s)->setChecked(true);
    find<QCheckBox>(dialog, u"trayBox"_s)->setChecked(true);
    find<QComboBox>(dialog, u"languageBox"_s)
        ->setCurrentIndex(find<QComboBox>(dialog, u"languageBox"_s)->findData(u"ko"_s));
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    dialog.accept();
    QCOMPARE(applied.size(), 1);
    Settings reread(m_settings->fileName());
    QVERIFY(!reread.notificationsEnabled());
    QVERIFY(reread.startLocalServerAtLaunch());
    QVERIFY(reread.keepRunningInTray());
    QCOMPARE(reread.language(), u"ko"_s);

    // The dialog opens from the menu and shows what is stored.
    ServerConfig unused;
    unused.dbPath = m_dir->filePath(u"unused.db"_s);
    LocalServerController controller(unused);
    m_settings->setStartLocalServerAtLaunch(false);
    MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
    find<QAction>(window, u"settingsAction"_s)->trigger();
    auto *fromMenu = window.findChild<SettingsDialog *>();
    QVERIFY(fromMenu);
    QVERIFY(!find<QCheckBox>(fromMenu, u"notificationsBox"_s)->isChecked());
    QCOMPARE(find<QComboBox>(fromMenu, u"languageBox"_s)->currentText(), u"한국어"_s);
    // Applying updates the notifier at once.
    find<QCheckBox>(fromMenu, u"notificationsBox"_s)->setChecked(true);
    fromMenu->accept();
    QVERIFY(find<Notifier>(window, u"notifier"_s)->isEnabled());
}

namespace {
LocalMessage incoming(qint64 id, const QString &from, const QString &peer, const QString &body)
{
    LocalMessage m;
    m.id = id;
    m.from = from;
    m.to = u"alice"_s;
    m.peer = peer;
    m.body = body;
    m.tsMs = QDateTime::currentMSecsSinceEpoch();
    return m;
}
} // namespace

void TestApp::notifierDecisions()
{
    Notifier notifier;
    bool active = false;
    notifier.setWindowActiveCheck([&active] { return active; });
    QSignalSpy notified(&notifier, &Notifier::notify);
    const LocalMessage fromBob = incoming(1, u"bob"_s, u"bob"_s, u"안녕하세요!   Lunch?"_s);

    // Window not active, notifications on: one notification.
    QVERIFY(notifier.shouldNotify(fromBob));
    notifier.addMessage(fromBob);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), u"bob"_s);
    QCOMPARE(notified.at(0).at(1).toString(), u"안녕하세요! Lunch?"_s);

    // Window active: none.
    active = true;
    QVERIFY(!notifier.shouldNotify(fromBob));
    notifier.addMessage(incoming(2, u"bob"_s, u"bob"_s, u"again"_s));
    QTest::qWait(20); // decided when the pass ends, with the window state of then
    // Notifications off: none.
    active = false;
    notifier.setEnabled(false);
    QVERIFY(!notifier.shouldNotify(fromBob));
    notifier.addMessage(incoming(3, u"bob"_s, u"bob"_s, u"and again"_s));
    QTest::qWait(20);
    // Own messages never, even with everything on.
    notifier.setEnabled(true);
    LocalMessage own = incoming(4, u"alice"_s, u"bob"_s, u"mine"_s);
    own.isOwn = true;
    QVERIFY(!notifier.shouldNotify(own));
    notifier.addMessage(own);
    QTest::qWait(50);
    QCOMPARE(notified.size(), 1);

    // A room message names the room.
    notifier.addMessage(incoming(5, u"carol"_s, u"#general"_s, u"hi all"_s));
    QTRY_COMPARE(notified.size(), 2);
    QCOMPARE(notified.at(1).at(0).toString(), u"carol in #general"_s);
}

void TestApp::notifierSkipsHistoryAndSummarises()
{
    Notifier notifier;
    QSignalSpy notified(&notifier, &Notifier::notify);
    // Messages first seen in a history page do not notify.
    const QList<LocalMessage> page = {incoming(10, u"bob"_s, u"bob"_s, u"old 1"_s), incoming(11, u"bob"_s, u"bob"_s, u"old 2"_s)};
    for (const LocalMessage &m : page)
        notifier.addMessage(m, false);
    QTest::qWait(50);
    QCOMPARE(notified.size(), 0);

    // Several live ones in one pass: one summary.
    notifier.addMessage(incoming(20, u"bob"_s, u"bob"_s, u"one"_s));
    notifier.addMessage(incoming(21, u"carol"_s, u"#general"_s, u"two"_s));
    notifier.addMessage(incoming(22, u"bob"_s, u"bob"_s, u"three"_s));
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), u"3 new messages"_s);
    QCOMPARE(notified.at(0).at(1).toString(), u"From bob, carol"_s);
}

void TestApp::trayBadgeAndToolTip()
{
    const QIcon base = TrayIcon::baseIcon();
    QVERIFY(!base.isNull());
    QCOMPARE(TrayIcon::badgedIcon(base, 0).cacheKey(), base.cacheKey());
    const QImage plain = base.pixmap(64, 64).toImage();
    const QImage badged = TrayIcon::badgedIcon(base, 3).pixmap(64, 64).toImage();
    QVERIFY(plain != badged);
    QCOMPARE(TrayIcon::toolTipFor(0), u"Natter"_s);
    QVERIFY(TrayIcon::toolTipFor(3).contains(u"3 unread"_s));
}

void TestApp::closeWithoutTrayQuits()
{
    using CloseAction = MainWindow::CloseAction;
    QCOMPARE(MainWindow::closeActionFor(true, true), CloseAction::HideToTray);
    QCOMPARE(MainWindow::closeActionFor(false, true), CloseAction::Quit);
    QCOMPARE(MainWindow::closeActionFor(true, false), CloseAction::Quit);
    QCOMPARE(MainWindow::closeActionFor(false, false), CloseAction::Quit);

    // Offscreen there is no tray: no tray icon, and closing really closes (the app quits) even with the
    // setting on.
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
    m_settings->setKeepRunningInTray(true);
    ServerConfig unused;
    unused.dbPath = m_dir->filePath(u"unused.db"_s);
    LocalServerController controller(unused);
    MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
    window.show();
    QVERIFY(!find<TrayIcon>(window, u"trayIcon"_s));
    QCOMPARE(window.closeAction(), CloseAction::Quit);
    QVERIFY(QApplication::quitOnLastWindowClosed());
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());
}

void TestApp::startLocalServerAtLaunch()
{
    ServerConfig base;
    base.host = kLoopback;
    base.dbPath = m_dir->filePath(u"local/server.db"_s);
    base.passwordIterations = 1000;
    base.announce = false;
    {
        LocalServerController controller(base);
        MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
        QTest::qWait(50);
        QCOMPARE(controller.state(), LocalServerController::State::Stopped); // off by default
    }
    const quint16 port = freeLoopbackPort();
    m_settings->setLocalServerPort(port);
    m_settings->setStartLocalServerAtLaunch(true);
    LocalServerController controller(base);
    MainWindow window(*m_settings, *m_browser, controller, m_dir->filePath(u"data"_s));
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Running, kWaitMs);
    QCOMPARE(controller.port(), port);
    QVERIFY(find<QAction>(window, u"stopServerAction"_s)->isEnabled());
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Stopped, kWaitMs);
}

void TestApp::tokenStoreFallback()
{
    LocalStore store(m_dir->filePath(u"tokens.db"_s));
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    const QString key = TokenStore::keyFor(u"test-%1"_s.arg(QCoreApplication::applicationPid()),
                                           QUrl(u"http://127.0.0.1:7470"_s), u"alice"_s);
    QVERIFY(key.endsWith(u"/127.0.0.1:7470/alice"_s));

    for (const bool keychain : {true, false}) {
        TokenStore tokens(key, store);
        tokens.setKeychainEnabled(keychain);
        QVERIFY(!tokens.hasStoredTokenNow());
        QSignalSpy written(&tokens, &TokenStore::written);
        tokens.write(u"tok-123"_s);
        QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kWaitMs);
        QVERIFY(written.first().first().toBool());
        QVERIFY(tokens.hasStoredTokenNow());
        // Headless there is no Secret Service: the token is in the local store.
        if (tokens.lastBackend() == TokenStore::Backend::LocalStore)
            QCOMPARE(store.valueNow(u"token"_s), u"tok-123"_s);
        else
            QVERIFY(store.valueNow(u"token"_s).isEmpty());

        TokenStore again(key, store); // a later start reads it back
        again.setKeychainEnabled(keychain);
        QSignalSpy read(&again, &TokenStore::readFinished);
        again.read();
        QTRY_COMPARE_WITH_TIMEOUT(read.size(), 1, kWaitMs);
        QCOMPARE(read.first().first().toString(), u"tok-123"_s);

        QSignalSpy removed(&again, &TokenStore::removed);
        again.remove();
        QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, kWaitMs);
        QVERIFY(!again.hasStoredTokenNow());
        again.read();
        QTRY_COMPARE_WITH_TIMEOUT(read.size(), 2, kWaitMs);
        QVERIFY(read.at(1).first().toString().isEmpty());
    }
    store.close();
}

void TestApp::sessionResumesWithStoredToken()
{
    startServer();
    ChatSession::Options options;
    options.server = serverUrl();
    options.user = u"dana"_s;
    options.password = kPassword;
    options.device = m_settings->deviceId();
    options.registerNew = true;
    options.dataDir = m_dir->filePath(u"data"_s);
    {
        ChatSession first(options);
        QVERIFY(first.isOpen());
        QVERIFY(!first.hasStoredToken());
        QSignalSpy written(&first.tokens(), &TokenStore::written);
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(first.client().isOnline(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kWaitMs);
    }
    // The next start resumes without the password.
    options.password.clear();
    options.registerNew = false;
    ChatSession second(options);
    QVERIFY(second.hasStoredToken());
    QSignalSpy signedIn(&second.client(), &ChatClient::signedIn);
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, kWaitMs);
    QVERIFY(second.client().isOnline());
    QSignalSpy removed(&second.tokens(), &TokenStore::removed);
    second.tokens().remove(); // leave no entry behind in a real keychain
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, kWaitMs);
}

QTEST_MAIN(TestApp)
#include "tst_app.moc"
