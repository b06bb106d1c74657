#!/usr/bin/env bash
# Set up everything (see setup.sh) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system
.venv/bin/ruff check harness tests bench
exec .venv/bin/python -m pytest -q "$@"
