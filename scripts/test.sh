#!/usr/bin/env bash
# Sets everything up, builds with warnings as errors, and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j "$(nproc)"

# The app without QtKeychain (as on a platform without it): builds warning-free, and its widget tests pass
# with the token kept in the local store.
cmake --preset ci -B build/ci-nokeychain -DNATTER_USE_QTKEYCHAIN=OFF -DNATTER_BUILD_BENCH=OFF >/dev/null
cmake --build build/ci-nokeychain --target tst_app tst_appux
(cd build/ci-nokeychain && ctest -R '^tst_app(ux)?$' --output-on-failure -j "$(nproc)")

# The server and client-core tests once more under AddressSanitizer and UndefinedBehaviorSanitizer (gcc,
# build/asan): any report fails the test (-fno-sanitize-recover, halt_on_error), leaks included. The
# widget and installer tests are left out: they test the same core through the UI, at several times the cost.
asan_tests=(tst_codec tst_serverevents tst_discovery tst_store tst_router tst_websocket tst_longpoll tst_crash tst_backoff
  tst_localstore tst_chatclient tst_models tst_announce tst_serverurl)
cmake --preset ci -B build/asan -DNATTER_SANITIZE=ON -DNATTER_BUILD_BENCH=OFF >/dev/null
cmake --build build/asan --target "${asan_tests[@]}"
(cd build/asan &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -R "^($(IFS='|'; echo "${asan_tests[*]}"))\$" --output-on-failure -j "$(nproc)")

# The libFuzzer targets (clang, build/fuzz): a short fixed run of each over its seed corpus.
./scripts/fuzz.sh 200000
