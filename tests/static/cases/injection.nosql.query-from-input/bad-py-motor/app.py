from motor.motor_asyncio import AsyncIOMotorClient
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
import aiohttp

db = AsyncIOMotorClient()["app"]

async def login(request):
    body = await request.json()
    user = await db.users.find_one({"email": body["email"], "password": body["password"]})
    return JSONResponse({"ok": user is not None})

async def preview(request):
    url = request.query_params["url"]
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return JSONResponse({"status": resp.status})

app = Starlette(routes=[Route("/login", login, methods=["POST"]), Route("/preview", preview)])
