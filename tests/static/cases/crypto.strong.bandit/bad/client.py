import hashlib
import requests

def fetch(url: str) -> str:
    requests.get(url, verify=False, timeout=5)
    return hashlib.md5(url.encode()).hexdigest()
