import urllib.request

def weather(city: str) -> bytes:
    return urllib.request.urlopen('https://api.example.com/w?c=' + city).read()
