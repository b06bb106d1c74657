import os

import databases
import sqlalchemy
from fastapi import FastAPI

DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./todos.db")
database = databases.Database(DATABASE_URL)
metadata = sqlalchemy.MetaData()
todos = sqlalchemy.Table(
    "todos",
    metadata,
    sqlalchemy.Column("id", sqlalchemy.Integer, primary_key=True),
    sqlalchemy.Column("text", sqlalchemy.String),
    sqlalchemy.Column("done", sqlalchemy.Boolean, default=False),
)
app = FastAPI()


@app.on_event("startup")
async def connect() -> None:
    await database.connect()


@app.on_event("shutdown")
async def disconnect() -> None:
    await database.disconnect()


@app.get("/todos")
async def list_todos():
    return await database.fetch_all(todos.select())


@app.post("/todos", status_code=201)
async def create_todo(text: str):
    async with database.transaction():
        todo_id = await database.execute(todos.insert().values(text=text, done=False))
    return {"id": todo_id, "text": text, "done": False}


@app.put("/todos/{todo_id}")
async def update_todo(todo_id: int, done: bool):
    query = todos.update().where(todos.c.id == todo_id).values(done=done)
    await database.execute(query)
    return await database.fetch_one(todos.select().where(todos.c.id == todo_id))
