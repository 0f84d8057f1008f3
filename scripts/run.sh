#!/usr/bin/env bash
# Sets everything up, builds, and runs Natter. Until the desktop client exists (and on any machine
# without a display) this runs the server, natterd, in the foreground with SQLite in the app-data folder.
# Extra arguments go to natterd, e.g. ./scripts/run.sh --port 7471
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec ./build/release/server/natterd "$@"
