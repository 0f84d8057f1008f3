// SessionController without any window: resume, sign out, switch account and a refused token, against a
// real in-process server on loopback, port 0.

#include "tests/support/tokenchecks.h"
#include "tests/support/apppeer.h"
#include "client/app/chatsession.h"
#include "client/app/sessioncontroller.h"
#include "client/app/settings.h"
#include "client/app/tokenstore.h"
#include "client/chatclient.h"
#include "client/net/connection.h"
#include "client/storage/localstore.h"
#include "server/server.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using natter::app::ChatSession;
using natter::app::SessionController;
using natter::app::Settings;
using natter::app::TokenStore;
using natter::client::Connection;
using natter::client::LocalStore;
using natter::server::Server;
using natter::server::ServerConfig;
using Reason = SessionController::SignInReason;
using Confirmation = SessionController::Confirmation;

namespace {
constexpr int kWaitMs = 15'000;
const QString kPassword = natter::test::kPeerPassword;
} // namespace

class TestSessionController : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void resumesWithStoredToken();
    void nothingToResumeNeedsSignIn();
    void refusedTokenNeedsSignIn();
    void signOutRevokesToken();
    void signOutWhileOffline();
    void switchAccountKeepsToken();
    void unsentMessagesReportedFirst_data();
    void unsentMessagesReportedFirst();

private:
    void startServer();
    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    QString address() const { return u"127.0.0.1:%1"_s.arg(m_port); }
    QString dataDir() const { return m_dir->filePath(u"data"_s); }
    std::unique_ptr<SessionController> newController();
    // Signs `user` in with the password (registering the account), as the sign-in dialog does, and hands
    // the session to the controller; returns the token the server issued once it is stored.
    QString signIn(SessionController &controller, const QString &user);
    bool hasStoredToken(const QString &user);
    bool serverAcceptsToken(const QString &user, const QString &token);
    static int unsentNow(ChatSession *session);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<Settings> m_settings;
    quint16 m_port = 0;
};

void TestSessionController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(u"settings.ini"_s));
}

void TestSessionController::cleanup()
{
    m_server.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestSessionController::startServer()
{
    ServerConfig config;
    config.host = QHostAddress(QHostAddress::LocalHost);
    config.port = m_port; // 0 the first time; the same port again after a restart
    config.dbPath = m_dir->filePath(u"server.db"_s);
    config.passwordIterations = 1000;
    config.announce = false;
    m_server = std::make_unique<Server>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_port = m_server->port();
}

std::unique_ptr<SessionController> TestSessionController::newController()
{
    return std::make_unique<SessionController>(*m_settings, dataDir());
}

QString TestSessionController::signIn(SessionController &controller, const QString &user)
{
    ChatSession::Options options;
    options.server = serverUrl();
    options.user = user;
    options.password = kPassword;
    options.device = m_settings->deviceId();
    options.registerNew = true;
    options.dataDir = dataDir();
    auto session = std::make_unique<ChatSession>(options);
    if (!session->isOpen())
        return {};
    ChatSession *s = session.get();
    QSignalSpy written(&s->tokens(), &TokenStore::written);
    controller.setSession(std::move(session));
    s->start();
    if (!QTest::qWaitFor([&] { return s->client().isOnline() && written.size() == 1; }, kWaitMs))
        return {};
    m_settings->setLastServer(serverUrl());
    m_settings->setLastUser(user);
    return s->client().connection().credentials().token;
}

bool TestSessionController::hasStoredToken(const QString &user)
{
    return natter::test::hasStoredToken(dataDir(), serverUrl(), user);
}

bool TestSessionController::serverAcceptsToken(const QString &user, const QString &token)
{
    return natter::test::serverAcceptsToken(serverUrl(), user, m_settings->deviceId(), token, kWaitMs);
}

int TestSessionController::unsentNow(ChatSession *session)
{
    int count = -1;
    session->countUnsent(session, [&count](int n) { count = n; });
    return QTest::qWaitFor([&] { return count >= 0; }, kWaitMs) ? count : -1;
}

void TestSessionController::resumesWithStoredToken()
{
    startServer();
    QString token;
    {
        auto first = newController();
        token = signIn(*first, u"alice"_s);
        QVERIFY(!token.isEmpty());
    } // the app quits: the session closes, its token stays
    QVERIFY(hasStoredToken(u"alice"_s));

    auto controller = newController();
    QSignalSpy changed(controller.get(), &SessionController::sessionChanged);
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);
    QVERIFY(controller->resume());
    QVERIFY(controller->session());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().value<ChatSession *>(), controller->session());
    QTRY_VERIFY_WITH_TIMEOUT(controller->session()->client().isOnline(), kWaitMs);
    // Resumed with the stored token, no password: the server took the same one.
    QCOMPARE(controller->session()->client().connection().credentials().token, token);
    QCOMPARE(controller->session()->client().user(), u"alice"_s);
    QVERIFY(signInNeeded.isEmpty());
}

void TestSessionController::nothingToResumeNeedsSignIn()
{
    startServer();
    auto controller = newController();
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);
    QVERIFY(!controller->resume()); // a new profile: no account yet
    QVERIFY(!controller->session());
    QCOMPARE(signInNeeded.size(), 1);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(), Reason::NoSession);

    // An account this profile knows, but with no stored token: sign in again.
    m_settings->setLastServer(serverUrl());
    m_settings->setLastUser(u"zoe"_s);
    QVERIFY(!controller->resume());
    QVERIFY(!controller->session());
    QCOMPARE(signInNeeded.size(), 2);
    QCOMPARE(signInNeeded.at(1).at(0).value<Reason>(), Reason::NoSession);
}

void TestSessionController::refusedTokenNeedsSignIn()
{
    startServer();
    {
        auto first = newController();
        QVERIFY(!signIn(*first, u"alice"_s).isEmpty());
        // Signed out elsewhere: the server revokes the token, this computer still keeps it.
        QSignalSpy loggedOut(&first->session()->client(), &natter::client::ChatClient::loggedOut);
        first->session()->client().logout();
        QTRY_COMPARE_WITH_TIMEOUT(loggedOut.size(), 1, kWaitMs);
    }
    QVERIFY(hasStoredToken(u"alice"_s));

    auto controller = newController();
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);
    QSignalSpy signedOut(controller.get(), &SessionController::signedOut);
    QVERIFY(controller->resume()); // the token is there: it tries
    QTRY_COMPARE_WITH_TIMEOUT(signInNeeded.size(), 1, kWaitMs);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(), Reason::SessionEnded);
    QCOMPARE(signInNeeded.first().at(1).toString(), address());
    QCOMPARE(signInNeeded.first().at(2).toString(), u"alice"_s);
    QVERIFY(!controller->session());
    QVERIFY(signedOut.isEmpty()); // nobody signed out here
    // Forgotten, so that the next launch asks instead of failing again.
    QTRY_VERIFY_WITH_TIMEOUT(!hasStoredToken(u"alice"_s), kWaitMs);
    auto next = newController();
    QVERIFY(!next->resume());
}

void TestSessionController::signOutRevokesToken()
{
    startServer();
    auto controller = newController();
    const QString token = signIn(*controller, u"alice"_s);
    QVERIFY(!token.isEmpty());
    QVERIFY(serverAcceptsToken(u"alice"_s, token)); // the check below can fail
    QSignalSpy signingOut(controller.get(), &SessionController::signingOut);
    QSignalSpy signedOut(controller.get(), &SessionController::signedOut);
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);
    QSignalSpy confirmation(controller.get(), &SessionController::confirmationNeeded);

    controller->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(signedOut.size(), 1, kWaitMs);
    QCOMPARE(signingOut.size(), 1);
    QVERIFY(confirmation.isEmpty()); // nothing unsent: no question
    QCOMPARE(signedOut.first().at(0).toString(), u"alice"_s);
    QCOMPARE(signedOut.first().at(1).toBool(), true); // the server confirmed
    QCOMPARE(signInNeeded.size(), 1);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(), Reason::SignedOut);
    QCOMPARE(signInNeeded.first().at(1).toString(), address());
    QCOMPARE(signInNeeded.first().at(2).toString(), u"alice"_s);
    QVERIFY(!controller->session());

    // The server no longer takes the token, and this computer no longer keeps it: a resume fails.
    QVERIFY(!serverAcceptsToken(u"alice"_s, token));
    QVERIFY(!hasStoredToken(u"alice"_s));
    auto next = newController();
    QVERIFY(!next->resume());
}

void TestSessionController::signOutWhileOffline()
{
    startServer();
    auto controller = newController();
    const QString token = signIn(*controller, u"alice"_s);
    QVERIFY(!token.isEmpty());
    ChatSession *session = controller->session();
    m_server.reset(); // the server goes away
    QTRY_VERIFY_WITH_TIMEOUT(!session->client().isOnline(), kWaitMs);
    QSignalSpy signedOut(controller.get(), &SessionController::signedOut);
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);

    controller->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(signedOut.size(), 1, kWaitMs);
    QCOMPARE(signedOut.first().at(1).toBool(), false); // the server was not told
    QCOMPARE(signInNeeded.size(), 1);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(), Reason::SignedOutLocally);
    QCOMPARE(signInNeeded.first().at(2).toString(), u"alice"_s);
    QVERIFY(!controller->session());
    QVERIFY(!hasStoredToken(u"alice"_s)); // forgotten here all the same

    // The server comes back (same port and database): it was never told, so it still takes the token.
    startServer();
    QVERIFY(serverAcceptsToken(u"alice"_s, token));
}

void TestSessionController::switchAccountKeepsToken()
{
    startServer();
    auto controller = newController();
    const QString token = signIn(*controller, u"alice"_s);
    QVERIFY(!token.isEmpty());
    QSignalSpy signedOut(controller.get(), &SessionController::signedOut);
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);
    QSignalSpy changed(controller.get(), &SessionController::sessionChanged);

    controller->switchAccount();
    QTRY_COMPARE_WITH_TIMEOUT(signInNeeded.size(), 1, kWaitMs);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(), Reason::Switched);
    QCOMPARE(signInNeeded.first().at(1).toString(), address());
    QCOMPARE(signInNeeded.first().at(2).toString(), u"alice"_s);
    QVERIFY(!controller->session());
    QCOMPARE(changed.size(), 1);
    QVERIFY(!changed.first().first().value<ChatSession *>());
    QVERIFY(signedOut.isEmpty());
    // The token stays, on this computer and on the server: coming back needs no password.
    QVERIFY(hasStoredToken(u"alice"_s));
    QVERIFY(serverAcceptsToken(u"alice"_s, token));
    QVERIFY(controller->resume());
    QTRY_VERIFY_WITH_TIMEOUT(controller->session()->client().isOnline(), kWaitMs);
    QCOMPARE(controller->session()->client().connection().credentials().token, token);
}

void TestSessionController::unsentMessagesReportedFirst_data()
{
    QTest::addColumn<Confirmation>("what");
    QTest::newRow("sign out") << Confirmation::SignOut;
    QTest::newRow("switch account") << Confirmation::SwitchAccount;
}

void TestSessionController::unsentMessagesReportedFirst()
{
    QFETCH(Confirmation, what);
    startServer();
    auto controller = newController();
    QVERIFY(!signIn(*controller, u"alice"_s).isEmpty());
    ChatSession *session = controller->session();
    m_server.reset(); // offline: what alice writes waits in the outbox
    QTRY_VERIFY_WITH_TIMEOUT(!session->client().isOnline(), kWaitMs);
    session->client().sendMessage(u"bob"_s, u"one"_s);
    session->client().sendMessage(u"bob"_s, u"two"_s);
    QTRY_COMPARE_WITH_TIMEOUT(unsentNow(session), 2, kWaitMs);
    QSignalSpy confirmation(controller.get(), &SessionController::confirmationNeeded);
    QSignalSpy signingOut(controller.get(), &SessionController::signingOut);
    QSignalSpy signInNeeded(controller.get(), &SessionController::signInNeeded);

    if (what == Confirmation::SignOut)
        controller->signOut();
    else
        controller->switchAccount();
    QTRY_COMPARE_WITH_TIMEOUT(confirmation.size(), 1, kWaitMs);
    QCOMPARE(confirmation.first().at(0).value<Confirmation>(), what);
    QCOMPARE(confirmation.first().at(1).toInt(), 2);
    QCOMPARE(confirmation.first().at(2).toString(), u"alice"_s);
    QTest::qWait(100); // nothing else may follow before the user answers; give it a chance to go wrong
    QCOMPARE(controller->session(), session);
    QVERIFY(signingOut.isEmpty());
    QVERIFY(signInNeeded.isEmpty());

    // The user goes ahead: the session ends, the messages stay in the store for the next sign-in.
    if (what == Confirmation::SignOut)
        controller->signOutAnyway();
    else
        controller->switchAccountAnyway();
    QTRY_COMPARE_WITH_TIMEOUT(signInNeeded.size(), 1, kWaitMs);
    QCOMPARE(signInNeeded.first().at(0).value<Reason>(),
             what == Confirmation::SignOut ? Reason::SignedOutLocally : Reason::Switched);
    QVERIFY(!controller->session());
    LocalStore store(ChatSession::storePath(dataDir(), serverUrl(), u"alice"_s));
    QString error;
    QVERIFY(store.open(&error));
    int left = -1;
    store.pendingOutbox(this, [&left](QList<natter::client::OutboxEntry> entries) { left = int(entries.size()); });
    QTRY_COMPARE_WITH_TIMEOUT(left, 2, kWaitMs);
    store.close();
}

QTEST_GUILESS_MAIN(TestSessionController)
#include "tst_sessioncontroller.moc"
