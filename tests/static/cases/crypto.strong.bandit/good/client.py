import hashlib
import requests

def fetch(url: str) -> str:
    requests.get(url, timeout=5)
    return hashlib.sha256(url.encode()).hexdigest()
