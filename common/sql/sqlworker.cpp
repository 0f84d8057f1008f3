#include "common/sql/sqlworker.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcSql, "natter.sql")

namespace natter::sql {

using namespace Qt::StringLiterals;

namespace {

// A database that opens may still be unusable: damaged pages, or a file or folder that cannot be written.
// Both are found at start, not at the first message.
bool checkIntact(QSqlDatabase &db, const QString &path, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA quick_check"_s) || !q.next()) {
        *error = u"the database %1 cannot be checked: %2"_s.arg(path, q.lastError().text());
        return false;
    }
    if (const QString verdict = q.value(0).toString(); verdict != "ok"_L1) {
        *error = u"the database %1 is damaged (PRAGMA quick_check: %2); restore it from a backup or move it "
                 "away to start with an empty one"_s.arg(path, verdict.left(200));
        return false;
    }
    return true;
}

// In WAL mode BEGIN IMMEDIATE alone succeeds on a read-only file: the probe writes the header's
// user_version with its own value, then rolls back.
bool checkWritable(QSqlDatabase &db, const QString &path, QString *error)
{
    QSqlQuery q(db);
    bool probed = q.exec(u"BEGIN IMMEDIATE"_s) && q.exec(u"PRAGMA user_version"_s) && q.next();
    if (probed) {
        const qint64 version = q.value(0).toLongLong();
        q.finish();
        probed = q.exec(u"PRAGMA user_version = %1"_s.arg(version));
    }
    const QString why = q.lastError().text();
    q.exec(u"ROLLBACK"_s);
    if (!probed) {
        *error = u"the database %1 cannot be written (%2): check that the file and its folder belong to "
                 "this user and that the disk is not full"_s.arg(path, why);
        return false;
    }
    return true;
}

} // namespace

bool applyMigrations(QSqlDatabase &db, const QList<QStringList> &steps, const QString &what, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next()) {
        *error = u"cannot read the schema version of %1: %2"_s.arg(what, q.lastError().text());
        return false;
    }
    int version = q.value(0).toInt();
    q.finish();
    if (version > steps.size()) {
        *error = u"%1 has schema version %2, newer than this program understands (%3)"_s.arg(what).arg(version).arg(
            steps.size());
        return false;
    }
    for (; version < steps.size(); ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        bool ok = true;
        for (const QString &sql : steps.at(version)) {
            if (!q.exec(sql)) {
                *error = u"%1 (%2)"_s.arg(q.lastError().text(), sql.left(60));
                ok = false;
                break;
            }
        }
        if (ok && !q.exec(u"PRAGMA user_version = %1"_s.arg(version + 1))) {
            *error = q.lastError().text();
            ok = false;
        }
        if (!ok || !db.commit()) {
            if (ok)
                *error = db.lastError().text();
            db.rollback();
            return false;
        }
        qCInfo(lcSql).noquote() << u"%1 migrated to schema version %2"_s.arg(what).arg(version + 1);
    }
    return true;
}

SqlWorker::SqlWorker(const QString &threadName, QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(threadName);
}

SqlWorker::~SqlWorker()
{
    close();
}

bool SqlWorker::open(const OpenOptions &options, QString *error)
{
    m_threadObject = new QObject;
    m_threadObject->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_threadObject, &QObject::deleteLater);
    m_thread.start();
    m_connectionName = m_thread.objectName() + u'-' + QUuid::createUuid().toString(QUuid::WithoutBraces);

    bool ok = false;
    QMetaObject::invokeMethod(
        m_threadObject,
        [&] {
            const QFileInfo info(options.path);
            if (!QDir().mkpath(info.absolutePath())) {
                *error = u"cannot create the folder %1"_s.arg(info.absolutePath());
                return;
            }
            if (info.isDir()) {
                *error = u"%1 is a folder, not a database file"_s.arg(options.path);
                return;
            }
            if (!info.exists()) {
                // Messages and password hashes are nobody else's business: the file (and so SQLite's -wal
                // and -shm files, which take its mode) is the owner's only.
                QFile file(options.path);
                if (!file.open(QIODevice::WriteOnly)
                    || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
                    *error = u"cannot create the database %1: %2"_s.arg(options.path, file.errorString());
                    return;
                }
            }
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
            db.setDatabaseName(options.path);
            if (!db.open()) {
                *error = u"cannot open the database %1: %2"_s.arg(options.path, db.lastError().text());
                return;
            }
            if (options.checkIntegrity && !checkIntact(db, options.path, error))
                return;
            QSqlQuery q(db);
            for (const QString &pragma : options.pragmas) {
                if (!q.exec(pragma)) {
                    *error = u"cannot use the database %1: %2"_s.arg(options.path, q.lastError().text());
                    return;
                }
                q.finish();
            }
            if (!checkWritable(db, options.path, error))
                return;
            if (options.migrate && !options.migrate(db, error)) {
                *error = u"cannot use the database %1: %2"_s.arg(options.path, *error);
                return;
            }
            ok = true;
        },
        Qt::BlockingQueuedConnection);
    if (!ok)
        close();
    return ok;
}

void SqlWorker::runBlocking(const std::function<void(QSqlDatabase &)> &fn)
{
    if (!isOpen())
        return;
    QMetaObject::invokeMethod(
        m_threadObject,
        [&] {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            fn(db);
        },
        Qt::BlockingQueuedConnection);
}

void SqlWorker::close()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_threadObject,
        [this] {
            drain();
            {
                QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(m_connectionName);
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_threadObject = nullptr;
}

void SqlWorker::submit(QObject *context, Work work, Done done)
{
    bool post = false;
    {
        QMutexLocker lock(&m_mutex);
        m_pending.push_back(Job{context, std::move(work), std::move(done)});
        post = !m_wakePosted;
        m_wakePosted = true;
    }
    if (post && m_threadObject)
        QMetaObject::invokeMethod(m_threadObject, [this] { drain(); }, Qt::QueuedConnection);
}

quint64 SqlWorker::transactionCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_transactions;
}

quint64 SqlWorker::jobCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_jobs;
}

bool SqlWorker::runIsolated(QSqlDatabase &db, std::vector<Job> &jobs, std::vector<char> &ok)
{
    if (!db.transaction()) {
        qCCritical(lcSql) << "cannot begin a transaction:" << db.lastError().text();
        return false;
    }
    QSqlQuery savepoint(db), release(db), rollback(db);
    savepoint.prepare(u"SAVEPOINT job"_s);
    release.prepare(u"RELEASE job"_s);
    rollback.prepare(u"ROLLBACK TO job"_s);
    for (size_t i = 0; i < jobs.size(); ++i) {
        savepoint.exec();
        ok[i] = jobs[i].work(db);
        if (!ok[i]) {
            qCWarning(lcSql) << "a job failed and was rolled back";
            rollback.exec();
        }
        release.exec();
    }
    if (db.commit())
        return true;
    qCCritical(lcSql) << "commit failed:" << db.lastError().text();
    db.rollback();
    return false;
}

void SqlWorker::drain()
{
    std::vector<Job> jobs;
    {
        QMutexLocker lock(&m_mutex);
        jobs.swap(m_pending);
        m_wakePosted = false;
    }
    if (jobs.empty())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    std::vector<char> ok(jobs.size(), 0);
    bool committed = false;
    // Fast path: the whole batch in one transaction, no savepoints. Jobs hardly ever fail; when one does,
    // the batch is rolled back and run again with a savepoint per job, so the failing job alone is undone.
    // (Jobs only compute results and write SQL; effects on memory happen in their completions.)
    if (db.isOpen() && db.transaction()) {
        bool allOk = true;
        for (size_t i = 0; i < jobs.size() && allOk; ++i)
            allOk = jobs[i].work(db);
        if (allOk) {
            std::fill(ok.begin(), ok.end(), 1);
            committed = db.commit();
        }
        if (!committed) {
            db.rollback();
            committed = runIsolated(db, jobs, ok);
        }
    } else {
        qCCritical(lcSql) << "cannot begin a transaction:" << db.lastError().text();
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

} // namespace natter::sql
