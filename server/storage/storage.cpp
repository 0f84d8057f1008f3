#include "server/storage/storage.h"

#include "server/serverlogging.h"
#include "server/storage/repository.h"
#include "server/storage/schema.h"

namespace natter::server {

using namespace Qt::StringLiterals;

Storage::Storage(QString path, SyncMode sync, QObject *parent)
    : QObject(parent), m_path(std::move(path)), m_sync(sync), m_worker(u"natter-storage"_s)
{
}

Storage::~Storage()
{
    close();
}

bool Storage::open(QString *error)
{
    sql::OpenOptions options;
    options.path = m_path;
    options.pragmas = {
        u"PRAGMA journal_mode = WAL"_s,
        m_sync == SyncMode::Full ? u"PRAGMA synchronous = FULL"_s : u"PRAGMA synchronous = NORMAL"_s,
        u"PRAGMA busy_timeout = 5000"_s,
        u"PRAGMA temp_store = MEMORY"_s,
    };
    options.migrate = migrateSchema;
    options.checkIntegrity = true; // a damaged database stops natterd at start, not at the first message
    if (!m_worker.open(options, error))
        return false;
    m_worker.runBlocking([this](QSqlDatabase &db) { m_repo = std::make_unique<Repository>(db); });
    return true;
}

DirectorySnapshot Storage::loadDirectory(QString *error)
{
    DirectorySnapshot snapshot;
    m_worker.runBlocking([&](QSqlDatabase &) {
        m_repo->clearError();
        snapshot = m_repo->loadDirectory();
        if (m_repo->failed() && error)
            *error = u"cannot read users, devices and rooms from %1: %2"_s.arg(m_path, m_repo->lastError());
        m_repo->clearError();
    });
    return snapshot;
}

void Storage::close()
{
    if (!m_worker.isOpen())
        return;
    // Pending jobs still need the repository: the last job drops it, on its own thread, before the close.
    m_worker.submit(nullptr, [this](QSqlDatabase &) {
        m_repo.reset();
        return true;
    }, {});
    m_worker.close();
}

void Storage::submit(QObject *context, Work work, Done done)
{
    m_worker.submit(
        context,
        [this, work = std::move(work)](QSqlDatabase &) {
            if (!m_repo)
                return false; // closed
            m_repo->clearError();
            work(*m_repo);
            if (m_repo->failed())
                qCWarning(lcStorage) << "job rolled back:" << m_repo->lastError();
            return !m_repo->failed();
        },
        std::move(done));
}

} // namespace natter::server
