#pragma once

#include "server.h"
#include "storage/records.h"

#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace natter::server {

class Repository;

// The one owner of the database: a thread with its own connection that runs jobs in group commits.
// Jobs submitted while a transaction is being written are gathered into the next transaction, so
// under load many messages share one commit; each job's completion runs on its context's thread
// after the commit that holds it (so a `sent` is never answered before the message is durable).
class Storage : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<void(Repository &)>;
    using Done = std::function<void(bool committed)>;

    Storage(QString path, SyncMode sync, QObject *parent = nullptr);
    ~Storage() override;

    // Starts the thread, opens and migrates the database. Blocks: call at start-up only.
    bool open(QString *error);
    // Reads what the router keeps in memory. Blocks: call at start-up only.
    DirectorySnapshot loadDirectory();
    // Writes what is pending, closes the database and stops the thread.
    void close();
    bool isOpen() const { return m_thread.isRunning(); }

    // Runs work inside the next transaction, then done(committed) on context's thread.
    void submit(QObject *context, Work work, Done done);

    // Typed convenience: work returns a value that done receives after the commit.
    template <typename R, typename WorkFn, typename DoneFn>
    void call(QObject *context, WorkFn work, DoneFn done)
    {
        auto result = std::make_shared<R>();
        submit(
            context, [result, work = std::move(work)](Repository &repo) { *result = work(repo); },
            [result, done = std::move(done)](bool ok) { done(ok, std::move(*result)); });
    }

    // Figures for benchmarks and logs.
    quint64 transactionCount() const;
    quint64 jobCount() const;

private:
    struct Job {
        QPointer<QObject> context;
        Work work;
        Done done;
    };
    class Worker;

    void drain(); // on the storage thread

    QString m_path;
    SyncMode m_sync;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread
    mutable QMutex m_mutex;
    std::vector<Job> m_pending;
    bool m_wakePosted = false;
    quint64 m_transactions = 0;
    quint64 m_jobs = 0;
};

} // namespace natter::server
