"""Mutants of clean apps: break ONE promise with a small source edit, score the mutant live and
check that the broken promise never comes out `pass` (issue 8).

Each operator (bench/_operators.py) is applied to a copy of every clean app; an operator that
finds nothing to edit is reported as not applicable (`n/a`). Each mutant is scored with
`python -m harness score MUTANT -q --out DIR` against every requirement of the catalogue (no
agent), and so is the clean app once, so other verdicts that moved are listed too.

Run: PYTHONPATH=. .venv/bin/python bench/bench_mutants.py [--apps a,b] [--operators x,y] [--list]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _mutate import Files, NotApplicable, lang_of
from _operators import OPERATORS, Operator

ROOT = Path(__file__).resolve().parents[1]
# clean apps across Flask, FastAPI and Express, single-file and multi-file
APPS: dict[str, Path] = {
    "todo-fastapi-good": ROOT / "fixtures/apps/todo-fastapi-good",
    "todo-express-good": ROOT / "fixtures/apps/todo-express-good",
    "fastapi-oauth2-todos": ROOT / "tests/corpus/apps/fastapi-oauth2-todos",
    "flask-session-notes": ROOT / "tests/corpus/apps/flask-session-notes",
    "express-nested-signup": ROOT / "tests/corpus/apps/express-nested-signup",
    "flask-profile-escaped": ROOT / "tests/corpus/apps/flask-profile-escaped",
    "express-forum-escaped": ROOT / "tests/corpus/apps/express-forum-escaped",
    "flask-recommend-autoescaped": ROOT / "tests/corpus/apps/flask-recommend-autoescaped",
    "fastapi-bookmark-tags-escaped": ROOT / "tests/corpus/apps/fastapi-bookmark-tags-escaped",
}
SKIP = ("node_modules", ".venv", "__pycache__", ".pytest_cache", "test", "tests", "client")
TEXT = (".py", ".js", ".mjs", ".cjs", ".ts", ".html")


def read_sources(app: Path) -> Files:
    files: Files = {}
    for p in sorted(app.rglob("*")):
        rel = p.relative_to(app)
        if p.is_file() and p.suffix in TEXT and not any(part in SKIP for part in rel.parts[:-1]):
            files[str(rel)] = p.read_text(errors="replace")
    return files


def languages(files: Files) -> set[str]:
    return {lang for p in files if (lang := lang_of(p))}


def score(repo: Path, out: Path, timeout: float) -> dict[str, dict]:
    """Run the real CLI on repo; the requirements of its scorecard (empty when none was written)."""
    cmd = [sys.executable, "-m", "harness", "score", str(repo), "-q", "--out", str(out)]
    try:
        subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}
    card = out / "scorecard.json"
    return json.loads(card.read_text())["requirements"] if card.exists() else {}


def make_mutant(app: Path, op: Operator, dest: Path) -> list[str]:
    """Copy app to dest and apply op; the files it changed (NotApplicable when nothing)."""
    files = read_sources(app)
    if not languages(files) & op.languages:
        raise NotApplicable("language")
    changed = op.edit(files)
    ignore = shutil.ignore_patterns("node_modules", ".venv", "__pycache__", "*.db", "*.sqlite*")
    shutil.copytree(app, dest, ignore=ignore)
    for rel, text in changed.items():
        (dest / rel).write_text(text)
    return sorted(changed)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", help="comma-separated app names (default: all)")
    ap.add_argument("--operators", help="comma-separated operator names (default: all)")
    ap.add_argument("--list", action="store_true", help="list operators and apps, then stop")
    ap.add_argument(
        "--dry-run", action="store_true", help="only build the mutants and show their diffs"
    )
    ap.add_argument("--keep", type=Path, help="keep mutants and reports under this folder")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    ops = [o for o in OPERATORS if not args.operators or o.name in args.operators.split(",")]
    apps = {n: p for n, p in APPS.items() if not args.apps or n in args.apps.split(",")}
    if args.list:
        for o in OPERATORS:
            print(f"{o.name:26s} {o.requirement:22s} {o.doc}")
        print("apps:", ", ".join(APPS))
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="harness-mutants-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str, str]] = []
    passed = total = 0
    for name, app in apps.items():
        base: dict[str, dict] | None = None
        for op in ops:
            dest = work / f"{name}--{op.name}" / name
            try:
                make_mutant(app, op, dest)
            except NotApplicable as exc:
                rows.append((op.name, name, "n/a", "", str(exc)[:70]))
                continue
            if args.dry_run:
                diff = subprocess.run(
                    ["diff", "-ru", str(app), str(dest)], capture_output=True, text=True
                ).stdout
                print(diff)
                continue
            if base is None:
                base = score(app, work / f"{name}--clean" / "report", args.timeout)
            t0 = time.monotonic()
            reqs = score(dest, dest.parent / "report", args.timeout)
            verdict = reqs.get(op.requirement, {}).get("verdict", "none")
            total += 1
            passed += verdict == "pass"
            moved = sorted(
                f"{rid}:{base[rid]['verdict']}->{r['verdict']}"
                for rid, r in reqs.items()
                if rid != op.requirement and rid in base and base[rid]["verdict"] != r["verdict"]
            )
            reason = reqs.get(op.requirement, {}).get("reason", "no scorecard")
            rows.append((op.name, name, verdict, f"{time.monotonic() - t0:.0f}s", reason[:90]))
            if moved:
                rows.append(("", "", "", "", "also moved: " + ", ".join(moved)[:200]))
            print(" | ".join(rows[-1 - bool(moved)]), flush=True)
    print()
    print(f"{'operator':26s} {'app':30s} {'verdict':15s} time  reason")
    for op_name, app_name, verdict, took, reason in rows:
        print(f"{op_name:26s} {app_name:30s} {verdict:15s} {took:5s} {reason}")
    print(f"\nmutants passed on the broken promise: {passed} / {total}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if passed else 0


if __name__ == "__main__":
    raise SystemExit(main())
