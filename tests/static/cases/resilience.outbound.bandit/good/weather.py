import requests

def weather(city: str) -> dict:
    return requests.get('https://api.example.com/w', params={'c': city}, timeout=5).json()
