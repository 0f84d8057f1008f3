#!/usr/bin/env bash
# A manual demo, not a test: two people on one machine. Under a virtual X server (Xvfb), starts two real
# `natter` processes with their own profiles, alice-demo (with a local server on a free port) and
# bob-demo, lets them come up, takes a screenshot of the whole screen, and stops them. Alice's sign-in
# dialog is filled with her server's address; Bob's lists the server it heard on the network.
#
#   ./scripts/demo-two-profiles.sh [OUTPUT.png]     (default: ./demo-two-profiles.png)
#
# Everything the apps write (settings, accounts, the server's database) goes to a temporary HOME and XDG
# folders, removed at the end: your own profiles are never touched. Set NATTER=/path/to/natter to use a
# particular build; otherwise the newest build under build/ is used, or build/dev is built. Like any
# `natter --local-server`, Alice's server listens on all interfaces and announces itself on the LAN
# while the demo runs (a few seconds). Missing packages (xvfb, xauth, ImageMagick for `import`, a font)
# are installed with apt-get (sudo when not root).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [[ -z "${NATTER_DEMO_INNER:-}" ]]; then
    OUT="$(realpath -m "${1:-demo-two-profiles.png}")"
    missing=()
    command -v xvfb-run >/dev/null || missing+=(xvfb)
    command -v xauth >/dev/null || missing+=(xauth)
    command -v import >/dev/null || missing+=(imagemagick)
    dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
    if ((${#missing[@]})); then
        SUDO=()
        ((EUID == 0)) || SUDO=(sudo)
        echo "demo: installing ${missing[*]}" >&2
        "${SUDO[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi

    if [[ -z "${NATTER:-}" ]]; then
        for candidate in "$ROOT"/build/*/client/app/natter; do
            if [[ -x "$candidate" && ( -z "${NATTER:-}" || "$candidate" -nt "$NATTER" ) ]]; then
                NATTER="$candidate"
            fi
        done
        if [[ -z "$NATTER" ]]; then
            echo "demo: no natter build found: building build/dev" >&2
            (cd "$ROOT" && cmake --preset dev >/dev/null && cmake --build --preset dev --target natter)
            NATTER="$ROOT/build/dev/client/app/natter"
        fi
    fi
    [[ -x "$NATTER" ]] || { echo "demo: $NATTER is not an executable" >&2; exit 1; }

    # The two windows side by side on a 1920x1080 screen.
    export NATTER NATTER_DEMO_OUT="$OUT" NATTER_DEMO_INNER=1
    exec xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" "$0"
fi

# --- inside Xvfb -------------------------------------------------------------------------------------
TMP="$(mktemp -d -t natter-demo.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

# A throw-away home for both people; no session bus, so that no keychain of yours is asked either.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache"
export XDG_RUNTIME_DIR="$TMP/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY
export QT_QPA_PLATFORM=xcb LANG=C.UTF-8

free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo 7475
}
PORT="$(free_port)"

"$NATTER" --profile alice-demo --local-server --port "$PORT" -qwindowgeometry 940x700+10+40 \
    >"$TMP/alice.log" 2>&1 &
pids+=($!)
"$NATTER" --profile bob-demo -qwindowgeometry 940x700+970+40 >"$TMP/bob.log" 2>&1 &
pids+=($!)

# Alice's server is up when its port answers; Bob's dialog lists it after the next announcement (every 3 s).
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.2
done
for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "demo: natter exited early:" >&2; cat "$TMP"/*.log >&2; exit 1; }
done
sleep 5

import -window root "$NATTER_DEMO_OUT"
echo "demo: alice-demo (local server on 127.0.0.1:$PORT) and bob-demo: screenshot $NATTER_DEMO_OUT"
