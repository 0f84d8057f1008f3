#include "client/app/applogging.h"

Q_LOGGING_CATEGORY(lcUi, "natter.client.ui")
