from fastapi import FastAPI
app = FastAPI()

from sqlalchemy import text
from db import engine

@app.get("/todos")
def todos(sort: str = "id"):
    order = "ORDER BY " + sort
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM todos " + order)).all()
