"""Fails at import time, as a generated app with a typo would."""

import os

print("starting up", flush=True)
raise RuntimeError(f"missing configuration: SETTINGS_MODULE (port {os.environ.get('PORT')})")
