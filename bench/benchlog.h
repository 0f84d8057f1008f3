#pragma once

#include <QLoggingCategory>

// The logging category of the benchmark tool, declared once.
Q_DECLARE_LOGGING_CATEGORY(lcBench)
