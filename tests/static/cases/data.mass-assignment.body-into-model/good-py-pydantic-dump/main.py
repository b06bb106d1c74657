from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy.orm import Session

from .db import get_db
from .models import Item

app = FastAPI()


class ItemIn(BaseModel):
    title: str
    price: float


@app.post("/items", status_code=201)
def create_item(payload: ItemIn, db: Session = Depends(get_db)):
    item = Item(**payload.model_dump())  # only the fields ItemIn declares
    db.add(item)
    db.commit()
    return {"id": item.id}
