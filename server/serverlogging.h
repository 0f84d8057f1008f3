#pragma once

#include <QLoggingCategory>

// Every logging category of the server, declared once.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcRouting)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
