from fastapi import FastAPI
app = FastAPI()

import requests, time

@app.get("/weather")
async def weather():
    time.sleep(1)
    return requests.get("https://api.example.com", timeout=5).json()
