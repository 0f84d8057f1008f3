#include "bench/benchlog.h"

// Debug output is off unless enabled, e.g. QT_LOGGING_RULES="natter.bench.debug=true".
Q_LOGGING_CATEGORY(lcBench, "natter.bench", QtInfoMsg)
