#!/usr/bin/env bash
# Set up and run the main job on the bundled defaults: score the bundled Flask backend with
# planted defects against the bundled "backend" agent, static and live, and say where the
# reports are. Exit code 1 here means the gate found broken promises, as it should.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/harness score todo-flask-bad --agent backend --task todo-api \
  --format json,md,html,junit,sarif "$@"
