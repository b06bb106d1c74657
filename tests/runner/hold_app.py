"""Starts an app with the local runner, says READY with its details, then waits to be killed.

Used by the interruption tests: ``python hold_app.py <app dir> <tag> <isolation>``.
"""

from __future__ import annotations

import json
import sys
import time

from harness.app import detect_app
from harness.runner import start_app


def main() -> None:
    app_dir, tag, isolation = sys.argv[1], sys.argv[2], sys.argv[3]
    profile = detect_app(app_dir)
    with start_app(profile, env={"TEST_TAG": tag}, isolation=isolation, startup_timeout=60) as app:
        info = {"workdir": str(app.workdir), "run_id": app.run_id, "isolation": app.isolation}
        print("READY " + json.dumps(info), flush=True)
        time.sleep(120)


if __name__ == "__main__":
    main()
