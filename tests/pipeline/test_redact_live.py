"""An app that serves host secrets, scored live by the command line: no report may carry them.

The app stands for one that read a private key, a cloud credentials file and the harness's own
environment and echoes them in every answer (body, header, log). The material is made fresh per
run; the test then reads every file `harness score` wrote, and its console output, for any piece
of it, and checks that the scorecard counts what was redacted.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
ENV_NAME = "HARNESS_E2E_DEPLOY_TOKEN"

APP = """\
import json
from pathlib import Path

from flask import Flask, Response, request

app = Flask(__name__)
LEAK = (Path(__file__).parent / "leak.json").read_text()
DATA = json.loads(LEAK)
print("booting with", DATA["token"], flush=True)
TODOS = {}


def dump(status=200):
    body = json.dumps({"credentials": DATA["aws"], "token": DATA["token"], "key": DATA["key"]})
    resp = Response(body, status=status, mimetype="application/json")
    resp.headers["X-Debug-Token"] = DATA["token"]
    return resp


@app.get("/")
def index():
    return dump()


@app.route("/todos", methods=["GET", "POST"])
def todos():
    if request.method == "POST":
        TODOS[len(TODOS) + 1] = request.get_json(silent=True) or {}
        return dump(201)
    return dump()


@app.route("/todos/<int:todo_id>", methods=["GET", "PUT", "DELETE"])
def todo(todo_id):
    return dump(200 if todo_id in TODOS else 404)


@app.errorhandler(404)
@app.errorhandler(405)
@app.errorhandler(500)
def error(exc):
    return dump(getattr(exc, "code", 500) or 500)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)
"""


def _rand(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _material() -> dict[str, str]:
    body = base64.b64encode(secrets.token_bytes(400)).decode()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    label = "RSA PRIVATE KEY"
    return {
        "key": f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n",
        "key_id": "AKIA" + _rand(string.ascii_uppercase + string.digits, 16),
        "key_secret": _rand(string.ascii_letters + string.digits + "/+", 40),
        "token": "tok-" + secrets.token_urlsafe(24),
    }


def _forbidden(material: dict[str, str]) -> list[str]:
    """Every piece that must not appear: each line of the key body, the AWS pair, the token;
    raw and as a JSON string escapes it."""
    key_lines = [ln for ln in material["key"].splitlines() if ln and not ln.startswith("-----")]
    pieces = [*key_lines, material["key_id"], material["key_secret"], material["token"]]
    return pieces + [json.dumps(p)[1:-1] for p in pieces]


def test_secrets_an_app_serves_never_reach_a_report(tmp_path: Path) -> None:
    material = _material()
    repo = tmp_path / "leaky"
    repo.mkdir()
    (repo / "app.py").write_text(APP)
    (repo / "requirements.txt").write_text("flask\n")
    credentials = (
        "[default]\n"
        f"aws_access_key_id = {material['key_id']}\n"
        f"aws_secret_access_key = {material['key_secret']}\n"
    )
    leak = {"aws": credentials, "token": material["token"], "key": material["key"]}
    (repo / "leak.json").write_text(json.dumps(leak))

    out = tmp_path / "out"
    env = {**os.environ, ENV_NAME: material["token"], "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness",
            "score",
            str(repo),
            "--out",
            str(out),
            "--format",
            "json,md,html,junit,sarif",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (out / "scorecard.json").is_file(), done.stdout + done.stderr
    card = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert card["run"]["mode"] == "static+live"

    # the app was up and probed: its answers are in the evidence
    exchanges = [
        e["exchange"]
        for req in card["requirements"].values()
        for check in req["checks"]
        for e in check["evidence"]
        if e.get("exchange") and e["exchange"].get("status")
    ]
    assert exchanges, "no live exchange recorded: the app was not probed"
    # judged before redaction: live checks reached a decision on the app's real answers
    live = [c for r in card["requirements"].values() for c in r["checks"] if c["kind"] == "live"]
    assert any(c["status"] in ("pass", "fail") for c in live), [c["status"] for c in live]
    assert any("[redacted: pem-private-key]" in x["body_excerpt"] for x in exchanges)

    # what was redacted is counted, rule by rule
    counts = card["redactions"]
    for rule in ("pem-private-key", "aws-access-key-id", "aws-secret-access-key", "env-secret"):
        assert counts.get(rule, 0) >= 1, (rule, counts)

    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in written} >= {
        "scorecard.json",
        "scorecard.md",
        "scorecard.html",
        "junit.xml",
        "scorecard.sarif",
    }
    forbidden = _forbidden(material)
    for path in written:
        text = path.read_text(encoding="utf-8")
        leaked = [p[:10] for p in forbidden if p in text]
        assert not leaked, f"{path.name} carries secret material starting {leaked}"
    console = done.stdout + done.stderr
    assert not [p for p in forbidden if p in console], "the console output carries a secret"
