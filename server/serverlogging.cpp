#include "server/serverlogging.h"

Q_LOGGING_CATEGORY(lcServer, "natter.server")
Q_LOGGING_CATEGORY(lcNet, "natter.server.net")
Q_LOGGING_CATEGORY(lcStorage, "natter.server.storage")
Q_LOGGING_CATEGORY(lcRouting, "natter.server.routing")
Q_LOGGING_CATEGORY(lcAuth, "natter.server.auth")
