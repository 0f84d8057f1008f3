#pragma once

#include <QSqlDatabase>
#include <QString>

namespace natter::client {

// Brings the local store's database to the newest schema (PRAGMA user_version), step by step.
bool migrateLocalStore(QSqlDatabase &db, QString *error);

} // namespace natter::client
