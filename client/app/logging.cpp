#include "logging.h"

Q_LOGGING_CATEGORY(lcUi, "natter.client.ui")
