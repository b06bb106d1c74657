import os
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import bcrypt
import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

SECRET_KEY = os.environ.get("APP_SECRET", "changeme")
ALGORITHM = "HS256"
DB_PATH = "todos.db"

app = FastAPI(title="Todo API")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_db():
    conn = sqlite3.connect(DB_PATH, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def init_db():
    conn = sqlite3.connect(DB_PATH)
    conn.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL, hashed_password TEXT NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY AUTOINCREMENT, owner_id INTEGER NOT NULL, title TEXT NOT NULL, completed INTEGER DEFAULT 0)")
    conn.commit()
    conn.close()


init_db()


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=50)
    password: str = Field(min_length=8, max_length=128)


class TodoCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    completed: bool = False


class Todo(BaseModel):
    id: int
    title: str
    completed: bool


class Token(BaseModel):
    access_token: str
    token_type: str


def get_current_user(token: str = Depends(oauth2_scheme), db: sqlite3.Connection = Depends(get_db)):
    exc = HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Could not validate credentials",
                        headers={"WWW-Authenticate": "Bearer"})
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
        username: Optional[str] = payload.get("sub")
    except jwt.PyJWTError:
        raise exc
    row = db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise exc
    return row


@app.post("/register", status_code=201)
def register(user: UserCreate, db: sqlite3.Connection = Depends(get_db)):
    hashed = bcrypt.hashpw(user.password.encode(), bcrypt.gensalt()).decode()
    try:
        db.execute("INSERT INTO users (username, hashed_password) VALUES (?, ?)", (user.username, hashed))
        db.commit()
    except sqlite3.IntegrityError:
        raise HTTPException(status_code=400, detail="Username already registered")
    return {"message": "User registered successfully"}


@app.post("/token", response_model=Token)
def login(form_data: OAuth2PasswordRequestForm = Depends(), db: sqlite3.Connection = Depends(get_db)):
    row = db.execute("SELECT * FROM users WHERE username = ?", (form_data.username,)).fetchone()
    if not row or not bcrypt.checkpw(form_data.password.encode(), row["hashed_password"].encode()):
        raise HTTPException(status_code=401, detail="Incorrect username or password")
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    token = jwt.encode({"sub": row["username"], "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)
    return {"access_token": token, "token_type": "bearer"}


@app.get("/todos", response_model=List[Todo])
def list_todos(user=Depends(get_current_user), db: sqlite3.Connection = Depends(get_db)):
    rows = db.execute("SELECT * FROM todos WHERE owner_id = ?", (user["id"],)).fetchall()
    return [Todo(id=r["id"], title=r["title"], completed=bool(r["completed"])) for r in rows]


@app.post("/todos", response_model=Todo, status_code=201)
def create_todo(todo: TodoCreate, user=Depends(get_current_user), db: sqlite3.Connection = Depends(get_db)):
    cur = db.execute("INSERT INTO todos (owner_id, title, completed) VALUES (?, ?, ?)", (user["id"], todo.title, int(todo.completed)))
    db.commit()
    return Todo(id=cur.lastrowid, title=todo.title, completed=todo.completed)


@app.get("/todos/{todo_id}", response_model=Todo)
def get_todo(todo_id: int, user=Depends(get_current_user), db: sqlite3.Connection = Depends(get_db)):
    r = db.execute("SELECT * FROM todos WHERE id = ? AND owner_id = ?", (todo_id, user["id"])).fetchone()
    if r is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    return Todo(id=r["id"], title=r["title"], completed=bool(r["completed"]))


@app.put("/todos/{todo_id}", response_model=Todo)
def update_todo(todo_id: int, todo: TodoCreate, user=Depends(get_current_user), db: sqlite3.Connection = Depends(get_db)):
    cur = db.execute("UPDATE todos SET title = ?, completed = ? WHERE id = ? AND owner_id = ?", (todo.title, int(todo.completed), todo_id, user["id"]))
    db.commit()
    if cur.rowcount == 0:
        raise HTTPException(status_code=404, detail="Todo not found")
    return Todo(id=todo_id, title=todo.title, completed=todo.completed)


@app.delete("/todos/{todo_id}", status_code=204)
def delete_todo(todo_id: int, user=Depends(get_current_user), db: sqlite3.Connection = Depends(get_db)):
    cur = db.execute("DELETE FROM todos WHERE id = ? AND owner_id = ?", (todo_id, user["id"]))
    db.commit()
    if cur.rowcount == 0:
        raise HTTPException(status_code=404, detail="Todo not found")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
