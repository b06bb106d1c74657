# File: contacts/extensions.py
"""Extension objects, bound to the app in the factory."""

from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=["300 per minute"])
cors = CORS()
