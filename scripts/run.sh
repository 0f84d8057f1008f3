#!/usr/bin/env bash
# Sets everything up, builds, and runs Natter: the desktop app `natter` when a display is available
# ($DISPLAY or $WAYLAND_DISPLAY), by default with `--local-server` (a server in the app on port 7470,
# SQLite in the app-data folder, the sign-in dialog filled with its address); otherwise the server,
# natterd, in the foreground with SQLite in the app-data folder. Extra arguments go to the program that
# runs instead of the default, e.g. ./scripts/run.sh --profile bob (the app, no local server) or
# ./scripts/run.sh --port 7471 (natterd, without a display).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    (($# > 0)) || set -- --local-server
    exec ./build/release/client/app/natter "$@"
fi
exec ./build/release/server/natterd "$@"
