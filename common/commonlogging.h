#pragma once

#include <QLoggingCategory>

// Every logging category of the common library, declared once.
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
