import os
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import bcrypt
import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel

SECRET_KEY = os.environ.get("SECRET_KEY", secrets.token_urlsafe(32))
ALGORITHM = "HS256"
DB_FILE = "inventory.db"

app = FastAPI(title="Inventory")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_conn():
    conn = sqlite3.connect(DB_FILE)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with get_conn() as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS staff (id INTEGER PRIMARY KEY, username TEXT UNIQUE, "
            "hashed_password TEXT)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT, quantity INTEGER)"
        )
        # the one staff account is seeded; there is no sign-up
        if conn.execute("SELECT COUNT(*) FROM staff").fetchone()[0] == 0:
            password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(16)
            conn.execute(
                "INSERT INTO staff (username, hashed_password) VALUES (?, ?)",
                ("admin", bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()),
            )


class ItemIn(BaseModel):
    name: str
    quantity: int = 0


class Item(ItemIn):
    id: int


class Token(BaseModel):
    access_token: str
    token_type: str


def current_staff(token: str = Depends(oauth2_scheme)) -> str:
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Could not validate credentials")
    return payload["sub"]


@app.post("/token", response_model=Token)
def login(form: OAuth2PasswordRequestForm = Depends()):
    with get_conn() as conn:
        row = conn.execute(
            "SELECT hashed_password FROM staff WHERE username = ?", (form.username,)
        ).fetchone()
    if row is None or not bcrypt.checkpw(form.password.encode(), row["hashed_password"].encode()):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Bad credentials")
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    token = jwt.encode({"sub": form.username, "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)
    return {"access_token": token, "token_type": "bearer"}


@app.get("/items", response_model=List[Item])
def list_items(name: Optional[str] = None):
    with get_conn() as conn:
        if name:
            rows = conn.execute("SELECT * FROM items WHERE name = ?", (name,)).fetchall()
        else:
            rows = conn.execute("SELECT * FROM items").fetchall()
    return [dict(r) for r in rows]


@app.get("/items/{item_id}", response_model=Item)
def get_item(item_id: int):
    with get_conn() as conn:
        row = conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return dict(row)


@app.post("/items", response_model=Item, status_code=201)
def create_item(item: ItemIn, staff: str = Depends(current_staff)):
    with get_conn() as conn:
        cur = conn.execute(
            "INSERT INTO items (name, quantity) VALUES (?, ?)", (item.name, item.quantity)
        )
    return {"id": cur.lastrowid, **item.model_dump()}


@app.delete("/items/{item_id}", status_code=204)
def delete_item(item_id: int, staff: str = Depends(current_staff)):
    with get_conn() as conn:
        conn.execute("DELETE FROM items WHERE id = ?", (item_id,))


init_db()

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
