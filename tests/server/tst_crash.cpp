// Tests of the real natterd binary as a child process: a `sent` survives SIGKILL (PROTOCOL.md: "only after the
// message is durably stored: it survives the server process being killed at any moment"), retries are
// idempotent across the crash, and the command line behaves (port taken, unusable --db, --version, --help).

#include "tests/server/wsclient.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <unistd.h>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using natter::test::WsClient;

namespace {

constexpr int kTimeoutMs = 10'000;

// One natterd child process.
class Natterd
{
public:
    ~Natterd() { kill(); }

    // Starts natterd with these extra arguments (after --host/--port/--password-iterations) and waits for
    // its "listening on" line. False when it exits or stays silent.
    bool start(const QStringList &args, quint16 port = 0)
    {
        m_stdout.clear();
        m_process = std::make_unique<QProcess>();
        m_process->setProgram(QStringLiteral(NATTERD_PATH));
        m_process->setArguments(QStringList{u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port),
                                            u"--password-iterations"_s, u"1000"_s} +
                                args);
        m_process->start();
        static const QRegularExpression listening(uR"(^natterd (\S+) listening on 127\.0\.0\.1:(\d+)$)"_s);
        const bool up = QTest::qWaitFor(
            [&] {
                while (m_process->canReadLine()) {
                    const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
                    m_stdout.append(line);
                    const auto match = listening.match(line);
                    if (match.hasMatch()) {
                        m_version = match.captured(1);
                        m_port = quint16(match.captured(2).toUInt());
                        return true;
                    }
                }
                return m_process->state() == QProcess::NotRunning;
            },
            kTimeoutMs);
        if (!up || m_port == 0) {
            qWarning().noquote() << "natterd did not start; stdout:" << m_stdout.join(u'\n')
                                 << "stderr:" << QString::fromUtf8(m_process->readAllStandardError());
            return false;
        }
        return true;
    }

    // SIGKILL, and wait until it is gone.
    void kill()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        m_process->kill();
        m_process->waitForFinished(kTimeoutMs);
    }

    QProcess *process() { return m_process.get(); }
    quint16 port() const { return m_port; }
    const QString &version() const { return m_version; }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_port)); }

private:
    std::unique_ptr<QProcess> m_process;
    QStringList m_stdout;
    QString m_version;
    quint16 m_port = 0;
};

struct RunResult {
    bool finished = false;
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out;
    QString err;
};

// Runs a program to completion with exactly these arguments.
RunResult runToEnd(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    RunResult r;
    r.finished = p.waitForFinished(kTimeoutMs);
    if (!r.finished)
        p.kill();
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

RunResult runNatterd(const QStringList &args)
{
    return runToEnd(QStringLiteral(NATTERD_PATH), args);
}

QJsonObject sendEnvelope(const QString &cid)
{
    return {{"type"_L1, u"send"_s}, {"to"_L1, u"bob"_s}, {"body"_L1, u"message "_s + cid}, {"cid"_L1, cid}};
}

} // namespace

class TstCrash : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void sentSurvivesSigkill_data();
    void sentSurvivesSigkill();

    void portTaken();
    void unusableDatabase_data();
    void unusableDatabase();
    void createsDatabaseFolder();
    void damagedOrReadOnlyDatabase_data();
    void damagedOrReadOnlyDatabase();
    void version();
    void help();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstCrash::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TstCrash::cleanup()
{
    m_dir.reset();
}

void TstCrash::sentSurvivesSigkill_data()
{
    QTest::addColumn<int>("killAfter"); // `sent` replies received before SIGKILL
    QTest::addColumn<int>("window");    // sends in flight
    QTest::addColumn<bool>("receiverAcks");
    QTest::addColumn<QString>("sync"); // --sync
    QTest::newRow("early, window 4, receiver acks") << 150 << 4 << true << u"normal"_s;
    QTest::newRow("middle, window 16, no acks") << 400 << 16 << false << u"normal"_s;
    QTest::newRow("late, window 48, receiver acks") << 800 << 48 << true << u"normal"_s;
    QTest::newRow("sync full, window 8, no acks") << 300 << 8 << false << u"full"_s;
}

void TstCrash::sentSurvivesSigkill()
{
    QFETCH(int, killAfter);
    QFETCH(int, window);
    QFETCH(bool, receiverAcks);
    QFETCH(QString, sync);
    const QString db = m_dir->filePath(u"natter.db"_s);
    const QStringList args = {u"--db"_s, db, u"--sync"_s, sync};

    Natterd server;
    QVERIFY(server.start(args));
    WsClient sender(u"alice"_s);
    WsClient receiver(u"bob"_s);
    QVERIFY(sender.open(server.url()));
    QVERIFY(receiver.open(server.url()));
    const QString senderToken = sender.registerUser(u"alice"_s, u"a1"_s);
    const QString receiverToken = receiver.registerUser(u"bob"_s, u"b1"_s);
    QVERIFY(!senderToken.isEmpty() && !receiverToken.isEmpty());

    // What each side has seen. cid -> id from `sent`; id -> cid as received; ids in arrival order.
    QHash<QString, qint64> sentIds;
    QHash<qint64, QString> received;
    QList<qint64> arrivals;
    QStringList issued; // cids sent, in order
    QString problem;    // the first inconsistency seen by a handler

    auto onMessage = [&](WsClient &client, const QJsonObject &m) {
        if (m.value("type"_L1) != "message"_L1)
            return;
        const qint64 id = m.value("id"_L1).toInteger();
        const QString cid = m.value("cid"_L1).toString();
        arrivals.append(id);
        if (received.contains(id) && received.value(id) != cid && problem.isEmpty())
            problem = u"id %1 arrived with cids %2 and %3"_s.arg(id).arg(received.value(id), cid);
        received.insert(id, cid);
        if (receiverAcks)
            client.ack({id});
    };
    connect(&receiver, &WsClient::envelopeReceived, this, [&](const QJsonObject &m) { onMessage(receiver, m); });

    // The sender keeps `window` sends in flight and kills the server the moment it has killAfter `sent`s.
    // Every `sent` counts, also those still buffered when the server died.
    bool killed = false;
    auto sendNext = [&] {
        const QString cid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        issued.append(cid);
        sender.sendJson(sendEnvelope(cid));
    };
    connect(&sender, &WsClient::envelopeReceived, this, [&](const QJsonObject &o) {
        if (o.value("type"_L1) == "error"_L1 && problem.isEmpty())
            problem = u"sender got %1"_s.arg(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        if (o.value("type"_L1) != "sent"_L1)
            return;
        sentIds.insert(o.value("cid"_L1).toString(), o.value("id"_L1).toInteger());
        if (killed)
            return;
        if (sentIds.size() >= killAfter) {
            killed = true;
            server.kill(); // SIGKILL, mid-stream: window - 1 sends are still in flight
            return;
        }
        sendNext();
    });
    for (int i = 0; i < window; ++i)
        sendNext();
    QVERIFY2(QTest::qWaitFor([&] { return killed || !problem.isEmpty(); }, 60'000), "the stream stalled");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.process()->exitStatus(), QProcess::CrashExit);
    QVERIFY(sender.waitForDisconnected());
    QVERIFY(receiver.waitForDisconnected());
    const QStringList unanswered = [&] {
        QStringList out;
        for (const QString &cid : std::as_const(issued)) {
            if (!sentIds.contains(cid))
                out.append(cid);
        }
        return out;
    }();
    qInfo("killed with %lld sent, %lld unanswered, %lld received live", qlonglong(sentIds.size()),
          qlonglong(unanswered.size()), qlonglong(received.size()));

    // Restart on the same database; the receiver resumes and collects its queue.
    Natterd restarted;
    QVERIFY(restarted.start(args));
    WsClient receiver2(u"bob again"_s);
    connect(&receiver2, &WsClient::envelopeReceived, this, [&](const QJsonObject &m) { onMessage(receiver2, m); });
    QVERIFY(receiver2.open(restarted.url()));
    QCOMPARE(receiver2.resume(receiverToken, u"b1"_s), receiverToken);
    auto hasEverySent = [&] {
        for (auto it = sentIds.cbegin(); it != sentIds.cend(); ++it) {
            if (received.value(it.value()) != it.key())
                return false;
        }
        return true;
    };
    const bool complete = QTest::qWaitFor(hasEverySent, 20'000);
    if (!complete) {
        QStringList missing;
        for (auto it = sentIds.cbegin(); it != sentIds.cend(); ++it) {
            if (received.value(it.value()) != it.key())
                missing.append(u"%1 (cid %2)"_s.arg(it.value()).arg(it.key()));
        }
        QFAIL(qPrintable(
            u"%1 acknowledged messages never reached the receiver after the crash, e.g. %2"_s.arg(missing.size())
                .arg(missing.mid(0, 5).join(u", "_s))));
    }

    // The sender retries what was in flight, and a sample of what was answered: same cid, same id.
    WsClient sender2(u"alice again"_s);
    QVERIFY(sender2.open(restarted.url()));
    QCOMPARE(sender2.resume(senderToken, u"a1"_s), senderToken);
    QStringList answered;
    for (const QString &cid : std::as_const(issued)) {
        if (sentIds.contains(cid))
            answered.append(cid);
    }
    const QStringList retries = unanswered + answered.mid(0, 3) + answered.mid(answered.size() - 3);
    for (const QString &cid : std::as_const(retries))
        sender2.sendJson(sendEnvelope(cid));
    QVERIFY(sender2.waitForCount(u"sent"_s, retries.size(), {}, 20'000));
    QCOMPARE(sender2.count(u"error"_s), 0);
    for (const QJsonObject &s : sender2.takeAll(u"sent"_s)) {
        const QString cid = s.value("cid"_L1).toString();
        const qint64 id = s.value("id"_L1).toInteger();
        if (sentIds.contains(cid))
            QVERIFY2(
                sentIds.value(cid) == id,
                qPrintable(u"cid %1 was %2 before the crash, %3 after"_s.arg(cid).arg(sentIds.value(cid)).arg(id)));
        else if (received.key(cid, 0) != 0)
            QVERIFY2(
                received.key(cid) == id,
                qPrintable(u"cid %1 was delivered as %2, retried as %3"_s.arg(cid).arg(received.key(cid)).arg(id)));
        sentIds.insert(cid, id);
    }
    QCOMPARE(sentIds.size(), issued.size());
    QVERIFY2(QTest::qWaitFor(hasEverySent, 20'000), "retried messages did not all arrive");
    QVERIFY(receiver2.sync());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Exactly once after dedupe by id: one id per cid, and it is the id `sent` gave.
    QHash<QString, qint64> idOfCid;
    for (auto it = received.cbegin(); it != received.cend(); ++it) {
        QVERIFY2(
            !idOfCid.contains(it.value()),
            qPrintable(
                u"cid %1 stored twice: ids %2 and %3"_s.arg(it.value()).arg(idOfCid.value(it.value())).arg(it.key())));
        idOfCid.insert(it.value(), it.key());
        QVERIFY2(sentIds.value(it.value()) == it.key(), qPrintable(u"id %1 has an unknown cid"_s.arg(it.key())));
    }
    QCOMPARE(idOfCid.size(), sentIds.size());
    if (arrivals.size() != received.size())
        qInfo("%lld duplicate deliveries, dropped by id", qlonglong(arrivals.size() - received.size()));

    // The history agrees: every message once, in id order.
    QList<qint64> stored;
    qint64 before = 0;
    for (;;) {
        QJsonObject req{{"type"_L1, u"history"_s}, {"with"_L1, u"alice"_s}, {"limit"_L1, 200}};
        if (before > 0)
            req.insert("before"_L1, before);
        const QJsonArray page = receiver2.request(req).value("messages"_L1).toArray();
        if (page.isEmpty())
            break;
        QList<qint64> ids;
        for (const QJsonValue &m : page)
            ids.append(m.toObject().value("id"_L1).toInteger());
        stored = ids + stored;
        before = ids.first();
    }
    QList<qint64> expected = sentIds.values();
    std::sort(expected.begin(), expected.end());
    QCOMPARE(stored, expected);
}

void TstCrash::portTaken()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const quint16 port = blocker.serverPort();
    const RunResult r = runNatterd(
        {u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--db"_s, m_dir->filePath(u"natter.db"_s)});
    QVERIFY(r.finished);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode != 0, qPrintable(r.err));
    QVERIFY2(!r.out.contains(u"listening"_s), qPrintable(r.out));
    // A clear message: it names the port.
    QVERIFY2(r.err.contains(QString::number(port)), qPrintable(r.err));
}

void TstCrash::unusableDatabase_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("under a regular file") << u"file/sub/natter.db"_s;
    QTest::newRow("a directory") << u"dir"_s;
    QTest::newRow("not a database") << u"garbage.db"_s;
}

void TstCrash::unusableDatabase()
{
    QFETCH(QString, what);
    QFile file(m_dir->filePath(u"file"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("just a file\n");
    file.close();
    QVERIFY(QDir(m_dir->path()).mkdir(u"dir"_s));
    QFile garbage(m_dir->filePath(u"garbage.db"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();

    const QString db = m_dir->filePath(what);
    const RunResult r = runNatterd({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--db"_s, db});
    QVERIFY(r.finished);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode != 0, qPrintable(r.out + r.err));
    QVERIFY2(!r.out.contains(u"listening"_s), qPrintable(r.out));
    // A clear message: it names the file (or the file in its way).
    const QString name = m_dir->filePath(what.section(u'/', 0, 0));
    QVERIFY2(r.err.contains(name), qPrintable(r.err));
}

void TstCrash::damagedOrReadOnlyDatabase_data()
{
    QTest::addColumn<bool>("damage"); // else: make it read-only to natterd
    QTest::addColumn<QString>("says");
    QTest::newRow("damaged pages") << true << u"is damaged"_s;
    QTest::newRow("read-only to natterd") << false << u"cannot be written"_s;
}

// A database that opens but cannot serve stops natterd at start with a message that says which, instead
// of a healthy-looking server that answers every login with `internal`.
void TstCrash::damagedOrReadOnlyDatabase()
{
    QFETCH(bool, damage);
    QFETCH(QString, says);
    const QString db = m_dir->filePath(u"natter.db"_s);
    {
        Natterd server;
        QVERIFY(server.start({u"--db"_s, db}));
        WsClient c(u"c"_s);
        QVERIFY(c.open(server.url()));
        QVERIFY(!c.registerUser(u"alice"_s, u"a1"_s).isEmpty());
        server.process()->terminate(); // a clean stop: the WAL is checkpointed into the file
        QVERIFY(server.process()->waitForFinished(kTimeoutMs));
    }
    QFile file(db);
    QVERIFY(file.size() >= 4 * 4096);
    const QStringList args{u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--db"_s, db};
    RunResult r;
    if (damage) {
        // Every page but the first (the header and the schema) overwritten.
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(4096));
        file.write(QByteArray(file.size() - 4096, char(0xA5)));
        file.close();
        r = runNatterd(args);
    } else if (::geteuid() != 0) {
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner));
        r = runNatterd(args);
    } else {
        // Root may write any file: run natterd as nobody, on a file root owns (readable by all) in a folder
        // nobody may write (SQLite's -wal and -shm files), as with a database that belongs to another user.
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                                    | QFileDevice::ReadOther));
        const QFileDevice::Permissions all = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
            | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QVERIFY(QFile::setPermissions(m_dir->path(), all));
        const QString natterd = m_dir->filePath(u"natterd"_s); // a copy nobody can reach and run
        QVERIFY(QFile::copy(QStringLiteral(NATTERD_PATH), natterd));
        QVERIFY(QFile::setPermissions(natterd, all & ~(QFileDevice::WriteGroup | QFileDevice::WriteOther)));
        r = runToEnd(u"setpriv"_s,
                     QStringList{u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, natterd} + args);
    }
    QVERIFY(r.finished);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode != 0, qPrintable(r.out + r.err));
    QVERIFY2(!r.out.contains(u"listening"_s), qPrintable(r.out));
    QVERIFY2(r.err.contains(says) && r.err.contains(db), qPrintable(r.err));
}

void TstCrash::createsDatabaseFolder()
{
    const QString db = m_dir->filePath(u"new/deeper/natter.db"_s);
    Natterd server;
    QVERIFY(server.start({u"--db"_s, db}));
    QCOMPARE(server.version(), QStringLiteral(NATTER_VERSION));
    QVERIFY(QFile::exists(db));
    // Messages and password hashes are the owner's only.
    QCOMPARE(QFile::permissions(db) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    WsClient c(u"c"_s);
    QVERIFY(c.open(server.url()));
    QVERIFY(!c.registerUser(u"alice"_s, u"a1"_s).isEmpty());
}

void TstCrash::version()
{
    const RunResult r = runNatterd({u"--version"_s});
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral(NATTER_VERSION)), qPrintable(r.out));
    QVERIFY2(r.out.contains(u"natterd"_s), qPrintable(r.out));
}

void TstCrash::help()
{
    const RunResult r = runNatterd({u"--help"_s});
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    for (const QString &option : {u"--host"_s, u"--port"_s, u"--db"_s, u"--version"_s, u"--help"_s})
        QVERIFY2(r.out.contains(option), qPrintable(option + u" missing from:\n"_s + r.out));
}

QTEST_GUILESS_MAIN(TstCrash)
#include "tst_crash.moc"
