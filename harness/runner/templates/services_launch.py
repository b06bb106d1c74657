"""Starts an app's database servers inside its container, then the app (stdlib only: runs on the
image's python3 as the app's unprivileged user).

Read from the JSON file named on the command line: where each server's initialised template is
and where its private copy goes (a tmpfs of the container), the servers (command, port, setup),
the preparation steps (migrations, seeds; each required) and the app's own command. The server
and step logic is the local sandbox's own (``_inside.py``, copied beside this file), so both
runners start, wait for and prepare the servers the same way. The servers stay children of the
app's process tree and die with the container.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _inside  # found beside this file, through the path above


def main(config_path: str) -> int:
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    cfg |= {"env": dict(os.environ) | cfg.get("exports", {}), "limits": {}, "uid": None}
    log = os.fdopen(1, "ab", 0)
    for template, dest in cfg.get("data", []):
        shutil.copytree(template, dest, symlinks=True)
        os.chmod(dest, 0o700)  # PostgreSQL refuses a data directory others may read
    deadline = time.monotonic() + float(cfg.get("wall_seconds", 3600))
    if not _inside._start_services(cfg, log, deadline):
        return 125
    for step in cfg.get("prepare", []):
        code = _inside._step(step, cfg, log, deadline)
        if code != 0:
            log.write(f"[harness] preparation step exited with {code}\n".encode())
            log.write(f"{_inside.STEP_FAILED}{' '.join(step)}\n".encode())
            return 126
    log.write(f"[harness] $ {cfg['command']}\n".encode())
    os.execv("/bin/sh", ["/bin/sh", "-c", cfg["command"]])
    return 127  # not reached: exec replaced this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
