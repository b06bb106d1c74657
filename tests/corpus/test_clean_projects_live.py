"""Production-style projects written clean (routers mounted under prefixes in other modules,
controllers/services/repositories, router- or blueprint-level auth, schema validation libraries,
rate limiters, refresh tokens, a central error handler, migrations), scored end to end against
the bundled `backend` agent: no promise the project keeps may come out `fail` or `partial`
(a false fail), nor `error` (a lost decision). Each app's expected.yaml lists what it keeps
under `keeps:`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness import score
from harness.scorecard import Verdict

pytestmark = [pytest.mark.live, pytest.mark.slow]

HERE = Path(__file__).parent / "apps"
APPS = sorted(
    p.parent
    for p in HERE.glob("*/expected.yaml")
    if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("keeps")
)
WRONG = {Verdict.failed, Verdict.partial, Verdict.error}


def test_the_clean_projects_are_there() -> None:
    assert len(APPS) >= 3, [a.name for a in APPS]


@pytest.mark.parametrize("repo", APPS, ids=[p.name for p in APPS])
def test_no_false_fail_on_a_clean_project(repo: Path, tmp_path: Path) -> None:
    keeps = yaml.safe_load((repo / "expected.yaml").read_text(encoding="utf-8"))["keeps"]
    card = score("backend", repo, out_dir=tmp_path, formats=("json",))
    missing = sorted(set(keeps) - set(card.requirements))
    assert not missing, f"{repo.name}: the backend agent promises no {missing}"
    wrong = {
        rid: card.requirements[rid] for rid in keeps if card.requirements[rid].verdict in WRONG
    }
    report = "\n".join(f"{rid}: {v.verdict.value}: {v.reason}" for rid, v in wrong.items())
    assert not wrong, f"{repo.name}: false fails or lost decisions\n{report}"
    # the live side ran: a signed-in user's records were probed, not only anonymous requests
    assert card.requirements["auth.authorization"].verdict is Verdict.passed
