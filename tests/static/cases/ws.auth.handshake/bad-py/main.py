from fastapi import FastAPI, WebSocket

app = FastAPI()
clients: list[WebSocket] = []


@app.websocket("/ws")
async def ws(websocket: WebSocket):
    await websocket.accept()
    clients.append(websocket)
    while True:
        text = await websocket.receive_text()
        for c in clients:
            await c.send_text(text)
