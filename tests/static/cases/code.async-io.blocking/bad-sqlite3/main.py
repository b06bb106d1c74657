import sqlite3

from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
async def list_items():
    conn = sqlite3.connect("app.db")
    rows = conn.execute("SELECT id, name FROM items").fetchall()
    conn.close()
    return [{"id": r[0], "name": r[1]} for r in rows]
