#include "logging.h"

Q_LOGGING_CATEGORY(lcProtocol, "natter.protocol")
