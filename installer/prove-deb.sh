#!/usr/bin/env bash
# Proves the Debian package of Natter, in two parts:
#   --contents  builds natter_<version>_<arch>.deb with CPack from a configured, built build folder and
#               inspects it: control fields and dependencies (every library the executables link is
#               covered, the runtime plugins are there), the files, desktop-file-validate, appstreamcli
#               validate --no-net, the man pages, the unit (systemd-analyze verify), lintian when
#               installed, and the --version of the packaged executables. No root needed.
#   --install   installs that package with apt on a clean Debian 12 root (debootstrap --variant=minbase,
#               kept as a pristine copy and copied for each run), and there, in a network namespace of its
#               own (loopback only): --version of natter, natterd and natter-cli; natterd from the package
#               with two natter-cli users, one sending a message and the other receiving it; the desktop
#               app offscreen with its local server (platform plugin and SQLite driver loaded); the
#               unit with systemctl (disabled after install) and systemd-analyze; then apt-get purge
#               and a check that nothing of the package is left. Needs root and
#               debootstrap; exits 77 (skipped) when not root, and fails when CI=true and it cannot run.
# With no part named, both run. The build folder defaults to build/ci.
#
#   installer/prove-deb.sh [--contents|--install] [BUILD_DIR]
#
# Environment: NATTER_PROVE_CACHE (default BUILD_DIR/installer/prove-cache) keeps the pristine root and
# the downloaded .debs between runs; NATTER_PROVE_MIRROR overrides the Debian mirror (default: the
# machine's apt sources, else http://deb.debian.org/debian).
set -euo pipefail

mode=all
build=
for arg in "$@"; do
    case "$arg" in
        --contents) mode=contents ;;
        --install) mode=install ;;
        -h | --help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        -*) echo "prove-deb: unknown option $arg (see --help)" >&2; exit 2 ;;
        *) build=$arg ;;
    esac
done

src=$(cd "$(dirname "$0")/.." && pwd)
build=${build:-$src/build/ci}
[[ -f $build/CPackConfig.cmake ]] || { echo "prove-deb: $build is not a configured build folder (no CPackConfig.cmake)" >&2; exit 2; }
build=$(cd "$build" && pwd)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
pkgdir=$build/package
deb=$pkgdir/natter_${version}_${arch}.deb
app_id=io.github.natter.Natter
suite=bookworm
started=$SECONDS

# The package that ships a file, looked up as dpkg knows it (/lib and /usr/lib are one folder on a merged
# /usr, but dpkg records the path the package used).
owner_of() {
    local p c
    for p in "$1" "$(readlink -f "$1")"; do
        for c in "$p" "/usr$p" "${p#/usr}"; do
            dpkg -S "$c" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
        done
    done
    return 1
}
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
info() { printf '   %s\n' "$*"; }
fail() { printf '\nprove-deb: FAILED: %s\n' "$*" >&2; exit 1; }
skip() { printf 'prove-deb: SKIPPED: %s\n' "$*"; exit 77; }
elapsed() { printf '%ds' $((SECONDS - $1)); }

build_deb() {
    step "Building the package (cpack -G DEB in $build)"
    local t=$SECONDS
    rm -f "$deb"
    mkdir -p "$pkgdir"
    # Up to date first (a no-op after the build; re-runs CMake when the packaging changed).
    cmake --build "$build" --target natter natterd natter-cli natter_installer_data >"$pkgdir.build.log" 2>&1 \
        || { tail -n 30 "$pkgdir.build.log" >&2; fail "building the packaged targets failed"; }
    (cd "$build" && cpack -G DEB -B "$pkgdir" >"$pkgdir.cpack.log" 2>&1) \
        || { cat "$pkgdir.cpack.log" >&2; fail "cpack failed (log above)"; }
    [[ -f $deb ]] || fail "cpack did not make $deb"
    ok "$(basename "$deb"), $(du -k "$deb" | cut -f1) KiB, in $(elapsed $t)"
}

# ---------------------------------------------------------------------------------------------------------
contents() {
    build_deb
    tmp=$(mktemp -d)

    step "Control fields (dpkg-deb -I)"
    dpkg-deb -f "$deb" Package Version Architecture Section Maintainer Depends Recommends Suggests | sed 's/^/   /'
    [[ $(dpkg-deb -f "$deb" Package) == natter ]] || fail "Package is not natter"
    [[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
    local depends
    depends=$(dpkg-deb -f "$deb" Depends)
    # Package names in Depends, without versions; "a | b" counts both.
    local -a dep_names
    mapfile -t dep_names < <(tr ',|' '\n\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' -e '/^$/d')
    has_dep() { local d; for d in "${dep_names[@]}"; do [[ $d == "$1" ]] && return 0; done; return 1; }
    local p
    for p in qt6-qpa-plugins libqt6sql6-sqlite libqt6svg6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 \
        libqt6sql6 libqt6websockets6 libqt6httpserver6 libc6 libstdc++6; do
        has_dep "$p" || fail "Depends lacks $p"
    done
    ok "Depends names the runtime plugins (qt6-qpa-plugins, libqt6sql6-sqlite, libqt6svg6) and the Qt libraries"

    step "Files (dpkg-deb -c)"
    dpkg-deb -c "$deb" | awk '{print $1, $NF}' | grep -v '/$' | sed 's/^/   /'
    local listing
    listing=$(dpkg-deb -c "$deb" | awk '{print $1 " " $NF}')
    local f
    for f in usr/bin/natter usr/bin/natterd usr/bin/natter-cli; do
        grep -q "^-rwxr-xr-x \./$f$" <<<"$listing" || fail "$f missing or not 0755"
    done
    for f in usr/share/applications/$app_id.desktop usr/share/metainfo/$app_id.metainfo.xml \
        usr/share/icons/hicolor/scalable/apps/$app_id.svg \
        usr/share/man/man1/natter.1.gz usr/share/man/man1/natterd.1.gz usr/share/man/man1/natter-cli.1.gz \
        usr/lib/systemd/system/natterd.service usr/share/doc/natter/copyright usr/share/doc/natter/changelog.gz; do
        grep -q "^-rw-r--r-- \./$f$" <<<"$listing" || fail "$f missing or not 0644"
    done
    local size
    for size in 16 24 32 48 64 128 256; do
        grep -q "^-rw-r--r-- \./usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png$" <<<"$listing" \
            || fail "the ${size}x${size} icon is missing"
    done
    ok "three executables, desktop file, metainfo, SVG + 7 PNG icons, 3 man pages, natterd.service, copyright"
    dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -qx './postinst' || fail "postinst missing"
    dpkg-deb -e "$deb" "$tmp/control"
    if grep -v '^[[:space:]]*#' "$tmp/control/postinst" | grep -Eq 'systemctl[^|]*(enable|start)|deb-systemd'; then
        fail "postinst enables or starts a service"
    fi
    ok "maintainer scripts: postinst only reloads systemd (natterd stays disabled), prerm/postrm clean up"

    step "Linked libraries: each NEEDED library's package is in Depends"
    dpkg-deb -x "$deb" "$tmp/root"
    local bin lib path owner
    for bin in natter natterd natter-cli; do
        while read -r lib; do
            path=$(ldd "$tmp/root/usr/bin/$bin" | awk -v l="$lib" '$1 == l {print $3}')
            [[ -n $path ]] || fail "$bin: $lib not found by ldd"
            owner=$(owner_of "$path") || fail "$bin: no package owns $path"
            has_dep "$owner" || fail "$bin links $lib from $owner, which is not in Depends"
        done < <(objdump -p "$tmp/root/usr/bin/$bin" | awk '$1 == "NEEDED" {print $2}')
        ok "$bin: $(objdump -p "$tmp/root/usr/bin/$bin" | awk '$1 == "NEEDED"' | wc -l) libraries, all covered"
    done

    step "Validators"
    desktop-file-validate "$tmp/root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
    ok "desktop-file-validate $app_id.desktop"
    appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/$app_id.metainfo.xml" \
        || fail "appstreamcli validate --no-net"
    ok "appstreamcli validate --no-net $app_id.metainfo.xml"
    grep -q "<id>$app_id</id>" "$tmp/root/usr/share/metainfo/$app_id.metainfo.xml" || fail "metainfo id"
    grep -q "<release version=\"$version\" date=\"[0-9-]*\"" "$tmp/root/usr/share/metainfo/$app_id.metainfo.xml" \
        || fail "the metainfo has no release $version"
    grep -qx "Icon=$app_id" "$tmp/root/usr/share/applications/$app_id.desktop" || fail "desktop Icon="
    ok "one id everywhere: $app_id (desktop file, metainfo, icon), release $version in the metainfo"
    local page warnings
    for page in natter natterd natter-cli; do
        warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$tmp/root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null)
        [[ -z $warnings ]] || fail "man $page: $warnings"
        zgrep -q "Natter $version" "$tmp/root/usr/share/man/man1/$page.1.gz" || fail "man $page: not version $version"
    done
    ok "man pages render without warnings (man --warnings) and carry version $version"
    if command -v systemd-analyze >/dev/null; then
        # A copy whose ExecStart points into the unpacked package, so that verify finds the executable (and
        # the man page of Documentation=).
        local out unit=$tmp/unit/natterd.service
        mkdir -p "$tmp/unit"
        sed "s#/usr/bin/natterd#$tmp/root/usr/bin/natterd#" "$tmp/root/usr/lib/systemd/system/natterd.service" >"$unit"
        out=$(MANPATH="$tmp/root/usr/share/man" systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
        [[ -z $out ]] || fail "systemd-analyze verify: $out"
        ok "systemd-analyze verify natterd.service"
        out=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | grep -o 'Overall exposure level.*') || true
        [[ -n $out ]] && info "systemd-analyze security: ${out#*: }"
    else
        info "systemd-analyze not installed: natterd.service not verified"
    fi
    if command -v lintian >/dev/null; then
        # Errors fail the proof; warnings and info are shown (see docs/install.md for the ones we keep).
        local lint
        lint=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v "running with root privileges") || true
        [[ -z $lint ]] && ok "lintian: no tags" || printf '%s\n' "$lint" | sed 's/^/   lintian: /'
        grep -q '^E:' <<<"$lint" && fail "lintian reports errors"
        ok "lintian: no errors"
    else
        info "lintian not installed: skipped"
    fi

    step "The packaged executables (--version)"
    local out
    out=$("$tmp/root/usr/bin/natterd" --version) && [[ $out == "natterd $version" ]] || fail "natterd --version: $out"
    ok "$out"
    out=$("$tmp/root/usr/bin/natter-cli" --version) && [[ $out == "natter-cli $version" ]] || fail "natter-cli --version: $out"
    ok "$out"
    out=$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$tmp "$tmp/root/usr/bin/natter" --version 2>/dev/null) \
        && [[ $out == "Natter $version" ]] || fail "natter --version: $out"
    ok "$out"
    printf '\nprove-deb: the package contents are right (%s)\n' "$(elapsed $started)"
}

# ---------------------------------------------------------------------------------------------------------
# The URI the machine's apt uses for a suite (deb822 .sources or one-line .list), empty when none.
host_uri() {
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$1" '
        /^URIs:/ {u = $2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == s) {print u; exit}}')
    [[ -n $uri ]] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk -v s="$1" '$1 == "deb" && $3 == s {print $2; exit}')
    printf '%s\n' "${uri%/}"
}

tmp=
root=
mounts=()
cleanup() {
    local i m
    [[ -n $tmp ]] && rm -rf "$tmp"
    tmp=
    # Mounts of this run, then any left under the root by an interrupted run.
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
    done
    mounts=()
    if [[ -n $root ]]; then
        for m in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
            umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
        done
    fi
    if [[ -n $root && -d $root ]]; then
        if grep -q " $root/" /proc/mounts; then
            echo "prove-deb: something is still mounted under $root; not deleting it" >&2
        else
            rm -rf "$root"
        fi
    fi
    [[ -n $root ]] && rm -f "$root.before"
    return 0
}
mount_in() { # mount_in ARGS... TARGET
    mount "$@"
    mounts+=("${@: -1}")
}
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

install_proof() {
    if [[ $(id -u) -ne 0 ]]; then
        [[ ${CI:-} == true ]] && fail "the install proof needs root, and CI=true"
        skip "the install proof needs root (chroot, mounts); run: sudo $0 --install $build"
    fi
    if ! command -v debootstrap >/dev/null; then
        [[ ${CI:-} == true ]] && fail "debootstrap is not installed (scripts/setup-deps.sh installs it)"
        skip "debootstrap is not installed (apt-get install debootstrap)"
    fi
    [[ -f $deb ]] || build_deb

    local cache=${NATTER_PROVE_CACHE:-$build/installer/prove-cache}
    local pristine=$cache/$suite-minbase
    local mirror security
    mirror=${NATTER_PROVE_MIRROR:-$(host_uri $suite)}
    mirror=${mirror:-http://deb.debian.org/debian}
    security=$(host_uri $suite-security)
    mkdir -p "$cache/archives/partial" "$cache/debootstrap"

    step "A clean Debian 12 root ($suite, minbase, from $mirror)"
    local t=$SECONDS
    if [[ -x $pristine/bin/sh && -f $pristine/.natter-pristine ]]; then
        ok "reusing the pristine root in $pristine"
    else
        rm -rf "$pristine" "$pristine.new"
        debootstrap --variant=minbase --cache-dir="$cache/debootstrap" "$suite" "$pristine.new" "$mirror" \
            >"$cache/debootstrap.log" 2>&1 || { tail -n 30 "$cache/debootstrap.log" >&2; fail "debootstrap failed"; }
        touch "$pristine.new/.natter-pristine"
        mv "$pristine.new" "$pristine"
        ok "debootstrap --variant=minbase $suite in $(elapsed $t) (kept in $pristine)"
    fi
    root=$build/installer/prove-root
    cleanup # what an interrupted run left
    root=$build/installer/prove-root
    [[ ! -e $root ]] || fail "cannot clear $root (still mounted?)"
    local tc=$SECONDS
    cp -a "$pristine" "$root"
    rm -f "$root/.natter-pristine"
    ok "copied to $root in $(elapsed $tc)"

    # apt in the root: the machine's mirror for the release, its updates and security; the host's DNS;
    # the package folder and a shared download cache bound in; /proc and /dev for dpkg's scripts.
    {
        echo "deb $mirror $suite main"
        echo "deb $mirror $suite-updates main"
        if [[ -n $security ]]; then echo "deb $security $suite-security main"; fi
    } >"$root/etc/apt/sources.list"
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    mkdir -p "$root/mnt/natter-package"
    mount_in -t proc proc "$root/proc"
    mount_in --bind /dev "$root/dev"
    mount_in --bind "$cache/archives" "$root/var/cache/apt/archives"
    mount_in --bind "$pkgdir" "$root/mnt/natter-package"
    mount -o remount,bind,ro "$root/mnt/natter-package"

    step "apt-get install ./$(basename "$deb") in the clean root"
    local ti=$SECONDS
    local -a apt=(apt-get -o APT::Sandbox::User=root -o Dpkg::Use-Pty=0 -q)
    in_root "${apt[@]}" update >"$cache/apt.log" 2>&1 || { cat "$cache/apt.log" >&2; fail "apt-get update failed"; }
    local before=$root.before
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./var/cache/apt -o -path ./mnt \) -prune \
        -o -print | sort) >"$before"
    in_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "/mnt/natter-package/$(basename "$deb")" \
        >>"$cache/apt.log" 2>&1 || { tail -n 40 "$cache/apt.log" >&2; fail "apt-get install failed"; }
    local newly
    newly=$(grep -c '^Setting up ' "$cache/apt.log" || true)
    ok "installed with $newly packages in $(elapsed $ti) ($(grep -E '^Need to get|^After this operation' "$cache/apt.log" | tr '\n' ' '))"
    in_root dpkg -s natter | grep -q '^Status: install ok installed' || fail "dpkg does not list natter as installed"
    local f
    for f in /usr/bin/natter /usr/bin/natterd /usr/bin/natter-cli /usr/share/applications/$app_id.desktop \
        /usr/share/metainfo/$app_id.metainfo.xml /usr/lib/systemd/system/natterd.service; do
        [[ -e $root$f ]] || fail "$f is not installed"
    done
    ok "dpkg -s natter: install ok installed; files in /usr/bin, /usr/share, /usr/lib/systemd/system"
    [[ -e $root/etc/systemd/system/multi-user.target.wants/natterd.service ]] && fail "natterd.service got enabled"
    ok "natterd.service is not enabled"

    step "Running the installed programs (in the root, own network namespace: loopback only)"
    # The script below runs inside the root; its exit status is the verdict. 'ip link set lo up' runs with
    # the host's ip in the new namespace before chroot, so the root needs no iproute2.
    local tr=$SECONDS
    unshare --net -- sh -c 'ip link set lo up && exec chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 VERSION="$2" APP_ID="$3" /bin/bash -s' sh "$root" "$version" "$app_id" <<'IN_ROOT' \
        || fail "the installed programs did not pass (output above)"
set -euo pipefail
ok() { printf '   ok: %s\n' "$*"; }
bad() { printf '   FAILED: %s\n' "$*" >&2; for f in /tmp/natterd.log /tmp/app.log; do [ -f $f ] && tail -n 20 $f >&2; done; exit 1; }
# wait_for FILE PATTERN PID: until FILE has a line matching PATTERN; fails when PID ends first. The
# 120 s cap only ends a hung run; nothing here relies on how long anything takes.
wait_for() {
    local i
    for ((i = 0; i < 1200; i++)); do
        grep -Eq "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || { grep -Eq "$2" "$1" 2>/dev/null && return 0; bad "process $3 ended before '$2' appeared in $1"; }
        sleep 0.1
    done
    bad "no '$2' in $1 after 120 s"
}
export XDG_RUNTIME_DIR=/tmp/runtime && mkdir -p -m 0700 $XDG_RUNTIME_DIR
cd /tmp

v=$(natterd --version) && [ "$v" = "natterd $VERSION" ] || bad "natterd --version: $v"; ok "$v"
v=$(natter-cli --version) && [ "$v" = "natter-cli $VERSION" ] || bad "natter-cli --version: $v"; ok "$v"
v=$(QT_QPA_PLATFORM=offscreen natter --version) && [ "$v" = "Natter $VERSION" ] || bad "natter --version: $v"; ok "$v"
man -w natterd >/dev/null 2>&1 || [ -f /usr/share/man/man1/natterd.1.gz ] || bad "no natterd man page"

# natterd from the package, on a free port; two users, one message from alice to bob.
natterd --host 127.0.0.1 --port 0 --db /tmp/x.db --no-announce >/tmp/natterd.out 2>/tmp/natterd.log &
server=$!
wait_for /tmp/natterd.out '^natterd .* listening on 127\.0\.0\.1:[0-9]+$' $server
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' /tmp/natterd.out)
ok "$(cat /tmp/natterd.out)"
cli() { natter-cli --server 127.0.0.1:$port --data /tmp/cli --timeout 60 "$@"; }
cli --user bob --password bob-secret --register users >/tmp/bob-users.out || bad "bob --register users: exit $?"
grep -q '"user":"bob"' /tmp/bob-users.out || bad "bob is not in the user list"
ok "natter-cli --register: bob"
cli --user alice --password alice-secret --register send bob "hello from the package" >/tmp/alice-send.out \
    || bad "alice send: exit $?"
grep -q '"type":"sent"' /tmp/alice-send.out || bad "alice send: no 'sent': $(cat /tmp/alice-send.out)"
ok "natter-cli --register: alice; send bob: $(cat /tmp/alice-send.out)"
cli --user bob listen >/tmp/bob-listen.out 2>/tmp/bob-listen.log &
listener=$!
wait_for /tmp/bob-listen.out '"body":"hello from the package"' $listener
kill $listener; wait $listener || true
grep '"body":"hello from the package"' /tmp/bob-listen.out | grep -q '"from":"alice"' || bad "the message is not from alice"
ok "natter-cli listen (bob, with the stored session): $(grep -m1 '"body"' /tmp/bob-listen.out)"
kill -TERM $server
wait $server || bad "natterd did not stop cleanly on SIGTERM (exit $?)"
ok "natterd stopped cleanly on SIGTERM"

# The desktop app, offscreen, with its local server: Qt's platform plugin, the SQLite driver and the
# server inside the app must come up from the installed packages.
HOME=/tmp/apphome QT_QPA_PLATFORM=offscreen QT_DEBUG_PLUGINS=1 \
    natter --profile probe --local-server --port 0 >/tmp/app.out 2>/tmp/app.log &
app=$!
wait_for /tmp/app.log 'sqldrivers/libqsqlite\.so" loaded library' $app
# The server inside the app logs its doors once it listens (natter.server.net).
wait_for /tmp/app.log 'door listening on ws://[0-9.]+:[0-9]+/ws' $app
for plugin in platforms/libqoffscreen.so sqldrivers/libqsqlite.so; do
    grep -q "plugins/$plugin\" loaded library" /tmp/app.log || bad "natter did not load $plugin"
done
! grep -Eq 'Could not (find|load) the Qt platform plugin|Driver not loaded|QSqlDatabase: .* not loaded' /tmp/app.log \
    || bad "natter: $(grep -Em1 'Could not|Driver not loaded|not loaded' /tmp/app.log)"
kill -0 $app || bad "natter ended early"
ok "natter (offscreen) loaded libqoffscreen.so and libqsqlite.so; its local server: $(grep -Eo 'door listening on ws://[0-9.]+:[0-9]+/ws' /tmp/app.log)"
if grep -q 'plugins/iconengines/libqsvgicon.so" loaded library' /tmp/app.log; then
    ok "natter loaded the SVG icon engine (libqsvgicon.so) for its window icon"
else
    bad "natter did not load the SVG icon engine (libqsvgicon.so) for its window icon: is libqt6svg6 a dependency?"
fi
kill -TERM $app; wait $app || true
IN_ROOT
    ok "all checks passed in $(elapsed $tr)"

    step "The natterd unit with systemd's own tools (systemd installed in the root, not running)"
    local tu=$SECONDS
    in_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends systemd \
        >>"$cache/apt.log" 2>&1 || { tail -n 20 "$cache/apt.log" >&2; fail "apt-get install systemd failed"; }
    local state
    state=$(in_root systemctl is-enabled natterd.service 2>&1) || true
    [[ $state == disabled ]] || fail "systemctl is-enabled natterd.service: '$state', expected 'disabled'"
    ok "systemctl is-enabled natterd.service: disabled (the package enables nothing)"
    # --man=no: the root has no man-db (the man page itself is checked above and in --contents).
    in_root systemd-analyze verify --man=no natterd.service >"$root/tmp/verify.log" 2>&1 \
        || { cat "$root/tmp/verify.log" >&2; fail "systemd-analyze verify natterd.service in the root"; }
    ok "systemd-analyze verify natterd.service: clean"
    in_root systemctl enable natterd.service >/dev/null 2>&1 || fail "systemctl enable natterd.service"
    [[ -L $root/etc/systemd/system/multi-user.target.wants/natterd.service ]] || fail "enable made no link"
    ok "systemctl enable natterd.service (as an administrator would) links it into multi-user.target ($(elapsed $tu))"

    step "apt-get purge natter"
    local tp=$SECONDS
    in_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge -y natter >>"$cache/apt.log" 2>&1 \
        || { tail -n 20 "$cache/apt.log" >&2; fail "apt-get purge failed"; }
    in_root dpkg -L natter >/dev/null 2>&1 && fail "dpkg still lists natter's files"
    in_root dpkg -s natter 2>/dev/null | grep -q '^Status: install' && fail "natter is still installed"
    ok "purged in $(elapsed $tp); dpkg -L natter lists nothing"
    local path left=()
    while read -r path; do
        path=${path#.}
        path=${path%/}
        [[ -z $path || $path == / ]] && continue
        if [[ -e $root$path || -L $root$path ]]; then
            # A folder that was there before, or that another package installed too, is not ours.
            grep -qxF ".$path" "$before" && continue
            [[ -d $root$path ]] && in_root dpkg -S "$path" >/dev/null 2>&1 && continue
            left+=("$path")
        fi
    done < <(dpkg-deb -c "$deb" | awk '{print $NF}')
    ((${#left[@]} == 0)) || fail "left behind after purge: ${left[*]}"
    compgen -G "$root/usr/bin/natter*" >/dev/null && fail "/usr/bin/natter* is still there"
    [[ -e $root/etc/systemd/system/multi-user.target.wants/natterd.service \
        || -L $root/etc/systemd/system/multi-user.target.wants/natterd.service ]] \
        && fail "the link of the enabled natterd.service is left behind"
    ok "the prerm disabled the service: no natterd.service link is left in /etc/systemd/system"
    ok "nothing of the package is left (each path of dpkg-deb -c checked; /usr/bin/natter* gone)"
    [[ -f $root/tmp/x.db ]] && ok "the user's data stays: /tmp/x.db (natterd), /tmp/cli (natter-cli), /tmp/apphome (natter)"

    cleanup
    printf '\nprove-deb: the package installs, runs and purges cleanly on Debian 12 (%s)\n' "$(elapsed $started)"
}

trap cleanup EXIT
trap 'exit 130' INT TERM
case $mode in
    contents) contents ;;
    install) install_proof ;;
    all) contents && install_proof ;;
esac
