#!/usr/bin/env bash
# Installs Natter's build and test dependencies on Debian 12 when any is missing. Idempotent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev qt6-httpserver-dev libqt6sql6-sqlite libqt6sql6-psql
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-translations-l10n qtkeychain-qt6-dev
  xvfb xauth fonts-dejavu-core fonts-nanum fonts-noto-color-emoji openssl ca-certificates curl
  # the app's SVG window icon at run time; the .deb and its proof (installer/prove-deb.sh)
  libqt6svg6 librsvg2-bin desktop-file-utils appstream lintian man-db debootstrap iproute2 binutils
  # the libFuzzer targets (scripts/fuzz.sh): clang 14 with its fuzzer and sanitizer runtimes
  clang libfuzzer-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup-deps: run as root or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
