#include "client/clientlogging.h"

Q_LOGGING_CATEGORY(lcClient, "natter.client")
Q_LOGGING_CATEGORY(lcClientNet, "natter.client.net")
Q_LOGGING_CATEGORY(lcClientStore, "natter.client.store")
