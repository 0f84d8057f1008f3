#pragma once

#include <QString>

namespace natter::os {

// Names the running program the same way in every Natter executable: organisation "Natter", this name and
// the project version. QStandardPaths and QSettings derive their folders from them, and --version shows
// them. Call right after the Q*Application is constructed.
void setApplicationIdentity(const QString &name);

} // namespace natter::os
