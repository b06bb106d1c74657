import os

import jwt
from fastapi import FastAPI, WebSocket

app = FastAPI()


@app.websocket("/ws")
async def ws(websocket: WebSocket):
    token = websocket.query_params.get("token", "")
    try:
        user = jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])
    except jwt.PyJWTError:
        await websocket.close(code=1008)
        return
    await websocket.accept()
    await websocket.send_json({"hello": user["sub"]})
