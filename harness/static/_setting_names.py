"""Telling a secret's name from a setting's: ``JWT_SECRET`` names a secret, ``JWT_ALGORITHM``,
``ACCESS_TOKEN_EXPIRE_MINUTES``, ``API_KEY_HEADER`` or ``PRIVATE_KEY_PATH`` name settings about
one. A literal fallback or value for a setting is not a hardcoded secret.

The semgrep rules for secrets.no-hardcoded (checks/semgrep/*.yaml) carry the same list of
qualifiers in their ``$K``/``$NAME`` regexes; tests/static/test_setting_names.py keeps the two
in step.
"""

from __future__ import annotations

import re

# A name segment that makes the name describe a setting rather than hold a secret.
QUALIFIERS = (
    r"ALGORITHMS?|ALG|ISS(UER)?|AUD(IENCE)?|EXPIR[A-Z]*|EXP|TTL|LIFETIME|AGE|DURATION|TIMEOUT|"
    r"MINUTES|MINS?|HOURS|DAYS|SECONDS|SECS|URL|URI|ENDPOINT|PATH|FILE|DIR|LOCATION|HEADER|"
    r"NAME|TYPE|KIND|LENGTH|LEN|MAX|ROUNDS|COST|LIMIT|PREFIX|ENABLED?|REQUIRED|MODE|VERSION|"
    r"SCHEME|FORMAT|COUNT|SIZE|FIELD|PARAM"
)
_QUALIFIED = re.compile(rf"(?i)(^|[_.\-\"'])({QUALIFIERS})([_.\-\"']|$)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# `NAME = "..."` or `NAME: str = "..."`, the form bandit's B105 reports
_ASSIGNED = re.compile(r"^\s*(?:[\w.]+\.)?(\w+)\s*(?::[^=]+)?=\s*[rbuRBU]?[\"']")


def setting_qualifier(name: str) -> str | None:
    """The segment of ``name`` that makes it a setting (``ALGORITHM`` in ``JWT_ALGORITHM``)."""
    match = _QUALIFIED.search(_CAMEL.sub("_", name))
    return match.group(2).upper() if match else None


def non_secret_setting_reason(line: str) -> str | None:
    """Why the assignment on ``line`` sets a setting, not a secret; None when it may be one."""
    match = _ASSIGNED.match(line)
    if not match:
        return None
    qualifier = setting_qualifier(match.group(1))
    if qualifier is None:
        return None
    return f"{match.group(1)} names a setting ({qualifier}), not a secret"
