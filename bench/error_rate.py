"""Share of scorecards that carry any `error` verdict, over every bundled and test app.

Scores each app (live, through `python -m harness score`, one at a time) with the given agent, or
against every requirement when none is given, and prints every `error` verdict with its reason,
then `apps with any error / apps scored`. Single-file test apps (tests/probes/apps/*.py) are copied
into a folder of their own as app.py, with the sibling modules they import.

Apps: fixtures/apps/*, tests/corpus/apps/*, tests/probes/apps/*.py, tests/probes/suite_apps/*;
or the paths given with --app.

Run: PYTHONPATH=. .venv/bin/python bench/error_rate.py [--agent backend] [--app PATH ...]
     [--out /tmp/error-rate]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("fixtures/apps", "tests/corpus/apps", "tests/probes/apps", "tests/probes/suite_apps")


def apps() -> list[Path]:
    out: list[Path] = []
    for folder in FOLDERS:
        for p in sorted((ROOT / folder).iterdir()):
            if (p.is_dir() and not p.name.startswith(("_", "."))) or (
                p.suffix == ".py" and folder == "tests/probes/apps"
            ):
                out.append(p)
    return out


def as_repo(app: Path, work: Path) -> Path:
    if app.is_dir():
        return app
    repo = work / app.stem
    repo.mkdir(parents=True, exist_ok=True)
    shutil.copy(app, repo / "app.py")
    for name in re.findall(r"^(?:from|import) (\w+)", app.read_text(), re.M):
        sibling = app.with_name(f"{name}.py")
        if sibling.exists():
            shutil.copy(sibling, repo / sibling.name)
    return repo


def errors(scorecard: Path) -> dict[str, str]:
    data = json.loads(scorecard.read_text())
    return {
        rid: str(r.get("reason", ""))
        for rid, r in data["requirements"].items()
        if r.get("verdict") == "error"
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agent", help="agent (path or bundled name); default: every requirement")
    ap.add_argument("--app", action="append", type=Path, help="app folder or file (repeatable)")
    ap.add_argument("--out", type=Path, help="where the scorecards go (default: a temp dir)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="error-rate-"))
    scored = with_error = 0
    for app in [p.resolve() for p in args.app] if args.app else apps():
        repo = as_repo(app, out / "repos")
        dest = out / app.name
        cmd = [sys.executable, "-m", "harness", "score", str(repo), "-o", str(dest), "-q"]
        if args.agent:
            cmd += ["--agent", args.agent]
        subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
        card = dest / "scorecard.json"
        if not card.exists():
            print(f"{app.name}: no scorecard")
            continue
        scored += 1
        found = errors(card)
        with_error += bool(found)
        shown = app.relative_to(ROOT) if app.is_relative_to(ROOT) else app
        print(f"{shown}: {len(found)} error(s)")
        for rid, why in found.items():
            print(f"    {rid}: {why[:200]}")
    share = with_error / scored if scored else 0.0
    print(f"{with_error}/{scored} scorecards with any error ({share:.1%}); scorecards in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
