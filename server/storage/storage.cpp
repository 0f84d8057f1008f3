#include "storage/storage.h"

#include "logging.h"
#include "storage/repository.h"
#include "storage/schema.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace natter::server {

using namespace Qt::StringLiterals;

// Lives on the storage thread; owns the connection and the repository.
class Storage::Worker : public QObject
{
public:
    explicit Worker(Storage *owner) : m_owner(owner) {}

    bool open(const QString &path, SyncMode sync, QString *error)
    {
        m_connectionName = u"natter-storage-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath())) {
            *error = u"cannot create the folder %1"_s.arg(info.absolutePath());
            return false;
        }
        if (info.isDir()) {
            *error = u"%1 is a folder, not a database file"_s.arg(path);
            return false;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(path);
        if (!db.open()) {
            *error = u"cannot open the database %1: %2"_s.arg(path, db.lastError().text());
            return false;
        }
        QSqlQuery q(db);
        const QStringList pragmas = {
            u"PRAGMA journal_mode = WAL"_s,
            sync == SyncMode::Full ? u"PRAGMA synchronous = FULL"_s : u"PRAGMA synchronous = NORMAL"_s,
            u"PRAGMA busy_timeout = 5000"_s,
            u"PRAGMA temp_store = MEMORY"_s,
        };
        for (const QString &p : pragmas) {
            if (!q.exec(p)) {
                *error = u"cannot use the database %1: %2"_s.arg(path, q.lastError().text());
                return false;
            }
            q.finish();
        }
        if (!migrateSchema(db, error)) {
            *error = u"cannot use the database %1: %2"_s.arg(path, *error);
            return false;
        }
        m_repo = std::make_unique<Repository>(db);
        return true;
    }

    void close()
    {
        m_repo.reset();
        if (!m_connectionName.isEmpty()) {
            QSqlDatabase::database(m_connectionName, false).close();
            QSqlDatabase::removeDatabase(m_connectionName);
        }
    }

    Repository *repository() { return m_repo.get(); }

private:
    Storage *m_owner;
    QString m_connectionName;
    std::unique_ptr<Repository> m_repo;
};

Storage::Storage(QString path, SyncMode sync, QObject *parent) : QObject(parent), m_path(std::move(path)), m_sync(sync)
{
    m_thread.setObjectName(u"natter-storage"_s);
}

Storage::~Storage()
{
    close();
}

bool Storage::open(QString *error)
{
    m_worker = new Worker(this);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_worker, [&] { ok = m_worker->open(m_path, m_sync, error); }, Qt::BlockingQueuedConnection);
    if (!ok)
        close();
    return ok;
}

DirectorySnapshot Storage::loadDirectory()
{
    DirectorySnapshot snapshot;
    QMetaObject::invokeMethod(
        m_worker, [&] { snapshot = m_worker->repository()->loadDirectory(); }, Qt::BlockingQueuedConnection);
    return snapshot;
}

void Storage::close()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            drain();
            m_worker->close();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

void Storage::submit(QObject *context, Work work, Done done)
{
    bool post = false;
    {
        QMutexLocker lock(&m_mutex);
        m_pending.push_back(Job{context, std::move(work), std::move(done)});
        post = !m_wakePosted;
        m_wakePosted = true;
    }
    if (post && m_worker)
        QMetaObject::invokeMethod(m_worker, [this] { drain(); }, Qt::QueuedConnection);
}

quint64 Storage::transactionCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_transactions;
}

quint64 Storage::jobCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_jobs;
}

void Storage::drain()
{
    std::vector<Job> jobs;
    {
        QMutexLocker lock(&m_mutex);
        jobs.swap(m_pending);
        m_wakePosted = false;
    }
    if (jobs.empty())
        return;
    Repository *repo = m_worker ? m_worker->repository() : nullptr;
    std::vector<char> ok(jobs.size(), 0);
    bool committed = false;
    if (repo) {
        QSqlDatabase &db = repo->database();
        if (db.transaction()) {
            QSqlQuery sp(db);
            for (size_t i = 0; i < jobs.size(); ++i) {
                // A savepoint per job: a job whose SQL fails leaves nothing half-written behind.
                sp.exec(u"SAVEPOINT job"_s);
                repo->clearError();
                jobs[i].work(*repo);
                if (repo->failed()) {
                    qCWarning(lcStorage) << "job failed, rolled back:" << repo->lastError();
                    sp.exec(u"ROLLBACK TO job"_s);
                }
                ok[i] = !repo->failed();
                sp.exec(u"RELEASE job"_s);
            }
            repo->clearError();
            committed = db.commit();
            if (!committed) {
                qCCritical(lcStorage) << "commit failed:" << db.lastError().text();
                db.rollback();
            }
        } else {
            qCCritical(lcStorage) << "cannot begin a transaction:" << db.lastError().text();
        }
    }
    {
        QMutexLocker lock(&m_mutex);
        ++m_transactions;
        m_jobs += jobs.size();
    }
    // One posted event per context carries every completion of this commit, in submission order.
    QHash<QObject *, std::vector<std::function<void()>>> byContext;
    QList<QObject *> order;
    for (size_t i = 0; i < jobs.size(); ++i) {
        QObject *ctx = jobs[i].context.data();
        if (!ctx || !jobs[i].done)
            continue;
        auto &list = byContext[ctx];
        if (list.empty())
            order.append(ctx);
        list.push_back([done = std::move(jobs[i].done), success = committed && ok[i]] { done(success); });
    }
    for (QObject *ctx : order) {
        QMetaObject::invokeMethod(
            ctx,
            [calls = std::move(byContext[ctx])] {
                for (const auto &call : calls)
                    call();
            },
            Qt::QueuedConnection);
    }
}

} // namespace natter::server
