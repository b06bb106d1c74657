"""A tiny FastAPI app with no __main__ block: the image template starts it with uvicorn."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
ITEMS: dict[int, str] = {}


class Item(BaseModel):
    name: str


@app.post("/items", status_code=201)
def create(item: Item) -> dict:
    item_id = len(ITEMS) + 1
    ITEMS[item_id] = item.name
    return {"id": item_id, "name": item.name}


@app.get("/items/{item_id}")
def read(item_id: int) -> dict:
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": item_id, "name": ITEMS[item_id]}
