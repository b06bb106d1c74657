"""Redaction of host secrets and private keys from a finished scorecard.

Evidence carries whatever the probed app served or logged. An app that reads a host file (a
private key, ``/etc/shadow``, a cloud credential) and echoes it would otherwise put that file in
scorecard.json and in every report people upload as CI artifacts. This pass is defence in depth
behind the sandbox: it runs on the finished scorecard, after every verdict is decided, and
replaces each match with ``[redacted: <rule id>]``.

What is *not* redacted, on purpose: the probes' own material (JWTs issued to the probe user,
canaries, payloads) and password hashes an app stores for its own users (``$2b$...`` in an API
answer is the evidence of a hashing or leak check, not a host secret). A crypt hash is redacted
only inside an ``/etc/shadow``-style line (``user:$6$...:19000:0:99999:7:::``).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness.scorecard._model import Scorecard

# a separator in text that may be a raw file or the same file JSON-escaped inside a body excerpt
_SEP = r"(?:\s|\\[nrt])+"
# a whitespace-free value; it ends at an escaped newline, or at a quote or tag that closes the
# JSON string or HTML element the file was served in; never a redaction already made
_TOKEN = r"((?!\[redacted: )(?:\\\"|(?!\\[nrt])(?![\"'](?:\s*[,}\]:;)]|\s*$))(?!</?[A-Za-z])\S)+)"
# the start of a line of a file, raw or inside a quoted (JSON) string or an HTML element
_LINE_START = r"(?:^|(?<=\\n)|(?<=[\s\"'>]))"
_LINE_END = r"(?=$|\\[nr]|[\s\"'<])"
# stricter: only a real line start (or a quoted string's), then indentation
_LINE_HEAD = r"(?:^|(?<=\\n)|(?<=[\"'>]))[ \t]*"
_FIELD = r"(?:[^:\s\\\"']|\\:)+"  # a .pgpass field: no blank, colons escaped
# a .pgpass host: *, a host name or an IPv4 address (not a file name with a line number after it:
# the port has 2+ digits and the database and user fields are not bare numbers)
_PG_HOST = r"(?:\*|[A-Za-z][\w\-]*(?:\.[\w\-]+)*|\d{1,3}(?:\.\d{1,3}){3})"
# the body of a key block: up to its END line, or, when the excerpt was clipped, as far as the
# text still looks like key material (base64, PEM headers, escaped newlines)
_KEY_TAIL = r"[A-Za-z0-9+/=\s\\:,.@\-]*"


@dataclass(frozen=True)
class RedactionRule:
    """One kind of secret: what it matches and why it is redacted.

    ``needs`` is text every match contains (any one of the strings, case as written, or a
    quick pattern): most evidence has none, and one case-sensitive scan for all of them keeps
    the pass cheap. ``group`` names the part replaced (0: the whole match), so that a
    label such as ``aws_secret_access_key =`` stays readable. ``accept`` is a further test on
    that part.
    """

    id: str
    pattern: re.Pattern[str]
    why: str
    needs: tuple[str, ...] | re.Pattern[str] = ()
    group: int = 0
    accept: Callable[[str], bool] | None = None

    def may_match(self, text: str) -> bool:
        if isinstance(self.needs, re.Pattern):
            return self.needs.search(text) is not None
        return not self.needs or any(n in text for n in self.needs)


def _key_block(begin: str, end: str) -> re.Pattern[str]:
    """A key block from its BEGIN line; or, in a log tail that starts inside the key, the
    base64 lines (16+ characters each) up to its END line."""
    return re.compile(
        rf"{begin}(?:(?:(?!{begin})[\s\S])*?{end}|{_KEY_TAIL})"
        rf"|{_LINE_START}(?:[A-Za-z0-9+/=]{{16,}}{_SEP})+{end}"
    )


def _docker_auth(value: str) -> bool:
    """A docker config ``auth`` is base64 of ``user:password``."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return ":" in decoded and decoded.isprintable()


REDACTION_RULES: tuple[RedactionRule, ...] = (
    RedactionRule(
        "openssh-private-key",
        _key_block(r"-----BEGIN OPENSSH PRIVATE KEY-----", r"-----END OPENSSH PRIVATE KEY-----"),
        "an SSH private key (~/.ssh/id_*), also when clipped before its END line",
        needs=("PRIVATE KEY",),
    ),
    RedactionRule(
        "pem-private-key",
        _key_block(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        ),
        "a PEM private key (RSA, EC, PKCS#8, encrypted, PGP), also when clipped before its END",
        needs=("PRIVATE KEY",),
    ),
    RedactionRule(
        "putty-private-key",
        re.compile(
            r"PuTTY-User-Key-File-\d+:(?:(?:(?!PuTTY-User-Key-File-)[\s\S])*?"
            rf"Private-MAC:\s*[0-9a-fA-F]+|{_KEY_TAIL})"
        ),
        "a PuTTY .ppk private key file",
        needs=("PuTTY-User-Key-File-",),
    ),
    RedactionRule(
        "aws-access-key-id",
        re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        "an AWS access key id (long-term AKIA or temporary ASIA)",
        needs=("AKIA", "ASIA", "ABIA", "ACCA"),
    ),
    RedactionRule(
        "aws-secret-access-key",
        re.compile(
            r"(?i)(?:aws_?)?secret_?access_?key\\?[\"']?\s*[:=]\s*\\?[\"']?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        "the secret of an AWS key pair, after aws_secret_access_key / SecretAccessKey",
        needs=("access", "Access", "ACCESS"),
        group=1,
    ),
    RedactionRule(
        "aws-session-token",
        re.compile(r"(?i)aws_?session_?token\\?[\"']?\s*[:=]\s*\\?[\"']?([A-Za-z0-9/+=]{100,})"),
        "the session token of temporary AWS credentials",
        needs=("aws", "Aws", "AWS"),
        group=1,
    ),
    RedactionRule(
        "github-token",
        re.compile(r"\b(?:(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})"),
        "a GitHub personal, OAuth, app or fine-grained token",
        needs=("ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"),
    ),
    RedactionRule(
        "gitlab-token",
        re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}"),
        "a GitLab personal access token",
        needs=("glpat-",),
    ),
    RedactionRule(
        "slack-token",
        re.compile(r"\bxox[a-z]-[A-Za-z0-9\-]{10,}"),
        "a Slack bot, user or app token",
        needs=("xox",),
    ),
    RedactionRule(
        "google-api-key",
        re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),
        "a Google API key",
        needs=("AIza",),
    ),
    RedactionRule(
        "stripe-live-key",
        re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{16,}"),
        "a Stripe live secret or restricted key (publishable pk_live keys are public)",
        needs=("_live_",),
    ),
    RedactionRule(
        "shadow-hash",
        re.compile(
            rf"(?m){_LINE_START}[a-z_][a-z0-9_.\-]{{0,31}}\$?:"
            r"(!?\$[0-9a-z]{1,6}\$[^:\s]+)(?::\d*){5,7}"
        ),
        "a $id$ crypt hash in an /etc/shadow line (an app's own stored hashes are not redacted)",
        needs=(":$", ":!$"),
        group=1,
    ),
    RedactionRule(
        "netrc-password",
        re.compile(
            rf"(?m){_LINE_HEAD}(?:machine{_SEP}\S+|default)"
            rf"(?:{_SEP}(?:login|account|port){_SEP}\S+)*"
            rf"{_SEP}password{_SEP}{_TOKEN}"
        ),
        "the password field of a .netrc entry",
        needs=("password",),
        group=1,
    ),
    RedactionRule(
        "pgpass-password",
        re.compile(
            rf"(?m){_LINE_START}{_PG_HOST}:(?:\d{{2,5}}|\*)"
            rf":(?!\d+:){_FIELD}:(?!\d+:){_FIELD}:({_FIELD}){_LINE_END}"
        ),
        "the password field of a .pgpass line (host:port:database:user:password)",
        needs=re.compile(r":(?:\d{2,5}|\*):"),
        group=1,
    ),
    RedactionRule(
        "docker-auth",
        re.compile(r"\\?\"auth\\?\"\s*:\s*\\?\"([A-Za-z0-9+/=]{8,})\\?\""),
        'the "auth" value of a docker config.json (base64 of user:password)',
        needs=("auth",),
        group=1,
        accept=_docker_auth,
    ),
)

ENV_RULE_ID = "env-secret"
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH")
_MIN_ENV_VALUE = 8


def env_secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """Values of the process's environment variables whose names look secret.

    Skipped: values under 8 characters, plain numbers and booleans, and values that name an
    existing file or folder (``SSH_AUTH_SOCK``, ``XAUTHORITY``): paths are not secrets, and
    redacting them would blank out ordinary evidence.
    """
    env = os.environ if environ is None else environ
    values: set[str] = set()
    for name, value in env.items():
        if not _SECRET_NAME.search(name.upper()) or len(value.strip()) < _MIN_ENV_VALUE:
            continue
        if value.isdigit() or value.lower() in {"true", "false"} or _is_path(value):
            continue
        values.add(value)
    return sorted(values)


def _is_path(value: str) -> bool:
    if "\n" in value or "\0" in value or len(value) > 4096:
        return False
    try:
        return value.startswith(("/", "~", ".")) and Path(value).expanduser().exists()
    except OSError:
        return False


def env_rule(values: Iterable[str]) -> RedactionRule | None:
    """The rule for the given secret values: each verbatim, JSON-escaped and URL-encoded."""
    forms = {
        form for value in values for form in (value, json.dumps(value)[1:-1], quote(value, safe=""))
    }
    if not forms:
        return None
    # longest first, so that a value containing another is replaced whole
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return RedactionRule(
        ENV_RULE_ID,
        re.compile(alternatives),
        "the value of a harness environment variable whose name looks secret",
        needs=tuple(forms),
    )


class Redactor:
    """Applies the rules to text and counts what each replaced."""

    def __init__(self, rules: Iterable[RedactionRule]) -> None:
        self.rules = tuple(rules)
        self.counts: Counter[str] = Counter()
        # one scan for what any rule needs: most strings of a scorecard have none of it
        parts = [
            rule.needs.pattern if isinstance(rule.needs, re.Pattern) else re.escape(need)
            for rule in self.rules
            for need in ((rule.needs,) if isinstance(rule.needs, re.Pattern) else rule.needs)
        ]
        always = any(not rule.needs for rule in self.rules)
        self._trigger = None if always or not parts else re.compile("|".join(parts))

    @classmethod
    def for_host(cls, environ: Mapping[str, str] | None = None) -> Redactor:
        """The fixed rules plus this process's secret-looking environment values."""
        extra = env_rule(env_secret_values(environ))
        # the environment values go first: a value may itself look like a token of another rule
        return cls(((extra,) if extra else ()) + REDACTION_RULES)

    def text(self, text: str) -> str:
        if self._trigger is not None and self._trigger.search(text) is None:
            return text
        for rule in self.rules:
            if not rule.may_match(text):
                continue
            if rule.group == 0 and rule.accept is None:
                text, n = rule.pattern.subn(f"[redacted: {rule.id}]", text)
                self.counts[rule.id] += n
            else:
                text = rule.pattern.sub(lambda m, r=rule: self._part(m, r), text)
        return text

    def _part(self, match: re.Match[str], rule: RedactionRule) -> str:
        secret = match.group(rule.group)
        if rule.accept is not None and not rule.accept(secret):
            return match.group(0)
        self.counts[rule.id] += 1
        start, end = match.span(rule.group)
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + f"[redacted: {rule.id}]" + whole[end - offset :]

    def value(self, value: Any) -> Any:
        """``value`` with every string in it (dict keys too) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value


def redact_scorecard(card: Scorecard, environ: Mapping[str, str] | None = None) -> Scorecard:
    """A copy of ``card`` with host secrets replaced, and the count per rule added to
    ``card.redactions``. Verdicts, scores and finding fingerprints are left as judged.

    Idempotent: a redacted card has nothing left to match, so redacting it again changes
    nothing and adds nothing to the counts.
    """
    redactor = Redactor.for_host(environ)
    data = card.model_dump(mode="json", exclude={"redactions"})
    cleaned = redactor.value(data)
    new = {rule: n for rule, n in redactor.counts.items() if n}
    if not new:
        return card
    merged = Counter(card.redactions)
    merged.update(new)
    cleaned["redactions"] = dict(sorted(merged.items()))
    return Scorecard.model_validate(cleaned)
