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
