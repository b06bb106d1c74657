"""The API-key vault "encrypting" its keys with base64: encoded, not protected."""

import base64
import os

import vault_plain_app
from vault_plain_app import app

vault_plain_app.protect = lambda value: base64.b64encode(value.encode()).decode()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
