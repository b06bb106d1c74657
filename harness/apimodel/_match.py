"""Matching the operations a contract expects to the routes an app actually serves.

Generated code rarely serves the contract verbatim: ``/api/v1/todos`` for ``/todos``,
``/auth/login`` or ``/token`` for ``/login``, ``/users/register`` or ``/signup`` for
``/register``. Paths are compared as tuples of canonical segments: version/API prefixes dropped,
``{param}``/``:param``/``<int:param>`` folded to ``{}``, plural folded to singular and auth
words folded to one synonym, then scored by how much folding the match needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PARAM = re.compile(r"^(\{[^}]*\}|:[\w-]+\??|<[^>]*>|\[[^\]]*\]|\*)$")
_PREFIX = re.compile(r"^(api|rest|v\d+(\.\d+)?)$")

# Words that name the same auth or infrastructure step.
SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        [
            "login",
            "signin",
            "sign-in",
            "log-in",
            "logon",
            "authenticate",
            "token",
            "session",
            "sessions",
            "jwt",
        ],
        "login",
    ),
    **dict.fromkeys(
        ["register", "signup", "sign-up", "registration", "join", "create-account"], "register"
    ),
    **dict.fromkeys(["refresh", "refresh-token", "refreshtoken", "token-refresh"], "refresh"),
    **dict.fromkeys(["logout", "signout", "sign-out", "log-out"], "logout"),
    **dict.fromkeys(["me", "profile", "whoami", "current-user"], "me"),
    **dict.fromkeys(
        ["health", "healthz", "healthcheck", "health-check", "ping", "livez", "readyz", "alive"],
        "health",
    ),
}
AUTH_WORDS = {"login", "register", "refresh", "logout", "me"}
# Segments that only group auth steps: /auth/login, /users/register, /account/me.
_AUTH_GROUPS = {"auth", "user", "account", "identity", "oauth", "oauth2"}


def split(path: str) -> list[str]:
    return [s for s in path.split("?", 1)[0].strip().split("/") if s]


def is_param(segment: str) -> bool:
    return bool(_PARAM.match(segment))


def to_braces(path: str) -> str:
    """``/todos/:id`` or ``/todos/<int:id>`` -> ``/todos/{id}``."""
    out = []
    for seg in split(path):
        if is_param(seg):
            name = re.sub(r"^[{:<\[]|[}>\]?]$", "", seg).split(":")[-1].strip("{}<>[]?") or "id"
            out.append("{" + name + "}")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def path_params(path: str) -> list[str]:
    return [seg[1:-1] for seg in split(to_braces(path)) if seg.startswith("{")]


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def plain(path: str) -> tuple[str, ...]:
    """Segments lowercased, params folded to ``{}``."""
    return tuple("{}" if is_param(s) else s.lower() for s in split(path))


def strip_prefix(segments: Sequence[str]) -> tuple[str, ...]:
    """Drop leading /api, /v1, /api/v2... segments."""
    i = 0
    while i < len(segments) and _PREFIX.match(segments[i]):
        i += 1
    return tuple(segments[i:])


def prefix_of(path: str) -> str:
    """The version/API prefix of a path: ``/api/v1/todos`` -> ``/api/v1``."""
    segs = split(path)
    i = 0
    while i < len(segs) and _PREFIX.match(segs[i].lower()):
        i += 1
    return "/" + "/".join(segs[:i]) if i else ""


def canonical(path: str) -> tuple[str, ...]:
    """Prefix stripped, separators unified, synonyms and plurals folded, auth groups dropped."""
    segs = [s.replace("_", "-") for s in strip_prefix(plain(path))]
    out: list[str] = []
    for i, seg in enumerate(segs):
        word = SYNONYMS.get(seg) or _misspelt(seg) or seg
        if word == "{}" or word in AUTH_WORDS or word == "health":
            out.append(word)
            continue
        word = singular(word)
        nxt = SYNONYMS.get(segs[i + 1], "") if i + 1 < len(segs) else ""
        if word in _AUTH_GROUPS and nxt in AUTH_WORDS:
            continue  # /auth/login -> login
        out.append(word)
    # /token/refresh and /auth/token/refresh are a refresh, not a login
    while len(out) >= 2 and out[-1] == "refresh" and out[-2] == "login":
        out.pop(-2)
    return tuple(out)


_FUZZY = tuple(w for w in SYNONYMS if len(w) >= 6 and "-" not in w)


def _misspelt(word: str) -> str | None:
    """The auth word a slightly misspelt segment stands for: ``regsiter`` -> register."""
    if len(word) < 6 or not word.isalpha():
        return None
    for known in _FUZZY:
        if abs(len(known) - len(word)) <= 1 and _distance(word, known) <= 1:
            return SYNONYMS[known]
    return None


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@dataclass(frozen=True)
class Candidate:
    method: str
    path: str


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    how: str
    score: float


def score_pair(wanted_method: str, wanted_path: str, cand: Candidate) -> tuple[float, str]:
    """How well ``cand`` serves the wanted operation: (score in 0..1, how). 0 means no match."""
    method = cand.method.upper()
    if method not in (wanted_method.upper(), "ANY", "*", "ALL"):
        return 0.0, ""
    wp, cp = plain(wanted_path), plain(cand.path)
    if wp == cp:
        return 1.0, "exact"
    if strip_prefix(wp) == strip_prefix(cp):
        return 0.95, "prefix"
    wc, cc = canonical(wanted_path), canonical(cand.path)
    if not wc or not cc:
        return 0.0, ""
    if wc == cc:
        return 0.85, "synonym"
    if len(cc) > len(wc) and cc[-len(wc) :] == wc and "{}" not in cc[: -len(wc)]:
        extra = len(cc) - len(wc)
        return max(0.5, 0.75 - 0.05 * extra), "suffix"
    if wc == ("register",) and cc == ("user",) and wanted_method.upper() == "POST":
        return 0.45, "users-as-register"
    return 0.0, ""


def best_match(
    wanted_method: str, wanted_path: str, candidates: Iterable[Candidate]
) -> Match | None:
    """The best candidate for one wanted operation (ties: the shorter path wins)."""
    best: Match | None = None
    for cand in candidates:
        score, how = score_pair(wanted_method, wanted_path, cand)
        if score <= 0:
            continue
        if (
            best is None
            or score > best.score
            or (score == best.score and len(cand.path) < len(best.candidate.path))
        ):
            best = Match(cand, how, score)
    return best


def match_all(
    wanted: Sequence[tuple[str, str]], candidates: Sequence[Candidate]
) -> dict[tuple[str, str], Match | None]:
    """Match every wanted (method, path) to a distinct candidate, best scores first."""
    scored: list[tuple[float, int, int, str]] = []
    for wi, (method, path) in enumerate(wanted):
        for ci, cand in enumerate(candidates):
            score, how = score_pair(method, path, cand)
            if score > 0:
                scored.append((score, wi, ci, how))
    scored.sort(key=lambda t: (-t[0], len(candidates[t[2]].path)))
    out: dict[tuple[str, str], Match | None] = dict.fromkeys(wanted)
    taken: set[int] = set()
    for score, wi, ci, how in scored:
        key = wanted[wi]
        if out[key] is not None or ci in taken:
            continue
        out[key] = Match(candidates[ci], how, score)
        if candidates[ci].method.upper() not in ("ANY", "*", "ALL"):
            taken.add(ci)
    return out
