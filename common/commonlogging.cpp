#include "common/commonlogging.h"

Q_LOGGING_CATEGORY(lcProtocol, "natter.protocol")
