#pragma once

#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QStringList>
#include <QThread>

#include <functional>
#include <vector>

namespace natter::sql {

struct OpenOptions {
    QString path; // SQLite file, created 0600 (owner only) when missing; its folder is created when missing
    QStringList pragmas; // run on every open, e.g. "PRAGMA journal_mode = WAL"
    std::function<bool(QSqlDatabase &, QString *error)> migrate; // brings the schema up to date
    // PRAGMA quick_check before anything else (it reads every page: O(size)). The server asks for it; the
    // client's local store, opened on the GUI thread at each sign-in, does not.
    bool checkIntegrity = false;
};

// Brings a database to the newest schema: steps[i] moves it from version i to i + 1 (PRAGMA user_version),
// each step in its own transaction. Refuses a database whose version is newer than steps.size().
// `what` names the database in messages ("the database", "the local database").
bool applyMigrations(QSqlDatabase &db, const QList<QStringList> &steps, const QString &what, QString *error);

// A thread that owns one SQLite connection and runs jobs on it in group commits: every job queued while a
// transaction is being written joins the next transaction, which commits once. A job that reports failure
// is rolled back alone (the batch is then run again with a savepoint per job). Completions run on their context object's
// thread after the commit, in submission order. Shared by the server's storage and the client's local store.
class SqlWorker : public QObject
{
    Q_OBJECT
public:
    // Returns false when the job failed: its changes are rolled back, and its done(false) is called.
    using Work = std::function<bool(QSqlDatabase &db)>;
    using Done = std::function<void(bool committed)>;

    explicit SqlWorker(const QString &threadName, QObject *parent = nullptr);
    ~SqlWorker() override;

    // Starts the thread and opens the database there. Blocks: call at start-up only.
    bool open(const OpenOptions &options, QString *error);
    // Runs fn on the worker thread and waits for it. Blocks: start-up and shutdown only.
    void runBlocking(const std::function<void(QSqlDatabase &db)> &fn);
    // Writes what is pending, closes the connection and stops the thread.
    void close();
    bool isOpen() const { return m_thread.isRunning(); }

    void submit(QObject *context, Work work, Done done);

    quint64 transactionCount() const;
    quint64 jobCount() const;

private:
    struct Job {
        QPointer<QObject> context;
        Work work;
        Done done;
    };

    void drain(); // on the worker thread
    bool runIsolated(QSqlDatabase &db, std::vector<Job> &jobs, std::vector<char> &ok);

    QThread m_thread;
    QObject *m_threadObject = nullptr; // lives on m_thread: target of queued calls
    QString m_connectionName;
    mutable QMutex m_mutex;
    std::vector<Job> m_pending;
    bool m_wakePosted = false;
    quint64 m_transactions = 0;
    quint64 m_jobs = 0;
};

} // namespace natter::sql
