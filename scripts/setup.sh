#!/usr/bin/env bash
# Set up the harness on a fresh machine: a virtualenv in .venv with the package and its tools
# (bandit, semgrep, ...). With --system (as root) also the system parts the full test suite uses:
# Debian's chromium (HTML report rendering) and a Docker engine with the base image (docker runner).
set -euo pipefail
cd "$(dirname "$0")/.."

system=0
[ "${1:-}" = "--system" ] && system=1

py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python >= 3.11 is needed ($py is $("$py" --version 2>&1))" >&2
  exit 2
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,ray]"

command -v node >/dev/null || echo "setup: note: node is not installed; Express apps cannot be started" >&2

# The default sandbox of scored apps (bubblewrap): installed whenever setup may install packages;
# without it the harness says, in every scorecard, that the sandbox is incomplete.
if ! command -v bwrap >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq bubblewrap >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; }
  else
    echo "setup: note: bubblewrap (bwrap) is not installed; apps run in a weaker sandbox" >&2
  fi
fi

if [ "$system" = 1 ] && [ "$(id -u)" = 0 ]; then
  if ! command -v chromium >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  # Database servers the harness starts privately for apps that need them (never as system
  # services: policy-rc.d keeps the packages from starting their own instances).
  need=()
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  command -v mariadbd >/dev/null || need+=(mariadb-server)
  command -v redis-server >/dev/null || need+=(redis-server)
  if [ "${#need[@]}" -gt 0 ]; then
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
      created_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }
    [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  fi
  # The MongoDB-compatible server for Mongo-backed apps: FerretDB, a Go module, built once into
  # the harness cache (minutes cold; nothing when built). Without Go, Mongo apps say `error`.
  # It builds in the background, with every core, while the Docker engine is provisioned.
  mongo_pid=""
  if command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; then
    ( HARNESS_APP_CPUS="$(nproc)" .venv/bin/python -c \
        'from harness.runner import build_mongo_server as b; print("setup: mongo server", b())' \
      || echo "setup: note: the MongoDB-compatible server did not build; Mongo apps will say error" >&2 ) &
    mongo_pid=$!
  fi
  if [ -x .ci/docker-engine.sh ] || [ -f .ci/docker-engine.sh ]; then
    bash .ci/docker-engine.sh
  fi
  if [ -n "$mongo_pid" ]; then wait "$mongo_pid" || true; fi
fi
echo "setup: ready (.venv/bin/harness)"
