#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdio>
#include <cstdlib>

namespace natter::fuzz {

// A property that must hold for every input: when it does not, prints what was fed in and what came out
// (libFuzzer saves the input as crash-<sha1>) and aborts.
inline void require(bool holds, const char *what, QByteArrayView input, const QByteArray &output = {})
{
    if (holds)
        return;
    std::fprintf(stderr, "\n*** %s does not hold\n*** input (%lld bytes): %.*s\n*** output: %s\n", what,
                 static_cast<long long>(input.size()), static_cast<int>(qMin<qsizetype>(input.size(), 4096)),
                 input.data(), output.constData());
    std::abort();
}

} // namespace natter::fuzz
