#include "server/storage/schema.h"

#include "common/sql/sqlworker.h"

#include <QStringList>

namespace natter::server {

using namespace Qt::StringLiterals;

namespace {

// Each step moves the schema from version i to i + 1. Never edit a step that has shipped: add one.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps = {
        // 0 -> 1: the first schema.
        {
            u"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,"
            " password TEXT NOT NULL, created_ms INTEGER NOT NULL)"_s,
            u"CREATE TABLE devices (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
            " name TEXT NOT NULL, created_ms INTEGER NOT NULL, UNIQUE (user_id, name))"_s,
            u"CREATE TABLE tokens (hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
            " device_id INTEGER NOT NULL REFERENCES devices(id), created_ms INTEGER NOT NULL) WITHOUT ROWID"_s,
            u"CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,"
            " created_ms INTEGER NOT NULL)"_s,
            u"CREATE TABLE members (room_id INTEGER NOT NULL REFERENCES rooms(id),"
            " user_id INTEGER NOT NULL REFERENCES users(id), PRIMARY KEY (room_id, user_id)) WITHOUT ROWID"_s,
            u"CREATE TABLE messages (id INTEGER PRIMARY KEY, sender_id INTEGER NOT NULL, cid TEXT NOT NULL,"
            " conv TEXT NOT NULL, from_name TEXT NOT NULL, to_name TEXT NOT NULL, body TEXT NOT NULL,"
            " ts_ms INTEGER NOT NULL, peer_id INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0,"
            " UNIQUE (sender_id, cid))"_s,
            u"CREATE INDEX messages_by_conv ON messages (conv, id)"_s,
            u"CREATE TABLE queue (device_id INTEGER NOT NULL, message_id INTEGER NOT NULL,"
            " PRIMARY KEY (device_id, message_id)) WITHOUT ROWID"_s,
            u"CREATE TABLE contacts (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID"_s,
            u"CREATE TABLE reads (reader_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, upto INTEGER NOT NULL,"
            " PRIMARY KEY (reader_id, peer_id)) WITHOUT ROWID"_s,
        },
    };
    return steps;
}

} // namespace

int latestSchemaVersion()
{
    return int(migrations().size());
}

bool migrateSchema(QSqlDatabase &db, QString *error)
{
    return sql::applyMigrations(db, migrations(), u"the database"_s, error);
}

} // namespace natter::server
