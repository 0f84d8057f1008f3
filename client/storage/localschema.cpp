#include "client/storage/localschema.h"

#include "common/sql/sqlworker.h"

#include <QStringList>

namespace natter::client {

using namespace Qt::StringLiterals;

namespace {

// Each step moves the schema one version up. Never edit a shipped step: add one.
const QList<QStringList> kMigrations = {
    {
        u"CREATE TABLE messages (seq INTEGER PRIMARY KEY, id INTEGER UNIQUE, cid TEXT NOT NULL,"
        " peer_key TEXT NOT NULL, peer TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL,"
        " body TEXT NOT NULL, ts_ms INTEGER NOT NULL, state INTEGER NOT NULL, own INTEGER NOT NULL)"_s,
        u"CREATE INDEX messages_by_peer ON messages (peer_key, id)"_s,
        u"CREATE UNIQUE INDEX messages_own_cid ON messages (cid) WHERE own = 1"_s,
        u"CREATE TABLE outbox (seq INTEGER PRIMARY KEY, cid TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,"
        " body TEXT NOT NULL, created_ms INTEGER NOT NULL)"_s,
        u"CREATE TABLE conversations (peer_key TEXT PRIMARY KEY, peer TEXT NOT NULL, last_id INTEGER NOT NULL"
        " DEFAULT 0, last_ts INTEGER NOT NULL DEFAULT 0, last_from TEXT NOT NULL DEFAULT '', last_body TEXT NOT"
        " NULL DEFAULT '', unread INTEGER NOT NULL DEFAULT 0, seen_upto INTEGER NOT NULL DEFAULT 0)"_s,
        u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
    },
    {
        // Receipts that overtook their `sent` (long polling answers /send and /poll on two requests):
        // a `delivered` for an id not here yet, and how far each peer has read. markSent applies them.
        u"CREATE TABLE early_receipts (id INTEGER PRIMARY KEY, state INTEGER NOT NULL)"_s,
        u"CREATE TABLE peer_reads (peer_key TEXT PRIMARY KEY, upto INTEGER NOT NULL)"_s,
        // 0: so far only seen in a history page. Its live delivery may still come and then counts as new.
        u"ALTER TABLE messages ADD COLUMN live INTEGER NOT NULL DEFAULT 1"_s,
    },
};

} // namespace

bool migrateLocalStore(QSqlDatabase &db, QString *error)
{
    return sql::applyMigrations(db, kMigrations, u"the local database"_s, error);
}

} // namespace natter::client
