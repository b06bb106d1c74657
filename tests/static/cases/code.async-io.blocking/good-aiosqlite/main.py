import aiosqlite
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

DB_PATH = "notes.db"
app = FastAPI()


class NoteIn(BaseModel):
    title: str
    body: str


@app.on_event("startup")
async def init_db() -> None:
    async with aiosqlite.connect(DB_PATH) as db:
        await db.executescript(
            "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);"
        )
        await db.commit()


@app.get("/notes")
async def list_notes():
    async with aiosqlite.connect(DB_PATH) as db:
        db.row_factory = aiosqlite.Row
        async with db.execute("SELECT id, title, body FROM notes ORDER BY id") as cursor:
            rows = await cursor.fetchall()
    return [dict(r) for r in rows]


@app.get("/notes/{note_id}")
async def get_note(note_id: int):
    async with aiosqlite.connect(DB_PATH) as db:
        cursor = await db.execute("SELECT id, title, body FROM notes WHERE id = ?", (note_id,))
        row = await cursor.fetchone()
        await cursor.close()
    if row is None:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": row[0], "title": row[1], "body": row[2]}


@app.post("/notes", status_code=201)
async def create_note(note: NoteIn):
    async with aiosqlite.connect(DB_PATH) as db:
        cursor = await db.execute(
            "INSERT INTO notes (title, body) VALUES (?, ?)", (note.title, note.body)
        )
        await db.commit()
        return {"id": cursor.lastrowid, **note.model_dump()}


@app.get("/search")
async def search(q: str):
    async with aiosqlite.connect(DB_PATH) as db:
        found = []
        async for row in db.execute("SELECT id, title FROM notes WHERE title LIKE ?", (f"%{q}%",)):
            found.append({"id": row[0], "title": row[1]})
    return found


@app.get("/export")
async def export():
    import asyncio
    import sqlite3

    def dump() -> list[tuple]:
        with sqlite3.connect(DB_PATH) as conn:  # runs in a worker thread
            return conn.execute("SELECT id, title, body FROM notes").fetchall()

    return await asyncio.to_thread(dump)
