import httpx
from fastapi import FastAPI

app = FastAPI()


def is_allowed_url(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname in {"docs.example.com"}


@app.get("/weather")
async def weather(city: str):
    async with httpx.AsyncClient(timeout=5) as client:
        r = await client.get(f"https://api.weather.example.com/v1/{city}")
    return r.json()


@app.get("/docs-page")
async def docs_page(url: str):
    if not is_allowed_url(url):
        return {"error": "not allowed"}
    async with httpx.AsyncClient(timeout=5) as client:
        r = await client.get(url)
    return {"status": r.status_code}
