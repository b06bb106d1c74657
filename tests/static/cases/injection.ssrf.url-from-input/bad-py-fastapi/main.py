import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/preview")
async def preview(url: str):
    async with httpx.AsyncClient(timeout=5) as client:
        page = await client.get(url)
    return {"status": page.status_code, "length": len(page.text)}
