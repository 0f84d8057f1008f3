#pragma once

#include <QSqlDatabase>
#include <QString>

namespace natter::server {

// The newest schema version this build knows (PRAGMA user_version).
int latestSchemaVersion();

// Brings the database to the latest schema, one migration step per transaction.
// Refuses a database written by a newer version.
bool migrateSchema(QSqlDatabase &db, QString *error);

} // namespace natter::server
