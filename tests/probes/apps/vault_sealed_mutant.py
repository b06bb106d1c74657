"""The API-key vault with its keys sealed before they are stored (a keyed stream cipher with a
random nonce, standing in for Fernet/AES-GCM), so the stored value reveals nothing."""

import base64
import hashlib
import hmac
import os
import secrets

import vault_plain_app
from vault_plain_app import app

KEY = hashlib.sha256(os.environ.get("APP_SECRET", "k").encode()).digest()


def seal(value: str) -> str:
    nonce = secrets.token_bytes(16)
    raw = value.encode()
    stream = b""
    counter = 0
    while len(stream) < len(raw):
        stream += hmac.new(KEY, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    sealed = bytes(a ^ b for a, b in zip(raw, stream, strict=False))
    return base64.b64encode(nonce + sealed).decode()


vault_plain_app.protect = seal

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
