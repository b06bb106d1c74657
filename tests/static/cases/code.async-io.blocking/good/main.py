from fastapi import FastAPI
app = FastAPI()

import asyncio, httpx

@app.get("/weather")
async def weather():
    await asyncio.sleep(0)
    async with httpx.AsyncClient(timeout=5) as client:
        return (await client.get("https://api.example.com")).json()
