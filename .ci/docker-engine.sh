#!/usr/bin/env bash
# Provision a Docker engine and the harness base image on a Debian (bookworm) machine, as root.
#
# Idempotent: every step is skipped when its result is already there, so a warm run takes about
# a second. Steps:
#   1. install docker.io and debootstrap with apt-get (only when dockerd or debootstrap is missing)
#   2. start dockerd in the background (only when no engine answers `docker info`)
#   3. wait, bounded, until the engine answers
#   4. build agent-harness/base:bookworm (only when absent or of an older recipe): debootstrap
#      minbase from the mirror
#      apt already uses, python3 + venv, the host's node binary (same glibc), `docker import`,
#      then a tiny `docker build` layer with a ready virtualenv and an unprivileged user.
#
# Images cannot be pulled on this machine (no registry), hence debootstrap + import.
# Environment knobs: HARNESS_DOCKER_DATA_ROOT (default /var/lib/docker),
# HARNESS_DOCKER_WAIT (seconds, default 60). The image names are fixed: harness/runner/_images.py
# uses the same ones. Logs go to /var/log/agent-harness/.
set -euo pipefail

BASE_IMAGE="agent-harness/base:bookworm"
ROOTFS_IMAGE="agent-harness/rootfs:bookworm"
# Bump when the recipe below changes: machines holding an older base image rebuild it.
BASE_VERSION=1
DATA_ROOT="${HARNESS_DOCKER_DATA_ROOT:-/var/lib/docker}"
WAIT_S="${HARNESS_DOCKER_WAIT:-60}"
LOG_DIR="/var/log/agent-harness"
SUITE="bookworm"

T_START=$(date +%s.%N)
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "[docker-engine] $*"; }

if [ "$(id -u)" != "0" ]; then
  say "must run as root (installs packages, starts dockerd)"; exit 2
fi

# The real docker CLI: prefer one that answers (a newer client in /usr/local/bin works too).
docker_cli() { command -v docker || echo /usr/bin/docker; }

engine_answers() { timeout 10 "$(docker_cli)" info >/dev/null 2>&1; }

# --- 1. packages ------------------------------------------------------------------------------
t=$(now)
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's init script from starting dockerd with its own flags; we start it below.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # Only refresh the lists when an install from the current ones fails (saves ~2 s when warm).
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/agent-harness-apt.log 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/agent-harness-apt.log 2>&1 \
      || { tail -20 /tmp/agent-harness-apt.log; exit 1; }
  fi
  if trap -p EXIT | grep -q policy-rc.d; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  say "installed ${need[*]} in $(elapsed "$t") s"
else
  say "docker.io and debootstrap already installed"
fi

# --- 2./3. engine -----------------------------------------------------------------------------
t=$(now)
if engine_answers; then
  say "engine already answers"
else
  mkdir -p "$LOG_DIR" "$DATA_ROOT"
  # --iptables=false --ip-masq=false: dockerd leaves the host's firewall alone (the machine is
  #   shared; its iptables mixes nft and legacy tables) and adds no outbound NAT, so untrusted apps
  #   get no route to the outside. Ports published on 127.0.0.1 still work: docker-proxy (the
  #   userland proxy) forwards them over the bridge.
  # overlay2 on the ext4 root works here; vfs is the fallback (copies whole layers, much slower)
  # and is used only when overlay2 itself fails. A data root that already holds one driver's
  # layers keeps that driver (the other would not see the images).
  driver="overlay2"
  if [ -d "$DATA_ROOT/vfs" ] && [ ! -d "$DATA_ROOT/overlay2" ]; then driver="vfs"; fi
  grep -qw overlay /proc/filesystems || driver="vfs"
  clear_stale_pidfiles() {
    # A dockerd/containerd killed with its session leaves pid files behind; dockerd refuses to
    # start while the pid in them names a process, even a zombie or an unrelated one.
    local f pid
    for f in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
      [ -f "$f" ] || continue
      pid=$(cat "$f" 2>/dev/null || true)
      if [ -z "$pid" ] || ! grep -qs -e dockerd -e containerd "/proc/$pid/cmdline" \
        || grep -qs '^State:.*[ZX]' "/proc/$pid/status"; then
        rm -f "$f"
      fi
    done
  }
  start_dockerd() {
    clear_stale_pidfiles
    # containerd is started by dockerd itself when none runs (the docker.io package's default).
    setsid nohup dockerd --data-root "$DATA_ROOT" --storage-driver "$1" --iptables=false \
      --ip-masq=false --host unix:///var/run/docker.sock \
      >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
    echo $! >/var/run/agent-harness-dockerd.pid
  }
  : >"$LOG_DIR/dockerd.log"
  start_dockerd "$driver"
  retried=0
  deadline=$(( $(date +%s) + WAIT_S ))
  until engine_answers; do
    if ! kill -0 "$(cat /var/run/agent-harness-dockerd.pid)" 2>/dev/null; then
      if [ "$retried" = 0 ]; then
        retried=1
        if [ "$driver" = "overlay2" ] && grep -qiE "graphdriver|overlay.*(not supported|invalid argument|failed)" "$LOG_DIR/dockerd.log"; then
          driver="vfs"
        fi
        say "dockerd exited; retrying once with $driver:"; tail -3 "$LOG_DIR/dockerd.log"
        sleep 1; start_dockerd "$driver"; continue
      fi
      say "dockerd exited:"; tail -30 "$LOG_DIR/dockerd.log"; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "engine did not answer within ${WAIT_S} s:"; tail -30 "$LOG_DIR/dockerd.log"; exit 1
    fi
    sleep 0.5
  done
  say "started dockerd (storage driver $driver, data root $DATA_ROOT) in $(elapsed "$t") s"
fi

# --- 4. base image ----------------------------------------------------------------------------
DOCKER="$(docker_cli)"
have=$("$DOCKER" image inspect -f '{{ index .Config.Labels "agent-harness.base-version" }}' \
  "$BASE_IMAGE" 2>/dev/null || true)
if [ "$have" = "$BASE_VERSION" ]; then
  say "base image $BASE_IMAGE (recipe $BASE_VERSION) already present"
else
  if [ -n "$have" ]; then
    say "base image $BASE_IMAGE has recipe '$have', rebuilding as $BASE_VERSION"
    "$DOCKER" image rm -f "$BASE_IMAGE" "$ROOTFS_IMAGE" >/dev/null 2>&1 || true
  fi
  if ! "$DOCKER" image inspect "$ROOTFS_IMAGE" >/dev/null 2>&1; then
    t=$(now)
    # The mirror apt already uses for the suite (deb822 .sources or one-line .list files).
    mirror=$(
      { cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } | awk -v s="$SUITE" '
        /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) found = uri }
        /^$/ { uri = "" } END { if (found) print found }'
    )
    if [ -z "$mirror" ]; then
      mirror=$(grep -hE "^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+$SUITE[[:space:]]" \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | awk '{ print $1; exit }' || true)
    fi
    [ -n "$mirror" ] || { say "no apt source for $SUITE found in /etc/apt"; exit 1; }

    include="python3,python3-venv,ca-certificates,libstdc++6,sqlite3"
    node_bin="$(command -v node || true)"
    # The host's node runs in the image when its libraries resolve there (same Debian release).
    if [ -z "$node_bin" ] || ! ldd "$node_bin" >/dev/null 2>&1; then
      include="$include,nodejs"; node_bin=""
    fi
    rootfs=$(mktemp -d /var/tmp/agent-harness-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    cache="/var/cache/agent-harness/debootstrap"
    mkdir -p "$cache"
    debootstrap --variant=minbase --include="$include" --cache-dir="$cache" \
      "$SUITE" "$rootfs" "$mirror" >"$LOG_DIR/debootstrap.log" 2>&1 \
      || { tail -30 "$LOG_DIR/debootstrap.log"; exit 1; }
    say "debootstrap ($mirror) in $(elapsed "$t") s"
    t=$(now)
    if [ -n "$node_bin" ]; then
      install -m 0755 "$(readlink -f "$node_bin")" "$rootfs/usr/local/bin/node"
      chroot "$rootfs" /usr/local/bin/node --version >/dev/null \
        || { say "host node does not run in the image"; exit 1; }
    fi
    # Nothing in the image should ever talk to a registry; drop apt's lists and caches.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
      "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/locale
    tar -C "$rootfs" -c . | "$DOCKER" import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
      -c 'CMD ["/bin/bash"]' - "$ROOTFS_IMAGE" >/dev/null
    rm -rf "$rootfs"; trap - EXIT
    say "docker import in $(elapsed "$t") s"
  fi
  t=$(now)
  ctx=$(mktemp -d)
  cat >"$ctx/Dockerfile" <<EOF
FROM $ROOTFS_IMAGE
# One virtualenv for the app's wheels (Debian's python refuses system-wide pip installs),
# and an unprivileged user the apps run as.
RUN python3 -m venv /opt/venv \\
 && useradd --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin app \\
 && mkdir -p /app /opt/agent-harness && chown app:app /app
ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \\
    PIP_NO_INDEX=1 HOME=/tmp
LABEL agent-harness.base=1 agent-harness.base-version=$BASE_VERSION
WORKDIR /app
EOF
  DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q -t "$BASE_IMAGE" "$ctx" >/dev/null 2>&1 \
    || DOCKER_BUILDKIT=0 "$DOCKER" build --network none -t "$BASE_IMAGE" "$ctx"
  rm -rf "$ctx"
  say "built $BASE_IMAGE in $(elapsed "$t") s"
fi

say "ready in $(elapsed "$T_START") s total ($("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null) engine)"
