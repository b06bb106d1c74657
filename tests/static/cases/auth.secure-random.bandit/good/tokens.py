import random
import secrets

def reset_token() -> str:
    return secrets.token_urlsafe(32)

def backoff_jitter() -> float:
    return random.random()
