// The desktop app's widgets and controllers, driven like a user drives them (fill fields, click, type,
// press Enter) against a real in-process server on loopback, port 0, on the offscreen platform.

#include "chatclient.h"
#include "chatsession.h"
#include "composer.h"
#include "connectionstatuslabel.h"
#include "localservercontroller.h"
#include "mainwindow.h"
#include "messageview.h"
#include "models/conversationlistmodel.h"
#include "models/messagelistmodel.h"
#include "net/serverbrowser.h"
#include "server.h"
#include "settings.h"
#include "signindialog.h"
#include "startserverdialog.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using natter::app::ChatSession;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::Profile;
using natter::app::Settings;
using natter::app::SignInDialog;
using natter::app::StartServerDialog;
using natter::client::ChatClient;
using natter::client::ConversationListModel;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::MessageState;
using natter::client::ServerBrowser;
using natter::server::Server;
using natter::server::ServerConfig;

namespace {

constexpr int kWaitMs = 15'000;
const QString kPassword = u"correct horse"_s;
const QHostAddress kLoopback(QHostAddress::LocalHost);

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(kLoopback, 0);
    return probe.serverPort(); // closed again when it goes: nothing listens there
}

// Someone else on the server, with a plain ChatClient.
struct Peer {
    Peer(const QUrl &server, const QString &user)
    {
        store = std::make_unique<LocalStore>(dir.filePath(u"peer.db"_s));
        QString error;
        store->open(&error);
        client = std::make_unique<ChatClient>(*store);
        client->setServer(server);
        client->setCredentials({user, kPassword, user + u"-device"_s, QString(), true});
        QObject::connect(client.get(), &ChatClient::messageAdded, client.get(),
                         [this](const LocalMessage &m) { received.append(m); });
        client->start();
    }
    ~Peer()
    {
        client.reset();
        store->close();
    }
    QStringList bodiesFrom(const QString &from) const
    {
        QStringList out;
        for (const LocalMessage &m : received) {
            if (m.from == from)
                out.append(m.body);
        }
        return out;
    }

    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<ChatClient> client;
    QList<LocalMessage> received;
};

} // namespace

class TestApp : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void settingsPerProfile();
    void serverUrlParsing_data();
    void serverUrlParsing();
    void localServerStartStop();
    void startAndStopFromMenu();
    void signInErrors();
    void discoveredServerInSignInList();
    void chatInMainWindow();

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
    dialog.serverField()->clear();
    QTest::keyClicks(dialog.serverField(), server);
    dialog.userField()->clear();
    QTest::keyClicks(dialog.userField(), user);
    dialog.passwordField()->clear();
    QTest::keyClicks(dialog.passwordField(), password);
    dialog.createAccountBox()->setChecked(create);
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
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

void TestApp::serverUrlParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QUrl>("url");
    QTest::newRow("host:port") << u"192.168.1.5:7471"_s << QUrl(u"http://192.168.1.5:7471"_s);
    QTest::newRow("host only") << u"chat.lan"_s << QUrl(u"http://chat.lan:7470"_s);
    QTest::newRow("ws url") << u"ws://10.0.0.2:7470/ws"_s << QUrl(u"http://10.0.0.2:7470"_s);
    QTest::newRow("spaces") << u"  127.0.0.1:1234 "_s << QUrl(u"http://127.0.0.1:1234"_s);
    QTest::newRow("empty") << QString() << QUrl();
}

void TestApp::serverUrlParsing()
{
    QFETCH(QString, text);
    QFETCH(QUrl, url);
    QCOMPARE(SignInDialog::serverUrl(text), url);
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
    QVERIFY(window.startServerAction()->isEnabled());
    QVERIFY(!window.stopServerAction()->isEnabled());

    window.startServerAction()->trigger();
    auto *dialog = window.findChild<StartServerDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->useHeardButton()->isHidden()); // nothing is announced on this test's browser
    const quint16 port = freePort();
    dialog->portField()->setValue(port);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Running, kWaitMs);
    QCOMPARE(controller.port(), port);
    QCOMPARE(m_settings->localServerPort(), port);
    QVERIFY(window.stopServerAction()->isEnabled());
    QVERIFY(!window.startServerAction()->isEnabled());

    window.stopServerAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), LocalServerController::State::Stopped, kWaitMs);
    QTRY_VERIFY(window.startServerAction()->isEnabled());
    QVERIFY(!window.stopServerAction()->isEnabled());
}

void TestApp::signInErrors()
{
    startServer();
    const QString address = u"127.0.0.1:%1"_s.arg(m_server->port());
    SignInDialog dialog(*m_settings, *m_browser, m_dir->filePath(u"data"_s));
    dialog.show();

    fillAndSubmit(dialog, u"127.0.0.1:%1"_s.arg(freePort()), u"alice"_s, kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"cannot be reached"_s), kWaitMs);
    QVERIFY(dialog.signInButton()->isEnabled());

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
    QVERIFY(dialog.passwordField()->text().isEmpty());
    // The password is stored nowhere in the profile's settings.
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(kPassword.toUtf8()));
    session.reset();

    SignInDialog second(*m_settings, *m_browser, m_dir->filePath(u"data2"_s));
    QCOMPARE(second.userField()->text(), u"alice"_s); // remembered
    QCOMPARE(second.serverField()->text(), address);
    fillAndSubmit(second, address, u"alice"_s, u"wrong"_s, false);
    QTRY_VERIFY_WITH_TIMEOUT(second.errorText().contains(u"Wrong user name or password"_s), kWaitMs);
    fillAndSubmit(second, address, u"Alice"_s, kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(second.errorText().contains(u"is taken"_s), kWaitMs);
}

void TestApp::discoveredServerInSignInList()
{
    SignInDialog dialog(*m_settings, *m_browser, m_dir->filePath(u"data"_s));
    dialog.show();
    QCOMPARE(dialog.serverList()->count(), 0);
    startServer(true);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.serverList()->count(), 1, kWaitMs);
    QListWidgetItem *item = dialog.serverList()->item(0);
    QVERIFY(item->text().contains(u"Test server"_s));
    dialog.serverList()->setCurrentItem(item);
    QCOMPARE(dialog.serverField()->text(), u"127.0.0.1:%1"_s.arg(m_server->port()));

    // The start dialog hears it too and offers it instead of a second server on the LAN.
    StartServerDialog start(*m_browser, 7470);
    QVERIFY(!start.useHeardButton()->isHidden());
    QVERIFY(start.heardLabel()->text().contains(u"Test server"_s));
    QSignalSpy use(&start, &StartServerDialog::useServerRequested);
    QTest::mouseClick(start.useHeardButton(), Qt::LeftButton);
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
    QVERIFY(window.signInDialog());
    fillAndSubmit(*window.signInDialog(), u"127.0.0.1:%1"_s.arg(m_server->port()), u"alice"_s, kPassword, true);
    QTRY_VERIFY_WITH_TIMEOUT(window.session() != nullptr, kWaitMs);
    ChatSession &session = *window.session();
    QTRY_VERIFY_WITH_TIMEOUT(session.client().isOnline(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.connectionStatus()->text().startsWith(u"Online · WebSocket · 127.0.0.1:"_s), kWaitMs);

    // Bob writes: a row for him appears with one unread message.
    bob.client->sendMessage(u"alice"_s, u"안녕하세요! Lunch at noon? 🍜"_s);
    ConversationListModel &conversations = session.conversations();
    QTRY_VERIFY_WITH_TIMEOUT(conversations.rowOf(u"bob"_s) >= 0, kWaitMs);
    const auto unread = [&] {
        const int row = conversations.rowOf(u"bob"_s);
        return row < 0 ? -1 : conversations.index(row, 0).data(ConversationListModel::UnreadRole).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 1, kWaitMs);
    QCOMPARE(window.conversationView()->model()->rowCount(), 1);

    // Alice opens it by clicking the row: the message shows, unread goes to 0.
    const QModelIndex row = window.conversationView()->model()->index(conversations.rowOf(u"bob"_s), 0);
    QTest::mouseClick(window.conversationView()->viewport(), Qt::LeftButton, {},
                      window.conversationView()->visualRect(row).center());
    QTRY_COMPARE_WITH_TIMEOUT(window.currentConversation(), u"bob"_s, kWaitMs);
    MessageListModel &messages = session.messages();
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 1, kWaitMs);
    QCOMPARE(messages.index(0, 0).data(MessageListModel::BodyRole).toString(), u"안녕하세요! Lunch at noon? 🍜"_s);
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 0, kWaitMs);
    QVERIFY(window.composer()->isEnabled());

    // Typing: Bob's notice shows under the messages; Alice's keystrokes send one notice, not one per key.
    QSignalSpy aliceTyping(bob.client.get(), &ChatClient::typing);
    bob.client->sendTyping(u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window.typingLabel()->text().contains(u"bob"_s), kWaitMs);

    // Alice replies through the composer: Enter sends, Shift+Enter is a new line.
    QSignalSpy composerTyping(window.composer(), &natter::app::Composer::typing);
    QTest::keyClicks(window.composer(), u"Sure, see you"_s);
    QTest::keyClick(window.composer(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(window.composer(), u"at the usual place"_s);
    QCOMPARE(composerTyping.size(), 1); // throttled
    QTest::keyClick(window.composer(), Qt::Key_Return);
    QVERIFY(window.composer()->toPlainText().isEmpty());
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
    QTest::keyClicks(window.composer(), u"Perfect."_s);
    QTest::keyClick(window.composer(), Qt::Key_Enter);
    QTRY_COMPARE_WITH_TIMEOUT(messages.rowCount(), 4, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob.bodiesFrom(u"alice"_s).size(), 2, kWaitMs);

    QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
    const QString shot = QDir(QStringLiteral(NATTER_SCREENSHOT_DIR)).filePath(u"main-window.png"_s);
    QVERIFY(window.grab().save(shot));
    qInfo().noquote() << "screenshot:" << shot;
}

QTEST_MAIN(TestApp)
#include "tst_app.moc"
