#pragma once

#include <QLoggingCategory>

// Every logging category of the client core, declared once.
Q_DECLARE_LOGGING_CATEGORY(lcClient)
Q_DECLARE_LOGGING_CATEGORY(lcClientNet)
Q_DECLARE_LOGGING_CATEGORY(lcClientStore)
