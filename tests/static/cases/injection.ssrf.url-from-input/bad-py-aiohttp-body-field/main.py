import aiohttp
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class AvatarIn(BaseModel):
    avatar_url: str


@app.post("/me/avatar")
async def import_avatar(body: AvatarIn):
    async with aiohttp.ClientSession() as session:
        async with session.get(body.avatar_url) as resp:
            data = await resp.read()
    return {"bytes": len(data)}
