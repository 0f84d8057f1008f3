#!/usr/bin/env bash
# Sets everything up, builds, and runs Natter: the desktop app `natter` when a display is available
# ($DISPLAY or $WAYLAND_DISPLAY), otherwise the server, natterd, in the foreground with SQLite in the
# app-data folder. Extra arguments go to the program that runs, e.g. ./scripts/run.sh --profile bob
# (the app) or ./scripts/run.sh --port 7471 (natterd, without a display).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    exec ./build/release/client/app/natter "$@"
fi
exec ./build/release/server/natterd "$@"
