#pragma once

#include <QLoggingCategory>

// The desktop app's logging category, declared once for natter_app_lib.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
