"""Fake host secrets in the shapes the redaction rules know, made fresh per call.

Built at run time from random bytes, so that nothing secret-shaped is committed (secret scanners
would flag it) and a test cannot pass on a remembered literal.
"""

from __future__ import annotations

import base64
import secrets
import string

_UPPER_DIGITS = string.ascii_uppercase + string.digits
_ALNUM = string.ascii_letters + string.digits


def rand(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def pem_private_key(kind: str = "RSA ") -> str:
    """A PEM block with random base64 in it; ``kind`` is "RSA ", "EC ", "" (PKCS#8)..."""
    body = base64.b64encode(secrets.token_bytes(600)).decode()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    label = f"{kind}PRIVATE KEY"
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n"


def openssh_private_key() -> str:
    body = base64.b64encode(b"openssh-key-v1\0" + secrets.token_bytes(300)).decode()
    lines = "\n".join(body[i : i + 70] for i in range(0, len(body), 70))
    label = "OPENSSH PRIVATE KEY"
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n"


def putty_private_key() -> str:
    public = base64.b64encode(secrets.token_bytes(90)).decode()
    private = base64.b64encode(secrets.token_bytes(90)).decode()
    return (
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20250101\n"
        f"Public-Lines: 1\n{public}\nPrivate-Lines: 1\n{private}\n"
        f"Private-MAC: {secrets.token_hex(32)}\n"
    )


def aws_access_key_id(prefix: str = "AKIA") -> str:
    return prefix + rand(_UPPER_DIGITS, 16)


def aws_secret_access_key() -> str:
    return rand(_ALNUM + "/+", 40)


def github_token(prefix: str = "ghp_") -> str:
    return prefix + rand(_ALNUM, 36)


def github_fine_grained_token() -> str:
    return "github_pat_" + rand(_ALNUM, 22) + "_" + rand(_ALNUM, 59)


def gitlab_token() -> str:
    return "glpat-" + rand(_ALNUM + "-_", 20)


def slack_token() -> str:
    digits = string.digits
    return f"xoxb-{rand(digits, 12)}-{rand(digits, 12)}-{rand(_ALNUM, 24)}"


def google_api_key() -> str:
    return "AIza" + rand(_ALNUM + "-_", 35)


def stripe_live_key(prefix: str = "sk") -> str:
    return f"{prefix}_live_" + rand(_ALNUM, 24)


def crypt_hash() -> str:
    return "$6$" + rand(_ALNUM, 16) + "$" + rand(_ALNUM + "./", 86)


def docker_auth() -> str:
    return base64.b64encode(f"robot:{secrets.token_urlsafe(24)}".encode()).decode()


def password() -> str:
    return "pw-" + secrets.token_urlsafe(18)
