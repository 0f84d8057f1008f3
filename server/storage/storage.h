#pragma once

#include "server/server.h"
#include "server/storage/records.h"

#include "common/sql/sqlworker.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace natter::server {

class Repository;

// The one owner of the server's database: a SqlWorker thread (group commit, see common/sql/sqlworker.h)
// with the Repository that holds all SQL. A `sent` is never answered before the commit holding the message.
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
    // Reads what the router keeps in memory. Blocks: call at start-up only. With `error`, a failed read is
    // reported there (and the snapshot is incomplete).
    DirectorySnapshot loadDirectory(QString *error = nullptr);
    // Writes what is pending, closes the database and stops the thread.
    void close();
    bool isOpen() const { return m_worker.isOpen(); }

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

    quint64 transactionCount() const { return m_worker.transactionCount(); }
    quint64 jobCount() const { return m_worker.jobCount(); }

private:
    QString m_path;
    SyncMode m_sync;
    sql::SqlWorker m_worker;
    std::unique_ptr<Repository> m_repo; // created, used and destroyed on the worker thread only
};

} // namespace natter::server
