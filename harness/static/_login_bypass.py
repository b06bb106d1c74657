"""auth.required, statically: a password check that a literal value can short-circuit.

`if username == "admin" or check_password(...)`, `verify(...) || pw === "letmein"`: one user
or one master password signs in without the stored password. Live probes cannot guess that
name or value, so the source is read for it.
"""

from __future__ import annotations

import ast
import re

from harness.catalogue import CheckSpec, not_applicable, not_checkable, passed
from harness.scorecard._model import CheckResult
from harness.static import _python_ast as pa
from harness.static._auth_checks import auth_handlers
from harness.static._declare import static_check
from harness.static._evaluate import cite, fail_with, finding_at
from harness.static._model import Location, StaticContext

# password verifiers by the last part of their name
_VERIFY = re.compile(
    r"(?:^|\.)(?:checkpw|check_password_hash|check_password|verify_password|verify|"
    r"compare|compareSync|password_matches|verify_and_update)$"
)
_VERIFY_JS = (
    r"\b(?:bcrypt(?:js)?\.compare(?:Sync)?|argon2\.verify|verifyPassword|checkPassword)\s*\("
)
# a verifier and a comparison with a string literal in one expression that widens access:
# `verify(...) || x === "lit"` grants on the literal; `!verify(...) && x !== "lit"` refuses
# only when the literal does not match
_LITERAL_CMP = (
    r"""(?:[!=]==?\s*['"`][^'"`\n]+['"`]|['"`][^'"`\n]+['"`]\s*[!=]==?"""
    r"""|\.includes\(\s*['"`])"""
)
_POS, _NEG = rf"(?<!!)(?:await\s+)?{_VERIFY_JS}", rf"!\s*\(?\s*(?:await\s+)?{_VERIFY_JS}"
_BYPASS_JS = re.compile(
    "|".join(
        rf"{a}[^;\n]*{op}[^;\n]*{b}"
        for v, op in ((_POS, r"\|\|"), (_NEG, "&&"))
        for a, b in ((v, _LITERAL_CMP), (_LITERAL_CMP, v))
    )
)


def _is_verifier(node: ast.AST, negated: bool | None = None) -> bool:
    """A password verification call, under `not` when ``negated`` (either when None)."""
    nots = 0
    while isinstance(node, ast.UnaryOp | ast.Await):
        if isinstance(node, ast.UnaryOp):
            nots += isinstance(node.op, ast.Not)
            node = node.operand
        else:
            node = node.value
    if negated is not None and bool(nots % 2) != negated:
        return False
    return isinstance(node, ast.Call) and bool(_VERIFY.search(pa.call_name(node)))


def _literal_compare(node: ast.AST) -> bool:
    """A comparison against a non-empty string literal (`name == "admin"`, `"x" in pw`)."""
    if not isinstance(node, ast.Compare):
        return False
    return any(
        isinstance(side, ast.Constant) and isinstance(side.value, str) and side.value.strip()
        for side in (node.left, *node.comparators)
    )


def _python_bypasses(tree: ast.AST) -> tuple[list[ast.BoolOp], int]:
    """(boolean expressions joining a verifier with a literal comparison, verifier calls seen)."""
    found: list[ast.BoolOp] = []
    seen = sum(1 for c in pa.calls(tree) if _is_verifier(c))
    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp):
            ops = node.values
            # `verify() or <literal>` grants on the literal; `not verify() and <literal>`
            # refuses only when the literal matches
            widening = isinstance(node.op, ast.And)
            if any(_is_verifier(v, widening) for v in ops) and any(
                _literal_compare(n) for v in ops if not _is_verifier(v) for n in ast.walk(v)
            ):
                found.append(node)
    return found, seen


@static_check(
    "auth.required.password-bypass",
    title="the password check cannot be skipped for a literal user name or password",
)
def password_bypass(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a password verification joined by or/and with a comparison against a string
    literal (a user name let in without its password, a master password).

    Passes: every password verification call found stands on its own. Sign-in routes but no
    verification call this check reads: not checkable; neither: not applicable."""
    findings, verifiers = [], []
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        found, seen = _python_bypasses(f.tree)
        if seen:
            verifiers.append(Location(f.path, 1, f"{seen} verification call(s)"))
        for node in found:
            findings.append(
                finding_at(
                    spec,
                    f.location(node.lineno),
                    "the password check is joined with a comparison against a literal: that "
                    "value gets in without the stored password",
                    ctx,
                    node.end_lineno,
                )
            )
    for f in ctx.sources_in("javascript", "typescript"):
        verifiers += f.search(_VERIFY_JS)
        for loc in f.search(_BYPASS_JS):
            findings.append(
                finding_at(
                    spec,
                    loc,
                    "the password check is joined with a comparison against a literal: that "
                    "value gets in without the stored password",
                )
            )
    if findings:
        return fail_with(spec, "a literal value skips the password check", findings)
    if not verifiers:
        logins = [
            h.path
            for h in auth_handlers(ctx)
            if re.search(r"(?i)log-?in|sign-?in|token|session", h.path)
        ]
        if logins:  # a sign-in this check cannot read is a blind spot, not an absence
            return not_checkable(
                spec,
                f"sign-in routes ({', '.join(sorted(set(logins))[:3])}) but no password "
                "verification call this check reads (bcrypt, argon2, werkzeug, passlib, ...)",
            )
        return not_applicable(spec, "no sign-in route and no password verification call")
    return passed(
        spec,
        "every password verification stands on its own (no literal user or password skips it)",
        cite("password verification", verifiers),
    )
